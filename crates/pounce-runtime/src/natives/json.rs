//! The `json` module: `loads`, `dumps` and `JSONDecodeError`.
//!
//! `loads` is a port of CPython's C scanner (`Modules/_json.c`): the same
//! grammar (including `NaN`, `Infinity` and `-Infinity`), the same error
//! messages and the same error positions (in characters), so that
//! `str(exc)` matches CPython's `JSONDecodeError` exactly.
//!
//! Deviations, forced by the value model and the stack: integers outside
//! `i64` become `float`s, lone surrogate escapes (`"\ud800"`) decode to
//! U+FFFD (a Rust `str` cannot hold a surrogate), and nesting deeper than
//! [`MAX_NESTING`] (200) raises `RecursionError` (CPython: about 990).

use std::collections::HashSet;
use std::rc::Rc;
use std::marker::PhantomData;

use super::args::{bind, short_type_name, unsupported, value_error, Sig};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops;
use crate::policy::Context;
use crate::value::{Kind, PyStr, Val};

/// The name `JSONDecodeError` carries.
pub const JSON_DECODE_ERROR: &str = "JSONDecodeError";

/// The owned Python value of a JSON document: objects become run-time
/// `dict`s, arrays `list`s, strings `str`s, integers within `i64` `int`s
/// and other numbers `float`s.
pub fn json_to_val<'a>(v: &serde_json::Value) -> Val<'a> {
    use serde_json::Value as J;
    match v {
        J::Null => Val::None,
        J::Bool(b) => Val::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Val::Int(i),
            None => Val::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Val::text(s),
        J::Array(a) => Val::list(a.iter().map(json_to_val).collect()),
        J::Object(o) => {
            let entries = o.iter().map(|(k, x)| (Val::text(k), json_to_val(x)));
            // String keys are always hashable.
            ops::make_dict(entries).unwrap_or(Val::None)
        }
    }
}

const LOADS: Sig = Sig {
    name: "loads",
    params: &["s"],
    required: 1,
    varargs: false,
    kwonly: &["cls", "object_hook", "parse_float", "parse_int", "parse_constant", "object_pairs_hook"],
    varkw: true,
    method: false,
};

/// `json.loads(s)`.
pub fn loads<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&LOADS, args, kwargs)?;
    let s = b.get(0).cloned().unwrap_or(Val::None);
    let Some(text) = s.as_str() else {
        return Err(PolicyError::type_error(format!(
            "the JSON object must be str, bytes or bytearray, not {}",
            short_type_name(&s)
        )));
    };
    if text.starts_with('\u{feff}') {
        return Err(decode_error("Unexpected UTF-8 BOM (decode using utf-8-sig)", &Ascii(""), 0));
    }
    if let Some((name, _)) = b.extra.first() {
        return Err(PolicyError::type_error(format!("JSONDecoder.__init__() got an unexpected keyword argument '{name}'")));
    }
    if b.kwonly.iter().any(|k| k.as_ref().is_some_and(|v| !ops::is_none(v))) {
        return Err(unsupported("json.loads() with decoder hooks"));
    }
    match &s {
        // Text of the resource or a module constant: strings without
        // escapes borrow from it (equal to copies; `str` is immutable).
        Val::Str(PyStr::Ref(text)) => parse_borrowed(text),
        Val::Const(crate::consts::Const::Str(text)) => parse_borrowed(text),
        _ => parse(text),
    }
}

/// Parses a JSON document as `json.loads` does.
///
/// Positions are in characters, as CPython counts them. ASCII text (the
/// usual case) is scanned as bytes, where a byte is a character; other
/// text is decoded to characters first.
pub fn parse<'a>(text: &str) -> PyResult<Val<'a>> {
    if text.is_ascii() {
        return Parser::new(Ascii(text)).document();
    }
    let chars: Vec<char> = text.chars().collect();
    Parser::new(chars.as_slice()).document()
}

/// [`parse`], where the strings of the result that have no escape borrow
/// from `text` instead of being copied.
pub fn parse_borrowed(text: &str) -> PyResult<Val<'_>> {
    if text.is_ascii() {
        return Parser::new(Borrowed(text)).document();
    }
    parse(text)
}

/// `json.loads(text)` as the JSON value [`crate::iam::to_json`] makes of
/// the result, in one pass, for `Policy(json.loads(text))`. `Err` is what
/// `json.loads` raises; `Ok(None)` means "take the general path" (a
/// document that is not an object, or that `to_json` refuses, or a BOM).
pub(crate) fn loads_json_object(text: &str) -> PyResult<Option<serde_json::Value>> {
    if text.starts_with('\u{feff}') {
        return Ok(None);
    }
    let doc = if text.is_ascii() {
        Parser { s: Ascii(text), b: JsonBuild, _out: PhantomData }.document_or_bail()?
    } else {
        let chars: Vec<char> = text.chars().collect();
        Parser { s: chars.as_slice(), b: JsonBuild, _out: PhantomData }.document_or_bail()?
    };
    Ok(doc.filter(serde_json::Value::is_object))
}

