//! A port of `dateutil.parser.parse(timestr)` (dateutil 2.9, default
//! `parserinfo`, no `fuzzy`, no `tzinfos`), the fallback of Panther's
//! `resolve_timestamp_string`.
//!
//! The lexer (`_timelex`), the token loop (`_parse`,
//! `_parse_numeric_token`, the `ymd` resolution) and the result building
//! (`_build_naive`, `_build_tzaware`) follow dateutil's code step by step.
//! The default date is today in the local zone, which this runtime defines
//! as UTC, so `UTC` and `Z` give `tzlocal()` as on a UTC host.
//!
//! Deviations: numeric tokens must use ASCII digits (Python's `float()`
//! also takes other Unicode digits), and numbers of more than 28 digits,
//! for which `Decimal` raises `InvalidOperation`, are handled as integers.

use std::cmp::Ordering;
use std::collections::VecDeque;

use super::args::overflow_error;
use super::datetime::{check_date, civil_from_days, DateTime, Fields, Tz, TzStyle, DAY_US};
use crate::error::PolicyError;
use crate::ops::case::is_py_space;
use crate::policy::Context;

/// The outcome of `dateutil.parser.parse`.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// A datetime.
    Parsed(DateTime),
    /// `ParserError` (a `ValueError`, which the helper catches).
    Failed,
    /// Another exception, which escapes (`OverflowError`).
    Raised(PolicyError),
}

// ---------------------------------------------------------------------
// Lexer

fn is_word(c: char) -> bool {
    c.is_alphabetic()
}

fn is_num(c: char) -> bool {
    c.is_numeric()
}


#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Word,
    Num,
    WordDot,
    NumDot,
}

/// `_timelex.split(s)`.
fn split(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().filter(|c| *c != '\0').collect();
    let mut pos = 0;
    let mut out = Vec::new();
    let mut stack: VecDeque<String> = VecDeque::new();
    loop {
        if let Some(t) = stack.pop_front() {
            out.push(t);
            continue;
        }
        let mut token = String::new();
        let mut state: Option<State> = None;
        let mut seen_letters = false;
        while let Some(&c) = chars.get(pos) {
            match state {
                None => {
                    token.push(c);
                    pos += 1;
                    if is_word(c) {
                        state = Some(State::Word);
                    } else if is_num(c) {
                        state = Some(State::Num);
                    } else {
                        if is_py_space(c) {
                            token = " ".to_owned();
                        }
                        break;
                    }
                }
                Some(State::Word) => {
                    seen_letters = true;
                    if is_word(c) {
                        token.push(c);
                    } else if c == '.' {
                        token.push(c);
                        state = Some(State::WordDot);
                    } else {
                        break;
                    }
                    pos += 1;
                }
                Some(State::Num) => {
                    if is_num(c) {
                        token.push(c);
                    } else if c == '.' || (c == ',' && token.chars().count() >= 2) {
                        token.push(c);
                        state = Some(State::NumDot);
                    } else {
                        break;
                    }
                    pos += 1;
                }
                Some(State::WordDot) => {
                    seen_letters = true;
                    if c == '.' || is_word(c) {
                        token.push(c);
                    } else if is_num(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some(State::NumDot);
                    } else {
                        break;
                    }
                    pos += 1;
                }
                Some(State::NumDot) => {
                    if c == '.' || is_num(c) {
                        token.push(c);
                    } else if is_word(c) && token.ends_with('.') {
                        token.push(c);
                        state = Some(State::WordDot);
                    } else {
                        break;
                    }
                    pos += 1;
                }
            }
        }
        if token.is_empty() {
            break;
        }
        let dotted = matches!(state, Some(State::WordDot | State::NumDot));
        if dotted && (seen_letters || token.matches('.').count() > 1 || token.ends_with(['.', ','])) {
            // re.split("([.,])", token)
            let mut parts = Vec::new();
            let mut cur = String::new();
            for c in token.chars() {
                if c == '.' || c == ',' {
                    parts.push(std::mem::take(&mut cur));
                    parts.push(c.to_string());
                } else {
                    cur.push(c);
                }
            }
            parts.push(cur);
            let mut it = parts.into_iter();
            token = it.next().unwrap_or_default();
            stack.extend(it.filter(|t| !t.is_empty()));
        }
        if state == Some(State::NumDot) && !token.contains('.') {
            token = token.replace(',', ".");
        }
        out.push(token);
    }
    out
}

