//! Stage 3: lower the Python AST to the IR.
//!
//! Names are resolved here (comprehension variables, locals, parameters,
//! module globals, module functions, imports, builtins); anything outside
//! the supported subset becomes a coded diagnostic pointing at the
//! construct. Lowering goes on after an error so that one run reports every
//! unsupported construct of the file.

use std::collections::{BTreeMap, BTreeSet};

use pounce_runtime::natives::{self, Entry, Item};
use pounce_runtime::ops::PyType;
use pounce_runtime::BinOp;
use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::text_size::TextRange;

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::ir::{
    Builtin, Callee, CmpOp, CompKind, Conversion, Expr, ExprKind, FPart, Function, Generator, Global, GlobalInit, Handler,
    Literal, Module, Span, Stmt, StmtKind, Target,
};

/// Python's builtin functions, for telling "not supported" from "not defined".
const PYTHON_BUILTINS: &[&str] = &[
    "abs", "aiter", "anext", "ascii", "bin", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
    "delattr", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash",
    "help", "hex", "id", "input", "issubclass", "iter", "locals", "map", "memoryview", "next", "object", "oct", "open", "ord", "pow",
    "property", "range", "repr", "reversed", "round", "setattr", "slice", "staticmethod", "sum", "super", "type", "vars", "zip", "__import__",
];

/// Modules whose import is a known, not-yet-supported dependency.
const KNOWN_UNSUPPORTED_MODULES: &[&str] = &[];

/// Lowers a parsed module. Returns every diagnostic when any construct is
/// outside the subset.
pub fn lower(file: &SourceFile, suite: &ast::Suite) -> Result<Module, Vec<Diagnostic>> {
    let mut cx = Lowerer {
        file,
        diags: Vec::new(),
        imports: BTreeMap::new(),
        functions: BTreeMap::new(),
        global_names: BTreeSet::new(),
        rebound: BTreeSet::new(),
        defined_globals: BTreeSet::new(),
        reported_roots: BTreeSet::new(),
    };
    cx.collect(suite);
    let mut module = Module { globals: Vec::new(), functions: Vec::new(), names: Vec::new(), imported_functions: Vec::new() };
    for (i, stmt) in suite.iter().enumerate() {
        match stmt {
            ast::Stmt::Expr(e) if is_docstring(&e.value) && i == 0 => {}
            ast::Stmt::Expr(e) if is_docstring(&e.value) => {}
            ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) => {} // handled in `collect`
            ast::Stmt::Assign(a) => {
                if let Some(g) = cx.module_global(a) {
                    cx.defined_globals.insert(g.name.clone());
                    module.globals.push(g);
                }
            }
            ast::Stmt::FunctionDef(f) => {
                if let Some(f) = cx.function(f) {
                    module.functions.push(f);
                }
            }
            // Not supported anywhere: say so, and what a module may hold.
            other @ (ast::Stmt::ClassDef(_) | ast::Stmt::AsyncFunctionDef(_)) => {
                cx.unsupported_stmt(other, "(a policy module holds imports, functions and assignments to names)");
            }
            other => cx.unsupported_stmt(other, "at module level"),
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
            let d = Diagnostic::new(
                Code::MissingPolicyFunction,
                format!("`policy` takes {} parameters; it must take exactly one", f.params.len()),
            )
            .at(file, f.span.clone())
            .with_help("define `def policy(resource):`");
            cx.diags.push(d);
        }
        Some(_) => {}
    }
    let mut names: BTreeSet<String> = cx.imports.keys().cloned().collect();
    names.extend(module.globals.iter().map(|g| g.name.clone()));
    names.extend(module.functions.iter().map(|f| f.name.clone()));
    module.names = names.into_iter().collect();
    module.imported_functions = cx
        .imports
        .iter()
        .filter(|(_, b)| matches!(b, Binding::Entry(e) if matches!(e.item, Item::Function(_) | Item::Type { ctor: Some(_), .. })))
        .map(|(n, _)| n.clone())
        .collect();
    if cx.diags.is_empty() {
        Ok(module)
    } else {
        Err(cx.diags)
    }
}

fn is_docstring(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Str(_)))
}

fn span(r: TextRange) -> Span {
    usize::from(r.start())..usize::from(r.end())
}

/// What an imported name is bound to.
#[derive(Debug, Clone)]
enum Binding {
    /// `import json`: a module.
    Module(String),
    /// `from x import y`: a registry entry.
    Entry(&'static Entry),
    /// An import already reported as unsupported: uses are not reported again.
    Unsupported,
}

struct Lowerer<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
    imports: BTreeMap<String, Binding>,
    /// Module functions and their parameter counts.
    functions: BTreeMap<String, usize>,
    /// Every name assigned at module level.
    global_names: BTreeSet<String>,
    /// Globals rebound by a `global` statement in some function.
    rebound: BTreeSet<String>,
    /// Globals defined so far (module-level code may only read these).
    defined_globals: BTreeSet<String>,
    /// Unsupported module roots already reported.
    reported_roots: BTreeSet<String>,
}

/// The names visible in a function (or at module level, with no function).
#[derive(Default)]
struct Scope {
    /// Parameters that are never reassigned.
    params: Vec<String>,
    /// Locals (reassigned parameters included).
    locals: Vec<String>,
    /// Names declared `global`.
    globals: Vec<String>,
    /// Comprehension and lambda variables, innermost last.
    vars: Vec<Vec<String>>,
    /// How many loops enclose the current statement.
    loop_depth: usize,
    /// Whether this is module-level code.
    module_level: bool,
}

/// A marker for a construct already reported.
struct Reported;

type Lowered<T> = Result<T, Reported>;