/// JSON text as a sequence of characters; `'a` is the lifetime of the
/// strings it can lend to the parsed value.
trait Source<'a> {
    /// How many characters there are.
    fn len(&self) -> usize;
    /// The character at position `i`.
    fn at(&self, i: usize) -> Option<char>;
    /// The first position from `i` holding `"`, `\\` or a control
    /// character (below U+0020), or `len()`.
    fn find_special(&self, mut i: usize) -> usize {
        while let Some(c) = self.at(i) {
            if c == '"' || c == '\\' || (c as u32) <= 0x1f {
                break;
            }
            i += 1;
        }
        i
    }
    /// Appends the characters at positions `start..end` to `out`.
    fn push_run(&self, out: &mut String, start: usize, end: usize);
    /// The characters at positions `start..end` as one `str`, when the
    /// text is stored that way.
    fn run(&self, start: usize, end: usize) -> Option<&str>;
    /// The same run lent for `'a`, when the text lives that long.
    fn lend(&self, start: usize, end: usize) -> Option<&'a str> {
        let _ = (start, end);
        None
    }
}

impl Source<'_> for &[char] {
    fn len(&self) -> usize {
        <[char]>::len(self)
    }
    fn at(&self, i: usize) -> Option<char> {
        self.get(i).copied()
    }
    fn push_run(&self, out: &mut String, start: usize, end: usize) {
        out.extend(self.get(start..end).unwrap_or_default());
    }
    fn run(&self, _start: usize, _end: usize) -> Option<&str> {
        None
    }
}

/// ASCII text: each byte is one character.
struct Ascii<'s>(&'s str);

impl Source<'_> for Ascii<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> Option<char> {
        self.0.as_bytes().get(i).map(|b| char::from(*b))
    }
    fn find_special(&self, i: usize) -> usize {
        let bytes = self.0.as_bytes();
        let rest = bytes.get(i..).unwrap_or_default();
        i + find_special_byte(rest)
    }
    fn push_run(&self, out: &mut String, start: usize, end: usize) {
        out.push_str(self.0.get(start..end).unwrap_or_default());
    }
    fn run(&self, start: usize, end: usize) -> Option<&str> {
        self.0.get(start..end)
    }
}

/// The position of the first `"`, `\\` or control byte (below 0x20) in
/// `bytes`, or its length: eight bytes at a time (SWAR, as serde_json
/// scans strings), then byte by byte for the tail and the word that holds
/// a match.
fn find_special_byte(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte of `x` is zero: its high bit in the result (exact for the
    // lowest such byte, which is all this needs).
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        let quote = has_zero(w ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(w ^ (ONES * u64::from(b'\\')));
        // A byte below 0x20: subtracting 0x20 borrows into its high bit
        // (bytes with the high bit set are excluded by `!w`).
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
        if quote | backslash | control != 0 {
            break;
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    at + tail.iter().position(|&b| b == b'"' || b == b'\\' || b <= 0x1f).unwrap_or(tail.len())
}

/// ASCII text that outlives the parsed value, which borrows its runs.
struct Borrowed<'a>(&'a str);

impl<'a> Source<'a> for Borrowed<'a> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn at(&self, i: usize) -> Option<char> {
        Ascii(self.0).at(i)
    }
    fn find_special(&self, i: usize) -> usize {
        Ascii(self.0).find_special(i)
    }
    fn push_run(&self, out: &mut String, start: usize, end: usize) {
        Ascii(self.0).push_run(out, start, end);
    }
    fn run(&self, start: usize, end: usize) -> Option<&str> {
        self.0.get(start..end)
    }
    fn lend(&self, start: usize, end: usize) -> Option<&'a str> {
        self.0.get(start..end)
    }
}

/// `JSONDecodeError: msg: line L column C (char P)`.
fn decode_error<'a>(msg: &str, doc: &impl Source<'a>, pos: usize) -> PolicyError {
    let mut lineno = 1;
    let mut last_newline = None;
    for i in 0..pos.min(doc.len()) {
        if doc.at(i) == Some('\n') {
            lineno += 1;
            last_newline = Some(i);
        }
    }
    let colno = match last_newline {
        Some(nl) => pos - nl,
        None => pos + 1,
    };
    PolicyError::new(ExcKind::Other(JSON_DECODE_ERROR), format!("{msg}: line {lineno} column {colno} (char {pos})"))
}

/// A scanner failure: `StopIteration(pos)` becomes "Expecting value".
enum Fail {
    Stop(usize),
    Msg(&'static str, usize),
    /// Nesting deeper than [`MAX_NESTING`]: `RecursionError` while
    /// decoding an array (`true`) or an object.
    Deep(bool),
    /// The builder cannot represent the value (see [`Build`]).
    Bail,
}

/// Arrays and objects nested deeper than this raise `RecursionError`, as
/// CPython's scanner does when it reaches the interpreter's recursion
/// limit. CPython's depth is about 990 levels (1000 frames less the call
/// stack); ours is lower so that the recursive scanner stays well within
/// a 2 MiB thread stack in an unoptimised build (≈ 2–5 KiB per level
/// there), and equals the IAM model's limit (`iam::MAX_DEPTH`).
pub const MAX_NESTING: usize = 200;

impl Fail {
    /// The exception, or `None` for [`Fail::Bail`].
    fn into_error<'a>(self, doc: &impl Source<'a>) -> Option<PolicyError> {
        Some(match self {
            Fail::Stop(pos) => decode_error("Expecting value", doc, pos),
            Fail::Msg(msg, pos) => decode_error(msg, doc, pos),
            Fail::Deep(array) => PolicyError::new(
                ExcKind::Other("RecursionError"),
                format!(
                    "maximum recursion depth exceeded while decoding a JSON {} from a unicode string",
                    if array { "array" } else { "object" }
                ),
            ),
            Fail::Bail => return None,
        })
    }
}

