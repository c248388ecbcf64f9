//! Stage 2: parse the policy's Python file with a real Python parser.

use rustpython_parser::{ast, Parse};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};

/// Parses `file` as a Python module.
pub fn parse(file: &SourceFile) -> Result<ast::Suite, Diagnostic> {
    ast::Suite::parse(&file.text, &file.path).map_err(|e| {
        let offset = usize::from(e.offset);
        Diagnostic::new(Code::PythonSyntax, format!("invalid Python: {}", python_message(&e.error.to_string())))
            .at(file, offset..offset)
            .with_label("here")
    })
}

/// rustpython's message in our style: lowercase, no final period, tokens in
/// backticks ("invalid syntax. Got unexpected token Newline" becomes
/// "invalid syntax: unexpected token `Newline`").
fn python_message(raw: &str) -> String {
    let msg = raw.replace(". Got unexpected token ", ": unexpected token ").replace(". Got unexpected EOF", ": unexpected end of file");
    let msg = match msg.find("unexpected token ") {
        Some(i) => {
            let (head, token) = msg.split_at(i + "unexpected token ".len());
            format!("{head}`{}`", token.trim_end_matches('.'))
        }
        None => msg,
    };
    let mut out = msg.trim_end_matches('.').to_owned();
    if let Some(first) = out.get(..1) {
        out = first.to_lowercase() + out.get(1..).unwrap_or_default();
    }
    out
}
