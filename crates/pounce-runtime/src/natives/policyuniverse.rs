//! The `policyuniverse` modules policies import, over the IAM model in
//! [`crate::iam`]:
//!
//! - `policyuniverse.policy.Policy` and `policyuniverse.statement.Statement`
//!   (native objects with the attributes and methods of policyuniverse's
//!   classes: `.statements`, `.effect`, `.actions`, `.principals`,
//!   `.condition_entries`, `.statement`, `.uses_not_principal()`,
//!   `.action_summary()`, `.is_internet_accessible()`, …);
//! - `policyuniverse.expander_minimizer`: `expand_policy`,
//!   `minimize_statement_actions`, `get_actions_from_statement`;
//! - `policyuniverse.action_categories`: `categories_for_actions`.
//!
//! Values are converted at the boundary: a document passed in is read as
//! JSON ([`iam::to_json`]); what comes out is a fresh Python value. An
//! expansion (`expand_policy`'s `Action` lists, `actions_expanded`,
//! `Statement.actions` of an expanded statement) comes out as a pending
//! `list` or `set` ([`ActionList`]): the 15,319 names of a `"*"` are built
//! only if something reads them element by element, and `Policy(...)`
//! takes the action set back from a list that is still pending.
//!
//! Deviations from policyuniverse, all forced by the value model:
//! - Attributes are computed on access, so `s.actions is s.actions` is
//!   false and changing `s.statement` does not change `s`.
//! - `action_summary()` and `categories_for_actions()` return a
//!   `defaultdict(set)` whose values are copies (services sorted).
//! - Condition entries and `whos_allowed()` elements are plain
//!   `(category, value)` tuples (equal to policyuniverse's named tuples,
//!   without the `.category`/`.value` attributes).
//! - Nothing is printed (`minimize_statement_actions` prints diagnostics).

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;

use super::args::{bind, Sig};
use super::json::json_to_val;
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::iam::{self, ActionSet, ActionSummary, Category, CategorySet, ConditionCategory, ConditionEntry, ServiceName, Who};
use crate::ops;
use crate::policy::Context;
use crate::value::{py_repr_str, HKey, Kind, LazyItems, Native, PyStr, Val};

/// The Python type name of `Policy` objects.
pub const POLICY_TYPE: &str = "Policy";
/// The Python type name of `Statement` objects.
pub const STATEMENT_TYPE: &str = "Statement";

// ---------------------------------------------------------------------
// Native objects

/// A `policyuniverse.policy.Policy`.
#[derive(Debug)]
pub struct PolicyObject {
    policy: Rc<iam::Policy>,
}

/// A `policyuniverse.statement.Statement`: statement `index` of `policy`.
#[derive(Debug)]
pub struct StatementObject {
    policy: Rc<iam::Policy>,
    index: usize,
}

impl PolicyObject {
    /// The model.
    pub fn policy(&self) -> &iam::Policy {
        &self.policy
    }
}

impl StatementObject {
    /// The model.
    pub fn statement(&self) -> PyResult<&iam::Statement> {
        self.policy
            .statements()
            .get(self.index)
            .ok_or_else(|| PolicyError::new(ExcKind::Other("RuntimeError"), "statement index out of range"))
    }
}

/// A method called with arguments it does not take.
fn no_args(class: &'static str, method: &'static str, args: &[Val<'_>]) -> PyResult<()> {
    let sig = Sig { name: "", params: &[], required: 0, varargs: false, kwonly: &[], varkw: false, method: true };
    bind(&sig, args, &[]).map(|_| ()).map_err(|e| PolicyError::new(e.kind, format!("{class}.{method}{}", e.message)))
}

/// Reading a method without calling it.
fn bound_method(class: &str, name: &str) -> PolicyError {
    PolicyError::new(
        ExcKind::Other("NotImplementedError"),
        format!("the bound method {class}.{name} (without a call) is not supported by the compiled runtime"),
    )
}

impl Native for PolicyObject {
    fn type_name(&self) -> &'static str {
        POLICY_TYPE
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        "<policyuniverse.policy.Policy object>".to_owned()
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other.downcast::<PolicyObject>().is_some_and(|o| Rc::ptr_eq(&o.policy, &self.policy))
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!("policyuniverse.Policy@{:p}", Rc::as_ptr(&self.policy)))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        let p = &self.policy;
        match name {
            "policy" => Ok(policy_val(p)),
            "statements" => Ok(Val::list(
                (0..p.statements().len()).map(|index| Val::native(StatementObject { policy: p.clone(), index })).collect(),
            )),
            "principals" => json_set(&p.principals()),
            "condition_entries" => ops::make_set(p.condition_entries()?.iter().map(entry_val)),
            "action_summary" | "is_internet_accessible" | "internet_accessible_actions" | "whos_allowed" => {
                Err(bound_method(POLICY_TYPE, name))
            }
            _ => Err(PolicyError::no_attribute(POLICY_TYPE, name)),
        }
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        let p = &self.policy;
        match name {
            "action_summary" => {
                no_args(POLICY_TYPE, "action_summary", args)?;
                summary_val(&p.action_summary()?)
            }
            "is_internet_accessible" => {
                no_args(POLICY_TYPE, "is_internet_accessible", args)?;
                Ok(Val::Bool(p.is_internet_accessible()?))
            }
            "internet_accessible_actions" => {
                no_args(POLICY_TYPE, "internet_accessible_actions", args)?;
                json_set(&p.internet_accessible_actions()?)
            }
            "whos_allowed" => {
                no_args(POLICY_TYPE, "whos_allowed", args)?;
                ops::make_set(p.whos_allowed()?.iter().map(who_val))
            }
            _ => Err(PolicyError::no_attribute(POLICY_TYPE, name)),
        }
    }
}

