#![expect(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use serde_json::json;

use super::*;

fn s(x: &'static str) -> Val<'static> {
    Val::str(x)
}

static SET: Const = Const::Set(&[Const::Str("amazon"), Const::Str("microsoft")]);
static LIST: Const = Const::List(&[Const::Int(1), Const::Str("a"), Const::None]);

#[test]
fn truthiness_matches_python() {
    assert!(!truthy(&Val::None));
    assert!(!truthy(&Val::Int(0)));
    assert!(truthy(&Val::Int(-1)));
    assert!(!truthy(&Val::Float(0.0)));
    assert!(!truthy(&s("")));
    assert!(truthy(&s("False")));
    let empty = json!([]);
    let full = json!({"a": 1});
    assert!(!truthy(&Val::from_json(&empty)));
    assert!(truthy(&Val::from_json(&full)));
    assert!(truthy(&Val::from_const(&SET)));
}

#[test]
fn equality_crosses_numeric_types_only() {
    assert!(eq(&Val::Int(1), &Val::Bool(true)));
    assert!(eq(&Val::Int(1), &Val::Float(1.0)));
    assert!(!eq(&Val::Int(1), &Val::Float(1.5)));
    assert!(!eq(&Val::Int(1), &s("1")));
    assert!(!eq(&Val::None, &Val::Bool(false)));
    assert!(eq(&Val::None, &Val::None));
    let a = json!(["a", 1]);
    assert!(eq(&Val::from_json(&a), &Val::list(vec![s("a"), Val::Float(1.0)])));
    assert!(!eq(&Val::from_json(&a), &Val::tuple(vec![s("a"), Val::Int(1)])));
    let d1 = json!({"x": 1, "y": [1]});
    let d2 = json!({"y": [1], "x": 1.0});
    assert!(eq(&Val::from_json(&d1), &Val::from_json(&d2)));
}

#[test]
fn membership_raises_like_cpython() {
    assert!(contains(&Val::from_const(&SET), &s("amazon")).unwrap());
    assert!(!contains(&Val::from_const(&SET), &Val::None).unwrap());
    assert!(contains(&Val::from_const(&LIST), &Val::None).unwrap());
    assert!(contains(&Val::from_const(&LIST), &Val::Float(1.0)).unwrap());
    assert!(contains(&s("arn:aws:iam"), &s("iam")).unwrap());
    let e = contains(&Val::None, &s("x")).unwrap_err();
    assert_eq!(e.to_string(), "TypeError: argument of type 'NoneType' is not iterable");
    let e = contains(&s("abc"), &Val::None).unwrap_err();
    assert_eq!(e.to_string(), "TypeError: 'in <string>' requires string as left operand, not NoneType");
    let list = json!([1]);
    let e = contains(&Val::from_const(&SET), &Val::from_json(&list)).unwrap_err();
    assert_eq!(e.to_string(), "TypeError: unhashable type: 'list'");
    let d = json!({"k": 1});
    assert!(contains(&Val::from_json(&d), &s("k")).unwrap());
    assert!(!contains(&Val::from_json(&d), &Val::Int(1)).unwrap());
}

#[test]
fn subscript_and_get() {
    let d = json!({"k": null, "l": [10, 20, 30]});
    let dv = Val::from_json(&d);
    assert!(is_none(&subscript(&dv, &s("k")).unwrap()));
    assert_eq!(subscript(&dv, &s("missing")).unwrap_err().to_string(), "KeyError: 'missing'");
    let l = subscript(&dv, &s("l")).unwrap();
    assert!(eq(&subscript(&l, &Val::Int(-1)).unwrap(), &Val::Int(30)));
    assert_eq!(
        subscript(&l, &Val::Int(3)).unwrap_err().to_string(),
        "IndexError: list index out of range"
    );
    assert_eq!(
        subscript(&l, &s("0")).unwrap_err().to_string(),
        "TypeError: list indices must be integers or slices, not str"
    );
    assert_eq!(
        subscript(&Val::None, &s("x")).unwrap_err().to_string(),
        "TypeError: 'NoneType' object is not subscriptable"
    );
    assert!(eq(&get(&dv, &s("missing"), Val::Int(7)).unwrap(), &Val::Int(7)));
    assert!(is_none(&get(&dv, &s("k"), Val::Int(7)).unwrap()));
    assert_eq!(
        get(&l, &s("x"), Val::None).unwrap_err().to_string(),
        "AttributeError: 'list' object has no attribute 'get'"
    );
}

#[test]
fn repr_matches_cpython() {
    assert_eq!(repr(&s("it's")), "\"it's\"");
    assert_eq!(repr(&s("a\nb")), "'a\\nb'");
    assert_eq!(repr(&Val::from_const(&LIST)), "[1, 'a', None]");
    assert_eq!(float_repr(1.0), "1.0");
    assert_eq!(float_repr(0.1), "0.1");
    assert_eq!(float_repr(1e16), "1e+16");
    assert_eq!(float_repr(123456789012345.6), "123456789012345.6");
    assert_eq!(float_repr(1.5e-5), "1.5e-05");
    assert_eq!(float_repr(0.0001), "0.0001");
    assert_eq!(float_repr(-2.5), "-2.5");
    assert_eq!(float_repr(f64::INFINITY), "inf");
}

#[test]
fn non_bool_return_is_an_error() {
    let e = expect_bool(&Val::None, "X.Y", "policy").unwrap_err();
    assert_eq!(
        e.to_string(),
        "FunctionReturnTypeError: detection [X.Y] function [policy] returned [NoneType], expected [bool]"
    );
}

#[test]
fn ordering_and_arithmetic() {
    assert!(compare(Order::Le, &Val::Int(90), &Val::Float(90.0)).unwrap());
    assert!(compare(Order::Lt, &Val::Int(1), &Val::Float(1.5)).unwrap());
    assert!(compare(Order::Lt, &s("a"), &s("b")).unwrap());
    assert_eq!(
        compare(Order::Lt, &Val::None, &Val::Int(1)).unwrap_err().to_string(),
        "TypeError: '<' not supported between instances of 'NoneType' and 'int'"
    );
    assert_eq!(repr(&binop(BinOp::Add, &s("arn:"), &s("x")).unwrap()), "'arn:x'");
    assert_eq!(repr(&binop(BinOp::FloorDiv, &Val::Int(-7), &Val::Int(2)).unwrap()), "-4");
    assert_eq!(repr(&binop(BinOp::Mod, &Val::Int(-7), &Val::Int(2)).unwrap()), "1");
    assert_eq!(repr(&binop(BinOp::Div, &Val::Int(7), &Val::Int(2)).unwrap()), "3.5");
    assert_eq!(
        binop(BinOp::Add, &Val::Int(1), &s("x")).unwrap_err().to_string(),
        "TypeError: unsupported operand type(s) for +: 'int' and 'str'"
    );
    let a = make_set(vec![s("a"), s("b")]).unwrap();
    let b = make_set(vec![s("b")]).unwrap();
    assert_eq!(repr(&binop(BinOp::And, &a, &b).unwrap()), "{'b'}");
    assert_eq!(repr(&binop(BinOp::Sub, &a, &b).unwrap()), "{'a'}");
}

#[test]
fn builtins_match_python() {
    let l = Val::list(vec![Val::Int(3), Val::Int(1), Val::Int(2)]);
    assert_eq!(repr(&sorted(&l, None, false).unwrap()), "[1, 2, 3]");
    assert_eq!(repr(&sorted(&l, None, true).unwrap()), "[3, 2, 1]");
    let mixed = Val::list(vec![Val::Int(3), s("a")]);
    assert_eq!(
        sorted(&mixed, None, false).unwrap_err().to_string(),
        "TypeError: '<' not supported between instances of 'str' and 'int'"
    );
    assert!(isinstance(&Val::Bool(true), &[PyType::Int]));
    assert!(!isinstance(&Val::Int(1), &[PyType::Bool]));
    assert_eq!(len(&s("héllo")).unwrap(), 5);
    assert_eq!(len(&Val::None).unwrap_err().to_string(), "TypeError: object of type 'NoneType' has no len()");
    assert!(any(&l).unwrap());
    assert_eq!(iter(&Val::Int(1)).unwrap_err().to_string(), "TypeError: 'int' object is not iterable");
    assert_eq!(repr(&int_(&s(" 42 ")).unwrap()), "42");
    let d = json!({"a": 1, "b": 2});
    assert_eq!(repr(&list(&Val::from_json(&d)).unwrap()), "['a', 'b']");
}

#[test]
fn substring_search_matches_str_contains() {
    let long = "ab".repeat(200) + "needle";
    let cases = [
        ("ec2:createvpc", "vpc"),
        ("ec2:createvpc", "ec2"),
        ("ec2:createvpc", "ec2:createvpc"),
        ("ec2:createvpc", "ec2:createvpcs"),
        ("ec2:createvpc", ""),
        ("", ""),
        ("", "a"),
        ("aab", "ab"),
        ("ééa", "éa"),
        ("日本語", "本"),
        ("日本語", "\u{672c}\u{8a9e}x"),
        (long.as_str(), "needle"),
        (long.as_str(), "needles"),
    ];
    for (hay, needle) in cases {
        assert_eq!(contains(&s_owned(hay), &s_owned(needle)).unwrap(), hay.contains(needle), "{needle:?} in {hay:?}");
    }
    // Every needle drawn from a small alphabet (so that first bytes repeat
    // and partial matches abound), in haystacks of every length to 40.
    let alphabet = ['a', 'b', '\0', 'é'];
    let mut seed = 7u32;
    let mut next = move || {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (seed >> 16) as usize
    };
    for len in 0..40 {
        for _ in 0..40 {
            let hay: String = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
            let needle: String = (0..next() % 5).map(|_| alphabet[next() % alphabet.len()]).collect();
            assert_eq!(str_contains(&hay, &needle), hay.contains(&needle), "{needle:?} in {hay:?}");
        }
    }
}

fn s_owned(x: &str) -> Val<'static> {
    Val::string(x.to_owned())
}

