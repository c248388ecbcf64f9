//! IAM policy documents: [`Policy`] and [`Statement`], with what
//! policyuniverse's `Policy` and `Statement` classes answer about them.
//!
//! A document is any JSON value; the shapes AWS allows are all accepted
//! (`Statement` as one object or a list, `Action`/`NotAction`/`Resource`
//! as a string or a list, `Principal` as `"*"`, a string, a list, or a
//! map of strings or lists). What policyuniverse cannot handle raises the
//! exception it raises: `AttributeError` for a document or statement that
//! is not an object (`'list' object has no attribute 'get'`), `TypeError`
//! for unhashable principals or actions (`unhashable type: 'dict'`).

use std::cell::OnceCell;
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::actions::{actions_from_parts, ensure_array, ActionSet, ActionSummary};
use super::arn::{userid_internet_accessible, Arn, Organization};
use super::catalog::FxBuild;
use super::{json_type_name, to_json};
use crate::error::{PolicyError, PyResult};
use crate::ops;
use crate::value::{HKey, Val};

/// A policy document (`policyuniverse.policy.Policy`).
#[derive(Debug, Clone)]
pub struct Policy {
    /// The document, with its `Statement` value moved into `statements`
    /// (replaced by `null`).
    rest: Value,
    /// How `Statement` was written.
    shape: Shape,
    statements: Vec<Statement>,
}

/// The form of a document's `Statement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Absent,
    One,
    List,
}

impl Policy {
    /// `Policy(json.loads(text))`: `JSONDecodeError` (with CPython's
    /// message) for text that is not JSON.
    pub fn parse(text: &str) -> PyResult<Policy> {
        Policy::from_json(to_json(&crate::natives::json::parse(text)?)?)
    }

    /// `Policy(document)`: `document.get("Statement", [])`, one statement
    /// or a list of them.
    pub fn from_json(document: Value) -> PyResult<Policy> {
        Policy::from_json_expanded(document, Vec::new())
    }

    /// `Policy(document)` where the `Action` of statement `i` (its position
    /// in `Statement`, 0 for a single statement) is, when `expanded[i]` is
    /// set, the sorted list of that set's elements (what `expand_policy`
    /// writes) and `null` in `document`.
    pub fn from_json_expanded(mut document: Value, mut expanded: Vec<Option<Rc<ActionSet>>>) -> PyResult<Policy> {
        let Value::Object(map) = &mut document else {
            return Err(PolicyError::no_attribute(json_type_name(&document), "get"));
        };
        let mut take = |i: usize| expanded.get_mut(i).and_then(Option::take);
        let (shape, statements) = match map.get_mut("Statement").map(Value::take) {
            None => (Shape::Absent, Vec::new()),
            Some(Value::Array(items)) => (
                Shape::List,
                items.into_iter().enumerate().map(|(i, v)| Statement::from_value(v, take(i))).collect::<PyResult<_>>()?,
            ),
            Some(one) => (Shape::One, vec![Statement::from_value(one, take(0))?]),
        };
        Ok(Policy { rest: document, shape, statements })
    }

    /// The document (`Policy.policy`), rebuilt.
    pub fn document(&self) -> Value {
        let mut doc = self.rest.clone();
        if let Value::Object(map) = &mut doc {
            let raw = |s: &Statement| Value::Object(s.raw().clone());
            let statements = match self.shape {
                Shape::Absent => None,
                Shape::One => self.statements.first().map(raw),
                Shape::List => Some(Value::Array(self.statements.iter().map(raw).collect())),
            };
            if let (Some(slot), Some(v)) = (map.get_mut("Statement"), statements) {
                *slot = v;
            }
        }
        doc
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The document without its `Statement` value (`null` in its place).
    pub fn rest(&self) -> &Value {
        &self.rest
    }

    /// Whether `Statement` is a list (else one statement, or absent when
    /// there are no statements).
    pub fn statement_is_list(&self) -> bool {
        self.shape == Shape::List
    }

    /// The union of the statements' principals.
    pub fn principals(&self) -> Vec<Value> {
        let mut set = PySet::default();
        for s in &self.statements {
            for p in s.principals() {
                // Principals are hashable: each statement checked them.
                let _ = set.add(p);
            }
        }
        set.items
    }

    /// The union of the statements' condition entries (`TypeError` when a
    /// value is unhashable, as the set union raises).
    pub fn condition_entries(&self) -> PyResult<Vec<ConditionEntry>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for s in &self.statements {
            for e in s.condition_entries() {
                if seen.insert((e.category, hash_key(&e.value)?)) {
                    out.push(e.clone());
                }
            }
        }
        Ok(out)
    }