impl Native for StatementObject {
    fn type_name(&self) -> &'static str {
        STATEMENT_TYPE
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        "<policyuniverse.statement.Statement object>".to_owned()
    }
    fn eq(&self, other: &Val<'_>) -> bool {
        other
            .downcast::<StatementObject>()
            .is_some_and(|o| Rc::ptr_eq(&o.policy, &self.policy) && o.index == self.index)
    }
    fn hash_key(&self) -> Option<String> {
        Some(format!("policyuniverse.Statement@{:p}:{}", Rc::as_ptr(&self.policy), self.index))
    }
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        let s = self.statement()?;
        let field = |c: ConditionCategory| -> PyResult<Val<'v>> { json_set(&s.condition_values(c)?) };
        match name {
            "statement" => Ok(statement_val(s)),
            "effect" => Ok(s.effect().map_or(Val::None, json_to_val)),
            "actions" => match s.expanded_action() {
                Some(set) => Ok(Val::lazy_set(Rc::new(ActionList(set.clone())))),
                None => ops::make_set(s.actions().map(json_to_val)),
            },
            "principals" => json_set(s.principals()),
            "condition_entries" => Ok(Val::list(s.condition_entries().iter().map(entry_val).collect())),
            "actions_expanded" => Ok(Val::lazy_set(Rc::new(ActionList(Rc::new(s.actions_expanded()?))))),
            "resources" => json_set(&s.resources()?),
            "condition_arns" => field(ConditionCategory::Arn),
            "condition_accounts" => field(ConditionCategory::Account),
            "condition_orgpaths" => field(ConditionCategory::Organization),
            "condition_userids" => field(ConditionCategory::UserId),
            "condition_cidrs" => field(ConditionCategory::Cidr),
            "condition_vpcs" => field(ConditionCategory::Vpc),
            "condition_vpces" => field(ConditionCategory::Vpce),
            "condition_orgids" => json_set(&s.condition_orgids()?),
            "uses_not_principal" | "action_summary" | "is_internet_accessible" | "is_condition_internet_accessible"
            | "whos_allowed" => Err(bound_method(STATEMENT_TYPE, name)),
            _ => Err(PolicyError::no_attribute(STATEMENT_TYPE, name)),
        }
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        let s = self.statement()?;
        match name {
            "uses_not_principal" => {
                no_args(STATEMENT_TYPE, "uses_not_principal", args)?;
                Ok(Val::Bool(s.uses_not_principal()))
            }
            "action_summary" => {
                no_args(STATEMENT_TYPE, "action_summary", args)?;
                summary_val(&s.action_summary()?)
            }
            "is_internet_accessible" => {
                no_args(STATEMENT_TYPE, "is_internet_accessible", args)?;
                Ok(Val::Bool(s.is_internet_accessible()?))
            }
            "is_condition_internet_accessible" => {
                no_args(STATEMENT_TYPE, "is_condition_internet_accessible", args)?;
                Ok(Val::Bool(s.is_condition_internet_accessible()?))
            }
            "whos_allowed" => {
                no_args(STATEMENT_TYPE, "whos_allowed", args)?;
                ops::make_set(s.whos_allowed()?.iter().map(who_val))
            }
            _ => Err(PolicyError::no_attribute(STATEMENT_TYPE, name)),
        }
    }
}

// ---------------------------------------------------------------------
// Conversions to Python values

/// A `set` of JSON values.
fn json_set<'v>(items: &[Value]) -> PyResult<Val<'v>> {
    ops::make_set(items.iter().map(json_to_val))
}

/// The statement object as a `dict` (an expanded `Action` as a pending
/// `list`).
fn statement_val<'v>(s: &iam::Statement) -> Val<'v> {
    let expanded = s.expanded_action();
    let entries = s.raw_unexpanded().iter().map(|(k, v)| {
        let value = match expanded {
            Some(set) if k == "Action" => Val::lazy_list(Rc::new(ActionList(set.clone()))),
            _ => json_to_val(v),
        };
        (Val::text(k), value)
    });
    // String keys are hashable.
    ops::make_dict(entries).unwrap_or(Val::None)
}

/// The document (`Policy.policy`) as a `dict`: its statements as
/// [`statement_val`] gives them.
fn policy_val<'v>(p: &iam::Policy) -> Val<'v> {
    let Value::Object(rest) = p.rest() else { return json_to_val(p.rest()) };
    let entries = rest.iter().map(|(k, v)| {
        let value = match (k.as_str(), p.statement_is_list(), p.statements().first()) {
            ("Statement", true, _) => Val::list(p.statements().iter().map(statement_val).collect()),
            ("Statement", false, Some(one)) => statement_val(one),
            _ => json_to_val(v),
        };
        (Val::text(k), value)
    });
    ops::make_dict(entries).unwrap_or(Val::None)
}

/// `Condition(category, value)` as a tuple.
fn entry_val<'v>(e: &ConditionEntry) -> Val<'v> {
    Val::tuple(vec![Val::str(e.category.as_str()), json_to_val(&e.value)])
}

/// `Principal('principal', value)` or `Condition(category, value)` as a
/// tuple.
fn who_val<'v>(w: &Who) -> Val<'v> {
    let (category, value) = w.parts();
    Val::tuple(vec![Val::str(category), json_to_val(value)])
}

fn category_val<'v>(c: Option<Category>) -> Val<'v> {
    c.map_or(Val::None, |c| Val::str(c.as_str()))
}

/// `{service: {category, …}}`: a `defaultdict(set)`.
fn summary_val<'v>(summary: &ActionSummary) -> PyResult<Val<'v>> {
    let entries: Vec<(PyStr<'static>, CategorySet)> = summary
        .iter()
        .map(|(service, categories)| {
            let key = match service {
                ServiceName::Catalogued(s) => PyStr::Ref(s),
                ServiceName::Other(s) => PyStr::Owned(Rc::from(s)),
            };
            (key, categories)
        })
        .collect();
    let sorted = entries.len();
    Ok(Val::native(CategoryDict { entries: RefCell::new(entries), sorted }))
}

/// The `str` value of a key.
fn key_val<'v>(key: &PyStr<'static>) -> Val<'v> {
    Val::Str(match key {
        PyStr::Ref(s) => PyStr::Ref(s),
        PyStr::Owned(s) => PyStr::Owned(s.clone()),
    })
}

