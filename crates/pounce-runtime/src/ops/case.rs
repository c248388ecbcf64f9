//! `str.lower()`, `str.upper()` and `str.casefold()` as CPython maps case,
//! and the other character properties where CPython and Rust differ
//! (whitespace, decimal digits).
//!
//! CPython 3.11 follows Unicode 14.0 and Rust's `char::to_lowercase`
//! follows its own (newer) version, and `casefold()` is Unicode's full case
//! folding, which neither of Rust's mappings is (`'ſ'.casefold()` is `'s'`,
//! `'ϐ'.casefold()` is `'β'`, `'ﬁ'.casefold()` is `'fi'`). So every
//! mapping comes from `data/unicode/case.tsv`, written by
//! `scripts/unicode_case.py` from CPython's own `str` methods: a code point
//! that is not listed maps to itself. The one context-dependent rule,
//! `Σ` lowering to final `ς` at the end of a word, is decided as Rust's
//! `str::to_lowercase` decides it (the same Unicode rule, `Final_Sigma`, that
//! CPython implements).
//!
//! Invariant: for every string, the three functions return what CPython
//! 3.11's methods return, except for the `Σ` decision next to characters
//! whose `Cased`/`Case_Ignorable` properties changed after Unicode 14.0.

use std::sync::OnceLock;

/// The case table: CPython's mappings, generated (see the module docs).
const TABLE: &str = include_str!("../../../../data/unicode/case.tsv");

/// One mapping: at most three characters (`'ΐ'.upper()` is three).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mapping {
    len: u8,
    chars: [char; 3],
}

impl Mapping {
    fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.chars.iter().copied().take(usize::from(self.len))
    }
}

/// A listed code point's lower, upper and casefold mappings (`None`: the
/// character itself).
type Entry = (char, [Option<Mapping>; 3]);

const LOWER: usize = 0;
const UPPER: usize = 1;
const FOLD: usize = 2;

fn table() -> &'static [Entry] {
    static PARSED: OnceLock<Vec<Entry>> = OnceLock::new();
    PARSED.get_or_init(|| parse(TABLE))
}

/// Parses the table; a line that does not parse is left out (the unit
/// tests check that none is).
fn parse(text: &str) -> Vec<Entry> {
    let code = |hex: &str| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    let mapping = |field: &str| -> Option<Option<Mapping>> {
        if field == "-" {
            return Some(None);
        }
        let mut m = Mapping { len: 0, chars: ['\0'; 3] };
        for hex in field.split(' ') {
            let slot = m.chars.get_mut(usize::from(m.len))?;
            *slot = code(hex)?;
            m.len += 1;
        }
        Some(Some(m))
    };
    let mut entries: Vec<Entry> = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut fields = line.split('\t');
            let c = code(fields.next()?)?;
            let lower = mapping(fields.next()?)?;
            let upper = mapping(fields.next()?)?;
            let fold = mapping(fields.next()?)?;
            Some((c, [lower, upper, fold]))
        })
        .collect();
    entries.sort_unstable_by_key(|e| e.0);
    entries
}

/// Appends `c` mapped by column `which`.
fn push_mapped(out: &mut String, c: char, which: usize) {
    if c.is_ascii() {
        out.push(match which {
            UPPER => c.to_ascii_uppercase(),
            _ => c.to_ascii_lowercase(),
        });
        return;
    }
    let table = table();
    match table.binary_search_by_key(&c, |e| e.0).ok().and_then(|i| table.get(i)).and_then(|e| e.1.get(which).copied().flatten()) {
        Some(m) => out.extend(m.chars()),
        None => out.push(c),
    }
}

fn map(s: &str, which: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_mapped(&mut out, c, which);
    }
    out
}

/// `s.lower()`.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    if !s.contains('Σ') {
        return map(s, LOWER);
    }
    // Rust's `str::to_lowercase` maps each character as `char::to_lowercase`
    // does except `Σ`, which it lowers to `ς` or `σ` by context: walk its
    // output alongside to read each `Σ`'s decision.
    let rust = s.to_lowercase();
    let mut at = 0;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == 'Σ' {
            let sigma = rust.get(at..).and_then(|r| r.chars().next()).unwrap_or('σ');
            out.push(sigma);
            at += sigma.len_utf8();
        } else {
            at += c.to_lowercase().map(char::len_utf8).sum::<usize>();
            push_mapped(&mut out, c, LOWER);
        }
    }
    out
}

/// `s.upper()`.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    map(s, UPPER)
}

/// `s.casefold()`.
pub fn casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    map(s, FOLD)
}

/// `c.isspace()`: what `str.split()` and `str.strip()` treat as
/// whitespace. Rust's `char::is_whitespace` (Unicode's `White_Space`) plus
/// the four ASCII information separators U+001C–U+001F, which CPython
/// counts as whitespace (bidirectional class B or S).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// CPython's character classes, generated (`scripts/unicode_props.py`).
const PROPS: &str = include_str!("../../../../data/unicode/props.tsv");

