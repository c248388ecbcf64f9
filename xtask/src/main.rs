//! `cargo xtask`: the only writer of generated files.
//!
//! - `cargo xtask regen`: compiles `rules/` into
//!   `crates/pounce-checks/src/generated/` (writes only files whose bytes
//!   differ, removes files no policy produces). Writes nothing when any
//!   policy has a diagnostic.
//! - `cargo xtask verify [--json]`: fails listing every stale generated
//!   file, then runs every embedded test case of the compiled policies and
//!   prints Panther's test layout, ending with `N passed, N failed`.

mod build;
mod codegen;
mod corpus;
mod difftest;
mod docs;
mod iam_catalog;

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
    /// Differential testing against CPython: derives resources from each
    /// policy's tests, runs them through CPython and the compiled policy,
    /// and reports every divergence.
    Difftest {
        /// The rules directory.
        #[arg(long, default_value = "rules")]
        rules: std::path::PathBuf,
        /// Panther's global helpers directory (put on CPython's path).
        #[arg(long)]
        helpers: Option<std::path::PathBuf>,
        /// Cases per policy.
        #[arg(long, default_value_t = 1000)]
        cases: usize,
        /// Cases for the policies named by `--heavy`.
        #[arg(long)]
        heavy_cases: Option<usize>,
        /// Policy-ID substrings that get `--heavy-cases` (repeatable).
        #[arg(long)]
        heavy: Vec<String>,
        /// Seed of the case generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only policies whose ID contains this.
        #[arg(long)]
        policy: Option<String>,
        /// The Python interpreter.
        #[arg(long, default_value = "python3")]
        python: String,
        /// How many divergences to minimise and print in full.
        #[arg(long, default_value_t = 20)]
        show: usize,
        /// Builds the compiled side in the dev profile.
        #[arg(long)]
        debug: bool,
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
    /// Builds a release `pounce` binary holding exactly the policies of an
    /// external rules directory (default output: `target/pounce`).
    Build {
        /// The rules directory, searched recursively.
        #[arg(long)]
        rules: std::path::PathBuf,
        /// Panther's global helpers directory.
        #[arg(long)]
        helpers: Option<std::path::PathBuf>,
        /// Where to write the binary (default: `target/pounce`).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Exits 0 even when some policies did not compile (they are left out).
        #[arg(long)]
        allow_partial: bool,
        /// Builds in debug mode (faster to build, slower to run).
        #[arg(long, hide = true)]
        debug: bool,
    },
    /// Writes the detection catalog (a Markdown page per policy and an
    /// index; default `docs/catalog/` for `rules/`) and checks that every
    /// condition round-trips to the compiled policy's outcomes.
    Docs {
        /// The rules directory (default: `rules/`).
        #[arg(long)]
        rules: Option<std::path::PathBuf>,
        /// The output directory (required with `--rules`).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// Skips the round trip.
        #[arg(long)]
        no_round_trip: bool,
        /// Also compares every condition with its compiled policy on
        /// systematic mutations of the test resources (keys removed, set to
        /// `null` or to values of other types).
        #[arg(long)]
        mutations: bool,
    },
    /// Regenerates `data/iam/actions.tsv` (the AWS action catalogue of the
    /// IAM policy model) from policyuniverse's `data.json`.
    RefreshIamCatalog {
        /// A policyuniverse wheel, its `data.json`, or a directory holding
        /// it (default: the package `python3` imports).
        #[arg(long)]
        from: Option<std::path::PathBuf>,
    },
    /// Derives `data/attack/enterprise-attack.tsv` from MITRE's STIX data.
    Attack {
        /// `enterprise-attack.json`, or the `enterprise-attack/` folder of a
        /// github.com/mitre/cti checkout.
        #[arg(long)]
        cti: std::path::PathBuf,
        /// The ATT&CK release (`18.1`).
        #[arg(long)]
        version: String,
        /// Where the data came from (URL and commit).
        #[arg(long)]
        source: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regen => codegen::regen(),
        Command::Verify { json } => codegen::verify(json),
        Command::Difftest { rules, helpers, cases, heavy_cases, heavy, seed, policy, python, show, debug } => difftest::difftest(&difftest::DiffOptions {
            rules,
            helpers,
            cases,
            heavy_cases,
            heavy,
            seed,
            filter: policy,
            python,
            show,
            debug,
        }),
        Command::Docs { rules, out, no_round_trip, mutations } => docs::docs(&docs::DocsOptions { rules, out, no_round_trip, mutations }),
        Command::Attack { cti, version, source } => docs::attack(&docs::AttackOptions { cti, version, source }),
        Command::RefreshIamCatalog { from } => iam_catalog::refresh(&iam_catalog::RefreshOptions { from }),
        Command::Test { rules, helpers, json } => corpus::test(&corpus::TestOptions { rules, helpers, json }),
        Command::Build { rules, helpers, out, allow_partial, debug } => build::build(&build::BuildOptions { rules, helpers, out, allow_partial, debug }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
