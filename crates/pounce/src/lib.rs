//! The `pounce` command line, over any registry of compiled policies.
//!
//! The `pounce` binary runs it over this repository's policies
//! (`pounce_checks::POLICIES`); `cargo xtask build` builds the same command
//! over an external rules directory (and `cargo xtask test` to run its
//! tests). A crate that compiles its own rules with the `build.rs` API
//! gets the same command with:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/pounce_policies.rs"));
//!
//! fn main() -> std::process::ExitCode {
//!     pounce::main_with(&REGISTRY, pounce::RuleSet { source: "rules/", revision: "my build" })
//! }
//! ```

/// The allocator of every binary that links this crate (feature
/// `mimalloc`, on by default; turn default features off to keep your own).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod eval;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod input;
mod output;
mod scan;

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand, ValueEnum};
use pounce_runtime::registry::Registry;
use pounce_runtime::{testing, Policy, Severity};

pub use output::Format;
pub use scan::{Counts, ScanOptions, Summary};

/// The rule set a `pounce` binary was built from, as `--version` names it.
#[derive(Debug, Clone, Copy)]
pub struct RuleSet {
    /// The rules directory, as given to the build.
    pub source: &'static str,
    /// Its revision: `git <commit>`, or `not a git checkout`.
    pub revision: &'static str,
}

impl RuleSet {
    /// This repository's `rules/`, compiled into the `pounce` binary.
    pub const BUILT_IN: RuleSet = RuleSet { source: "rules/ of this repository", revision: "built in" };
}

const EXIT_CODES: &str = "\
Exit status:
  0  no findings: every evaluated policy passed
  1  findings: at least one policy alerted
  2  errors: a policy raised, an input record is not a JSON resource, or a usage or I/O error";