/// What the scanner builds from the values it reads. Each method may
/// [`Fail::Bail`]: the document is then not representable by this
/// builder, and the caller falls back to [`ValBuild`].
trait Build<'a> {
    type Out;
    /// `None`, a `bool`, an `int` or a `float` (integers beyond `i64` are
    /// `float`s already).
    fn scalar(&self, v: Val<'a>) -> Result<Self::Out, Fail>;
    fn string(&self, s: PyStr<'a>) -> Result<Self::Out, Fail>;
    fn array(&self, items: Vec<Self::Out>) -> Result<Self::Out, Fail>;
    /// Entries in document order, repeated keys included.
    fn object(&self, entries: Vec<(PyStr<'a>, Self::Out)>) -> Result<Self::Out, Fail>;
}

/// Builds Python values (`json.loads`).
struct ValBuild;

impl<'a> Build<'a> for ValBuild {
    type Out = Val<'a>;
    fn scalar(&self, v: Val<'a>) -> Result<Val<'a>, Fail> {
        Ok(v)
    }
    fn string(&self, s: PyStr<'a>) -> Result<Val<'a>, Fail> {
        Ok(Val::Str(s))
    }
    fn array(&self, items: Vec<Val<'a>>) -> Result<Val<'a>, Fail> {
        Ok(Val::list(items))
    }
    fn object(&self, entries: Vec<(PyStr<'a>, Val<'a>)>) -> Result<Val<'a>, Fail> {
        // String keys are always hashable.
        Ok(ops::make_dict(entries.into_iter().map(|(k, v)| (Val::Str(k), v))).unwrap_or(Val::None))
    }
}

/// Builds the `serde_json::Value` that [`crate::iam::to_json`] makes of
/// the Python value `json.loads` returns, for `Policy(json.loads(s))`.
/// Bails on what `to_json` refuses (non-finite floats), so the caller
/// takes the general path and raises what it raises. `to_json`'s other
/// refusal, nesting beyond `iam::MAX_DEPTH`, cannot occur: the scanner
/// stops at `MAX_NESTING` first.
struct JsonBuild;

const _: () = assert!(MAX_NESTING <= crate::iam::MAX_DEPTH);

impl<'a> Build<'a> for JsonBuild {
    type Out = serde_json::Value;
    fn scalar(&self, v: Val<'a>) -> Result<serde_json::Value, Fail> {
        use serde_json::Value as J;
        Ok(match v {
            Val::None => J::Null,
            Val::Bool(b) => J::Bool(b),
            Val::Int(i) => J::from(i),
            Val::Float(x) => J::Number(serde_json::Number::from_f64(x).ok_or(Fail::Bail)?),
            _ => return Err(Fail::Bail),
        })
    }
    fn string(&self, s: PyStr<'a>) -> Result<serde_json::Value, Fail> {
        Ok(serde_json::Value::String(s.as_str().to_owned()))
    }
    fn array(&self, items: Vec<serde_json::Value>) -> Result<serde_json::Value, Fail> {
        Ok(serde_json::Value::Array(items))
    }
    fn object(&self, entries: Vec<(PyStr<'a>, serde_json::Value)>) -> Result<serde_json::Value, Fail> {
        // A repeated key keeps its first position and its last value, as
        // in the `dict` that `to_json` would read (`insert` of an
        // `IndexMap`-backed map replaces the value in place).
        let mut map = serde_json::Map::with_capacity(entries.len());
        for (k, v) in entries {
            map.insert(k.as_str().to_owned(), v);
        }
        Ok(serde_json::Value::Object(map))
    }
}

/// Scans JSON text from source `S` into what builder `B` makes.
struct Parser<'a, S, B> {
    s: S,
    b: B,
    _out: PhantomData<Val<'a>>,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

impl<'a, S: Source<'a>> Parser<'a, S, ValBuild> {
    /// A parser building Python values.
    fn new(s: S) -> Self {
        Parser { s, b: ValBuild, _out: PhantomData }
    }

    fn document(&self) -> PyResult<Val<'a>> {
        self.document_or_bail()?.ok_or_else(|| PolicyError::new(ExcKind::Other("SystemError"), "json: unrepresentable value"))
    }
}

impl<'a, S: Source<'a>, B: Build<'a>> Parser<'a, S, B> {
    /// The document; `Ok(None)` when the builder bailed.
    fn document_or_bail(&self) -> PyResult<Option<B::Out>> {
        let start = self.skip_ws(0);
        let (v, end) = match self.scan(start, 0) {
            Ok(found) => found,
            Err(e) => return e.into_error(&self.s).map_or(Ok(None), Err),
        };
        let end = self.skip_ws(end);
        if end != self.s.len() {
            return Err(decode_error("Extra data", &self.s, end));
        }
        Ok(Some(v))
    }

    fn at(&self, i: usize) -> Option<char> {
        self.s.at(i)
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_ws) {
            i += 1;
        }
        i
    }

    fn starts_with(&self, i: usize, word: &str) -> bool {
        (i..).zip(word.chars()).all(|(j, c)| self.at(j) == Some(c))
    }

    /// The value at `idx`, nested `depth` levels deep.
    fn scan(&self, idx: usize, depth: usize) -> Result<(B::Out, usize), Fail> {
        let Some(c) = self.at(idx) else { return Err(Fail::Stop(idx)) };
        let (v, end) = match c {
            '"' => {
                let (s, end) = self.scan_string(idx + 1)?;
                return Ok((self.b.string(s)?, end));
            }
            '{' => return self.scan_object(idx + 1, depth),
            '[' => return self.scan_array(idx + 1, depth),
            'n' if self.starts_with(idx, "null") => (Val::None, idx + 4),
            't' if self.starts_with(idx, "true") => (Val::Bool(true), idx + 4),
            'f' if self.starts_with(idx, "false") => (Val::Bool(false), idx + 5),
            'N' if self.starts_with(idx, "NaN") => (Val::Float(f64::NAN), idx + 3),
            'I' if self.starts_with(idx, "Infinity") => (Val::Float(f64::INFINITY), idx + 8),
            '-' if self.starts_with(idx, "-Infinity") => (Val::Float(f64::NEG_INFINITY), idx + 9),
            _ => self.scan_number(idx)?,
        };
        Ok((self.b.scalar(v)?, end))
    }

    fn digit(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_digit())
    }

    fn scan_number(&self, start: usize) -> Result<(Val<'a>, usize), Fail> {
        let mut idx = start;
        if self.at(idx) == Some('-') {
            idx += 1;
            if idx >= self.s.len() {
                return Err(Fail::Stop(start));
            }
        }
        match self.at(idx) {
            Some('1'..='9') => {
                idx += 1;
                while self.digit(idx) {
                    idx += 1;
                }
            }
            Some('0') => idx += 1,
            _ => return Err(Fail::Stop(start)),
        }
        let mut is_float = false;
        if self.at(idx) == Some('.') && self.digit(idx + 1) {
            is_float = true;
            idx += 2;
            while self.digit(idx) {
                idx += 1;
            }
        }
        if matches!(self.at(idx), Some('e' | 'E')) && idx + 1 < self.s.len() {
            let e_start = idx;
            idx += 1;
            if matches!(self.at(idx), Some('-' | '+')) && idx + 1 < self.s.len() {
                idx += 1;
            }
            while self.digit(idx) {
                idx += 1;
            }
            if idx > 0 && self.digit(idx - 1) {
                is_float = true;
            } else {
                idx = e_start;
            }
        }
        let mut text = String::new();
        self.s.push_run(&mut text, start, idx);
        let v = if is_float {
            Val::Float(text.parse::<f64>().unwrap_or(f64::NAN))
        } else {
            match text.parse::<i64>() {
                Ok(i) => Val::Int(i),
                // Beyond i64: the value model has no big ints.
                Err(_) => Val::Float(text.parse::<f64>().unwrap_or(f64::NAN)),
            }
        };
        Ok((v, idx))
    }

    /// Scans a string whose opening quote is at `end - 1`.
    fn scan_string(&self, mut end: usize) -> Result<(PyStr<'a>, usize), Fail> {
        let begin = end.saturating_sub(1);
        let len = self.s.len();
        let mut out = String::new();
        loop {
            let next = self.s.find_special(end);
            let c = self.at(next).unwrap_or('\0');
            if next < len && c != '"' && c != '\\' {
                return Err(Fail::Msg("Invalid control character at", next));
            }
            if !(c == '"' || c == '\\') || next >= len {
                return Err(Fail::Msg("Unterminated string starting at", begin));
            }
            if c == '"' && out.is_empty() {
                // No escape: the text is one run, lent or copied.
                if let Some(run) = self.s.lend(end, next) {
                    return Ok((PyStr::Ref(run), next + 1));
                }
                if let Some(run) = self.s.run(end, next) {
                    return Ok((PyStr::Owned(Rc::from(run)), next + 1));
                }
            }
            self.s.push_run(&mut out, end, next);
            let mut next = next + 1;
            if c == '"' {
                return Ok((PyStr::from(out), next));
            }
            if next == len {
                return Err(Fail::Msg("Unterminated string starting at", begin));
            }
            let esc = self.at(next).unwrap_or('\0');
            if esc != 'u' {
                end = next + 1;
                let decoded = match esc {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => return Err(Fail::Msg("Invalid \\escape", end - 2)),
                };
                out.push(decoded);
                continue;
            }
            next += 1;
            end = next + 4;
            if end >= len {
                return Err(Fail::Msg("Invalid \\uXXXX escape", next - 1));
            }
            let hi = self.hex4(next).ok_or(Fail::Msg("Invalid \\uXXXX escape", end - 5))?;
            let mut code = hi;
            if (0xd800..0xdc00).contains(&hi)
                && end + 6 < len
                && self.at(end) == Some('\\')
                && self.at(end + 1) == Some('u')
            {
                let lo = self.hex4(end + 2).ok_or(Fail::Msg("Invalid \\uXXXX escape", end + 1))?;
                if (0xdc00..0xe000).contains(&lo) {
                    code = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                    end += 6;
                }
            }
            // A lone surrogate cannot be stored in a Rust string.
            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let mut v = 0u32;
        for i in at..at + 4 {
            v = (v << 4) | self.at(i)?.to_digit(16)?;
        }
        Some(v)
    }

    fn scan_object(&self, start: usize, depth: usize) -> Result<(B::Out, usize), Fail> {
        if depth >= MAX_NESTING {
            return Err(Fail::Deep(false));
        }
        let mut idx = self.skip_ws(start);
        let mut entries = Vec::new();
        if self.at(idx) != Some('}') {
            loop {
                if self.at(idx) != Some('"') {
                    return Err(Fail::Msg("Expecting property name enclosed in double quotes", idx));
                }
                let (key, next) = self.scan_string(idx + 1)?;
                idx = self.skip_ws(next);
                if self.at(idx) != Some(':') {
                    return Err(Fail::Msg("Expecting ':' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
                let (v, next) = self.scan(idx, depth + 1)?;
                entries.push((key, v));
                idx = self.skip_ws(next);
                if self.at(idx) == Some('}') {
                    break;
                }
                if self.at(idx) != Some(',') {
                    return Err(Fail::Msg("Expecting ',' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        Ok((self.b.object(entries)?, idx + 1))
    }

    fn scan_array(&self, start: usize, depth: usize) -> Result<(B::Out, usize), Fail> {
        if depth >= MAX_NESTING {
            return Err(Fail::Deep(true));
        }
        let mut idx = self.skip_ws(start);
        let mut items = Vec::new();
        if self.at(idx) != Some(']') {
            loop {
                let (v, next) = self.scan(idx, depth + 1)?;
                items.push(v);
                idx = self.skip_ws(next);
                if self.at(idx) == Some(']') {
                    break;
                }
                if self.at(idx) != Some(',') {
                    return Err(Fail::Msg("Expecting ',' delimiter", idx));
                }
                idx = self.skip_ws(idx + 1);
            }
        }
        Ok((self.b.array(items)?, idx + 1))
    }
}

const DUMPS: Sig = Sig {
    name: "dumps",
    params: &["obj"],
    required: 1,
    varargs: false,
    kwonly: &[
        "skipkeys",
        "ensure_ascii",
        "check_circular",
        "allow_nan",
        "cls",
        "indent",
        "separators",
        "default",
        "sort_keys",
    ],
    varkw: true,
    method: false,
};

/// `json.dumps(obj, ...)`: `skipkeys`, `ensure_ascii`, `allow_nan`,
/// `indent`, `separators` and `sort_keys` are supported; `cls` and
/// `default` are not.
pub fn dumps<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&DUMPS, args, kwargs)?;
    if let Some((name, _)) = b.extra.first() {
        return Err(PolicyError::type_error(format!("JSONEncoder.__init__() got an unexpected keyword argument '{name}'")));
    }
    let flag = |i: usize, default: bool| b.kw(i).map_or(default, ops::truthy);
    if b.kw(4).is_some_and(|v| !ops::is_none(v)) || b.kw(7).is_some_and(|v| !ops::is_none(v)) {
        return Err(unsupported("json.dumps() with cls= or default="));
    }
    let indent = match b.kw(5) {
        None => None,
        Some(v) if ops::is_none(v) => None,
        // `' ' * indent`, as CPython builds it (so a size no machine holds
        // is a `MemoryError` there too).
        Some(Val::Int(n)) => {
            let text = ops::repeat(&Val::str(" "), &Val::Int(*n))?;
            Some(text.as_str().unwrap_or_default().to_owned())
        }
        Some(v) => match v.as_str() {
            Some(s) => Some(s.to_owned()),
            None => return Err(unsupported("json.dumps() indent that is not an int or a str")),
        },
    };
    let (item_sep, key_sep) = match b.kw(6) {
        Some(v) if !ops::is_none(v) => {
            let parts = ops::iter_vec(v)?;
            match parts.as_slice() {
                [a, b] => (ops::to_str(a), ops::to_str(b)),
                [] | [_] => {
                    return Err(value_error(format!("not enough values to unpack (expected 2, got {})", parts.len())))
                }
                _ => return Err(value_error(format!("too many values to unpack (expected 2, got {})", parts.len()))),
            }
        }
        _ => (if indent.is_some() { "," } else { ", " }.to_owned(), ": ".to_owned()),
    };
    let mut enc = Encoder {
        skipkeys: flag(0, false),
        ensure_ascii: flag(1, true),
        allow_nan: flag(3, true),
        sort_keys: flag(8, false),
        indent,
        item_sep,
        key_sep,
        out: String::new(),
        active: HashSet::new(),
    };
    let obj = b.get(0).cloned().unwrap_or(Val::None);
    enc.encode(&obj, 0)?;
    Ok(Val::string(enc.out))
}

/// `json.dumps(obj)` with the default options, for other natives.
pub fn dumps_default(v: &Val<'_>) -> PyResult<String> {
    let mut enc = Encoder {
        skipkeys: false,
        ensure_ascii: true,
        allow_nan: true,
        sort_keys: false,
        indent: None,
        item_sep: ", ".to_owned(),
        key_sep: ": ".to_owned(),
        out: String::new(),
        active: HashSet::new(),
    };
    enc.encode(v, 0)?;
    Ok(enc.out)
}

struct Encoder {
    skipkeys: bool,
    ensure_ascii: bool,
    allow_nan: bool,
    sort_keys: bool,
    indent: Option<String>,
    item_sep: String,
    key_sep: String,
    out: String,
    /// The containers being encoded, by address, to detect cycles.
    active: HashSet<usize>,
}

impl Encoder {
    fn float(&self, x: f64) -> PyResult<String> {
        if x.is_finite() {
            return Ok(ops::float_repr(x));
        }
        if !self.allow_nan {
            return Err(value_error("Out of range float values are not JSON compliant"));
        }
        Ok(if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        }
        .to_owned())
    }

    fn newline(&mut self, level: usize) {
        if let Some(ind) = &self.indent {
            self.out.push('\n');
            for _ in 0..level {
                self.out.push_str(ind);
            }
        }
    }

    fn enter(&mut self, v: &Val<'_>) -> PyResult<Option<usize>> {
        let addr = match v {
            Val::List(l) => Some(std::rc::Rc::as_ptr(l) as *const () as usize),
            Val::Dict(d) => Some(std::rc::Rc::as_ptr(d) as *const () as usize),
            _ => None,
        };
        if let Some(a) = addr {
            if !self.active.insert(a) {
                return Err(value_error("Circular reference detected"));
            }
        }
        Ok(addr)
    }

    fn encode(&mut self, v: &Val<'_>, level: usize) -> PyResult<()> {
        match v.kind() {
            Kind::None => self.out.push_str("null"),
            Kind::Bool => self.out.push_str(if ops::truthy(v) { "true" } else { "false" }),
            Kind::Int => self.out.push_str(&ops::repr(v)),
            Kind::Float => {
                let x = match v {
                    Val::Float(x) => *x,
                    other => ops::repr(other).parse().unwrap_or(f64::NAN),
                };
                let s = self.float(x)?;
                self.out.push_str(&s);
            }
            Kind::Str => {
                let s = encode_str(v.as_str().unwrap_or_default(), self.ensure_ascii);
                self.out.push_str(&s);
            }
            Kind::List | Kind::Tuple | Kind::Dict if level >= ops::MAX_NESTED => {
                // CPython's encoder enters a recursion level per container.
                let what = if self.indent.is_some() { "while calling a Python object" } else { "while encoding a JSON object" };
                return Err(PolicyError::new(ExcKind::Other("RecursionError"), format!("maximum recursion depth exceeded {what}")));
            }
            Kind::List | Kind::Tuple => {
                let items = ops::elements(v).unwrap_or_default();
                if items.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                let mark = self.enter(v)?;
                self.out.push('[');
                self.newline(level + 1);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        let sep = self.item_sep.clone();
                        self.out.push_str(&sep);
                        self.newline(level + 1);
                    }
                    self.encode(item, level + 1)?;
                }
                self.newline(level);
                self.out.push(']');
                if let Some(a) = mark {
                    self.active.remove(&a);
                }
            }
            Kind::Dict => {
                let mut items = ops::dict_items(v).unwrap_or_default();
                if items.is_empty() {
                    self.out.push_str("{}");
                    return Ok(());
                }
                let mark = self.enter(v)?;
                if self.sort_keys {
                    let pairs = Val::list(items.iter().map(|(k, x)| Val::tuple(vec![k.clone(), x.clone()])).collect());
                    let sorted = ops::sorted(&pairs, None, false)?;
                    items = ops::elements(&sorted)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|p| {
                            let kv = ops::elements(p)?;
                            Some((kv.first()?.clone(), kv.get(1)?.clone()))
                        })
                        .collect();
                }
                self.out.push('{');
                self.newline(level + 1);
                let mut first = true;
                for (k, x) in &items {
                    let key = match k.kind() {
                        Kind::Str => k.as_str().unwrap_or_default().to_owned(),
                        Kind::Bool => if ops::truthy(k) { "true" } else { "false" }.to_owned(),
                        Kind::Int => ops::repr(k),
                        Kind::Float => match k {
                            Val::Float(f) => self.float(*f)?,
                            other => ops::repr(other),
                        },
                        Kind::None => "null".to_owned(),
                        _ if self.skipkeys => continue,
                        _ => {
                            return Err(PolicyError::type_error(format!(
                                "keys must be str, int, float, bool or None, not {}",
                                short_type_name(k)
                            )))
                        }
                    };
                    if !first {
                        let sep = self.item_sep.clone();
                        self.out.push_str(&sep);
                        self.newline(level + 1);
                    }
                    first = false;
                    let key = encode_str(&key, self.ensure_ascii);
                    self.out.push_str(&key);
                    let sep = self.key_sep.clone();
                    self.out.push_str(&sep);
                    self.encode(x, level + 1)?;
                }
                self.newline(level);
                self.out.push('}');
                if let Some(a) = mark {
                    self.active.remove(&a);
                }
            }
            Kind::Set | Kind::Native => {
                return Err(PolicyError::type_error(format!(
                    "Object of type {} is not JSON serializable",
                    short_type_name(v)
                )))
            }
        }
        Ok(())
    }
}

/// A JSON string literal, as `json.dumps` writes it.
fn encode_str(s: &str, ensure_ascii: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) >= 0x7f) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::policy::DefaultContext;

    fn load(s: &str) -> String {
        let owned = match loads(&[Val::string(s.to_owned())], &[], &DefaultContext) {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        };
        // The same from resource text, whose strings the result borrows.
        let lent = match loads(&[Val::str(s)], &[], &DefaultContext) {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        };
        assert_eq!(owned, lent, "json.loads({s:?})");
        owned
    }

    fn dump(v: Val<'static>, kwargs: &[(&str, Val<'static>)]) -> String {
        match dumps(&[v], kwargs, &DefaultContext) {
            Ok(v) => ops::to_str(&v),
            Err(e) => e.to_string(),
        }
    }

    // Expected values from CPython 3.11 `json.loads`.
    #[test]
    fn loads_values() {
        assert_eq!(load(r#"{"a": [1, 2.5, null, true, "x\u00e9"], "a": -0}"#), "{'a': 0}");
        assert_eq!(load(r#" {"b": {}, "c": [], "d": "\ud83d\ude00"} "#), "{'b': {}, 'c': [], 'd': '😀'}");
        assert_eq!(load("1.5e3"), "1500.0");
        assert_eq!(load("-0.0"), "-0.0");
        assert_eq!(load("NaN"), "nan");
        assert_eq!(load("1E400"), "inf");
        assert_eq!(load("12345678901234567890"), "1.2345678901234567e+19");
    }

    /// The ASCII fast path, the borrowing path (strings lent from the
    /// text) and the character path agree on every truncation and
    /// single-character edit of a document.
    #[test]
    fn ascii_and_character_scanners_agree() {
        let doc = r#"{"a": [1, -2.5e3, null, true, false, "x\u00e9\n\"", {"b": "\ud83d\ude00"}], "c" : 01, "d": "\q"}"#;
        let show = |r: PyResult<Val<'static>>| match r {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        };
        let both = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            let lent = match Parser::new(Borrowed(text)).document() {
                Ok(v) => ops::repr(&v),
                Err(e) => e.to_string(),
            };
            let ascii = show(Parser::new(Ascii(text)).document());
            assert_eq!(lent, ascii, "borrowed, input {text:?}");
            (ascii, show(Parser::new(chars.as_slice()).document()))
        };
        let mut inputs: Vec<String> = (0..=doc.len()).filter_map(|i| doc.get(..i).map(str::to_owned)).collect();
        for i in 0..doc.len() {
            for c in ['"', '\\', '\n', '\u{1}', 'u', '0', ' ', ',', ']', '}'] {
                let (Some(head), Some(tail)) = (doc.get(..i), doc.get(i + 1..)) else { continue };
                inputs.push(format!("{head}{c}{tail}"));
            }
        }
        for input in &inputs {
            let (ascii, chars) = both(input);
            assert_eq!(ascii, chars, "input {input:?}");
        }
    }

    #[test]
    fn loads_errors_match_cpython() {
        let cases = [
            ("", "Expecting value: line 1 column 1 (char 0)"),
            (" ", "Expecting value: line 1 column 2 (char 1)"),
            ("{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
            (r#"{"a" 1}"#, "Expecting ':' delimiter: line 1 column 6 (char 5)"),
            (r#"{"a": 1,}"#, "Expecting property name enclosed in double quotes: line 1 column 9 (char 8)"),
            ("[1,]", "Expecting value: line 1 column 4 (char 3)"),
            ("[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"),
            ("\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"),
            ("\"a\\x\"", "Invalid \\escape: line 1 column 3 (char 2)"),
            ("\"a\\u12\"", "Invalid \\uXXXX escape: line 1 column 4 (char 3)"),
            ("\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"),
            ("1.", "Extra data: line 1 column 2 (char 1)"),
            ("01", "Extra data: line 1 column 2 (char 1)"),
            ("-", "Expecting value: line 1 column 1 (char 0)"),
            ("1e", "Extra data: line 1 column 2 (char 1)"),
            ("\n\n  x", "Expecting value: line 3 column 3 (char 4)"),
            ("tru", "Expecting value: line 1 column 1 (char 0)"),
            ("{\"a\":1", "Expecting ',' delimiter: line 1 column 7 (char 6)"),
            ("\u{feff}1", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"),
        ];
        for (input, msg) in cases {
            assert_eq!(load(input), format!("JSONDecodeError: {msg}"), "input {input:?}");
        }
        let e = loads(&[Val::None], &[], &DefaultContext).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: the JSON object must be str, bytes or bytearray, not NoneType");
        let e = loads(&[], &[], &DefaultContext).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: loads() missing 1 required positional argument: 's'");
        let e = loads(&[Val::str("1")], &[("foo", Val::Int(2))], &DefaultContext).unwrap_err();
        assert_eq!(e.to_string(), "TypeError: JSONDecoder.__init__() got an unexpected keyword argument 'foo'");
    }

    /// `loads_json_object` (the one-pass `Policy(json.loads(s))`) gives
    /// what `to_json(json.loads(s))` gives whenever it answers, answers
    /// for every object `to_json` accepts, and raises what `json.loads`
    /// raises, on the truncations and one-character edits of documents
    /// with repeated keys, non-ASCII text, escapes and special floats.
    #[test]
    fn one_pass_policy_documents_equal_loads_then_to_json() {
        let docs = [
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", 1, 2.5, -0, null, true], "Principal": {"AWS": "*"}}], "Statement": {"x\u00e9": "\ud83d\ude00"}}"#,
            r#"{"a": NaN, "a": 1, "b": [Infinity], "c": 12345678901234567890, "d": "é\n"}"#,
            r#"[{"a": 1}]"#,
        ];
        let mut inputs: Vec<String> = Vec::new();
        for doc in docs {
            inputs.extend((0..=doc.len()).filter_map(|i| doc.get(..i).map(str::to_owned)));
            for (i, _) in doc.char_indices() {
                for c in ['"', '\\', '{', '[', ']', '}', ',', '1', 'N'] {
                    let (Some(head), Some(tail)) = (doc.get(..i), doc.get(i..).and_then(|t| t.get(t.chars().next().map_or(0, char::len_utf8)..))) else { continue };
                    inputs.push(format!("{head}{c}{tail}"));
                }
            }
        }
        let mut answered = 0;
        for input in &inputs {
            let general = parse(input).map(|v| crate::iam::to_json(&v).ok().filter(serde_json::Value::is_object));
            match (loads_json_object(input), general) {
                (Ok(Some(one)), Ok(Some(two))) => {
                    answered += 1;
                    assert_eq!(one, two, "input {input:?}");
                    // Key order too (the IAM model keeps it).
                    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap(), "input {input:?}");
                }
                // The general path answers (a bail may come before a
                // syntax error later in the text: the general path raises
                // it).
                (Ok(None), _) => {}
                (Ok(one), Ok(None)) => assert!(one.is_none(), "input {input:?}: answered where to_json refuses"),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "input {input:?}"),
                (a, b) => panic!("input {input:?}: {a:?} vs {b:?}"),
            }
        }
        assert!(answered > 100, "only {answered} documents took the one-pass path");
        // Not objects, special floats, a BOM: the general path.
        for input in ["[1]", "\"x\"", "{\"a\": NaN}", "{\"a\": [-Infinity]}", "\u{feff}{}"] {
            assert!(matches!(loads_json_object(input), Ok(None)), "input {input:?}");
        }
    }

    /// Nesting beyond `MAX_NESTING` raises CPython's `RecursionError`
    /// instead of exhausting the stack (a resource field can hold any
    /// text).
    #[test]
    fn deep_nesting_raises_recursion_error() {
        let ok = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
        for (open, close, what) in [("[", "]", "array"), ("{\"a\": ", "}", "object")] {
            let deep = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
            let e = parse(&deep).unwrap_err();
            assert_eq!(e.to_string(), format!("RecursionError: maximum recursion depth exceeded while decoding a JSON {what} from a unicode string"));
            assert_eq!(loads_json_object(&deep).unwrap_err().to_string(), e.to_string());
        }
        // Where the first syntax error comes before the limit, it wins.
        let early = format!("[1 2{}", "[".repeat(100_000));
        assert!(parse(&early).unwrap_err().to_string().starts_with("JSONDecodeError: Expecting ',' delimiter"));
    }

    /// The word-at-a-time scan finds what the byte-by-byte one finds, for
    /// every special byte at every position of texts around a word long.
    #[test]
    fn special_byte_scan_is_the_plain_scan() {
        let plain = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c <= 0x1f).unwrap_or(b.len());
        for len in 0..20 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f, 0x0a] {
                    for filler in [b'a', b' ', 0x20, 0x7f, b'!', b'#', b'[', b']'] {
                        let mut text = vec![filler; len];
                        if let Some(slot) = text.get_mut(at) {
                            *slot = special;
                        }
                        assert_eq!(find_special_byte(&text), plain(&text), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn dumps_matches_cpython() {
        let v = parse(r#"{"a": [1, 2.5, null, true, "x\u00e9\n\u007f\ud83d\ude00"], "b": {}, "c": 1e20}"#).unwrap();
        assert_eq!(dump(v.clone(), &[]), r#"{"a": [1, 2.5, null, true, "x\u00e9\n\u007f\ud83d\ude00"], "b": {}, "c": 1e+20}"#);
        let sorted = parse(r#"{"b": 1, "a": [1, {}]}"#).unwrap();
        assert_eq!(dump(sorted, &[("sort_keys", Val::Bool(true)), ("indent", Val::Int(2))]), "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": 1\n}");
        let keys = ops::make_dict(vec![(Val::Int(1), Val::Int(2)), (Val::None, Val::Int(3)), (Val::Float(2.5), Val::Int(5))]).unwrap();
        assert_eq!(dump(keys, &[]), r#"{"1": 2, "null": 3, "2.5": 5}"#);
        let set = ops::make_set(vec![Val::Int(1)]).unwrap();
        assert_eq!(dump(set, &[]), "TypeError: Object of type set is not JSON serializable");
        let bad = ops::make_dict(vec![(Val::tuple(vec![Val::Int(1)]), Val::Int(3))]).unwrap();
        assert_eq!(dump(bad, &[]), "TypeError: keys must be str, int, float, bool or None, not tuple");
        let cyc = Val::list(vec![]);
        ops::call_method(&cyc, "append", std::slice::from_ref(&cyc)).unwrap();
        assert_eq!(dump(cyc.clone(), &[]), "ValueError: Circular reference detected");
        if let Val::List(l) = &cyc {
            l.borrow_mut().clear(); // break the cycle so the test does not leak
        }
        assert_eq!(dump(Val::Float(f64::NAN), &[("allow_nan", Val::Bool(false))]), "ValueError: Out of range float values are not JSON compliant");
        // Nesting beyond `ops::MAX_NESTED` raises as CPython's encoder does
        // beyond its recursion limit (message by `indent`, as there).
        let deep = (0..100_000).fold(Val::list(vec![]), |inner, _| Val::list(vec![inner]));
        assert_eq!(dump(deep.clone(), &[]), "RecursionError: maximum recursion depth exceeded while encoding a JSON object");
        assert_eq!(dump(deep, &[("indent", Val::Int(2))]), "RecursionError: maximum recursion depth exceeded while calling a Python object");
        assert_eq!(dump(Val::list(vec![Val::Int(1)]), &[("indent", Val::Int(1 << 40))]), "MemoryError: ");
        let shallow = (0..50).fold(Val::list(vec![]), |inner, _| Val::list(vec![inner]));
        assert_eq!(dump(shallow, &[]), format!("{}{}", "[".repeat(51), "]".repeat(51)));
    }
}
