//! The `pounce` command line, served over this crate's policies by the
//! `example-pounce` binary: scan, eval, list, --version.

#![expect(clippy::indexing_slicing, reason = "tests: indexing JSON values gives `Null`, and a short list fails the test")]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use pounce_runtime::serde_json::{self, Value};

const BIN: &str = env!("CARGO_BIN_EXE_example-pounce");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| unreachable!("cannot run {BIN}: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().unwrap_or_else(|e| unreachable!("{e}"))
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or(Value::Null)).collect()
}

const ENCRYPTED: &str = r#"{"ResourceType":"AWS.EC2.Volume","ResourceId":"vol-1","Encrypted":true}"#;
const PLAIN: &str = r#"{"ResourceType":"AWS.EC2.Volume","ResourceId":"vol-2","Encrypted":false}"#;
const BUCKET: &str = r#"{"ResourceType":"AWS.S3.Bucket","ResourceId":"arn:aws:s3:::b","Versioning":"Enabled"}"#;
const OTHER: &str = r#"{"ResourceType":"AWS.EC2.AMI","ResourceId":"ami-1"}"#;

fn temp_file(name: &str, text: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("pounce-example-cli-{}", std::process::id())).join(name);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = std::fs::write(&path, text);
    path
}

#[test]
fn scan_reports_findings_and_exits_1() {
    let out = run(&["scan", "-"], &[ENCRYPTED, PLAIN, BUCKET, OTHER].join("\n"));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let found = lines(&out);
    assert_eq!(found.len(), 1);
    let f = &found[0];
    assert_eq!(f["policy_id"], "Example.EC2.Volume.Encrypted");
    assert_eq!(f["result"], "alert");
    assert_eq!(f["line"], 2);
    assert_eq!(f["severity"], "Medium");
    assert_eq!(f["resource_id"], "vol-2");
    assert_eq!(f["title"], "EBS volume vol-2 is not encrypted");
    assert_eq!(f["dedup"], "EBS volume vol-2 is not encrypted");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("4 resources") && summary.contains("1 alert"), "{summary}");
}

#[test]
fn scan_of_clean_input_exits_0_and_malformed_lines_exit_2() {
    let clean = run(&["scan"], &[ENCRYPTED, BUCKET].join("\n"));
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());

    let out = run(&["scan", "-"], &[ENCRYPTED, "{not json", BUCKET].join("\n"));
    assert_eq!(out.status.code(), Some(2));
    let found = lines(&out);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["result"], "invalid");
    assert_eq!(found[0]["line"], 2);
}

#[test]
fn scan_reads_arrays_and_directories_and_filters() {
    let array = temp_file("dir/resources.json", &format!("[\n{PLAIN},\n{BUCKET}\n]\n"));
    let _ = temp_file("dir/more.jsonl", &format!("{PLAIN}\n"));
    let dir = array.parent().map(PathBuf::from).unwrap_or_default();
    let summary = dir.join("summary.json.out");
    let out = run(&["scan", &dir.to_string_lossy(), "--summary-json", &summary.to_string_lossy(), "--passes"], "");
    assert_eq!(out.status.code(), Some(1));
    let found = lines(&out);
    assert_eq!(found.len(), 3, "{found:?}");
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&summary).unwrap_or_default()).unwrap_or(Value::Null);
    assert_eq!(s["resources"], 3);
    assert_eq!(s["per_policy"]["Example.EC2.Volume.Encrypted"]["alert"], 2);
    assert_eq!(s["per_policy"]["Example.S3.Bucket.Versioning"]["pass"], 1);

    let only = run(&["scan", &array.to_string_lossy(), "--severity", "low"], "");
    assert_eq!(only.status.code(), Some(0));
    let only = run(&["scan", &array.to_string_lossy(), "--resource-type", "AWS.S3.Bucket", "--passes"], "");
    assert_eq!(lines(&only).len(), 1);
    let unknown = run(&["scan", &array.to_string_lossy(), "--policy", "No.Such.Policy"], "");
    assert_eq!(unknown.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn scan_writes_sarif_and_tables() {
    let out = run(&["scan", "--format", "sarif"], &[PLAIN, "oops", BUCKET].join("\n"));
    assert_eq!(out.status.code(), Some(2));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(log["version"], "2.1.0");
    let run0 = &log["runs"][0];
    assert_eq!(run0["tool"]["driver"]["rules"].as_array().map(Vec::len), Some(2));
    assert_eq!(run0["results"].as_array().map(Vec::len), Some(1));
    assert_eq!(run0["results"][0]["ruleId"], "Example.EC2.Volume.Encrypted");
    assert_eq!(run0["results"][0]["level"], "warning");
    assert_eq!(run0["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);

    let table = run(&["scan", "--format", "table"], PLAIN);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("RESULT") && text.contains("vol-2"), "{text}");
}

#[test]
fn eval_one_resource_and_a_stream() {
    let out = run(&["eval", "--policy", "Example.EC2.Volume.Encrypted"], PLAIN);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(lines(&out), [serde_json::json!({"result": false})]);

    let out = run(&["eval", "--policy", "Example.EC2.Volume.Encrypted", "--aux"], PLAIN);
    assert_eq!(lines(&out)[0]["title"], "EBS volume vol-2 is not encrypted");

    let input = [ENCRYPTED, "", "[1]", PLAIN, "{bad"].join("\n");
    let out = run(&["eval", "--policy", "Example.EC2.Volume.Encrypted", "--jsonl"], &input);
    assert_eq!(out.status.code(), Some(2));
    let got = lines(&out);
    assert_eq!(got.len(), 5);
    assert_eq!(got[0], serde_json::json!({"result": true}));
    assert!(got[1]["error"].is_string());
    assert!(got[2]["error"].is_string());
    assert_eq!(got[3], serde_json::json!({"result": false}));
    assert!(got[4]["error"].as_str().is_some_and(|e| e.starts_with("invalid JSON")));

    let unknown = run(&["eval", "--policy", "Nope"], PLAIN);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn list_and_version_describe_the_rule_set() {
    let out = run(&["list"], "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 2);
    assert!(text.contains("Example.S3.Bucket.Versioning\tenabled\tLow\tAWS.S3.Bucket\tExample,Storage"), "{text}");
    let out = run(&["--version"], "");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("rules:") && text.contains("built by build.rs") && text.contains("2 policies"), "{text}");
}
