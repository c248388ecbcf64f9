//! `Val`: a borrowed view of a Python value.
//!
//! Generated code evaluates Python expressions to `Val`s. Values that come
//! from the resource are borrowed (`Str`, `Json`, `Obj`, `Seq`), module
//! constants are `'static` (`Const`), and values built at run time are
//! reference-counted. A `Val` never copies resource data.

use std::any::Any;
use std::cell::{Ref, RefCell, RefMut};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use indexmap::IndexMap;

use crate::consts::Const;
use crate::error::{PolicyError, PyResult};

/// A Python value as the generated code sees it.
#[derive(Clone)]
pub enum Val<'a> {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int` (within `i64`).
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(PyStr<'a>),
    /// A JSON array (`list`) or object (`dict`) of the resource. Scalars are
    /// never stored here: `Val::from_json` turns them into the variants above.
    Json(&'a serde_json::Value),
    /// A typed object of the resource; a `dict` to Python.
    Obj(&'a dyn Object),
    /// A typed list of the resource; a `list` to Python.
    Seq(&'a dyn Sequence),
    /// A module-level literal container (`list`, `tuple`, `set`, `dict`).
    Const(&'static Const),
    /// A `list` built at run time (shared and mutable, as in Python).
    List(Rc<ListCell<'a>>),
    /// A `tuple` built at run time.
    Tuple(Rc<TupleCell<'a>>),
    /// A `set` built at run time (shared and mutable).
    Set(Rc<SetCell<'a>>),
    /// A `dict` built at run time (shared and mutable).
    Dict(Rc<DictCell<'a>>),
    /// An object of a native type (`datetime`, `IPv4Network`, …).
    Native(Rc<dyn Native>),
    /// A test mock: a callable returning its `returnValue`.
    Mock(crate::policy::MockValue),
}

/// The elements of a run-time `set`, keyed by their hash key, in
/// insertion order.
pub type PySet<'a> = IndexMap<HKey<'a>, Val<'a>, PyHash>;

/// The entries of a run-time `dict`: hash key to `(key, value)`, in
/// insertion order.
pub type PyDict<'a> = IndexMap<HKey<'a>, (Val<'a>, Val<'a>), PyHash>;

/// The hasher of run-time `set`s and `dict`s: foldhash, seeded per
/// process (several times faster than SipHash on the short keys policies
/// use; the seed keeps colliding keys from being chosen in advance).
pub type PyHash = foldhash::fast::RandomState;

/// The storage of a run-time `list`.
pub type ListCell<'a> = LazyCell<Vec<Val<'a>>>;

/// The storage of a run-time `set`.
pub type SetCell<'a> = LazyCell<PySet<'a>>;

/// Elements that a `list` or `set` is made of until it is first read
/// element by element: a native producer of a large collection (the
/// expansion of `"*"` is 15,319 action names) hands this out instead of
/// building every element, and a native consumer that recognises it
/// (`Policy(expand_policy(...))`) reads its own representation back.
///
/// The producer promises that `items()` always returns the same `len()`
/// values, distinct and hashable when they make a set, and that
/// `contains(x)` is true exactly when one of them is equal (`==`) to `x`.
pub trait LazyItems {
    /// How many elements there are.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The elements, in order.
    fn items<'v>(&self) -> Vec<Val<'v>>;
    /// Whether an element is equal (`==`) to `item`.
    fn contains(&self, item: &Val<'_>) -> bool;
    /// The concrete producer, for downcasting.
    fn as_any(&self) -> &dyn Any;
}

/// A collection that can be built from a [`LazyItems`].
pub trait FromLazy {
    /// The collection of `source`'s elements.
    fn from_lazy(source: &dyn LazyItems) -> Self;
    /// How many elements there are.
    fn count(&self) -> usize;
}

impl FromLazy for Vec<Val<'_>> {
    fn from_lazy(source: &dyn LazyItems) -> Self {
        source.items()
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl FromLazy for PySet<'_> {
    fn count(&self) -> usize {
        self.len()
    }
    fn from_lazy(source: &dyn LazyItems) -> Self {
        let items = source.items();
        let mut set = PySet::with_capacity_and_hasher(items.len(), Default::default());
        for item in items {
            // The producer promises hashable elements.
            if let Ok(key) = crate::ops::hash_key(&item) {
                set.entry(key).or_insert(item);
            }
        }
        set
    }
}

/// A `RefCell` whose value may still be pending: a [`LazyItems`] that
/// is turned into the value the first time it is borrowed. Until then the
/// length, membership of a `str` and the producer itself can be read
/// without building anything.
pub struct LazyCell<T: Release> {
    value: RefCell<T>,
    pending: RefCell<Option<Rc<dyn LazyItems>>>,
}

impl<T: FromLazy + Default + Release> LazyCell<T> {
    /// A cell holding `value`.
    pub fn new(value: T) -> LazyCell<T> {
        LazyCell { value: RefCell::new(value), pending: RefCell::new(None) }
    }

    /// A cell whose value is built from `source` when first borrowed.
    pub fn pending(source: Rc<dyn LazyItems>) -> LazyCell<T> {
        LazyCell { value: RefCell::new(T::default()), pending: RefCell::new(Some(source)) }
    }

    /// Builds the value if it is still pending. A borrow of the value
    /// can only exist after this ran, so the mutable borrow cannot clash.
    fn force(&self) {
        let source = self.pending.borrow_mut().take();
        if let Some(source) = source {
            *self.value.borrow_mut() = T::from_lazy(&*source);
        }
    }

    /// The value, built first if pending.
    pub fn borrow(&self) -> Ref<'_, T> {
        self.force();
        self.value.borrow()
    }

    /// The value, mutably, built first if pending.
    pub fn borrow_mut(&self) -> RefMut<'_, T> {
        self.force();
        self.value.borrow_mut()
    }

    /// The producer, while the value is still pending (nothing has read
    /// or changed it).
    pub fn pending_source(&self) -> Option<Rc<dyn LazyItems>> {
        self.pending.borrow().clone()
    }

    /// How many elements there are (without building a pending value).
    pub fn len(&self) -> usize {
        match &*self.pending.borrow() {
            Some(source) => source.len(),
            None => self.value.borrow().count(),
        }
    }

    /// Whether there are none (without building a pending value).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: Release> fmt::Debug for LazyCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.pending.borrow().is_some() { "LazyCell(pending)" } else { "LazyCell" })
    }
}

impl<T: Release> Drop for LazyCell<T> {
    fn drop(&mut self) {
        self.value.get_mut().release();
    }
}

/// The storage of a run-time `dict`.
pub struct DictCell<'a>(RefCell<PyDict<'a>>);

impl<'a> DictCell<'a> {
    /// A cell holding `entries`.
    pub fn new(entries: PyDict<'a>) -> DictCell<'a> {
        DictCell(RefCell::new(entries))
    }
}

impl<'a> std::ops::Deref for DictCell<'a> {
    type Target = RefCell<PyDict<'a>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for DictCell<'_> {
    fn drop(&mut self) {
        self.0.get_mut().release();
    }
}

/// The storage of a run-time `tuple`.
pub struct TupleCell<'a>(Vec<Val<'a>>);

impl<'a> std::ops::Deref for TupleCell<'a> {
    type Target = [Val<'a>];
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl Drop for TupleCell<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// The elements of a run-time container, dropped without unbounded
/// recursion.
///
/// Rust drops nested values recursively, so dropping a structure a policy
/// nested a million levels deep (`x = [x]` in a loop) would overflow the
/// stack, where CPython frees it without trouble (its "trashcan" defers
/// deep deallocations). Each run-time container's `Drop` counts how many
/// container drops are under way on this thread: up to [`DROP_DEPTH`]
/// levels it drops its elements as Rust does, and below that it hands them
/// to [`release_all`], which empties every container only they hold into a
/// work list first, so what is dropped from there on is always shallow.
/// Invariant: dropping any `Val` nests at most `DROP_DEPTH` container drops.
pub trait Release {
    /// Drops the elements, emptying `self`.
    fn release(&mut self);
}

/// How many container drops may nest before [`release_all`] takes over
/// (CPython's trashcan starts deferring at 50).
const DROP_DEPTH: u32 = 64;

thread_local! {
    /// Container drops under way on this thread.
    static DROPPING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Drops `items` in place (nested drops counted), or through
/// [`release_all`] when already [`DROP_DEPTH`] drops deep.
fn release_with<'a, T: Default>(items: &mut T, all: impl FnOnce(T) -> Vec<Val<'a>>) {
    let depth = DROPPING.get();
    if depth < DROP_DEPTH {
        DROPPING.set(depth + 1);
        drop(std::mem::take(items));
        DROPPING.set(depth);
    } else {
        release_all(all(std::mem::take(items)));
    }
}

impl Release for Vec<Val<'_>> {
    fn release(&mut self) {
        if self.iter().any(Val::is_container) {
            release_with(self, |items| items);
        }
    }
}

impl Release for PySet<'_> {
    fn release(&mut self) {
        if self.values().any(Val::is_container) {
            release_with(self, |set| set.into_values().collect());
        }
    }
}

impl Release for PyDict<'_> {
    fn release(&mut self) {
        if self.values().any(|(k, v)| k.is_container() || v.is_container()) {
            release_with(self, |dict| {
                let mut work = Vec::with_capacity(dict.len() * 2);
                for (key, value) in dict.into_values() {
                    work.push(key);
                    work.push(value);
                }
                work
            });
        }
    }
}

/// Drops `work`, emptying first every container only `work` holds (its
/// elements join `work`), so each container is dropped empty.
fn release_all(mut work: Vec<Val<'_>>) {
    while let Some(item) = work.pop() {
        match item {
            Val::List(cell) => {
                if let Some(cell) = Rc::into_inner(cell) {
                    work.append(&mut std::mem::take(&mut *cell.value.borrow_mut()));
                }
            }
            Val::Set(cell) => {
                if let Some(cell) = Rc::into_inner(cell) {
                    work.extend(std::mem::take(&mut *cell.value.borrow_mut()).into_values());
                }
            }
            Val::Dict(cell) => {
                if let Some(cell) = Rc::into_inner(cell) {
                    for (key, value) in std::mem::take(&mut *cell.0.borrow_mut()).into_values() {
                        work.push(key);
                        work.push(value);
                    }
                }
            }
            Val::Tuple(cell) => {
                if let Some(mut cell) = Rc::into_inner(cell) {
                    work.append(&mut cell.0);
                }
            }
            other => drop(other),
        }
    }
}

/// The hash key of a hashable value: values that are `==` in Python have
/// equal keys (`1`, `1.0` and `True` share one).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HKey<'a> {
    /// `None`.
    None,
    /// A `bool`, an `int`, or an integral `float`.
    Int(i64),
    /// A non-integral `float`, by its bits.
    Float(u64),
    /// A `str`.
    Str(PyStr<'a>),
    /// A `tuple` of hashable values.
    Tuple(Vec<HKey<'a>>),
    /// A native object's own key.
    Native(String),
}

/// A value of a native Python type (`datetime`, `timedelta`,
/// `IPv4Network`, …), implemented in Rust.
///
/// Defaults raise as CPython does for a type that lacks the operation.
pub trait Native: fmt::Debug {
    /// `type(x).__name__`.
    fn type_name(&self) -> &'static str;
    /// The concrete value, for downcasting.
    fn as_any(&self) -> &dyn Any;
    /// `repr(x)`.
    fn repr(&self) -> String;
    /// `str(x)`.
    fn str(&self) -> String {
        self.repr()
    }
    /// `bool(x)`.
    fn truthy(&self) -> bool {
        true
    }
    /// `x == other`.
    fn eq(&self, other: &Val<'_>) -> bool {
        let _ = other;
        false
    }
    /// `x < other` and friends: `None` when the types are not ordered
    /// (CPython raises `TypeError`), else the ordering.
    fn partial_cmp(&self, other: &Val<'_>) -> PyResult<Option<Ordering>> {
        let _ = other;
        Ok(None)
    }
    /// The hash key, when hashable.
    fn hash_key(&self) -> Option<String> {
        None
    }
    /// `x.name`.
    fn getattr<'v>(&self, name: &str) -> PyResult<Val<'v>> {
        Err(PolicyError::no_attribute(self.type_name(), name))
    }
    /// `x.name(*args)`.
    fn call_method<'v>(&self, name: &str, args: &[Val<'v>]) -> PyResult<Val<'v>> {
        let _ = args;
        Err(PolicyError::no_attribute(self.type_name(), name))
    }
    /// `x op other` (or `other op x` when `reflected`): `None` when the
    /// operation is not defined for these operands.
    fn binop<'v>(&self, op: BinOp, other: &Val<'v>, reflected: bool) -> Option<PyResult<Val<'v>>> {
        let _ = (op, other, reflected);
        None
    }
    /// `item in x`: `None` when `x` is not a container.
    fn contains(&self, item: &Val<'_>) -> Option<PyResult<bool>> {
        let _ = item;
        None
    }
    /// `x[key]`: `None` when `x` is not subscriptable.
    fn getitem<'v>(&self, key: &Val<'_>) -> Option<PyResult<Val<'v>>> {
        let _ = key;
        None
    }
    /// `iter(x)`, collected: `None` when `x` is not iterable.
    fn py_iter<'v>(&self) -> Option<Vec<Val<'v>>> {
        None
    }
    /// `len(x)`: `None` when `x` has no length.
    fn py_len(&self) -> Option<usize> {
        None
    }
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `//`.
    FloorDiv,
    /// `%`.
    Mod,
    /// `&`.
    And,
    /// `|`.
    Or,
    /// `^`.
    Xor,
}