/// The `defaultdict(set)` that `action_summary()` and
/// `categories_for_actions()` return: service → access levels (`None`
/// for actions the catalogue lacks). Reading a missing service gives an
/// empty `set` and adds the key, as `defaultdict` does; the sets handed
/// out are copies.
#[derive(Debug)]
pub struct CategoryDict {
    /// The summary's services, sorted, then the keys that reading a
    /// missing service added (with no category).
    entries: RefCell<Vec<(PyStr<'static>, CategorySet)>>,
    /// How many entries come from the summary.
    sorted: usize,
}

impl CategoryDict {
    fn set_val<'v>(categories: CategorySet) -> Val<'v> {
        Val::lazy_set(Rc::new(Categories(categories)))
    }

    fn find(&self, key: &str) -> Option<CategorySet> {
        let entries = self.entries.borrow();
        let (sorted, added) = entries.split_at(self.sorted.min(entries.len()));
        match sorted.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => sorted.get(i).map(|(_, c)| *c),
            Err(_) => added.iter().find(|(k, _)| k.as_str() == key).map(|(_, c)| *c),
        }
    }

    fn get<'v>(&self, key: &Val<'_>, insert: bool) -> PyResult<Option<Val<'v>>> {
        ops::hash_key(key)?;
        let Some(k) = key.as_str() else { return Ok(None) };
        if let Some(c) = self.find(k) {
            return Ok(Some(CategoryDict::set_val(c)));
        }
        if insert {
            self.entries.borrow_mut().push((PyStr::Owned(Rc::from(k)), CategorySet::default()));
            return Ok(Some(CategoryDict::set_val(CategorySet::default())));
        }
        Ok(None)
    }
}

impl Native for CategoryDict {
    fn type_name(&self) -> &'static str {
        "defaultdict"
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn repr(&self) -> String {
        let items: Vec<String> = self
            .entries
            .borrow()
            .iter()
            .map(|(k, c)| format!("{}: {}", py_repr_str(k.as_str()), ops::repr(&CategoryDict::set_val(*c))))
            .collect();
        format!("defaultdict(<class 'set'>, {{{}}})", items.join(", "))
    }
    fn truthy(&self) -> bool {
        !self.entries.borrow().is_empty()
    }
    fn contains(&self, item: &Val<'_>) -> Option<PyResult<bool>> {
        Some(ops::hash_key(item).map(|_| item.as_str().is_some_and(|k| self.find(k).is_some())))
    }
    fn getitem<'v>(&self, key: &Val<'_>) -> Option<PyResult<Val<'v>>> {
        // A key that is not a `str` is never present; Python would add it.
        Some(self.get(key, true).and_then(|v| v.map_or_else(|| ops::make_set(Vec::new()), Ok)))
    }
    fn py_iter<'v>(&self) -> Option<Vec<Val<'v>>> {
        Some(self.entries.borrow().iter().map(|(k, _)| key_val(k)).collect())
    }
    fn py_len(&self) -> Option<usize> {
        Some(self.entries.borrow().len())
    }
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        match (name, args) {
            ("keys", []) => Ok(Val::list(self.entries.borrow().iter().map(|(k, _)| key_val(k)).collect())),
            ("values", []) => Ok(Val::list(self.entries.borrow().iter().map(|(_, c)| CategoryDict::set_val(*c)).collect())),
            ("items", []) => Ok(Val::list(
                self.entries.borrow().iter().map(|(k, c)| Val::tuple(vec![key_val(k), CategoryDict::set_val(*c)])).collect(),
            )),
            ("get", [key] | [key, _]) => Ok(self.get(key, false)?.unwrap_or_else(|| args.get(1).cloned().unwrap_or(Val::None))),
            ("keys" | "values" | "items" | "get", _) => {
                Err(PolicyError::type_error(format!("defaultdict.{name}() got a wrong number of arguments")))
            }
            _ => Err(PolicyError::no_attribute("collections.defaultdict", name)),
        }
    }
}

/// The access levels of one service, handed out as a pending `set`.
struct Categories(CategorySet);

