//! Hostile specs (issue #8): policy IDs, names, descriptions, tags and
//! Python constants full of quotes, backslashes, `*/`, `#`, braces, control
//! characters and non-ASCII text, and three IDs that differ only in
//! punctuation and case. `build.rs` compiles `fixtures/adversarial/` with
//! the `build.rs` API; that this file compiles proves the generated code is
//! valid Rust, its embedded cases run as `#[test]`s below (from the
//! include), and the tests here check that every string came through
//! exactly, read independently from the YAML with `serde_yaml`.

#![expect(clippy::expect_used, clippy::indexing_slicing, reason = "tests")]

include!(concat!(env!("OUT_DIR"), "/adversarial_policies.rs"));

use std::path::Path;

use pounce_runtime::registry::{Evaluation, Status};
use pounce_runtime::resources::S3Bucket;
use pounce_runtime::{AuxFn, DefaultContext, Field};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/adversarial");

fn spec(file: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(Path::new(DIR).join(file)).expect("fixture");
    serde_yaml::from_str(&text).expect("fixture YAML")
}

fn text<'v>(v: &'v serde_yaml::Value, key: &str) -> &'v str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} is a string"))
}

fn strings_policy() -> &'static pounce_runtime::Policy {
    REGISTRY.get("Adv.Str\\ings*/#{}'é漢🐆").expect("the strings policy is registered under its exact ID")
}

#[test]
fn metadata_round_trips_exactly() {
    let yaml = spec("strings.yml");
    let meta = strings_policy().meta;
    assert_eq!(meta.id, text(&yaml, "PolicyID"));
    assert_eq!(meta.display_name, Some(text(&yaml, "DisplayName")));
    assert_eq!(meta.description, Some(text(&yaml, "Description")));
    assert_eq!(meta.runbook, Some(text(&yaml, "Runbook")));
    assert_eq!(meta.reference, Some(text(&yaml, "Reference")));
    let tags: Vec<&str> = yaml["Tags"].as_sequence().expect("tags").iter().filter_map(|t| t.as_str()).collect();
    assert_eq!(meta.tags, tags.as_slice());
    assert_eq!(meta.reports.len(), 1);
    assert_eq!(meta.reports[0].0, "Framework */ \\");
    assert_eq!(meta.reports[0].1, &["ID:\"quoted\"#"]);
    // Spot checks written by hand, not read back through serde_yaml.
    assert!(meta.description.expect("description").contains("nul\0end"));
    assert!(meta.description.expect("description").contains("\\\" \\n literal\nline two"));
    assert!(meta.runbook.expect("runbook").ends_with("r##\"raw\"## 漢字\n"));
}

#[test]
fn test_case_names_and_resources_round_trip() {
    let yaml = spec("strings.yml");
    let cases = yaml["Tests"].as_sequence().expect("tests");
    let policy = strings_policy();
    assert_eq!(policy.tests.len(), cases.len());
    for (case, yaml_case) in policy.tests.iter().zip(cases) {
        assert_eq!(case.name, text(yaml_case, "Name"));
        let resource: serde_json::Value = serde_json::from_str(case.resource).expect("embedded resource is JSON");
        let yaml_resource: serde_json::Value = serde_json::to_value(&yaml_case["Resource"]).expect("YAML resource as JSON");
        assert_eq!(resource, yaml_resource, "{}", case.name);
    }
}

/// The Python constant `NASTY`, written here independently as a Rust
/// literal.
const NASTY: &str = "quote\" apostrophe' back\\slash */ /* # {braces} }} {{ \n newline \t tab \0 nul é 漢字 🐆 \\u1234 r#\"x\"#";

fn bucket(name: &str) -> S3Bucket {
    S3Bucket { name: Field::Present(name.to_owned()), ..S3Bucket::default() }
}

#[test]
fn constants_round_trip_exactly() {
    let ctx = DefaultContext;
    assert_eq!(adv_str_ings::policy(&bucket(NASTY), &ctx), Ok(false), "the exact constant matches");
    // One character more, less or changed no longer matches.
    assert_eq!(adv_str_ings::policy(&bucket(&format!("{NASTY}!")), &ctx), Ok(true));
    assert_eq!(adv_str_ings::policy(&bucket(&NASTY[1..]), &ctx), Ok(true));
    assert_eq!(adv_str_ings::policy(&bucket(&NASTY.replace('\0', " ")), &ctx), Ok(true));
    for key in ["*/", "#", "{}", "\"}", "\\", "é"] {
        assert_eq!(adv_str_ings::policy(&bucket(key), &ctx), Ok(false), "{key:?} is a key of NASTY_KEYS");
    }
    for near in ["*", "/", "{", "\"", "\\\\", "e"] {
        assert_eq!(adv_str_ings::policy(&bucket(near), &ctx), Ok(true), "{near:?} is not a key of NASTY_KEYS");
    }
    assert_eq!(adv_str_ings::policy(&bucket("first line \"\"\" */\n\\ second line {}\n"), &ctx), Ok(false));
}

#[test]
fn f_string_braces_and_quotes_render_exactly() {
    let line = serde_json::json!({"ResourceType": "AWS.S3.Bucket", "ResourceId": "x", "Name": NASTY}).to_string();
    let found = REGISTRY.evaluate_str(&line, &DefaultContext).expect("a resource");
    let strings = found.iter().find(|e| std::ptr::eq(e.policy, strings_policy())).expect("evaluated");
    assert_eq!(strings.status(), Status::Alert);
    assert_eq!(strings.output(AuxFn::Title), Some("{literal braces} */ \"quote\"\" é"));
}

#[test]
fn ids_differing_only_in_punctuation_do_not_collide() {
    let ids = ["Adv.Punct-Id", "Adv.Punct.Id", "adv_punct_id"];
    let mut modules = pounce_codegen::module_names(ids.iter().copied());
    modules.sort();
    modules.dedup();
    assert_eq!(modules.len(), 3, "three distinct module names: {modules:?}");
    // Each keeps its own answer on the same resource.
    let line = r#"{"ResourceType": "AWS.S3.Bucket", "ResourceId": "same", "Name": "y"}"#;
    let found = REGISTRY.evaluate_str(line, &DefaultContext).expect("a resource");
    let status = |id: &str| found.iter().find(|e| e.policy.meta.id == id).map(Evaluation::status);
    assert_eq!(status("Adv.Punct-Id"), Some(Status::Pass));
    assert_eq!(status("Adv.Punct.Id"), Some(Status::Alert));
    assert_eq!(status("adv_punct_id"), Some(Status::Alert));
    assert_eq!(POLICIES.len(), 4);
}
