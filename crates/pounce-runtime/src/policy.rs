//! What the generated code registers for each policy: metadata, the
//! evaluation entry points and the embedded test cases.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::PolicyError;
use crate::schema::Describe;
use crate::value::Object;

/// A Panther resource struct, tied to its `ResourceType` string.
pub trait Resource: Object + DeserializeOwned + Describe {
    /// The Panther resource type (`AWS.EC2.AMI`).
    const RESOURCE_TYPE: &'static str;
}

/// A policy's severity, as its YAML spec gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// `Info`.
    Info,
    /// `Low`.
    Low,
    /// `Medium`.
    Medium,
    /// `High`.
    High,
    /// `Critical`.
    Critical,
}

impl Severity {
    /// The spelling Panther's YAML uses (`High`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy's metadata, from its YAML spec.
#[derive(Debug)]
pub struct PolicyMeta {
    /// `PolicyID`.
    pub id: &'static str,
    /// `DisplayName`.
    pub display_name: Option<&'static str>,
    /// `Enabled`.
    pub enabled: bool,
    /// `Severity`.
    pub severity: Severity,
    /// `ResourceTypes`; empty means every resource.
    pub resource_types: &'static [&'static str],
    /// `Tags`.
    pub tags: &'static [&'static str],
    /// `Reports`: framework name to its entries.
    pub reports: &'static [(&'static str, &'static [&'static str])],
    /// `Description`.
    pub description: Option<&'static str>,
    /// `Runbook`.
    pub runbook: Option<&'static str>,
    /// `Reference`.
    pub reference: Option<&'static str>,
    /// `Suppressions`: resource-ID patterns never reported.
    pub suppressions: &'static [&'static str],
    /// The spec file, relative to the rules directory.
    pub spec_file: &'static str,
    /// The Python file, relative to the rules directory.
    pub python_file: &'static str,
}

/// Why a policy could not be evaluated on a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// The resource is not a JSON object of the policy's resource type.
    Resource(String),
    /// The policy raised a Python exception.
    Exception(PolicyError),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::Resource(msg) => write!(f, "invalid resource: {msg}"),
            EvalError::Exception(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for EvalError {}

impl From<PolicyError> for EvalError {
    fn from(e: PolicyError) -> Self {
        EvalError::Exception(e)
    }
}

/// Evaluation inputs that do not come from the resource.
///
/// Tests supply mocks through it; scanners use `DefaultContext`.
pub trait Context {
    /// The value a test mocks for the module-level name `name`.
    fn mock(&self, name: &str) -> Option<&MockValue> {
        let _ = name;
        None
    }

    /// The current time, in microseconds since the Unix epoch (UTC). The
    /// system clock by default; tests and replays fix it.
    fn now_micros(&self) -> i64 {
        let now = std::time::SystemTime::now();
        match now.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_micros()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_micros()).unwrap_or(i64::MAX),
        }
    }

    /// `resource_lookup(id)`: another resource of the scanned account, by
    /// its resource ID; `None` when it is not known (Panther's helper then
    /// raises `BadLookup`). No resources are known by default.
    fn resource_lookup(&self, id: &str) -> Option<serde_json::Value> {
        let _ = id;
        None
    }
}

/// The context of a scan: no mocks.
#[derive(Debug, Default, Clone, Copy)]
pub struct DefaultContext;

impl Context for DefaultContext {}

/// A mock's `returnValue`: Panther allows a string or a bool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MockValue {
    /// A string.
    Str(&'static str),
    /// A bool.
    Bool(bool),
}

/// One `Mocks` entry of a test case.
#[derive(Debug)]
pub struct Mock {
    /// `objectName`: the module-level name replaced.
    pub name: &'static str,
    /// `returnValue`.
    pub value: MockValue,
}

/// One embedded test case of a policy spec.
#[derive(Debug)]
pub struct TestCase {
    /// `Name`.
    pub name: &'static str,
    /// `ExpectedResult`: the value `policy()` must return.
    pub expected: bool,
    /// `Resource`, as JSON text.
    pub resource: &'static str,
    /// `Mocks`.
    pub mocks: &'static [Mock],
}

/// A compiled policy, as the registry lists it.
#[derive(Debug)]
pub struct Policy {
    /// Its metadata.
    pub meta: &'static PolicyMeta,
    /// Evaluates the policy on a JSON resource: `Ok(true)` compliant,
    /// `Ok(false)` alert.
    pub eval_json: fn(&serde_json::Value, &dyn Context) -> Result<bool, EvalError>,
    /// Evaluates the policy and, when it alerts, its auxiliary functions
    /// (`title`, `dedup`, …), sharing one module state as Panther does.
    pub detect_json: fn(&serde_json::Value, &dyn Context) -> Result<crate::aux::Detection, EvalError>,
    /// The embedded test cases.
    pub tests: &'static [TestCase],
    /// Every module-level name of the policy's Python module (what a test
    /// mock may replace).
    pub module_names: &'static [&'static str],
}

/// Deserialises a JSON resource into `R` for `eval_json`.
pub fn resource_from_json<R: Resource>(value: &serde_json::Value) -> Result<R, EvalError> {
    check_object::<R>(value)?;
    R::deserialize(value).map_err(|e| resource_error::<R>(&e))
}

/// The error of `resource_from_json` for a value that is not an object.
pub(crate) fn check_object<R: Resource>(value: &serde_json::Value) -> Result<(), EvalError> {
    if value.is_object() {
        return Ok(());
    }
    Err(EvalError::Resource(format!(
        "expected a JSON object for {}, got {}",
        R::RESOURCE_TYPE,
        json_type_name(value)
    )))
}

/// The error of `resource_from_json` for an object it could not read.
pub(crate) fn resource_error<R: Resource>(e: &serde_json::Error) -> EvalError {
    EvalError::Resource(format!("{}: {e}", R::RESOURCE_TYPE))
}

fn json_type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
