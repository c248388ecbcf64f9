//! Compiles Panther policies (YAML spec + Python `policy()`) to typed Rust.
//!
//! The pipeline, one module per stage, each a function of the previous
//! stage's output:
//!
//! 1. [`load`]: YAML spec → [`load::PolicySpec`] (strict, all errors);
//! 2. [`python`]: Python file → AST (rustpython-parser);
//! 3. [`lower`]: AST → [`ir::Module`], names resolved, subset enforced;
//! 4. [`typecheck`]: IR typed against the resource schemas of
//!    `pounce_runtime`;
//! 5. [`emit`]: IR → tokens (`quote!`);
//! 6. [`format`]: tokens → a formatted file with an `@generated` header.
//!
//! The library never writes files: [`Config::generate`] returns the files'
//! contents and the diagnostics, and the caller (the xtask, or a `build.rs`)
//! writes them.
//!
//! ```no_run
//! let generated = pounce_codegen::Config::new("rules").generate();
//! for d in &generated.diagnostics {
//!     eprintln!("{}", d.render());
//! }
//! for (path, contents) in &generated.files {
//!     println!("{path}: {} bytes", contents.len());
//! }
//! ```

pub mod analyze;
pub mod build;
pub mod codes;
pub mod condition;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod python;
pub mod reads;
pub mod typecheck;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use build::{Build, BuildError};
pub use codes::Code;
pub use diagnostic::{Diagnostic, SourceFile};

/// Configuration of a code-generation run.
#[derive(Debug, Clone)]
pub struct Config {
    rules_dir: PathBuf,
    display_root: Option<String>,
    command: String,
}

impl Config {
    /// Compiles the policies found under `rules_dir`, recursively.
    pub fn new(rules_dir: impl Into<PathBuf>) -> Self {
        Config { rules_dir: rules_dir.into(), display_root: None, command: format::REGEN_COMMAND.to_owned() }
    }

    /// The prefix of file paths in diagnostics and headers (default: the
    /// rules directory as given).
    #[must_use]
    pub fn display_root(mut self, root: impl Into<String>) -> Self {
        self.display_root = Some(root.into());
        self
    }

    /// The command named in the `@generated` header of every file.
    #[must_use]
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Runs the pipeline. Policies that compile are in `files`; each one
    /// that does not is in `failed` with its diagnostics. One bad policy
    /// never stops the others.
    pub fn generate(&self) -> Generated {
        let display_root = self.display_root.clone().unwrap_or_else(|| self.rules_dir.to_string_lossy().into_owned());
        let loaded = load::load_dir(&self.rules_dir, &display_root);
        let mut out = Generated { diagnostics: loaded.diagnostics, skipped: loaded.skipped, ..Generated::default() };

        let mut compiled = Vec::new();
        for spec in &loaded.specs {
            match compile(spec) {
                Ok((module, resource)) => compiled.push((spec, module, resource)),
                Err(diagnostics) => out.failed.push(FailedPolicy {
                    id: spec.id.clone(),
                    spec_file: spec.file.path.clone(),
                    tests: spec.tests.iter().map(|t| t.name.clone()).collect(),
                    diagnostics,
                }),
            }
        }

        let names = module_names(compiled.iter().map(|(spec, ..)| spec.id.as_str()));
        let mut registry = Vec::new();
        for ((spec, module, resource), module_name) in compiled.iter().zip(names) {
            let unit = emit::PolicyUnit { spec, module, resource, module_name: &module_name };
            match format::format_file(emit::policy_file(&unit), &self.command, &spec.file.path) {
                Ok(text) => {
                    out.files.insert(format!("{module_name}.rs"), text);
                    registry.push((module_name.clone(), spec.id.clone()));
                    out.policies.push(CompiledPolicy {
                        id: spec.id.clone(),
                        reads: reads::resource_reads(module),
                        module_name,
                        spec_file: spec.file.path.clone(),
                        tests: spec.tests.iter().map(|t| t.name.clone()).collect(),
                    });
                }
                Err(d) => out.failed.push(FailedPolicy {
                    id: spec.id.clone(),
                    spec_file: spec.file.path.clone(),
                    tests: spec.tests.iter().map(|t| t.name.clone()).collect(),
                    diagnostics: vec![d],
                }),
            }
        }
        match format::format_file(emit::registry(&registry), &self.command, &display_root) {
            Ok(text) => {
                out.files.insert("mod.rs".to_owned(), text);
            }
            Err(d) => out.diagnostics.push(d),
        }
        out
    }
}

/// The result of [`Config::generate`].
#[derive(Debug, Default)]
pub struct Generated {
    /// Generated files, by path relative to the output directory
    /// (`mod.rs` holds the registry).
    pub files: BTreeMap<String, String>,
    /// Policies that compiled, sorted by `PolicyID`.
    pub policies: Vec<CompiledPolicy>,
    /// Policies that did not compile.
    pub failed: Vec<FailedPolicy>,
    /// Problems not tied to one compiled policy (invalid specs).
    pub diagnostics: Vec<Diagnostic>,
    /// YAML files skipped because they are not policies.
    pub skipped: usize,
}

