//! Methods of the built-in types: `str`, `dict`, `list`, `set`.


use super::{dict_items, elements, eq, hash_key, iter_vec, make_set, repr, set_item};
use crate::consts::Const;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::value::{Kind, Val};

/// `x.name`: attributes of natives (the built-in types expose none that
/// policies read).
pub fn getattr<'a>(recv: &Val<'a>, name: &str) -> PyResult<Val<'a>> {
    match recv {
        Val::Native(n) => n.getattr(name),
        other => Err(PolicyError::no_attribute(other.type_name(), name)),
    }
}

fn arity(name: &str, args: &[Val<'_>], min: usize, max: usize) -> PyResult<()> {
    if args.len() < min || args.len() > max {
        let expected = if min == max { format!("exactly {min}") } else if args.len() < min { format!("at least {min}") } else { format!("at most {max}") };
        let plural = if (if args.len() < min { min } else { max }) == 1 { "" } else { "s" };
        return Err(PolicyError::type_error(format!("{name}() takes {expected} argument{plural} ({} given)", args.len())));
    }
    Ok(())
}

fn str_arg<'v>(method: &str, v: &'v Val<'_>) -> PyResult<&'v str> {
    v.as_str().ok_or_else(|| {
        PolicyError::type_error(format!("{method}() argument must be str, not {}", v.type_name()))
    })
}

/// `recv.name(*args)`.
pub fn call_method<'a>(recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    match recv.kind() {
        Kind::Str => match (name, borrowed_str(recv)) {
            // Parts of a resource string or a constant borrow from it.
            ("split", Some(s)) => split(s, args, Val::str),
            _ => str_method(recv.as_str().unwrap_or_default(), name, args),
        },
        Kind::Dict => dict_method(recv, name, args),
        Kind::List => list_method(recv, name, args),
        Kind::Set => set_method(recv, name, args),
        Kind::Tuple => match name {
            "count" | "index" => list_method(recv, name, args),
            _ => Err(PolicyError::no_attribute("tuple", name)),
        },
        Kind::Native => match recv {
            Val::Native(n) => n.call_method(name, args),
            _ => Err(PolicyError::no_attribute(recv.type_name(), name)),
        },
        _ => Err(PolicyError::no_attribute(recv.type_name(), name)),
    }
}

fn prefix_test<'a>(s: &str, name: &str, args: &[Val<'a>], test: impl Fn(&str, &str) -> bool) -> PyResult<Val<'a>> {
    arity(name, args, 1, 1)?;
    let Some(arg) = args.first() else { return Ok(Val::Bool(false)) };
    if let Some(p) = arg.as_str() {
        return Ok(Val::Bool(test(s, p)));
    }
    if arg.kind() == Kind::Tuple {
        for p in elements(arg).unwrap_or_default() {
            let p = p.as_str().ok_or_else(|| {
                PolicyError::type_error(format!("tuple for {name} must only contain str, not {}", p.type_name()))
            })?;
            if test(s, p) {
                return Ok(Val::Bool(true));
            }
        }
        return Ok(Val::Bool(false));
    }
    Err(PolicyError::type_error(format!(
        "{name} first arg must be str or a tuple of str, not {}",
        arg.type_name()
    )))
}

fn strip_chars<'v>(name: &str, args: &'v [Val<'_>]) -> PyResult<Option<&'v str>> {
    arity(name, args, 0, 1)?;
    match args.first() {
        None | Some(Val::None) => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or_else(|| {
            PolicyError::type_error(format!("{name} arg must be None or str"))
        }),
    }
}

/// The text of a `str` that lives as long as the value's data (a resource
/// string or a module constant), not built at run time.
fn borrowed_str<'a>(v: &Val<'a>) -> Option<&'a str> {
    match v {
        Val::Str(crate::value::PyStr::Ref(s)) => Some(s),
        Val::Const(Const::Str(s)) => Some(s),
        _ => None,
    }
}