// ---------------------------------------------------------------------
// parserinfo

const JUMP: [&str; 18] = [" ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m", "t", "of", "st", "nd", "rd", "th"];
const WEEKDAYS: [&[&str]; 7] = [
    &["mon", "monday"],
    &["tue", "tuesday"],
    &["wed", "wednesday"],
    &["thu", "thursday"],
    &["fri", "friday"],
    &["sat", "saturday"],
    &["sun", "sunday"],
];
const MONTHS: [&[&str]; 12] = [
    &["jan", "january"],
    &["feb", "february"],
    &["mar", "march"],
    &["apr", "april"],
    &["may"],
    &["jun", "june"],
    &["jul", "july"],
    &["aug", "august"],
    &["sep", "sept", "september"],
    &["oct", "october"],
    &["nov", "november"],
    &["dec", "december"],
];
const HMS: [&[&str]; 3] = [&["h", "hour", "hours"], &["m", "minute", "minutes"], &["s", "second", "seconds"]];
const AMPM: [&[&str]; 2] = [&["am", "a"], &["pm", "p"]];
const UTCZONE: [&str; 4] = ["UTC", "GMT", "Z", "z"];

fn lookup(table: &[&[&str]], name: &str) -> Option<i64> {
    let lower = name.to_lowercase();
    table.iter().position(|names| names.contains(&lower.as_str())).and_then(|i| i64::try_from(i).ok())
}

fn jump(name: &str) -> bool {
    JUMP.contains(&name.to_lowercase().as_str())
}

fn utczone(name: &str) -> bool {
    matches!(name.to_lowercase().as_str(), "utc" | "gmt" | "z")
}

// ---------------------------------------------------------------------
// Numbers

/// A numeric token as `Decimal`: non-negative, `int` digits and `frac`
/// digits. Integers are saturated at `i128::MAX` ("huge").
#[derive(Debug, Clone)]
struct Dec {
    int: i128,
    frac: String,
}

/// `Decimal(token)` for the tokens the lexer emits: `None` when `float()`
/// would reject the token, `Some(Err(()))` when it is numeric but not
/// finite (`nan`, `inf`), which dateutil rejects.
fn decimal(token: &str) -> Option<Result<Dec, ()>> {
    let lower = token.to_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        return Some(Err(()));
    }
    let (i, f) = match token.split_once('.') {
        Some((i, f)) => (i, f),
        None => (token, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (i.is_empty() && f.is_empty()) || !digits(i) || !digits(f) {
        return None;
    }
    Some(Ok(Dec { int: int_of(i).unwrap_or(0), frac: f.to_owned() }))
}

/// `int(s)` of a digit string, saturating; `None` if not digits.
fn int_of(s: &str) -> Option<i128> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: i128 = 0;
    for b in s.bytes() {
        v = v.saturating_mul(10).saturating_add(i128::from(b - b'0'));
    }
    Some(v)
}

impl Dec {
    fn has_frac(&self) -> bool {
        self.frac.bytes().any(|b| b != b'0')
    }

    /// Compares with an integer.
    fn cmp_int(&self, n: i128) -> Ordering {
        self.int.cmp(&n).then(if self.has_frac() { Ordering::Greater } else { Ordering::Equal })
    }

    /// `int(60 * (self % 1))`.
    fn sixtieths(&self) -> i128 {
        let digits: String = self.frac.chars().take(36).collect();
        let f = int_of(&digits).unwrap_or(0);
        let scale = 10i128.checked_pow(u32::try_from(digits.len()).unwrap_or(0)).unwrap_or(1);
        60 * f / scale
    }
}

/// A `ValueError` inside `_parse`: the whole parse fails.
struct Fail;

