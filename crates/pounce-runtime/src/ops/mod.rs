//! Python's operators with CPython's semantics, over `Val`.
//!
//! Each function documents the CPython behaviour it reproduces; the unit
//! tests at the bottom pin the edge cases (`None`, mixed numbers, missing
//! keys, unhashable keys, exception messages).

use std::rc::Rc;

use serde_json::Value as J;

use crate::consts::Const;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::{py_repr_str, Kind, PyStr, Val};

/// `bool(x)`: Python truthiness.
pub fn truthy(v: &Val<'_>) -> bool {
    match v {
        Val::None => false,
        Val::Bool(b) => *b,
        Val::Int(i) => *i != 0,
        Val::Float(x) => *x != 0.0,
        Val::Str(s) => !s.as_str().is_empty(),
        Val::Json(J::Array(a)) => !a.is_empty(),
        Val::Json(J::Object(o)) => !o.is_empty(),
        Val::Json(other) => truthy(&Val::from_json(other)),
        Val::Obj(o) => !o.py_keys().is_empty(),
        Val::Seq(s) => s.py_len() != 0,
        Val::Const(c) => match c {
            Const::List(xs) | Const::Tuple(xs) | Const::Set(xs) => !xs.is_empty(),
            Const::Dict(xs) => !xs.is_empty(),
            scalar => truthy(&Val::from_const(scalar)),
        },
        Val::List(xs) | Val::Tuple(xs) | Val::Set(xs) => !xs.is_empty(),
        Val::Dict(xs) => !xs.is_empty(),
    }
}

/// `not x`.
pub fn not(v: &Val<'_>) -> bool {
    !truthy(v)
}

/// `x is None`.
pub fn is_none(v: &Val<'_>) -> bool {
    matches!(v, Val::None | Val::Json(J::Null) | Val::Const(Const::None))
}

/// `x is y` where `y` is `None`, `True` or `False` (the only identity
/// tests the compiler accepts): singletons are identical when equal.
pub fn is(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (a.kind(), b.kind()) {
        (Kind::None, Kind::None) => true,
        (Kind::Bool, Kind::Bool) => truthy(a) == truthy(b),
        _ => false,
    }
}

/// Calls `f` on each element of a `list`, `tuple` or `set` until it
/// returns `true`. `None` when `v` is not one of those.
fn any_element<'a>(v: &Val<'a>, mut f: impl FnMut(Val<'a>) -> bool) -> Option<bool> {
    match v {
        Val::Json(J::Array(a)) => Some(a.iter().any(|x| f(Val::from_json(x)))),
        Val::Seq(s) => Some((0..s.py_len()).any(|i| s.py_index(i).is_some_and(&mut f))),
        Val::List(xs) | Val::Tuple(xs) | Val::Set(xs) => Some(xs.iter().any(|x| f(x.clone()))),
        Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)) => {
            Some(xs.iter().any(|x| f(Val::from_const(x))))
        }
        _ => None,
    }
}

/// The elements of a `list`, `tuple` or `set`.
pub fn elements<'a>(v: &Val<'a>) -> Option<Vec<Val<'a>>> {
    let mut out = Vec::new();
    any_element(v, |x| {
        out.push(x);
        false
    })?;
    Some(out)
}

/// The `(key, value)` pairs of a `dict`, in insertion order.
pub fn dict_items<'a>(v: &Val<'a>) -> Option<Vec<(Val<'a>, Val<'a>)>> {
    match v {
        Val::Json(J::Object(o)) => {
            Some(o.iter().map(|(k, x)| (Val::str(k), Val::from_json(x))).collect())
        }
        Val::Obj(o) => Some(
            o.py_keys()
                .into_iter()
                .filter_map(|k| o.py_get(k).map(|x| (Val::str(k), x)))
                .collect(),
        ),
        Val::Dict(xs) => Some(xs.as_ref().clone()),
        Val::Const(Const::Dict(xs)) => {
            Some(xs.iter().map(|(k, x)| (Val::from_const(k), Val::from_const(x))).collect())
        }
        _ => None,
    }
}

