//! An example of pounce's `build.rs` API: this crate's policies live in
//! `rules/` (Panther's layout: a YAML spec and a Python file each), and
//! `build.rs` compiles them into typed Rust at build time.
//!
//! The included file defines one module per policy (its typed `policy` and
//! `detect` functions, `META`, `POLICY`, and a `#[test]` per embedded test
//! case), `POLICIES`, `GROUPS` and `REGISTRY`.
//!
//! Typed evaluation, no JSON involved:
//!
//! ```
//! use pounce_example_build_rs::example_s3_bucket_versioning as versioning;
//! use pounce_runtime::{resources::S3Bucket, DefaultContext, Field};
//!
//! let bucket = S3Bucket { versioning: Field::Present("Suspended".into()), ..S3Bucket::default() };
//! assert_eq!(versioning::policy(&bucket, &DefaultContext), Ok(false));
//! ```
//!
//! Through the registry, dispatched by `ResourceType`, with the auxiliary
//! outputs of alerts:
//!
//! ```
//! use pounce_example_build_rs::REGISTRY;
//! use pounce_runtime::registry::Status;
//! use pounce_runtime::{AuxFn, DefaultContext};
//!
//! let line = r#"{"ResourceType": "AWS.EC2.Volume", "ResourceId": "vol-1", "Encrypted": false}"#;
//! let found = REGISTRY.evaluate_str(line, &DefaultContext).unwrap();
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].policy.meta.id, "Example.EC2.Volume.Encrypted");
//! assert_eq!(found[0].status(), Status::Alert);
//! assert_eq!(found[0].output(AuxFn::Title), Some("EBS volume vol-1 is not encrypted"));
//! ```

include!(concat!(env!("OUT_DIR"), "/pounce_policies.rs"));
