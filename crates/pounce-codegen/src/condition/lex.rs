//! Tokens of the condition language: Python's, plus `?`, with Python's
//! rules for newlines (ignored inside brackets) and indentation.

use super::ParseError;
use crate::ir::Conversion;

/// A token.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name or keyword.
    Name(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string literal (escapes resolved).
    Str(String),
    /// An f-string.
    FStr(Vec<RawPart>),
    /// An operator or delimiter.
    Op(&'static str),
    /// The end of a logical line.
    Newline,
    /// More indentation than the previous line.
    Indent,
    /// Less indentation.
    Dedent,
    /// The end of the text.
    Eof,
}

/// A piece of an f-string, before its expressions are parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum RawPart {
    /// Text.
    Lit(String),
    /// The source of `{expr}`, its byte offset, and its conversion.
    Expr(String, usize, Conversion),
}

/// A token and its byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Where it starts.
    pub at: usize,
}

const OPS: &[&str] = &[
    "//=", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "<", ">",
    "+", "-", "*", "/", "%", "&", "|", "^", "?",
];

/// Splits `text` into tokens; `base` is added to every offset (for the
/// expressions of f-strings).
pub fn lex(text: &str, base: usize) -> Result<Vec<Token>, ParseError> {
    let mut lx = Lexer { text, pos: 0, base, out: Vec::new(), depth: 0, indents: vec![0], line_start: true };
    lx.run()?;
    Ok(lx.out)
}

struct Lexer<'t> {
    text: &'t str,
    pos: usize,
    base: usize,
    out: Vec<Token>,
    depth: usize,
    indents: Vec<usize>,
    line_start: bool,
}