impl LazyItems for Categories {
    fn len(&self) -> usize {
        self.0.iter().count()
    }
    fn items<'v>(&self) -> Vec<Val<'v>> {
        self.0.iter().map(category_val).collect()
    }
    fn contains(&self, item: &Val<'_>) -> bool {
        if ops::is_none(item) {
            return self.0.contains(None);
        }
        item.as_str().and_then(Category::from_name).is_some_and(|c| self.0.contains(Some(c)))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An expansion, handed to Python as a pending `list` (or `set`) of its
/// elements, sorted; `Policy(...)` reads the set back from a list that
/// is still pending.
pub struct ActionList(Rc<ActionSet>);

impl LazyItems for ActionList {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn items<'v>(&self) -> Vec<Val<'v>> {
        action_strs(&self.0)
    }
    fn contains(&self, item: &Val<'_>) -> bool {
        item.as_str().is_some_and(|s| self.0.contains(s))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The elements of an action set, sorted, as `str` values (catalogue
/// names are borrowed, not copied).
fn action_strs<'v>(set: &ActionSet) -> Vec<Val<'v>> {
    let catalog = set.catalog();
    let mut known = set.ids().map(|id| catalog.name(id)).peekable();
    let mut unknown = set.unknown().peekable();
    let mut out = Vec::with_capacity(set.len());
    loop {
        let next = match (known.peek(), unknown.peek()) {
            (Some(k), Some(u)) if u < k => unknown.next().map(Val::text),
            (Some(_), _) => known.next().map(Val::str),
            (None, Some(_)) => unknown.next().map(Val::text),
            (None, None) => None,
        };
        match next {
            Some(v) => out.push(v),
            None => return out,
        }
    }
}

// ---------------------------------------------------------------------
// Constructors and functions

/// The JSON value of `v`, whose `key` the function reads first: a value
/// that is not JSON raises what `v[key]` raises in Python when it cannot
/// be subscripted, and `NotImplementedError` otherwise.
fn json_or_subscript_error(v: &Val<'_>, key: &str) -> PyResult<Value> {
    iam::to_json(v).map_err(|e| ops::subscript(v, &Val::str(key)).err().unwrap_or(e))
}

/// `x.get(...)` on a value that is not a `dict`.
fn require_dict(v: &Val<'_>) -> PyResult<()> {
    if v.kind() == Kind::Dict {
        Ok(())
    } else {
        Err(PolicyError::no_attribute(v.type_name(), "get"))
    }
}

const POLICY: Sig = Sig { method: true, ..Sig::new("Policy.__init__", &["policy"], 1) };

/// `Policy(policy)`.
pub fn policy<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&POLICY, args, kwargs)?;
    let doc = b.get(0).cloned().unwrap_or(Val::None);
    require_dict(&doc)?;
    // Statements whose `Action` is still the pending list `expand_policy`
    // returned keep its set: no string is built or parsed again.
    let mut expanded: Vec<Option<Rc<ActionSet>>> = Vec::new();
    let json = iam::policy_to_json(&doc, &mut |i, source| {
        let Some(list) = source.as_any().downcast_ref::<ActionList>() else { return false };
        if expanded.len() <= i {
            expanded.resize(i + 1, None);
        }
        if let Some(slot) = expanded.get_mut(i) {
            *slot = Some(list.0.clone());
        }
        true
    })?;
    let policy = iam::Policy::from_json_expanded(json, expanded)?;
    Ok(Val::native(PolicyObject { policy: Rc::new(policy) }))
}

/// `Policy(json.loads(s))`, as the generator emits it when neither name is
/// mocked: the text is parsed straight into the IAM model's JSON, without
/// the Python `dict` in between. Same result and same exceptions as the
/// two calls: anything the one-pass parse does not cover (`s` not a `str`,
/// a document that is not an object, a value `Policy()` refuses) takes the
/// two calls.
pub fn policy_of_loads<'a>(s: Val<'a>, ctx: &dyn Context) -> PyResult<Val<'a>> {
    if let Some(text) = s.as_str() {
        if let Some(doc) = super::json::loads_json_object(text)? {
            let policy = iam::Policy::from_json(doc)?;
            return Ok(Val::native(PolicyObject { policy: Rc::new(policy) }));
        }
    }
    let doc = super::json::loads(&[s], &[], ctx)?;
    policy(&[doc], &[], ctx)
}

const STATEMENT: Sig = Sig { method: true, ..Sig::new("Statement.__init__", &["statement"], 1) };

/// `Statement(statement)`.
pub fn statement<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&STATEMENT, args, kwargs)?;
    let raw = b.get(0).cloned().unwrap_or(Val::None);
    require_dict(&raw)?;
    let doc = serde_json::json!({ "Statement": [iam::to_json(&raw)?] });
    let policy = iam::Policy::from_json(doc)?;
    Ok(Val::native(StatementObject { policy: Rc::new(policy), index: 0 }))
}

const EXPAND_POLICY: Sig = Sig::new("expand_policy", &["policy", "expand_deny"], 0);

/// `expand_policy(policy=None, expand_deny=False)`: a deep copy of
/// `policy` whose `Statement` is a list, where every statement whose
/// `Effect` is not `deny` (any case; all of them with `expand_deny`) has
/// `NotAction` removed and `Action` set to the sorted expanded actions.
///
/// The copy is made of the `Val`s themselves (strings are shared, as
/// they are immutable); only `Action` and `NotAction` are read as JSON.
/// The expanded lists stay pending until read (see [`ActionList`]).
pub fn expand_policy<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&EXPAND_POLICY, args, kwargs)?;
    let doc = b.get(0).cloned().unwrap_or(Val::None);
    let expand_deny = b.get(1).is_some_and(ops::truthy);
    drop(b);
    if doc.kind() != Kind::Dict {
        // `result["Statement"]` on the copy raises.
        return Err(subscript_error(&doc, "Statement"));
    }
    // `result = copy.deepcopy(policy)`. A document that nothing else can
    // reach (`expand_policy(json.loads(...))`: only the caller's argument
    // and `doc` hold it, and every container inside is held once) cannot
    // be observed after the call, so it is changed in place instead.
    let passed_as_argument = args.first().is_some_and(|a| same_object(a, &doc));
    let result = if passed_as_argument && held_only_here(&doc, 2, 0) { doc } else { deep_copy(&doc, 0)? };
    // `result["Statement"] = ensure_array(result["Statement"])`
    let statements = ops::subscript(&result, &Val::str("Statement"))?;
    let statements = if statements.kind() == Kind::List { statements } else { Val::list(vec![statements]) };
    ops::set_item(&result, Val::str("Statement"), statements.clone())?;
    for statement in ops::iter_vec(&statements)? {
        let effect = subscript(&statement, "Effect")?;
        let effect = ops::call_method(&effect, "lower", &[])?;
        if effect.as_str() == Some("deny") && !expand_deny {
            continue;
        }
        // `get_actions_from_statement(statement)`: `statement.get(...)`.
        require_dict(&statement)?;
        let actions = actions_of_val(&statement)?;
        // `del statement["NotAction"]`; `statement["Action"] = sorted(...)`
        if let Val::Dict(d) = &statement {
            d.borrow_mut().shift_remove(&HKey::Str(PyStr::Ref("NotAction")));
        }
        ops::set_item(&statement, Val::str("Action"), Val::lazy_list(Rc::new(ActionList(Rc::new(actions)))))?;
    }
    Ok(result)
}

