#![expect(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, reason = "tests")]

//! The direct reader against the previous one (`reference.rs`): the same
//! `Field` variants on pinned cases, on random JSON shaped by schemas (with
//! wrong types, `null`s, repeated and escaped keys, integers beyond `i64`,
//! lists that go wrong mid-way), on every resource struct, and on the test
//! resources of policy specs.

use std::fmt::Debug;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::reference::{expected_debug, expected_field_debug, OldField};
use super::{FieldValue, StructFields};
use crate::resources::*;
use crate::{Describe, Field, Resource, StructSchema, Ty};

/// The test structs, declared by `$declare` (the new or the old macro).
macro_rules! test_structs {
    ($declare:ident) => {
        $declare! {
            pub struct Leaf {
                "S" => s: String,
                "I" => i: i64,
                "F" => f: f64,
            }
        }
        $declare! {
            pub struct Inner {
                "S" => s: String,
                "B" => b: bool,
                "I" => i: i64,
                "F" => f: f64,
                "J" => j: Value,
                "LS" => ls: Vec<String>,
                "LI" => li: Vec<i64>,
                "LF" => lf: Vec<f64>,
                "LJ" => lj: Vec<Value>,
                "LLF" => llf: Vec<Vec<f64>>,
                "Leaf" => leaf: Leaf,
                "Leaves" => leaves: Vec<Leaf>,
            }
        }
        $declare! {
            pub struct Empty {}
        }
        $declare! {
            pub struct Outer {
                "S" => s: String,
                "I" => i: i64,
                "F" => f: f64,
                "J" => j: Value,
                "Inner" => inner: Inner,
                "Inners" => inners: Vec<Inner>,
                "Nested" => nested: Vec<Vec<Inner>>,
                "Empty" => empty: Empty,
                "Empties" => empties: Vec<Empty>,
            }
        }
    };
}

mod new {
    use crate::object as declare;
    use serde_json::Value;
    test_structs!(declare);
}

mod old {
    use super::super::reference::old_object as declare;
    use serde_json::Value;
    test_structs!(declare);
}

fn debug(x: &impl Debug) -> String {
    format!("{x:?}")
}

fn schema_of<R: Describe>() -> &'static StructSchema {
    match R::TY {
        Ty::Struct(schema) => schema,
        _ => panic!("not a struct"),
    }
}

/// JSON text in key order.
fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

// ---------------------------------------------------------------------------
// Pinned cases.

fn field<T: FieldValue>(json: &str) -> Field<T> {
    serde_json::from_str(json).unwrap()
}

fn old_field<T: DeserializeOwned>(json: &str) -> OldField<T> {
    serde_json::from_str(json).unwrap()
}

/// `Field<T>` from `json` is `expected`, and prints as the old reader's.
fn pin<T: FieldValue + DeserializeOwned + Debug + PartialEq>(json: &str, expected: Field<T>) {
    let got = field::<T>(json);
    assert_eq!(got, expected, "{json}");
    assert_eq!(debug(&got), debug(&old_field::<T>(json)), "{json}");
    // Key order and number kinds of `Other` values, too.
    if let (Field::Other(a), Field::Other(b)) = (&got, &expected) {
        assert_eq!(text(a), text(b), "{json}");
    }
}

