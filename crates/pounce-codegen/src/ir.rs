//! The intermediate representation: Python with names resolved, reduced
//! to the supported subset, annotated with types by `typecheck`.

use std::ops::Range;

use pounce_runtime::{FieldSchema, StructSchema};

/// A byte range in the Python file.
pub type Span = Range<usize>;

/// A lowered policy module.
#[derive(Debug, Clone)]
pub struct Module {
    /// Module-level literal constants, in source order.
    pub consts: Vec<ConstDef>,
    /// Functions, in source order; `policy` among them.
    pub functions: Vec<Function>,
}

impl Module {
    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// `NAME = <literal>` at module level.
#[derive(Debug, Clone)]
pub struct ConstDef {
    /// The Python name.
    pub name: String,
    /// The value.
    pub value: Literal,
    /// Where it is defined.
    pub span: Span,
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
    /// `return [value]`.
    Return(Option<Expr>),
    /// An expression evaluated for its effects (or its exceptions).
    Expr(Expr),
    /// `pass`.
    Pass,
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

/// The expressions of the subset.
#[derive(Debug, Clone)]
pub enum ExprKind {
    /// A scalar literal (`None`, bool, int, float, str).
    Lit(Literal),
    /// A function parameter.
    Param(String),
    /// A module-level constant.
    Global(String),
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
    /// `left op1 right1 op2 right2 ...`.
    Compare {
        /// The first operand.
        left: Box<Expr>,
        /// The operators and the operands after them.
        rest: Vec<(CmpOp, Expr)>,
    },
    /// `not x`.
    Not(Box<Expr>),
    /// `a and b and ...`.
    And(Vec<Expr>),
    /// `a or b or ...`.
    Or(Vec<Expr>),
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
            Type::Dict(..) | Type::Struct(_) => "dict".to_owned(),
            Type::Optional(t) => format!("{} | None", t.python_name()),
        }
    }
}
