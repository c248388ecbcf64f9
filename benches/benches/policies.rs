//! Criterion benchmarks, on the same inputs as `../shared/bench/`:
//!
//! - `eval_only`: `policy()` on resources already read into their structs
//!   (every embedded test case of the light set; CPython: `policy(dict)`);
//! - `parse_eval`: read each test resource's JSON text, then `policy()`
//!   (`typed`: straight into the struct, as `pounce scan` does; `value`:
//!   through a `serde_json::Value`, as `Policy::eval_json` does; CPython:
//!   `policy(json.loads(s))`; `parse_only_*`, `validate_only`: where the
//!   read's time goes);
//! - `scan`: the registry over the first `$POUNCE_BENCH_SCAN_MB` (20) MB
//!   of the inventory, every policy of each line's type, on 1 thread and on
//!   all cores (in process; `scripts/bench_scan.py` measures whole
//!   processes).
//!
//! `POUNCE_BENCH_RULES=/tmp/pa/policies cargo bench -p pounce-bench`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pounce_bench::{cases, inventory_lines, REGISTRY};
use pounce_runtime::DefaultContext;
use rayon::prelude::*;

fn eval_only(c: &mut Criterion) {
    let cases = cases(true);
    eprintln!("eval_only: {} test cases of {} policies (light set)", cases.len(), pounce_bench::POLICIES.len());
    let mut g = c.benchmark_group("eval_only");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            for case in &cases {
                black_box((case.typed.eval)(black_box(case.resource.as_ref()), &case.ctx));
            }
        });
    });
    g.finish();
}

fn parse_eval(c: &mut Criterion) {
    let cases = cases(true);
    let mut g = c.benchmark_group("parse_eval");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("typed", |b| {
        b.iter(|| {
            for case in &cases {
                if let Ok(r) = (case.group.parse_str)(black_box(case.test.resource)) {
                    black_box((case.typed.eval)(r.as_ref(), &case.ctx));
                }
            }
        });
    });
    g.bench_function("value", |b| {
        b.iter(|| {
            for case in &cases {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(black_box(case.test.resource)) {
                    let _ = black_box((case.policy.eval_json)(&v, &case.ctx));
                }
            }
        });
    });
    // Where parse time goes: the typed read, a `Value`, and validation
    // alone (what any scanner must pay).
    g.bench_function("parse_only_typed", |b| {
        b.iter(|| {
            for case in &cases {
                black_box((case.group.parse_str)(black_box(case.test.resource)).is_ok());
            }
        });
    });
    g.bench_function("parse_only_value", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(serde_json::from_str::<serde_json::Value>(black_box(case.test.resource)).is_ok());
            }
        });
    });
    g.bench_function("validate_only", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(serde_json::from_str::<serde::de::IgnoredAny>(black_box(case.test.resource)).is_ok());
            }
        });
    });
    g.finish();
}

fn scan(c: &mut Criterion) {
    let mb: usize = std::env::var("POUNCE_BENCH_SCAN_MB").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let lines = match inventory_lines(mb * 1_000_000) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("scan: skipped, cannot read {}: {e}", pounce_bench::inventory_path().display());
            return;
        }
    };
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    // As CPython's scan: every policy of the line's type, enabled or not,
    // except the heavy ones.
    let plan = REGISTRY.plan(|p| !pounce_bench::is_heavy(p));
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("1_thread", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            let mut n = 0usize;
            for line in &lines {
                out.clear();
                if plan.evaluate_str(line, &DefaultContext, false, &mut out).is_ok() {
                    n += out.len();
                }
            }
            black_box(n)
        });
    });
    let threads = rayon::current_num_threads();
    g.bench_function(format!("{threads}_threads"), |b| {
        b.iter(|| {
            let n: usize = lines
                .par_iter()
                .with_min_len(64)
                .map(|line| {
                    let mut out = Vec::new();
                    plan.evaluate_str(line, &DefaultContext, false, &mut out).map_or(0, |_| out.len())
                })
                .sum();
            black_box(n)
        });
    });
    g.finish();
}

criterion_group!(benches, eval_only, parse_eval, scan);
criterion_main!(benches);
