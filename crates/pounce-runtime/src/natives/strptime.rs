//! `datetime.strptime` and `datetime.fromisoformat`.
//!
//! `strptime` is a port of CPython 3.11's `Lib/_strptime.py`. CPython
//! turns the format into a regular expression (compiled with
//! `re.IGNORECASE`, whitespace runs matching `\s+`) and matches it with a
//! backtracking engine; here each directive lists its candidate matches in
//! the order the regex alternatives and greedy repeats would try them, and
//! a depth-first search takes the first complete match, so the same text
//! matches (or leaves the same "unconverted data") as in CPython. The
//! fields are then combined exactly as `_strptime` does (12-hour clock,
//! `%j`, `%U`/`%W`/`%G`/`%V` week arithmetic, the 1900 default year, the
//! leap-day fix), including its `ValueError`s.
//!
//! The C locale and a UTC local time zone are assumed: `%Z` accepts
//! `UTC` and `GMT` (any case) and yields a naive value unless `%z` is
//! also present. `\d` is ASCII-only here (CPython also accepts other
//! Unicode decimal digits).
//!
//! `fromisoformat` is a port of the C parser of `_datetimemodule.c`
//! (3.11), which accepts the extended ISO 8601 forms.

use super::args::value_error;
use super::datetime::{check_date, civil_from_days, days_from_civil, is_leap, DateTime, Fields, Tz, EPOCH_ORDINAL};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops::case::is_py_space;
use crate::value::py_repr_str;
use smallvec::{smallvec, SmallVec};

/// One element of a compiled format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    /// A literal character (matched case-insensitively).
    Lit(char),
    /// A whitespace run in the format: `\s+`.
    Ws,
    /// A directive (`%Y` is `Dir('Y')`).
    Dir(char),
}

const F_WEEKDAY: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const A_WEEKDAY: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const F_MONTH: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const A_MONTH: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const AM_PM: [&str; 2] = ["am", "pm"];
/// `%Z` with `time.tzname == ('UTC', 'UTC')`.
const TZ_NAMES: [&str; 2] = ["utc", "gmt"];

/// The regex text `_strptime.TimeRE` uses for a directive (for the
/// positions in `re.error` messages), and how many capture groups it adds.
fn regex_text(d: char) -> (String, usize) {
    let names = |d: char, xs: &[&str]| {
        let mut v: Vec<&str> = xs.to_vec();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        (format!("(?P<{d}>{})", v.join("|")), 1)
    };
    match d {
        'd' => (r"(?P<d>3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])".to_owned(), 1),
        'f' => (r"(?P<f>[0-9]{1,6})".to_owned(), 1),
        'H' => (r"(?P<H>2[0-3]|[0-1]\d|\d)".to_owned(), 1),
        'I' => (r"(?P<I>1[0-2]|0[1-9]|[1-9])".to_owned(), 1),
        'G' => (r"(?P<G>\d\d\d\d)".to_owned(), 1),
        'j' => (r"(?P<j>36[0-6]|3[0-5]\d|[1-2]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9])".to_owned(), 1),
        'm' => (r"(?P<m>1[0-2]|0[1-9]|[1-9])".to_owned(), 1),
        'M' => (r"(?P<M>[0-5]\d|\d)".to_owned(), 1),
        'S' => (r"(?P<S>6[0-1]|[0-5]\d|\d)".to_owned(), 1),
        'U' => (r"(?P<U>5[0-3]|[0-4]\d|\d)".to_owned(), 1),
        'W' => (r"(?P<W>5[0-3]|[0-4]\d|\d)".to_owned(), 1),
        'w' => (r"(?P<w>[0-6])".to_owned(), 1),
        'u' => (r"(?P<u>[1-7])".to_owned(), 1),
        'V' => (r"(?P<V>5[0-3]|0[1-9]|[1-4]\d|\d)".to_owned(), 1),
        'y' => (r"(?P<y>\d\d)".to_owned(), 1),
        'Y' => (r"(?P<Y>\d\d\d\d)".to_owned(), 1),
        'z' => (r"(?P<z>[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z))".to_owned(), 3),
        'A' => names('A', &F_WEEKDAY),
        'a' => names('a', &A_WEEKDAY),
        'B' => names('B', &F_MONTH),
        'b' | 'h' => names('b', &A_MONTH),
        'p' => names('p', &AM_PM),
        'Z' => names('Z', &TZ_NAMES),
        _ => (String::new(), 0),
    }
}

/// The format of `%c`, `%x` and `%X` in the C locale.
fn compound(d: char) -> Option<&'static str> {
    match d {
        'c' => Some("%a %b %d %H:%M:%S %Y"),
        'x' => Some("%m/%d/%y"),
        'X' => Some("%H:%M:%S"),
        _ => None,
    }
}


const REGEX_SPECIAL: &str = "\\.^$*+?(){}[]|";