/// A character class of CPython's `str` predicates (in the order of
/// [`CLASSES`], which its discriminant indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// `isdecimal`: a decimal digit of any script (`٣`).
    Decimal,
    /// `isdigit`: also superscripts and circled digits (`²`, `①`).
    Digit,
    /// `isnumeric`: also fractions, Roman and CJK numerals (`½`, `Ⅻ`, `三`).
    Numeric,
    /// `isalpha`: a letter (categories L*; not combining marks).
    Alpha,
    /// A lowercase character (`str.islower` on it alone).
    Lower,
    /// An uppercase character.
    Upper,
    /// A titlecase letter (`ǅ`).
    Title,
}

const CLASSES: [(&str, Class); 7] = [
    ("decimal", Class::Decimal),
    ("digit", Class::Digit),
    ("numeric", Class::Numeric),
    ("alpha", Class::Alpha),
    ("lower", Class::Lower),
    ("upper", Class::Upper),
    ("title", Class::Title),
];

/// Each class's runs `(first, last)`, sorted; a line that does not parse
/// is left out (the unit tests check that none is).
fn runs(class: Class) -> &'static [(u32, u32)] {
    static PARSED: OnceLock<Vec<Vec<(u32, u32)>>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        let mut all = vec![Vec::new(); CLASSES.len()];
        for line in PROPS.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(name), Some(first), Some(last)) = (fields.next(), fields.next(), fields.next()) else { continue };
            let (Ok(first), Ok(last)) = (u32::from_str_radix(first, 16), u32::from_str_radix(last, 16)) else { continue };
            if let Some((_, class)) = CLASSES.iter().find(|(n, _)| *n == name) {
                if let Some(runs) = all.get_mut(*class as usize) {
                    runs.push((first, last));
                }
            }
        }
        for runs in &mut all {
            runs.sort_unstable();
        }
        all
    });
    all.get(class as usize).map_or(&[], Vec::as_slice)
}

/// The run of `class` holding `c`, if any.
fn run_of(class: Class, c: char) -> Option<(u32, u32)> {
    let code = u32::from(c);
    let runs = runs(class);
    let i = runs.partition_point(|&(first, _)| first <= code).checked_sub(1)?;
    runs.get(i).copied().filter(|&(_, last)| code <= last)
}

/// Whether `c` is of `class`, as CPython 3.11 classifies it.
pub fn is(class: Class, c: char) -> bool {
    if c.is_ascii() {
        return match class {
            Class::Decimal | Class::Digit | Class::Numeric => c.is_ascii_digit(),
            Class::Alpha => c.is_ascii_alphabetic(),
            Class::Lower => c.is_ascii_lowercase(),
            Class::Upper => c.is_ascii_uppercase(),
            Class::Title => false,
        };
    }
    run_of(class, c).is_some()
}

/// `unicodedata.decimal(c)`: the value of a decimal digit of any script
/// (`int()` accepts them: `int("٣")` is 3). Decimal digits come in runs of
/// ten from 0 to 9, so a run of the table is whole runs of ten.
pub fn decimal(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    run_of(Class::Decimal, c).map(|(first, _)| (u32::from(c) - first) % 10)
}

