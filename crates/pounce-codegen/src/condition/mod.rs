//! The condition language: a policy's detection logic as an exact,
//! readable condition for when it alerts, that parses back and evaluates
//! to the same outcome as the compiled policy (see `docs/conditions.md`).
//!
//! - [`render`]: a policy's typed IR → [`Program`] (`translate.rs`);
//! - [`Program::to_text`] / [`parse`]: the program as text, and back
//!   (`print.rs`, `lex.rs`, `parse.rs`);
//! - [`evaluate`]: runs a program on a resource over `pounce_runtime`'s
//!   values and operators (`eval.rs`);
//! - [`exclusions`]: the top-level negated disjuncts, for catalog pages.
//!
//! ```
//! use pounce_codegen::condition;
//!
//! let program = condition::parse("not (ImageOwnerAlias? in {\"amazon\"} or OwnerId != AccountId or not Public)").unwrap();
//! assert_eq!(program.to_text(), "not (ImageOwnerAlias? in {\"amazon\"} or OwnerId != AccountId or not Public)");
//! let ami = serde_json::json!({"OwnerId": "1", "AccountId": "1", "Public": true});
//! let ctx = pounce_runtime::DefaultContext;
//! let alerts = condition::evaluate(&program, "AWS.AMI.Private", &["AWS.EC2.AMI".to_owned()], &ami, &ctx);
//! assert_eq!(alerts, Ok(true));
//! ```

pub mod ast;
pub(crate) mod eval;
mod lex;
mod parse;
mod print;
mod translate;

use std::collections::BTreeSet;
use std::fmt;

use pounce_runtime::ops::PyType;

pub use ast::{Expr, Program};
pub use eval::{can_read, evaluate};
pub use parse::{literal_of, parse, parse_expr_in};
pub use print::{expr_in, literal, string};
pub use translate::render;

use ast::{Callee, CmpOp, Literal, Stmt, Target};

/// Python's keywords and the language's own (`let`, `where`, `resource`):
/// never a bare field name.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield", "let", "where", "resource",
];

/// Names a policy's variables are renamed away from (`resource` is the
/// resource; `expect_bool` the verdict check).
pub const RESERVED: &[&str] = &["resource", "let", "where", "expect_bool"];

/// Built-in types, as values (`isinstance(x, str)`).
pub const BUILTIN_TYPES: &[(&str, PyType)] = &[
    ("str", PyType::Str),
    ("int", PyType::Int),
    ("float", PyType::Float),
    ("bool", PyType::Bool),
    ("list", PyType::List),
    ("dict", PyType::Dict),
    ("set", PyType::Set),
    ("tuple", PyType::Tuple),
];

/// A syntax or name error in a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The byte offset (0 for name errors, which point at no token).
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.at)
    }
}

impl std::error::Error for ParseError {}

impl Program {
    /// The program as text: the condition, then its `where` section.
    pub fn to_text(&self) -> String {
        print::program(self)
    }
}

/// Names assigned by statements (loop targets included, comprehension
/// variables not): the locals of a `def` that are not declared `global`.
pub fn assigned_names(stmts: &[Stmt], out: &mut BTreeSet<String>) {
    fn target(t: &Target, out: &mut BTreeSet<String>) {
        match t {
            Target::Name(n) => {
                out.insert(n.clone());
            }
            Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            Target::Subscript(..) => {}
        }
    }
    for s in stmts {
        match s {
            Stmt::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            Stmt::AugAssign { target: t, .. } => target(t, out),
            Stmt::For { target: t, body, orelse, .. } => {
                target(t, out);
                assigned_names(body, out);
                assigned_names(orelse, out);
            }
            Stmt::If { then, orelse, .. } => {
                assigned_names(then, out);
                assigned_names(orelse, out);
            }
            Stmt::While { body, orelse, .. } => {
                assigned_names(body, out);
                assigned_names(orelse, out);
            }
            Stmt::Try { body, handlers, orelse } => {
                assigned_names(body, out);
                handlers.iter().for_each(|(_, b)| assigned_names(b, out));
                assigned_names(orelse, out);
            }
            Stmt::Break | Stmt::Continue | Stmt::Pass | Stmt::Raise { .. } | Stmt::Return(_) | Stmt::Expr(_) => {}
        }
    }
}

