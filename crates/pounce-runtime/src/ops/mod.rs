//! Python's operators with CPython's semantics, over `Val`.
//!
//! Each function documents the CPython behaviour it reproduces; the unit
//! tests pin the edge cases (`None`, mixed numbers, missing keys,
//! unhashable keys, exception messages).

mod builtins;
pub(crate) mod case;
mod flow;
mod methods;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::rc::Rc;

use serde_json::Value as J;

pub use builtins::*;
pub use flow::{exc_matches, local, local_ref, raise, recurse, unpack, Flow, MAX_CALL_DEPTH};
pub use methods::{call_method, getattr};

use crate::consts::Const;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::{py_repr_str, BinOp, HKey, Kind, PyDict, PyHash, PySet, PyStr, SetCell, Val};

/// `bool(x)`: Python truthiness.
#[inline]
pub fn truthy(v: &Val<'_>) -> bool {
    match v {
        // Conditions compile to `truthy(&Val::Bool(..))`: answer those here.
        Val::Bool(b) => *b,
        other => truthy_slow(other),
    }
}

fn truthy_slow(v: &Val<'_>) -> bool {
    match v {
        Val::None => false,
        Val::Bool(b) => *b,
        Val::Int(i) => *i != 0,
        Val::Float(x) => *x != 0.0,
        Val::Str(s) => !s.as_str().is_empty(),
        Val::Json(J::Array(a)) => !a.is_empty(),
        Val::Json(J::Object(o)) => !o.is_empty(),
        Val::Json(other) => truthy(&Val::from_json(other)),
        Val::Obj(o) => o.py_len() != 0,
        Val::Seq(s) => s.py_len() != 0,
        Val::Const(c) => match c {
            Const::List(xs) | Const::Tuple(xs) | Const::Set(xs) => !xs.is_empty(),
            Const::Dict(xs) => !xs.is_empty(),
            scalar => truthy(&Val::from_const(scalar)),
        },
        Val::List(xs) => !xs.is_empty(),
        Val::Tuple(xs) => !xs.is_empty(),
        Val::Set(xs) => !xs.is_empty(),
        Val::Dict(xs) => !xs.borrow().is_empty(),
        Val::Native(n) => n.truthy(),
        Val::Mock(_) => true,
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
        Val::List(xs) => Some(xs.borrow().iter().any(|x| f(x.clone()))),
        Val::Tuple(xs) => Some(xs.iter().any(|x| f(x.clone()))),
        // Reading a pending set does not build its hash table.
        Val::Set(xs) => match xs.pending_source() {
            Some(source) => Some(source.items().into_iter().any(f)),
            None => Some(xs.borrow().values().any(|x| f(x.clone()))),
        },
        Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)) => {
            Some(xs.iter().any(|x| f(Val::from_const(x))))
        }
        _ => None,
    }
}

/// The number of elements of a `list`, `tuple` or `set` (a hint).
fn size_hint(v: &Val<'_>) -> usize {
    match v {
        Val::Json(J::Array(a)) => a.len(),
        Val::Seq(s) => s.py_len(),
        Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)) => xs.len(),
        _ => 0,
    }
}

/// The elements of a `list`, `tuple` or `set`.
pub fn elements<'a>(v: &Val<'a>) -> Option<Vec<Val<'a>>> {
    match v {
        Val::List(xs) => return Some(xs.borrow().clone()),
        Val::Tuple(xs) => return Some(xs.to_vec()),
        Val::Set(xs) => {
            return Some(match xs.pending_source() {
                Some(source) => source.items(),
                None => xs.borrow().values().cloned().collect(),
            })
        }
        _ => {}
    }
    let mut out = Vec::with_capacity(size_hint(v));
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
        Val::Dict(xs) => Some(xs.borrow().values().cloned().collect()),
        Val::Const(Const::Dict(xs)) => {
            Some(xs.iter().map(|(k, x)| (Val::from_const(k), Val::from_const(x))).collect())
        }
        _ => None,
    }
}

/// `hash(x)` as a key: `TypeError` for unhashable values.
pub fn hash_key<'a>(v: &Val<'a>) -> PyResult<HKey<'a>> {
    let unhashable = || PolicyError::type_error(format!("unhashable type: '{}'", v.type_name()));
    Ok(match v.kind() {
        Kind::None => HKey::None,
        Kind::Bool | Kind::Int | Kind::Float => match as_number(v) {
            Some(Num::Int(i)) => HKey::Int(i),
            Some(Num::Float(x)) => float_key(x),
            None => return Err(unhashable()),
        },
        Kind::Str => match v {
            Val::Str(s) => HKey::Str(s.clone()),
            other => HKey::Str(PyStr::Owned(Rc::from(other.as_str().unwrap_or_default()))),
        },
        Kind::Tuple => {
            let items = elements(v).unwrap_or_default();
            let keys = nested(|| items.iter().map(hash_key).collect::<PyResult<Vec<_>>>())
                .ok_or_else(|| recursion_error("while calling a Python object"))??;
            HKey::Tuple(keys)
        }
        Kind::Native => match v {
            Val::Native(n) => HKey::Native(n.hash_key().ok_or_else(unhashable)?),
            _ => return Err(unhashable()),
        },
        Kind::List | Kind::Dict | Kind::Set => return Err(unhashable()),
    })
}

