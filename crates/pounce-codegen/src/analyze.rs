//! Stages 1-4 without emission: the typed IR of every policy of a rules
//! directory, for tools that read policies rather than compile them (the
//! detection catalog and its condition language, [`crate::condition`]).
//!
//! The stages are the same functions [`crate::Config::generate`] runs
//! (`load` → `python` → `lower` → `typecheck`); nothing is written.

use std::path::Path;

use rustpython_parser::ast;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::ir::Module;
use crate::load::{self, PolicySpec};
use crate::typecheck::{self, ResourceType};
use crate::{lower, python};

/// One policy that went through stages 1-4.
#[derive(Debug, Clone)]
pub struct AnalyzedPolicy {
    /// The validated spec.
    pub spec: PolicySpec,
    /// The type-checked module.
    pub module: Module,
    /// The resource type `policy()` receives.
    pub resource: ResourceType,
    /// The module's imports, in source order, as the Python file spells them.
    pub imports: Vec<Import>,
    /// The Python source.
    pub source: String,
}

/// One imported name of a policy module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Import {
    /// `import module [as local]`: `local` names the module (for a dotted
    /// module without `as`, its first segment names the package, as in
    /// Python).
    Module {
        /// The dotted module.
        module: String,
        /// The name it is bound to.
        local: String,
    },
    /// `from module import name [as local]`.
    Name {
        /// The dotted module.
        module: String,
        /// The imported name.
        name: String,
        /// The name it is bound to.
        local: String,
    },
}

/// The policies of a rules directory.
#[derive(Debug, Default)]
pub struct Analyzed {
    /// Policies that passed stages 1-4, sorted by `PolicyID`.
    pub policies: Vec<AnalyzedPolicy>,
    /// Policies that did not, with their diagnostics (`PolicyID`, spec file,
    /// diagnostics).
    pub failed: Vec<(String, String, Vec<Diagnostic>)>,
    /// Problems not tied to one policy (invalid specs).
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs stages 1-4 over every policy under `rules_dir`; `display_root`
/// prefixes paths in diagnostics.
pub fn analyze(rules_dir: &Path, display_root: &str) -> Analyzed {
    let loaded = load::load_dir(rules_dir, display_root);
    let mut out = Analyzed { diagnostics: loaded.diagnostics, ..Analyzed::default() };
    for spec in loaded.specs {
        match analyze_one(&spec) {
            Ok((module, resource, imports, source)) => out.policies.push(AnalyzedPolicy { spec, module, resource, imports, source }),
            Err(diags) => out.failed.push((spec.id.clone(), spec.file.path.clone(), diags)),
        }
    }
    out
}

type Stages = (Module, ResourceType, Vec<Import>, String);

fn analyze_one(spec: &PolicySpec) -> Result<Stages, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(&spec.python_path)
        .map_err(|e| vec![Diagnostic::new(Code::MissingFile, format!("cannot read `{}`: {e}", spec.python_display))])?;
    let file = SourceFile::new(spec.python_display.clone(), text.clone());
    let suite = python::parse(&file).map_err(|d| vec![d])?;
    let module = lower::lower(&file, &suite)?;
    let resource = resource_type(spec)?;
    let module = typecheck::typecheck(&file, module, &resource)?;
    Ok((module, resource, imports(&suite), text))
}

/// The schema `policy()`'s parameter has, as `Config::generate` computes it.
pub fn resource_type(spec: &PolicySpec) -> Result<ResourceType, Vec<Diagnostic>> {
    let mut schemas = Vec::new();
    let mut diags = Vec::new();
    for rt in &spec.resource_types {
        match pounce_runtime::resources::schema_for(rt) {
            Some(schema) => {
                if !schemas.contains(&schema) {
                    schemas.push(schema);
                }
            }
            None => diags.push(Diagnostic::new(Code::UnsupportedResourceType, format!("resource type `{rt}` has no struct in the runtime yet"))),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(match schemas.as_slice() {
        [] => ResourceType::Any,
        [one] => ResourceType::One(one),
        _ => ResourceType::Several(schemas),
    })
}

/// The module-level imports of `suite`.
fn imports(suite: &ast::Suite) -> Vec<Import> {
    let mut out = Vec::new();
    for stmt in suite {
        match stmt {
            ast::Stmt::Import(i) => {
                for alias in &i.names {
                    let module = alias.name.to_string();
                    let local = match &alias.asname {
                        Some(a) => a.to_string(),
                        None => module.split('.').next().unwrap_or_default().to_owned(),
                    };
                    out.push(Import::Module { module, local });
                }
            }
            ast::Stmt::ImportFrom(i) => {
                let module = i.module.as_ref().map(ToString::to_string).unwrap_or_default();
                for alias in &i.names {
                    let name = alias.name.to_string();
                    let local = alias.asname.as_ref().map_or_else(|| name.clone(), ToString::to_string);
                    out.push(Import::Name { module: module.clone(), name, local });
                }
            }
            _ => {}
        }
    }
    out
}