/// Compiles a format as `TimeRE.pattern` + `re.compile` would, returning
/// the items, or the `ValueError` / `re.error` CPython raises.
fn compile(format: &str) -> PyResult<Vec<Item>> {
    let mut items = Vec::new();
    let mut regex_len = 0usize; // length of the regex text so far
    let mut groups: Vec<(char, usize)> = Vec::new(); // named group, group number
    let mut group_count = 0usize;
    compile_into(format, format, &mut items, &mut regex_len, &mut groups, &mut group_count)?;
    Ok(items)
}

fn compile_into(
    format: &str,
    whole: &str,
    items: &mut Vec<Item>,
    regex_len: &mut usize,
    groups: &mut Vec<(char, usize)>,
    group_count: &mut usize,
) -> PyResult<()> {
    let chars: Vec<char> = format.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        i += 1;
        if c == '%' {
            let Some(&d) = chars.get(i) else {
                return Err(value_error(format!("stray % in format '{whole}'")));
            };
            i += 1;
            if REGEX_SPECIAL.contains(d) || is_py_space(d) {
                // The `%` is followed by the escape CPython inserted.
                return Err(value_error(format!("'%' is a bad directive in format '{whole}'")));
            }
            if let Some(sub) = compound(d) {
                compile_into(sub, whole, items, regex_len, groups, group_count)?;
                continue;
            }
            if d == '%' {
                items.push(Item::Lit('%'));
                *regex_len += 1;
                continue;
            }
            let (text, n) = regex_text(d);
            if n == 0 {
                return Err(value_error(format!("'{d}' is a bad directive in format '{whole}'")));
            }
            let name = if d == 'h' { 'b' } else { d };
            *group_count += 1;
            if let Some((_, first)) = groups.iter().find(|(g, _)| *g == name) {
                return Err(PolicyError::new(
                    ExcKind::Other("error"),
                    format!(
                        "redefinition of group name {} as group {}; was group {first} at position {}",
                        py_repr_str(&name.to_string()),
                        *group_count,
                        *regex_len + 4
                    ),
                ));
            }
            groups.push((name, *group_count));
            *group_count += n - 1;
            *regex_len += text.chars().count();
            items.push(Item::Dir(name));
        } else if is_py_space(c) {
            while chars.get(i).is_some_and(|c| is_py_space(*c)) {
                i += 1;
            }
            items.push(Item::Ws);
            *regex_len += 3;
        } else {
            items.push(Item::Lit(c));
            *regex_len += if REGEX_SPECIAL.contains(c) { 2 } else { 1 };
        }
    }
    Ok(())
}

fn ascii_digit(s: &[char], i: usize) -> bool {
    s.get(i).is_some_and(char::is_ascii_digit)
}

fn in_range(s: &[char], i: usize, lo: char, hi: char) -> bool {
    s.get(i).is_some_and(|c| (lo..=hi).contains(c))
}

