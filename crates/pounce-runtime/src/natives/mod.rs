//! Native implementations of the Python modules and Panther helpers that
//! policies import (`json`, `datetime`, `ipaddress`, `fnmatch`,
//! `panther_base_helpers`, `panther_aws_helpers`, …).
//!
//! [`ENTRIES`] is the registry the code generator reads: an import of a
//! name that is not listed is a coded "unsupported import" diagnostic.
//! Every function has the same calling convention ([`NativeFn`]):
//! positional arguments, keyword arguments, and the evaluation context
//! (which supplies the clock and resource lookups). Each validates its
//! call as CPython does (a bad call is a `TypeError` with CPython's
//! message).
//!
//! Exceptions are identified by class name ([`Item::Exception`]); the
//! natives raise them as `ExcKind::Other(name)` (`JSONDecodeError`,
//! `BadLookup`, `AddressValueError`, ...) or as the built-in kinds.
//! Subclassing is not modelled here: `JSONDecodeError`,
//! `AddressValueError` and `NetmaskValueError` are `ValueError`s in
//! CPython, and every exception is an `Exception`.

mod args;
pub mod datetime;
mod dateutil;
pub mod fnmatch;
pub mod ipaddress;
pub mod json;
pub mod panther;
pub mod policyuniverse;
mod strptime;

use crate::error::PyResult;
use crate::ops::PyType;
use crate::policy::Context;
use crate::value::Val;

