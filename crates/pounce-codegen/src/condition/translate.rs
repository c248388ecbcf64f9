//! Renders a policy's IR as a condition: when `policy()` alerts.
//!
//! A function body is read as a decision tree (continuation-passing over
//! its statements): `if`s become branches, assignments become `let`s,
//! `for` loops whose iterations either continue or leave the function the
//! same way become `any(...)` over the loop's iterable, and the leaves are
//! the values the function returns. The tree of `policy` becomes its
//! verdict `P` (truthy when compliant) and the condition is `not P`,
//! simplified with rules that keep the value (or, in a condition, the
//! truth) and the order of evaluation, so exceptions happen where the
//! compiled code raises them.
//!
//! What a pure expression cannot say exactly (`while`, `try`, assignments
//! to globals or subscripts, loops that carry variables between
//! iterations) stays a statement function in the `where` section: the
//! function from its first such top-level statement on becomes a `def`
//! called with the variables bound so far.

use std::collections::{BTreeMap, BTreeSet};

use pounce_runtime::natives::{self, Entry, Item};

use super::ast::{
    Block, Body, Callee, CompKind, Def, Expr, FPart, Function, Generator, GlobalValue, Literal, Native, Pattern, Program, Stmt, Target,
};
use super::{print, RESERVED};
use crate::analyze::{AnalyzedPolicy, Import};
use crate::ir::{self, Builtin, ExprKind, StmtKind};

/// Node budget of one function's decision tree (continuations are copied
/// into both branches of an `if`).
const TREE_BUDGET: usize = 600;
/// Helpers with a body of at most this many nodes, called once, are
/// written in place.
const INLINE_SIZE: usize = 24;
/// Module constants printed in place up to this many characters.
const INLINE_CHARS: usize = 100;

/// The condition of `policy`.
pub fn render(p: &AnalyzedPolicy) -> Program {
    let mut mockable: BTreeSet<String> = BTreeSet::new();
    for t in &p.spec.tests {
        for m in &t.mocks {
            if p.module.names.contains(&m.name) {
                mockable.insert(m.name.clone());
            }
        }
    }
    let mut tr = Tr {
        module: &p.module,
        imports: &p.imports,
        mockable,
        inline_globals: BTreeMap::new(),
        helpers: BTreeMap::new(),
        in_progress: BTreeSet::new(),
        call_counts: BTreeMap::new(),
        tails: Vec::new(),
        synthetic_imports: Vec::new(),
        nodes: 0,
        loop_names: Vec::new(),
        loop_live: Vec::new(),
        budget: usize::MAX,
    };
    tr.inline_globals = tr.inlinable_globals();
    tr.count_calls();
    tr.program()
}

#[derive(Debug)]
struct NotPure;

type R<T> = Result<T, NotPure>;

/// What an expression is translated for: its value, or only its truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Value,
    Truth,
}

/// A decision tree: the result of running statements.
#[derive(Debug, Clone)]
enum Tree {
    Leaf(Leaf),
    If(Expr, Box<Tree>, Box<Tree>),
    Let(Pattern, Expr, Box<Tree>),
}

#[derive(Debug, Clone)]
enum Leaf {
    Return(Expr),
    Raise(Expr),
    Break,
    Continue,
}

impl Tree {
    fn size(&self) -> usize {
        match self {
            Tree::Leaf(Leaf::Return(e) | Leaf::Raise(e)) => e.size(),
            Tree::Leaf(_) => 1,
            Tree::If(c, a, b) => c.size() + a.size() + b.size(),
            Tree::Let(_, v, t) => v.size() + t.size(),
        }
    }

    fn leaves<'t>(&'t self, out: &mut Vec<&'t Leaf>) {
        match self {
            Tree::Leaf(l) => out.push(l),
            Tree::If(_, a, b) => {
                a.leaves(out);
                b.leaves(out);
            }
            Tree::Let(_, _, t) => t.leaves(out),
        }
    }

    fn branches(&self) -> bool {
        match self {
            Tree::Leaf(_) => false,
            Tree::If(..) => true,
            Tree::Let(_, _, t) => t.branches(),
        }
    }

    fn binders(&self, out: &mut BTreeSet<String>) {
        match self {
            Tree::Leaf(_) => {}
            Tree::If(_, a, b) => {
                a.binders(out);
                b.binders(out);
            }
            Tree::Let(p, _, t) => {
                out.extend(p.names().into_iter().map(str::to_owned));
                t.binders(out);
            }
        }
    }
}

/// What a Python name of the function being translated is bound to.
#[derive(Debug, Clone)]
enum Bound {
    Root,
    Var(String),
}

#[derive(Debug, Clone, Default)]
struct Env {
    bindings: Vec<(String, Bound)>,
    /// In a `def` body: Python names of the frame, and the names they are
    /// written as (reads are plain variables; the interpreter raises for
    /// an unassigned local).
    block: Option<BTreeMap<String, String>>,
    /// Locals of the function known to be unassigned where a `def` tail
    /// starts: reading one raises `UnboundLocalError`.
    unbound: BTreeSet<String>,
    /// The function's locals.
    locals: BTreeSet<String>,
}

impl Env {
    fn lookup(&self, name: &str) -> Option<&Bound> {
        self.bindings.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    fn bind(&mut self, py: &str, ast: &str) {
        self.bindings.push((py.to_owned(), Bound::Var(ast.to_owned())));
    }
}

/// What runs after a block falls off its end.
#[derive(Debug, Clone, Copy)]
enum Frame<'m> {
    /// More statements.
    Stmts(&'m [ir::Stmt]),
    /// The end of a loop body: the next iteration.
    LoopBody,
    /// The end of the function: `return None`.
    FunctionEnd,
    /// The start of the function's `def` tail.
    Tail,
}

/// A translated helper.
#[derive(Debug, Clone)]
enum Helper {
    Pure { params: Vec<String>, tree: Tree },
    Block(Function),
}

/// Where the `def` tail of the function being translated starts.
#[derive(Debug, Clone)]
struct TailPlan {
    index: usize,
    name: String,
    /// Python names passed to the tail (bound where it starts and used in
    /// it), fixed by the first path that reaches it.
    params: Option<Vec<String>>,
    mentioned: BTreeSet<String>,
    /// Python names bound to the resource itself where the tail starts:
    /// the tail reads them as `resource` instead of taking a parameter.
    root: BTreeSet<String>,
}

struct Tr<'m> {
    module: &'m ir::Module,
    imports: &'m [Import],
    mockable: BTreeSet<String>,
    inline_globals: BTreeMap<String, Expr>,
    helpers: BTreeMap<String, Helper>,
    in_progress: BTreeSet<String>,
    call_counts: BTreeMap<String, usize>,
    tails: Vec<(String, Function)>,
    synthetic_imports: Vec<Def>,
    nodes: usize,
    /// Python names assigned in the bodies of the loops being translated.
    loop_names: Vec<BTreeSet<String>>,
    /// For each loop being translated, the names live at its head.
    loop_live: Vec<BTreeSet<String>>,
    /// How many nodes a decision tree may cost (copies included) before
    /// the function's tail becomes a `def`; unlimited outside trees.
    budget: usize,
}

fn renamed(name: &str, taken: &BTreeSet<String>) -> String {
    if !RESERVED.contains(&name) {
        return name.to_owned();
    }
    let mut n = format!("{name}_");
    while taken.contains(&n) || RESERVED.contains(&n.as_str()) {
        n.push('_');
    }
    n
}

/// `not e`, simplified where the value is kept.
fn mk_not(e: Expr, ctx: Ctx) -> Expr {
    match e {
        Expr::Lit(Literal::Bool(b)) => Expr::bool(!b),
        Expr::Not(x) if ctx == Ctx::Truth => *x,
        Expr::Not(x) => Expr::Call { callee: Callee::Builtin(Builtin::Bool), args: vec![*x], kwargs: Vec::new() },
        Expr::Call { callee: Callee::Builtin(Builtin::Bool), args, kwargs } if args.len() == 1 && kwargs.is_empty() => {
            Expr::Not(Box::new(args.into_iter().next().unwrap_or(Expr::Lit(Literal::None))))
        }
        Expr::Compare { left, rest } if rest.len() == 1 => {
            let Some((op, r)) = rest.into_iter().next() else { return Expr::bool(true) };
            match print::negated(op) {
                Some(n) => Expr::Compare { left, rest: vec![(n, r)] },
                None => Expr::Not(Box::new(Expr::Compare { left, rest: vec![(op, r)] })),
            }
        }
        Expr::Let { pattern, value, body } if ctx == Ctx::Truth => Expr::Let { pattern, value, body: Box::new(mk_not(*body, ctx)) },
        other => Expr::Not(Box::new(other)),
    }
}

/// `a == b`, `a is b` (and their negations) of two scalar literals.
fn fold_compare(e: Expr) -> Expr {
    let Expr::Compare { left, rest } = &e else { return e };
    let ([(op, right)], Expr::Lit(l)) = (rest.as_slice(), left.as_ref()) else { return e };
    let Expr::Lit(r) = right else { return e };
    let same_kind = matches!(
        (l, r),
        (Literal::None, Literal::None)
            | (Literal::Bool(_), Literal::Bool(_))
            | (Literal::Str(_), Literal::Str(_))
            | (Literal::Int(_), Literal::Int(_))
    );
    let singletons = matches!(l, Literal::None | Literal::Bool(_)) && matches!(r, Literal::None | Literal::Bool(_));
    match op {
        ir::CmpOp::Eq if same_kind => Expr::bool(l == r),
        ir::CmpOp::NotEq if same_kind => Expr::bool(l != r),
        ir::CmpOp::Is if singletons => Expr::bool(l == r),
        ir::CmpOp::IsNot if singletons => Expr::bool(l != r),
        _ => e,
    }
}

fn mk_or(a: Expr, b: Expr) -> Expr {
    // A literal first operand decides (or drops out) without evaluating
    // anything.
    match a.as_bool() {
        Some(true) => return a,
        Some(false) => return b,
        None => {}
    }
    let mut xs = match a {
        Expr::Or(xs) => xs,
        other => vec![other],
    };
    match b {
        Expr::Or(ys) => xs.extend(ys),
        other => xs.push(other),
    }
    Expr::Or(xs)
}

fn mk_and(a: Expr, b: Expr) -> Expr {
    match a.as_bool() {
        Some(false) => return a,
        Some(true) => return b,
        None => {}
    }
    let mut xs = match a {
        Expr::And(xs) => xs,
        other => vec![other],
    };
    match b {
        Expr::And(ys) => xs.extend(ys),
        other => xs.push(other),
    }
    Expr::And(xs)
}

/// Whether `e`, when it yields a value, yields a `bool`.
fn surely_bool(e: &Expr, fns: &BTreeMap<String, bool>) -> bool {
    const PREDICATES: &[&str] = &[
        "startswith",
        "endswith",
        "isdigit",
        "isnumeric",
        "isdecimal",
        "isalpha",
        "isalnum",
        "islower",
        "isupper",
        "issubset",
        "issuperset",
        "isdisjoint",
    ];
    match e {
        Expr::Lit(Literal::Bool(_)) | Expr::Compare { .. } | Expr::Not(_) | Expr::Raise { .. } => true,
        Expr::Call { callee: Callee::Builtin(Builtin::Bool | Builtin::Any | Builtin::All | Builtin::IsInstance) | Callee::ExpectBool, .. } => true,
        Expr::Call { callee: Callee::Method(_, m), .. } => PREDICATES.contains(&m.as_str()),
        Expr::Call { callee: Callee::Function(f), .. } => fns.get(f).copied().unwrap_or(false),
        Expr::And(xs) | Expr::Or(xs) => xs.iter().all(|x| surely_bool(x, fns)),
        Expr::IfExp { body, orelse, .. } => surely_bool(body, fns) && surely_bool(orelse, fns),
        Expr::Let { body, .. } => surely_bool(body, fns),
        _ => false,
    }
}