fn eq_ic(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// The lengths a directive can match at a position (no allocation for
/// the usual few).
type Cands = SmallVec<[usize; 8]>;

/// Candidate lengths for a directive at `pos`, in the order the regex
/// would try them.
fn candidates(d: char, s: &[char], pos: usize) -> Cands {
    let dg = |k: usize| ascii_digit(s, pos + k);
    let r = |k: usize, lo: char, hi: char| in_range(s, pos + k, lo, hi);
    let ch = |k: usize, c: char| s.get(pos + k) == Some(&c);
    // Each alternative: (matches?, length).
    let alts: SmallVec<[(bool, usize); 8]> = match d {
        'd' => smallvec![
            (r(0, '3', '3') && r(1, '0', '1'), 2),
            (r(0, '1', '2') && dg(1), 2),
            (ch(0, '0') && r(1, '1', '9'), 2),
            (r(0, '1', '9'), 1),
            (ch(0, ' ') && r(1, '1', '9'), 2),
        ],
        'f' => {
            let n = (0..6).take_while(|k| dg(*k)).count();
            return (1..=n).rev().collect();
        }
        'H' => smallvec![(ch(0, '2') && r(1, '0', '3'), 2), (r(0, '0', '1') && dg(1), 2), (dg(0), 1)],
        'I' | 'm' => smallvec![(ch(0, '1') && r(1, '0', '2'), 2), (ch(0, '0') && r(1, '1', '9'), 2), (r(0, '1', '9'), 1)],
        'j' => smallvec![
            (ch(0, '3') && ch(1, '6') && r(2, '0', '6'), 3),
            (ch(0, '3') && r(1, '0', '5') && dg(2), 3),
            (r(0, '1', '2') && dg(1) && dg(2), 3),
            (ch(0, '0') && r(1, '1', '9') && dg(2), 3),
            (ch(0, '0') && ch(1, '0') && r(2, '1', '9'), 3),
            (r(0, '1', '9') && dg(1), 2),
            (ch(0, '0') && r(1, '1', '9'), 2),
            (r(0, '1', '9'), 1),
        ],
        'M' => smallvec![(r(0, '0', '5') && dg(1), 2), (dg(0), 1)],
        'S' => smallvec![(ch(0, '6') && r(1, '0', '1'), 2), (r(0, '0', '5') && dg(1), 2), (dg(0), 1)],
        'U' | 'W' => smallvec![(ch(0, '5') && r(1, '0', '3'), 2), (r(0, '0', '4') && dg(1), 2), (dg(0), 1)],
        'V' => smallvec![(ch(0, '5') && r(1, '0', '3'), 2), (ch(0, '0') && r(1, '1', '9'), 2), (r(0, '1', '4') && dg(1), 2), (dg(0), 1)],
        'w' => smallvec![(r(0, '0', '6'), 1)],
        'u' => smallvec![(r(0, '1', '7'), 1)],
        'y' => smallvec![(dg(0) && dg(1), 2)],
        'Y' | 'G' => smallvec![(dg(0) && dg(1) && dg(2) && dg(3), 4)],
        'z' => return z_candidates(s, pos),
        'A' => return name_candidates(&F_WEEKDAY, s, pos),
        'a' => return name_candidates(&A_WEEKDAY, s, pos),
        'B' => return name_candidates(&F_MONTH, s, pos),
        'b' => return name_candidates(&A_MONTH, s, pos),
        'p' => return name_candidates(&AM_PM, s, pos),
        'Z' => return name_candidates(&TZ_NAMES, s, pos),
        _ => smallvec![],
    };
    alts.into_iter().filter(|(ok, _)| *ok).map(|(_, n)| n).collect()
}

fn name_candidates(names: &[&str], s: &[char], pos: usize) -> Cands {
    // The names that match here, longest first (`_strptime` sorts its
    // alternatives by length, stably, before joining them).
    let mut found: SmallVec<[(usize, usize); 8]> = names
        .iter()
        .filter(|n| {
            let len = n.chars().count();
            s.get(pos..pos + len).is_some_and(|w| w.iter().zip(n.chars()).all(|(a, b)| eq_ic(*a, b)))
        })
        .map(|n| (n.len(), n.chars().count()))
        .collect();
    found.sort_by_key(|(bytes, _)| std::cmp::Reverse(*bytes));
    found.into_iter().map(|(_, chars)| chars).collect()
}

/// `[+-]\d\d:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?|(?-i:Z)`.
fn z_candidates(s: &[char], pos: usize) -> Cands {
    let mut out = Cands::new();
    let dg = |i: usize| ascii_digit(s, i);
    let r05 = |i: usize| in_range(s, i, '0', '5') && dg(i + 1);
    if matches!(s.get(pos), Some('+' | '-')) && dg(pos + 1) && dg(pos + 2) {
        let after_h = pos + 3;
        let colons: SmallVec<[usize; 2]> = if s.get(after_h) == Some(&':') { smallvec![after_h + 1, after_h] } else { smallvec![after_h] };
        for m in colons {
            if !r05(m) {
                continue;
            }
            let after_m = m + 2;
            // The optional seconds group, greedy.
            let colons2: SmallVec<[usize; 2]> = if s.get(after_m) == Some(&':') { smallvec![after_m + 1, after_m] } else { smallvec![after_m] };
            for sec in colons2 {
                if !r05(sec) {
                    continue;
                }
                let after_s = sec + 2;
                if s.get(after_s) == Some(&'.') {
                    let n = (0..6).take_while(|k| dg(after_s + 1 + k)).count();
                    for k in (1..=n).rev() {
                        out.push(after_s + 1 + k - pos);
                    }
                }
                out.push(after_s - pos);
            }
            out.push(after_m - pos);
        }
    }
    if s.get(pos) == Some(&'Z') {
        out.push(1);
    }
    out
}

/// A match: `(directive, start, end)` per directive, and the end.
type Captures = SmallVec<[(char, usize, usize); 16]>;

fn search(items: &[Item], s: &[char], pos: usize, caps: &mut Captures) -> Option<usize> {
    let Some((first, rest)) = items.split_first() else { return Some(pos) };
    match *first {
        Item::Lit(c) => {
            let ok = s.get(pos).is_some_and(|x| eq_ic(*x, c));
            if ok {
                search(rest, s, pos + 1, caps)
            } else {
                None
            }
        }
        Item::Ws => {
            let n = s.get(pos..).unwrap_or_default().iter().take_while(|c| is_py_space(**c)).count();
            (1..=n).rev().find_map(|k| search(rest, s, pos + k, caps))
        }
        Item::Dir(d) => {
            for len in candidates(d, s, pos) {
                caps.push((d, pos, pos + len));
                if let Some(end) = search(rest, s, pos + len, caps) {
                    return Some(end);
                }
                caps.pop();
            }
            None
        }
    }
}

fn num(s: &str) -> i64 {
    s.trim().parse().unwrap_or(0)
}

/// `num` of the text of `cs`, without building it: surrounding
/// whitespace trimmed, an optional sign, ASCII digits, 0 for anything else
/// or an overflow (as `str::parse::<i64>` fails).
fn num_chars(cs: &[char]) -> i64 {
    let mut cs = cs;
    while let [first, rest @ ..] = cs {
        if !first.is_whitespace() {
            break;
        }
        cs = rest;
    }
    while let [rest @ .., last] = cs {
        if !last.is_whitespace() {
            break;
        }
        cs = rest;
    }
    let (negative, digits) = match cs {
        ['-', rest @ ..] => (true, rest),
        ['+', rest @ ..] => (false, rest),
        _ => (false, cs),
    };
    if digits.is_empty() {
        return 0;
    }
    let mut value: i64 = 0;
    for c in digits {
        let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) else { return 0 };
        let next = value.checked_mul(10).and_then(|v| if negative { v.checked_sub(i64::from(d)) } else { v.checked_add(i64::from(d)) });
        match next {
            Some(v) => value = v,
            None => return 0,
        }
    }
    value
}

