//! The catalogue of AWS service actions: every permission `prefix:action`
//! (lower-cased) with its access level.
//!
//! The data is `data/iam/actions.tsv` (see `data/iam/PROVENANCE.md`),
//! embedded at build time and parsed once, on first use. Permissions are
//! kept sorted by name, so the permissions that share a prefix (`s3:get`)
//! form one contiguous range of ids: that is what makes wildcard expansion
//! and minimisation cheap.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use crate::error::{ExcKind, PolicyError, PyResult};

/// The embedded catalogue text.
const EMBEDDED: &str = include_str!("../../../../data/iam/actions.tsv");

/// The index of a permission in the [`Catalog`] (its rank by name).
pub type ActionId = u32;

/// An access level, as policyuniverse's `calculated_action_group` names
/// it (translated from AWS's action groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Lists resources.
    List,
    /// Reads data or configuration.
    Read,
    /// Creates, changes or deletes.
    Write,
    /// Changes tags.
    Tagging,
    /// Changes permissions.
    Permissions,
}

impl Category {
    /// The name policyuniverse gives it (`"Write"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::List => "List",
            Category::Read => "Read",
            Category::Write => "Write",
            Category::Tagging => "Tagging",
            Category::Permissions => "Permissions",
        }
    }

    /// The category named `name` (exact spelling).
    pub fn from_name(name: &str) -> Option<Category> {
        Some(match name {
            "List" => Category::List,
            "Read" => Category::Read,
            "Write" => Category::Write,
            "Tagging" => Category::Tagging,
            "Permissions" => Category::Permissions,
            _ => return None,
        })
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The permissions of every AWS service, sorted by name.
pub struct Catalog {
    /// `prefix:action`, sorted (byte order, which is code-point order).
    names: Vec<Box<str>>,
    /// The access level of each name.
    categories: Vec<Category>,
    /// Distinct service prefixes, sorted.
    services: Vec<Box<str>>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("services", &self.services.len()).field("actions", &self.names.len()).finish()
    }
}

static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();

impl Catalog {
    /// The embedded catalogue, parsed on first use.
    ///
    /// Fails only if the embedded file is malformed, which a unit test
    /// rules out.
    pub fn get() -> PyResult<&'static Catalog> {
        CATALOG.get_or_init(|| Catalog::parse(EMBEDDED)).as_ref().map_err(|e| {
            PolicyError::new(ExcKind::Other("RuntimeError"), format!("the embedded IAM action catalogue is invalid: {e}"))
        })
    }

    /// Parses catalogue text: `#` comment lines, then lines
    /// `prefix<TAB>Category<TAB>action action …`.
    pub fn parse(text: &str) -> Result<Catalog, String> {
        let mut entries: Vec<(Box<str>, Category)> = Vec::new();
        let mut services: Vec<Box<str>> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(prefix), Some(category), Some(actions), None) = (fields.next(), fields.next(), fields.next(), fields.next()) else {
                return Err(format!("line {}: expected 3 tab-separated fields", n + 1));
            };
            if prefix.is_empty() || prefix.contains([':', ' ']) {
                return Err(format!("line {}: bad service prefix {prefix:?}", n + 1));
            }
            let category = Category::from_name(category).ok_or_else(|| format!("line {}: unknown access level {category:?}", n + 1))?;
            for action in actions.split(' ') {
                if action.is_empty() || action.contains(':') || action.chars().any(char::is_uppercase) {
                    return Err(format!("line {}: bad action name {action:?}", n + 1));
                }
                entries.push((format!("{prefix}:{action}").into_boxed_str(), category));
            }
            services.push(prefix.into());
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = entries.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
            return Err(format!("{} is listed twice", w.first().map_or("?", |e| &e.0)));
        }
        if ActionId::try_from(entries.len()).is_err() {
            return Err("too many actions".to_owned());
        }
        services.sort_unstable();
        services.dedup();
        let (names, categories) = entries.into_iter().unzip();
        Ok(Catalog { names, categories, services })
    }

    /// How many permissions there are.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The distinct service prefixes, sorted.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.services.iter().map(|s| &**s)
    }

    /// The name (`s3:getobject`) of permission `id`; `""` when out of range.
    pub fn name(&self, id: ActionId) -> &str {
        self.names.get(id as usize).map_or("", |n| n)
    }

    /// The access level of permission `id`.
    pub fn category(&self, id: ActionId) -> Option<Category> {
        self.categories.get(id as usize).copied()
    }

    /// The service prefix of permission `id` (`s3`).
    pub fn service(&self, id: ActionId) -> &str {
        let name = self.name(id);
        name.split(':').next().unwrap_or(name)
    }

    /// The id of the permission named exactly `name` (case-sensitive, as
    /// policyuniverse's set and dict lookups are).
    pub fn id(&self, name: &str) -> Option<ActionId> {
        let i = self.names.binary_search_by(|n| (**n).cmp(name)).ok()?;
        ActionId::try_from(i).ok()
    }

    /// The ids of the permissions whose names start with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> Range<usize> {
        let lo = self.names.partition_point(|n| **n < *prefix);
        let len = self.names.get(lo..).map_or(0, |rest| rest.partition_point(|n| n.starts_with(prefix)));
        lo..lo + len
    }

    /// All names, in id order.
    pub(crate) fn names(&self) -> &[Box<str>] {
        &self.names
    }
}
