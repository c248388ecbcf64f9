//! Action sets over the catalogue: wildcard expansion (`expand_policy`,
//! `Statement.actions_expanded`), `NotAction` inversion, minimisation
//! (`minimize_statement_actions`) and access-level summaries
//! (`categories_for_actions`, `action_summary`).
//!
//! An expanded set is a bitset over catalogue ids plus the lower-cased
//! strings that are not permissions (policyuniverse keeps an unmatched
//! pattern or an unknown action verbatim). Expanding a pattern costs a
//! binary search for its literal prefix; a pattern that needs a scan
//! (`*:get*`, `s3:*object`) is scanned once per process and memoised.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

use serde_json::Value;

use super::catalog::{ActionId, Catalog, Category};
use super::glob::{literal_prefix, Glob};
use super::{json_type_name, subscript};
use crate::error::{ExcKind, PolicyError, PyResult};
use crate::ops;
use crate::value::Val;

/// A set of actions as policyuniverse computes them: permissions of the
/// catalogue, and other strings kept verbatim.
#[derive(Clone)]
pub struct ActionSet {
    catalog: &'static Catalog,
    /// Words `first..first + bits.len()` of the bitset over catalogue ids
    /// (bit `i % 64` of word `i / 64` for id `i`); the other words are 0.
    /// A statement naming a few actions touches a word or two.
    first: usize,
    bits: Vec<u64>,
    /// Lower-cased strings that are not permissions.
    unknown: BTreeSet<String>,
}

impl fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl PartialEq for ActionSet {
    fn eq(&self, other: &ActionSet) -> bool {
        self.unknown == other.unknown && self.ids().eq(other.ids())
    }
}

impl Eq for ActionSet {}

impl ActionSet {
    /// The empty set.
    pub fn new(catalog: &'static Catalog) -> ActionSet {
        ActionSet { catalog, first: 0, bits: Vec::new(), unknown: BTreeSet::new() }
    }

