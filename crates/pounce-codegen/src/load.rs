//! Stage 1: load policy specs (YAML) as Panther's own tool validates them.
//!
//! This is the only module that knows the YAML crate. Each spec is checked
//! strictly (unknown keys, types, severities, IDs, duplicate tags) and every
//! problem is collected, not just the first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pounce_runtime::Severity;
use serde_yaml::Value as Y;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};

/// Every resource type Panther's tool accepts in `ResourceTypes`.
pub const PANTHER_RESOURCE_TYPES: &[&str] = &[
    "AWS.ACM.Certificate",
    "AWS.CloudFormation.Stack",
    "AWS.CloudTrail",
    "AWS.CloudTrail.Meta",
    "AWS.CloudWatch.LogGroup",
    "AWS.Config.Recorder",
    "AWS.Config.Recorder.Meta",
    "AWS.DynamoDB.Table",
    "AWS.EC2.AMI",
    "AWS.EC2.Instance",
    "AWS.EC2.NetworkACL",
    "AWS.EC2.SecurityGroup",
    "AWS.EC2.Volume",
    "AWS.EC2.VPC",
    "AWS.ECS.Cluster",
    "AWS.EKS.Cluster",
    "AWS.ELBV2.ApplicationLoadBalancer",
    "AWS.GuardDuty.Detector",
    "AWS.GuardDuty.Detector.Meta",
    "AWS.IAM.Group",
    "AWS.IAM.Policy",
    "AWS.IAM.Role",
    "AWS.IAM.RootUser",
    "AWS.IAM.User",
    "AWS.KMS.Key",
    "AWS.Lambda.Function",
    "AWS.PasswordPolicy",
    "AWS.RDS.Instance",
    "AWS.Redshift.Cluster",
    "AWS.Route53.HostedZone",
    "AWS.Route53Domains",
    "AWS.S3.Bucket",
    "AWS.WAF.Regional.WebACL",
    "AWS.WAF.WebACL",
];

const POLICY_KEYS: &[&str] = &[
    "AnalysisType",
    "Enabled",
    "Filename",
    "PolicyID",
    "Severity",
    "ResourceTypes",
    "ActionDelaySeconds",
    "AutoRemediationID",
    "AutoRemediationParameters",
    "Description",
    "DisplayName",
    "OnlyUseBaseRiskScore",
    "OutputIds",
    "CreatedBy",
    "Reference",
    "Runbook",
    "Status",
    "Suppressions",
    "Tags",
    "Reports",
    "Tests",
    "BaseVersion",
];

const REQUIRED_KEYS: &[&str] = &["AnalysisType", "Enabled", "Filename", "PolicyID", "Severity"];

const TEST_KEYS: &[&str] = &["Name", "ExpectedResult", "Resource", "Mocks", "ResourceType"];

const MOCK_KEYS: &[&str] = &["objectName", "returnValue"];

/// A validated policy spec.
#[derive(Debug, Clone)]
pub struct PolicySpec {
    /// The YAML file.
    pub file: SourceFile,
    /// The spec's path relative to the rules directory (`/`-separated).
    pub rel_path: String,
    /// The Python file named by `Filename`.
    pub python_path: PathBuf,
    /// The Python file as shown to users.
    pub python_display: String,
    /// The Python file relative to the rules directory.
    pub python_rel: String,
    /// `Enabled`.
    pub enabled: bool,
    /// `PolicyID`.
    pub id: String,
    /// `Severity`.
    pub severity: Severity,
    /// `ResourceTypes`.
    pub resource_types: Vec<String>,
    /// `ActionDelaySeconds`.
    pub action_delay_seconds: Option<i64>,
    /// `AutoRemediationID`.
    pub auto_remediation_id: Option<String>,
    /// `AutoRemediationParameters`.
    pub auto_remediation_parameters: Option<serde_json::Value>,
    /// `Description`.
    pub description: Option<String>,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `OnlyUseBaseRiskScore`.
    pub only_use_base_risk_score: Option<bool>,
    /// `OutputIds`.
    pub output_ids: Vec<String>,
    /// `CreatedBy`.
    pub created_by: Option<String>,
    /// `Reference`.
    pub reference: Option<String>,
    /// `Runbook`.
    pub runbook: Option<String>,
    /// `Status`.
    pub status: Option<String>,
    /// `Suppressions`.
    pub suppressions: Vec<String>,
    /// `Tags`.
    pub tags: Vec<String>,
    /// `Reports`: framework to entries, entries as Python's `str()` gives them.
    pub reports: Vec<(String, Vec<String>)>,
    /// `Tests`.
    pub tests: Vec<TestSpec>,
    /// `BaseVersion`.
    pub base_version: Option<i64>,
    /// The byte span of the `PolicyID` value, for duplicate-ID diagnostics.
    pub id_span: std::ops::Range<usize>,
}

