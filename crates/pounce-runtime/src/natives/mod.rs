//! Native implementations of the Python modules and Panther helpers that
//! policies import (`json`, `datetime`, `ipaddress`, `fnmatch`,
//! `panther_base_helpers`, `panther_aws_helpers`, …).
//!
//! [`ENTRIES`] is the registry the code generator reads: an import of a
//! name that is not listed is a coded "unsupported import" diagnostic.
//! Every function has the same calling convention ([`NativeFn`]):
//! positional arguments, keyword arguments, and the evaluation context
//! (which supplies the clock and resource lookups).

use crate::error::PyResult;
use crate::ops::PyType;
use crate::policy::Context;
use crate::value::Val;

/// A native function: `(args, kwargs, ctx) -> value`.
pub type NativeFn = for<'a> fn(&[Val<'a>], &[(&str, Val<'a>)], &dyn Context) -> PyResult<Val<'a>>;

/// What a registry entry names.
#[derive(Debug, Clone, Copy)]
pub enum Item {
    /// A callable.
    Function(NativeFn),
    /// An exception class, by the name `PolicyError` carries
    /// (`ExcKind::Other(name)` or a built-in kind's name).
    Exception(&'static str),
    /// A type usable with `isinstance` (and callable when `ctor` is set).
    Type {
        /// The type `isinstance` tests.
        ty: PyType,
        /// The constructor, when calling the type is supported.
        ctor: Option<NativeFn>,
    },
    /// A namespace whose attributes are other entries (`datetime.datetime`
    /// for `datetime.datetime.now`).
    Namespace,
}

/// One importable name.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The Python module (`datetime`, `panther_base_helpers`).
    pub module: &'static str,
    /// The dotted name inside the module (`timedelta`, `datetime.now`).
    pub name: &'static str,
    /// What it is.
    pub item: Item,
    /// The Rust path of the function under `pounce_runtime::natives`
    /// (`datetime::timedelta`), for the code generator; empty when not a
    /// function.
    pub rust: &'static str,
}

/// Every supported importable name.
pub static ENTRIES: &[Entry] = &[];

/// The entry for `module.name`.
pub fn find(module: &str, name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.module == module && e.name == name)
}

/// Whether `module` has any supported name.
pub fn has_module(module: &str) -> bool {
    ENTRIES.iter().any(|e| e.module == module)
}