    /// The catalogue the ids refer to.
    pub fn catalog(&self) -> &'static Catalog {
        self.catalog
    }

    /// Every permission of the catalogue (`all_permissions`).
    pub fn all(catalog: &'static Catalog) -> ActionSet {
        let mut set = ActionSet::new(catalog);
        set.insert_range(0..catalog.len());
        set
    }

    /// The stored words, with their absolute word indices.
    fn words(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.bits.iter().enumerate().map(|(i, &w)| (self.first + i, w))
    }

    /// Word `w`, stored (zero-filled) first when it is not.
    fn word_mut(&mut self, w: usize) -> Option<&mut u64> {
        if w >= self.catalog.len().div_ceil(64) {
            return None;
        }
        if self.bits.is_empty() {
            self.first = w;
            self.bits.push(0);
        } else if w < self.first {
            self.bits.splice(0..0, std::iter::repeat_n(0, self.first - w));
            self.first = w;
        } else if w >= self.first + self.bits.len() {
            self.bits.resize(w - self.first + 1, 0);
        }
        self.bits.get_mut(w - self.first)
    }

    /// Adds permission `id`.
    pub fn insert_id(&mut self, id: ActionId) {
        let i = id as usize;
        if let Some(w) = self.word_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    /// Adds the permissions `ids` (a range of catalogue ids).
    pub fn insert_range(&mut self, ids: std::ops::Range<usize>) {
        let ids = ids.start..ids.end.min(self.catalog.len());
        if ids.is_empty() {
            return;
        }
        // Store the last word first, so that the vector grows once.
        self.word_mut((ids.end - 1) / 64);
        let mut i = ids.start;
        while i < ids.end {
            let Some(w) = self.word_mut(i / 64) else { break };
            let bit = i % 64;
            let n = (64 - bit).min(ids.end - i);
            let mask = if n == 64 { u64::MAX } else { ((1u64 << n) - 1) << bit };
            *w |= mask;
            i += n;
        }
    }

    /// Adds `name`: a permission when the catalogue has it, else a verbatim
    /// string.
    pub fn insert_name(&mut self, name: &str) {
        match self.catalog.id(name) {
            Some(id) => self.insert_id(id),
            None => {
                self.unknown.insert(name.to_owned());
            }
        }
    }

    /// Adds every element of `other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        if let (Some(lo), Some(hi)) = (other.words().next(), other.words().last()) {
            self.word_mut(lo.0);
            self.word_mut(hi.0);
            for (w, o) in other.words() {
                if let Some(x) = self.word_mut(w) {
                    *x |= o;
                }
            }
        }
        self.unknown.extend(other.unknown.iter().cloned());
    }

    /// `all_permissions.difference(self)`: the permissions not in the set
    /// (verbatim strings are dropped).
    pub fn complement(&self) -> ActionSet {
        let mut out = ActionSet::all(self.catalog);
        for (w, o) in self.words() {
            if let Some(x) = out.word_mut(w) {
                *x &= !o;
            }
        }
        out
    }

    /// Whether `id` is in the set.
    pub fn contains_id(&self, id: ActionId) -> bool {
        let i = id as usize;
        (i / 64).checked_sub(self.first).and_then(|w| self.bits.get(w)).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether the string `name` is in the set.
    pub fn contains(&self, name: &str) -> bool {
        match self.catalog.id(name) {
            Some(id) => self.contains_id(id),
            None => self.unknown.contains(name),
        }
    }

    /// The permissions in the set, by id.
    pub fn ids(&self) -> impl Iterator<Item = ActionId> + '_ {
        self.words().flat_map(|(wi, w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                ActionId::try_from(wi * 64 + b).ok()
            })
        })
    }

    /// The strings of the set that are not permissions, sorted.
    pub fn unknown(&self) -> impl Iterator<Item = &str> {
        self.unknown.iter().map(String::as_str)
    }

    /// How many elements there are.
    pub fn len(&self) -> usize {
        self.bits.iter().map(|w| w.count_ones() as usize).sum::<usize>() + self.unknown.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.unknown.is_empty() && self.bits.iter().all(|w| *w == 0)
    }

    /// Every element, sorted as Python sorts strings (`sorted(actions)`).
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let catalog: &'static Catalog = self.catalog;
        let mut known = self.ids().map(move |id| catalog.name(id)).peekable();
        let mut unknown = self.unknown.iter().map(String::as_str).peekable();
        std::iter::from_fn(move || match (known.peek(), unknown.peek()) {
            (Some(k), Some(u)) if u < k => unknown.next(),
            (Some(_), _) => known.next(),
            (None, _) => unknown.next(),
        })
    }

    /// `categories_for_actions(self)`.
    ///
    /// Word by word: the catalogue knows which services and access levels
    /// the 64 ids of each word belong to, so this costs a few operations
    /// per word and service, however many actions the set holds.
    pub fn summary(&self) -> ActionSummary {
        let mut summary = ActionSummary::default();
        self.summarise_into(&mut summary);
        summary
    }

    /// Adds [`ActionSet::summary`] to `summary` (per-service union).
    pub fn summarise_into(&self, summary: &mut ActionSummary) {
        let catalog = self.catalog;
        for (w, word) in self.words() {
            if word == 0 {
                continue;
            }
            let levels = catalog.level_bits(w);
            for &(service, mask) in catalog.word_runs(w) {
                let ids = word & mask;
                if ids == 0 {
                    continue;
                }
                let mut set = CategorySet::default();
                for (category, bits) in Category::ALL.into_iter().zip(levels) {
                    if ids & bits != 0 {
                        set.insert(Some(category));
                    }
                }
                summary.add_catalogued(catalog, usize::from(service), set);
            }
        }
        for u in &self.unknown {
            summary.add_action(catalog, u);
        }
    }
}

/// A set of access levels, plus `None` for actions the catalogue lacks
/// (policyuniverse's `_action_categories.get(action)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(u8);

/// The order in which a [`CategorySet`] lists its members.
const CATEGORY_ORDER: [Option<Category>; 6] = [
    Some(Category::List),
    Some(Category::Read),
    Some(Category::Write),
    Some(Category::Tagging),
    Some(Category::Permissions),
    None,
];

impl CategorySet {
    fn bit(c: Option<Category>) -> u8 {
        match c {
            Some(Category::List) => 1,
            Some(Category::Read) => 2,
            Some(Category::Write) => 4,
            Some(Category::Tagging) => 8,
            Some(Category::Permissions) => 16,
            None => 32,
        }
    }

    /// Adds `c`.
    pub fn insert(&mut self, c: Option<Category>) {
        self.0 |= CategorySet::bit(c);
    }

