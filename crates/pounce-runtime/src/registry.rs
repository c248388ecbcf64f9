//! A registry of compiled policies, for programs that evaluate them: look
//! policies up by ID or resource type, and evaluate a typed struct, a JSON
//! value or a line of JSON text, dispatched by its `ResourceType`.
//!
//! A registry holds the policies' [`Policy`] entries and, when the
//! generator emitted them (the `build.rs` API and `cargo xtask build` do),
//! their [`TypedGroup`]s: for each resource type, a function that reads a
//! resource **once** into its struct and every policy's typed entry point
//! over that struct. Without groups every policy reads the resource from
//! JSON on its own (`Policy::detect_json`); the answers are the same.
//!
//! ```
//! use pounce_runtime::registry::{Registry, Status};
//! use pounce_runtime::DefaultContext;
//!
//! // A registry of no policies; a real one comes from generated code
//! // (`Registry::new(POLICIES, GROUPS)`, or `Registry::from_policies`).
//! static EMPTY: Registry = Registry::new(&[], &[]);
//!
//! let evaluations = EMPTY
//!     .evaluate_str(r#"{"ResourceType": "AWS.EC2.AMI", "Public": true}"#, &DefaultContext)
//!     .unwrap();
//! assert!(evaluations.iter().all(|e| e.status() != Status::Error));
//! assert!(EMPTY.evaluate_str("{not json", &DefaultContext).is_err());
//! ```

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

use serde::de::IgnoredAny;
use serde::Serialize;

use crate::aux::{AuxFn, Detection};
use crate::error::PolicyError;
use crate::policy::{check_object, resource_error, Context, EvalError, Policy, Resource};
use crate::read::StructFields;
use crate::value::Object;

/// A resource struct behind `dyn`: its Python view and its concrete type.
pub trait AnyResource: Object + Any {
    /// The concrete struct, for [`downcast`].
    fn as_any(&self) -> &dyn Any;
    /// The Python view of the resource.
    fn as_object(&self) -> &dyn Object;
}

impl<T: Object + Any> AnyResource for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_object(&self) -> &dyn Object {
        self
    }
}

/// The declared fields of `group`'s struct that a scan must read for the
/// `selected` policies: the keys they read, the type check's
/// `ResourceType` and the keys of the record's resource ID. `None` (read
/// everything) when a selected policy may look at the whole resource or
/// reads a key the struct does not declare.
fn read_mask(group: &TypedGroup, selected: &[usize]) -> Option<Vec<bool>> {
    let schema = crate::resources::schema_for(group.resource_type)?;
    let mut mask = vec![false; schema.fields.len()];
    let mut set = |key: &str, must: bool| -> Option<()> {
        match schema.fields.iter().position(|f| f.name == key) {
            Some(i) => {
                *mask.get_mut(i)? = true;
                Some(())
            }
            None if must => None,
            None => Some(()),
        }
    };
    for tp in selected.iter().filter_map(|&i| group.policies.get(i)) {
        for key in tp.reads? {
            set(key, true)?;
        }
    }
    for key in std::iter::once("ResourceType").chain(RESOURCE_ID_KEYS) {
        set(key, false)?;
    }
    Some(mask)
}

/// Whether a scan record reads `key` from every resource: `ResourceType`
/// and the [`RESOURCE_ID_KEYS`].
#[doc(hidden)]
pub fn record_key(key: &str) -> bool {
    key == "ResourceType" || RESOURCE_ID_KEYS.contains(&key)
}

/// The struct `R` behind `resource`, if that is its type.
pub fn downcast<R: Any>(resource: &dyn AnyResource) -> Option<&R> {
    resource.as_any().downcast_ref::<R>()
}

/// Reads a resource of struct `R` from JSON text (a JSON object).
pub fn parse_str<R: Resource + StructFields + 'static>(text: &str) -> Result<Box<dyn AnyResource>, InvalidResource> {
    read_str::<R>(text, None)
}

/// Reads a resource of struct `R` from JSON text, only the declared fields
/// whose index is `true` in `only` (see [`TypedPolicy::reads`]); the rest
/// is validated as JSON and left absent.
pub fn parse_str_only<R: Resource + StructFields + 'static>(
    text: &str,
    only: &[bool],
) -> Result<Box<dyn AnyResource>, InvalidResource> {
    read_str::<R>(text, Some(only))
}

