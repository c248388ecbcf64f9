//! The condition language on fixture policies that use every construct the
//! compiler accepts (`tests/conditions/`): each policy's condition is
//! snapshotted, parses back to the same program, prints back to the same
//! text, and evaluates on every embedded test resource to the outcome
//! CPython gives (the test's `ExpectedResult`, or, for a test named
//! `raises <Exception>: <message>`, that exception).
//!
//! That the conditions also agree with the compiled policies is checked by
//! `cargo xtask docs --rules crates/pounce-codegen/tests/conditions --out
//! <tmp>`, which builds them.

#![expect(clippy::expect_used, clippy::panic, reason = "tests")]

use std::path::Path;

use pounce_codegen::analyze::{analyze, AnalyzedPolicy};
use pounce_codegen::condition;
use pounce_codegen::load::{MockReturn, TestSpec};
use pounce_runtime::{Context, EvalError, MockValue};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conditions");

struct Mocks(Vec<(String, MockValue)>);

impl Context for Mocks {
    fn mock(&self, name: &str) -> Option<&MockValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

fn mocks(case: &TestSpec) -> Mocks {
    Mocks(
        case.mocks
            .iter()
            .map(|m| {
                let v = match &m.value {
                    MockReturn::Str(s) => MockValue::Str(Box::leak(s.clone().into_boxed_str())),
                    MockReturn::Bool(b) => MockValue::Bool(*b),
                };
                (m.name.clone(), v)
            })
            .collect(),
    )
}

fn policy(id: &str) -> AnalyzedPolicy {
    let analyzed = analyze(Path::new(FIXTURES), "tests/conditions");
    let failed: Vec<String> = analyzed.failed.iter().flat_map(|(_, _, ds)| ds.iter().map(|d| d.one_line())).collect();
    assert!(failed.is_empty(), "a fixture does not compile:\n{}", failed.join("\n"));
    analyzed.policies.into_iter().find(|p| p.spec.id == id).unwrap_or_else(|| panic!("no fixture {id}"))
}

/// What CPython does on `case`, as the condition says it: `Ok(alerts)` or
/// the exception's text.
fn expected(case: &TestSpec) -> Result<bool, String> {
    match case.name.strip_prefix("raises ") {
        Some(exception) => Err(exception.to_owned()),
        None => Ok(!case.expected_result),
    }
}

fn check(id: &str, snapshot: &str) {
    let p = policy(id);
    let program = condition::render(&p);
    let text = program.to_text();
    insta::assert_snapshot!(snapshot, text);
    let parsed = condition::parse(&text).unwrap_or_else(|e| panic!("{id}: the condition does not parse back: {e}\n{text}"));
    assert_eq!(parsed, program, "{id}: the condition parses back to another program");
    assert_eq!(parsed.to_text(), text, "{id}: printing is not stable");
    assert_eq!(condition::unknown_fields(&parsed, &p.spec.resource_types), Vec::<String>::new(), "{id}");
    let mut wrong = Vec::new();
    for case in &p.spec.tests {
        let got = match condition::evaluate(&parsed, &p.spec.id, &p.spec.resource_types, &case.resource, &mocks(case)) {
            Ok(alerts) => Ok(alerts),
            Err(EvalError::Exception(e)) => Err(e.to_string()),
            Err(EvalError::Resource(m)) => Err(format!("invalid resource: {m}")),
        };
        let want = expected(case);
        if got != want {
            wrong.push(format!("`{}`: CPython {want:?}, the condition {got:?}", case.name));
        }
    }
    assert!(wrong.is_empty(), "{id}:\n{}\n{text}", wrong.join("\n"));
}

#[test]
fn statements() {
    check("Fixture.Statements", "statements");
}

#[test]
fn expressions() {
    check("Fixture.Expressions", "expressions");
}

#[test]
fn mocks_globals_and_several_resource_types() {
    check("Fixture.Mocks", "mocks");
}

/// The catalog page of a fixture, as a whole.
#[test]
fn catalog_page() {
    let p = policy("Fixture.Expressions");
    let attack = pounce_codegen::docs::Attack::parse(
        "# version: 0.0\ntactic\tTA0010\tExfiltration\texfiltration\t\ntactic\tTA0005\tDefense Evasion\tdefense-evasion\t\n\
         technique\tT1537\tTransfer Data to Cloud Account\texfiltration\t\ntechnique\tT1578\tModify Cloud Compute Infrastructure\tdefense-evasion\t\n\
         technique\tT1578.002\tCreate Cloud Instance\tdefense-evasion\t\n",
    )
    .expect("table");
    let page = pounce_codegen::docs::page(&p, &condition::render(&p), &attack);
    assert!(page.contains("| Exfiltration | T1537 Transfer Data to Cloud Account |"), "{page}");
    assert!(page.contains("| Defense Evasion | T1578.002 Modify Cloud Compute Infrastructure: Create Cloud Instance |"), "{page}");
    assert!(page.contains("## Rule body"), "{page}");
    assert!(page.contains("### Exclusions"), "{page}");
}