    /// Whether `c` is a member.
    pub fn contains(self, c: Option<Category>) -> bool {
        self.0 & CategorySet::bit(c) != 0
    }

    /// The members: List, Read, Write, Tagging, Permissions, then `None`.
    pub fn iter(self) -> impl Iterator<Item = Option<Category>> {
        CATEGORY_ORDER.into_iter().filter(move |c| self.contains(*c))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The union.
    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }
}

/// `{service: {category, …}}`, as `categories_for_actions` and
/// `action_summary` return it (services sorted here; Python's order is
/// that of set iteration).
///
/// The services of the catalogue are kept by index (no string is
/// copied); other services (`foo` of an unknown `foo:bar`) by name.
#[derive(Debug, Clone, Default)]
pub struct ActionSummary {
    /// The catalogue `catalogued` refers to (set with its first entry).
    catalog: Option<&'static Catalog>,
    /// `(catalogue service index, categories)`, sorted by index (which is
    /// name order); no empty set.
    catalogued: Vec<(u16, CategorySet)>,
    /// Services the catalogue lacks.
    other: BTreeMap<String, CategorySet>,
}

/// The name of a service of an [`ActionSummary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceName<'s> {
    /// A service of the catalogue.
    Catalogued(&'static str),
    /// A service the catalogue lacks.
    Other(&'s str),
}

impl<'s> ServiceName<'s> {
    /// The name.
    pub fn as_str(self) -> &'s str {
        match self {
            ServiceName::Catalogued(s) => s,
            ServiceName::Other(s) => s,
        }
    }
}

impl PartialEq for ActionSummary {
    fn eq(&self, other: &ActionSummary) -> bool {
        self.iter().map(|(s, c)| (s.as_str().to_owned(), c)).eq(other.iter().map(|(s, c)| (s.as_str().to_owned(), c)))
    }
}

impl Eq for ActionSummary {}

impl ActionSummary {
    fn add_catalogued(&mut self, catalog: &'static Catalog, service: usize, set: CategorySet) {
        let Ok(service) = u16::try_from(service) else { return };
        if set.is_empty() {
            return;
        }
        self.catalog = Some(catalog);
        // Services mostly arrive in increasing order (ids are visited in
        // order): look at the last entry first.
        match self.catalogued.last_mut() {
            Some((s, c)) if *s == service => *c = c.union(set),
            Some((s, _)) if *s > service => match self.catalogued.binary_search_by_key(&service, |(s, _)| *s) {
                Ok(i) => {
                    if let Some((_, c)) = self.catalogued.get_mut(i) {
                        *c = c.union(set);
                    }
                }
                Err(i) => self.catalogued.insert(i, (service, set)),
            },
            _ => self.catalogued.push((service, set)),
        }
    }

    fn add(&mut self, catalog: &'static Catalog, service: &str, set: CategorySet) {
        match catalog.service_index(service) {
            Some(s) => self.add_catalogued(catalog, s, set),
            None => match self.other.get_mut(service) {
                Some(c) => *c = c.union(set),
                None => {
                    self.other.insert(service.to_owned(), set);
                }
            },
        }
    }

    /// Adds one action string: its service is the text before the first
    /// `:` (`action.split(":")[0]`), its category the catalogue's, or `None`.
    pub fn add_action(&mut self, catalog: &'static Catalog, action: &str) {
        let mut set = CategorySet::default();
        match catalog.id(action) {
            Some(id) => {
                set.insert(catalog.category(id));
                if let Some(s) = catalog.service_index_of(id) {
                    self.add_catalogued(catalog, s, set);
                }
            }
            None => {
                set.insert(None);
                self.add(catalog, action.split(':').next().unwrap_or(action), set);
            }
        }
    }

    /// Merges `other` into `self` (per-service union).
    pub fn merge(&mut self, other: &ActionSummary) {
        if let Some(catalog) = other.catalog {
            for &(s, set) in &other.catalogued {
                self.add_catalogued(catalog, usize::from(s), set);
            }
        }
        for (s, set) in &other.other {
            match self.other.get_mut(s) {
                Some(c) => *c = c.union(*set),
                None => {
                    self.other.insert(s.clone(), *set);
                }
            }
        }
    }