fn float_key<'a>(x: f64) -> HKey<'a> {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e18 {
        #[expect(clippy::cast_possible_truncation, reason = "x is integral and within i64's range")]
        return HKey::Int(x as i64);
    }
    HKey::Float(x.to_bits())
}

/// `d.get(key)` on a value known to be a `dict`: `Ok(None)` when missing.
fn dict_lookup<'a>(d: &Val<'a>, key: &Val<'_>) -> PyResult<Option<Val<'a>>> {
    match d {
        // A `str` key is hashable: look it up directly.
        Val::Json(J::Object(o)) => match key {
            Val::Str(k) => Ok(o.get(k.as_str()).map(Val::from_json)),
            _ => {
                hash_key(key)?;
                Ok(key.as_str().and_then(|k| o.get(k)).map(Val::from_json))
            }
        },
        Val::Obj(o) => match key {
            Val::Str(k) => Ok(o.py_get(k.as_str())),
            _ => {
                hash_key(key)?;
                Ok(key.as_str().and_then(|k| o.py_get(k)))
            }
        },
        Val::Dict(xs) => {
            let k = hash_key(key)?;
            Ok(xs.borrow().get(&k).map(|(_, x)| x.clone()))
        }
        Val::Const(Const::Dict(xs)) => match key.as_str() {
            Some(k) => Ok(const_key_index(xs, k).and_then(|i| xs.get(i)).map(|(_, x)| Val::from_const(x))),
            None => {
                hash_key(key)?;
                Ok(xs.iter().find(|(k, _)| eq(&Val::from_const(k), key)).map(|(_, x)| Val::from_const(x)))
            }
        },
        _ => Ok(None),
    }
}

/// `a + b` for `str`s, without the formatting machinery.
fn concat(a: &str, b: &str) -> Rc<str> {
    let mut text = String::with_capacity(a.len() + b.len());
    text.push_str(a);
    text.push_str(b);
    Rc::from(text.as_str())
}

/// `x == y`.
pub fn eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    match a {
        Val::List(_) | Val::Tuple(_) | Val::Dict(_) => {
            // The same run-time container is equal to itself without
            // comparing its elements (CPython's identity shortcut), so
            // `x == x` holds for a list that contains itself.
            if container_id(a).is_some() && container_id(a) == container_id(b) {
                return true;
            }
            nested(|| eq_inner(a, b)).unwrap_or(false)
        }
        _ => eq_inner(a, b),
    }
}

/// How deep `repr`, `==`, ordering, hashing (a `tuple` key) and
/// `json.dumps` recurse into run-time containers before they stop:
/// `RecursionError` where they can raise, `False` for `==` and
/// `[...]`/`{...}` for `repr` (CPython raises `RecursionError` at about
/// 1000 levels, and crashes hashing a tuple nested some ten thousand
/// deep). Run-time containers can be nested without bound or hold
/// themselves (`x.append(x)`); resource data and `json.loads` results are
/// bounded below this.
pub(crate) const MAX_NESTED: usize = 400;

thread_local! {
    /// The run-time containers `repr` is writing, innermost last.
    static ACTIVE: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// How deep `==` and ordering are in run-time containers.
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The address of a run-time `list` or `dict`, the containers that can
/// hold themselves.
fn container_id(v: &Val<'_>) -> Option<usize> {
    match v {
        Val::List(l) => Some(Rc::as_ptr(l).cast::<()>() as usize),
        Val::Dict(d) => Some(Rc::as_ptr(d).cast::<()>() as usize),
        _ => None,
    }
}

/// Runs `f` one level deeper; `None` beyond [`MAX_NESTED`].
fn nested<T>(f: impl FnOnce() -> T) -> Option<T> {
    let depth = DEPTH.get();
    if depth >= MAX_NESTED {
        return None;
    }
    DEPTH.set(depth + 1);
    let out = f();
    DEPTH.set(depth);
    Some(out)
}

fn recursion_error(what: &str) -> PolicyError {
    PolicyError::new(ExcKind::Other("RecursionError"), format!("maximum recursion depth exceeded {what}"))
}

fn eq_inner(a: &Val<'_>, b: &Val<'_>) -> bool {
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
        (K::Native, _) => match a {
            Val::Native(n) => n.eq(b),
            _ => false,
        },
        (_, K::Native) => match b {
            Val::Native(n) => n.eq(a),
            _ => false,
        },
        _ => false,
    }
}