#[test]
fn scalars_are_present_only_with_their_json_type() {
    pin::<String>(r#""x""#, Field::Present("x".into()));
    pin::<String>("1", Field::Other(json!(1)));
    pin::<String>("null", Field::Null);
    pin::<bool>("true", Field::Present(true));
    pin::<bool>("1", Field::Other(json!(1)));
    pin::<bool>(r#""true""#, Field::Other(json!("true")));
    pin::<Value>("null", Field::Null);
    pin::<Value>(r#"{"b":1,"a":[null]}"#, Field::Present(json!({"b": 1, "a": [null]})));
}

#[test]
fn integers_are_present_only_in_i64_range() {
    pin::<i64>("42", Field::Present(42));
    pin::<i64>("-42", Field::Present(-42));
    pin::<i64>("9223372036854775807", Field::Present(i64::MAX));
    pin::<i64>("-9223372036854775808", Field::Present(i64::MIN));
    // Beyond `i64` but within `u64`: kept as the integer it is.
    pin::<i64>("9223372036854775808", Field::Other(json!(9_223_372_036_854_775_808_u64)));
    // Beyond `u64` (or below `i64::MIN`): serde_json reads a float.
    pin::<i64>("18446744073709551616", Field::Other(json!(18_446_744_073_709_551_616.0)));
    pin::<i64>("-9223372036854775809", Field::Other(json!(-9_223_372_036_854_775_809.0)));
    // A float is not an int, even an integral one; `-0` is read as `-0.0`.
    pin::<i64>("1.5", Field::Other(json!(1.5)));
    pin::<i64>("1.0", Field::Other(json!(1.0)));
    pin::<i64>("1e2", Field::Other(json!(100.0)));
    pin::<i64>("-0", Field::Other(json!(-0.0)));
    pin::<i64>(r#""1""#, Field::Other(json!("1")));
}

#[test]
fn an_integer_where_a_float_is_expected_becomes_a_float() {
    pin::<f64>("1.5", Field::Present(1.5));
    pin::<f64>("3", Field::Present(3.0));
    pin::<f64>("-3", Field::Present(-3.0));
    pin::<f64>("18446744073709551615", Field::Present(18_446_744_073_709_551_615_u64 as f64));
    pin::<f64>("123456789012345678901234567890", Field::Present(1.2345678901234568e29));
    pin::<f64>(r#""1.5""#, Field::Other(json!("1.5")));
    pin::<f64>("true", Field::Other(json!(true)));
}

#[test]
fn a_list_with_one_element_of_another_type_is_other_as_it_came() {
    pin::<Vec<String>>(r#"["a","b"]"#, Field::Present(vec!["a".into(), "b".into()]));
    pin::<Vec<String>>("[]", Field::Present(vec![]));
    pin::<Vec<String>>(r#"["a","b",3,"d"]"#, Field::Other(json!(["a", "b", 3, "d"])));
    pin::<Vec<String>>(r#"["a",null]"#, Field::Other(json!(["a", null])));
    pin::<Vec<String>>(r#""a""#, Field::Other(json!("a")));
    pin::<Vec<String>>(r#"{"a":1}"#, Field::Other(json!({"a": 1})));
    // `null` is a `Value`.
    pin::<Vec<Value>>(r#"[null,1,"x"]"#, Field::Present(vec![Value::Null, json!(1), json!("x")]));
    pin::<Vec<i64>>("[1,2,1.5]", Field::Other(json!([1, 2, 1.5])));
    pin::<Vec<i64>>("[1,2,9223372036854775808]", Field::Other(json!([1, 2, 9_223_372_036_854_775_808_u64])));
    // Integers in a float list are floats; if the list fails, they are
    // given back as the integers they were.
    pin::<Vec<f64>>("[1,2.5,-3]", Field::Present(vec![1.0, 2.5, -3.0]));
    pin::<Vec<f64>>(r#"[1,2.5,-3,"x"]"#, Field::Other(json!([1, 2.5, -3, "x"])));
    pin::<Vec<Vec<f64>>>(r#"[[1,2.5],[3],[4,"x"],[5]]"#, Field::Other(json!([[1, 2.5], [3], [4, "x"], [5]])));
    pin::<Vec<Vec<f64>>>("[[1,2.5],[3],null]", Field::Other(json!([[1, 2.5], [3], null])));
}

#[test]
fn a_list_of_structs_that_fails_gives_back_each_element_in_its_key_order() {
    // The third element is not an object: the list is `Other`, and the
    // objects already read into structs come back exactly (key order,
    // extra keys between known ones, integers in float fields, nested
    // structs and lists, repeated keys: first position, last value).
    let json = r#"[
        {"Z":1,"F":2,"S":"a","Leaf":{"F":3,"y":null,"I":1},"Leaves":[{"F":4},{"I":-1,"F":4.5}],"LF":[1,2.5]},
        {"LLF":[[1],[2.0]],"S":"b","S":"c","x":1,"x":2,"J":{"q":1,"p":2},"LJ":[null,{"b":1,"a":2}]},
        7,
        {"S":"d"}
    ]"#;
    let expected: Value = serde_json::from_str(json).unwrap();
    let got = field::<Vec<new::Inner>>(json);
    let Field::Other(got) = &got else { panic!("{got:?}") };
    assert_eq!(text(got), text(&expected));
    let first = r#"{"Z":1,"F":2,"S":"a","Leaf":{"F":3,"y":null,"I":1},"Leaves":[{"F":4},{"I":-1,"F":4.5}],"LF":[1,2.5]}"#;
    let second = r#"{"LLF":[[1],[2.0]],"S":"c","x":2,"J":{"q":1,"p":2},"LJ":[null,{"b":1,"a":2}]}"#;
    assert_eq!(text(got), format!(r#"[{first},{second},7,{{"S":"d"}}]"#));
    assert_eq!(debug(&field::<Vec<new::Inner>>(json)), debug(&old_field::<Vec<old::Inner>>(json)));
    // `null` as an element fails a list of structs too.
    let json = r#"[{"S":"a"},null]"#;
    assert_eq!(field::<Vec<new::Leaf>>(json), Field::Other(json!([{"S": "a"}, null])));
}

#[test]
fn structs_read_fields_extra_keys_and_repeated_keys() {
    let json = r#"{"x":1,"S":"a","I":1.5,"\u0046":2,"y":{"b":1,"a":2},"x":3,"S":"b"}"#;
    let leaf: new::Leaf = serde_json::from_str(json).unwrap();
    assert_eq!(leaf.s, Field::Present("b".into()), "the last value of a repeated key wins");
    assert_eq!(leaf.i, Field::Other(json!(1.5)));
    assert_eq!(leaf.f, Field::Present(2.0), "an escaped key is still the known key");
    assert_eq!(text(&Value::Object(leaf.extra.clone())), r#"{"x":3,"y":{"b":1,"a":2}}"#);
    // The previous reader refused a repeated known key in text; through a
    // `Value` (what `resource_from_json` reads) it took the last value.
    assert!(serde_json::from_str::<old::Leaf>(json).is_err());
    let value: Value = serde_json::from_str(json).unwrap();
    let old: old::Leaf = serde::Deserialize::deserialize(&value).unwrap();
    assert_eq!(debug(&leaf), debug(&old));
}

#[test]
fn a_struct_field_holding_another_json_type_is_other() {
    pin::<new::Leaf>("[1]", Field::Other(json!([1])));
    pin::<new::Leaf>(r#""x""#, Field::Other(json!("x")));
    pin::<new::Leaf>("{}", Field::Present(new::Leaf::default()));
    let Field::Present(empties) = field::<Vec<new::Empty>>(r#"[{},{"a":1}]"#) else { panic!() };
    assert_eq!(empties[1].extra["a"], 1);
}

#[test]
fn a_resource_that_is_not_an_object_is_an_error_as_before() {
    // The struct's own `Deserialize`: serde_json's error, as the derived one.
    for json in ["[1]", "1", r#""x""#, "null", "true", "{", r#"{"S":1"#, r#"{"S":"a"} x"#] {
        let new = serde_json::from_str::<new::Leaf>(json).map_err(|e| e.to_string());
        let old = serde_json::from_str::<old::Leaf>(json).map_err(|e| e.to_string());
        assert_eq!(new.map(|l| debug(&l)), old.map(|l| debug(&l)), "{json}");
    }
    // The resource entry points.
    for (json, kind) in [("[1]", "an array"), ("1", "a number"), ("null", "null"), (r#""x""#, "a string")] {
        let value: Value = serde_json::from_str(json).unwrap();
        let err = crate::resource_from_json::<Ami>(&value).unwrap_err();
        assert_eq!(err, crate::EvalError::Resource(format!("expected a JSON object for AWS.EC2.AMI, got {kind}")));
        let err = crate::registry::parse_str::<Ami>(json).err().unwrap();
        assert_eq!(err.message, "expected a JSON object for AWS.EC2.AMI");
        assert_eq!(err.kind, crate::registry::InvalidKind::NotObject);
    }
    let err = crate::registry::parse_str::<Ami>("{\"Public\": tru}").err().unwrap();
    assert_eq!(err.message, serde_json::from_str::<Value>("{\"Public\": tru}").unwrap_err().to_string());
    assert_eq!(err.kind, crate::registry::InvalidKind::NotJson);
    // Nesting beyond serde_json's limit (128) has its own code.
    let deep = format!("{{\"Tags\": {}{}}}", "[".repeat(200), "]".repeat(200));
    let err = crate::registry::parse_str::<Ami>(&deep).err().unwrap();
    assert_eq!((err.kind, err.kind.code()), (crate::registry::InvalidKind::TooDeep, "R0102"), "{}", err.message);
}

// ---------------------------------------------------------------------------
// Random JSON shaped by a schema.

/// SplitMix64: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "7",
    "-3",
    "-0",
    "1.0",
    "1e2",
    "1.5",
    "-2.5e-3",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "9007199254740993",
    "123456789012345678901234567890",
];

const STRINGS: &[&str] =
    &[r#""""#, r#""abc""#, r#""a\"b""#, r#""\u00e9t\u00e9""#, r#""x\ny""#, r#""\ud83d\ude00""#, r#""AWS.EC2.AMI""#];

const EXTRA_KEYS: &[&str] = &[r#""X""#, r#""Extra""#, r#""\u0058y""#, r#""""#, r#""s""#, r#""é""#];

const SPACES: &[&str] = &["", " ", "\n  ", "\t"];

/// Any JSON value.
fn any_json(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => "null".into(),
        1 => rng.pick(&["true", "false"]).into(),
        2 | 3 => rng.pick(NUMBERS).into(),
        4 => rng.pick(STRINGS).into(),
        5 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| any_json(rng, depth - 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let entries: Vec<String> = (0..rng.below(4))
                .map(|_| format!("{}:{}", rng.pick(EXTRA_KEYS), any_json(rng, depth - 1)))
                .collect();
            format!("{{{}}}", entries.join(","))
        }
    }
}

/// A value for a field of type `ty`: mostly of the type, sometimes `null`
/// or anything else.
fn value_for(rng: &mut Rng, ty: &Ty, depth: usize) -> String {
    let roll = rng.below(100);
    if roll < 5 {
        return "null".into();
    }
    if roll < 14 {
        return any_json(rng, 2);
    }
    typed_for(rng, ty, depth)
}

/// A value of type `ty` (its parts may still be of other types).
fn typed_for(rng: &mut Rng, ty: &Ty, depth: usize) -> String {
    match ty {
        Ty::Str => rng.pick(STRINGS).into(),
        Ty::Bool => rng.pick(&["true", "false"]).into(),
        Ty::Int | Ty::Float => rng.pick(NUMBERS).into(),
        Ty::Json => any_json(rng, 2),
        Ty::List(el) => {
            let n = rng.below(if depth > 3 { 2 } else { 4 });
            let items: Vec<String> = (0..n)
                .map(|_| if rng.chance(90) { typed_for(rng, el, depth + 1) } else { value_for(rng, el, depth + 1) })
                .collect();
            format!("[{}]", items.join(&format!(",{}", rng.pick(SPACES))))
        }
        Ty::Struct(schema) => object_for(rng, schema, depth + 1),
    }
}

/// A JSON key, sometimes with its first character escaped.
fn key_text(rng: &mut Rng, name: &str) -> String {
    match name.chars().next() {
        Some(c) if c.is_ascii() && rng.chance(10) => format!("\"\\u{:04X}{}\"", u32::from(c), &name[1..]),
        _ => format!("\"{name}\""),
    }
}

/// An object for `schema`: some of its fields, some unknown keys, in
/// declaration order or any other, sometimes a key twice.
fn object_for(rng: &mut Rng, schema: &'static StructSchema, depth: usize) -> String {
    let share = if depth > 2 { 30 } else { 60 };
    let mut entries: Vec<(String, Option<&'static Ty>)> = Vec::new();
    for f in schema.fields {
        if rng.chance(share) {
            entries.push((key_text(rng, f.name), Some(f.ty)));
        }
    }
    for _ in 0..rng.below(3) {
        entries.push((rng.pick(EXTRA_KEYS).to_owned(), None));
    }
    // Shuffle (Fisher-Yates), or keep declaration order (most real list
    // elements come so, and then the struct keeps no key record).
    if rng.chance(60) {
        for i in (1..entries.len()).rev() {
            let j = rng.below(i + 1);
            entries.swap(i, j);
        }
    }
    if !entries.is_empty() && rng.chance(20) {
        let again = entries[rng.below(entries.len())].clone();
        let at = rng.below(entries.len() + 1);
        entries.insert(at, again);
    }
    let parts: Vec<String> = entries
        .into_iter()
        .map(|(key, ty)| {
            let value = match ty {
                Some(ty) => value_for(rng, ty, depth),
                None => any_json(rng, 2),
            };
            format!("{key}{}:{}{value}", rng.pick(SPACES), rng.pick(SPACES))
        })
        .collect();
    format!("{{{}}}", parts.join(&format!(",{}", rng.pick(SPACES))))
}

// ---------------------------------------------------------------------------
// Checks.

/// Reads `text` (a JSON object) as `R` every way there is, and checks each
/// against the previous reader's rules; `Err` when the text is not an
/// object.
fn check_struct<R>(text: &str)
where
    R: Describe + Debug + DeserializeOwned + FieldValue + StructFields,
{
    let value: Value = serde_json::from_str(text).unwrap();
    let expected = expected_debug(schema_of::<R>(), value.as_object().unwrap());
    let from_text: R = serde_json::from_str(text).unwrap();
    assert_eq!(debug(&from_text), expected, "from text: {text}");
    let from_value = <R as serde::Deserialize>::deserialize(&value).unwrap();
    assert_eq!(debug(&from_value), expected, "from a value: {text}");
    // In place, into a default struct and into a used one.
    let mut place = R::default();
    let mut de = serde_json::Deserializer::from_str(text);
    R::read_into_default(&mut de, &mut place).unwrap();
    de.end().unwrap();
    assert_eq!(debug(&place), expected, "in place: {text}");
    let mut used: R = serde_json::from_str(r#"{"Extra": 1, "S": "x"}"#).unwrap();
    serde::Deserialize::deserialize_in_place(&value, &mut used).unwrap();
    assert_eq!(debug(&used), expected, "in place, over another: {text}");
    // As a field.
    let field: Field<R> = serde_json::from_str(text).unwrap();
    assert_eq!(debug(&field), expected_field_debug(&R::TY, Some(&value)), "as a field: {text}");
    // As a list element: its JSON comes back exactly.
    let Field::Present(list) = serde_json::from_str::<Field<Vec<R>>>(&format!("[{text}]")).unwrap() else {
        panic!("not a list of {}: {text}", schema_of::<R>().name)
    };
    assert_eq!(self::text(&list[0].to_json()), self::text(&value), "to_json: {text}");
    // And when a later element fails, the whole list comes back exactly.
    let failing = format!("[{text},{text},7,{text}]");
    let Field::Other(json) = serde_json::from_str::<Field<Vec<R>>>(&failing).unwrap() else { panic!("{failing}") };
    let expected: Value = serde_json::from_str(&failing).unwrap();
    assert_eq!(self::text(&json), self::text(&expected), "a failing list: {text}");
}

/// `check_struct` for the test structs, and the old mirror structs agree.
fn check_outer(text: &str) {
    check_struct::<new::Outer>(text);
    let value: Value = serde_json::from_str(text).unwrap();
    let read: new::Outer = serde_json::from_str(text).unwrap();
    let before: old::Outer = serde::Deserialize::deserialize(&value).unwrap();
    assert_eq!(debug(&read), debug(&before), "{text}");
    // The old reader refused repeated known keys in text; otherwise it
    // agrees on text too.
    if let Ok(before) = serde_json::from_str::<old::Outer>(text) {
        assert_eq!(debug(&read), debug(&before), "{text}");
    }
}

/// `Field<T>` and the old `Field<T>` agree on `text`.
fn check_field<T, O>(text: &str)
where
    T: FieldValue + Describe + Debug,
    O: DeserializeOwned + Debug,
{
    let read: Field<T> = serde_json::from_str(text).unwrap();
    let before: OldField<O> = serde_json::from_str(text).unwrap();
    assert_eq!(debug(&read), debug(&before), "{text}");
    let value: Value = serde_json::from_str(text).unwrap();
    assert_eq!(debug(&read), expected_field_debug(&T::TY, Some(&value)), "{text}");
}

#[test]
fn random_objects_read_as_the_previous_reader_read_them() {
    let mut rng = Rng(0x5eed);
    for _ in 0..3000 {
        let text = object_for(&mut rng, schema_of::<new::Outer>(), 0);
        check_outer(&text);
    }
}

#[test]
fn random_values_read_as_the_previous_reader_read_them() {
    let mut rng = Rng(7);
    static LEAVES: Ty = Ty::List(&Ty::Struct(&new::Leaf::SCHEMA));
    static FLOATS: Ty = Ty::List(&Ty::Float);
    for _ in 0..3000 {
        let text = match rng.below(3) {
            0 => any_json(&mut rng, 3),
            1 => typed_for(&mut rng, &FLOATS, 0),
            _ => value_for(&mut rng, &LEAVES, 0),
        };
        check_field::<String, String>(&text);
        check_field::<bool, bool>(&text);
        check_field::<i64, i64>(&text);
        check_field::<f64, f64>(&text);
        check_field::<Value, Value>(&text);
        check_field::<Vec<String>, Vec<String>>(&text);
        check_field::<Vec<i64>, Vec<i64>>(&text);
        check_field::<Vec<f64>, Vec<f64>>(&text);
        check_field::<Vec<Value>, Vec<Value>>(&text);
        check_field::<Vec<Vec<f64>>, Vec<Vec<f64>>>(&text);
        check_field::<new::Leaf, old::Leaf>(&text);
        check_field::<Vec<new::Leaf>, Vec<old::Leaf>>(&text);
        check_field::<Vec<new::Empty>, Vec<old::Empty>>(&text);
    }
}

/// Runs `$check::<R>(text)` for the resource struct of `$rtype`; every
/// resource type is listed (a test checks it).
macro_rules! for_resource_type {
    ($rtype:expr, $check:ident, $text:expr) => {
        match $rtype {
            "AWS.ACM.Certificate" => $check::<AcmCertificate>($text),
            "AWS.CloudFormation.Stack" => $check::<CloudFormationStack>($text),
            "AWS.CloudTrail" => $check::<CloudTrail>($text),
            "AWS.CloudTrail.Meta" => $check::<CloudTrailMeta>($text),
            "AWS.CloudWatch.LogGroup" => $check::<CloudWatchLogGroup>($text),
            "AWS.Config.Recorder" => $check::<ConfigRecorder>($text),
            "AWS.Config.Recorder.Meta" => $check::<ConfigRecorderMeta>($text),
            "AWS.DynamoDB.Table" => $check::<DynamoDbTable>($text),
            "AWS.EC2.AMI" => $check::<Ami>($text),
            "AWS.EC2.Instance" => $check::<Ec2Instance>($text),
            "AWS.EC2.NetworkACL" => $check::<NetworkAcl>($text),
            "AWS.EC2.SecurityGroup" => $check::<SecurityGroup>($text),
            "AWS.EC2.VPC" => $check::<Vpc>($text),
            "AWS.EC2.Volume" => $check::<Ec2Volume>($text),
            "AWS.ECS.Cluster" => $check::<EcsCluster>($text),
            "AWS.EKS.Cluster" => $check::<EksCluster>($text),
            "AWS.ELBV2.ApplicationLoadBalancer" => $check::<ApplicationLoadBalancer>($text),
            "AWS.GuardDuty.Detector" => $check::<GuardDutyDetector>($text),
            "AWS.GuardDuty.Detector.Meta" => $check::<GuardDutyDetectorMeta>($text),
            "AWS.IAM.Group" => $check::<IamGroup>($text),
            "AWS.IAM.Policy" => $check::<IamPolicy>($text),
            "AWS.IAM.Role" => $check::<IamRole>($text),
            "AWS.IAM.RootUser" => $check::<IamRootUser>($text),
            "AWS.IAM.User" => $check::<IamUser>($text),
            "AWS.KMS.Key" => $check::<KmsKey>($text),
            "AWS.Lambda.Function" => $check::<LambdaFunction>($text),
            "AWS.PasswordPolicy" => $check::<PasswordPolicy>($text),
            "AWS.RDS.Instance" => $check::<RdsInstance>($text),
            "AWS.Redshift.Cluster" => $check::<RedshiftCluster>($text),
            "AWS.Route53.HostedZone" => $check::<Route53HostedZone>($text),
            "AWS.Route53Domains" => $check::<Route53Domain>($text),
            "AWS.S3.Bucket" => $check::<S3Bucket>($text),
            "AWS.WAF.Regional.WebACL" => $check::<WafRegionalWebAcl>($text),
            "AWS.WAF.WebACL" => $check::<WafWebAcl>($text),
            other => panic!("no struct listed for {other}"),
        }
    };
}

/// `check_struct`, and the registry's readers give the same struct.
fn check_resource<R>(text: &str)
where
    R: Resource + StructFields + FieldValue + Debug + 'static,
{
    check_struct::<R>(text);
    let expected = debug(&serde_json::from_str::<R>(text).unwrap());
    let parsed = crate::registry::parse_str::<R>(text).unwrap();
    assert_eq!(debug(crate::registry::downcast::<R>(parsed.as_ref()).unwrap()), expected, "parse_str: {text}");
    let value: Value = serde_json::from_str(text).unwrap();
    let parsed = crate::registry::parse_json::<R>(&value).unwrap();
    assert_eq!(debug(crate::registry::downcast::<R>(parsed.as_ref()).unwrap()), expected, "parse_json: {text}");
    assert_eq!(debug(&crate::resource_from_json::<R>(&value).unwrap()), expected, "resource_from_json: {text}");
}

/// The schema of the struct `for_resource_type!` picks for `rtype`.
fn listed_schema<R: Resource>(_: &str) -> (&'static str, &'static StructSchema) {
    (R::RESOURCE_TYPE, schema_of::<R>())
}

#[test]
fn every_resource_type_is_listed_with_its_struct() {
    for (rtype, schema) in crate::resources::RESOURCE_TYPES {
        let (listed, listed_schema) = for_resource_type!(*rtype, listed_schema, "");
        assert_eq!((listed, listed_schema.name), (*rtype, schema.name));
    }
}

#[test]
fn every_resource_struct_reads_random_objects_as_before() {
    let mut rng = Rng(2024);
    for (rtype, schema) in crate::resources::RESOURCE_TYPES {
        for _ in 0..60 {
            let text = object_for(&mut rng, schema, 0);
            for_resource_type!(*rtype, check_resource, &text);
        }
    }
}

/// The `Resource` JSON of every test case of the policy specs under `dir`.
fn spec_resources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                continue;
            }
            let Ok(spec) = serde_yaml::from_str::<serde_yaml::Value>(&std::fs::read_to_string(&path).unwrap()) else {
                continue;
            };
            let Some(tests) = spec.get("Tests").and_then(|t| t.as_sequence()) else { continue };
            for (i, case) in tests.iter().enumerate() {
                let Some(resource) = case.get("Resource") else { continue };
                let Ok(json) = serde_json::to_value(resource) else { continue };
                if json.is_object() {
                    out.push((format!("{}#{i}", path.display()), text(&json)));
                }
            }
        }
    }
    out
}

/// Every resource of the specs under `dir`, read as every resource struct.
fn check_spec_resources(dir: &Path) -> usize {
    let resources = spec_resources(dir);
    for (_, json) in &resources {
        for (rtype, _) in crate::resources::RESOURCE_TYPES {
            for_resource_type!(*rtype, check_resource, json);
        }
    }
    resources.len()
}

#[test]
fn the_test_resources_of_this_repositorys_rules_read_as_before() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    assert!(check_spec_resources(&rules) > 0, "no test resources under {}", rules.display());
}

/// The same over a panther-analysis checkout:
/// `POUNCE_CORPUS=/tmp/pa/policies cargo test -p pounce-runtime -- --ignored`.
#[test]
#[ignore = "needs a corpus of policy specs (POUNCE_CORPUS, default /tmp/pa/policies)"]
fn the_test_resources_of_a_corpus_read_as_before() {
    let dir = std::env::var("POUNCE_CORPUS").unwrap_or_else(|_| "/tmp/pa/policies".into());
    let n = check_spec_resources(Path::new(&dir));
    eprintln!("{n} test resources of {dir}, each read as every resource struct");
    assert!(n > 0, "no test resources under {dir}");
}
