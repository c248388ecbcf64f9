//! `cargo xtask difftest`: differential testing of compiled policies
//! against CPython running the original Python.
//!
//! For each compiled policy, resources are derived from its test resources
//! (a policy without tests borrows those of the policies sharing one of its
//! resource types) by seeded mutations (nulls, removals, type changes, odd strings, near
//! constants, list and object edits), evaluated by CPython (through
//! `xtask/py/difftest_driver.py`, one process per policy, resources in a
//! batch) and by the compiled policy (`pounce eval --jsonl`), and the
//! outcomes compared: `True`, `False`, or the exception's class. Every
//! divergence is minimised and printed; the run ends with
//! `N cases, N divergences`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context as _, Result};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

use crate::codegen::project_root;
use crate::corpus::{build_scratch, cargo_build};

/// Options of `xtask difftest`.
#[derive(Debug)]
pub struct DiffOptions {
    /// The rules directory.
    pub rules: PathBuf,
    /// Panther's global helpers (put on CPython's `sys.path`).
    pub helpers: Option<PathBuf>,
    /// Cases per policy.
    pub cases: usize,
    /// Cases for policies matching `--heavy` (IAM wildcard expansion).
    pub heavy_cases: Option<usize>,
    /// Substring of policy IDs that get `heavy_cases`.
    pub heavy: Vec<String>,
    /// The seed.
    pub seed: u64,
    /// Only policies whose ID contains this.
    pub filter: Option<String>,
    /// The Python interpreter.
    pub python: String,
    /// How many divergences to minimise and print in full.
    pub show: usize,
    /// Build the compiled side in the dev profile (faster to build).
    pub debug: bool,
}

/// The result of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Cases compared.
    pub cases: usize,
    /// Divergent cases.
    pub divergences: usize,
    /// Policies skipped because CPython could not import them.
    pub skipped: usize,
}

/// The outcome of one evaluation, as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Returned(bool),
    Raised(String),
}

impl Outcome {
    fn parse(line: &str) -> Outcome {
        let v: Value = serde_json::from_str(line).unwrap_or(Value::Null);
        match (v.get("result"), v.get("error")) {
            (Some(Value::Bool(b)), _) => Outcome::Returned(*b),
            (_, Some(Value::String(e))) => Outcome::Raised(e.clone()),
            _ => Outcome::Raised(format!("unreadable output: {line}")),
        }
    }

    /// The exception class, for comparison.
    fn class(&self) -> Option<&str> {
        match self {
            Outcome::Returned(_) => None,
            Outcome::Raised(e) => Some(e.split(':').next().unwrap_or(e).trim()),
        }
    }

    fn same(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Returned(a), Outcome::Returned(b)) => a == b,
            (Outcome::Raised(_), Outcome::Raised(_)) => self.class() == other.class(),
            _ => false,
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Returned(true) => f.write_str("True"),
            Outcome::Returned(false) => f.write_str("False"),
            Outcome::Raised(e) => write!(f, "raised {e}"),
        }
    }
}

struct Target {
    id: String,
    python: PathBuf,
    seeds: Vec<Value>,
    constants: Vec<String>,
}