/// Whether evaluating `e` can neither raise nor have an effect (so it may
/// be moved or repeated).
fn total(e: &Expr) -> bool {
    match e {
        Expr::Lit(l) => !matches!(l, Literal::List(_) | Literal::Set(_) | Literal::Dict(_)),
        Expr::Var(_) | Expr::Root | Expr::Global(_) => true,
        Expr::Get { value, key, default } => {
            matches!(value.as_ref(), Expr::Root)
                && matches!(key.as_ref(), Expr::Lit(Literal::Str(_)))
                && default.as_ref().is_none_or(|d| matches!(d.as_ref(), Expr::Lit(_)) && total(d))
        }
        Expr::And(xs) | Expr::Or(xs) => xs.iter().all(total),
        Expr::Not(x) => total(x),
        Expr::IfExp { test, body, orelse } => total(test) && total(body) && total(orelse),
        _ => false,
    }
}

/// Whether `e` is cheap enough to write more than once.
fn atomic(e: &Expr) -> bool {
    match e {
        Expr::Lit(l) => !matches!(l, Literal::List(_) | Literal::Set(_) | Literal::Dict(_)),
        Expr::Var(_) | Expr::Root | Expr::Global(_) => true,
        Expr::Get { .. } => total(e),
        _ => false,
    }
}

/// How many times the variable `name` is read free in `e`, and whether a
/// binder in `e` shadows it or binds a name of `avoid`.
fn occurrences(e: &Expr, name: &str, avoid: &BTreeSet<String>, blocked: &mut bool) -> usize {
    match e {
        Expr::Var(v) => usize::from(v == name),
        Expr::Let { pattern, value, body } => {
            let n = occurrences(value, name, avoid, blocked);
            let names = pattern.names();
            if names.iter().any(|b| avoid.contains(*b)) {
                *blocked = true;
            }
            if names.contains(&name) {
                n
            } else {
                n + occurrences(body, name, avoid, blocked)
            }
        }
        Expr::Comp { elt, value, generators, .. } => {
            let mut n = 0;
            let mut shadowed = false;
            for g in generators {
                if !shadowed {
                    n += occurrences(&g.iter, name, avoid, blocked);
                }
                let names = g.target.names();
                if names.iter().any(|b| avoid.contains(*b)) {
                    *blocked = true;
                }
                if names.contains(&name) {
                    shadowed = true;
                }
                if !shadowed {
                    for c in &g.ifs {
                        n += occurrences(c, name, avoid, blocked);
                    }
                }
            }
            if !shadowed {
                n += occurrences(elt, name, avoid, blocked);
                if let Some(v) = value {
                    n += occurrences(v, name, avoid, blocked);
                }
            }
            n
        }
        Expr::Lambda { params, body } => {
            if params.iter().any(|p| avoid.contains(p)) {
                *blocked = true;
            }
            if params.iter().any(|p| p == name) {
                0
            } else {
                occurrences(body, name, avoid, blocked)
            }
        }
        _ => {
            let mut n = 0;
            e.for_each_child(&mut |c| n += occurrences(c, name, avoid, blocked));
            n
        }
    }
}

/// Replaces the free variable `name` by `with` in `e`.
fn substitute(e: Expr, name: &str, with: &Expr) -> Expr {
    let sub = |x: Expr| substitute(x, name, with);
    let sub_box = |x: Box<Expr>| Box::new(substitute(*x, name, with));
    match e {
        Expr::Var(v) if v == name => with.clone(),
        Expr::Let { pattern, value, body } => {
            let value = sub_box(value);
            if pattern.names().contains(&name) {
                Expr::Let { pattern, value, body }
            } else {
                Expr::Let { pattern, value, body: sub_box(body) }
            }
        }
        Expr::Comp { kind, elt, value, generators } => {
            let mut shadowed = false;
            let mut gens = Vec::new();
            for g in generators {
                let iter = if shadowed { g.iter } else { sub(g.iter) };
                if g.target.names().contains(&name) {
                    shadowed = true;
                }
                let ifs = if shadowed { g.ifs } else { g.ifs.into_iter().map(sub).collect() };
                gens.push(Generator { target: g.target, iter, ifs });
            }
            if shadowed {
                Expr::Comp { kind, elt, value, generators: gens }
            } else {
                Expr::Comp { kind, elt: sub_box(elt), value: value.map(sub_box), generators: gens }
            }
        }
        Expr::Lambda { params, body } => {
            if params.iter().any(|p| p == name) {
                Expr::Lambda { params, body }
            } else {
                Expr::Lambda { params, body: sub_box(body) }
            }
        }
        Expr::Subscript(a, b) => Expr::Subscript(sub_box(a), sub_box(b)),
        Expr::BinOp(op, a, b) => Expr::BinOp(op, sub_box(a), sub_box(b)),
        Expr::Get { value, key, default } => Expr::Get { value: sub_box(value), key: sub_box(key), default: default.map(sub_box) },
        Expr::Attribute(v, a) => Expr::Attribute(sub_box(v), a),
        Expr::Neg(x) => Expr::Neg(sub_box(x)),
        Expr::Not(x) => Expr::Not(sub_box(x)),
        Expr::Call { callee, args, kwargs } => {
            let callee = match callee {
                Callee::Method(r, m) => Callee::Method(sub_box(r), m),
                Callee::Value(v) => Callee::Value(sub_box(v)),
                other => other,
            };
            Expr::Call { callee, args: args.into_iter().map(sub).collect(), kwargs: kwargs.into_iter().map(|(k, v)| (k, sub(v))).collect() }
        }
        Expr::Compare { left, rest } => Expr::Compare { left: sub_box(left), rest: rest.into_iter().map(|(op, r)| (op, sub(r))).collect() },
        Expr::And(xs) => Expr::And(xs.into_iter().map(sub).collect()),
        Expr::Or(xs) => Expr::Or(xs.into_iter().map(sub).collect()),
        Expr::List(xs) => Expr::List(xs.into_iter().map(sub).collect()),
        Expr::Tuple(xs) => Expr::Tuple(xs.into_iter().map(sub).collect()),
        Expr::Set(xs) => Expr::Set(xs.into_iter().map(sub).collect()),
        Expr::Dict(es) => Expr::Dict(es.into_iter().map(|(k, v)| (sub(k), sub(v))).collect()),
        Expr::IfExp { test, body, orelse } => Expr::IfExp { test: sub_box(test), body: sub_box(body), orelse: sub_box(orelse) },
        Expr::FString(parts) => Expr::FString(
            parts
                .into_iter()
                .map(|p| match p {
                    FPart::Expr(x, c) => FPart::Expr(sub(x), c),
                    lit @ FPart::Lit(_) => lit,
                })
                .collect(),
        ),
        Expr::Raise { exc, message } => Expr::Raise { exc, message: message.map(sub_box) },
        other @ (Expr::Lit(_) | Expr::Root | Expr::Var(_) | Expr::Global(_) | Expr::TypeRef(_) | Expr::NativeRef(_)) => other,
    }
}

/// Free variables of `e` (over-approximated: every variable read).
fn vars_read(e: &Expr, out: &mut BTreeSet<String>) {
    if let Expr::Var(v) = e {
        out.insert(v.clone());
    }
    e.for_each_child(&mut |c| vars_read(c, out));
}

/// Whether the first thing `body` evaluates is the variable `name`.
fn evaluated_first(body: &Expr, name: &str) -> bool {
    match body {
        Expr::Var(v) => v == name,
        Expr::Subscript(v, _) | Expr::Attribute(v, _) | Expr::Neg(v) | Expr::Not(v) | Expr::BinOp(_, v, _) => evaluated_first(v, name),
        Expr::Get { value, .. } => evaluated_first(value, name),
        Expr::Compare { left, .. } => evaluated_first(left, name),
        Expr::And(xs) | Expr::Or(xs) | Expr::List(xs) | Expr::Tuple(xs) | Expr::Set(xs) => xs.first().is_some_and(|x| evaluated_first(x, name)),
        Expr::IfExp { test, .. } => evaluated_first(test, name),
        Expr::Let { value, .. } => evaluated_first(value, name),
        Expr::Call { callee: Callee::Method(r, _), .. } => evaluated_first(r, name),
        // (A helper's mock would replace the call before its arguments.)
        Expr::Call { callee: Callee::Builtin(_) | Callee::ExpectBool | Callee::Native(_), args, .. } => match args.first() {
            Some(Expr::Comp { generators, .. }) => generators.first().is_some_and(|g| evaluated_first(&g.iter, name)),
            Some(a) => evaluated_first(a, name),
            None => false,
        },
        Expr::Comp { generators, .. } => generators.first().is_some_and(|g| evaluated_first(&g.iter, name)),
        Expr::Dict(es) => es.first().is_some_and(|(k, _)| evaluated_first(k, name)),
        _ => false,
    }
}

/// `let pattern = value in body`, written in place when that keeps the
/// meaning: a value that cannot raise, or one read once and first.
fn mk_let(pattern: Pattern, value: Expr, body: Expr) -> Expr {
    let Pattern::Name(name) = &pattern else {
        return Expr::Let { pattern, value: Box::new(value), body: Box::new(body) };
    };
    let mut free = BTreeSet::new();
    vars_read(&value, &mut free);
    let mut blocked = false;
    let n = occurrences(&body, name, &free, &mut blocked);
    if !blocked {
        if n == 0 && total(&value) {
            return body;
        }
        let repeatable = matches!(value, Expr::Var(_) | Expr::Root | Expr::Lit(_) | Expr::Global(_)) || n <= 2;
        let movable = (total(&value) && (n == 1 || (atomic(&value) && repeatable))) || (n == 1 && evaluated_first(&body, name));
        if movable && n >= 1 {
            return substitute(body, name, &value);
        }
    }
    Expr::Let { pattern, value: Box::new(value), body: Box::new(body) }
}

/// Names of locals read or assigned in `stmts`.
fn names_in_stmts(stmts: &[ir::Stmt], out: &mut BTreeSet<String>) {
    for s in stmts {
        names_in_stmt(s, out);
    }
}

fn names_in_target(t: &ir::Target, out: &mut BTreeSet<String>) {
    match t {
        ir::Target::Local(n) | ir::Target::Global(n) | ir::Target::Var(n) => {
            out.insert(n.clone());
        }
        ir::Target::Subscript(a, b) => {
            names_in_expr(a, out);
            names_in_expr(b, out);
        }
        ir::Target::Tuple(items) => items.iter().for_each(|i| names_in_target(i, out)),
    }
}

fn names_in_expr(e: &ir::Expr, out: &mut BTreeSet<String>) {
    crate::typecheck::visit(e, &mut |x| {
        if let ExprKind::Local(n) | ExprKind::Param(n) = &x.kind {
            out.insert(n.clone());
        }
    });
}