    /// `Policy.action_summary()`: the union over **all** statements (the
    /// effect is not considered) of their summaries.
    pub fn action_summary(&self) -> PyResult<ActionSummary> {
        let mut summary = ActionSummary::default();
        for s in &self.statements {
            s.summarise_into(&mut summary)?;
        }
        Ok(summary)
    }

    /// Whether any statement is internet accessible.
    pub fn is_internet_accessible(&self) -> PyResult<bool> {
        for s in &self.statements {
            if s.is_internet_accessible()? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The union of the `actions` of the internet-accessible statements.
    pub fn internet_accessible_actions(&self) -> PyResult<Vec<Value>> {
        let mut set = PySet::default();
        for s in &self.statements {
            if s.is_internet_accessible()? {
                for a in s.actions() {
                    set.add(a)?;
                }
            }
        }
        Ok(set.items)
    }

    /// The union of `whos_allowed()` over the `Allow` statements.
    pub fn whos_allowed(&self) -> PyResult<Vec<Who>> {
        whos_allowed(self.statements.iter().filter(|s| s.is_allow()))
    }
}

/// One statement (`policyuniverse.statement.Statement`).
#[derive(Clone)]
pub struct Statement {
    /// The statement object; when `expanded` is set, its `Action` is a
    /// `null` placeholder for the sorted list of that set.
    raw: Map<String, Value>,
    /// The `Action` as `expand_policy` wrote it: every element of the set,
    /// sorted (so all distinct).
    expanded: Option<Rc<ActionSet>>,
    /// `raw` with `expanded` written out, built when first asked for.
    full: OnceCell<Map<String, Value>>,
    condition_entries: Vec<ConditionEntry>,
    principals: Vec<Value>,
    /// The positions in `ensure_array(Action)` of the distinct actions.
    actions: Vec<usize>,
}

impl fmt::Debug for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Statement").field(&self.raw).finish()
    }
}

impl Statement {
    /// `Statement(value)`: computes the condition entries, the principals
    /// and the actions, raising as the constructor does.
    pub fn from_json(value: &Value) -> PyResult<Statement> {
        match value {
            Value::Object(raw) => Statement::from_map(raw.clone()),
            other => Err(PolicyError::no_attribute(json_type_name(other), "get")),
        }
    }

    fn from_value(value: Value, expanded: Option<Rc<ActionSet>>) -> PyResult<Statement> {
        match value {
            Value::Object(raw) => Statement::from_parts(raw, expanded),
            other => Err(PolicyError::no_attribute(json_type_name(&other), "get")),
        }
    }

    /// `Statement(raw)` for a statement object.
    pub fn from_map(raw: Map<String, Value>) -> PyResult<Statement> {
        Statement::from_parts(raw, None)
    }

