//! The `pounce` command line (`scan`, `eval`, `list`, `test`) over this
//! crate's own policies.

fn main() -> std::process::ExitCode {
    pounce::main_with(
        &pounce_example_build_rs::REGISTRY,
        pounce::RuleSet { source: concat!(env!("CARGO_MANIFEST_DIR"), "/rules"), revision: "built by build.rs" },
    )
}