/// `get_actions_from_statement(statement)` for a `dict`.
fn actions_of_val(statement: &Val<'_>) -> PyResult<ActionSet> {
    let entry = |key: &'static str| -> PyResult<Option<Val<'_>>> {
        let k = Val::str(key);
        Ok(if ops::contains(statement, &k)? { Some(ops::subscript(statement, &k)?) } else { None })
    };
    let (action, not_action) = (entry("Action")?, entry("NotAction")?);
    // An `Action` that is still a pending expansion is its own expansion.
    let expanded = match &action {
        Some(Val::List(l)) => l.pending_source().and_then(|s| s.as_any().downcast_ref::<ActionList>().map(|a| a.0.clone())),
        _ => None,
    };
    let action = match (&expanded, &action) {
        (None, Some(a)) => Some(iam::to_json(a)?),
        _ => None,
    };
    let not_action = not_action.as_ref().map(iam::to_json).transpose()?;
    iam::actions_of(action.as_ref(), not_action.as_ref(), expanded.as_deref())
}

/// Whether `a` and `b` are the same run-time container.
fn same_object<'a>(a: &Val<'a>, b: &Val<'a>) -> bool {
    match (a, b) {
        (Val::Dict(x), Val::Dict(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// Whether `v` is a run-time container held by exactly `holders`
/// references, and every container inside it by one: then nothing but
/// those holders can reach any part of it. Values borrowed from the
/// resource or a constant do not qualify (they cannot be changed).
fn held_only_here(v: &Val<'_>, holders: usize, depth: usize) -> bool {
    if depth > iam::MAX_DEPTH {
        return false;
    }
    let inner = |x: &Val<'_>| match x {
        Val::None | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::Str(_) => true,
        other => held_only_here(other, 1, depth + 1),
    };
    match v {
        Val::Dict(d) => Rc::strong_count(d) == holders && d.borrow().values().all(|(k, x)| inner(k) && inner(x)),
        Val::List(l) => {
            Rc::strong_count(l) == holders
                && match l.pending_source() {
                    // The producer is immutable: sharing it is harmless.
                    Some(_) => true,
                    None => l.borrow().iter().all(inner),
                }
        }
        Val::Tuple(t) => Rc::strong_count(t) == holders && t.iter().all(inner),
        _ => false,
    }
}

/// `copy.deepcopy(v)` for the values of a document: containers are
/// copied, immutable values shared (a pending list shares its immutable
/// producer). Native objects are not supported; nesting deeper than
/// [`iam::MAX_DEPTH`] raises `RecursionError` as CPython's would.
fn deep_copy<'a>(v: &Val<'a>, depth: usize) -> PyResult<Val<'a>> {
    if depth > iam::MAX_DEPTH {
        return Err(PolicyError::new(ExcKind::Other("RecursionError"), "maximum recursion depth exceeded"));
    }
    let copy_all = |items: Vec<Val<'a>>| items.iter().map(|x| deep_copy(x, depth + 1)).collect::<PyResult<Vec<_>>>();
    Ok(match v {
        Val::None | Val::Bool(_) | Val::Int(_) | Val::Float(_) | Val::Str(_) => v.clone(),
        Val::Json(j) => json_to_val(j),
        Val::List(l) => match l.pending_source() {
            Some(source) => Val::lazy_list(source),
            None => Val::list(copy_all(l.borrow().clone())?),
        },
        Val::Tuple(t) => Val::tuple(copy_all(t.to_vec())?),
        // Elements of a set are hashable, hence immutable.
        Val::Set(_) => ops::make_set(ops::elements(v).unwrap_or_default())?,
        Val::Dict(d) => {
            let mut entries = d.borrow().clone();
            for (_, (_, x)) in entries.iter_mut() {
                if matches!(x.kind(), Kind::List | Kind::Dict | Kind::Set | Kind::Tuple) {
                    *x = deep_copy(x, depth + 1)?;
                }
            }
            Val::Dict(Rc::new(crate::value::DictCell::new(entries)))
        }
        Val::Obj(_) | Val::Seq(_) | Val::Const(_) => match v.kind() {
            Kind::Dict => {
                let items = ops::dict_items(v).unwrap_or_default();
                let mut out = Vec::with_capacity(items.len());
                for (k, x) in items {
                    out.push((k, deep_copy(&x, depth + 1)?));
                }
                ops::make_dict(out)?
            }
            Kind::List => Val::list(copy_all(ops::elements(v).unwrap_or_default())?),
            Kind::Tuple => Val::tuple(copy_all(ops::elements(v).unwrap_or_default())?),
            Kind::Set => ops::make_set(ops::elements(v).unwrap_or_default())?,
            _ => v.clone(),
        },
        Val::Native(_) | Val::Mock(_) => {
            return Err(PolicyError::new(
                ExcKind::Other("NotImplementedError"),
                format!("an IAM policy document holding a value of type '{}' is not supported by the compiled runtime", v.type_name()),
            ))
        }
    })
}

/// What `v[key]` raises for a value that is not a `dict` (CPython 3.11's
/// messages).
fn subscript_error(v: &Val<'_>, key: &str) -> PolicyError {
    match v.kind() {
        Kind::List | Kind::Tuple => {
            PolicyError::type_error(format!("{} indices must be integers or slices, not str", v.type_name()))
        }
        Kind::Str => PolicyError::type_error("string indices must be integers, not 'str'"),
        Kind::Dict => PolicyError::key_error(key),
        _ => match ops::subscript(v, &Val::str(key)) {
            Err(e) => e,
            Ok(_) => PolicyError::new(
                ExcKind::Other("NotImplementedError"),
                format!("an IAM policy document of type '{}' is not supported by the compiled runtime", v.type_name()),
            ),
        },
    }
}

/// `v[key]` with CPython 3.11's messages.
fn subscript<'a>(v: &Val<'a>, key: &str) -> PyResult<Val<'a>> {
    if v.kind() == Kind::Dict {
        return ops::subscript(v, &Val::str(key));
    }
    Err(subscript_error(v, key))
}

const MINIMIZE: Sig = Sig::new("minimize_statement_actions", &["statement", "minchars"], 1);