/// Whether `v` can be a `dict` key or `set` member (`hash(v)` succeeds).
fn check_hashable(v: &Val<'_>) -> PyResult<()> {
    match v.kind() {
        Kind::List | Kind::Dict | Kind::Set => {
            Err(PolicyError::type_error(format!("unhashable type: '{}'", v.type_name())))
        }
        Kind::Tuple => {
            for x in elements(v).unwrap_or_default() {
                check_hashable(&x)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `d.get(key)` on a value known to be a `dict`: `Ok(None)` when missing.
fn dict_lookup<'a>(d: &Val<'a>, key: &Val<'_>) -> PyResult<Option<Val<'a>>> {
    check_hashable(key)?;
    Ok(match d {
        Val::Json(J::Object(o)) => key.as_str().and_then(|k| o.get(k)).map(Val::from_json),
        Val::Obj(o) => key.as_str().and_then(|k| o.py_get(k)),
        Val::Dict(xs) => xs.iter().find(|(k, _)| eq(k, key)).map(|(_, x)| x.clone()),
        Val::Const(Const::Dict(xs)) => {
            xs.iter().find(|(k, _)| eq(&Val::from_const(k), key)).map(|(_, x)| Val::from_const(x))
        }
        _ => None,
    })
}

/// `x == y`.
pub fn eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    use Kind as K;
    match (a.kind(), b.kind()) {
        (K::None, K::None) => true,
        (K::Bool | K::Int | K::Float, K::Bool | K::Int | K::Float) => num_eq(a, b),
        (K::Str, K::Str) => a.as_str() == b.as_str(),
        (K::List, K::List) | (K::Tuple, K::Tuple) => {
            let (Some(xs), Some(ys)) = (elements(a), elements(b)) else { return false };
            xs.len() == ys.len() && xs.iter().zip(&ys).all(|(x, y)| eq(x, y))
        }
        (K::Set, K::Set) => {
            let (Some(xs), Some(ys)) = (elements(a), elements(b)) else { return false };
            xs.len() == ys.len() && xs.iter().all(|x| ys.iter().any(|y| eq(x, y)))
        }
        (K::Dict, K::Dict) => {
            let (Some(xs), Some(ys)) = (dict_items(a), dict_items(b)) else { return false };
            xs.len() == ys.len()
                && xs.iter().all(|(k, x)| ys.iter().any(|(l, y)| eq(k, l) && eq(x, y)))
        }
        _ => false,
    }
}

/// `x != y`.
pub fn ne(a: &Val<'_>, b: &Val<'_>) -> bool {
    !eq(a, b)
}

fn as_number(v: &Val<'_>) -> Option<Num> {
    match v {
        Val::Bool(b) => Some(Num::Int(i64::from(*b))),
        Val::Int(i) => Some(Num::Int(*i)),
        Val::Float(x) => Some(Num::Float(*x)),
        Val::Json(j) if !j.is_array() && !j.is_object() => as_number(&Val::from_json(j)),
        Val::Const(c @ (Const::Bool(_) | Const::Int(_) | Const::Float(_))) => {
            as_number(&Val::from_const(c))
        }
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum Num {
    Int(i64),
    Float(f64),
}

fn num_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    match (as_number(a), as_number(b)) {
        (Some(Num::Int(x)), Some(Num::Int(y))) => x == y,
        (Some(Num::Float(x)), Some(Num::Float(y))) => x == y,
        (Some(Num::Int(i)), Some(Num::Float(x))) | (Some(Num::Float(x)), Some(Num::Int(i))) => {
            int_float_eq(i, x)
        }
        _ => false,
    }
}

/// Exact comparison of an `int` with a `float`, as CPython does it (no
/// rounding of the `int`).
fn int_float_eq(i: i64, x: f64) -> bool {
    if !x.is_finite() || x.fract() != 0.0 {
        return false;
    }
    // `x` is integral; values outside i64's range cannot be equal to `i`.
    if x < -9.223_372_036_854_776e18 || x >= 9.223_372_036_854_776e18 {
        return false;
    }
    #[expect(clippy::cast_possible_truncation, reason = "x is integral and within i64's range")]
    let xi = x as i64;
    xi == i
}

/// `item in container`.
pub fn contains(container: &Val<'_>, item: &Val<'_>) -> PyResult<bool> {
    match container.kind() {
        Kind::Str => {
            let hay = container.as_str().unwrap_or_default();
            match item.as_str() {
                Some(needle) => Ok(hay.contains(needle)),
                None => Err(PolicyError::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    item.type_name()
                ))),
            }
        }
        Kind::List | Kind::Tuple => Ok(any_element(container, |x| eq(&x, item)).unwrap_or(false)),
        Kind::Set => {
            check_hashable(item)?;
            Ok(any_element(container, |x| eq(&x, item)).unwrap_or(false))
        }
        Kind::Dict => Ok(dict_lookup(container, item)?.is_some()),
        _ => Err(PolicyError::type_error(format!(
            "argument of type '{}' is not iterable",
            container.type_name()
        ))),
    }
}

/// `item not in container`.
pub fn not_contains(container: &Val<'_>, item: &Val<'_>) -> PyResult<bool> {
    contains(container, item).map(|b| !b)
}

/// `x[key]`.
pub fn subscript<'a>(x: &Val<'a>, key: &Val<'_>) -> PyResult<Val<'a>> {
    match x.kind() {
        Kind::Dict => match dict_lookup(x, key)? {
            Some(v) => Ok(v),
            None => Err(PolicyError::new(ExcKind::KeyError, repr(key))),
        },
        kind @ (Kind::List | Kind::Tuple | Kind::Str) => {
            let name = x.type_name();
            let Some(Num::Int(i)) = as_number(key).filter(|_| matches!(key.kind(), Kind::Int | Kind::Bool)) else {
                return Err(PolicyError::type_error(format!(
                    "{name} indices must be integers or slices, not {}",
                    key.type_name()
                )));
            };
            let out_of_range = || PolicyError::new(ExcKind::IndexError, format!("{name} index out of range"));
            if kind == Kind::Str {
                let s = x.as_str().unwrap_or_default();
                let n = s.chars().count();
                let idx = normalize_index(i, n).ok_or_else(out_of_range)?;
                let c = s.chars().nth(idx).ok_or_else(out_of_range)?;
                return Ok(Val::Str(PyStr::Owned(Rc::from(c.to_string()))));
            }
            let items = elements(x).unwrap_or_default();
            let idx = normalize_index(i, items.len()).ok_or_else(out_of_range)?;
            items.into_iter().nth(idx).ok_or_else(out_of_range)
        }
        _ => Err(PolicyError::type_error(format!(
            "'{}' object is not subscriptable",
            x.type_name()
        ))),
    }
}

fn normalize_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let j = if i < 0 { i + len } else { i };
    if (0..len).contains(&j) {
        usize::try_from(j).ok()
    } else {
        None
    }
}

/// `x.get(key, default)`.
pub fn get<'a>(x: &Val<'a>, key: &Val<'_>, default: Val<'a>) -> PyResult<Val<'a>> {
    if x.kind() != Kind::Dict {
        return Err(PolicyError::no_attribute(x.type_name(), "get"));
    }
    Ok(dict_lookup(x, key)?.unwrap_or(default))
}

