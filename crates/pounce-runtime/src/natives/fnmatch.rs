//! The `fnmatch` module: `fnmatch` and `fnmatchcase` on POSIX.
//!
//! CPython translates the pattern to a regular expression
//! (`fnmatch.translate`) and matches the whole name with it. This module
//! reproduces `translate`'s handling of bracket expressions character for
//! character (including its quirks: an unclosed `[` is literal, empty
//! ranges such as `[z-a]` are dropped, `[!]` matches any character and an
//! emptied set matches nothing), parses the resulting set as `re` would,
//! and matches with the classic star-backtracking algorithm, which accepts
//! the same names as the regex. `os.path.normcase` is the identity on
//! POSIX, so `fnmatch` is case-sensitive.

use super::args::{bind, Sig};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::policy::Context;
use crate::value::{Kind, Val};

const FNMATCH: Sig = Sig::new("fnmatch", &["name", "pat"], 2);
const FNMATCHCASE: Sig = Sig::new("fnmatchcase", &["name", "pat"], 2);

/// `fnmatch.fnmatch(name, pat)`.
pub fn fnmatch<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&FNMATCH, args, kwargs)?;
    let (name, pat) = (b.get(0).cloned().unwrap_or(Val::None), b.get(1).cloned().unwrap_or(Val::None));
    // `os.path.normcase` is `os.fspath` on POSIX.
    for v in [&name, &pat] {
        if v.kind() != Kind::Str {
            return Err(PolicyError::type_error(format!(
                "expected str, bytes or os.PathLike object, not {}",
                v.type_name()
            )));
        }
    }
    matchcase(&name, &pat)
}

/// `fnmatch.fnmatchcase(name, pat)`.
pub fn fnmatchcase<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&FNMATCHCASE, args, kwargs)?;
    let (name, pat) = (b.get(0).cloned().unwrap_or(Val::None), b.get(1).cloned().unwrap_or(Val::None));
    matchcase(&name, &pat)
}

fn matchcase<'a>(name: &Val<'_>, pat: &Val<'_>) -> PyResult<Val<'a>> {
    let Some(p) = pat.as_str() else {
        // `_compile_pattern` is `lru_cache`d (the pattern is hashed), then
        // `translate` takes its `len`.
        return Err(PolicyError::type_error(match pat.kind() {
            Kind::List | Kind::Dict | Kind::Set => format!("unhashable type: '{}'", pat.type_name()),
            _ => format!("object of type '{}' has no len()", pat.type_name()),
        }));
    };
    let tokens = translate(p)?;
    let Some(n) = name.as_str() else {
        return Err(PolicyError::type_error(format!(
            "expected string or bytes-like object, got '{}'",
            name.type_name()
        )));
    };
    Ok(Val::Bool(matches(&tokens, &n.chars().collect::<Vec<_>>())))
}

/// Whether `name` matches the shell pattern `pat` (`fnmatchcase`).
pub fn fnmatch_str(name: &str, pat: &str) -> PyResult<bool> {
    Ok(matches(&translate(pat)?, &name.chars().collect::<Vec<_>>()))
}

/// One element of a translated pattern.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A literal character.
    Lit(char),
    /// `?`: any character (the regex is compiled with `re.DOTALL`).
    Any,
    /// `*`.
    Star,
    /// A bracket expression: `negated`, then single characters and ranges.
    Set(bool, Vec<(char, char)>),
    /// An emptied bracket expression: `(?!)`, which never matches.
    Never,
}

