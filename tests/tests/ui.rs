//! The type-level promises of the generated code, one trybuild case per
//! promise. Update the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p pounce-tests --test ui` and review the
//! diff; the toolchain is pinned in `rust-toolchain.toml`, so they are
//! stable.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    // Well-typed use compiles, so the failures below are about types only.
    t.pass("ui/ami_check_accepts_ami.rs");
    // The AMI check takes an `Ami` and no other resource struct.
    t.compile_fail("ui/ami_check_rejects_other_resource.rs");
    // The AMI check does not take untyped JSON.
    t.compile_fail("ui/ami_check_rejects_json.rs");
}
