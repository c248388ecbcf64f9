//! Reading JSON straight into resource structs, without a
//! `serde_json::Value` in between.
//!
//! Every schema type implements [`FieldValue`]: one method per JSON kind,
//! each giving either a value of the type or, when the JSON has another
//! type, the JSON itself (`Field::Other`). `Field<T>`'s `Deserialize` and
//! the `object!` macro's hand-written `Deserialize` drive it with one visitor
//! per value, so a resource is read in one pass over its text: known keys
//! matched as borrowed strings, strings allocated once, unknown keys kept in
//! `extra` in input order.
//!
//! Which values are `Present` and which are `Other` is exactly what the
//! previous implementation (a `Value`, then `T::deserialize(&value)`) gave;
//! the tests (`read/tests.rs`) pin it against that implementation
//! (`read/reference.rs`). In particular a list is `Present` only when every
//! element has the element type; otherwise the whole list is `Other`, with
//! its JSON exactly as it came (numbers' kinds and every object's key
//! order). A list cannot know that before its last element, so the
//! elements already read must give their JSON back exactly: list elements
//! are read with `keep` set, which makes a struct remember its input key
//! order ([`KeyOrder`]; nothing to remember, and no allocation, when the
//! keys come in declaration order) and a float read from an integer
//! remember the integer ([`Read::Lossy`]).
//!
//! Structs are read in place: into their `Field`, as the new last element
//! of their list, or into the resource's `Box` (`registry::parse_str`).
//! Resource structs are kilobytes; moving one costs about as much as
//! reading a small resource.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

use crate::field::Field;

/// What reading one JSON value as `T` gave.
#[doc(hidden)]
#[derive(Debug)]
pub enum Read<T> {
    /// A value of the type.
    Typed(T),
    /// A value of the type that [`FieldValue::to_json`] cannot turn back into
    /// the JSON it came from (a float read from an integer), with that JSON.
    /// Only given when the caller asked to keep the JSON (`keep`).
    Lossy(T, Value),
    /// A value of another JSON type, as it came.
    Other(Value),
}

/// A type a `Field` may hold: how it is read from each kind of JSON value.
///
/// Each `from_*` method gives `Read::Typed` for JSON of the type and
/// `Read::Other` with the JSON otherwise; the defaults are `Other`. `keep`:
/// the caller may later need the exact JSON back (see the module
/// documentation). Implemented by the `object!` macro for structs.
pub trait FieldValue: Sized {
    /// JSON `null` (as a list element; a `Field` is `Null` without asking).
    fn from_null() -> Read<Self> {
        Read::Other(Value::Null)
    }

    /// `true` or `false`.
    fn from_bool(v: bool) -> Read<Self> {
        Read::Other(Value::Bool(v))
    }

    /// A negative integer that fits in an `i64`.
    fn from_i64(v: i64, keep: bool) -> Read<Self> {
        let _ = keep;
        Read::Other(Value::Number(v.into()))
    }

    /// A non-negative integer that fits in a `u64`.
    fn from_u64(v: u64, keep: bool) -> Read<Self> {
        let _ = keep;
        Read::Other(Value::Number(v.into()))
    }

    /// Any other number (a fraction, an exponent, an integer beyond `u64`).
    fn from_f64(v: f64) -> Read<Self> {
        Read::Other(float_json(v))
    }

    /// A string the reader lends for the call only.
    fn from_str(v: &str) -> Read<Self> {
        Read::Other(Value::String(v.to_owned()))
    }

    /// A string the reader gives away.
    fn from_string(v: String) -> Read<Self> {
        Read::Other(Value::String(v))
    }

    /// An array; the implementation reads every element.
    fn from_seq<'de, A: SeqAccess<'de>>(seq: A, keep: bool) -> Result<Read<Self>, A::Error> {
        let _ = keep;
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Read::Other)
    }

    /// An object; the implementation reads every entry.
    fn from_map<'de, A: MapAccess<'de>>(map: A, keep: bool) -> Result<Read<Self>, A::Error> {
        let _ = keep;
        Value::deserialize(MapAccessDeserializer::new(map)).map(Read::Other)
    }

    /// An object, stored into `slot`; a struct is read in place rather than
    /// moved there. Gives the JSON when the value is `Lossy`.
    fn map_into_field<'de, A: MapAccess<'de>>(
        map: A,
        slot: &mut Field<Self>,
        keep: bool,
    ) -> Result<Option<Value>, A::Error> {
        Ok(store(slot, Self::from_map(map, keep)?))
    }

    /// An object, pushed onto `items` when it is of the type (a struct is
    /// read in place as the new last element).
    fn map_into_list<'de, A: MapAccess<'de>>(map: A, items: &mut Vec<Self>, keep: bool) -> Result<Read<()>, A::Error> {
        Ok(push(items, Self::from_map(map, keep)?))
    }

    /// The JSON this value was read from. Exact for a value read with
    /// `keep` that did not come back `Lossy`; for a struct built in code,
    /// its fields in declaration order, then `extra`.
    fn to_json(&self) -> Value;
}

