//! Module-level literal constants, stored as `'static` data.

/// A literal Python value of a policy module (`APPROVED = {"a", "b"}`).
///
/// The generator emits constants as `static` items of this type, so they
/// are built at compile time and never allocated at run time. `Set` and
/// `Dict` keep their source order; duplicates are removed by the generator
/// as CPython removes them (the first key's position, the last value).
#[derive(Debug, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(&'static str),
    /// A `list` literal.
    List(&'static [Const]),
    /// A `tuple` literal.
    Tuple(&'static [Const]),
    /// A `set` literal.
    Set(&'static [Const]),
    /// A `dict` literal.
    Dict(&'static [(Const, Const)]),
}
