//! `cargo xtask refresh-iam-catalog [--from PATH]`: derives the IAM action
//! catalogue `data/iam/actions.tsv` from policyuniverse's `data.json`.
//!
//! policyuniverse ships an 8 MB `data.json` describing every AWS service
//! (prefix, actions, access levels, condition keys, documentation links).
//! The runtime needs only what `expand_policy`, `minimize_statement_actions`
//! and `categories_for_actions` read: each permission `prefix:action`
//! (lower-cased, as policyuniverse builds `all_permissions`) and its
//! `calculated_action_group` (List, Read, Write, Tagging, Permissions).
//!
//! `--from` takes a policyuniverse wheel (`.whl`, read with `unzip` or
//! Python's `zipfile`), the `data.json` file itself, or a directory holding
//! it (an installed `policyuniverse/` package or a folder that contains
//! one). Without `--from`, the `policyuniverse` package importable by
//! `python3` is used. Nothing is downloaded.
//!
//! Output format, one line per service and access level, sorted:
//! `prefix<TAB>Category<TAB>action action …` (actions sorted, lower-case).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{bail, Context as _, Result};
use serde_json::Value;

use crate::codegen::project_root;

/// Where the catalogue is checked in.
pub const CATALOG_PATH: &str = "data/iam/actions.tsv";

/// The access levels policyuniverse assigns (`calculated_action_group`).
const CATEGORIES: [&str; 5] = ["List", "Read", "Write", "Tagging", "Permissions"];

/// Options of `xtask refresh-iam-catalog`.
#[derive(Debug)]
pub struct RefreshOptions {
    /// A wheel, a `data.json`, or a directory holding one.
    pub from: Option<PathBuf>,
}

/// `cargo xtask refresh-iam-catalog`.
pub fn refresh(opts: &RefreshOptions) -> Result<ExitCode> {
    let source = match &opts.from {
        Some(path) => read_source(path)?,
        None => installed_source()?,
    };
    let data: Value = serde_json::from_slice(&source.bytes).with_context(|| format!("parsing data.json from {}", source.origin))?;
    let rendered = render(&data, &source.version)?;
    let path = project_root().join(CATALOG_PATH);
    let before = fs::read_to_string(&path).ok();
    if before.as_deref() == Some(rendered.text.as_str()) {
        println!("{CATALOG_PATH} is up to date ({} services, {} actions, policyuniverse {})", rendered.services, rendered.actions, source.version);
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    fs::write(&path, &rendered.text).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "wrote {CATALOG_PATH}: {} services, {} actions, {} bytes, from policyuniverse {} ({})",
        rendered.services,
        rendered.actions,
        rendered.text.len(),
        source.version,
        source.origin
    );
    println!("update data/iam/PROVENANCE.md (version, date, checksum) to match");
    Ok(ExitCode::SUCCESS)
}

/// The bytes of a `data.json` and where they came from.
struct Source {
    bytes: Vec<u8>,
    origin: String,
    version: String,
}

fn read_source(path: &Path) -> Result<Source> {
    if path.is_dir() {
        for candidate in [path.join("data.json"), path.join("policyuniverse").join("data.json")] {
            if candidate.is_file() {
                let version = version_near(&candidate);
                return Ok(Source { bytes: fs::read(&candidate)?, origin: candidate.display().to_string(), version });
            }
        }
        bail!("{} holds neither data.json nor policyuniverse/data.json", path.display());
    }
    if path.extension().is_some_and(|e| e == "whl") {
        let bytes = unzip_member(path, "policyuniverse/data.json")?;
        let version = version_from_wheel_name(path).unwrap_or_else(|| "unknown".to_owned());
        return Ok(Source { bytes, origin: path.display().to_string(), version });
    }
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Source { bytes, origin: path.display().to_string(), version: version_near(path) })
}

/// The `policyuniverse` package `python3` imports.
fn installed_source() -> Result<Source> {
    let out = Command::new("python3")
        .args(["-c", "import os, policyuniverse; print(os.path.dirname(policyuniverse.__file__))"])
        .output()
        .context("running python3 to locate policyuniverse (or pass --from)")?;
    if !out.status.success() {
        bail!("policyuniverse is not importable by python3; pass --from WHEEL_OR_DATA_JSON");
    }
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    read_source(&dir)
}