/// The JSON of a float, as `serde_json::Value` builds it.
fn float_json(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

impl FieldValue for String {
    fn from_str(v: &str) -> Read<Self> {
        Read::Typed(v.to_owned())
    }

    fn from_string(v: String) -> Read<Self> {
        Read::Typed(v)
    }

    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl FieldValue for bool {
    fn from_bool(v: bool) -> Read<Self> {
        Read::Typed(v)
    }

    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl FieldValue for i64 {
    fn from_i64(v: i64, _keep: bool) -> Read<Self> {
        Read::Typed(v)
    }

    /// An integer beyond `i64::MAX` is not an `i64` (serde's rule).
    fn from_u64(v: u64, _keep: bool) -> Read<Self> {
        match i64::try_from(v) {
            Ok(i) => Read::Typed(i),
            Err(_) => Read::Other(Value::Number(v.into())),
        }
    }

    fn to_json(&self) -> Value {
        Value::Number((*self).into())
    }
}

/// An integer is read as a float (serde's rule, `v as f64`); with `keep`,
/// the integer is kept as well.
impl FieldValue for f64 {
    #[expect(clippy::cast_precision_loss, reason = "serde's integer-to-float rule")]
    fn from_i64(v: i64, keep: bool) -> Read<Self> {
        if keep {
            Read::Lossy(v as f64, Value::Number(v.into()))
        } else {
            Read::Typed(v as f64)
        }
    }

    #[expect(clippy::cast_precision_loss, reason = "serde's integer-to-float rule")]
    fn from_u64(v: u64, keep: bool) -> Read<Self> {
        if keep {
            Read::Lossy(v as f64, Value::Number(v.into()))
        } else {
            Read::Typed(v as f64)
        }
    }

    fn from_f64(v: f64) -> Read<Self> {
        Read::Typed(v)
    }

    fn to_json(&self) -> Value {
        float_json(*self)
    }
}

/// Any JSON, `null` included (as a list element).
impl FieldValue for Value {
    fn from_null() -> Read<Self> {
        Read::Typed(Value::Null)
    }

    fn from_bool(v: bool) -> Read<Self> {
        Read::Typed(Value::Bool(v))
    }

    fn from_i64(v: i64, _keep: bool) -> Read<Self> {
        Read::Typed(Value::Number(v.into()))
    }

    fn from_u64(v: u64, _keep: bool) -> Read<Self> {
        Read::Typed(Value::Number(v.into()))
    }

    fn from_f64(v: f64) -> Read<Self> {
        Read::Typed(float_json(v))
    }

    fn from_str(v: &str) -> Read<Self> {
        Read::Typed(Value::String(v.to_owned()))
    }

    fn from_string(v: String) -> Read<Self> {
        Read::Typed(Value::String(v))
    }

    fn from_seq<'de, A: SeqAccess<'de>>(seq: A, _keep: bool) -> Result<Read<Self>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Read::Typed)
    }

    fn from_map<'de, A: MapAccess<'de>>(map: A, _keep: bool) -> Result<Read<Self>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Read::Typed)
    }

    fn to_json(&self) -> Value {
        self.clone()
    }
}

/// A list whose every element has the element type; otherwise the whole
/// list, as it came, is `Other`.
impl<U: FieldValue> FieldValue for Vec<U> {
    fn from_seq<'de, A: SeqAccess<'de>>(mut seq: A, keep: bool) -> Result<Read<Self>, A::Error> {
        let mut items: Vec<U> = Vec::new();
        // The JSON of elements whose `to_json` is not exact, by index.
        let mut kept: Vec<(usize, Value)> = Vec::new();
        while let Some(other) = seq.next_element_seed(ElementSeed { items: &mut items, kept: &mut kept })? {
            if let Some(json) = other {
                let mut all = elements_json(&items, kept);
                all.push(json);
                while let Some(rest) = seq.next_element::<Value>()? {
                    all.push(rest);
                }
                return Ok(Read::Other(Value::Array(all)));
            }
        }
        if keep && !kept.is_empty() {
            let json = Value::Array(elements_json(&items, kept));
            Ok(Read::Lossy(items, json))
        } else {
            Ok(Read::Typed(items))
        }
    }

    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(FieldValue::to_json).collect())
    }
}

