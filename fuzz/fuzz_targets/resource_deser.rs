//! Every resource struct of `pounce_runtime::resources` from arbitrary
//! bytes, then the repository's policies on whatever parses.
//!
//! - the struct of the input's `ResourceType` (found as the registry finds
//!   it, `quick_resource_type`), or every struct when the input names no
//!   known type, from the bytes (`serde_json::from_slice`), from the text
//!   through the registry's reader (`registry::parse_str`) and from a JSON
//!   value (`resource_from_json`); a struct that parses serialises back to
//!   a value that parses to the same struct, and its Python view answers
//!   every key it lists;
//! - the five compiled policies of `pounce-checks` (checked-in code) on the
//!   value, directly (`eval_json`, `detect_json`) and through a registry
//!   (JSON dispatch by `ResourceType`), and the same policies compiled by
//!   `build.rs` with typed groups on the text (typed dispatch) and on each
//!   typed struct;
//! - both registries give the same answers on the same text.
//!
//! `POUNCE_FUZZ_NO_DIFF=1` turns off the last check (see README.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pounce_fuzz::{env_flag, FixedClock, REGISTRY as TYPED};
use pounce_runtime::registry::{self, Evaluation, Registry};
use pounce_runtime::resources::*;
use pounce_runtime::read::StructFields;
use pounce_runtime::{resource_from_json, EvalError, Resource};
use serde::Serialize;
use serde_json::Value;

static JSON: Registry = Registry::from_policies(pounce_checks::POLICIES);

type Check = fn(&[u8], Option<&str>, Option<&Value>);

fn one<R: Resource + StructFields + Serialize + PartialEq + std::fmt::Debug + 'static>(data: &[u8], text: Option<&str>, value: Option<&Value>) {
    if let Ok(r) = serde_json::from_slice::<R>(data) {
        let back = serde_json::to_value(&r).expect("a parsed resource serialises");
        let again: R = serde_json::from_value(back.clone()).expect("a serialised resource parses");
        assert_eq!(r, again, "round trip of {} through {back}", R::RESOURCE_TYPE);
        for key in r.py_keys() {
            assert!(r.py_get(key).is_some(), "{} lists `{key}` but has no value for it", R::RESOURCE_TYPE);
        }
        let mut out = Vec::new();
        TYPED.plan(|_| true).evaluate(&r, &FixedClock, true, &mut out);
        JSON.plan(|_| true).evaluate(&r, &FixedClock, true, &mut out);
    }
    if let Some(text) = text {
        let _ = registry::parse_str::<R>(text);
    }
    if let Some(value) = value {
        let _ = resource_from_json::<R>(value);
        let _ = registry::parse_json::<R>(value);
    }
}

macro_rules! structs {
    ($($ty:ty),* $(,)?) => {
        /// Every resource struct, with its `ResourceType`.
        const STRUCTS: &[(&str, Check)] = &[$((<$ty as Resource>::RESOURCE_TYPE, one::<$ty>)),*];
    };
}

structs!(
    AcmCertificate, CloudFormationStack, CloudTrail, CloudTrailMeta, CloudWatchLogGroup, ConfigRecorder,
    ConfigRecorderMeta, DynamoDbTable, Ami, Ec2Instance, NetworkAcl, SecurityGroup, Vpc, Ec2Volume, EcsCluster,
    EksCluster, ApplicationLoadBalancer, GuardDutyDetector, GuardDutyDetectorMeta, IamGroup, IamPolicy, IamRole,
    IamRootUser, IamUser, KmsKey, LambdaFunction, PasswordPolicy, RdsInstance, RedshiftCluster,
    Route53HostedZone, Route53Domain, S3Bucket, WafRegionalWebAcl, WafWebAcl,
);

/// What a comparison between registries looks at: the policy, its answer
/// (exceptions by class and message; unreadable resources as such) and its
/// auxiliary outputs.
fn key(e: &Evaluation) -> (String, String, Vec<String>) {
    let result = match &e.result {
        Ok(b) => b.to_string(),
        Err(EvalError::Exception(x)) => format!("{x}"),
        Err(EvalError::Resource(_)) => "unreadable".to_owned(),
    };
    let aux = e.aux.iter().map(|(f, r)| format!("{f:?}={r:?}")).collect();
    (e.policy.meta.id.to_owned(), result, aux)
}

fuzz_target!(|data: &[u8]| {
    let text = std::str::from_utf8(data).ok();
    let value: Option<Value> = serde_json::from_slice(data).ok();
    assert_eq!(STRUCTS.len(), pounce_runtime::resources::RESOURCE_TYPES.len(), "a struct is missing here");
    let named = text.and_then(registry::quick_resource_type);
    match STRUCTS.iter().find(|(rt, _)| Some(*rt) == named) {
        Some((_, check)) => check(data, text, value.as_ref()),
        None => STRUCTS.iter().for_each(|(_, check)| check(data, text, value.as_ref())),
    }

    if let Some(value) = &value {
        for p in pounce_checks::POLICIES {
            let _ = (p.eval_json)(value, &FixedClock);
            let _ = (p.detect_json)(value, &FixedClock);
        }
        let mut out = Vec::new();
        JSON.plan(|_| true).evaluate_json(value, &FixedClock, true, &mut out);
    }
    let Some(text) = text else { return };
    for p in TYPED.policies() {
        let _ = TYPED.evaluate_policy_str(p, text, &FixedClock, true);
    }
    let (mut typed, mut json) = (Vec::new(), Vec::new());
    let typed_record = TYPED.plan(|_| true).evaluate_str(text, &FixedClock, true, &mut typed);
    let json_record = JSON.plan(|_| true).evaluate_str(text, &FixedClock, true, &mut json);
    if env_flag("POUNCE_FUZZ_NO_DIFF") {
        return;
    }
    assert_eq!(typed_record.is_ok(), json_record.is_ok(), "typed: {typed_record:?}\njson: {json_record:?}");
    let mut typed: Vec<_> = typed.iter().map(key).collect();
    let mut json: Vec<_> = json.iter().map(key).collect();
    typed.sort();
    json.sort();
    assert_eq!(typed, json, "the typed and JSON registries disagree");
});
