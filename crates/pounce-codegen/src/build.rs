//! The `build.rs` API: compile a rules directory into **one** Rust file in
//! `OUT_DIR`, for a crate to `include!`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), pounce_codegen::BuildError> {
//!     pounce_codegen::Build::new("rules").compile()?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! include!(concat!(env!("OUT_DIR"), "/pounce_policies.rs"));
//! // now: POLICIES, GROUPS, REGISTRY, and one module per policy
//! // (`aws_ami_private::policy(&ami, &ctx)`, `::detect`, `::META`).
//! ```
//!
//! The file is self-contained (`mod foo;` does not work inside `include!`,
//! so every policy is an inline module) and names only absolute paths
//! (`::pounce_runtime::…`): the including crate depends on
//! `pounce-runtime` and needs no imports. [`Build::compile`] prints
//! `cargo:rerun-if-changed` for the rules directory and every YAML and
//! Python file in it, and `cargo:warning` for every diagnostic.
//!
//! The file holds:
//!
//! - a module per compiled policy, as `cargo xtask regen` writes it (its
//!   `#[test]`s run under the including crate's `cargo test`);
//! - `POLICIES`: every policy's registry entry, sorted by `PolicyID`;
//! - `GROUPS`: per resource type, the typed entry points of the policies
//!   that list it, so that a scanner reads each resource once
//!   ([`pounce_runtime::registry::TypedGroup`]);
//! - `REGISTRY`: a [`pounce_runtime::Registry`] of both.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::{format, load, Config, Generated};

/// The default name of the generated file in `OUT_DIR`.
pub const DEFAULT_FILE_NAME: &str = "pounce_policies.rs";

/// The command named in the `@generated` header by default.
pub const BUILD_COMMAND: &str = "pounce_codegen::Build";

/// Compiles a rules directory into one self-contained Rust file.
#[derive(Debug, Clone)]
pub struct Build {
    rules_dir: PathBuf,
    display_root: Option<String>,
    out_dir: Option<PathBuf>,
    file_name: String,
    command: String,
    allow_partial: bool,
    cargo_directives: bool,
}

/// The result of [`Build::render`]: the file's text and what went into it.
#[derive(Debug)]
pub struct Rendered {
    /// The Rust file.
    pub text: String,
    /// The generator's output: compiled and failed policies, diagnostics.
    pub generated: Generated,
    /// Every input: the rules directory, then each YAML and Python file
    /// under it, sorted.
    pub inputs: Vec<PathBuf>,
}

/// The result of [`Build::compile`].
#[derive(Debug)]
pub struct Built {
    /// Where the file was written.
    pub path: PathBuf,
    /// The generator's output.
    pub generated: Generated,
}

/// Why [`Build::compile`] failed.
pub struct BuildError {
    message: String,
}

