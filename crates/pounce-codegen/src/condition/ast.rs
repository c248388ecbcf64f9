//! The syntax tree of the condition language (see `docs/conditions.md`).
//!
//! The renderer builds it from the IR, the printer writes it, the parser
//! reads it back, and the interpreter evaluates it. Names are resolved when
//! the tree is built (a variable, a global, a resource field), so the
//! printer and the interpreter need no scope analysis of their own.

use pounce_runtime::natives::Entry;
use pounce_runtime::ops::PyType;
use pounce_runtime::BinOp;

pub use crate::ir::{Builtin, CmpOp, CompKind, Conversion, Literal};

/// A condition with its definitions: the policy alerts when `condition`
/// is truthy.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// When the policy alerts.
    pub condition: Expr,
    /// The `where` section: imports, mockable names, module globals and
    /// helper functions, in the order the module defines them.
    pub defs: Vec<Def>,
}

/// One definition of the `where` section.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    /// `import json` / `import datetime as dt`: binds `local` to a module.
    ImportModule {
        /// The dotted module.
        module: String,
        /// The bound name.
        local: String,
    },
    /// `from ipaddress import ip_network [as local]`.
    ImportName {
        /// The dotted module.
        module: String,
        /// The imported name.
        name: String,
        /// The bound name.
        local: String,
    },
    /// `mockable A, B`: module-level names a test may replace
    /// (`unittest.mock.patch`); only these consult the context's mocks.
    Mockable(Vec<String>),
    /// `NAME = value`: a module global, evaluated once per evaluation
    /// before the condition, in definition order.
    Global {
        /// The name.
        name: String,
        /// Its value.
        value: GlobalValue,
    },
    /// A helper function.
    Function(Function),
}

/// A global's value.
#[derive(Debug, Clone, PartialEq)]
pub enum GlobalValue {
    /// A literal: a read-only module constant.
    Literal(Literal),
    /// Any other expression, evaluated when the module is set up.
    Expr(Expr),
}

/// A helper function.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// Its name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<String>,
    /// Its body.
    pub body: Body,
}

/// A function's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// `name(params) = expr`: the function's value.
    Expr(Expr),
    /// `def name(params): ...`: statements, for what a pure expression
    /// cannot say (mutation of globals, `try`, `while`, ...).
    Block(Block),
}

/// The statements of a `def`, with Python's scoping: a name assigned in
/// the body is local to it unless declared `global`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Names declared `global`.
    pub globals: Vec<String>,
    /// The statements.
    pub stmts: Vec<Stmt>,
}

/// A statement of a `def` body.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `if cond: ... else: ...` (`elif` is a nested `If` in `orelse`).
    If {
        /// The condition.
        cond: Expr,
        /// The `if` branch.
        then: Vec<Stmt>,
        /// The `else` branch.
        orelse: Vec<Stmt>,
    },
    /// `for target in iter: ... else: ...`.
    For {
        /// The loop variable(s).
        target: Target,
        /// The iterable.
        iter: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// Run when the loop did not `break`.
        orelse: Vec<Stmt>,
    },
    /// `while cond: ... else: ...`.
    While {
        /// The condition.
        cond: Expr,
        /// The body.
        body: Vec<Stmt>,
        /// Run when the loop did not `break`.
        orelse: Vec<Stmt>,
    },
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `a = b = value`.
    Assign {
        /// The targets, assigned left to right.
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
    /// `try: ... except (A, B): ... else: ...`.
    Try {
        /// The protected body.
        body: Vec<Stmt>,
        /// Handlers: the exception class names (empty for a bare
        /// `except:`) and their bodies.
        handlers: Vec<(Vec<String>, Vec<Stmt>)>,
        /// Run when the body raised nothing.
        orelse: Vec<Stmt>,
    },
    /// `raise E(message)`.
    Raise {
        /// The exception class.
        exc: String,
        /// The message.
        message: Option<Expr>,
    },
    /// `return [value]`.
    Return(Option<Expr>),
    /// An expression evaluated for its effects.
    Expr(Expr),
    /// `pass`.
    Pass,
}

