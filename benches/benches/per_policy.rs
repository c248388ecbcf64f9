//! Eval-only time per policy (median of 5 samples of ~40 ms each), slowest
//! first, as `py_baseline.py` reports `eval_per_policy`. Prints a table;
//! `--json FILE` also writes it; `--only ID` times one policy; `--all`
//! times all light cases in one loop; `--count N` runs them N times (for
//! `perf stat`). Not a criterion benchmark.

use std::hint::black_box;
use std::time::Instant;

use pounce_bench::{cases, Case};

fn time_policy(cases: &[&Case]) -> f64 {
    let run = |n: usize| {
        let t = Instant::now();
        for _ in 0..n {
            for c in cases {
                black_box((c.typed.eval)(c.resource.as_ref(), &c.ctx));
            }
        }
        t.elapsed().as_secs_f64()
    };
    let mut n = 1;
    while run(n) < 0.01 {
        n *= 2;
    }
    let per = run(n) / n as f64;
    let reps = ((0.04 / per) as usize).max(1);
    let mut samples: Vec<f64> = (0..5).map(|_| run(reps) / (reps * cases.len()) as f64 * 1e9).collect();
    samples.sort_by(f64::total_cmp);
    samples.get(2).copied().unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--only ID`: time one policy (for a profiler), e.g.
    // `perf record target/release/deps/per_policy-* --only AWS.IAM.Role.ExternalPermission`.
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1)).cloned();
    if args.iter().any(|a| a == "--all") {
        all_cases();
        return;
    }
    // `--count N`: every light case (or those of `--only ID`) N times and
    // nothing else, for counting instructions on a noisy machine
    // (`perf stat -e instructions:u`; subtract a `--count 0` run).
    if let Some(n) = args.iter().position(|a| a == "--count").and_then(|i| args.get(i + 1)).and_then(|n| n.parse::<usize>().ok()) {
        let mut cases = cases(true);
        if let Some(id) = &only {
            cases.retain(|c| c.policy.meta.id == id.as_str());
        }
        let t = Instant::now();
        for _ in 0..n {
            for c in &cases {
                black_box((c.typed.eval)(c.resource.as_ref(), &c.ctx));
            }
        }
        println!("{} cases x {n}: {:.0} ns per evaluation", cases.len(), t.elapsed().as_secs_f64() * 1e9 / (n * cases.len()).max(1) as f64);
        return;
    }
    let mut all = cases(false);
    if let Some(id) = &only {
        all.retain(|c| c.policy.meta.id == id.as_str());
    }
    let mut by_policy: Vec<(&str, Vec<&Case>)> = Vec::new();
    for c in &all {
        match by_policy.iter_mut().find(|(id, _)| *id == c.policy.meta.id) {
            Some((_, v)) => v.push(c),
            None => by_policy.push((c.policy.meta.id, vec![c])),
        }
    }
    let mut rows: Vec<(&str, usize, f64)> = by_policy.iter().map(|(id, cs)| (*id, cs.len(), time_policy(cs))).collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    println!("{:<64} {:>5} {:>12}", "policy", "tests", "ns/eval");
    for (id, n, ns) in &rows {
        println!("{id:<64} {n:>5} {ns:>12.0}");
    }
    if let Some(path) = args.iter().position(|a| a == "--json").and_then(|i| args.get(i + 1)) {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|(id, n, ns)| ((*id).to_owned(), serde_json::json!({"tests": n, "ns_per_eval_median": ns})))
            .collect();
        let _ = std::fs::write(path, serde_json::Value::Object(map).to_string());
    }
}

/// `--all`: eval-only over every light test case in one loop, as
/// criterion's `eval_only/typed` and CPython's `loop_eval` run them (each
/// evaluation meets another policy's code, as in a scan); min and median
/// of 15 samples, for comparing builds on a noisy machine.
fn all_cases() {
    let cases = cases(true);
    let once = || {
        let t = Instant::now();
        for c in &cases {
            black_box((c.typed.eval)(c.resource.as_ref(), &c.ctx));
        }
        t.elapsed().as_secs_f64()
    };
    let reps = ((0.2 / once().max(1e-9)) as usize).max(1);
    let mut samples: Vec<f64> =
        (0..15).map(|_| (0..reps).map(|_| once()).sum::<f64>() / (reps * cases.len()) as f64 * 1e9).collect();
    samples.sort_by(f64::total_cmp);
    let (min, median) = (samples.first().copied().unwrap_or_default(), samples.get(7).copied().unwrap_or_default());
    println!("{} cases: eval-only min {min:.0} ns, median {median:.0} ns per evaluation", cases.len());
}