    fn from_parts(raw: Map<String, Value>, expanded: Option<Rc<ActionSet>>) -> PyResult<Statement> {
        let condition_entries = condition_entries(&raw)?;
        let principals = principals(&raw)?;
        let actions = match raw.get("Action") {
            // The elements of an expanded list are distinct strings.
            _ if expanded.is_some() => Vec::new(),
            Some(a) if truthy(a) => {
                let items = ensure_array(a);
                let mut seen: HashSet<HKey<'_>, FxBuild> = HashSet::with_capacity_and_hasher(items.len(), FxBuild::default());
                let mut positions = Vec::with_capacity(items.len());
                for (i, x) in items.iter().enumerate() {
                    if seen.insert(hash_key(x)?) {
                        positions.push(i);
                    }
                }
                positions
            }
            _ => Vec::new(),
        };
        Ok(Statement { raw, expanded, full: OnceCell::new(), condition_entries, principals, actions })
    }

    /// The statement object (`Statement.statement`). An expanded `Action`
    /// is written out the first time (see [`Statement::expanded_action`]).
    pub fn raw(&self) -> &Map<String, Value> {
        let Some(set) = &self.expanded else { return &self.raw };
        self.full.get_or_init(|| {
            let mut full = self.raw.clone();
            if let Some(slot) = full.get_mut("Action") {
                *slot = Value::Array(set.iter().map(|a| Value::String(a.to_owned())).collect());
            }
            full
        })
    }

    /// The statement object with `null` for its `Action` when that is
    /// [`Statement::expanded_action`].
    pub fn raw_unexpanded(&self) -> &Map<String, Value> {
        &self.raw
    }

    /// The `Action` when it is an expansion (`expand_policy`'s sorted list
    /// of the set's elements).
    pub fn expanded_action(&self) -> Option<&Rc<ActionSet>> {
        self.expanded.as_ref()
    }

    /// `Effect`, when present (`Statement.effect`).
    pub fn effect(&self) -> Option<&Value> {
        self.raw.get("Effect")
    }

    /// Whether `Effect` is exactly `"Allow"`.
    pub fn is_allow(&self) -> bool {
        self.effect().and_then(Value::as_str) == Some("Allow")
    }

