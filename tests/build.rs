//! Compiles two fixture rule sets with the `build.rs` API:
//! `fixtures/adversarial/` (hostile strings and IDs, for
//! `tests/adversarial.rs`) and `fixtures/semantics/` (Python semantics
//! checked against CPython's outcomes, for `tests/semantics.rs`).

fn main() -> Result<(), pounce_codegen::BuildError> {
    pounce_codegen::Build::new("fixtures/adversarial").file_name("adversarial_policies.rs").compile()?;
    pounce_codegen::Build::new("fixtures/semantics").file_name("semantics_policies.rs").compile()?;
    Ok(())
}