/// Compiled Panther cloud-compliance policies.
#[derive(Debug, Parser)]
#[command(name = "pounce")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs every embedded test case of every policy, in Panther's layout.
    ///
    /// Exit status: 0 when all pass, 1 when any fails.
    Test {
        /// Prints the results as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Lists the compiled policies: ID, enabled, severity, resource types, tags.
    List {
        /// Prints the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Evaluates every enabled policy on every resource of its type.
    ///
    /// Inputs are JSON Lines files (one resource per line), JSON files holding
    /// one array of resources, directories of those (`*.json`, `*.jsonl`,
    /// `*.ndjson`, recursively), or `-` for stdin (the default). Each resource
    /// goes to the policies listing its `ResourceType`. Input is streamed in
    /// bounded batches evaluated on all cores; a record that is not JSON becomes
    /// an `invalid` record with its line number and the scan goes on. Findings
    /// (alerts and errors) go to stdout; a summary goes to stderr.
    #[command(after_help = EXIT_CODES)]
    Scan {
        /// Files, directories, or `-` for stdin.
        #[arg(value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Output format.
        #[arg(long, short, value_enum, default_value = "jsonl")]
        format: Format,
        /// Only these policies (repeat or separate with commas); named policies run even when disabled.
        #[arg(long = "policy", value_name = "ID", value_delimiter = ',')]
        policies: Vec<String>,
        /// Only policies of these severities (repeat or separate with commas).
        #[arg(long = "severity", value_enum, value_delimiter = ',', ignore_case = true)]
        severities: Vec<SeverityArg>,
        /// Only resources of these types (repeat or separate with commas).
        #[arg(long = "resource-type", value_name = "TYPE", value_delimiter = ',')]
        resource_types: Vec<String>,
        /// Also runs policies whose spec says `Enabled: false`.
        #[arg(long)]
        include_disabled: bool,
        /// Also reports evaluations that passed.
        #[arg(long)]
        passes: bool,
        /// Worker threads (default: one per core).
        #[arg(long, short = 'j')]
        threads: Option<usize>,
        /// Writes the summary, with per-policy pass/alert/error counts, as JSON to FILE.
        #[arg(long, value_name = "FILE")]
        summary_json: Option<PathBuf>,
        /// Never shows a progress bar (it is shown only when stderr is a terminal).
        #[arg(long)]
        no_progress: bool,
        /// No summary on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Evaluates one policy on one JSON resource read from stdin.
    ///
    /// Prints `{"result": true}` (compliant), `{"result": false}` (alert) or
    /// `{"error": "..."}` (the policy raised, or the input is not JSON). No
    /// resource-lookup data is loaded, so `resource_lookup` raises `BadLookup`
    /// as in a policy test without mocks.
    #[command(after_help = EXIT_CODES)]
    Eval {
        /// The policy's `PolicyID`.
        #[arg(long)]
        policy: String,
        /// Reads JSON Lines: one result line per input line, in order.
        #[arg(long)]
        jsonl: bool,
        /// Adds the auxiliary outputs (`title`, `dedup`, …) to alerts.
        #[arg(long)]
        aux: bool,
    },
}

/// Runs the command line over `policies` (this repository's, or those of
/// `cargo xtask test`) with the process arguments.
pub fn main(policies: &'static [&'static Policy]) -> ExitCode {
    main_with(&Registry::from_policies(policies), RuleSet::BUILT_IN)
}

/// Runs the command line over `registry`, built from `rules`, with the
/// process arguments.
pub fn main_with(registry: &Registry, rules: RuleSet) -> ExitCode {
    let version = version(registry, rules);
    let matches = Cli::command().version(version.clone()).long_version(version).get_matches();
    match Cli::from_arg_matches(&matches) {
        Ok(cli) => run(cli, registry),
        Err(e) => e.exit(),
    }
}

/// The `--version` text: the tool's version and the rule set's.
pub fn version(registry: &Registry, rules: RuleSet) -> String {
    format!("{} (rules: {}, {}; {} policies)", env!("CARGO_PKG_VERSION"), rules.source, rules.revision, registry.len())
}

/// Runs `cli` over `registry`.
pub fn run(cli: Cli, registry: &Registry) -> ExitCode {
    match cli.command {
        Command::Test { json } => test(registry, json),
        Command::List { json } => list(registry, json),
        Command::Scan {
            inputs,
            format,
            policies,
            severities,
            resource_types,
            include_disabled,
            passes,
            threads,
            summary_json,
            no_progress,
            quiet,
        } => {
            let opts = ScanOptions {
                inputs,
                format,
                policies,
                severities: severities.into_iter().map(Severity::from).collect(),
                resource_types,
                include_disabled,
                passes,
                threads,
                summary_json,
                progress: !no_progress && !quiet,
            };
            let out = Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()));
            match scan::scan(registry, &opts, out) {
                Ok(summary) => {
                    if !quiet {
                        eprintln!("{}", summary.line());
                    }
                    ExitCode::from(summary.exit_code())
                }
                Err(e) => {
                    eprintln!("pounce scan: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Eval { policy, jsonl, aux } => {
            let Some(p) = registry.get(&policy) else {
                eprintln!("pounce eval: {}", scan::unknown_policy(registry, &policy));
                return ExitCode::from(2);
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let code = if jsonl {
                eval::eval_lines(registry, p, aux, &mut out)
            } else {
                eval::eval_one(registry, p, aux, &mut out)
            };
            match code {
                Ok(code) => ExitCode::from(code),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(2),
                Err(e) => {
                    eprintln!("pounce eval: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn test(registry: &Registry, json: bool) -> ExitCode {
    let report = testing::run_all(registry.policies());
    let text = if json {
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    } else {
        testing::render_text(&report)
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    if report.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn list(registry: &Registry, json: bool) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    if json {
        let list: Vec<serde_json::Value> = registry
            .policies()
            .iter()
            .map(|p| {
                serde_json::json!({
                    "id": p.meta.id,
                    "display_name": p.meta.display_name,
                    "severity": p.meta.severity.as_str(),
                    "resource_types": p.meta.resource_types,
                    "tags": p.meta.tags,
                    "enabled": p.meta.enabled,
                })
            })
            .collect();
        let _ = writeln!(stdout, "{}", serde_json::Value::Array(list));
        return ExitCode::SUCCESS;
    }
    if std::io::stdout().is_terminal() {
        let _ = writeln!(stdout, "ID\tENABLED\tSEVERITY\tRESOURCE TYPES\tTAGS");
    }
    for p in registry.policies() {
        let _ = writeln!(
            stdout,
            "{}\t{}\t{}\t{}\t{}",
            p.meta.id,
            if p.meta.enabled { "enabled" } else { "disabled" },
            p.meta.severity,
            p.meta.resource_types.join(","),
            p.meta.tags.join(",")
        );
    }
    let enabled = registry.policies().iter().filter(|p| p.meta.enabled).count();
    eprintln!("{} policies ({enabled} enabled)", registry.len());
    ExitCode::SUCCESS
}
