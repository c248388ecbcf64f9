//! The scanner's input reader (`crates/pounce/src/input.rs`) on arbitrary
//! bytes, then a whole scan of them in memory.
//!
//! Reader oracles, in both blank-line modes:
//! - batches are well formed (ranges inside the buffer, in order, at most
//!   `BATCH_RECORDS` records) and line numbers never go back;
//! - every byte is accounted for (`bytes` sums to the input's length);
//! - the records do not depend on how the input is split into reads (all
//!   at once, as from a file, or in pieces of 1, 3 or 64 bytes, as from a
//!   pipe);
//! - JSON Lines (first non-blank byte not `[`): the records are the lines
//!   without their line ends, numbered from 1; blank ones dropped when
//!   skipping, kept without text otherwise;
//! - a valid JSON array: the records are its elements.
//!
//! Then `pounce scan` of the bytes over the repository's policies (the
//! `pounce` binary's registry, and the typed one `build.rs` compiles):
//! every record is a resource or an invalid record, JSON Lines output is
//! one JSON object per line, SARIF output is one JSON document, and both
//! registries count the same passes, alerts and errors
//! (`POUNCE_FUZZ_NO_DIFF=1` turns off the last check).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pounce::fuzzing::{self, Blank, BATCH_RECORDS};
use pounce::Format;
use pounce_fuzz::{env_flag, REGISTRY as TYPED};
use pounce_runtime::Registry;
use serde_json::Value;

static JSON: Registry = Registry::from_policies(pounce_checks::POLICIES);

type Records = Vec<(u64, Result<Vec<u8>, String>)>;

/// The records, bytes and lines the reader reports.
fn read(data: &[u8], blank: Blank, chunk: usize) -> (Records, u64, u64) {
    let batches = fuzzing::batches(data, blank, chunk).expect("reading memory never fails");
    let (mut records, mut bytes, mut lines, mut last_line) = (Vec::new(), 0, 0, 0);
    for b in &batches {
        assert!(b.items.len() <= BATCH_RECORDS, "a batch of {} records", b.items.len());
        assert!(!b.items.is_empty() || b.bytes > 0, "an empty batch");
        let mut end = 0;
        for item in &b.items {
            let r = item.range.clone();
            assert!(end <= r.start && r.start <= r.end && r.end <= b.buf.len(), "range {r:?} after {end} in {}", b.buf.len());
            end = r.end;
            assert!(item.line >= last_line.max(1), "line {} after line {last_line}", item.line);
            last_line = item.line;
            let record = match &item.error {
                Some(e) => Err(e.clone()),
                None => Ok(b.buf[r].to_vec()),
            };
            records.push((item.line, record));
        }
        bytes += b.bytes;
        lines += b.lines;
    }
    assert_eq!(bytes, data.len() as u64, "bytes consumed");
    (records, bytes, lines)
}

/// The lines of JSON Lines `data`, numbered from 1, without line ends.
fn expected_lines(data: &[u8], blank: Blank) -> Records {
    let mut out = Vec::new();
    let mut pieces: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.last() == Some(&b'\n') || data.is_empty() {
        pieces.pop();
    }
    for (i, piece) in pieces.into_iter().enumerate() {
        let mut end = piece.len();
        while end > 0 && piece[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &piece[..end];
        if line.iter().all(u8::is_ascii_whitespace) {
            // A blank line: skipped, or kept as a record without text.
            if blank == Blank::Keep {
                out.push((i as u64 + 1, Ok(Vec::new())));
            }
            continue;
        }
        out.push((i as u64 + 1, Ok(line.to_vec())));
    }
    out
}

fn check_reader(data: &[u8], blank: Blank) {
    let whole = read(data, blank, 0);
    for chunk in [1, 3, 64] {
        assert_eq!(read(data, blank, chunk), whole, "reading in pieces of {chunk} bytes");
    }
    let records = whole.0;
    let is_array = data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if !is_array {
        assert_eq!(records, expected_lines(data, blank), "JSON Lines");
    } else if let Ok(Value::Array(elements)) = serde_json::from_slice::<Value>(data) {
        assert_eq!(records.len(), elements.len(), "elements of {}", String::from_utf8_lossy(data));
        for ((_, record), element) in records.iter().zip(&elements) {
            let record = record.as_ref().expect("an element of a valid array is a record");
            let parsed: Value = serde_json::from_slice(record).expect("an element of a valid array parses");
            assert_eq!(&parsed, element);
        }
    }
}

fn check_scan(registry: &Registry, data: &[u8], format: Format, records: usize) -> pounce::Summary {
    let (summary, out) = fuzzing::scan(registry, data, format).expect("a scan of memory runs");
    assert_eq!(summary.resources + summary.invalid, records as u64, "records scanned");
    assert_eq!(summary.bytes, data.len() as u64, "bytes scanned");
    match format {
        Format::Jsonl => {
            for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let v: Value = serde_json::from_slice(line).expect("a JSON Lines finding is JSON");
                assert!(v.is_object(), "a finding is an object");
            }
        }
        Format::Sarif => {
            let _: Value = serde_json::from_slice(&out).expect("SARIF output is one JSON document");
        }
        Format::Table | Format::None => {}
    }
    summary
}

fuzz_target!(|data: &[u8]| {
    check_reader(data, Blank::Keep);
    check_reader(data, Blank::Skip);
    let records = read(data, Blank::Skip, 0).0.len();
    let json = check_scan(&JSON, data, Format::Jsonl, records);
    let typed = check_scan(&TYPED, data, Format::Sarif, records);
    check_scan(&TYPED, data, Format::Table, records);
    if !env_flag("POUNCE_FUZZ_NO_DIFF") {
        assert_eq!((json.pass, json.alert, json.error), (typed.pass, typed.alert, typed.error), "the typed and JSON registries disagree");
    }
});