    /// `Statement.actions`: the distinct values of `Action` as written
    /// (not expanded; `NotAction` ignored; empty when `Action` is missing
    /// or falsy).
    pub fn actions(&self) -> Box<dyn Iterator<Item = &Value> + '_> {
        let all = self.raw().get("Action").map(ensure_array).unwrap_or_default();
        if self.expanded.is_some() {
            return Box::new(all.iter());
        }
        Box::new(self.actions.iter().filter_map(move |i| all.get(*i)))
    }

    /// `Statement.principals`: `"*"`, the strings of a list, or the values
    /// under `AWS`, `Service` and `Federated` of a map (`CanonicalUser`
    /// ignored); empty when `Principal` is missing or falsy.
    pub fn principals(&self) -> &[Value] {
        &self.principals
    }

    /// `Statement.condition_entries`: the values of the condition keys that
    /// restrict who is allowed, under the operators that can restrict them.
    pub fn condition_entries(&self) -> &[ConditionEntry] {
        &self.condition_entries
    }

    /// `Statement.uses_not_principal()`.
    pub fn uses_not_principal(&self) -> bool {
        self.raw.contains_key("NotPrincipal")
    }

    /// `Statement.resources`: `{"*"}` with `NotResource`, else the distinct
    /// values of `Resource` (`None` when it is missing).
    pub fn resources(&self) -> PyResult<Vec<Value>> {
        if self.raw.contains_key("NotResource") {
            return Ok(vec![Value::String("*".to_owned())]);
        }
        let mut set = PySet::default();
        for r in ensure_array(self.raw.get("Resource").unwrap_or(&Value::Null)) {
            set.add(r)?;
        }
        Ok(set.items)
    }

    /// `Statement.actions_expanded`: the expanded `Action`, plus every
    /// permission outside the expanded `NotAction`.
    pub fn actions_expanded(&self) -> PyResult<ActionSet> {
        // Expanding an expansion again gives it back: its permissions are
        // names without `*`, and its other strings matched nothing.
        actions_from_parts(&self.raw, self.expanded.as_deref())
    }

    /// `Statement.action_summary()`: the access levels of the expanded
    /// actions, by service.
    pub fn action_summary(&self) -> PyResult<ActionSummary> {
        let mut summary = ActionSummary::default();
        self.summarise_into(&mut summary)?;
        Ok(summary)
    }

    /// Adds [`Statement::action_summary`] to `summary`.
    fn summarise_into(&self, summary: &mut ActionSummary) -> PyResult<()> {
        match &self.expanded {
            Some(set) if !self.raw.contains_key("NotAction") => set.summarise_into(summary),
            _ => self.actions_expanded()?.summarise_into(summary),
        }
        Ok(())
    }

    /// `Statement.is_internet_accessible()`: an `Allow` statement whose
    /// conditions do not restrict it, with `NotPrincipal` or a principal
    /// that is `*`, an ARN with account `*` or none, or an unparsable
    /// value with a `*`.
    pub fn is_internet_accessible(&self) -> PyResult<bool> {
        if !self.is_allow() {
            return Ok(false);
        }
        if !self.is_condition_internet_accessible()? {
            return Ok(false);
        }
        if self.uses_not_principal() {
            return Ok(true);
        }
        for p in &self.principals {
            if arn_internet_accessible(p)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `Statement.is_condition_internet_accessible()`: true without
    /// condition entries, else when one of them is itself unrestricted.
    pub fn is_condition_internet_accessible(&self) -> PyResult<bool> {
        if self.condition_entries.is_empty() {
            return Ok(true);
        }
        for e in &self.condition_entries {
            if e.is_internet_accessible()? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `Statement.whos_allowed()`: the principals, then the condition
    /// entries (distinct).
    pub fn whos_allowed(&self) -> PyResult<Vec<Who>> {
        whos_allowed(std::iter::once(self))
    }

    /// `Statement._condition_field(category)`: the distinct values of the
    /// entries of `category` (`condition_arns`, `condition_accounts`, …).
    pub fn condition_values(&self, category: ConditionCategory) -> PyResult<Vec<Value>> {
        let mut set = PySet::default();
        for e in self.condition_entries.iter().filter(|e| e.category == category) {
            set.add(&e.value)?;
        }
        Ok(set.items)
    }

    /// `Statement.condition_orgids`: the organization of each
    /// `organization` entry (`None` when its first component does not
    /// parse).
    pub fn condition_orgids(&self) -> PyResult<Vec<Value>> {
        let mut orgs = Vec::new();
        for e in self.condition_entries.iter().filter(|e| e.category == ConditionCategory::Organization) {
            let Some(s) = e.value.as_str() else {
                return Err(PolicyError::no_attribute(json_type_name(&e.value), "split"));
            };
            orgs.push(Organization::parse(s).organization.map_or(Value::Null, |o| Value::String(o.to_owned())));
        }
        let mut set = PySet::default();
        for org in &orgs {
            set.add(org)?;
        }
        Ok(set.items)
    }
}

/// The kind of a condition entry: which condition keys it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConditionCategory {
    /// `aws:SourceArn`, `aws:PrincipalArn`.
    Arn,
    /// `aws:SourceOwner`, `aws:SourceAccount`, `aws:PrincipalAccount`,
    /// `kms:CallerAccount`.
    Account,
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`.
    Organization,
    /// `aws:userid`.
    UserId,
    /// `aws:SourceIp`.
    Cidr,
    /// `aws:SourceVpc`.
    Vpc,
    /// `aws:SourceVpce`.
    Vpce,
    /// `saml:aud`.
    SamlEndpoint,
}

impl ConditionCategory {
    /// policyuniverse's name (`"arn"`, `"saml-endpoint"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ConditionCategory::Arn => "arn",
            ConditionCategory::Account => "account",
            ConditionCategory::Organization => "organization",
            ConditionCategory::UserId => "userid",
            ConditionCategory::Cidr => "cidr",
            ConditionCategory::Vpc => "vpc",
            ConditionCategory::Vpce => "vpce",
            ConditionCategory::SamlEndpoint => "saml-endpoint",
        }
    }

    /// The category of a condition key (compared lower-cased).
    pub fn of_key(key: &str) -> Option<ConditionCategory> {
        Some(match key.to_lowercase().as_str() {
            "aws:sourcearn" | "aws:principalarn" => ConditionCategory::Arn,
            "aws:sourceowner" | "aws:sourceaccount" | "aws:principalaccount" | "kms:calleraccount" => ConditionCategory::Account,
            "aws:principalorgid" | "aws:principalorgpaths" => ConditionCategory::Organization,
            "aws:userid" => ConditionCategory::UserId,
            "aws:sourceip" => ConditionCategory::Cidr,
            "aws:sourcevpc" => ConditionCategory::Vpc,
            "aws:sourcevpce" => ConditionCategory::Vpce,
            "saml:aud" => ConditionCategory::SamlEndpoint,
            _ => return None,
        })
    }
}

