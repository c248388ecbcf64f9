//! Every error path a user of the `pounce` command line can reach, as the
//! text they see: exit code, stdout and stderr (timings redacted), one
//! snapshot per path. The binary serves this repository's `rules/`
//! (`AWS.AMI.Private` raises `KeyError` on an AMI without `OwnerId`).
//! Review snapshot diffs as changes of the messages themselves.

#![expect(clippy::expect_used, reason = "tests")]

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_pounce");

const AMI_OK: &str = r#"{"ResourceType":"AWS.EC2.AMI","ResourceId":"ami-1","OwnerId":"1","AccountId":"1","Public":false}"#;
const AMI_RAISES: &str = r#"{"ResourceType":"AWS.EC2.AMI","ResourceId":"ami-2","AccountId":"1","Public":true}"#;

/// Runs `pounce args…` with `stdin`; the report a user sees.
fn run(args: &[&str], stdin: &[u8]) -> String {
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pounce runs");
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin);
    }
    let out = child.wait_with_output().expect("pounce finishes");
    let redact = |b: &[u8]| {
        let text = String::from_utf8_lossy(b).into_owned();
        let text = regex::Regex::new(r"in \d+\.\d+ s \(\d+\.\d+ MB/s, \d+ threads?").expect("regex").replace_all(&text, "in [time] ([rate], [threads]");
        let dir = std::env::temp_dir().join(format!("pounce-errors-{}", std::process::id()));
        text.replace(&*dir.to_string_lossy(), "[tmp]")
    };
    format!(
        "args: {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        redact(format!("{args:?}").as_bytes()),
        out.status.code().map_or_else(|| "signal".to_owned(), |c| c.to_string()),
        redact(&out.stdout),
        redact(&out.stderr)
    )
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pounce-errors-{}", std::process::id()));
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    std::fs::write(&path, bytes).expect("temp file");
    path
}

macro_rules! paths {
    ($($name:ident: $args:expr, $stdin:expr;)*) => {
        $(
            #[test]
            fn $name() {
                let args: Vec<String> = $args;
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                insta::assert_snapshot!(stringify!($name), run(&args, $stdin));
            }
        )*
    };
}

fn a(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

paths! {
    scan_line_not_json: a(&["scan", "-"]), format!("{AMI_OK}\n{{\"ResourceType\": \n{AMI_OK}\n").as_bytes();
    scan_line_not_an_object: a(&["scan", "-"]), b"[1, 2]\n\"text\"\n42\nnull\n";
    scan_line_not_utf8: a(&["scan", "-"]), b"{\"ResourceType\": \"AWS.EC2.AMI\", \"Name\": \"\xff\xfe\"}\n";
    scan_array_not_closed: a(&["scan", "-"]), format!("[{AMI_OK},\n{AMI_OK}").as_bytes();
    scan_array_element_not_an_object: a(&["scan", "-"]), format!("[{AMI_OK},\n7]").as_bytes();
    scan_policy_raises: a(&["scan", "-"]), format!("{AMI_RAISES}\n").as_bytes();
    scan_policy_raises_sarif: a(&["scan", "-", "--format", "sarif"]), format!("{AMI_RAISES}\n{{oops\n").as_bytes();
    scan_policy_raises_table: a(&["scan", "-", "--format", "table"]), format!("{AMI_RAISES}\n{{oops\n").as_bytes();
    scan_missing_input: a(&["scan", "/nonexistent/pounce-input.jsonl"]), b"";
    scan_unknown_policy: a(&["scan", "-", "--policy", "AWS.AMI.Privat"]), b"";
    scan_unknown_severity: a(&["scan", "-", "--severity", "urgent"]), b"";
    scan_unknown_format: a(&["scan", "-", "--format", "xml"]), b"";
    scan_unknown_resource_type_filter: a(&["scan", "-", "--resource-type", "AWS.EC2.Ami"]), b"";
    eval_unknown_policy: a(&["eval", "--policy", "AWS.AMI.Privat"]), AMI_OK.as_bytes();
    eval_not_json: a(&["eval", "--policy", "AWS.AMI.Private"]), b"{\"ResourceType\":";
    eval_empty_input: a(&["eval", "--policy", "AWS.AMI.Private"]), b"";
    eval_not_an_object: a(&["eval", "--policy", "AWS.AMI.Private"]), b"[]";
    eval_other_resource_type: a(&["eval", "--policy", "AWS.AMI.Private"]), br#"{"ResourceType": "AWS.S3.Bucket", "Name": "b"}"#;
    eval_policy_raises: a(&["eval", "--policy", "AWS.AMI.Private"]), AMI_RAISES.as_bytes();
    eval_jsonl_mixed: a(&["eval", "--policy", "AWS.AMI.Private", "--jsonl"]), format!("{AMI_OK}\n\n{{bad\n[1]\n{AMI_RAISES}\n").as_bytes();
    no_subcommand: a(&[]), b"";
    // A resource string nested 100,000 levels deep: `json.loads` raises
    // `RecursionError` (not a `ValueError` the policy catches), and the
    // next record is scanned.
    scan_policy_document_nested_too_deep: a(&["scan", "-", "--policy", "AWS.S3.Bucket.TLSOnly"]), format!(
        "{{\"ResourceType\":\"AWS.S3.Bucket\",\"Name\":\"deep\",\"Policy\":\"{}\"}}\n{{\"ResourceType\":\"AWS.S3.Bucket\",\"Name\":\"next\",\"Policy\":\"{{}}\"}}\n",
        "[".repeat(100_000)
    ).as_bytes();
}

#[test]
fn scan_directory_with_a_bad_file() {
    let good = temp("dir/good.jsonl", format!("{AMI_OK}\n").as_bytes());
    let _ = temp("dir/bad.json", b"[{\"ResourceType\": \"AWS.EC2.AMI\",");
    let dir = good.parent().map(PathBuf::from).expect("dir");
    insta::assert_snapshot!("scan_directory_with_a_bad_file", run(&["scan", &dir.to_string_lossy()], b""));
    let _ = std::fs::remove_dir_all(dir);
}