/// The JSON of `items`, taking the kept JSON of those whose `to_json` is
/// not exact (`kept` is sorted by index).
fn elements_json<U: FieldValue>(items: &[U], kept: Vec<(usize, Value)>) -> Vec<Value> {
    let mut kept = kept.into_iter().peekable();
    let mut out = Vec::with_capacity(items.len() + 1);
    for (i, item) in items.iter().enumerate() {
        match kept.next_if(|(k, _)| *k == i) {
            Some((_, json)) => out.push(json),
            None => out.push(item.to_json()),
        }
    }
    out
}

/// Stores a read value into a field; gives the JSON of a `Lossy` one.
fn store<T>(slot: &mut Field<T>, read: Read<T>) -> Option<Value> {
    match read {
        Read::Typed(t) => {
            *slot = Field::Present(t);
            None
        }
        Read::Lossy(t, json) => {
            *slot = Field::Present(t);
            Some(json)
        }
        Read::Other(json) => {
            *slot = Field::Other(json);
            None
        }
    }
}

/// Pushes a read value of the type onto `items`.
fn push<T>(items: &mut Vec<T>, read: Read<T>) -> Read<()> {
    match read {
        Read::Typed(t) => {
            items.push(t);
            Read::Typed(())
        }
        Read::Lossy(t, json) => {
            items.push(t);
            Read::Lossy((), json)
        }
        Read::Other(json) => Read::Other(json),
    }
}

/// Reads one list element onto the end of `items` (elements are read with
/// `keep`: should a later element have another type, the JSON of these is
/// needed). Gives the element's JSON when it has another type.
struct ElementSeed<'a, U> {
    items: &'a mut Vec<U>,
    kept: &'a mut Vec<(usize, Value)>,
}

impl<U> ElementSeed<'_, U> {
    fn push(self, read: Read<U>) -> Option<Value> {
        let index = self.items.len();
        match push(self.items, read) {
            Read::Typed(()) => None,
            Read::Lossy((), json) => {
                self.kept.push((index, json));
                None
            }
            Read::Other(json) => Some(json),
        }
    }
}

impl<'de, U: FieldValue> DeserializeSeed<'de> for ElementSeed<'_, U> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, U: FieldValue> Visitor<'de> for ElementSeed<'_, U> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_null()))
    }

    fn visit_none<E>(self) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_null()))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<Value>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(self.push(from_i64(v, true)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_u64(v, true)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_f64(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_str(v)))
    }

    fn visit_string<E>(self, v: String) -> Result<Option<Value>, E> {
        Ok(self.push(U::from_string(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        let read = U::from_seq(seq, true)?;
        Ok(self.push(read))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let index = self.items.len();
        Ok(match U::map_into_list(map, self.items, true)? {
            Read::Typed(()) => None,
            Read::Lossy((), json) => {
                self.kept.push((index, json));
                None
            }
            Read::Other(json) => Some(json),
        })
    }
}

/// `serde_json` gives non-negative integers as `u64`; other deserializers
/// may not.
fn from_i64<T: FieldValue>(v: i64, keep: bool) -> Read<T> {
    match u64::try_from(v) {
        Ok(u) => T::from_u64(u, keep),
        Err(_) => T::from_i64(v, keep),
    }
}

/// Reads one field's value into its slot (JSON `null` is `Field::Null`),
/// recording its key in `keys`.
#[doc(hidden)]
pub struct FieldSeed<'a, T> {
    slot: &'a mut Field<T>,
    keys: &'a mut KeyRecorder,
    index: u16,
}

impl<'a, T> FieldSeed<'a, T> {
    /// Reads into `slot`, field `index` of the struct `keys` records.
    pub fn new(slot: &'a mut Field<T>, keys: &'a mut KeyRecorder, index: u16) -> Self {
        FieldSeed { slot, keys, index }
    }

    fn store(self, read: Read<T>) {
        self.keys.key(self.index, self.slot);
        if let Some(json) = store(self.slot, read) {
            self.keys.lossy(self.index, json);
        }
    }
}

impl<'de, T: FieldValue> DeserializeSeed<'de> for FieldSeed<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: FieldValue> Visitor<'de> for FieldSeed<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.keys.key(self.index, self.slot);
        *self.slot = Field::Null;
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.keys.key(self.index, self.slot);
        *self.slot = Field::Null;
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.store(T::from_bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        let keep = self.keys.keeps();
        self.store(from_i64(v, keep));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        let keep = self.keys.keeps();
        self.store(T::from_u64(v, keep));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.store(T::from_f64(v));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.store(T::from_str(v));
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.store(T::from_string(v));
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let read = T::from_seq(seq, self.keys.keeps())?;
        self.store(read);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.keys.key(self.index, self.slot);
        if let Some(json) = T::map_into_field(map, self.slot, self.keys.keeps())? {
            self.keys.lossy(self.index, json);
        }
        Ok(())
    }
}