/// `s.split(sep=None, maxsplit=-1)`, each part made by `part`.
fn split<'s, 'a>(s: &'s str, args: &[Val<'a>], part: impl Fn(&'s str) -> Val<'a>) -> PyResult<Val<'a>> {
    arity("split", args, 0, 2)?;
    let maxsplit = match args.get(1) {
        Some(Val::Int(n)) if *n >= 0 => Some(usize::try_from(*n).unwrap_or(usize::MAX)),
        Some(Val::Int(_)) | None => None,
        Some(other) => {
            return Err(PolicyError::type_error(format!("'{}' object cannot be interpreted as an integer", other.type_name())))
        }
    };
    let parts: Vec<Val<'a>> = match args.first() {
        None | Some(Val::None) => {
            let mut parts = Vec::new();
            // CPython's whitespace (`str.isspace`), not Rust's.
            let space = super::case::is_py_space;
            let mut rest = s.trim_start_matches(space);
            while !rest.is_empty() {
                if maxsplit.is_some_and(|m| parts.len() >= m) {
                    parts.push(part(rest));
                    break;
                }
                let end = rest.find(space).unwrap_or(rest.len());
                let (word, tail) = rest.split_at(end);
                parts.push(part(word));
                rest = tail.trim_start_matches(space);
            }
            parts
        }
        Some(sep) => {
            let sep = str_arg("split", sep)?;
            match (sep.as_bytes(), maxsplit) {
                ([], _) => return Err(PolicyError::new(ExcKind::ValueError, "empty separator")),
                // One ASCII byte (`":"`, `"/"`): a byte search.
                ([b], None) if b.is_ascii() => s.split(char::from(*b)).map(part).collect(),
                (_, Some(m)) => s.splitn(m.saturating_add(1), sep).map(part).collect(),
                (_, None) => s.split(sep).map(part).collect(),
            }
        }
    };
    Ok(Val::list(parts))
}

fn str_method<'a>(s: &str, name: &str, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    let owned = |x: String| Ok(Val::string(x));
    match name {
        "startswith" => prefix_test(s, name, args, |s, p| s.starts_with(p)),
        "endswith" => prefix_test(s, name, args, |s, p| s.ends_with(p)),
        "lower" => {
            arity(name, args, 0, 0)?;
            owned(super::case::lower(s))
        }
        "upper" => {
            arity(name, args, 0, 0)?;
            owned(super::case::upper(s))
        }
        "casefold" => {
            arity(name, args, 0, 0)?;
            owned(super::case::casefold(s))
        }
        "strip" | "lstrip" | "rstrip" => {
            let chars = strip_chars(name, args)?;
            let pred = |c: char| chars.map_or_else(|| super::case::is_py_space(c), |cs| cs.contains(c));
            owned(match name {
                "strip" => s.trim_matches(pred),
                "lstrip" => s.trim_start_matches(pred),
                _ => s.trim_end_matches(pred),
            }
            .to_owned())
        }
        "split" => split(s, args, Val::text),
        "replace" => {
            arity(name, args, 2, 2)?;
            let (Some(old), Some(new)) = (args.first(), args.get(1)) else { return owned(s.to_owned()) };
            owned(s.replace(str_arg("replace", old)?, str_arg("replace", new)?))
        }
        "join" => {
            arity(name, args, 1, 1)?;
            let Some(items) = args.first() else { return owned(String::new()) };
            let mut parts = Vec::new();
            for (i, item) in iter_vec(items)?.iter().enumerate() {
                match item.as_str() {
                    Some(p) => parts.push(p.to_owned()),
                    None => {
                        return Err(PolicyError::type_error(format!(
                            "sequence item {i}: expected str instance, {} found",
                            item.type_name()
                        )))
                    }
                }
            }
            owned(parts.join(s))
        }
        "find" | "index" | "count" => {
            arity(name, args, 1, 1)?;
            let Some(needle) = args.first() else { return Ok(Val::Int(-1)) };
            let needle = needle.as_str().ok_or_else(|| {
                PolicyError::type_error(format!("must be str, not {}", needle.type_name()))
            })?;
            if name == "count" {
                let n = if needle.is_empty() { s.chars().count() + 1 } else { s.matches(needle).count() };
                return Ok(Val::Int(i64::try_from(n).unwrap_or(i64::MAX)));
            }
            match s.find(needle) {
                Some(byte) => Ok(Val::Int(i64::try_from(s.get(..byte).unwrap_or_default().chars().count()).unwrap_or(i64::MAX))),
                None if name == "find" => Ok(Val::Int(-1)),
                None => Err(PolicyError::new(ExcKind::ValueError, "substring not found")),
            }
        }
        // Character classes as CPython 3.11 has them (`ops::case`).
        "isdigit" | "isnumeric" | "isdecimal" | "isalpha" | "isalnum" => {
            use super::case::{is, Class};
            arity(name, args, 0, 0)?;
            let test = |c: char| match name {
                "isdecimal" => is(Class::Decimal, c),
                "isdigit" => is(Class::Digit, c),
                "isnumeric" => is(Class::Numeric, c),
                "isalpha" => is(Class::Alpha, c),
                _ => is(Class::Alpha, c) || is(Class::Numeric, c),
            };
            Ok(Val::Bool(!s.is_empty() && s.chars().all(test)))
        }
        "islower" | "isupper" => {
            arity(name, args, 0, 0)?;
            Ok(Val::Bool(super::case::is_cased_as(s, name == "isupper")))
        }
        _ => Err(PolicyError::no_attribute("str", name)),
    }
}

