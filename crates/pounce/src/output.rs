//! Findings as JSON Lines, SARIF 2.1.0 or a table; written as they come,
//! so memory does not grow with the input.

use std::io::{self, Write};

use pounce_runtime::registry::{Evaluation, InvalidResource, Record, Status};
use pounce_runtime::{AuxFn, EvalError, Policy};
use serde_json::{json, Map, Value};

/// The output format of `pounce scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per finding (alert, error, invalid record).
    Jsonl,
    /// One SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
    /// An aligned table, for people.
    Table,
    /// Nothing: only the summary (auxiliary functions are not run).
    None,
}

/// Where one record came from.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    /// The input's name (a path, or `stdin`).
    pub source: &'a str,
    /// The line the record starts on.
    pub line: u64,
}

/// Writes findings in one format.
pub trait Findings {
    /// The evaluations of one resource (`passes`: also those that passed).
    fn record(&mut self, at: Location<'_>, record: &Record, evaluations: &[Evaluation], passes: bool)
        -> io::Result<()>;
    /// A record that is not a JSON resource.
    fn invalid(&mut self, at: Location<'_>, invalid: &InvalidResource) -> io::Result<()>;
    /// Lines [`render_record`] or [`render_invalid`] rendered elsewhere.
    fn rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        let _ = bytes;
        Ok(())
    }
    /// Ends the output (`ok`: no errors were found).
    fn finish(&mut self, ok: bool) -> io::Result<()>;
}

/// The writer for `format`.
pub fn writer<'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    policies: &[&'static Policy],
) -> io::Result<Box<dyn Findings + 'w>> {
    Ok(match format {
        Format::Jsonl => Box::new(Lines { out, format, buf: Vec::new() }),
        Format::Table => {
            let mut out = out;
            let mut header = Vec::new();
            table_row(&mut header, TABLE_HEADER)?;
            out.write_all(&header)?;
            Box::new(Lines { out, format, buf: Vec::new() })
        }
        Format::Sarif => Box::new(Sarif::start(out, policies)?),
        Format::None => Box::new(Nothing { out }),
    })
}

/// The severity a finding reports: the `severity()` auxiliary function's
/// answer when it gave one, else the spec's.
pub fn severity(e: &Evaluation) -> &'static str {
    match e.output(AuxFn::Severity) {
        Some("INFO") => "Info",
        Some("LOW") => "Low",
        Some("MEDIUM") => "Medium",
        Some("HIGH") => "High",
        Some("CRITICAL") => "Critical",
        _ => e.policy.meta.severity.as_str(),
    }
}

/// The text of an evaluation error (`KeyError: 'Public'`).
pub fn error_text(e: &EvalError) -> String {
    e.to_string()
}

/// The JSON of one finding.
pub fn finding_json(at: Location<'_>, record: &Record, e: &Evaluation) -> Value {
    let mut m = Map::new();
    m.insert("source".into(), json!(at.source));
    m.insert("line".into(), json!(at.line));
    m.insert("policy_id".into(), json!(e.policy.meta.id));
    m.insert("severity".into(), json!(severity(e)));
    m.insert("resource_type".into(), json!(record.resource_type));
    m.insert("resource_id".into(), json!(record.resource_id));
    m.insert("result".into(), json!(e.status().as_str()));
    if let Err(err) = &e.result {
        m.insert("error".into(), json!(error_text(err)));
    }
    let mut aux_errors = Map::new();
    for (f, out) in &e.aux {
        match out {
            // Already the `severity` field, spelled as the spec's.
            Ok(_) if *f == AuxFn::Severity => {}
            Ok(text) if *f == AuxFn::AlertContext => {
                // Python's `json.dumps` output; kept as JSON when it is.
                let v = serde_json::from_str::<Value>(text).unwrap_or_else(|_| json!(text));
                m.insert(f.python_name().into(), v);
            }
            Ok(text) if *f == AuxFn::Destinations => {
                m.insert(f.python_name().into(), json!(text));
            }
            Ok(text) => {
                m.insert(f.python_name().into(), json!(text));
            }
            Err(err) => {
                aux_errors.insert(f.python_name().into(), json!(err.to_string()));
            }
        }
    }
    if !aux_errors.is_empty() {
        m.insert("aux_errors".into(), Value::Object(aux_errors));
    }
    Value::Object(m)
}

/// Renders the lines of one record for the line-based formats (JSON Lines,
/// table) into `buf`, so that the workers do it in parallel; `false` for
/// the formats the writer renders itself.
pub fn render_record(
    format: Format,
    at: Location<'_>,
    record: &Record,
    evaluations: &[Evaluation],
    passes: bool,
    buf: &mut Vec<u8>,
) -> io::Result<bool> {
    let shown = evaluations.iter().filter(|e| passes || e.status() != Status::Pass);
    match format {
        Format::Jsonl => {
            for e in shown {
                serde_json::to_writer(&mut *buf, &finding_json(at, record, e))?;
                buf.push(b'\n');
            }
        }
        Format::Table => {
            let place = format!("{}:{}", at.source, at.line);
            let resource = record.resource_id.as_deref().or(record.resource_type.as_deref()).unwrap_or("-");
            for e in shown {
                let detail = match &e.result {
                    Err(err) => error_text(err),
                    Ok(_) => e.output(AuxFn::Title).or(e.policy.meta.display_name).unwrap_or_default().to_owned(),
                };
                table_row(buf, [e.status().as_str(), severity(e), e.policy.meta.id, resource, &place, &detail])?;
            }
        }
        Format::Sarif | Format::None => return Ok(false),
    }
    Ok(true)
}

