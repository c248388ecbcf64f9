//! `cargo xtask`: the only writer of generated files.
//!
//! - `cargo xtask regen`: compiles `rules/` into
//!   `crates/pounce-checks/src/generated/` (writes only files whose bytes
//!   differ, removes files no policy produces). Writes nothing when any
//!   policy has a diagnostic.
//! - `cargo xtask verify [--json]`: fails listing every stale generated
//!   file, then runs every embedded test case of the compiled policies and
//!   prints Panther's test layout, ending with `N passed, N failed`.

mod codegen;
mod corpus;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerates the compiled policies from `rules/`.
    Regen,
    /// Checks that generated code is fresh, then runs every embedded test.
    Verify {
        /// Prints the test results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compiles an external rules directory (a panther-analysis checkout or
    /// fork) and runs its embedded tests.
    Test {
        /// The rules directory, searched recursively.
        #[arg(long)]
        rules: std::path::PathBuf,
        /// Panther's global helpers directory.
        #[arg(long)]
        helpers: Option<std::path::PathBuf>,
        /// Prints the results as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen => codegen::regen(),
        Command::Verify { json } => codegen::verify(json),
        Command::Test { rules, helpers, json } => corpus::test(&corpus::TestOptions { rules, helpers, json }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
