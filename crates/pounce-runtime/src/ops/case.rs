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

/// The first code point of each run of ten decimal digits (`0`–`9`) in
/// CPython 3.11's Unicode 14.0 database: every character whose
/// `unicodedata.decimal()` is defined lies in one of these 66 runs
/// (checked with CPython when the table was written).
const DIGIT_RUNS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xde6, 0xe50, 0xed0, 0xf20,
    0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900,
    0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10, 0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0,
    0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8,
    0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// `unicodedata.decimal(c)`: the value of a decimal digit of any script
/// (`int()` accepts them: `int("٣")` is 3).
pub fn decimal(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let code = u32::from(c);
    let i = DIGIT_RUNS.partition_point(|&start| start <= code).checked_sub(1)?;
    let start = DIGIT_RUNS.get(i)?;
    (code - start < 10).then_some(code - start)
}

#[cfg(test)]
mod tests {
    use super::*;

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
