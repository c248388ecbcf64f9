//! The intermediate representation: Python with names resolved, reduced
//! to the supported subset, annotated with types by `typecheck`.

use std::ops::Range;

use pounce_runtime::natives::Entry;
use pounce_runtime::ops::PyType;
use pounce_runtime::{BinOp, FieldSchema, StructSchema};

/// A byte range in the Python file.
pub type Span = Range<usize>;

/// A lowered policy module.
#[derive(Debug, Clone)]
pub struct Module {
    /// Module-level names bound by assignment, in source order.
    pub globals: Vec<Global>,
    /// Functions, in source order; `policy` among them.
    pub functions: Vec<Function>,
    /// Every module-level name (globals, functions, imports): what a test
    /// mock may replace.
    pub names: Vec<String>,
    /// Imported names that are callables (mockable like globals).
    pub imported_functions: Vec<String>,
}

impl Module {
    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The global called `name`.
    pub fn global(&self, name: &str) -> Option<&Global> {
        self.globals.iter().find(|g| g.name == name)
    }
}

/// `NAME = value` at module level.
#[derive(Debug, Clone)]
pub struct Global {
    /// The Python name.
    pub name: String,
    /// The value: a literal (a `static`), or an expression evaluated when
    /// the module is set up for an evaluation.
    pub init: GlobalInit,
    /// Whether a function rebinds it (`global` and an assignment).
    pub rebound: bool,
    /// Where it is defined.
    pub span: Span,
}

impl Global {
    /// Whether it lives in the per-evaluation module state: it is rebound,
    /// or computed when the module is set up.
    pub fn dynamic(&self) -> bool {
        self.rebound || matches!(self.init, GlobalInit::Expr(_))
    }
}

/// A global's initial value.
#[derive(Debug, Clone)]
pub enum GlobalInit {
    /// A literal.
    Literal(Literal),
    /// Any other expression.
    Expr(Expr),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `None`.
    None,
    /// `True`/`False`.
    Bool(bool),
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// `[...]`.
    List(Vec<Literal>),
    /// `(...)`.
    Tuple(Vec<Literal>),
    /// `{...}` (a set).
    Set(Vec<Literal>),
    /// `{k: v, ...}`.
    Dict(Vec<(Literal, Literal)>),
}

/// A function definition.
#[derive(Debug, Clone)]
pub struct Function {
    /// The Python name.
    pub name: String,
    /// Parameter names.
    pub params: Vec<String>,
    /// Names local to the function (assigned in it and not `global`),
    /// parameters that are reassigned included.
    pub locals: Vec<String>,
    /// The body.
    pub body: Vec<Stmt>,
    /// The `def` line.
    pub span: Span,
}

/// A statement.
#[derive(Debug, Clone)]
pub struct Stmt {
    /// What it does.
    pub kind: StmtKind,
    /// Where it is.
    pub span: Span,
}