fn names_in_stmt(s: &ir::Stmt, out: &mut BTreeSet<String>) {
    match &s.kind {
        StmtKind::If { cond, then, orelse } => {
            names_in_expr(cond, out);
            names_in_stmts(then, out);
            names_in_stmts(orelse, out);
        }
        StmtKind::For { target, iter, body, orelse } => {
            names_in_target(target, out);
            names_in_expr(iter, out);
            names_in_stmts(body, out);
            names_in_stmts(orelse, out);
        }
        StmtKind::While { cond, body, orelse } => {
            names_in_expr(cond, out);
            names_in_stmts(body, out);
            names_in_stmts(orelse, out);
        }
        StmtKind::Assign { targets, value } => {
            targets.iter().for_each(|t| names_in_target(t, out));
            names_in_expr(value, out);
        }
        StmtKind::AugAssign { target, value, .. } => {
            names_in_target(target, out);
            names_in_expr(value, out);
        }
        StmtKind::Try { body, handlers, orelse } => {
            names_in_stmts(body, out);
            handlers.iter().for_each(|h| names_in_stmts(&h.body, out));
            names_in_stmts(orelse, out);
        }
        StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => names_in_expr(e, out),
        StmtKind::Raise { message: None, .. } | StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
    }
}

/// The locals live at the head of a loop (before it takes its next
/// element): those the exit or another iteration reads first.
fn loop_head(body: &[ir::Stmt], targets: &BTreeSet<String>, exit: &BTreeSet<String>, cond: &BTreeSet<String>) -> BTreeSet<String> {
    let base: BTreeSet<String> = exit.union(cond).cloned().collect();
    let mut head = base.clone();
    for _ in 0..16 {
        let mut in_body = live(body, &head);
        in_body.retain(|n| !targets.contains(n));
        let next: BTreeSet<String> = base.union(&in_body).cloned().collect();
        if next == head {
            break;
        }
        head = next;
    }
    head
}

/// Locals read anywhere in `stmts`.
fn all_reads(stmts: &[ir::Stmt], out: &mut BTreeSet<String>) {
    let mut exprs = Vec::new();
    collect_exprs(stmts, &mut exprs);
    for e in exprs {
        names_in_expr(e, out);
    }
}

fn reads(e: &ir::Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    names_in_expr(e, &mut out);
    out
}

/// The locals live before `stmts` when `after` are live after them (read
/// on some path before being assigned), over-approximated for loops and
/// `try`.
fn live(stmts: &[ir::Stmt], after: &BTreeSet<String>) -> BTreeSet<String> {
    let mut l = after.clone();
    for s in stmts.iter().rev() {
        l = live_stmt(s, &l);
    }
    l
}

fn live_stmt(s: &ir::Stmt, after: &BTreeSet<String>) -> BTreeSet<String> {
    let union = |a: BTreeSet<String>, b: &BTreeSet<String>| -> BTreeSet<String> { a.union(b).cloned().collect() };
    match &s.kind {
        StmtKind::Assign { .. } => {
            let mut killed = BTreeSet::new();
            assigned_in(std::slice::from_ref(s), &mut killed);
            let mut l: BTreeSet<String> = after.iter().filter(|n| !killed.contains(*n)).cloned().collect();
            all_reads(std::slice::from_ref(s), &mut l);
            l
        }
        StmtKind::If { cond, then, orelse } => union(union(reads(cond), &live(then, after)), &live(orelse, after)),
        StmtKind::For { target, iter, body, orelse } => {
            let mut t = BTreeSet::new();
            names_in_target(target, &mut t);
            let exit = union(live(orelse, after), after);
            union(reads(iter), &loop_head(body, &t, &exit, &BTreeSet::new()))
        }
        StmtKind::While { cond, body, orelse } => {
            let exit = union(live(orelse, after), after);
            loop_head(body, &BTreeSet::new(), &exit, &reads(cond))
        }
        StmtKind::Try { .. } => {
            let mut l = after.clone();
            all_reads(std::slice::from_ref(s), &mut l);
            l
        }
        StmtKind::Return(Some(e)) | StmtKind::Raise { message: Some(e), .. } => reads(e),
        StmtKind::Return(None) | StmtKind::Raise { message: None, .. } => BTreeSet::new(),
        StmtKind::Expr(_) | StmtKind::AugAssign { .. } => {
            let mut l = after.clone();
            all_reads(std::slice::from_ref(s), &mut l);
            if let StmtKind::AugAssign { target: ir::Target::Local(n), .. } = &s.kind {
                l.insert(n.clone());
            }
            l
        }
        StmtKind::Break | StmtKind::Continue | StmtKind::Pass => after.clone(),
    }
}

