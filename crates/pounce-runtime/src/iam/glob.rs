//! Shell-style patterns as `fnmatch.filter` applies them to permission
//! names (POSIX: case-sensitive; `*` also matches `:`).
//!
//! Patterns made of literal characters, `*` and `?` are matched here with
//! the star-backtracking algorithm, which accepts exactly the names
//! CPython's translated regex accepts. Patterns with a bracket expression
//! (`[abc]`, rare in IAM) are delegated to the `fnmatch` native, which
//! reproduces `fnmatch.translate` with its quirks.

use crate::error::PyResult;
use crate::natives::fnmatch::fnmatch_str;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(crate) struct Glob<'p> {
    pattern: &'p str,
    toks: Vec<Tok>,
    /// The pattern has a `[`: use the `fnmatch` native.
    brackets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Any,
    Star,
}

/// Whether `c` is special to `fnmatch`.
pub(crate) fn is_special(c: char) -> bool {
    matches!(c, '*' | '?' | '[')
}

/// The part of `pattern` before its first special character.
pub(crate) fn literal_prefix(pattern: &str) -> &str {
    match pattern.find(is_special) {
        Some(i) => pattern.get(..i).unwrap_or(pattern),
        None => pattern,
    }
}

impl<'p> Glob<'p> {
    /// Compiles `pattern`.
    pub(crate) fn new(pattern: &'p str) -> Glob<'p> {
        let mut toks = Vec::with_capacity(pattern.len());
        for c in pattern.chars() {
            match c {
                '*' if toks.last() == Some(&Tok::Star) => {}
                '*' => toks.push(Tok::Star),
                '?' => toks.push(Tok::Any),
                c => toks.push(Tok::Lit(c)),
            }
        }
        Glob { pattern, toks, brackets: pattern.contains('[') }
    }

    /// Whether the pattern is a literal prefix followed by one `*`
    /// (`s3:get*`, `*`): then every name with that prefix matches.
    pub(crate) fn is_prefix_star(&self) -> bool {
        !self.brackets
            && matches!(self.toks.split_last(), Some((Tok::Star, init)) if init.iter().all(|t| matches!(t, Tok::Lit(_))))
    }

    /// Whether `name` matches the whole pattern.
    pub(crate) fn matches(&self, name: &str) -> PyResult<bool> {
        if self.brackets {
            return fnmatch_str(name, self.pattern);
        }
        Ok(star_match(&self.toks, name))
    }
}

/// The classic linear-backtracking wildcard match: on a mismatch, retry
/// from the last `*` with one more character consumed by it.
fn star_match(toks: &[Tok], name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let (mut t, mut c) = (0usize, 0usize);
    let mut resume: Option<(usize, usize)> = None;
    loop {
        match (toks.get(t), chars.get(c)) {
            (Some(Tok::Star), _) => {
                resume = Some((t, c));
                t += 1;
            }
            (Some(Tok::Any), Some(_)) => {
                t += 1;
                c += 1;
            }
            (Some(Tok::Lit(l)), Some(x)) if l == x => {
                t += 1;
                c += 1;
            }
            (None, None) => return true,
            _ => match resume {
                Some((st, sc)) if sc < chars.len() => {
                    resume = Some((st, sc + 1));
                    t = st + 1;
                    c = sc + 1;
                }
                _ => return false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;

    fn m(p: &str, n: &str) -> bool {
        Glob::new(p).matches(n).unwrap()
    }

    #[test]
    fn matches_like_fnmatch() {
        assert!(m("*", ""));
        assert!(m("*", "s3:getobject"));
        assert!(m("s3:get*", "s3:get"));
        assert!(m("s3:get*", "s3:getobject"));
        assert!(!m("s3:get*", "s3:putobject"));
        assert!(m("*:get*", "s3:getobject"));
        assert!(m("s3:*object", "s3:getobject"));
        assert!(!m("s3:*object", "s3:getobjectacl"));
        assert!(m("s3:get?bject", "s3:getobject"));
        assert!(!m("s3:get?bject", "s3:getbject"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("s3:get[o]bject", "s3:getobject"));
        assert!(!m("s3:get[!o]bject", "s3:getobject"));
        assert!(m("é?", "éx"));
    }

    #[test]
    fn literal_prefixes() {
        assert_eq!(literal_prefix("s3:get*"), "s3:get");
        assert_eq!(literal_prefix("*"), "");
        assert_eq!(literal_prefix("s3:get?x"), "s3:get");
        assert_eq!(literal_prefix("s3:[ab]"), "s3:");
        assert_eq!(literal_prefix("s3:getobject"), "s3:getobject");
        assert!(Glob::new("s3:get**").is_prefix_star());
        assert!(!Glob::new("s3:*get").is_prefix_star());
        assert!(!Glob::new("s3:[a]*").is_prefix_star());
    }
}