/// `x != y`.
pub fn ne(a: &Val<'_>, b: &Val<'_>) -> bool {
    !eq(a, b)
}

pub(crate) fn as_number(v: &Val<'_>) -> Option<Num> {
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

#[derive(Clone, Copy, Debug)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    #[expect(clippy::cast_precision_loss, reason = "Python converts int to float the same way")]
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(x) => x,
        }
    }
}

fn num_eq(a: &Val<'_>, b: &Val<'_>) -> bool {
    num_cmp(a, b) == Some(Ordering::Equal)
}

/// Exact comparison of numbers, as CPython does it (no rounding of ints).
fn num_cmp(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (as_number(a)?, as_number(b)?) {
        (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y),
        (Num::Int(i), Num::Float(x)) => int_float_cmp(i, x),
        (Num::Float(x), Num::Int(i)) => int_float_cmp(i, x).map(Ordering::reverse),
    }
}

fn int_float_cmp(i: i64, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x >= 9.223_372_036_854_776e18 {
        return Some(Ordering::Less);
    }
    if x < -9.223_372_036_854_776e18 {
        return Some(Ordering::Greater);
    }
    let floor = x.floor();
    #[expect(clippy::cast_possible_truncation, reason = "floor(x) is within i64's range")]
    let fi = floor as i64;
    Some(match i.cmp(&fi) {
        Ordering::Equal if x > floor => Ordering::Less,
        other => other,
    })
}

/// Comparison operators that order values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl Order {
    fn symbol(self) -> &'static str {
        match self {
            Order::Lt => "<",
            Order::Le => "<=",
            Order::Gt => ">",
            Order::Ge => ">=",
        }
    }
}

/// `a < b`, `a <= b`, `a > b`, `a >= b`.
pub fn compare(op: Order, a: &Val<'_>, b: &Val<'_>) -> PyResult<bool> {
    match (a, b) {
        (Val::List(_) | Val::Tuple(_), _) => {
            nested(|| compare_inner(op, a, b)).unwrap_or_else(|| Err(recursion_error("in comparison")))
        }
        _ => compare_inner(op, a, b),
    }
}

fn compare_inner(op: Order, a: &Val<'_>, b: &Val<'_>) -> PyResult<bool> {
    use Kind as K;
    let ord = match (a.kind(), b.kind()) {
        (K::Bool | K::Int | K::Float, K::Bool | K::Int | K::Float) => match num_cmp(a, b) {
            Some(o) => o,
            None => return Ok(false), // NaN
        },
        (K::Str, K::Str) => a.as_str().cmp(&b.as_str()),
        (K::List, K::List) | (K::Tuple, K::Tuple) => {
            let (xs, ys) = (elements(a).unwrap_or_default(), elements(b).unwrap_or_default());
            let mut result = xs.len().cmp(&ys.len());
            for (x, y) in xs.iter().zip(&ys) {
                if !eq(x, y) {
                    return compare(op, x, y);
                }
            }
            if xs.len() == ys.len() {
                result = Ordering::Equal;
            }
            result
        }
        (K::Set, K::Set) => {
            let (xs, ys) = (elements(a).unwrap_or_default(), elements(b).unwrap_or_default());
            let a_in_b = xs.iter().all(|x| ys.iter().any(|y| eq(x, y)));
            let b_in_a = ys.iter().all(|y| xs.iter().any(|x| eq(x, y)));
            return Ok(match op {
                Order::Le => a_in_b,
                Order::Lt => a_in_b && xs.len() < ys.len(),
                Order::Ge => b_in_a,
                Order::Gt => b_in_a && xs.len() > ys.len(),
            });
        }
        (K::Native, _) | (_, K::Native) => {
            let found = match (a, b) {
                (Val::Native(n), _) => n.partial_cmp(b)?,
                (_, Val::Native(n)) => n.partial_cmp(a)?.map(Ordering::reverse),
                _ => None,
            };
            match found {
                Some(o) => o,
                None => return Err(not_supported(op, a, b)),
            }
        }
        _ => return Err(not_supported(op, a, b)),
    };
    Ok(match op {
        Order::Lt => ord == Ordering::Less,
        Order::Le => ord != Ordering::Greater,
        Order::Gt => ord == Ordering::Greater,
        Order::Ge => ord != Ordering::Less,
    })
}

fn not_supported(op: Order, a: &Val<'_>, b: &Val<'_>) -> PolicyError {
    PolicyError::type_error(format!(
        "'{}' not supported between instances of '{}' and '{}'",
        op.symbol(),
        a.type_name(),
        b.type_name()
    ))
}