/// Locals assigned in `stmts` (loop targets included).
fn assigned_in(stmts: &[ir::Stmt], out: &mut BTreeSet<String>) {
    fn target(t: &ir::Target, out: &mut BTreeSet<String>) {
        match t {
            ir::Target::Local(n) => {
                out.insert(n.clone());
            }
            ir::Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            ir::Target::Global(_) | ir::Target::Var(_) | ir::Target::Subscript(..) => {}
        }
    }
    for s in stmts {
        match &s.kind {
            StmtKind::If { then, orelse, .. } => {
                assigned_in(then, out);
                assigned_in(orelse, out);
            }
            StmtKind::For { target: t, body, orelse, .. } => {
                target(t, out);
                assigned_in(body, out);
                assigned_in(orelse, out);
            }
            StmtKind::While { body, orelse, .. } => {
                assigned_in(body, out);
                assigned_in(orelse, out);
            }
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            StmtKind::AugAssign { target: t, .. } => target(t, out),
            StmtKind::Try { body, handlers, orelse } => {
                assigned_in(body, out);
                handlers.iter().for_each(|h| assigned_in(&h.body, out));
                assigned_in(orelse, out);
            }
            StmtKind::Raise { .. } | StmtKind::Return(_) | StmtKind::Expr(_) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }
}

/// Whether a top-level statement needs a `def` (a pure expression cannot
/// say what it does).
fn needs_block(s: &ir::Stmt) -> bool {
    match &s.kind {
        StmtKind::While { .. } | StmtKind::Try { .. } => true,
        StmtKind::Assign { targets, .. } => {
            targets.iter().any(|t| !pure_target(t)) || (targets.len() > 1 && !matches!(targets.first(), Some(ir::Target::Local(_))))
        }
        StmtKind::AugAssign { target, .. } => !matches!(target, ir::Target::Local(_)),
        StmtKind::If { then, orelse, .. } => then.iter().chain(orelse).any(needs_block),
        StmtKind::For { target, body, orelse, .. } => !pure_target(target) || body.iter().chain(orelse).any(needs_block),
        StmtKind::Raise { .. } | StmtKind::Return(_) | StmtKind::Expr(_) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => false,
    }
}

fn pure_target(t: &ir::Target) -> bool {
    match t {
        ir::Target::Local(_) => true,
        ir::Target::Tuple(items) => items.iter().all(pure_target),
        ir::Target::Global(_) | ir::Target::Var(_) | ir::Target::Subscript(..) => false,
    }
}

/// Whether `stmts` can run off their end.
fn falls_through(stmts: &[Stmt]) -> bool {
    match stmts.last() {
        None => true,
        Some(Stmt::Return(_) | Stmt::Raise { .. }) => false,
        Some(Stmt::If { then, orelse, .. }) => falls_through(then) || falls_through(orelse),
        Some(Stmt::Try { body, handlers, orelse }) => {
            (falls_through(body) && falls_through(orelse)) || falls_through(orelse) || handlers.iter().any(|(_, b)| falls_through(b))
        }
        Some(_) => true,
    }
}

fn block_returns_bool(stmts: &[Stmt], fns: &BTreeMap<String, bool>) -> bool {
    fn returns(stmts: &[Stmt], fns: &BTreeMap<String, bool>) -> bool {
        stmts.iter().all(|s| match s {
            Stmt::Return(None) => false,
            Stmt::Return(Some(e)) => surely_bool(e, fns),
            Stmt::If { then, orelse, .. } => returns(then, fns) && returns(orelse, fns),
            Stmt::For { body, orelse, .. } | Stmt::While { body, orelse, .. } => returns(body, fns) && returns(orelse, fns),
            Stmt::Try { body, handlers, orelse } => returns(body, fns) && handlers.iter().all(|(_, b)| returns(b, fns)) && returns(orelse, fns),
            _ => true,
        })
    }
    !falls_through(stmts) && returns(stmts, fns)
}

impl<'m> Tr<'m> {
    // ----- module level ------------------------------------------------

    /// Module literals that may be written in place: never mocked,
    /// rebound or mutated, and short.
    fn inlinable_globals(&self) -> BTreeMap<String, Expr> {
        let mut candidates: BTreeMap<String, (Literal, bool)> = BTreeMap::new();
        for g in &self.module.globals {
            let ir::GlobalInit::Literal(l) = &g.init else { continue };
            if g.dynamic() || self.mockable.contains(&g.name) {
                continue;
            }
            let scalar = !matches!(l, Literal::List(_) | Literal::Tuple(_) | Literal::Set(_) | Literal::Dict(_));
            let flat = match l {
                Literal::List(xs) | Literal::Tuple(xs) | Literal::Set(xs) => {
                    xs.iter().all(|x| !matches!(x, Literal::List(_) | Literal::Tuple(_) | Literal::Set(_) | Literal::Dict(_)))
                }
                Literal::Dict(es) => es
                    .iter()
                    .all(|(k, v)| ![k, v].iter().any(|x| matches!(x, Literal::List(_) | Literal::Tuple(_) | Literal::Set(_) | Literal::Dict(_)))),
                _ => true,
            };
            if flat && print::literal(l).len() <= INLINE_CHARS {
                candidates.insert(g.name.clone(), (l.clone(), scalar));
            }
        }
        let mut unsafe_names = BTreeSet::new();
        let mut uses: BTreeMap<String, usize> = BTreeMap::new();
        for f in &self.module.functions {
            for s in &f.body {
                walk_stmt_globals(s, &mut unsafe_names);
            }
            if pounce_runtime::AuxFn::from_python_name(&f.name).is_none() {
                let mut exprs = Vec::new();
                collect_exprs(&f.body, &mut exprs);
                for e in exprs {
                    crate::typecheck::visit(e, &mut |x| {
                        if let ExprKind::Global(g) = &x.kind {
                            *uses.entry(g.clone()).or_default() += 1;
                        }
                    });
                }
            }
        }
        for g in &self.module.globals {
            if let ir::GlobalInit::Expr(e) = &g.init {
                walk_globals(e, false, &mut unsafe_names);
            }
        }
        candidates
            .into_iter()
            // A container read in several places keeps its name.
            .filter(|(name, (_, scalar))| *scalar || (!unsafe_names.contains(name) && uses.get(name).copied().unwrap_or(0) <= 1))
            .map(|(name, (l, _))| (name, literal_display(&l)))
            .collect()
    }

    fn count_calls(&mut self) {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        let mut count = |e: &ir::Expr| {
            crate::typecheck::visit(e, &mut |x| {
                if let ExprKind::Call { callee: ir::Callee::Function(n), .. } = &x.kind {
                    *counts.entry(n.clone()).or_default() += 1;
                }
            });
        };
        for f in &self.module.functions {
            if pounce_runtime::AuxFn::from_python_name(&f.name).is_some() {
                continue;
            }
            let mut exprs = Vec::new();
            collect_exprs(&f.body, &mut exprs);
            exprs.into_iter().for_each(&mut count);
        }
        for g in &self.module.globals {
            if let ir::GlobalInit::Expr(e) = &g.init {
                count(e);
            }
        }
        self.call_counts = counts;
    }

    fn program(&mut self) -> Program {
        let policy = self.module.function("policy");
        let condition = match policy {
            Some(f) => self.policy_condition(f),
            None => Expr::bool(false),
        };
        // Globals evaluated at set-up run whether or not the condition
        // reads them (and can raise), so every one is kept.
        let mut global_defs: Vec<(String, GlobalValue)> = Vec::new();
        for g in &self.module.globals {
            let dynamic = g.dynamic() || self.mockable.contains(&g.name);
            let value = match &g.init {
                ir::GlobalInit::Literal(l) => GlobalValue::Literal(l.clone()),
                ir::GlobalInit::Expr(e) => {
                    let mut env = Env::default();
                    match self.expr(e, &mut env, Ctx::Value) {
                        Ok(x) => GlobalValue::Expr(x),
                        Err(NotPure) => GlobalValue::Expr(Expr::Raise {
                            exc: "NotImplementedError".to_owned(),
                            message: Some(Box::new(Expr::Lit(Literal::Str("this module-level value cannot be rendered".to_owned())))),
                        }),
                    }
                }
            };
            if dynamic || !self.inline_globals.contains_key(&g.name) {
                global_defs.push((g.name.clone(), value));
            }
        }
        // Which helpers and globals the program reads.
        let mut functions: BTreeMap<String, Function> = BTreeMap::new();
        for (name, h) in &self.helpers {
            let f = match h {
                Helper::Pure { params, tree } => {
                    let body = self.to_value(tree.clone());
                    Function { name: name.clone(), params: params.clone(), body: Body::Expr(body) }
                }
                Helper::Block(f) => f.clone(),
            };
            functions.insert(name.clone(), f);
        }
        for (name, f) in &self.tails {
            functions.insert(name.clone(), f.clone());
        }
        let mut used_fns = BTreeSet::new();
        let mut used_globals = BTreeSet::new();
        let mut used_roots = BTreeSet::new();
        let mut used_types = BTreeSet::new();
        let mut work: Vec<Expr> = vec![condition.clone()];
        for (name, value) in &global_defs {
            let dynamic =
                self.module.global(name).is_some_and(ir::Global::dynamic) || self.mockable.contains(name);
            if dynamic {
                used_globals.insert(name.clone());
                if let GlobalValue::Expr(e) = value {
                    work.push(e.clone());
                }
            }
        }
        while let Some(e) = work.pop() {
            let mut found_fns = BTreeSet::new();
            uses(&e, &mut found_fns, &mut used_globals, &mut used_roots, &mut used_types);
            for f in found_fns {
                if used_fns.insert(f.clone()) {
                    if let Some(func) = functions.get(&f) {
                        function_exprs(func, &mut work);
                    }
                }
            }
        }
        let mut defs = Vec::new();
        // Imports the program spells.
        for imp in self.imports {
            let (local, def) = match imp {
                Import::Module { module, local } => (local, Def::ImportModule { module: module.clone(), local: local.clone() }),
                Import::Name { module, name, local } => (local, Def::ImportName { module: module.clone(), name: name.clone(), local: local.clone() }),
            };
            let type_binding = match imp {
                Import::Name { module, name, .. } => match natives::find(module, name) {
                    Some(Entry { item: Item::Type { ty, .. }, .. }) => used_types.contains(&format!("{ty:?}")),
                    _ => false,
                },
                Import::Module { module, .. } => natives::ENTRIES
                    .iter()
                    .any(|e| e.module == module && matches!(e.item, Item::Type { ty, .. } if used_types.contains(&format!("{ty:?}")))),
            };
            if used_roots.contains(local) || type_binding {
                defs.push(def);
            }
        }
        for d in &self.synthetic_imports {
            if let Def::ImportModule { local, .. } = d {
                if used_roots.contains(local) && !defs.contains(d) {
                    defs.push(d.clone());
                }
            }
        }
        let mockable: Vec<String> = self.mockable.iter().cloned().collect();
        if !mockable.is_empty() {
            defs.push(Def::Mockable(mockable));
        }
        for (name, value) in global_defs {
            if used_globals.contains(&name) {
                defs.push(Def::Global { name, value });
            }
        }
        // Functions in source order, tails after their function.
        let mut order: Vec<String> = Vec::new();
        for f in &self.module.functions {
            order.push(f.name.clone());
            for (tail, _) in &self.tails {
                if tail.starts_with(&format!("{}_rest", f.name)) {
                    order.push(tail.clone());
                }
            }
        }
        for name in order {
            if used_fns.contains(&name) {
                if let Some(f) = functions.remove(&name) {
                    defs.push(Def::Function(f));
                }
            }
        }
        Program { condition, defs }
    }

    // ----- functions ---------------------------------------------------

    fn fn_bools(&self) -> BTreeMap<String, bool> {
        let mut out = BTreeMap::new();
        // Two rounds reach helpers that call helpers; anything unsure is
        // not a bool.
        for _ in 0..3 {
            let mut next = BTreeMap::new();
            for (name, h) in &self.helpers {
                if self.mockable.contains(name) {
                    continue;
                }
                let b = match h {
                    Helper::Pure { tree, .. } => {
                        let mut leaves = Vec::new();
                        tree.leaves(&mut leaves);
                        leaves.iter().all(|l| match l {
                            Leaf::Return(e) => surely_bool(e, &out),
                            Leaf::Raise(_) => true,
                            Leaf::Break | Leaf::Continue => false,
                        })
                    }
                    Helper::Block(f) => match &f.body {
                        Body::Block(b) => block_returns_bool(&b.stmts, &out),
                        Body::Expr(e) => surely_bool(e, &out),
                    },
                };
                next.insert(name.clone(), b);
            }
            for (name, f) in &self.tails {
                if let Body::Block(b) = &f.body {
                    next.insert(name.clone(), block_returns_bool(&b.stmts, &out));
                }
            }
            out = next;
        }
        out
    }

    fn policy_condition(&mut self, f: &'m ir::Function) -> Expr {
        let tree = self.function_tree(f);
        let fns = self.fn_bools();
        let verdict = self.to_cond(tree, &|leaf| match leaf {
            Leaf::Return(e) if surely_bool(e, &fns) => Some(e.clone()),
            Leaf::Return(e) => Some(Expr::Call { callee: Callee::ExpectBool, args: vec![e.clone()], kwargs: Vec::new() }),
            Leaf::Raise(e) => Some(e.clone()),
            Leaf::Break | Leaf::Continue => None,
        });
        match verdict {
            Some(p) => mk_not(p, Ctx::Truth),
            None => Expr::bool(false),
        }
    }

    /// The decision tree of `f`'s body; its tail from the first statement
    /// a pure expression cannot say is a `def`.
    fn function_tree(&mut self, f: &'m ir::Function) -> Tree {
        let first_block = f.body.iter().position(needs_block).unwrap_or(f.body.len());
        let mut index = first_block;
        loop {
            let tail = (index < f.body.len()).then(|| {
                let mut mentioned = BTreeSet::new();
                names_in_stmts(f.body.get(index..).unwrap_or_default(), &mut mentioned);
                let base = format!("{}_rest", f.name);
                let mut name = if index == 0 { f.name.clone() } else { base.clone() };
                let mut n = 2;
                while index > 0 && (self.module.function(&name).is_some() || self.tails.iter().any(|(t, _)| *t == name)) {
                    name = format!("{base}{n}");
                    n += 1;
                }
                TailPlan { index, name, params: None, mentioned, root: BTreeSet::new() }
            });
            let (saved_nodes, saved_budget) = (self.nodes, self.budget);
            self.nodes = 0;
            self.budget = TREE_BUDGET * 4;
            let mut plan = tail.clone();
            let result = self.body_tree(f, index, &mut plan);
            self.nodes = saved_nodes;
            self.budget = saved_budget;
            // A tail after nothing but assignments reads better as one `def`.
            let result = match result {
                Ok(tree) if plan.is_some() && index > 0 && !tree.branches() => Err(NotPure),
                other => other,
            };
            if result.is_err() && index > 0 && plan.is_some() {
                let all_lets = f.body.get(..index).unwrap_or_default().iter().all(|s| matches!(s.kind, StmtKind::Assign { .. } | StmtKind::Pass));
                if all_lets {
                    index = 0;
                    continue;
                }
            }
            match result {
                Ok(tree) if tree.size() <= TREE_BUDGET => {
                    if let Some(plan) = plan {
                        let saved_budget = std::mem::replace(&mut self.budget, usize::MAX);
                        let func = self.tail_function(f, &plan);
                        self.budget = saved_budget;
                        self.tails.push((plan.name.clone(), func));
                    }
                    return tree;
                }
                _ if index == 0 => {
                    // Unreachable in practice: a tail at 0 is one call.
                    return Tree::Leaf(Leaf::Return(Expr::Lit(Literal::None)));
                }
                _ => index -= 1,
            }
        }
    }

    fn body_tree(&mut self, f: &'m ir::Function, tail_at: usize, plan: &mut Option<TailPlan>) -> R<Tree> {
        let mut env = Env { locals: f.locals.iter().cloned().collect(), ..Env::default() };
        let taken: BTreeSet<String> = f.params.iter().chain(&f.locals).cloned().collect();
        for (i, p) in f.params.iter().enumerate() {
            if f.name == "policy" && i == 0 {
                env.bindings.push((p.clone(), Bound::Root));
            } else {
                env.bindings.push((p.clone(), Bound::Var(renamed(p, &taken))));
            }
        }
        let head = f.body.get(..tail_at).unwrap_or_default();
        let frames: Vec<Frame<'m>> = if plan.is_some() { vec![Frame::Tail] } else { vec![Frame::FunctionEnd] };
        self.block(head, &mut env, &frames, plan)
    }

    /// The `def` holding `f`'s statements from `plan.index` on.
    fn tail_function(&mut self, f: &'m ir::Function, plan: &TailPlan) -> Function {
        let stmts = f.body.get(plan.index..).unwrap_or_default();
        let params = plan.params.clone().unwrap_or_default();
        let mut assigned = BTreeSet::new();
        assigned_in(stmts, &mut assigned);
        let unbound: BTreeSet<String> =
            f.locals.iter().filter(|l| !params.contains(l) && !assigned.contains(*l) && plan.mentioned.contains(*l)).cloned().collect();
        self.block_function(&plan.name, &params, &plan.root, stmts, unbound, f)
    }

    /// A function as a `def` of statements; the names of `root` read the
    /// resource.
    fn block_function(
        &mut self,
        name: &str,
        params: &[String],
        root: &BTreeSet<String>,
        stmts: &'m [ir::Stmt],
        unbound: BTreeSet<String>,
        f: &ir::Function,
    ) -> Function {
        let mut frame_names: BTreeSet<String> = params.iter().cloned().collect();
        assigned_in(stmts, &mut frame_names);
        let taken: BTreeSet<String> = f.params.iter().chain(&f.locals).cloned().collect();
        let map: BTreeMap<String, String> = frame_names.iter().map(|n| (n.clone(), renamed(n, &taken))).collect();
        let ast_params: Vec<String> = params.iter().map(|p| map.get(p).cloned().unwrap_or_else(|| p.clone())).collect();
        let mut env = Env { block: Some(map), unbound, locals: f.locals.iter().cloned().collect(), ..Env::default() };
        env.bindings.extend(root.iter().map(|r| (r.clone(), Bound::Root)));
        let mut globals = BTreeSet::new();
        let body = self.stmts_block(stmts, &mut env, &mut globals);
        Function { name: name.to_owned(), params: ast_params, body: Body::Block(Block { globals: globals.into_iter().collect(), stmts: body }) }
    }

    /// Translates a helper on its first call.
    fn helper(&mut self, name: &str) {
        if self.helpers.contains_key(name) || self.in_progress.contains(name) {
            return;
        }
        let Some(f) = self.module.function(name) else { return };
        self.in_progress.insert(name.to_owned());
        let saved_loops = std::mem::take(&mut self.loop_names);
        let saved_live = std::mem::take(&mut self.loop_live);
        let tree = self.function_tree(f);
        self.loop_names = saved_loops;
        self.loop_live = saved_live;
        self.in_progress.remove(name);
        let helper = match tree {
            // The whole body is a `def`: name that one.
            Tree::Leaf(Leaf::Return(Expr::Call { callee: Callee::Function(tail), args, .. }))
                if self.tails.last().is_some_and(|(t, _)| *t == tail) && self.is_param_passthrough(f, &args) =>
            {
                let Some((_, mut func)) = self.tails.pop() else { return };
                func.name = name.to_owned();
                Helper::Block(func)
            }
            tree => {
                let taken: BTreeSet<String> = f.params.iter().chain(&f.locals).cloned().collect();
                Helper::Pure { params: f.params.iter().map(|p| renamed(p, &taken)).collect(), tree }
            }
        };
        self.helpers.insert(name.to_owned(), helper);
    }

    fn is_param_passthrough(&self, f: &ir::Function, args: &[Expr]) -> bool {
        let taken: BTreeSet<String> = f.params.iter().chain(&f.locals).cloned().collect();
        args.len() == f.params.len() && args.iter().zip(&f.params).all(|(a, p)| matches!(a, Expr::Var(v) if *v == renamed(p, &taken)))
    }

    // ----- statements as a decision tree --------------------------------

    fn spend(&mut self, n: usize) -> R<()> {
        self.nodes += n;
        if self.nodes > self.budget {
            return Err(NotPure);
        }
        Ok(())
    }

    /// The tree of `stmts`, followed by `frames` (innermost last).
    fn block(&mut self, stmts: &'m [ir::Stmt], env: &mut Env, frames: &[Frame<'m>], plan: &mut Option<TailPlan>) -> R<Tree> {
        self.spend(1)?;
        let Some((s, rest)) = stmts.split_first() else {
            let Some((frame, outer)) = frames.split_last() else { return Ok(Tree::Leaf(Leaf::Return(Expr::Lit(Literal::None)))) };
            return match frame {
                Frame::Stmts(next) => self.block(next, env, outer, plan),
                Frame::LoopBody => Ok(Tree::Leaf(Leaf::Continue)),
                Frame::FunctionEnd => Ok(Tree::Leaf(Leaf::Return(Expr::Lit(Literal::None)))),
                Frame::Tail => self.tail_call(env, plan),
            };
        };
        let with_rest = |frames: &[Frame<'m>]| {
            let mut f = frames.to_vec();
            if !rest.is_empty() {
                f.push(Frame::Stmts(rest));
            }
            f
        };
        match &s.kind {
            StmtKind::Pass => self.block(rest, env, frames, plan),
            StmtKind::Return(value) => {
                let e = match value {
                    Some(v) => self.expr(v, env, Ctx::Value)?,
                    None => Expr::Lit(Literal::None),
                };
                Ok(Tree::Leaf(Leaf::Return(e)))
            }
            StmtKind::Raise { exc, message } => {
                let message = match message {
                    Some(m) => Some(Box::new(self.expr(m, env, Ctx::Value)?)),
                    None => None,
                };
                Ok(Tree::Leaf(Leaf::Raise(Expr::Raise { exc: exc.clone(), message })))
            }
            StmtKind::Break => Ok(Tree::Leaf(Leaf::Break)),
            StmtKind::Continue => Ok(Tree::Leaf(Leaf::Continue)),
            StmtKind::Expr(e) => {
                let e = self.expr(e, env, Ctx::Value)?;
                let taken = self.taken_names(env);
                let name = renamed_fresh("_", &taken);
                let mut inner = env.clone();
                inner.bindings.push((format!(" {name}"), Bound::Var(name.clone())));
                let t = self.block(rest, &mut inner, frames, plan)?;
                Ok(Tree::Let(Pattern::Name(name), e, Box::new(t)))
            }
            StmtKind::Assign { targets, value } => {
                // `a = b = value`: the value once, then each target in turn
                // (from the first, a name).
                let Some((first, others)) = targets.split_first() else { return Err(NotPure) };
                if !others.is_empty() && !matches!(first, ir::Target::Local(_)) {
                    return Err(NotPure);
                }
                let value = self.expr(value, env, Ctx::Value)?;
                let mut inner = env.clone();
                let pattern = self.bind_target(first, &mut inner)?;
                let mut lets = Vec::new();
                for t in others {
                    let from = match &pattern {
                        Pattern::Name(n) => Expr::Var(n.clone()),
                        Pattern::Tuple(_) => return Err(NotPure),
                    };
                    let p = self.bind_target(t, &mut inner)?;
                    lets.push((p, from));
                }
                let mut t = self.block(rest, &mut inner, frames, plan)?;
                for (p, from) in lets.into_iter().rev() {
                    t = Tree::Let(p, from, Box::new(t));
                }
                Ok(Tree::Let(pattern, value, Box::new(t)))
            }
            StmtKind::AugAssign { target: ir::Target::Local(n), op, value } => {
                let current = self.read_local(n, env)?;
                let value = self.expr(value, env, Ctx::Value)?;
                let mut inner = env.clone();
                let pattern = self.bind_target(&ir::Target::Local(n.clone()), &mut inner)?;
                let t = self.block(rest, &mut inner, frames, plan)?;
                Ok(Tree::Let(pattern, Expr::BinOp(*op, Box::new(current), Box::new(value)), Box::new(t)))
            }
            StmtKind::AugAssign { .. } | StmtKind::While { .. } | StmtKind::Try { .. } => Err(NotPure),
            StmtKind::If { cond, then, orelse } => {
                // `if c: x = a else: x = b` is `let x = a if c else b`.
                if let Some((name, a, b)) = self.conditional_assignment(then, orelse, env) {
                    let c = self.expr(cond, env, Ctx::Truth)?;
                    let a = match a {
                        Some(a) => self.expr(a, env, Ctx::Value)?,
                        None => self.read_local(&name, env)?,
                    };
                    let b = match b {
                        Some(b) => self.expr(b, env, Ctx::Value)?,
                        None => self.read_local(&name, env)?,
                    };
                    let mut inner = env.clone();
                    let pattern = self.bind_target(&ir::Target::Local(name), &mut inner)?;
                    let t = self.block(rest, &mut inner, frames, plan)?;
                    let value = Expr::IfExp { test: Box::new(c), body: Box::new(a), orelse: Box::new(b) };
                    return Ok(Tree::Let(pattern, value, Box::new(t)));
                }
                let c = self.expr(cond, env, Ctx::Truth)?;
                let after = with_rest(frames);
                let a = self.block(then, &mut env.clone(), &after, plan)?;
                let b = self.block(orelse, &mut env.clone(), &after, plan)?;
                Ok(Tree::If(c, Box::new(a), Box::new(b)))
            }
            StmtKind::For { target, iter, body, orelse } => self.for_loop(target, iter, body, orelse, rest, env, frames, plan),
        }
    }

    #[expect(clippy::too_many_arguments, reason = "the parts of a `for` statement and its continuation")]
    fn for_loop(
        &mut self,
        target: &'m ir::Target,
        iter: &'m ir::Expr,
        body: &'m [ir::Stmt],
        orelse: &'m [ir::Stmt],
        rest: &'m [ir::Stmt],
        env: &mut Env,
        frames: &[Frame<'m>],
        plan: &mut Option<TailPlan>,
    ) -> R<Tree> {
        // Variables of the loop must not live outside it.
        let mut loop_names = BTreeSet::new();
        assigned_in(body, &mut loop_names);
        let mut t = BTreeSet::new();
        names_in_target(target, &mut t);
        loop_names.extend(t);
        // What is live when the loop is left: what runs next reads it
        // before assigning it.
        let mut exit = BTreeSet::new();
        for f in frames {
            exit = match f {
                Frame::Stmts(s) => live(s, &exit),
                Frame::LoopBody => self.loop_live.last().cloned().unwrap_or_default(),
                Frame::FunctionEnd => BTreeSet::new(),
                Frame::Tail => plan.as_ref().map(|p| p.mentioned.clone()).unwrap_or_default(),
            };
        }
        let exit = live(rest, &exit);
        let exit: BTreeSet<String> = live(orelse, &exit).union(&exit).cloned().collect();
        if loop_names.iter().any(|n| exit.contains(n) || env.lookup(n).is_some()) {
            return Err(NotPure);
        }
        let iter_e = self.expr(iter, env, Ctx::Value)?;
        let mut inner = env.clone();
        let pattern = self.bind_target(target, &mut inner)?;
        // The next iteration (of this loop, seen from loops inside it)
        // reads what the body reads.
        let mut targets = BTreeSet::new();
        names_in_target(target, &mut targets);
        let head = loop_head(body, &targets, &exit, &BTreeSet::new());
        self.loop_names.push(loop_names);
        self.loop_live.push(head);
        let tree = self.block(body, &mut inner, &[Frame::LoopBody], plan);
        self.loop_live.pop();
        self.loop_names.pop();
        let tree = tree?;
        let mut leaves = Vec::new();
        tree.leaves(&mut leaves);
        let returns: Vec<&Expr> = leaves.iter().filter_map(|l| if let Leaf::Return(e) = l { Some(e) } else { None }).collect();
        let breaks = leaves.iter().any(|l| matches!(l, Leaf::Break));
        let mut bound = BTreeSet::new();
        tree.binders(&mut bound);
        bound.extend(pattern.names().into_iter().map(str::to_owned));
        let after = {
            let mut f = frames.to_vec();
            if !rest.is_empty() {
                f.push(Frame::Stmts(rest));
            }
            f
        };
        let found = |cond: Expr| Expr::Call {
            callee: Callee::Builtin(Builtin::Any),
            args: vec![Expr::Comp {
                kind: CompKind::Gen,
                elt: Box::new(cond),
                value: None,
                generators: vec![Generator { target: pattern.clone(), iter: iter_e.clone(), ifs: Vec::new() }],
            }],
            kwargs: Vec::new(),
        };
        match (returns.first(), breaks) {
            (Some(r), false) => {
                let r = (*r).clone();
                if returns.iter().any(|x| **x != r) || bound.iter().any(|b| r.mentions_var(b)) {
                    return Err(NotPure);
                }
                let cond = self.to_cond(tree.clone(), &|l| match l {
                    Leaf::Return(_) => Some(Expr::bool(true)),
                    Leaf::Continue => Some(Expr::bool(false)),
                    Leaf::Raise(e) => Some(e.clone()),
                    Leaf::Break => None,
                });
                let cond = cond.ok_or(NotPure)?;
                let no = self.block(orelse, &mut env.clone(), &after, plan)?;
                Ok(Tree::If(found(cond), Box::new(Tree::Leaf(Leaf::Return(r))), Box::new(no)))
            }
            (None, true) => {
                let cond = self.to_cond(tree.clone(), &|l| match l {
                    Leaf::Break => Some(Expr::bool(true)),
                    Leaf::Continue => Some(Expr::bool(false)),
                    Leaf::Raise(e) => Some(e.clone()),
                    Leaf::Return(_) => None,
                });
                let cond = cond.ok_or(NotPure)?;
                let yes = self.block(&[], &mut env.clone(), &after, plan)?;
                if orelse.is_empty() {
                    let taken = self.taken_names(env);
                    let name = renamed_fresh("_", &taken);
                    return Ok(Tree::Let(Pattern::Name(name), found(cond), Box::new(yes)));
                }
                let no = self.block(orelse, &mut env.clone(), &after, plan)?;
                Ok(Tree::If(found(cond), Box::new(yes), Box::new(no)))
            }
            _ => Err(NotPure),
        }
    }

    /// `x = a` in one branch and `x = b` (or nothing, when `x` is bound)
    /// in the other: the name and the two values.
    fn conditional_assignment<'s>(
        &self,
        then: &'s [ir::Stmt],
        orelse: &'s [ir::Stmt],
        env: &Env,
    ) -> Option<(String, Option<&'s ir::Expr>, Option<&'s ir::Expr>)> {
        fn single(stmts: &[ir::Stmt]) -> Option<Option<(&str, &ir::Expr)>> {
            match stmts {
                [] => Some(None),
                [ir::Stmt { kind: StmtKind::Assign { targets, value }, .. }] => match targets.as_slice() {
                    [ir::Target::Local(n)] => Some(Some((n.as_str(), value))),
                    _ => None,
                },
                _ => None,
            }
        }
        let (a, b) = (single(then)?, single(orelse)?);
        let bound = |n: &str| matches!(env.lookup(n), Some(Bound::Var(_)));
        match (a, b) {
            (Some((x, a)), Some((y, b))) if x == y => Some((x.to_owned(), Some(a), Some(b))),
            (Some((x, a)), None) if bound(x) => Some((x.to_owned(), Some(a), None)),
            (None, Some((y, b))) if bound(y) => Some((y.to_owned(), None, Some(b))),
            _ => None,
        }
    }

    /// The call of the function's `def` tail, with the variables bound
    /// here.
    fn tail_call(&mut self, env: &Env, plan: &mut Option<TailPlan>) -> R<Tree> {
        let Some(p) = plan.as_mut() else { return Err(NotPure) };
        let mut root = BTreeSet::new();
        let bound: Vec<String> = {
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            for (py, _) in env.bindings.iter().rev() {
                if p.mentioned.contains(py) && seen.insert(py.clone()) {
                    match env.lookup(py) {
                        Some(Bound::Root) => {
                            root.insert(py.clone());
                        }
                        _ => out.push(py.clone()),
                    }
                }
            }
            out.reverse();
            out
        };
        match &p.params {
            Some(params) if *params != bound || p.root != root => return Err(NotPure),
            Some(_) => {}
            None => {
                p.params = Some(bound.clone());
                p.root = root;
            }
        }
        let args = bound
            .iter()
            .map(|py| match env.lookup(py) {
                Some(Bound::Root) => Expr::Root,
                Some(Bound::Var(v)) => Expr::Var(v.clone()),
                None => Expr::Lit(Literal::None),
            })
            .collect();
        Ok(Tree::Leaf(Leaf::Return(Expr::Call { callee: Callee::Function(p.name.clone()), args, kwargs: Vec::new() })))
    }

    fn taken_names(&self, env: &Env) -> BTreeSet<String> {
        let mut taken: BTreeSet<String> = env.bindings.iter().map(|(p, _)| p.clone()).collect();
        taken.extend(env.bindings.iter().filter_map(|(_, b)| if let Bound::Var(v) = b { Some(v.clone()) } else { None }));
        taken.extend(env.locals.iter().cloned());
        taken
    }

    /// Binds an assignment target in `env`, returning its pattern.
    fn bind_target(&mut self, t: &ir::Target, env: &mut Env) -> R<Pattern> {
        match t {
            ir::Target::Local(n) | ir::Target::Var(n) => {
                let taken = env.locals.clone();
                let ast = renamed(n, &taken);
                env.bind(n, &ast);
                Ok(Pattern::Name(ast))
            }
            ir::Target::Tuple(items) => Ok(Pattern::Tuple(items.iter().map(|i| self.bind_target(i, env)).collect::<R<_>>()?)),
            ir::Target::Global(_) | ir::Target::Subscript(..) => Err(NotPure),
        }
    }

    fn read_local(&self, name: &str, env: &Env) -> R<Expr> {
        if let Some(map) = &env.block {
            if env.unbound.contains(name) {
                return Ok(unbound_local(name));
            }
            return Ok(Expr::Var(map.get(name).cloned().unwrap_or_else(|| name.to_owned())));
        }
        match env.lookup(name) {
            Some(Bound::Root) => Ok(Expr::Root),
            Some(Bound::Var(v)) => Ok(Expr::Var(v.clone())),
            None if self.loop_names.iter().any(|l| l.contains(name)) => Err(NotPure),
            None => Ok(unbound_local(name)),
        }
    }

    // ----- decision trees as expressions ---------------------------------

    /// The truth of a tree (leaves mapped by `leaf`; `None` when a leaf
    /// cannot be said).
    fn to_cond(&self, tree: Tree, leaf: &dyn Fn(&Leaf) -> Option<Expr>) -> Option<Expr> {
        Some(match tree {
            Tree::Leaf(l) => leaf(&l)?,
            Tree::Let(p, v, t) => mk_let(p, v, self.to_cond(*t, leaf)?),
            Tree::If(c, a, b) => {
                let a = self.to_cond(*a, leaf)?;
                let b = self.to_cond(*b, leaf)?;
                match (a.as_bool(), b.as_bool()) {
                    (Some(true), Some(false)) => c,
                    (Some(false), Some(true)) => mk_not(c, Ctx::Truth),
                    (Some(true), _) => mk_or(c, b),
                    (_, Some(false)) => mk_and(c, a),
                    (Some(false), _) => mk_and(mk_not(c, Ctx::Truth), b),
                    (_, Some(true)) => mk_or(mk_not(c, Ctx::Truth), a),
                    _ => Expr::IfExp { test: Box::new(c), body: Box::new(a), orelse: Box::new(b) },
                }
            }
        })
    }

    /// The value of a helper's tree.
    fn to_value(&self, tree: Tree) -> Expr {
        let fns = self.fn_bools();
        self.to_value_with(tree, &fns)
    }

    fn to_value_with(&self, tree: Tree, fns: &BTreeMap<String, bool>) -> Expr {
        match tree {
            Tree::Leaf(Leaf::Return(e) | Leaf::Raise(e)) => e,
            Tree::Leaf(Leaf::Break | Leaf::Continue) => Expr::Lit(Literal::None),
            Tree::Let(p, v, t) => mk_let(p, v, self.to_value_with(*t, fns)),
            Tree::If(c, a, b) => {
                let a = self.to_value_with(*a, fns);
                let b = self.to_value_with(*b, fns);
                let sb = surely_bool(&c, fns);
                match (a.as_bool(), b.as_bool()) {
                    (Some(true), Some(false)) if sb => c,
                    (Some(true), Some(false)) => Expr::Call { callee: Callee::Builtin(Builtin::Bool), args: vec![c], kwargs: Vec::new() },
                    (Some(false), Some(true)) => mk_not(c, Ctx::Value),
                    (Some(true), _) if sb => mk_or(c, b),
                    (_, Some(false)) if sb => mk_and(c, a),
                    (Some(false), _) => mk_and(mk_not(c, Ctx::Value), b),
                    (_, Some(true)) => mk_or(mk_not(c, Ctx::Value), a),
                    _ => Expr::IfExp { test: Box::new(c), body: Box::new(a), orelse: Box::new(b) },
                }
            }
        }
    }

    // ----- statements as a `def` ------------------------------------------

    fn stmts_block(&mut self, stmts: &'m [ir::Stmt], env: &mut Env, globals: &mut BTreeSet<String>) -> Vec<Stmt> {
        // `pass` (and `global`, which the IR keeps as `pass`) only where a
        // block would otherwise be empty.
        let kept: Vec<&ir::Stmt> = stmts.iter().filter(|s| !matches!(s.kind, StmtKind::Pass)).collect();
        if kept.is_empty() && !stmts.is_empty() {
            return vec![Stmt::Pass];
        }
        kept.into_iter().map(|s| self.stmt_block(s, env, globals)).collect()
    }

    fn expr_block(&mut self, e: &ir::Expr, env: &mut Env, ctx: Ctx) -> Expr {
        self.expr(e, env, ctx).unwrap_or_else(|NotPure| Expr::Raise {
            exc: "NotImplementedError".to_owned(),
            message: Some(Box::new(Expr::Lit(Literal::Str("this expression cannot be rendered".to_owned())))),
        })
    }

    fn target_block(&mut self, t: &ir::Target, env: &mut Env, globals: &mut BTreeSet<String>) -> Target {
        match t {
            ir::Target::Local(n) => Target::Name(env.block.as_ref().and_then(|m| m.get(n)).cloned().unwrap_or_else(|| n.clone())),
            ir::Target::Global(n) => {
                globals.insert(n.clone());
                Target::Name(n.clone())
            }
            ir::Target::Var(n) => Target::Name(n.clone()),
            ir::Target::Subscript(v, i) => Target::Subscript(self.expr_block(v, env, Ctx::Value), self.expr_block(i, env, Ctx::Value)),
            ir::Target::Tuple(items) => Target::Tuple(items.iter().map(|i| self.target_block(i, env, globals)).collect()),
        }
    }

    fn stmt_block(&mut self, s: &'m ir::Stmt, env: &mut Env, globals: &mut BTreeSet<String>) -> Stmt {
        match &s.kind {
            StmtKind::If { cond, then, orelse } => Stmt::If {
                cond: self.expr_block(cond, env, Ctx::Truth),
                then: self.stmts_block(then, env, globals),
                orelse: self.stmts_block(orelse, env, globals),
            },
            StmtKind::For { target, iter, body, orelse } => Stmt::For {
                iter: self.expr_block(iter, env, Ctx::Value),
                target: self.target_block(target, env, globals),
                body: self.stmts_block(body, env, globals),
                orelse: self.stmts_block(orelse, env, globals),
            },
            StmtKind::While { cond, body, orelse } => Stmt::While {
                cond: self.expr_block(cond, env, Ctx::Truth),
                body: self.stmts_block(body, env, globals),
                orelse: self.stmts_block(orelse, env, globals),
            },
            StmtKind::Break => Stmt::Break,
            StmtKind::Continue => Stmt::Continue,
            StmtKind::Pass => Stmt::Pass,
            StmtKind::Assign { targets, value } => {
                let value = self.expr_block(value, env, Ctx::Value);
                Stmt::Assign { targets: targets.iter().map(|t| self.target_block(t, env, globals)).collect(), value }
            }
            StmtKind::AugAssign { target, op, value } => {
                let value = self.expr_block(value, env, Ctx::Value);
                Stmt::AugAssign { target: self.target_block(target, env, globals), op: *op, value }
            }
            StmtKind::Try { body, handlers, orelse } => Stmt::Try {
                body: self.stmts_block(body, env, globals),
                handlers: handlers.iter().map(|h| (h.types.clone(), self.stmts_block(&h.body, env, globals))).collect(),
                orelse: self.stmts_block(orelse, env, globals),
            },
            StmtKind::Raise { exc, message } => {
                Stmt::Raise { exc: exc.clone(), message: message.as_ref().map(|m| self.expr_block(m, env, Ctx::Value)) }
            }
            StmtKind::Return(v) => Stmt::Return(v.as_ref().map(|v| self.expr_block(v, env, Ctx::Value))),
            StmtKind::Expr(e) => Stmt::Expr(self.expr_block(e, env, Ctx::Value)),
        }
    }

    // ----- expressions ------------------------------------------------------

    fn exprs(&mut self, es: &[ir::Expr], env: &mut Env) -> R<Vec<Expr>> {
        es.iter().map(|e| self.expr(e, env, Ctx::Value)).collect()
    }

    /// How the condition spells a library entry, adding an import when the
    /// policy's own do not bind it.
    fn spell(&mut self, entry: &'static Entry, local: Option<&str>) -> String {
        // Called by a bare name the policy imported.
        if let Some(local) = local {
            if self.imports.iter().any(|i| matches!(i, Import::Name { module, name, local: l } if l == local && natives::find(module, name).is_some_and(|e| std::ptr::eq(e, entry)))) {
                return local.to_owned();
            }
        }
        for i in self.imports {
            match i {
                Import::Module { module, local } if *module == entry.module && module.split('.').count() == 1 => {
                    return format!("{local}.{}", entry.name);
                }
                Import::Name { module, name, local } if *module == entry.module => {
                    if entry.name == name {
                        return local.clone();
                    }
                    if let Some(rest) = entry.name.strip_prefix(&format!("{name}.")) {
                        return format!("{local}.{rest}");
                    }
                }
                _ => {}
            }
        }
        let local = entry.module.replace('.', "_");
        let def = Def::ImportModule { module: entry.module.to_owned(), local: local.clone() };
        if !self.synthetic_imports.contains(&def) {
            self.synthetic_imports.push(def);
        }
        format!("{local}.{}", entry.name)
    }

    fn expr(&mut self, e: &ir::Expr, env: &mut Env, ctx: Ctx) -> R<Expr> {
        self.spend(1)?;
        Ok(match &e.kind {
            ExprKind::Lit(l) => literal_display(l),
            ExprKind::Param(p) | ExprKind::Local(p) => {
                if env.block.is_none() || env.lookup(p).is_some() {
                    if let Some(b) = env.lookup(p) {
                        return Ok(match b {
                            Bound::Root => Expr::Root,
                            Bound::Var(v) => Expr::Var(v.clone()),
                        });
                    }
                }
                self.read_local(p, env)?
            }
            ExprKind::Var(v) => match env.lookup(v) {
                Some(Bound::Var(a)) => Expr::Var(a.clone()),
                Some(Bound::Root) => Expr::Root,
                None => Expr::Var(v.clone()),
            },
            ExprKind::Global(g) => match self.inline_globals.get(g) {
                Some(lit) => lit.clone(),
                None => Expr::Global(g.clone()),
            },
            ExprKind::TypeRef(t) => Expr::TypeRef(*t),
            ExprKind::NativeRef(entry) => {
                let spelling = self.spell(entry, None);
                Expr::NativeRef(Native { entry, spelling })
            }
            ExprKind::Subscript(v, k) => Expr::Subscript(Box::new(self.expr(v, env, Ctx::Value)?), Box::new(self.expr(k, env, Ctx::Value)?)),
            ExprKind::Get { value, key, default } => Expr::Get {
                value: Box::new(self.expr(value, env, Ctx::Value)?),
                key: Box::new(self.expr(key, env, Ctx::Value)?),
                default: match default {
                    Some(d) => Some(Box::new(self.expr(d, env, Ctx::Value)?)),
                    None => None,
                },
            },
            ExprKind::Field { value, field, default } => {
                let v = Box::new(self.expr(value, env, Ctx::Value)?);
                let key = Box::new(Expr::Lit(Literal::Str(field.name.to_owned())));
                match default {
                    None => Expr::Subscript(v, key),
                    Some(None) => Expr::Get { value: v, key, default: None },
                    Some(Some(d)) => Expr::Get { value: v, key, default: Some(Box::new(self.expr(d, env, Ctx::Value)?)) },
                }
            }
            ExprKind::Attribute(v, name) => Expr::Attribute(Box::new(self.expr(v, env, Ctx::Value)?), name.clone()),
            ExprKind::Call { callee, args, kwargs } => self.call(callee, args, kwargs, env, ctx)?,
            ExprKind::Compare { left, rest } => fold_compare(Expr::Compare {
                left: Box::new(self.expr(left, env, Ctx::Value)?),
                rest: rest.iter().map(|(op, r)| Ok((*op, self.expr(r, env, Ctx::Value)?))).collect::<R<_>>()?,
            }),
            ExprKind::BinOp(op, l, r) => Expr::BinOp(*op, Box::new(self.expr(l, env, Ctx::Value)?), Box::new(self.expr(r, env, Ctx::Value)?)),
            ExprKind::Neg(x) => Expr::Neg(Box::new(self.expr(x, env, Ctx::Value)?)),
            ExprKind::Not(x) => mk_not(self.expr(x, env, Ctx::Truth)?, Ctx::Value),
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                let items = xs.iter().map(|x| self.expr(x, env, ctx)).collect::<R<Vec<_>>>()?;
                let mut it = items.into_iter();
                let first = it.next().unwrap_or(Expr::Lit(Literal::None));
                let is_and = matches!(e.kind, ExprKind::And(_));
                it.fold(first, |acc, x| if is_and { mk_and(acc, x) } else { mk_or(acc, x) })
            }
            ExprKind::IfExp { test, body, orelse } => Expr::IfExp {
                test: Box::new(self.expr(test, env, Ctx::Truth)?),
                body: Box::new(self.expr(body, env, ctx)?),
                orelse: Box::new(self.expr(orelse, env, ctx)?),
            },
            ExprKind::List(xs) => Expr::List(self.exprs(xs, env)?),
            ExprKind::Tuple(xs) => Expr::Tuple(self.exprs(xs, env)?),
            ExprKind::Set(xs) => Expr::Set(self.exprs(xs, env)?),
            ExprKind::Dict(es) => {
                Expr::Dict(es.iter().map(|(k, v)| Ok((self.expr(k, env, Ctx::Value)?, self.expr(v, env, Ctx::Value)?))).collect::<R<_>>()?)
            }
            ExprKind::Comp { kind, elt, value, generators } => self.comp(*kind, elt, value.as_deref(), generators, env, Ctx::Value)?,
            ExprKind::FString(parts) => Expr::FString(
                parts
                    .iter()
                    .map(|p| match p {
                        ir::FPart::Lit(s) => Ok(FPart::Lit(s.clone())),
                        ir::FPart::Expr(x, c) => Ok(FPart::Expr(self.expr(x, env, Ctx::Value)?, *c)),
                    })
                    .collect::<R<_>>()?,
            ),
            ExprKind::Lambda { params, body } => {
                let mut inner = env.clone();
                let taken = self.taken_names(env);
                let names: Vec<String> = params.iter().map(|p| renamed(p, &taken)).collect();
                for (p, n) in params.iter().zip(&names) {
                    inner.bind(p, n);
                }
                Expr::Lambda { params: names, body: Box::new(self.expr(body, &mut inner, Ctx::Value)?) }
            }
        })
    }

    fn comp(
        &mut self,
        kind: CompKind,
        elt: &ir::Expr,
        value: Option<&ir::Expr>,
        generators: &[ir::Generator],
        env: &mut Env,
        elt_ctx: Ctx,
    ) -> R<Expr> {
        let mut inner = env.clone();
        let mut gens = Vec::new();
        for g in generators {
            let iter = self.expr(&g.iter, &mut inner, Ctx::Value)?;
            let target = self.bind_target(&g.target, &mut inner)?;
            let ifs = g.ifs.iter().map(|c| self.expr(c, &mut inner, Ctx::Truth)).collect::<R<_>>()?;
            gens.push(Generator { target, iter, ifs });
        }
        let elt = self.expr(elt, &mut inner, elt_ctx)?;
        let value = match value {
            Some(v) => Some(Box::new(self.expr(v, &mut inner, Ctx::Value)?)),
            None => None,
        };
        Ok(Expr::Comp { kind, elt: Box::new(elt), value, generators: gens })
    }

    fn call(&mut self, callee: &ir::Callee, args: &[ir::Expr], kwargs: &[(String, ir::Expr)], env: &mut Env, ctx: Ctx) -> R<Expr> {
        let kw = |tr: &mut Self, env: &mut Env| -> R<Vec<(String, Expr)>> {
            kwargs.iter().map(|(k, v)| Ok((k.clone(), tr.expr(v, env, Ctx::Value)?))).collect()
        };
        Ok(match callee {
            ir::Callee::Builtin(b) => {
                // `any`/`all` read only the truth of their elements.
                if let (Builtin::Any | Builtin::All, [ir::Expr { kind: ExprKind::Comp { kind: CompKind::Gen, elt, value, generators }, .. }]) =
                    (b, args)
                {
                    let comp = self.comp(CompKind::Gen, elt, value.as_deref(), generators, env, Ctx::Truth)?;
                    return Ok(Expr::Call { callee: Callee::Builtin(*b), args: vec![comp], kwargs: Vec::new() });
                }
                if let (Builtin::Bool, [x], Ctx::Truth) = (b, args, ctx) {
                    return self.expr(x, env, Ctx::Truth);
                }
                let args = self.exprs(args, env)?;
                Expr::Call { callee: Callee::Builtin(*b), args, kwargs: kw(self, env)? }
            }
            ir::Callee::Native { entry, local } => {
                let spelling = self.spell(entry, Some(local));
                let args = self.exprs(args, env)?;
                Expr::Call { callee: Callee::Native(Native { entry, spelling }), args, kwargs: kw(self, env)? }
            }
            ir::Callee::Method(recv, name) => {
                let recv = self.expr(recv, env, Ctx::Value)?;
                let args = self.exprs(args, env)?;
                Expr::Call { callee: Callee::Method(Box::new(recv), name.clone()), args, kwargs: Vec::new() }
            }
            ir::Callee::Value(f) => {
                let f = self.expr(f, env, Ctx::Value)?;
                let args = self.exprs(args, env)?;
                Expr::Call { callee: Callee::Value(Box::new(f)), args, kwargs: Vec::new() }
            }
            ir::Callee::Function(name) => {
                let args = self.exprs(args, env)?;
                self.helper_call(name, args, env, ctx)
            }
        })
    }

    /// A call of a helper: in place (as `let`s of its parameters) when it
    /// is small, called once, not recursive and not mockable; by name
    /// otherwise.
    fn helper_call(&mut self, name: &str, args: Vec<Expr>, env: &Env, ctx: Ctx) -> Expr {
        let named = Expr::Call { callee: Callee::Function(name.to_owned()), args: args.clone(), kwargs: Vec::new() };
        // A mocked helper still runs when its mock is not given.
        self.helper(name);
        if self.mockable.contains(name) || self.in_progress.contains(name) || env.block.is_some() {
            return named;
        }
        let Some(Helper::Pure { params, tree }) = self.helpers.get(name).cloned() else { return named };
        let once = self.call_counts.get(name).copied().unwrap_or(0) <= 1;
        let recursive = {
            let mut fns = BTreeSet::new();
            let mut leaves = Vec::new();
            tree.leaves(&mut leaves);
            leaves.iter().for_each(|l| {
                if let Leaf::Return(e) | Leaf::Raise(e) = l {
                    uses(e, &mut fns, &mut BTreeSet::new(), &mut BTreeSet::new(), &mut BTreeSet::new());
                }
            });
            fns.contains(name)
        };
        if !once || recursive || tree.size() > INLINE_SIZE {
            return named;
        }
        let body = match ctx {
            Ctx::Truth => self.to_cond(tree.clone(), &|l| match l {
                Leaf::Return(e) | Leaf::Raise(e) => Some(e.clone()),
                Leaf::Break | Leaf::Continue => None,
            }),
            Ctx::Value => Some(self.to_value(tree.clone())),
        };
        let Some(mut body) = body else { return named };
        // Parameters get names that none of the arguments read.
        let mut arg_vars = BTreeSet::new();
        args.iter().for_each(|a| vars_read(a, &mut arg_vars));
        let mut taken = self.taken_names(env);
        taken.extend(arg_vars.iter().cloned());
        let mut names = Vec::new();
        for p in &params {
            let mut n = p.clone();
            if arg_vars.contains(&n) && !args.iter().zip(&params).any(|(a, q)| q == p && *a == Expr::Var(p.clone())) {
                let mut k = 2;
                while taken.contains(&n) || body.mentions_var(&n) {
                    n = format!("{p}_{k}");
                    k += 1;
                }
                body = substitute(body, p, &Expr::Var(n.clone()));
                taken.insert(n.clone());
            }
            names.push(n);
        }
        let mut out = body;
        for (n, a) in names.into_iter().zip(args).rev() {
            out = mk_let(Pattern::Name(n), a, out);
        }
        out
    }
}