/// Renders an invalid record for the line-based formats; `false` for the
/// others.
pub fn render_invalid(format: Format, at: Location<'_>, invalid: &InvalidResource, buf: &mut Vec<u8>) -> io::Result<bool> {
    let code = invalid.kind.code();
    match format {
        Format::Jsonl => {
            let v = json!({"source": at.source, "line": at.line, "result": "invalid", "code": code, "error": invalid.message});
            serde_json::to_writer(&mut *buf, &v)?;
            buf.push(b'\n');
        }
        Format::Table => {
            let place = format!("{}:{}", at.source, at.line);
            let detail = format!("{code} {}", invalid.message);
            table_row(buf, ["invalid", "-", "-", "-", &place, &detail])?;
        }
        Format::Sarif | Format::None => return Ok(false),
    }
    Ok(true)
}

/// JSON Lines and table output: lines rendered by [`render_record`].
struct Lines<'w> {
    out: Box<dyn Write + 'w>,
    format: Format,
    buf: Vec<u8>,
}

impl Findings for Lines<'_> {
    fn record(
        &mut self,
        at: Location<'_>,
        record: &Record,
        evaluations: &[Evaluation],
        passes: bool,
    ) -> io::Result<()> {
        self.buf.clear();
        render_record(self.format, at, record, evaluations, passes, &mut self.buf)?;
        self.out.write_all(&self.buf)
    }

    fn invalid(&mut self, at: Location<'_>, invalid: &InvalidResource) -> io::Result<()> {
        self.buf.clear();
        render_invalid(self.format, at, invalid, &mut self.buf)?;
        self.out.write_all(&self.buf)
    }

    fn rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)
    }

    fn finish(&mut self, _ok: bool) -> io::Result<()> {
        self.out.flush()
    }
}

struct Nothing<'w> {
    out: Box<dyn Write + 'w>,
}

impl Findings for Nothing<'_> {
    fn record(&mut self, _: Location<'_>, _: &Record, _: &[Evaluation], _: bool) -> io::Result<()> {
        Ok(())
    }
    fn invalid(&mut self, _: Location<'_>, _: &InvalidResource) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _ok: bool) -> io::Result<()> {
        self.out.flush()
    }
}

const TABLE_HEADER: [&str; 6] = ["RESULT", "SEVERITY", "POLICY", "RESOURCE", "WHERE", "DETAIL"];

fn table_row(out: &mut Vec<u8>, cells: [&str; 6]) -> io::Result<()> {
    let [result, severity, policy, resource, at, detail] = cells;
    writeln!(
        out,
        "{result:<7} {severity:<8} {:<48} {:<56} {:<24} {}",
        clip(policy, 48),
        clip(resource, 56),
        clip(at, 24),
        clip(detail, 160)
    )
}

fn clip(s: &str, width: usize) -> String {
    let s = s.replace(['\n', '\t'], " ");
    if s.chars().count() <= width {
        return s;
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// SARIF: the log is written as it goes — the header and rules first,
/// then each result — and closed by `finish`. Policy errors and invalid
/// records are tool-execution notifications, kept up to
/// [`MAX_NOTIFICATIONS`] (the rest are counted).
struct Sarif<'w> {
    out: Box<dyn Write + 'w>,
    rule_index: std::collections::HashMap<&'static str, usize>,
    first: bool,
    notifications: Vec<Value>,
    dropped: u64,
}

/// The most tool-execution notifications a SARIF log keeps.
pub const MAX_NOTIFICATIONS: usize = 1000;

fn sarif_level(severity: &str) -> &'static str {
    match severity {
        "Critical" | "High" => "error",
        "Medium" => "warning",
        _ => "note",
    }
}