impl BinOp {
    /// The Python spelling.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
        }
    }
}

/// A `str`: borrowed from the resource or a constant, or built at run time.
#[derive(Clone)]
pub enum PyStr<'a> {
    /// Borrowed.
    Ref(&'a str),
    /// Built at run time.
    Owned(Rc<str>),
}

impl PyStr<'_> {
    /// The string's text.
    pub fn as_str(&self) -> &str {
        match self {
            PyStr::Ref(s) => s,
            PyStr::Owned(s) => s,
        }
    }
}

impl PartialEq for PyStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PyStr<'_> {}

impl Hash for PyStr<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<String> for PyStr<'_> {
    fn from(s: String) -> Self {
        PyStr::Owned(Rc::from(s))
    }
}

impl fmt::Debug for PyStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A typed object of a resource, seen by Python as a `dict`.
///
/// Implemented by the `resource!` and `object!` macros.
pub trait Object {
    /// The value under `key`, or `None` when the key is absent (a missing
    /// field is absent; a JSON `null` field is present and `Val::None`).
    fn py_get(&self, key: &str) -> Option<Val<'_>>;
    /// The keys that are present, in declaration order, then unknown keys.
    fn py_keys(&self) -> Vec<&str>;
    /// `len(x)`: how many keys are present (without listing them).
    fn py_len(&self) -> usize {
        self.py_keys().len()
    }
}

