//! Every diagnostic code, as the text a user sees.
//!
//! One tiny rules directory per code under `fixtures/diagnostics/`, named
//! `<code>_<short_name>`, and one `#[test]` per fixture, so that a failure
//! names the code. Each test checks that its fixture still produces the
//! code it is named after, then snapshots every diagnostic of the run: the
//! one-line form followed by the rendered report. Review snapshot diffs as
//! you would review a change of the messages themselves.
//!
//! Two codes have no fixture because no input can trigger them (see
//! [`UNTRIGGERABLE`]): `E0901` (`Code::Internal`) reports a bug of the
//! generator, and `E0404` (`Code::UnsupportedResourceType`) needs a
//! resource type Panther knows but the runtime has no struct for, and today
//! the runtime has one for every type (checked by
//! `every_panther_resource_type_has_a_struct`).

#![expect(clippy::expect_used, reason = "tests")]

use std::path::Path;

use pounce_codegen::{Code, Config};

/// Codes no input can trigger, hence without a fixture, and why.
const UNTRIGGERABLE: &[(Code, &str)] = &[
    (Code::UnsupportedResourceType, "every type Panther knows has a runtime struct"),
    (Code::Internal, "it reports generated code that does not parse, a bug of the generator"),
];

const FIXTURES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/diagnostics");

macro_rules! fixtures {
    ($($test:ident: $code:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check(Code::$code, $dir);
            }
        )*

        /// Every fixture with the code it exists for.
        const FIXTURES: &[(Code, &str)] = &[$((Code::$code, $dir)),*];
    };
}

fixtures! {
    e0101_yaml_syntax: YamlSyntax => "E0101_yaml_syntax",
    e0102_unknown_key: UnknownKey => "E0102_unknown_key",
    e0103_missing_key: MissingKey => "E0103_missing_key",
    e0104_wrong_type: WrongType => "E0104_wrong_type",
    e0105_invalid_severity: InvalidSeverity => "E0105_invalid_severity",
    e0106_invalid_id: InvalidId => "E0106_invalid_id",
    e0107_duplicate_id: DuplicateId => "E0107_duplicate_id",
    e0108_duplicate_value: DuplicateValue => "E0108_duplicate_value",
    e0109_missing_file: MissingFile => "E0109_missing_file",
    e0110_unknown_resource_type: UnknownResourceType => "E0110_unknown_resource_type",
    e0201_python_syntax: PythonSyntax => "E0201_python_syntax",
    e0202_missing_policy_function: MissingPolicyFunction => "E0202_missing_policy_function",
    e0301_unsupported_statement: UnsupportedStatement => "E0301_unsupported_statement",
    e0302_unsupported_expression: UnsupportedExpression => "E0302_unsupported_expression",
    e0303_unsupported_import: UnsupportedImport => "E0303_unsupported_import",
    e0304_unsupported_call: UnsupportedCall => "E0304_unsupported_call",
    e0401_unknown_field: UnknownField => "E0401_unknown_field",
    e0402_type_mismatch: TypeMismatch => "E0402_type_mismatch",
    e0403_undefined_name: UndefinedName => "E0403_undefined_name",
    e0501_invalid_test_resource: InvalidTestResource => "E0501_invalid_test_resource",
}

/// Compiles the fixture `dir`, checks that it still exercises `code` and
/// snapshots what the user sees.
fn check(code: Code, dir: &str) {
    let generated = Config::new(Path::new(FIXTURES_DIR).join(dir))
        .display_root(format!("fixtures/diagnostics/{dir}"))
        .generate();
    let diagnostics: Vec<_> = generated.all_diagnostics().collect();
    let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(
        diagnostics.iter().any(|d| d.code == code),
        "fixture `{dir}` no longer produces {code}; it produced {codes:?}",
    );
    let report = diagnostics.iter().map(|d| format!("{}\n\n{}", d.one_line(), d.render())).collect::<Vec<_>>().join("\n");
    insta::assert_snapshot!(dir, report);
}

/// Adding a code without a fixture, or a fixture without a test, fails.
#[test]
fn every_code_has_a_fixture() {
    let on_disk = fixture_dirs();
    for &code in Code::ALL {
        let prefix = format!("{code}_");
        let on_disk_for_code = on_disk.iter().any(|d| d.starts_with(&prefix));
        let tested = FIXTURES.iter().any(|(c, d)| *c == code && d.starts_with(&prefix));
        if let Some((_, why)) = UNTRIGGERABLE.iter().find(|(c, _)| *c == code) {
            assert!(!on_disk_for_code && !tested, "{code} is listed as untriggerable ({why}) but has a fixture");
        } else {
            assert!(on_disk_for_code, "{code} ({}) has no fixture directory `fixtures/diagnostics/{prefix}<name>/`", code.summary());
            assert!(tested, "{code} has no test in `fixtures!` of tests/diagnostics.rs");
        }
    }
    for dir in &on_disk {
        assert!(FIXTURES.iter().any(|(_, d)| d == dir), "fixture `{dir}` has no test in `fixtures!` of tests/diagnostics.rs");
    }
    for (code, dir) in FIXTURES {
        assert!(dir.starts_with(&format!("{code}_")), "fixture `{dir}` is not named after its code {code}");
    }
}

/// `E0404` fires only for a type of `ResourceTypes` that Panther knows (else
/// it is `E0110`) and the runtime has no struct for. When this fails, `E0404`
/// can be triggered again: take it out of [`UNTRIGGERABLE`] and add a
/// fixture using the type named here.
#[test]
fn every_panther_resource_type_has_a_struct() {
    for rt in pounce_codegen::load::PANTHER_RESOURCE_TYPES {
        assert!(
            pounce_runtime::resources::schema_for(rt).is_some(),
            "`{rt}` has no runtime struct, so E0404 needs a fixture again",
        );
    }
}

/// The names of the fixture directories, sorted.
fn fixture_dirs() -> Vec<String> {
    let entries = std::fs::read_dir(FIXTURES_DIR).expect("the fixtures directory is readable");
    let mut dirs: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}