/// The resource fields `p` reads (`resource["K"]`, `K`, `K?`) that none of
/// `resource_types` has, sorted: what the compiler reports as `E0401` for a
/// policy. Empty for a policy over any resource type.
pub fn unknown_fields(p: &Program, resource_types: &[String]) -> Vec<String> {
    let schemas: Vec<_> = resource_types.iter().filter_map(|t| pounce_runtime::resources::schema_for(t)).collect();
    if schemas.is_empty() {
        return Vec::new();
    }
    let mut keys = BTreeSet::new();
    fn walk(e: &Expr, keys: &mut BTreeSet<String>) {
        match e {
            Expr::Subscript(v, k) | Expr::Get { value: v, key: k, .. } if **v == Expr::Root => {
                if let Expr::Lit(Literal::Str(key)) = k.as_ref() {
                    keys.insert(key.clone());
                }
            }
            _ => {}
        }
        e.for_each_child(&mut |c| walk(c, keys));
    }
    let mut exprs = vec![p.condition.clone()];
    for d in &p.defs {
        match d {
            ast::Def::Global { value: ast::GlobalValue::Expr(e), .. } => exprs.push(e.clone()),
            ast::Def::Function(f) => match &f.body {
                ast::Body::Expr(e) => exprs.push(e.clone()),
                ast::Body::Block(b) => stmt_exprs(&b.stmts, &mut exprs),
            },
            _ => {}
        }
    }
    exprs.iter().for_each(|e| walk(e, &mut keys));
    keys.into_iter().filter(|k| !schemas.iter().any(|s| s.field(k).is_some())).collect()
}

fn stmt_exprs(stmts: &[Stmt], out: &mut Vec<Expr>) {
    fn target(t: &Target, out: &mut Vec<Expr>) {
        match t {
            Target::Subscript(a, b) => {
                out.push(a.clone());
                out.push(b.clone());
            }
            Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            Target::Name(_) => {}
        }
    }
    for s in stmts {
        match s {
            Stmt::If { cond, then, orelse } | Stmt::While { cond, body: then, orelse } => {
                out.push(cond.clone());
                stmt_exprs(then, out);
                stmt_exprs(orelse, out);
            }
            Stmt::For { target: t, iter, body, orelse } => {
                target(t, out);
                out.push(iter.clone());
                stmt_exprs(body, out);
                stmt_exprs(orelse, out);
            }
            Stmt::Assign { targets, value } => {
                targets.iter().for_each(|t| target(t, out));
                out.push(value.clone());
            }
            Stmt::AugAssign { target: t, value, .. } => {
                target(t, out);
                out.push(value.clone());
            }
            Stmt::Try { body, handlers, orelse } => {
                stmt_exprs(body, out);
                handlers.iter().for_each(|(_, b)| stmt_exprs(b, out));
                stmt_exprs(orelse, out);
            }
            Stmt::Raise { message: Some(e), .. } | Stmt::Return(Some(e)) | Stmt::Expr(e) => out.push(e.clone()),
            Stmt::Raise { message: None, .. } | Stmt::Return(None) | Stmt::Break | Stmt::Continue | Stmt::Pass => {}
        }
    }
}

/// One row of a catalog page's exclusions table: a top-level negated
/// disjunct of the condition (a predicate that suppresses the alert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// The resource field it tests (`OwnerId`, `Tags["Owner"]`), or `—`.
    pub field: String,
    /// How (`in`, `!=`, `not`, `startswith`, `expression`, ...).
    pub kind: String,
    /// The values or the other operand; the whole predicate for
    /// `expression`.
    pub values: Vec<String>,
}