impl<'w> Sarif<'w> {
    fn start(mut out: Box<dyn Write + 'w>, policies: &[&'static Policy]) -> io::Result<Self> {
        let rules: Vec<Value> = policies
            .iter()
            .map(|p| {
                let m = p.meta;
                let mut rule = json!({
                    "id": m.id,
                    "shortDescription": {"text": m.display_name.unwrap_or(m.id)},
                    "defaultConfiguration": {"level": sarif_level(m.severity.as_str())},
                    "properties": {
                        "severity": m.severity.as_str(),
                        "tags": m.tags,
                        "resourceTypes": m.resource_types,
                    },
                });
                if let Some(obj) = rule.as_object_mut() {
                    if let Some(name) = m.display_name {
                        obj.insert("name".into(), json!(name));
                    }
                    if let Some(d) = m.description {
                        obj.insert("fullDescription".into(), json!({"text": d.trim()}));
                    }
                    if let Some(r) = m.runbook {
                        obj.insert("help".into(), json!({"text": r.trim()}));
                    }
                    if let Some(r) = m.reference.filter(|r| r.starts_with("http://") || r.starts_with("https://")) {
                        obj.insert("helpUri".into(), json!(r.trim()));
                    }
                }
                rule
            })
            .collect();
        let driver = json!({
            "name": "pounce",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://panther.com",
            "rules": rules,
        });
        out.write_all(b"{\"version\":\"2.1.0\",\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"runs\":[{\"tool\":{\"driver\":")?;
        serde_json::to_writer(&mut out, &driver)?;
        out.write_all(b"},\"results\":[\n")?;
        let rule_index = policies.iter().enumerate().map(|(i, p)| (p.meta.id, i)).collect();
        Ok(Sarif { out, rule_index, first: true, notifications: Vec::new(), dropped: 0 })
    }

    fn notify(&mut self, value: Value) {
        if self.notifications.len() < MAX_NOTIFICATIONS {
            self.notifications.push(value);
        } else {
            self.dropped += 1;
        }
    }

    fn location(at: Location<'_>) -> Value {
        json!({"physicalLocation": {"artifactLocation": {"uri": uri(at.source)}, "region": {"startLine": at.line}}})
    }
}

/// A SARIF artifact URI for an input name.
fn uri(source: &str) -> String {
    source.replace('\\', "/").replace(' ', "%20")
}

impl Findings for Sarif<'_> {
    fn record(
        &mut self,
        at: Location<'_>,
        record: &Record,
        evaluations: &[Evaluation],
        passes: bool,
    ) -> io::Result<()> {
        for e in evaluations {
            let id = e.policy.meta.id;
            match &e.result {
                Err(err) => {
                    let text = format!(
                        "{id} raised on {}: {}",
                        record.resource_id.as_deref().unwrap_or("a resource"),
                        error_text(err)
                    );
                    let n = json!({
                        "level": "error",
                        "message": {"text": text},
                        "locations": [Self::location(at)],
                        "associatedRule": {"id": id, "index": self.rule_index.get(id)},
                    });
                    self.notify(n);
                }
                Ok(pass) => {
                    if *pass && !passes {
                        continue;
                    }
                    let severity = severity(e);
                    let message = match (e.output(AuxFn::Title), record.resource_id.as_deref()) {
                        (Some(t), _) => t.to_owned(),
                        (None, Some(r)) => format!("{}: {r}", e.policy.meta.display_name.unwrap_or(id)),
                        (None, None) => e.policy.meta.display_name.unwrap_or(id).to_owned(),
                    };
                    let mut location = Self::location(at);
                    if let (Some(obj), Some(rid)) = (location.as_object_mut(), &record.resource_id) {
                        obj.insert("logicalLocations".into(), json!([{"fullyQualifiedName": rid, "kind": "resource"}]));
                    }
                    let mut result = json!({
                        "ruleId": id,
                        "ruleIndex": self.rule_index.get(id),
                        "kind": if *pass { "pass" } else { "fail" },
                        "message": {"text": message},
                        "locations": [location],
                        "properties": {"severity": severity, "resourceType": record.resource_type},
                    });
                    if let Some(obj) = result.as_object_mut() {
                        obj.insert("level".into(), json!(if *pass { "none" } else { sarif_level(severity) }));
                        if let Some(d) = e.output(AuxFn::Dedup) {
                            obj.insert("partialFingerprints".into(), json!({"dedup/v1": d}));
                        }
                        if let (Some(c), Some(props)) =
                            (e.output(AuxFn::AlertContext), obj.get_mut("properties").and_then(Value::as_object_mut))
                        {
                            let v = serde_json::from_str::<Value>(c).unwrap_or_else(|_| json!(c));
                            props.insert("alertContext".into(), v);
                        }
                    }
                    if !self.first {
                        self.out.write_all(b",\n")?;
                    }
                    self.first = false;
                    serde_json::to_writer(&mut self.out, &result)?;
                }
            }
        }
        Ok(())
    }

    fn invalid(&mut self, at: Location<'_>, invalid: &InvalidResource) -> io::Result<()> {
        self.notify(json!({
            "level": "error",
            "descriptor": {"id": invalid.kind.code()},
            "message": {"text": format!("not a JSON resource: {}: {}", invalid.kind.summary(), invalid.message)},
            "locations": [Self::location(at)],
        }));
        Ok(())
    }

    fn finish(&mut self, ok: bool) -> io::Result<()> {
        if self.dropped > 0 {
            let text = format!("{} more notification(s) not listed", self.dropped);
            self.notifications.push(json!({"level": "note", "message": {"text": text}}));
        }
        let invocation = json!({
            "executionSuccessful": ok,
            "toolExecutionNotifications": std::mem::take(&mut self.notifications),
        });
        self.out.write_all(b"\n],\"invocations\":[")?;
        serde_json::to_writer(&mut self.out, &invocation)?;
        self.out.write_all(b"]}]}\n")?;
        self.out.flush()
    }
}