fn dict_method<'a>(recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    match name {
        "get" => {
            arity(name, args, 1, 2)?;
            let key = args.first().cloned().unwrap_or(Val::None);
            super::get(recv, &key, args.get(1).cloned().unwrap_or(Val::None))
        }
        "keys" | "values" | "items" => {
            arity(name, args, 0, 0)?;
            let items = dict_items(recv).unwrap_or_default();
            Ok(Val::list(match name {
                "keys" => items.into_iter().map(|(k, _)| k).collect(),
                "values" => items.into_iter().map(|(_, v)| v).collect(),
                _ => items.into_iter().map(|(k, v)| Val::tuple(vec![k, v])).collect(),
            }))
        }
        "copy" => {
            arity(name, args, 0, 0)?;
            super::make_dict(dict_items(recv).unwrap_or_default())
        }
        "setdefault" => {
            arity(name, args, 1, 2)?;
            let key = args.first().cloned().unwrap_or(Val::None);
            let default = args.get(1).cloned().unwrap_or(Val::None);
            match super::dict_lookup(recv, &key)? {
                Some(v) => Ok(v),
                None => {
                    set_item(recv, key, default.clone())?;
                    Ok(default)
                }
            }
        }
        "update" => {
            arity(name, args, 1, 1)?;
            let other = args.first().cloned().unwrap_or(Val::None);
            let items = dict_items(&other).ok_or_else(|| {
                PolicyError::type_error(format!("'{}' object is not iterable", other.type_name()))
            })?;
            for (k, v) in items {
                set_item(recv, k, v)?;
            }
            Ok(Val::None)
        }
        _ => Err(PolicyError::no_attribute("dict", name)),
    }
}