/// Where a struct read with `keep` had its keys, so that its JSON can be
/// given back exactly: each key's first position (a repeated key keeps its
/// first position and its last value, as Python's `dict` and
/// `serde_json::Map` do), and the JSON of fields that cannot give it back
/// themselves (a float read from an integer). Empty when the keys were in
/// declaration order, then unknown keys, and no field needs its JSON kept.
///
/// Hidden bookkeeping of the `object!` structs: it never changes what the
/// struct means, so all `KeyOrder`s compare equal.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct KeyOrder(Option<Box<Layout>>);

#[derive(Clone, Default)]
struct Layout {
    /// Field indices, and [`EXTRA`] for the next key of `extra`.
    keys: Vec<u16>,
    /// Exact JSON of fields by index.
    kept: Vec<(u16, Value)>,
}

/// In [`Layout::keys`]: the next key of the struct's `extra`.
const EXTRA: u16 = u16::MAX;

impl PartialEq for KeyOrder {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for KeyOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyOrder")
    }
}

/// A JSON value read and dropped, for the fields a partial read skips.
///
/// Unlike `serde::de::IgnoredAny` (which serde_json skips without looking
/// at its depth), every array and object goes through `deserialize_any`,
/// so serde_json's recursion limit applies as when the value is read: a
/// record is invalid exactly when a full read finds it invalid.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct SkipValue;

impl<'de> Deserialize<'de> for SkipValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = SkipValue;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_i64<E>(self, _: i64) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_u64<E>(self, _: u64) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_f64<E>(self, _: f64) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_str<E>(self, _: &str) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_unit<E>(self) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_none<E>(self) -> Result<SkipValue, E> {
        Ok(SkipValue)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SkipValue, A::Error> {
        while seq.next_element::<SkipValue>()?.is_some() {}
        Ok(SkipValue)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SkipValue, A::Error> {
        while map.next_entry::<SkipValue, SkipValue>()?.is_some() {}
        Ok(SkipValue)
    }
}

/// Records a struct's keys while the `object!` visitor reads it.
///
/// Keys in declaration order, then unknown keys (most list elements) need
/// no record: `struct_json` writes that order without one. The keys are
/// collected on the stack, so only the other orders allocate.
#[doc(hidden)]
pub struct KeyRecorder(Option<Keys>);

/// What a recording [`KeyRecorder`] holds.
struct Keys {
    inline: [u16; INLINE_KEYS],
    len: usize,
    spill: Vec<u16>,
    kept: Vec<(u16, Value)>,
}

/// Keys a [`KeyRecorder`] holds before it allocates.
const INLINE_KEYS: usize = 32;

impl KeyRecorder {
    /// Records when `keep`, else does nothing.
    #[inline]
    pub fn new(keep: bool) -> Self {
        KeyRecorder(keep.then(|| Keys { inline: [0; INLINE_KEYS], len: 0, spill: Vec::new(), kept: Vec::new() }))
    }

    /// Whether it records (the struct was read with `keep`; so are its
    /// fields).
    #[inline]
    pub fn keeps(&self) -> bool {
        self.0.is_some()
    }

    /// Field `index` is about to be read into `slot`: its key's first
    /// position (a repeated key keeps it; its last value wins).
    #[inline]
    fn key<T>(&mut self, index: u16, slot: &Field<T>) {
        if let Some(keys) = &mut self.0 {
            if slot.is_absent() {
                keys.push(index);
            }
            if !keys.kept.is_empty() {
                keys.kept.retain(|(i, _)| *i != index);
            }
        }
    }

    /// Field `index` holds a `Lossy` value: its JSON.
    fn lossy(&mut self, index: u16, json: Value) {
        if let Some(keys) = &mut self.0 {
            keys.kept.push((index, json));
        }
    }