fn read_str<R: Resource + StructFields + 'static>(text: &str, only: Option<&[bool]>) -> Result<Box<dyn AnyResource>, InvalidResource> {
    if !text.trim_start().starts_with('{') {
        // A struct would also accept a JSON array; a resource is an object.
        return match serde_json::from_str::<IgnoredAny>(text) {
            Err(e) => Err(InvalidResource::from_json(&e)),
            Ok(_) => Err(InvalidResource::new(InvalidKind::NotObject, format!("expected a JSON object for {}", R::RESOURCE_TYPE))),
        };
    }
    // Read in place, in its box: resource structs are large, and moving
    // one costs as much as reading a small resource.
    let mut resource = Box::<R>::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let read = match only {
        None => R::read_into_default(&mut de, &mut resource),
        Some(only) => R::read_only_into_default(&mut de, &mut resource, only),
    };
    match read.and_then(|()| de.end()) {
        Ok(()) => Ok(resource),
        Err(e) => Err(InvalidResource::from_json(&e)),
    }
}

/// Reads a resource of struct `R` from a JSON value.
pub fn parse_json<R: Resource + StructFields + 'static>(
    value: &serde_json::Value,
) -> Result<Box<dyn AnyResource>, String> {
    // As `resource_from_json`, read in place in its box.
    let read = check_object::<R>(value).and_then(|()| {
        let mut resource = Box::<R>::default();
        R::read_into_default(value, &mut resource).map_err(|e| resource_error::<R>(&e))?;
        Ok(resource)
    });
    match read {
        Ok(r) => Ok(r),
        Err(EvalError::Resource(msg)) => Err(msg),
        Err(e) => Err(e.to_string()),
    }
}

/// [`parse_str_only`] for one struct: reads only the declared fields marked
/// `true`.
pub type ParseOnly = fn(&str, &[bool]) -> Result<Box<dyn AnyResource>, InvalidResource>;

/// `policy()` on a typed resource; `None` when it is not of the expected struct.
pub type TypedEval = fn(&dyn AnyResource, &dyn Context) -> Option<Result<bool, PolicyError>>;

/// `policy()` and the auxiliary functions on a typed resource; `None` when
/// it is not of the expected struct.
pub type TypedDetect = fn(&dyn AnyResource, &dyn Context) -> Option<Detection>;

/// One policy's typed entry points over the struct of a [`TypedGroup`].
///
/// Both return `None` when the resource is not of the group's struct.
#[derive(Debug)]
pub struct TypedPolicy {
    /// The policy's registry entry.
    pub policy: &'static Policy,
    /// `policy()` alone.
    pub eval: TypedEval,
    /// `policy()` and, when it alerts, the auxiliary functions.
    pub detect: TypedDetect,
    /// The top-level keys of the resource that `policy()` and the
    /// auxiliary functions can read, as the code generator proved it (a
    /// key read by subscript, `.get` or `deep_get` with a literal key);
    /// `None` when they may look at the whole resource (it is passed to a
    /// function, iterated, or held in a variable). A scan whose selected
    /// policies of a type all name their keys reads only those (and the
    /// ones its records need) from each resource.
    pub reads: Option<&'static [&'static str]>,
}

/// The policies of one resource type, evaluated on one read of the
/// resource into its struct. Generated; sorted by `resource_type` in a
/// registry.
#[derive(Debug)]
pub struct TypedGroup {
    /// The `ResourceType` (`AWS.EC2.AMI`).
    pub resource_type: &'static str,
    /// Reads the struct from JSON text.
    pub parse_str: fn(&str) -> Result<Box<dyn AnyResource>, InvalidResource>,
    /// Reads only some fields of the struct from JSON text
    /// ([`parse_str_only`]).
    pub parse_str_only: ParseOnly,
    /// Reads the struct from a JSON value.
    pub parse_json: fn(&serde_json::Value) -> Result<Box<dyn AnyResource>, String>,
    /// The policies that list this type, sorted by `PolicyID`.
    pub policies: &'static [TypedPolicy],
}

/// Every compiled policy of a program, with their typed groups.
#[derive(Debug, Clone, Copy)]
pub struct Registry {
    policies: &'static [&'static Policy],
    groups: &'static [TypedGroup],
}

/// What a policy did on a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// `policy()` returned `True`: the resource is compliant.
    Pass,
    /// `policy()` returned `False`: an alert.
    Alert,
    /// `policy()` raised, or the resource could not be read as its type.
    Error,
}

impl Status {
    /// `pass`, `alert` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Alert => "alert",
            Status::Error => "error",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of one policy on one resource, with its auxiliary outputs.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The policy.
    pub policy: &'static Policy,
    /// `Ok(true)` compliant, `Ok(false)` alert, `Err` when it raised.
    pub result: Result<bool, EvalError>,
    /// When it alerted and auxiliary outputs were asked for: `title`,
    /// `dedup`, … in Panther's order, each rendered or the exception.
    pub aux: Vec<(AuxFn, Result<String, PolicyError>)>,
}