#[test]
fn pending_collections_read_like_built_ones() {
    use crate::value::LazyItems;
    use std::any::Any;
    use std::rc::Rc;

    struct Letters;
    impl LazyItems for Letters {
        fn len(&self) -> usize {
            3
        }
        fn items<'v>(&self) -> Vec<Val<'v>> {
            vec![Val::str("a"), Val::str("b"), Val::str("c")]
        }
        fn contains(&self, item: &Val<'_>) -> bool {
            matches!(item.as_str(), Some("a" | "b" | "c"))
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }
    let pending = |v: &Val<'_>| match v {
        Val::List(c) => c.pending_source().is_some(),
        Val::Set(c) => c.pending_source().is_some(),
        _ => false,
    };
    let list = Val::lazy_list(Rc::new(Letters));
    assert_eq!(len(&list).unwrap(), 3);
    assert!(truthy(&list));
    assert!(contains(&list, &s("b")).unwrap());
    assert!(!contains(&list, &Val::Int(1)).unwrap());
    assert!(!contains(&list, &Val::list(vec![])).unwrap(), "a list `in` compares, it does not hash");
    assert!(pending(&list), "nothing above built the elements");
    assert_eq!(repr(&list), "['a', 'b', 'c']");
    assert!(!pending(&list), "reading the elements builds them");
    call_method(&list, "append", &[s("d")]).unwrap();
    assert_eq!(repr(&list), "['a', 'b', 'c', 'd']");

    let set = Val::lazy_set(Rc::new(Letters));
    assert_eq!(len(&set).unwrap(), 3);
    assert!(contains(&set, &s("c")).unwrap());
    assert_eq!(contains(&set, &Val::list(vec![])).unwrap_err().to_string(), "TypeError: unhashable type: 'list'");
    assert_eq!(iter(&set).unwrap().len(), 3);
    assert!(pending(&set), "iterating a pending set does not build its table");
    call_method(&set, "add", &[s("a")]).unwrap();
    call_method(&set, "add", &[s("z")]).unwrap();
    assert_eq!(repr(&set), "{'a', 'b', 'c', 'z'}");
    assert!(eq(&set, &make_set(vec![s("z"), s("c"), s("b"), s("a")]).unwrap()));
}