impl Lowerer<'_> {
    fn error(&mut self, code: Code, message: String, range: TextRange, label: &str) -> Reported {
        self.diags.push(Diagnostic::new(code, message).at(self.file, span(range)).with_label(label));
        Reported
    }

    fn unsupported_stmt(&mut self, stmt: &ast::Stmt, context: &str) {
        let what = stmt_name(stmt);
        self.error(Code::UnsupportedStatement, format!("{what} is not supported {context}"), stmt.range(), "unsupported statement");
    }

    fn unsupported_expr(&mut self, e: &ast::Expr, context: &str) -> Reported {
        let what = expr_name(e);
        let context = if context.is_empty() { String::new() } else { format!(" {context}") };
        self.error(Code::UnsupportedExpression, format!("{what} is not supported{context}"), e.range(), "unsupported expression")
    }

    /// First pass: imports, function names, module-level and `global` names.
    fn collect(&mut self, suite: &ast::Suite) {
        for stmt in suite {
            match stmt {
                ast::Stmt::Import(i) => {
                    for alias in &i.names {
                        let module = alias.name.to_string();
                        let local = alias.asname.as_ref().map_or_else(|| module.split('.').next().unwrap_or_default().to_owned(), ToString::to_string);
                        let binding = self.import_module(&module, alias.range);
                        self.imports.insert(local, binding);
                    }
                }
                ast::Stmt::ImportFrom(i) => {
                    let module = i.module.as_ref().map(ToString::to_string).unwrap_or_default();
                    if !natives::has_module(&module) {
                        // One diagnostic per statement; its names are bound
                        // so that their uses are not reported again.
                        let binding = self.import_module(&module, i.range);
                        for alias in &i.names {
                            let local = alias.asname.as_ref().unwrap_or(&alias.name).to_string();
                            self.imports.insert(local, binding.clone());
                        }
                        continue;
                    }
                    for alias in &i.names {
                        let name = alias.name.to_string();
                        let local = alias.asname.as_ref().map_or_else(|| name.clone(), ToString::to_string);
                        let binding = self.import_name(&module, &name, alias.range, i.range);
                        self.imports.insert(local, binding);
                    }
                }
                ast::Stmt::FunctionDef(f) => {
                    self.functions.insert(f.name.to_string(), f.args.args.len());
                    collect_global_decls(&f.body, &mut self.rebound);
                }
                ast::Stmt::Assign(a) => {
                    for t in &a.targets {
                        if let ast::Expr::Name(n) = t {
                            self.global_names.insert(n.id.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn known_unsupported(&mut self, module: &str, range: TextRange) -> Option<Binding> {
        let root = module.split('.').next().unwrap_or_default();
        if KNOWN_UNSUPPORTED_MODULES.contains(&root) {
            // One diagnostic per module and file.
            if !self.reported_roots.insert(root.to_owned()) {
                return Some(Binding::Unsupported);
            }
            self.error(
                Code::UnsupportedImport,
                format!("module `{module}` is not supported yet"),
                range,
                "unsupported import",
            );
            return Some(Binding::Unsupported);
        }
        None
    }

    fn import_module(&mut self, module: &str, range: TextRange) -> Binding {
        if let Some(b) = self.known_unsupported(module, range) {
            return b;
        }
        if natives::has_module(module) {
            return Binding::Module(module.to_owned());
        }
        let modules: BTreeSet<&str> = natives::ENTRIES.iter().map(|e| e.module).collect();
        let d = Diagnostic::new(Code::UnsupportedImport, format!("module `{module}` is not supported"))
            .at(self.file, span(range))
            .with_label("unsupported import")
            .suggest(module, modules.iter().copied());
        self.diags.push(d);
        Binding::Unsupported
    }

    fn import_name(&mut self, module: &str, name: &str, range: TextRange, stmt_range: TextRange) -> Binding {
        if let Some(entry) = natives::find(module, name) {
            return Binding::Entry(entry);
        }
        if natives::has_module(module) {
            let names: Vec<&str> = natives::ENTRIES.iter().filter(|e| e.module == module && !e.name.contains('.')).map(|e| e.name).collect();
            let d = Diagnostic::new(Code::UnsupportedImport, format!("`{name}` of module `{module}` is not supported"))
                .at(self.file, span(range))
                .with_label("unsupported name")
                .suggest(name, names);
            self.diags.push(d);
        } else {
            let modules: BTreeSet<&str> = natives::ENTRIES.iter().map(|e| e.module).collect();
            let d = Diagnostic::new(Code::UnsupportedImport, format!("module `{module}` is not supported"))
                .at(self.file, span(stmt_range))
                .with_label("unsupported import")
                .suggest(module, modules.iter().copied());
            self.diags.push(d);
        }
        Binding::Unsupported
    }

    fn module_global(&mut self, a: &ast::StmtAssign) -> Option<Global> {
        let [ast::Expr::Name(target)] = a.targets.as_slice() else {
            self.error(
                Code::UnsupportedStatement,
                "module-level assignment to anything but one name is not supported".to_owned(),
                a.range,
                "unsupported assignment",
            );
            return None;
        };
        let name = target.id.to_string();
        let literal = self.try_literal(&a.value);
        let init = match literal {
            Some(l) => GlobalInit::Literal(l),
            None => {
                let mut scope = Scope { module_level: true, ..Scope::default() };
                GlobalInit::Expr(self.expr(&a.value, &mut scope).ok()?)
            }
        };
        let rebound = self.rebound.contains(&name);
        Some(Global { name, init, rebound, span: span(a.range) })
    }

    /// A literal value, if `e` is one (no diagnostics).
    fn try_literal(&self, e: &ast::Expr) -> Option<Literal> {
        match e {
            ast::Expr::Constant(c) => constant(&c.value),
            ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => match self.try_literal(&u.operand)? {
                Literal::Int(i) => Some(Literal::Int(i.checked_neg()?)),
                Literal::Float(x) => Some(Literal::Float(-x)),
                _ => None,
            },
            ast::Expr::List(l) => Some(Literal::List(l.elts.iter().map(|x| self.try_literal(x)).collect::<Option<_>>()?)),
            ast::Expr::Tuple(t) => Some(Literal::Tuple(t.elts.iter().map(|x| self.try_literal(x)).collect::<Option<_>>()?)),
            ast::Expr::Set(s) => {
                let mut unique: Vec<Literal> = Vec::new();
                for item in &s.elts {
                    let item = self.try_literal(item)?;
                    if matches!(item, Literal::List(_) | Literal::Set(_) | Literal::Dict(_)) {
                        return None; // unhashable: leave it to run time, which raises
                    }
                    if !unique.iter().any(|u| literal_eq(u, &item)) {
                        unique.push(item);
                    }
                }
                Some(Literal::Set(unique))
            }
            ast::Expr::Dict(d) => {
                let mut entries: Vec<(Literal, Literal)> = Vec::new();
                for (k, v) in d.keys.iter().zip(&d.values) {
                    let k = self.try_literal(k.as_ref()?)?;
                    if matches!(k, Literal::List(_) | Literal::Set(_) | Literal::Dict(_)) {
                        return None;
                    }
                    let v = self.try_literal(v)?;
                    match entries.iter_mut().find(|(ek, _)| literal_eq(ek, &k)) {
                        Some(entry) => entry.1 = v,
                        None => entries.push((k, v)),
                    }
                }
                Some(Literal::Dict(entries))
            }
            _ => None,
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
                self.error(Code::UnsupportedStatement, "default parameter values are not supported".to_owned(), a.def.range, "has a default");
            }
            params.push(a.def.arg.to_string());
        }
        let mut globals = BTreeSet::new();
        collect_global_decls(&f.body, &mut globals);
        let mut assigned = BTreeSet::new();
        collect_assigned(&f.body, &mut assigned);
        let locals: Vec<String> = assigned.iter().filter(|n| !globals.contains(*n)).cloned().collect();
        for g in &globals {
            if !self.global_names.contains(g) {
                self.error(
                    Code::UnsupportedStatement,
                    format!("`global {g}` names no module-level assignment; define `{g} = ...` at module level"),
                    f.range,
                    "unsupported global",
                );
            }
        }
        let mut scope = Scope {
            params: params.iter().filter(|p| !locals.contains(p)).cloned().collect(),
            locals: locals.clone(),
            globals: globals.into_iter().collect(),
            ..Scope::default()
        };
        let body = self.block(&f.body, &mut scope);
        Some(Function { name: f.name.to_string(), params, locals, body, span: def_span })
    }

    fn block(&mut self, stmts: &[ast::Stmt], scope: &mut Scope) -> Vec<Stmt> {
        let mut out = Vec::new();
        for (i, stmt) in stmts.iter().enumerate() {
            if let ast::Stmt::Expr(e) = stmt {
                if i == 0 && is_docstring(&e.value) {
                    continue;
                }
            }
            if let Ok(kind) = self.stmt(stmt, scope) {
                out.push(Stmt { kind, span: span(stmt.range()) });
            }
        }
        out
    }

    fn stmt(&mut self, stmt: &ast::Stmt, scope: &mut Scope) -> Lowered<StmtKind> {
        Ok(match stmt {
            ast::Stmt::If(s) => {
                let cond = self.expr(&s.test, scope);
                let then = self.block(&s.body, scope);
                let orelse = self.block(&s.orelse, scope);
                StmtKind::If { cond: cond?, then, orelse }
            }
            ast::Stmt::For(s) => {
                let target = self.target(&s.target, scope);
                let iter = self.expr(&s.iter, scope);
                scope.loop_depth += 1;
                let body = self.block(&s.body, scope);
                scope.loop_depth -= 1;
                let orelse = self.block(&s.orelse, scope);
                StmtKind::For { target: target?, iter: iter?, body, orelse }
            }
            ast::Stmt::While(s) => {
                let cond = self.expr(&s.test, scope);
                scope.loop_depth += 1;
                let body = self.block(&s.body, scope);
                scope.loop_depth -= 1;
                let orelse = self.block(&s.orelse, scope);
                StmtKind::While { cond: cond?, body, orelse }
            }
            ast::Stmt::Break(_) | ast::Stmt::Continue(_) if scope.loop_depth == 0 => {
                return Err(self.error(Code::PythonSyntax, "`break`/`continue` outside a loop".to_owned(), stmt.range(), "not in a loop"));
            }
            ast::Stmt::Break(_) => StmtKind::Break,
            ast::Stmt::Continue(_) => StmtKind::Continue,
            ast::Stmt::Assign(a) => {
                let value = self.expr(&a.value, scope);
                let mut targets = Vec::new();
                for t in &a.targets {
                    targets.push(self.target(t, scope));
                }
                let targets = targets.into_iter().collect::<Lowered<Vec<_>>>()?;
                StmtKind::Assign { targets, value: value? }
            }
            ast::Stmt::AugAssign(a) => {
                let op = binop(&a.op).ok_or_else(|| {
                    self.error(Code::UnsupportedExpression, format!("the operator `{}=` is not supported", binop_symbol(&a.op)), a.range, "unsupported operator")
                })?;
                let target = self.target(&a.target, scope);
                let value = self.expr(&a.value, scope);
                StmtKind::AugAssign { target: target?, op, value: value? }
            }
            ast::Stmt::Try(t) => {
                if !t.finalbody.is_empty() {
                    return Err(self.error(Code::UnsupportedStatement, "`finally` is not supported".to_owned(), t.range, "try with finally"));
                }
                let body = self.block(&t.body, scope);
                let mut handlers = Vec::new();
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if h.name.is_some() {
                        self.error(Code::UnsupportedStatement, "`except ... as name` is not supported".to_owned(), h.range, "binds the exception");
                        continue;
                    }
                    let types = match &h.type_ {
                        None => Vec::new(),
                        Some(t) => match self.exception_types(t) {
                            Ok(types) => types,
                            Err(Reported) => continue,
                        },
                    };
                    let body = self.block(&h.body, scope);
                    handlers.push(Handler { types, body });
                }
                let orelse = self.block(&t.orelse, scope);
                StmtKind::Try { body, handlers, orelse }
            }
            ast::Stmt::Raise(r) => {
                if r.cause.is_some() {
                    return Err(self.error(Code::UnsupportedStatement, "`raise ... from ...` is not supported".to_owned(), r.range, "unsupported raise"));
                }
                let Some(exc) = &r.exc else {
                    return Err(self.error(Code::UnsupportedStatement, "a bare `raise` is not supported".to_owned(), r.range, "unsupported raise"));
                };
                let (class, arg) = match exc.as_ref() {
                    ast::Expr::Call(c) if c.keywords.is_empty() && c.args.len() <= 1 => (c.func.as_ref(), c.args.first()),
                    other => (other, None),
                };
                let exc = self.exception_types(class)?.into_iter().next().unwrap_or_default();
                let message = match arg {
                    Some(a) => Some(self.expr(a, scope)?),
                    None => None,
                };
                StmtKind::Raise { exc, message }
            }
            ast::Stmt::Return(r) => match &r.value {
                None => StmtKind::Return(None),
                Some(v) => StmtKind::Return(Some(self.expr(v, scope)?)),
            },
            ast::Stmt::Expr(e) => StmtKind::Expr(self.expr(&e.value, scope)?),
            ast::Stmt::Pass(_) | ast::Stmt::Global(_) => StmtKind::Pass,
            other => {
                self.unsupported_stmt(other, "in a function");
                return Err(Reported);
            }
        })
    }

    /// The exception class names of an `except` clause.
    fn exception_types(&mut self, e: &ast::Expr) -> Lowered<Vec<String>> {
        match e {
            ast::Expr::Tuple(t) => {
                let mut out = Vec::new();
                for x in &t.elts {
                    out.extend(self.exception_types(x)?);
                }
                Ok(out)
            }
            ast::Expr::Name(n) => {
                let id = n.id.as_str();
                match self.imports.get(id) {
                    Some(Binding::Entry(entry)) => match entry.item {
                        Item::Exception(name) => Ok(vec![name.to_owned()]),
                        _ => Err(self.error(Code::TypeMismatch, format!("`{id}` is not an exception class"), n.range, "not an exception")),
                    },
                    Some(Binding::Unsupported) => Err(Reported),
                    _ => match natives::find("builtins", id) {
                        Some(Entry { item: Item::Exception(name), .. }) => Ok(vec![(*name).to_owned()]),
                        _ => {
                            let candidates: Vec<&str> = natives::ENTRIES
                                .iter()
                                .filter(|e| matches!(e.item, Item::Exception(_)) && e.module == "builtins")
                                .map(|e| e.name)
                                .collect();
                            let d = Diagnostic::new(Code::UndefinedName, format!("exception class `{id}` is not defined or not supported"))
                                .at(self.file, span(n.range))
                                .with_label("unknown exception")
                                .suggest(id, candidates);
                            self.diags.push(d);
                            Err(Reported)
                        }
                    },
                }
            }
            ast::Expr::Attribute(_) => match self.native_path(e) {
                Some(Ok(Entry { item: Item::Exception(name), .. })) => Ok(vec![(*name).to_owned()]),
                Some(Err(Reported)) => Err(Reported),
                _ => Err(self.error(Code::UnsupportedExpression, "this exception class is not supported".to_owned(), e.range(), "unknown exception")),
            },
            other => Err(self.unsupported_expr(other, "as an exception class")),
        }
    }

    fn target(&mut self, t: &ast::Expr, scope: &mut Scope) -> Lowered<Target> {
        match t {
            ast::Expr::Name(n) => {
                let id = n.id.to_string();
                if scope.vars.iter().any(|v| v.contains(&id)) {
                    return Ok(Target::Var(id));
                }
                if scope.globals.contains(&id) {
                    return Ok(Target::Global(id));
                }
                if scope.module_level {
                    return Err(self.unsupported_expr(t, "as a module-level target"));
                }
                Ok(Target::Local(id))
            }
            ast::Expr::Tuple(tp) => Ok(Target::Tuple(tp.elts.iter().map(|x| self.target(x, scope)).collect::<Vec<_>>().into_iter().collect::<Lowered<_>>()?)),
            ast::Expr::List(l) => Ok(Target::Tuple(l.elts.iter().map(|x| self.target(x, scope)).collect::<Vec<_>>().into_iter().collect::<Lowered<_>>()?)),
            ast::Expr::Subscript(s) => {
                if matches!(*s.slice, ast::Expr::Slice(_)) {
                    return Err(self.unsupported_expr(&s.slice, "as an assignment target"));
                }
                let value = self.expr(&s.value, scope);
                let index = self.expr(&s.slice, scope);
                Ok(Target::Subscript(Box::new(value?), Box::new(index?)))
            }
            other => Err(self.unsupported_expr(other, "as an assignment target")),
        }
    }

    /// A comprehension variable target: names only.
    fn var_target(&mut self, t: &ast::Expr, names: &mut Vec<String>) -> Lowered<Target> {
        match t {
            ast::Expr::Name(n) => {
                names.push(n.id.to_string());
                Ok(Target::Var(n.id.to_string()))
            }
            ast::Expr::Tuple(tp) => {
                let mut out = Vec::new();
                for x in &tp.elts {
                    out.push(self.var_target(x, names)?);
                }
                Ok(Target::Tuple(out))
            }
            other => Err(self.unsupported_expr(other, "as a comprehension variable")),
        }
    }

    /// Resolves `a.b.c` on an imported module or entry, when `e` is one.
    fn native_path(&mut self, e: &ast::Expr) -> Option<Lowered<&'static Entry>> {
        fn path(e: &ast::Expr, out: &mut Vec<String>) -> Option<String> {
            match e {
                ast::Expr::Name(n) => Some(n.id.to_string()),
                ast::Expr::Attribute(a) => {
                    let root = path(&a.value, out)?;
                    out.push(a.attr.to_string());
                    Some(root)
                }
                _ => None,
            }
        }
        let mut attrs = Vec::new();
        let root = path(e, &mut attrs)?;
        let binding = self.imports.get(&root)?.clone();
        let (module, prefix) = match binding {
            Binding::Module(m) => (m, String::new()),
            Binding::Entry(entry) => (entry.module.to_owned(), entry.name.to_owned()),
            Binding::Unsupported => return Some(Err(Reported)),
        };
        let mut dotted = prefix;
        for a in &attrs {
            if !dotted.is_empty() {
                dotted.push('.');
            }
            dotted.push_str(a);
        }
        if dotted.is_empty() {
            return None; // the module itself
        }
        match natives::find(&module, &dotted) {
            Some(entry) => Some(Ok(entry)),
            None => {
                // `x.attr` where `x` is an entry that is not a namespace is
                // attribute access on a value: not a path.
                if let Some(first) = natives::find(&module, dotted.split('.').next().unwrap_or_default()) {
                    if !matches!(first.item, Item::Namespace) && attrs.len() <= 1 {
                        return None;
                    }
                }
                let names: Vec<&str> = natives::ENTRIES.iter().filter(|x| x.module == module).map(|x| x.name).collect();
                let d = Diagnostic::new(Code::UnsupportedImport, format!("`{module}.{dotted}` is not supported"))
                    .at(self.file, span(e.range()))
                    .with_label("unsupported name")
                    .suggest(&dotted, names);
                self.diags.push(d);
                Some(Err(Reported))
            }
        }
    }

    fn exprs(&mut self, es: &[ast::Expr], scope: &mut Scope) -> Lowered<Vec<Expr>> {
        let mut out = Vec::with_capacity(es.len());
        let mut ok = true;
        for e in es {
            match self.expr(e, scope) {
                Ok(x) => out.push(x),
                Err(Reported) => ok = false,
            }
        }
        if ok {
            Ok(out)
        } else {
            Err(Reported)
        }
    }

    fn expr(&mut self, e: &ast::Expr, scope: &mut Scope) -> Lowered<Expr> {
        let sp = span(e.range());
        let kind = match e {
            ast::Expr::Constant(c) => match constant(&c.value) {
                Some(l) => ExprKind::Lit(l),
                None => return Err(self.unsupported_expr(e, "")),
            },
            ast::Expr::Name(n) => self.name(n, scope)?,
            ast::Expr::Attribute(a) => match self.native_path(e) {
                Some(entry) => {
                    let entry = entry?;
                    match entry.item {
                        Item::Type { ty, .. } => ExprKind::TypeRef(ty),
                        _ => ExprKind::NativeRef(entry),
                    }
                }
                None => ExprKind::Attribute(Box::new(self.expr(&a.value, scope)?), a.attr.to_string()),
            },
            ast::Expr::Subscript(s) => {
                if matches!(*s.slice, ast::Expr::Slice(_)) {
                    return Err(self.unsupported_expr(&s.slice, ""));
                }
                let value = self.expr(&s.value, scope);
                let index = self.expr(&s.slice, scope);
                ExprKind::Subscript(Box::new(value?), Box::new(index?))
            }
            ast::Expr::Call(c) => return self.call(c, scope),
            ast::Expr::Compare(c) => {
                let left = self.expr(&c.left, scope);
                let mut rest = Vec::new();
                let mut ok = left.is_ok();
                for (op, right) in c.ops.iter().zip(&c.comparators) {
                    let op = match op {
                        ast::CmpOp::Eq => CmpOp::Eq,
                        ast::CmpOp::NotEq => CmpOp::NotEq,
                        ast::CmpOp::In => CmpOp::In,
                        ast::CmpOp::NotIn => CmpOp::NotIn,
                        ast::CmpOp::Lt => CmpOp::Lt,
                        ast::CmpOp::LtE => CmpOp::Le,
                        ast::CmpOp::Gt => CmpOp::Gt,
                        ast::CmpOp::GtE => CmpOp::Ge,
                        ast::CmpOp::Is | ast::CmpOp::IsNot => {
                            let singleton = matches!(right, ast::Expr::Constant(k) if matches!(k.value, ast::Constant::None | ast::Constant::Bool(_)));
                            if !singleton {
                                self.error(
                                    Code::UnsupportedExpression,
                                    "`is` is only supported against `None`, `True` and `False`".to_owned(),
                                    right.range(),
                                    "use `==` for values",
                                );
                                ok = false;
                            }
                            if matches!(op, ast::CmpOp::Is) {
                                CmpOp::Is
                            } else {
                                CmpOp::IsNot
                            }
                        }
                    };
                    match self.expr(right, scope) {
                        Ok(r) => rest.push((op, r)),
                        Err(Reported) => ok = false,
                    }
                }
                if !ok {
                    return Err(Reported);
                }
                ExprKind::Compare { left: Box::new(left?), rest }
            }
            ast::Expr::UnaryOp(u) => match u.op {
                ast::UnaryOp::Not => ExprKind::Not(Box::new(self.expr(&u.operand, scope)?)),
                ast::UnaryOp::USub => match self.try_literal(e) {
                    Some(l @ (Literal::Int(_) | Literal::Float(_))) => ExprKind::Lit(l),
                    _ => ExprKind::Neg(Box::new(self.expr(&u.operand, scope)?)),
                },
                ast::UnaryOp::UAdd | ast::UnaryOp::Invert => return Err(self.unsupported_expr(e, "")),
            },
            ast::Expr::BinOp(b) => {
                let op = binop(&b.op).ok_or_else(|| {
                    self.error(Code::UnsupportedExpression, format!("the operator `{}` is not supported", binop_symbol(&b.op)), b.range, "unsupported operator")
                })?;
                let l = self.expr(&b.left, scope);
                let r = self.expr(&b.right, scope);
                ExprKind::BinOp(op, Box::new(l?), Box::new(r?))
            }
            ast::Expr::BoolOp(b) => {
                let values = self.exprs(&b.values, scope)?;
                match b.op {
                    ast::BoolOp::And => ExprKind::And(values),
                    ast::BoolOp::Or => ExprKind::Or(values),
                }
            }
            ast::Expr::IfExp(x) => {
                let test = self.expr(&x.test, scope);
                let body = self.expr(&x.body, scope);
                let orelse = self.expr(&x.orelse, scope);
                ExprKind::IfExp { test: Box::new(test?), body: Box::new(body?), orelse: Box::new(orelse?) }
            }
            ast::Expr::List(l) => ExprKind::List(self.exprs(&l.elts, scope)?),
            ast::Expr::Tuple(t) => ExprKind::Tuple(self.exprs(&t.elts, scope)?),
            ast::Expr::Set(s) => ExprKind::Set(self.exprs(&s.elts, scope)?),
            ast::Expr::Dict(d) => {
                let mut entries = Vec::new();
                let mut ok = true;
                for (k, v) in d.keys.iter().zip(&d.values) {
                    let Some(k) = k else {
                        self.error(Code::UnsupportedExpression, "`**` in a dict display is not supported".to_owned(), v.range(), "unsupported");
                        ok = false;
                        continue;
                    };
                    match (self.expr(k, scope), self.expr(v, scope)) {
                        (Ok(k), Ok(v)) => entries.push((k, v)),
                        _ => ok = false,
                    }
                }
                if !ok {
                    return Err(Reported);
                }
                ExprKind::Dict(entries)
            }
            ast::Expr::ListComp(c) => self.comp(CompKind::List, &c.elt, None, &c.generators, scope)?,
            ast::Expr::SetComp(c) => self.comp(CompKind::Set, &c.elt, None, &c.generators, scope)?,
            ast::Expr::GeneratorExp(c) => self.comp(CompKind::Gen, &c.elt, None, &c.generators, scope)?,
            ast::Expr::DictComp(c) => self.comp(CompKind::Dict, &c.key, Some(&c.value), &c.generators, scope)?,
            ast::Expr::JoinedStr(j) => {
                let mut parts = Vec::new();
                for v in &j.values {
                    match v {
                        ast::Expr::Constant(c) => match &c.value {
                            ast::Constant::Str(s) => parts.push(FPart::Lit(s.clone())),
                            _ => return Err(self.unsupported_expr(v, "in an f-string")),
                        },
                        ast::Expr::FormattedValue(f) => {
                            if f.format_spec.is_some() {
                                return Err(self.error(
                                    Code::UnsupportedExpression,
                                    "format specs in f-strings are not supported".to_owned(),
                                    f.range,
                                    "has a format spec",
                                ));
                            }
                            let conversion = match f.conversion {
                                ast::ConversionFlag::None | ast::ConversionFlag::Str => Conversion::Str,
                                ast::ConversionFlag::Repr => Conversion::Repr,
                                ast::ConversionFlag::Ascii => {
                                    return Err(self.error(Code::UnsupportedExpression, "`!a` in f-strings is not supported".to_owned(), f.range, "unsupported conversion"))
                                }
                            };
                            parts.push(FPart::Expr(self.expr(&f.value, scope)?, conversion));
                        }
                        other => return Err(self.unsupported_expr(other, "in an f-string")),
                    }
                }
                ExprKind::FString(parts)
            }
            ast::Expr::Lambda(l) => {
                let a = &l.args;
                if !a.posonlyargs.is_empty() || a.vararg.is_some() || a.kwarg.is_some() || !a.kwonlyargs.is_empty() || a.args.iter().any(|x| x.default.is_some()) {
                    return Err(self.unsupported_expr(e, "with these parameters"));
                }
                let params: Vec<String> = a.args.iter().map(|x| x.def.arg.to_string()).collect();
                scope.vars.push(params.clone());
                let body = self.expr(&l.body, scope);
                scope.vars.pop();
                ExprKind::Lambda { params, body: Box::new(body?) }
            }
            other => return Err(self.unsupported_expr(other, "")),
        };
        Ok(Expr::new(kind, sp))
    }

    fn comp(
        &mut self,
        kind: CompKind,
        elt: &ast::Expr,
        value: Option<&ast::Expr>,
        generators: &[ast::Comprehension],
        scope: &mut Scope,
    ) -> Lowered<ExprKind> {
        let depth = scope.vars.len();
        let mut gens = Vec::new();
        let mut ok = true;
        for g in generators {
            if g.is_async {
                ok = false;
                self.error(Code::UnsupportedExpression, "`async for` is not supported".to_owned(), g.iter.range(), "async");
                continue;
            }
            let iter = self.expr(&g.iter, scope);
            let mut names = Vec::new();
            let target = self.var_target(&g.target, &mut names);
            scope.vars.push(names);
            let ifs = self.exprs(&g.ifs, scope);
            match (target, iter, ifs) {
                (Ok(target), Ok(iter), Ok(ifs)) => gens.push(Generator { target, iter, ifs }),
                _ => ok = false,
            }
        }
        let elt = self.expr(elt, scope);
        let value = value.map(|v| self.expr(v, scope));
        scope.vars.truncate(depth);
        if !ok {
            return Err(Reported);
        }
        let value = match value {
            Some(v) => Some(Box::new(v?)),
            None => None,
        };
        Ok(ExprKind::Comp { kind, elt: Box::new(elt?), value, generators: gens })
    }

    fn name(&mut self, n: &ast::ExprName, scope: &Scope) -> Lowered<ExprKind> {
        let id = n.id.as_str();
        if scope.vars.iter().rev().any(|v| v.iter().any(|x| x == id)) {
            return Ok(ExprKind::Var(id.to_owned()));
        }
        if scope.locals.iter().any(|x| x == id) {
            return Ok(ExprKind::Local(id.to_owned()));
        }
        if scope.params.iter().any(|x| x == id) {
            return Ok(ExprKind::Param(id.to_owned()));
        }
        if self.global_names.contains(id) {
            if scope.module_level && !self.defined_globals.contains(id) {
                return Err(self.error(Code::UndefinedName, format!("name `{id}` is used before it is defined"), n.range, "not yet defined"));
            }
            return Ok(ExprKind::Global(id.to_owned()));
        }
        if self.functions.contains_key(id) {
            return Err(self.error(
                Code::UnsupportedExpression,
                format!("function `{id}` can only be called, not used as a value"),
                n.range,
                "function used as a value",
            ));
        }
        match self.imports.get(id) {
            Some(Binding::Entry(entry)) => {
                return Ok(match entry.item {
                    Item::Type { ty, .. } => ExprKind::TypeRef(ty),
                    _ => ExprKind::NativeRef(entry),
                })
            }
            Some(Binding::Module(m)) => {
                return Err(self.error(Code::UnsupportedExpression, format!("module `{m}` can only be used for its attributes"), n.range, "module used as a value"))
            }
            Some(Binding::Unsupported) => return Err(Reported),
            None => {}
        }
        if let Some(ty) = builtin_type(id) {
            return Ok(ExprKind::TypeRef(ty));
        }
        let mut candidates: Vec<&str> = scope.params.iter().chain(&scope.locals).map(String::as_str).collect();
        candidates.extend(scope.vars.iter().flatten().map(String::as_str));
        candidates.extend(self.global_names.iter().map(String::as_str));
        candidates.extend(self.functions.keys().map(String::as_str));
        candidates.extend(self.imports.keys().map(String::as_str));
        candidates.extend(Builtin::NAMES);
        let d = Diagnostic::new(Code::UndefinedName, format!("name `{id}` is not defined"))
            .at(self.file, span(n.range))
            .with_label("undefined")
            .suggest(id, candidates);
        self.diags.push(d);
        Err(Reported)
    }

    fn call(&mut self, c: &ast::ExprCall, scope: &mut Scope) -> Lowered<Expr> {
        let sp = span(c.range);
        if c.args.iter().any(|a| matches!(a, ast::Expr::Starred(_))) || c.keywords.iter().any(|k| k.arg.is_none()) {
            return Err(self.error(Code::UnsupportedCall, "`*args` and `**kwargs` in calls are not supported".to_owned(), c.range, "unpacking"));
        }
        // `.get(key[, default])` keeps its own node: the type checker
        // resolves it to a field when the receiver is typed.
        if let ast::Expr::Attribute(attr) = c.func.as_ref() {
            let is_native = self.native_path(&c.func).is_some();
            if !is_native {
                if let ast::Expr::Name(n) = attr.value.as_ref() {
                    // `str.casefold(x)`: an unbound method of a builtin type.
                    if builtin_type(n.id.as_str()) == Some(PyType::Str) && !self.imports.contains_key(n.id.as_str()) && !scope.locals.iter().any(|l| l == n.id.as_str()) {
                        let mut args = self.exprs(&c.args, scope)?;
                        if args.is_empty() {
                            return Err(self.error(Code::TypeMismatch, format!("`str.{}` needs the string as its first argument", attr.attr), c.range, "missing argument"));
                        }
                        let recv = args.remove(0);
                        return Ok(Expr::new(ExprKind::Call { callee: Callee::Method(Box::new(recv), attr.attr.to_string()), args, kwargs: Vec::new() }, sp));
                    }
                }
                if attr.attr.as_str() == "get" && c.keywords.is_empty() && (1..=2).contains(&c.args.len()) {
                    let value = self.expr(&attr.value, scope);
                    let args = self.exprs(&c.args, scope);
                    let mut args = args?.into_iter();
                    let (value, Some(key)) = (value?, args.next()) else { return Err(Reported) };
                    let default = args.next().map(Box::new);
                    return Ok(Expr::new(ExprKind::Get { value: Box::new(value), key: Box::new(key), default }, sp));
                }
                let recv = self.expr(&attr.value, scope);
                let args = self.exprs(&c.args, scope);
                let kwargs = self.kwargs(c, scope, false);
                if !kwargs.as_ref().map_or(true, Vec::is_empty) {
                    return Err(self.error(Code::UnsupportedCall, format!("keyword arguments to `.{}()` are not supported", attr.attr), c.range, "keyword argument"));
                }
                return Ok(Expr::new(ExprKind::Call { callee: Callee::Method(Box::new(recv?), attr.attr.to_string()), args: args?, kwargs: Vec::new() }, sp));
            }
        }
        let callee = match c.func.as_ref() {
            ast::Expr::Name(n) => {
                let id = n.id.as_str();
                let shadowed = scope.vars.iter().any(|v| v.iter().any(|x| x == id))
                    || scope.locals.iter().any(|x| x == id)
                    || scope.params.iter().any(|x| x == id)
                    || self.global_names.contains(id);
                if shadowed {
                    let f = self.expr(&c.func, scope)?;
                    Callee::Value(Box::new(f))
                } else if let Some(&nparams) = self.functions.get(id) {
                    if c.args.len() != nparams || !c.keywords.is_empty() {
                        return Err(self.error(
                            Code::TypeMismatch,
                            format!("`{id}()` takes {nparams} positional argument(s) but {} were given", c.args.len() + c.keywords.len()),
                            c.range,
                            "wrong number of arguments",
                        ));
                    }
                    Callee::Function(id.to_owned())
                } else if let Some(binding) = self.imports.get(id).cloned() {
                    match binding {
                        Binding::Entry(entry) => self.native_callee(entry, id, c.range)?,
                        Binding::Module(m) => return Err(self.error(Code::TypeMismatch, format!("module `{m}` is not callable"), c.range, "not callable")),
                        Binding::Unsupported => return Err(Reported),
                    }
                } else if let Some(b) = Builtin::from_name(id) {
                    Callee::Builtin(b)
                } else if PYTHON_BUILTINS.contains(&id) {
                    return Err(self.error(Code::UnsupportedCall, format!("calling `{id}()` is not supported"), c.range, "unsupported builtin"));
                } else {
                    let _ = self.name(n, scope)?;
                    return Err(Reported);
                }
            }
            ast::Expr::Attribute(_) => match self.native_path(&c.func) {
                Some(entry) => {
                    let entry = entry?;
                    self.native_callee(entry, entry.name, c.range)?
                }
                None => return Err(self.unsupported_expr(&c.func, "as a callee")),
            },
            other => return Err(self.unsupported_expr(other, "as a callee")),
        };
        let allow_lambda = matches!(callee, Callee::Builtin(Builtin::Sorted));
        let args = self.exprs(&c.args, scope);
        let kwargs = self.kwargs(c, scope, allow_lambda);
        let (args, kwargs) = (args?, kwargs?);
        if let Some(l) = args.iter().find(|a| matches!(a.kind, ExprKind::Lambda { .. })) {
            let d = Diagnostic::new(Code::UnsupportedExpression, "`lambda` is only supported as the `key` of `sorted`")
                .at(self.file, l.span.clone())
                .with_label("lambda here");
            self.diags.push(d);
            return Err(Reported);
        }
        if let Callee::Builtin(b) = &callee {
            self.check_builtin_call(*b, &args, &kwargs, c.range)?;
        }
        if !kwargs.is_empty() && matches!(callee, Callee::Function(_) | Callee::Method(..) | Callee::Value(_)) {
            return Err(self.error(Code::UnsupportedCall, "keyword arguments are only supported for built-in and library functions".to_owned(), c.range, "keyword argument"));
        }
        Ok(Expr::new(ExprKind::Call { callee, args, kwargs }, sp))
    }

    /// Arity and keywords of a builtin call.
    fn check_builtin_call(&mut self, b: Builtin, args: &[Expr], kwargs: &[(String, Expr)], range: TextRange) -> Lowered<()> {
        let (min, max, keywords): (usize, usize, &[&str]) = match b {
            Builtin::Len | Builtin::Any | Builtin::All | Builtin::Min | Builtin::Max => (1, 1, &[]),
            Builtin::Bool | Builtin::Str | Builtin::Int | Builtin::Set | Builtin::List | Builtin::Tuple | Builtin::Dict => (0, 1, &[]),
            Builtin::Sorted => (1, 1, &["key", "reverse"]),
            Builtin::IsInstance => (2, 2, &[]),
            Builtin::Print => (0, usize::MAX, &["sep", "end", "file", "flush"]),
        };
        let name = Builtin::NAMES.iter().find(|n| Builtin::from_name(n) == Some(b)).copied().unwrap_or("builtin");
        if args.len() < min || args.len() > max {
            return Err(self.error(
                Code::TypeMismatch,
                format!("`{name}()` takes {} but {} were given", if min == max { format!("{min} argument(s)") } else { format!("{min} to {max} arguments") }, args.len()),
                range,
                "wrong number of arguments",
            ));
        }
        if let Some((k, _)) = kwargs.iter().find(|(k, _)| !keywords.contains(&k.as_str())) {
            return Err(self.error(Code::UnsupportedCall, format!("keyword argument `{k}` of `{name}()` is not supported"), range, "unsupported keyword"));
        }
        if b == Builtin::Sorted {
            if let Some((_, key)) = kwargs.iter().find(|(k, _)| k == "key") {
                if !matches!(&key.kind, ExprKind::Lambda { params, .. } if params.len() == 1) {
                    return Err(self.error(Code::UnsupportedCall, "`sorted(key=...)` must be a one-parameter `lambda`".to_owned(), range, "unsupported key"));
                }
            }
        }
        if b == Builtin::IsInstance {
            fn is_types(e: &Expr) -> bool {
                match &e.kind {
                    ExprKind::TypeRef(_) => true,
                    ExprKind::Tuple(items) => !items.is_empty() && items.iter().all(is_types),
                    _ => false,
                }
            }
            if !args.get(1).is_some_and(is_types) {
                return Err(self.error(
                    Code::UnsupportedExpression,
                    "the second argument of `isinstance` must be a type or a tuple of types".to_owned(),
                    range,
                    "not a type",
                ));
            }
        }
        Ok(())
    }

    fn native_callee(&mut self, entry: &'static Entry, local: &str, range: TextRange) -> Lowered<Callee> {
        match entry.item {
            Item::Function(_) | Item::Type { ctor: Some(_), .. } => Ok(Callee::Native { entry, local: local.to_owned() }),
            _ => Err(self.error(Code::UnsupportedCall, format!("calling `{}.{}` is not supported", entry.module, entry.name), range, "not callable")),
        }
    }

    fn kwargs(&mut self, c: &ast::ExprCall, scope: &mut Scope, allow_lambda: bool) -> Lowered<Vec<(String, Expr)>> {
        let mut out = Vec::new();
        let mut ok = true;
        for k in &c.keywords {
            let Some(name) = &k.arg else { continue };
            match self.expr(&k.value, scope) {
                Ok(v) => {
                    if matches!(v.kind, ExprKind::Lambda { .. }) && !(allow_lambda && name.as_str() == "key") {
                        self.error(
                            Code::UnsupportedExpression,
                            "`lambda` is only supported as the `key` of `sorted`".to_owned(),
                            k.range,
                            "lambda here",
                        );
                        ok = false;
                    }
                    out.push((name.to_string(), v));
                }
                Err(Reported) => ok = false,
            }
        }
        if ok {
            Ok(out)
        } else {
            Err(Reported)
        }
    }
}

fn builtin_type(id: &str) -> Option<PyType> {
    Some(match id {
        "str" => PyType::Str,
        "int" => PyType::Int,
        "float" => PyType::Float,
        "bool" => PyType::Bool,
        "list" => PyType::List,
        "dict" => PyType::Dict,
        "set" => PyType::Set,
        "tuple" => PyType::Tuple,
        _ => return None,
    })
}

fn binop(op: &ast::Operator) -> Option<BinOp> {
    Some(match op {
        ast::Operator::Add => BinOp::Add,
        ast::Operator::Sub => BinOp::Sub,
        ast::Operator::Mult => BinOp::Mul,
        ast::Operator::Div => BinOp::Div,
        ast::Operator::FloorDiv => BinOp::FloorDiv,
        ast::Operator::Mod => BinOp::Mod,
        ast::Operator::BitAnd => BinOp::And,
        ast::Operator::BitOr => BinOp::Or,
        ast::Operator::BitXor => BinOp::Xor,
        ast::Operator::Pow | ast::Operator::LShift | ast::Operator::RShift | ast::Operator::MatMult => return None,
    })
}

fn binop_symbol(op: &ast::Operator) -> &'static str {
    match op {
        ast::Operator::Add => "+",
        ast::Operator::Sub => "-",
        ast::Operator::Mult => "*",
        ast::Operator::MatMult => "@",
        ast::Operator::Div => "/",
        ast::Operator::Mod => "%",
        ast::Operator::Pow => "**",
        ast::Operator::LShift => "<<",
        ast::Operator::RShift => ">>",
        ast::Operator::BitOr => "|",
        ast::Operator::BitXor => "^",
        ast::Operator::BitAnd => "&",
        ast::Operator::FloorDiv => "//",
    }
}

fn constant(c: &ast::Constant) -> Option<Literal> {
    match c {
        ast::Constant::None => Some(Literal::None),
        ast::Constant::Bool(b) => Some(Literal::Bool(*b)),
        ast::Constant::Str(s) => Some(Literal::Str(s.clone())),
        ast::Constant::Int(i) => i.to_string().parse::<i64>().ok().map(Literal::Int),
        ast::Constant::Float(x) => Some(Literal::Float(*x)),
        ast::Constant::Tuple(items) => Some(Literal::Tuple(items.iter().map(constant).collect::<Option<_>>()?)),
        ast::Constant::Bytes(_) | ast::Constant::Complex { .. } | ast::Constant::Ellipsis => None,
    }
}

/// Names declared `global` anywhere in `body`.
fn collect_global_decls(body: &[ast::Stmt], out: &mut BTreeSet<String>) {
    for stmt in body {
        match stmt {
            ast::Stmt::Global(g) => out.extend(g.names.iter().map(ToString::to_string)),
            ast::Stmt::If(s) => {
                collect_global_decls(&s.body, out);
                collect_global_decls(&s.orelse, out);
            }
            ast::Stmt::For(s) => {
                collect_global_decls(&s.body, out);
                collect_global_decls(&s.orelse, out);
            }
            ast::Stmt::While(s) => {
                collect_global_decls(&s.body, out);
                collect_global_decls(&s.orelse, out);
            }
            ast::Stmt::Try(t) => {
                collect_global_decls(&t.body, out);
                collect_global_decls(&t.orelse, out);
                collect_global_decls(&t.finalbody, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    collect_global_decls(&h.body, out);
                }
            }
            _ => {}
        }
    }
}

/// Names bound by assignment or `for` anywhere in `body` (not inside
/// comprehensions, which have their own scope).
fn collect_assigned(body: &[ast::Stmt], out: &mut BTreeSet<String>) {
    fn target_names(t: &ast::Expr, out: &mut BTreeSet<String>) {
        match t {
            ast::Expr::Name(n) => {
                out.insert(n.id.to_string());
            }
            ast::Expr::Tuple(tp) => tp.elts.iter().for_each(|x| target_names(x, out)),
            ast::Expr::List(l) => l.elts.iter().for_each(|x| target_names(x, out)),
            _ => {}
        }
    }
    for stmt in body {
        match stmt {
            ast::Stmt::Assign(a) => a.targets.iter().for_each(|t| target_names(t, out)),
            ast::Stmt::AugAssign(a) => target_names(&a.target, out),
            ast::Stmt::AnnAssign(a) => target_names(&a.target, out),
            ast::Stmt::For(s) => {
                target_names(&s.target, out);
                collect_assigned(&s.body, out);
                collect_assigned(&s.orelse, out);
            }
            ast::Stmt::While(s) => {
                collect_assigned(&s.body, out);
                collect_assigned(&s.orelse, out);
            }
            ast::Stmt::If(s) => {
                collect_assigned(&s.body, out);
                collect_assigned(&s.orelse, out);
            }
            ast::Stmt::Try(t) => {
                collect_assigned(&t.body, out);
                collect_assigned(&t.orelse, out);
                collect_assigned(&t.finalbody, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    collect_assigned(&h.body, out);
                }
            }
            _ => {}
        }
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
        ast::Stmt::Return(_) => "`return`",
        ast::Stmt::Delete(_) => "`del`",
        ast::Stmt::Assign(_) => "assignment",
        ast::Stmt::TypeAlias(_) => "a type alias",
        ast::Stmt::AugAssign(_) => "augmented assignment",
        ast::Stmt::AnnAssign(_) => "annotated assignment",
        ast::Stmt::For(_) => "a `for` loop",
        ast::Stmt::AsyncFor(_) => "`async for`",
        ast::Stmt::While(_) => "a `while` loop",
        ast::Stmt::If(_) => "`if`",
        ast::Stmt::With(_) | ast::Stmt::AsyncWith(_) => "`with`",
        ast::Stmt::Match(_) => "`match`",
        ast::Stmt::Raise(_) => "`raise`",
        ast::Stmt::Try(_) | ast::Stmt::TryStar(_) => "`try`",
        ast::Stmt::Assert(_) => "`assert`",
        ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) => "an import",
        ast::Stmt::Global(_) => "`global`",
        ast::Stmt::Nonlocal(_) => "`nonlocal`",
        ast::Stmt::Expr(_) => "an expression statement",
        ast::Stmt::Pass(_) => "`pass`",
        ast::Stmt::Break(_) => "`break`",
        ast::Stmt::Continue(_) => "`continue`",
    }
}

/// A user-facing name of an expression kind.
fn expr_name(e: &ast::Expr) -> &'static str {
    match e {
        ast::Expr::BoolOp(_) => "`and`/`or`",
        ast::Expr::NamedExpr(_) => "the walrus operator `:=`",
        ast::Expr::BinOp(_) => "this operator",
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
        ast::Expr::Constant(_) => "this literal (bytes, complex, `...` or an integer beyond 64 bits)",
        ast::Expr::Attribute(_) => "attribute access",
        ast::Expr::Subscript(_) => "a subscript",
        ast::Expr::Starred(_) => "`*` unpacking",
        ast::Expr::Name(_) => "a name",
        ast::Expr::List(_) => "a list display",
        ast::Expr::Tuple(_) => "a tuple display",
        ast::Expr::Slice(_) => "a slice",
    }
}
