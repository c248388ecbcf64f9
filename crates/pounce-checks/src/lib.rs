//! The policies of this repository's `rules/`, compiled to Rust.
//!
//! Everything under `src/generated/` is written by `cargo xtask regen` and
//! checked in; a test fails when it is stale. Each policy is a module with
//! a typed `policy` function, its `META`data and its registry entry
//! `POLICY`; [`POLICIES`] lists them all.
//!
//! ```
//! use pounce_checks::generated::aws_ami_private;
//! use pounce_runtime::{resources::Ami, DefaultContext, Field};
//!
//! let ami = Ami {
//!     owner_id: Field::Present("123456789012".into()),
//!     account_id: Field::Present("123456789012".into()),
//!     public: Field::Present(true),
//!     ..Ami::default()
//! };
//! assert_eq!(aws_ami_private::policy(&ami, &DefaultContext), Ok(false));
//! ```

#[rustfmt::skip]
pub mod generated;

pub use generated::POLICIES;

use pounce_runtime::Policy;

/// The compiled policy with `PolicyID` `id`.
pub fn find(id: &str) -> Option<&'static Policy> {
    POLICIES.iter().copied().find(|p| p.meta.id == id)
}
