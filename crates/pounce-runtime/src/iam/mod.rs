//! IAM policy analysis: a typed model of IAM policy documents that answers
//! what policyuniverse (1.5.1.20231109) answers, with its semantics and
//! exceptions, over an embedded catalogue of AWS service actions.
//!
//! - [`Policy`], [`Statement`]: documents parsed from JSON text or a
//!   value, tolerant of every shape AWS allows; effect, actions,
//!   principals, `NotPrincipal`, condition entries, internet
//!   accessibility, action summaries.
//! - [`expand_policy`], [`expand_action`], [`minimize_statement_actions`],
//!   [`categories_for_actions`]: wildcard expansion and minimisation and
//!   access levels over the [`Catalog`] (`data/iam/actions.tsv`).
//! - [`Arn`], [`Organization`]: the principal and condition values
//!   internet accessibility looks at.
//!
//! Every failure is a [`PolicyError`] naming the Python exception
//! policyuniverse raises in the same case; nothing here panics. The
//! Python objects policies see are in `natives::policyuniverse`.

mod actions;
mod arn;
mod catalog;
mod document;
mod glob;

use serde_json::Value;

pub use actions::{
    actions_from_statement, actions_of, categories_for_actions, expand_action, expand_policy, expand_statements, minimize,
    minimize_statement_actions, ActionSet, ActionSummary, CategorySet, ExpandedStatement, ServiceName,
};
pub use arn::{userid_internet_accessible, Arn, Organization};
pub use catalog::{ActionId, Catalog, Category};
pub use document::{is_restricting_operator, ConditionCategory, ConditionEntry, Policy, Statement, Who};

use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops::{self, Num};
use crate::value::{Kind, LazyItems, Val};

/// `type(v).__name__` of the Python value of a JSON value.
pub(crate) fn json_type_name(v: &Value) -> &'static str {
    Val::from_json(v).type_name()
}

/// `value[key]` for a JSON value, with CPython 3.11's exceptions:
/// `KeyError` for a missing key, `TypeError` for a list (`list indices
/// must be integers or slices, not str`), a string (`string indices must be
/// integers, not 'str'`) or a scalar (`'NoneType' object is not
/// subscriptable`).
pub(crate) fn subscript<'v>(value: &'v Value, key: &str) -> PyResult<&'v Value> {
    match value {
        Value::Object(map) => map.get(key).ok_or_else(|| PolicyError::key_error(key)),
        Value::Array(_) => Err(PolicyError::type_error("list indices must be integers or slices, not str")),
        Value::String(_) => Err(PolicyError::type_error("string indices must be integers, not 'str'")),
        other => Err(PolicyError::type_error(format!("'{}' object is not subscriptable", json_type_name(other)))),
    }
}

/// How deeply nested a value may be before conversion gives up with
/// `RecursionError` (a cyclic `list` would never end; real documents nest
/// a few levels deep).
pub(crate) const MAX_DEPTH: usize = 200;

/// The JSON value of a Python value, for the documents policies build or
/// load: `None`, `bool`, `int`, `float`, `str`, `list`, `tuple` (as a
/// list), and `dict` with `str` keys. Anything else (a `set`, a native
/// object, a non-`str` key, a non-finite float) raises
/// `NotImplementedError`: the model analyses JSON documents only.
pub fn to_json(v: &Val<'_>) -> PyResult<Value> {
    to_json_at(v, 0, Role::Other, &mut |_, _| false)
}

/// [`to_json`] of the document given to `Policy(document)`, except for the
/// `Action` of its statements (`document["Statement"]` when that is a
/// `dict`, else the elements of that `list`) that are still pending lists
/// (see [`crate::value::LazyItems`]) whose producer `take(statement
/// position, producer)` accepts: those become `null`, as a placeholder
/// that the caller fills from the producer.
pub fn policy_to_json(document: &Val<'_>, take: &mut dyn FnMut(usize, &dyn LazyItems) -> bool) -> PyResult<Value> {
    let mut take = |role: Role, source: &dyn LazyItems| match role {
        Role::Action(i) => take(i, source),
        _ => false,
    };
    to_json_at(document, 0, Role::Document, &mut take)
}

