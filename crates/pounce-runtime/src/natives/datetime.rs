//! The `datetime` module: the `datetime`, `timedelta` and `timezone`
//! types, `datetime.now`, `utcnow`, `strptime`, `fromisoformat`,
//! `utcfromtimestamp` and `fromtimestamp`.
//!
//! A `datetime` is stored as its wall-clock time in microseconds since
//! 1970-01-01T00:00 (proleptic Gregorian, years 1..=9999) plus, when it is
//! aware, its fixed UTC offset. A `timedelta` is a count of microseconds.
//! Arithmetic, comparisons, `repr`, `str`, `isoformat` and the error
//! messages follow CPython 3.11's `_datetimemodule.c` (naive and aware
//! values never compare or subtract; out-of-range results raise
//! `OverflowError: date value out of range`; `timedelta` magnitudes are
//! limited to 999999999 days).
//!
//! **Local time is UTC.** `datetime.now()`, `fromtimestamp()`,
//! `timestamp()` of a naive value and `%Z` in `strptime` behave as CPython
//! does on a host whose time zone is UTC (as Panther's Lambda functions
//! run). The clock is `Context::now_micros`, so tests can fix it.
//!
//! Time zones are fixed offsets: `datetime.timezone`, and the `tzlocal()`,
//! `tzutc()` and `tzoffset(None, s)` objects `dateutil` attaches (see
//! `panther::resolve_timestamp_string`), which only differ in how they
//! print.

use std::any::Any;
use std::cmp::Ordering;

use super::args::{c_parse, overflow_error, repeat_error, unsupported, value_error, CSig};
use super::strptime;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops::{self, Num};
use crate::policy::Context;
use crate::value::{py_repr_str, BinOp, Kind, Native, Val};

/// Microseconds in a day.
pub const DAY_US: i64 = 86_400_000_000;
const SECOND_US: i64 = 1_000_000;
/// `date(1970, 1, 1).toordinal()`.
pub const EPOCH_ORDINAL: i64 = 719_163;
const MAX_DELTA_DAYS: i128 = 999_999_999;

// ---------------------------------------------------------------------
// Civil calendar

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The number of days of `month` in `year`.
pub fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `date(year, month, day)`'s checks, with CPython's messages.
pub fn check_date(year: i64, month: i64, day: i64) -> PyResult<()> {
    if !(1..=9999).contains(&year) {
        return Err(value_error(format!("year {year} is out of range")));
    }
    if !(1..=12).contains(&month) {
        return Err(value_error("month must be in 1..12"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(value_error("day is out of range for month"));
    }
    Ok(())
}

fn check_time(hour: i64, minute: i64, second: i64, microsecond: i64) -> PyResult<()> {
    if !(0..=23).contains(&hour) {
        return Err(value_error("hour must be in 0..23"));
    }
    if !(0..=59).contains(&minute) {
        return Err(value_error("minute must be in 0..59"));
    }
    if !(0..=59).contains(&second) {
        return Err(value_error("second must be in 0..59"));
    }
    if !(0..=999_999).contains(&microsecond) {
        return Err(value_error("microsecond must be in 0..999999"));
    }
    Ok(())
}

fn min_wall() -> i64 {
    days_from_civil(1, 1, 1) * DAY_US
}

fn max_wall() -> i64 {
    days_from_civil(9999, 12, 31) * DAY_US + DAY_US - 1
}

// ---------------------------------------------------------------------
// Time zones

/// How a fixed-offset time zone prints: `datetime.timezone` or one of the
/// `dateutil.tz` classes `dateutil.parser` attaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TzStyle {
    /// `datetime.timezone(offset[, name])`.
    Timezone,
    /// `dateutil.tz.tzlocal()` (UTC here).
    DateutilLocal,
    /// `dateutil.tz.tzutc()`.
    DateutilUtc,
    /// `dateutil.tz.tzoffset(None, seconds)`.
    DateutilOffset,
}

/// A fixed-offset `tzinfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tz {
    /// The UTC offset, in microseconds (strictly within ±24 h).
    pub offset: i64,
    /// The name given to `datetime.timezone(offset, name)`.
    pub name: Option<String>,
    /// How it prints.
    pub style: TzStyle,
}

impl Tz {
    /// `datetime.timezone.utc`.
    pub fn utc() -> Tz {
        Tz { offset: 0, name: None, style: TzStyle::Timezone }
    }

    /// `datetime.timezone(timedelta(microseconds=offset), name)`, checked.
    pub fn fixed(offset: i64, name: Option<String>) -> PyResult<Tz> {
        if offset.abs() >= DAY_US {
            return Err(value_error(format!(
                "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24), not {}.",
                TimeDelta { us: i128::from(offset) }.repr()
            )));
        }
        Ok(Tz { offset, name, style: TzStyle::Timezone })
    }

    /// `dt.utcoffset()` as CPython checks it: a `dateutil` offset of a day
    /// or more is accepted when parsed but rejected here, on use.
    pub fn utcoffset(&self) -> PyResult<i64> {
        if self.offset.abs() >= DAY_US {
            return Err(value_error("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)."));
        }
        Ok(self.offset)
    }

    /// `tzinfo.tzname(dt)`.
    pub fn tzname(&self) -> Option<String> {
        match self.style {
            TzStyle::Timezone => Some(match &self.name {
                Some(n) => n.clone(),
                None if self.offset == 0 => "UTC".to_owned(),
                None => format!("UTC{}", format_offset(self.offset, ":")),
            }),
            TzStyle::DateutilLocal | TzStyle::DateutilUtc => Some("UTC".to_owned()),
            TzStyle::DateutilOffset => self.name.clone(),
        }
    }

    fn repr(&self) -> String {
        match self.style {
            TzStyle::Timezone => match &self.name {
                None if self.offset == 0 => "datetime.timezone.utc".to_owned(),
                None => format!("datetime.timezone({})", TimeDelta { us: i128::from(self.offset) }.repr()),
                Some(n) => format!("datetime.timezone({}, {})", TimeDelta { us: i128::from(self.offset) }.repr(), py_repr_str(n)),
            },
            TzStyle::DateutilLocal => "tzlocal()".to_owned(),
            TzStyle::DateutilUtc => "tzutc()".to_owned(),
            TzStyle::DateutilOffset => format!(
                "tzoffset({}, {})",
                self.name.as_deref().map_or_else(|| "None".to_owned(), py_repr_str),
                self.offset.div_euclid(SECOND_US)
            ),
        }
    }
}

/// `+HH:MM[:SS[.ffffff]]` (with `sep` between the fields), as
/// `isoformat` and `str(timezone)` write an offset.
fn format_offset(offset: i64, sep: &str) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.abs();
    let (secs, us) = (a / SECOND_US, a % SECOND_US);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = format!("{sign}{h:02}{sep}{m:02}");
    if s != 0 || us != 0 {
        out.push_str(&format!("{sep}{s:02}"));
    }
    if us != 0 {
        out.push_str(&format!(".{us:06}"));
    }
    out
}

/// A `tzinfo` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TzInfo(pub Tz);

