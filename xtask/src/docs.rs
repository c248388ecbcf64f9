//! `cargo xtask docs`: the detection catalog (one Markdown page per policy
//! and an index), checked in under `docs/catalog/` for `rules/`, with the
//! round trip of every condition (render → print → parse → evaluate on
//! every embedded test resource, compared with the compiled policy).
//!
//! `cargo xtask attack`: derives the ATT&CK table `data/attack/` ships
//! from MITRE's STIX data.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _, Result};
use pounce_codegen::analyze::{analyze, Analyzed, AnalyzedPolicy};
use pounce_codegen::condition;
use pounce_codegen::docs::{self, Attack};
use pounce_codegen::load::MockReturn;
use pounce_runtime::testing::{Outcome, Report};
use pounce_runtime::{Context, EvalError, MockValue};

use crate::codegen::{project_root, Stale};

/// Where the catalog of `rules/` is checked in.
pub const CATALOG_DIR: &str = "docs/catalog";

/// The ATT&CK table.
pub const ATTACK_TABLE: &str = "data/attack/enterprise-attack.tsv";

/// Options of `xtask docs`.
#[derive(Debug)]
pub struct DocsOptions {
    /// The rules directory (default: `rules/`).
    pub rules: Option<PathBuf>,
    /// The output directory (default: `docs/catalog/` for `rules/`).
    pub out: Option<PathBuf>,
    /// Skips the round trip (which builds the compiled policies).
    pub no_round_trip: bool,
    /// Also compares on mutations of the test resources.
    pub mutations: bool,
}

/// The ATT&CK table of the repository.
pub fn attack_table() -> Result<Attack> {
    let path = project_root().join(ATTACK_TABLE);
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    Attack::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// The catalog of `rules/`, as `cargo xtask docs` writes it.
pub fn rules_catalog() -> Result<BTreeMap<String, String>> {
    let analyzed = analyze(&project_root().join("rules"), "rules");
    Ok(docs::catalog(&analyzed.policies, &attack_table()?, "rules/"))
}

/// Compares `files` with the `.md` files of `dir`; every difference.
pub fn stale_pages(dir: &Path, files: &BTreeMap<String, String>, display: &str) -> Vec<Stale> {
    let mut stale = Vec::new();
    for (name, contents) in files {
        let shown = PathBuf::from(display).join(name);
        match fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if on_disk == *contents => {}
            Ok(_) => stale.push(Stale::Differs(shown)),
            Err(_) => stale.push(Stale::Missing(shown)),
        }
    }
    if let Ok(entries) = fs::read_dir(dir) {
        let mut extra: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md") && !files.contains_key(n))
            .collect();
        extra.sort();
        stale.extend(extra.into_iter().map(|n| Stale::Extra(PathBuf::from(display).join(n))));
    }
    stale
}

/// The stale pages of `docs/catalog/` (for `cargo xtask verify`).
pub fn stale_catalog() -> Result<Vec<Stale>> {
    Ok(stale_pages(&project_root().join(CATALOG_DIR), &rules_catalog()?, CATALOG_DIR))
}

