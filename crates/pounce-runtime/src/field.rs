//! `Field<T>`: one field of a resource, as Python would see the dict key.

use serde::de::DeserializeSeed;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{PolicyError, PyResult};
use crate::read::{FieldSeed, FieldValue, KeyRecorder};
use crate::value::{ToVal, Val};

/// A field of a resource struct.
///
/// Python distinguishes a missing key (`resource["X"]` raises `KeyError`,
/// `resource.get("X")` gives the default) from a key holding `None`; so do
/// we. A value of another JSON type than the schema's is kept as `Other`
/// and evaluated with Python's dynamic semantics, so an unexpected shape is
/// never a deserialisation failure and never a silent wrong answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Field<T> {
    /// The key is not in the resource.
    #[default]
    Absent,
    /// The key holds JSON `null`.
    Null,
    /// The key holds a value of the schema's type.
    Present(T),
    /// The key holds a value of another type than the schema's.
    Other(serde_json::Value),
}

impl<T> Field<T> {
    /// Whether the key is missing (serde's `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// The typed value, when the key holds one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Field::Present(t) => Some(t),
            _ => None,
        }
    }
}

impl<T: ToVal> Field<T> {
    /// The Python value under this key, or `None` when the key is absent.
    pub fn get(&self) -> Option<Val<'_>> {
        match self {
            Field::Absent => None,
            Field::Null => Some(Val::None),
            Field::Present(t) => Some(t.to_val()),
            Field::Other(v) => Some(Val::from_json(v)),
        }
    }

    /// `resource["Key"]`: the value, or `KeyError` when absent.
    pub fn subscript(&self, key: &str) -> PyResult<Val<'_>> {
        self.get().ok_or_else(|| PolicyError::key_error(key))
    }

    /// `resource.get("Key", default)`.
    pub fn get_or<'a>(&'a self, default: Val<'a>) -> Val<'a> {
        self.get().unwrap_or(default)
    }
}

/// Read straight from the deserializer, without a `serde_json::Value` in
/// between unless the value has another type than `T` (see `crate::read`).
impl<'de, T: FieldValue> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut field = Field::Absent;
        FieldSeed::new(&mut field, &mut KeyRecorder::new(false), 0).deserialize(deserializer)?;
        Ok(field)
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Skipped by `skip_serializing_if`; `null` if serialised alone.
            Field::Absent | Field::Null => serializer.serialize_none(),
            Field::Present(t) => t.serialize(serializer),
            Field::Other(v) => v.serialize(serializer),
        }
    }
}