    /// The categories of `service` (empty when absent, as a `defaultdict`).
    pub fn get(&self, service: &str) -> CategorySet {
        self.lookup(service).unwrap_or_default()
    }

    fn lookup(&self, service: &str) -> Option<CategorySet> {
        if let Some(catalog) = self.catalog {
            if let Some(s) = catalog.service_index(service).and_then(|s| u16::try_from(s).ok()) {
                let i = self.catalogued.binary_search_by_key(&s, |(s, _)| *s).ok()?;
                return self.catalogued.get(i).map(|(_, c)| *c);
            }
        }
        self.other.get(service).copied()
    }

    /// Whether `service` has an entry.
    pub fn contains_service(&self, service: &str) -> bool {
        self.lookup(service).is_some()
    }

    /// The entries, sorted by service.
    pub fn iter(&self) -> impl Iterator<Item = (ServiceName<'_>, CategorySet)> {
        let catalog = self.catalog;
        let mut catalogued = self
            .catalogued
            .iter()
            .filter_map(move |&(s, c)| Some((ServiceName::Catalogued(catalog?.service_name(usize::from(s))), c)))
            .peekable();
        let mut other = self.other.iter().map(|(s, c)| (ServiceName::Other(s.as_str()), *c)).peekable();
        std::iter::from_fn(move || match (catalogued.peek(), other.peek()) {
            (Some(a), Some(b)) if b.0.as_str() < a.0.as_str() => other.next(),
            (Some(_), _) => catalogued.next(),
            (None, _) => other.next(),
        })
    }

    /// How many services there are.
    pub fn len(&self) -> usize {
        self.catalogued.len() + self.other.len()
    }

    /// Whether there is no service.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `categories_for_actions(actions)` for strings.
pub fn categories_for_actions<'s>(actions: impl IntoIterator<Item = &'s str>) -> PyResult<ActionSummary> {
    let catalog = Catalog::get()?;
    let mut summary = ActionSummary::default();
    for a in actions {
        summary.add_action(catalog, a);
    }
    Ok(summary)
}

/// What one pattern expands to.
enum Matches {
    /// Nothing: the pattern is kept verbatim.
    None,
    /// One permission.
    One(ActionId),
    /// A range of ids (every permission with a prefix).
    Range(std::ops::Range<usize>),
    /// Scanned ids.
    Ids(Arc<[ActionId]>),
}

/// At most this many scanned patterns are memoised.
const MEMO_CAPACITY: usize = 4096;

/// Scanned patterns and the ids they match.
type Memo = RwLock<HashMap<Box<str>, Arc<[ActionId]>>>;

fn memo() -> &'static Memo {
    static MEMO: OnceLock<Memo> = OnceLock::new();
    MEMO.get_or_init(|| RwLock::new(HashMap::new()))
}

/// `fnmatch.filter(all_permissions, pattern)`.
fn glob(catalog: &'static Catalog, pattern: &str) -> PyResult<Matches> {
    let prefix = literal_prefix(pattern);
    if prefix.len() == pattern.len() {
        return Ok(catalog.id(pattern).map_or(Matches::None, Matches::One));
    }
    let range = catalog.prefix_range(prefix);
    let g = Glob::new(pattern);
    if g.is_prefix_star() {
        return Ok(if range.is_empty() { Matches::None } else { Matches::Range(range) });
    }
    if pattern.contains('[') {
        // `fnmatch` compiles the pattern before looking at any name.
        g.matches("")?;
    }
    if let Ok(m) = memo().read() {
        if let Some(ids) = m.get(pattern) {
            return Ok(if ids.is_empty() { Matches::None } else { Matches::Ids(ids.clone()) });
        }
    }
    let mut ids = Vec::new();
    for i in range {
        let Ok(id) = ActionId::try_from(i) else { break };
        if g.matches(catalog.name(id))? {
            ids.push(id);
        }
    }
    let ids: Arc<[ActionId]> = ids.into();
    if let Ok(mut m) = memo().write() {
        if m.len() < MEMO_CAPACITY {
            m.insert(pattern.into(), ids.clone());
        }
    }
    Ok(if ids.is_empty() { Matches::None } else { Matches::Ids(ids) })
}

/// One element of an expansion, in policyuniverse's order.
enum Piece<'m> {
    Matches(Matches),
    Verbatim(&'m str),
}

