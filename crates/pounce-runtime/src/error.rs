//! Python exceptions as values.
//!
//! Every path on which CPython would raise is an `Err(PolicyError)` in the
//! generated code. The error keeps the Python exception's name and the text
//! `str(exc)` would give, so a failing test prints what Panther's tool prints
//! (`KeyError: 'Public'`).

use std::fmt;

/// The Python exception class a failure corresponds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExcKind {
    /// `KeyError`: a missing key in `d[k]`.
    KeyError,
    /// `TypeError`: an operation on a value of the wrong type.
    TypeError,
    /// `AttributeError`: a method that the value's type does not have.
    AttributeError,
    /// `ValueError`.
    ValueError,
    /// `IndexError`.
    IndexError,
    /// `ZeroDivisionError`.
    ZeroDivisionError,
    /// Panther's `FunctionReturnTypeError`: `policy()` returned a non-`bool`.
    FunctionReturnTypeError,
    /// Any other exception raised by the policy (`raise X(...)`).
    Other(&'static str),
}

impl ExcKind {
    /// The Python class name.
    pub fn name(self) -> &'static str {
        match self {
            ExcKind::KeyError => "KeyError",
            ExcKind::TypeError => "TypeError",
            ExcKind::AttributeError => "AttributeError",
            ExcKind::ValueError => "ValueError",
            ExcKind::IndexError => "IndexError",
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::FunctionReturnTypeError => "FunctionReturnTypeError",
            ExcKind::Other(name) => name,
        }
    }
}

/// A Python exception raised while evaluating a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The exception class.
    pub kind: ExcKind,
    /// `str(exc)`, exactly as CPython renders it.
    pub message: String,
}

impl PolicyError {
    /// A new error of `kind` with `message`.
    pub fn new(kind: ExcKind, message: impl Into<String>) -> Self {
        PolicyError { kind, message: message.into() }
    }

    /// `KeyError: 'key'`, as `d["key"]` raises it.
    pub fn key_error(key: &str) -> Self {
        PolicyError::new(ExcKind::KeyError, crate::value::py_repr_str(key))
    }

    /// A `TypeError` with `message`.
    pub fn type_error(message: impl Into<String>) -> Self {
        PolicyError::new(ExcKind::TypeError, message)
    }

    /// An `AttributeError` for `'type' object has no attribute 'name'`.
    pub fn no_attribute(type_name: &str, attr: &str) -> Self {
        PolicyError::new(
            ExcKind::AttributeError,
            format!("'{type_name}' object has no attribute '{attr}'"),
        )
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)
    }
}

impl std::error::Error for PolicyError {}

/// The result of evaluating a Python expression.
pub type PyResult<T> = Result<T, PolicyError>;