/// One embedded test case.
#[derive(Debug, Clone)]
pub struct TestSpec {
    /// `Name`.
    pub name: String,
    /// `ExpectedResult`.
    pub expected_result: bool,
    /// `Resource`, converted to JSON.
    pub resource: serde_json::Value,
    /// `Mocks`.
    pub mocks: Vec<MockSpec>,
    /// `ResourceType` (legacy, optional).
    pub resource_type: Option<String>,
}

/// One mock of a test case.
#[derive(Debug, Clone, PartialEq)]
pub struct MockSpec {
    /// `objectName`.
    pub name: String,
    /// `returnValue`.
    pub value: MockReturn,
}

/// A mock's `returnValue`.
#[derive(Debug, Clone, PartialEq)]
pub enum MockReturn {
    /// A string.
    Str(String),
    /// A bool.
    Bool(bool),
}

/// The specs of a rules directory.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Valid policy specs, sorted by `PolicyID`.
    pub specs: Vec<PolicySpec>,
    /// Problems; a spec with problems is not in `specs`.
    pub diagnostics: Vec<Diagnostic>,
    /// YAML files skipped because their `AnalysisType` is not `policy`.
    pub skipped: usize,
}

/// Loads every policy spec under `root`, recursively, as Panther's tool
/// finds them: `*.yml`/`*.yaml`, skipping hidden entries and `__pycache__`.
/// `display_root` prefixes paths in diagnostics.
pub fn load_dir(root: &Path, display_root: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    if let Err(e) = collect_yaml(root, &mut files) {
        loaded.diagnostics.push(Diagnostic::new(
            Code::MissingFile,
            format!("cannot read rules directory `{display_root}`: {e}"),
        ));
        return loaded;
    }
    files.sort();
    for path in files {
        let rel = rel_path(root, &path);
        let display = join_display(display_root, &rel);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                loaded.diagnostics.push(Diagnostic::new(Code::YamlSyntax, format!("cannot read `{display}`: {e}")));
                continue;
            }
        };
        let file = SourceFile::new(display, text);
        match parse_spec(&file, root, &rel, display_root) {
            Ok(Some(spec)) => loaded.specs.push(spec),
            Ok(None) => loaded.skipped += 1,
            Err(diags) => loaded.diagnostics.extend(diags),
        }
    }
    check_unique_ids(&mut loaded);
    loaded.specs.sort_by(|a, b| a.id.cmp(&b.id));
    loaded
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_yaml(&path, out)?;
        } else if name.ends_with(".yml") || name.ends_with(".yaml") {
            out.push(path);
        }
    }
    Ok(())
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn join_display(root: &str, rel: &str) -> String {
    if root.is_empty() || root == "." {
        rel.to_owned()
    } else {
        format!("{}/{rel}", root.trim_end_matches('/'))
    }
}