/// `item in container`.
#[inline]
pub fn contains(container: &Val<'_>, item: &Val<'_>) -> PyResult<bool> {
    // The common `"x" in s`, without dispatching on kinds.
    if let (Val::Str(hay), Val::Str(needle)) = (container, item) {
        return Ok(str_contains(hay.as_str(), needle.as_str()));
    }
    match (container, item.as_str()) {
        // A `str` in a module constant (`x in APPROVED_TYPES`): a `str`
        // equals only a `str`, and a `str` is hashable, so comparing the
        // text is the whole test.
        (Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)), Some(needle)) => {
            Ok(const_index(xs, needle).is_some())
        }
        (Val::Const(Const::Dict(entries)), Some(needle)) => Ok(const_key_index(entries, needle).is_some()),
        _ => contains_slow(container, item),
    }
}

/// `item in x.keys()`: `item in x` for a `dict` (what `dict_keys` tests,
/// `TypeError` for an unhashable item included), without listing the keys.
pub fn in_keys(x: &Val<'_>, item: &Val<'_>) -> PyResult<bool> {
    if x.kind() == Kind::Dict {
        return contains(x, item);
    }
    contains(&methods::call_method(x, "keys", &[])?, item)
}

/// The position of the `str` `needle` among a constant's elements.
#[inline]
fn const_index(xs: &[Const], needle: &str) -> Option<usize> {
    xs.iter().position(|x| matches!(x, Const::Str(s) if *s == needle))
}

/// The position of the `str` key `needle` among a constant `dict`'s
/// entries (their keys are distinct: the generator folds repeated keys).
#[inline]
fn const_key_index(entries: &[(Const, Const)], needle: &str) -> Option<usize> {
    entries.iter().position(|(k, _)| matches!(k, Const::Str(s) if *s == needle))
}

fn contains_slow(container: &Val<'_>, item: &Val<'_>) -> PyResult<bool> {
    match container.kind() {
        Kind::Str => {
            let hay = container.as_str().unwrap_or_default();
            match item.as_str() {
                Some(needle) => Ok(str_contains(hay, needle)),
                None => Err(PolicyError::type_error(format!(
                    "'in <string>' requires string as left operand, not {}",
                    item.type_name()
                ))),
            }
        }
        Kind::List | Kind::Tuple => match container {
            Val::List(xs) => match xs.pending_source() {
                Some(source) => Ok(source.contains(item)),
                None => Ok(any_element(container, |x| eq(&x, item)).unwrap_or(false)),
            },
            _ => Ok(any_element(container, |x| eq(&x, item)).unwrap_or(false)),
        },
        Kind::Set => {
            let key = hash_key(item)?;
            match container {
                Val::Set(s) => match s.pending_source() {
                    Some(source) => Ok(source.contains(item)),
                    None => Ok(s.borrow().contains_key(&key)),
                },
                _ => Ok(any_element(container, |x| eq(&x, item)).unwrap_or(false)),
            }
        }
        Kind::Dict => Ok(dict_lookup(container, item)?.is_some()),
        Kind::Native => match container {
            Val::Native(n) => n.contains(item).unwrap_or_else(|| Err(not_iterable(container))),
            _ => Err(not_iterable(container)),
        },
        _ => Err(not_iterable(container)),
    }
}

/// `needle in hay` for `str`s. Byte-wise search is exact for UTF-8 (no
/// character's encoding occurs inside another's). Short haystacks, the
/// usual case (`"vpc" in action`), are searched eight bytes at a time for
/// the needle's first byte, and compared where it occurs: setting up a
/// general substring search costs more than that.
fn str_contains(hay: &str, needle: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return true };
    if h.len() > 128 {
        return memchr::memmem::find(h, n).is_some();
    }
    let Some(last_start) = h.len().checked_sub(n.len()) else { return false };
    let pattern = u64::from(first) * ONES;
    let mut at = 0;
    while at <= last_start {
        let available = h.get(at..).unwrap_or_default();
        let chunk: [u8; 8] = match available.first_chunk::<8>() {
            Some(chunk) => *chunk,
            None => {
                let mut chunk = [0u8; 8];
                for (d, s) in chunk.iter_mut().zip(available) {
                    *d = *s;
                }
                chunk
            }
        };
        // A high bit marks each byte equal to `first` (and possibly a
        // byte after one: every mark is checked).
        let x = u64::from_le_bytes(chunk) ^ pattern;
        let mut marks = x.wrapping_sub(ONES) & !x & HIGHS;
        while marks != 0 {
            let i = at + (marks.trailing_zeros() / 8) as usize;
            if i > last_start {
                break;
            }
            // The last byte first: most candidates fail there, without a
            // call to `memcmp`.
            if h.get(i + n.len() - 1) == n.last() && h.get(i..i + n.len()) == Some(n) {
                return true;
            }
            marks &= marks - 1;
        }
        at += 8;
    }
    false
}

