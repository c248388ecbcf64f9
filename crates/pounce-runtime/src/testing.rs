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

/// The result of one test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The test's `Name`.
    pub name: String,
    /// Its `ExpectedResult`.
    pub expected: bool,
    /// What happened.
    pub outcome: Outcome,
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

/// Runs one embedded test case of `policy`.
pub fn run_case(policy: &Policy, case: &TestCase) -> CaseResult {
    let outcome = match serde_json::from_str::<serde_json::Value>(case.resource) {
        Err(e) => Outcome::InvalidResource(e.to_string()),
        Ok(resource) => match (policy.eval_json)(&resource, &TestContext::new(case)) {
            Ok(b) => Outcome::Returned(b),
            Err(EvalError::Exception(e)) => Outcome::Raised(e.to_string()),
            Err(EvalError::Resource(msg)) => Outcome::InvalidResource(msg),
        },
    };
    let passed = outcome == Outcome::Returned(case.expected);
    CaseResult { name: case.name.to_owned(), expected: case.expected, outcome, passed }
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
}