/// `fnmatch.translate`, as tokens rather than regex text.
fn translate(pat: &str) -> PyResult<Vec<Tok>> {
    let p: Vec<char> = pat.chars().collect();
    let n = p.len();
    let at = |k: usize| p.get(k).copied();
    let mut out: Vec<Tok> = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        i += 1;
        match c {
            '*' => {
                if out.last() != Some(&Tok::Star) {
                    out.push(Tok::Star);
                }
            }
            '?' => out.push(Tok::Any),
            '[' => {
                let mut j = i;
                if at(j) == Some('!') {
                    j += 1;
                }
                if at(j) == Some(']') {
                    j += 1;
                }
                while j < n && at(j) != Some(']') {
                    j += 1;
                }
                if j >= n {
                    out.push(Tok::Lit('['));
                    continue;
                }
                let stuff = set_body(&p, i, j);
                i = j + 1;
                if stuff.is_empty() {
                    out.push(Tok::Never);
                } else if stuff == "!" {
                    out.push(Tok::Any);
                } else {
                    let regex = if let Some(rest) = stuff.strip_prefix('!') {
                        format!("^{rest}")
                    } else if stuff.starts_with('^') || stuff.starts_with('[') {
                        format!("\\{stuff}")
                    } else {
                        stuff
                    };
                    out.push(parse_set(&regex)?);
                }
            }
            c => out.push(Tok::Lit(c)),
        }
    }
    Ok(out)
}

