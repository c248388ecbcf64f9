//! Compiles `fixtures/adversarial/` with the `build.rs` API, so that
//! `tests/adversarial.rs` proves the generated code of hostile specs
//! compiles and keeps every string exactly.

fn main() -> Result<(), pounce_codegen::BuildError> {
    pounce_codegen::Build::new("fixtures/adversarial").file_name("adversarial_policies.rs").compile()?;
    Ok(())
}
