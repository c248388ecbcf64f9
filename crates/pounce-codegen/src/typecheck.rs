//! Stage 4: type-check the IR against the resource schemas.
//!
//! Infers a static type for every expression, resolves literal keys on
//! typed objects to schema fields (`ExprKind::Field`) and reports what is
//! certain to fail: unknown fields, and operations that raise for every
//! value the operand's type allows. What may or may not raise at run time
//! (a field that may be `null`) is left to the runtime, which raises as
//! CPython does.

use std::collections::HashMap;

use pounce_runtime::{StructSchema, Ty};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::ir::{CmpOp, Expr, ExprKind, Literal, Module, Stmt, StmtKind, Type};

/// Type-checks `module`. `resource` is the schema of the policy's resource
/// type, or `None` when the resource is untyped JSON.
pub fn typecheck(file: &SourceFile, mut module: Module, resource: Option<&'static StructSchema>) -> Result<Module, Vec<Diagnostic>> {
    let consts: HashMap<String, Type> = module.consts.iter().map(|c| (c.name.clone(), literal_type(&c.value))).collect();
    let mut cx = Checker { file, diags: Vec::new(), consts, params: HashMap::new() };
    for function in &mut module.functions {
        cx.params = function
            .params
            .iter()
            .map(|p| {
                let ty = match (function.name.as_str(), resource) {
                    ("policy", Some(schema)) => Type::Struct(schema),
                    _ => Type::Any,
                };
                (p.clone(), ty)
            })
            .collect();
        cx.block(&mut function.body);
    }
    if cx.diags.is_empty() {
        Ok(module)
    } else {
        Err(cx.diags)
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

struct Checker<'f> {
    file: &'f SourceFile,
    diags: Vec<Diagnostic>,
    consts: HashMap<String, Type>,
    params: HashMap<String, Type>,
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

impl Checker<'_> {
    fn block(&mut self, stmts: &mut [Stmt]) {
        for stmt in stmts {
            match &mut stmt.kind {
                StmtKind::If { cond, then, orelse } => {
                    self.expr(cond);
                    self.block(then);
                    self.block(orelse);
                }
                StmtKind::Return(Some(e)) | StmtKind::Expr(e) => self.expr(e),
                StmtKind::Return(None) | StmtKind::Pass => {}
            }
        }
    }

    fn mismatch(&mut self, expr_span: std::ops::Range<usize>, message: String, label: &str) {
        self.diags.push(Diagnostic::new(Code::TypeMismatch, message).at(self.file, expr_span).with_label(label));
    }

    /// Resolves a literal key on a typed object to its field.
    fn field(&mut self, schema: &'static StructSchema, key: &Expr) -> Option<&'static pounce_runtime::FieldSchema> {
        let ExprKind::Lit(Literal::Str(name)) = &key.kind else { return None };
        match schema.field(name) {
            Some(f) => Some(f),
            None => {
                let label = struct_label(schema);
                let d = Diagnostic::new(Code::UnknownField, format!("`{label}` has no field `{name}`"))
                    .at(self.file, key.span.clone())
                    .with_label(format!("not a field of `{label}`"))
                    .suggest(name, schema.fields.iter().map(|f| f.name));
                self.diags.push(d);
                None
            }
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let ty = match &mut e.kind {
            ExprKind::Lit(l) => literal_type(l),
            ExprKind::Param(p) => self.params.get(p.as_str()).cloned().unwrap_or(Type::Any),
            ExprKind::Global(g) => self.consts.get(g.as_str()).cloned().unwrap_or(Type::Any),
            ExprKind::Field { .. } => e.ty.clone(),
            ExprKind::Subscript(value, index) => {
                self.expr(value);
                self.expr(index);
                let vty = value.ty.clone();
                if is_scalar(&vty) {
                    self.mismatch(value.span.clone(), format!("a value of type `{}` is not subscriptable", vty.python_name()), "not subscriptable");
                    Type::Any
                } else if let Type::Struct(schema) = vty.non_null() {
                    match self.field(schema, index) {
                        Some(field) => {
                            let ty = Type::Optional(Box::new(schema_type(field.ty)));
                            let ExprKind::Subscript(value, _) = std::mem::replace(&mut e.kind, ExprKind::Lit(Literal::None)) else { return };
                            e.kind = ExprKind::Field { value, field, default: None };
                            ty
                        }
                        None => Type::Any,
                    }
                } else {
                    match vty.non_null() {
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
                            let field_ty = schema_type(field.ty);
                            let ty = match default {
                                Some(d) if d.ty == field_ty => Type::Optional(Box::new(field_ty)),
                                Some(_) => Type::Any,
                                None => Type::Optional(Box::new(field_ty)),
                            };
                            let ExprKind::Get { value, default, .. } = std::mem::replace(&mut e.kind, ExprKind::Lit(Literal::None)) else { return };
                            e.kind = ExprKind::Field { value, field, default: Some(default) };
                            ty
                        }
                        None => Type::Any,
                    },
                    Type::Dict(..) | Type::Any => Type::Any,
                    other => {
                        let name = other.python_name();
                        self.mismatch(value.span.clone(), format!("a value of type `{}` has no method `get`", vty.python_name()), &format!("`{name}` has no `get`"));
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
                        self.mismatch(right.span.clone(), format!("`{}` on a value of type `{name}` always raises `TypeError`", op.as_str()), "not a container");
                    }
                }
                Type::Bool
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
                if xs.iter().all(|x| x.ty == first) { first } else { Type::Any }
            }
        };
        e.ty = ty;
    }
}
