//! Panther's auxiliary functions (`title`, `dedup`, `severity`, …) and
//! their contracts: types, truncation, defaults.

use std::fmt;

use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops;
use crate::policy::PolicyMeta;
use crate::value::{Kind, Val};

/// An auxiliary function, in the order Panther's tool prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuxFn {
    /// `title`.
    Title,
    /// `dedup` (falls back to the title, then `defaultDedupString:<ID>`).
    Dedup,
    /// `alert_context`.
    AlertContext,
    /// `description`.
    Description,
    /// `reference`.
    Reference,
    /// `severity`.
    Severity,
    /// `runbook`.
    Runbook,
    /// `destinations`.
    Destinations,
}

impl AuxFn {
    /// Every auxiliary function, in print order.
    pub const ALL: [AuxFn; 8] = [
        AuxFn::Title,
        AuxFn::Dedup,
        AuxFn::AlertContext,
        AuxFn::Description,
        AuxFn::Reference,
        AuxFn::Severity,
        AuxFn::Runbook,
        AuxFn::Destinations,
    ];

    /// The Python function name.
    pub fn python_name(self) -> &'static str {
        match self {
            AuxFn::Title => "title",
            AuxFn::Dedup => "dedup",
            AuxFn::AlertContext => "alert_context",
            AuxFn::Description => "description",
            AuxFn::Reference => "reference",
            AuxFn::Severity => "severity",
            AuxFn::Runbook => "runbook",
            AuxFn::Destinations => "destinations",
        }
    }

    /// The name Panther's test output shows (`alertContext`).
    pub fn display_name(self) -> &'static str {
        match self {
            AuxFn::AlertContext => "alertContext",
            other => other.python_name(),
        }
    }

    /// The function called `name`, if it is auxiliary.
    pub fn from_python_name(name: &str) -> Option<AuxFn> {
        AuxFn::ALL.into_iter().find(|f| f.python_name() == name)
    }
}

impl fmt::Display for AuxFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

/// The result of a policy and, when it alerts, its auxiliary functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// What `policy()` returned or raised.
    pub result: Result<bool, PolicyError>,
    /// The auxiliary outputs, in print order (only when `result` is
    /// `Ok(false)`): the rendered value or the exception.
    pub aux: Vec<(AuxFn, Result<String, PolicyError>)>,
}

impl Detection {
    /// A detection whose module setup or policy raised.
    pub fn raised(e: PolicyError) -> Self {
        Detection { result: Err(e), aux: Vec::new() }
    }

    /// The output of `f`, if it ran and succeeded.
    pub fn output(&self, f: AuxFn) -> Option<&str> {
        self.aux.iter().find(|(g, _)| *g == f).and_then(|(_, r)| r.as_ref().ok()).map(String::as_str)
    }
}

/// Maximum length of string outputs, as Panther's engine enforces it.
pub const MAX_STRING: usize = 1000;
const TRUNCATED: &str = "... (truncated)";
/// Maximum size of `alert_context` output.
pub const MAX_CONTEXT: usize = 200 * 1024;

fn type_error(meta: &PolicyMeta, f: AuxFn, v: &Val<'_>, expected: &str) -> PolicyError {
    PolicyError::new(
        ExcKind::FunctionReturnTypeError,
        format!(
            "detection [{}] function [{}] returned [{}], expected [{expected}]",
            meta.id,
            f.python_name(),
            v.type_name()
        ),
    )
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_STRING {
        return s.to_owned();
    }
    let keep = MAX_STRING - TRUNCATED.len();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(TRUNCATED);
    out
}

