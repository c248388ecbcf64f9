//! Runtime of compiled Panther policies.
//!
//! - [`resources`]: the typed resource structs (`Ami` for `AWS.EC2.AMI`, …),
//!   each declared once with [`resource!`], which also derives the schema
//!   the code generator type-checks policies against;
//! - [`Val`] and [`ops`]: Python values and operators with CPython's
//!   semantics, which the generated code calls;
//! - [`Policy`], [`PolicyMeta`], [`TestCase`]: what the generated registry
//!   holds; [`testing`] runs embedded test cases and reports them as
//!   Panther's tool does.

// The macros name `::pounce_runtime` in serde attributes, which must be
// strings; this makes that path resolve inside this crate too.
extern crate self as pounce_runtime;

pub mod aux;
mod consts;
mod error;
mod field;
pub mod iam;
mod macros;
pub mod natives;
pub mod ops;
mod policy;
pub mod read;
pub mod registry;
pub mod resources;
mod schema;
pub mod suggest;
pub mod testing;
mod value;

pub use serde_json;
#[doc(hidden)]
pub use serde;

pub use aux::{AuxFn, Detection};
pub use consts::Const;
pub use error::{ExcKind, PolicyError, PyResult};
pub use field::Field;
pub use read::FieldValue;
pub use policy::{
    resource_from_json, Context, DefaultContext, EvalError, Mock, MockValue, Policy, PolicyMeta,
    Resource, Severity, TestCase,
};
pub use registry::Registry;
pub use schema::{Describe, FieldSchema, StructSchema, Ty};
pub use value::{
    py_repr_str, BinOp, FromLazy, HKey, Kind, LazyCell, LazyItems, ListCell, Native, Object, PyDict, PySet, PyStr, Sequence, SetCell, ToVal, Val,
};
