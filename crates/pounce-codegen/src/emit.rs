//! Stage 5: emit Rust tokens for a type-checked module with `quote!`.
//!
//! The generated code is thin: each Python operation is one call into
//! `pounce_runtime`, which carries CPython's semantics. Python names live
//! in a private `py` module so they never collide with the public API
//! (`policy`, `META`, `POLICY`); every path is absolute.

use proc_macro2::{Ident, Literal as Lit, Span as PSpan, TokenStream};
use quote::{format_ident, quote};

use pounce_runtime::StructSchema;

use crate::ir::{CmpOp, Expr, ExprKind, Function, Literal, Module, Stmt, StmtKind};
use crate::load::{MockReturn, PolicySpec};

/// Everything the emitter needs about one policy.
pub struct PolicyUnit<'a> {
    /// The validated spec.
    pub spec: &'a PolicySpec,
    /// The type-checked module.
    pub module: &'a Module,
    /// The resource struct, or `None` for untyped JSON.
    pub schema: Option<&'static StructSchema>,
    /// The Rust module name of the policy.
    pub module_name: &'a str,
}

/// The tokens of one policy's file.
pub fn policy_file(unit: &PolicyUnit<'_>) -> TokenStream {
    let spec = unit.spec;
    let meta = meta(spec);
    let resource_ty = match unit.schema {
        Some(s) => {
            let name = format_ident!("{}", s.name);
            quote!(::pounce_runtime::resources::#name)
        }
        None => quote!(::pounce_runtime::serde_json::Value),
    };
    let to_resource = match unit.schema {
        Some(_) => quote!(let resource: #resource_ty = ::pounce_runtime::resource_from_json(value)?;),
        None => quote!(let resource = value;),
    };
    let resource_ref = match unit.schema {
        Some(_) => quote!(&resource),
        None => quote!(resource),
    };
    let doc = format!(
        " `{}`{}: returns `Ok(true)` when the resource is compliant, `Ok(false)` to alert, `Err` when the policy raises.",
        spec.id,
        spec.display_name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    let tests = spec.tests.iter().map(|t| {
        let name = &t.name;
        let expected = t.expected_result;
        let resource = t.resource.to_string();
        let mocks = t.mocks.iter().map(|m| {
            let mname = &m.name;
            let value = match &m.value {
                MockReturn::Str(s) => quote!(::pounce_runtime::MockValue::Str(#s)),
                MockReturn::Bool(b) => quote!(::pounce_runtime::MockValue::Bool(#b)),
            };
            quote!(::pounce_runtime::Mock { name: #mname, value: #value })
        });
        quote! {
            ::pounce_runtime::TestCase { name: #name, expected: #expected, resource: #resource, mocks: &[#(#mocks),*] }
        }
    });
    let test_fns = test_names(spec.tests.iter().map(|t| t.name.as_str())).into_iter().enumerate().map(|(i, name)| {
        let ident = Ident::new(&name, PSpan::call_site());
        quote! {
            #[test]
            fn #ident() {
                ::pounce_runtime::testing::assert_case(&super::POLICY, #i);
            }
        }
    });
    let py = py_module(unit);
    quote! {
        #![allow(unused, unreachable_code, non_snake_case, non_upper_case_globals, clippy::all)]

        /// The policy's metadata, from its YAML spec.
        pub static META: ::pounce_runtime::PolicyMeta = #meta;

        #[doc = #doc]
        pub fn policy(resource: &#resource_ty, ctx: &dyn ::pounce_runtime::Context) -> ::core::result::Result<bool, ::pounce_runtime::PolicyError> {
            let value = py::policy(resource, ctx)?;
            ::pounce_runtime::ops::expect_bool(&value, META.id, "policy")
        }

        fn eval_json(value: &::pounce_runtime::serde_json::Value, ctx: &dyn ::pounce_runtime::Context) -> ::core::result::Result<bool, ::pounce_runtime::EvalError> {
            #to_resource
            ::core::result::Result::Ok(policy(#resource_ref, ctx)?)
        }

        /// The registry entry of this policy.
        pub static POLICY: ::pounce_runtime::Policy = ::pounce_runtime::Policy {
            meta: &META,
            eval_json,
            tests: TESTS,
        };

        static TESTS: &[::pounce_runtime::TestCase] = &[#(#tests),*];

        #py

        #[cfg(test)]
        mod tests {
            #(#test_fns)*
        }
    }
}

fn opt_str(s: Option<&String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

fn meta(spec: &PolicySpec) -> TokenStream {
    let id = &spec.id;
    let display_name = opt_str(spec.display_name.as_ref());
    let enabled = spec.enabled;
    let severity = format_ident!("{}", spec.severity.as_str());
    let resource_types = &spec.resource_types;
    let tags = &spec.tags;
    let reports = spec.reports.iter().map(|(k, v)| quote!((#k, &[#(#v),*])));
    let description = opt_str(spec.description.as_ref());
    let runbook = opt_str(spec.runbook.as_ref());
    let reference = opt_str(spec.reference.as_ref());
    let suppressions = &spec.suppressions;
    let spec_file = &spec.rel_path;
    let python_file = &spec.python_rel;
    quote! {
        ::pounce_runtime::PolicyMeta {
            id: #id,
            display_name: #display_name,
            enabled: #enabled,
            severity: ::pounce_runtime::Severity::#severity,
            resource_types: &[#(#resource_types),*],
            tags: &[#(#tags),*],
            reports: &[#(#reports),*],
            description: #description,
            runbook: #runbook,
            reference: #reference,
            suppressions: &[#(#suppressions),*],
            spec_file: #spec_file,
            python_file: #python_file,
        }
    }
}

/// Rust identifiers for test functions: snake case, unique, never a keyword.
pub fn test_names<'n>(names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let base = rust_ident(name, "case");
        let mut candidate = base.clone();
        let mut n = 2;
        while out.contains(&candidate) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        out.push(candidate);
    }
    out
}

/// A snake-case Rust identifier from arbitrary text.
pub fn rust_ident(text: &str, prefix_if_needed: &str) -> String {
    let mut s = String::new();
    let mut prev_us = true;
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !prev_us {
                s.push('_');
            }
            s.push(c.to_ascii_lowercase());
            prev_us = false;
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else if !prev_us {
            s.push('_');
            prev_us = true;
            prev_lower = false;
        }
    }
    let s = s.trim_end_matches('_').to_owned();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&s) {
        format!("{prefix_if_needed}_{s}").trim_end_matches('_').to_owned()
    } else {
        s
    }
}

fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
        "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
        "tests", "py", "policy",
    ];
    KEYWORDS.contains(&s)
}

/// A Rust identifier for a Python name (`type` becomes `r#type`).
fn py_ident(name: &str) -> Ident {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => format_ident!("{}_", name),
        n if is_keyword(n) && !matches!(n, "tests" | "py" | "policy") => Ident::new_raw(n, PSpan::call_site()),
        n => format_ident!("{}", n),
    }
}

fn py_module(unit: &PolicyUnit<'_>) -> TokenStream {
    let consts = unit.module.consts.iter().map(|c| {
        let name = py_ident(&c.name);
        let value = const_literal(&c.value);
        quote!(static #name: ::pounce_runtime::Const = #value;)
    });
    let functions = unit.module.functions.iter().map(|f| function(unit, f));
    quote! {
        mod py {
            #(#consts)*
            #(#functions)*
        }
    }
}

fn const_literal(l: &Literal) -> TokenStream {
    match l {
        Literal::None => quote!(::pounce_runtime::Const::None),
        Literal::Bool(b) => quote!(::pounce_runtime::Const::Bool(#b)),
        Literal::Int(i) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(::pounce_runtime::Const::Int(#i))
        }
        Literal::Float(x) => {
            let x = float_tokens(*x);
            quote!(::pounce_runtime::Const::Float(#x))
        }
        Literal::Str(s) => quote!(::pounce_runtime::Const::Str(#s)),
        Literal::List(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(::pounce_runtime::Const::List(&[#(#xs),*]))
        }
        Literal::Tuple(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(::pounce_runtime::Const::Tuple(&[#(#xs),*]))
        }
        Literal::Set(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(::pounce_runtime::Const::Set(&[#(#xs),*]))
        }
        Literal::Dict(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let (k, v) = (const_literal(k), const_literal(v));
                quote!((#k, #v))
            });
            quote!(::pounce_runtime::Const::Dict(&[#(#entries),*]))
        }
    }
}

fn float_tokens(x: f64) -> TokenStream {
    if x.is_nan() {
        quote!(f64::NAN)
    } else if x.is_infinite() && x > 0.0 {
        quote!(f64::INFINITY)
    } else if x.is_infinite() {
        quote!(f64::NEG_INFINITY)
    } else {
        let lit = Lit::f64_unsuffixed(x);
        quote!(#lit)
    }
}

struct FnCx<'u> {
    /// The parameter passed as a typed struct reference, if any.
    typed_param: Option<&'u str>,
}

fn function(unit: &PolicyUnit<'_>, f: &Function) -> TokenStream {
    let name = py_ident(&f.name);
    let is_policy = f.name == "policy";
    let typed_param = match (is_policy, unit.schema) {
        (true, Some(_)) => f.params.first().map(String::as_str),
        _ => None,
    };
    let cx = FnCx { typed_param };
    let params = f.params.iter().enumerate().map(|(i, p)| {
        let ident = py_ident(p);
        match (is_policy, i, unit.schema) {
            (true, 0, Some(s)) => {
                let ty = format_ident!("{}", s.name);
                quote!(#ident: &'a ::pounce_runtime::resources::#ty)
            }
            (true, 0, None) => quote!(#ident: &'a ::pounce_runtime::serde_json::Value),
            _ => quote!(#ident: ::pounce_runtime::Val<'a>),
        }
    });
    // An untyped `policy` receives JSON; its parameter becomes a `Val`.
    let prologue = match (is_policy, unit.schema, f.params.first()) {
        (true, None, Some(p)) => {
            let ident = py_ident(p);
            quote!(let #ident = ::pounce_runtime::Val::from_json(#ident);)
        }
        _ => quote!(),
    };
    let body = block(&cx, &f.body);
    let vis = if is_policy { quote!(pub(super)) } else { quote!() };
    quote! {
        #vis fn #name<'a>(#(#params,)* __ctx: &dyn ::pounce_runtime::Context) -> ::pounce_runtime::PyResult<::pounce_runtime::Val<'a>> {
            #prologue
            #body
            ::core::result::Result::Ok(::pounce_runtime::Val::None)
        }
    }
}

fn block(cx: &FnCx<'_>, stmts: &[Stmt]) -> TokenStream {
    let stmts = stmts.iter().map(|s| stmt(cx, s));
    quote!(#(#stmts)*)
}

fn stmt(cx: &FnCx<'_>, s: &Stmt) -> TokenStream {
    match &s.kind {
        StmtKind::If { cond, then, orelse } => {
            let cond = expr(cx, cond);
            let then = block(cx, then);
            if orelse.is_empty() {
                quote!(if ::pounce_runtime::ops::truthy(&#cond) { #then })
            } else {
                let orelse = block(cx, orelse);
                quote!(if ::pounce_runtime::ops::truthy(&#cond) { #then } else { #orelse })
            }
        }
        StmtKind::Return(Some(e)) => {
            let e = expr(cx, e);
            quote!(return ::core::result::Result::Ok(#e);)
        }
        StmtKind::Return(None) => quote!(return ::core::result::Result::Ok(::pounce_runtime::Val::None);),
        StmtKind::Expr(e) => {
            let e = expr(cx, e);
            quote!(let _ = #e;)
        }
        StmtKind::Pass => quote!(),
    }
}

fn literal_val(l: &Literal) -> TokenStream {
    match l {
        Literal::None => quote!(::pounce_runtime::Val::None),
        Literal::Bool(b) => quote!(::pounce_runtime::Val::Bool(#b)),
        Literal::Int(i) => {
            let i = Lit::i64_suffixed(*i);
            quote!(::pounce_runtime::Val::Int(#i))
        }
        Literal::Float(x) => {
            let x = float_tokens(*x);
            quote!(::pounce_runtime::Val::Float(#x))
        }
        Literal::Str(s) => quote!(::pounce_runtime::Val::str(#s)),
        // Container literals appear only as module constants.
        other => {
            let c = const_literal(other);
            quote!({ static LIT: ::pounce_runtime::Const = #c; ::pounce_runtime::Val::from_const(&LIT) })
        }
    }
}

fn expr(cx: &FnCx<'_>, e: &Expr) -> TokenStream {
    match &e.kind {
        ExprKind::Lit(l) => literal_val(l),
        ExprKind::Param(p) => {
            let ident = py_ident(p);
            if cx.typed_param == Some(p.as_str()) {
                quote!(::pounce_runtime::Val::Obj(#ident))
            } else {
                quote!(#ident.clone())
            }
        }
        ExprKind::Global(g) => {
            let ident = py_ident(g);
            quote!(::pounce_runtime::Val::from_const(&#ident))
        }
        ExprKind::Subscript(value, index) => {
            let (value, index) = (expr(cx, value), expr(cx, index));
            quote!({
                let __value = #value;
                let __index = #index;
                ::pounce_runtime::ops::subscript(&__value, &__index)?
            })
        }
        ExprKind::Get { value, key, default } => {
            let (value, key) = (expr(cx, value), expr(cx, key));
            let default = default.as_ref().map_or_else(|| quote!(::pounce_runtime::Val::None), |d| expr(cx, d));
            quote!({
                let __value = #value;
                let __key = #key;
                let __default = #default;
                ::pounce_runtime::ops::get(&__value, &__key, __default)?
            })
        }
        ExprKind::Field { value, field, default } => {
            let key = field.name;
            let typed = match &value.kind {
                ExprKind::Param(p) if cx.typed_param == Some(p.as_str()) => Some(py_ident(p)),
                _ => None,
            };
            let default = default.as_ref().map(|d| d.as_ref().map_or_else(|| quote!(::pounce_runtime::Val::None), |d| expr(cx, d)));
            match (typed, default) {
                (Some(param), None) => {
                    let rust = format_ident!("{}", field.rust_name);
                    quote!(#param.#rust.subscript(#key)?)
                }
                (Some(param), Some(default)) => {
                    let rust = format_ident!("{}", field.rust_name);
                    quote!(#param.#rust.get_or(#default))
                }
                (None, None) => {
                    let value = expr(cx, value);
                    quote!({
                        let __value = #value;
                        ::pounce_runtime::ops::subscript(&__value, &::pounce_runtime::Val::str(#key))?
                    })
                }
                (None, Some(default)) => {
                    let value = expr(cx, value);
                    quote!({
                        let __value = #value;
                        let __default = #default;
                        ::pounce_runtime::ops::get(&__value, &::pounce_runtime::Val::str(#key), __default)?
                    })
                }
            }
        }
        ExprKind::Compare { left, rest } => {
            let left = expr(cx, left);
            let chain = compare_chain(cx, rest, 0);
            quote!({
                let __cmp0 = #left;
                #chain
            })
        }
        ExprKind::Not(x) => {
            let x = expr(cx, x);
            quote!(::pounce_runtime::Val::Bool(!::pounce_runtime::ops::truthy(&#x)))
        }
        ExprKind::And(xs) => bool_chain(cx, xs, true),
        ExprKind::Or(xs) => bool_chain(cx, xs, false),
    }
}

/// `a op b op c`: each operand evaluated once, short-circuiting on the
/// first false comparison, as CPython does.
fn compare_chain(cx: &FnCx<'_>, rest: &[(CmpOp, Expr)], i: usize) -> TokenStream {
    let Some(((op, right), tail)) = rest.split_first() else {
        return quote!(::pounce_runtime::Val::Bool(true));
    };
    let l = format_ident!("__cmp{}", i);
    let r = format_ident!("__cmp{}", i + 1);
    let right = expr(cx, right);
    let test = match op {
        CmpOp::Eq => quote!(::pounce_runtime::ops::eq(&#l, &#r)),
        CmpOp::NotEq => quote!(::pounce_runtime::ops::ne(&#l, &#r)),
        CmpOp::In => quote!(::pounce_runtime::ops::contains(&#r, &#l)?),
        CmpOp::NotIn => quote!(::pounce_runtime::ops::not_contains(&#r, &#l)?),
        CmpOp::Is => quote!(::pounce_runtime::ops::is(&#l, &#r)),
        CmpOp::IsNot => quote!(!::pounce_runtime::ops::is(&#l, &#r)),
    };
    if tail.is_empty() {
        quote!({
            let #r = #right;
            ::pounce_runtime::Val::Bool(#test)
        })
    } else {
        let next = compare_chain(cx, tail, i + 1);
        quote!({
            let #r = #right;
            if #test { #next } else { ::pounce_runtime::Val::Bool(false) }
        })
    }
}

/// `a and b` / `a or b`: the value of the operand that decides, as in Python.
fn bool_chain(cx: &FnCx<'_>, xs: &[Expr], is_and: bool) -> TokenStream {
    match xs {
        [] => quote!(::pounce_runtime::Val::None),
        [last] => expr(cx, last),
        [first, rest @ ..] => {
            let first = expr(cx, first);
            let rest = bool_chain(cx, rest, is_and);
            let test = if is_and { quote!(!::pounce_runtime::ops::truthy(&__operand)) } else { quote!(::pounce_runtime::ops::truthy(&__operand)) };
            quote!({
                let __operand = #first;
                if #test { __operand } else { #rest }
            })
        }
    }
}

/// The tokens of the registry module (`generated/mod.rs`).
pub fn registry(modules: &[(String, String)]) -> TokenStream {
    let mods = modules.iter().map(|(m, id)| {
        let ident = format_ident!("{}", m);
        let doc = format!(" `{id}`");
        quote!(#[doc = #doc] pub mod #ident;)
    });
    let entries = modules.iter().map(|(m, _)| {
        let ident = format_ident!("{}", m);
        quote!(&#ident::POLICY)
    });
    quote! {
        #(#mods)*

        /// Every compiled policy, sorted by `PolicyID`.
        pub static POLICIES: &[&::pounce_runtime::Policy] = &[#(#entries),*];
    }
}
