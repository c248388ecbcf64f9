//! Control flow and exceptions: locals, unpacking, `try`/`except`, `raise`.

use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::Val;

/// How a `try` body (compiled to a closure) ended.
#[derive(Debug)]
pub enum Flow<'a> {
    /// It ran to its end.
    Next,
    /// It executed `return value`.
    Return(Val<'a>),
    /// It executed `break`.
    Break,
    /// It executed `continue`.
    Continue,
}

/// Reads a local variable: `UnboundLocalError` before its first assignment.
#[inline]
pub fn local<'a>(slot: &Option<Val<'a>>, name: &str) -> PyResult<Val<'a>> {
    local_ref(slot, name).cloned()
}

/// Lends a local variable in place (an operand read without a clone):
/// `UnboundLocalError` before its first assignment.
#[inline]
pub fn local_ref<'s, 'a>(slot: &'s Option<Val<'a>>, name: &str) -> PyResult<&'s Val<'a>> {
    slot.as_ref().ok_or_else(|| unbound(name))
}

/// How deep calls of a policy's own recursive functions may nest:
/// CPython's default recursion limit (which also counts the frames below
/// `policy()`, so CPython stops a few frames earlier).
pub const MAX_CALL_DEPTH: u32 = 1000;

/// The stack a recursive call must find free; with less, it continues on a
/// new stack segment of [`SEGMENT`] bytes (`stacker`), so that the
/// generated code's frames, larger than CPython's, reach
/// [`MAX_CALL_DEPTH`] on any thread (scanner and test threads have small
/// stacks) without overflowing.
const RED_ZONE: usize = 512 * 1024;
const SEGMENT: usize = 8 * 1024 * 1024;

thread_local! {
    /// Calls of recursive functions under way on this thread.
    static CALLS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A call of a recursive function in progress; leaving it (return or
/// exception) ends it.
#[derive(Debug)]
struct CallGuard(());

impl Drop for CallGuard {
    fn drop(&mut self) {
        CALLS.set(CALLS.get().saturating_sub(1));
    }
}

/// Runs the body of a policy's function that can call itself (directly or
/// through others; the generator finds them): CPython's `RecursionError`
/// beyond [`MAX_CALL_DEPTH`] nested calls, and never a stack overflow.
#[inline]
pub fn recurse<T>(body: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let depth = CALLS.get();
    if depth >= MAX_CALL_DEPTH {
        return Err(PolicyError::new(ExcKind::Other("RecursionError"), "maximum recursion depth exceeded"));
    }
    CALLS.set(depth + 1);
    let _call = CallGuard(());
    stacker::maybe_grow(RED_ZONE, SEGMENT, body)
}

#[cold]
fn unbound(name: &str) -> PolicyError {
    PolicyError::new(
        ExcKind::Other("UnboundLocalError"),
        format!("cannot access local variable '{name}' where it is not associated with a value"),
    )
}

/// `a, b = value`: exactly `N` items.
pub fn unpack<'a, const N: usize>(value: &Val<'a>) -> PyResult<[Val<'a>; N]> {
    let items = super::iter_vec(value).map_err(|_| {
        PolicyError::type_error(format!("cannot unpack non-iterable {} object", value.type_name()))
    })?;
    let got = items.len();
    if got < N {
        return Err(PolicyError::new(
            ExcKind::ValueError,
            format!("not enough values to unpack (expected {N}, got {got})"),
        ));
    }
    if got > N {
        return Err(PolicyError::new(ExcKind::ValueError, format!("too many values to unpack (expected {N})")));
    }
    let mut items = items.into_iter();
    Ok(std::array::from_fn(|_| items.next().unwrap_or(Val::None)))
}

/// The base classes of the exceptions the runtime raises, per CPython.
fn bases(name: &str) -> &'static [&'static str] {
    match name {
        "KeyError" | "IndexError" => &["LookupError", "Exception", "BaseException"],
        "JSONDecodeError" | "AddressValueError" | "NetmaskValueError" => &["ValueError", "Exception", "BaseException"],
        "UnboundLocalError" => &["NameError", "Exception", "BaseException"],
        "ZeroDivisionError" | "OverflowError" => &["ArithmeticError", "Exception", "BaseException"],
        "NotImplementedError" => &["RuntimeError", "Exception", "BaseException"],
        _ => &["Exception", "BaseException"],
    }
}

/// Whether `except (names...)` catches `e`; an empty list is a bare
/// `except:`.
pub fn exc_matches(e: &PolicyError, names: &[&str]) -> bool {
    if names.is_empty() {
        return true;
    }
    let own = e.kind.name();
    names.iter().any(|n| *n == own || bases(own).contains(n))
}

/// `raise Name(message)`.
pub fn raise(name: &'static str, message: Option<&Val<'_>>) -> PolicyError {
    let kind = match name {
        "KeyError" => ExcKind::KeyError,
        "TypeError" => ExcKind::TypeError,
        "AttributeError" => ExcKind::AttributeError,
        "ValueError" => ExcKind::ValueError,
        "IndexError" => ExcKind::IndexError,
        "ZeroDivisionError" => ExcKind::ZeroDivisionError,
        other => ExcKind::Other(other),
    };
    let message = match (kind, message) {
        (_, None) => String::new(),
        (ExcKind::KeyError, Some(m)) => super::repr(m),
        (_, Some(m)) => super::to_str(m),
    };
    PolicyError::new(kind, message)
}