/// Where a value sits in a policy document (for [`policy_to_json`]).
#[derive(Debug, Clone, Copy)]
enum Role {
    Document,
    Statements,
    Statement(usize),
    Action(usize),
    Other,
}

impl Role {
    /// The role of `dict` entry `key` of a value with this role.
    fn entry(self, key: &str) -> Role {
        match (self, key) {
            (Role::Document, "Statement") => Role::Statements,
            (Role::Statement(i), "Action") => Role::Action(i),
            _ => Role::Other,
        }
    }

    /// The role of element `i` of a `list` with this role.
    fn element(self, i: usize) -> Role {
        match self {
            Role::Statements => Role::Statement(i),
            _ => Role::Other,
        }
    }
}

fn to_json_at(v: &Val<'_>, depth: usize, role: Role, take: &mut dyn FnMut(Role, &dyn LazyItems) -> bool) -> PyResult<Value> {
    if let Val::Json(j) = v {
        return Ok((*j).clone());
    }
    if depth > MAX_DEPTH {
        return Err(PolicyError::new(ExcKind::Other("RecursionError"), "maximum recursion depth exceeded"));
    }
    let not_json = |what: &str| {
        PolicyError::new(
            ExcKind::Other("NotImplementedError"),
            format!("an IAM policy document holding {what} is not supported by the compiled runtime"),
        )
    };
    if let (Role::Action(_), Val::List(list)) = (role, v) {
        if let Some(source) = list.pending_source() {
            if take(role, &*source) {
                return Ok(Value::Null);
            }
        }
    }
    Ok(match v.kind() {
        Kind::None => Value::Null,
        Kind::Bool => Value::Bool(ops::truthy(v)),
        Kind::Int | Kind::Float => match ops::as_number(v) {
            Some(Num::Int(i)) => Value::from(i),
            Some(Num::Float(x)) => serde_json::Number::from_f64(x).map(Value::Number).ok_or_else(|| not_json("a non-finite float"))?,
            None => return Err(not_json("a number")),
        },
        Kind::Str => Value::String(v.as_str().unwrap_or_default().to_owned()),
        Kind::List | Kind::Tuple => {
            let convert = |items: &[Val<'_>], take: &mut dyn FnMut(Role, &dyn LazyItems) -> bool| {
                let mut out = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    out.push(to_json_at(x, depth + 1, role.element(i), take)?);
                }
                Ok::<_, PolicyError>(Value::Array(out))
            };
            match v {
                Val::List(l) => convert(&l.borrow(), take)?,
                Val::Tuple(t) => convert(t, take)?,
                other => convert(&ops::elements(other).unwrap_or_default(), take)?,
            }
        }
        Kind::Dict => {
            let role_of = |key: &str| match role {
                // `{"Statement": {...}}`: the statement itself.
                Role::Statements => Role::Statement(0).entry(key),
                other => other.entry(key),
            };
            let key_error = |k: &Val<'_>| not_json(&format!("a key of type '{}'", k.type_name()));
            match v {
                Val::Dict(d) => {
                    let d = d.borrow();
                    let mut map = serde_json::Map::with_capacity(d.len());
                    for (k, x) in d.values() {
                        let Some(key) = k.as_str() else { return Err(key_error(k)) };
                        map.insert(key.to_owned(), to_json_at(x, depth + 1, role_of(key), take)?);
                    }
                    Value::Object(map)
                }
                other => {
                    let items = ops::dict_items(other).unwrap_or_default();
                    let mut map = serde_json::Map::with_capacity(items.len());
                    for (k, x) in items {
                        let Some(key) = k.as_str() else { return Err(key_error(&k)) };
                        map.insert(key.to_owned(), to_json_at(&x, depth + 1, role_of(key), take)?);
                    }
                    Value::Object(map)
                }
            }
        }
        Kind::Set | Kind::Native => return Err(not_json(&format!("a value of type '{}'", v.type_name()))),
    })
}

#[cfg(test)]
mod tests;