/// An assignment target of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A name: a local of the function, or a global it declares `global`.
    Name(String),
    /// `value[index]`.
    Subscript(Expr, Expr),
    /// `a, b`.
    Tuple(Vec<Target>),
}

/// A binding pattern of `let`, a comprehension or a quantifier.
#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    /// A name.
    Name(String),
    /// `a, b` (unpacking, as Python's).
    Tuple(Vec<Pattern>),
}

impl Pattern {
    /// The names the pattern binds, left to right.
    pub fn names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        fn go<'p>(p: &'p Pattern, out: &mut Vec<&'p str>) {
            match p {
                Pattern::Name(n) => out.push(n),
                Pattern::Tuple(items) => items.iter().for_each(|i| go(i, out)),
            }
        }
        go(self, &mut out);
        out
    }
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A scalar literal.
    Lit(Literal),
    /// The resource (`resource`); its fields are written bare
    /// (`Public` is `resource["Public"]`, `Public?` is
    /// `resource.get("Public")`).
    Root,
    /// A variable: a `let`, comprehension or lambda variable, a function
    /// parameter, or a local of a `def`.
    Var(String),
    /// A module global.
    Global(String),
    /// A type, as `isinstance`'s second argument.
    TypeRef(PyType),
    /// A library object used as a value (only `isinstance` accepts it).
    NativeRef(Native),
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
    /// `value.name` (library objects only).
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
    /// `left op right op right ...`.
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
    /// `a and b and ...` (the deciding operand is the value).
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
    /// A comprehension; a generator (`CompKind::Gen`) is a list unless
    /// `any`/`all` consume it, which stop at the deciding element.
    Comp {
        /// What it builds.
        kind: CompKind,
        /// The element (the key, for a dict).
        elt: Box<Expr>,
        /// The value, for a dict.
        value: Option<Box<Expr>>,
        /// The `for ... in ... if ...` clauses.
        generators: Vec<Generator>,
    },
    /// `f"..."`.
    FString(Vec<FPart>),
    /// `lambda params: body` (the `key` of `sorted`).
    Lambda {
        /// The parameters.
        params: Vec<String>,
        /// The body.
        body: Box<Expr>,
    },
    /// `let pattern = value in body`: evaluates `value`, binds it, and is
    /// `body`.
    Let {
        /// What `value` is bound to.
        pattern: Pattern,
        /// The value.
        value: Box<Expr>,
        /// The result.
        body: Box<Expr>,
    },
    /// `raise E(message)`: raises the exception.
    Raise {
        /// The exception class.
        exc: String,
        /// Its message.
        message: Option<Box<Expr>>,
    },
}

/// A library function or type, and how the condition spells it.
#[derive(Debug, Clone)]
pub struct Native {
    /// The registry entry.
    pub entry: &'static Entry,
    /// The dotted spelling (`deep_get`, `json.loads`,
    /// `datetime.datetime.utcnow`), resolved through the `where` section's
    /// imports.
    pub spelling: String,
}

impl PartialEq for Native {
    fn eq(&self, other: &Self) -> bool {
        self.entry.module == other.entry.module && self.entry.name == other.entry.name && self.spelling == other.spelling
    }
}

impl Native {
    /// The name a test mock replaces for this callee: the bound name when
    /// it is called by a bare name, else the entry's name (as the compiler
    /// resolves it).
    pub fn mock_name(&self) -> &str {
        if self.spelling.contains('.') {
            self.entry.name
        } else {
            &self.spelling
        }
    }
}

/// What a call calls.
#[derive(Debug, Clone, PartialEq)]
pub enum Callee {
    /// A built-in function.
    Builtin(Builtin),
    /// `expect_bool(x)`: `x`, which must be a `bool` (the value `policy()`
    /// returns); anything else raises `FunctionReturnTypeError` as Panther
    /// does.
    ExpectBool,
    /// A library function or type constructor.
    Native(Native),
    /// A helper function of the `where` section.
    Function(String),
    /// `receiver.name(...)`.
    Method(Box<Expr>, String),
    /// Any other value (a mocked global: `CONFIG()`).
    Value(Box<Expr>),
}

