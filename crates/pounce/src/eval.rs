//! `pounce eval --policy ID`: one policy on resources from stdin.

use std::io::{self, Read, Write};

use pounce_runtime::registry::{Evaluation, Registry, Status};
use pounce_runtime::{AuxFn, DefaultContext, Policy};
use rayon::prelude::*;
use serde_json::{json, Map, Value};

use crate::input::{Blank, Reader, Source};

/// The JSON line of one result: `{"result": true}`, `{"result": false}`
/// (with the auxiliary outputs when `aux`), or `{"error": "..."}`.
pub fn result_json(result: &Result<Evaluation, String>, aux: bool) -> Value {
    match result {
        Err(message) => json!({ "error": message }),
        Ok(e) => match &e.result {
            Err(err) => json!({ "error": err.to_string() }),
            Ok(b) => {
                let mut m = Map::new();
                m.insert("result".into(), json!(b));
                if aux {
                    for f in AuxFn::ALL {
                        if let Some(text) = e.output(f) {
                            let v = match f {
                                AuxFn::AlertContext => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
                                _ => json!(text),
                            };
                            m.insert(f.python_name().into(), v);
                        }
                    }
                }
                Value::Object(m)
            }
        },
    }
}

fn status(result: &Result<Evaluation, String>) -> Status {
    match result {
        Err(_) => Status::Error,
        Ok(e) => e.status(),
    }
}

fn evaluate(registry: &Registry, policy: &'static Policy, text: &str, aux: bool) -> Result<Evaluation, String> {
    if text.trim().is_empty() {
        return Err("empty input: expected one JSON resource".to_owned());
    }
    registry.evaluate_policy_str(policy, text, &DefaultContext, aux).map_err(|e| format!("invalid JSON: {e}"))
}

/// Exit code of a set of results: 2 if any error, 1 if any alert, else 0.
fn exit_code(worst: Option<Status>) -> u8 {
    match worst {
        Some(Status::Error) => 2,
        Some(Status::Alert) => 1,
        _ => 0,
    }
}

/// Evaluates one resource read whole from stdin.
pub fn eval_one(registry: &Registry, policy: &'static Policy, aux: bool, out: &mut dyn Write) -> io::Result<u8> {
    let mut text = String::new();
    io::stdin().read_to_string(&mut text)?;
    let result = evaluate(registry, policy, &text, aux);
    serde_json::to_writer(&mut *out, &result_json(&result, aux))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(exit_code(Some(status(&result))))
}

/// Evaluates each line of stdin (JSON Lines), one result line per input
/// line, in order; lines are evaluated in parallel in bounded batches.
pub fn eval_lines(registry: &Registry, policy: &'static Policy, aux: bool, out: &mut dyn Write) -> io::Result<u8> {
    let mut reader = Reader::new(vec![Source::Stdin], Blank::Keep);
    let mut worst: Option<Status> = None;
    let mut current = reader.next_batch()?;
    while let Some(batch) = current {
        let (next, results) = rayon::join(
            || reader.next_batch(),
            || {
                batch
                    .items
                    .par_iter()
                    .with_min_len(16)
                    .map(|item| {
                        let result = match (&item.error, batch.text(item)) {
                            (Some(e), _) => Err(e.clone()),
                            (None, Err(e)) => Err(e),
                            (None, Ok(text)) if text.trim().is_empty() => Err("empty line".to_owned()),
                            (None, Ok(text)) => evaluate(registry, policy, text, aux),
                        };
                        let line = result_json(&result, aux);
                        (status(&result), line)
                    })
                    .collect::<Vec<_>>()
            },
        );
        for (s, line) in results {
            worst = worst.max(Some(s));
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
        }
        reader.recycle(batch);
        current = next?;
    }
    out.flush()?;
    Ok(exit_code(worst))
}
