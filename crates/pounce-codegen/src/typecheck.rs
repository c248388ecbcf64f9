//! Stage 4: type-check the IR against the resource schemas.
//!
//! Infers a static type for every expression, resolves literal keys on
//! typed objects to schema fields (`ExprKind::Field`) and reports what is
//! certain to fail: unknown fields (also along `deep_get` paths), methods a
//! type does not have, and operations that raise for every value the
//! operand's type allows. What may or may not raise at run time (a field
//! that may be `null`) is left to the runtime, which raises as CPython
//! does.
//!
//! Types flow through locals (the join of every value assigned) and into
//! the parameters of module functions (the join of every call site's
//! argument), to a fixed point.

use std::collections::HashMap;

use pounce_runtime::{FieldSchema, StructSchema, Ty};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::ir::{
    Builtin, Callee, CmpOp, CompKind, Expr, ExprKind, FPart, GlobalInit, Literal, Module, Stmt, StmtKind, Target, Type,
};

/// The static type of the resource `policy()` receives.
#[derive(Debug, Clone)]
pub enum ResourceType {
    /// Exactly one resource type: a typed struct.
    One(&'static StructSchema),
    /// Several resource types.
    Several(Vec<&'static StructSchema>),
    /// No `ResourceTypes`: any JSON object.
    Any,
}

impl ResourceType {
    fn ty(&self) -> Type {
        match self {
            ResourceType::One(s) => Type::Struct(s),
            ResourceType::Several(s) => Type::Union(s.clone()),
            ResourceType::Any => Type::Any,
        }
    }
}

/// Type-checks `module`.
pub fn typecheck(file: &SourceFile, mut module: Module, resource: &ResourceType) -> Result<Module, Vec<Diagnostic>> {
    let mut globals: HashMap<String, Type> = HashMap::new();
    let mut cx = Checker { file, diags: Vec::new(), globals: HashMap::new(), locals: HashMap::new(), vars: Vec::new(), report: false };
    // Globals, in order (module code sees earlier globals only).
    for g in &mut module.globals {
        let ty = match &mut g.init {
            GlobalInit::Literal(l) => literal_type(l),
            GlobalInit::Expr(e) => {
                cx.globals = globals.clone();
                cx.report = true;
                cx.expr(e);
                e.ty.clone()
            }
        };
        // A rebound or mocked global may hold anything.
        globals.insert(g.name.clone(), if g.dynamic() { Type::Any } else { ty });
    }
    cx.globals = globals;

    let mut param_types: HashMap<String, Vec<Type>> = HashMap::new();
    for f in &module.functions {
        let tys = if f.name == "policy" {
            vec![resource.ty()]
        } else {
            vec![Type::Any; f.params.len()]
        };
        param_types.insert(f.name.clone(), tys);
    }
    // Fixed point over local and parameter types; report on the last pass.
    for pass in 0..4 {
        let last = pass == 3;
        let mut calls: HashMap<String, Vec<Vec<Type>>> = HashMap::new();
        for f in &mut module.functions {
            let params = param_types.get(&f.name).cloned().unwrap_or_default();
            cx.locals = f.params.iter().cloned().zip(params.iter().cloned().chain(std::iter::repeat(Type::Any))).collect();
            for l in &f.locals {
                cx.locals.entry(l.clone()).or_insert(Type::Any);
            }
            cx.report = last;
            let mut assigned: HashMap<String, Type> = HashMap::new();
            cx.block(&mut f.body, &mut assigned, &mut calls);
            // Reassigned parameters keep their parameter type in the join.
            for (name, ty) in assigned {
                let joined = match params.get(f.params.iter().position(|p| *p == name).unwrap_or(usize::MAX)) {
                    Some(p) => Type::join(p, &ty),
                    None => ty,
                };
                cx.locals.insert(name, joined);
            }
        }
        for f in &module.functions {
            if f.name == "policy" {
                continue;
            }
            if let Some(sites) = calls.get(&f.name) {
                let mut tys: Vec<Option<Type>> = vec![None; f.params.len()];
                for site in sites {
                    for (slot, t) in tys.iter_mut().zip(site) {
                        *slot = Some(match slot.take() {
                            None => t.clone(),
                            Some(prev) => Type::join(&prev, t),
                        });
                    }
                }
                param_types.insert(f.name.clone(), tys.into_iter().map(|t| t.unwrap_or(Type::Any)).collect());
            }
        }
    }
    // Types and library objects are values only as `isinstance` arguments.
    for f in &module.functions {
        check_refs_block(file, &f.body, &mut cx.diags);
    }
    for g in &module.globals {
        if let GlobalInit::Expr(e) = &g.init {
            check_refs(file, e, false, &mut cx.diags);
        }
    }
    if cx.diags.is_empty() {
        Ok(module)
    } else {
        Err(cx.diags)
    }
}

fn check_refs_block(file: &SourceFile, stmts: &[Stmt], diags: &mut Vec<Diagnostic>) {
    for s in stmts {
        let mut exprs: Vec<&Expr> = Vec::new();
        match &s.kind {
            StmtKind::If { cond, then, orelse } => {
                exprs.push(cond);
                check_refs_block(file, then, diags);
                check_refs_block(file, orelse, diags);
            }
            StmtKind::For { iter, body, orelse, .. } => {
                exprs.push(iter);
                check_refs_block(file, body, diags);
                check_refs_block(file, orelse, diags);
            }
            StmtKind::While { cond, body, orelse } => {
                exprs.push(cond);
                check_refs_block(file, body, diags);
                check_refs_block(file, orelse, diags);
            }
            StmtKind::Assign { value, .. } | StmtKind::AugAssign { value, .. } => exprs.push(value),
            StmtKind::Try { body, handlers, orelse } => {
                check_refs_block(file, body, diags);
                for h in handlers {
                    check_refs_block(file, &h.body, diags);
                }
                check_refs_block(file, orelse, diags);
            }
            StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => exprs.push(e),
            _ => {}
        }
        for e in exprs {
            check_refs(file, e, false, diags);
        }
    }
}

/// Reports types and library objects used as values outside `isinstance`.
fn check_refs(file: &SourceFile, e: &Expr, allowed: bool, diags: &mut Vec<Diagnostic>) {
    match &e.kind {
        ExprKind::TypeRef(_) | ExprKind::NativeRef(_) if !allowed => {
            diags.push(
                Diagnostic::new(Code::UnsupportedExpression, "types and library objects can only be called or passed to `isinstance`")
                    .at(file, e.span.clone())
                    .with_label("used as a value"),
            );
        }
        ExprKind::Call { callee: Callee::Builtin(Builtin::IsInstance), args, .. } => {
            for (i, a) in args.iter().enumerate() {
                check_refs(file, a, i == 1, diags);
            }
        }
        ExprKind::Tuple(items) if allowed => items.iter().for_each(|x| check_refs(file, x, true, diags)),
        _ => {
            let mut children: Vec<&Expr> = Vec::new();
            visit_children(e, &mut |c| children.push(c));
            for c in children {
                check_refs(file, c, false, diags);
            }
        }
    }
}

/// Calls `f` on each direct child expression of `e`.
pub(crate) fn visit_children<'e>(e: &'e Expr, f: &mut dyn FnMut(&'e Expr)) {
    match &e.kind {
        ExprKind::Lit(_) | ExprKind::Param(_) | ExprKind::Local(_) | ExprKind::Var(_) | ExprKind::Global(_) | ExprKind::TypeRef(_) | ExprKind::NativeRef(_) => {}
        ExprKind::Subscript(a, b) | ExprKind::BinOp(_, a, b) => {
            f(a);
            f(b);
        }
        ExprKind::Get { value, key, default } => {
            f(value);
            f(key);
            if let Some(d) = default {
                f(d);
            }
        }
        ExprKind::Field { value, default, .. } => {
            f(value);
            if let Some(Some(d)) = default {
                f(d);
            }
        }
        ExprKind::Attribute(v, _) | ExprKind::Neg(v) | ExprKind::Not(v) => f(v),
        ExprKind::Call { callee, args, kwargs } => {
            match callee {
                Callee::Method(r, _) | Callee::Value(r) => f(r),
                _ => {}
            }
            args.iter().for_each(|a| f(a));
            kwargs.iter().for_each(|(_, a)| f(a));
        }
        ExprKind::Compare { left, rest } => {
            f(left);
            rest.iter().for_each(|(_, r)| f(r));
        }
        ExprKind::And(xs) | ExprKind::Or(xs) | ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.iter().for_each(|x| f(x)),
        ExprKind::IfExp { test, body, orelse } => {
            f(test);
            f(body);
            f(orelse);
        }
        ExprKind::Dict(entries) => entries.iter().for_each(|(k, v)| {
            f(k);
            f(v);
        }),
        ExprKind::Comp { elt, value, generators, .. } => {
            for g in generators {
                f(&g.iter);
                g.ifs.iter().for_each(|c| f(c));
            }
            f(elt);
            if let Some(v) = value {
                f(v);
            }
        }
        ExprKind::FString(parts) => parts.iter().for_each(|p| {
            if let FPart::Expr(x, _) = p {
                f(x);
            }
        }),
        ExprKind::Lambda { body, .. } => f(body),
    }
}

/// The IR type of a schema type (when present and not `null`).
pub fn schema_type(ty: &Ty) -> Type {
    match ty {
        Ty::Str => Type::Str,
        Ty::Bool => Type::Bool,
        Ty::Int => Type::Int,
        Ty::Float => Type::Float,
        Ty::Json => Type::Any,
        Ty::List(t) => Type::List(Box::new(schema_type(t))),
        Ty::Struct(s) => Type::Struct(s),
    }
}

fn field_type(f: &FieldSchema) -> Type {
    match schema_type(f.ty) {
        Type::Any => Type::Any,
        t => Type::Optional(Box::new(t)),
    }
}

fn literal_type(l: &Literal) -> Type {
    fn elems(items: &[Literal]) -> Box<Type> {
        let mut tys = items.iter().map(literal_type);
        let first = tys.next().unwrap_or(Type::Any);
        Box::new(if tys.all(|t| t == first) { first } else { Type::Any })
    }
    match l {
        Literal::None => Type::None,
        Literal::Bool(_) => Type::Bool,
        Literal::Int(_) => Type::Int,
        Literal::Float(_) => Type::Float,
        Literal::Str(_) => Type::Str,
        Literal::List(items) => Type::List(elems(items)),
        Literal::Tuple(items) => Type::Tuple(elems(items)),
        Literal::Set(items) => Type::Set(elems(items)),
        Literal::Dict(entries) => {
            let keys: Vec<Literal> = entries.iter().map(|(k, _)| k.clone()).collect();
            let values: Vec<Literal> = entries.iter().map(|(_, v)| v.clone()).collect();
            Type::Dict(elems(&keys), elems(&values))
        }
    }
}

fn struct_label(s: &StructSchema) -> &'static str {
    s.resource_type.unwrap_or(s.name)
}

/// Whether every value of `ty` is a scalar that `in`, `[]` and `.get` reject.
fn is_scalar(ty: &Type) -> bool {
    match ty {
        Type::None | Type::Bool | Type::Int | Type::Float => true,
        Type::Optional(t) => is_scalar(t),
        _ => false,
    }
}

/// The element type of iterating over `ty`.
fn element_type(ty: &Type) -> Type {
    match ty.non_null() {
        Type::List(t) | Type::Set(t) | Type::Tuple(t) => (**t).clone(),
        Type::Dict(k, _) => (**k).clone(),
        Type::Struct(_) | Type::Union(_) | Type::Str => Type::Str,
        _ => Type::Any,
    }
}

const STR_METHODS: &[&str] = &[
    "startswith", "endswith", "lower", "upper", "casefold", "strip", "lstrip", "rstrip", "split", "replace", "join", "find", "index", "count",
    "isdigit", "isnumeric", "isdecimal", "isalpha", "isalnum", "islower", "isupper",
];
const DICT_METHODS: &[&str] = &["get", "keys", "values", "items", "copy", "setdefault", "update"];
const LIST_METHODS: &[&str] = &["append", "extend", "count", "index", "copy"];
const SET_METHODS: &[&str] = &[
    "add", "discard", "remove", "update", "intersection", "union", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint", "copy",
];

/// Whether CPython's `type_name` has a method `name` (so that a missing
/// one is "not supported", not "does not exist").
fn python_has_method(type_name: &str, name: &str) -> bool {
    const STR: &[&str] = &[
        "capitalize", "center", "encode", "expandtabs", "format", "format_map", "isascii", "isidentifier", "isprintable", "isspace",
        "istitle", "ljust", "maketrans", "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rjust", "rpartition", "rsplit",
        "splitlines", "swapcase", "title", "translate", "zfill",
    ];
    const DICT: &[&str] = &["clear", "fromkeys", "pop", "popitem"];
    const LIST: &[&str] = &["clear", "insert", "pop", "remove", "reverse", "sort"];
    const SET: &[&str] = &["clear", "difference_update", "intersection_update", "pop", "symmetric_difference_update"];
    match type_name {
        "str" => STR.contains(&name),
        "dict" => DICT.contains(&name),
        "list" => LIST.contains(&name),
        "set" => SET.contains(&name),
        _ => false,
    }
}

struct Checker<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
    globals: HashMap<String, Type>,
    locals: HashMap<String, Type>,
    vars: Vec<HashMap<String, Type>>,
    report: bool,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        if self.report && !self.diags.iter().any(|x| x.span == d.span && x.code == d.code) {
            self.diags.push(d);
        }
    }

    fn mismatch(&mut self, span: std::ops::Range<usize>, message: String, label: &str) {
        let d = Diagnostic::new(Code::TypeMismatch, message).at(self.file, span).with_label(label);
        self.push(d);
    }

    fn block(&mut self, stmts: &mut [Stmt], assigned: &mut HashMap<String, Type>, calls: &mut HashMap<String, Vec<Vec<Type>>>) {
        for stmt in stmts {
            match &mut stmt.kind {
                StmtKind::If { cond, then, orelse } => {
                    self.expr_calls(cond, calls);
                    self.block(then, assigned, calls);
                    self.block(orelse, assigned, calls);
                }
                StmtKind::For { target, iter, body, orelse } => {
                    self.expr_calls(iter, calls);
                    let elem = element_type(&iter.ty);
                    self.assign(target, &elem, assigned, calls);
                    self.block(body, assigned, calls);
                    self.block(orelse, assigned, calls);
                }
                StmtKind::While { cond, body, orelse } => {
                    self.expr_calls(cond, calls);
                    self.block(body, assigned, calls);
                    self.block(orelse, assigned, calls);
                }
                StmtKind::Assign { targets, value } => {
                    self.expr_calls(value, calls);
                    let ty = value.ty.clone();
                    for t in targets {
                        self.assign(t, &ty, assigned, calls);
                    }
                }
                StmtKind::AugAssign { target, value, .. } => {
                    self.expr_calls(value, calls);
                    self.assign(target, &Type::Any, assigned, calls);
                }
                StmtKind::Try { body, handlers, orelse } => {
                    self.block(body, assigned, calls);
                    for h in handlers {
                        self.block(&mut h.body, assigned, calls);
                    }
                    self.block(orelse, assigned, calls);
                }
                StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => self.expr_calls(e, calls),
                StmtKind::Raise { message: None, .. } | StmtKind::Return(None) | StmtKind::Pass | StmtKind::Break | StmtKind::Continue => {}
            }
        }
    }

    fn assign(&mut self, target: &mut Target, ty: &Type, assigned: &mut HashMap<String, Type>, calls: &mut HashMap<String, Vec<Vec<Type>>>) {
        match target {
            Target::Local(name) => {
                let joined = match assigned.get(name.as_str()) {
                    Some(prev) => Type::join(prev, ty),
                    None => ty.clone(),
                };
                assigned.insert(name.clone(), joined);
            }
            Target::Global(_) => {}
            Target::Var(name) => {
                if let Some(scope) = self.vars.last_mut() {
                    scope.insert(name.clone(), ty.clone());
                }
            }
            Target::Subscript(value, index) => {
                self.expr_calls(value, calls);
                self.expr_calls(index, calls);
            }
            Target::Tuple(items) => {
                let elem = element_type(ty);
                for t in items {
                    self.assign(t, &elem, assigned, calls);
                }
            }
        }
    }

    fn expr_calls(&mut self, e: &mut Expr, calls: &mut HashMap<String, Vec<Vec<Type>>>) {
        self.expr(e);
        collect_calls(e, calls);
    }

    /// Resolves a literal key on a typed object to its field.
    fn field(&mut self, schema: &'static StructSchema, key: &Expr) -> Option<&'static FieldSchema> {
        let ExprKind::Lit(Literal::Str(name)) = &key.kind else { return None };
        match schema.field(name) {
            Some(f) => Some(f),
            None => {
                let label = struct_label(schema);
                let d = Diagnostic::new(Code::UnknownField, format!("`{label}` has no field `{name}`"))
                    .at(self.file, key.span.clone())
                    .with_label(format!("not a field of `{label}`"))
                    .suggest(name, schema.fields.iter().map(|f| f.name));
                self.push(d);
                None
            }
        }
    }

    /// A literal key looked up on one of several resource types: it must be
    /// a field of at least one of them.
    fn union_field(&mut self, schemas: &[&'static StructSchema], key: &Expr) -> Type {
        let ExprKind::Lit(Literal::Str(name)) = &key.kind else { return Type::Any };
        let found: Vec<&FieldSchema> = schemas.iter().filter_map(|s| s.field(name)).collect();
        if found.is_empty() {
            let labels: Vec<String> = schemas.iter().map(|s| format!("`{}`", struct_label(s))).collect();
            let d = Diagnostic::new(Code::UnknownField, format!("none of {} has a field `{name}`", labels.join(", ")))
                .at(self.file, key.span.clone())
                .with_label("not a field of any of the policy's resource types")
                .suggest(name, schemas.iter().flat_map(|s| s.fields.iter().map(|f| f.name)));
            self.push(d);
            return Type::Any;
        }
        let first = field_type(found.first().copied().unwrap_or(&FieldSchema { name: "", rust_name: "", ty: &Ty::Json }));
        if found.len() == schemas.len() && found.iter().all(|f| field_type(f) == first) {
            first
        } else {
            Type::Any
        }
    }

    /// Checks a `deep_get(x, "A", "B", ...)` path against the schema.
    fn deep_get_path(&mut self, root: &Type, keys: &[Expr]) {
        let mut ty = root.clone();
        for key in keys {
            ty = match ty.non_null() {
                Type::Struct(s) => match self.field(s, key) {
                    Some(f) => schema_type(f.ty),
                    None => return,
                },
                Type::Union(ss) => {
                    let ss = ss.clone();
                    self.union_field(&ss, key)
                }
                _ => return,
            };
        }
    }

    fn method_check(&mut self, recv: &Expr, name: &str, span: std::ops::Range<usize>) -> Type {
        let ty = recv.ty.non_null().clone();
        let (type_name, methods): (&str, &[&str]) = match &ty {
            Type::Str => ("str", STR_METHODS),
            Type::Dict(..) | Type::Struct(_) | Type::Union(_) => ("dict", DICT_METHODS),
            Type::List(_) => ("list", LIST_METHODS),
            Type::Set(_) => ("set", SET_METHODS),
            Type::Bool | Type::Int | Type::Float | Type::None => (
                match &ty {
                    Type::Bool => "bool",
                    Type::Int => "int",
                    Type::Float => "float",
                    _ => "NoneType",
                },
                &[],
            ),
            _ => return Type::Any,
        };
        if !methods.contains(&name) && python_has_method(type_name, name) {
            let d = Diagnostic::new(Code::UnsupportedCall, format!("`{type_name}.{name}()` is not supported"))
                .at(self.file, span)
                .with_label("unsupported method")
                .with_help(format!("supported `{type_name}` methods: {}", methods.join(", ")));
            self.push(d);
            return Type::Any;
        }
        if !methods.contains(&name) {
            let d = Diagnostic::new(Code::TypeMismatch, format!("a value of type `{type_name}` has no method `{name}`"))
                .at(self.file, span)
                .with_label(format!("not a method of `{type_name}`"))
                .suggest(name, methods.iter().copied());
            self.push(d);
            return Type::Any;
        }
        match (type_name, name) {
            ("str", "split") => Type::List(Box::new(Type::Str)),
            ("str", n) if n.starts_with("is") || n == "startswith" || n == "endswith" => Type::Bool,
            ("str", "find" | "index" | "count") => Type::Int,
            ("str", _) => Type::Str,
            ("dict", "keys") => Type::List(Box::new(element_type(&ty))),
            ("set", "issubset" | "issuperset" | "isdisjoint") => Type::Bool,
            ("set", "intersection" | "union" | "difference" | "symmetric_difference" | "copy") => ty,
            _ => Type::Any,
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let span = e.span.clone();
        let ty = match &mut e.kind {
            ExprKind::Lit(l) => literal_type(l),
            ExprKind::Param(p) | ExprKind::Local(p) => self.locals.get(p.as_str()).cloned().unwrap_or(Type::Any),
            ExprKind::Var(v) => self.vars.iter().rev().find_map(|s| s.get(v.as_str())).cloned().unwrap_or(Type::Any),
            ExprKind::Global(g) => self.globals.get(g.as_str()).cloned().unwrap_or(Type::Any),
            ExprKind::TypeRef(_) | ExprKind::NativeRef(_) => Type::Any,
            ExprKind::Field { .. } => e.ty.clone(),
            ExprKind::Subscript(value, index) => {
                self.expr(value);
                self.expr(index);
                let vty = value.ty.clone();
                if is_scalar(&vty) {
                    self.mismatch(value.span.clone(), format!("a value of type `{}` is not subscriptable", vty.python_name()), "not subscriptable");
                    Type::Any
                } else {
                    match vty.non_null() {
                        Type::Struct(schema) => match self.field(schema, index) {
                            Some(field) => {
                                let ty = field_type(field);
                                let ExprKind::Subscript(value, _) = std::mem::replace(&mut e.kind, ExprKind::Lit(Literal::None)) else { return };
                                e.kind = ExprKind::Field { value, field, default: None };
                                ty
                            }
                            None => Type::Any,
                        },
                        Type::Union(ss) => {
                            let ss = ss.clone();
                            self.union_field(&ss, index)
                        }
                        Type::List(t) | Type::Tuple(t) => (**t).clone(),
                        Type::Dict(_, v) => (**v).clone(),
                        Type::Str => Type::Str,
                        _ => Type::Any,
                    }
                }
            }
            ExprKind::Get { value, key, default } => {
                self.expr(value);
                self.expr(key);
                if let Some(d) = default {
                    self.expr(d);
                }
                let vty = value.ty.clone();
                match vty.non_null() {
                    Type::Struct(schema) => match self.field(schema, key) {
                        Some(field) => {
                            let field_ty = field_type(field);
                            let ty = match default {
                                Some(d) => Type::join(&field_ty, &d.ty),
                                None => field_ty,
                            };
                            let ExprKind::Get { value, default, .. } = std::mem::replace(&mut e.kind, ExprKind::Lit(Literal::None)) else { return };
                            e.kind = ExprKind::Field { value, field, default: Some(default) };
                            ty
                        }
                        None => Type::Any,
                    },
                    Type::Union(ss) => {
                        let ss = ss.clone();
                        self.union_field(&ss, key);
                        Type::Any
                    }
                    Type::Dict(..) | Type::Any => Type::Any,
                    other => {
                        let name = other.python_name();
                        self.mismatch(value.span.clone(), format!("a value of type `{}` has no method `get`", vty.python_name()), &format!("`{name}` has no `get`"));
                        Type::Any
                    }
                }
            }
            ExprKind::Attribute(value, name) => {
                self.expr(value);
                let vty = value.ty.non_null().clone();
                if !matches!(vty, Type::Any) {
                    let n = name.clone();
                    self.mismatch(value.span.clone(), format!("a value of type `{}` has no attribute `{n}`", vty.python_name()), "no such attribute");
                }
                Type::Any
            }
            ExprKind::Call { callee, args, kwargs } => {
                for a in args.iter_mut() {
                    self.expr(a);
                }
                for (_, v) in kwargs.iter_mut() {
                    if let ExprKind::Lambda { params, body } = &mut v.kind {
                        let elem = args.first().map(|a| element_type(&a.ty)).unwrap_or(Type::Any);
                        self.vars.push(params.iter().map(|p| (p.clone(), elem.clone())).collect());
                        self.expr(body);
                        self.vars.pop();
                    } else {
                        self.expr(v);
                    }
                }
                match callee {
                    Callee::Builtin(b) => {
                        let first = args.first().map(|a| a.ty.clone()).unwrap_or(Type::Any);
                        match b {
                            Builtin::Len | Builtin::Int => Type::Int,
                            Builtin::Bool | Builtin::Any | Builtin::All | Builtin::IsInstance => Type::Bool,
                            Builtin::Str => Type::Str,
                            Builtin::Set => Type::Set(Box::new(element_type(&first))),
                            Builtin::List | Builtin::Sorted => Type::List(Box::new(element_type(&first))),
                            Builtin::Tuple => Type::Tuple(Box::new(element_type(&first))),
                            Builtin::Dict => Type::Any,
                            Builtin::Min | Builtin::Max => element_type(&first),
                            Builtin::Print => Type::None,
                        }
                    }
                    Callee::Native { entry, .. } => {
                        if entry.module == "panther_base_helpers" && entry.name == "deep_get" {
                            if let Some((root, keys)) = args.split_first() {
                                let root = root.ty.clone();
                                self.deep_get_path(&root, keys);
                            }
                        }
                        Type::Any
                    }
                    Callee::Function(_) => Type::Any,
                    Callee::Method(recv, name) => {
                        self.expr(recv);
                        let name = name.clone();
                        self.method_check(recv, &name, span)
                    }
                    Callee::Value(f) => {
                        self.expr(f);
                        Type::Any
                    }
                }
            }
            ExprKind::Compare { left, rest } => {
                self.expr(left);
                for (op, right) in rest.iter_mut() {
                    self.expr(right);
                    if matches!(op, CmpOp::In | CmpOp::NotIn) && is_scalar(&right.ty) {
                        let name = right.ty.python_name();
                        let d = Diagnostic::new(Code::TypeMismatch, format!("`{}` needs a container, but the right operand has type `{name}`", op.as_str()))
                            .at(self.file, right.span.clone())
                            .with_label("not a container")
                            .with_help(format!("CPython raises `TypeError` for `{}` on a `{name}` value", op.as_str()));
                        self.push(d);
                    }
                }
                Type::Bool
            }
            ExprKind::BinOp(op, l, r) => {
                use pounce_runtime::BinOp as B;
                self.expr(l);
                self.expr(r);
                match (*op, l.ty.clone(), r.ty.clone()) {
                    // `/` of two ints is a float.
                    (B::Div, Type::Int, Type::Int) => Type::Float,
                    (_, Type::Int, Type::Int) => Type::Int,
                    (B::Add | B::Mod, Type::Str, Type::Str) => Type::Str,
                    (B::Mul, Type::Str, Type::Int) | (B::Mul, Type::Int, Type::Str) => Type::Str,
                    (B::And | B::Or | B::Sub | B::Xor, Type::Set(t), Type::Set(_)) => Type::Set(t),
                    _ => Type::Any,
                }
            }
            ExprKind::Neg(x) => {
                self.expr(x);
                x.ty.clone()
            }
            ExprKind::Not(x) => {
                self.expr(x);
                Type::Bool
            }
            ExprKind::And(xs) | ExprKind::Or(xs) => {
                for x in xs.iter_mut() {
                    self.expr(x);
                }
                let first = xs.first().map(|x| x.ty.clone()).unwrap_or(Type::Any);
                xs.iter().skip(1).fold(first, |acc, x| Type::join(&acc, &x.ty))
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
                Type::join(&body.ty, &orelse.ty)
            }
            ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => {
                for x in xs.iter_mut() {
                    self.expr(x);
                }
                let first = xs.first().map(|x| x.ty.clone()).unwrap_or(Type::Any);
                let elem = if xs.iter().all(|x| x.ty == first) { first } else { Type::Any };
                match &e.kind {
                    ExprKind::List(_) => Type::List(Box::new(elem)),
                    ExprKind::Tuple(_) => Type::Tuple(Box::new(elem)),
                    _ => Type::Set(Box::new(elem)),
                }
            }
            ExprKind::Dict(entries) => {
                for (k, v) in entries.iter_mut() {
                    self.expr(k);
                    self.expr(v);
                }
                Type::Dict(Box::new(Type::Any), Box::new(Type::Any))
            }
            ExprKind::Comp { kind, elt, value, generators } => {
                let depth = self.vars.len();
                for g in generators.iter_mut() {
                    self.expr(&mut g.iter);
                    let elem = element_type(&g.iter.ty);
                    self.vars.push(HashMap::new());
                    let mut dummy = HashMap::new();
                    let mut calls = HashMap::new();
                    self.assign(&mut g.target, &elem, &mut dummy, &mut calls);
                    for cond in g.ifs.iter_mut() {
                        self.expr(cond);
                    }
                }
                self.expr(elt);
                if let Some(v) = value {
                    self.expr(v);
                }
                self.vars.truncate(depth);
                match kind {
                    CompKind::List | CompKind::Gen => Type::List(Box::new(elt.ty.clone())),
                    CompKind::Set => Type::Set(Box::new(elt.ty.clone())),
                    CompKind::Dict => Type::Dict(Box::new(elt.ty.clone()), Box::new(Type::Any)),
                }
            }
            ExprKind::FString(parts) => {
                for p in parts.iter_mut() {
                    if let FPart::Expr(x, _) = p {
                        self.expr(x);
                    }
                }
                Type::Str
            }
            ExprKind::Lambda { body, .. } => {
                self.expr(body);
                Type::Any
            }
        };
        e.ty = ty;
    }
}

/// Records the argument types of calls to module functions in `e`.
fn collect_calls(e: &Expr, calls: &mut HashMap<String, Vec<Vec<Type>>>) {
    visit(e, &mut |x| {
        if let ExprKind::Call { callee: Callee::Function(name), args, .. } = &x.kind {
            calls.entry(name.clone()).or_default().push(args.iter().map(|a| a.ty.clone()).collect());
        }
    });
}

/// Calls `f` on `e` and every expression inside it.
pub fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Lit(_) | ExprKind::Param(_) | ExprKind::Local(_) | ExprKind::Var(_) | ExprKind::Global(_) | ExprKind::TypeRef(_) | ExprKind::NativeRef(_) => {}
        ExprKind::Subscript(a, b) | ExprKind::BinOp(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        ExprKind::Get { value, key, default } => {
            visit(value, f);
            visit(key, f);
            if let Some(d) = default {
                visit(d, f);
            }
        }
        ExprKind::Field { value, default, .. } => {
            visit(value, f);
            if let Some(Some(d)) = default {
                visit(d, f);
            }
        }
        ExprKind::Attribute(v, _) | ExprKind::Neg(v) | ExprKind::Not(v) => visit(v, f),
        ExprKind::Call { callee, args, kwargs } => {
            match callee {
                Callee::Method(r, _) | Callee::Value(r) => visit(r, f),
                _ => {}
            }
            args.iter().for_each(|a| visit(a, f));
            kwargs.iter().for_each(|(_, a)| visit(a, f));
        }
        ExprKind::Compare { left, rest } => {
            visit(left, f);
            rest.iter().for_each(|(_, r)| visit(r, f));
        }
        ExprKind::And(xs) | ExprKind::Or(xs) | ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.iter().for_each(|x| visit(x, f)),
        ExprKind::IfExp { test, body, orelse } => {
            visit(test, f);
            visit(body, f);
            visit(orelse, f);
        }
        ExprKind::Dict(entries) => entries.iter().for_each(|(k, v)| {
            visit(k, f);
            visit(v, f);
        }),
        ExprKind::Comp { elt, value, generators, .. } => {
            for g in generators {
                visit(&g.iter, f);
                g.ifs.iter().for_each(|c| visit(c, f));
            }
            visit(elt, f);
            if let Some(v) = value {
                visit(v, f);
            }
        }
        ExprKind::FString(parts) => parts.iter().for_each(|p| {
            if let FPart::Expr(x, _) = p {
                visit(x, f);
            }
        }),
        ExprKind::Lambda { body, .. } => visit(body, f),
    }
}
