//! Argument binding with CPython's error messages.
//!
//! [`Sig`] describes a function defined in Python (`def f(a, b=1, *rest,
//! key=None)`) and [`bind`] matches a call against it, raising the
//! `TypeError`s CPython 3.11 raises for a bad call, checked in CPython's
//! order: unexpected or repeated keywords, then too many positional
//! arguments, then missing ones.
//!
//! Functions implemented in C (`datetime`, `timedelta`) have their own
//! messages and check their arguments by hand.

use smallvec::SmallVec;

use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::{BinOp, Kind, Val};

/// The signature of a function defined in Python.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sig {
    /// The qualified name CPython prints (`deep_get`,
    /// `IPv4Network.__init__`).
    pub name: &'static str,
    /// Positional-or-keyword parameters, in order.
    pub params: &'static [&'static str],
    /// How many leading `params` have no default.
    pub required: usize,
    /// Whether the function takes `*args` after `params`.
    pub varargs: bool,
    /// Keyword-only parameters (all with defaults).
    pub kwonly: &'static [&'static str],
    /// Whether the function takes `**kwargs`.
    pub varkw: bool,
    /// Whether the function is a method: CPython then counts `self` in
    /// the positional counts of its messages.
    pub method: bool,
}

impl Sig {
    /// A plain function with `params`, the first `required` of them
    /// without default.
    pub(crate) const fn new(name: &'static str, params: &'static [&'static str], required: usize) -> Sig {
        Sig { name, params, required, varargs: false, kwonly: &[], varkw: false, method: false }
    }
}

/// A call matched against a [`Sig`].
#[derive(Debug)]
pub(crate) struct Bound<'a> {
    /// One slot per parameter of `params`: `None` when defaulted (inline:
    /// binding a call allocates nothing for up to four parameters).
    pub params: SmallVec<[Option<Val<'a>>; 4]>,
    /// The extra positional arguments (`*args`; inline up to four, as
    /// `deep_get(resource, "A", "B")` passes them).
    pub rest: SmallVec<[Val<'a>; 4]>,
    /// One slot per keyword-only parameter (inline up to two).
    pub kwonly: SmallVec<[Option<Val<'a>>; 2]>,
    /// The extra keyword arguments (`**kwargs`), in call order.
    pub extra: Vec<(String, Val<'a>)>,
}

impl<'a> Bound<'a> {
    /// The value of parameter `i` (`None` when defaulted).
    pub(crate) fn get(&self, i: usize) -> Option<&Val<'a>> {
        self.params.get(i).and_then(Option::as_ref)
    }

    /// The value of keyword-only parameter `i`.
    pub(crate) fn kw(&self, i: usize) -> Option<&Val<'a>> {
        self.kwonly.get(i).and_then(Option::as_ref)
    }
}

/// Matches `args` and `kwargs` against `sig`.
pub(crate) fn bind<'a>(sig: &Sig, args: &[Val<'a>], kwargs: &[(&str, Val<'a>)]) -> PyResult<Bound<'a>> {
    let n = sig.params.len();
    let mut params: SmallVec<[Option<Val<'a>>; 4]> = smallvec::smallvec![None; n];
    for (slot, a) in params.iter_mut().zip(args) {
        *slot = Some(a.clone());
    }
    let rest: SmallVec<[Val<'a>; 4]> = if sig.varargs { args.iter().skip(n).cloned().collect() } else { SmallVec::new() };
    let mut kwonly: SmallVec<[Option<Val<'a>>; 2]> = smallvec::smallvec![None; sig.kwonly.len()];
    let mut extra = Vec::new();
    let mut kwonly_given = 0usize;
    for (name, v) in kwargs {
        if let Some(i) = sig.params.iter().position(|p| p == name) {
            match params.get_mut(i) {
                Some(slot @ None) => *slot = Some(v.clone()),
                _ => {
                    return Err(PolicyError::type_error(format!(
                        "{}() got multiple values for argument '{name}'",
                        sig.name
                    )))
                }
            }
        } else if let Some(i) = sig.kwonly.iter().position(|p| p == name) {
            if let Some(slot) = kwonly.get_mut(i) {
                *slot = Some(v.clone());
                kwonly_given += 1;
            }
        } else if sig.varkw {
            extra.push(((*name).to_owned(), v.clone()));
        } else {
            return Err(PolicyError::type_error(format!(
                "{}() got an unexpected keyword argument '{name}'",
                sig.name
            )));
        }
    }
    if !sig.varargs && args.len() > n {
        return Err(too_many_positional(sig, args.len(), kwonly_given));
    }
    let missing: Vec<&str> = sig
        .params
        .iter()
        .zip(&params)
        .take(sig.required)
        .filter(|(_, v)| v.is_none())
        .map(|(p, _)| *p)
        .collect();
    if !missing.is_empty() {
        return Err(PolicyError::type_error(format!(
            "{}() missing {} required positional argument{}: {}",
            sig.name,
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            name_list(&missing)
        )));
    }
    Ok(Bound { params, rest, kwonly, extra })
}

fn too_many_positional(sig: &Sig, given: usize, kwonly_given: usize) -> PolicyError {
    let extra = usize::from(sig.method);
    let max = sig.params.len() + extra;
    let min = sig.required + extra;
    let (takes, plural) = if min == max { (max.to_string(), max != 1) } else { (format!("from {min} to {max}"), true) };
    let given = given + extra;
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given == 1 { "" } else { "s" },
            if kwonly_given == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    PolicyError::type_error(format!(
        "{}() takes {takes} positional argument{} but {given}{kwonly_sig} {} given",
        sig.name,
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 { "was" } else { "were" }
    ))
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`, as CPython lists names.
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// The signature of a C function parsed with
/// `PyArg_ParseTupleAndKeywords` (the `datetime` module's functions).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CSig {
    /// The name in messages (`now`), or `None` for `function`.
    pub name: Option<&'static str>,
    /// Every parameter, positional ones first.
    pub keywords: &'static [&'static str],
    /// How many leading parameters are required.
    pub min: usize,
    /// How many may be passed by position.
    pub max_positional: usize,
}

/// Matches a call against a [`CSig`] in CPython's order (counts, then
/// each parameter in turn: `convert` it or report it missing, then
/// arguments given twice, then unknown keywords), with its messages.
pub(crate) fn c_parse<'a>(
    sig: &CSig,
    args: &[Val<'a>],
    kwargs: &[(&str, Val<'a>)],
    mut convert: impl FnMut(usize, &Val<'a>) -> PyResult<()>,
) -> PyResult<Vec<Option<Val<'a>>>> {
    let fname = sig.name.map_or_else(|| "function".to_owned(), |n| format!("{n}()"));
    let len = sig.keywords.len();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let given = args.len() + kwargs.len();
    if given > len {
        return Err(PolicyError::type_error(format!("{fname} takes at most {len} argument{} ({given} given)", plural(len))));
    }
    if args.len() > sig.max_positional {
        return Err(PolicyError::type_error(format!(
            "{fname} takes at most {} positional argument{} ({} given)",
            sig.max_positional,
            plural(sig.max_positional),
            args.len()
        )));
    }
    let mut slots: Vec<Option<Val<'a>>> = vec![None; len];
    for (i, (slot, name)) in slots.iter_mut().zip(sig.keywords).enumerate() {
        let current = match args.get(i) {
            Some(v) => Some(v),
            None => kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v),
        };
        match current {
            Some(v) => {
                convert(i, v)?;
                *slot = Some(v.clone());
            }
            None if i < sig.min => {
                return Err(PolicyError::type_error(format!("{fname} missing required argument '{name}' (pos {})", i + 1)));
            }
            None => {}
        }
    }
    for (i, name) in sig.keywords.iter().enumerate().take(args.len()) {
        if kwargs.iter().any(|(k, _)| k == name) {
            return Err(PolicyError::type_error(format!(
                "argument for {fname} given by name ('{name}') and position ({})",
                i + 1
            )));
        }
    }
    if let Some((k, _)) = kwargs.iter().find(|(k, _)| !sig.keywords.contains(k)) {
        let target = sig.name.map_or_else(|| "this function".to_owned(), |n| format!("{n}()"));
        return Err(PolicyError::type_error(format!("'{k}' is an invalid keyword argument for {target}")));
    }
    Ok(slots)
}

/// A `NotImplementedError` for a CPython feature the runtime lacks.
pub(crate) fn unsupported(what: &str) -> PolicyError {
    PolicyError::new(ExcKind::Other("NotImplementedError"), format!("{what} is not supported by the compiled runtime"))
}

/// A `ValueError`.
pub(crate) fn value_error(message: impl Into<String>) -> PolicyError {
    PolicyError::new(ExcKind::ValueError, message)
}

/// An `OverflowError`.
pub(crate) fn overflow_error(message: impl Into<String>) -> PolicyError {
    PolicyError::new(ExcKind::Other("OverflowError"), message)
}

/// `seq * x` / `x * seq` for a native `x` that is not an integer:
/// CPython's sequence repetition error.
pub(crate) fn repeat_error<'v>(op: BinOp, other: &Val<'_>, type_name: &str) -> Option<PyResult<Val<'v>>> {
    (op == BinOp::Mul && matches!(other.kind(), Kind::Str | Kind::List | Kind::Tuple)).then(|| {
        Err(PolicyError::type_error(format!("can't multiply sequence by non-int of type '{type_name}'")))
    })
}

/// `type(x).__name__`: the type name without its module (`datetime` for
/// `datetime.datetime`).
pub(crate) fn short_type_name(v: &Val<'_>) -> &'static str {
    let full = v.type_name();
    full.rsplit('.').next().unwrap_or(full)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    const F: Sig = Sig::new("fnmatch", &["name", "pat"], 2);

    fn err(sig: &Sig, args: &[Val<'static>], kwargs: &[(&str, Val<'static>)]) -> String {
        bind(sig, args, kwargs).unwrap_err().to_string()
    }

    #[test]
    fn messages_match_cpython() {
        let a = Val::str("a");
        assert_eq!(err(&F, std::slice::from_ref(&a), &[]), "TypeError: fnmatch() missing 1 required positional argument: 'pat'");
        assert_eq!(err(&F, &[], &[]), "TypeError: fnmatch() missing 2 required positional arguments: 'name' and 'pat'");
        assert_eq!(
            err(&F, &[a.clone(), a.clone(), a.clone()], &[("foo", Val::None)]),
            "TypeError: fnmatch() got an unexpected keyword argument 'foo'"
        );
        assert_eq!(
            err(&F, &[a.clone(), a.clone(), a.clone()], &[("name", Val::None)]),
            "TypeError: fnmatch() got multiple values for argument 'name'"
        );
        assert_eq!(err(&F, &[a.clone(), a.clone(), a.clone()], &[]), "TypeError: fnmatch() takes 2 positional arguments but 3 were given");
        let none = Sig::new("aws_regions", &[], 0);
        assert_eq!(err(&none, std::slice::from_ref(&a), &[]), "TypeError: aws_regions() takes 0 positional arguments but 1 was given");
        let init = Sig { method: true, ..Sig::new("IPv4Network.__init__", &["address", "strict"], 1) };
        assert_eq!(
            err(&init, &[a.clone(), a.clone(), a.clone()], &[]),
            "TypeError: IPv4Network.__init__() takes from 2 to 3 positional arguments but 4 were given"
        );
        let b = bind(&F, std::slice::from_ref(&a), &[("pat", Val::Int(1))]).unwrap();
        assert!(matches!(b.get(1), Some(Val::Int(1))));
    }
}