impl Evaluation {
    fn new(policy: &'static Policy, detection: Detection) -> Self {
        Evaluation { policy, result: detection.result.map_err(EvalError::Exception), aux: detection.aux }
    }

    fn failed(policy: &'static Policy, error: EvalError) -> Self {
        Evaluation { policy, result: Err(error), aux: Vec::new() }
    }

    /// Pass, alert or error.
    pub fn status(&self) -> Status {
        match self.result {
            Ok(true) => Status::Pass,
            Ok(false) => Status::Alert,
            Err(_) => Status::Error,
        }
    }

    /// The output of auxiliary function `f`, if it ran and succeeded.
    pub fn output(&self, f: AuxFn) -> Option<&str> {
        self.aux.iter().find(|(g, _)| *g == f).and_then(|(_, r)| r.as_ref().ok()).map(String::as_str)
    }
}

/// Why a record could not be read as a resource. Each kind has a stable
/// code (`R01xx`, listed with the diagnostic codes in
/// `pounce_codegen::codes`) that `pounce scan` prints with the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvalidKind {
    /// Not JSON: a syntax error, or the text ends too early.
    NotJson,
    /// JSON nested more deeply than the reader allows (128 levels).
    TooDeep,
    /// JSON, but not an object.
    NotObject,
    /// Bytes that are not UTF-8 (found by the scanner's reader).
    NotUtf8,
    /// A JSON array input that ends before its closing `]` (found by the
    /// scanner's reader).
    UnclosedArray,
}

impl InvalidKind {
    /// Every kind, in code order.
    pub const ALL: &'static [InvalidKind] =
        &[InvalidKind::NotJson, InvalidKind::TooDeep, InvalidKind::NotObject, InvalidKind::NotUtf8, InvalidKind::UnclosedArray];

    /// The stable code (`R0101`).
    pub fn code(self) -> &'static str {
        match self {
            InvalidKind::NotJson => "R0101",
            InvalidKind::TooDeep => "R0102",
            InvalidKind::NotObject => "R0103",
            InvalidKind::NotUtf8 => "R0104",
            InvalidKind::UnclosedArray => "R0105",
        }
    }

    /// A one-line description.
    pub fn summary(self) -> &'static str {
        match self {
            InvalidKind::NotJson => "the record is not JSON",
            InvalidKind::TooDeep => "the record is nested more than 128 levels deep",
            InvalidKind::NotObject => "the record is JSON but not an object",
            InvalidKind::NotUtf8 => "the record is not UTF-8",
            InvalidKind::UnclosedArray => "the JSON array input is not closed",
        }
    }
}

/// A resource that could not be read at all (not JSON, or not an object).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidResource {
    /// What is wrong, with its code.
    pub kind: InvalidKind,
    /// The reader's message (serde_json's, with line and column within the
    /// record).
    pub message: String,
}

impl InvalidResource {
    /// A record of `kind`.
    pub fn new(kind: InvalidKind, message: impl Into<String>) -> Self {
        InvalidResource { kind, message: message.into() }
    }

    /// A record that serde_json could not read.
    pub fn from_json(e: &serde_json::Error) -> Self {
        let message = e.to_string();
        let kind = if message.starts_with("recursion limit exceeded") {
            InvalidKind::TooDeep
        } else if e.is_data() {
            // serde_json reports a struct that received another JSON kind
            // as a data error; our readers accept every kind but that of
            // the whole record.
            InvalidKind::NotObject
        } else {
            InvalidKind::NotJson
        };
        InvalidResource { kind, message }
    }
}

impl fmt::Display for InvalidResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidResource {}

/// What [`Plan`] learnt about a resource it evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Its `ResourceType`, when it has one (a string).
    pub resource_type: Option<String>,
    /// Its ID (`ResourceId`, `ResourceID`, `ARN`, `Arn`, `Id`, `ID` or
    /// `Name`, the first present), read when a selected policy did not pass
    /// or has suppressions.
    pub resource_id: Option<String>,
    /// How many evaluations were added.
    pub evaluations: usize,
    /// How many selected policies skipped the resource because its ID
    /// matched one of their `Suppressions`.
    pub suppressed: usize,
}

/// The keys a resource's ID is read from, in order.
pub const RESOURCE_ID_KEYS: [&str; 7] = ["ResourceId", "ResourceID", "ARN", "Arn", "Id", "ID", "Name"];

