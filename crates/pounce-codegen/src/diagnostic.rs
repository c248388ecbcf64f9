//! Diagnostics: a code, a message, and a place in a file.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::codes::Code;

/// A source file a diagnostic points into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to users.
    pub path: String,
    /// The file's text.
    pub text: Arc<str>,
}

impl SourceFile {
    /// A new source file.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile { path: path.into(), text: text.into() }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = self.text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        (line, col)
    }
}

/// A problem found while compiling a policy.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// What is wrong: lowercase, no final period, user input in backticks.
    pub message: String,
    /// The file, if the problem has one.
    pub file: Option<SourceFile>,
    /// The byte range in `file`.
    pub span: Range<usize>,
    /// The label under the span.
    pub label: Option<String>,
    /// Extra help ("did you mean `Public`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with no location.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { code, message: message.into(), file: None, span: 0..0, label: None, help: None }
    }

    /// Points the diagnostic at `span` of `file`.
    #[must_use]
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        self.file = Some(file.clone());
        self.span = span;
        self
    }

    /// Adds a label to the span.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean `x`?" when a candidate is close to `input`.
    #[must_use]
    pub fn suggest<'c>(self, input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Self {
        match did_you_mean(input, candidates) {
            Some(best) => self.with_help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// `path:line:col`, or `path` when there is no span, or `None`.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        let (line, col) = file.line_col(self.span.start);
        Some(format!("{}:{line}:{col}", file.path))
    }

    /// The one-line form: `E0401 path:line:col: message (help)`.
    pub fn one_line(&self) -> String {
        let mut out = format!("{}", self.code);
        if let Some(loc) = self.location() {
            out.push(' ');
            out.push_str(&loc);
        }
        out.push_str(": ");
        out.push_str(&self.message);
        if let Some(help) = &self.help {
            out.push_str(" (");
            out.push_str(help);
            out.push(')');
        }
        out
    }

    /// The full report, with the source excerpt, without colours.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100);
        if handler.render_report(&mut out, self).is_err() {
            return self.one_line();
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.file.as_ref().map(|f| f as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.file.as_ref()?;
        let span = miette::SourceSpan::from(self.span.start..self.span.end.max(self.span.start));
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_with_span(self.label.clone(), span))))
    }
}

impl miette::SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_ref().read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.path.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

pub use pounce_runtime::suggest::did_you_mean;