fn not_iterable(v: &Val<'_>) -> PolicyError {
    PolicyError::type_error(format!("argument of type '{}' is not iterable", v.type_name()))
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
            let i = match (key.kind(), as_number(key)) {
                (Kind::Int | Kind::Bool, Some(Num::Int(i))) => i,
                _ => {
                    return Err(PolicyError::type_error(format!(
                        "{name} indices must be integers or slices, not {}",
                        key.type_name()
                    )))
                }
            };
            let out_of_range = || PolicyError::new(ExcKind::IndexError, format!("{name} index out of range"));
            if kind == Kind::Str {
                let s = x.as_str().unwrap_or_default();
                let n = s.chars().count();
                let idx = normalize_index(i, n).ok_or_else(out_of_range)?;
                let c = s.chars().nth(idx).ok_or_else(out_of_range)?;
                return Ok(Val::string(c.to_string()));
            }
            let items = elements(x).unwrap_or_default();
            let idx = normalize_index(i, items.len()).ok_or_else(out_of_range)?;
            items.into_iter().nth(idx).ok_or_else(out_of_range)
        }
        _ => match x {
            Val::Native(n) => n.getitem(key),
            _ => None,
        }
        .unwrap_or_else(|| Err(PolicyError::type_error(format!("'{}' object is not subscriptable", x.type_name())))),
    }
}

/// `x[key] = value`.
pub fn set_item<'a>(x: &Val<'a>, key: Val<'a>, value: Val<'a>) -> PyResult<()> {
    match x {
        Val::Dict(d) => {
            let k = hash_key(&key)?;
            let mut d = d.borrow_mut();
            match d.get_mut(&k) {
                Some(entry) => entry.1 = value,
                None => {
                    d.insert(k, (key, value));
                }
            }
            Ok(())
        }
        Val::List(l) => {
            let i = match (key.kind(), as_number(&key)) {
                (Kind::Int | Kind::Bool, Some(Num::Int(i))) => i,
                _ => {
                    return Err(PolicyError::type_error(format!(
                        "list indices must be integers or slices, not {}",
                        key.type_name()
                    )))
                }
            };
            let mut l = l.borrow_mut();
            let idx = normalize_index(i, l.len())
                .ok_or_else(|| PolicyError::new(ExcKind::IndexError, "list assignment index out of range"))?;
            if let Some(slot) = l.get_mut(idx) {
                *slot = value;
            }
            Ok(())
        }
        Val::Json(_) | Val::Obj(_) | Val::Seq(_) | Val::Const(_) => Err(PolicyError::new(
            ExcKind::Other("NotImplementedError"),
            "the resource and module constants are read-only in compiled policies",
        )),
        other => Err(PolicyError::type_error(format!(
            "'{}' object does not support item assignment",
            other.type_name()
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
    Ok(get_opt(x, key)?.unwrap_or(default))
}

/// `x.get(key, default)` before the default is built: `Ok(None)` when the
/// key is missing, and `get`'s exceptions otherwise. The generator calls
/// it when the default is a literal (building it has no effect), so that
/// `resource.get("Tags", {})` builds no `dict` when the key is there.
pub fn get_opt<'a>(x: &Val<'a>, key: &Val<'_>) -> PyResult<Option<Val<'a>>> {
    if x.kind() != Kind::Dict {
        return Err(PolicyError::no_attribute(x.type_name(), "get"));
    }
    dict_lookup(x, key)
}

/// `len(x)`.
pub fn len(x: &Val<'_>) -> PyResult<i64> {
    let n = match x {
        Val::Str(s) => s.as_str().chars().count(),
        Val::Json(J::Array(a)) => a.len(),
        Val::Json(J::Object(o)) => o.len(),
        Val::Obj(o) => o.py_len(),
        Val::Seq(s) => s.py_len(),
        Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)) => xs.len(),
        Val::Const(Const::Dict(xs)) => xs.len(),
        Val::Const(Const::Str(s)) => s.chars().count(),
        Val::List(xs) => xs.len(),
        Val::Tuple(xs) => xs.len(),
        Val::Set(xs) => xs.len(),
        Val::Dict(xs) => xs.borrow().len(),
        Val::Native(n) if n.py_len().is_some() => n.py_len().unwrap_or(0),
        other => {
            return Err(PolicyError::type_error(format!(
                "object of type '{}' has no len()",
                other.type_name()
            )))
        }
    };
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// What `for item in x` visits: `iter(x)` as a snapshot of the elements
/// (the loop body may change `x`), except that a module constant or a list
/// of the resource, which cannot change, is read in place. Generated loops
/// iterate it.
pub struct PyIter<'a>(IterInner<'a>);

enum IterInner<'a> {
    Items(std::vec::IntoIter<Val<'a>>),
    Consts(std::slice::Iter<'static, Const>),
    /// A JSON array of the resource, read in place (resource data is
    /// read-only, so no snapshot is needed).
    Json(std::slice::Iter<'a, J>),
    /// A typed list of the resource, read in place.
    Seq(&'a dyn crate::value::Sequence, std::ops::Range<usize>),
}

impl<'a> Iterator for PyIter<'a> {
    type Item = Val<'a>;

    fn next(&mut self) -> Option<Val<'a>> {
        match &mut self.0 {
            IterInner::Items(items) => items.next(),
            IterInner::Consts(consts) => consts.next().map(Val::from_const),
            IterInner::Json(items) => items.next().map(Val::from_json),
            IterInner::Seq(seq, range) => {
                // `py_index` is `Some` for every index below `py_len`.
                let seq: &'a dyn crate::value::Sequence = *seq;
                range.next().and_then(|i| seq.py_index(i))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterInner::Items(items) => items.size_hint(),
            IterInner::Consts(consts) => consts.size_hint(),
            IterInner::Json(items) => items.size_hint(),
            IterInner::Seq(_, range) => range.size_hint(),
        }
    }
}

impl ExactSizeIterator for PyIter<'_> {}

impl std::fmt::Debug for PyIter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PyIter")
    }
}

/// `iter(x)`: the elements of a sequence or set, the keys of a dict, the
/// characters of a str (see [`PyIter`]; [`iter_vec`] collects them).
pub fn iter<'a>(x: &Val<'a>) -> PyResult<PyIter<'a>> {
    match x {
        Val::Const(Const::List(xs) | Const::Tuple(xs) | Const::Set(xs)) => {
            return Ok(PyIter(IterInner::Consts(xs.iter())));
        }
        Val::Json(J::Array(xs)) => return Ok(PyIter(IterInner::Json(xs.iter()))),
        Val::Seq(seq) => return Ok(PyIter(IterInner::Seq(*seq, 0..seq.py_len()))),
        _ => {}
    }
    iter_vec(x).map(|items| PyIter(IterInner::Items(items.into_iter())))
}

/// `iter(x)`, collected: the elements of a sequence or set, the keys of a
/// dict, the characters of a str.
pub fn iter_vec<'a>(x: &Val<'a>) -> PyResult<Vec<Val<'a>>> {
    if let Some(items) = elements(x) {
        return Ok(items);
    }
    if let Some(items) = dict_items(x) {
        return Ok(items.into_iter().map(|(k, _)| k).collect());
    }
    if let Some(s) = x.as_str() {
        return Ok(s.chars().map(|c| Val::string(c.to_string())).collect());
    }
    if let Some(items) = match x {
        Val::Native(n) => n.py_iter(),
        _ => None,
    } {
        return Ok(items);
    }
    Err(PolicyError::type_error(format!("'{}' object is not iterable", x.type_name())))
}

