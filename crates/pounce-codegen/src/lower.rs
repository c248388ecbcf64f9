//! Stage 3: lower the Python AST to the IR.
//!
//! Names are resolved here (parameters, module constants); anything outside
//! the supported subset becomes a coded diagnostic pointing at the
//! construct. Lowering goes on after an error so that one run reports every
//! unsupported construct of the file.

use rustpython_parser::ast::{self, Ranged};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::ir::{CmpOp, ConstDef, Expr, ExprKind, Function, Literal, Module, Span, Stmt, StmtKind};

/// Lowers a parsed module. Returns every diagnostic when any construct is
/// outside the subset.
pub fn lower(file: &SourceFile, suite: &ast::Suite) -> Result<Module, Vec<Diagnostic>> {
    let mut cx = Lowerer { file, diags: Vec::new(), consts: Vec::new(), function_names: Vec::new() };
    // Names first, so that functions may use constants defined after them
    // (Python resolves globals at call time).
    for stmt in suite {
        match stmt {
            ast::Stmt::FunctionDef(f) => cx.function_names.push(f.name.to_string()),
            ast::Stmt::Assign(a) => {
                if let [ast::Expr::Name(n)] = a.targets.as_slice() {
                    cx.consts.push(n.id.to_string());
                }
            }
            _ => {}
        }
    }
    let mut module = Module { consts: Vec::new(), functions: Vec::new() };
    for (i, stmt) in suite.iter().enumerate() {
        match stmt {
            ast::Stmt::Expr(e) if i == 0 && is_docstring(&e.value) => {}
            ast::Stmt::Expr(e) if is_docstring(&e.value) => {}
            ast::Stmt::Assign(a) => {
                if let Some(c) = cx.module_const(a) {
                    module.consts.push(c);
                }
            }
            ast::Stmt::FunctionDef(f) => {
                if let Some(f) = cx.function(f) {
                    module.functions.push(f);
                }
            }
            ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) => {
                cx.error(Code::UnsupportedImport, "imports are not supported yet".to_owned(), stmt.range(), "this import");
            }
            other => cx.unsupported_stmt(other),
        }
    }
    match module.function("policy") {
        None => {
            let d = Diagnostic::new(Code::MissingPolicyFunction, "the module has no `policy` function")
                .at(file, 0..0)
                .with_help("define `def policy(resource):` returning `True` when the resource is compliant");
            cx.diags.push(d);
        }
        Some(f) if f.params.len() != 1 => {
            let d = Diagnostic::new(Code::MissingPolicyFunction, format!("`policy` takes {} parameters; it must take exactly one", f.params.len()))
                .at(file, f.span.clone())
                .with_help("define `def policy(resource):`");
            cx.diags.push(d);
        }
        Some(_) => {}
    }
    if cx.diags.is_empty() {
        Ok(module)
    } else {
        Err(cx.diags)
    }
}

fn is_docstring(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Str(_)))
}

fn span(r: rustpython_parser::text_size::TextRange) -> Span {
    usize::from(r.start())..usize::from(r.end())
}

struct Lowerer<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
    consts: Vec<String>,
    function_names: Vec<String>,
}

struct Scope<'s> {
    params: &'s [String],
}

