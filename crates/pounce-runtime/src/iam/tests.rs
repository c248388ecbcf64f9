//! The model on hand-made documents. Expected values are what
//! policyuniverse 1.5.1.20231109 gives under CPython 3.11 for the same
//! input.

#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use serde_json::{json, Value};

use super::*;

fn stmt(v: Value) -> Statement {
    Statement::from_json(&v).unwrap()
}

fn expanded(action: Value) -> Vec<String> {
    let v = json!({ "Action": action });
    actions_from_statement(v.as_object().unwrap()).unwrap().iter().map(str::to_owned).collect()
}

fn expanded_len(statement: Value) -> usize {
    actions_from_statement(statement.as_object().unwrap()).unwrap().len()
}

fn err<T: std::fmt::Debug>(r: PyResult<T>) -> String {
    r.unwrap_err().to_string()
}

fn minimized(statement: Value, minchars: Option<i64>) -> Vec<String> {
    minimize_statement_actions(&statement, minchars).unwrap()
}

fn strs(values: &[Value]) -> Vec<&str> {
    values.iter().map(|v| v.as_str().unwrap()).collect()
}

#[test]
fn catalogue_is_policyuniverse_1_5_1_20231109() {
    let c = Catalog::get().unwrap();
    assert_eq!(c.len(), 15_319);
    assert_eq!(c.services().count(), 366);
    let id = c.id("s3:getobject").unwrap();
    assert_eq!((c.name(id), c.service(id), c.category(id)), ("s3:getobject", "s3", Some(Category::Read)));
    assert_eq!(c.id("iam:putrolepolicy").and_then(|i| c.category(i)), Some(Category::Permissions));
    assert_eq!(c.id("S3:GetObject"), None, "names are lower-case and lookups exact");
    assert_eq!(c.prefix_range("s3:").len(), 130);
}

#[test]
fn catalogue_parse_errors() {
    assert!(Catalog::parse("s3\tRead\tgetobject\ns3\tWrite\tgetobject\n").unwrap_err().contains("twice"));
    assert!(Catalog::parse("s3\tReadish\tgetobject\n").is_err());
    assert!(Catalog::parse("s3\tRead\tGetObject\n").is_err());
    assert!(Catalog::parse("s3 Read getobject\n").is_err());
    let c = Catalog::parse("# comment\nb\tList\tx y\na\tWrite\tz\n").unwrap();
    assert_eq!((0..3).map(|i| c.name(i)).collect::<Vec<_>>(), ["a:z", "b:x", "b:y"]);
}

#[test]
fn wildcards_expand_against_the_catalogue() {
    assert_eq!(expanded(json!("s3:*")).len(), 130);
    assert_eq!(expanded(json!("s3:Get*")).len(), 51);
    assert_eq!(expanded(json!("*")).len(), 15_319);
    assert_eq!(expanded(json!("*:get*")).len(), expanded(json!("*:GET*")).len(), "patterns are lower-cased");
    assert!(expanded(json!("s3:Get*")).iter().all(|a| a.starts_with("s3:get")));
    assert_eq!(expanded(json!("S3:GetObjectA*")), ["s3:getobjectacl", "s3:getobjectattributes"]);
    // A string without `*` is only lower-cased, even with `?`; the
    // elements of a list are strings too.
    assert_eq!(expanded(json!("s3:get?bject")), ["s3:get?bject"]);
    assert_eq!(expanded(json!(["s3:get?bject"])), ["s3:get?bject"]);
    // A nested list goes through `fnmatch` element by element.
    assert_eq!(expanded(json!([["s3:get?bject"]])), ["s3:getobject"]);
    assert_eq!(expanded(json!({"s3:GetObject": 1})), ["s3:getobject"], "a dict is iterated by key");
    // An unmatched wildcard is kept verbatim (lower-cased).
    assert_eq!(expanded(json!(["Foo:Bar*", "S3:GetObject"])), ["foo:bar*", "s3:getobject"]);
    assert_eq!(expanded(json!("s3:[gp]utobject*")), ["s3:putobject", "s3:putobjectacl", "s3:putobjectlegalhold", "s3:putobjectretention", "s3:putobjecttagging", "s3:putobjectversionacl", "s3:putobjectversiontagging"]);
    // Memoised scans give the same answer twice.
    assert_eq!(expanded(json!("*object*")), expanded(json!("*OBJECT*")));
}