impl Generated {
    /// Every diagnostic: spec problems, then those of failed policies.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(self.failed.iter().flat_map(|f| &f.diagnostics))
    }

    /// Whether nothing went wrong.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty() && self.failed.is_empty()
    }
}

/// A policy that compiled.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// `PolicyID`.
    pub id: String,
    /// Its Rust module (and file stem).
    pub module_name: String,
    /// Its spec, as shown to users.
    pub spec_file: String,
    /// Its test names.
    pub tests: Vec<String>,
    /// The top-level resource keys it can read; `None` when it may look
    /// at the whole resource ([`reads::resource_reads`]).
    pub reads: Option<Vec<String>>,
}

/// A policy that did not compile.
#[derive(Debug, Clone)]
pub struct FailedPolicy {
    /// `PolicyID`.
    pub id: String,
    /// Its spec, as shown to users.
    pub spec_file: String,
    /// Its test names, each counted as failed.
    pub tests: Vec<String>,
    /// Why it did not compile.
    pub diagnostics: Vec<Diagnostic>,
}

/// Stages 2-4 for one policy.
fn compile(spec: &load::PolicySpec) -> Result<(ir::Module, typecheck::ResourceType), Vec<Diagnostic>> {
    let text = std::fs::read_to_string(&spec.python_path).map_err(|e| {
        vec![Diagnostic::new(Code::MissingFile, format!("cannot read `{}`: {e}", spec.python_display))]
    })?;
    let file = SourceFile::new(spec.python_display.clone(), text);
    let suite = python::parse(&file).map_err(|d| vec![d])?;
    let module = lower::lower(&file, &suite)?;
    let schema = resource_schema(spec)?;
    let module = typecheck::typecheck(&file, module, &schema)?;
    Ok((module, schema))
}

/// The schema `policy()`'s parameter is checked against.
fn resource_schema(spec: &load::PolicySpec) -> Result<typecheck::ResourceType, Vec<Diagnostic>> {
    let span = |rt: &str| {
        let text = &spec.file.text;
        text.find(rt).map_or(0..0, |i| i..i + rt.len())
    };
    let mut schemas = Vec::new();
    let mut diags = Vec::new();
    for rt in &spec.resource_types {
        match pounce_runtime::resources::schema_for(rt) {
            Some(schema) => {
                if !schemas.contains(&schema) {
                    schemas.push(schema);
                }
            }
            None => diags.push(
                Diagnostic::new(Code::UnsupportedResourceType, format!("resource type `{rt}` has no struct in the runtime yet"))
                    .at(&spec.file, span(rt))
                    .with_label("no runtime struct"),
            ),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(match schemas.as_slice() {
        [] => typecheck::ResourceType::Any,
        [one] => typecheck::ResourceType::One(one),
        _ => typecheck::ResourceType::Several(schemas),
    })
}

/// Unique Rust module names for policy IDs, in the given order:
/// `AWS.AMI.Private` becomes `aws_ami_private`; IDs that differ only in
/// punctuation get a stable hash suffix.
pub fn module_names<'i>(ids: impl Iterator<Item = &'i str>) -> Vec<String> {
    let ids: Vec<&str> = ids.collect();
    let bases: Vec<String> = ids.iter().map(|id| emit::rust_ident(id, "policy")).collect();
    let mut names: Vec<String> = Vec::with_capacity(ids.len());
    for (id, base) in ids.iter().zip(&bases) {
        let mut name = if bases.iter().filter(|b| *b == base).count() > 1 { format!("{base}_{:08x}", fnv1a(id)) } else { base.clone() };
        // A hashed name can still meet another ID's plain name (or, for
        // equal IDs, its own twin): count up until it is unique.
        let stem = name.clone();
        let mut n = 2;
        while names.contains(&name) || (name != *base && bases.contains(&name)) {
            name = format!("{stem}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

#[cfg(test)]
mod tests {
    use super::module_names;

    #[test]
    fn module_names_are_unique_for_punctuation_twins_and_hash_lookalikes() {
        let twins = module_names(["A.B", "A-B", "a_b"].into_iter());
        assert_eq!(twins.iter().filter(|n| n.starts_with("a_b_")).count(), 3, "{twins:?}");
        // An ID spelled like another's hashed name, and a repeated ID.
        let hashed = twins.first().cloned().unwrap_or_default();
        let ids = ["A.B", "A-B", hashed.as_str(), "A.B"];
        let names = module_names(ids.into_iter());
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(names.get(2).map(String::as_str), Some(hashed.as_str()), "a plain name is kept");
        // Stable: the same IDs give the same names.
        assert_eq!(module_names(ids.into_iter()), names);
    }
}
