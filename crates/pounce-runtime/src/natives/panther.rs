//! Panther's global helpers that policies import: `deep_get`, `listify`
//! and `resolve_timestamp_string` (`panther_base_helpers`), and
//! `aws_regions`, `resource_lookup`, `BadLookup` and `PantherBadInput`
//! (`panther_aws_helpers`).
//!
//! Each reproduces the helper's Python code, quirks included:
//! `deep_get` returns `default` for a `None` leaf and never indexes lists;
//! `listify(None)` is `[None]`; `resolve_timestamp_string` tries the 55
//! `TIME_FORMATS` in order (so `...Z` strings give naive values and `%z`
//! ones aware values), then `dateutil.parser.parse`, then the epoch
//! regex, and raises `AttributeError` on input none of them accepts (the
//! helper calls `.group` on a failed match).
//!
//! `dateutil.parser.parse` is the port in `natives::dateutil` (today's
//! date from `Context::now_micros`, local zone UTC).

use super::args::{bind, Sig};
use super::dateutil;
use super::datetime::from_timestamp;
use super::json::json_to_val;
use super::strptime::strptime_if_matches;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops;
use crate::policy::Context;
use crate::value::{Kind, Val};

/// The name `BadLookup` exceptions carry.
pub const BAD_LOOKUP: &str = "BadLookup";
/// The name `PantherBadInput` exceptions carry.
pub const PANTHER_BAD_INPUT: &str = "PantherBadInput";

const DEEP_GET: Sig = Sig {
    name: "deep_get",
    params: &["dictionary"],
    required: 1,
    varargs: true,
    kwonly: &["default"],
    varkw: false,
    method: false,
};

/// `deep_get(dictionary, *keys, default=None)`: folds `d.get(key,
/// default)` over the keys while the value is a `dict` (anything else
/// yields `default`), then replaces a `None` result by `default`.
pub fn deep_get<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&DEEP_GET, args, kwargs)?;
    let default = b.kw(0).cloned().unwrap_or(Val::None);
    let mut out = b.get(0).cloned().unwrap_or(Val::None);
    for key in &b.rest {
        out = if out.kind() == Kind::Dict { ops::get(&out, key, default.clone())? } else { default.clone() };
    }
    Ok(if ops::is_none(&out) { default } else { out })
}

const LISTIFY: Sig = Sig::new("listify", &["maybe_list"], 1);

/// `listify(maybe_list)`: `[x]` for a non-iterable, a `str` or a `dict`;
/// the value itself for other iterables (not copied).
pub fn listify<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&LISTIFY, args, kwargs)?;
    let x = b.get(0).cloned().unwrap_or(Val::None);
    let iterable = match x.kind() {
        Kind::List | Kind::Tuple | Kind::Set => true,
        Kind::Str | Kind::Dict | Kind::None | Kind::Bool | Kind::Int | Kind::Float => false,
        // Networks and mocks are iterable; other natives are not.
        Kind::Native => matches!(x, Val::Mock(_)) || matches!(x.type_name(), "IPv4Network" | "IPv6Network"),
    };
    Ok(if iterable { x } else { Val::list(vec![x]) })
}

const AWS_REGIONS: Sig = Sig::new("aws_regions", &[], 0);

const REGIONS: [&str; 34] = [
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "ca-central-1",
    "eu-central-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-2",
    "eu-west-3",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// `aws_regions()`: Panther's fixed list of 34 region names (duplicates
/// included), as a new `list`.
pub fn aws_regions<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    bind(&AWS_REGIONS, args, kwargs)?;
    Ok(Val::list(REGIONS.iter().map(|r| Val::str(r)).collect()))
}

const RESOURCE_LOOKUP: Sig = Sig::new("resource_lookup", &["resource_id"], 1);

/// `resource_lookup(resource_id)`: `PantherBadInput` for `""`, else the
/// resource `Context::resource_lookup` returns (as an owned value), or
/// `BadLookup("<id> not found")`.
pub fn resource_lookup<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&RESOURCE_LOOKUP, args, kwargs)?;
    let id = b.get(0).cloned().unwrap_or(Val::None);
    match id.as_str() {
        Some("") => Err(PolicyError::new(ExcKind::Other(PANTHER_BAD_INPUT), "resourceId cannot be blank")),
        Some(s) => match ctx.resource_lookup(s) {
            Some(found) => Ok(json_to_val(&found)),
            None => Err(PolicyError::new(ExcKind::Other(BAD_LOOKUP), format!("{s} not found"))),
        },
        // A non-`str` id is never found; the helper's `resource_id + " not
        // found"` then fails.
        None => Err(PolicyError::type_error(format!(
            "unsupported operand type(s) for +: '{}' and 'str'",
            id.type_name()
        ))),
    }
}