/// A typed list of a resource, seen by Python as a `list`.
pub trait Sequence {
    /// `len(x)`.
    fn py_len(&self) -> usize;
    /// `x[i]` for `0 <= i < len`.
    fn py_index(&self, i: usize) -> Option<Val<'_>>;
}

impl<T: ToVal> Sequence for Vec<T> {
    fn py_len(&self) -> usize {
        self.len()
    }
    fn py_index(&self, i: usize) -> Option<Val<'_>> {
        self.get(i).map(ToVal::to_val)
    }
}

/// Conversion of a typed resource value to its Python view.
pub trait ToVal {
    /// The Python view of `self`, borrowing from it.
    fn to_val(&self) -> Val<'_>;
}

impl ToVal for String {
    fn to_val(&self) -> Val<'_> {
        Val::Str(PyStr::Ref(self))
    }
}

impl ToVal for bool {
    fn to_val(&self) -> Val<'_> {
        Val::Bool(*self)
    }
}

impl ToVal for i64 {
    fn to_val(&self) -> Val<'_> {
        Val::Int(*self)
    }
}

impl ToVal for f64 {
    fn to_val(&self) -> Val<'_> {
        Val::Float(*self)
    }
}

impl<T: ToVal> ToVal for Vec<T> {
    fn to_val(&self) -> Val<'_> {
        Val::Seq(self)
    }
}

