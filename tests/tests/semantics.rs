//! Python semantics of compiled policies on resources that make CPython
//! raise, with the exception CPython gives (`fixtures/semantics/*.py`; the
//! outcomes in the tables below were read off CPython 3.11). Each case is a
//! regression test for a divergence `cargo xtask difftest` once found.

include!(concat!(env!("OUT_DIR"), "/semantics_policies.rs"));

use pounce_runtime::{DefaultContext, EvalError};

/// `(policy ID, resource, CPython's outcome)`: `Ok(bool)` or
/// `Err("Exception: message")`.
const CASES: &[(&str, &str, Result<bool, &str>)] = &[
    // An unhashable key raises at the first element, before the second
    // element's `.get` fails (it did not: all pairs were collected first).
    ("Semantics.Comprehensions", r#"{"Name": "dict", "Tags": [{"Key": []}, "Value"]}"#, Err("TypeError: unhashable type: 'list'")),
    ("Semantics.Comprehensions", r#"{"Name": "set", "Tags": [{"Key": []}, "Value"]}"#, Err("TypeError: unhashable type: 'list'")),
    // The value is computed before the key is hashed.
    ("Semantics.Comprehensions", r#"{"Name": "dict", "Tags": [{"Key": "a", "Value": []}, {"Key": {}}]}"#, Err("TypeError: unhashable type: 'dict'")),
    ("Semantics.Comprehensions", r#"{"Name": "dict", "Tags": [{"Key": "a"}, {"Key": "a", "Value": "2"}]}"#, Ok(true)),
];

#[test]
fn outcomes_equal_cpython() {
    for (id, resource, expected) in CASES {
        let policy = REGISTRY.get(id).unwrap_or_else(|| unreachable!("no policy {id}"));
        let value: pounce_runtime::serde_json::Value =
            pounce_runtime::serde_json::from_str(resource).unwrap_or_else(|e| unreachable!("{resource}: {e}"));
        let got = (policy.eval_json)(&value, &DefaultContext).map_err(|e| match e {
            EvalError::Exception(e) => format!("{}: {}", e.kind.name(), e.message),
            other => format!("{other:?}"),
        });
        let want = expected.map_err(str::to_owned);
        assert_eq!(got, want, "{id} on {resource}");
    }
}
