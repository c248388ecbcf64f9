//! Benchmark fixtures: the policies of `$POUNCE_BENCH_RULES` (compiled by
//! `build.rs` with pounce's `build.rs` API), their embedded test cases
//! ready to evaluate, and lines of an inventory to scan.
//!
//! `cargo bench -p pounce-bench` runs `benches/policies.rs`; see
//! `docs/benchmarks.md` for the inputs and the comparison with CPython.

include!(concat!(env!("OUT_DIR"), "/pounce_policies.rs"));

/// The allocator of the `pounce` binary (its `mimalloc` feature), so that
/// these numbers are the scanner's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};

use pounce_runtime::registry::{AnyResource, TypedGroup, TypedPolicy};
use pounce_runtime::testing::TestContext;
use pounce_runtime::{Policy, TestCase};

/// The rules directory these policies were compiled from.
pub const RULES_DIR: &str = env!("POUNCE_BENCH_RULES_DIR");

/// Policies of the rules directory that did not compile (comma-separated).
pub const NOT_COMPILED: &str = env!("POUNCE_BENCH_NOT_COMPILED");

/// The text that marks CPython's "heavy" policies (they expand IAM
/// wildcards against every AWS action); `py_baseline.py` leaves them out
/// of its "light" set, and so do these benchmarks.
pub const HEAVY_PATTERN: &str = "policyuniverse.expander_minimizer";

/// Whether `policy`'s Python source names [`HEAVY_PATTERN`].
pub fn is_heavy(policy: &Policy) -> bool {
    std::fs::read_to_string(Path::new(RULES_DIR).join(policy.meta.python_file)).is_ok_and(|s| s.contains(HEAVY_PATTERN))
}

/// One embedded test case, its resource already read into its struct.
pub struct Case {
    /// The policy.
    pub policy: &'static Policy,
    /// The test case.
    pub test: &'static TestCase,
    /// The group whose struct the resource was read into.
    pub group: &'static TypedGroup,
    /// The policy's typed entry points in that group.
    pub typed: &'static TypedPolicy,
    /// The resource, typed.
    pub resource: Box<dyn AnyResource>,
    /// Its mocks.
    pub ctx: TestContext,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.policy.meta.id, self.test.name)
    }
}

/// The resource type a test resource is filed under, as `make_inventory.py`
/// files it: its own `ResourceType` when the policy lists it, else the
/// policy's first.
fn resource_type(policy: &Policy, test: &TestCase) -> Option<&'static str> {
    let value: serde_json::Value = serde_json::from_str(test.resource).ok()?;
    let own = value.get("ResourceType").and_then(serde_json::Value::as_str);
    match own.and_then(|t| policy.meta.resource_types.iter().find(|u| **u == t)) {
        Some(t) => Some(t),
        None => policy.meta.resource_types.first().copied(),
    }
}

/// Every embedded test case of every compiled policy (`light`: without
/// the heavy ones), typed; cases whose resource does not read as its
/// struct are left out.
pub fn cases(light: bool) -> Vec<Case> {
    let mut out = Vec::new();
    for &policy in POLICIES {
        if light && is_heavy(policy) {
            continue;
        }
        for test in policy.tests {
            let Some(rt) = resource_type(policy, test) else { continue };
            let Some(group) = REGISTRY.group(rt) else { continue };
            let Some(typed) = group.policies.iter().find(|tp| std::ptr::eq(tp.policy, policy)) else { continue };
            let Ok(resource) = (group.parse_str)(test.resource) else { continue };
            out.push(Case { policy, test, group, typed, resource, ctx: TestContext::new(test) });
        }
    }
    out
}

/// The inventory to scan: `$POUNCE_BENCH_INVENTORY`, else
/// `/tmp/pa_inventory.jsonl` (`make_inventory.py`'s default output).
pub fn inventory_path() -> PathBuf {
    std::env::var_os("POUNCE_BENCH_INVENTORY").map_or_else(|| PathBuf::from("/tmp/pa_inventory.jsonl"), PathBuf::from)
}

/// The first lines of the inventory, up to about `max_bytes`.
pub fn inventory_lines(max_bytes: usize) -> std::io::Result<Vec<String>> {
    use std::io::BufRead as _;
    let file = std::fs::File::open(inventory_path())?;
    let mut lines = Vec::new();
    let mut bytes = 0;
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        bytes += line.len() + 1;
        lines.push(line);
        if bytes >= max_bytes {
            break;
        }
    }
    Ok(lines)
}