/// One `for pattern in iter if cond ...` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Generator {
    /// The variable(s).
    pub target: Pattern,
    /// The iterable.
    pub iter: Expr,
    /// The filters.
    pub ifs: Vec<Expr>,
}

/// A piece of an f-string.
#[derive(Debug, Clone, PartialEq)]
pub enum FPart {
    /// Text.
    Lit(String),
    /// `{expr}` or `{expr!r}`.
    Expr(Expr, Conversion),
}

impl Expr {
    /// A boxed copy.
    pub fn boxed(self) -> Box<Expr> {
        Box::new(self)
    }

    /// `None`/`True`/`False` and other scalar literals.
    pub fn lit(l: Literal) -> Expr {
        Expr::Lit(l)
    }

    /// `True` or `False`.
    pub fn bool(b: bool) -> Expr {
        Expr::Lit(Literal::Bool(b))
    }

    /// The literal bool this expression is, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Expr::Lit(Literal::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// Calls `f` on each direct child expression.
    pub fn for_each_child<'e>(&'e self, f: &mut dyn FnMut(&'e Expr)) {
        match self {
            Expr::Lit(_) | Expr::Root | Expr::Var(_) | Expr::Global(_) | Expr::TypeRef(_) | Expr::NativeRef(_) => {}
            Expr::Subscript(a, b) | Expr::BinOp(_, a, b) => {
                f(a);
                f(b);
            }
            Expr::Get { value, key, default } => {
                f(value);
                f(key);
                if let Some(d) = default {
                    f(d);
                }
            }
            Expr::Attribute(v, _) | Expr::Neg(v) | Expr::Not(v) => f(v),
            Expr::Call { callee, args, kwargs } => {
                if let Callee::Method(r, _) | Callee::Value(r) = callee {
                    f(r);
                }
                for a in args {
                    f(a);
                }
                kwargs.iter().for_each(|(_, a)| f(a));
            }
            Expr::Compare { left, rest } => {
                f(left);
                rest.iter().for_each(|(_, r)| f(r));
            }
            Expr::And(xs) | Expr::Or(xs) | Expr::List(xs) | Expr::Tuple(xs) | Expr::Set(xs) => {
                for x in xs {
                    f(x);
                }
            }
            Expr::IfExp { test, body, orelse } => {
                f(test);
                f(body);
                f(orelse);
            }
            Expr::Dict(entries) => entries.iter().for_each(|(k, v)| {
                f(k);
                f(v);
            }),
            Expr::Comp { elt, value, generators, .. } => {
                for g in generators {
                    f(&g.iter);
                    for c in &g.ifs {
                        f(c);
                    }
                }
                f(elt);
                if let Some(v) = value {
                    f(v);
                }
            }
            Expr::FString(parts) => parts.iter().for_each(|p| {
                if let FPart::Expr(x, _) = p {
                    f(x);
                }
            }),
            Expr::Lambda { body, .. } => f(body),
            Expr::Let { value, body, .. } => {
                f(value);
                f(body);
            }
            Expr::Raise { message, .. } => {
                if let Some(m) = message {
                    f(m);
                }
            }
        }
    }

    /// The number of nodes, a measure of how much there is to read.
    pub fn size(&self) -> usize {
        let mut n = 1;
        self.for_each_child(&mut |c| n += c.size());
        n
    }

    /// Whether `name` is read as a variable anywhere in the expression
    /// (bound occurrences included: callers use it for capture checks).
    pub fn mentions_var(&self, name: &str) -> bool {
        let mut found = match self {
            Expr::Var(v) => v == name,
            Expr::Let { pattern, .. } => pattern.names().contains(&name),
            Expr::Comp { generators, .. } => generators.iter().any(|g| g.target.names().contains(&name)),
            Expr::Lambda { params, .. } => params.iter().any(|p| p == name),
            _ => false,
        };
        self.for_each_child(&mut |c| found = found || c.mentions_var(name));
        found
    }
}