impl BuildError {
    fn new(message: impl Into<String>) -> Self {
        BuildError { message: message.into() }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

// `fn main() -> Result<(), BuildError>` prints `Debug`: make it the
// readable report.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}

impl Build {
    /// Compiles the policies under `rules_dir`, recursively (a relative
    /// path is relative to the current directory; in a `build.rs` that is
    /// the package's directory).
    pub fn new(rules_dir: impl Into<PathBuf>) -> Self {
        Build {
            rules_dir: rules_dir.into(),
            display_root: None,
            out_dir: None,
            file_name: DEFAULT_FILE_NAME.to_owned(),
            command: BUILD_COMMAND.to_owned(),
            allow_partial: false,
            cargo_directives: true,
        }
    }

    /// The directory written to (default: the `OUT_DIR` Cargo gives a
    /// `build.rs`).
    #[must_use]
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The file's name in the output directory (default
    /// [`DEFAULT_FILE_NAME`]).
    #[must_use]
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// The prefix of file paths in diagnostics and headers (default: the
    /// rules directory as given).
    #[must_use]
    pub fn display_root(mut self, root: impl Into<String>) -> Self {
        self.display_root = Some(root.into());
        self
    }

    /// The command named in the `@generated` headers.
    #[must_use]
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Write the policies that compile even when others do not (default:
    /// fail). Their diagnostics are printed either way.
    #[must_use]
    pub fn allow_partial(mut self, allow: bool) -> Self {
        self.allow_partial = allow;
        self
    }

    /// Print `cargo:rerun-if-changed` and `cargo:warning` lines (default:
    /// yes; turn off outside a `build.rs`).
    #[must_use]
    pub fn cargo_directives(mut self, print: bool) -> Self {
        self.cargo_directives = print;
        self
    }

    /// Compiles the rules into the file's text, writing nothing.
    pub fn render(&self) -> Rendered {
        let display = self.display_root.clone().unwrap_or_else(|| self.rules_dir.to_string_lossy().into_owned());
        let generated =
            Config::new(&self.rules_dir).display_root(display.clone()).command(self.command.clone()).generate();
        let specs = load::load_dir(&self.rules_dir, &display).specs;
        let text = render_file(&generated, &specs, &self.command, &display);
        let mut inputs = vec![self.rules_dir.clone()];
        collect_inputs(&self.rules_dir, &mut inputs);
        if let Some(rest) = inputs.get_mut(1..) {
            rest.sort();
        }
        Rendered { text, generated, inputs }
    }

    /// Compiles the rules and writes the file (only when its bytes
    /// change). Fails when the output directory is unknown or unwritable,
    /// or, unless [`allow_partial`](Self::allow_partial), when any policy
    /// does not compile.
    pub fn compile(&self) -> Result<Built, BuildError> {
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                BuildError::new("`OUT_DIR` is not set: call `Build::compile` from a build.rs, or set `out_dir`")
            })?,
        };
        let rendered = self.render();
        if self.cargo_directives {
            for input in &rendered.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for d in rendered.generated.all_diagnostics() {
                println!("cargo:warning={}", d.one_line().replace('\n', " "));
            }
        }
        if !self.rules_dir.is_dir() {
            return Err(BuildError::new(format!("rules directory `{}` does not exist", self.rules_dir.display())));
        }
        let failures = rendered.generated.all_diagnostics().count();
        if failures > 0 && !self.allow_partial {
            let mut message = format!(
                "{} of {} policies did not compile ({failures} diagnostic(s)):\n",
                rendered.generated.failed.len() + rendered.generated.diagnostics.len(),
                rendered.generated.failed.len() + rendered.generated.policies.len(),
            );
            for d in rendered.generated.all_diagnostics() {
                message.push_str(&d.render());
                message.push('\n');
            }
            return Err(BuildError::new(message));
        }
        let path = out_dir.join(&self.file_name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(rendered.text.as_str()) {
            std::fs::create_dir_all(&out_dir)
                .and_then(|()| std::fs::write(&path, &rendered.text))
                .map_err(|e| BuildError::new(format!("cannot write `{}`: {e}", path.display())))?;
        }
        Ok(Built { path, generated: rendered.generated })
    }
}

/// The YAML and Python files under `dir`, as `load` finds them (hidden
/// entries and `__pycache__` skipped).
fn collect_inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            collect_inputs(&path, out);
        } else if [".yml", ".yaml", ".py"].iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
}

/// The single file: header and registry (formatted), then one inline
/// module per policy.
fn render_file(generated: &Generated, specs: &[load::PolicySpec], command: &str, display: &str) -> String {
    let registry = registry_tokens(generated, specs);
    let mut text = match format::format_file(registry, command, display) {
        Ok(t) => t,
        // The registry is built from identifiers the generator already
        // validated; a failure here is a bug, reported in the file.
        Err(d) => format!("compile_error!({:?});\n", d.one_line()),
    };
    for policy in &generated.policies {
        let Some(module) = generated.files.get(&format!("{}.rs", policy.module_name)) else { continue };
        text.push_str(&format!("\n/// `{}`\npub mod {} {{\n", policy.id, policy.module_name));
        text.push_str(module);
        text.push_str("}\n");
    }
    text
}