/// The value `policy()` returned, which Panther requires to be a `bool`.
pub fn expect_bool(v: &Val<'_>, policy_id: &str, function: &str) -> PyResult<bool> {
    match v {
        Val::Bool(b) => Ok(*b),
        other => Err(PolicyError::new(
            ExcKind::FunctionReturnTypeError,
            format!(
                "detection [{policy_id}] function [{function}] returned [{}], expected [bool]",
                other.type_name()
            ),
        )),
    }
}

/// `repr(x)`.
pub fn repr(v: &Val<'_>) -> String {
    match v.kind() {
        Kind::None => "None".to_owned(),
        Kind::Bool => if truthy(v) { "True" } else { "False" }.to_owned(),
        Kind::Int | Kind::Float => match as_number(v) {
            Some(Num::Int(i)) => i.to_string(),
            Some(Num::Float(x)) => float_repr(x),
            None => String::new(),
        },
        Kind::Str => py_repr_str(v.as_str().unwrap_or_default()),
        Kind::List | Kind::Tuple | Kind::Set => {
            let xs = elements(v).unwrap_or_default();
            let inner: Vec<String> = xs.iter().map(repr).collect();
            match v.kind() {
                Kind::List => format!("[{}]", inner.join(", ")),
                Kind::Tuple if inner.len() == 1 => format!("({},)", inner.join("")),
                Kind::Tuple => format!("({})", inner.join(", ")),
                _ if inner.is_empty() => "set()".to_owned(),
                _ => format!("{{{}}}", inner.join(", ")),
            }
        }
        Kind::Dict => {
            let items = dict_items(v).unwrap_or_default();
            let inner: Vec<String> =
                items.iter().map(|(k, x)| format!("{}: {}", repr(k), repr(x))).collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// `str(x)`.
pub fn to_str(v: &Val<'_>) -> String {
    match v.as_str() {
        Some(s) => s.to_owned(),
        None => repr(v),
    }
}

/// `repr(x)` of a `float`, as CPython writes it: the shortest digits that
/// round-trip, in positional notation when the exponent is in `-4..16`.
pub fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `-1.2345e-7`.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
            format!("{sign}0.{zeros}{digits}")
        } else {
            let point = usize::try_from(point).unwrap_or(0);
            if digits.len() <= point {
                let zeros = "0".repeat(point - digits.len());
                format!("{sign}{digits}{zeros}.0")
            } else {
                let (int, frac) = digits.split_at(point);
                format!("{sign}{int}.{frac}")
            }
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let exp_sign = if exp < 0 { '-' } else { '+' };
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{sign}{first}{frac}e{exp_sign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests;