/// Panther's `TIME_FORMATS`, in order (55 entries, three of them
/// repeated).
pub const TIME_FORMATS: [&str; 55] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%S*%f%z",
    "%Y %b %d %H:%M:%S.%f %Z",
    "%b %d %H:%M:%S %z %Y",
    "%d/%b/%Y:%H:%M:%S %z",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d %Y %H:%M:%S",
    "%b %d %H:%M:%S %Y",
    "%b %d %H:%M:%S %z",
    "%b %d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S,%f",
    "%Y/%m/%d*%H:%M:%S",
    "%Y %b %d %H:%M:%S.%f*%Z",
    "%Y %b %d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S,%f%z",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d*%H:%M:%S:%f",
    "%Y-%m-%d*%H:%M:%S",
    "%y-%m-%d %H:%M:%S,%f %z",
    "%y-%m-%d %H:%M:%S,%f",
    "%y-%m-%d %H:%M:%S",
    "%y/%m/%d %H:%M:%S",
    "%y%m%d %H:%M:%S",
    "%Y%m%d %H:%M:%S.%f",
    "%m/%d/%y*%H:%M:%S",
    "%m/%d/%Y*%H:%M:%S",
    "%m/%d/%Y*%H:%M:%S*%f",
    "%m/%d/%y %H:%M:%S %z",
    "%m/%d/%Y %H:%M:%S %z",
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M:%S,%f",
    "%d/%b %H:%M:%S,%f",
    "%d/%b/%Y:%H:%M:%S",
    "%d/%b/%Y %H:%M:%S",
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M:%S.%f",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M:%S*%f",
    "%m%d_%H:%M:%S",
    "%m%d_%H:%M:%S.%f",
    "%m/%d/%Y %I:%M:%S %p:%f",
    "%m/%d/%Y %I:%M:%S %p",
];

const RESOLVE: Sig = Sig::new("resolve_timestamp_string", &["timestamp"], 1);

