//! Compiles the rules to benchmark: `$POUNCE_BENCH_RULES` (for example
//! `/tmp/pa/policies`, a panther-analysis checkout), else the example
//! crate's own `rules/`. Policies that do not compile are left out.

use std::path::PathBuf;

fn main() -> Result<(), pounce_codegen::BuildError> {
    println!("cargo:rerun-if-env-changed=POUNCE_BENCH_RULES");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules = match std::env::var_os("POUNCE_BENCH_RULES") {
        Some(dir) => PathBuf::from(dir),
        None => manifest.join("../examples/build-rs/rules"),
    };
    println!("cargo:rustc-env=POUNCE_BENCH_RULES_DIR={}", rules.display());
    let built = pounce_codegen::Build::new(&rules).allow_partial(true).compile()?;
    println!(
        "cargo:rustc-env=POUNCE_BENCH_NOT_COMPILED={}",
        built.generated.failed.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(",")
    );
    Ok(())
}
