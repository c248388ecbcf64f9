//! Python's built-in functions.

use std::cmp::Ordering;

use super::{as_number, compare, elements, iter_vec, len, make_dict, make_set, repr, to_str, truthy, Num, Order};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::{Kind, Val};

/// `any(iterable)`.
pub fn any(x: &Val<'_>) -> PyResult<bool> {
    Ok(iter_vec(x)?.iter().any(truthy))
}

/// `all(iterable)`.
pub fn all(x: &Val<'_>) -> PyResult<bool> {
    Ok(iter_vec(x)?.iter().all(truthy))
}

/// `len(x)` as a value.
pub fn len_val<'a>(x: &Val<'_>) -> PyResult<Val<'a>> {
    len(x).map(Val::Int)
}

/// `bool(x)`.
pub fn bool_<'a>(x: &Val<'_>) -> Val<'a> {
    Val::Bool(truthy(x))
}

/// `str(x)`.
pub fn str_<'a>(x: &Val<'a>) -> Val<'a> {
    match x {
        Val::Str(_) => x.clone(),
        other => Val::string(to_str(other)),
    }
}

/// `int(x)`.
pub fn int_<'a>(x: &Val<'_>) -> PyResult<Val<'a>> {
    match (x.kind(), as_number(x)) {
        (_, Some(Num::Int(i))) => Ok(Val::Int(i)),
        (_, Some(Num::Float(f))) => {
            if !f.is_finite() {
                return Err(PolicyError::new(
                    if f.is_nan() { ExcKind::ValueError } else { ExcKind::Other("OverflowError") },
                    format!("cannot convert float {} to integer", super::float_repr(f)),
                ));
            }
            #[expect(clippy::cast_possible_truncation, reason = "Python truncates toward zero")]
            Ok(Val::Int(f.trunc() as i64))
        }
        (Kind::Str, _) => match parse_int(x.as_str().unwrap_or_default()) {
            Some(Ok(i)) => Ok(Val::Int(i)),
            Some(Err(())) => Err(PolicyError::new(
                ExcKind::Other("OverflowError"),
                "integer result outside the supported 64-bit range",
            )),
            None => Err(PolicyError::new(ExcKind::ValueError, format!("invalid literal for int() with base 10: {}", repr(x)))),
        },
        _ => Err(PolicyError::type_error(format!(
            "int() argument must be a string, a bytes-like object or a real number, not '{}'",
            x.type_name()
        ))),
    }
}

/// `list(iterable)`.
pub fn list<'a>(x: &Val<'a>) -> PyResult<Val<'a>> {
    Ok(Val::list(iter_vec(x)?))
}

/// `tuple(iterable)`.
pub fn tuple<'a>(x: &Val<'a>) -> PyResult<Val<'a>> {
    Ok(Val::tuple(iter_vec(x)?))
}

/// `set(iterable)`.
pub fn set<'a>(x: &Val<'a>) -> PyResult<Val<'a>> {
    make_set(iter_vec(x)?)
}

/// `dict(mapping)`.
pub fn dict<'a>(x: &Val<'a>) -> PyResult<Val<'a>> {
    if let Some(items) = super::dict_items(x) {
        return make_dict(items);
    }
    let mut entries = Vec::new();
    for pair in iter_vec(x)? {
        let kv = elements(&pair).filter(|kv| kv.len() == 2).ok_or_else(|| {
            PolicyError::new(ExcKind::ValueError, "dictionary update sequence element has the wrong length")
        })?;
        let mut kv = kv.into_iter();
        if let (Some(k), Some(v)) = (kv.next(), kv.next()) {
            entries.push((k, v));
        }
    }
    make_dict(entries)
}