impl Registry {
    /// A registry of `policies` (sorted by `PolicyID`) and their typed
    /// `groups` (sorted by resource type).
    pub const fn new(policies: &'static [&'static Policy], groups: &'static [TypedGroup]) -> Self {
        Registry { policies, groups }
    }

    /// A registry without typed groups: each policy reads JSON resources
    /// itself.
    ///
    /// ```
    /// use pounce_runtime::registry::Registry;
    /// static REGISTRY: Registry = Registry::from_policies(&[]);
    /// assert!(REGISTRY.is_empty());
    /// ```
    pub const fn from_policies(policies: &'static [&'static Policy]) -> Self {
        Registry { policies, groups: &[] }
    }

    /// Every policy, sorted by `PolicyID`.
    pub fn policies(&self) -> &'static [&'static Policy] {
        self.policies
    }

    /// The typed groups, sorted by resource type.
    pub fn groups(&self) -> &'static [TypedGroup] {
        self.groups
    }

    /// How many policies there are.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// The policy with `PolicyID` `id`.
    pub fn get(&self, id: &str) -> Option<&'static Policy> {
        match self.policies.binary_search_by(|p| p.meta.id.cmp(id)) {
            Ok(i) => self.policies.get(i).copied(),
            // Not sorted (a hand-made list): search it all.
            Err(_) => self.policies.iter().copied().find(|p| p.meta.id == id),
        }
    }

    /// The policies that apply to resources of type `resource_type`: those
    /// listing it, and those listing no type (every resource).
    pub fn for_resource_type<'s>(&self, resource_type: &'s str) -> impl Iterator<Item = &'static Policy> + 's {
        self.policies.iter().copied().filter(move |p| applies(p, resource_type))
    }

    /// The typed group of `resource_type`.
    pub fn group(&self, resource_type: &str) -> Option<&'static TypedGroup> {
        self.groups.get(self.group_index(resource_type)?)
    }

    /// The position of `resource_type`'s group in [`Registry::groups`].
    fn group_index(&self, resource_type: &str) -> Option<usize> {
        match self.groups.binary_search_by(|g| g.resource_type.cmp(resource_type)) {
            Ok(i) => Some(i),
            // Not sorted (a hand-made list): search it all.
            Err(_) => self.groups.iter().position(|g| g.resource_type == resource_type),
        }
    }

    /// A plan over the policies for which `select` is true; build it once
    /// and evaluate many resources with it.
    pub fn plan(&self, select: impl Fn(&Policy) -> bool) -> Plan {
        Plan::new(*self, &select)
    }

    /// Evaluates every **enabled** policy of the resource's type on a typed
    /// struct, without copying it (when the registry has typed groups),
    /// with auxiliary outputs for alerts.
    ///
    /// ```
    /// use pounce_runtime::registry::Registry;
    /// use pounce_runtime::{resources::Ami, DefaultContext};
    ///
    /// static REGISTRY: Registry = Registry::new(&[], &[]);
    /// let ami = Ami::default();
    /// assert!(REGISTRY.evaluate(&ami, &DefaultContext).is_empty());
    /// ```
    pub fn evaluate<R: Resource + Serialize + 'static>(&self, resource: &R, ctx: &dyn Context) -> Vec<Evaluation> {
        let mut out = Vec::new();
        self.plan(enabled).evaluate(resource, ctx, true, &mut out);
        out
    }

    /// Evaluates every **enabled** policy of the resource's `ResourceType`
    /// on a JSON value, with auxiliary outputs for alerts.
    ///
    /// ```
    /// use pounce_runtime::registry::Registry;
    /// use pounce_runtime::{serde_json::json, DefaultContext};
    ///
    /// static REGISTRY: Registry = Registry::new(&[], &[]);
    /// let found = REGISTRY.evaluate_json(&json!({"ResourceType": "AWS.S3.Bucket"}), &DefaultContext);
    /// assert!(found.is_empty());
    /// ```
    pub fn evaluate_json(&self, value: &serde_json::Value, ctx: &dyn Context) -> Vec<Evaluation> {
        let mut out = Vec::new();
        self.plan(enabled).evaluate_json(value, ctx, true, &mut out);
        out
    }

    /// Evaluates every **enabled** policy of the resource's `ResourceType`
    /// on JSON text, with auxiliary outputs for alerts; `Err` when the text
    /// is not a JSON object.
    pub fn evaluate_str(&self, text: &str, ctx: &dyn Context) -> Result<Vec<Evaluation>, InvalidResource> {
        let mut out = Vec::new();
        self.plan(enabled).evaluate_str(text, ctx, true, &mut out)?;
        Ok(out)
    }

    /// Evaluates one policy on JSON text, whatever the resource's type (as
    /// `Policy::detect_json` does), reading the text straight into the
    /// policy's struct when it can. `aux`: also run the auxiliary
    /// functions when it alerts.
    pub fn evaluate_policy_str(
        &self,
        policy: &'static Policy,
        text: &str,
        ctx: &dyn Context,
        aux: bool,
    ) -> Result<Evaluation, InvalidResource> {
        // The record's type, or (a record without one, as the embedded
        // tests are) the policy's only type: then the text is read straight
        // into that struct, as `policy()` would read it from a `Value`.
        let guess = quick_resource_type(text);
        let rt = guess.or(match policy.meta.resource_types {
            [only] => Some(*only),
            _ => None,
        });
        if let Some(rt) = rt {
            let typed = self
                .group(rt)
                .filter(|_| applies_listed(policy, rt))
                .and_then(|g| g.policies.iter().find(|tp| std::ptr::eq(tp.policy, policy)).map(|tp| (g, tp)));
            if let Some((group, tp)) = typed {
                if let Ok(resource) = (group.parse_str)(text) {
                    let object = resource.as_object();
                    let fits = match guess {
                        Some(_) => has_type(object, rt),
                        None => object.py_get("ResourceType").is_none(),
                    };
                    if fits {
                        if let Some(detection) = run_typed(tp, resource.as_ref(), ctx, aux) {
                            return Ok(Evaluation::new(policy, detection));
                        }
                    }
                }
            }
        }
        let value = parse_value(text)?;
        Ok(run_json(policy, &value, ctx, aux))
    }
}