impl ToVal for serde_json::Value {
    fn to_val(&self) -> Val<'_> {
        Val::from_json(self)
    }
}

impl<'a> Val<'a> {
    /// The Python view of a JSON value.
    pub fn from_json(v: &'a serde_json::Value) -> Val<'a> {
        use serde_json::Value as J;
        match v {
            J::Null => Val::None,
            J::Bool(b) => Val::Bool(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Val::Int(i),
                None => Val::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::String(s) => Val::Str(PyStr::Ref(s)),
            J::Array(_) | J::Object(_) => Val::Json(v),
        }
    }

    /// The Python view of a module constant.
    pub fn from_const(c: &'static Const) -> Val<'a> {
        match c {
            Const::None => Val::None,
            Const::Bool(b) => Val::Bool(*b),
            Const::Int(i) => Val::Int(*i),
            Const::Float(x) => Val::Float(*x),
            Const::Str(s) => Val::Str(PyStr::Ref(s)),
            Const::List(_) | Const::Tuple(_) | Const::Set(_) | Const::Dict(_) => Val::Const(c),
        }
    }

    /// A `str` value borrowing `s`.
    pub fn str(s: &'a str) -> Val<'a> {
        Val::Str(PyStr::Ref(s))
    }

    /// The name of the value's Python type, as `type(x).__name__` gives it.
    pub fn type_name(&self) -> &'static str {
        match self.kind() {
            Kind::None => "NoneType",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::Str => "str",
            Kind::List => "list",
            Kind::Tuple => "tuple",
            Kind::Set => "set",
            Kind::Dict => "dict",
            Kind::Native => match self {
                Val::Native(n) => n.type_name(),
                _ => "MagicMock",
            },
        }
    }

    /// A `str` value owning `s`.
    pub fn string(s: String) -> Val<'a> {
        Val::Str(PyStr::from(s))
    }

    /// A new `str` holding a copy of `s` (one allocation; `Val::string`
    /// of a `String` made for it would copy twice).
    pub fn text(s: &str) -> Val<'a> {
        Val::Str(PyStr::Owned(Rc::from(s)))
    }

    /// Whether this is a run-time container (`list`, `tuple`, `set`,
    /// `dict`): one that can hold other run-time values.
    pub fn is_container(&self) -> bool {
        matches!(self, Val::List(_) | Val::Tuple(_) | Val::Set(_) | Val::Dict(_))
    }

    /// A new `list`.
    pub fn list(items: Vec<Val<'a>>) -> Val<'a> {
        Val::List(Rc::new(ListCell::new(items)))
    }

    /// A new `list` whose elements are produced by `source` when first
    /// read.
    pub fn lazy_list(source: Rc<dyn LazyItems>) -> Val<'a> {
        Val::List(Rc::new(ListCell::pending(source)))
    }

    /// A new `set` whose elements are produced by `source` when first
    /// needed.
    pub fn lazy_set(source: Rc<dyn LazyItems>) -> Val<'a> {
        Val::Set(Rc::new(SetCell::pending(source)))
    }