#[test]
fn not_action_inverts_the_catalogue() {
    assert_eq!(expanded_len(json!({"NotAction": "s3:*"})), 15_319 - 130);
    assert_eq!(expanded_len(json!({"NotAction": "foo:bar"})), 15_319, "an unknown action removes nothing");
    assert_eq!(expanded_len(json!({"NotAction": []})), 0, "an empty NotAction grants nothing");
    assert_eq!(expanded_len(json!({"Action": "foo:bar", "NotAction": "*"})), 1);
    let s = stmt(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}));
    assert_eq!(s.actions().count(), 0, "`actions` ignores NotAction");
    let summary = s.action_summary().unwrap();
    assert_eq!(summary.len(), 365);
    assert!(!summary.contains_service("s3"));
}

#[test]
fn malformed_actions_raise_like_policyuniverse() {
    let get = |v: Value| actions_from_statement(v.as_object().unwrap()).map(|s| s.len());
    assert_eq!(err(get(json!({"Action": null}))), "TypeError: 'NoneType' object is not iterable");
    assert_eq!(err(get(json!({"Action": [5]}))), "TypeError: 'int' object is not iterable");
    assert_eq!(err(get(json!({"Action": [[5]]}))), "AttributeError: 'int' object has no attribute 'lower'");
    assert_eq!(err(Statement::from_json(&json!({"Action": {"a": 1}}))), "TypeError: unhashable type: 'dict'");
    assert_eq!(stmt(json!({"Action": null})).actions().count(), 0, "a falsy Action has no actions");
    let s = stmt(json!({"Action": ["b", "a", "b", 1, 1.0, true]}));
    assert_eq!(s.actions().collect::<Vec<_>>(), [&json!("b"), &json!("a"), &json!(1)], "distinct by Python equality");
}

#[test]
fn summaries_and_categories() {
    let s = stmt(json!({"Action": ["s3:Get*", "iam:PassRole", "x:Y"]}));
    let summary = s.action_summary().unwrap();
    assert_eq!(summary.get("s3").iter().collect::<Vec<_>>(), [Some(Category::Read)]);
    assert_eq!(summary.get("iam").iter().collect::<Vec<_>>(), [Some(Category::Write)]);
    assert_eq!(summary.get("x").iter().collect::<Vec<_>>(), [None]);
    assert!(summary.get("ec2").is_empty());
    let c = categories_for_actions(["ec2:createvpc", "iam:putrolepolicy", "iam:listroles", "nocolon", "S3:GetObject"]).unwrap();
    let rows: Vec<(&str, Vec<Option<Category>>)> = c.iter().map(|(s, set)| (s.as_str(), set.iter().collect())).collect();
    assert_eq!(
        rows,
        [
            ("S3", vec![None]),
            ("ec2", vec![Some(Category::Write)]),
            ("iam", vec![Some(Category::List), Some(Category::Permissions)]),
            ("nocolon", vec![None]),
        ]
    );
    // A policy's summary ignores effects.
    let p = Policy::from_json(json!({"Statement": [
        {"Effect": "Deny", "Action": "iam:PutRolePolicy"},
        {"Effect": "Allow", "Action": "iam:ListRoles"}
    ]}))
    .unwrap();
    assert_eq!(p.action_summary().unwrap().get("iam").iter().collect::<Vec<_>>(), [Some(Category::List), Some(Category::Permissions)]);
}