/// `minimize_statement_actions(statement, minchars=None)`: the sorted
/// `list` of minimal prefixes.
pub fn minimize_statement_actions<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&MINIMIZE, args, kwargs)?;
    let stmt = b.get(0).cloned().unwrap_or(Val::None);
    let json = json_or_subscript_error(&stmt, "Effect")?;
    // `int(minchars)` is only evaluated when `minchars` is truthy.
    let minchars = match b.get(1) {
        Some(m) if ops::truthy(m) => match ops::int_(m)? {
            Val::Int(i) => Some(i),
            _ => None,
        },
        _ => None,
    };
    let minimized = iam::minimize_statement_actions(&json, minchars)?;
    Ok(Val::list(minimized.into_iter().map(Val::string).collect()))
}

const GET_ACTIONS: Sig = Sig::new("get_actions_from_statement", &["statement"], 1);

/// `get_actions_from_statement(statement)`: the `set` of expanded actions.
pub fn get_actions_from_statement<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&GET_ACTIONS, args, kwargs)?;
    let stmt = b.get(0).cloned().unwrap_or(Val::None);
    require_dict(&stmt)?;
    let Value::Object(map) = iam::to_json(&stmt)? else { return Err(PolicyError::no_attribute(stmt.type_name(), "get")) };
    Ok(Val::lazy_set(Rc::new(ActionList(Rc::new(iam::actions_from_statement(&map)?)))))
}

const CATEGORIES: Sig = Sig::new("categories_for_actions", &["actions"], 1);