impl Native for TzInfo {
    fn type_name(&self) -> &'static str {
        match self.0.style {
            TzStyle::Timezone => "datetime.timezone",
            TzStyle::DateutilLocal => "tzlocal",
            TzStyle::DateutilUtc => "tzutc",
            TzStyle::DateutilOffset => "tzoffset",
        }
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        self.0.repr()
    }
    fn str(&self) -> String {
        match self.0.style {
            TzStyle::Timezone => self.0.tzname().unwrap_or_default(),
            _ => self.0.repr(),
        }
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other.downcast::<TzInfo>().is_some_and(|o| {
            o.0.offset == self.0.offset && (o.0.style == TzStyle::Timezone) == (self.0.style == TzStyle::Timezone)
        })
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!("tz:{}:{}", self.0.offset, self.0.style == TzStyle::Timezone))
    }
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, _reflected: bool) -> Option<PyResult<Val<'v>>> {
        repeat_error(op, other, self.type_name())
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        let one = |args: &[Val<'v>]| {
            if args.len() == 1 {
                Ok(())
            } else {
                Err(PolicyError::type_error(format!(
                    "{}.{name}() takes exactly one argument ({} given)",
                    self.type_name().rsplit('.').next().unwrap_or_default(),
                    args.len()
                )))
            }
        };
        match name {
            "utcoffset" => {
                one(args)?;
                Ok(Val::native(TimeDelta { us: i128::from(self.0.offset) }))
            }
            "tzname" => {
                one(args)?;
                Ok(self.0.tzname().map_or(Val::None, Val::string))
            }
            "dst" => {
                one(args)?;
                Ok(match self.0.style {
                    TzStyle::Timezone => Val::None,
                    _ => Val::native(TimeDelta { us: 0 }),
                })
            }
            _ => Err(PolicyError::no_attribute(self.type_name(), name)),
        }
    }
}

// ---------------------------------------------------------------------
// timedelta

/// A `datetime.timedelta`: a signed count of microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeDelta {
    /// The duration in microseconds.
    pub us: i128,
}

impl TimeDelta {
    /// A `timedelta` of `us` microseconds, checked against CPython's range.
    pub fn new(us: i128) -> PyResult<TimeDelta> {
        let days = us.div_euclid(i128::from(DAY_US));
        if days > i128::from(i32::MAX) || days < i128::from(i32::MIN) {
            return Err(overflow_error("Python int too large to convert to C int"));
        }
        if days.abs() > MAX_DELTA_DAYS {
            return Err(overflow_error(format!("days={days}; must have magnitude <= 999999999")));
        }
        Ok(TimeDelta { us })
    }

    /// `(days, seconds, microseconds)`, normalised as CPython stores them.
    pub fn parts(self) -> (i128, i128, i128) {
        let day = i128::from(DAY_US);
        let days = self.us.div_euclid(day);
        let rest = self.us.rem_euclid(day);
        (days, rest / i128::from(SECOND_US), rest % i128::from(SECOND_US))
    }

    /// `repr(td)`.
    pub fn repr(self) -> String {
        let (d, s, us) = self.parts();
        let mut fields = Vec::new();
        if d != 0 {
            fields.push(format!("days={d}"));
        }
        if s != 0 {
            fields.push(format!("seconds={s}"));
        }
        if us != 0 {
            fields.push(format!("microseconds={us}"));
        }
        if fields.is_empty() {
            fields.push("0".to_owned());
        }
        format!("datetime.timedelta({})", fields.join(", "))
    }

    /// `str(td)`.
    pub fn to_text(self) -> String {
        let (d, s, us) = self.parts();
        let mut out = String::new();
        if d != 0 {
            out.push_str(&format!("{d} day{}, ", if d.abs() == 1 { "" } else { "s" }));
        }
        out.push_str(&format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60));
        if us != 0 {
            out.push_str(&format!(".{us:06}"));
        }
        out
    }

    /// `td.total_seconds()`: microseconds / 10**6, correctly rounded.
    pub fn total_seconds(self) -> f64 {
        int_true_div(self.us, 1_000_000)
    }
}

/// `a / b` for Python ints: the correctly rounded quotient (CPython's
/// `long_true_divide`), for `b != 0`.
pub fn int_true_div(a: i128, b: i128) -> f64 {
    let negative = (a < 0) != (b < 0);
    let (n, d) = (a.unsigned_abs(), b.unsigned_abs());
    if n == 0 || d == 0 {
        return if negative { -0.0 } else { 0.0 };
    }
    // Binary long division, producing at least 55 significant quotient
    // bits; a non-zero remainder `r` is the sticky bit.
    let mut q: u128 = 0;
    let mut r: u128 = 0;
    let mut frac_bits: i32 = 0;
    for i in (0..128).rev() {
        r = (r << 1) | ((n >> i) & 1);
        q <<= 1;
        if r >= d {
            r -= d;
            q |= 1;
        }
    }
    while q < (1u128 << 55) {
        r <<= 1;
        q <<= 1;
        if r >= d {
            r -= d;
            q |= 1;
        }
        frac_bits += 1;
    }
    // Round q (with the sticky remainder) to 53 significant bits, half to
    // even.
    let bits = 128 - q.leading_zeros();
    let drop = bits - 53;
    let mut m = q >> drop;
    let rest = q & ((1u128 << drop) - 1);
    let half = 1u128 << (drop - 1);
    if rest > half || (rest == half && (r != 0 || m & 1 == 1)) {
        m += 1;
    }
    #[expect(clippy::cast_precision_loss, reason = "m has at most 54 significant bits")]
    let mantissa = m as f64;
    let exp = i32::try_from(drop).unwrap_or(0) - frac_bits;
    let v = mantissa * 2f64.powi(exp);
    if negative {
        -v
    } else {
        v
    }
}