impl Lowerer<'_> {
    fn error(&mut self, code: Code, message: String, range: rustpython_parser::text_size::TextRange, label: &str) {
        self.diags.push(Diagnostic::new(code, message).at(self.file, span(range)).with_label(label));
    }

    fn unsupported_stmt(&mut self, stmt: &ast::Stmt) {
        let what = stmt_name(stmt);
        self.error(Code::UnsupportedStatement, format!("{what} is not supported"), stmt.range(), "unsupported statement");
    }

    fn module_const(&mut self, a: &ast::StmtAssign) -> Option<ConstDef> {
        let [ast::Expr::Name(target)] = a.targets.as_slice() else {
            self.error(Code::UnsupportedStatement, "module-level assignment to anything but one name is not supported".to_owned(), a.range, "unsupported assignment");
            return None;
        };
        let value = self.literal(&a.value)?;
        Some(ConstDef { name: target.id.to_string(), value, span: span(a.range) })
    }

    /// A literal value (module constants).
    fn literal(&mut self, e: &ast::Expr) -> Option<Literal> {
        match e {
            ast::Expr::Constant(c) => self.constant(&c.value, c.range),
            ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => match self.literal(&u.operand)? {
                Literal::Int(i) => Some(Literal::Int(i.checked_neg()?)),
                Literal::Float(x) => Some(Literal::Float(-x)),
                _ => {
                    self.error(Code::UnsupportedExpression, "unary `-` of a non-number".to_owned(), u.range, "not a number");
                    None
                }
            },
            ast::Expr::List(l) => Some(Literal::List(self.literals(&l.elts)?)),
            ast::Expr::Tuple(t) => Some(Literal::Tuple(self.literals(&t.elts)?)),
            ast::Expr::Set(s) => {
                let items = self.literals(&s.elts)?;
                let mut unique: Vec<Literal> = Vec::new();
                for item in items {
                    if !unique.iter().any(|u| literal_eq(u, &item)) {
                        unique.push(item);
                    }
                }
                Some(Literal::Set(unique))
            }
            ast::Expr::Dict(d) => {
                let mut entries: Vec<(Literal, Literal)> = Vec::new();
                for (k, v) in d.keys.iter().zip(&d.values) {
                    let Some(k) = k else {
                        self.error(Code::UnsupportedExpression, "`**` in a dict literal is not supported".to_owned(), v.range(), "unsupported");
                        return None;
                    };
                    let (k, v) = (self.literal(k)?, self.literal(v)?);
                    match entries.iter_mut().find(|(ek, _)| literal_eq(ek, &k)) {
                        Some(entry) => entry.1 = v,
                        None => entries.push((k, v)),
                    }
                }
                Some(Literal::Dict(entries))
            }
            other => {
                self.error(
                    Code::UnsupportedExpression,
                    format!("module-level values must be literals; {} is not supported here", expr_name(other)),
                    other.range(),
                    "not a literal",
                );
                None
            }
        }
    }

    fn literals(&mut self, es: &[ast::Expr]) -> Option<Vec<Literal>> {
        let mut out = Vec::with_capacity(es.len());
        let mut ok = true;
        for e in es {
            match self.literal(e) {
                Some(l) => out.push(l),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn constant(&mut self, c: &ast::Constant, range: rustpython_parser::text_size::TextRange) -> Option<Literal> {
        match c {
            ast::Constant::None => Some(Literal::None),
            ast::Constant::Bool(b) => Some(Literal::Bool(*b)),
            ast::Constant::Str(s) => Some(Literal::Str(s.clone())),
            ast::Constant::Int(i) => match i.to_string().parse::<i64>() {
                Ok(i) => Some(Literal::Int(i)),
                Err(_) => {
                    self.error(Code::UnsupportedExpression, "integers outside the 64-bit range are not supported".to_owned(), range, "too large");
                    None
                }
            },
            ast::Constant::Float(x) => Some(Literal::Float(*x)),
            ast::Constant::Tuple(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.push(self.constant(item, range)?);
                }
                Some(Literal::Tuple(out))
            }
            ast::Constant::Bytes(_) | ast::Constant::Complex { .. } | ast::Constant::Ellipsis => {
                self.error(Code::UnsupportedExpression, "bytes, complex and `...` literals are not supported".to_owned(), range, "unsupported literal");
                None
            }
        }
    }

    fn function(&mut self, f: &ast::StmtFunctionDef) -> Option<Function> {
        let def_span = usize::from(f.range.start())..usize::from(f.range.start()) + 4 + f.name.len();
        if !f.decorator_list.is_empty() {
            self.error(Code::UnsupportedStatement, "decorators are not supported".to_owned(), f.range, "decorated function");
            return None;
        }
        let args = &f.args;
        if !args.posonlyargs.is_empty() || args.vararg.is_some() || args.kwarg.is_some() || !args.kwonlyargs.is_empty() {
            self.diags.push(
                Diagnostic::new(Code::UnsupportedStatement, format!("function `{}` must take plain positional parameters", f.name))
                    .at(self.file, def_span)
                    .with_label("unsupported signature"),
            );
            return None;
        }
        let mut params = Vec::new();
        for a in &args.args {
            if a.default.is_some() {
                self.error(Code::UnsupportedStatement, "default parameter values are not supported yet".to_owned(), a.def.range, "has a default");
            }
            params.push(a.def.arg.to_string());
        }
        let scope = Scope { params: &params };
        let body = self.block(&f.body, &scope);
        Some(Function { name: f.name.to_string(), params: params.clone(), body, span: def_span })
    }

    fn block(&mut self, stmts: &[ast::Stmt], scope: &Scope<'_>) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (i, stmt) in stmts.iter().enumerate() {
            let sp = span(stmt.range());
            let kind = match stmt {
                ast::Stmt::Expr(e) if i == 0 && is_docstring(&e.value) => continue,
                ast::Stmt::If(s) => {
                    let cond = self.expr(&s.test, scope);
                    let then = self.block(&s.body, scope);
                    let orelse = self.block(&s.orelse, scope);
                    match cond {
                        Some(cond) => StmtKind::If { cond, then, orelse },
                        None => continue,
                    }
                }
                ast::Stmt::Return(r) => match &r.value {
                    None => StmtKind::Return(None),
                    Some(v) => match self.expr(v, scope) {
                        Some(e) => StmtKind::Return(Some(e)),
                        None => continue,
                    },
                },
                ast::Stmt::Expr(e) => match self.expr(&e.value, scope) {
                    Some(e) => StmtKind::Expr(e),
                    None => continue,
                },
                ast::Stmt::Pass(_) => StmtKind::Pass,
                other => {
                    self.unsupported_stmt(other);
                    continue;
                }
            };
            out.push(Stmt { kind, span: sp });
        }
        out
    }

    fn expr(&mut self, e: &ast::Expr, scope: &Scope<'_>) -> Option<Expr> {
        let sp = span(e.range());
        let kind = match e {
            ast::Expr::Constant(c) => ExprKind::Lit(self.constant(&c.value, c.range)?),
            ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) && matches!(*u.operand, ast::Expr::Constant(_)) => {
                ExprKind::Lit(self.literal(e)?)
            }
            ast::Expr::Name(n) => self.name(n, scope)?,
            ast::Expr::Subscript(s) => {
                if matches!(*s.slice, ast::Expr::Slice(_)) {
                    self.error(Code::UnsupportedExpression, "slices are not supported yet".to_owned(), s.slice.range(), "slice");
                    return None;
                }
                let value = self.expr(&s.value, scope);
                let index = self.expr(&s.slice, scope);
                ExprKind::Subscript(Box::new(value?), Box::new(index?))
            }
            ast::Expr::Call(c) => return self.call(c, scope),
            ast::Expr::Compare(c) => {
                let left = self.expr(&c.left, scope);
                let mut rest = Vec::new();
                let mut ok = left.is_some();
                for (op, right) in c.ops.iter().zip(&c.comparators) {
                    let op = match op {
                        ast::CmpOp::Eq => CmpOp::Eq,
                        ast::CmpOp::NotEq => CmpOp::NotEq,
                        ast::CmpOp::In => CmpOp::In,
                        ast::CmpOp::NotIn => CmpOp::NotIn,
                        ast::CmpOp::Is | ast::CmpOp::IsNot => {
                            let singleton = matches!(right, ast::Expr::Constant(k) if matches!(k.value, ast::Constant::None | ast::Constant::Bool(_)));
                            if !singleton {
                                self.error(Code::UnsupportedExpression, "`is` is only supported against `None`, `True` and `False`".to_owned(), right.range(), "use `==` for values");
                                ok = false;
                            }
                            if matches!(op, ast::CmpOp::Is) { CmpOp::Is } else { CmpOp::IsNot }
                        }
                        ast::CmpOp::Lt | ast::CmpOp::LtE | ast::CmpOp::Gt | ast::CmpOp::GtE => {
                            self.error(Code::UnsupportedExpression, "ordering comparisons are not supported yet".to_owned(), c.range, "unsupported comparison");
                            ok = false;
                            CmpOp::Eq
                        }
                    };
                    match self.expr(right, scope) {
                        Some(r) => rest.push((op, r)),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                ExprKind::Compare { left: Box::new(left?), rest }
            }
            ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::Not) => ExprKind::Not(Box::new(self.expr(&u.operand, scope)?)),
            ast::Expr::BoolOp(b) => {
                let mut values = Vec::new();
                let mut ok = true;
                for v in &b.values {
                    match self.expr(v, scope) {
                        Some(v) => values.push(v),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                match b.op {
                    ast::BoolOp::And => ExprKind::And(values),
                    ast::BoolOp::Or => ExprKind::Or(values),
                }
            }
            other => {
                self.error(Code::UnsupportedExpression, format!("{} is not supported", expr_name(other)), other.range(), "unsupported expression");
                return None;
            }
        };
        Some(Expr::new(kind, sp))
    }

    fn name(&mut self, n: &ast::ExprName, scope: &Scope<'_>) -> Option<ExprKind> {
        let id = n.id.as_str();
        if scope.params.iter().any(|p| p == id) {
            return Some(ExprKind::Param(id.to_owned()));
        }
        if self.consts.iter().any(|c| c == id) {
            return Some(ExprKind::Global(id.to_owned()));
        }
        let candidates: Vec<&str> = scope
            .params
            .iter()
            .chain(&self.consts)
            .chain(&self.function_names)
            .map(String::as_str)
            .collect();
        let d = Diagnostic::new(Code::UndefinedName, format!("name `{id}` is not defined"))
            .at(self.file, span(n.range))
            .with_label("undefined")
            .suggest(id, candidates);
        self.diags.push(d);
        None
    }

    fn call(&mut self, c: &ast::ExprCall, scope: &Scope<'_>) -> Option<Expr> {
        let sp = span(c.range);
        if let ast::Expr::Attribute(attr) = c.func.as_ref() {
            if attr.attr.as_str() == "get" && c.keywords.is_empty() && (1..=2).contains(&c.args.len()) {
                let value = self.expr(&attr.value, scope);
                let mut args = c.args.iter().map(|a| self.expr(a, scope)).collect::<Vec<_>>().into_iter();
                let key = args.next().flatten();
                let default = args.next();
                let default = match default {
                    None => None,
                    Some(Some(d)) => Some(Box::new(d)),
                    Some(None) => return None,
                };
                return Some(Expr::new(ExprKind::Get { value: Box::new(value?), key: Box::new(key?), default }, sp));
            }
            self.error(Code::UnsupportedCall, format!("method `.{}()` is not supported yet", attr.attr), c.range, "unsupported call");
            return None;
        }
        let callee = match c.func.as_ref() {
            ast::Expr::Name(n) => format!("`{}()`", n.id),
            _ => "this call".to_owned(),
        };
        self.error(Code::UnsupportedCall, format!("calling {callee} is not supported yet"), c.range, "unsupported call");
        None
    }
}

/// Python's `==` on literals, for de-duplicating set and dict literals.
fn literal_eq(a: &Literal, b: &Literal) -> bool {
    fn num(l: &Literal) -> Option<f64> {
        #[expect(clippy::cast_precision_loss, reason = "only used for literal de-duplication")]
        match l {
            Literal::Bool(b) => Some(f64::from(u8::from(*b))),
            Literal::Int(i) => Some(*i as f64),
            Literal::Float(x) => Some(*x),
            _ => None,
        }
    }
    match (num(a), num(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// A user-facing name of a statement kind.
fn stmt_name(s: &ast::Stmt) -> &'static str {
    match s {
        ast::Stmt::FunctionDef(_) => "a nested function definition",
        ast::Stmt::AsyncFunctionDef(_) => "`async def`",
        ast::Stmt::ClassDef(_) => "a class definition",
        ast::Stmt::Return(_) => "`return` outside a function",
        ast::Stmt::Delete(_) => "`del`",
        ast::Stmt::Assign(_) => "assignment",
        ast::Stmt::TypeAlias(_) => "a type alias",
        ast::Stmt::AugAssign(_) => "augmented assignment",
        ast::Stmt::AnnAssign(_) => "annotated assignment",
        ast::Stmt::For(_) => "a `for` loop",
        ast::Stmt::AsyncFor(_) => "`async for`",
        ast::Stmt::While(_) => "a `while` loop",
        ast::Stmt::If(_) => "`if` at module level",
        ast::Stmt::With(_) | ast::Stmt::AsyncWith(_) => "`with`",
        ast::Stmt::Match(_) => "`match`",
        ast::Stmt::Raise(_) => "`raise`",
        ast::Stmt::Try(_) | ast::Stmt::TryStar(_) => "`try`",
        ast::Stmt::Assert(_) => "`assert`",
        ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) => "an import",
        ast::Stmt::Global(_) => "`global`",
        ast::Stmt::Nonlocal(_) => "`nonlocal`",
        ast::Stmt::Expr(_) => "an expression statement at module level",
        ast::Stmt::Pass(_) => "`pass`",
        ast::Stmt::Break(_) => "`break`",
        ast::Stmt::Continue(_) => "`continue`",
    }
}

/// A user-facing name of an expression kind.
fn expr_name(e: &ast::Expr) -> &'static str {
    match e {
        ast::Expr::BoolOp(_) => "`and`/`or`",
        ast::Expr::NamedExpr(_) => "`:=`",
        ast::Expr::BinOp(_) => "an arithmetic operator",
        ast::Expr::UnaryOp(_) => "this unary operator",
        ast::Expr::Lambda(_) => "`lambda`",
        ast::Expr::IfExp(_) => "a conditional expression",
        ast::Expr::Dict(_) => "a dict display",
        ast::Expr::Set(_) => "a set display",
        ast::Expr::ListComp(_) => "a list comprehension",
        ast::Expr::SetComp(_) => "a set comprehension",
        ast::Expr::DictComp(_) => "a dict comprehension",
        ast::Expr::GeneratorExp(_) => "a generator expression",
        ast::Expr::Await(_) => "`await`",
        ast::Expr::Yield(_) | ast::Expr::YieldFrom(_) => "`yield`",
        ast::Expr::Compare(_) => "a comparison",
        ast::Expr::Call(_) => "a call",
        ast::Expr::FormattedValue(_) | ast::Expr::JoinedStr(_) => "an f-string",
        ast::Expr::Constant(_) => "this literal",
        ast::Expr::Attribute(_) => "attribute access",
        ast::Expr::Subscript(_) => "a subscript",
        ast::Expr::Starred(_) => "`*` unpacking",
        ast::Expr::Name(_) => "a name",
        ast::Expr::List(_) => "a list display",
        ast::Expr::Tuple(_) => "a tuple display",
        ast::Expr::Slice(_) => "a slice",
    }
}
