//! The library API over this crate's own policies.

use pounce_example_build_rs::{example_ec2_volume_encrypted, POLICIES, REGISTRY};
use pounce_runtime::registry::Status;
use pounce_runtime::resources::{Ec2Volume, S3Bucket};
use pounce_runtime::{serde_json::json, testing, AuxFn, DefaultContext, Field};

#[test]
fn every_embedded_test_passes() {
    let report = testing::run_all(POLICIES);
    assert!(report.is_success(), "{}", testing::render_text(&report));
    assert_eq!(report.passed, 5);
}

#[test]
fn the_registry_finds_policies_by_id_and_type() {
    assert_eq!(REGISTRY.len(), 2);
    assert_eq!(REGISTRY.get("Example.S3.Bucket.Versioning").map(|p| p.meta.severity.as_str()), Some("Low"));
    assert!(REGISTRY.get("Nope").is_none());
    let ids: Vec<&str> = REGISTRY.for_resource_type("AWS.EC2.Volume").map(|p| p.meta.id).collect();
    assert_eq!(ids, ["Example.EC2.Volume.Encrypted"]);
    assert_eq!(REGISTRY.groups().len(), 2);
}

#[test]
fn typed_structs_are_evaluated_in_place() {
    let volume = Ec2Volume {
        resource_id_: Field::Present("vol-9".into()),
        encrypted: Field::Present(false),
        ..Ec2Volume::default()
    };
    // One policy, typed.
    let detection = example_ec2_volume_encrypted::detect(&volume, &DefaultContext);
    assert_eq!(detection.result, Ok(false));
    assert_eq!(detection.output(AuxFn::Title), Some("EBS volume vol-9 is not encrypted"));
    // Every policy of the struct's type, through the registry.
    let found = REGISTRY.evaluate(&volume, &DefaultContext);
    assert_eq!(found.len(), 1);
    assert!(found.iter().all(|e| e.status() == Status::Alert));
    let bucket = S3Bucket { versioning: Field::Present("Enabled".into()), ..S3Bucket::default() };
    let found = REGISTRY.evaluate(&bucket, &DefaultContext);
    assert_eq!(found.iter().map(|e| e.status()).collect::<Vec<_>>(), [Status::Pass]);
}

#[test]
fn json_values_and_text_are_dispatched_by_resource_type() {
    let value = json!({"ResourceType": "AWS.S3.Bucket", "Versioning": "Suspended"});
    let found = REGISTRY.evaluate_json(&value, &DefaultContext);
    assert_eq!(
        found.iter().map(|e| (e.policy.meta.id, e.status())).collect::<Vec<_>>(),
        [("Example.S3.Bucket.Versioning", Status::Alert)]
    );
    // A type no policy lists: nothing to evaluate.
    assert!(REGISTRY.evaluate_str(r#"{"ResourceType": "AWS.EC2.AMI"}"#, &DefaultContext).is_ok_and(|f| f.is_empty()));
    // Not JSON.
    assert!(REGISTRY.evaluate_str(r#"{"ResourceType": "AWS.S3.Bucket""#, &DefaultContext).is_err());
    // A type field that is not the first `ResourceType` in the text.
    let tricky =
        r#"{"Tags": {"ResourceType": "AWS.EC2.Volume"}, "ResourceType": "AWS.S3.Bucket", "Versioning": "Enabled"}"#;
    let found = REGISTRY.evaluate_str(tricky, &DefaultContext).unwrap_or_default();
    assert_eq!(
        found.iter().map(|e| (e.policy.meta.id, e.status())).collect::<Vec<_>>(),
        [("Example.S3.Bucket.Versioning", Status::Pass)]
    );
    // The same, when the first `ResourceType` names a type no policy lists.
    let tricky = r#"{"Tags": {"ResourceType": "AWS.EC2.AMI"}, "ResourceType": "AWS.EC2.Volume", "Encrypted": false}"#;
    let found = REGISTRY.evaluate_str(tricky, &DefaultContext).unwrap_or_default();
    assert_eq!(found.iter().map(|e| e.status()).collect::<Vec<_>>(), [Status::Alert]);
    // Not an object.
    assert!(REGISTRY.evaluate_str("[1, 2]", &DefaultContext).is_err());
}

#[test]
fn a_plan_selects_policies_once_for_many_resources() {
    let plan = REGISTRY.plan(|p| p.meta.severity >= pounce_runtime::Severity::Medium);
    assert_eq!(plan.policies().len(), 1);
    let mut out = Vec::new();
    for line in [r#"{"ResourceType": "AWS.S3.Bucket"}"#, r#"{"ResourceType": "AWS.EC2.Volume", "Encrypted": true}"#] {
        let record = plan.evaluate_str(line, &DefaultContext, false, &mut out);
        assert!(record.is_ok());
    }
    assert_eq!(out.iter().map(|e| e.status()).collect::<Vec<_>>(), [Status::Pass]);
}