fn enabled(p: &Policy) -> bool {
    p.meta.enabled
}

fn applies(p: &Policy, resource_type: &str) -> bool {
    p.meta.resource_types.is_empty() || applies_listed(p, resource_type)
}

fn applies_listed(p: &Policy, resource_type: &str) -> bool {
    p.meta.resource_types.contains(&resource_type)
}

/// The selected policies of a registry, indexed for dispatch by resource
/// type. Build it once with [`Registry::plan`]; it is `Send + Sync`, so
/// one plan serves every thread of a scanner.
#[derive(Debug, Clone)]
pub struct Plan {
    registry: Registry,
    /// Per typed group (same order): the indices of its selected policies.
    typed: Vec<Vec<usize>>,
    /// Per typed group (same order): the declared fields to read from
    /// text, when every selected policy names the keys it reads.
    only: Vec<Option<Vec<bool>>>,
    /// Selected policies of each type that have no typed entry, sorted by
    /// type.
    json: Vec<(&'static str, Vec<&'static Policy>)>,
    /// Selected policies listing no resource type: they see every resource.
    everywhere: Vec<&'static Policy>,
    selected: Vec<&'static Policy>,
    /// When set, only resources of these types are evaluated.
    types: Option<Vec<String>>,
}

impl Plan {
    fn new(registry: Registry, select: &dyn Fn(&Policy) -> bool) -> Self {
        let selected: Vec<&'static Policy> = registry.policies.iter().copied().filter(|p| select(p)).collect();
        let typed: Vec<Vec<usize>> = registry
            .groups
            .iter()
            .map(|g| {
                g.policies
                    .iter()
                    .enumerate()
                    .filter(|(_, tp)| selected.iter().any(|p| std::ptr::eq(*p, tp.policy)))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let mut json: Vec<(&'static str, Vec<&'static Policy>)> = Vec::new();
        let mut everywhere = Vec::new();
        for &p in &selected {
            if p.meta.resource_types.is_empty() {
                everywhere.push(p);
                continue;
            }
            for &rt in p.meta.resource_types {
                let in_group =
                    registry.group(rt).is_some_and(|g| g.policies.iter().any(|tp| std::ptr::eq(tp.policy, p)));
                if in_group {
                    continue;
                }
                match json.binary_search_by(|(t, _)| t.cmp(&rt)) {
                    Ok(i) => {
                        if let Some((_, list)) = json.get_mut(i) {
                            if !list.iter().any(|q| std::ptr::eq(*q, p)) {
                                list.push(p);
                            }
                        }
                    }
                    Err(i) => json.insert(i, (rt, vec![p])),
                }
            }
        }
        let only = registry.groups.iter().zip(&typed).map(|(g, sel)| read_mask(g, sel)).collect();
        Plan { registry, typed, only, json, everywhere, selected, types: None }
    }

    /// The same plan, evaluating only resources whose `ResourceType` is
    /// one of `types` (others get no evaluations).
    #[must_use]
    pub fn only_types(mut self, types: &[String]) -> Self {
        self.types = Some(types.to_vec());
        self
    }

    fn allowed(&self, resource_type: Option<&str>) -> bool {
        match (&self.types, resource_type) {
            (None, _) => true,
            (Some(types), Some(rt)) => types.iter().any(|t| t == rt),
            (Some(_), None) => false,
        }
    }

    fn everywhere_for(&self, resource_type: Option<&str>) -> &[&'static Policy] {
        if self.allowed(resource_type) {
            &self.everywhere
        } else {
            &[]
        }
    }

    /// The selected policies, sorted by `PolicyID`.
    pub fn policies(&self) -> &[&'static Policy] {
        &self.selected
    }

    /// Whether some selected policy applies to `resource_type`.
    pub fn covers(&self, resource_type: &str) -> bool {
        !self.everywhere_for(Some(resource_type)).is_empty()
            || self.typed_for(resource_type).is_some_and(|(_, s, _)| !s.is_empty())
            || !self.json_for(resource_type).is_empty()
    }

    /// The typed group of `resource_type`, its selected policies, and the
    /// fields a read from text needs (`None`: all).
    fn typed_for(&self, resource_type: &str) -> Option<(&'static TypedGroup, &[usize], Option<&[bool]>)> {
        if !self.allowed(Some(resource_type)) {
            return None;
        }
        let i = self.registry.group_index(resource_type)?;
        Some((self.registry.groups.get(i)?, self.typed.get(i)?.as_slice(), self.only.get(i)?.as_deref()))
    }

    fn json_for(&self, resource_type: &str) -> &[&'static Policy] {
        if !self.allowed(Some(resource_type)) {
            return &[];
        }
        match self.json.binary_search_by(|(t, _)| (*t).cmp(resource_type)) {
            Ok(i) => self.json.get(i).map_or(&[], |(_, l)| l.as_slice()),
            Err(_) => &[],
        }
    }

    /// Evaluates the selected policies on a typed struct, without copying
    /// it; policies without a typed entry see it as JSON. Appends to `out`;
    /// `aux`: run the auxiliary functions of alerts.
    pub fn evaluate<R: Resource + Serialize + 'static>(
        &self,
        resource: &R,
        ctx: &dyn Context,
        aux: bool,
        out: &mut Vec<Evaluation>,
    ) -> Record {
        let mut record = Record::default();
        let rt = R::RESOURCE_TYPE;
        record.resource_type = Some(rt.to_owned());
        if let Some((group, sel, _)) = self.typed_for(rt).filter(|(_, s, _)| !s.is_empty()) {
            self.run_selected(group, sel, resource, ctx, aux, out, &mut record);
        }
        let others = self.json_for(rt).iter().chain(self.everywhere_for(Some(rt)));
        if others.clone().next().is_some() {
            match serde_json::to_value(resource) {
                Ok(value) => self.run_json_list(others, &value, ctx, aux, out, &mut record),
                Err(e) => {
                    for &p in others {
                        out.push(Evaluation::failed(p, EvalError::Resource(e.to_string())));
                        record.evaluations += 1;
                    }
                }
            }
        }
        finish(&mut record, out, || resource_id(resource));
        record
    }

    /// Evaluates the selected policies of the value's `ResourceType` on a
    /// JSON value. Appends to `out`.
    pub fn evaluate_json(
        &self,
        value: &serde_json::Value,
        ctx: &dyn Context,
        aux: bool,
        out: &mut Vec<Evaluation>,
    ) -> Record {
        let mut record = Record::default();
        let rt = value.get("ResourceType").and_then(serde_json::Value::as_str);
        record.resource_type = rt.map(str::to_owned);
        if let Some(rt) = rt {
            if let Some((group, sel, _)) = self.typed_for(rt).filter(|(_, s, _)| !s.is_empty()) {
                match (group.parse_json)(value) {
                    Ok(resource) => self.run_selected(group, sel, resource.as_ref(), ctx, aux, out, &mut record),
                    Err(msg) => fail_selected(group, sel, &msg, out, &mut record),
                }
            }
            self.run_json_list(self.json_for(rt).iter(), value, ctx, aux, out, &mut record);
        }
        self.run_json_list(self.everywhere_for(rt).iter(), value, ctx, aux, out, &mut record);
        finish(&mut record, out, || json_resource_id(value));
        record
    }

    /// Evaluates the selected policies of the resource's `ResourceType` on
    /// one JSON text (a line of JSON Lines, an element of an array). The
    /// text is read once, straight into the struct of its type, when the
    /// registry has typed groups. Appends to `out`; `Err` when the text is
    /// not JSON (nothing is appended then).
    pub fn evaluate_str(
        &self,
        text: &str,
        ctx: &dyn Context,
        aux: bool,
        out: &mut Vec<Evaluation>,
    ) -> Result<Record, InvalidResource> {
        if let Some(rt) = quick_resource_type(text) {
            let typed = self.typed_for(rt).filter(|(_, s, _)| !s.is_empty());
            let others = self.json_for(rt).len() + self.everywhere_for(Some(rt)).len();
            match typed {
                None if others == 0 && text.trim_start().starts_with('{') => {
                    // Nothing applies to the guessed type. Read just the
                    // type (which validates the text): when the guess is
                    // right, there is nothing to evaluate.
                    match serde_json::from_str::<Head>(text) {
                        Err(e) => return Err(InvalidResource::from_json(&e)),
                        Ok(head) if head.resource_type.as_ref().and_then(serde_json::Value::as_str) == Some(rt) => {
                            return Ok(Record { resource_type: Some(rt.to_owned()), ..Record::default() });
                        }
                        Ok(_) => {}
                    }
                }
                Some((group, sel, only)) if others == 0 => {
                    let resource = match only {
                        Some(only) => (group.parse_str_only)(text, only),
                        None => (group.parse_str)(text),
                    }
                    ?;
                    // The guess came from the first `"ResourceType"` in the
                    // text; it is right when the resource says so.
                    if has_type(resource.as_object(), rt) {
                        let mut record = Record { resource_type: Some(rt.to_owned()), ..Record::default() };
                        self.run_selected(group, sel, resource.as_ref(), ctx, aux, out, &mut record);
                        finish(&mut record, out, || resource_id(resource.as_object()));
                        return Ok(record);
                    }
                }
                _ => {}
            }
        }
        let value = parse_value(text)?;
        if !value.is_object() {
            return Err(InvalidResource::new(InvalidKind::NotObject, format!("expected a JSON object, got {}", json_kind(&value))));
        }
        Ok(self.evaluate_json(&value, ctx, aux, out))
    }

    #[expect(clippy::too_many_arguments, reason = "internal; one call per path")]
    fn run_selected(
        &self,
        group: &'static TypedGroup,
        selected: &[usize],
        resource: &dyn AnyResource,
        ctx: &dyn Context,
        aux: bool,
        out: &mut Vec<Evaluation>,
        record: &mut Record,
    ) {
        let mut id: Option<Option<String>> = None;
        for tp in selected.iter().filter_map(|&i| group.policies.get(i)) {
            let policy = tp.policy;
            if !policy.meta.suppressions.is_empty() {
                let id = id.get_or_insert_with(|| resource_id(resource.as_object()));
                if suppressed(policy, id.as_deref()) {
                    record.suppressed += 1;
                    continue;
                }
            }
            let evaluation = match run_typed(tp, resource, ctx, aux) {
                Some(d) => Evaluation::new(policy, d),
                None => Evaluation::failed(policy, EvalError::Resource(format!("not a {}", group.resource_type))),
            };
            out.push(evaluation);
            record.evaluations += 1;
        }
    }

    fn run_json_list<'p>(
        &self,
        policies: impl Iterator<Item = &'p &'static Policy>,
        value: &serde_json::Value,
        ctx: &dyn Context,
        aux: bool,
        out: &mut Vec<Evaluation>,
        record: &mut Record,
    ) {
        for &policy in policies {
            if !policy.meta.suppressions.is_empty() && suppressed(policy, json_resource_id(value).as_deref()) {
                record.suppressed += 1;
                continue;
            }
            out.push(run_json(policy, value, ctx, aux));
            record.evaluations += 1;
        }
    }
}