fn list_method<'a>(recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    let type_name = recv.type_name();
    let read_only = || {
        PolicyError::new(ExcKind::Other("NotImplementedError"), "the resource and module constants are read-only in compiled policies")
    };
    match name {
        "append" => {
            arity(name, args, 1, 1)?;
            match recv {
                Val::List(l) => {
                    l.borrow_mut().push(args.first().cloned().unwrap_or(Val::None));
                    Ok(Val::None)
                }
                Val::Json(_) | Val::Seq(_) | Val::Const(_) => Err(read_only()),
                _ => Err(PolicyError::no_attribute(type_name, name)),
            }
        }
        "extend" => {
            arity(name, args, 1, 1)?;
            let items = iter_vec(args.first().unwrap_or(&Val::None))?;
            match recv {
                Val::List(l) => {
                    l.borrow_mut().extend(items);
                    Ok(Val::None)
                }
                Val::Json(_) | Val::Seq(_) | Val::Const(_) => Err(read_only()),
                _ => Err(PolicyError::no_attribute(type_name, name)),
            }
        }
        "count" => {
            arity(name, args, 1, 1)?;
            let x = args.first().cloned().unwrap_or(Val::None);
            let n = elements(recv).unwrap_or_default().iter().filter(|e| eq(e, &x)).count();
            Ok(Val::Int(i64::try_from(n).unwrap_or(i64::MAX)))
        }
        "index" => {
            arity(name, args, 1, 1)?;
            let x = args.first().cloned().unwrap_or(Val::None);
            match elements(recv).unwrap_or_default().iter().position(|e| eq(e, &x)) {
                Some(i) => Ok(Val::Int(i64::try_from(i).unwrap_or(i64::MAX))),
                None => Err(PolicyError::new(ExcKind::ValueError, format!("{} is not in {type_name}", repr(&x)))),
            }
        }
        "copy" if type_name == "list" => {
            arity(name, args, 0, 0)?;
            Ok(Val::list(elements(recv).unwrap_or_default()))
        }
        _ => Err(PolicyError::no_attribute(type_name, name)),
    }
}