/// `resolve_timestamp_string(timestamp)`.
pub fn resolve_timestamp_string<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&RESOLVE, args, kwargs)?;
    let ts = b.get(0).cloned().unwrap_or(Val::None);
    if !ops::truthy(&ts) {
        return Ok(Val::None);
    }
    // `timestamp.replace("'", "")`: the same text when there is no quote.
    let stripped = match ts.as_str() {
        Some(text) if !text.contains('\'') => ts.clone(),
        _ => ops::call_method(&ts, "replace", &[Val::str("'"), Val::str("")])?,
    };
    let original = ts.as_str().unwrap_or_default();
    if let Some(s) = stripped.as_str() {
        let s: Vec<char> = s.chars().collect();
        for format in TIME_FORMATS {
            match strptime_if_matches(&s, format) {
                Ok(Some(dt)) => return Ok(Val::native(dt)),
                Ok(None) => {}
                Err(e) if matches!(e.kind, ExcKind::ValueError | ExcKind::TypeError) => {}
                Err(e) => return Err(e),
            }
        }
    }
    match dateutil::parse(original, ctx) {
        dateutil::Outcome::Parsed(dt) => return Ok(Val::native(dt)),
        dateutil::Outcome::Raised(e) => return Err(e),
        dateutil::Outcome::Failed => {}
    }
    // re.match(r"([0-9]{9,12}(\.\d+)?)", timestamp)
    let chars: Vec<char> = original.chars().collect();
    let digits = chars.iter().take(12).take_while(|c| c.is_ascii_digit()).count();
    if digits < 9 {
        return Err(PolicyError::no_attribute("NoneType", "group"));
    }
    let mut end = digits;
    if chars.get(end) == Some(&'.') {
        let frac = chars.iter().skip(end + 1).take_while(|c| c.is_ascii_digit()).count();
        if frac > 0 {
            end += 1 + frac;
        }
    }
    let matched: String = chars.get(..end).unwrap_or_default().iter().collect();
    let t: f64 = matched.parse().unwrap_or(f64::NAN);
    match from_timestamp(&Val::Float(t)) {
        Ok(dt) => Ok(Val::native(dt)),
        Err(e) if matches!(e.kind, ExcKind::ValueError | ExcKind::TypeError) => Ok(Val::None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::policy::DefaultContext;

    /// 2026-11-27T22:20:18Z, the clock of the reference run.
    struct Clock;
    impl Context for Clock {
        fn now_micros(&self) -> i64 {
            1_795_818_018_000_000
        }
        fn resource_lookup(&self, id: &str) -> Option<serde_json::Value> {
            (id == "arn:aws:s3:::b").then(|| serde_json::json!({"Name": "b", "Tags": {"a": 1}}))
        }
    }

    fn show(r: PyResult<Val<'_>>) -> String {
        match r {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        }
    }

    fn dg(d: &serde_json::Value, keys: &[&'static str], default: Option<Val<'static>>) -> String {
        let mut args = vec![json_to_val(d)];
        args.extend(keys.iter().map(|k| Val::str(k)));
        let kwargs: Vec<(&str, Val<'static>)> = default.map(|d| vec![("default", d)]).unwrap_or_default();
        show(deep_get(&args, &kwargs, &DefaultContext))
    }

    // Expected values from the real helpers under CPython 3.11.
    #[test]
    fn deep_get_edge_cases() {
        let d = serde_json::json!({"a": null, "b": {"c": 0, "e": false, "f": ""}, "l": [1], "x": 1});
        assert_eq!(dg(&d, &["a"], Some(Val::Int(5))), "5");
        assert_eq!(dg(&d, &["b", "c"], Some(Val::Int(5))), "0");
        assert_eq!(dg(&d, &["b", "e"], None), "False");
        assert_eq!(dg(&d, &["b", "f"], Some(Val::Int(5))), "''");
        assert_eq!(dg(&d, &["l", "b"], Some(Val::Int(5))), "5");
        assert_eq!(dg(&d, &["missing", "c"], None), "None");
        let walk_into_default = ops::make_dict(vec![(Val::str("c"), Val::Int(7))]).unwrap();
        assert_eq!(dg(&d, &["nope", "c"], Some(walk_into_default)), "7");
        assert_eq!(dg(&d, &[], None), "{'a': None, 'b': {'c': 0, 'e': False, 'f': ''}, 'l': [1], 'x': 1}");
        assert_eq!(show(deep_get(&[Val::None], &[("default", Val::Int(3))], &DefaultContext)), "3");
        let dict = json_to_val(&d);
        assert_eq!(show(deep_get(&[dict.clone(), Val::list(vec![])], &[], &DefaultContext)), "TypeError: unhashable type: 'list'");
        assert_eq!(show(deep_get(&[], &[], &DefaultContext)), "TypeError: deep_get() missing 1 required positional argument: 'dictionary'");
        assert_eq!(
            show(deep_get(&[dict, Val::str("a")], &[("dictionary", Val::Int(1))], &DefaultContext)),
            "TypeError: deep_get() got multiple values for argument 'dictionary'"
        );
    }

    #[test]
    fn listify_cases() {
        let l = |v: Val<'static>| show(listify(&[v], &[], &DefaultContext));
        assert_eq!(l(Val::None), "[None]");
        assert_eq!(l(Val::str("a")), "['a']");
        assert_eq!(l(Val::Int(5)), "[5]");
        assert_eq!(l(json_to_val(&serde_json::json!({"a": 1}))), "[{'a': 1}]");
        assert_eq!(l(json_to_val(&serde_json::json!([1]))), "[1]");
        assert_eq!(l(Val::tuple(vec![Val::Int(1)])), "(1,)");
        let shared = Val::list(vec![]);
        let out = listify(std::slice::from_ref(&shared), &[], &DefaultContext).unwrap();
        ops::call_method(&out, "append", &[Val::Int(1)]).unwrap();
        assert_eq!(ops::repr(&shared), "[1]", "listify returns the same list");
    }

    #[test]
    fn regions_and_lookup() {
        let regions = aws_regions(&[], &[], &DefaultContext).unwrap();
        assert_eq!(ops::len(&regions).unwrap(), 34);
        assert_eq!(ops::len(&ops::set(&regions).unwrap()).unwrap(), 27);
        assert_eq!(show(aws_regions(&[Val::Int(1)], &[], &DefaultContext)), "TypeError: aws_regions() takes 0 positional arguments but 1 was given");
        assert_eq!(show(resource_lookup(&[Val::str("")], &[], &Clock)), "PantherBadInput: resourceId cannot be blank");
        assert_eq!(show(resource_lookup(&[Val::str("x")], &[], &Clock)), "BadLookup: x not found");
        assert_eq!(show(resource_lookup(&[Val::str("arn:aws:s3:::b")], &[], &Clock)), "{'Name': 'b', 'Tags': {'a': 1}}");
    }

    fn r(v: Val<'static>) -> String {
        show(resolve_timestamp_string(&[v], &[], &Clock))
    }

    fn rs(s: &'static str) -> String {
        r(Val::str(s))
    }

    #[test]
    fn resolve_timestamp_string_matches_the_helper() {
        assert_eq!(r(Val::None), "None");
        assert_eq!(rs(""), "None");
        assert_eq!(r(Val::Int(0)), "None");
        assert_eq!(r(Val::Int(5)), "AttributeError: 'int' object has no attribute 'replace'");
        for bad in ["N/A", "no_information", "not_supported", "17000000", "abc1700000000", "2019-13-01T00:00:00Z", "2019-02-29T00:00:00Z", "31"] {
            assert_eq!(rs(bad), "AttributeError: 'NoneType' object has no attribute 'group'", "{bad}");
        }
        let cases = [
            ("2019-01-01T00:00:00Z", "datetime.datetime(2019, 1, 1, 0, 0)"),
            ("2019-01-01T00:00:00.123Z", "datetime.datetime(2019, 1, 1, 0, 0, 0, 123000)"),
            ("2009-02-13T15:31:30.000-08:00", "datetime.datetime(2009, 2, 13, 15, 31, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=57600)))"),
            ("2019-01-01T00:00:00+00:00", "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)"),
            ("'2019-01-01 00:00:00'", "datetime.datetime(2019, 1, 1, 0, 0)"),
            ("0001-01-01T00:00:00Z", "datetime.datetime(1, 1, 1, 0, 0)"),
            ("10:00:00", "datetime.datetime(1900, 1, 1, 10, 0)"),
            // dateutil
            ("2019-01-01", "datetime.datetime(2019, 1, 1, 0, 0)"),
            ("2019-01-01T00:00", "datetime.datetime(2019, 1, 1, 0, 0)"),
            ("2019-01-01T00:00:00.123456789Z", "datetime.datetime(2019, 1, 1, 0, 0, 0, 123456, tzinfo=tzlocal())"),
            ("2019-01-01T10:00:00.1234567-08:00", "datetime.datetime(2019, 1, 1, 10, 0, 0, 123456, tzinfo=tzoffset(None, -28800))"),
            ("2019-01-01T10:00:00.1234567 GMT", "datetime.datetime(2019, 1, 1, 10, 0, 0, 123456, tzinfo=tzutc())"),
            ("2019-01-01T10:00:00.1234567 EST", "datetime.datetime(2019, 1, 1, 10, 0, 0, 123456)"),
            ("01/02/2019", "datetime.datetime(2019, 1, 2, 0, 0)"),
            ("2019-01-01 10", "datetime.datetime(2019, 1, 1, 10, 0)"),
            ("10:00", "datetime.datetime(2026, 11, 27, 10, 0)"),
            ("20190101", "datetime.datetime(2019, 1, 1, 0, 0)"),
            ("190101", "datetime.datetime(2001, 1, 19, 0, 0)"),
            ("5", "datetime.datetime(2026, 11, 5, 0, 0)"),
            ("99", "datetime.datetime(1999, 11, 27, 0, 0)"),
            ("100", "datetime.datetime(100, 11, 27, 0, 0)"),
            ("2019-01-01 10:00 PM", "datetime.datetime(2019, 1, 1, 22, 0)"),
            // epoch
            ("1700000000", "datetime.datetime(2023, 11, 14, 22, 13, 20)"),
            ("1700000000.5", "datetime.datetime(2023, 11, 14, 22, 13, 20, 500000)"),
            ("1700000000abc", "datetime.datetime(2023, 11, 14, 22, 13, 20)"),
            ("1700000000.123456789", "datetime.datetime(2023, 11, 14, 22, 13, 20, 123457)"),
            ("999999999999", "None"),
        ];
        for (input, want) in cases {
            assert_eq!(rs(input), want, "{input}");
        }
        assert_eq!(rs("2200000000"), "OverflowError: signed integer is greater than maximum");
        assert_eq!(rs("1234567890123"), "OverflowError: signed integer is greater than maximum");
    }
}