/// A new `set` of `items` (`TypeError` if one is unhashable).
pub fn make_set<'a>(items: impl IntoIterator<Item = Val<'a>>) -> PyResult<Val<'a>> {
    let mut set = PySet::default();
    for item in items {
        let k = hash_key(&item)?;
        set.entry(k).or_insert(item);
    }
    Ok(Val::Set(Rc::new(SetCell::new(set))))
}

/// `SET_ADD` of a set comprehension: hashes `item` as it is produced, so an
/// unhashable element raises before later elements are computed.
pub fn set_add<'a>(set: &mut PySet<'a>, item: Val<'a>) -> PyResult<()> {
    let k = hash_key(&item)?;
    set.entry(k).or_insert(item);
    Ok(())
}

/// `MAP_ADD` of a dict comprehension: a repeated key keeps its first
/// position and takes the new value; an unhashable key raises at once.
pub fn dict_add<'a>(dict: &mut PyDict<'a>, key: Val<'a>, value: Val<'a>) -> PyResult<()> {
    let h = hash_key(&key)?;
    match dict.get_mut(&h) {
        Some(entry) => entry.1 = value,
        None => {
            dict.insert(h, (key, value));
        }
    }
    Ok(())
}

/// A `set` value of built elements.
pub fn set_value(set: PySet<'_>) -> Val<'_> {
    Val::Set(Rc::new(SetCell::new(set)))
}

/// A `dict` value of built entries.
pub fn dict_value(dict: PyDict<'_>) -> Val<'_> {
    Val::Dict(Rc::new(crate::value::DictCell::new(dict)))
}

/// A new `dict` of `entries`; a repeated key keeps its first position and
/// its last value.
pub fn make_dict<'a>(entries: impl IntoIterator<Item = (Val<'a>, Val<'a>)>) -> PyResult<Val<'a>> {
    let entries = entries.into_iter();
    let mut dict = PyDict::with_capacity_and_hasher(entries.size_hint().0, PyHash::default());
    for (k, v) in entries {
        // A repeated key keeps its first position and takes the last value.
        match dict.entry(hash_key(&k)?) {
            indexmap::map::Entry::Occupied(mut slot) => slot.get_mut().1 = v,
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert((k, v));
            }
        }
    }
    Ok(Val::Dict(Rc::new(crate::value::DictCell::new(dict))))
}

/// `a op b` for the arithmetic and set operators.
pub fn binop<'a>(op: BinOp, a: &Val<'a>, b: &Val<'a>) -> PyResult<Val<'a>> {
    use Kind as K;
    if let Val::Native(n) = a {
        if let Some(r) = n.binop(op, b, false) {
            return r;
        }
    }
    if let Val::Native(n) = b {
        if let Some(r) = n.binop(op, a, true) {
            return r;
        }
    }
    let unsupported = || {
        PolicyError::type_error(format!(
            "unsupported operand type(s) for {}: '{}' and '{}'",
            op.symbol(),
            a.type_name(),
            b.type_name()
        ))
    };
    match (a.kind(), b.kind()) {
        (K::Bool | K::Int | K::Float, K::Bool | K::Int | K::Float) => {
            let (Some(x), Some(y)) = (as_number(a), as_number(b)) else { return Err(unsupported()) };
            arith(op, x, y, a, b).ok_or_else(unsupported)?
        }
        (K::Str, K::Str) if op == BinOp::Add => {
            let (a, b) = (a.as_str().unwrap_or_default(), b.as_str().unwrap_or_default());
            Ok(Val::Str(PyStr::Owned(concat(a, b))))
        }
        (K::List, K::List) if op == BinOp::Add => {
            let mut items = elements(a).unwrap_or_default();
            items.extend(elements(b).unwrap_or_default());
            Ok(Val::list(items))
        }
        (K::Tuple, K::Tuple) if op == BinOp::Add => {
            let mut items = elements(a).unwrap_or_default();
            items.extend(elements(b).unwrap_or_default());
            Ok(Val::tuple(items))
        }
        (K::Set, K::Set) => {
            let xs = elements(a).unwrap_or_default();
            let ys = elements(b).unwrap_or_default();
            let in_ys = |x: &Val<'_>| ys.iter().any(|y| eq(x, y));
            let in_xs = |y: &Val<'_>| xs.iter().any(|x| eq(x, y));
            match op {
                BinOp::And => make_set(xs.iter().filter(|x| in_ys(x)).cloned()),
                BinOp::Or => make_set(xs.iter().cloned().chain(ys.iter().cloned())),
                BinOp::Sub => make_set(xs.iter().filter(|x| !in_ys(x)).cloned()),
                BinOp::Xor => make_set(
                    xs.iter().filter(|x| !in_ys(x)).cloned().chain(ys.iter().filter(|y| !in_xs(y)).cloned()),
                ),
                _ => Err(unsupported()),
            }
        }
        (K::Str | K::List | K::Tuple, K::Int | K::Bool) if op == BinOp::Mul => repeat(a, b),
        (K::Int | K::Bool, K::Str | K::List | K::Tuple) if op == BinOp::Mul => repeat(b, a),
        _ => Err(unsupported()),
    }
}

/// The most bytes (`str`) or elements (`list`, `tuple`) a repetition
/// builds; beyond, `MemoryError` (CPython tries to allocate it, and on a
/// machine like ours fails the same way a few gigabytes later).
const MAX_REPEAT: usize = 1 << 31;

/// `seq * count` (or `count * seq`): a negative count is zero.
pub(crate) fn repeat<'a>(seq: &Val<'a>, count: &Val<'_>) -> PyResult<Val<'a>> {
    let n = match as_number(count) {
        Some(Num::Int(n)) => usize::try_from(n.max(0)).unwrap_or(0),
        _ => 0,
    };
    let memory = || PolicyError::new(ExcKind::Other("MemoryError"), "");
    match seq.kind() {
        Kind::Str => {
            let s = seq.as_str().unwrap_or_default();
            // CPython counts characters against `sys.maxsize` first.
            if s.chars().count().checked_mul(n).is_none_or(|chars| chars > isize::MAX as usize) {
                return Err(PolicyError::new(ExcKind::Other("OverflowError"), "repeated string is too long"));
            }
            match s.len().checked_mul(n) {
                Some(bytes) if bytes <= MAX_REPEAT => Ok(Val::string(s.repeat(n))),
                _ => Err(memory()),
            }
        }
        kind => {
            let items = elements(seq).unwrap_or_default();
            let total = items.len().checked_mul(n).filter(|&t| t <= MAX_REPEAT).ok_or_else(memory)?;
            let out: Vec<Val<'a>> = items.iter().cycle().take(total).cloned().collect();
            Ok(if kind == Kind::Tuple { Val::tuple(out) } else { Val::list(out) })
        }
    }
}

fn arith<'a>(op: BinOp, x: Num, y: Num, a: &Val<'_>, b: &Val<'_>) -> Option<PyResult<Val<'a>>> {
    let zero = || PolicyError::new(ExcKind::ZeroDivisionError, "division by zero");
    let overflow = || PolicyError::new(ExcKind::Other("OverflowError"), "integer result outside the supported 64-bit range");
    let both_bool = matches!((a.kind(), b.kind()), (Kind::Bool, Kind::Bool));
    match (x, y) {
        (Num::Int(x), Num::Int(y)) => Some(match op {
            BinOp::Add => x.checked_add(y).map(Val::Int).ok_or_else(overflow),
            BinOp::Sub => x.checked_sub(y).map(Val::Int).ok_or_else(overflow),
            BinOp::Mul => x.checked_mul(y).map(Val::Int).ok_or_else(overflow),
            BinOp::Div => {
                if y == 0 {
                    Err(PolicyError::new(ExcKind::ZeroDivisionError, "division by zero"))
                } else {
                    Ok(Val::Float(Num::Int(x).as_f64() / Num::Int(y).as_f64()))
                }
            }
            BinOp::FloorDiv => {
                if y == 0 {
                    Err(PolicyError::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero"))
                } else {
                    x.checked_div_euclid(y).map(|_| Val::Int(x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0))).ok_or_else(overflow)
                }
            }
            BinOp::Mod => {
                if y == 0 {
                    Err(PolicyError::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero"))
                } else {
                    let r = x.rem_euclid(y);
                    Ok(Val::Int(if y < 0 && r != 0 { r + y } else { r }))
                }
            }
            BinOp::And if both_bool => Ok(Val::Bool(x & y != 0)),
            BinOp::Or if both_bool => Ok(Val::Bool(x | y != 0)),
            BinOp::Xor if both_bool => Ok(Val::Bool(x ^ y != 0)),
            BinOp::And => Ok(Val::Int(x & y)),
            BinOp::Or => Ok(Val::Int(x | y)),
            BinOp::Xor => Ok(Val::Int(x ^ y)),
        }),
        (x, y) => {
            let (x, y) = (x.as_f64(), y.as_f64());
            Some(match op {
                BinOp::Add => Ok(Val::Float(x + y)),
                BinOp::Sub => Ok(Val::Float(x - y)),
                BinOp::Mul => Ok(Val::Float(x * y)),
                BinOp::Div if y == 0.0 => Err(PolicyError::new(ExcKind::ZeroDivisionError, "float division by zero")),
                BinOp::Div => Ok(Val::Float(x / y)),
                BinOp::FloorDiv if y == 0.0 => Err(zero()),
                BinOp::FloorDiv => Ok(Val::Float((x / y).floor())),
                BinOp::Mod if y == 0.0 => Err(PolicyError::new(ExcKind::ZeroDivisionError, "float modulo")),
                BinOp::Mod => {
                    let r = x % y;
                    Ok(Val::Float(if r != 0.0 && (r < 0.0) != (y < 0.0) { r + y } else { r }))
                }
                BinOp::And | BinOp::Or | BinOp::Xor => return None,
            })
        }
    }
}

/// `-x`.
pub fn neg<'a>(x: &Val<'a>) -> PyResult<Val<'a>> {
    match as_number(x) {
        Some(Num::Int(i)) => i
            .checked_neg()
            .map(Val::Int)
            .ok_or_else(|| PolicyError::new(ExcKind::Other("OverflowError"), "integer result outside the supported 64-bit range")),
        Some(Num::Float(f)) => Ok(Val::Float(-f)),
        None => Err(PolicyError::type_error(format!("bad operand type for unary -: '{}'", x.type_name()))),
    }
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
    let (id, open, close) = match v {
        Val::List(l) => (Rc::as_ptr(l).cast::<()>() as usize, "[", "]"),
        Val::Dict(d) => (Rc::as_ptr(d).cast::<()>() as usize, "{", "}"),
        Val::Tuple(t) => (t.as_ptr() as usize, "(", ")"),
        _ => return repr_inner(v),
    };
    // A container inside itself is written `[...]` / `{...}`, as CPython's
    // `Py_ReprEnter` does; nesting beyond `MAX_NESTED` is cut the same way.
    let entered = ACTIVE.with_borrow_mut(|active| {
        if active.contains(&id) || active.len() >= MAX_NESTED {
            return false;
        }
        active.push(id);
        true
    });
    if !entered {
        return format!("{open}...{close}");
    }
    let out = repr_inner(v);
    ACTIVE.with_borrow_mut(|active| active.pop());
    out
}

fn repr_inner(v: &Val<'_>) -> String {
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
        Kind::Native => match v {
            Val::Native(n) => n.repr(),
            Val::Mock(_) => "<MagicMock id='0'>".to_owned(),
            _ => String::new(),
        },
    }
}

/// `str(x)`.
pub fn to_str(v: &Val<'_>) -> String {
    match v {
        Val::Native(n) => n.str(),
        _ => match v.as_str() {
            Some(s) => s.to_owned(),
            None => repr(v),
        },
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