fn index_of(names: &[&str], s: &str) -> i64 {
    let lower = s.to_lowercase();
    names.iter().position(|n| *n == lower).and_then(|p| i64::try_from(p).ok()).unwrap_or(0)
}

fn ordinal(y: i64, m: i64, d: i64) -> i64 {
    days_from_civil(y, m, d) + EPOCH_ORDINAL
}

/// `date.fromordinal(n)` as `(year, month, day)`, with CPython's errors.
fn from_ordinal(n: i64) -> PyResult<(i64, i64, i64)> {
    if n < 1 {
        return Err(value_error("ordinal must be >= 1"));
    }
    let (y, m, d) = civil_from_days(n - EPOCH_ORDINAL);
    if y > 9999 {
        return Err(value_error(format!("year {y} is out of range")));
    }
    Ok((y, m, d))
}

/// `datetime.strptime(data, format)`.
pub fn strptime(data: &str, format: &str) -> PyResult<DateTime> {
    let s: Vec<char> = data.chars().collect();
    match strptime_chars(&s, format)? {
        Matched::Yes(dt) => Ok(dt),
        Matched::No => {
            Err(value_error(format!("time data {} does not match format {}", py_repr_str(data), py_repr_str(format))))
        }
        Matched::Unconverted(end) => {
            let rest: String = s.get(end..).unwrap_or_default().iter().collect();
            Err(value_error(format!("unconverted data remains: {rest}")))
        }
    }
}

/// `strptime` for a caller that tries format after format and ignores
/// the `ValueError` of a text that does not match (Panther's
/// `resolve_timestamp_string`): `Ok(None)` where `strptime` raises
/// "does not match format" or "unconverted data remains", without
/// building those messages.
pub(crate) fn strptime_if_matches(data: &[char], format: &str) -> PyResult<Option<DateTime>> {
    match strptime_chars(data, format)? {
        Matched::Yes(dt) => Ok(Some(dt)),
        Matched::No | Matched::Unconverted(_) => Ok(None),
    }
}

/// How a text met a format.
enum Matched {
    Yes(DateTime),
    /// The format's pattern does not match at the start.
    No,
    /// It matched up to this character, and text remains.
    Unconverted(usize),
}

/// The compiled formats this thread has seen (formats are few: literals of
/// policies and Panther's `TIME_FORMATS`), so that each is compiled once.
const COMPILED_CAP: usize = 256;

thread_local! {
    static COMPILED: std::cell::RefCell<std::collections::HashMap<Box<str>, std::rc::Rc<[Item]>, foldhash::fast::FixedState>> =
        std::cell::RefCell::new(std::collections::HashMap::with_hasher(foldhash::fast::FixedState::default()));
}

/// `compile(format)`, from the cache when it compiled before (a format
/// that does not compile is not cached: its error is rebuilt each time).
fn compiled(format: &str) -> PyResult<std::rc::Rc<[Item]>> {
    if let Some(items) = COMPILED.with_borrow(|c| c.get(format).cloned()) {
        return Ok(items);
    }
    let items: std::rc::Rc<[Item]> = compile(format)?.into();
    COMPILED.with_borrow_mut(|c| {
        if c.len() >= COMPILED_CAP {
            c.clear();
        }
        c.insert(format.into(), items.clone());
    });
    Ok(items)
}

