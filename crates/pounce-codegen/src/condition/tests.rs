#![expect(clippy::unwrap_used, clippy::panic, reason = "tests")]

use pounce_runtime::{DefaultContext, EvalError};
use serde_json::json;

use super::*;

/// Parses `text`, checks it prints back to itself, and returns the program.
fn round_trip(text: &str) -> Program {
    let p = parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(p.to_text(), text);
    assert_eq!(parse(&p.to_text()).unwrap(), p);
    p
}

fn alerts(text: &str, types: &[&str], resource: serde_json::Value) -> Result<bool, String> {
    let p = round_trip(text);
    let types: Vec<String> = types.iter().map(|t| (*t).to_owned()).collect();
    evaluate(&p, "Test.Policy", &types, &resource, &DefaultContext).map_err(|e| match e {
        EvalError::Exception(e) => e.to_string(),
        EvalError::Resource(m) => format!("invalid resource: {m}"),
    })
}

#[test]
fn the_seed_condition_is_exact() {
    let text = r#"not (ImageOwnerAlias? in {"amazon", "microsoft"} or OwnerId != AccountId or not Public)"#;
    let ami = ["AWS.EC2.AMI"];
    assert_eq!(alerts(text, &ami, json!({"OwnerId": "1", "AccountId": "1", "Public": true})), Ok(true));
    assert_eq!(alerts(text, &ami, json!({"OwnerId": "1", "AccountId": "1", "Public": false})), Ok(false));
    assert_eq!(alerts(text, &ami, json!({"OwnerId": "1", "AccountId": "2", "Public": true})), Ok(false));
    assert_eq!(alerts(text, &ami, json!({"ImageOwnerAlias": "amazon"})), Ok(false));
    // `OwnerId` is `resource["OwnerId"]`: absent, it raises as Python does.
    assert_eq!(alerts(text, &ami, json!({"Public": true})), Err("KeyError: 'OwnerId'".to_owned()));
    // `Public` null is falsy: not an alert (the seed's `is_null` was a guess).
    assert_eq!(alerts(text, &ami, json!({"OwnerId": "1", "AccountId": "1", "Public": null})), Ok(false));
}