/// `categories_for_actions(actions)`: `{service: {category, …}}` for an
/// iterable of action strings (`None` for actions the catalogue lacks).
pub fn categories_for_actions<'a>(args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], _ctx: &dyn Context) -> PyResult<Val<'a>> {
    let b = bind(&CATEGORIES, args, kwargs)?;
    let actions = b.get(0).cloned().unwrap_or(Val::None);
    let items = ops::iter_vec(&actions)?;
    let mut strs = Vec::with_capacity(items.len());
    for a in &items {
        match a.as_str() {
            Some(s) => strs.push(s),
            None => return Err(PolicyError::no_attribute(a.type_name(), "split")),
        }
    }
    summary_val(&iam::categories_for_actions(strs)?)
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, reason = "tests")]

    use super::*;
    use crate::natives::json::parse;
    use crate::policy::DefaultContext;

    fn call(f: super::super::NativeFn, args: &[Val<'static>]) -> PyResult<Val<'static>> {
        f(args, &[], &DefaultContext)
    }

    fn doc(text: &str) -> Val<'static> {
        parse(text).unwrap()
    }

    fn show(r: PyResult<Val<'_>>) -> String {
        match r {
            Ok(v) => ops::repr(&v),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn policy_objects_answer_like_policyuniverse() {
        let p = call(
            policy,
            &[doc(r#"{"Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ["*", "arn:aws:iam::123456789012:root"]}, "Action": "kms:*", "Resource": "*"},
                {"Effect": "Deny", "NotPrincipal": {"AWS": "x"}, "Action": ["s3:GetObject"],
                 "Condition": {"StringEquals": {"aws:SourceAccount": ["1", "2"]}}}
            ]}"#)],
        )
        .unwrap();
        let statements = ops::getattr(&p, "statements").unwrap();
        let items = ops::iter_vec(&statements).unwrap();
        assert_eq!(items.len(), 2);
        let [s0, s1] = items.as_slice() else { panic!("two statements") };
        assert_eq!(show(ops::getattr(s0, "effect")), "'Allow'");
        assert_eq!(show(ops::getattr(s0, "actions")), "{'kms:*'}");
        assert_eq!(show(ops::getattr(s0, "principals")), "{'*', 'arn:aws:iam::123456789012:root'}");
        assert_eq!(show(ops::getattr(s0, "condition_entries")), "[]");
        assert_eq!(show(ops::call_method(s0, "uses_not_principal", &[])), "False");
        assert_eq!(show(ops::call_method(s0, "is_internet_accessible", &[])), "True");
        assert_eq!(show(ops::getattr(s1, "condition_entries")), "[('account', '1'), ('account', '2')]");
        assert_eq!(show(ops::call_method(s1, "uses_not_principal", &[])), "True");
        assert_eq!(show(ops::getattr(s1, "statement")).get(..20).unwrap(), "{'Effect': 'Deny', '");
        assert_eq!(show(ops::call_method(s1, "action_summary", &[])), "defaultdict(<class 'set'>, {'s3': {'Read'}})");
        assert_eq!(show(ops::call_method(&p, "is_internet_accessible", &[])), "True");
        assert_eq!(show(ops::call_method(&p, "action_summary", &[Val::Int(1)])), "TypeError: Policy.action_summary() takes 1 positional argument but 2 were given");
        assert_eq!(show(ops::getattr(&p, "nope")), "AttributeError: 'Policy' object has no attribute 'nope'");
        assert!(ops::isinstance(&p, &[ops::PyType::Native(POLICY_TYPE)]));
    }

    /// `policy_of_loads(s)` (the generator's `Policy(json.loads(s))`)
    /// answers as the two calls do: the policy's document, statements and
    /// attributes, or the same exception.
    #[test]
    fn policy_of_loads_equals_the_two_calls() {
        let texts = [
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["s3:GetObject", "s3:GetObject"], "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, {"Effect": "Deny", "NotPrincipal": "x", "NotAction": "iam:*"}]}"#,
            r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*"}, "Statement": {"Effect": "Deny"}}"#,
            r#"{"Statement": [{"Effect": "Allow", "Condition": {"NumericLessThan": {"x": NaN}}}]}"#,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/\u00e9é"}]}"#,
            r#"{"Statement": "x"}"#,
            r#"{}"#,
            r#"[1]"#,
            r#""x""#,
            r#"{"Statement": [1 2]}"#,
            "\u{feff}{}",
            "",
        ];
        let probe = |p: &Val<'static>| -> Vec<String> {
            let mut out = vec![show(ops::getattr(p, "policy"))];
            if let Ok(statements) = ops::getattr(p, "statements") {
                for st in ops::iter_vec(&statements).unwrap() {
                    for attr in ["effect", "actions", "principals", "condition_entries", "statement"] {
                        out.push(show(ops::getattr(&st, attr)));
                    }
                    out.push(show(ops::call_method(&st, "uses_not_principal", &[])));
                }
            }
            out
        };
        for text in texts {
            let one = policy_of_loads(Val::str(text), &DefaultContext);
            let two = crate::natives::json::loads(&[Val::str(text)], &[], &DefaultContext).and_then(|d| call(policy, &[d]));
            match (one, two) {
                (Ok(a), Ok(b)) => assert_eq!(probe(&a), probe(&b), "text {text:?}"),
                (a, b) => assert_eq!(show(a), show(b), "text {text:?}"),
            }
        }
        for not_text in [Val::None, Val::Int(1), doc(r#"{"Statement": []}"#)] {
            let two = crate::natives::json::loads(std::slice::from_ref(&not_text), &[], &DefaultContext).and_then(|d| call(policy, &[d]));
            assert_eq!(show(policy_of_loads(not_text, &DefaultContext)), show(two));
        }
    }

    #[test]
    fn constructor_errors_match_cpython() {
        assert_eq!(show(call(policy, &[])), "TypeError: Policy.__init__() missing 1 required positional argument: 'policy'");
        assert_eq!(show(call(policy, &[doc("[]")])), "AttributeError: 'list' object has no attribute 'get'");
        assert_eq!(show(call(policy, &[doc(r#"{"Statement": "x"}"#)])), "AttributeError: 'str' object has no attribute 'get'");
        assert_eq!(
            show(call(policy, &[doc(r#"{"Statement": {"Principal": [{"AWS": 1}]}}"#)])),
            "TypeError: unhashable type: 'dict'"
        );
        assert_eq!(show(call(statement, &[Val::None])), "AttributeError: 'NoneType' object has no attribute 'get'");
    }

    #[test]
    fn expand_and_minimize() {
        let expanded = call(expand_policy, &[doc(r#"{"Version": "1", "Statement": {"Effect": "Allow", "Action": "s3:getobjecta*", "Resource": "*"}}"#)]).unwrap();
        assert_eq!(
            ops::repr(&expanded),
            "{'Version': '1', 'Statement': [{'Effect': 'Allow', 'Action': ['s3:getobjectacl', 's3:getobjectattributes'], 'Resource': '*'}]}"
        );
        assert_eq!(show(call(expand_policy, &[doc("{}")])), "KeyError: 'Statement'");
        assert_eq!(show(call(expand_policy, &[])), "TypeError: 'NoneType' object is not subscriptable");
        let m = call(minimize_statement_actions, &[doc(r#"{"Effect": "Allow", "Action": ["s3:*"]}"#)]).unwrap();
        assert_eq!(ops::repr(&m), "['s3:*']");
        assert_eq!(
            show(call(minimize_statement_actions, &[doc(r#"{"Effect": "Deny", "Action": "s3:*"}"#)])),
            "Exception: Minification does not currently work on Deny statements."
        );
        assert_eq!(
            show(call(minimize_statement_actions, &[doc(r#"{"Effect": "Allow", "Action": "s3:nope"}"#)])),
            "Exception: Desired action not found in master permission list. s3:nope"
        );
        assert_eq!(show(call(minimize_statement_actions, &[doc(r#"{"Effect": "Allow"}"#)])), "KeyError: 'Action'");
    }

    fn get(v: &Val<'static>, path: &[&str]) -> Val<'static> {
        path.iter().fold(v.clone(), |v, k| match k.parse::<i64>() {
            Ok(i) => ops::subscript(&v, &Val::Int(i)).unwrap(),
            Err(_) => ops::subscript(&v, &Val::str(k)).unwrap(),
        })
    }

    fn is_pending(v: &Val<'_>) -> bool {
        match v {
            Val::List(l) => l.pending_source().is_some(),
            Val::Set(s) => s.pending_source().is_some(),
            _ => false,
        }
    }

    const MIXED: &str = r#"{"Version": "1", "Statement": [
        {"Effect": "Allow", "NotAction": ["s3:*", "ec2:*"], "Resource": "*", "Sid": "a"},
        {"Effect": "deny", "Action": "s3:getobjecta*"},
        {"Effect": "Allow", "Action": ["S3:GetObjectAcl", "foo:bar*", "s3:getobjectattributes"]}]}"#;

    // Expected values from policyuniverse 1.5.1.20231109 under CPython 3.11.
    #[test]
    fn expanded_documents_answer_like_policyuniverse() {
        let d = doc(MIXED);
        let r = call(expand_policy, &[d.clone()]).unwrap();
        let first = get(&r, &["Statement", "0", "Action"]);
        assert!(is_pending(&first), "the expansion is not built");
        assert_eq!(ops::len(&first).unwrap(), 14_573);
        assert_eq!(show(ops::call_method(&get(&r, &["Statement", "0"]), "keys", &[])), "['Effect', 'Resource', 'Sid', 'Action']");
        assert_eq!(show(Ok(get(&r, &["Statement", "1"]))), "{'Effect': 'deny', 'Action': 's3:getobjecta*'}");
        assert_eq!(show(Ok(get(&r, &["Statement", "2"]))), "{'Effect': 'Allow', 'Action': ['foo:bar*', 's3:getobjectacl', 's3:getobjectattributes']}");
        assert!(ops::contains(&first, &Val::str("iam:passrole")).unwrap());
        assert!(!ops::contains(&first, &Val::str("s3:getobject")).unwrap());
        assert!(is_pending(&first), "len and `in` do not build it");
        // The argument, held by the caller, is unchanged.
        assert_eq!(show(ops::call_method(&get(&d, &["Statement", "0"]), "keys", &[])), "['Effect', 'NotAction', 'Resource', 'Sid']");

        let p = call(policy, &[r.clone()]).unwrap();
        let summary = ops::call_method(&p, "action_summary", &[]).unwrap();
        assert_eq!(ops::len(&summary).unwrap(), 366);
        assert_eq!(show(ops::subscript(&summary, &Val::str("s3"))), "{'Read'}");
        assert_eq!(show(ops::subscript(&summary, &Val::str("foo"))), "{None}");
        assert_eq!(show(ops::subscript(&summary, &Val::str("iam"))), "{'List', 'Read', 'Write', 'Tagging', 'Permissions'}");
        assert!(!ops::contains(&summary, &Val::str("ec2")).unwrap());
        let statements = ops::iter_vec(&ops::getattr(&p, "statements").unwrap()).unwrap();
        let actions = ops::getattr(&statements[0], "actions").unwrap();
        assert_eq!(ops::len(&actions).unwrap(), 14_573);
        assert!(ops::contains(&actions, &Val::str("iam:passrole")).unwrap());
        assert_eq!(show(ops::call_method(&ops::getattr(&statements[2], "actions").unwrap(), "copy", &[]).map(|s| ops::sorted(&s, None, false).unwrap())), "['foo:bar*', 's3:getobjectacl', 's3:getobjectattributes']");
        let again = ops::getattr(&statements[0], "statement").unwrap();
        assert!(is_pending(&get(&again, &["Action"])), "`.statement` hands the expansion out pending");
        assert!(ops::eq(&again, &get(&r, &["Statement", "0"])));

        // The same answers when the expansion was read (built) first, or
        // changed, or when the document is expanded twice.
        let built = call(expand_policy, &[doc(MIXED)]).unwrap();
        assert_eq!(ops::iter_vec(&get(&built, &["Statement", "0", "Action"])).unwrap().len(), 14_573);
        assert!(!is_pending(&get(&built, &["Statement", "0", "Action"])));
        let p2 = call(policy, &[built.clone()]).unwrap();
        assert_eq!(show(ops::call_method(&p2, "action_summary", &[])), show(Ok(summary.clone())));
        let twice = call(expand_policy, &[r.clone()]).unwrap();
        assert!(ops::eq(&twice, &r));
        let p3 = call(policy, &[twice]).unwrap();
        assert_eq!(show(ops::call_method(&p3, "action_summary", &[])), show(Ok(summary.clone())));
        ops::call_method(&get(&built, &["Statement", "0", "Action"]), "append", &[Val::str("ec2:createvpc")]).unwrap();
        let p4 = call(policy, &[built]).unwrap();
        let s4 = ops::call_method(&p4, "action_summary", &[]).unwrap();
        assert_eq!(show(ops::subscript(&s4, &Val::str("ec2"))), "{'Write'}");

        let deny = call(expand_policy, &[doc(MIXED), Val::Bool(true)]).unwrap();
        assert_eq!(show(Ok(get(&deny, &["Statement", "1"]))), "{'Effect': 'deny', 'Action': ['s3:getobjectacl', 's3:getobjectattributes']}");
        assert_eq!(show(call(expand_policy, &[doc(r#"{"Statement": {"Effect": "Allow"}}"#)])), "{'Statement': [{'Effect': 'Allow', 'Action': []}]}");
    }

    #[test]
    fn expansion_errors_match_policyuniverse() {
        let cases = [
            (r#"{"Statement": [{"Effect": 1}]}"#, "AttributeError: 'int' object has no attribute 'lower'"),
            (r#"{"Statement": ["x"]}"#, "TypeError: string indices must be integers, not 'str'"),
            (r#"{"Statement": [{"Action": "x"}]}"#, "KeyError: 'Effect'"),
            (r#"{"Statement": [{"Effect": "Allow", "Action": null}]}"#, "TypeError: 'NoneType' object is not iterable"),
            ("[]", "TypeError: list indices must be integers or slices, not str"),
            ("\"s\"", "TypeError: string indices must be integers, not 'str'"),
        ];
        for (input, expected) in cases {
            assert_eq!(show(call(expand_policy, &[doc(input)])), expected, "{input}");
        }
    }

    #[test]
    fn a_shared_document_is_copied_not_changed() {
        // A statement also held elsewhere keeps its `NotAction`.
        let statement = doc(r#"{"Effect": "Allow", "NotAction": "s3:*"}"#);
        let list = Val::list(vec![statement.clone()]);
        let d = ops::make_dict(vec![(Val::str("Statement"), list)]).unwrap();
        let r = call(expand_policy, &[d]).unwrap();
        assert_eq!(show(ops::call_method(&statement, "keys", &[])), "['Effect', 'NotAction']");
        assert_eq!(show(ops::call_method(&get(&r, &["Statement", "0"]), "keys", &[])), "['Effect', 'Action']");
    }

    #[test]
    fn categories() {
        let actions = doc(r#"["ec2:createvpc", "iam:putrolepolicy", "iam:listroles", "x:y", "nocolon"]"#);
        assert_eq!(
            show(call(categories_for_actions, &[actions])),
            "defaultdict(<class 'set'>, {'ec2': {'Write'}, 'iam': {'List', 'Permissions'}, 'nocolon': {None}, 'x': {None}})"
        );
        let empty = call(categories_for_actions, &[Val::list(vec![])]).unwrap();
        assert!(!ops::contains(&empty, &Val::str("ec2")).unwrap());
        assert_eq!(show(ops::subscript(&empty, &Val::str("ec2"))), "set()", "a defaultdict gives set() for a missing key");
        assert!(ops::contains(&empty, &Val::str("ec2")).unwrap(), "and adds it");
        assert_eq!(ops::len(&empty).unwrap(), 1);
        assert_eq!(show(ops::iter_vec(&empty).map(Val::list)), "['ec2']");
        assert_eq!(show(call(categories_for_actions, &[doc("[1]")])), "AttributeError: 'int' object has no attribute 'split'");
        assert_eq!(show(call(categories_for_actions, &[Val::None])), "TypeError: 'NoneType' object is not iterable");
    }
}
