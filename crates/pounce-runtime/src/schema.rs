//! Resource schemas: the field lists the type checker reads.
//!
//! Each resource struct is declared once, with the `resource!` or `object!`
//! macro; the macro derives both the Rust struct and its `StructSchema`, so
//! the code generator checks policies against exactly the fields the
//! runtime deserialises.

/// The static type of a schema field.
#[derive(Debug, PartialEq)]
pub enum Ty {
    /// A `str`.
    Str,
    /// A `bool`.
    Bool,
    /// An `int`.
    Int,
    /// A `float`.
    Float,
    /// Any JSON value (policy documents, tag maps): checked at run time.
    Json,
    /// A `list` of the element type.
    List(&'static Ty),
    /// A `dict` with a known set of keys.
    Struct(&'static StructSchema),
}

/// The fields of a typed object.
#[derive(Debug, PartialEq)]
pub struct StructSchema {
    /// The Rust type name.
    pub name: &'static str,
    /// The Panther resource type, for top-level resources.
    pub resource_type: Option<&'static str>,
    /// The fields, in declaration order.
    pub fields: &'static [FieldSchema],
}

impl StructSchema {
    /// The field called `name` (the JSON key).
    pub fn field(&self, name: &str) -> Option<&'static FieldSchema> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// One field of a `StructSchema`. Every field may be absent or `null`.
#[derive(Debug, PartialEq)]
pub struct FieldSchema {
    /// The JSON key (PascalCase on the wire).
    pub name: &'static str,
    /// The Rust field name.
    pub rust_name: &'static str,
    /// The value's type when present and not `null`.
    pub ty: &'static Ty,
}

/// Types that have a schema type.
pub trait Describe {
    /// The schema type.
    const TY: Ty;
}

impl Describe for String {
    const TY: Ty = Ty::Str;
}

impl Describe for bool {
    const TY: Ty = Ty::Bool;
}

impl Describe for i64 {
    const TY: Ty = Ty::Int;
}

impl Describe for f64 {
    const TY: Ty = Ty::Float;
}

impl Describe for serde_json::Value {
    const TY: Ty = Ty::Json;
}

impl<T: Describe> Describe for Vec<T> {
    const TY: Ty = Ty::List(&T::TY);
}
