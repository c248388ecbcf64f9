//! The registry of diagnostic codes.
//!
//! Codes are never renumbered or reused. Ranges:
//!
//! | range | stage |
//! |---|---|
//! | `E01xx` | policy spec (YAML) |
//! | `E02xx` | Python parse and module shape |
//! | `E03xx` | Python outside the supported subset |
//! | `E04xx` | type errors against the resource schemas |
//! | `E05xx` | embedded test data |
//! | `E09xx` | internal errors of the generator |
//! | `R01xx` | records `pounce scan` cannot read as resources |
//!
//! The `R01xx` codes belong to the runtime, which the generator depends on
//! (not the other way round), so they are defined there, in
//! `pounce_runtime::registry::InvalidKind`: `R0101` not JSON, `R0102`
//! nested more than 128 levels, `R0103` not an object, `R0104` not UTF-8,
//! `R0105` a JSON array input that is not closed. The test below keeps this
//! list and that enum in step.

use std::fmt;

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $num:literal, )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])* $name, )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code as users see it (`E0102`).
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$name => $num, )* }
            }

            /// A one-line description of the code.
            pub fn summary(self) -> &'static str {
                match self { $( Code::$name => concat!($($doc),*).trim_ascii(), )* }
            }
        }
    };
}

codes! {
    /// the YAML file does not parse
    YamlSyntax = "E0101",
    /// a key that the policy schema does not know
    UnknownKey = "E0102",
    /// a required key is missing
    MissingKey = "E0103",
    /// a key has a value of the wrong type
    WrongType = "E0104",
    /// `Severity` is not one of `Info Low Medium High Critical`
    InvalidSeverity = "E0105",
    /// `PolicyID` or `DisplayName` contains one of `<>&"%`
    InvalidId = "E0106",
    /// two specs declare the same `PolicyID`
    DuplicateId = "E0107",
    /// a list that must not repeat itself (`Tags`, `OutputIds`, `Suppressions`) does
    DuplicateValue = "E0108",
    /// the `Filename` of a spec does not exist
    MissingFile = "E0109",
    /// a `ResourceTypes` entry is not a type Panther knows
    UnknownResourceType = "E0110",
    /// the Python file does not parse
    PythonSyntax = "E0201",
    /// the module has no `def policy(resource)`
    MissingPolicyFunction = "E0202",
    /// a statement outside the supported subset
    UnsupportedStatement = "E0301",
    /// an expression outside the supported subset
    UnsupportedExpression = "E0302",
    /// an import outside the supported set
    UnsupportedImport = "E0303",
    /// a call of a function or method outside the supported set
    UnsupportedCall = "E0304",
    /// a field that the resource type does not have
    UnknownField = "E0401",
    /// an operation that always fails on the type of its operand
    TypeMismatch = "E0402",
    /// a name that is not defined
    UndefinedName = "E0403",
    /// a resource type Panther knows but this runtime has no struct for yet
    UnsupportedResourceType = "E0404",
    /// a test `Resource` that cannot be represented as JSON
    InvalidTestResource = "E0501",
    /// the generator produced code that does not parse (a bug)
    Internal = "E0901",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod record_codes {
    use pounce_runtime::registry::InvalidKind;

    /// The record codes listed in this module's documentation are exactly
    /// the runtime's, and no two kinds share a code.
    #[test]
    fn record_codes_are_listed_and_unique() {
        let doc: String = include_str!("codes.rs").lines().filter(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        let mut seen = std::collections::BTreeSet::new();
        for kind in InvalidKind::ALL {
            let code = kind.code();
            assert!(code.starts_with("R01") && code.len() == 5, "{code}");
            assert!(seen.insert(code), "{code} is used twice");
            assert!(doc.contains(&format!("`{code}`")), "{code} is not listed in codes.rs");
        }
        let listed = doc.match_indices("`R01").filter(|(i, _)| doc.as_bytes().get(i + 4).is_some_and(u8::is_ascii_digit)).count();
        assert_eq!(listed, InvalidKind::ALL.len(), "codes.rs lists a record code the runtime does not have");
    }
}