/// The exclusions of `p`: the disjuncts of every top-level `not (a or b
/// ...)` conjunct of its condition (looking through `let`s), sorted by
/// field.
pub fn exclusions(p: &Program) -> Vec<Exclusion> {
    let mut disjuncts = Vec::new();
    collect_exclusions(&p.condition, &mut disjuncts);
    let mut rows: Vec<Exclusion> = disjuncts.into_iter().map(|d| describe(p, d)).collect();
    rows.sort_by(|a, b| (&a.field, &a.kind).cmp(&(&b.field, &b.kind)));
    rows
}

fn collect_exclusions<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Let { body, .. } => collect_exclusions(body, out),
        Expr::And(xs) => xs.iter().for_each(|x| collect_exclusions(x, out)),
        Expr::Not(inner) => match inner.as_ref() {
            Expr::Or(ds) => out.extend(ds.iter()),
            Expr::Let { body, .. } if matches!(body.as_ref(), Expr::Or(_)) => {
                if let Expr::Or(ds) = body.as_ref() {
                    out.extend(ds.iter());
                }
            }
            d => out.push(d),
        },
        _ => {}
    }
}

/// Whether `e` is a path into the resource with literal keys.
fn is_path(e: &Expr) -> bool {
    match e {
        Expr::Root | Expr::Var(_) => true,
        Expr::Subscript(v, k) => is_path(v) && matches!(k.as_ref(), Expr::Lit(_)),
        Expr::Get { value, key, default } => {
            is_path(value) && matches!(key.as_ref(), Expr::Lit(_)) && default.as_ref().is_none_or(|d| literal_value(d).is_some())
        }
        _ => false,
    }
}

/// The elements of a display of literals, or the literal itself.
fn literal_value(e: &Expr) -> Option<Vec<String>> {
    let text = |l: &Literal| match l {
        Literal::Str(s) => s.clone(),
        other => print::literal(other),
    };
    match e {
        Expr::Lit(l) => Some(vec![text(l)]),
        Expr::List(xs) | Expr::Tuple(xs) | Expr::Set(xs) => xs
            .iter()
            .map(|x| match x {
                Expr::Lit(l) => Some(text(l)),
                _ => None,
            })
            .collect(),
        Expr::Dict(es) => es
            .iter()
            .map(|(k, _)| match k {
                Expr::Lit(l) => Some(text(l)),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn describe(p: &Program, d: &Expr) -> Exclusion {
    let show = |e: &Expr| print::expr_in(p, e);
    let row = |field: String, kind: &str, values: Vec<String>| Exclusion { field, kind: kind.to_owned(), values };
    match d {
        Expr::Compare { left, rest } if rest.len() == 1 => {
            let Some((op, right)) = rest.first() else { return row("—".to_owned(), "expression", vec![show(d)]) };
            match (is_path(left), is_path(right), op) {
                (true, _, CmpOp::Is | CmpOp::IsNot) => {
                    let kind = format!("{} {}", op.as_str(), show(right));
                    Exclusion { field: show(left), kind, values: Vec::new() }
                }
                (true, _, _) => match literal_value(right) {
                    Some(values) => row(show(left), op.as_str(), values),
                    None => row(show(left), op.as_str(), vec![show(right)]),
                },
                (false, true, CmpOp::In | CmpOp::NotIn) => {
                    let kind = if *op == CmpOp::In { "contains" } else { "does not contain" };
                    row(show(right), kind, literal_value(left).unwrap_or_else(|| vec![show(left)]))
                }
                _ => row("—".to_owned(), "expression", vec![show(d)]),
            }
        }
        Expr::Not(x) if is_path(x) => row(show(x), "not", Vec::new()),
        e if is_path(e) => row(show(e), "truthy", Vec::new()),
        Expr::Call { callee: Callee::Method(recv, m), args, .. } if is_path(recv) && args.len() == 1 => {
            let values = args.first().and_then(literal_value).unwrap_or_else(|| args.iter().map(show).collect());
            row(show(recv), m, values)
        }
        _ => row("—".to_owned(), "expression", vec![show(d)]),
    }
}

#[cfg(test)]
mod tests;
