//! The Python frontend: parse, lower, typecheck, emit and format arbitrary
//! source as a policy's `.py`, as `Config::generate` compiles it.
//!
//! The resource type is the one a first line `# pounce-fuzz: AWS.EC2.AMI`
//! names (`seed.sh` adds it from the spec), when the runtime has a struct
//! for it; otherwise the policy lists no type (any resource).

#![no_main]

use libfuzzer_sys::fuzz_target;
use pounce_fuzz::{compile, spec};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let resource_type = source
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# pounce-fuzz: "))
        .map(str::trim)
        .filter(|rt| pounce_runtime::resources::schema_for(rt).is_some());
    let types: Vec<&str> = resource_type.into_iter().collect();
    let _ = compile(&spec(&types, ""), source, true);
});