/// Renders the value of auxiliary function `f` by Panther's contract.
pub fn render(meta: &PolicyMeta, f: AuxFn, v: &Val<'_>) -> PyResult<String> {
    match f {
        AuxFn::Title | AuxFn::Dedup | AuxFn::Description | AuxFn::Reference | AuxFn::Runbook => match v.as_str() {
            Some(s) => Ok(truncate(s)),
            None => Err(type_error(meta, f, v, "str")),
        },
        AuxFn::Severity => {
            let Some(s) = v.as_str() else { return Err(type_error(meta, f, v, "str")) };
            let upper = s.to_uppercase();
            match upper.as_str() {
                "INFO" | "LOW" | "MEDIUM" | "HIGH" | "CRITICAL" => Ok(upper),
                "DEFAULT" => Ok(meta.severity.as_str().to_uppercase()),
                _ => Err(PolicyError::new(
                    ExcKind::Other("FunctionReturnTypeError"),
                    format!(
                        "detection [{}] function [severity] returned [{s}], expected one of INFO, LOW, MEDIUM, HIGH, CRITICAL or DEFAULT",
                        meta.id
                    ),
                )),
            }
        }
        AuxFn::AlertContext => {
            if v.kind() != Kind::Dict {
                return Err(type_error(meta, f, v, "Mapping"));
            }
            let text = json_dumps(v)?;
            if text.len() > MAX_CONTEXT {
                return Ok(format!(
                    "{{\"_error\": \"alert_context size is {} characters, bigger than maximum of {} KB\"}}",
                    text.len(),
                    MAX_CONTEXT / 1024
                ));
            }
            Ok(text)
        }
        AuxFn::Destinations => {
            let Some(items) = ops::elements(v).filter(|_| v.kind() == Kind::List) else {
                return Err(type_error(meta, f, v, "list"));
            };
            if let Some(bad) = items.iter().find(|x| x.as_str().is_none()) {
                return Err(type_error(meta, f, bad, "str"));
            }
            Ok(ops::repr(v))
        }
    }
}

/// Runs the auxiliary functions a policy defines (`defined`), in print
/// order, with Panther's dedup fallback: the title, then
/// `defaultDedupString:<ID>`.
pub fn collect<'a>(
    meta: &PolicyMeta,
    defined: &[(AuxFn, &dyn Fn() -> PyResult<Val<'a>>)],
) -> Vec<(AuxFn, Result<String, PolicyError>)> {
    let mut out: Vec<(AuxFn, Result<String, PolicyError>)> = Vec::new();
    for f in AuxFn::ALL {
        match defined.iter().find(|(g, _)| *g == f) {
            Some((_, run)) => out.push((f, run().and_then(|v| render(meta, f, &v)))),
            None if f == AuxFn::Dedup => {
                let title = out.iter().find(|(g, _)| *g == AuxFn::Title).and_then(|(_, r)| r.as_ref().ok()).filter(|t| !t.is_empty());
                let dedup = match title {
                    Some(t) => t.clone(),
                    None => format!("defaultDedupString:{}", meta.id),
                };
                out.push((f, Ok(dedup)));
            }
            None => {}
        }
    }
    out
}

/// `json.dumps(v)` with Python's default separators and `ensure_ascii`.
pub fn json_dumps(v: &Val<'_>) -> PyResult<String> {
    let mut out = String::new();
    dump(v, &mut out)?;
    Ok(out)
}

fn dump(v: &Val<'_>, out: &mut String) -> PyResult<()> {
    match v.kind() {
        Kind::None => out.push_str("null"),
        Kind::Bool => out.push_str(if ops::truthy(v) { "true" } else { "false" }),
        Kind::Int => out.push_str(&ops::repr(v)),
        Kind::Float => {
            let r = ops::repr(v);
            out.push_str(match r.as_str() {
                "inf" => "Infinity",
                "-inf" => "-Infinity",
                "nan" => "NaN",
                other => other,
            });
        }
        Kind::Str => dump_str(v.as_str().unwrap_or_default(), out),
        Kind::List | Kind::Tuple => {
            out.push('[');
            for (i, x) in ops::elements(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(x, out)?;
            }
            out.push(']');
        }
        Kind::Dict => {
            out.push('{');
            for (i, (k, x)) in ops::dict_items(v).unwrap_or_default().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let key = match k.kind() {
                    Kind::Str => k.as_str().unwrap_or_default().to_owned(),
                    Kind::None => "null".to_owned(),
                    Kind::Bool => if ops::truthy(k) { "true" } else { "false" }.to_owned(),
                    Kind::Int | Kind::Float => ops::repr(k),
                    _ => {
                        return Err(PolicyError::type_error(format!(
                            "keys must be str, int, float, bool or None, not {}",
                            k.type_name()
                        )))
                    }
                };
                dump_str(&key, out);
                out.push_str(": ");
                dump(x, out)?;
            }
            out.push('}');
        }
        Kind::Set | Kind::Native => {
            return Err(PolicyError::type_error(format!(
                "Object of type {} is not JSON serializable",
                v.type_name()
            )))
        }
    }
    Ok(())
}

fn dump_str(s: &str, out: &mut String) {
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
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