/// The statements of the subset.
#[derive(Debug, Clone)]
pub enum StmtKind {
    /// `if cond: then else: orelse` (`elif` is a nested `If` in `orelse`).
    If {
        /// The condition.
        cond: Expr,
        /// The `if` branch.
        then: Vec<Stmt>,
        /// The `else` branch (empty when absent).
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: body else: orelse`.
    For {
        /// The loop variable(s).
        target: Target,
        /// The iterable.
        iter: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// The `else` branch, run when the loop did not `break`.
        orelse: Vec<Stmt>,
    },
    /// `while cond: body else: orelse`.
    While {
        /// The condition.
        cond: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// The `else` branch.
        orelse: Vec<Stmt>,
    },
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `target = value` (chained targets assigned left to right).
    Assign {
        /// The targets.
        targets: Vec<Target>,
        /// The value.
        value: Expr,
    },
    /// `target op= value`.
    AugAssign {
        /// The target.
        target: Target,
        /// The operator.
        op: BinOp,
        /// The value.
        value: Expr,
    },
    /// `try: body except T: handler ... else: orelse`.
    Try {
        /// The protected body.
        body: Vec<Stmt>,
        /// The handlers, in order.
        handlers: Vec<Handler>,
        /// Run when the body raised nothing.
        orelse: Vec<Stmt>,
    },
    /// `raise E("message")` or `raise E`.
    Raise {
        /// The exception class name.
        exc: String,
        /// The message, if given.
        message: Option<Expr>,
    },
    /// `return [value]`.
    Return(Option<Expr>),
    /// An expression evaluated for its effects (or its exceptions).
    Expr(Expr),
    /// `pass`.
    Pass,
}

/// An `except` clause.
#[derive(Debug, Clone)]
pub struct Handler {
    /// The exception class names it catches; empty for a bare `except:`.
    pub types: Vec<String>,
    /// Its body.
    pub body: Vec<Stmt>,
}

/// An assignment target.
#[derive(Debug, Clone)]
pub enum Target {
    /// A function local.
    Local(String),
    /// A module global rebound through `global`.
    Global(String),
    /// A comprehension or lambda variable.
    Var(String),
    /// `value[index]`.
    Subscript(Box<Expr>, Box<Expr>),
    /// `a, b` (unpacking).
    Tuple(Vec<Target>),
}

/// An expression, with its type once type-checked.
#[derive(Debug, Clone)]
pub struct Expr {
    /// What it computes.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
    /// Its static type (`Type::Any` until `typecheck` runs).
    pub ty: Type,
}

impl Expr {
    /// A new, untyped expression.
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Expr { kind, span, ty: Type::Any }
    }
}

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `len`.
    Len,
    /// `bool`.
    Bool,
    /// `str`.
    Str,
    /// `int`.
    Int,
    /// `any`.
    Any,
    /// `all`.
    All,
    /// `set`.
    Set,
    /// `list`.
    List,
    /// `tuple`.
    Tuple,
    /// `dict`.
    Dict,
    /// `sorted`.
    Sorted,
    /// `isinstance`.
    IsInstance,
    /// `min`.
    Min,
    /// `max`.
    Max,
    /// `print` (output is discarded).
    Print,
}

impl Builtin {
    /// The builtin called `name`.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Some(match name {
            "len" => Builtin::Len,
            "bool" => Builtin::Bool,
            "str" => Builtin::Str,
            "int" => Builtin::Int,
            "any" => Builtin::Any,
            "all" => Builtin::All,
            "set" => Builtin::Set,
            "list" => Builtin::List,
            "tuple" => Builtin::Tuple,
            "dict" => Builtin::Dict,
            "sorted" => Builtin::Sorted,
            "isinstance" => Builtin::IsInstance,
            "min" => Builtin::Min,
            "max" => Builtin::Max,
            "print" => Builtin::Print,
            _ => return None,
        })
    }

    /// Every builtin name, for suggestions.
    pub const NAMES: &'static [&'static str] =
        &["len", "bool", "str", "int", "any", "all", "set", "list", "tuple", "dict", "sorted", "isinstance", "min", "max", "print"];
}

/// What a call calls.
#[derive(Debug, Clone)]
pub enum Callee {
    /// A built-in function.
    Builtin(Builtin),
    /// A native function or type constructor; `mockable` when a test may
    /// replace the imported name.
    Native {
        /// The registry entry.
        entry: &'static Entry,
        /// The local name it was imported as.
        local: String,
    },
    /// A function of the module.
    Function(String),
    /// A method: `receiver.name(...)`.
    Method(Box<Expr>, String),
    /// Any other value (a mocked global: `CONFIG()`).
    Value(Box<Expr>),
}

/// The expressions of the subset.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A scalar literal (`None`, bool, int, float, str).
    Lit(Literal),
    /// A function parameter that is never reassigned.
    Param(String),
    /// A function local.
    Local(String),
    /// A comprehension or lambda variable.
    Var(String),
    /// A module-level global.
    Global(String),
    /// A type used as a value (`isinstance(x, str)`).
    TypeRef(PyType),
    /// An imported native namespace or entry used as a value.
    NativeRef(&'static Entry),
    /// `value[index]`.
    Subscript(Box<Expr>, Box<Expr>),
    /// `value.get(key[, default])`.
    Get {
        /// The receiver.
        value: Box<Expr>,
        /// The key.
        key: Box<Expr>,
        /// The default (`None` when not given).
        default: Option<Box<Expr>>,
    },
    /// A field of a typed object, resolved by `typecheck` from a
    /// `Subscript` or `Get` with a literal key.
    Field {
        /// The object.
        value: Box<Expr>,
        /// The field.
        field: &'static FieldSchema,
        /// `None` for `value["Key"]`; `Some(default)` for `.get`.
        default: Option<Option<Box<Expr>>>,
    },
    /// `value.name` (natives only).
    Attribute(Box<Expr>, String),
    /// A call.
    Call {
        /// What is called.
        callee: Callee,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments.
        kwargs: Vec<(String, Expr)>,
    },
    /// `left op1 right1 op2 right2 ...`.
    Compare {
        /// The first operand.
        left: Box<Expr>,
        /// The operators and the operands after them.
        rest: Vec<(CmpOp, Expr)>,
    },
    /// `a op b`.
    BinOp(BinOp, Box<Expr>, Box<Expr>),
    /// `-x`.
    Neg(Box<Expr>),
    /// `not x`.
    Not(Box<Expr>),
    /// `a and b and ...`.
    And(Vec<Expr>),
    /// `a or b or ...`.
    Or(Vec<Expr>),
    /// `body if test else orelse`.
    IfExp {
        /// The condition.
        test: Box<Expr>,
        /// The value when true.
        body: Box<Expr>,
        /// The value when false.
        orelse: Box<Expr>,
    },
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{k: v}`.
    Dict(Vec<(Expr, Expr)>),
    /// A comprehension or generator expression.
    Comp {
        /// What it builds.
        kind: CompKind,
        /// The element (the key, for a dict).
        elt: Box<Expr>,
        /// The value, for a dict comprehension.
        value: Option<Box<Expr>>,
        /// The `for ... in ... if ...` clauses.
        generators: Vec<Generator>,
    },
    /// An f-string.
    FString(Vec<FPart>),
    /// `lambda params: body` (only as `sorted`'s `key`).
    Lambda {
        /// The parameters.
        params: Vec<String>,
        /// The body.
        body: Box<Expr>,
    },
}

/// What a comprehension builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompKind {
    /// `[...]`.
    List,
    /// `{...}`.
    Set,
    /// `{k: v ...}`.
    Dict,
    /// `(...)`: a generator, consumed by its caller.
    Gen,
}