/// Division rounding half to even, as CPython's `divide_nearest`.
fn divide_nearest(a: i128, b: i128) -> i128 {
    let (a, b) = if b < 0 { (-a, -b) } else { (a, b) };
    let q = a.div_euclid(b);
    let r = a.rem_euclid(b);
    let twice = 2 * r;
    if twice > b || (twice == b && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

/// `x.as_integer_ratio()` of a finite float, with CPython's errors.
fn integer_ratio(x: f64) -> PyResult<(i128, i128)> {
    if x.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if x.is_infinite() {
        return Err(overflow_error("cannot convert Infinity to integer ratio"));
    }
    if x == 0.0 {
        return Ok((0, 1));
    }
    let bits = x.to_bits();
    let negative = bits >> 63 != 0;
    let exp = i32::try_from((bits >> 52) & 0x7ff).unwrap_or(0);
    let frac = bits & ((1u64 << 52) - 1);
    let (mut mant, mut e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
    while mant % 2 == 0 && e < 0 {
        mant /= 2;
        e += 1;
    }
    let m = i128::from(mant) * if negative { -1 } else { 1 };
    if e >= 0 {
        let scaled = m.checked_mul(1i128.checked_shl(e.unsigned_abs()).unwrap_or(0)).filter(|_| e < 120);
        match scaled {
            Some(v) => Ok((v, 1)),
            None => Err(overflow_error("Python int too large to convert to C int")),
        }
    } else if e > -126 {
        Ok((m, 1i128 << e.unsigned_abs()))
    } else {
        // Far below a microsecond: the product rounds to zero.
        Ok((0, 1))
    }
}

fn zero_div(msg: &str) -> PolicyError {
    PolicyError::new(ExcKind::ZeroDivisionError, msg)
}

/// An integer operand (`int` or `bool`).
fn int_operand(v: &Val<'_>) -> Option<i64> {
    match (v.kind(), ops::as_number(v)) {
        (Kind::Int | Kind::Bool, Some(Num::Int(i))) => Some(i),
        _ => None,
    }
}

fn float_operand(v: &Val<'_>) -> Option<f64> {
    match (v.kind(), ops::as_number(v)) {
        (Kind::Float, Some(Num::Float(x))) => Some(x),
        _ => None,
    }
}

fn td_val<'v>(us: i128) -> PyResult<Val<'v>> {
    TimeDelta::new(us).map(Val::native)
}

fn mul_ratio(us: i128, (n, d): (i128, i128)) -> PyResult<i128> {
    match us.checked_mul(n) {
        Some(p) => Ok(divide_nearest(p, d)),
        None => Err(overflow_error("Python int too large to convert to C int")),
    }
}

impl Native for TimeDelta {
    fn type_name(&self) -> &'static str {
        "datetime.timedelta"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        TimeDelta::repr(*self)
    }
    fn str(&self) -> String {
        self.to_text()
    }
    fn truthy(&self) -> bool {
        self.us != 0
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other.downcast::<TimeDelta>().is_some_and(|o| o.us == self.us)
    }
    fn partial_cmp(&self, other: &Val<'_>) -> PyResult<Option<Ordering>> {
        Ok(other.downcast::<TimeDelta>().map(|o| self.us.cmp(&o.us)))
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!("td:{}", self.us))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        let (d, s, us) = self.parts();
        let int = |x: i128| Val::Int(i64::try_from(x).unwrap_or(i64::MAX));
        match name {
            "days" => Ok(int(d)),
            "seconds" => Ok(int(s)),
            "microseconds" => Ok(int(us)),
            _ => Err(PolicyError::no_attribute("datetime.timedelta", name)),
        }
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        match name {
            "total_seconds" => {
                no_args("timedelta", name, args)?;
                Ok(Val::Float(self.total_seconds()))
            }
            _ => Err(PolicyError::no_attribute("datetime.timedelta", name)),
        }
    }
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, reflected: bool) -> Option<PyResult<Val<'v>>> {
        let us = self.us;
        if let Some(o) = other.downcast::<TimeDelta>() {
            let (a, b) = if reflected { (o.us, us) } else { (us, o.us) };
            return Some(match op {
                BinOp::Add => td_val(a + b),
                BinOp::Sub => td_val(a - b),
                BinOp::Div if b == 0 => Err(zero_div("division by zero")),
                BinOp::Div => Ok(Val::Float(int_true_div(a, b))),
                BinOp::FloorDiv if b == 0 => Err(zero_div("integer division or modulo by zero")),
                BinOp::FloorDiv => match i64::try_from(a.div_euclid(b) - i128::from(b < 0 && a.rem_euclid(b) != 0)) {
                    Ok(q) => Ok(Val::Int(q)),
                    Err(_) => Err(overflow_error("integer result outside the supported 64-bit range")),
                },
                BinOp::Mod if b == 0 => Err(zero_div("integer modulo by zero")),
                BinOp::Mod => {
                    let r = a.rem_euclid(b);
                    td_val(if b < 0 && r != 0 { r + b } else { r })
                }
                _ => return None,
            });
        }
        if other.downcast::<DateTime>().is_some() {
            return None; // `datetime` handles `td + dt`.
        }
        if let Some(i) = int_operand(other) {
            let i = i128::from(i);
            return match (op, reflected) {
                (BinOp::Mul, _) => Some(td_val(us * i)),
                (BinOp::Div, false) if i == 0 => Some(Err(zero_div("integer division or modulo by zero"))),
                (BinOp::Div, false) => Some(td_val(divide_nearest(us, i))),
                (BinOp::FloorDiv, false) if i == 0 => Some(Err(zero_div("integer division or modulo by zero"))),
                (BinOp::FloorDiv, false) => Some(td_val(us.div_euclid(i) - i128::from(i < 0 && us.rem_euclid(i) != 0))),
                _ => None,
            };
        }
        if let Some(x) = float_operand(other) {
            return match (op, reflected) {
                (BinOp::Mul, _) => Some(integer_ratio(x).and_then(|r| mul_ratio(us, r)).and_then(td_val)),
                (BinOp::Div, false) => Some(integer_ratio(x).and_then(|(n, d)| {
                    if n == 0 {
                        Err(zero_div("integer division or modulo by zero"))
                    } else {
                        mul_ratio(us, (d, n)).and_then(td_val)
                    }
                })),
                _ => None,
            };
        }
        repeat_error(op, other, "datetime.timedelta")
    }
}

fn no_args(class: &str, name: &str, args: &[Val<'_>]) -> PyResult<()> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(PolicyError::type_error(format!("{class}.{name}() takes no arguments ({} given)", args.len())))
    }
}

// ---------------------------------------------------------------------
// datetime

/// A `datetime.datetime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime {
    /// Wall-clock microseconds since 1970-01-01T00:00.
    pub wall: i64,
    /// The UTC offset of an aware value.
    pub tz: Option<Tz>,
    /// `fold` (0 or 1): kept and printed; fixed offsets ignore it.
    pub fold: u8,
}

/// The broken-down fields of a `datetime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields {
    /// 1..=9999.
    pub year: i64,
    /// 1..=12.
    pub month: i64,
    /// 1..=31.
    pub day: i64,
    /// 0..=23.
    pub hour: i64,
    /// 0..=59.
    pub minute: i64,
    /// 0..=59.
    pub second: i64,
    /// 0..=999999.
    pub microsecond: i64,
}

impl DateTime {
    /// `datetime(year, ..., microsecond, tzinfo)`, with CPython's checks.
    pub fn from_fields(f: Fields, tz: Option<Tz>) -> PyResult<DateTime> {
        check_date(f.year, f.month, f.day)?;
        check_time(f.hour, f.minute, f.second, f.microsecond)?;
        let days = days_from_civil(f.year, f.month, f.day);
        let wall = days * DAY_US + ((f.hour * 60 + f.minute) * 60 + f.second) * SECOND_US + f.microsecond;
        Ok(DateTime { wall, tz, fold: 0 })
    }

    /// A `datetime` at `wall`, or `OverflowError` out of the year range.
    pub fn from_wall(wall: i128, tz: Option<Tz>) -> PyResult<DateTime> {
        match i64::try_from(wall) {
            Ok(w) if (min_wall()..=max_wall()).contains(&w) => Ok(DateTime { wall: w, tz, fold: 0 }),
            _ => Err(overflow_error("date value out of range")),
        }
    }

    /// The broken-down fields.
    pub fn fields(&self) -> Fields {
        let days = self.wall.div_euclid(DAY_US);
        let rest = self.wall.rem_euclid(DAY_US);
        let (year, month, day) = civil_from_days(days);
        let secs = rest / SECOND_US;
        Fields {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
            microsecond: rest % SECOND_US,
        }
    }

    /// The instant in UTC microseconds (aware) or the wall time (naive);
    /// `ValueError` for an out-of-range `dateutil` offset.
    fn instant(&self) -> PyResult<i64> {
        Ok(self.wall - self.offset()?.unwrap_or(0))
    }

    /// `utcoffset()` in microseconds, checked.
    fn offset(&self) -> PyResult<Option<i64>> {
        self.tz.as_ref().map(Tz::utcoffset).transpose()
    }

    /// `date.weekday()`: Monday is 0.
    pub fn weekday(&self) -> i64 {
        (self.wall.div_euclid(DAY_US) + 3).rem_euclid(7)
    }

    fn ordinal(&self) -> i64 {
        self.wall.div_euclid(DAY_US) + EPOCH_ORDINAL
    }

    /// `dt.isoformat(sep, timespec)`.
    pub fn isoformat(&self, sep: char, timespec: &str) -> PyResult<String> {
        let f = self.fields();
        let date = format!("{:04}-{:02}-{:02}", f.year, f.month, f.day);
        let time = match timespec {
            "auto" if f.microsecond != 0 => format!("{:02}:{:02}:{:02}.{:06}", f.hour, f.minute, f.second, f.microsecond),
            "auto" | "seconds" => format!("{:02}:{:02}:{:02}", f.hour, f.minute, f.second),
            "hours" => format!("{:02}", f.hour),
            "minutes" => format!("{:02}:{:02}", f.hour, f.minute),
            "milliseconds" => format!("{:02}:{:02}:{:02}.{:03}", f.hour, f.minute, f.second, f.microsecond / 1000),
            "microseconds" => format!("{:02}:{:02}:{:02}.{:06}", f.hour, f.minute, f.second, f.microsecond),
            _ => return Err(value_error("Unknown timespec value")),
        };
        let offset = self.offset()?.map(|o| format_offset(o, ":")).unwrap_or_default();
        Ok(format!("{date}{sep}{time}{offset}"))
    }

