//! The round trip of the detection catalog's conditions over `rules/`:
//! for every policy, its condition (rendered from the IR, printed, parsed
//! back) evaluates on every embedded test resource to the outcome of the
//! compiled policy in `pounce-checks` (alerts exactly when it returns
//! `False`; the same exception when it raises).
//!
//! The same check over any rules directory, against a fresh build of its
//! policies: `cargo xtask docs --rules DIR --out TMP`.

#![expect(clippy::expect_used, reason = "tests")]

use std::path::Path;

use pounce_codegen::analyze::analyze;
use pounce_codegen::condition;
use pounce_runtime::testing::TestContext;

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../rules");

#[test]
fn every_condition_of_rules_agrees_with_the_compiled_policy() {
    let analyzed = analyze(Path::new(RULES), "rules");
    assert!(analyzed.failed.is_empty(), "rules/ does not compile");
    let mut problems = Vec::new();
    let mut compared = 0;
    for p in &analyzed.policies {
        let program = condition::render(p);
        let text = program.to_text();
        let parsed = match condition::parse(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                problems.push(format!("{}: the condition does not parse back: {e}\n{text}", p.spec.id));
                continue;
            }
        };
        if parsed != program {
            problems.push(format!("{}: the condition parses back to another program\n{text}", p.spec.id));
            continue;
        }
        // A stale `pounce-checks` is reported by `generated_code_is_fresh`.
        let Some(compiled) = pounce_checks::find(&p.spec.id) else { continue };
        for (spec_case, case) in p.spec.tests.iter().zip(compiled.tests) {
            if case.mocks.iter().any(|m| !compiled.module_names.contains(&m.name)) {
                continue;
            }
            let resource: serde_json::Value = serde_json::from_str(case.resource).expect("test resources are JSON");
            let ctx = TestContext::new(case);
            let want = (compiled.eval_json)(&resource, &ctx).map(|compliant| !compliant);
            let got = condition::evaluate(&parsed, &p.spec.id, &p.spec.resource_types, &resource, &ctx);
            compared += 1;
            if got != want {
                problems.push(format!("{} `{}`: compiled {want:?}, condition {got:?}\n{text}", p.spec.id, spec_case.name));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(compared > 0, "no test case was compared");
}