#[test]
fn minimisation_matches_policyuniverse() {
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": "s3:*"}), None), ["s3:*"]);
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": "s3:Get*"}), None), ["s3:g*"]);
    assert_eq!(
        minimized(json!({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]}), None),
        ["s3:getobject", "s3:listbucket", "s3:putobject"]
    );
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": ["s3:getobject*"]}), None), ["s3:geto*"]);
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": ["iam:*", "sts:AssumeRole"]}), None), ["iam:*", "sts:assumerole"]);
    assert_eq!(
        minimized(json!({"Effect": "Allow", "Action": ["s3:getobject*"]}), Some(12)),
        [
            "s3:getobject",
            "s3:getobjectacl",
            "s3:getobjectatt*",
            "s3:getobjectleg*",
            "s3:getobjectret*",
            "s3:getobjecttag*",
            "s3:getobjecttor*",
            "s3:getobjectver*"
        ]
    );
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": ["ec2:describe*"]}), Some(3)), ["ec2:des*"]);
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": "*"}), None).len(), 366);
    assert!(minimized(json!({"Effect": "Allow", "Action": []}), None).is_empty());
    // In a list, `?` is a wildcard.
    assert_eq!(minimized(json!({"Effect": "Allow", "Action": ["s3:get?bject"]}), None), ["s3:getobject"]);
}

#[test]
fn minimisation_errors() {
    let e = |v: Value| err(minimize_statement_actions(&v, None));
    assert_eq!(e(json!({"Effect": "Deny", "Action": "s3:*"})), "Exception: Minification does not currently work on Deny statements.");
    assert_eq!(e(json!({"Effect": "Allow", "Action": "s3:get?bject"})), "Exception: Desired action not found in master permission list. s3:get?bject");
    assert_eq!(e(json!({"Effect": "Allow", "Action": ["s3:GetObject", "Nope:*"]})), "Exception: Desired action not found in master permission list. nope:*");
    assert_eq!(e(json!({"Effect": "Allow", "Action": ["s3:nope", 5]})), "AttributeError: 'int' object has no attribute 'lower'", "expansion completes before lookups");
    assert_eq!(e(json!({"Effect": "Allow"})), "KeyError: 'Action'");
    assert_eq!(e(json!({"Action": "s3:*"})), "KeyError: 'Effect'");
    assert_eq!(e(json!(["Effect"])), "TypeError: list indices must be integers or slices, not str");
}

#[test]
fn principals_in_every_shape() {
    let p = |v: Value| stmt(json!({ "Principal": v })).principals().to_vec();
    assert_eq!(strs(&p(json!("*"))), ["*"]);
    assert_eq!(strs(&p(json!(["a", "b", "a"]))), ["a", "b"]);
    assert_eq!(
        strs(&p(json!({"AWS": ["arn:aws:iam::1:root", "*"], "Service": "ec2.amazonaws.com", "Federated": ["cognito-identity.amazonaws.com"], "CanonicalUser": "x"}))),
        ["arn:aws:iam::1:root", "*", "ec2.amazonaws.com", "cognito-identity.amazonaws.com"]
    );
    assert!(p(json!("")).is_empty() && p(json!({})).is_empty() && p(json!(null)).is_empty());
    // Python's set merges 1, 1.0 and True.
    assert_eq!(p(json!({"AWS": [1, 1.0, true, "1"]})), [json!(1), json!("1")]);
    assert_eq!(err(Statement::from_json(&json!({"Principal": [{"AWS": "x"}]}))), "TypeError: unhashable type: 'dict'");
    assert_eq!(err(Statement::from_json(&json!({"Principal": {"AWS": {"x": 1}}}))), "TypeError: unhashable type: 'dict'");
    assert!(!stmt(json!({"Principal": "*"})).uses_not_principal());
    assert!(stmt(json!({"NotPrincipal": {"AWS": "x"}})).uses_not_principal());
}