/// String literals of a Python file: the values policies compare against.
fn constants(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        let mut rest = source;
        while let Some(start) = rest.find(quote) {
            let after = &rest[start + 1..];
            match after.find(|c| c == quote || c == '\n' || c == '\\') {
                Some(end) if after[end..].starts_with(quote) => {
                    let lit = &after[..end];
                    if !lit.is_empty() && lit.len() <= 64 {
                        out.push(lit.to_owned());
                    }
                    rest = &after[end + 1..];
                }
                Some(end) => rest = &after[end..].get(1..).unwrap_or(""),
                None => break,
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn random_scalar(rng: &mut ChaCha8Rng, consts: &[String]) -> Value {
    match rng.gen_range(0..9) {
        0 => Value::Null,
        1 => json!(rng.gen_bool(0.5)),
        2 => json!(rng.gen_range(-3..100)),
        3 => json!(1.5),
        4 => json!(""),
        5 => json!("é✓𝄞\u{0}"),
        6 => json!("x".repeat(2000)),
        _ => match consts.choose(rng) {
            Some(c) => json!(c),
            None => json!("*"),
        },
    }
}

fn random_value(rng: &mut ChaCha8Rng, consts: &[String]) -> Value {
    match rng.gen_range(0..6) {
        0 => json!([]),
        1 => json!({}),
        2 => json!([random_scalar(rng, consts)]),
        3 => {
            let key = consts.choose(rng).cloned().unwrap_or_else(|| "Key".to_owned());
            json!({ key: random_scalar(rng, consts) })
        }
        _ => random_scalar(rng, consts),
    }
}

/// Every path into `v` (object keys and array indices), root excluded.
fn paths(v: &Value, prefix: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    if out.len() > 2000 {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                prefix.push(json!(k));
                out.push(prefix.clone());
                paths(x, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                prefix.push(json!(i));
                out.push(prefix.clone());
                paths(x, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(root: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut cur = root;
    for step in path {
        cur = match (cur, step) {
            (Value::Object(m), Value::String(k)) => m.get_mut(k)?,
            (Value::Array(a), Value::Number(n)) => a.get_mut(usize::try_from(n.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Applies one random mutation to `root`.
fn mutate(rng: &mut ChaCha8Rng, root: &mut Value, consts: &[String]) {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let Some(path) = all.choose(rng).cloned() else {
        // An empty resource: add a key.
        if let Value::Object(m) = root {
            let key = consts.choose(rng).cloned().unwrap_or_else(|| "Name".to_owned());
            m.insert(key, random_value(rng, consts));
        }
        return;
    };
    let (parent_path, last) = path.split_at(path.len() - 1);
    let kind = rng.gen_range(0..10);
    if kind == 0 {
        // Remove the key or element.
        if let Some(parent) = node_mut(root, parent_path) {
            match (parent, &last[0]) {
                (Value::Object(m), Value::String(k)) => {
                    m.shift_remove(k);
                }
                (Value::Array(a), Value::Number(n)) => {
                    let i = n.as_u64().unwrap_or(0) as usize;
                    if i < a.len() {
                        a.remove(i);
                    }
                }
                _ => {}
            }
        }
        return;
    }
    let Some(node) = node_mut(root, &path) else { return };
    *node = match (kind, &*node) {
        (1, _) => Value::Null,
        (2, _) => random_value(rng, consts),
        (3, Value::Bool(b)) => json!(!b),
        (3, Value::String(s)) => json!(s.to_uppercase()),
        (3, Value::Number(n)) => json!(n.as_f64().map_or(0.0, |x| -x)),
        (4, Value::String(s)) => json!(format!("{s}{}", consts.choose(rng).map_or("", String::as_str))),
        (4, Value::Array(a)) => json!(a.iter().chain(a.first()).cloned().collect::<Vec<_>>()),
        (5, Value::Array(_)) => json!([]),
        (5, Value::Object(_)) => json!({}),
        (5, Value::String(_)) => json!(""),
        (6, Value::Object(m)) => {
            let mut m = m.clone();
            let key = consts.choose(rng).cloned().unwrap_or_else(|| "Key".to_owned());
            m.insert(key, random_value(rng, consts));
            Value::Object(m)
        }
        (6, Value::Array(a)) => {
            let mut a = a.clone();
            a.push(random_value(rng, consts));
            Value::Array(a)
        }
        (7, Value::String(s)) => json!(s.clone() + "é✓"),
        (8, _) => match consts.choose(rng) {
            Some(c) => json!(c),
            None => Value::Null,
        },
        _ => random_scalar(rng, consts),
    };
}

/// The cases of one policy: its seeds, then mutations of them.
fn cases(rng: &mut ChaCha8Rng, target: &Target, n: usize) -> Vec<Value> {
    let mut out: Vec<Value> = target.seeds.iter().take(n).cloned().collect();
    if target.seeds.is_empty() {
        return out;
    }
    while out.len() < n {
        let mut v = target.seeds.choose(rng).cloned().unwrap_or(json!({}));
        for _ in 0..rng.gen_range(1..=3) {
            mutate(rng, &mut v, &target.constants);
        }
        out.push(v);
    }
    out
}

/// CPython could not import the policy (a helper module is missing).
#[derive(Debug)]
struct Skipped(String);

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Skipped {}

fn run_batch(mut cmd: Command, resources: &[Value]) -> Result<Vec<Outcome>> {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stdin = child.stdin.take().context("stdin")?;
    let input: String = resources.iter().map(|r| r.to_string() + "\n").collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output()?;
    let _ = writer.join();
    if output.status.code() == Some(3) {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(Skipped(why.trim().trim_start_matches("SKIP: ").to_owned()).into());
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let outcomes: Vec<Outcome> = text.lines().map(Outcome::parse).collect();
    if outcomes.len() != resources.len() {
        bail!(
            "expected {} results, got {}: {}",
            resources.len(),
            outcomes.len(),
            String::from_utf8_lossy(&output.stderr).lines().last().unwrap_or("")
        );
    }
    Ok(outcomes)
}

struct Runner<'o> {
    opts: &'o DiffOptions,
    binary: PathBuf,
    driver: PathBuf,
}

impl Runner<'_> {
    fn python(&self, target: &Target, resources: &[Value]) -> Result<Vec<Outcome>> {
        let mut cmd = Command::new(&self.opts.python);
        cmd.arg(&self.driver).arg(&target.python).arg(&target.id);
        cmd.arg(self.opts.helpers.as_deref().map(Path::as_os_str).unwrap_or_default());
        run_batch(cmd, resources)
    }

    fn rust(&self, target: &Target, resources: &[Value]) -> Result<Vec<Outcome>> {
        let mut cmd = Command::new(&self.binary);
        cmd.args(["eval", "--policy", &target.id, "--jsonl"]);
        run_batch(cmd, resources)
    }

    fn diverges(&self, target: &Target, resources: &[Value]) -> Result<Vec<bool>> {
        let py = self.python(target, resources)?;
        let rs = self.rust(target, resources)?;
        Ok(py.iter().zip(&rs).map(|(p, r)| !p.same(r)).collect())
    }

    /// Greedily removes keys and elements while the divergence persists.
    fn minimise(&self, target: &Target, resource: &Value) -> Result<Value> {
        let mut current = resource.clone();
        for _ in 0..50 {
            let mut all = Vec::new();
            paths(&current, &mut Vec::new(), &mut all);
            let candidates: Vec<Value> = all
                .iter()
                .filter_map(|p| {
                    let mut v = current.clone();
                    let (parent, last) = p.split_at(p.len() - 1);
                    match (node_mut(&mut v, parent)?, &last[0]) {
                        (Value::Object(m), Value::String(k)) => {
                            m.shift_remove(k);
                        }
                        (Value::Array(a), Value::Number(n)) => {
                            a.remove(n.as_u64()? as usize);
                        }
                        _ => return None,
                    }
                    Some(v)
                })
                .take(200)
                .collect();
            if candidates.is_empty() {
                break;
            }
            let flags = self.diverges(target, &candidates)?;
            match candidates.into_iter().zip(flags).find(|(_, d)| *d) {
                Some((smaller, _)) => current = smaller,
                None => break,
            }
        }
        Ok(current)
    }
}

fn targets(rules: &Path, ids: &[String]) -> Result<Vec<Target>> {
    let display = rules.to_string_lossy().into_owned();
    let loaded = pounce_codegen::load::load_dir(rules, &display);
    let mut out = Vec::new();
    for spec in &loaded.specs {
        if !ids.contains(&spec.id) {
            continue;
        }
        let source = std::fs::read_to_string(&spec.python_path).unwrap_or_default();
        let mut seeds: Vec<Value> = spec.tests.iter().map(|t| t.resource.clone()).filter(Value::is_object).collect();
        if seeds.is_empty() {
            // A policy without tests borrows the test resources of the
            // policies that share one of its resource types.
            seeds = loaded
                .specs
                .iter()
                .filter(|other| other.id != spec.id && other.resource_types.iter().any(|t| spec.resource_types.contains(t)))
                .flat_map(|other| other.tests.iter().map(|t| t.resource.clone()))
                .filter(Value::is_object)
                .collect();
        }
        out.push(Target { id: spec.id.clone(), python: spec.python_path.clone(), seeds, constants: constants(&source) });
    }
    Ok(out)
}

/// `cargo xtask difftest`.
pub fn difftest(opts: &DiffOptions) -> Result<ExitCode> {
    let summary = run(opts)?;
    Ok(if summary.divergences == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Runs the differential test and prints its report.
pub fn run(opts: &DiffOptions) -> Result<Summary> {
    let started = std::time::Instant::now();
    let (dir, generated) = build_scratch(&opts.rules, "cargo xtask difftest")?;
    let binary = cargo_build(&dir, !opts.debug)?;
    let driver = project_root().join("xtask/py/difftest_driver.py");
    let runner = Runner { opts, binary, driver };
    let ids: Vec<String> = generated
        .policies
        .iter()
        .map(|p| p.id.clone())
        .filter(|id| opts.filter.as_ref().is_none_or(|f| id.contains(f.as_str())))
        .collect();
    for failed in &generated.failed {
        eprintln!("skipped {} (did not compile)", failed.id);
    }
    let mut total = 0usize;
    let mut skipped = 0usize;
    let mut divergences: BTreeMap<String, Vec<(Value, Outcome, Outcome)>> = BTreeMap::new();
    for target in targets(&opts.rules, &ids)? {
        let n = match opts.heavy_cases {
            Some(h) if opts.heavy.iter().any(|p| target.id.contains(p.as_str())) => h,
            _ => opts.cases,
        };
        // Each policy gets its own stream, so results do not depend on the
        // set of policies run.
        let mut policy_rng = ChaCha8Rng::seed_from_u64(opts.seed ^ fnv(&target.id));
        let resources = cases(&mut policy_rng, &target, n);
        if resources.is_empty() {
            eprintln!("{}: no test resources to derive cases from", target.id);
            continue;
        }
        let py = match runner.python(&target, &resources) {
            Ok(py) => py,
            Err(e) if e.is::<Skipped>() => {
                eprintln!("{}: skipped, CPython cannot import it: {e}", target.id);
                skipped += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let rs = runner.rust(&target, &resources)?;
        total += resources.len();
        let mut found = Vec::new();
        for ((r, p), o) in resources.iter().zip(&py).zip(&rs) {
            if !p.same(o) {
                found.push((r.clone(), p.clone(), o.clone()));
            }
        }
        let count = |f: &dyn Fn(&Outcome) -> bool| py.iter().filter(|o| f(o)).count();
        eprintln!(
            "{}: {} cases (CPython: {} True, {} False, {} raised), {} divergences",
            target.id,
            resources.len(),
            count(&|o| *o == Outcome::Returned(true)),
            count(&|o| *o == Outcome::Returned(false)),
            count(&|o| matches!(o, Outcome::Raised(_))),
            found.len()
        );
        if !found.is_empty() {
            divergences.insert(target.id.clone(), found);
        }
    }
    let mut shown = 0;
    let targets_by_id: BTreeMap<String, Target> = targets(&opts.rules, &ids)?.into_iter().map(|t| (t.id.clone(), t)).collect();
    for (id, found) in &divergences {
        // Distinct (CPython, compiled) outcome-class pairs, one example each.
        let mut seen: Vec<(Option<String>, Option<String>, bool, bool)> = Vec::new();
        for (resource, py, rs) in found {
            let key = (
                py.class().map(str::to_owned),
                rs.class().map(str::to_owned),
                matches!(py, Outcome::Returned(true)),
                matches!(rs, Outcome::Returned(true)),
            );
            if seen.contains(&key) || shown >= opts.show {
                continue;
            }
            seen.push(key);
            shown += 1;
            let small = match targets_by_id.get(id) {
                Some(t) => runner.minimise(t, resource)?,
                None => resource.clone(),
            };
            println!("DIVERGENCE {id}");
            println!("  CPython:  {py}");
            println!("  compiled: {rs}");
            println!("  resource: {}", small);
        }
        println!("{id}: {} divergent cases", found.len());
    }
    let n_div: usize = divergences.values().map(Vec::len).sum();
    println!("{total} cases, {n_div} divergences");
    eprintln!("{skipped} policies skipped; {:.1}s", started.elapsed().as_secs_f64());
    Ok(Summary { cases: total, divergences: n_div, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short differential test of `rules/` against CPython, with the
    /// driver's stand-in `deep_get` (policies needing other helpers are
    /// skipped). `cargo xtask difftest` runs the long version.
    #[test]
    fn rules_agree_with_cpython() {
        let root = project_root();
        let opts = DiffOptions {
            rules: root.join("rules"),
            helpers: None,
            cases: 300,
            heavy_cases: None,
            heavy: Vec::new(),
            seed: 7,
            filter: None,
            python: "python3".to_owned(),
            show: 5,
            debug: true,
        };
        let summary = run(&opts).unwrap();
        assert_eq!(summary.divergences, 0, "{summary:?}");
        assert!(summary.cases >= 300 * 3, "too few cases compared: {summary:?}");
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}