fn renamed_fresh(base: &str, taken: &BTreeSet<String>) -> String {
    let mut n = base.to_owned();
    while taken.contains(&n) {
        n.push('_');
    }
    n
}

fn unbound_local(name: &str) -> Expr {
    Expr::Raise {
        exc: "UnboundLocalError".to_owned(),
        message: Some(Box::new(Expr::Lit(Literal::Str(format!("cannot access local variable '{name}' where it is not associated with a value"))))),
    }
}

/// A literal as an expression (containers as displays).
fn literal_display(l: &Literal) -> Expr {
    match l {
        Literal::List(xs) => Expr::List(xs.iter().map(literal_display).collect()),
        Literal::Tuple(xs) => Expr::Tuple(xs.iter().map(literal_display).collect()),
        Literal::Set(xs) => Expr::Set(xs.iter().map(literal_display).collect()),
        Literal::Dict(es) => Expr::Dict(es.iter().map(|(k, v)| (literal_display(k), literal_display(v))).collect()),
        scalar => Expr::Lit(scalar.clone()),
    }
}

/// Every expression of `stmts`.
fn collect_exprs<'s>(stmts: &'s [ir::Stmt], out: &mut Vec<&'s ir::Expr>) {
    fn target<'s>(t: &'s ir::Target, out: &mut Vec<&'s ir::Expr>) {
        match t {
            ir::Target::Subscript(a, b) => {
                out.push(a);
                out.push(b);
            }
            ir::Target::Tuple(items) => items.iter().for_each(|i| target(i, out)),
            ir::Target::Local(_) | ir::Target::Global(_) | ir::Target::Var(_) => {}
        }
    }
    for s in stmts {
        match &s.kind {
            StmtKind::If { cond, then, orelse } => {
                out.push(cond);
                collect_exprs(then, out);
                collect_exprs(orelse, out);
            }
            StmtKind::For { target: t, iter, body, orelse } => {
                target(t, out);
                out.push(iter);
                collect_exprs(body, out);
                collect_exprs(orelse, out);
            }
            StmtKind::While { cond, body, orelse } => {
                out.push(cond);
                collect_exprs(body, out);
                collect_exprs(orelse, out);
            }
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| target(t, out));
                out.push(value);
            }
            StmtKind::AugAssign { target: t, value, .. } => {
                target(t, out);
                out.push(value);
            }
            StmtKind::Try { body, handlers, orelse } => {
                collect_exprs(body, out);
                handlers.iter().for_each(|h| collect_exprs(&h.body, out));
                collect_exprs(orelse, out);
            }
            StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => out.push(e),
            StmtKind::Raise { message: None, .. } | StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }
}