/// Extracts one member of a zip archive with `unzip`, or Python's
/// `zipfile` when `unzip` is missing.
fn unzip_member(archive: &Path, member: &str) -> Result<Vec<u8>> {
    if let Ok(out) = Command::new("unzip").arg("-p").arg(archive).arg(member).output() {
        if out.status.success() && !out.stdout.is_empty() {
            return Ok(out.stdout);
        }
    }
    let out = Command::new("python3")
        .args(["-c", "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))"])
        .arg(archive)
        .arg(member)
        .output()
        .context("extracting data.json from the wheel (needs unzip or python3)")?;
    if !out.status.success() {
        bail!("could not read {member} from {}: {}", archive.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(out.stdout)
}

/// `policyuniverse-1.5.1.20231109-py2.py3-none-any.whl` → `1.5.1.20231109`.
fn version_from_wheel_name(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let rest = name.strip_prefix("policyuniverse-")?;
    Some(rest.split('-').next()?.to_owned())
}

/// The version in a `policyuniverse-*.dist-info/METADATA` next to the
/// package that holds `data_json`.
fn version_near(data_json: &Path) -> String {
    let Some(site) = data_json.parent().and_then(Path::parent) else { return "unknown".to_owned() };
    let Ok(entries) = fs::read_dir(site) else { return "unknown".to_owned() };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("policyuniverse-") && name.ends_with(".dist-info") {
            if let Ok(meta) = fs::read_to_string(entry.path().join("METADATA")) {
                if let Some(v) = meta.lines().find_map(|l| l.strip_prefix("Version: ")) {
                    return v.trim().to_owned();
                }
            }
        }
    }
    "unknown".to_owned()
}

/// The catalogue text and its counts.
#[derive(Debug)]
pub struct Rendered {
    /// The file contents.
    pub text: String,
    /// Distinct service prefixes with at least one action.
    pub services: usize,
    /// Distinct permissions.
    pub actions: usize,
}

/// Renders the catalogue of a parsed `data.json`. Fails on a shape
/// policyuniverse itself would not load and on an unknown access level; a
/// permission listed twice keeps its last level, as policyuniverse's
/// dict does.
pub fn render(data: &Value, version: &str) -> Result<Rendered> {
    let services = data.as_object().context("data.json is not an object of services")?;
    // prefix -> action -> category
    let mut permissions: BTreeMap<String, BTreeMap<String, &str>> = BTreeMap::new();
    for (service_name, body) in services {
        let prefix = body.get("prefix").and_then(Value::as_str).with_context(|| format!("service {service_name} has no prefix"))?;
        if prefix.is_empty() || prefix.contains([':', '\t', '\n', ' ']) {
            bail!("service {service_name} has an unusable prefix {prefix:?}");
        }
        let actions = body.get("actions").and_then(Value::as_object).with_context(|| format!("service {service_name} has no actions"))?;
        for (action, detail) in actions {
            let category = detail
                .get("calculated_action_group")
                .and_then(Value::as_str)
                .with_context(|| format!("{prefix}:{action} has no calculated_action_group"))?;
            let Some(category) = CATEGORIES.iter().copied().find(|c| *c == category) else {
                bail!("{prefix}:{action} has the unknown access level {category:?}");
            };
            let lower = action.to_lowercase();
            if lower.is_empty() || lower.contains([':', '\t', '\n', ' ']) {
                bail!("{prefix}:{action} is not a usable action name");
            }
            let entry = permissions.entry(prefix.to_owned()).or_default();
            // policyuniverse fills a dict in file order: the last listing wins.
            if let Some(previous) = entry.insert(lower.clone(), category) {
                if previous != category {
                    eprintln!("warning: {prefix}:{lower} is listed as both {previous} and {category}; keeping {category}");
                }
            }
        }
    }
    let actions: usize = permissions.values().map(BTreeMap::len).sum();
    let mut text = String::new();
    text.push_str("# @generated by cargo xtask refresh-iam-catalog — do not edit\n");
    text.push_str(&format!(
        "# AWS IAM actions from policyuniverse {version} data.json: {} services, {actions} actions (see PROVENANCE.md)\n",
        permissions.len()
    ));
    text.push_str("# prefix<TAB>access level<TAB>lower-case action names, space-separated\n");
    for (prefix, acts) in &permissions {
        for category in CATEGORIES_SORTED {
            let names: Vec<&str> = acts.iter().filter(|(_, c)| **c == category).map(|(a, _)| a.as_str()).collect();
            if !names.is_empty() {
                text.push_str(&format!("{prefix}\t{category}\t{}\n", names.join(" ")));
            }
        }
    }
    Ok(Rendered { text, services: permissions.len(), actions })
}

/// `CATEGORIES` in byte order, so that lines are sorted.
const CATEGORIES_SORTED: [&str; 5] = ["List", "Permissions", "Read", "Tagging", "Write"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_sorted_lowercase_lines() {
        let data = serde_json::json!({
            "Amazon S3": {"prefix": "s3", "actions": {
                "GetObject": {"calculated_action_group": "Read"},
                "PutObject": {"calculated_action_group": "Write"},
                "ListBucket": {"calculated_action_group": "List"},
                "GetBucketPolicy": {"calculated_action_group": "Read"}
            }},
            "AWS KMS": {"prefix": "kms", "actions": {"PutKeyPolicy": {"calculated_action_group": "Permissions"}}}
        });
        let r = render(&data, "9.9").unwrap();
        let body: Vec<&str> = r.text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(body, ["kms\tPermissions\tputkeypolicy", "s3\tList\tlistbucket", "s3\tRead\tgetbucketpolicy getobject", "s3\tWrite\tputobject"]);
        assert_eq!((r.services, r.actions), (2, 5));
        assert!(r.text.starts_with("# @generated by cargo xtask refresh-iam-catalog"));
        assert_eq!(render(&data, "9.9").unwrap().text, r.text, "deterministic");
    }

    #[test]
    fn last_listing_wins_and_unknown_levels_fail() {
        let conflict = serde_json::json!({"A": {"prefix": "a", "actions": {
            "X": {"calculated_action_group": "Read"}, "x": {"calculated_action_group": "Write"}}}});
        assert!(render(&conflict, "0").unwrap().text.ends_with("a\tWrite\tx\n"));
        let unknown = serde_json::json!({"A": {"prefix": "a", "actions": {"X": {"calculated_action_group": "Unknown"}}}});
        assert!(render(&unknown, "0").is_err());
    }

    #[test]
    fn wheel_names_give_versions() {
        assert_eq!(version_from_wheel_name(Path::new("/x/policyuniverse-1.5.1.20231109-py2.py3-none-any.whl")).as_deref(), Some("1.5.1.20231109"));
    }

    /// The checked-in catalogue parses with the runtime's reader and has
    /// the header this generator writes.
    #[test]
    fn checked_in_catalog_is_readable() {
        let text = fs::read_to_string(project_root().join(CATALOG_PATH)).unwrap();
        assert!(text.starts_with("# @generated by cargo xtask refresh-iam-catalog"));
        let catalog = pounce_runtime::iam::Catalog::parse(&text).unwrap();
        assert!(catalog.len() > 10_000);
    }
}