/// The regex text `translate` puts between `[` and `]` for `pat[i..j]`.
fn set_body(p: &[char], mut i: usize, j: usize) -> String {
    let slice = |a: usize, b: usize| -> Vec<char> { p.get(a..b).unwrap_or_default().to_vec() };
    let stuff = slice(i, j);
    let escaped: String = if !stuff.contains(&'-') {
        stuff.iter().map(|c| if *c == '\\' { "\\\\".to_owned() } else { c.to_string() }).collect()
    } else {
        let mut chunks: Vec<Vec<char>> = Vec::new();
        let mut k = if p.get(i) == Some(&'!') { i + 2 } else { i + 1 };
        loop {
            let found = (k..j).find(|&m| p.get(m) == Some(&'-'));
            let Some(m) = found else { break };
            chunks.push(slice(i, m));
            i = m + 1;
            k = m + 3;
        }
        let chunk = slice(i, j);
        if chunk.is_empty() {
            if let Some(last) = chunks.last_mut() {
                last.push('-');
            }
        } else {
            chunks.push(chunk);
        }
        // Remove empty ranges: invalid in a regex.
        let mut k = chunks.len().saturating_sub(1);
        while k > 0 {
            let prev_last = chunks.get(k - 1).and_then(|c| c.last().copied());
            let first = chunks.get(k).and_then(|c| c.first().copied());
            if let (Some(a), Some(b)) = (prev_last, first) {
                if a > b {
                    let tail: Vec<char> = chunks.get(k).map(|c| c.iter().skip(1).copied().collect()).unwrap_or_default();
                    if let Some(prev) = chunks.get_mut(k - 1) {
                        prev.pop();
                        prev.extend(tail);
                    }
                    chunks.remove(k);
                }
            }
            k -= 1;
        }
        chunks
            .iter()
            .map(|c| {
                c.iter()
                    .map(|ch| match ch {
                        '\\' => "\\\\".to_owned(),
                        '-' => "\\-".to_owned(),
                        other => other.to_string(),
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("-")
    };
    // Escape set operations (&&, ~~ and ||).
    escaped
        .chars()
        .map(|c| if matches!(c, '&' | '~' | '|') { format!("\\{c}") } else { c.to_string() })
        .collect()
}

/// Parses a set body as `re`'s `sre_parse` does (the body is only ever
/// literals, escaped literals and ranges here).
fn parse_set(body: &str) -> PyResult<Tok> {
    let chars: Vec<char> = body.chars().chain(std::iter::once(']')).collect();
    let at = |i: usize| chars.get(i).copied();
    let mut pos = 0;
    let negated = at(0) == Some('^');
    if negated {
        pos = 1;
    }
    let mut items: Vec<(char, char)> = Vec::new();
    while let Some(this) = at(pos) {
        pos += 1;
        if this == ']' && !items.is_empty() {
            break;
        }
        let lo = if this == '\\' {
            pos += 1;
            at(pos - 1).unwrap_or('\\')
        } else {
            this
        };
        // A `-` makes a range unless the closing `]` follows it.
        match (at(pos), at(pos + 1)) {
            (Some('-'), Some(that)) if that != ']' => {
                pos += 2;
                let hi = if that == '\\' {
                    pos += 1;
                    at(pos - 1).unwrap_or('\\')
                } else {
                    that
                };
                if hi < lo {
                    return Err(PolicyError::new(ExcKind::Other("error"), format!("bad character range {lo}-{hi}")));
                }
                items.push((lo, hi));
            }
            _ => items.push((lo, lo)),
        }
    }
    Ok(Tok::Set(negated, items))
}

fn tok_matches(t: &Tok, c: char) -> bool {
    match t {
        Tok::Lit(l) => *l == c,
        Tok::Any => true,
        Tok::Set(negated, items) => items.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)) != *negated,
        Tok::Never | Tok::Star => false,
    }
}

/// Glob matching of the whole `name`, backtracking to the last `*`.
fn matches(tokens: &[Tok], name: &[char]) -> bool {
    let (mut t, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        match tokens.get(t) {
            Some(Tok::Star) => {
                star = Some((t, n));
                t += 1;
                continue;
            }
            Some(tok) => {
                if let Some(&c) = name.get(n) {
                    if tok_matches(tok, c) {
                        t += 1;
                        n += 1;
                        continue;
                    }
                }
            }
            None if n == name.len() => return true,
            None => {}
        }
        match star {
            Some((st, sn)) if sn < name.len() => {
                star = Some((st, sn + 1));
                t = st + 1;
                n = sn + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::policy::DefaultContext;

    fn fm(name: &str, pat: &str) -> bool {
        fnmatch_str(name, pat).unwrap()
    }

    // Expected values from CPython 3.11 `fnmatch.fnmatchcase`.
    #[test]
    fn patterns_match_like_cpython() {
        let cases = [
            ("abc", "a*", true),
            ("abc", "A*", false),
            ("a\nb", "a?b", true),
            ("a\nb", "a*", true),
            ("[", "[", true),
            ("a[", "a[", true),
            ("a", "[!a]", false),
            ("b", "[!a]", true),
            ("]", "[]]", true),
            ("]", "[!]]", false),
            ("a", "[!]]", true),
            ("-", "[a-]", true),
            ("-", "[-a]", true),
            ("b", "[c-a]", false),
            ("!", "[!]", false),
            ("x", "[!]", false),
            ("\\", "[\\]", true),
            ("^", "[^]", true),
            ("a", "[^a]", true),
            ("-", "[a-b-c]", true),
            ("b", "[z-a-c]", false),
            ("-", "[z-a-c]", true),
            ("a", "[a--b]", false),
            ("b", "[a--b]", true),
            ("-", "[a--b]", false),
            ("[", "[[]", true),
            ("", "*", true),
            ("", "?", false),
            ("abcabc", "*abc", true),
            ("é", "?", true),
            ("arn:aws:logs:us-east-1:1:log-group:/aws/x", "arn:aws:logs:*:*:log-group:/aws/*", true),
            ("arn:aws:logs:us-east-1:1:log-group:/aws", "arn:aws:logs:*:*:log-group:/aws/*", false),
        ];
        for (name, pat, want) in cases {
            assert_eq!(fm(name, pat), want, "fnmatchcase({name:?}, {pat:?})");
        }
    }

    #[test]
    fn bad_arguments_raise_like_cpython() {
        let call = |f: crate::natives::NativeFn, a: Val<'static>, b: Val<'static>| f(&[a, b], &[], &DefaultContext).unwrap_err().to_string();
        assert_eq!(call(fnmatch, Val::None, Val::str("a")), "TypeError: expected str, bytes or os.PathLike object, not NoneType");
        assert_eq!(call(fnmatch, Val::str("a"), Val::Int(5)), "TypeError: expected str, bytes or os.PathLike object, not int");
        assert_eq!(call(fnmatchcase, Val::None, Val::str("a")), "TypeError: expected string or bytes-like object, got 'NoneType'");
        assert_eq!(call(fnmatchcase, Val::str("a"), Val::None), "TypeError: object of type 'NoneType' has no len()");
        let e = fnmatch(&[Val::str("a")], &[], &DefaultContext).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: fnmatch() missing 1 required positional argument: 'pat'");
    }
}