fn strptime_chars(s: &[char], format: &str) -> PyResult<Matched> {
    let items = compiled(format)?;
    let mut caps = Captures::new();
    let Some(end) = search(&items, s, 0, &mut caps) else {
        return Ok(Matched::No);
    };
    if end != s.len() {
        return Ok(Matched::Unconverted(end));
    }
    // Numbers are read from the matched characters; text is built only
    // for the directives that read it (names, fractions, offsets).
    let text = |a: usize, b: usize| -> String { s.get(a..b).unwrap_or_default().iter().collect() };
    let get = |d: char| caps.iter().find(|(k, ..)| *k == d).map(|&(_, a, b)| text(a, b));

    let mut iso_year: Option<i64> = None;
    let mut year: Option<i64> = None;
    let (mut month, mut day) = (1i64, 1i64);
    let (mut hour, mut minute, mut second, mut fraction) = (0i64, 0i64, 0i64, 0i64);
    let mut gmtoff: Option<i64> = None;
    let mut gmtoff_fraction = 0i64;
    let (mut iso_week, mut week_of_year, mut week_starts_mon) = (None::<i64>, None::<i64>, false);
    let (mut weekday, mut julian) = (None::<i64>, None::<i64>);
    for &(key, a, b) in &caps {
        let n = || num_chars(s.get(a..b).unwrap_or_default());
        match key {
            'y' => {
                let y = n();
                year = Some(if y <= 68 { y + 2000 } else { y + 1900 });
            }
            'Y' => year = Some(n()),
            'G' => iso_year = Some(n()),
            'm' => month = n(),
            'B' => month = index_of(&F_MONTH, &text(a, b)) + 1,
            'b' => month = index_of(&A_MONTH, &text(a, b)) + 1,
            'd' => day = n(),
            'H' => hour = n(),
            'I' => {
                hour = n();
                let ampm = get('p').unwrap_or_default().to_lowercase();
                if ampm.is_empty() || ampm == "am" {
                    if hour == 12 {
                        hour = 0;
                    }
                } else if ampm == "pm" && hour != 12 {
                    hour += 12;
                }
            }
            'M' => minute = n(),
            'S' => second = n(),
            'f' => fraction = num(&format!("{:0<6}", text(a, b))),
            'A' => weekday = Some(index_of(&F_WEEKDAY, &text(a, b))),
            'a' => weekday = Some(index_of(&A_WEEKDAY, &text(a, b))),
            'w' => weekday = Some((n() + 6) % 7),
            'u' => weekday = Some(n() - 1),
            'j' => julian = Some(n()),
            'U' | 'W' => {
                week_of_year = Some(n());
                week_starts_mon = key == 'W';
            }
            'V' => iso_week = Some(n()),
            'z' => {
                let v = &text(a, b);
                if v == "Z" {
                    gmtoff = Some(0);
                } else {
                    let mut z: Vec<char> = v.chars().collect();
                    if z.get(3) == Some(&':') {
                        z.remove(3);
                        if z.len() > 5 {
                            if z.get(5) != Some(&':') {
                                return Err(value_error(format!("Inconsistent use of : in {v}")));
                            }
                            z.remove(5);
                        }
                    }
                    let part = |a: usize, b: usize| -> String { z.get(a..b.min(z.len())).unwrap_or_default().iter().collect() };
                    let hours = num(&part(1, 3));
                    let minutes = num(&part(3, 5));
                    let seconds = num(&part(5, 7));
                    let mut off = hours * 3600 + minutes * 60 + seconds;
                    let rem = part(8, z.len());
                    let mut frac = if rem.is_empty() { 0 } else { num(&format!("{rem:0<6}")) };
                    if z.first() == Some(&'-') {
                        off = -off;
                        frac = -frac;
                    }
                    gmtoff = Some(off);
                    gmtoff_fraction = frac;
                }
            }
            _ => {}
        }
    }
    if year.is_none() && iso_year.is_some() {
        if iso_week.is_none() || weekday.is_none() {
            return Err(value_error(
                "ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u').",
            ));
        }
        if julian.is_some() {
            return Err(value_error(
                "Day of the year directive '%j' is not compatible with ISO year directive '%G'. Use '%Y' instead.",
            ));
        }
    } else if week_of_year.is_none() && iso_week.is_some() {
        if weekday.is_none() {
            return Err(value_error(
                "ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive ('%A', '%a', '%w', or '%u').",
            ));
        }
        return Err(value_error(
            "ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead.",
        ));
    }
    let mut leap_year_fix = false;
    let mut year = match year {
        Some(y) => y,
        None if month == 2 && day == 29 => {
            leap_year_fix = true;
            1904
        }
        None => 1900,
    };
    if julian.is_none() {
        if let Some(wd) = weekday {
            if let Some(week) = week_of_year {
                check_date(year, 1, 1)?;
                julian = Some(julian_from_u_or_w(year, week, wd, week_starts_mon));
            } else if let (Some(iy), Some(iw)) = (iso_year, iso_week) {
                check_date(iy, 1, 4)?;
                let (y, j) = julian_from_v(iy, iw, wd + 1)?;
                year = y;
                julian = Some(j);
            }
            if let Some(j) = julian {
                if j <= 0 {
                    year -= 1;
                    julian = Some(j + if is_leap(year) { 366 } else { 365 });
                }
            }
        }
    }
    match julian {
        None => check_date(year, month, day)?,
        Some(j) => {
            check_date(year, 1, 1)?;
            let (y, m, d) = from_ordinal(j - 1 + ordinal(year, 1, 1))?;
            year = y;
            month = m;
            day = d;
        }
    }
    if leap_year_fix {
        year = 1900;
    }
    let tz = match gmtoff {
        None => None,
        Some(off) => {
            let name = get('Z').filter(|n| !n.is_empty());
            Some(Tz::fixed(off * 1_000_000 + gmtoff_fraction, name)?)
        }
    };
    DateTime::from_fields(Fields { year, month, day, hour, minute, second, microsecond: fraction }, tz).map(Matched::Yes)
}

