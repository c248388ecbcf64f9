//! Compiles `rules/` into `$OUT_DIR/pounce_policies.rs`; `src/lib.rs`
//! `include!`s it. Cargo re-runs this when any file under `rules/` changes.

fn main() -> Result<(), pounce_codegen::BuildError> {
    pounce_codegen::Build::new("rules").compile()?;
    Ok(())
}