/// A native function: `(args, kwargs, ctx) -> value`.
pub type NativeFn = for<'a> fn(&[Val<'a>], &[(&str, Val<'a>)], &dyn Context) -> PyResult<Val<'a>>;

/// What a registry entry names.
#[derive(Debug, Clone, Copy)]
pub enum Item {
    /// A callable.
    Function(NativeFn),
    /// An exception class, by the name `PolicyError` carries
    /// (`ExcKind::Other(name)` or a built-in kind's name).
    Exception(&'static str),
    /// A type usable with `isinstance` (and callable when `ctor` is set).
    Type {
        /// The type `isinstance` tests.
        ty: PyType,
        /// The constructor, when calling the type is supported.
        ctor: Option<NativeFn>,
    },
    /// A namespace whose attributes are other entries (`datetime.datetime`
    /// for `datetime.datetime.now`).
    Namespace,
}

/// One importable name.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The Python module (`datetime`, `panther_base_helpers`).
    pub module: &'static str,
    /// The dotted name inside the module (`timedelta`, `datetime.now`).
    pub name: &'static str,
    /// What it is.
    pub item: Item,
    /// The Rust path of the function under `pounce_runtime::natives`
    /// (`datetime::timedelta`), for the code generator; empty when not a
    /// function.
    pub rust: &'static str,
}

const fn function(module: &'static str, name: &'static str, f: NativeFn, rust: &'static str) -> Entry {
    Entry { module, name, item: Item::Function(f), rust }
}

const fn exception(module: &'static str, name: &'static str, class: &'static str) -> Entry {
    Entry { module, name, item: Item::Exception(class), rust: "" }
}

const fn type_(module: &'static str, name: &'static str, ty: PyType, ctor: Option<NativeFn>, rust: &'static str) -> Entry {
    Entry { module, name, item: Item::Type { ty, ctor }, rust }
}

/// Every supported importable name.
///
/// `datetime.datetime` is a type (for `isinstance` and construction)
/// whose class methods are listed as `datetime.now`, `datetime.utcnow`,
/// ...; a type's `rust` path is its constructor.
pub static ENTRIES: &[Entry] = &[
    // json
    function("json", "loads", json::loads, "json::loads"),
    function("json", "dumps", json::dumps, "json::dumps"),
    exception("json", "JSONDecodeError", json::JSON_DECODE_ERROR),
    // datetime
    type_("datetime", "datetime", PyType::Native("datetime.datetime"), Some(datetime::datetime_new), "datetime::datetime_new"),
    function("datetime", "datetime.now", datetime::now, "datetime::now"),
    function("datetime", "datetime.utcnow", datetime::utcnow, "datetime::utcnow"),
    function("datetime", "datetime.strptime", datetime::strptime, "datetime::strptime"),
    function("datetime", "datetime.fromisoformat", datetime::fromisoformat, "datetime::fromisoformat"),
    function("datetime", "datetime.utcfromtimestamp", datetime::utcfromtimestamp, "datetime::utcfromtimestamp"),
    function("datetime", "datetime.fromtimestamp", datetime::fromtimestamp, "datetime::fromtimestamp"),
    type_("datetime", "timedelta", PyType::Native("datetime.timedelta"), Some(datetime::timedelta), "datetime::timedelta"),
    type_("datetime", "timezone", PyType::Native("datetime.timezone"), Some(datetime::timezone), "datetime::timezone"),
    // ipaddress
    function("ipaddress", "ip_network", ipaddress::ip_network, "ipaddress::ip_network"),
    function("ipaddress", "ip_address", ipaddress::ip_address, "ipaddress::ip_address"),
    type_("ipaddress", "IPv4Network", PyType::Native("IPv4Network"), Some(ipaddress::ipv4_network), "ipaddress::ipv4_network"),
    type_("ipaddress", "IPv6Network", PyType::Native("IPv6Network"), Some(ipaddress::ipv6_network), "ipaddress::ipv6_network"),
    type_("ipaddress", "IPv4Address", PyType::Native("IPv4Address"), Some(ipaddress::ipv4_address), "ipaddress::ipv4_address"),
    type_("ipaddress", "IPv6Address", PyType::Native("IPv6Address"), Some(ipaddress::ipv6_address), "ipaddress::ipv6_address"),
    exception("ipaddress", "AddressValueError", "AddressValueError"),
    exception("ipaddress", "NetmaskValueError", "NetmaskValueError"),
    // fnmatch
    function("fnmatch", "fnmatch", fnmatch::fnmatch, "fnmatch::fnmatch"),
    function("fnmatch", "fnmatchcase", fnmatch::fnmatchcase, "fnmatch::fnmatchcase"),
    // Panther helpers
    function("panther_base_helpers", "deep_get", panther::deep_get, "panther::deep_get"),
    function("panther_base_helpers", "listify", panther::listify, "panther::listify"),
    function("panther_base_helpers", "resolve_timestamp_string", panther::resolve_timestamp_string, "panther::resolve_timestamp_string"),
    function("panther_aws_helpers", "aws_regions", panther::aws_regions, "panther::aws_regions"),
    function("panther_aws_helpers", "resource_lookup", panther::resource_lookup, "panther::resource_lookup"),
    exception("panther_aws_helpers", "BadLookup", panther::BAD_LOOKUP),
    exception("panther_aws_helpers", "PantherBadInput", panther::PANTHER_BAD_INPUT),
    // policyuniverse (IAM policy analysis, over `crate::iam`)
    type_("policyuniverse.policy", "Policy", PyType::Native(policyuniverse::POLICY_TYPE), Some(policyuniverse::policy), "policyuniverse::policy"),
    type_("policyuniverse.statement", "Statement", PyType::Native(policyuniverse::STATEMENT_TYPE), Some(policyuniverse::statement), "policyuniverse::statement"),
    function("policyuniverse.expander_minimizer", "expand_policy", policyuniverse::expand_policy, "policyuniverse::expand_policy"),
    function("policyuniverse.expander_minimizer", "minimize_statement_actions", policyuniverse::minimize_statement_actions, "policyuniverse::minimize_statement_actions"),
    function("policyuniverse.expander_minimizer", "get_actions_from_statement", policyuniverse::get_actions_from_statement, "policyuniverse::get_actions_from_statement"),
    function("policyuniverse.action_categories", "categories_for_actions", policyuniverse::categories_for_actions, "policyuniverse::categories_for_actions"),
    // Third-party names policies only use in `except` / `isinstance`
    exception("botocore.exceptions", "NoCredentialsError", "NoCredentialsError"),
    type_("unittest.mock", "MagicMock", PyType::MagicMock, None, ""),
    // Built-in exception classes
    exception("builtins", "Exception", "Exception"),
    exception("builtins", "KeyError", "KeyError"),
    exception("builtins", "TypeError", "TypeError"),
    exception("builtins", "ValueError", "ValueError"),
    exception("builtins", "AttributeError", "AttributeError"),
    exception("builtins", "IndexError", "IndexError"),
    exception("builtins", "ZeroDivisionError", "ZeroDivisionError"),
    exception("builtins", "OverflowError", "OverflowError"),
    exception("builtins", "NotImplementedError", "NotImplementedError"),
];

/// The entry for `module.name`.
pub fn find(module: &str, name: &str) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.module == module && e.name == name)
}

/// Whether `module` has any supported name.
pub fn has_module(module: &str) -> bool {
    ENTRIES.iter().any(|e| e.module == module)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        for (i, e) in ENTRIES.iter().enumerate() {
            assert!(
                ENTRIES.iter().skip(i + 1).all(|o| (o.module, o.name) != (e.module, e.name)),
                "duplicate entry {}.{}",
                e.module,
                e.name
            );
            let callable = matches!(e.item, Item::Function(_) | Item::Type { ctor: Some(_), .. });
            assert_eq!(callable, !e.rust.is_empty(), "rust path of {}.{}", e.module, e.name);
        }
        assert!(matches!(find("datetime", "datetime.now").map(|e| e.item), Some(Item::Function(_))));
        assert!(has_module("panther_aws_helpers"));
        assert!(find("json", "load").is_none());
    }
}