fn check_unique_ids(loaded: &mut Loaded) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut duplicates = Vec::new();
    for (i, spec) in loaded.specs.iter().enumerate() {
        match seen.get(&spec.id) {
            Some(&first) => duplicates.push((i, first)),
            None => {
                seen.insert(spec.id.clone(), i);
            }
        }
    }
    let mut drop = Vec::new();
    for (i, first) in duplicates {
        let (Some(spec), Some(other)) = (loaded.specs.get(i), loaded.specs.get(first)) else { continue };
        loaded.diagnostics.push(
            Diagnostic::new(Code::DuplicateId, format!("`PolicyID` `{}` is already used", spec.id))
                .at(&spec.file, spec.id_span.clone())
                .with_label("duplicate")
                .with_help(format!("first declared in `{}`", other.file.path)),
        );
        drop.push(i);
    }
    let mut i = 0;
    loaded.specs.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
}

/// How deeply brackets (`[`, `{`) may nest in a spec's text before the YAML
/// parser sees it. serde_yaml rejects flow collections nested more than
/// 128 levels, but only after libyaml has scanned the whole document, in
/// time quadratic in the nesting (20,000 levels took 44 s under the
/// fuzzer). Brackets are counted on the raw text, quotes and comments
/// included, so the bound is far above what serde_yaml accepts and what
/// literal brackets in text add up to.
const MAX_BRACKET_DEPTH: usize = 1000;

/// The offset of the first bracket nested deeper than [`MAX_BRACKET_DEPTH`].
fn brackets_too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses and validates one spec. `Ok(None)` when the file is not a policy.
pub fn parse_spec(
    file: &SourceFile,
    root: &Path,
    rel: &str,
    display_root: &str,
) -> Result<Option<PolicySpec>, Vec<Diagnostic>> {
    if let Some(offset) = brackets_too_deep(&file.text) {
        return Err(vec![Diagnostic::new(
            Code::YamlSyntax,
            format!("invalid YAML: brackets nested more than {MAX_BRACKET_DEPTH} levels deep"),
        )
        .at(file, offset..offset + 1)
        .with_label("too deep")]);
    }
    let doc: Y = match serde_yaml::from_str(&file.text) {
        Ok(doc) => doc,
        Err(e) => {
            let offset = e.location().map_or(0, |l| l.index());
            let message = yaml_message(&e.to_string());
            return Err(vec![Diagnostic::new(Code::YamlSyntax, format!("invalid YAML: {message}"))
                .at(file, offset..offset)
                .with_label("the parser stopped here")]);
        }
    };
    let Y::Mapping(map) = &doc else {
        // Not a mapping: not an analysis item; Panther skips such files.
        return Ok(None);
    };
    if map.get("AnalysisType").and_then(Y::as_str) != Some("policy") {
        return Ok(None);
    }
    let mut v = Validator { file, diags: Vec::new() };
    let spec = v.spec(map, root, rel, display_root);
    if v.diags.is_empty() {
        Ok(spec)
    } else {
        Err(v.diags)
    }
}

struct Validator<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
}