    /// `dt.timestamp()` (local time is UTC).
    #[expect(clippy::cast_precision_loss, reason = "CPython computes a float the same way")]
    pub fn timestamp(&self) -> PyResult<f64> {
        Ok(match &self.tz {
            None => {
                let secs = self.wall.div_euclid(SECOND_US);
                secs as f64 + self.wall.rem_euclid(SECOND_US) as f64 / 1e6
            }
            Some(_) => TimeDelta { us: i128::from(self.instant()?) }.total_seconds(),
        })
    }

    /// `dt.strftime(format)` as CPython on glibc in the C locale writes it.
    pub fn strftime(&self, format: &str) -> PyResult<String> {
        // CPython formats `%z` itself, calling `utcoffset()`.
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c == '%' && chars.next() == Some('z') {
                self.offset()?;
            }
        }
        Ok(strftime(self, format))
    }
}

fn cmp_err(a: &DateTime, b: &DateTime, what: &str) -> PyResult<()> {
    if a.tz.is_some() != b.tz.is_some() {
        return Err(PolicyError::type_error(format!("can't {what} offset-naive and offset-aware datetimes")));
    }
    Ok(())
}

fn dt_val<'v>(wall: i128, tz: Option<Tz>) -> PyResult<Val<'v>> {
    DateTime::from_wall(wall, tz).map(Val::native)
}

impl Native for DateTime {
    fn type_name(&self) -> &'static str {
        "datetime.datetime"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        let f = self.fields();
        let mut out = format!("datetime.datetime({}, {}, {}, {}, {}", f.year, f.month, f.day, f.hour, f.minute);
        if f.microsecond != 0 {
            out.push_str(&format!(", {}, {}", f.second, f.microsecond));
        } else if f.second != 0 {
            out.push_str(&format!(", {}", f.second));
        }
        if self.fold != 0 {
            out.push_str(", fold=1");
        }
        if let Some(tz) = &self.tz {
            out.push_str(&format!(", tzinfo={}", tz.repr()));
        }
        out.push(')');
        out
    }
    fn str(&self) -> String {
        // CPython raises for an out-of-range offset; `str` cannot.
        let tz = self.tz.clone().map(|t| Tz { offset: t.offset.clamp(1 - DAY_US, DAY_US - 1), ..t });
        let unchecked = DateTime { wall: self.wall, tz, fold: self.fold };
        self.isoformat(' ', "auto").or_else(|_| unchecked.isoformat(' ', "auto")).unwrap_or_default()
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        let Some(o) = other.downcast::<DateTime>() else { return false };
        match (self.instant(), o.instant()) {
            (Ok(a), Ok(b)) => o.tz.is_some() == self.tz.is_some() && a == b,
            // CPython raises `ValueError` for an out-of-range offset.
            _ => false,
        }
    }
    fn partial_cmp(&self, other: &Val<'_>) -> PyResult<Option<Ordering>> {
        let Some(o) = other.downcast::<DateTime>() else { return Ok(None) };
        let (a, b) = (self.instant()?, o.instant()?);
        cmp_err(self, o, "compare")?;
        Ok(Some(a.cmp(&b)))
    }
    fn hash_key(&self) -> Option<String> {
        let instant = self.instant().ok()?;
        Some(format!("dt:{}:{instant}", if self.tz.is_some() { "aware" } else { "naive" }))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        let f = self.fields();
        Ok(match name {
            "year" => Val::Int(f.year),
            "month" => Val::Int(f.month),
            "day" => Val::Int(f.day),
            "hour" => Val::Int(f.hour),
            "minute" => Val::Int(f.minute),
            "second" => Val::Int(f.second),
            "microsecond" => Val::Int(f.microsecond),
            "fold" => Val::Int(i64::from(self.fold)),
            "tzinfo" => self.tz.clone().map_or(Val::None, |t| Val::native(TzInfo(t))),
            _ => return Err(PolicyError::no_attribute("datetime.datetime", name)),
        })
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        match name {
            "timestamp" => {
                no_args("datetime", name, args)?;
                self.timestamp().map(Val::Float)
            }
            "utcoffset" => {
                no_args("datetime", name, args)?;
                Ok(self.offset()?.map_or(Val::None, |o| Val::native(TimeDelta { us: i128::from(o) })))
            }
            "tzname" => {
                no_args("datetime", name, args)?;
                Ok(self.tz.as_ref().and_then(Tz::tzname).map_or(Val::None, Val::string))
            }
            "dst" => {
                no_args("datetime", name, args)?;
                Ok(match &self.tz {
                    Some(t) if t.style != TzStyle::Timezone => Val::native(TimeDelta { us: 0 }),
                    _ => Val::None,
                })
            }
            "weekday" => {
                no_args("date", name, args)?;
                Ok(Val::Int(self.weekday()))
            }
            "isoweekday" => {
                no_args("date", name, args)?;
                Ok(Val::Int(self.weekday() + 1))
            }
            "toordinal" => {
                no_args("date", name, args)?;
                Ok(Val::Int(self.ordinal()))
            }
            "ctime" => {
                no_args("date", name, args)?;
                let f = self.fields();
                Ok(Val::string(format!(
                    "{} {} {:2} {:02}:{:02}:{:02} {:04}",
                    abbr(weekday_name(self.weekday())),
                    abbr(month_name(f.month)),
                    f.day,
                    f.hour,
                    f.minute,
                    f.second,
                    f.year
                )))
            }
            "isoformat" => {
                if args.len() > 2 {
                    return Err(PolicyError::type_error(format!("isoformat() takes at most 2 arguments ({} given)", args.len())));
                }
                let sep = match args.first() {
                    None => 'T',
                    Some(v) => {
                        let s = v.as_str().unwrap_or_default();
                        let mut cs = s.chars();
                        match (v.kind(), cs.next(), cs.next()) {
                            (Kind::Str, Some(c), None) => c,
                            _ => {
                                return Err(PolicyError::type_error(format!(
                                    "isoformat() argument 1 must be a unicode character, not {}",
                                    arg_type(v)
                                )))
                            }
                        }
                    }
                };
                let spec = match args.get(1) {
                    None => "auto",
                    Some(v) => v.as_str().ok_or_else(|| {
                        PolicyError::type_error(format!("isoformat() argument 2 must be str, not {}", arg_type(v)))
                    })?,
                };
                self.isoformat(sep, spec).map(Val::string)
            }
            "strftime" => {
                let fmt = match args {
                    [] => return Err(PolicyError::type_error("strftime() missing required argument 'format' (pos 1)")),
                    [f] => f,
                    _ => return Err(PolicyError::type_error(format!("strftime() takes at most 1 argument ({} given)", args.len()))),
                };
                let fmt = fmt.as_str().ok_or_else(|| {
                    PolicyError::type_error(format!("strftime() argument 1 must be str, not {}", arg_type(fmt)))
                })?;
                self.strftime(fmt).map(Val::string)
            }
            "replace" => self.replace(args).map(Val::native),
            "date" | "time" | "timetz" | "astimezone" | "timetuple" | "utctimetuple" | "isocalendar" => {
                Err(unsupported(&format!("datetime.{name}()")))
            }
            _ => Err(PolicyError::no_attribute("datetime.datetime", name)),
        }
    }
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, reflected: bool) -> Option<PyResult<Val<'v>>> {
        let wall = i128::from(self.wall);
        if let Some(td) = other.downcast::<TimeDelta>() {
            return match (op, reflected) {
                (BinOp::Add, _) => Some(dt_val(wall + td.us, self.tz.clone())),
                (BinOp::Sub, false) => Some(dt_val(wall - td.us, self.tz.clone())),
                _ => None,
            };
        }
        if let (Some(o), BinOp::Sub, false) = (other.downcast::<DateTime>(), op, reflected) {
            let diff = || -> PyResult<Val<'v>> {
                let (a, b) = (self.instant()?, o.instant()?);
                cmp_err(self, o, "subtract")?;
                td_val(i128::from(a) - i128::from(b))
            };
            return Some(diff());
        }
        repeat_error(op, other, "datetime.datetime")
    }
}

