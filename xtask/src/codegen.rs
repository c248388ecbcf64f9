//! Generating, writing and verifying the checked-in policy code.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _, Result};
use pounce_codegen::{Config, Generated};

/// The repository root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Where the compiled policies of `rules/` are checked in.
pub const GENERATED_DIR: &str = "crates/pounce-checks/src/generated";

/// Runs the generator over `rules/`.
pub fn generate_rules() -> Generated {
    let root = project_root();
    Config::new(root.join("rules")).display_root("rules").generate()
}

/// A generated file that differs from what is on disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// It should exist and does not.
    Missing(PathBuf),
    /// Its contents differ.
    Differs(PathBuf),
    /// It exists and no policy produces it.
    Extra(PathBuf),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "{} is missing", p.display()),
            Stale::Differs(p) => write!(f, "{} is out of date", p.display()),
            Stale::Extra(p) => write!(f, "{} is not produced by any policy", p.display()),
        }
    }
}

/// Compares `files` with the `.rs` files of `dir`; every difference, sorted.
pub fn stale_files(dir: &Path, files: &BTreeMap<String, String>, display: &str) -> Vec<Stale> {
    let mut stale = Vec::new();
    for (name, contents) in files {
        let path = dir.join(name);
        let shown = PathBuf::from(display).join(name);
        match fs::read_to_string(&path) {
            Ok(on_disk) if on_disk == *contents => {}
            Ok(_) => stale.push(Stale::Differs(shown)),
            Err(_) => stale.push(Stale::Missing(shown)),
        }
    }
    if let Ok(entries) = fs::read_dir(dir) {
        let mut extra: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs") && !files.contains_key(n))
            .collect();
        extra.sort();
        stale.extend(extra.into_iter().map(|n| Stale::Extra(PathBuf::from(display).join(n))));
    }
    stale
}

/// Writes `files` into `dir`: only files whose bytes differ; removes `.rs`
/// files that are not in `files`. Returns how many files changed.
pub fn write_files(dir: &Path, files: &BTreeMap<String, String>) -> Result<usize> {
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
        if name.ends_with(".rs") && !files.contains_key(&name) {
            fs::remove_file(entry.path())?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Prints every diagnostic of `generated` to stderr; true when there were any.
pub fn report_diagnostics(generated: &Generated) -> bool {
    let mut any = false;
    for d in generated.all_diagnostics() {
        eprintln!("{}", d.render());
        any = true;
    }
    any
}

/// `cargo xtask regen`.
pub fn regen() -> Result<ExitCode> {
    let generated = generate_rules();
    if report_diagnostics(&generated) {
        let n = generated.all_diagnostics().count();
        eprintln!("error: {n} diagnostic(s); nothing was written");
        return Ok(ExitCode::FAILURE);
    }
    let changed = write_files(&project_root().join(GENERATED_DIR), &generated.files)?;
    eprintln!(
        "compiled {} policies ({} tests) into {GENERATED_DIR}: {changed} file(s) changed",
        generated.policies.len(),
        generated.policies.iter().map(|p| p.tests.len()).sum::<usize>()
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask verify`.
pub fn verify(json: bool) -> Result<ExitCode> {
    let generated = generate_rules();
    if report_diagnostics(&generated) {
        eprintln!("error: the policies of rules/ do not compile");
        return Ok(ExitCode::FAILURE);
    }
    let stale = stale_files(&project_root().join(GENERATED_DIR), &generated.files, GENERATED_DIR);
    if !stale.is_empty() {
        for s in &stale {
            eprintln!("stale: {s}");
        }
        eprintln!("error: {} generated file(s) are stale; run `cargo xtask regen`", stale.len());
        return Ok(ExitCode::FAILURE);
    }
    let stale_docs = crate::docs::stale_catalog()?;
    if !stale_docs.is_empty() {
        stale_docs.iter().for_each(|s| eprintln!("stale: {s}"));
        eprintln!("error: {} catalog page(s) are stale; run `cargo xtask docs`", stale_docs.len());
        return Ok(ExitCode::FAILURE);
    }
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(project_root()).args(["run", "--quiet", "--package", "pounce", "--", "test"]);
    if json {
        cmd.arg("--json");
    }
    let status = cmd.status().context("running `pounce test`")?;
    match status.code() {
        Some(0) => Ok(ExitCode::SUCCESS),
        Some(1) => Ok(ExitCode::FAILURE),
        _ => bail!("`pounce test` failed to run ({status})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails when the checked-in generated code is not what `rules/`
    /// produces, naming every stale file.
    #[test]
    fn generated_code_is_fresh() {
        let generated = generate_rules();
        let diagnostics: Vec<String> = generated.all_diagnostics().map(|d| d.one_line()).collect();
        assert!(diagnostics.is_empty(), "rules/ does not compile:\n{}", diagnostics.join("\n"));
        let stale = stale_files(&project_root().join(GENERATED_DIR), &generated.files, GENERATED_DIR);
        let list: Vec<String> = stale.iter().map(ToString::to_string).collect();
        assert!(stale.is_empty(), "generated code is stale; run `cargo xtask regen`:\n{}", list.join("\n"));
    }

    /// Generating twice gives the same bytes (no hash-map order leaks).
    #[test]
    fn generation_is_deterministic() {
        assert_eq!(generate_rules().files, generate_rules().files);
    }
}