#[test]
fn condition_entries() {
    let s = stmt(json!({"Condition": {
        "StringEquals": {"AWS:SourceAccount": ["1", "2"], "aws:Referer": "x"},
        "StringNotEquals": {"aws:SourceAccount": "3"},
        "ForAnyValue:StringLikeIfExists": {"aws:PrincipalOrgID": "o-*"},
        "IpAddress": {"aws:SourceIp": "0.0.0.0/0"},
        "ArnLike": {"aws:SourceArn": "arn:aws:s3:::b"}
    }}));
    let got: Vec<(&str, &str)> = s.condition_entries().iter().map(|e| (e.category.as_str(), e.value.as_str().unwrap())).collect();
    assert_eq!(got, [("account", "1"), ("account", "2"), ("organization", "o-*"), ("cidr", "0.0.0.0/0"), ("arn", "arn:aws:s3:::b")]);
    assert!(is_restricting_operator("forallvalues:arnequalsifexists"));
    assert!(is_restricting_operator("ſtringEquals"), "re.IGNORECASE folds ſ to s");
    assert!(!is_restricting_operator("ForAllValues:StringNotEquals"));
    assert!(!is_restricting_operator("NotIpAddress"));
    assert!(!is_restricting_operator("Bool"));
    assert_eq!(err(Statement::from_json(&json!({"Condition": [1]}))), "AttributeError: 'list' object has no attribute 'keys'");
    assert_eq!(err(Statement::from_json(&json!({"Condition": {"StringEquals": "x"}}))), "AttributeError: 'str' object has no attribute 'items'");
    assert_eq!(stmt(json!({"Condition": {"Bool": "x"}})).condition_entries(), &[], "other operators are not read");
    assert_eq!(strs(&s.condition_values(ConditionCategory::Account).unwrap()), ["1", "2"]);
    assert_eq!(strs(&s.condition_orgids().unwrap()), ["o-*"]);
}