impl Validator<'_> {
    /// The span of `key:` at the start of a line, searching from `from`.
    fn key_span(&self, key: &str, from: usize) -> std::ops::Range<usize> {
        let text = &self.file.text;
        let hay = text.get(from..).unwrap_or_default();
        let mut pos = 0;
        while let Some(i) = hay.get(pos..).and_then(|h| h.find(key)) {
            let start = pos + i;
            let line_start = hay.get(..start).and_then(|h| h.rfind('\n')).map_or(0, |n| n + 1);
            let prefix = hay.get(line_start..start).unwrap_or_default();
            let rest = hay.get(start + key.len()..).unwrap_or_default();
            let prefix_ok = prefix.chars().all(|c| c == ' ' || c == '-' || c == '\t' || c == '"' || c == '\'');
            let rest_ok = rest.trim_start_matches(['"', '\'']).trim_start_matches([' ', '\t']).starts_with(':');
            if prefix_ok && rest_ok {
                return from + start..from + start + key.len();
            }
            pos = start + key.len();
        }
        0..0
    }

    /// The span of the value written after `key:` on the same line (quotes
    /// included, a trailing comment not), or of the key when the value is
    /// on later lines.
    fn value_span(&self, key: &str, from: usize) -> std::ops::Range<usize> {
        let k = self.key_span(key, from);
        if k.is_empty() {
            return k;
        }
        let text = &self.file.text;
        let line = text.get(k.end..).and_then(|rest| rest.split('\n').next()).unwrap_or_default();
        let Some(colon) = line.find(':') else { return k };
        let after = line.get(colon + 1..).unwrap_or_default();
        let value = match after.find(" #") {
            Some(c) => after.get(..c).unwrap_or_default(),
            None => after,
        };
        let lead = value.len() - value.trim_start().len();
        let trimmed = value.trim();
        if trimmed.is_empty() || trimmed == "|" || trimmed == ">" || trimmed.starts_with(['|', '>']) {
            return k;
        }
        let start = k.end + colon + 1 + lead;
        start..start + trimmed.len()
    }

    fn err(&mut self, code: Code, message: String, span: std::ops::Range<usize>) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(code, message).at(self.file, span));
        let last = self.diags.len() - 1;
        #[expect(clippy::indexing_slicing, reason = "just pushed")]
        &mut self.diags[last]
    }

    fn check_keys(&mut self, map: &serde_yaml::Mapping, known: &[&str], what: &str, from: usize) {
        for key in map.keys() {
            let Some(key) = key.as_str() else {
                self.err(Code::UnknownKey, format!("{what} has a key that is not a string: `{key:?}`"), 0..0);
                continue;
            };
            if !known.contains(&key) {
                let span = self.key_span(key, from);
                let d = Diagnostic::new(Code::UnknownKey, format!("unknown key `{key}` in {what}"))
                    .at(self.file, span)
                    .with_label("not a key of the policy schema")
                    .suggest(key, known.iter().copied());
                self.diags.push(d);
            }
        }
    }

    fn string(&mut self, map: &serde_yaml::Mapping, key: &str, from: usize) -> Option<String> {
        match map.get(key)? {
            Y::String(s) => Some(s.clone()),
            other => {
                let span = self.key_span(key, from);
                self.err(Code::WrongType, format!("`{key}` must be a string, found {}", yaml_type(other)), span);
                None
            }
        }
    }

    fn boolean(&mut self, map: &serde_yaml::Mapping, key: &str, from: usize) -> Option<bool> {
        match map.get(key)? {
            Y::Bool(b) => Some(*b),
            other => {
                let span = self.key_span(key, from);
                self.err(Code::WrongType, format!("`{key}` must be `true` or `false`, found {}", yaml_type(other)), span);
                None
            }
        }
    }

    fn int(&mut self, map: &serde_yaml::Mapping, key: &str) -> Option<i64> {
        match map.get(key)? {
            Y::Number(n) if n.is_i64() => n.as_i64(),
            other => {
                let span = self.key_span(key, 0);
                self.err(Code::WrongType, format!("`{key}` must be an integer, found {}", yaml_type(other)), span);
                None
            }
        }
    }

    fn string_list(&mut self, map: &serde_yaml::Mapping, key: &str, unique: bool) -> Vec<String> {
        let Some(value) = map.get(key) else { return Vec::new() };
        let span = self.key_span(key, 0);
        let Y::Sequence(items) = value else {
            if !value.is_null() {
                self.err(Code::WrongType, format!("`{key}` must be a list of strings, found {}", yaml_type(value)), span);
            }
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for item in items {
            let Some(s) = item.as_str() else {
                self.err(Code::WrongType, format!("`{key}` must be a list of strings, found {} in it", yaml_type(item)), span.clone());
                continue;
            };
            if unique && out.iter().any(|o| o.eq_ignore_ascii_case(s) || o.to_lowercase() == s.to_lowercase()) {
                let item_span = self.key_span_value(s, span.end);
                self.err(Code::DuplicateValue, format!("`{key}` lists `{s}` more than once"), item_span)
                    .help = Some(if key == "Tags" { "tags are compared case-insensitively".to_owned() } else { "remove the repeated entry".to_owned() });
            }
            out.push(s.to_owned());
        }
        out
    }

    /// The span of a list item's text after `from`.
    fn key_span_value(&self, value: &str, from: usize) -> std::ops::Range<usize> {
        let text = &self.file.text;
        let hay = text.get(from..).unwrap_or_default();
        let mut last = None;
        let mut pos = 0;
        // The second occurrence is the duplicate.
        for _ in 0..2 {
            match hay.get(pos..).and_then(|h| h.find(value)) {
                Some(i) => {
                    last = Some(pos + i);
                    pos += i + value.len();
                }
                None => break,
            }
        }
        last.map_or(0..0, |i| from + i..from + i + value.len())
    }

    fn spec(&mut self, map: &serde_yaml::Mapping, root: &Path, rel: &str, display_root: &str) -> Option<PolicySpec> {
        self.check_keys(map, POLICY_KEYS, "a policy spec", 0);
        for key in REQUIRED_KEYS {
            if !map.contains_key(*key) {
                let example = match *key {
                    "AnalysisType" => "AnalysisType: policy",
                    "Enabled" => "Enabled: true",
                    "Filename" => "Filename: my_policy.py",
                    "PolicyID" => "PolicyID: \"Team.Resource.Check\"",
                    _ => "Severity: High  # one of Info, Low, Medium, High, Critical",
                };
                self.err(Code::MissingKey, format!("missing required key `{key}`"), 0..0)
                    .help = Some(format!("add `{example}` at the top level"));
            }
        }
        let enabled = self.boolean(map, "Enabled", 0);
        let filename = self.string(map, "Filename", 0);
        let id = self.string(map, "PolicyID", 0);
        let id_span = self.value_span("PolicyID", 0);
        if let Some(id) = &id {
            if id.is_empty() || id.contains(['<', '>', '&', '"', '%']) {
                self.err(Code::InvalidId, format!("`PolicyID` `{id}` must be non-empty and must not contain any of `<>&\"%`"), id_span.clone());
            }
        }
        let display_name = self.string(map, "DisplayName", 0);
        if let Some(name) = &display_name {
            if name.is_empty() || name.contains(['<', '>', '&', '"', '%']) {
                let span = self.value_span("DisplayName", 0);
                self.err(Code::InvalidId, format!("`DisplayName` `{name}` must be non-empty and must not contain any of `<>&\"%`"), span);
            }
        }
        let severity = match map.get("Severity") {
            None => None,
            Some(Y::String(s)) => match s.as_str() {
                "Info" => Some(Severity::Info),
                "Low" => Some(Severity::Low),
                "Medium" => Some(Severity::Medium),
                "High" => Some(Severity::High),
                "Critical" => Some(Severity::Critical),
                other => {
                    let span = self.value_span("Severity", 0);
                    let d = Diagnostic::new(Code::InvalidSeverity, format!("`Severity` `{other}` is not one of `Info`, `Low`, `Medium`, `High`, `Critical`"))
                        .at(self.file, span)
                        .suggest(other, ["Info", "Low", "Medium", "High", "Critical"]);
                    self.diags.push(d);
                    None
                }
            },
            Some(other) => {
                let span = self.key_span("Severity", 0);
                self.err(Code::WrongType, format!("`Severity` must be a string, found {}", yaml_type(other)), span);
                None
            }
        };
        let resource_types = self.string_list(map, "ResourceTypes", false);
        for rt in &resource_types {
            if !PANTHER_RESOURCE_TYPES.contains(&rt.as_str()) {
                let span = self.key_span_value(rt, self.key_span("ResourceTypes", 0).end);
                let d = Diagnostic::new(Code::UnknownResourceType, format!("unknown resource type `{rt}`"))
                    .at(self.file, span)
                    .suggest(rt, PANTHER_RESOURCE_TYPES.iter().copied());
                self.diags.push(d);
            }
        }
        let tags = self.string_list(map, "Tags", true);
        let output_ids = self.string_list(map, "OutputIds", true);
        let suppressions = self.string_list(map, "Suppressions", true);
        let reports = self.reports(map);
        let tests = self.tests(map);
        let spec = PolicySpec {
            python_path: PathBuf::new(),
            python_display: String::new(),
            python_rel: String::new(),
            rel_path: rel.to_owned(),
            file: self.file.clone(),
            enabled: enabled.unwrap_or(false),
            id: id.unwrap_or_default(),
            severity: severity.unwrap_or(Severity::Info),
            resource_types,
            action_delay_seconds: self.int(map, "ActionDelaySeconds"),
            auto_remediation_id: self.string(map, "AutoRemediationID", 0),
            auto_remediation_parameters: map.get("AutoRemediationParameters").and_then(|v| yaml_to_json(v).ok()),
            description: self.string(map, "Description", 0),
            display_name,
            only_use_base_risk_score: self.boolean(map, "OnlyUseBaseRiskScore", 0),
            output_ids,
            created_by: self.string(map, "CreatedBy", 0),
            reference: self.string(map, "Reference", 0),
            runbook: self.string(map, "Runbook", 0),
            status: self.string(map, "Status", 0),
            suppressions,
            tags,
            reports,
            tests,
            base_version: self.int(map, "BaseVersion"),
            id_span,
        };
        let filename = filename?;
        let rel_dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let python_rel = if rel_dir.is_empty() { filename.clone() } else { format!("{rel_dir}/{filename}") };
        let python_path = root.join(&python_rel);
        if !python_path.is_file() {
            let span = self.key_span("Filename", 0);
            self.err(Code::MissingFile, format!("`Filename` `{filename}` does not exist next to the spec"), span);
        }
        Some(PolicySpec {
            python_display: join_display(display_root, &python_rel),
            python_rel,
            python_path,
            ..spec
        })
    }

    fn reports(&mut self, map: &serde_yaml::Mapping) -> Vec<(String, Vec<String>)> {
        let Some(value) = map.get("Reports") else { return Vec::new() };
        let span = self.key_span("Reports", 0);
        let Y::Mapping(reports) = value else {
            if !value.is_null() {
                self.err(Code::WrongType, format!("`Reports` must be a mapping of lists, found {}", yaml_type(value)), span);
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in reports {
            let Some(k) = k.as_str() else {
                self.err(Code::WrongType, "`Reports` keys must be strings".to_owned(), span.clone());
                continue;
            };
            let Y::Sequence(items) = v else {
                self.err(Code::WrongType, format!("`Reports` entry `{k}` must be a list, found {}", yaml_type(v)), span.clone());
                continue;
            };
            out.push((k.to_owned(), items.iter().map(python_str).collect()));
        }
        out
    }

    fn tests(&mut self, map: &serde_yaml::Mapping) -> Vec<TestSpec> {
        let Some(value) = map.get("Tests") else { return Vec::new() };
        let tests_at = self.key_span("Tests", 0).end;
        let Y::Sequence(items) = value else {
            if !value.is_null() {
                self.err(Code::WrongType, format!("`Tests` must be a list, found {}", yaml_type(value)), tests_at..tests_at);
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut from = tests_at;
        for (i, item) in items.iter().enumerate() {
            let Y::Mapping(test) = item else {
                self.err(Code::WrongType, format!("test {} must be a mapping, found {}", i + 1, yaml_type(item)), from..from);
                continue;
            };
            let name = test.get("Name").and_then(Y::as_str).map(str::to_owned);
            // Find this test's place in the text: its `Name` value.
            if let Some(n) = &name {
                let name_key = self.key_span("Name", from);
                if let Some(found) = self.file.text.get(name_key.end..).and_then(|t| t.find(n.as_str())) {
                    from = name_key.start.min(name_key.end + found);
                }
            }
            let what = match &name {
                Some(n) => format!("test `{n}`"),
                None => format!("test {}", i + 1),
            };
            self.check_keys(test, TEST_KEYS, &what, from);
            for key in ["Name", "ExpectedResult", "Resource"] {
                if !test.contains_key(key) {
                    self.err(Code::MissingKey, format!("{what} is missing required key `{key}`"), from..from);
                }
            }
            if name.is_none() && test.contains_key("Name") {
                let span = self.key_span("Name", from);
                self.err(Code::WrongType, format!("{what}: `Name` must be a string"), span);
            }
            let expected = self.boolean(test, "ExpectedResult", from);
            let resource = match test.get("Resource").map(yaml_to_json) {
                Some(Ok(r)) => Some(r),
                Some(Err(msg)) => {
                    // Point at the offending key or value (quoted in the
                    // message) inside this test's resource when it can be
                    // found, else at `Resource:`.
                    let resource_at = self.key_span("Resource", from);
                    let needle = msg.split('`').nth(1).unwrap_or_default();
                    let span = match self.key_span(needle, resource_at.end) {
                        found if !needle.is_empty() && !found.is_empty() => found,
                        _ => resource_at,
                    };
                    self.err(Code::InvalidTestResource, format!("{what}: `Resource` {msg}"), span);
                    None
                }
                None => None,
            };
            let mocks = self.mocks(test, &what, from);
            let resource_type = self.string(test, "ResourceType", from);
            if let (Some(name), Some(expected_result), Some(resource)) = (name, expected, resource) {
                out.push(TestSpec { name, expected_result, resource, mocks, resource_type });
            }
        }
        out
    }

    fn mocks(&mut self, test: &serde_yaml::Mapping, what: &str, from: usize) -> Vec<MockSpec> {
        let Some(value) = test.get("Mocks") else { return Vec::new() };
        let span = self.key_span("Mocks", from);
        let Y::Sequence(items) = value else {
            self.err(Code::WrongType, format!("{what}: `Mocks` must be a list, found {}", yaml_type(value)), span);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let Y::Mapping(m) = item else {
                self.err(Code::WrongType, format!("{what}: each mock must be a mapping"), span.clone());
                continue;
            };
            self.check_keys(m, MOCK_KEYS, &format!("a mock of {what}"), span.start);
            let name = m.get("objectName").and_then(Y::as_str);
            let value = match m.get("returnValue") {
                Some(Y::String(s)) => Some(MockReturn::Str(s.clone())),
                Some(Y::Bool(b)) => Some(MockReturn::Bool(*b)),
                Some(other) => {
                    self.err(Code::WrongType, format!("{what}: `returnValue` must be a string or a bool, found {}", yaml_type(other)), span.clone());
                    None
                }
                None => {
                    self.err(Code::MissingKey, format!("{what}: a mock is missing `returnValue`"), span.clone());
                    None
                }
            };
            if name.is_none() {
                self.err(Code::MissingKey, format!("{what}: a mock is missing `objectName` (a string)"), span.clone());
            }
            if let (Some(name), Some(value)) = (name, value) {
                out.push(MockSpec { name: name.to_owned(), value });
            }
        }
        out
    }
}

/// serde_yaml's message without its trailing position (shown as the span),
/// quotes turned into backticks.
fn yaml_message(raw: &str) -> String {
    // "did not find expected ',' or ']' at line 6 column 9, while parsing a
    // flow sequence at line 5 column 16"
    let mut parts: Vec<String> = Vec::new();
    for part in raw.split(", ") {
        let text = match part.find(" at line ") {
            Some(i) if part.get(i..).is_some_and(|rest| rest.contains("column")) => {
                let (head, tail) = part.split_at(i);
                // Keep the position of the context ("while parsing … at line 5
                // column 16"): it is not the diagnostic's span.
                if head.starts_with("while ") { format!("{head}{tail}") } else { head.to_owned() }
            }
            _ => part.to_owned(),
        };
        parts.push(text);
    }
    let joined = parts.join(", ");
    let mut out = String::with_capacity(joined.len());
    let mut chars = joined.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // 'x' -> `x` for short quoted tokens.
            let rest: String = chars.clone().take(4).collect();
            if let Some(end) = rest.find('\'') {
                if end <= 3 {
                    out.push('`');
                    for _ in 0..end {
                        if let Some(x) = chars.next() {
                            out.push(x);
                        }
                    }
                    chars.next();
                    out.push('`');
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

fn yaml_type(v: &Y) -> &'static str {
    match v {
        Y::Null => "null",
        Y::Bool(_) => "a bool",
        Y::Number(n) if n.is_f64() => "a float",
        Y::Number(_) => "an integer",
        Y::String(_) => "a string",
        Y::Sequence(_) => "a list",
        Y::Mapping(_) => "a mapping",
        Y::Tagged(_) => "a tagged value",
    }
}

/// `str(x)` of a YAML scalar as Python would print it once loaded.
fn python_str(v: &Y) -> String {
    match v {
        Y::Null => "None".to_owned(),
        Y::Bool(true) => "True".to_owned(),
        Y::Bool(false) => "False".to_owned(),
        Y::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) => pounce_runtime::ops::float_repr(f),
            _ => n.to_string(),
        },
        Y::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
    }
}

/// Converts a YAML value (as Panther's loader reads it) to JSON.
pub fn yaml_to_json(v: &Y) -> Result<serde_json::Value, String> {
    use serde_json::Value as J;
    Ok(match v {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                J::Number(serde_json::Number::from_f64(f).ok_or_else(|| format!("holds `{f}`, which JSON cannot represent"))?)
            }
        }
        Y::String(s) => J::String(s.clone()),
        Y::Sequence(items) => J::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                let key = match k {
                    Y::String(s) => s.clone(),
                    other => return Err(format!("has a non-string key `{}`", python_str(other))),
                };
                out.insert(key, yaml_to_json(x)?);
            }
            J::Object(out)
        }
        Y::Tagged(t) => return Err(format!("holds a tagged value `{}`", t.tag)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Option<PolicySpec>, Vec<Diagnostic>> {
        parse_spec(&SourceFile::new("policy.yml", text), Path::new("/nonexistent"), "policy.yml", "rules")
    }

    const HEAD: &str = "AnalysisType: policy\nFilename: policy.py\nPolicyID: a\nEnabled: true\nSeverity: High\n";

    // Issue #8 (fuzzing): a test resource of 20,000 nested flow sequences
    // took 44 s to be rejected (libyaml's simple-key scan is quadratic in
    // the nesting); now the brackets are counted first.
    #[test]
    fn deeply_nested_brackets_are_rejected_before_parsing() {
        for n in [MAX_BRACKET_DEPTH + 1, 20_000] {
            for (open, close) in [("[", "]"), ("{", "}"), ("[", "")] {
                let text = format!("{HEAD}Tests:\n - Name: x\n   ExpectedResult: true\n   Resource: {}{}\n", open.repeat(n), close.repeat(n));
                let diags = parse_text(&text).err().unwrap_or_default();
                let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
                assert_eq!(messages, [format!("invalid YAML: brackets nested more than {MAX_BRACKET_DEPTH} levels deep")]);
            }
        }
    }

    #[test]
    fn brackets_serde_yaml_accepts_are_not_counted_against_it() {
        // serde_yaml's own limit, and brackets that close.
        let resource = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let text = format!("{HEAD}Tests:\n - Name: x\n   ExpectedResult: true\n   Resource: {{\"a\": {resource}}}\nDescription: \"{}\"\n", "[]".repeat(5000));
        let diags = parse_text(&text).err().unwrap_or_default();
        assert!(diags.iter().all(|d| !d.message.contains("brackets nested")), "{diags:?}");
        assert_eq!(brackets_too_deep(&"[".repeat(MAX_BRACKET_DEPTH)), None);
    }
}