fn int_str(s: &str) -> Result<i128, Fail> {
    int_of(s).ok_or(Fail)
}

fn chars_slice(s: &str, a: usize, b: usize) -> String {
    s.chars().skip(a).take(b.saturating_sub(a)).collect()
}

/// `_parsems`: `(seconds, microseconds)` of `I[.F]`.
fn parsems(value: &str) -> Result<(i128, i128), Fail> {
    match value.split('.').collect::<Vec<_>>().as_slice() {
        [i] => Ok((int_str(i)?, 0)),
        [i, f] => {
            let padded: String = format!("{f:0<6}").chars().take(6).collect();
            Ok((int_str(i)?, int_str(&padded)?))
        }
        _ => Err(Fail),
    }
}

// ---------------------------------------------------------------------
// ymd

/// Resolved `(year, month, day)`, each possibly unknown.
type YearMonthDay = (Option<i128>, Option<i128>, Option<i128>);

#[derive(Default)]
struct Ymd {
    values: Vec<i128>,
    century_specified: bool,
    ystridx: Option<usize>,
    mstridx: Option<usize>,
    dstridx: Option<usize>,
}

/// A value appended to `ymd`: a string token or a number.
enum YmdVal<'s> {
    Str(&'s str),
    Num(&'s Dec),
    Int(i128),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Y,
    M,
}

impl Ymd {
    fn append(&mut self, val: YmdVal<'_>, label: Option<Label>) -> Result<(), Fail> {
        let mut label = label;
        let v = match val {
            YmdVal::Str(s) => {
                if s.chars().all(char::is_numeric) && !s.is_empty() && s.chars().count() > 2 {
                    self.century_specified = true;
                    label = Some(Label::Y);
                }
                int_str(s)?
            }
            YmdVal::Num(d) => {
                if d.cmp_int(100) == Ordering::Greater {
                    self.century_specified = true;
                    label = Some(Label::Y);
                }
                d.int
            }
            YmdVal::Int(i) => {
                if i > 100 {
                    self.century_specified = true;
                    label = Some(Label::Y);
                }
                i
            }
        };
        self.values.push(v);
        let idx = self.values.len() - 1;
        match label {
            Some(Label::M) => {
                if self.mstridx.is_some() {
                    return Err(Fail);
                }
                self.mstridx = Some(idx);
            }
            Some(Label::Y) => {
                if self.ystridx.is_some() {
                    return Err(Fail);
                }
                self.ystridx = Some(idx);
            }
            None => {}
        }
        Ok(())
    }

    fn get(&self, i: usize) -> i128 {
        self.values.get(i).copied().unwrap_or(0)
    }

    fn could_be_day(&self, value: &Dec) -> bool {
        if self.dstridx.is_some() {
            return false;
        }
        let in_range = |max: i128| value.cmp_int(1) != Ordering::Less && value.cmp_int(max) != Ordering::Greater;
        match (self.mstridx, self.ystridx) {
            (None, _) => in_range(31),
            (Some(m), None) => in_range(month_days(2000, self.get(m))),
            (Some(m), Some(y)) => in_range(month_days(self.get(y), self.get(m))),
        }
    }

    /// `resolve_ymd(yearfirst=False, dayfirst=False)`.
    fn resolve(&self) -> Result<YearMonthDay, Fail> {
        let n = self.values.len();
        let mut strids: Vec<(char, usize)> = [('y', self.ystridx), ('m', self.mstridx), ('d', self.dstridx)]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        if (n == strids.len() && n > 0) || (n == 3 && strids.len() == 2) {
            if n == 3 && strids.len() == 2 {
                let missing = (0..3).find(|i| !strids.iter().any(|(_, v)| v == i)).unwrap_or(0);
                let key = ['y', 'm', 'd'].into_iter().find(|k| !strids.iter().any(|(s, _)| s == k)).unwrap_or('d');
                strids.push((key, missing));
            }
            let of = |k: char| strids.iter().find(|(s, _)| *s == k).map(|(_, i)| self.get(*i));
            return Ok((of('y'), of('m'), of('d')));
        }
        let (v0, v1, v2) = (self.get(0), self.get(1), self.get(2));
        let mut out = (None, None, None);
        if n > 3 {
            return Err(Fail);
        } else if n == 1 || (self.mstridx.is_some() && n == 2) {
            let other = match self.mstridx {
                Some(m) => {
                    out.1 = Some(self.get(m));
                    self.get(if m == 0 { n - 1 } else { m - 1 })
                }
                None => v0,
            };
            if n > 1 || self.mstridx.is_none() {
                if other > 31 {
                    out.0 = Some(other);
                } else {
                    out.2 = Some(other);
                }
            }
        } else if n == 2 {
            out = if v0 > 31 {
                (Some(v0), Some(v1), None)
            } else if v1 > 31 {
                (Some(v1), Some(v0), None)
            } else {
                (None, Some(v0), Some(v1))
            };
        } else if n == 3 {
            out = match self.mstridx {
                Some(0) => {
                    if v1 > 31 {
                        (Some(v1), Some(v0), Some(v2))
                    } else {
                        (Some(v2), Some(v0), Some(v1))
                    }
                }
                Some(1) => {
                    if v0 > 31 {
                        (Some(v0), Some(v1), Some(v2))
                    } else {
                        (Some(v2), Some(v1), Some(v0))
                    }
                }
                Some(_) => {
                    if v1 > 31 {
                        (Some(v1), Some(v2), Some(v0))
                    } else {
                        (Some(v0), Some(v2), Some(v1))
                    }
                }
                None => {
                    if v0 > 31 || self.ystridx == Some(0) {
                        (Some(v0), Some(v1), Some(v2))
                    } else if v0 > 12 {
                        (Some(v2), Some(v1), Some(v0))
                    } else {
                        (Some(v2), Some(v0), Some(v1))
                    }
                }
            };
        }
        Ok(out)
    }
}

/// `calendar.monthrange(year, month)[1]` (0 for an invalid month, which
/// the callers treat as failure).
fn month_days(year: i128, month: i128) -> i128 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

// ---------------------------------------------------------------------
// _parse

#[derive(Default)]
struct Res {
    year: Option<i128>,
    month: Option<i128>,
    day: Option<i128>,
    weekday: Option<i64>,
    hour: Option<i128>,
    minute: Option<i128>,
    second: Option<i128>,
    microsecond: Option<i128>,
    tzname: Option<String>,
    tzoffset: Option<i128>,
    ampm: Option<i64>,
    century_specified: bool,
}

impl Res {
    fn is_empty(&self) -> bool {
        self.year.is_none()
            && self.month.is_none()
            && self.day.is_none()
            && self.weekday.is_none()
            && self.hour.is_none()
            && self.minute.is_none()
            && self.second.is_none()
            && self.microsecond.is_none()
            && self.tzname.is_none()
            && self.tzoffset.is_none()
            && self.ampm.is_none()
    }
}

fn adjust_ampm(hour: i128, ampm: i64) -> i128 {
    if hour < 12 && ampm == 1 {
        hour + 12
    } else if hour == 12 && ampm == 0 {
        0
    } else {
        hour
    }
}

fn could_be_tzname(res: &Res, token: &str) -> bool {
    res.hour.is_some()
        && res.tzname.is_none()
        && res.tzoffset.is_none()
        && token.chars().count() <= 5
        && (token.chars().all(|c| c.is_ascii_uppercase()) || UTCZONE.contains(&token))
}

fn parse_min_sec(value: &Dec) -> (i128, Option<i128>) {
    (value.int, value.has_frac().then(|| value.sixtieths()))
}

fn find_hms_idx(idx: usize, tokens: &[String], allow_jump: bool) -> Option<usize> {
    let at = |i: usize| tokens.get(i).map(String::as_str);
    let hms = |i: usize| at(i).and_then(|t| lookup(&HMS, t)).is_some();
    let len = tokens.len();
    if idx + 1 < len && hms(idx + 1) {
        Some(idx + 1)
    } else if allow_jump && idx + 2 < len && at(idx + 1) == Some(" ") && hms(idx + 2) {
        Some(idx + 2)
    } else if idx > 0 && hms(idx - 1) {
        Some(idx - 1)
    } else if idx > 1 && idx == len - 1 && at(idx - 1) == Some(" ") && hms(idx - 2) {
        Some(idx - 2)
    } else {
        None
    }
}

fn parse_numeric(tokens: &[String], idx: usize, value: &Dec, ymd: &mut Ymd, res: &mut Res) -> Result<usize, Fail> {
    let mut idx = idx;
    let at = |i: usize| tokens.get(i).map(String::as_str);
    let token = at(idx).unwrap_or_default();
    let len_li = token.chars().count();
    let len_l = tokens.len();
    if ymd.values.len() == 3
        && matches!(len_li, 2 | 4)
        && res.hour.is_none()
        && (idx + 1 >= len_l || (at(idx + 1) != Some(":") && at(idx + 1).and_then(|t| lookup(&HMS, t)).is_none()))
    {
        res.hour = Some(int_str(&chars_slice(token, 0, 2))?);
        if len_li == 4 {
            res.minute = Some(int_str(&chars_slice(token, 2, 4))?);
        }
    } else if len_li == 6 || (len_li > 6 && token.chars().position(|c| c == '.') == Some(6)) {
        if ymd.values.is_empty() && !token.contains('.') {
            for (a, b) in [(0, 2), (2, 4), (4, len_li)] {
                ymd.append(YmdVal::Str(&chars_slice(token, a, b)), None)?;
            }
        } else {
            res.hour = Some(int_str(&chars_slice(token, 0, 2))?);
            res.minute = Some(int_str(&chars_slice(token, 2, 4))?);
            let (s, us) = parsems(&chars_slice(token, 4, len_li))?;
            res.second = Some(s);
            res.microsecond = Some(us);
        }
    } else if matches!(len_li, 8 | 12 | 14) {
        ymd.append(YmdVal::Str(&chars_slice(token, 0, 4)), Some(Label::Y))?;
        ymd.append(YmdVal::Str(&chars_slice(token, 4, 6)), None)?;
        ymd.append(YmdVal::Str(&chars_slice(token, 6, 8)), None)?;
        if len_li > 8 {
            res.hour = Some(int_str(&chars_slice(token, 8, 10))?);
            res.minute = Some(int_str(&chars_slice(token, 10, 12))?);
            if len_li > 12 {
                res.second = Some(int_str(&chars_slice(token, 12, len_li))?);
            }
        }
    } else if let Some(hms_idx) = find_hms_idx(idx, tokens, true) {
        let hms = if hms_idx > idx {
            idx = hms_idx;
            lookup(&HMS, at(hms_idx).unwrap_or_default())
        } else {
            lookup(&HMS, at(hms_idx).unwrap_or_default()).map(|h| h + 1)
        };
        match hms {
            Some(0) => {
                res.hour = Some(value.int);
                if value.has_frac() {
                    res.minute = Some(value.sixtieths());
                }
            }
            Some(1) => {
                let (m, s) = parse_min_sec(value);
                res.minute = Some(m);
                res.second = s;
            }
            Some(2) => {
                let (s, us) = parsems(token)?;
                res.second = Some(s);
                res.microsecond = Some(us);
            }
            _ => {}
        }
    } else if idx + 2 < len_l && at(idx + 1) == Some(":") {
        res.hour = Some(value.int);
        let next = match decimal(at(idx + 2).unwrap_or_default()) {
            Some(Ok(d)) => d,
            _ => return Err(Fail),
        };
        let (m, s) = parse_min_sec(&next);
        res.minute = Some(m);
        res.second = s;
        if idx + 4 < len_l && at(idx + 3) == Some(":") {
            let (s, us) = parsems(at(idx + 4).unwrap_or_default())?;
            res.second = Some(s);
            res.microsecond = Some(us);
            idx += 2;
        }
        idx += 2;
    } else if idx + 1 < len_l && matches!(at(idx + 1), Some("-" | "/" | ".")) {
        let sep = at(idx + 1).unwrap_or_default();
        ymd.append(YmdVal::Str(token), None)?;
        if idx + 2 < len_l && !jump(at(idx + 2).unwrap_or_default()) {
            let t2 = at(idx + 2).unwrap_or_default();
            if !t2.is_empty() && t2.chars().all(char::is_numeric) {
                ymd.append(YmdVal::Str(t2), None)?;
            } else {
                let m = lookup(&MONTHS, t2).ok_or(Fail)?;
                ymd.append(YmdVal::Int(i128::from(m + 1)), Some(Label::M))?;
            }
            if idx + 3 < len_l && at(idx + 3) == Some(sep) {
                let t4 = at(idx + 4).ok_or(Fail)?;
                match lookup(&MONTHS, t4) {
                    Some(m) => ymd.append(YmdVal::Int(i128::from(m + 1)), Some(Label::M))?,
                    None => ymd.append(YmdVal::Str(t4), None)?,
                }
                idx += 2;
            }
            idx += 1;
        }
        idx += 1;
    } else if idx + 1 >= len_l || jump(at(idx + 1).unwrap_or_default()) {
        match at(idx + 2).and_then(|t| lookup(&AMPM, t)) {
            Some(ampm) if idx + 2 < len_l => {
                res.hour = Some(adjust_ampm(value.int, ampm));
                idx += 1;
            }
            _ => ymd.append(YmdVal::Num(value), None)?,
        }
        idx += 1;
    } else if let (Some(ampm), true) = (
        at(idx + 1).and_then(|t| lookup(&AMPM, t)),
        value.cmp_int(0) != Ordering::Less && value.cmp_int(24) == Ordering::Less,
    ) {
        res.hour = Some(adjust_ampm(value.int, ampm));
        idx += 1;
    } else if ymd.could_be_day(value) {
        ymd.append(YmdVal::Num(value), None)?;
    } else {
        return Err(Fail);
    }
    Ok(idx)
}

/// `parser._parse(timestr)`: `None` when dateutil's `_parse` returns
/// `(None, None)`.
fn parse_tokens(timestr: &str, this_year: i128) -> Option<Res> {
    let mut l = split(timestr);
    let len_l = l.len();
    let mut res = Res::default();
    let mut ymd = Ymd::default();
    let mut i = 0;
    let step = |l: &mut Vec<String>, i: &mut usize, res: &mut Res, ymd: &mut Ymd| -> Result<(), Fail> {
        let tok = l.get(*i).cloned().unwrap_or_default();
        let at = |l: &Vec<String>, k: usize| l.get(k).cloned();
        if let Some(num) = decimal(&tok) {
            let value = num.map_err(|()| Fail)?;
            *i = parse_numeric(l, *i, &value, ymd, res)?;
        } else if let Some(wd) = lookup(&WEEKDAYS, &tok) {
            res.weekday = Some(wd);
        } else if let Some(m) = lookup(&MONTHS, &tok) {
            ymd.append(YmdVal::Int(i128::from(m + 1)), Some(Label::M))?;
            if *i + 1 < len_l {
                let next = at(l, *i + 1).unwrap_or_default();
                if next == "-" || next == "/" {
                    let v = at(l, *i + 2).ok_or(Fail)?;
                    ymd.append(YmdVal::Str(&v), None)?;
                    if *i + 3 < len_l && at(l, *i + 3).as_deref() == Some(next.as_str()) {
                        let v = at(l, *i + 4).ok_or(Fail)?;
                        ymd.append(YmdVal::Str(&v), None)?;
                        *i += 2;
                    }
                    *i += 2;
                } else if *i + 4 < len_l
                    && next == " "
                    && at(l, *i + 3).as_deref() == Some(" ")
                    && at(l, *i + 2).is_some_and(|t| t.eq_ignore_ascii_case("of"))
                {
                    let y = at(l, *i + 4).unwrap_or_default();
                    if !y.is_empty() && y.chars().all(char::is_numeric) {
                        let year = convert_year(int_str(&y)?, false, this_year);
                        ymd.append(YmdVal::Str(&year.to_string()), Some(Label::Y))?;
                    }
                    *i += 4;
                }
            }
        } else if let Some(ampm) = lookup(&AMPM, &tok) {
            match res.hour {
                Some(h) if (0..=12).contains(&h) => {
                    res.hour = Some(adjust_ampm(h, ampm));
                    res.ampm = Some(ampm);
                }
                _ => return Err(Fail),
            }
        } else if could_be_tzname(res, &tok) {
            res.tzoffset = if tok == "z" { Some(0) } else { None };
            res.tzname = Some(tok.clone());
            if let Some(sign) = at(l, *i + 1).filter(|t| t == "+" || t == "-") {
                if let Some(slot) = l.get_mut(*i + 1) {
                    *slot = if sign == "+" { "-".to_owned() } else { "+".to_owned() };
                }
                res.tzoffset = None;
                if utczone(&tok) {
                    res.tzname = None;
                }
            }
        } else if res.hour.is_some() && (tok == "+" || tok == "-") {
            let signal: i128 = if tok == "+" { 1 } else { -1 };
            let next = at(l, *i + 1).ok_or(Fail)?;
            let len_li = next.chars().count();
            let (h, m) = if len_li == 4 {
                (int_str(&chars_slice(&next, 0, 2))?, int_str(&chars_slice(&next, 2, 4))?)
            } else if *i + 2 < len_l && at(l, *i + 2).as_deref() == Some(":") {
                let m = at(l, *i + 3).ok_or(Fail)?;
                let v = (int_str(&next)?, int_str(&m)?);
                *i += 2;
                v
            } else if len_li <= 2 {
                (int_str(&chars_slice(&next, 0, 2))?, 0)
            } else {
                return Err(Fail);
            };
            res.tzoffset = Some(signal * (h * 3600 + m * 60));
            if *i + 5 < len_l
                && at(l, *i + 2).is_some_and(|t| jump(&t))
                && at(l, *i + 3).as_deref() == Some("(")
                && at(l, *i + 5).as_deref() == Some(")")
                && at(l, *i + 4).is_some_and(|t| {
                    let probe = Res { hour: res.hour, ..Res::default() };
                    t.chars().count() >= 3 && res.tzname.is_none() && could_be_tzname(&probe, &t)
                })
            {
                res.tzname = at(l, *i + 4);
                *i += 4;
            }
            *i += 1;
        } else if !jump(&tok) {
            return Err(Fail);
        }
        *i += 1;
        Ok(())
    };
    while i < len_l {
        step(&mut l, &mut i, &mut res, &mut ymd).ok()?;
    }
    let (y, m, d) = ymd.resolve().ok()?;
    res.century_specified = ymd.century_specified;
    res.year = y;
    res.month = m;
    res.day = d;
    // parserinfo.validate
    if let Some(y) = res.year {
        res.year = Some(convert_year(y, res.century_specified, this_year));
    }
    let name_is_z = matches!(res.tzname.as_deref(), Some("Z" | "z"));
    if (res.tzoffset == Some(0) && res.tzname.as_deref().is_none_or(str::is_empty)) || name_is_z {
        res.tzname = Some("UTC".to_owned());
        res.tzoffset = Some(0);
    } else if res.tzoffset != Some(0) && res.tzname.as_deref().is_some_and(|n| !n.is_empty() && utczone(n)) {
        res.tzoffset = Some(0);
    }
    Some(res)
}

/// `parserinfo.convertyear`.
fn convert_year(year: i128, century_specified: bool, this_year: i128) -> i128 {
    if year >= 100 || century_specified {
        return year;
    }
    let mut y = year + this_year / 100 * 100;
    if y >= this_year + 50 {
        y -= 100;
    } else if y < this_year - 50 {
        y += 100;
    }
    y
}

/// A field passed to `datetime.replace`, converted as C's `i` format.
fn c_int(v: i128) -> Result<i64, PolicyError> {
    if v > i128::from(i64::MAX) {
        return Err(overflow_error("Python int too large to convert to C long"));
    }
    if v > i128::from(i32::MAX) {
        return Err(overflow_error("signed integer is greater than maximum"));
    }
    Ok(i64::try_from(v).unwrap_or(0))
}

/// `dateutil.parser.parse(timestr)`.
pub(crate) fn parse(timestr: &str, ctx: &dyn Context) -> Outcome {
    let today = civil_from_days(ctx.now_micros().div_euclid(DAY_US));
    let this_year = i128::from(today.0);
    let Some(res) = parse_tokens(timestr, this_year) else { return Outcome::Failed };
    if res.is_empty() {
        return Outcome::Failed;
    }
    // _build_naive with default = today at midnight.
    let (dy, dm, dd) = (i128::from(today.0), i128::from(today.1), i128::from(today.2));
    let mut day = res.day;
    if day.is_none() {
        let cyear = res.year.unwrap_or(dy);
        let cmonth = res.month.unwrap_or(dm);
        let max = month_days(cyear, cmonth);
        if max == 0 {
            return Outcome::Failed; // IllegalMonthError
        }
        if dd > max {
            day = Some(max);
        }
    }
    let raw = [
        res.year.unwrap_or(dy),
        res.month.unwrap_or(dm),
        day.unwrap_or(dd),
        res.hour.unwrap_or(0),
        res.minute.unwrap_or(0),
        res.second.unwrap_or(0),
        res.microsecond.unwrap_or(0),
    ];
    let mut ints = [0i64; 7];
    for (slot, v) in ints.iter_mut().zip(raw) {
        match c_int(v) {
            Ok(i) => *slot = i,
            Err(e) => return Outcome::Raised(e),
        }
    }
    let [year, month, day, hour, minute, second, microsecond] = ints;
    if check_date(year, month, day).is_err() {
        return Outcome::Failed;
    }
    let Ok(mut naive) = DateTime::from_fields(Fields { year, month, day, hour, minute, second, microsecond }, None) else {
        return Outcome::Failed;
    };
    if let (Some(wd), None) = (res.weekday, res.day) {
        let jump_days = (7 - naive.weekday() + wd).rem_euclid(7);
        match DateTime::from_wall(i128::from(naive.wall) + i128::from(jump_days * DAY_US), None) {
            Ok(dt) => naive = dt,
            Err(e) => return Outcome::Raised(e),
        }
    }
    // _build_tzaware, with time.tzname == ('UTC', 'UTC').
    let tz = match (&res.tzname, res.tzoffset) {
        (Some(name), _) if name == "UTC" => Some(Tz { offset: 0, name: None, style: TzStyle::DateutilLocal }),
        (_, Some(0)) => Some(Tz { offset: 0, name: None, style: TzStyle::DateutilUtc }),
        (name, Some(off)) => {
            // Offsets of a day or more are kept: CPython rejects them on use
            // (`Tz::utcoffset`).
            let Some(offset) = i64::try_from(off).ok().and_then(|o| o.checked_mul(1_000_000)).filter(|o| o.abs() < 1 << 60) else {
                return Outcome::Raised(overflow_error("Python int too large to convert to C int"));
            };
            Some(Tz { offset, name: name.clone(), style: TzStyle::DateutilOffset })
        }
        (_, None) => None,
    };
    naive.tz = tz;
    Outcome::Parsed(naive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexer_matches_dateutil() {
        assert_eq!(split("2019-01-01T10:00:00.5Z"), ["2019", "-", "01", "-", "01", "T", "10", ":", "00", ":", "00.5", "Z"]);
        assert_eq!(split("Sep.20.2009 4:30:21,447"), ["Sep", ".", "20", ".", "2009", " ", "4", ":", "30", ":", "21.447"]);
        assert_eq!(split("10,5,3 x"), ["10.5", ",", "3", " ", "x"]);
        assert_eq!(split("1,5 4.30. a.b.c1 1.2a"), ["1", ",", "5", " ", "4", ".", "30", ".", " ", "a", ".", "b", ".", "c", "1", " ", "1.2", "a"]);
    }
}