/// `s.lower()`, without copying a string that is already lower-case.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| !b.is_ascii() || b.is_ascii_uppercase()) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// `_expand(action)`: the lower-cased pattern matched against the
/// catalogue, or kept verbatim when nothing matches.
fn expand_pattern(catalog: &'static Catalog, action: &str, each: &mut dyn FnMut(Piece<'_>) -> PyResult<()>) -> PyResult<()> {
    let lower = lower(action);
    match glob(catalog, &lower)? {
        Matches::None => each(Piece::Verbatim(&lower)),
        m => each(Piece::Matches(m)),
    }
}

/// `_expand_wildcard_action(action)`, calling `each` for every piece in
/// order: a string without `*` is only lower-cased; a string with one is
/// expanded; a list (or the keys of a dict) is expanded element by element
/// (each must be a string, even without `*`); anything else raises
/// `TypeError` as `map()` does.
fn expand_wildcard_action(catalog: &'static Catalog, action: &Value, each: &mut dyn FnMut(Piece<'_>) -> PyResult<()>) -> PyResult<()> {
    match action {
        Value::String(s) if !s.contains('*') => {
            let lower = lower(s);
            match catalog.id(&lower) {
                Some(id) => each(Piece::Matches(Matches::One(id))),
                None => each(Piece::Verbatim(&lower)),
            }
        }
        Value::String(s) => expand_pattern(catalog, s, each),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => expand_pattern(catalog, s, each)?,
                    other => return Err(PolicyError::no_attribute(json_type_name(other), "lower")),
                }
            }
            Ok(())
        }
        Value::Object(map) => {
            for key in map.keys() {
                expand_pattern(catalog, key, each)?;
            }
            Ok(())
        }
        other => Err(PolicyError::type_error(format!("'{}' object is not iterable", json_type_name(other)))),
    }
}

fn add_piece(set: &mut ActionSet, piece: Piece<'_>) {
    match piece {
        Piece::Verbatim(s) => set.insert_name(s),
        Piece::Matches(Matches::None) => {}
        Piece::Matches(Matches::One(id)) => set.insert_id(id),
        Piece::Matches(Matches::Range(r)) => set.insert_range(r),
        Piece::Matches(Matches::Ids(ids)) => {
            for id in ids.iter() {
                set.insert_id(*id);
            }
        }
    }
}

/// The expansion of one `Action` value (a string, or a list of them), as
/// `_expand_wildcard_action` computes it.
pub fn expand_action(action: &Value) -> PyResult<ActionSet> {
    let catalog = Catalog::get()?;
    let mut set = ActionSet::new(catalog);
    expand_wildcard_action(catalog, action, &mut |p| {
        add_piece(&mut set, p);
        Ok(())
    })?;
    Ok(set)
}

/// `ensure_array(value)` over a JSON value: the items of a list, else the
/// value alone.
pub(crate) fn ensure_array(value: &Value) -> &[Value] {
    match value {
        Value::Array(items) => items,
        other => std::slice::from_ref(other),
    }
}

/// `get_actions_from_statement(statement)`: the expanded `Action`, plus
/// every permission not in the expanded `NotAction` when there is one.
pub fn actions_from_statement(statement: &serde_json::Map<String, Value>) -> PyResult<ActionSet> {
    actions_from_parts(statement, None)
}

/// [`actions_from_statement`], where `expanded`, when given, is the
/// expansion of the `Action` (which `statement` then does not hold).
pub(crate) fn actions_from_parts(statement: &serde_json::Map<String, Value>, expanded: Option<&ActionSet>) -> PyResult<ActionSet> {
    let action = if expanded.is_some() { None } else { statement.get("Action") };
    actions_of(action, statement.get("NotAction"), expanded)
}