/// Writes `files` into `dir` (only files whose bytes differ) and removes
/// `.md` files no policy produces. Returns how many files changed.
fn write_pages(dir: &Path, files: &BTreeMap<String, String>) -> Result<usize> {
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut changed = 0;
    for (name, contents) in files {
        let path = dir.join(name);
        if fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
            changed += 1;
        }
    }
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !files.contains_key(&name) {
            fs::remove_file(entry.path())?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// `cargo xtask docs`.
pub fn docs(opts: &DocsOptions) -> Result<ExitCode> {
    let root = project_root();
    let (rules, source) = match &opts.rules {
        Some(r) => (r.clone(), r.to_string_lossy().into_owned()),
        None => (root.join("rules"), "rules/".to_owned()),
    };
    if !rules.is_dir() {
        bail!("--rules {} is not a directory", rules.display());
    }
    let out = match (&opts.out, &opts.rules) {
        (Some(o), _) => o.clone(),
        (None, None) => root.join(CATALOG_DIR),
        (None, Some(_)) => bail!("--out is required with --rules (the checked-in catalog is for rules/)"),
    };
    let analyzed = analyze(&rules, &source);
    for (id, file, _) in &analyzed.failed {
        eprintln!("skipped {id} ({file}): it does not compile");
    }
    let attack = attack_table()?;
    let files = docs::catalog(&analyzed.policies, &attack, &source);
    let changed = write_pages(&out, &files)?;
    eprintln!("wrote {} pages to {} ({changed} file(s) changed)", files.len() - 1, out.display());
    if opts.no_round_trip {
        return Ok(ExitCode::SUCCESS);
    }
    let (outcomes, binary) = compiled_outcomes(&rules)?;
    let mut summary = round_trip(&analyzed, &outcomes);
    if opts.mutations {
        let (compared, problems) = mutations(&analyzed, &binary)?;
        eprintln!("mutations: {compared} mutated resources compared, {} disagree", problems.len());
        summary.problems.extend(problems);
    }
    for line in &summary.problems {
        eprintln!("{line}");
    }
    eprintln!(
        "round trip: {} policies rendered, {} parse back to the same program, {} agree with the compiled policy on all {} test cases ({} cases skipped: {})",
        summary.policies,
        summary.parsed,
        summary.agreeing,
        summary.cases,
        summary.skipped,
        if summary.skipped == 0 { "none".to_owned() } else { "mocks of names the module does not define".to_owned() }
    );
    Ok(if summary.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// What the compiled policies returned on their embedded tests, by
/// `PolicyID`, in spec order (from a scratch build of `rules`).
fn compiled_outcomes(rules: &Path) -> Result<(BTreeMap<String, Vec<Outcome>>, PathBuf)> {
    let (dir, _) = crate::corpus::build_scratch(rules, "cargo xtask docs")?;
    let binary = crate::corpus::cargo_build(&dir, false)?;
    let output = Command::new(&binary).args(["test", "--json"]).output().context("running the compiled tests")?;
    let report: Report = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("reading the test results: {}", String::from_utf8_lossy(&output.stderr)))?;
    Ok((report.policies.into_iter().map(|p| (p.id, p.cases.into_iter().map(|c| c.outcome).collect())).collect(), binary))
}

/// Systematic mutations of a resource: each key (and each key of an
/// object value) removed, set to `null`, and set to values of other types.
fn mutate(resource: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let replacements = [Value::Null, json!(true), json!(0), json!(1.5), json!(""), json!("x"), json!([]), json!(["x"]), json!({}), json!({"x": 1})];
    let mut out = Vec::new();
    let Value::Object(map) = resource else { return out };
    for (k, v) in map {
        let mut removed = map.clone();
        removed.remove(k);
        out.push(Value::Object(removed));
        for r in &replacements {
            let mut m = map.clone();
            m.insert(k.clone(), r.clone());
            out.push(Value::Object(m));
        }
        if let Value::Object(inner) = v {
            for ik in inner.keys() {
                for r in [None, Some(Value::Null), Some(json!("x")), Some(json!(0))] {
                    let mut i = inner.clone();
                    match r {
                        None => {
                            i.remove(ik);
                        }
                        Some(r) => {
                            i.insert(ik.clone(), r);
                        }
                    }
                    let mut m = map.clone();
                    m.insert(k.clone(), Value::Object(i));
                    out.push(Value::Object(m));
                }
            }
        }
    }
    out
}

/// Compares every condition with its compiled policy (`eval --jsonl` of the
/// scratch build, no mocks) on mutations of its test resources.
fn mutations(analyzed: &Analyzed, binary: &Path) -> Result<(usize, Vec<String>)> {
    use std::io::Write as _;
    let mut compared = 0;
    let mut problems = Vec::new();
    for p in &analyzed.policies {
        let program = condition::render(p);
        let mut inputs: Vec<serde_json::Value> = p.spec.tests.iter().flat_map(|t| mutate(&t.resource)).collect();
        inputs.truncate(2000);
        if inputs.is_empty() {
            continue;
        }
        let mut child = Command::new(binary)
            .args(["eval", "--policy", &p.spec.id, "--jsonl"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("running the compiled policy")?;
        let mut text = String::new();
        for i in &inputs {
            text.push_str(&serde_json::to_string(i)?);
            text.push('\n');
        }
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
        let output = child.wait_with_output()?;
        writer.join().unwrap()?;
        let lines: Vec<serde_json::Value> =
            String::from_utf8_lossy(&output.stdout).lines().map(serde_json::from_str).collect::<Result<_, _>>()?;
        for (input, line) in inputs.iter().zip(&lines) {
            compared += 1;
            let want = match (line.get("result").and_then(|r| r.as_bool()), line.get("error").and_then(|e| e.as_str())) {
                (Some(compliant), _) => Ok(!compliant),
                (_, Some(e)) => Err(e.to_owned()),
                _ => Err(format!("unexpected output {line}")),
            };
            let got = condition::evaluate(&program, &p.spec.id, &p.spec.resource_types, input, &pounce_runtime::DefaultContext)
                .map_err(|e| e.to_string());
            if got != want {
                problems.push(format!("{}: on {input}: the compiled policy gives {want:?}, the condition {got:?}", p.spec.id));
            }
        }
    }
    Ok((compared, problems))
}

/// A test case's mocks, as a context.
pub struct Mocks(Vec<(String, MockValue)>);

impl Mocks {
    /// The mocks of `case`.
    pub fn new(case: &pounce_codegen::load::TestSpec) -> Self {
        Mocks(
            case.mocks
                .iter()
                .map(|m| {
                    let v = match &m.value {
                        // The runtime's mocks are `'static`; this command
                        // lives as long as they are needed.
                        MockReturn::Str(s) => MockValue::Str(Box::leak(s.clone().into_boxed_str())),
                        MockReturn::Bool(b) => MockValue::Bool(*b),
                    };
                    (m.name.clone(), v)
                })
                .collect(),
        )
    }
}

impl Context for Mocks {
    fn mock(&self, name: &str) -> Option<&MockValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

/// The result of a round trip over a rules directory.
#[derive(Debug, Default)]
pub struct RoundTrip {
    /// Policies rendered.
    pub policies: usize,
    /// Whose text parses back to the same program.
    pub parsed: usize,
    /// Whose condition agrees with the compiled policy on every case.
    pub agreeing: usize,
    /// Test cases compared.
    pub cases: usize,
    /// Test cases not compared (their mocks name what the module does not
    /// define; the test harness fails them before the policy runs).
    pub skipped: usize,
    /// One line per problem.
    pub problems: Vec<String>,
}

/// What the condition says of a test resource, as a test outcome.
pub fn condition_outcome(p: &AnalyzedPolicy, program: &condition::Program, case: &pounce_codegen::load::TestSpec) -> Outcome {
    match condition::evaluate(program, &p.spec.id, &p.spec.resource_types, &case.resource, &Mocks::new(case)) {
        Ok(alerts) => Outcome::Returned(!alerts),
        Err(EvalError::Exception(e)) => Outcome::Raised(e.to_string()),
        Err(EvalError::Resource(m)) => Outcome::InvalidResource(m),
    }
}

/// Renders, prints, parses and evaluates every policy of `analyzed`,
/// comparing with `outcomes`.
pub fn round_trip(analyzed: &Analyzed, outcomes: &BTreeMap<String, Vec<Outcome>>) -> RoundTrip {
    let mut rt = RoundTrip::default();
    for p in &analyzed.policies {
        rt.policies += 1;
        let program = condition::render(p);
        let text = program.to_text();
        let parsed = match condition::parse(&text) {
            Ok(parsed) => parsed,
            Err(e) => {
                rt.problems.push(format!("{}: the condition does not parse back: {e}\n{text}", p.spec.id));
                continue;
            }
        };
        if parsed != program {
            rt.problems.push(format!("{}: the condition parses back to a different program\n{text}", p.spec.id));
            continue;
        }
        rt.parsed += 1;
        let unknown = condition::unknown_fields(&parsed, &p.spec.resource_types);
        if !unknown.is_empty() {
            rt.problems.push(format!("{}: the condition reads fields its resource types do not have: {}", p.spec.id, unknown.join(", ")));
        }
        let Some(expected) = outcomes.get(&p.spec.id) else {
            rt.problems.push(format!("{}: the compiled policies have no results for it", p.spec.id));
            continue;
        };
        let mut agrees = true;
        for (case, want) in p.spec.tests.iter().zip(expected) {
            if case.mocks.iter().any(|m| !p.module.names.contains(&m.name)) {
                rt.skipped += 1;
                continue;
            }
            rt.cases += 1;
            let got = condition_outcome(p, &parsed, case);
            if got != *want {
                agrees = false;
                rt.problems.push(format!("{}: test `{}`: the compiled policy gives {want:?}, the condition {got:?}\n{text}", p.spec.id, case.name));
            }
        }
        if agrees {
            rt.agreeing += 1;
        }
    }
    rt
}

// ----- cargo xtask attack ---------------------------------------------------

/// Options of `xtask attack`.
#[derive(Debug)]
pub struct AttackOptions {
    /// MITRE's `enterprise-attack` data: the STIX bundle
    /// `enterprise-attack.json`, or the folder of one object per file
    /// (`attack-pattern/`, `x-mitre-tactic/`) as github.com/mitre/cti has
    /// it.
    pub cti: PathBuf,
    /// The ATT&CK release (`18.1`).
    pub version: String,
    /// Where the data came from (a URL and commit), for the table's header.
    pub source: String,
}

/// `cargo xtask attack`: writes `data/attack/enterprise-attack.tsv`.
pub fn attack(opts: &AttackOptions) -> Result<ExitCode> {
    let objects = stix_objects(&opts.cti)?;
    let mut tactics: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut techniques: BTreeMap<String, (String, Vec<String>, String)> = BTreeMap::new();
    for o in &objects {
        let kind = o.get("type").and_then(|t| t.as_str()).unwrap_or_default();
        let Some(id) = o
            .get("external_references")
            .and_then(|r| r.as_array())
            .and_then(|refs| refs.iter().find(|r| r.get("source_name").and_then(|s| s.as_str()) == Some("mitre-attack")))
            .and_then(|r| r.get("external_id"))
            .and_then(|i| i.as_str())
        else {
            continue;
        };
        let name = o.get("name").and_then(|n| n.as_str()).unwrap_or_default().to_owned();
        let status = if o.get("revoked").and_then(|r| r.as_bool()) == Some(true) {
            "revoked"
        } else if o.get("x_mitre_deprecated").and_then(|d| d.as_bool()) == Some(true) {
            "deprecated"
        } else {
            ""
        };
        match kind {
            "x-mitre-tactic" => {
                let short = o.get("x_mitre_shortname").and_then(|s| s.as_str()).unwrap_or_default().to_owned();
                tactics.insert(id.to_owned(), (name, short));
            }
            "attack-pattern" => {
                let phases: Vec<String> = o
                    .get("kill_chain_phases")
                    .and_then(|k| k.as_array())
                    .map(|ks| {
                        ks.iter()
                            .filter(|k| k.get("kill_chain_name").and_then(|n| n.as_str()) == Some("mitre-attack"))
                            .filter_map(|k| k.get("phase_name").and_then(|p| p.as_str()).map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                techniques.insert(id.to_owned(), (name, phases, status.to_owned()));
            }
            _ => {}
        }
    }
    if tactics.is_empty() || techniques.is_empty() {
        bail!("no tactics or techniques found in {}", opts.cti.display());
    }
    let mut out = String::new();
    out.push_str("# MITRE ATT&CK Enterprise: tactics and techniques, derived by `cargo xtask attack` (see PROVENANCE.md)\n");
    out.push_str(&format!("# version: {}\n", opts.version));
    out.push_str(&format!("# source: {}\n", opts.source));
    out.push_str("# © The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation (LICENSE.txt).\n");
    out.push_str("# kind\tid\tname\ttactics\tstatus\n");
    for (id, (name, short)) in &tactics {
        out.push_str(&format!("tactic\t{id}\t{}\t{short}\t\n", clean(name)));
    }
    for (id, (name, phases, status)) in &techniques {
        out.push_str(&format!("technique\t{id}\t{}\t{}\t{status}\n", clean(name), phases.join(",")));
    }
    let path = project_root().join(ATTACK_TABLE);
    fs::create_dir_all(path.parent().unwrap())?;
    fs::write(&path, &out).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {} tactics and {} techniques to {ATTACK_TABLE}", tactics.len(), techniques.len());
    Ok(ExitCode::SUCCESS)
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n'], " ")
}

/// Every STIX object of a bundle file, or of the bundles in the object
/// folders of a collection directory.
fn stix_objects(path: &Path) -> Result<Vec<serde_json::Value>> {
    let mut files = Vec::new();
    if path.is_file() {
        files.push(path.to_path_buf());
    } else {
        for sub in ["x-mitre-tactic", "attack-pattern"] {
            let dir = path.join(sub);
            let entries = fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?;
            let mut found: Vec<PathBuf> =
                entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
            found.sort();
            files.extend(found);
        }
    }
    let mut objects = Vec::new();
    for f in files {
        let text = fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        let bundle: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("parsing {}", f.display()))?;
        if let Some(objs) = bundle.get("objects").and_then(|o| o.as_array()) {
            objects.extend(objs.iter().cloned());
        }
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when `docs/catalog/` is not what `rules/` produces, naming
    /// every stale page.
    #[test]
    fn catalog_is_fresh() {
        let stale = stale_catalog().unwrap();
        let list: Vec<String> = stale.iter().map(ToString::to_string).collect();
        assert!(stale.is_empty(), "the catalog is stale; run `cargo xtask docs`:\n{}", list.join("\n"));
    }

    /// Rendering twice gives the same bytes.
    #[test]
    fn catalog_is_deterministic() {
        assert_eq!(rules_catalog().unwrap(), rules_catalog().unwrap());
    }

    #[test]
    fn attack_table_resolves_the_seed_mapping() {
        let attack = attack_table().unwrap();
        assert_eq!(attack.tactics.get("TA0010").map(|t| t.name.as_str()), Some("Exfiltration"));
        assert_eq!(attack.technique_name("T1537").as_deref(), Some("Transfer Data to Cloud Account"));
        assert_eq!(attack.technique_name("T1078.004").as_deref(), Some("Valid Accounts: Cloud Accounts"));
    }
}