/// One `(category, value)` of `Statement.condition_entries` (a
/// `Condition` named tuple in Python).
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    /// Which keys the value came from.
    pub category: ConditionCategory,
    /// The value as written (a string in valid policies).
    pub value: Value,
}

impl ConditionEntry {
    /// `Statement._is_condition_entry_internet_accessible(entry)`.
    pub fn is_internet_accessible(&self) -> PyResult<bool> {
        let v = &self.value;
        let text = |method: &str| v.as_str().ok_or_else(|| PolicyError::no_attribute(json_type_name(v), method));
        match self.category {
            ConditionCategory::Arn => arn_internet_accessible(v),
            ConditionCategory::Organization => Ok(Organization::is_internet_accessible(text("split")?)),
            ConditionCategory::UserId => Ok(userid_internet_accessible(text("find")?)),
            ConditionCategory::Cidr => Ok(text("endswith")?.ends_with("/0")),
            _ => ops::contains(&Val::from_json(v), &Val::str("*")),
        }
    }
}

/// An element of `whos_allowed()`.
#[derive(Debug, Clone, PartialEq)]
pub enum Who {
    /// `Principal(category='principal', value=…)`.
    Principal(Value),
    /// A condition entry.
    Condition(ConditionEntry),
}

impl Who {
    /// `(category, value)`, as the named tuple compares.
    pub fn parts(&self) -> (&'static str, &Value) {
        match self {
            Who::Principal(v) => ("principal", v),
            Who::Condition(e) => (e.category.as_str(), &e.value),
        }
    }
}

/// The distinct principals and condition entries of `statements`.
fn whos_allowed<'s>(statements: impl Iterator<Item = &'s Statement>) -> PyResult<Vec<Who>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for s in statements {
        for p in &s.principals {
            if seen.insert(("principal", hash_key(p)?)) {
                out.push(Who::Principal(p.clone()));
            }
        }
        for e in &s.condition_entries {
            if seen.insert((e.category.as_str(), hash_key(&e.value)?)) {
                out.push(Who::Condition(e.clone()));
            }
        }
    }
    Ok(out)
}

/// `_arn_internet_accessible(value)`: `TypeError` for a non-string (the
/// regular expression refuses it), as policyuniverse raises.
fn arn_internet_accessible(v: &Value) -> PyResult<bool> {
    match v.as_str() {
        Some(s) => Ok(Arn::is_internet_accessible(s)),
        None => Err(PolicyError::type_error(format!("expected string or bytes-like object, got '{}'", json_type_name(v)))),
    }
}

/// Python's truthiness of a JSON value.
fn truthy(v: &Value) -> bool {
    ops::truthy(&Val::from_json(v))
}

fn hash_key(v: &Value) -> PyResult<HKey<'_>> {
    ops::hash_key(&Val::from_json(v))
}