/// `get_actions_from_statement` given the statement's `Action` and
/// `NotAction` values (`None` when absent), or, as `expanded`, the
/// expansion of its `Action` (expanding an expansion again gives it back:
/// its permissions are names without `*`, and its other strings matched
/// nothing).
pub fn actions_of(action: Option<&Value>, not_action: Option<&Value>, expanded: Option<&ActionSet>) -> PyResult<ActionSet> {
    let catalog = Catalog::get()?;
    let mut allowed = match expanded {
        Some(set) => set.clone(),
        None => ActionSet::new(catalog),
    };
    if let Some(action) = action {
        for a in ensure_array(action) {
            expand_wildcard_action(catalog, a, &mut |p| {
                add_piece(&mut allowed, p);
                Ok(())
            })?;
        }
    }
    if let Some(not_action) = not_action {
        let mut inverted = ActionSet::new(catalog);
        for a in ensure_array(not_action) {
            expand_wildcard_action(catalog, a, &mut |p| {
                add_piece(&mut inverted, p);
                Ok(())
            })?;
        }
        if !inverted.is_empty() {
            allowed.union_with(&inverted.complement());
        }
    }
    Ok(allowed)
}

/// What `expand_policy` does to one statement.
#[derive(Debug, Clone)]
pub enum ExpandedStatement<'d> {
    /// Kept as it is (a `Deny` statement).
    Kept(&'d Value),
    /// `Action` replaced by the sorted actions of the set, `NotAction`
    /// removed.
    Expanded(&'d serde_json::Map<String, Value>, ActionSet),
}

impl<'d> ExpandedStatement<'d> {
    /// The keys of an expanded statement in order, with their values:
    /// `None` stands for the expanded `Action` (in place of the original,
    /// or last when there was none).
    pub fn entries(statement: &'d serde_json::Map<String, Value>) -> impl Iterator<Item = (&'d str, Option<&'d Value>)> {
        let appended = (!statement.contains_key("Action")).then_some(("Action", None));
        statement
            .iter()
            .filter(|(k, _)| k.as_str() != "NotAction")
            .map(|(k, v)| (k.as_str(), if k == "Action" { None } else { Some(v) }))
            .chain(appended)
    }
}

/// `expand_policy(policy, expand_deny)`, statement by statement, without
/// building the copy: every statement whose `Effect` is not `deny` (any
/// case; all of them with `expand_deny`) has its actions expanded.
///
/// Raises as policyuniverse does: `KeyError` for a missing `Statement` or
/// `Effect`, `TypeError` when they cannot be subscripted, `AttributeError`
/// for an `Effect` that is not a string.
pub fn expand_statements(policy: &Value, expand_deny: bool) -> PyResult<Vec<ExpandedStatement<'_>>> {
    let statements = ensure_array(subscript(policy, "Statement")?);
    let mut out = Vec::with_capacity(statements.len());
    for statement in statements {
        let effect = subscript(statement, "Effect")?;
        let effect = ops::call_method(&Val::from_json(effect), "lower", &[])?;
        match statement {
            // `statement["Effect"]` succeeded, so this is a dict.
            Value::Object(map) if effect.as_str() != Some("deny") || expand_deny => {
                out.push(ExpandedStatement::Expanded(map, actions_from_statement(map)?));
            }
            other => out.push(ExpandedStatement::Kept(other)),
        }
    }
    Ok(out)
}

/// `expand_policy(policy, expand_deny)`: a copy of `policy` whose
/// `Statement` is a list of the [`expand_statements`].
pub fn expand_policy(policy: &Value, expand_deny: bool) -> PyResult<Value> {
    let statements = expand_statements(policy, expand_deny)?
        .into_iter()
        .map(|s| match s {
            ExpandedStatement::Kept(v) => v.clone(),
            ExpandedStatement::Expanded(map, actions) => {
                let list = || Value::Array(actions.iter().map(|a| Value::String(a.to_owned())).collect());
                Value::Object(
                    ExpandedStatement::entries(map)
                        .map(|(k, v)| (k.to_owned(), v.cloned().unwrap_or_else(list)))
                        .collect(),
                )
            }
        })
        .collect();
    let mut out = policy.clone();
    if let Value::Object(map) = &mut out {
        map.insert("Statement".to_owned(), Value::Array(statements));
    }
    Ok(out)
}