fn registry_tokens(generated: &Generated, specs: &[load::PolicySpec]) -> TokenStream {
    let rt = quote!(::pounce_runtime);
    let types: BTreeMap<&str, &[String]> =
        specs.iter().map(|s| (s.file.path.as_str(), s.resource_types.as_slice())).collect();
    // Module → the resource keys its policy can read (`None`: all).
    let reads: BTreeMap<&str, Option<&[String]>> =
        generated.policies.iter().map(|p| (p.module_name.as_str(), p.reads.as_deref())).collect();
    // Resource type → (struct, modules of the policies listing it), sorted.
    let mut groups: BTreeMap<&str, (&str, Vec<&str>)> = BTreeMap::new();
    for policy in &generated.policies {
        for resource_type in types.get(policy.spec_file.as_str()).copied().unwrap_or_default() {
            let Some(schema) = pounce_runtime::resources::schema_for(resource_type) else { continue };
            let entry = groups.entry(resource_type.as_str()).or_insert((schema.name, Vec::new()));
            if !entry.1.contains(&policy.module_name.as_str()) {
                entry.1.push(policy.module_name.as_str());
            }
        }
    }
    let entries = generated.policies.iter().map(|p| {
        let m = format_ident!("{}", p.module_name);
        quote!(&#m::POLICY)
    });
    let groups = groups.iter().map(|(resource_type, (struct_name, modules))| {
        let s = format_ident!("{}", struct_name);
        let ty = quote!(#rt::resources::#s);
        let policies = modules.iter().map(|m| {
            let keys = match reads.get(m).copied().flatten() {
                Some(keys) => quote!(::core::option::Option::Some(&[#(#keys),*])),
                None => quote!(::core::option::Option::None),
            };
            let m = format_ident!("{}", m);
            quote! {
                #rt::registry::TypedPolicy {
                    policy: &#m::POLICY,
                    eval: |r, ctx| #rt::registry::downcast::<#ty>(r).map(|r| #m::policy(r, ctx)),
                    detect: |r, ctx| #rt::registry::downcast::<#ty>(r).map(|r| #m::detect(r, ctx)),
                    reads: #keys,
                }
            }
        });
        quote! {
            #rt::registry::TypedGroup {
                resource_type: #resource_type,
                parse_str: #rt::registry::parse_str::<#ty>,
                parse_str_only: #rt::registry::parse_str_only::<#ty>,
                parse_json: #rt::registry::parse_json::<#ty>,
                policies: &[#(#policies),*],
            }
        }
    });
    quote! {
        /// Every compiled policy, sorted by `PolicyID`.
        pub static POLICIES: &[&#rt::Policy] = &[#(#entries),*];

        /// Per resource type, the typed entry points of the policies that
        /// list it; sorted by resource type.
        pub static GROUPS: &[#rt::registry::TypedGroup] = &[#(#groups),*];

        /// The registry of these policies.
        pub static REGISTRY: #rt::Registry = #rt::Registry::new(POLICIES, GROUPS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules")
    }

    #[test]
    fn renders_one_self_contained_file_deterministically() {
        let build = Build::new(rules_dir()).display_root("rules");
        let first = build.render();
        let second = build.render();
        assert_eq!(first.text, second.text);
        // No `mod name;` declarations: they cannot be `include!`d.
        let file = syn::parse_file(&first.text);
        assert_eq!(file.as_ref().err().map(ToString::to_string), None, "the file does not parse");
        for item in file.map(|f| f.items).unwrap_or_default() {
            if let syn::Item::Mod(m) = &item {
                assert!(m.content.is_some(), "`mod {};` in the output", m.ident);
            }
        }
        assert!(first.text.contains("pub static REGISTRY: ::pounce_runtime::Registry"));
        for policy in &first.generated.policies {
            assert!(first.text.contains(&format!("pub mod {} {{", policy.module_name)));
        }
    }

    #[test]
    fn inputs_are_the_directory_and_every_spec_and_python_file() {
        let rendered = Build::new(rules_dir()).render();
        assert_eq!(rendered.inputs.first(), Some(&rules_dir()));
        assert!(rendered.inputs.iter().any(|p| p.extension().is_some_and(|e| e == "yml")));
        assert!(rendered.inputs.iter().any(|p| p.extension().is_some_and(|e| e == "py")));
    }

    #[test]
    fn compile_without_out_dir_outside_build_rs_fails() {
        if std::env::var_os("OUT_DIR").is_some() {
            return;
        }
        let err = Build::new(rules_dir()).cargo_directives(false).compile();
        assert!(err.is_err());
    }
}