/// Marks globals used where a module constant and a fresh display could
/// behave differently (mutation, aliasing).
fn walk_stmt_globals(s: &ir::Stmt, unsafe_names: &mut BTreeSet<String>) {
    fn target(t: &ir::Target, unsafe_names: &mut BTreeSet<String>) {
        match t {
            ir::Target::Subscript(a, b) => {
                walk_globals(a, false, unsafe_names);
                walk_globals(b, false, unsafe_names);
            }
            ir::Target::Tuple(items) => items.iter().for_each(|i| target(i, unsafe_names)),
            ir::Target::Global(n) => {
                unsafe_names.insert(n.clone());
            }
            ir::Target::Local(_) | ir::Target::Var(_) => {}
        }
    }
    match &s.kind {
        StmtKind::If { cond, then, orelse } => {
            walk_globals(cond, true, unsafe_names);
            then.iter().chain(orelse).for_each(|x| walk_stmt_globals(x, unsafe_names));
        }
        StmtKind::For { target: t, iter, body, orelse } => {
            target(t, unsafe_names);
            walk_globals(iter, true, unsafe_names);
            body.iter().chain(orelse).for_each(|x| walk_stmt_globals(x, unsafe_names));
        }
        StmtKind::While { cond, body, orelse } => {
            walk_globals(cond, true, unsafe_names);
            body.iter().chain(orelse).for_each(|x| walk_stmt_globals(x, unsafe_names));
        }
        StmtKind::Assign { targets, value } => {
            targets.iter().for_each(|t| target(t, unsafe_names));
            walk_globals(value, false, unsafe_names);
        }
        StmtKind::AugAssign { target: t, value, .. } => {
            target(t, unsafe_names);
            walk_globals(value, false, unsafe_names);
        }
        StmtKind::Try { body, handlers, orelse } => {
            body.iter().chain(orelse).for_each(|x| walk_stmt_globals(x, unsafe_names));
            handlers.iter().flat_map(|h| &h.body).for_each(|x| walk_stmt_globals(x, unsafe_names));
        }
        StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => walk_globals(e, false, unsafe_names),
        StmtKind::Raise { message: None, .. } | StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
    }
}

