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
    // Globals computed by pure calls on literals are computed on first
    // read; the answers are those of module setup.
    ("Semantics.Globals", r#"{"Name": "fixture"}"#, Ok(true)),
    ("Semantics.Globals", r#"{"Name": "window"}"#, Ok(true)),
    ("Semantics.Globals", r#"{"Name": "network"}"#, Ok(true)),
    ("Semantics.Globals", r#"{"Name": "alert"}"#, Ok(false)),
    // A global whose computation raises fails the import: every evaluation
    // raises, also one that never reads it.
    ("Semantics.BrokenGlobal", r#"{"Name": "other"}"#, Err("JSONDecodeError: Expecting value: line 1 column 11 (char 10)")),
    ("Semantics.BrokenGlobal", r#"{"Name": "broken"}"#, Err("JSONDecodeError: Expecting value: line 1 column 11 (char 10)")),
    // `x in d.keys()`: the dict's key test, or `.keys()` of anything else.
    ("Semantics.Shapes", r#"{"Name": "keys", "Tags": [[1]]}"#, Err("TypeError: unhashable type: 'list'")),
    ("Semantics.Shapes", r#"{"Name": "keys", "Tags": [1, "KeyOne"]}"#, Ok(true)),
    ("Semantics.Shapes", r#"{"Name": "keys", "Tags": 5}"#, Err("TypeError: 'int' object is not iterable")),
    ("Semantics.Shapes", r#"{"Name": "keys-of-tags", "Tags": {"a": 1}, "Policy": "a"}"#, Ok(true)),
    ("Semantics.Shapes", r#"{"Name": "keys-of-tags", "Tags": {"a": 1}, "Policy": ["a"]}"#, Err("TypeError: unhashable type: 'list'")),
    ("Semantics.Shapes", r#"{"Name": "keys-of-tags", "Tags": ["a"], "Policy": "a"}"#, Err("AttributeError: 'list' object has no attribute 'keys'")),
    ("Semantics.Shapes", r#"{"Name": "keys-of-tags", "Policy": "a"}"#, Ok(false)),
    // `str` in a module constant; anything else compares as before.
    ("Semantics.Shapes", r#"{"Name": "const", "Policy": "t2"}"#, Ok(false)),
    ("Semantics.Shapes", r#"{"Name": "const", "Policy": ["t2.micro"]}"#, Err("TypeError: unhashable type: 'list'")),
    ("Semantics.Shapes", r#"{"Name": "const", "Policy": null}"#, Ok(false)),
    // A literal default, built only when the key is missing.
    ("Semantics.Shapes", r#"{"Name": "default"}"#, Ok(true)),
    ("Semantics.Shapes", r#"{"Name": "default", "Tags": null}"#, Ok(false)),
    ("Semantics.Shapes", r#"{"Name": "default", "Tags": {}, "Versioning": null}"#, Ok(false)),
    // `Policy(json.loads(s))` in one pass, or the two calls.
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": "{\"Statement\": {\"Effect\": \"Allow\"}, \"Statement\": [{\"Effect\": \"Deny\"}]}"}"#, Ok(true)),
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": "{\"Statement\": [{\"Effect\": \"Deny\"}, 1]}"}"#, Err("AttributeError: 'int' object has no attribute 'get'")),
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": "[{\"Effect\": \"Deny\"}]"}"#, Err("AttributeError: 'list' object has no attribute 'get'")),
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": "{\"Statement\": [{\"Effect\": \"Deny\"}"}"#, Err("JSONDecodeError: Expecting ',' delimiter: line 1 column 34 (char 33)")),
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": null}"#, Err("TypeError: the JSON object must be str, bytes or bytearray, not NoneType")),
    ("Semantics.Shapes", r#"{"Name": "policy", "Policy": {"Statement": []}}"#, Err("TypeError: the JSON object must be str, bytes or bytearray, not dict")),
    // Unbounded recursion raises instead of overflowing the stack (it
    // aborted the process); 1,800 nested calls are beyond CPython's limit.
    ("Semantics.Recursion", r#"{"Name": "forever", "Tags": "x"}"#, Err("RecursionError: maximum recursion depth exceeded")),
    ("Semantics.Recursion", r#"{"Name": "forever", "Tags": {"a": "x"}}"#, Err("RecursionError: maximum recursion depth exceeded")),
    ("Semantics.Recursion", r#"{"Name": "countdown", "Policy": "01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"}"#, Err("RecursionError: maximum recursion depth exceeded")),
];

/// Only the functions that can call themselves run in `ops::recurse`:
/// the five recursive ones of `recursion.py`, not `policy`.
#[test]
fn recursion_guards_only_recursive_functions() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/semantics_policies.rs"));
    let module = generated.split("\"Semantics.Recursion\"").nth(1).unwrap_or_default();
    let module = module.split("#[cfg(test)]").next().unwrap_or_default();
    assert_eq!(module.matches("ops::recurse(").count(), 5, "countdown, ping, pong, depth, nesting");
    let policy = module.split("fn policy<").nth(1).unwrap_or_default();
    assert!(!policy.contains("ops::recurse("), "policy() does not recurse");
}

/// Which globals the generator made lazy: the pure calls that do not
/// raise, and not the one that does.
#[test]
fn pure_global_calls_are_computed_on_first_read() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/semantics_policies.rs"));
    for lazy in ["g_FIXTURE", "g_WINDOW", "g_NETWORK"] {
        assert!(generated.contains(&format!("{lazy}: ::core::cell::OnceCell<")), "{lazy} is not lazy");
    }
    assert!(generated.contains("g_BROKEN: ::core::cell::RefCell<"), "BROKEN must be computed at module setup");
}

/// The call shapes the generator gives a runtime call of their own.
#[test]
fn special_shapes_are_emitted() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/semantics_policies.rs"));
    // (`__found`: a `.get` whose literal default is built only when missing.)
    for call in ["natives::policyuniverse::policy_of_loads(", "ops::in_keys(", "::core::option::Option::Some(__found) => __found"] {
        assert!(generated.contains(call), "no {call}");
    }
}

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

/// A repeated key's last value wins, as in `json.loads`, whether the text
/// is read straight into the typed struct (this registry has typed groups)
/// or through a `serde_json::Value` (the policy's `eval_json`). The typed
/// reader once refused the record ("duplicate field"): a fuzzing finding,
/// `fuzz/regressions/resource_deser/`.
#[test]
fn a_repeated_key_takes_its_last_value_on_both_paths() {
    let id = "Semantics.Comprehensions";
    let policy = REGISTRY.get(id).unwrap_or_else(|| unreachable!("no policy {id}"));
    // The policy is true exactly when `Tags` is not empty.
    let cases = [
        (r#"{"ResourceType": "AWS.EC2.AMI", "Tags": [], "Name": "dict", "Tags": [{"Key": "a"}]}"#, true),
        (r#"{"ResourceType": "AWS.EC2.AMI", "Tags": [{"Key": "a"}], "Name": "dict", "Tags": []}"#, false),
        (r#"{"ResourceType": "AWS.EC2.AMI", "Tags": [{"Key": "a"}], "Tags": null, "Tags": [{}]}"#, true),
    ];
    for (text, expected) in cases {
        let mut typed = Vec::new();
        let record = REGISTRY.plan(|p| p.meta.id == id).evaluate_str(text, &DefaultContext, false, &mut typed);
        assert!(record.is_ok(), "{text}: {record:?}");
        let typed: Vec<_> = typed.iter().map(|e| e.result.clone()).collect();
        assert_eq!(typed, [Ok(expected)], "typed, {text}");
        let value: pounce_runtime::serde_json::Value =
            pounce_runtime::serde_json::from_str(text).unwrap_or_else(|e| unreachable!("{text}: {e}"));
        assert_eq!((policy.eval_json)(&value, &DefaultContext), Ok(expected), "JSON, {text}");
    }
}

/// A scan reads only the keys its policies can read (`TypedPolicy::reads`)
/// and the ones its record needs; the answers and the record are those of
/// a full read.
#[test]
fn partial_reads_answer_as_full_reads() {
    let id = "Semantics.Comprehensions";
    let policy = REGISTRY.get(id).unwrap_or_else(|| unreachable!("no policy {id}"));
    let group = REGISTRY.group("AWS.EC2.AMI").unwrap_or_else(|| unreachable!("no AMI group"));
    let typed = group.policies.iter().find(|tp| tp.policy.meta.id == id).unwrap_or_else(|| unreachable!("{id} not typed"));
    assert_eq!(typed.reads, Some(&["Name", "Tags"][..]), "what the generator proved `policy` reads");
    let cases = [
        r#"{"ResourceType": "AWS.EC2.AMI", "ResourceID": "ami-1", "Public": {"deep": [1, 2, {"x": null}]}, "Name": "set", "Tags": [{"Key": "a"}]}"#,
        r#"{"Unknown": [[]], "Tags": [{"Key": []}], "Name": "set", "ResourceType": "AWS.EC2.AMI", "ARN": "arn:aws:ec2::1:image/ami-2"}"#,
        r#"{"ResourceType": "AWS.EC2.AMI", "Tags": [{"Key": "a", "Value": []}, {"Key": {}}], "Name": "dict", "Extra": "\u00e9\\"}"#,
        r#"{"ResourceType": "AWS.EC2.AMI", "Tags": [], "OwnerId": 5, "Name": "dict", "Name": "set"}"#,
    ];
    for text in cases {
        let mut scanned = Vec::new();
        let record = REGISTRY.plan(|p| p.meta.id == id).evaluate_str(text, &DefaultContext, true, &mut scanned);
        let record = record.unwrap_or_else(|e| unreachable!("{text}: {e:?}"));
        let value: pounce_runtime::serde_json::Value =
            pounce_runtime::serde_json::from_str(text).unwrap_or_else(|e| unreachable!("{text}: {e}"));
        let full = (policy.eval_json)(&value, &DefaultContext);
        let scanned: Vec<_> = scanned.iter().map(|e| e.result.clone()).collect();
        assert_eq!(scanned, [full], "{text}");
        let full_id = pounce_runtime::registry::json_resource_id(&value);
        if record.resource_id.is_some() {
            assert_eq!(record.resource_id, full_id, "{text}");
        }
    }
    // Invalid JSON in a key nobody reads is still an invalid record, and
    // so is nesting beyond serde_json's recursion limit (128), as when
    // the key is read.
    let deep = format!(r#"{{"ResourceType": "AWS.EC2.AMI", "Public": {}1{}, "Name": "set"}}"#, "[".repeat(200), "]".repeat(200));
    let deep_read = deep.replace("\"Public\"", "\"Tags\"");
    for bad in [r#"{"ResourceType": "AWS.EC2.AMI", "Public": [1, 2,], "Name": "set"}"#, deep.as_str(), deep_read.as_str()] {
        let record = REGISTRY.plan(|p| p.meta.id == id).evaluate_str(bad, &DefaultContext, true, &mut Vec::new());
        assert!(record.is_err(), "{bad}: {record:?}");
    }
}

/// `pounce eval --policy ID` (`Registry::evaluate_policy_str`) reads a
/// record without a `ResourceType` straight into the policy's struct when
/// the policy has one type; the answers and auxiliary outputs are those of
/// the JSON path (`detect_json`) on every embedded test resource, also with
/// the type given, with another type, and with a `null` one.
#[test]
fn eval_of_one_policy_answers_as_the_json_path() {
    let mut checked = 0;
    for policy in REGISTRY.policies() {
        for test in policy.tests {
            let Ok(pounce_runtime::serde_json::Value::Object(base)) = pounce_runtime::serde_json::from_str(test.resource) else {
                continue;
            };
            for rt in [None, Some(pounce_runtime::serde_json::json!("AWS.EC2.AMI")), Some("AWS.S3.Bucket".into()), Some(pounce_runtime::serde_json::Value::Null)] {
                let mut object = base.clone();
                if let Some(rt) = rt {
                    object.insert("ResourceType".to_owned(), rt);
                }
                let value = pounce_runtime::serde_json::Value::Object(object);
                let text = value.to_string();
                let got = REGISTRY.evaluate_policy_str(policy, &text, &DefaultContext, true);
                let got = got.unwrap_or_else(|e| unreachable!("{text}: {e}"));
                let want = (policy.detect_json)(&value, &DefaultContext).map(|d| (d.result, d.aux));
                let got = match got.result {
                    Err(EvalError::Exception(e)) => Ok((Err(e), got.aux)),
                    Ok(b) => Ok((Ok(b), got.aux)),
                    Err(other) => Err(other),
                };
                assert_eq!(got, want, "{} on {text}", policy.meta.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 24, "only {checked} cases");
}
