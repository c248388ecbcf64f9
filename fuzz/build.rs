//! Compiles the repository's `rules/` with the `build.rs` API, for the
//! typed registry (`REGISTRY`, with `GROUPS`) `resource_deser` uses.

fn main() -> Result<(), pounce_codegen::BuildError> {
    pounce_codegen::Build::new("../rules").compile()?;
    Ok(())
}