/// `minimize_statement_actions(statement, minchars)`: the sorted, smallest
/// list of prefixes (`s3:*`, `s3:get*`) and actions that grants exactly the
/// permissions the statement's `Action` expands to.
///
/// Raises `Exception` for a statement whose `Effect` is not `"Allow"` and
/// for an expanded action the catalogue lacks, `KeyError` without `Action`.
/// `minchars`: prefixes whose action part is shorter (but not empty) are
/// skipped.
pub fn minimize_statement_actions(statement: &Value, minchars: Option<i64>) -> PyResult<Vec<String>> {
    let catalog = Catalog::get()?;
    if subscript(statement, "Effect")?.as_str() != Some("Allow") {
        return Err(PolicyError::new(
            ExcKind::Other("Exception"),
            "Minification does not currently work on Deny statements.",
        ));
    }
    let action = subscript(statement, "Action")?;
    let mut desired = ActionSet::new(catalog);
    // The whole list is expanded (and may raise) before any action is
    // looked up.
    let mut first_unknown: Option<String> = None;
    expand_wildcard_action(catalog, action, &mut |p| {
        match p {
            Piece::Verbatim(s) => {
                first_unknown.get_or_insert_with(|| s.to_owned());
            }
            p => add_piece(&mut desired, p),
        }
        Ok(())
    })?;
    if let Some(s) = first_unknown {
        return Err(PolicyError::new(
            ExcKind::Other("Exception"),
            format!("Desired action not found in master permission list. {s}"),
        ));
    }
    Ok(minimize(catalog, &desired, minchars))
}

/// The minimisation of a set of permissions (see
/// [`minimize_statement_actions`]).
///
/// policyuniverse collects every prefix of every permission *not* desired
/// ("denied prefixes") and gives each desired action its shortest prefix
/// that is not denied. Names are sorted, so the permissions sharing a
/// prefix are contiguous: a prefix of a desired action is denied exactly
/// when it is also a prefix of the nearest undesired name before or after
/// it. The shortest safe prefix is therefore one character longer than
/// the longer common prefix with those two neighbours.
pub fn minimize(catalog: &'static Catalog, desired: &ActionSet, minchars: Option<i64>) -> Vec<String> {
    let n = catalog.len();
    // (prefix, followed by `*`). The actions that get one prefix are
    // contiguous (they are the names with that prefix), so a repeat is
    // always the last entry.
    let mut out: Vec<(&'static str, bool)> = Vec::new();
    let ids: Vec<usize> = desired.ids().map(|id| id as usize).collect();
    let mut k = 0;
    while let Some(&start) = ids.get(k) {
        // The run of consecutive desired ids start..end.
        let mut end = start + 1;
        let mut j = k + 1;
        while ids.get(j) == Some(&end) {
            end += 1;
            j += 1;
        }
        let before = start.checked_sub(1).map(|i| catalog.name(id_of(i)));
        let after = (end < n).then(|| catalog.name(id_of(end)));
        for i in start..end {
            let entry = minimal_prefix(catalog, id_of(i), before, after, minchars, desired);
            if out.last() != Some(&entry) {
                out.push(entry);
            }
        }
        k = j;
    }
    let mut list: Vec<String> = out.into_iter().map(|(p, star)| if star { format!("{p}*") } else { p.to_owned() }).collect();
    list.sort_unstable();
    list.dedup();
    list
}

fn id_of(i: usize) -> ActionId {
    ActionId::try_from(i).unwrap_or(ActionId::MAX)
}

fn common_prefix_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The entry policyuniverse adds for the desired action `name`: a prefix
/// of it, and whether a `*` follows.
fn minimal_prefix(
    catalog: &'static Catalog,
    id: ActionId,
    before: Option<&str>,
    after: Option<&str>,
    minchars: Option<i64>,
    desired: &ActionSet,
) -> (&'static str, bool) {
    let name = catalog.name(id);
    let service_len = catalog.service(id).len();
    let shared = before.map_or(0, |b| common_prefix_len(name, b)).max(after.map_or(0, |a| common_prefix_len(name, a)));
    if shared >= name.len() {
        // The action is itself a prefix of an undesired one.
        return (name, false);
    }
    // Prefix lengths run from `service:` (action part empty) to the name.
    let mut len = (service_len + 1).max(shared + 1);
    if let Some(min) = minchars {
        let part = len - service_len - 1;
        if part > 0 && i64::try_from(part).unwrap_or(i64::MAX) < min {
            len = (service_len + 1).saturating_add(usize::try_from(min).unwrap_or(usize::MAX));
        }
    }
    if len >= name.len() {
        return (name, false);
    }
    let prefix = name.get(..len).unwrap_or(name);
    let is_desired_action = catalog.id(prefix).is_some_and(|id| desired.contains_id(id));
    (prefix, !is_desired_action)
}