fn set_method<'a>(recv: &Val<'a>, name: &str, args: &[Val<'a>]) -> PyResult<Val<'a>> {
    let mine = || elements(recv).unwrap_or_default();
    let others = |args: &[Val<'a>]| -> PyResult<Vec<Vec<Val<'a>>>> { args.iter().map(iter_vec).collect() };
    let contains = |xs: &[Val<'a>], x: &Val<'a>| xs.iter().any(|y| eq(x, y));
    match name {
        "add" | "discard" | "remove" => {
            arity(name, args, 1, 1)?;
            let item = args.first().cloned().unwrap_or(Val::None);
            let key = hash_key(&item)?;
            match recv {
                Val::Set(s) => {
                    let mut s = s.borrow_mut();
                    match name {
                        "add" => {
                            s.entry(key).or_insert(item);
                        }
                        _ => {
                            if s.shift_remove(&key).is_none() && name == "remove" {
                                return Err(PolicyError::new(ExcKind::KeyError, repr(&item)));
                            }
                        }
                    }
                    Ok(Val::None)
                }
                Val::Const(Const::Set(_)) => Err(PolicyError::new(
                    ExcKind::Other("NotImplementedError"),
                    "module constants are read-only in compiled policies",
                )),
                _ => Err(PolicyError::no_attribute("set", name)),
            }
        }
        "update" => {
            let Val::Set(s) = recv else {
                return Err(PolicyError::new(ExcKind::Other("NotImplementedError"), "module constants are read-only in compiled policies"));
            };
            for other in others(args)? {
                let mut s = s.borrow_mut();
                for item in other {
                    let key = hash_key(&item)?;
                    s.entry(key).or_insert(item);
                }
            }
            Ok(Val::None)
        }
        // Membership in a set argument is a lookup (its elements are
        // hashable, and `==`-equal elements have one hash key).
        "intersection" if args.iter().all(|a| a.kind() == Kind::Set) => {
            let mut out = Vec::new();
            for x in mine() {
                let mut keep = true;
                for o in args {
                    keep = keep && super::contains(o, &x)?;
                }
                if keep {
                    out.push(x);
                }
            }
            make_set(out)
        }
        "intersection" => {
            let others = others(args)?;
            make_set(mine().into_iter().filter(|x| others.iter().all(|o| contains(o, x))))
        }
        "union" => {
            let others = others(args)?;
            make_set(mine().into_iter().chain(others.into_iter().flatten()))
        }
        "difference" => {
            let others = others(args)?;
            make_set(mine().into_iter().filter(|x| !others.iter().any(|o| contains(o, x))))
        }
        "symmetric_difference" => {
            arity(name, args, 1, 1)?;
            let other = iter_vec(args.first().unwrap_or(&Val::None))?;
            let mine = mine();
            let left: Vec<Val<'a>> = mine.iter().filter(|x| !contains(&other, x)).cloned().collect();
            let right: Vec<Val<'a>> = other.iter().filter(|y| !contains(&mine, y)).cloned().collect();
            make_set(left.into_iter().chain(right))
        }
        "issubset" | "issuperset" | "isdisjoint" => {
            arity(name, args, 1, 1)?;
            let other = iter_vec(args.first().unwrap_or(&Val::None))?;
            for x in &other {
                hash_key(x)?;
            }
            let mine = mine();
            Ok(Val::Bool(match name {
                "issubset" => mine.iter().all(|x| contains(&other, x)),
                "issuperset" => other.iter().all(|y| contains(&mine, y)),
                _ => !mine.iter().any(|x| contains(&other, x)),
            }))
        }
        "copy" => {
            arity(name, args, 0, 0)?;
            make_set(mine())
        }
        _ => Err(PolicyError::no_attribute("set", name)),
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::ops::{repr, to_str};

    fn s(x: &'static str) -> Val<'static> {
        Val::str(x)
    }

    #[test]
    fn str_methods() {
        assert_eq!(repr(&call_method(&s("a:b:c"), "split", &[s(":")]).unwrap()), "['a', 'b', 'c']");
        assert_eq!(repr(&call_method(&s("  a  b "), "split", &[]).unwrap()), "['a', 'b']");
        assert_eq!(repr(&call_method(&s("a:b:c"), "split", &[s(":"), Val::Int(1)]).unwrap()), "['a', 'b:c']");
        assert!(matches!(call_method(&s("StackSet-x"), "startswith", &[s("StackSet-")]).unwrap(), Val::Bool(true)));
        let t = Val::tuple(vec![s("x"), s("Stack")]);
        assert!(matches!(call_method(&s("StackSet-x"), "startswith", &[t]).unwrap(), Val::Bool(true)));
        assert_eq!(to_str(&call_method(&s("Straße"), "casefold", &[]).unwrap()), "strasse");
        assert_eq!(
            call_method(&s("x"), "startswith", &[Val::None]).unwrap_err().to_string(),
            "TypeError: startswith first arg must be str or a tuple of str, not NoneType"
        );
        assert_eq!(call_method(&s("x"), "nope", &[]).unwrap_err().to_string(), "AttributeError: 'str' object has no attribute 'nope'");
    }

    #[test]
    fn set_methods_and_aliasing() {
        let set = make_set(vec![s("a")]).unwrap();
        let alias = set.clone();
        call_method(&set, "add", &[s("b")]).unwrap();
        assert_eq!(repr(&alias), "{'a', 'b'}");
        let other = Val::list(vec![s("b"), s("c")]);
        assert_eq!(repr(&call_method(&set, "intersection", &[other.clone()]).unwrap()), "{'b'}");
        assert!(matches!(call_method(&set, "issubset", &[other]).unwrap(), Val::Bool(false)));
        let unhashable = Val::list(vec![]);
        assert_eq!(call_method(&set, "add", &[unhashable]).unwrap_err().to_string(), "TypeError: unhashable type: 'list'");
    }

    #[test]
    fn dict_methods() {
        let d = crate::ops::make_dict(vec![(s("k"), Val::Int(1))]).unwrap();
        assert_eq!(repr(&call_method(&d, "items", &[]).unwrap()), "[('k', 1)]");
        assert!(matches!(call_method(&d, "get", &[s("x"), Val::Int(2)]).unwrap(), Val::Int(2)));
        set_item(&d, s("x"), Val::Bool(true)).unwrap();
        assert_eq!(repr(&d), "{'k': 1, 'x': True}");
    }
}