#[test]
fn exclusions_are_the_negated_disjuncts() {
    let p = round_trip(r#"not (ImageOwnerAlias? in {"amazon", "microsoft"} or OwnerId != AccountId or not Public)"#);
    let rows: Vec<(String, String, Vec<String>)> = exclusions(&p).into_iter().map(|e| (e.field, e.kind, e.values)).collect();
    assert_eq!(
        rows,
        vec![
            ("ImageOwnerAlias?".to_owned(), "in".to_owned(), vec!["amazon".to_owned(), "microsoft".to_owned()]),
            ("OwnerId".to_owned(), "!=".to_owned(), vec!["AccountId".to_owned()]),
            ("Public".to_owned(), "not".to_owned(), vec![]),
        ]
    );
}

#[test]
fn precedence_keeps_the_tree() {
    for text in [
        "a or b and not c",
        "(a or b) and c",
        "not a == b",
        "a if b else c if d else e",
        "(a if b else c) if d else e",
        "a - (b - c) + d * (e + f)",
        "-(a + b) * -3",
        "(-5)[0]",
        "a < b < c",
        "(a < b) == c",
        "x not in y and z is not None",
        "let x = A in let y, z = (B, C) in x and y or z",
        "print(let x = A in x, lambda k: k.lower())",
        "lambda k: k",
        "a or (raise ValueError(\"no\"))",
        "[x for x in A if x] + [y for y in B]",
        "{k: v for k, v in A.items()}",
        "{x for x in A}",
        "any(x > 1 for x in A)",
        "sorted(A, key=lambda k: k[0], reverse=True)",
        "f\"{A!r} and {B} {{literal}} { {1, 2}}\"",
        "(1,)",
        "()",
        "{}",
        "1e999 > -1e999",
        "A.get(\"k\") == A.get(\"k\", 3)",
        "Tags?({}) and Name? and resource[\"aws:key\"]",
        "\"caf\u{e9} \\\"q\\\" \\n \\x00\"",
    ] {
        round_trip(text);
    }
}

#[test]
fn names_resolve_like_python() {
    let p = round_trip("let len_ = 1 in len_ + len(A) and resource and Name and str");
    let Expr::Let { body, .. } = &p.condition else { panic!("{:?}", p.condition) };
    let Expr::And(items) = body.as_ref() else { panic!("{body:?}") };
    assert!(matches!(items.get(1), Some(Expr::Root)));
    assert!(matches!(items.get(2), Some(Expr::Subscript(root, _)) if **root == Expr::Root));
    assert!(matches!(items.get(3), Some(Expr::TypeRef(_))));
    assert!(parse("len").is_err(), "a builtin function is not a value");
    assert!(parse("nope(1)").is_err(), "unknown functions are errors");
    assert!(parse("a +").is_err());
}

#[test]
fn where_sections_round_trip() {
    let text = "not f(A) or MAX > LIMIT or g()
where
    import datetime
    from ipaddress import ip_network
    mockable LIMIT
    LIMIT = 3
    MAX = datetime.timedelta(days=1).days
    f(x) = ip_network(x, strict=False).is_private
    def g():
        global LIMIT
        total = 0
        for i, j in [(1, 2), (3, 4)]:
            if i > 2:
                break
            elif j:
                total += i
            else:
                continue
        else:
            total -= 1
        try:
            LIMIT = total // 0
        except (ZeroDivisionError, KeyError):
            pass
        except:
            raise ValueError(\"never\")
        else:
            return False
        while total < 10:
            total += 1
        x = y = [total]
        x[0] = 2
        return y[0] == 2";
    let p = round_trip(text);
    assert_eq!(alerts(text, &[], json!({"A": "10.0.0.0/8"})), Ok(true));
    let Some(ast::Def::Function(g)) = p.defs.last() else { panic!() };
    let ast::Body::Block(b) = &g.body else { panic!() };
    assert_eq!(b.globals, vec!["LIMIT".to_owned()]);
}

#[test]
fn evaluation_follows_the_runtime() {
    assert_eq!(alerts("A + 1", &[], json!({"A": "x"})), Err("TypeError: unsupported operand type(s) for +: 'str' and 'int'".to_owned()));
    assert_eq!(
        alerts("expect_bool(A)", &[], json!({"A": 1})),
        Err("FunctionReturnTypeError: detection [Test.Policy] function [policy] returned [int], expected [bool]".to_owned())
    );
    assert_eq!(alerts("let x = A in x or (raise KeyError(\"k\"))", &[], json!({"A": 0})), Err("KeyError: 'k'".to_owned()));
    assert_eq!(
        alerts("all(x > 0 for x in A)", &[], json!({"A": [1, "a"]})),
        Err("TypeError: '>' not supported between instances of 'str' and 'int'".to_owned())
    );
    assert_eq!(alerts("any(x > 0 for x in A)", &[], json!({"A": [1, "a"]})), Ok(true), "`any` stops at the first true element");
    assert_eq!(
        alerts("Public", &["AWS.EC2.AMI"], json!([1])),
        Err("invalid resource: expected a JSON object for AWS.EC2.AMI, got an array".to_owned())
    );
    // A module constant is read-only, as in the compiled code.
    assert_eq!(
        alerts("f()\nwhere\n    L = [1]\n    def f():\n        L.append(2)\n        return True", &[], json!({})),
        Err("NotImplementedError: the resource and module constants are read-only in compiled policies".to_owned())
    );
}

#[test]
fn every_resource_struct_can_be_read() {
    for (name, schema) in pounce_runtime::resources::RESOURCE_TYPES {
        assert!(can_read(schema), "the interpreter has no reader for {name} ({})", schema.name);
    }
}

#[test]
fn unknown_fields_are_found() {
    let p = round_trip("not (Public or Publik? or OwnerId == Tags[\"x\"])");
    assert_eq!(unknown_fields(&p, &["AWS.EC2.AMI".to_owned()]), vec!["Publik".to_owned()]);
    assert!(unknown_fields(&p, &[]).is_empty());
}