impl Lexer<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> ParseError {
        ParseError { at: self.base + at, message: message.into() }
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().nth(n))
    }

    fn push(&mut self, tok: Tok, at: usize) {
        self.out.push(Token { tok, at: self.base + at });
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            if self.line_start && self.depth == 0 {
                self.line_start = false;
                // Measure the indentation of a line that has tokens.
                let mut width = 0;
                let mut p = self.pos;
                let bytes = self.text.as_bytes();
                while let Some(&b) = bytes.get(p) {
                    match b {
                        b' ' => width += 1,
                        b'\t' => width += 8 - width % 8,
                        _ => break,
                    }
                    p += 1;
                }
                let rest = self.text.get(p..).unwrap_or_default();
                let blank = rest.is_empty() || rest.starts_with('\n') || rest.starts_with('#') || rest.starts_with("\r\n");
                self.pos = p;
                if !blank {
                    let current = self.indents.last().copied().unwrap_or(0);
                    if width > current {
                        self.indents.push(width);
                        self.push(Tok::Indent, p);
                    } else {
                        while width < self.indents.last().copied().unwrap_or(0) {
                            self.indents.pop();
                            self.push(Tok::Dedent, p);
                        }
                        if width != self.indents.last().copied().unwrap_or(0) {
                            return Err(self.err(p, "inconsistent indentation"));
                        }
                    }
                }
            }
            let Some(c) = self.peek() else { break };
            let start = self.pos;
            match c {
                '\n' => {
                    self.pos += 1;
                    if self.depth == 0 {
                        if self.out.last().is_some_and(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent)) {
                            self.push(Tok::Newline, start);
                        }
                        self.line_start = true;
                    }
                }
                ' ' | '\t' | '\r' => self.pos += 1,
                '#' => {
                    while let Some(ch) = self.peek() {
                        if ch == '\n' {
                            break;
                        }
                        self.pos += ch.len_utf8();
                    }
                }
                '\\' if self.peek_at(1) == Some('\n') => self.pos += 2,
                'f' if matches!(self.peek_at(1), Some('"' | '\'')) => {
                    self.pos += 1;
                    let parts = self.fstring()?;
                    self.push(Tok::FStr(parts), start);
                }
                '"' | '\'' => {
                    let s = self.string()?;
                    self.push(Tok::Str(s), start);
                }
                c if c.is_ascii_digit() || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) => {
                    let tok = self.number()?;
                    self.push(tok, start);
                }
                c if c.is_alphabetic() || c == '_' => {
                    while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        self.pos += self.peek().map_or(1, char::len_utf8);
                    }
                    let name = self.text.get(start..self.pos).unwrap_or_default().to_owned();
                    self.push(Tok::Name(name), start);
                }
                _ => {
                    let rest = self.text.get(self.pos..).unwrap_or_default();
                    let Some(op) = OPS.iter().copied().find(|op| rest.starts_with(op)) else {
                        return Err(self.err(start, format!("unexpected character `{c}`")));
                    };
                    match op {
                        "(" | "[" | "{" => self.depth += 1,
                        ")" | "]" | "}" => self.depth = self.depth.saturating_sub(1),
                        _ => {}
                    }
                    self.pos += op.len();
                    self.push(Tok::Op(op), start);
                }
            }
        }
        let end = self.text.len();
        if self.out.last().is_some_and(|t| !matches!(t.tok, Tok::Newline | Tok::Indent | Tok::Dedent)) {
            self.push(Tok::Newline, end);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(Tok::Dedent, end);
        }
        self.push(Tok::Eof, end);
        Ok(())
    }

    fn number(&mut self) -> Result<Tok, ParseError> {
        let start = self.pos;
        let mut is_float = false;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || c == '_' {
                self.pos += 1;
            } else if c == '.' && !is_float {
                is_float = true;
                self.pos += 1;
            } else if c == 'e' || c == 'E' {
                is_float = true;
                self.pos += 1;
                if matches!(self.peek(), Some('+' | '-')) {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
        let text: String = self.text.get(start..self.pos).unwrap_or_default().chars().filter(|c| *c != '_').collect();
        if is_float {
            text.parse::<f64>().map(Tok::Float).map_err(|_| self.err(start, format!("invalid number `{text}`")))
        } else {
            text.parse::<i64>().map(Tok::Int).map_err(|_| self.err(start, format!("integer `{text}` does not fit in 64 bits")))
        }
    }

    /// A quoted string starting at `self.pos`.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        let quote = self.peek().unwrap_or('"');
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(self.err(start, "unterminated string")) };
            self.pos += c.len_utf8();
            match c {
                c if c == quote => return Ok(out),
                '\n' => return Err(self.err(start, "unterminated string")),
                '\\' => out.push(self.escape(start)?),
                c => out.push(c),
            }
        }
    }

    fn escape(&mut self, start: usize) -> Result<char, ParseError> {
        let Some(e) = self.peek() else { return Err(self.err(start, "unterminated string")) };
        self.pos += e.len_utf8();
        let hex = |lx: &mut Self, n: usize| -> Result<char, ParseError> {
            let digits = lx.text.get(lx.pos..lx.pos + n).ok_or_else(|| lx.err(start, "truncated escape"))?;
            lx.pos += n;
            u32::from_str_radix(digits, 16).ok().and_then(char::from_u32).ok_or_else(|| lx.err(start, format!("invalid escape `{digits}`")))
        };
        Ok(match e {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            '\\' | '"' | '\'' => e,
            'x' => hex(self, 2)?,
            'u' => hex(self, 4)?,
            'U' => hex(self, 8)?,
            other => return Err(self.err(self.pos - 1, format!("unknown escape `\\{other}`"))),
        })
    }

    /// An f-string after its `f`: literal text and the sources of its
    /// `{expressions}` (brackets and strings inside them are skipped over).
    fn fstring(&mut self) -> Result<Vec<RawPart>, ParseError> {
        let start = self.pos;
        let quote = self.peek().unwrap_or('"');
        self.pos += 1;
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else { return Err(self.err(start, "unterminated f-string")) };
            self.pos += c.len_utf8();
            match c {
                c if c == quote => break,
                '\n' => return Err(self.err(start, "unterminated f-string")),
                '\\' => text.push(self.escape(start)?),
                '{' if self.peek() == Some('{') => {
                    self.pos += 1;
                    text.push('{');
                }
                '}' if self.peek() == Some('}') => {
                    self.pos += 1;
                    text.push('}');
                }
                '}' => return Err(self.err(self.pos - 1, "single `}` in an f-string")),
                '{' => {
                    if !text.is_empty() {
                        parts.push(RawPart::Lit(std::mem::take(&mut text)));
                    }
                    let expr_start = self.pos;
                    let mut depth = 0usize;
                    loop {
                        let Some(d) = self.peek() else { return Err(self.err(start, "unterminated f-string")) };
                        match d {
                            '"' | '\'' => {
                                self.string()?;
                                continue;
                            }
                            '(' | '[' | '{' => depth += 1,
                            ')' | ']' => depth = depth.saturating_sub(1),
                            '}' if depth == 0 => break,
                            '}' => depth -= 1,
                            '\n' => return Err(self.err(start, "unterminated f-string")),
                            _ => {}
                        }
                        self.pos += d.len_utf8();
                    }
                    let src = self.text.get(expr_start..self.pos).unwrap_or_default();
                    self.pos += 1; // `}`
                    let (src, conv) = if let Some(s) = src.strip_suffix("!r") {
                        (s, Conversion::Repr)
                    } else if let Some(s) = src.strip_suffix("!s") {
                        (s, Conversion::Str)
                    } else {
                        (src, Conversion::Str)
                    };
                    let lead = src.len() - src.trim_start().len();
                    parts.push(RawPart::Expr(src.trim().to_owned(), self.base + expr_start + lead, conv));
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(RawPart::Lit(text));
        }
        Ok(parts)
    }
}