/// A Python `set` of JSON values: distinct by Python equality (`1`,
/// `1.0` and `true` are one element), in insertion order; adding a list
/// or an object raises `TypeError: unhashable type`.
#[derive(Default)]
struct PySet<'v> {
    seen: HashSet<HKey<'v>, FxBuild>,
    items: Vec<Value>,
}

impl<'v> PySet<'v> {
    fn add(&mut self, v: &'v Value) -> PyResult<()> {
        if self.seen.insert(hash_key(v)?) {
            self.items.push(v.clone());
        }
        Ok(())
    }
}

/// `_principals()`.
fn principals(raw: &Map<String, Value>) -> PyResult<Vec<Value>> {
    let Some(principal) = raw.get("Principal").filter(|p| truthy(p)) else { return Ok(Vec::new()) };
    let mut set = PySet::default();
    match principal {
        Value::Object(map) => {
            for key in ["AWS", "Service", "Federated"] {
                if let Some(v) = map.get(key) {
                    add_or_extend(v, &mut set)?;
                }
            }
        }
        other => add_or_extend(other, &mut set)?,
    }
    Ok(set.items)
}

/// `_add_or_extend(value, principals)`: a list adds its elements (all
/// hashed first, as `set(value)` is built before the update), anything
/// else is added itself.
fn add_or_extend<'v>(v: &'v Value, set: &mut PySet<'v>) -> PyResult<()> {
    let items = ensure_array(v);
    for x in items {
        hash_key(x)?;
    }
    for x in items {
        set.add(x)?;
    }
    Ok(())
}

/// Whether a condition operator is one that can restrict a principal:
/// `re.match` (a prefix match) of `((ForAllValues|ForAnyValue):)?`
/// followed by `ARN(Equals|Like)`, `String(Equals|Like)` or `IpAddress`,
/// ignoring case as Python's `re.IGNORECASE` does.
pub fn is_restricting_operator(op: &str) -> bool {
    const HEADS: [&str; 5] = ["arnequals", "arnlike", "stringequals", "stringlike", "ipaddress"];
    let rest_after = |q: &str| ci_strip_prefix(op, q);
    std::iter::once(Some(op))
        .chain(["forallvalues:", "foranyvalue:"].map(rest_after))
        .flatten()
        .any(|rest| HEADS.iter().any(|h| ci_strip_prefix(rest, h).is_some()))
}

/// `s` without its prefix matching the ASCII lower-case `word`, with the
/// case folding of Python's `re.IGNORECASE` (which also matches `ſ` with
/// `s`, `K` (Kelvin) with `k`, and `İ`, `ı` with `i`).
fn ci_strip_prefix<'s>(s: &'s str, word: &str) -> Option<&'s str> {
    let mut chars = s.char_indices();
    for w in word.chars() {
        let (_, c) = chars.next()?;
        let same = c.to_ascii_lowercase() == w || matches!((w, c), ('s', '\u{17f}') | ('k', '\u{212a}') | ('i', '\u{130}' | '\u{131}'));
        if !same {
            return None;
        }
    }
    Some(chars.as_str())
}

/// `_condition_entries()`.
fn condition_entries(raw: &Map<String, Value>) -> PyResult<Vec<ConditionEntry>> {
    let Some(condition) = raw.get("Condition").filter(|c| truthy(c)) else { return Ok(Vec::new()) };
    let Value::Object(operators) = condition else {
        return Err(PolicyError::no_attribute(json_type_name(condition), "keys"));
    };
    let mut out = Vec::new();
    for (op, body) in operators {
        if !is_restricting_operator(op) {
            continue;
        }
        let Value::Object(keys) = body else {
            return Err(PolicyError::no_attribute(json_type_name(body), "items"));
        };
        for (key, value) in keys {
            let Some(category) = ConditionCategory::of_key(key) else { continue };
            for v in ensure_array(value) {
                out.push(ConditionEntry { category, value: v.clone() });
            }
        }
    }
    Ok(out)
}