fn fail_selected(group: &TypedGroup, selected: &[usize], msg: &str, out: &mut Vec<Evaluation>, record: &mut Record) {
    for tp in selected.iter().filter_map(|&i| group.policies.get(i)) {
        out.push(Evaluation::failed(tp.policy, EvalError::Resource(msg.to_owned())));
        record.evaluations += 1;
    }
}

/// Reads the resource ID into `record` when some evaluation did not pass.
fn finish(record: &mut Record, out: &[Evaluation], id: impl FnOnce() -> Option<String>) {
    let first = out.len().saturating_sub(record.evaluations);
    let any_finding = out.get(first..).unwrap_or_default().iter().any(|e| e.status() != Status::Pass);
    if record.resource_id.is_none() && (any_finding || record.suppressed > 0) {
        record.resource_id = id();
    }
}

fn run_typed(tp: &TypedPolicy, resource: &dyn AnyResource, ctx: &dyn Context, aux: bool) -> Option<Detection> {
    if aux {
        (tp.detect)(resource, ctx)
    } else {
        (tp.eval)(resource, ctx).map(|result| Detection { result, aux: Vec::new() })
    }
}

fn run_json(policy: &'static Policy, value: &serde_json::Value, ctx: &dyn Context, aux: bool) -> Evaluation {
    if aux {
        match (policy.detect_json)(value, ctx) {
            Ok(d) => Evaluation::new(policy, d),
            Err(e) => Evaluation::failed(policy, e),
        }
    } else {
        Evaluation { policy, result: (policy.eval_json)(value, ctx), aux: Vec::new() }
    }
}