/// `s.islower()` (`upper == false`) or `s.isupper()`: at least one cased
/// character, and none of the other case or titlecase (CPython's loop).
pub fn is_cased_as(s: &str, upper: bool) -> bool {
    let (this, other) = if upper { (Class::Upper, Class::Lower) } else { (Class::Lower, Class::Upper) };
    let mut cased = false;
    for c in s.chars() {
        if is(other, c) || is(Class::Title, c) {
            return false;
        }
        cased = cased || is(this, c);
    }
    cased
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of the class table parses (CPython 3.11: 2,326 runs).
    #[test]
    fn the_class_table_parses_whole() {
        let lines = PROPS.lines().filter(|l| !l.starts_with('#')).count();
        let parsed: usize = CLASSES.iter().map(|(_, c)| runs(*c).len()).sum();
        assert_eq!((parsed, lines), (2326, 2326));
        assert!(PROPS.starts_with("# CPython 3.11"), "regenerate with CPython 3.11");
    }

    /// `str` predicates on characters where CPython and Rust's own
    /// properties disagree (values read off CPython 3.11.7).
    #[test]
    fn classes_equal_cpython() {
        let all = |s: &str, class: Class| !s.is_empty() && s.chars().all(|c| is(class, c));
        // (text, isdecimal, isdigit, isnumeric, isalpha, islower, isupper)
        let cases = [
            ("123", true, true, true, false, false, false),
            ("½", false, false, true, false, false, false),
            ("²", false, true, true, false, false, false),
            ("三", false, false, true, true, false, false),
            ("Ⅻ", false, false, true, false, false, true),
            ("٣", true, true, true, false, false, false),
            ("\u{902}", false, false, false, false, false, false),
            ("\u{915}", false, false, false, true, false, false),
            ("\u{1c5}a", false, false, false, true, false, false),
            ("a\u{1c5}", false, false, false, true, false, false),
            ("AbC", false, false, false, true, false, false),
            ("a1", false, false, false, false, true, false),
            ("A1", false, false, false, false, false, true),
            ("ß", false, false, false, true, true, false),
            ("ʰ", false, false, false, true, true, false),
            ("ªb", false, false, false, true, true, false),
            ("①", false, true, true, false, false, false),
            ("x²", false, false, false, false, true, false),
            ("", false, false, false, false, false, false),
        ];
        for (text, dec, dig, num, alpha, lower, upper) in cases {
            let got = (
                all(text, Class::Decimal),
                all(text, Class::Digit),
                all(text, Class::Numeric),
                all(text, Class::Alpha),
                is_cased_as(text, false),
                is_cased_as(text, true),
            );
            assert_eq!(got, (dec, dig, num, alpha, lower, upper), "{text:?}");
        }
    }

    /// CPython 3.11: `[c for c in map(chr, range(0x110000)) if c.isspace()]`
    /// is these 29; decimal digits come in the 66 runs of ten.
    #[test]
    fn whitespace_and_digits_equal_cpython() {
        let spaces: Vec<u32> = (0..0x11_0000).filter_map(char::from_u32).filter(|c| is_py_space(*c)).map(u32::from).collect();
        let expected = [
            0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
            0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
        ];
        assert_eq!(spaces, expected);
        let digits = (0..0x11_0000).filter_map(char::from_u32).filter(|c| decimal(*c).is_some()).count();
        assert_eq!(digits, 660);
        assert_eq!(decimal('٣'), Some(3));
        assert_eq!(decimal('\u{ff19}'), Some(9));
        assert_eq!(decimal('\u{1d7ce}'), Some(0));
        assert_eq!(decimal('\u{1d7d7}'), Some(9));
        assert_eq!(decimal('\u{1d7d8}'), Some(0));
        assert_eq!(decimal('a'), None);
        assert_eq!(decimal('\u{669}'), Some(9));
        assert_eq!(decimal('\u{66a}'), None);
    }

    /// Every line of the table parses, and the table is what the script
    /// writes for CPython 3.11 (Unicode 14.0: 2,927 code points).
    #[test]
    fn the_table_parses_whole() {
        let lines = TABLE.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(table().len(), lines);
        assert_eq!(lines, 2927);
        assert!(TABLE.starts_with("# CPython 3.11"), "regenerate with CPython 3.11");
        assert!(table().windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), "one line per code point");
    }

    /// Expected values from CPython 3.11.7.
    #[test]
    fn mappings_equal_cpython() {
        let cases = [
            // (text, lower, upper, casefold)
            ("Straße", "straße", "STRASSE", "strasse"),
            ("ſtop", "ſtop", "STOP", "stop"),
            ("ϐ µ ﬁ", "ϐ µ ﬁ", "Β Μ FI", "β μ fi"),
            ("\u{130}stanbul", "i\u{307}stanbul", "\u{130}STANBUL", "i\u{307}stanbul"),
            ("\u{390}", "\u{390}", "\u{399}\u{308}\u{301}", "\u{3B9}\u{308}\u{301}"),
            ("ᏸ Ꭰ", "ᏸ ꭰ", "Ᏸ Ꭰ", "Ᏸ Ꭰ"),
            ("ΟΔΟΣ ΟΔΟΣ.", "οδος οδος.", "ΟΔΟΣ ΟΔΟΣ.", "οδοσ οδοσ."),
            ("Σ ΑΣ Σα", "σ ας σα", "Σ ΑΣ ΣΑ", "σ ασ σα"),
            ("ARN:aws:IAM", "arn:aws:iam", "ARN:AWS:IAM", "arn:aws:iam"),
        ];
        for (text, lo, up, fold) in cases {
            assert_eq!(lower(text), lo, "{text}.lower()");
            assert_eq!(upper(text), up, "{text}.upper()");
            assert_eq!(casefold(text), fold, "{text}.casefold()");
        }
    }

    /// Where CPython's mappings and Rust's own disagree (apart from
    /// `casefold`, which Rust does not have): characters Unicode gave case
    /// after 14.0, which CPython 3.11 leaves alone.
    #[test]
    fn rust_tables_differ_only_for_characters_newer_than_unicode_14() {
        let mut differ = Vec::new();
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let text = c.to_string();
            if map(&text, LOWER) != c.to_lowercase().collect::<String>() || map(&text, UPPER) != c.to_uppercase().collect::<String>() {
                differ.push(c);
            }
        }
        // Each of these is unassigned or caseless in Unicode 14.0.
        for c in &differ {
            assert!(table().binary_search_by_key(c, |e| e.0).is_err(), "{c:?} ({:X}) is listed yet differs", u32::from(*c));
        }
        assert!(differ.len() < 200, "{} differ", differ.len());
    }
}