fn julian_from_u_or_w(year: i64, week: i64, day_of_week: i64, week_starts_mon: bool) -> i64 {
    let mut first_weekday = (days_from_civil(year, 1, 1) + 3).rem_euclid(7);
    let mut dow = day_of_week;
    if !week_starts_mon {
        first_weekday = (first_weekday + 1) % 7;
        dow = (dow + 1) % 7;
    }
    let week_0_length = (7 - first_weekday) % 7;
    if week == 0 {
        1 + dow - first_weekday
    } else {
        1 + week_0_length + 7 * (week - 1) + dow
    }
}

fn julian_from_v(iso_year: i64, iso_week: i64, iso_weekday: i64) -> PyResult<(i64, i64)> {
    let jan4_isoweekday = (days_from_civil(iso_year, 1, 4) + 3).rem_euclid(7) + 1;
    let correction = jan4_isoweekday + 3;
    let mut ordinal_day = iso_week * 7 + iso_weekday - correction;
    let mut year = iso_year;
    if ordinal_day < 1 {
        ordinal_day += ordinal(year, 1, 1);
        year -= 1;
        check_date(year, 1, 1)?;
        ordinal_day -= ordinal(year, 1, 1);
    }
    Ok((year, ordinal_day))
}

// ---------------------------------------------------------------------
// fromisoformat (port of `_datetimemodule.c`, 3.11)

struct Bytes<'s> {
    b: &'s [u8],
}

impl Bytes<'_> {
    /// The byte at `i`, or NUL past the end (C strings are NUL-terminated).
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn digits(&self, p: usize, n: usize) -> Option<(i64, usize)> {
        let mut v = 0i64;
        for i in 0..n {
            let c = self.at(p + i);
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some((v, p + n))
    }
}

fn separator_location(s: &Bytes<'_>, len: usize) -> Option<usize> {
    if len == 7 {
        return Some(7);
    }
    if s.at(4) == b'-' {
        if s.at(5) == b'W' {
            if len < 8 {
                return None;
            }
            if len > 8 && s.at(8) == b'-' {
                if len == 9 {
                    return None;
                }
                if len > 10 && s.at(10).is_ascii_digit() {
                    return Some(8);
                }
                return Some(10);
            }
            return Some(8);
        }
        return Some(10);
    }
    if s.at(4) == b'W' {
        let mut idx = 7;
        while idx < len && s.at(idx).is_ascii_digit() {
            idx += 1;
        }
        if idx < 9 {
            return Some(idx);
        }
        return Some(if idx % 2 == 0 { 7 } else { 8 });
    }
    Some(8)
}

fn iso_to_ymd(year: i64, week: i64, day: i64) -> Option<(i64, i64, i64)> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    if !(1..53).contains(&week) {
        let jan1 = (days_from_civil(year, 1, 1) + 3).rem_euclid(7);
        if !(week == 53 && (jan1 == 3 || (jan1 == 2 && is_leap(year)))) {
            return None;
        }
    }
    if !(1..8).contains(&day) {
        return None;
    }
    let jan4 = days_from_civil(year, 1, 4);
    let week1_monday = jan4 - (jan4 + 3).rem_euclid(7);
    Some(civil_from_days(week1_monday + (week - 1) * 7 + (day - 1)))
}

fn parse_date(s: &Bytes<'_>, len: usize) -> Option<(i64, i64, i64)> {
    let (year, mut p) = s.digits(0, 4)?;
    let sep = s.at(p) == b'-';
    if sep {
        p += 1;
    }
    if s.at(p) == b'W' {
        p += 1;
        let (week, q) = s.digits(p, 2)?;
        p = q;
        let mut day = 1;
        if p < len {
            if sep {
                if s.at(p) != b'-' {
                    return None;
                }
                p += 1;
            }
            day = s.digits(p, 1)?.0;
        }
        return iso_to_ymd(year, week, day);
    }
    let (month, q) = s.digits(p, 2)?;
    p = q;
    if sep {
        if s.at(p) != b'-' {
            return None;
        }
        p += 1;
    }
    let (day, _) = s.digits(p, 2)?;
    Some((year, month, day))
}