impl DateTime {
    /// `dt.replace(year, month, ..., tzinfo)` with positional arguments
    /// (method calls carry no keyword arguments in this runtime).
    fn replace(&self, args: &[Val<'_>]) -> PyResult<DateTime> {
        const SIG: CSig = CSig { name: Some("replace"), keywords: &DATETIME_KEYWORDS, min: 0, max_positional: 8 };
        let f = self.fields();
        let mut ints = [f.year, f.month, f.day, f.hour, f.minute, f.second, f.microsecond];
        let slots = c_parse(&SIG, args, &[], |i, v| {
            if let Some(slot) = ints.get_mut(i) {
                *slot = c_int(v)?;
            }
            Ok(())
        })?;
        let tz = match slots.get(7).and_then(Option::as_ref) {
            None => self.tz.clone(),
            Some(v) => tz_arg(v)?,
        };
        let [year, month, day, hour, minute, second, microsecond] = ints;
        let mut dt = DateTime::from_fields(Fields { year, month, day, hour, minute, second, microsecond }, tz)?;
        dt.fold = self.fold;
        Ok(dt)
    }
}

/// `type(x)` as CPython's argument errors name it (`None` for `None`).
fn arg_type(v: &Val<'_>) -> &'static str {
    if ops::is_none(v) {
        "None"
    } else {
        v.type_name()
    }
}

/// An `int` argument converted as C's `i` format does.
fn c_int(v: &Val<'_>) -> PyResult<i64> {
    match int_operand(v) {
        Some(i) if i > i64::from(i32::MAX) => Err(overflow_error("signed integer is greater than maximum")),
        Some(i) if i < i64::from(i32::MIN) => Err(overflow_error("signed integer is less than minimum")),
        Some(i) => Ok(i),
        None => Err(PolicyError::type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name()))),
    }
}

/// A `tzinfo` argument: `None` or a time zone.
fn tz_arg(v: &Val<'_>) -> PyResult<Option<Tz>> {
    if ops::is_none(v) {
        return Ok(None);
    }
    match v.downcast::<TzInfo>() {
        Some(t) => Ok(Some(t.0.clone())),
        None => Err(PolicyError::type_error(format!(
            "tzinfo argument must be None or of a tzinfo subclass, not type '{}'",
            super::args::short_type_name(v)
        ))),
    }
}

// ---------------------------------------------------------------------
// strftime

const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// The full English weekday name (Monday is 0).
pub fn weekday_name(wd: i64) -> &'static str {
    usize::try_from(wd).ok().and_then(|i| WEEKDAYS.get(i)).copied().unwrap_or("")
}

/// The full English month name (January is 1).
pub fn month_name(m: i64) -> &'static str {
    usize::try_from(m - 1).ok().and_then(|i| MONTHS.get(i)).copied().unwrap_or("")
}

fn abbr(s: &str) -> &str {
    s.get(..3).unwrap_or(s)
}

/// ISO year and week of a date.
fn iso_week(dt: &DateTime) -> (i64, i64) {
    let f = dt.fields();
    let days = dt.wall.div_euclid(DAY_US);
    let week1_monday = |y: i64| {
        let jan4 = days_from_civil(y, 1, 4);
        jan4 - (jan4 + 3).rem_euclid(7)
    };
    let mut year = f.year;
    let mut start = week1_monday(year);
    if days < start {
        year -= 1;
        start = week1_monday(year);
    } else if days >= week1_monday(year + 1) {
        year += 1;
        start = week1_monday(year);
    }
    (year, (days - start) / 7 + 1)
}

fn strftime(dt: &DateTime, format: &str) -> String {
    let f = dt.fields();
    let wd = dt.weekday();
    let yday = dt.wall.div_euclid(DAY_US) - days_from_civil(f.year, 1, 1) + 1;
    let hour12 = if f.hour % 12 == 0 { 12 } else { f.hour % 12 };
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flag = None;
        if let Some(&fl) = chars.peek() {
            if matches!(fl, '-' | '_' | '0' | '^' | '#') {
                flag = Some(fl);
                chars.next();
            }
        }
        let Some(d) = chars.next() else {
            out.push('%');
            if let Some(fl) = flag {
                out.push(fl);
            }
            break;
        };
        // (text, padding width, pad char): numbers are padded, names not.
        let num = |v: i64, width: usize, pad: char| -> String {
            let (pad, width) = match flag {
                Some('-') => (pad, 0),
                Some('_') => (' ', width),
                Some('0') => ('0', width),
                _ => (pad, width),
            };
            let s = v.abs().to_string();
            let sign = if v < 0 { "-" } else { "" };
            let fill: String = std::iter::repeat_n(pad, width.saturating_sub(s.len() + sign.len())).collect();
            format!("{sign}{fill}{s}")
        };
        let name = |s: &str| -> String {
            match flag {
                Some('^' | '#') => s.to_uppercase(),
                _ => s.to_owned(),
            }
        };
        let piece = match d {
            'a' => name(abbr(weekday_name(wd))),
            'A' => name(weekday_name(wd)),
            'b' | 'h' => name(abbr(month_name(f.month))),
            'B' => name(month_name(f.month)),
            'c' => strftime(dt, "%a %b %e %H:%M:%S %Y"),
            'C' => num(f.year / 100, 0, '0'),
            'd' => num(f.day, 2, '0'),
            'D' | 'x' => strftime(dt, "%m/%d/%y"),
            'e' => num(f.day, 2, ' '),
            'F' => strftime(dt, "%Y-%m-%d"),
            'g' => num(iso_week(dt).0 % 100, 2, '0'),
            'G' => num(iso_week(dt).0, 0, '0'),
            'H' => num(f.hour, 2, '0'),
            'I' => num(hour12, 2, '0'),
            'j' => num(yday, 3, '0'),
            'k' => num(f.hour, 2, ' '),
            'l' => num(hour12, 2, ' '),
            'm' => num(f.month, 2, '0'),
            'M' => num(f.minute, 2, '0'),
            'n' => "\n".to_owned(),
            'p' => if f.hour < 12 { "AM" } else { "PM" }.to_owned(),
            'P' => if f.hour < 12 { "am" } else { "pm" }.to_owned(),
            'r' => strftime(dt, "%I:%M:%S %p"),
            'R' => strftime(dt, "%H:%M"),
            's' => num(dt.wall.div_euclid(SECOND_US), 0, '0'),
            'S' => num(f.second, 2, '0'),
            't' => "\t".to_owned(),
            'T' | 'X' => strftime(dt, "%H:%M:%S"),
            'u' => num(wd + 1, 0, '0'),
            'U' => num((yday + 6 - (wd + 1) % 7) / 7, 2, '0'),
            'V' => num(iso_week(dt).1, 2, '0'),
            'w' => num((wd + 1) % 7, 0, '0'),
            'W' => num((yday + 6 - wd) / 7, 2, '0'),
            'y' => num(f.year % 100, 2, '0'),
            'Y' => num(f.year, 0, '0'),
            // CPython substitutes these three before calling strftime(3).
            'z' if flag.is_none() => dt.tz.as_ref().map(|t| format_offset(t.offset, "")).unwrap_or_default(),
            'Z' if flag.is_none() => dt.tz.as_ref().and_then(Tz::tzname).unwrap_or_default(),
            'f' if flag.is_none() => format!("{:06}", f.microsecond),
            '%' => "%".to_owned(),
            other => {
                let mut s = String::from('%');
                if let Some(fl) = flag {
                    s.push(fl);
                }
                s.push(other);
                s
            }
        };
        out.push_str(&piece);
    }
    out
}

