//! What the fuzz targets share: the repository's policies compiled with
//! typed groups, a fixed-clock context, and the code generator's stages
//! 2-6 over one Python source.

use pounce_codegen::load::PolicySpec;
use pounce_codegen::{emit, format, lower, python, typecheck, Code, Diagnostic, SourceFile};
use pounce_runtime::{Context, Severity};

// `POLICIES`, `GROUPS`, `REGISTRY` and one module per policy of `../rules`.
include!(concat!(env!("OUT_DIR"), "/pounce_policies.rs"));

/// A context whose clock is fixed (2024-01-01T00:00:00Z), so that a run is
/// reproducible.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock;

impl Context for FixedClock {
    fn now_micros(&self) -> i64 {
        1_704_067_200_000_000
    }
}

/// Renders every diagnostic both ways, and fails on an internal error
/// (generated code that does not parse is a generator bug).
pub fn check_diagnostics<'d>(diagnostics: impl IntoIterator<Item = &'d Diagnostic>) {
    for d in diagnostics {
        let _ = d.one_line();
        let _ = d.render();
        assert_ne!(d.code, Code::Internal, "internal error: {}", d.one_line());
    }
}

/// A spec for a policy of `resource_types` whose Python file is `policy.py`.
pub fn spec(resource_types: &[&str], text: &str) -> PolicySpec {
    PolicySpec {
        file: SourceFile::new("policy.yml", text),
        rel_path: "policy.yml".to_owned(),
        python_path: "policy.py".into(),
        python_display: "policy.py".to_owned(),
        python_rel: "policy.py".to_owned(),
        enabled: true,
        id: "Fuzz.Policy".to_owned(),
        severity: Severity::High,
        resource_types: resource_types.iter().map(|s| (*s).to_owned()).collect(),
        action_delay_seconds: None,
        auto_remediation_id: None,
        auto_remediation_parameters: None,
        description: None,
        display_name: None,
        only_use_base_risk_score: None,
        output_ids: Vec::new(),
        created_by: None,
        reference: None,
        runbook: None,
        status: None,
        suppressions: Vec::new(),
        tags: Vec::new(),
        reports: Vec::new(),
        tests: Vec::new(),
        base_version: None,
        id_span: 0..0,
    }
}

/// Stages 2-6 (`python` → `lower` → `typecheck` → `emit` → `format`) of
/// `source` as the Python file of `spec`, as `Config::generate` runs them;
/// `emit`: also emit and format when it type-checks. The formatted file,
/// when it compiled.
pub fn compile(spec: &PolicySpec, source: &str, emit: bool) -> Option<String> {
    let file = SourceFile::new(spec.python_display.clone(), source);
    let suite = match python::parse(&file) {
        Ok(suite) => suite,
        Err(d) => {
            check_diagnostics([&d]);
            return None;
        }
    };
    let module = match lower::lower(&file, &suite) {
        Ok(module) => module,
        Err(diags) => {
            check_diagnostics(&diags);
            return None;
        }
    };
    let resource = match pounce_codegen::analyze::resource_type(spec) {
        Ok(r) => r,
        Err(diags) => {
            check_diagnostics(&diags);
            return None;
        }
    };
    let module = match typecheck::typecheck(&file, module, &resource) {
        Ok(module) => module,
        Err(diags) => {
            check_diagnostics(&diags);
            return None;
        }
    };
    if !emit {
        return None;
    }
    let unit = emit::PolicyUnit { spec, module: &module, resource: &resource, module_name: "fuzz_policy" };
    match format::format_file(emit::policy_file(&unit), format::REGEN_COMMAND, "policy.yml") {
        Ok(text) => Some(text),
        Err(d) => {
            check_diagnostics([&d]);
            None
        }
    }
}

/// Whether the environment variable `name` is set to `1`: the targets'
/// switches for oracles of known, reported findings (see README.md).
pub fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}