/// `parse_hh_mm_ss_ff`: `Err(())` on a parse failure, else the fields and
/// whether unparsed text remains.
fn parse_hms(s: &Bytes<'_>, start: usize, end: usize) -> Result<([i64; 4], bool), ()> {
    let mut vals = [0i64; 4];
    let mut p = start;
    let mut has_sep = true;
    for i in 0..3 {
        let (v, q) = s.digits(p, 2).ok_or(())?;
        if let Some(slot) = vals.get_mut(i) {
            *slot = v;
        }
        p = q;
        let c = s.at(p);
        p += 1;
        if i == 0 {
            has_sep = c == b':';
        }
        if p >= end {
            return Ok((vals, c != 0));
        } else if has_sep && c == b':' {
            continue;
        } else if c == b'.' || c == b',' {
            break;
        } else if !has_sep {
            p -= 1;
        } else {
            return Err(());
        }
    }
    let remains = end.saturating_sub(p);
    let to_parse = remains.min(6);
    let (mut us, mut q) = s.digits(p, to_parse).ok_or(())?;
    const CORRECTION: [i64; 5] = [100_000, 10_000, 1_000, 100, 10];
    if to_parse < 6 {
        us *= to_parse.checked_sub(1).and_then(|i| CORRECTION.get(i)).copied().unwrap_or(1);
    }
    vals[3] = us;
    while s.at(q).is_ascii_digit() {
        q += 1;
    }
    Ok((vals, s.at(q) != 0))
}

/// Hours, minutes, seconds, microseconds.
type Hms = [i64; 4];

/// The time part: fields and, when present, `(offset seconds, offset us)`.
fn parse_time(s: &Bytes<'_>, start: usize, end: usize) -> Result<(Hms, Option<(i64, i64)>), ()> {
    let mut tz_pos = start;
    loop {
        if matches!(s.at(tz_pos), b'Z' | b'+' | b'-') {
            break;
        }
        tz_pos += 1;
        if tz_pos >= end {
            break;
        }
    }
    let (vals, rest) = parse_hms(s, start, tz_pos)?;
    if tz_pos >= end {
        return if rest { Err(()) } else { Ok((vals, None)) };
    }
    if s.at(tz_pos) == b'Z' {
        return if s.at(tz_pos + 1) != 0 { Err(()) } else { Ok((vals, Some((0, 0)))) };
    }
    let sign = if s.at(tz_pos) == b'-' { -1 } else { 1 };
    let (tz, rest) = parse_hms(s, tz_pos + 1, end)?;
    if rest {
        return Err(());
    }
    let [h, m, sec, us] = tz;
    Ok((vals, Some((sign * (h * 3600 + m * 60 + sec), sign * us))))
}