    /// Stores an unknown key into `extra` (the last value of a repeated key
    /// wins, at the key's first position).
    #[inline]
    pub fn extra(&mut self, extra: &mut Map<String, Value>, key: String, value: Value) {
        if extra.insert(key, value).is_none() {
            if let Some(keys) = &mut self.0 {
                keys.push(EXTRA);
            }
        }
    }

    /// The finished record.
    #[inline]
    pub fn finish(self) -> KeyOrder {
        match self.0 {
            None => KeyOrder(None),
            Some(keys) => keys.finish(),
        }
    }
}

impl Keys {
    fn push(&mut self, key: u16) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = key;
                self.len += 1;
            }
            None => self.spill.push(key),
        }
    }

    fn finish(self) -> KeyOrder {
        let keys = self.inline.get(..self.len).unwrap_or_default().iter().chain(&self.spill).copied();
        if self.kept.is_empty() && in_declaration_order(keys.clone()) {
            return KeyOrder(None);
        }
        KeyOrder(Some(Box::new(Layout { keys: keys.collect(), kept: self.kept })))
    }
}

/// Whether `keys` are fields in declaration order, then unknown keys.
fn in_declaration_order(keys: impl Iterator<Item = u16>) -> bool {
    let mut last: Option<u16> = None;
    let mut extra = false;
    for key in keys {
        if key == EXTRA {
            extra = true;
        } else if extra || last.is_some_and(|l| l >= key) {
            return false;
        } else {
            last = Some(key);
        }
    }
    true
}

/// A struct's fields, for [`struct_json`].
#[doc(hidden)]
pub trait StructFields: Default {
    /// Number of declared fields.
    const COUNT: u16;
    /// Field `index`'s JSON key and, unless absent, its JSON.
    fn field_json(&self, index: u16) -> Option<(&'static str, Value)>;
    /// Keys the schema does not name.
    fn extra(&self) -> &Map<String, Value>;
    /// The key record.
    fn key_order(&self) -> &KeyOrder;
    /// Reads a JSON object into `place`, which holds `Self::default()`
    /// (`Deserialize::deserialize_in_place` without resetting `place`).
    fn read_into_default<'de, D: Deserializer<'de>>(d: D, place: &mut Self) -> Result<(), D::Error>;
    /// As [`StructFields::read_into_default`], reading only the declared
    /// fields whose index is `true` in `only`: the others, and every key
    /// the schema does not name, are skipped (still validated as JSON) and
    /// stay absent. For readers that know which keys their policies can
    /// look at ([`crate::registry::TypedPolicy::reads`]).
    fn read_only_into_default<'de, D: Deserializer<'de>>(d: D, place: &mut Self, only: &[bool]) -> Result<(), D::Error>;
}

/// The JSON of an `object!` struct: keys where the record puts them (see
/// [`KeyOrder`]), else fields in declaration order, then `extra`.
#[doc(hidden)]
pub fn struct_json<S: StructFields>(s: &S) -> Value {
    let mut out = Map::new();
    let mut done = vec![false; usize::from(S::COUNT)];
    let mut extra = s.extra().iter();
    let kept = |index: u16| -> Option<&Value> {
        let layout = s.key_order().0.as_deref()?;
        layout.kept.iter().find(|(i, _)| *i == index).map(|(_, v)| v)
    };
    let mut put = |out: &mut Map<String, Value>, index: u16| {
        if let Some(seen) = done.get_mut(usize::from(index)) {
            if *seen {
                return;
            }
            *seen = true;
        }
        if let Some((key, json)) = s.field_json(index) {
            out.insert(key.to_owned(), kept(index).cloned().unwrap_or(json));
        }
    };
    if let Some(layout) = s.key_order().0.as_deref() {
        for &key in &layout.keys {
            if key == EXTRA {
                if let Some((k, v)) = extra.next() {
                    out.insert(k.clone(), v.clone());
                }
            } else {
                put(&mut out, key);
            }
        }
    }
    // Without a record (or for fields set after reading), declaration order.
    for index in 0..S::COUNT {
        put(&mut out, index);
    }
    for (k, v) in extra {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

/// A `Field`'s JSON, `None` when absent.
#[doc(hidden)]
pub fn field_json<T: FieldValue>(field: &Field<T>) -> Option<Value> {
    match field {
        Field::Absent => None,
        Field::Null => Some(Value::Null),
        Field::Present(t) => Some(t.to_json()),
        Field::Other(v) => Some(v.clone()),
    }
}

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