/// `str.split` gives CPython's parts whether the string borrows resource
/// data (parts borrowed too) or was built at run time, including for a
/// one-byte separator (searched as a byte) and a non-ASCII one.
#[test]
fn split_matches_cpython_on_borrowed_and_built_strings() {
    // (text, args, CPython's repr of the result)
    let cases: &[(&str, Vec<Val<'static>>, &str)] = &[
        ("arn:aws:iam::123:root", vec![s(":")], "['arn', 'aws', 'iam', '', '123', 'root']"),
        ("a::b", vec![s("::")], "['a', 'b']"),
        ("a:b:c", vec![s(":"), Val::Int(1)], "['a', 'b:c']"),
        ("a:b:c", vec![s(":"), Val::Int(-1)], "['a', 'b', 'c']"),
        ("  a  b ", vec![], "['a', 'b']"),
        ("  a  b ", vec![Val::None, Val::Int(1)], "['a', 'b ']"),
        ("é/ü/", vec![s("/")], "['é', 'ü', '']"),
        ("aéb", vec![s("é")], "['a', 'b']"),
        ("", vec![s(":")], "['']"),
    ];
    for (text, args, expected) in cases {
        let borrowed = Val::str(text);
        let built = Val::string((*text).to_owned());
        for recv in [&borrowed, &built] {
            let got = methods::call_method(recv, "split", args).map(|v| repr(&v));
            assert_eq!(got.as_deref(), Ok(*expected), "{text:?}.split({args:?})");
        }
    }
    let err = methods::call_method(&Val::str("a"), "split", &[s("")]).map(|v| repr(&v));
    assert_eq!(err.map_err(|e| e.message), Err("empty separator".to_owned()));
}

static DICT: Const = Const::Dict(&[(Const::Str("KeyOne"), Const::Str("ValueOne")), (Const::Int(1), Const::Str("one"))]);

/// `in` on a module constant with a `str` (the fast path) answers as the
/// general comparison does, for every kind of element and needle.
#[test]
fn membership_in_constants_matches_the_general_path() {
    let consts = [&SET, &LIST, &DICT];
    let json_str: &'static serde_json::Value = Box::leak(Box::new(json!("a")));
    let needles = [s("amazon"), s("a"), s("KeyOne"), s(""), Val::string("microsoft".to_owned()), Val::from_json(json_str), Val::Int(1), Val::None, Val::Bool(true)];
    for c in consts {
        let container = Val::from_const(c);
        for n in &needles {
            let general = contains_slow(&container, n).map_err(|e| e.to_string());
            assert_eq!(contains(&container, n).map_err(|e| e.to_string()), general, "{} in {}", repr(n), repr(&container));
            if c == &DICT {
                let found = get_opt(&container, n).unwrap().map(|v| repr(&v));
                let expected = subscript(&container, n).ok().map(|v| repr(&v));
                assert_eq!(found, expected, "{}.get({})", repr(&container), repr(n));
            }
        }
    }
    assert!(contains(&Val::from_const(&SET), &s("amazon")).unwrap());
    assert!(!contains(&Val::from_const(&SET), &s("amazo")).unwrap());
    assert!(contains(&Val::from_const(&LIST), &Val::Bool(true)).unwrap());
    let unhashable = Val::list(vec![]);
    assert_eq!(contains(&Val::from_const(&SET), &unhashable).unwrap_err().to_string(), "TypeError: unhashable type: 'list'");
}

/// `x in d.keys()` is `x in d` for dicts, and lists the keys otherwise.
#[test]
fn in_keys_matches_listing_the_keys() {
    let doc: &'static serde_json::Value = Box::leak(Box::new(json!({"a": 1, "b": [2]})));
    let run_time = make_dict(vec![(s("a"), Val::Int(1)), (Val::Int(2), Val::None)]).unwrap();
    let dicts = [Val::from_json(doc), run_time, Val::from_const(&DICT)];
    for d in &dicts {
        for n in [s("a"), s("KeyOne"), Val::Int(2), Val::Int(1), Val::Float(2.0), s("z")] {
            let keys = call_method(d, "keys", &[]).unwrap();
            assert_eq!(in_keys(d, &n).unwrap(), contains(&keys, &n).unwrap(), "{} in {}.keys()", repr(&n), repr(d));
        }
        assert_eq!(in_keys(d, &Val::list(vec![])).unwrap_err().to_string(), "TypeError: unhashable type: 'list'");
    }
    assert_eq!(in_keys(&Val::Int(1), &s("a")).unwrap_err().to_string(), "AttributeError: 'int' object has no attribute 'keys'");
    assert_eq!(get_opt(&Val::Int(1), &s("a")).unwrap_err().to_string(), "AttributeError: 'int' object has no attribute 'get'");
}

/// A list or dict that holds itself prints as CPython prints it, equals
/// itself, and nesting deeper than `MAX_NESTED` stops instead of
/// exhausting the stack (expected values from CPython 3.11).
#[test]
fn self_containing_and_deep_containers_do_not_recurse_without_bound() {
    let x = Val::list(vec![Val::Int(1)]);
    call_method(&x, "append", std::slice::from_ref(&x)).unwrap();
    assert_eq!(repr(&x), "[1, [...]]");
    assert_eq!(to_str(&x), "[1, [...]]");
    assert!(eq(&x, &x));
    let t = Val::tuple(vec![x.clone()]);
    call_method(&x, "append", std::slice::from_ref(&t)).unwrap();
    assert_eq!(repr(&x), "[1, [...], ([...],)]");
    let d = make_dict(vec![(s("a"), Val::Int(1))]).unwrap();
    set_item(&d, s("self"), d.clone()).unwrap();
    assert_eq!(repr(&d), "{'a': 1, 'self': {...}}");
    assert!(eq(&d, &d));
    // Two distinct cycles: CPython raises RecursionError in `==`; here
    // `==` is false and ordering raises.
    let y = Val::list(vec![Val::Int(1)]);
    call_method(&y, "append", std::slice::from_ref(&y)).unwrap();
    let z = Val::list(vec![Val::Int(1)]);
    call_method(&z, "append", std::slice::from_ref(&z)).unwrap();
    assert!(!eq(&y, &z));
    assert_eq!(compare(Order::Lt, &y, &z).unwrap_err().to_string(), "RecursionError: maximum recursion depth exceeded in comparison");
    // Deep but acyclic: compared in full up to the limit, cut beyond it.
    let nest = |n: usize| (0..n).fold(Val::list(vec![]), |inner, _| Val::list(vec![inner]));
    assert!(eq(&nest(100), &nest(100)));
    assert!(!eq(&nest(100), &nest(101)));
    assert!(!eq(&nest(1000), &nest(1000)), "cut at MAX_NESTED (CPython: RecursionError)");
    assert_eq!(compare(Order::Lt, &nest(1000), &nest(1001)).unwrap_err().to_string(), "RecursionError: maximum recursion depth exceeded in comparison");
    let text = repr(&nest(1000));
    assert!(text.starts_with("[[[[") && text.contains("[...]"), "{}", text.get(..40).unwrap_or_default());
    assert_eq!(repr(&nest(3)), "[[[[]]]]");
    // Break the cycles so that the test does not leak.
    for c in [&x, &y, &z] {
        if let Val::List(l) = c {
            l.borrow_mut().clear();
        }
    }
    if let Val::Dict(m) = &d {
        m.borrow_mut().clear();
    }
}

/// Dropping containers nested far deeper than the stack allows does not
/// recurse (CPython frees them too); a container still held elsewhere
/// survives the release of the structure around it.
#[test]
fn deeply_nested_containers_drop_without_recursion() {
    const DEEP: usize = 1_000_000;
    let mut kept = None;
    let mut x = Val::list(vec![]);
    for i in 0..DEEP {
        let table = make_dict(vec![(s("k"), x), (s("t"), Val::tuple(vec![Val::Int(1)]))]).unwrap();
        x = Val::tuple(vec![Val::list(vec![table, Val::Int(2)])]);
        if i == DEEP / 2 {
            kept = Some(x.clone());
        }
    }
    let set = make_set(vec![Val::tuple(vec![Val::Int(1)]), Val::Int(2)]).unwrap();
    let outer = Val::list(vec![x, set]);
    drop(outer);
    // The shared half survives, whole (walked down to its innermost
    // empty list), and is released in turn.
    let kept = kept.unwrap();
    let mut at = kept.clone();
    let mut depth = 0;
    while matches!(at, Val::Tuple(_)) {
        let list = subscript(&at, &Val::Int(0)).unwrap();
        at = subscript(&subscript(&list, &Val::Int(0)).unwrap(), &s("k")).unwrap();
        depth += 1;
    }
    assert_eq!(depth, DEEP / 2 + 1);
    assert_eq!(repr(&at), "[]");
    drop((kept, at));
}

/// Hashing a `tuple` nested beyond `MAX_NESTED` raises (CPython 3.11
/// crashes with a segmentation fault some ten thousand levels down).
#[test]
fn hashing_a_deep_tuple_raises_recursion_error() {
    let nest = |n: usize| (0..n).fold(Val::tuple(vec![]), |inner, _| Val::tuple(vec![inner]));
    assert!(hash_key(&nest(100)).is_ok());
    let err = make_set(vec![nest(100_000)]).unwrap_err();
    assert_eq!(err.to_string(), "RecursionError: maximum recursion depth exceeded while calling a Python object");
}

/// `recurse` reaches CPython's depth on a thread whose stack could not
/// hold it (the frames here are 16 KiB: 1000 of them need 16 MiB, the
/// thread has 256 KiB), raises `RecursionError` one call beyond, and
/// leaves the depth count as it found it.
#[test]
fn recursion_goes_as_deep_as_cpython_on_any_stack() {
    fn down(n: u32) -> PyResult<u32> {
        recurse(|| {
            let frame = std::hint::black_box([0u8; 16 * 1024]);
            if n == 0 {
                return Ok(u32::from(frame.iter().any(|&b| b != 0)));
            }
            Ok(1 + down(n - 1)?)
        })
    }
    let thread = std::thread::Builder::new().stack_size(256 * 1024).spawn(|| {
        let deepest = down(MAX_CALL_DEPTH - 1);
        let beyond = down(MAX_CALL_DEPTH).map_err(|e| e.to_string());
        let again = down(10);
        (deepest, beyond, again)
    });
    let (deepest, beyond, again) = thread.unwrap().join().unwrap();
    assert_eq!(deepest, Ok(MAX_CALL_DEPTH - 1));
    assert_eq!(beyond, Err("RecursionError: maximum recursion depth exceeded".to_owned()));
    assert_eq!(again, Ok(10));
}

/// Repetition: either operand order, tuples too, and sizes no machine can
/// hold raise as CPython 3.11 does instead of aborting the process.
#[test]
fn repetition_matches_cpython() {
    let mul = |a: Val<'static>, b: Val<'static>| binop(BinOp::Mul, &a, &b).map(|v| repr(&v)).map_err(|e| e.to_string());
    assert_eq!(mul(s("ab"), Val::Int(3)), Ok("'ababab'".to_owned()));
    assert_eq!(mul(Val::Int(3), s("ab")), Ok("'ababab'".to_owned()));
    assert_eq!(mul(Val::Bool(true), Val::list(vec![Val::Int(1)])), Ok("[1]".to_owned()));
    assert_eq!(mul(s("ab"), Val::Int(-1)), Ok("''".to_owned()));
    assert_eq!(mul(Val::tuple(vec![Val::Int(1), Val::Int(2)]), Val::Int(2)), Ok("(1, 2, 1, 2)".to_owned()));
    assert_eq!(mul(Val::Int(2), Val::tuple(vec![Val::Int(1)])), Ok("(1, 1)".to_owned()));
    assert_eq!(mul(s("ab"), Val::Int(1 << 62)), Err("OverflowError: repeated string is too long".to_owned()));
    assert_eq!(mul(s("a"), Val::Int(1 << 62)), Err("MemoryError: ".to_owned()));
    assert_eq!(mul(Val::list(vec![Val::Int(1), Val::Int(2)]), Val::Int(1 << 62)), Err("MemoryError: ".to_owned()));
    assert_eq!(mul(s(""), Val::Int(1 << 62)), Ok("''".to_owned()));
}

/// `int(str)`, `str.split()` and `str.strip()` read whitespace and digits
/// as CPython 3.11 does (expected values from CPython; beyond `i64` is
/// this runtime's `OverflowError`).
#[test]
fn int_split_and_strip_read_text_as_cpython() {
    let int = |t: &str| int_(&Val::text(t)).map(|v| repr(&v)).map_err(|e| e.to_string());
    for (text, want) in [
        ("5", "5"),
        (" 5 ", "5"),
        ("1_000", "1000"),
        ("1_0_0", "100"),
        ("+5", "5"),
        ("-5", "-5"),
        ("007", "7"),
        ("\u{663}", "3"),
        ("\u{ff11}\u{ff12}", "12"),
        ("1\u{a0}", "1"),
        ("9223372036854775807", "9223372036854775807"),
        ("-9223372036854775808", "-9223372036854775808"),
    ] {
        assert_eq!(int(text), Ok(want.to_owned()), "int({text:?})");
    }
    for text in ["\u{1c}5\u{1f}", "_1", "1_", "1__0", "- 5", "", "  ", "5.0", "0x10", "+_1", "-"] {
        assert_eq!(int(text), Err(format!("ValueError: invalid literal for int() with base 10: {}", repr(&Val::text(text)))), "int({text:?})");
    }
    assert_eq!(int("9223372036854775808"), Err("OverflowError: integer result outside the supported 64-bit range".to_owned()));
    let call = |recv: &str, name: &str, args: &[Val<'static>]| call_method(&Val::text(recv), name, args).map(|v| repr(&v)).unwrap();
    assert_eq!(call("a\u{1c}b c", "split", &[]), "['a', 'b', 'c']");
    assert_eq!(call(" a b ", "split", &[Val::None, Val::Int(1)]), "['a', 'b ']");
    assert_eq!(call("\u{1c} a \u{1f}", "strip", &[]), "'a'");
    assert_eq!(call("\u{1c} a \u{1f}", "lstrip", &[]), "'a \\x1f'");
}