/// `datetime.fromisoformat(s)`.
pub fn fromisoformat(text: &str) -> PyResult<DateTime> {
    let invalid = || value_error(format!("Invalid isoformat string: {}", py_repr_str(text)));
    let s = Bytes { b: text.as_bytes() };
    let len = text.len();
    if len < 7 {
        return Err(invalid());
    }
    let sep = separator_location(&s, len).ok_or_else(invalid)?;
    let (year, month, day) = parse_date(&s, sep).ok_or_else(invalid)?;
    let ([hour, minute, second, microsecond], tz) = if len > sep {
        parse_time(&s, sep + 1, len).map_err(|()| invalid())?
    } else {
        ([0; 4], None)
    };
    let tz = match tz {
        None => None,
        Some((0, _)) => Some(Tz::utc()),
        Some((secs, us)) => Some(Tz::fixed(secs * 1_000_000 + us, None)?),
    };
    DateTime::from_fields(Fields { year, month, day, hour, minute, second, microsecond }, tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers read from the characters equal `str::parse` of their text.
    #[test]
    fn num_chars_equals_parsing_the_text() {
        let cases = [
            "", " ", "0", "07", " 7", "7 ", "-3", "+3", "-", "+", "12a", "1 2", "\u{2003}5\u{2003}", "٣", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "00000000000000000000001",
        ];
        for text in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(num_chars(&chars), num(text), "{text:?}");
        }
    }
    use crate::ops;
    use crate::value::Val;

    fn p(data: &str, format: &str) -> String {
        match strptime(data, format) {
            Ok(d) => ops::repr(&Val::native(d)),
            Err(e) => e.to_string(),
        }
    }

    fn iso(s: &str) -> String {
        match fromisoformat(s) {
            Ok(d) => ops::repr(&Val::native(d)),
            Err(e) => e.to_string(),
        }
    }

    // Expected values from CPython 3.11 `datetime.strptime`.
    #[test]
    fn corpus_shapes() {
        assert_eq!(p("2019-01-01T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(p("2019-01-01t00:00:00z", "%Y-%m-%dT%H:%M:%SZ"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(p("2019-01-01T00:00:00.123Z", "%Y-%m-%dT%H:%M:%S.%fZ"), "datetime.datetime(2019, 1, 1, 0, 0, 0, 123000)");
        assert_eq!(
            p("2019-01-01T00:00:00.123456789Z", "%Y-%m-%dT%H:%M:%S.%fZ"),
            "ValueError: time data '2019-01-01T00:00:00.123456789Z' does not match format '%Y-%m-%dT%H:%M:%S.%fZ'"
        );
        assert_eq!(
            p("2009-02-13T15:31:30.000-08:00", "%Y-%m-%dT%H:%M:%S.%f%z"),
            "datetime.datetime(2009, 2, 13, 15, 31, 30, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=57600)))"
        );
        assert_eq!(p("2009-02-13T15:31:30*000Z", "%Y-%m-%dT%H:%M:%S*%f%z"), "datetime.datetime(2009, 2, 13, 15, 31, 30, tzinfo=datetime.timezone.utc)");
        assert_eq!(p("2019 Jan 01 10:00:00.5 UTC", "%Y %b %d %H:%M:%S.%f %Z"), "datetime.datetime(2019, 1, 1, 10, 0, 0, 500000)");
        assert_eq!(
            p("2019-01-01 +0000 UTC", "%Y-%m-%d %z %Z"),
            "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(0), 'UTC'))"
        );
        assert_eq!(p("12:00:00 AM", "%I:%M:%S %p"), "datetime.datetime(1900, 1, 1, 0, 0)");
        assert_eq!(p("5 pm 2019", "%I %p %Y"), "datetime.datetime(2019, 1, 1, 17, 0)");
        assert_eq!(p("2019   01", "%Y %m"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(p("112", "%d%m"), "datetime.datetime(1900, 2, 11, 0, 0)");
        assert_eq!(p("Tue Jan  1 00:00:00 2019", "%c"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(p("2019 366", "%Y %j"), "datetime.datetime(2020, 1, 1, 0, 0)");
        assert_eq!(p("12:30:45+05:30:15.5", "%H:%M:%S%z"), "datetime.datetime(1900, 1, 1, 12, 30, 45, tzinfo=datetime.timezone(datetime.timedelta(seconds=19815, microseconds=500000)))");
    }

    #[test]
    fn errors_match_cpython() {
        assert_eq!(p("2019", "%q"), "ValueError: 'q' is a bad directive in format '%q'");
        assert_eq!(p("2019", "%"), "ValueError: stray % in format '%'");
        assert_eq!(p("x", "%."), "ValueError: '%' is a bad directive in format '%.'");
        assert_eq!(p("2019-02-30", "%Y-%m-%d"), "ValueError: day is out of range for month");
        assert_eq!(p("0000-02-20", "%Y-%m-%d"), "ValueError: year 0 is out of range");
        assert_eq!(p("2019-02-20 10:00:60", "%Y-%m-%d %H:%M:%S"), "ValueError: second must be in 0..59");
        assert_eq!(p("2019-02-20x", "%Y-%m-%d"), "ValueError: unconverted data remains: x");
        assert_eq!(p("Feb 29 10:00:00", "%b %d %H:%M:%S"), "ValueError: day is out of range for month");
        assert_eq!(p("9999 366", "%Y %j"), "ValueError: year 10000 is out of range");
        assert_eq!(p("+05:3015", "%z"), "ValueError: Inconsistent use of : in +05:3015");
        assert_eq!(
            p("+99:00", "%z"),
            "ValueError: offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=4, seconds=10800)."
        );
        assert_eq!(p("2019 2019", "%Y %Y"), "error: redefinition of group name 'Y' as group 2; was group 1 at position 22");
        assert_eq!(p("12:30:45z", "%H:%M:%S%z"), "ValueError: time data '12:30:45z' does not match format '%H:%M:%S%z'");
    }

    // Expected values from CPython 3.11 `datetime.fromisoformat`.
    #[test]
    fn fromisoformat_matches_cpython() {
        assert_eq!(iso("2019-01-01T00:00:00Z"), "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
        assert_eq!(iso("2019-01-01"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(
            iso("2019-01-01T00:00:00.123456789+05:30"),
            "datetime.datetime(2019, 1, 1, 0, 0, 0, 123456, tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))"
        );
        assert_eq!(iso("20190101T000000"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(iso("2019-W01-1"), "datetime.datetime(2018, 12, 31, 0, 0)");
        assert_eq!(iso("2019W011"), "datetime.datetime(2018, 12, 31, 0, 0)");
        assert_eq!(iso("2019-01-01T000000123"), "datetime.datetime(2019, 1, 1, 0, 0, 0, 123000)");
        assert_eq!(iso("2019-01-01T00:00:00:00"), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(iso("2019-01-01T00-05"), "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))");
        assert_eq!(iso("2019-01-01T00:00:00+00:00:00.000001"), "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
        for bad in ["x", "2019-0101", "2019-01-01T00:00:00 ", "2019-01-01T0", "2019-01-01T00:00:", "2019-01-01T00:00z", "2019-01-01T00:0000", "2019-01-01T00:00:00.12a"] {
            assert_eq!(iso(bad), format!("ValueError: Invalid isoformat string: {}", py_repr_str(bad)), "{bad}");
        }
        assert_eq!(iso("2019-02-30"), "ValueError: day is out of range for month");
        assert_eq!(iso("2019-01-01T24:00:00"), "ValueError: hour must be in 0..23");
    }
}
