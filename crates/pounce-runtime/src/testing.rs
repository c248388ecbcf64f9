//! Runs embedded test cases and reports them in Panther's test layout.
//!
//! `cargo xtask verify`, `cargo xtask test` and the generated `#[test]`s
//! all go through [`run_case`], so the three agree on what passes.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::policy::{Context, EvalError, Mock, MockValue, Policy, TestCase};

/// The context of one test case: its `Mocks`.
#[derive(Debug)]
pub struct TestContext {
    mocks: &'static [Mock],
}

impl TestContext {
    /// The context of `case`.
    pub fn new(case: &TestCase) -> Self {
        TestContext { mocks: case.mocks }
    }
}

impl Context for TestContext {
    fn mock(&self, name: &str) -> Option<&MockValue> {
        self.mocks.iter().find(|m| m.name == name).map(|m| &m.value)
    }
}

/// What `policy()` did on a test resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It returned this bool.
    Returned(bool),
    /// It raised; the text is `ExceptionName: message`.
    Raised(String),
    /// The test resource could not be read.
    InvalidResource(String),
}

/// The output of an auxiliary function on an alerting test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuxResult {
    /// The function, as Panther prints it (`title`, `alertContext`).
    pub function: String,
    /// Its rendered output, or the exception it raised (`Err`).
    pub output: Result<String, String>,
}

/// The result of one test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The test's `Name`.
    pub name: String,
    /// Its `ExpectedResult`.
    pub expected: bool,
    /// What happened.
    pub outcome: Outcome,
    /// The auxiliary functions' outputs (tests that expect an alert).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aux: Vec<AuxResult>,
    /// Whether the case passed.
    pub passed: bool,
}

/// The results of one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyReport {
    /// `PolicyID`.
    pub id: String,
    /// The spec file.
    pub file: String,
    /// When the policy did not compile: its diagnostics, one line each
    /// (`E0401 path/file.py:5:12: message`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
    /// One result per test case, in spec order.
    pub cases: Vec<CaseResult>,
}

/// The results of a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// One entry per policy, in the order they were run.
    pub policies: Vec<PolicyReport>,
    /// Test cases that passed.
    pub passed: usize,
    /// Test cases that failed, including those of policies that did not
    /// compile.
    pub failed: usize,
}

impl Report {
    /// A report of `policies`, with the totals counted.
    pub fn new(policies: Vec<PolicyReport>) -> Self {
        let cases = policies.iter().flat_map(|p| &p.cases);
        let passed = cases.clone().filter(|c| c.passed).count();
        let failed = cases.filter(|c| !c.passed).count();
        Report { policies, passed, failed }
    }

    /// Whether every case passed and every policy compiled.
    pub fn is_success(&self) -> bool {
        self.failed == 0 && self.policies.iter().all(|p| p.diagnostics.is_empty())
    }
}

/// Runs one embedded test case of `policy`, as Panther's tool does: the
/// policy must return `ExpectedResult`; when that is `false` (an alert),
/// the auxiliary functions run too and must not raise. A mock of a name
/// the module does not define fails the case.
pub fn run_case(policy: &Policy, case: &TestCase) -> CaseResult {
    let result = |outcome: Outcome, aux: Vec<AuxResult>| {
        let passed = outcome == Outcome::Returned(case.expected) && aux.iter().all(|a| a.output.is_ok());
        CaseResult { name: case.name.to_owned(), expected: case.expected, outcome, aux, passed }
    };
    if let Some(m) = case.mocks.iter().find(|m| !policy.module_names.contains(&m.name)) {
        return result(
            Outcome::Raised(format!(
                "AttributeError: <module '{}'> does not have the attribute '{}' (mocked by this test)",
                policy.meta.id, m.name
            )),
            Vec::new(),
        );
    }
    let resource = match serde_json::from_str::<serde_json::Value>(case.resource) {
        Err(e) => return result(Outcome::InvalidResource(e.to_string()), Vec::new()),
        Ok(r) => r,
    };
    match (policy.detect_json)(&resource, &TestContext::new(case)) {
        Err(EvalError::Resource(msg)) => result(Outcome::InvalidResource(msg), Vec::new()),
        Err(EvalError::Exception(e)) => result(Outcome::Raised(e.to_string()), Vec::new()),
        Ok(detection) => {
            let outcome = match detection.result {
                Ok(b) => Outcome::Returned(b),
                Err(e) => Outcome::Raised(e.to_string()),
            };
            let aux = if case.expected {
                Vec::new()
            } else {
                detection
                    .aux
                    .into_iter()
                    .map(|(f, r)| AuxResult { function: f.display_name().to_owned(), output: r.map_err(|e| e.to_string()) })
                    .collect()
            };
            result(outcome, aux)
        }
    }
}