/// The top-level `ResourceType` of a JSON object, every other key skipped.
#[derive(serde::Deserialize)]
struct Head {
    #[serde(rename = "ResourceType")]
    resource_type: Option<serde_json::Value>,
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn parse_value(text: &str) -> Result<serde_json::Value, InvalidResource> {
    serde_json::from_str(text).map_err(|e| InvalidResource::from_json(&e))
}

/// Whether the resource's `ResourceType` is `resource_type`.
fn has_type(resource: &dyn Object, resource_type: &str) -> bool {
    resource.py_get("ResourceType").is_some_and(|v| v.as_str() == Some(resource_type))
}

/// A resource's ID: the first of [`RESOURCE_ID_KEYS`] holding a string.
pub fn resource_id(resource: &dyn Object) -> Option<String> {
    RESOURCE_ID_KEYS.iter().find_map(|k| resource.py_get(k).and_then(|v| v.as_str().map(str::to_owned)))
}

/// A JSON resource's ID: the first of [`RESOURCE_ID_KEYS`] holding a string.
pub fn json_resource_id(value: &serde_json::Value) -> Option<String> {
    RESOURCE_ID_KEYS.iter().find_map(|k| value.get(k).and_then(serde_json::Value::as_str).map(str::to_owned))
}

/// Whether `policy`'s `Suppressions` (glob patterns: `*`, `?`) match the
/// resource ID.
fn suppressed(policy: &Policy, id: Option<&str>) -> bool {
    id.is_some_and(|id| policy.meta.suppressions.iter().any(|pat| glob_match(pat.as_bytes(), id.as_bytes())))
}

/// `fnmatch`-style matching of `*` and `?` (case-sensitive).
fn glob_match(pat: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || Some(&c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pat.get(p..).unwrap_or_default().iter().all(|&c| c == b'*')
}

/// The `ResourceType` of a JSON object's text, found without parsing it:
/// the string after the first `"ResourceType"` key, when it has no escapes.
/// A guess — the caller checks it against the parsed resource.
pub fn quick_resource_type(text: &str) -> Option<&str> {
    const KEY: &str = "\"ResourceType\"";
    // The key is usually near the end of a Panther resource: a vectorised
    // search, built once (`str::split_once` was 3% of a scan).
    static FINDER: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let at = FINDER.get_or_init(|| memchr::memmem::Finder::new(KEY)).find(text.as_bytes())?;
    let rest = text.get(at + KEY.len()..)?;
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    let (value, _) = rest.split_once('"')?;
    (!value.contains('\\')).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_registries_are_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Plan>();
        shared::<Registry>();
        shared::<TypedGroup>();
    }

    #[test]
    fn quick_type_reads_the_first_resource_type_key() {
        assert_eq!(quick_resource_type(r#"{"A":1, "ResourceType" : "AWS.EC2.AMI","B":2}"#), Some("AWS.EC2.AMI"));
        assert_eq!(quick_resource_type(r#"{"ResourceTypes":["x"]}"#), None);
        assert_eq!(quick_resource_type(r#"{"ResourceType":"A\"B"}"#), None);
        assert_eq!(quick_resource_type(r#"{"ResourceType":null}"#), None);
    }

    #[test]
    fn globs_match_like_fnmatch() {
        assert!(glob_match(b"arn:aws:s3:::*", b"arn:aws:s3:::bucket"));
        assert!(glob_match(b"*-logs", b"my-logs"));
        assert!(glob_match(b"a?c", b"abc"));
        assert!(!glob_match(b"a?c", b"abbc"));
        assert!(glob_match(b"*", b""));
        assert!(!glob_match(b"abc", b"ab"));
        assert!(glob_match(b"a*b*c", b"aXbYbZc"));
    }
}