/// `safe`: whether `e`'s value is only read where it stands.
fn walk_globals(e: &ir::Expr, safe: bool, unsafe_names: &mut BTreeSet<String>) {
    const MUTATING: &[&str] = &[
        "append",
        "extend",
        "add",
        "discard",
        "remove",
        "update",
        "setdefault",
        "pop",
        "clear",
        "insert",
        "sort",
        "reverse",
        "popitem",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    ];
    let mut w = |x: &ir::Expr, s: bool| walk_globals(x, s, unsafe_names);
    match &e.kind {
        ExprKind::Global(n) => {
            if !safe {
                unsafe_names.insert(n.clone());
            }
        }
        ExprKind::Lit(_) | ExprKind::Param(_) | ExprKind::Local(_) | ExprKind::Var(_) | ExprKind::TypeRef(_) | ExprKind::NativeRef(_) => {}
        ExprKind::Subscript(v, k) => {
            w(v, true);
            w(k, true);
        }
        ExprKind::Get { value, key, default } => {
            w(value, true);
            w(key, true);
            if let Some(d) = default {
                w(d, false);
            }
        }
        ExprKind::Field { value, default, .. } => {
            w(value, true);
            if let Some(Some(d)) = default {
                w(d, false);
            }
        }
        ExprKind::Attribute(v, _) => w(v, false),
        ExprKind::Call { callee, args, kwargs } => {
            let args_safe = match callee {
                ir::Callee::Builtin(b) => !matches!(b, Builtin::Min | Builtin::Max),
                ir::Callee::Method(recv, name) => {
                    let read_only = !MUTATING.contains(&name.as_str());
                    w(recv, read_only);
                    matches!(name.as_str(), "startswith" | "endswith")
                }
                ir::Callee::Value(f) => {
                    w(f, false);
                    false
                }
                ir::Callee::Native { .. } | ir::Callee::Function(_) => false,
            };
            args.iter().for_each(|a| w(a, args_safe));
            kwargs.iter().for_each(|(_, a)| w(a, false));
        }
        ExprKind::Compare { left, rest } => {
            w(left, true);
            rest.iter().for_each(|(_, r)| w(r, true));
        }
        ExprKind::BinOp(_, l, r) => {
            w(l, true);
            w(r, true);
        }
        ExprKind::Neg(x) | ExprKind::Not(x) => w(x, true),
        ExprKind::And(xs) | ExprKind::Or(xs) | ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.iter().for_each(|x| w(x, false)),
        ExprKind::IfExp { test, body, orelse } => {
            w(test, true);
            w(body, false);
            w(orelse, false);
        }
        ExprKind::Dict(es) => es.iter().for_each(|(k, v)| {
            w(k, false);
            w(v, false);
        }),
        ExprKind::Comp { elt, value, generators, .. } => {
            for g in generators {
                w(&g.iter, true);
                g.ifs.iter().for_each(|c| w(c, true));
            }
            w(elt, false);
            if let Some(v) = value {
                w(v, false);
            }
        }
        ExprKind::FString(parts) => parts.iter().for_each(|p| {
            if let ir::FPart::Expr(x, _) = p {
                w(x, true);
            }
        }),
        ExprKind::Lambda { body, .. } => w(body, false),
    }
}