// ---------------------------------------------------------------------
// Entry points

fn no_kwargs(what: &str, kwargs: &[(&str, Val<'_>)]) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        Err(PolicyError::type_error(format!("{what} takes no keyword arguments")))
    }
}

/// The current wall time for `tz` (or naive local time, i.e. UTC).
fn now_at(ctx: &dyn Context, tz: Option<Tz>) -> PyResult<DateTime> {
    let utc = i128::from(ctx.now_micros());
    let offset = tz.as_ref().map_or(0, |t| i128::from(t.offset));
    DateTime::from_wall(utc + offset, tz)
}

/// `datetime.datetime.now(tz=None)`: naive local time, which this
/// runtime defines as UTC; aware in `tz` when given.
pub fn now<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], ctx: &dyn Context) -> PyResult<Val<'a>> {
    const SIG: CSig = CSig { name: Some("now"), keywords: &["tz"], min: 0, max_positional: 1 };
    let slots = c_parse(&SIG, args, kwargs, |_, _| Ok(()))?;
    let tz = match slots.first().and_then(Option::as_ref) {
        Some(v) => tz_arg(v)?,
        None => None,
    };
    now_at(ctx, tz).map(Val::native)
}

/// `datetime.datetime.utcnow()`: naive UTC time.
pub fn utcnow<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], ctx: &dyn Context) -> PyResult<Val<'a>> {
    no_kwargs("datetime.utcnow()", kwargs)?;
    if !args.is_empty() {
        return Err(PolicyError::type_error(format!("datetime.utcnow() takes no arguments ({} given)", args.len())));
    }
    now_at(ctx, None).map(Val::native)
}

/// `datetime.datetime.strptime(date_string, format)`.
pub fn strptime<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    no_kwargs("strptime()", kwargs)?;
    let [s, f] = args else {
        return Err(PolicyError::type_error(format!("strptime() takes exactly 2 arguments ({} given)", args.len())));
    };
    let text = |i: usize, v: &Val<'_>| -> PyResult<String> {
        v.as_str().map(str::to_owned).ok_or_else(|| {
            PolicyError::type_error(format!("strptime() argument {i} must be str, not {}", arg_type(v)))
        })
    };
    let (s, f) = (text(1, s)?, text(2, f)?);
    strptime::strptime(&s, &f).map(Val::native)
}

/// `datetime.datetime.fromisoformat(date_string)`.
pub fn fromisoformat<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    no_kwargs("datetime.fromisoformat()", kwargs)?;
    let [s] = args else {
        return Err(PolicyError::type_error(format!(
            "datetime.fromisoformat() takes exactly one argument ({} given)",
            args.len()
        )));
    };
    let s = s.as_str().ok_or_else(|| PolicyError::type_error("fromisoformat: argument must be str"))?;
    strptime::fromisoformat(s).map(Val::native)
}

/// `datetime.utcfromtimestamp(t)` of a number: naive UTC.
pub fn from_timestamp(t: &Val<'_>) -> PyResult<DateTime> {
    let (secs, us) = match (t.kind(), ops::as_number(t)) {
        (Kind::Int | Kind::Bool, Some(Num::Int(i))) => (i128::from(i), 0i128),
        (Kind::Float, Some(Num::Float(x))) => {
            if x.is_nan() {
                return Err(value_error("Invalid value NaN (not a number)"));
            }
            let intpart = x.trunc();
            let mut frac = round_half_even((x - intpart) * 1e6);
            let mut intpart = intpart;
            if frac >= 1e6 {
                frac -= 1e6;
                intpart += 1.0;
            } else if frac < 0.0 {
                frac += 1e6;
                intpart -= 1.0;
            }
            if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&intpart) {
                return Err(overflow_error("timestamp out of range for platform time_t"));
            }
            #[expect(clippy::cast_possible_truncation, reason = "checked to be within i64")]
            let pair = (i128::from(intpart as i64), i128::from(frac as i64));
            pair
        }
        _ => {
            return Err(PolicyError::type_error(format!("'{}' object cannot be interpreted as an integer", t.type_name())))
        }
    };
    let days = secs.div_euclid(86_400);
    if days.abs() > 1_000_000_000_000 {
        return Err(PolicyError::new(ExcKind::Other("OSError"), "[Errno 75] Value too large for defined data type"));
    }
    let (year, _, _) = civil_from_days(i64::try_from(days).unwrap_or(0));
    if !(1..=9999).contains(&year) {
        return Err(value_error(format!("year {year} is out of range")));
    }
    DateTime::from_wall(secs * i128::from(SECOND_US) + us, None)
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - r).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// `datetime.datetime.utcfromtimestamp(timestamp)`.
pub fn utcfromtimestamp<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    no_kwargs("utcfromtimestamp()", kwargs)?;
    let [t] = args else {
        return Err(PolicyError::type_error(format!("utcfromtimestamp() takes exactly 1 argument ({} given)", args.len())));
    };
    from_timestamp(t).map(Val::native)
}

/// `datetime.datetime.fromtimestamp(timestamp, tz=None)` (local time is
/// UTC).
pub fn fromtimestamp<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    const SIG: CSig = CSig { name: Some("fromtimestamp"), keywords: &["timestamp", "tz"], min: 1, max_positional: 2 };
    let slots = c_parse(&SIG, args, kwargs, |_, _| Ok(()))?;
    let t = slots.first().cloned().flatten().unwrap_or(Val::None);
    let tz = match slots.get(1).and_then(Option::as_ref) {
        Some(v) => tz_arg(v)?,
        None => None,
    };
    let base = from_timestamp(&t)?;
    if tz.is_none() {
        // CPython probes the local time a day earlier to detect a fold.
        let (year, _, _) = civil_from_days((base.wall - DAY_US).div_euclid(DAY_US));
        if year < 1 {
            return Err(value_error(format!("year {year} is out of range")));
        }
    }
    let offset = tz.as_ref().map_or(0, |z| i128::from(z.offset));
    dt_val(i128::from(base.wall) + offset, tz)
}

const DATETIME_KEYWORDS: [&str; 9] = ["year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "fold"];

/// `datetime.datetime(year, month, day, hour=0, minute=0, second=0,
/// microsecond=0, tzinfo=None, *, fold=0)`.
pub fn datetime_new<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    const SIG: CSig = CSig { name: None, keywords: &DATETIME_KEYWORDS, min: 3, max_positional: 8 };
    let mut ints = [0i64; 7];
    let mut fold = 0;
    let slots = c_parse(&SIG, args, kwargs, |i, v| {
        if let Some(slot) = ints.get_mut(i) {
            *slot = c_int(v)?;
        } else if i == 8 {
            fold = c_int(v)?;
        }
        Ok(())
    })?;
    let tz = match slots.get(7).and_then(Option::as_ref) {
        Some(v) => tz_arg(v)?,
        None => None,
    };
    let [year, month, day, hour, minute, second, microsecond] = ints;
    check_date(year, month, day)?;
    check_time(hour, minute, second, microsecond)?;
    if !matches!(fold, 0 | 1) {
        return Err(value_error("fold must be either 0 or 1"));
    }
    let mut dt = DateTime::from_fields(Fields { year, month, day, hour, minute, second, microsecond }, tz)?;
    dt.fold = u8::from(fold == 1);
    Ok(Val::native(dt))
}

