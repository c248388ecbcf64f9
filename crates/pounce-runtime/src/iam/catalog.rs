//! The catalogue of AWS service actions: every permission `prefix:action`
//! (lower-cased) with its access level.
//!
//! The data is `data/iam/actions.tsv` (see `data/iam/PROVENANCE.md`),
//! embedded at build time and parsed once, on first use. Permissions are
//! kept sorted by name, so the permissions that share a prefix (`s3:get`)
//! form one contiguous range of ids: that is what makes wildcard expansion
//! and minimisation cheap.

use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
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
    /// Every access level, in [`Category::index`] order.
    pub const ALL: [Category; 5] = [Category::List, Category::Read, Category::Write, Category::Tagging, Category::Permissions];

    /// The position of the access level in [`Category::ALL`].
    pub fn index(self) -> usize {
        match self {
            Category::List => 0,
            Category::Read => 1,
            Category::Write => 2,
            Category::Tagging => 3,
            Category::Permissions => 4,
        }
    }

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
    /// Every name (`prefix:action`), concatenated in sorted order (byte
    /// order, which is code-point order).
    text: String,
    /// The end of each name in `text` (a name starts where the previous
    /// one ends).
    ends: Vec<u32>,
    /// The access level of each name.
    categories: Vec<Category>,
    /// Distinct service prefixes, sorted.
    services: Vec<Box<str>>,
    /// The index in `services` of each name's service.
    service_of: Vec<u16>,
    /// Open-addressing hash index of the names: `id + 1`, 0 when empty;
    /// a power-of-two length at least twice the number of names.
    index: Vec<u32>,
    /// The ids of bitset word `w` (ids `64 w .. 64 w + 64`) by service:
    /// `runs[word_runs[w]..word_runs[w + 1]]`, each `(service, mask)`.
    runs: Vec<(u16, u64)>,
    word_runs: Vec<u32>,
    /// The ids of bitset word `w` of each access level
    /// ([`Category::index`] order).
    level_bits: Vec<[u64; 5]>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("services", &self.services.len()).field("actions", &self.ends.len()).finish()
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
        // (prefix, its actions): the lines of one prefix are merged.
        let mut groups: Vec<(&str, Vec<(&str, Category)>)> = Vec::new();
        let mut group_of: std::collections::HashMap<&str, usize, FxBuild> = Default::default();
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
            let g = *group_of.entry(prefix).or_insert_with(|| {
                groups.push((prefix, Vec::new()));
                groups.len() - 1
            });
            let Some((_, members)) = groups.get_mut(g) else { return Err("internal error".to_owned()) };
            for action in actions.split(' ') {
                if action.is_empty() || action.contains(':') || action.chars().any(char::is_uppercase) {
                    return Err(format!("line {}: bad action name {action:?}", n + 1));
                }
                members.push((action, category));
            }
        }
        // Names sort as `prefix:` then action: no `prefix:` is a proper
        // prefix of another (prefixes have no `:`), so sorting the groups
        // by `prefix:` and each group by action sorts every name, without
        // comparing whole names.
        groups.sort_unstable_by(|a, b| a.0.bytes().chain(*b":").cmp(b.0.bytes().chain(*b":")));
        let mut services: Vec<Box<str>> = groups.iter().map(|(p, _)| Box::from(*p)).collect();
        services.sort_unstable();
        let mut text = String::new();
        let mut ends = Vec::new();
        let mut categories = Vec::new();
        let mut service_of = Vec::new();
        for (prefix, members) in &mut groups {
            members.sort_unstable_by(|a, b| a.0.cmp(b.0));
            if let Some(w) = members.windows(2).find(|w| matches!(w, [a, b] if a.0 == b.0)) {
                return Err(format!("{prefix}:{} is listed twice", w.first().map_or("?", |e| e.0)));
            }
            let s = services.binary_search_by(|p| (**p).cmp(prefix)).map_err(|_| format!("no service for {prefix}"))?;
            let s = u16::try_from(s).map_err(|_| "too many services".to_owned())?;
            for (action, category) in members.iter() {
                text.push_str(prefix);
                text.push(':');
                text.push_str(action);
                ends.push(u32::try_from(text.len()).map_err(|_| "the catalogue is too large".to_owned())?);
                categories.push(*category);
                service_of.push(s);
            }
        }
        let mut catalog = Catalog {
            text,
            ends,
            categories,
            services,
            service_of,
            index: Vec::new(),
            runs: Vec::new(),
            word_runs: Vec::new(),
            level_bits: Vec::new(),
        };
        catalog.index = catalog.build_index()?;
        catalog.build_word_tables();
        Ok(catalog)
    }

    /// Fills `runs`, `word_runs` and `level_bits`.
    fn build_word_tables(&mut self) {
        let words = self.len().div_ceil(64);
        self.word_runs.push(0);
        for w in 0..words {
            let mut levels = [0u64; 5];
            let word_start = self.runs.len();
            for bit in 0..64 {
                let i = w * 64 + bit;
                let (Some(&service), Some(&category)) = (self.service_of.get(i), self.categories.get(i)) else { break };
                let mask = 1u64 << bit;
                let in_word = self.runs.len() > word_start;
                match self.runs.last_mut() {
                    Some((s, m)) if in_word && *s == service => *m |= mask,
                    _ => self.runs.push((service, mask)),
                }
                if let Some(l) = levels.get_mut(category.index()) {
                    *l |= mask;
                }
            }
            self.level_bits.push(levels);
            self.word_runs.push(u32::try_from(self.runs.len()).unwrap_or(u32::MAX));
        }
    }

    fn build_index(&self) -> Result<Vec<u32>, String> {
        let size = (self.len() * 2).next_power_of_two().max(16);
        let mut index = vec![0u32; size];
        let mask = size - 1;
        for i in 0..self.len() {
            let id = ActionId::try_from(i).map_err(|_| "too many actions".to_owned())?;
            let mut slot = fx_hash(self.name(id).as_bytes()) & mask;
            while index.get(slot).is_some_and(|s| *s != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(s) = index.get_mut(slot) {
                *s = id + 1;
            }
        }
        Ok(index)
    }

    /// How many permissions there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The distinct service prefixes, sorted.
    pub fn services(&self) -> impl Iterator<Item = &str> {
        self.services.iter().map(|s| &**s)
    }

    /// The name (`s3:getobject`) of permission `id`; `""` when out of range.
    pub fn name(&self, id: ActionId) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).map_or(0, |e| *e as usize),
            None => 0,
        };
        let end = self.ends.get(i).map_or(start, |e| *e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// The services of the ids of bitset word `w`, as `(service index,
    /// mask of the word's bits)`.
    pub(crate) fn word_runs(&self, w: usize) -> &[(u16, u64)] {
        let (Some(&start), Some(&end)) = (self.word_runs.get(w), self.word_runs.get(w + 1)) else { return &[] };
        self.runs.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The ids of bitset word `w` of each access level.
    pub(crate) fn level_bits(&self, w: usize) -> [u64; 5] {
        self.level_bits.get(w).copied().unwrap_or_default()
    }

    /// The service with index `s` (in [`Catalog::services`] order).
    pub fn service_name(&self, s: usize) -> &str {
        self.services.get(s).map_or("", |s| s)
    }

    /// The index of the service `prefix` (in [`Catalog::services`] order).
    pub fn service_index(&self, prefix: &str) -> Option<usize> {
        self.services.binary_search_by(|p| (**p).cmp(prefix)).ok()
    }

    /// The index of permission `id`'s service.
    pub fn service_index_of(&self, id: ActionId) -> Option<usize> {
        self.service_of.get(id as usize).map(|s| usize::from(*s))
    }

    /// The access level of permission `id`.
    pub fn category(&self, id: ActionId) -> Option<Category> {
        self.categories.get(id as usize).copied()
    }

    /// The service prefix of permission `id` (`s3`).
    pub fn service(&self, id: ActionId) -> &str {
        self.service_of.get(id as usize).and_then(|s| self.services.get(usize::from(*s))).map_or("", |s| s)
    }

    /// The id of the permission named exactly `name` (case-sensitive, as
    /// policyuniverse's set and dict lookups are).
    pub fn id(&self, name: &str) -> Option<ActionId> {
        let mask = self.index.len().checked_sub(1)?;
        let mut slot = fx_hash(name.as_bytes()) & mask;
        loop {
            let entry = *self.index.get(slot)?;
            let id = entry.checked_sub(1)?;
            if self.name(id) == name {
                return Some(id);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The ids of the permissions whose names start with `prefix`.
    pub fn prefix_range(&self, prefix: &str) -> Range<usize> {
        let n = self.len();
        let at = |i: usize| self.name(ActionId::try_from(i).unwrap_or(ActionId::MAX));
        let lo = partition_point(n, |i| at(i) < prefix);
        let hi = lo + partition_point(n - lo, |k| at(lo + k).starts_with(prefix));
        lo..hi
    }
}

/// The first `i` in `0..n` for which `pred` is false (`pred` is true, then
/// false).
fn partition_point(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// A fast non-cryptographic hash of a short string.
pub(crate) fn fx_hash(bytes: &[u8]) -> usize {
    let mut h = FxHasher::default();
    h.write(bytes);
    #[expect(clippy::cast_possible_truncation, reason = "a hash: dropping high bits is fine")]
    let h = h.finish() as usize;
    h
}

/// The rustc `FxHash` mix, eight bytes at a time: fast for the short keys
/// of IAM documents (not resistant to collisions chosen by an attacker,
/// which would only slow one evaluation down).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.mix(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// `HashSet`/`HashMap` state using [`FxHasher`].
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
