//! The `pounce` command line, over any registry of compiled policies.
//!
//! The `pounce` binary runs it over this repository's policies
//! (`pounce_checks::POLICIES`); `cargo xtask test` builds the same command
//! over an external rules directory's policies.

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use pounce_runtime::{testing, Policy};

/// Compiled Panther cloud-compliance policies.
#[derive(Debug, Parser)]
#[command(name = "pounce", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Lists the compiled policies.
    List {
        /// Prints the list as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Runs the command line over `registry` with the process arguments.
pub fn main(registry: &'static [&'static Policy]) -> ExitCode {
    run(Cli::parse(), registry)
}

/// Runs `cli` over `registry`.
pub fn run(cli: Cli, registry: &'static [&'static Policy]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Test { json } => {
            let report = testing::run_all(registry);
            let text = if json {
                serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
            } else {
                testing::render_text(&report)
            };
            let _ = stdout.write_all(text.as_bytes());
            if report.is_success() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::List { json } => {
            if json {
                let list: Vec<serde_json::Value> = registry
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
            } else {
                for p in registry {
                    let _ = writeln!(
                        stdout,
                        "{}\t{}\t{}\t{}",
                        p.meta.id,
                        p.meta.severity,
                        p.meta.resource_types.join(","),
                        p.meta.tags.join(",")
                    );
                }
            }
            ExitCode::SUCCESS
        }
    }
}