/// One `for target in iter if cond...` clause.
#[derive(Debug, Clone)]
pub struct Generator {
    /// The loop variable(s) (`Target::Var`s).
    pub target: Target,
    /// The iterable.
    pub iter: Expr,
    /// The `if` conditions.
    pub ifs: Vec<Expr>,
}

/// A piece of an f-string.
#[derive(Debug, Clone)]
pub enum FPart {
    /// Literal text.
    Lit(String),
    /// `{expr}` or `{expr!r}`.
    Expr(Expr, Conversion),
}

/// An f-string conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `str()` (the default, and `!s`).
    Str,
    /// `!r`.
    Repr,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=`.
    NotEq,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `is` (only against `None`, `True`, `False`).
    Is,
    /// `is not` (only against `None`, `True`, `False`).
    IsNot,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

impl CmpOp {
    /// The Python spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Static types.
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    /// Unknown until run time (open JSON, mixed).
    Any,
    /// `None`.
    None,
    /// `bool`.
    Bool,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `str`.
    Str,
    /// `list` of the element type.
    List(Box<Type>),
    /// `tuple`.
    Tuple(Box<Type>),
    /// `set`.
    Set(Box<Type>),
    /// `dict` of key and value types.
    Dict(Box<Type>, Box<Type>),
    /// A typed object of the resource.
    Struct(&'static StructSchema),
    /// One of several resource types (a policy over several types).
    Union(Vec<&'static StructSchema>),
    /// The type, or `None` (every resource field may be `null`).
    Optional(Box<Type>),
}

impl Type {
    /// The type without `Optional`.
    pub fn non_null(&self) -> &Type {
        match self {
            Type::Optional(t) => t.non_null(),
            t => t,
        }
    }

    /// The type of both `a` and `b`.
    pub fn join(a: &Type, b: &Type) -> Type {
        if a == b {
            return a.clone();
        }
        match (a, b) {
            (Type::None, t) | (t, Type::None) => Type::Optional(Box::new(t.non_null().clone())),
            (Type::Optional(x), y) | (y, Type::Optional(x)) if **x == *y.non_null() => Type::Optional(x.clone()),
            _ => Type::Any,
        }
    }

    /// The Python name of the type, for messages.
    pub fn python_name(&self) -> String {
        match self {
            Type::Any => "object".to_owned(),
            Type::None => "NoneType".to_owned(),
            Type::Bool => "bool".to_owned(),
            Type::Int => "int".to_owned(),
            Type::Float => "float".to_owned(),
            Type::Str => "str".to_owned(),
            Type::List(_) => "list".to_owned(),
            Type::Tuple(_) => "tuple".to_owned(),
            Type::Set(_) => "set".to_owned(),
            Type::Dict(..) | Type::Struct(_) | Type::Union(_) => "dict".to_owned(),
            Type::Optional(t) => format!("{} | None", t.python_name()),
        }
    }
}
