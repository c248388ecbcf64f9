//! The reading rules as they were before `crate::read`, kept as the
//! reference the tests compare the direct reader with.
//!
//! - [`OldField`] is the previous `Field<T>` deserializer, verbatim: a
//!   `serde_json::Value`, then `T::deserialize(&value)`.
//! - [`old_object!`] is the previous `object!` struct: derived `Deserialize`
//!   with `#[serde(flatten)] extra`, its fields `OldField`s.
//! - [`expected_debug`] states the same rules over a `StructSchema`, so that
//!   every resource struct can be checked, not only the mirrored ones.
//!
//! Everything is compared as `Debug` text, which shows each field's variant
//! (`Present`, `Other`, …), numbers' kinds (`1` and `1.0`) and key order.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::schema::{StructSchema, Ty};

/// The previous `Field<T>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum OldField<T> {
    #[default]
    Absent,
    Null,
    Present(T),
    Other(Value),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OldField<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(OldField::Null);
        }
        match T::deserialize(&value) {
            Ok(t) => Ok(OldField::Present(t)),
            Err(_) => Ok(OldField::Other(value)),
        }
    }
}

/// The previous `object!` struct (without its Python view and schema).
macro_rules! old_object {
    (
        $vis:vis struct $name:ident {
            $( $json:literal => $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
        $vis struct $name {
            $(
                #[serde(rename = $json, default)]
                pub $field: $crate::read::reference::OldField<$ty>,
            )*
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}
pub(crate) use old_object;

/// What the previous reader made of a struct's JSON object, as the
/// struct's `Debug` text.
pub fn expected_debug(schema: &'static StructSchema, object: &Map<String, Value>) -> String {
    format!("{:?}", struct_node(schema, object))
}

/// What the previous reader made of one field's JSON, as `Debug` text.
pub fn expected_field_debug(ty: &Ty, value: Option<&Value>) -> String {
    format!("{:?}", field_node(ty, value))
}

/// A read value, printed as the real types print.
enum Node {
    Str(String),
    Bool(bool),
    Int(i64),
    Float(f64),
    Json(Value),
    List(Vec<Node>),
    Struct(&'static StructSchema, Vec<FieldNode>, Map<String, Value>),
}

/// A read field, printed as `Field` prints.
#[derive(Debug)]
#[expect(dead_code, reason = "the fields are read by `Debug`")]
enum FieldNode {
    Absent,
    Null,
    Present(Node),
    Other(Value),
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Str(s) => fmt::Debug::fmt(s, f),
            Node::Bool(b) => fmt::Debug::fmt(b, f),
            Node::Int(i) => fmt::Debug::fmt(i, f),
            Node::Float(x) => fmt::Debug::fmt(x, f),
            Node::Json(v) => fmt::Debug::fmt(v, f),
            Node::List(items) => f.debug_list().entries(items).finish(),
            Node::Struct(schema, fields, extra) => {
                let mut d = f.debug_struct(schema.name);
                for (schema_field, node) in schema.fields.iter().zip(fields) {
                    d.field(schema_field.rust_name, node);
                }
                d.field("extra", extra).finish()
            }
        }
    }
}

fn struct_node(schema: &'static StructSchema, object: &Map<String, Value>) -> Node {
    let fields = schema.fields.iter().map(|f| field_node(f.ty, object.get(f.name))).collect();
    let extra = object.iter().filter(|(k, _)| schema.field(k).is_none()).map(|(k, v)| (k.clone(), v.clone())).collect();
    Node::Struct(schema, fields, extra)
}

fn field_node(ty: &Ty, value: Option<&Value>) -> FieldNode {
    match value {
        None => FieldNode::Absent,
        Some(Value::Null) => FieldNode::Null,
        Some(v) => match typed(ty, v) {
            Some(node) => FieldNode::Present(node),
            None => FieldNode::Other(v.clone()),
        },
    }
}

/// `T::deserialize(&value)` for the schema type `ty`, by serde's rules:
/// an `i64` is an integer in range (not `1.0`), an `f64` any number, a
/// list is typed only if every element is, a struct is any object.
fn typed(ty: &Ty, v: &Value) -> Option<Node> {
    match ty {
        Ty::Str => v.as_str().map(|s| Node::Str(s.to_owned())),
        Ty::Bool => v.as_bool().map(Node::Bool),
        Ty::Int => v.as_i64().map(Node::Int),
        Ty::Float => v.as_f64().map(Node::Float),
        Ty::Json => Some(Node::Json(v.clone())),
        Ty::List(el) => v.as_array()?.iter().map(|e| typed(el, e)).collect::<Option<Vec<_>>>().map(Node::List),
        Ty::Struct(schema) => v.as_object().map(|o| struct_node(schema, o)),
    }
}