const TIMEDELTA_KEYWORDS: [&str; 7] = ["days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks"];

/// `datetime.timedelta(days=0, seconds=0, microseconds=0,
/// milliseconds=0, minutes=0, hours=0, weeks=0)`: `int`s and `float`s,
/// summed exactly as CPython's `delta_new` does (fractions of a
/// microsecond are accumulated and rounded half to even once).
pub fn timedelta<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    const SIG: CSig = CSig { name: Some("__new__"), keywords: &TIMEDELTA_KEYWORDS, min: 0, max_positional: 7 };
    let slots = c_parse(&SIG, args, kwargs, |_, _| Ok(()))?;
    // CPython accumulates in this order: us, ms, s, min, h, days, weeks.
    const ORDER: [(usize, i128); 7] = [
        (2, 1),
        (3, 1_000),
        (1, 1_000_000),
        (4, 60_000_000),
        (5, 3_600_000_000),
        (0, 86_400_000_000),
        (6, 604_800_000_000),
    ];
    let mut total: i128 = 0;
    let mut leftover = 0.0f64;
    for (i, factor) in ORDER {
        let Some(v) = slots.get(i).and_then(Option::as_ref) else { continue };
        let tag = TIMEDELTA_KEYWORDS.get(i).copied().unwrap_or_default();
        match (v.kind(), ops::as_number(v)) {
            (Kind::Int | Kind::Bool, Some(Num::Int(n))) => {
                total = i128::from(n).checked_mul(factor).and_then(|p| total.checked_add(p)).ok_or_else(c_int_overflow)?;
            }
            (Kind::Float, Some(Num::Float(x))) => {
                let intpart = x.trunc();
                let frac = x - intpart;
                total = total.checked_add(float_to_int(intpart)?.checked_mul(factor).ok_or_else(c_int_overflow)?).ok_or_else(c_int_overflow)?;
                if frac != 0.0 {
                    #[expect(clippy::cast_precision_loss, reason = "CPython multiplies as doubles too")]
                    let scaled = factor as f64 * frac;
                    let ip = scaled.trunc();
                    total = total.checked_add(float_to_int(ip)?).ok_or_else(c_int_overflow)?;
                    leftover += scaled - ip;
                }
            }
            _ => {
                return Err(PolicyError::type_error(format!(
                    "unsupported type for timedelta {tag} component: {}",
                    v.type_name()
                )))
            }
        }
    }
    if leftover != 0.0 {
        let mut whole = leftover.round();
        if (whole - leftover).abs() == 0.5 {
            let odd = f64::from(i32::from(total % 2 != 0));
            whole = 2.0 * ((leftover + odd) * 0.5).round() - odd;
        }
        total = total.checked_add(float_to_int(whole)?).ok_or_else(c_int_overflow)?;
    }
    td_val(total)
}

fn c_int_overflow() -> PolicyError {
    overflow_error("Python int too large to convert to C int")
}

fn float_to_int(x: f64) -> PyResult<i128> {
    if x.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    if x.abs() >= 1.0e38 {
        return Err(c_int_overflow());
    }
    #[expect(clippy::cast_possible_truncation, reason = "x is integral and within i128's range")]
    Ok(x as i128)
}

