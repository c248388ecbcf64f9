//! The YAML spec loader (`pounce_codegen::load::parse_spec`) on arbitrary
//! bytes as a policy spec. A spec that validates goes on through the rest
//! of the pipeline with a fixed Python file, so that its metadata and
//! embedded tests are emitted and formatted too.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pounce_codegen::{load, SourceFile};
use pounce_fuzz::{check_diagnostics, compile};

const POLICY_PY: &str = "def policy(resource):\n    return True\n\n\ndef title(resource):\n    return 'x'\n";

/// A rules directory holding `policy.py` (the `Filename` the seeds use;
/// `seed.sh` rewrites theirs).
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join("pounce-fuzz-load-spec");
        std::fs::create_dir_all(&dir).expect("create the rules directory");
        std::fs::write(dir.join("policy.py"), POLICY_PY).expect("write policy.py");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = SourceFile::new("policy.yml", text);
    match load::parse_spec(&file, root(), "policy.yml", "rules") {
        Ok(Some(spec)) => {
            let _ = compile(&spec, POLICY_PY, true);
        }
        Ok(None) => {}
        Err(diagnostics) => check_diagnostics(&diagnostics),
    }
});