    /// A new `tuple`.
    pub fn tuple(items: Vec<Val<'a>>) -> Val<'a> {
        Val::Tuple(Rc::new(TupleCell(items)))
    }

    /// A native object.
    pub fn native(n: impl Native + 'static) -> Val<'a> {
        Val::Native(Rc::new(n))
    }

    /// The native object of type `T`, if this is one.
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        match self {
            Val::Native(n) => n.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// The value's Python type.
    pub fn kind(&self) -> Kind {
        match self {
            Val::None => Kind::None,
            Val::Bool(_) => Kind::Bool,
            Val::Int(_) => Kind::Int,
            Val::Float(_) => Kind::Float,
            Val::Str(_) => Kind::Str,
            Val::Json(serde_json::Value::Array(_)) | Val::Seq(_) | Val::List(_) => Kind::List,
            Val::Json(serde_json::Value::Object(_)) | Val::Obj(_) | Val::Dict(_) => Kind::Dict,
            // `from_json` never stores scalars in `Json`; treat them as what
            // they are, should one be constructed by hand.
            Val::Json(serde_json::Value::Null) => Kind::None,
            Val::Json(serde_json::Value::Bool(_)) => Kind::Bool,
            Val::Json(serde_json::Value::Number(_)) => Kind::Float,
            Val::Json(serde_json::Value::String(_)) => Kind::Str,
            Val::Const(c) => match c {
                Const::None => Kind::None,
                Const::Bool(_) => Kind::Bool,
                Const::Int(_) => Kind::Int,
                Const::Float(_) => Kind::Float,
                Const::Str(_) => Kind::Str,
                Const::List(_) => Kind::List,
                Const::Tuple(_) => Kind::Tuple,
                Const::Set(_) => Kind::Set,
                Const::Dict(_) => Kind::Dict,
            },
            Val::Tuple(_) => Kind::Tuple,
            Val::Set(_) => Kind::Set,
            Val::Native(_) | Val::Mock(_) => Kind::Native,
        }
    }

    /// The text of a `str` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s.as_str()),
            Val::Json(serde_json::Value::String(s)) => Some(s),
            Val::Const(Const::Str(s)) => Some(s),
            _ => None,
        }
    }
}

/// The Python types a `Val` can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `NoneType`.
    None,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
    /// `list`.
    List,
    /// `tuple`.
    Tuple,
    /// `set`.
    Set,
    /// `dict`.
    Dict,
    /// A native type or a mock.
    Native,
}

impl fmt::Debug for Val<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::ops::repr(self))
    }
}

/// `repr(s)` for a `str`, as CPython writes it.
pub fn py_repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unprintable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Characters that CPython's `repr` escapes besides ASCII controls: the C1
/// controls, separators other than space, surrogates and unassigned points
/// are approximated by the categories Rust exposes.
fn is_unprintable(c: char) -> bool {
    let n = c as u32;
    (0x80..=0xa0).contains(&n) || n == 0xad || c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}
