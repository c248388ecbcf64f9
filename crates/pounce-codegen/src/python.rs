//! Stage 2: parse the policy's Python file with a real Python parser.

use rustpython_parser::{ast, Parse};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};

/// Parses `file` as a Python module.
pub fn parse(file: &SourceFile) -> Result<ast::Suite, Diagnostic> {
    ast::Suite::parse(&file.text, &file.path).map_err(|e| {
        let offset = usize::from(e.offset);
        Diagnostic::new(Code::PythonSyntax, format!("invalid Python: {}", e.error))
            .at(file, offset..offset)
            .with_label("here")
    })
}