/// `datetime.timezone(offset, name=None)`.
pub fn timezone<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    const SIG: CSig = CSig { name: Some("timezone"), keywords: &["offset", "name"], min: 1, max_positional: 2 };
    let slots = c_parse(&SIG, args, kwargs, |i, v| {
        match i {
            0 if v.downcast::<TimeDelta>().is_none() => Err(PolicyError::type_error(format!(
                "timezone() argument 1 must be datetime.timedelta, not {}",
                arg_type(v)
            ))),
            1 if v.as_str().is_none() => {
                Err(PolicyError::type_error(format!("timezone() argument 2 must be str, not {}", arg_type(v))))
            }
            _ => Ok(()),
        }
    })?;
    let td = slots.first().and_then(Option::as_ref).and_then(|v| v.downcast::<TimeDelta>()).copied().unwrap_or(TimeDelta { us: 0 });
    let name = slots.get(1).and_then(Option::as_ref).and_then(|v| v.as_str()).map(str::to_owned);
    let us = i64::try_from(td.us).unwrap_or(i64::MAX);
    Tz::fixed(us, name).map(|t| Val::native(TzInfo(t)))
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::policy::DefaultContext;

    fn td(kwargs: &[(&str, Val<'static>)]) -> PyResult<Val<'static>> {
        timedelta(&[], kwargs, &DefaultContext)
    }

    fn dt(args: &[i64]) -> Val<'static> {
        let args: Vec<Val<'static>> = args.iter().map(|i| Val::Int(*i)).collect();
        datetime_new(&args, &[], &DefaultContext).unwrap()
    }

    fn show(r: PyResult<Val<'_>>) -> String {
        match r {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        }
    }

    struct Fixed(i64);
    impl Context for Fixed {
        fn now_micros(&self) -> i64 {
            self.0
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-719_162, -1, 0, 1, 10_957, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(civil_from_days(2_932_896), (9999, 12, 31));
    }

    // Expected values from CPython 3.11.
    #[test]
    fn timedelta_repr_and_str() {
        type Case<'c> = (&'c [(&'c str, Val<'static>)], &'c str, &'c str);
        let cases: [Case<'_>; 6] = [
            (&[("days", Val::Int(60))], "datetime.timedelta(days=60)", "60 days, 0:00:00"),
            (&[("days", Val::Int(-1))], "datetime.timedelta(days=-1)", "-1 day, 0:00:00"),
            (&[("microseconds", Val::Int(-1))], "datetime.timedelta(days=-1, seconds=86399, microseconds=999999)", "-1 day, 23:59:59.999999"),
            (&[("seconds", Val::Int(7))], "datetime.timedelta(seconds=7)", "0:00:07"),
            (&[], "datetime.timedelta(0)", "0:00:00"),
            (&[("weeks", Val::Float(1.5)), ("hours", Val::Float(1.25))], "datetime.timedelta(days=10, seconds=47700)", "10 days, 13:15:00"),
        ];
        for (kwargs, repr, text) in cases {
            let v = td(kwargs).unwrap();
            assert_eq!(ops::repr(&v), repr);
            assert_eq!(ops::to_str(&v), text);
        }
        assert_eq!(show(td(&[("seconds", Val::Float(0.5)), ("microseconds", Val::Float(0.5))])), "datetime.timedelta(microseconds=500000)");
        assert_eq!(show(td(&[("days", Val::Float(0.1))])), "datetime.timedelta(seconds=8640)");
        assert_eq!(show(td(&[("days", Val::Int(1_000_000_000))])), "OverflowError: days=1000000000; must have magnitude <= 999999999");
        assert_eq!(show(td(&[("days", Val::Float(3e9))])), "OverflowError: Python int too large to convert to C int");
        assert_eq!(show(td(&[("days", Val::str("x"))])), "TypeError: unsupported type for timedelta days component: str");
        assert_eq!(show(td(&[("foo", Val::Int(1))])), "TypeError: 'foo' is an invalid keyword argument for __new__()");
        assert_eq!(
            show(timedelta(&[Val::Int(1)], &[("days", Val::Int(2))], &DefaultContext)),
            "TypeError: argument for __new__() given by name ('days') and position (1)"
        );
    }

    #[test]
    fn timedelta_arithmetic() {
        let day = td(&[("days", Val::Int(1))]).unwrap();
        let five_h = td(&[("hours", Val::Int(5))]).unwrap();
        assert_eq!(show(ops::binop(BinOp::Mul, &day, &Val::Float(2.5))), "datetime.timedelta(days=2, seconds=43200)");
        assert_eq!(show(ops::binop(BinOp::Div, &day, &Val::Int(7))), "datetime.timedelta(seconds=12342, microseconds=857143)");
        assert_eq!(show(ops::binop(BinOp::FloorDiv, &day, &Val::Int(7))), "datetime.timedelta(seconds=12342, microseconds=857142)");
        assert_eq!(show(ops::binop(BinOp::Div, &day, &five_h)), "4.8");
        assert_eq!(show(ops::binop(BinOp::FloorDiv, &day, &five_h)), "4");
        assert_eq!(show(ops::binop(BinOp::Mod, &day, &five_h)), "datetime.timedelta(seconds=14400)");
        let three = td(&[("microseconds", Val::Int(3))]).unwrap();
        assert_eq!(show(ops::binop(BinOp::Mul, &three, &Val::Float(0.5))), "datetime.timedelta(microseconds=2)");
        assert_eq!(show(ops::binop(BinOp::Add, &day, &Val::Int(5))), "TypeError: unsupported operand type(s) for +: 'datetime.timedelta' and 'int'");
        assert_eq!(
            show(ops::compare(ops::Order::Lt, &day, &Val::Int(5)).map(Val::Bool)),
            "TypeError: '<' not supported between instances of 'datetime.timedelta' and 'int'"
        );
        assert!(!ops::eq(&day, &Val::Int(0)));
        assert!(!ops::truthy(&td(&[]).unwrap()));
        assert_eq!(show(ops::call_method(&day, "total_seconds", &[])), "86400.0");
    }

    #[test]
    fn datetime_repr_arithmetic_and_errors() {
        let a = dt(&[2019, 1, 1]);
        assert_eq!(ops::repr(&a), "datetime.datetime(2019, 1, 1, 0, 0)");
        assert_eq!(ops::to_str(&a), "2019-01-01 00:00:00");
        assert_eq!(ops::repr(&dt(&[2019, 1, 1, 0, 0, 0, 5])), "datetime.datetime(2019, 1, 1, 0, 0, 0, 5)");
        let utc = timezone(&[td(&[]).unwrap()], &[], &DefaultContext).unwrap();
        let aware = datetime_new(&[Val::Int(2019), Val::Int(1), Val::Int(1)], &[("tzinfo", utc)], &DefaultContext).unwrap();
        assert_eq!(ops::repr(&aware), "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
        let minus8 = timezone(&[td(&[("hours", Val::Int(-8))]).unwrap()], &[], &DefaultContext).unwrap();
        let pst = datetime_new(&[Val::Int(2019), Val::Int(1), Val::Int(1)], &[("tzinfo", minus8)], &DefaultContext).unwrap();
        assert_eq!(ops::repr(&pst), "datetime.datetime(2019, 1, 1, 0, 0, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=57600)))");
        assert_eq!(ops::to_str(&pst), "2019-01-01 00:00:00-08:00");
        assert_eq!(show(ops::compare(ops::Order::Lt, &a, &aware).map(Val::Bool)), "TypeError: can't compare offset-naive and offset-aware datetimes");
        assert!(!ops::eq(&a, &aware));
        assert_eq!(show(ops::binop(BinOp::Sub, &a, &aware)), "TypeError: can't subtract offset-naive and offset-aware datetimes");
        assert_eq!(show(ops::binop(BinOp::Sub, &pst, &aware)), "datetime.timedelta(seconds=28800)");
        assert_eq!(
            show(ops::compare(ops::Order::Lt, &a, &Val::Int(5)).map(Val::Bool)),
            "TypeError: '<' not supported between instances of 'datetime.datetime' and 'int'"
        );
        assert!(!ops::eq(&a, &Val::Int(5)));
        let day = td(&[("days", Val::Int(1))]).unwrap();
        assert_eq!(show(ops::binop(BinOp::Sub, &dt(&[1, 1, 1]), &day)), "OverflowError: date value out of range");
        assert_eq!(show(ops::binop(BinOp::Add, &dt(&[9999, 12, 31]), &day)), "OverflowError: date value out of range");
        assert_eq!(show(ops::binop(BinOp::Add, &day, &a)), "datetime.datetime(2019, 1, 2, 0, 0)");
        assert_eq!(show(datetime_new(&[Val::Int(2019), Val::Int(2), Val::Int(29)], &[], &DefaultContext)), "ValueError: day is out of range for month");
        assert_eq!(show(datetime_new(&[Val::Int(2019)], &[], &DefaultContext)), "TypeError: function missing required argument 'month' (pos 2)");
        assert_eq!(show(datetime_new(&[Val::Int(0), Val::Int(1), Val::Int(1)], &[], &DefaultContext)), "ValueError: year 0 is out of range");
        assert_eq!(show(ops::getattr(&a, "foo")), "AttributeError: 'datetime.datetime' object has no attribute 'foo'");
    }

    #[test]
    fn formatting() {
        let a = dt(&[2019, 1, 1]);
        let f = |fmt: &'static str| show(ops::call_method(&a, "strftime", &[Val::str(fmt)]));
        assert_eq!(
            f("%Y %y %m %d %H %I %M %S %f %z %Z %b %B %a %A %j %p %% %e %Q"),
            "'2019 19 01 01 00 12 00 00 000000   Jan January Tue Tuesday 001 AM %  1 %Q'"
        );
        assert_eq!(f("%c|%x|%X|%D|%T|%R|%u|%w|%U|%W|%V|%G|%C|%g|%s|%k|%l|%P"), "'Tue Jan  1 00:00:00 2019|01/01/19|00:00:00|01/01/19|00:00:00|00:00|2|2|00|00|01|2019|20|19|1546300800| 0|12|am'");
        assert_eq!(show(ops::call_method(&dt(&[1, 1, 1]), "strftime", &[Val::str("%F|%C|%G|%_d|%^a|%-H")])), "'1-01-01|0|1| 1|MON|0'");
        assert_eq!(show(ops::call_method(&dt(&[2021, 1, 3]), "strftime", &[Val::str("%G %V %U %W")])), "'2020 53 01 00'");
        assert_eq!(show(ops::call_method(&a, "timestamp", &[])), "1546300800.0");
        assert_eq!(show(ops::call_method(&dt(&[2019, 1, 1, 0, 0, 0, 5]), "isoformat", &[Val::str(" ")])), "'2019-01-01 00:00:00.000005'");
        assert_eq!(show(ops::call_method(&a, "timestamp", &[Val::Int(1)])), "TypeError: datetime.timestamp() takes no arguments (1 given)");
    }

    #[test]
    fn clock_comes_from_the_context() {
        let ctx = Fixed(1_546_300_800_000_001);
        assert_eq!(show(now(&[], &[], &ctx)), "datetime.datetime(2019, 1, 1, 0, 0, 0, 1)");
        assert_eq!(show(utcnow(&[], &[], &ctx)), "datetime.datetime(2019, 1, 1, 0, 0, 0, 1)");
        assert_eq!(show(utcnow(&[Val::Int(5)], &[], &ctx)), "TypeError: datetime.utcnow() takes no arguments (1 given)");
        assert_eq!(show(utcfromtimestamp(&[Val::Float(2.5e-6)], &[], &ctx)), "datetime.datetime(1970, 1, 1, 0, 0, 0, 2)");
        assert_eq!(show(utcfromtimestamp(&[Val::Float(-2.5e-6)], &[], &ctx)), "datetime.datetime(1969, 12, 31, 23, 59, 59, 999998)");
        assert_eq!(show(utcfromtimestamp(&[Val::Float(-1e11)], &[], &ctx)), "ValueError: year -1199 is out of range");
    }
}