/// Helpers, globals, import roots and native types an expression uses.
fn uses(e: &Expr, fns: &mut BTreeSet<String>, globals: &mut BTreeSet<String>, roots: &mut BTreeSet<String>, types: &mut BTreeSet<String>) {
    match e {
        Expr::Call { callee: Callee::Function(f), .. } => {
            fns.insert(f.clone());
        }
        Expr::Call { callee: Callee::Native(n), .. } | Expr::NativeRef(n) => {
            roots.insert(n.spelling.split('.').next().unwrap_or_default().to_owned());
        }
        Expr::Global(g) => {
            globals.insert(g.clone());
        }
        Expr::TypeRef(t) => {
            types.insert(format!("{t:?}"));
        }
        _ => {}
    }
    e.for_each_child(&mut |c| uses(c, fns, globals, roots, types));
}

/// The expressions of a rendered function, for [`uses`].
fn function_exprs(f: &Function, out: &mut Vec<Expr>) {
    fn stmts(ss: &[Stmt], out: &mut Vec<Expr>) {
        for s in ss {
            match s {
                Stmt::If { cond, then, orelse } => {
                    out.push(cond.clone());
                    stmts(then, out);
                    stmts(orelse, out);
                }
                Stmt::For { target, iter, body, orelse } => {
                    target_exprs(target, out);
                    out.push(iter.clone());
                    stmts(body, out);
                    stmts(orelse, out);
                }
                Stmt::While { cond, body, orelse } => {
                    out.push(cond.clone());
                    stmts(body, out);
                    stmts(orelse, out);
                }
                Stmt::Assign { targets, value } => {
                    targets.iter().for_each(|t| target_exprs(t, out));
                    out.push(value.clone());
                }
                Stmt::AugAssign { target, value, .. } => {
                    target_exprs(target, out);
                    out.push(value.clone());
                }
                Stmt::Try { body, handlers, orelse } => {
                    stmts(body, out);
                    handlers.iter().for_each(|(_, b)| stmts(b, out));
                    stmts(orelse, out);
                }
                Stmt::Raise { message: Some(e), .. } | Stmt::Return(Some(e)) | Stmt::Expr(e) => out.push(e.clone()),
                _ => {}
            }
        }
    }
    fn target_exprs(t: &Target, out: &mut Vec<Expr>) {
        match t {
            Target::Subscript(a, b) => {
                out.push(a.clone());
                out.push(b.clone());
            }
            Target::Tuple(items) => items.iter().for_each(|i| target_exprs(i, out)),
            Target::Name(_) => {}
        }
    }
    match &f.body {
        Body::Expr(e) => out.push(e.clone()),
        Body::Block(b) => stmts(&b.stmts, out),
    }
}