/// Runs every embedded test case of `policy`.
pub fn run_policy(policy: &Policy) -> PolicyReport {
    PolicyReport {
        id: policy.meta.id.to_owned(),
        file: policy.meta.spec_file.to_owned(),
        diagnostics: Vec::new(),
        cases: policy.tests.iter().map(|case| run_case(policy, case)).collect(),
    }
}

/// Runs every embedded test case of every policy in `registry`.
pub fn run_all(registry: &[&Policy]) -> Report {
    Report::new(registry.iter().map(|p| run_policy(p)).collect())
}

/// For generated `#[test]`s: runs test case `index` of `policy` and panics
/// with Panther's layout when it fails.
///
/// # Panics
///
/// When the case fails, or `index` is out of range.
#[expect(clippy::panic, reason = "this is the assertion of a #[test]")]
pub fn assert_case(policy: &Policy, index: usize) {
    let Some(case) = policy.tests.get(index) else {
        panic!("{} has no test case {index}", policy.meta.id);
    };
    let result = run_case(policy, case);
    if !result.passed {
        let mut text = String::new();
        render_case(&mut text, &result);
        panic!("{}\n{text}", policy.meta.id);
    }
}

/// Renders a report in Panther's test layout, ending with the line
/// `N passed, N failed`.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for policy in &report.policies {
        let _ = writeln!(out, "{}", policy.id);
        for diagnostic in &policy.diagnostics {
            let _ = writeln!(out, "\t[ERROR] {diagnostic}");
        }
        if policy.cases.is_empty() && policy.diagnostics.is_empty() {
            let _ = writeln!(out, "\tNo tests configured for {}", policy.id);
        }
        for case in &policy.cases {
            render_case(&mut out, case);
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{} passed, {} failed", report.passed, report.failed);
    out
}

fn render_case(out: &mut String, case: &CaseResult) {
    let mark = |ok: bool| if ok { "[PASS]" } else { "[FAIL]" };
    let _ = writeln!(out, "\t{} {}", mark(case.passed), case.name);
    match &case.outcome {
        Outcome::Returned(b) => {
            let _ = writeln!(out, "\t\t{} [policy] {b}", mark(case.passed));
        }
        Outcome::Raised(e) => {
            let _ = writeln!(out, "\t\t[FAIL] [policy] {e}");
        }
        Outcome::InvalidResource(e) => {
            let _ = writeln!(out, "\t\t[FAIL] [resource] {e}");
        }
    }
    for aux in &case.aux {
        match &aux.output {
            Ok(v) => {
                let _ = writeln!(out, "\t\t[PASS] [{}] {v}", aux.function);
            }
            Err(e) => {
                let _ = writeln!(out, "\t\t[FAIL] [{}] {e}", aux.function);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::aux::Detection;
    use crate::policy::{PolicyMeta, Severity};

    static META: PolicyMeta = PolicyMeta {
        id: "Test.Policy",
        display_name: None,
        enabled: true,
        severity: Severity::Low,
        resource_types: &[],
        tags: &[],
        reports: &[],
        description: None,
        runbook: None,
        reference: None,
        suppressions: &[],
        spec_file: "t.yml",
        python_file: "t.py",
    };

    fn eval(_: &serde_json::Value, ctx: &dyn Context) -> Result<bool, EvalError> {
        Ok(ctx.mock("ALLOW").is_some())
    }

    fn detect(v: &serde_json::Value, ctx: &dyn Context) -> Result<Detection, EvalError> {
        let result = eval(v, ctx)?;
        Ok(Detection { result: Ok(result), aux: Vec::new() })
    }

    static POLICY: Policy = Policy {
        meta: &META,
        eval_json: eval,
        detect_json: detect,
        tests: &[
            TestCase { name: "mocked", expected: true, resource: "{}", mocks: &[Mock { name: "ALLOW", value: MockValue::Bool(true) }] },
            TestCase { name: "unknown mock", expected: true, resource: "{}", mocks: &[Mock { name: "NOPE", value: MockValue::Bool(true) }] },
            TestCase { name: "bad json", expected: false, resource: "{", mocks: &[] },
        ],
        module_names: &["ALLOW"],
    };

    #[test]
    fn mocks_reach_the_policy_and_unknown_mocks_fail_clearly() {
        let report = run_all(&[&POLICY]);
        let cases = &report.policies.first().unwrap().cases;
        assert!(cases.first().unwrap().passed);
        let unknown = cases.get(1).unwrap();
        assert!(!unknown.passed);
        assert_eq!(
            unknown.outcome,
            Outcome::Raised("AttributeError: <module 'Test.Policy'> does not have the attribute 'NOPE' (mocked by this test)".into())
        );
        assert!(matches!(cases.get(2).unwrap().outcome, Outcome::InvalidResource(_)));
        assert_eq!((report.passed, report.failed), (1, 2));
        let text = render_text(&report);
        assert!(text.ends_with("1 passed, 2 failed\n"), "{text}");
        assert!(text.contains("\t[FAIL] unknown mock\n"));
    }
}