/// `sorted(iterable, key=key, reverse=reverse)`: a stable sort; the first
/// comparison that raises stops it, as in CPython.
pub fn sorted<'a>(
    x: &Val<'a>,
    key: Option<&dyn Fn(Val<'a>) -> PyResult<Val<'a>>>,
    reverse: bool,
) -> PyResult<Val<'a>> {
    let items = iter_vec(x)?;
    let mut keyed: Vec<(Val<'a>, Val<'a>)> = Vec::with_capacity(items.len());
    for item in items {
        let k = match key {
            Some(f) => f(item.clone())?,
            None => item.clone(),
        };
        keyed.push((k, item));
    }
    let mut error = None;
    keyed.sort_by(|(a, _), (b, _)| {
        if error.is_some() {
            return Ordering::Equal;
        }
        match compare(Order::Lt, a, b) {
            Ok(true) => Ordering::Less,
            Ok(false) => match compare(Order::Lt, b, a) {
                Ok(true) => Ordering::Greater,
                Ok(false) => Ordering::Equal,
                Err(e) => {
                    error = Some(e);
                    Ordering::Equal
                }
            },
            Err(e) => {
                error = Some(e);
                Ordering::Equal
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    if reverse {
        // Python's reverse keeps equal elements in their original order.
        keyed.reverse();
        let mut out: Vec<(Val<'a>, Val<'a>)> = Vec::with_capacity(keyed.len());
        let mut i = 0;
        while i < keyed.len() {
            let mut j = i + 1;
            while j < keyed.len() && keyed.get(j).zip(keyed.get(i)).is_some_and(|(b, a)| super::eq(&a.0, &b.0)) {
                j += 1;
            }
            out.extend(keyed.get(i..j).unwrap_or_default().iter().rev().cloned());
            i = j;
        }
        keyed = out;
    }
    Ok(Val::list(keyed.into_iter().map(|(_, v)| v).collect()))
}

/// A type `isinstance` can test against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyType {
    /// `str`.
    Str,
    /// `int` (also true for `bool`).
    Int,
    /// `float`.
    Float,
    /// `bool`.
    Bool,
    /// `list`.
    List,
    /// `dict`.
    Dict,
    /// `set`.
    Set,
    /// `tuple`.
    Tuple,
    /// `unittest.mock.MagicMock`.
    MagicMock,
    /// A native type, by name (`datetime`).
    Native(&'static str),
}

/// `isinstance(x, (T1, T2, ...))`.
pub fn isinstance(x: &Val<'_>, types: &[PyType]) -> bool {
    types.iter().any(|t| match t {
        PyType::Str => x.kind() == Kind::Str,
        PyType::Int => matches!(x.kind(), Kind::Int | Kind::Bool),
        PyType::Float => x.kind() == Kind::Float,
        PyType::Bool => x.kind() == Kind::Bool,
        PyType::List => x.kind() == Kind::List,
        PyType::Dict => x.kind() == Kind::Dict,
        PyType::Set => x.kind() == Kind::Set,
        PyType::Tuple => x.kind() == Kind::Tuple,
        PyType::MagicMock => matches!(x, Val::Mock(_)),
        PyType::Native(name) => x.kind() == Kind::Native && x.type_name() == *name,
    })
}

/// Calls a value: only test mocks are callable values.
pub fn call_value<'a>(f: &Val<'a>, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    let _ = args;
    match f {
        Val::Mock(m) => Ok(match m {
            crate::policy::MockValue::Str(s) => Val::str(s),
            crate::policy::MockValue::Bool(b) => Val::Bool(*b),
        }),
        other => Err(PolicyError::type_error(format!("'{}' object is not callable", other.type_name()))),
    }
}

/// `min(iterable)` / `max(iterable)`.
pub fn min_max<'a>(x: &Val<'a>, max: bool) -> PyResult<Val<'a>> {
    let mut best: Option<Val<'a>> = None;
    for item in iter_vec(x)? {
        best = Some(match best {
            None => item,
            Some(b) => {
                let better = if max { compare(Order::Gt, &item, &b)? } else { compare(Order::Lt, &item, &b)? };
                if better { item } else { b }
            }
        });
    }
    best.ok_or_else(|| PolicyError::new(ExcKind::ValueError, format!("{}() arg is an empty sequence", if max { "max" } else { "min" })))
}

/// `int(text)` in base 10 as CPython reads it: surrounding whitespace
/// (ASCII `\t\n\v\f\r `, and non-ASCII Unicode whitespace, which CPython
/// turns into spaces first; not U+001C–U+001F), a sign, decimal digits of
/// any script with single underscores between them. `None` for an invalid
/// literal, `Some(Err(()))` for a valid one beyond `i64`.
fn parse_int(text: &str) -> Option<Result<i64, ()>> {
    let body = text.trim();
    let (negative, digits) = match body.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    let mut value: Option<i64> = Some(0);
    let mut previous_digit = false;
    let mut any = false;
    for c in digits.chars() {
        if c == '_' {
            if !previous_digit {
                return None;
            }
            previous_digit = false;
            continue;
        }
        let d = i64::from(super::case::decimal(c)?);
        value = value.and_then(|v| v.checked_mul(10)).and_then(|v| if negative { v.checked_sub(d) } else { v.checked_add(d) });
        previous_digit = true;
        any = true;
    }
    if !any || !previous_digit {
        return None;
    }
    Some(value.ok_or(()))
}