#[test]
fn internet_accessibility_and_restricting_conditions() {
    let open = |v: Value| stmt(v).is_internet_accessible().unwrap();
    assert!(open(json!({"Effect": "Allow", "Principal": "*"})));
    assert!(open(json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}})));
    assert!(!open(json!({"Effect": "Deny", "Principal": "*"})));
    assert!(!open(json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}})));
    assert!(open(json!({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}})));
    // Conditions that restrict a public principal…
    for condition in [
        json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
        json!({"StringLike": {"aws:userid": "AROA123:*"}}),
        json!({"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}),
        json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t"}}),
    ] {
        assert!(!open(json!({"Effect": "Allow", "Principal": "*", "Condition": condition})), "{condition}");
    }
    // …and conditions that do not.
    for condition in [
        json!({"StringLike": {"aws:SourceAccount": "*"}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "0.0.0.0/0"]}}),
        json!({"StringEquals": {"aws:Referer": "x"}}),
        json!({"StringNotEquals": {"aws:SourceAccount": "123456789012"}}),
        json!({"StringEquals": {"aws:PrincipalOrgID": "o-*"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:*:t"}}),
    ] {
        assert!(open(json!({"Effect": "Allow", "Principal": "*", "Condition": condition})), "{condition}");
    }
    let e = |v: Value| err(stmt(v).is_internet_accessible());
    assert_eq!(e(json!({"Effect": "Allow", "Principal": {"AWS": 123}})), "TypeError: expected string or bytes-like object, got 'int'");
    assert_eq!(
        e(json!({"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"aws:SourceAccount": 123}}})),
        "TypeError: argument of type 'int' is not iterable"
    );
    let p = Policy::from_json(json!({"Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject"], "Condition": {"IpAddress": {"aws:SourceIp": "1.2.3.4/32"}}},
        {"Effect": "Allow", "Principal": "*", "Action": ["s3:ListBucket", "s3:GetObject"]}
    ]}))
    .unwrap();
    assert!(p.is_internet_accessible().unwrap());
    assert_eq!(strs(&p.internet_accessible_actions().unwrap()), ["s3:ListBucket", "s3:GetObject"]);
}

#[test]
fn whos_allowed_and_resources() {
    let s = stmt(json!({"Principal": "*", "Resource": ["a", "a", "b"], "Condition": {"StringEquals": {"aws:SourceAccount": ["1", "1"]}}}));
    let who: Vec<(&str, Value)> = s.whos_allowed().unwrap().iter().map(|w| (w.parts().0, w.parts().1.clone())).collect();
    assert_eq!(who, [("principal", json!("*")), ("account", json!("1"))]);
    assert_eq!(strs(&s.resources().unwrap()), ["a", "b"]);
    assert_eq!(stmt(json!({})).resources().unwrap(), [Value::Null]);
    assert_eq!(strs(&stmt(json!({"NotResource": "x", "Resource": "y"})).resources().unwrap()), ["*"]);
}

#[test]
fn documents_in_every_shape() {
    let one = Policy::from_json(json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*"}})).unwrap();
    assert_eq!(one.statements().len(), 1);
    assert!(one.statements()[0].is_allow());
    assert!(Policy::from_json(json!({})).unwrap().statements().is_empty());
    let doc = json!({"Version": "1", "Statement": [{"Effect": "Allow"}], "Id": "x"});
    assert_eq!(Policy::from_json(doc.clone()).unwrap().document(), doc, "the document is kept");
    let doc = json!({"Statement": {"Effect": "Allow"}, "Version": "1"});
    assert_eq!(Policy::from_json(doc.clone()).unwrap().document(), doc);
    assert_eq!(Policy::parse(r#"{"Statement": []}"#).unwrap().statements().len(), 0);
    assert_eq!(err(Policy::parse("{")), "JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)");
    assert_eq!(err(Policy::from_json(json!([]))), "AttributeError: 'list' object has no attribute 'get'");
    assert_eq!(err(Policy::from_json(json!({"Statement": "x"}))), "AttributeError: 'str' object has no attribute 'get'");
    assert_eq!(err(Policy::from_json(json!({"Statement": null}))), "AttributeError: 'NoneType' object has no attribute 'get'");
    assert_eq!(err(Policy::from_json(json!({"Statement": [1]}))), "AttributeError: 'int' object has no attribute 'get'");
    let s = &one.statements()[0];
    assert_eq!(s.effect(), Some(&json!("Allow")));
    assert_eq!(s.actions().collect::<Vec<_>>(), [&json!("s3:*")]);
}

#[test]
fn expand_policy_like_policyuniverse() {
    let out = expand_policy(&json!({"Statement": {"NotAction": "x", "Effect": "Allow", "Action": "s3:GetObjectA*", "Sid": "1"}}), false).unwrap();
    let st = &out["Statement"][0];
    let keys: Vec<&str> = st.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["Effect", "Action", "Sid"], "NotAction removed, Action in place");
    assert_eq!(st["Action"].as_array().unwrap().len(), 15_319, "NotAction of an unknown action grants everything");
    let deny = json!({"Statement": {"Effect": "DENY", "Action": "s3:getobjecta*"}});
    assert_eq!(expand_policy(&deny, false).unwrap(), json!({"Statement": [{"Effect": "DENY", "Action": "s3:getobjecta*"}]}));
    assert_eq!(expand_policy(&deny, true).unwrap()["Statement"][0]["Action"], json!(["s3:getobjectacl", "s3:getobjectattributes"]));
    let appended = expand_policy(&json!({"Statement": [{"Effect": "Allow"}]}), false).unwrap();
    assert_eq!(appended["Statement"][0], json!({"Effect": "Allow", "Action": []}));
    assert_eq!(err(expand_policy(&json!({}), false)), "KeyError: 'Statement'");
    assert_eq!(err(expand_policy(&json!({"Statement": [{}]}), false)), "KeyError: 'Effect'");
    assert_eq!(err(expand_policy(&json!({"Statement": [{"Effect": 1}]}), false)), "AttributeError: 'int' object has no attribute 'lower'");
    assert_eq!(err(expand_policy(&Value::Null, false)), "TypeError: 'NoneType' object is not subscriptable");
    assert_eq!(err(expand_policy(&json!("x"), false)), "TypeError: string indices must be integers, not 'str'");
    assert_eq!(err(expand_policy(&json!({"Statement": ["x"]}), false)), "TypeError: string indices must be integers, not 'str'");
    assert_eq!(err(expand_policy(&json!([]), false)), "TypeError: list indices must be integers or slices, not str");
}

#[test]
fn python_values_convert_to_json() {
    let v = crate::natives::json::parse(r#"{"a": [1, 2.5, null, true, "x"], "b": {}}"#).unwrap();
    assert_eq!(to_json(&v).unwrap(), json!({"a": [1, 2.5, null, true, "x"], "b": {}}));
    let set = ops::make_set(vec![Val::Int(1)]).unwrap();
    assert_eq!(to_json(&set).unwrap_err().kind.name(), "NotImplementedError");
    assert_eq!(to_json(&Val::Float(f64::NAN)).unwrap_err().kind.name(), "NotImplementedError");
    let cyc = Val::list(vec![]);
    ops::call_method(&cyc, "append", std::slice::from_ref(&cyc)).unwrap();
    assert_eq!(to_json(&cyc).unwrap_err().kind.name(), "RecursionError");
    if let Val::List(l) = &cyc {
        l.borrow_mut().clear();
    }
}

/// The catalogue is sorted by whole name (its parse sorts by service, then
/// action), and each service's ids are one contiguous run.
#[test]
fn catalogue_order_is_name_order() {
    let c = Catalog::get().unwrap();
    let names: Vec<&str> = (0..c.len()).map(|i| c.name(ActionId::try_from(i).unwrap())).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "strictly increasing");
    assert!(names.iter().any(|n| n.starts_with("s3-object-lambda:")), "a prefix that extends another (`s3`)");
    for (i, name) in names.iter().enumerate() {
        let id = ActionId::try_from(i).unwrap();
        assert_eq!(Some(id), c.id(name));
        assert_eq!(c.service(id), name.split(':').next().unwrap());
        assert_eq!(c.service_index(c.service(id)), c.service_index_of(id));
    }
}

/// Word-level summaries equal the action-by-action ones.
#[test]
fn summaries_by_word_equal_summaries_by_action() {
    let c = Catalog::get().unwrap();
    let naive = |set: &ActionSet| {
        let mut s = ActionSummary::default();
        for a in set.iter() {
            s.add_action(c, a);
        }
        s
    };
    let mut seed = 11u64;
    let mut sets = vec![ActionSet::all(c), ActionSet::new(c), expand_action(&json!(["s3:*", "s3-object-lambda:Get*", "foo:bar*"])).unwrap()];
    for density in [1, 7, 300] {
        let mut set = ActionSet::new(c);
        for i in 0..c.len() {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            if (seed >> 33) % 1000 < density {
                set.insert_id(ActionId::try_from(i).unwrap());
            }
        }
        set.insert_name("ec2:notanaction");
        sets.push(set.complement());
        sets.push(set);
    }
    for set in &sets {
        assert_eq!(set.summary(), naive(set));
        let rows: Vec<(String, CategorySet)> = set.summary().iter().map(|(s, c)| (s.as_str().to_owned(), c)).collect();
        assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "services sorted");
    }
    let mut merged = sets[2].summary();
    merged.merge(&sets[4].summary());
    let mut union = sets[2].clone();
    union.union_with(&sets[4]);
    assert_eq!(merged, union.summary());
}

/// Sets store only the words they touch, growing either way.
#[test]
fn sparse_sets_behave_like_full_ones() {
    let c = Catalog::get().unwrap();
    let last = ActionId::try_from(c.len() - 1).unwrap();
    let mut a = ActionSet::new(c);
    a.insert_id(last);
    a.insert_id(3);
    a.insert_range(200..330);
    assert_eq!(a.len(), 132);
    assert!(a.contains_id(last) && a.contains_id(3) && a.contains_id(329) && !a.contains_id(330) && !a.contains_id(4));
    let mut b = ActionSet::new(c);
    b.insert_id(5000);
    b.union_with(&a);
    assert_eq!(b.ids().collect::<Vec<_>>(), [3].into_iter().chain(200..330).chain([5000, last]).collect::<Vec<_>>());
    assert_eq!(b.complement().len(), c.len() - 133);
    assert!(!b.complement().contains_id(5000) && b.complement().contains_id(4));
    let mut all = ActionSet::new(c);
    all.union_with(&b.complement());
    all.union_with(&b);
    assert_eq!(all, ActionSet::all(c));
    assert!(ActionSet::new(c).complement() == ActionSet::all(c));
}
