//! Stage 5: emit Rust tokens for a type-checked module with `quote!`.
//!
//! The generated code is thin: each Python operation is one call into
//! `pounce_runtime`, which carries CPython's semantics. Python names live
//! in a private `py` module so they never collide with the public API
//! (`policy`, `detect`, `META`, `POLICY`); every path is absolute.
//!
//! Shapes:
//! - a module-level literal is a `static` `Const`; a global that is
//!   computed, rebound with `global`, or mocked by a test lives in the
//!   per-evaluation `py::Module` state (set up fresh for each evaluation;
//!   a pure native call on literals is computed on first read instead);
//! - a function local is an `Option<Val>` (`None` until assigned, so that
//!   reading it early raises `UnboundLocalError`); comprehension and lambda
//!   variables are plain bindings;
//! - `try` bodies are closures returning a `Flow`, so that `return`,
//!   `break` and `continue` cross them;
//! - three shapes get a runtime call of their own, each with the general
//!   path's result and exceptions: `Policy(json.loads(s))` (one pass from
//!   text to the IAM model), `x in d.keys()` (`ops::in_keys`), and `.get`
//!   with a literal default (built only when the key is missing).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal as Lit, Span as PSpan, TokenStream};
use quote::{format_ident, quote};

use pounce_runtime::ops::PyType;
use pounce_runtime::natives::Entry;
use pounce_runtime::{AuxFn, BinOp, StructSchema};

use crate::ir::{
    Builtin, Callee, CmpOp, CompKind, Conversion, Expr, ExprKind, FPart, Function, Generator, GlobalInit, Literal, Module, Stmt, StmtKind,
    Target,
};
use crate::load::{MockReturn, PolicySpec};
use crate::typecheck::ResourceType;

/// Everything the emitter needs about one policy.
pub struct PolicyUnit<'a> {
    /// The validated spec.
    pub spec: &'a PolicySpec,
    /// The type-checked module.
    pub module: &'a Module,
    /// The resource type `policy()` receives.
    pub resource: &'a ResourceType,
    /// The Rust module name of the policy.
    pub module_name: &'a str,
}

const RT: fn() -> TokenStream = || quote!(::pounce_runtime);

/// The tokens of one policy's file.
pub fn policy_file(unit: &PolicyUnit<'_>) -> TokenStream {
    let rt = RT();
    let spec = unit.spec;
    let em = Emitter::new(unit);
    let meta = meta(spec);
    let doc = format!(
        " `{}`{}: `Ok(true)` when the resource is compliant, `Ok(false)` to alert, `Err` when the policy raises.",
        spec.id,
        spec.display_name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
    );
    // The public parameter type, and how the internal functions receive it.
    let (public_ty, to_internal) = match unit.resource {
        ResourceType::One(s) => {
            let name = format_ident!("{}", s.name);
            (quote!(#rt::resources::#name), quote!(resource))
        }
        ResourceType::Several(_) => (quote!(dyn #rt::Object), quote!(#rt::Val::Obj(resource))),
        ResourceType::Any => (quote!(#rt::serde_json::Value), quote!(#rt::Val::from_json(resource))),
    };
    let resource_arg = match unit.resource {
        ResourceType::One(_) => quote!(resource),
        _ => quote!(resource.clone()),
    };
    let aux_entries: Vec<TokenStream> = AuxFn::ALL
        .iter()
        .filter(|f| unit.module.function(f.python_name()).is_some_and(|func| func.params.len() == 1))
        .map(|f| {
            let variant = format_ident!("{}", format!("{f:?}"));
            let name = format_ident!("{}", f.python_name());
            quote!((#rt::AuxFn::#variant, &|| py::#name(&__m, #resource_arg)))
        })
        .collect();
    let from_json = match unit.resource {
        ResourceType::One(s) => {
            let name = format_ident!("{}", s.name);
            quote! {
                let resource: #rt::resources::#name = #rt::resource_from_json(__value)?;
                ::core::result::Result::Ok(run(&resource, ctx, with_aux))
            }
        }
        ResourceType::Several(schemas) => {
            let arms = schemas.iter().map(|s| {
                let name = format_ident!("{}", s.name);
                let rtype = s.resource_type.unwrap_or_default();
                quote! {
                    ::core::option::Option::Some(#rtype) => {
                        let resource: #rt::resources::#name = #rt::resource_from_json(__value)?;
                        ::core::result::Result::Ok(run(&resource, ctx, with_aux))
                    }
                }
            });
            let first = schemas.first().map(|s| format_ident!("{}", s.name));
            quote! {
                // Dispatch on `ResourceType`; a resource without one is read as
                // the first listed type (every struct keeps unknown keys, so
                // Python's view of the resource is the same either way).
                match __value.get("ResourceType").and_then(|t| t.as_str()) {
                    #(#arms)*
                    _ => {
                        let resource: #rt::resources::#first = #rt::resource_from_json(__value)?;
                        ::core::result::Result::Ok(run(&resource, ctx, with_aux))
                    }
                }
            }
        }
        ResourceType::Any => quote!(::core::result::Result::Ok(run(__value, ctx, with_aux))),
    };
    let tests = spec.tests.iter().map(|t| {
        let name = &t.name;
        let expected = t.expected_result;
        let resource = t.resource.to_string();
        let mocks = t.mocks.iter().map(|m| {
            let mname = &m.name;
            let value = match &m.value {
                MockReturn::Str(s) => quote!(#rt::MockValue::Str(#s)),
                MockReturn::Bool(b) => quote!(#rt::MockValue::Bool(#b)),
            };
            quote!(#rt::Mock { name: #mname, value: #value })
        });
        quote! {
            #rt::TestCase { name: #name, expected: #expected, resource: #resource, mocks: &[#(#mocks),*] }
        }
    });
    let test_fns = test_names(spec.tests.iter().map(|t| t.name.as_str())).into_iter().enumerate().map(|(i, name)| {
        let ident = Ident::new(&name, PSpan::call_site());
        quote! {
            #[test]
            fn #ident() {
                #rt::testing::assert_case(&super::POLICY, #i);
            }
        }
    });
    let module_names = &unit.module.names;
    let py = em.py_module();
    quote! {
        #![allow(unused, unreachable_code, unused_mut, non_snake_case, non_upper_case_globals, clippy::all)]

        /// The policy's metadata, from its YAML spec.
        pub static META: #rt::PolicyMeta = #meta;

        #[doc = #doc]
        pub fn policy(resource: &#public_ty, ctx: &dyn #rt::Context) -> ::core::result::Result<bool, #rt::PolicyError> {
            run(resource, ctx, false).result
        }

        /// Evaluates the policy and, when it alerts, its auxiliary functions.
        pub fn detect(resource: &#public_ty, ctx: &dyn #rt::Context) -> #rt::Detection {
            run(resource, ctx, true)
        }

        fn run(resource: &#public_ty, ctx: &dyn #rt::Context, with_aux: bool) -> #rt::Detection {
            let __m = match py::Module::new(ctx) {
                ::core::result::Result::Ok(__m) => __m,
                ::core::result::Result::Err(__e) => return #rt::Detection::raised(__e),
            };
            let resource = #to_internal;
            let result = py::policy(&__m, #resource_arg).and_then(|__v| #rt::ops::expect_bool(&__v, META.id, "policy"));
            if !with_aux || result != ::core::result::Result::Ok(false) {
                return #rt::Detection { result, aux: ::std::vec::Vec::new() };
            }
            let aux = #rt::aux::collect(&META, &[#(#aux_entries),*]);
            #rt::Detection { result, aux }
        }

        fn from_json(__value: &#rt::serde_json::Value, ctx: &dyn #rt::Context, with_aux: bool) -> ::core::result::Result<#rt::Detection, #rt::EvalError> {
            #from_json
        }

        fn eval_json(__value: &#rt::serde_json::Value, ctx: &dyn #rt::Context) -> ::core::result::Result<bool, #rt::EvalError> {
            Ok(from_json(__value, ctx, false)?.result?)
        }

        fn detect_json(__value: &#rt::serde_json::Value, ctx: &dyn #rt::Context) -> ::core::result::Result<#rt::Detection, #rt::EvalError> {
            from_json(__value, ctx, true)
        }

        /// The registry entry of this policy.
        pub static POLICY: #rt::Policy = #rt::Policy {
            meta: &META,
            eval_json,
            detect_json,
            tests: TESTS,
            module_names: &[#(#module_names),*],
        };

        static TESTS: &[#rt::TestCase] = &[#(#tests),*];

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
    let rt = RT();
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
        #rt::PolicyMeta {
            id: #id,
            display_name: #display_name,
            enabled: #enabled,
            severity: #rt::Severity::#severity,
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
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&s) || RESERVED.contains(&s.as_str()) {
        format!("{prefix_if_needed}_{s}").trim_end_matches('_').to_owned()
    } else {
        s
    }
}

/// Names the generated code itself defines at the level of test functions
/// and policy modules.
const RESERVED: &[&str] = &["tests", "py", "policy", "detect", "run", "from_json", "eval_json", "detect_json"];

fn is_keyword(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in",
        "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
        "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
        "Self", "union", "raw", "safe",
    ];
    KEYWORDS.contains(&s)
}

/// A Rust identifier for a Python name (`type` becomes `r#type`).
fn py_ident(name: &str) -> Ident {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => format_ident!("{}_", name),
        n if is_keyword(n) => Ident::new_raw(n, PSpan::call_site()),
        // Generated temporaries start with `__`; Python dunder names are
        // moved out of their way.
        n if n.starts_with("__") => format_ident!("py{}", n),
        n => format_ident!("{}", n),
    }
}

fn global_slot(name: &str) -> Ident {
    format_ident!("g_{}", name)
}

struct Emitter<'u> {
    unit: &'u PolicyUnit<'u>,
    /// Names some test mocks.
    mocked: BTreeSet<String>,
    /// Globals that live in the module state.
    dynamic: BTreeSet<String>,
    /// Of those, the ones computed on first read ([`lazy_global`]).
    lazy: BTreeSet<String>,
}

/// Natives that are pure functions of their arguments (no clock, no
/// context, no shared state): a call of one on literals gives the same
/// value, or raises the same exception, whenever it runs.
const PURE_NATIVES: &[(&str, &str)] = &[
    ("json", "loads"),
    ("datetime", "timedelta"),
    ("ipaddress", "ip_network"),
    ("ipaddress", "ip_address"),
    ("ipaddress", "IPv4Network"),
    ("ipaddress", "IPv6Network"),
    ("ipaddress", "IPv4Address"),
    ("ipaddress", "IPv6Address"),
];

/// Whether a global's value may be computed the first time an evaluation
/// reads it instead of when the module is set up: its initial value is a
/// call of a [`PURE_NATIVES`] function on literal scalars that does not
/// raise (the generator makes the call itself, here), and nothing rebinds
/// or mocks the global or the function. Reading it then gives the value
/// module setup would have given, and a module whose setup would raise is
/// never made lazy; an evaluation that does not read it (the usual case
/// for `json.loads` of a test fixture) skips the work.
fn lazy_global(g: &crate::ir::Global, mocked: &BTreeSet<String>) -> bool {
    use pounce_runtime::natives::Item;
    use pounce_runtime::Val;
    let GlobalInit::Expr(e) = &g.init else { return false };
    if g.rebound || mocked.contains(&g.name) {
        return false;
    }
    let ExprKind::Call { callee: Callee::Native { entry, local }, args, kwargs } = &e.kind else { return false };
    if mocked.contains(local) || !PURE_NATIVES.contains(&(entry.module, entry.name)) {
        return false;
    }
    let f = match entry.item {
        Item::Function(f) | Item::Type { ctor: Some(f), .. } => f,
        _ => return false,
    };
    fn scalar(e: &Expr) -> Option<Val<'_>> {
        match &e.kind {
            ExprKind::Lit(l @ (Literal::None | Literal::Bool(_) | Literal::Int(_) | Literal::Float(_) | Literal::Str(_))) => {
                Some(crate::condition::eval::literal_val(l))
            }
            _ => None,
        }
    }
    let Some(argv) = args.iter().map(scalar).collect::<Option<Vec<Val<'_>>>>() else { return false };
    let Some(kw) = kwargs.iter().map(|(k, v)| scalar(v).map(|v| (k.as_str(), v))).collect::<Option<Vec<(&str, Val<'_>)>>>() else {
        return false;
    };
    f(&argv, &kw, &pounce_runtime::DefaultContext).is_ok()
}

struct LoopInfo {
    label: syn::Lifetime,
    flag: Option<Ident>,
    closure_depth: usize,
}

struct FnCx {
    /// The parameter passed as a typed struct reference, if any.
    typed_param: Option<String>,
    loops: Vec<LoopInfo>,
    closure_depth: usize,
    counter: usize,
    /// The module functions this function's code calls.
    calls: BTreeSet<String>,
}

impl FnCx {
    fn new(typed_param: Option<String>) -> Self {
        FnCx { typed_param, loops: Vec::new(), closure_depth: 0, counter: 0, calls: BTreeSet::new() }
    }

    fn fresh(&mut self, prefix: &str) -> usize {
        self.counter += 1;
        let _ = prefix;
        self.counter
    }
}

impl<'u> Emitter<'u> {
    fn new(unit: &'u PolicyUnit<'u>) -> Self {
        let mocked: BTreeSet<String> = unit.spec.tests.iter().flat_map(|t| t.mocks.iter().map(|m| m.name.clone())).collect();
        let dynamic = unit
            .module
            .globals
            .iter()
            .filter(|g| g.dynamic() || mocked.contains(&g.name))
            .map(|g| g.name.clone())
            .collect();
        let lazy = unit.module.globals.iter().filter(|g| lazy_global(g, &mocked)).map(|g| g.name.clone()).collect();
        Emitter { unit, mocked, dynamic, lazy }
    }

    fn typed(&self) -> Option<&'static StructSchema> {
        match self.unit.resource {
            ResourceType::One(s) => Some(s),
            _ => None,
        }
    }

    /// Whether `name` is `policy` or an auxiliary function (which receive
    /// the resource).
    fn is_entry(name: &str) -> bool {
        name == "policy" || AuxFn::from_python_name(name).is_some()
    }

    fn py_module(&self) -> TokenStream {
        let rt = RT();
        let consts = self.unit.module.globals.iter().filter_map(|g| match &g.init {
            GlobalInit::Literal(l) => {
                let name = py_ident(&g.name);
                let value = const_literal(l);
                Some(quote!(static #name: #rt::Const = #value;))
            }
            GlobalInit::Expr(_) => None,
        });
        let slots: Vec<&crate::ir::Global> = self.unit.module.globals.iter().filter(|g| self.dynamic.contains(&g.name)).collect();
        let slot_fields = slots.iter().map(|g| {
            let slot = global_slot(&g.name);
            if self.lazy.contains(&g.name) {
                quote!(#slot: ::core::cell::OnceCell<#rt::Val<'a>>)
            } else {
                quote!(#slot: ::core::cell::RefCell<#rt::Val<'a>>)
            }
        });
        let slot_inits = slots.iter().map(|g| {
            let slot = global_slot(&g.name);
            if self.lazy.contains(&g.name) {
                quote!(#slot: ::core::cell::OnceCell::new())
            } else {
                quote!(#slot: ::core::cell::RefCell::new(#rt::Val::None))
            }
        });
        // Lazy globals: computed on first read (the generator ran the call
        // and it did not raise, so the fallback is never taken).
        let lazy_getters = slots.iter().filter(|g| self.lazy.contains(&g.name)).filter_map(|g| {
            let GlobalInit::Expr(e) = &g.init else { return None };
            let slot = global_slot(&g.name);
            let getter = format_ident!("get_{}", slot);
            let value = self.expr(&mut FnCx::new(None), e);
            Some(quote! {
                pub(super) fn #getter(&self) -> #rt::Val<'a> {
                    let __m = self;
                    self.#slot
                        .get_or_init(|| (|| -> #rt::PyResult<#rt::Val<'a>> { ::core::result::Result::Ok(#value) })().unwrap_or(#rt::Val::None))
                        .clone()
                }
            })
        });
        let slot_sets = slots.iter().filter(|g| !self.lazy.contains(&g.name)).map(|g| {
            let slot = global_slot(&g.name);
            let name_str = &g.name;
            let mut cx = FnCx::new(None);
            let value = match &g.init {
                GlobalInit::Literal(l) => {
                    let name = py_ident(&g.name);
                    match l {
                        Literal::List(_) | Literal::Tuple(_) | Literal::Set(_) | Literal::Dict(_) => quote!(#rt::Val::from_const(&#name)),
                        scalar => literal_val(scalar),
                    }
                }
                GlobalInit::Expr(e) => self.expr(&mut cx, e),
            };
            let value = if self.mocked.contains(&g.name) {
                quote! {
                    match __m.ctx.mock(#name_str) {
                        ::core::option::Option::Some(__mock) => #rt::Val::Mock(*__mock),
                        ::core::option::Option::None => #value,
                    }
                }
            } else {
                value
            };
            quote!(*__m.#slot.borrow_mut() = #value;)
        });
        let functions = self.functions();
        quote! {
            mod py {
                #(#consts)*

                /// The module's state for one evaluation: the globals that are
                /// computed, rebound or mocked.
                pub(super) struct Module<'a, 'c> {
                    pub(super) ctx: &'c dyn #rt::Context,
                    #(#slot_fields,)*
                    _resource: ::core::marker::PhantomData<&'a ()>,
                }

                impl<'a, 'c> Module<'a, 'c> {
                    /// Runs the module's top-level code.
                    pub(super) fn new(ctx: &'c dyn #rt::Context) -> #rt::PyResult<Self> {
                        let __m = Module { ctx, #(#slot_inits,)* _resource: ::core::marker::PhantomData };
                        #(#slot_sets)*
                        ::core::result::Result::Ok(__m)
                    }

                    #(#lazy_getters)*
                }

                #(#functions)*
            }
        }
    }

    /// The module's functions; the bodies of those that can call themselves
    /// (directly or through others: a cycle of the calls the emitted code
    /// makes) run in `ops::recurse`, so that recursion goes as deep as in
    /// CPython and raises `RecursionError` beyond, never overflowing the
    /// stack.
    fn functions(&self) -> Vec<TokenStream> {
        let rt = RT();
        let emitted: Vec<(&Function, TokenStream, TokenStream, BTreeSet<String>)> = self
            .unit
            .module
            .functions
            .iter()
            .map(|f| {
                let (header, body, calls) = self.function(f);
                (f, header, body, calls)
            })
            .collect();
        let callees = |name: &str| emitted.iter().find(|(f, ..)| f.name == name).map(|(.., calls)| calls);
        emitted
            .iter()
            .map(|(f, header, body, _)| {
                // Depth-first from `f`'s callees: is `f` among the reachable?
                let mut seen: BTreeSet<&str> = BTreeSet::new();
                let mut stack: Vec<&str> = callees(&f.name).map(|c| c.iter().map(String::as_str).collect()).unwrap_or_default();
                let mut recursive = false;
                while let Some(g) = stack.pop() {
                    if g == f.name {
                        recursive = true;
                        break;
                    }
                    if seen.insert(g) {
                        stack.extend(callees(g).into_iter().flatten().map(String::as_str));
                    }
                }
                if recursive {
                    quote! {
                        #header {
                            #rt::ops::recurse(move || -> #rt::PyResult<#rt::Val<'a>> {
                                #body
                            })
                        }
                    }
                } else {
                    quote! {
                        #header {
                            #body
                        }
                    }
                }
            })
            .collect()
    }

    /// A function's signature, its body (statements; `functions` may run
    /// them in `ops::recurse`), and the module functions it calls.
    fn function(&self, f: &Function) -> (TokenStream, TokenStream, BTreeSet<String>) {
        let rt = RT();
        let name = py_ident(&f.name);
        let entry = Self::is_entry(&f.name) && f.params.len() == 1;
        let first = f.params.first().cloned();
        let typed_param = match (entry, self.typed(), &first) {
            (true, Some(_), Some(p)) if !f.locals.contains(p) => Some(p.clone()),
            _ => None,
        };
        let params = f.params.iter().enumerate().map(|(i, p)| {
            let ident = py_ident(p);
            match (entry && i == 0, self.typed()) {
                (true, Some(s)) => {
                    let ty = format_ident!("{}", s.name);
                    quote!(#ident: &'a #rt::resources::#ty)
                }
                _ => quote!(#ident: #rt::Val<'a>),
            }
        });
        // Locals: reassigned parameters start with their argument.
        let locals = f.locals.iter().map(|l| {
            let ident = py_ident(l);
            if f.params.contains(l) {
                let init = match (entry && f.params.first() == Some(l), self.typed()) {
                    (true, Some(_)) => quote!(#rt::Val::Obj(#ident)),
                    _ => quote!(#ident),
                };
                quote!(let mut #ident: ::core::option::Option<#rt::Val<'a>> = ::core::option::Option::Some(#init);)
            } else {
                quote!(let mut #ident: ::core::option::Option<#rt::Val<'a>> = ::core::option::Option::None;)
            }
        });
        let mut cx = FnCx::new(typed_param);
        let body = self.block(&mut cx, &f.body);
        let vis = if entry { quote!(pub(super)) } else { quote!() };
        let header = quote!(#vis fn #name<'a>(__m: &Module<'a, '_>, #(#params),*) -> #rt::PyResult<#rt::Val<'a>>);
        let body = quote! {
            #(#locals)*
            #body
            ::core::result::Result::Ok(#rt::Val::None)
        };
        (header, body, cx.calls)
    }

    fn block(&self, cx: &mut FnCx, stmts: &[Stmt]) -> TokenStream {
        let stmts: Vec<TokenStream> = stmts.iter().map(|s| self.stmt(cx, s)).collect();
        quote!(#(#stmts)*)
    }

    /// `return value` in the current context.
    fn ret(&self, cx: &FnCx, value: TokenStream) -> TokenStream {
        let rt = RT();
        if cx.closure_depth == 0 {
            quote!(return ::core::result::Result::Ok(#value);)
        } else {
            quote!(return ::core::result::Result::Ok(#rt::ops::Flow::Return(#value));)
        }
    }

    fn break_or_continue(&self, cx: &FnCx, is_break: bool) -> TokenStream {
        let rt = RT();
        let Some(lp) = cx.loops.last() else { return quote!() };
        if lp.closure_depth != cx.closure_depth {
            return if is_break {
                quote!(return ::core::result::Result::Ok(#rt::ops::Flow::Break);)
            } else {
                quote!(return ::core::result::Result::Ok(#rt::ops::Flow::Continue);)
            };
        }
        let label = &lp.label;
        match (is_break, &lp.flag) {
            (true, Some(flag)) => quote!({ #flag = true; break #label; }),
            (true, None) => quote!(break #label;),
            (false, _) => quote!(continue #label;),
        }
    }

    fn stmt(&self, cx: &mut FnCx, s: &Stmt) -> TokenStream {
        let rt = RT();
        match &s.kind {
            StmtKind::If { cond, then, orelse } => {
                let cond = self.cond(cx, cond);
                let then = self.block(cx, then);
                if orelse.is_empty() {
                    quote!(if #cond { #then })
                } else {
                    let orelse = self.block(cx, orelse);
                    quote!(if #cond { #then } else { #orelse })
                }
            }
            StmtKind::For { target, iter, body, orelse } => {
                let iter = self.operand(cx, iter);
                let n = cx.fresh("loop");
                let label = syn::Lifetime::new(&format!("'l{n}"), PSpan::call_site());
                let flag = (!orelse.is_empty()).then(|| format_ident!("__broke{}", n));
                cx.loops.push(LoopInfo { label: label.clone(), flag: flag.clone(), closure_depth: cx.closure_depth });
                let item = format_ident!("__item{}", n);
                let assign = self.assign(cx, target, quote!(#item));
                let body = self.block(cx, body);
                cx.loops.pop();
                let orelse = self.block(cx, orelse);
                match flag {
                    Some(flag) => quote! {
                        let mut #flag = false;
                        #label: for #item in #rt::ops::iter(#iter)? {
                            #assign
                            #body
                        }
                        if !#flag { #orelse }
                    },
                    None => quote! {
                        #label: for #item in #rt::ops::iter(#iter)? {
                            #assign
                            #body
                        }
                    },
                }
            }
            StmtKind::While { cond, body, orelse } => {
                let n = cx.fresh("loop");
                let label = syn::Lifetime::new(&format!("'l{n}"), PSpan::call_site());
                let flag = (!orelse.is_empty()).then(|| format_ident!("__broke{}", n));
                let cond = self.cond(cx, cond);
                cx.loops.push(LoopInfo { label: label.clone(), flag: flag.clone(), closure_depth: cx.closure_depth });
                let body = self.block(cx, body);
                cx.loops.pop();
                let orelse = self.block(cx, orelse);
                match flag {
                    Some(flag) => quote! {
                        let mut #flag = false;
                        #label: while #cond { #body }
                        if !#flag { #orelse }
                    },
                    None => quote!(#label: while #cond { #body }),
                }
            }
            StmtKind::Break => self.break_or_continue(cx, true),
            StmtKind::Continue => self.break_or_continue(cx, false),
            StmtKind::Assign { targets, value } => {
                let value = self.expr(cx, value);
                let assigns: Vec<TokenStream> = targets.iter().map(|t| self.assign(cx, t, quote!(__value.clone()))).collect();
                quote!({
                    let __value = #value;
                    #(#assigns)*
                })
            }
            StmtKind::AugAssign { target, op, value } => {
                let op = binop_tokens(*op);
                match target {
                    Target::Subscript(obj, index) => {
                        let (obj, index) = (self.expr(cx, obj), self.expr(cx, index));
                        let value = self.expr(cx, value);
                        quote!({
                            let __obj = #obj;
                            let __index = #index;
                            let __current = #rt::ops::subscript(&__obj, &__index)?;
                            let __value = #value;
                            let __new = #rt::ops::binop(#op, &__current, &__value)?;
                            #rt::ops::set_item(&__obj, __index, __new)?;
                        })
                    }
                    other => {
                        let current = self.read_target(cx, other);
                        let value = self.expr(cx, value);
                        let assign = self.assign(cx, other, quote!(__new));
                        quote!({
                            let __current = #current;
                            let __value = #value;
                            let __new = #rt::ops::binop(#op, &__current, &__value)?;
                            #assign
                        })
                    }
                }
            }
            StmtKind::Try { body, handlers, orelse } => {
                cx.closure_depth += 1;
                let body = self.block(cx, body);
                cx.closure_depth -= 1;
                let handlers: Vec<TokenStream> = handlers
                    .iter()
                    .map(|h| {
                        let names = &h.types;
                        let hbody = self.block(cx, &h.body);
                        quote!(::core::result::Result::Err(__e) if #rt::ops::exc_matches(&__e, &[#(#names),*]) => { #hbody })
                    })
                    .collect();
                let orelse = self.block(cx, orelse);
                let ret = self.ret(cx, quote!(__v));
                let brk = self.break_or_continue(cx, true);
                let cont = self.break_or_continue(cx, false);
                let reraise = if cx.closure_depth == 0 {
                    quote!(return ::core::result::Result::Err(__e);)
                } else {
                    quote!(return ::core::result::Result::Err(__e);)
                };
                quote! {
                    match (|| -> #rt::PyResult<#rt::ops::Flow<'a>> {
                        #body
                        ::core::result::Result::Ok(#rt::ops::Flow::Next)
                    })() {
                        ::core::result::Result::Ok(#rt::ops::Flow::Next) => { #orelse }
                        ::core::result::Result::Ok(#rt::ops::Flow::Return(__v)) => { #ret }
                        ::core::result::Result::Ok(#rt::ops::Flow::Break) => { #brk }
                        ::core::result::Result::Ok(#rt::ops::Flow::Continue) => { #cont }
                        #(#handlers)*
                        ::core::result::Result::Err(__e) => { #reraise }
                    }
                }
            }
            StmtKind::Raise { exc, message } => {
                let message = match message {
                    Some(m) => {
                        let m = self.expr(cx, m);
                        quote!(::core::option::Option::Some(&#m))
                    }
                    None => quote!(::core::option::Option::None),
                };
                quote!(return ::core::result::Result::Err(#rt::ops::raise(#exc, #message));)
            }
            StmtKind::Return(Some(e)) => {
                let e = self.expr(cx, e);
                self.ret(cx, e)
            }
            StmtKind::Return(None) => self.ret(cx, quote!(#rt::Val::None)),
            StmtKind::Expr(e) => {
                let e = self.expr(cx, e);
                quote!(let _ = #e;)
            }
            StmtKind::Pass => quote!(),
        }
    }

    /// The current value of an assignment target (for `+=`).
    fn read_target(&self, cx: &mut FnCx, t: &Target) -> TokenStream {
        let rt = RT();
        match t {
            Target::Local(name) => {
                let ident = py_ident(name);
                quote!(#rt::ops::local(&#ident, #name)?)
            }
            Target::Global(name) => self.global_read(name),
            Target::Var(name) => {
                let ident = py_ident(name);
                quote!(#ident.clone())
            }
            Target::Subscript(obj, index) => {
                let (obj, index) = (self.expr(cx, obj), self.expr(cx, index));
                quote!(#rt::ops::subscript(&#obj, &#index)?)
            }
            Target::Tuple(_) => quote!(#rt::Val::None),
        }
    }

    /// Statements binding `value` to `t`.
    fn assign(&self, cx: &mut FnCx, t: &Target, value: TokenStream) -> TokenStream {
        let rt = RT();
        match t {
            Target::Local(name) => {
                let ident = py_ident(name);
                quote!(#ident = ::core::option::Option::Some(#value);)
            }
            Target::Global(name) => {
                if self.dynamic.contains(name) {
                    let slot = global_slot(name);
                    quote!(*__m.#slot.borrow_mut() = #value;)
                } else {
                    quote!(let _ = #value;)
                }
            }
            Target::Var(name) => {
                let ident = py_ident(name);
                quote!(let #ident: #rt::Val<'a> = #value;)
            }
            Target::Subscript(obj, index) => {
                let (obj, index) = (self.expr(cx, obj), self.expr(cx, index));
                quote!({
                    let __assigned = #value;
                    let __obj = #obj;
                    let __index = #index;
                    #rt::ops::set_item(&__obj, __index, __assigned)?;
                })
            }
            Target::Tuple(items) => {
                let n = items.len();
                let k = cx.fresh("unpack");
                let parts: Vec<Ident> = (0..n).map(|i| format_ident!("__part{}_{}", k, i)).collect();
                let assigns: Vec<TokenStream> = items.iter().zip(&parts).map(|(t, p)| self.assign(cx, t, quote!(#p))).collect();
                quote! {
                    let [#(#parts),*] = #rt::ops::unpack::<#n>(&#value)?;
                    #(#assigns)*
                }
            }
        }
    }

    fn global_read(&self, name: &str) -> TokenStream {
        let rt = RT();
        if self.lazy.contains(name) {
            let getter = format_ident!("get_{}", global_slot(name));
            return quote!(__m.#getter());
        }
        if self.dynamic.contains(name) {
            let slot = global_slot(name);
            return quote!(__m.#slot.borrow().clone());
        }
        let ident = py_ident(name);
        match self.unit.module.global(name).map(|g| &g.init) {
            Some(GlobalInit::Literal(l @ (Literal::None | Literal::Bool(_) | Literal::Int(_) | Literal::Float(_) | Literal::Str(_)))) => literal_val(l),
            _ => quote!(#rt::Val::from_const(&#ident)),
        }
    }

    /// A Rust `bool` condition from a Python expression.
    fn cond(&self, cx: &mut FnCx, e: &Expr) -> TokenStream {
        let rt = RT();
        let v = self.operand(cx, e);
        quote!(#rt::ops::truthy(#v))
    }

    /// `e` as an expression of type `&Val`, for a runtime function that
    /// only reads its operand: a local, an untyped parameter or a
    /// comprehension variable is lent in place (no clone and drop of the
    /// `Val`), anything else is a reference to its value. Expressions
    /// cannot rebind a variable (no `:=`), so the loan cannot clash with an
    /// assignment.
    fn operand(&self, cx: &mut FnCx, e: &Expr) -> TokenStream {
        let rt = RT();
        match &e.kind {
            ExprKind::Local(name) => {
                let ident = py_ident(name);
                quote!(#rt::ops::local_ref(&#ident, #name)?)
            }
            ExprKind::Param(p) if cx.typed_param.as_deref() != Some(p.as_str()) => {
                let ident = py_ident(p);
                quote!(&#ident)
            }
            ExprKind::Var(name) => {
                let ident = py_ident(name);
                quote!(&#ident)
            }
            _ => {
                let v = self.expr(cx, e);
                quote!(&#v)
            }
        }
    }

    fn expr(&self, cx: &mut FnCx, e: &Expr) -> TokenStream {
        let rt = RT();
        match &e.kind {
            ExprKind::Lit(l) => literal_val(l),
            ExprKind::Param(p) => {
                let ident = py_ident(p);
                if cx.typed_param.as_deref() == Some(p.as_str()) {
                    quote!(#rt::Val::Obj(#ident))
                } else {
                    quote!(#ident.clone())
                }
            }
            ExprKind::Local(name) => {
                let ident = py_ident(name);
                quote!(#rt::ops::local(&#ident, #name)?)
            }
            ExprKind::Var(name) => {
                let ident = py_ident(name);
                quote!(#ident.clone())
            }
            ExprKind::Global(g) => self.global_read(g),
            ExprKind::TypeRef(_) | ExprKind::NativeRef(_) => {
                // Only valid as `isinstance` arguments, handled there.
                quote!(#rt::Val::None)
            }
            ExprKind::Subscript(value, index) => {
                let (value, index) = (self.operand(cx, value), self.operand(cx, index));
                quote!({
                    let __value = #value;
                    let __index = #index;
                    #rt::ops::subscript(__value, __index)?
                })
            }
            ExprKind::Get { value, key, default } => {
                let (value, key) = (self.operand(cx, value), self.expr(cx, key));
                let lazy = default.as_deref().is_some_and(is_literal_value);
                let default = default.as_ref().map_or_else(|| quote!(#rt::Val::None), |d| self.expr(cx, d));
                let lookup = get_lookup(quote!(__key), default, lazy);
                quote!({
                    let __value = #value;
                    let __key = #key;
                    #lookup
                })
            }
            ExprKind::Field { value, field, default } => {
                let key = field.name;
                let typed = match &value.kind {
                    ExprKind::Param(p) if cx.typed_param.as_deref() == Some(p.as_str()) => Some(py_ident(p)),
                    _ => None,
                };
                // A literal default is built only when the key is missing
                // (building it has no effect).
                let lazy = matches!(default, Some(Some(d)) if is_literal_value(d));
                let default = default.as_ref().map(|d| match d {
                    Some(d) => self.expr(cx, d),
                    None => quote!(#rt::Val::None),
                });
                match (typed, default) {
                    (Some(param), None) => {
                        let rust = format_ident!("{}", field.rust_name);
                        quote!(#param.#rust.subscript(#key)?)
                    }
                    (Some(param), Some(default)) => {
                        let rust = format_ident!("{}", field.rust_name);
                        if lazy {
                            quote!(match #param.#rust.get() {
                                ::core::option::Option::Some(__found) => __found,
                                ::core::option::Option::None => #default,
                            })
                        } else {
                            quote!(#param.#rust.get_or(#default))
                        }
                    }
                    (None, None) => {
                        let value = self.operand(cx, value);
                        quote!({
                            let __value = #value;
                            #rt::ops::subscript(__value, &#rt::Val::str(#key))?
                        })
                    }
                    (None, Some(default)) => {
                        let value = self.operand(cx, value);
                        let lookup = get_lookup(quote!(#rt::Val::str(#key)), default, lazy);
                        quote!({
                            let __value = #value;
                            #lookup
                        })
                    }
                }
            }
            ExprKind::Attribute(value, name) => {
                let value = self.operand(cx, value);
                quote!(#rt::ops::getattr(#value, #name)?)
            }
            ExprKind::Call { callee, args, kwargs } => self.call(cx, callee, args, kwargs),
            ExprKind::Compare { left, rest } => {
                let left = self.operand(cx, left);
                let n = cx.fresh("cmp");
                let first = format_ident!("__cmp{}_0", n);
                let chain = self.compare_chain(cx, rest, n, 0);
                quote!({
                    let #first = #left;
                    #chain
                })
            }
            ExprKind::BinOp(op, l, r) => {
                let op = binop_tokens(*op);
                let (l, r) = (self.operand(cx, l), self.operand(cx, r));
                quote!({
                    let __left = #l;
                    let __right = #r;
                    #rt::ops::binop(#op, __left, __right)?
                })
            }
            ExprKind::Neg(x) => {
                let x = self.operand(cx, x);
                quote!(#rt::ops::neg(#x)?)
            }
            ExprKind::Not(x) => {
                let x = self.operand(cx, x);
                quote!(#rt::Val::Bool(!#rt::ops::truthy(#x)))
            }
            ExprKind::And(xs) => self.bool_chain(cx, xs, true),
            ExprKind::Or(xs) => self.bool_chain(cx, xs, false),
            ExprKind::IfExp { test, body, orelse } => {
                let test = self.cond(cx, test);
                let (body, orelse) = (self.expr(cx, body), self.expr(cx, orelse));
                quote!(if #test { #body } else { #orelse })
            }
            ExprKind::List(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.expr(cx, x)).collect();
                quote!(#rt::Val::list(::std::vec![#(#xs),*]))
            }
            ExprKind::Tuple(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.expr(cx, x)).collect();
                quote!(#rt::Val::tuple(::std::vec![#(#xs),*]))
            }
            ExprKind::Set(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.expr(cx, x)).collect();
                quote!(#rt::ops::make_set(::std::vec![#(#xs),*])?)
            }
            ExprKind::Dict(entries) => {
                let entries: Vec<TokenStream> = entries
                    .iter()
                    .map(|(k, v)| {
                        let (k, v) = (self.expr(cx, k), self.expr(cx, v));
                        quote!((#k, #v))
                    })
                    .collect();
                quote!(#rt::ops::make_dict(::std::vec![#(#entries),*])?)
            }
            ExprKind::Comp { kind, elt, value, generators } => {
                let n = cx.fresh("comp");
                let out = format_ident!("__out{}", n);
                // Elements are added as they are produced (CPython's
                // `SET_ADD`/`MAP_ADD`, key before value): an unhashable one
                // raises before the next is computed.
                let push = match (kind, value) {
                    (CompKind::Dict, Some(v)) => {
                        let (k, v) = (self.expr(cx, elt), self.expr(cx, v));
                        quote!({
                            let __k = #k;
                            let __v = #v;
                            #rt::ops::dict_add(&mut #out, __k, __v)?;
                        })
                    }
                    (CompKind::Set, _) => {
                        let elt = self.expr(cx, elt);
                        quote!(#rt::ops::set_add(&mut #out, #elt)?;)
                    }
                    _ => {
                        let elt = self.expr(cx, elt);
                        quote!(#out.push(#elt);)
                    }
                };
                let loops = self.generators(cx, generators, push);
                let (init, finish) = match kind {
                    CompKind::List | CompKind::Gen => (quote!(::std::vec::Vec::new()), quote!(#rt::Val::list(#out))),
                    CompKind::Set => (quote!(#rt::PySet::default()), quote!(#rt::ops::set_value(#out))),
                    CompKind::Dict => (quote!(#rt::PyDict::default()), quote!(#rt::ops::dict_value(#out))),
                };
                quote!({
                    let mut #out = #init;
                    #loops
                    #finish
                })
            }
            ExprKind::FString(parts) => {
                let pushes: Vec<TokenStream> = parts
                    .iter()
                    .map(|p| match p {
                        FPart::Lit(s) => quote!(__text.push_str(#s);),
                        FPart::Expr(x, conv) => {
                            let x = self.operand(cx, x);
                            match conv {
                                Conversion::Str => quote!(__text.push_str(&#rt::ops::to_str(#x));),
                                Conversion::Repr => quote!(__text.push_str(&#rt::ops::repr(#x));),
                            }
                        }
                    })
                    .collect();
                quote!({
                    let mut __text = ::std::string::String::new();
                    #(#pushes)*
                    #rt::Val::string(__text)
                })
            }
            ExprKind::Lambda { .. } => quote!(#rt::Val::None),
        }
    }

    /// Nested loops of a comprehension, with `body` innermost.
    fn generators(&self, cx: &mut FnCx, generators: &[Generator], body: TokenStream) -> TokenStream {
        let rt = RT();
        let Some((g, rest)) = generators.split_first() else { return body };
        let iter = self.operand(cx, &g.iter);
        let n = cx.fresh("gen");
        let item = format_ident!("__item{}", n);
        let bind = self.assign(cx, &g.target, quote!(#item));
        let conds: Vec<TokenStream> = g.ifs.iter().map(|c| self.cond(cx, c)).collect();
        let inner = self.generators(cx, rest, body);
        quote! {
            for #item in #rt::ops::iter(#iter)? {
                #bind
                #(if !#conds { continue; })*
                #inner
            }
        }
    }

    /// `s` when the call is `Policy(json.loads(s))` with policyuniverse's
    /// `Policy` and `json.loads`, positional arguments only and neither
    /// name mocked: the runtime parses `s` straight into the IAM model
    /// (`policyuniverse::policy_of_loads`, same result and exceptions).
    fn policy_of_loads<'e>(&self, entry: &Entry, local: &str, args: &'e [Expr], kwargs: &[(String, Expr)]) -> Option<&'e Expr> {
        if entry.rust != "policyuniverse::policy" || !kwargs.is_empty() || self.mocked.contains(local) {
            return None;
        }
        let [inner] = args else { return None };
        let ExprKind::Call { callee: Callee::Native { entry: loads, local: loads_local }, args, kwargs } = &inner.kind else {
            return None;
        };
        if loads.rust != "json::loads" || !kwargs.is_empty() || self.mocked.contains(loads_local) {
            return None;
        }
        match args.as_slice() {
            [text] => Some(text),
            _ => None,
        }
    }

    fn args(&self, cx: &mut FnCx, args: &[Expr]) -> Vec<TokenStream> {
        args.iter().map(|a| self.expr(cx, a)).collect()
    }

    fn call(&self, cx: &mut FnCx, callee: &Callee, args: &[Expr], kwargs: &[(String, Expr)]) -> TokenStream {
        let rt = RT();
        if let Callee::Native { entry, local } = callee {
            if let Some(text) = self.policy_of_loads(entry, local, args, kwargs) {
                let text = self.expr(cx, text);
                return quote!(#rt::natives::policyuniverse::policy_of_loads(#text, __m.ctx)?);
            }
        }
        match callee {
            Callee::Builtin(b) => self.builtin(cx, *b, args, kwargs),
            Callee::Native { entry, local } => {
                let path: syn::Path = match syn::parse_str(&format!("::pounce_runtime::natives::{}", entry.rust)) {
                    Ok(p) => p,
                    Err(_) => return quote!(compile_error!("invalid native path")),
                };
                let argv = self.args(cx, args);
                let kw: Vec<TokenStream> = kwargs
                    .iter()
                    .map(|(k, v)| {
                        let v = self.expr(cx, v);
                        quote!((#k, #v))
                    })
                    .collect();
                let call = quote!(#path(&__args, &[#(#kw),*], __m.ctx)?);
                if self.mocked.contains(local) {
                    quote!({
                        let __args = [#(#argv),*];
                        match __m.ctx.mock(#local) {
                            ::core::option::Option::Some(__mock) => #rt::ops::call_value(&#rt::Val::Mock(*__mock), &__args)?,
                            ::core::option::Option::None => #call,
                        }
                    })
                } else {
                    quote!({
                        let __args = [#(#argv),*];
                        #call
                    })
                }
            }
            Callee::Function(name) => {
                cx.calls.insert(name.clone());
                let ident = py_ident(name);
                let argv = self.args(cx, args);
                let call = quote!(#ident(__m, #(#argv),*)?);
                if self.mocked.contains(name) {
                    quote!(match __m.ctx.mock(#name) {
                        ::core::option::Option::Some(__mock) => #rt::ops::call_value(&#rt::Val::Mock(*__mock), &[])?,
                        ::core::option::Option::None => #call,
                    })
                } else {
                    call
                }
            }
            Callee::Method(recv, name) => {
                let recv = self.operand(cx, recv);
                let argv = self.args(cx, args);
                quote!({
                    let __receiver = #recv;
                    let __args = [#(#argv),*];
                    #rt::ops::call_method(__receiver, #name, &__args)?
                })
            }
            Callee::Value(f) => {
                let f = self.expr(cx, f);
                let argv = self.args(cx, args);
                quote!({
                    let __callee = #f;
                    let __args = [#(#argv),*];
                    #rt::ops::call_value(&__callee, &__args)?
                })
            }
        }
    }

    fn builtin(&self, cx: &mut FnCx, b: Builtin, args: &[Expr], kwargs: &[(String, Expr)]) -> TokenStream {
        let rt = RT();
        // `any(gen)` / `all(gen)` short-circuit over a generator.
        if let (Builtin::Any | Builtin::All, [Expr { kind: ExprKind::Comp { kind: CompKind::Gen, elt, generators, .. }, .. }]) = (b, args) {
            let n = cx.fresh("found");
            let found = format_ident!("__found{}", n);
            let label = syn::Lifetime::new(&format!("'any{n}"), PSpan::call_site());
            let elt = self.cond(cx, elt);
            let (test, init, hit) = if b == Builtin::Any { (quote!(#elt), false, true) } else { (quote!(!#elt), true, false) };
            let body = quote!(if #test { #found = #hit; break #label; });
            let loops = self.generators(cx, generators, body);
            return quote!({
                let mut #found = #init;
                #label: {
                    #loops
                }
                #rt::Val::Bool(#found)
            });
        }
        let argv = self.args(cx, args);
        let first = argv.first().cloned().unwrap_or_else(|| quote!(#rt::Val::None));
        match b {
            Builtin::Len => quote!(#rt::Val::Int(#rt::ops::len(&#first)?)),
            Builtin::Bool if args.is_empty() => quote!(#rt::Val::Bool(false)),
            Builtin::Bool => quote!(#rt::ops::bool_(&#first)),
            Builtin::Str if args.is_empty() => quote!(#rt::Val::str("")),
            Builtin::Str => quote!(#rt::ops::str_(&#first)),
            Builtin::Int if args.is_empty() => quote!(#rt::Val::Int(0)),
            Builtin::Int => quote!(#rt::ops::int_(&#first)?),
            Builtin::Any => quote!(#rt::Val::Bool(#rt::ops::any(&#first)?)),
            Builtin::All => quote!(#rt::Val::Bool(#rt::ops::all(&#first)?)),
            Builtin::Set if args.is_empty() => quote!(#rt::ops::make_set(::std::vec::Vec::new())?),
            Builtin::Set => quote!(#rt::ops::set(&#first)?),
            Builtin::List if args.is_empty() => quote!(#rt::Val::list(::std::vec::Vec::new())),
            Builtin::List => quote!(#rt::ops::list(&#first)?),
            Builtin::Tuple if args.is_empty() => quote!(#rt::Val::tuple(::std::vec::Vec::new())),
            Builtin::Tuple => quote!(#rt::ops::tuple(&#first)?),
            Builtin::Dict if args.is_empty() => quote!(#rt::ops::make_dict(::std::vec::Vec::new())?),
            Builtin::Dict => quote!(#rt::ops::dict(&#first)?),
            Builtin::Sorted | Builtin::Min | Builtin::Max => {
                let key = kwargs.iter().find(|(k, _)| k == "key").map(|(_, v)| v);
                let reverse = kwargs.iter().find(|(k, _)| k == "reverse").map(|(_, v)| self.cond(cx, v));
                let key = match key {
                    Some(Expr { kind: ExprKind::Lambda { params, body }, .. }) => {
                        let param = params.first().map(|p| py_ident(p)).unwrap_or_else(|| format_ident!("unused"));
                        let body = self.expr(cx, body);
                        quote!(::core::option::Option::Some(&|#param: #rt::Val<'a>| -> #rt::PyResult<#rt::Val<'a>> { ::core::result::Result::Ok(#body) }))
                    }
                    _ => quote!(::core::option::Option::None),
                };
                let reverse = reverse.unwrap_or_else(|| quote!(false));
                match b {
                    Builtin::Sorted => quote!(#rt::ops::sorted(&#first, #key, #reverse)?),
                    Builtin::Min => quote!(#rt::ops::min_max(&#first, false)?),
                    _ => quote!(#rt::ops::min_max(&#first, true)?),
                }
            }
            Builtin::IsInstance => {
                let types: Vec<TokenStream> = args.get(1).map(type_refs).unwrap_or_default();
                quote!(#rt::Val::Bool(#rt::ops::isinstance(&#first, &[#(#types),*])))
            }
            Builtin::Print => quote!({
                let _ = [#(#argv),*];
                #rt::Val::None
            }),
        }
    }

    fn compare_chain(&self, cx: &mut FnCx, rest: &[(CmpOp, Expr)], n: usize, i: usize) -> TokenStream {
        let rt = RT();
        let Some(((op, right), tail)) = rest.split_first() else {
            return quote!(#rt::Val::Bool(true));
        };
        let l = format_ident!("__cmp{}_{}", n, i);
        let r = format_ident!("__cmp{}_{}", n, i + 1);
        // `x in d.keys()` (last in its chain): `x in d` when `d` is a
        // dict, without listing the keys.
        if let (CmpOp::In | CmpOp::NotIn, true, ExprKind::Call { callee: Callee::Method(recv, name), args, kwargs }) =
            (op, tail.is_empty(), &right.kind)
        {
            if name == "keys" && args.is_empty() && kwargs.is_empty() {
                let recv = self.operand(cx, recv);
                let test = quote!(#rt::ops::in_keys(#r, #l)?);
                let test = if matches!(op, CmpOp::In) { test } else { quote!(!#test) };
                return quote!({
                    let #r = #recv;
                    #rt::Val::Bool(#test)
                });
            }
        }
        let right = self.operand(cx, right);
        let test = match op {
            CmpOp::Eq => quote!(#rt::ops::eq(#l, #r)),
            CmpOp::NotEq => quote!(#rt::ops::ne(#l, #r)),
            CmpOp::In => quote!(#rt::ops::contains(#r, #l)?),
            CmpOp::NotIn => quote!(#rt::ops::not_contains(#r, #l)?),
            CmpOp::Is => quote!(#rt::ops::is(#l, #r)),
            CmpOp::IsNot => quote!(!#rt::ops::is(#l, #r)),
            CmpOp::Lt => quote!(#rt::ops::compare(#rt::ops::Order::Lt, #l, #r)?),
            CmpOp::Le => quote!(#rt::ops::compare(#rt::ops::Order::Le, #l, #r)?),
            CmpOp::Gt => quote!(#rt::ops::compare(#rt::ops::Order::Gt, #l, #r)?),
            CmpOp::Ge => quote!(#rt::ops::compare(#rt::ops::Order::Ge, #l, #r)?),
        };
        if tail.is_empty() {
            quote!({
                let #r = #right;
                #rt::Val::Bool(#test)
            })
        } else {
            let next = self.compare_chain(cx, tail, n, i + 1);
            quote!({
                let #r = #right;
                if #test { #next } else { #rt::Val::Bool(false) }
            })
        }
    }

    /// `a and b` / `a or b`: the value of the operand that decides.
    fn bool_chain(&self, cx: &mut FnCx, xs: &[Expr], is_and: bool) -> TokenStream {
        let rt = RT();
        match xs {
            [] => quote!(#rt::Val::None),
            [last] => self.expr(cx, last),
            [first, rest @ ..] => {
                let first = self.expr(cx, first);
                let rest = self.bool_chain(cx, rest, is_and);
                let test = if is_and { quote!(!#rt::ops::truthy(&__operand)) } else { quote!(#rt::ops::truthy(&__operand)) };
                quote!({
                    let __operand = #first;
                    if #test { __operand } else { #rest }
                })
            }
        }
    }
}

/// The `PyType`s named by an `isinstance` second argument.
fn type_refs(e: &Expr) -> Vec<TokenStream> {
    match &e.kind {
        ExprKind::TypeRef(t) => vec![py_type_tokens(*t)],
        ExprKind::Tuple(items) => items.iter().flat_map(type_refs).collect(),
        _ => Vec::new(),
    }
}

fn py_type_tokens(t: PyType) -> TokenStream {
    let rt = RT();
    match t {
        PyType::Str => quote!(#rt::ops::PyType::Str),
        PyType::Int => quote!(#rt::ops::PyType::Int),
        PyType::Float => quote!(#rt::ops::PyType::Float),
        PyType::Bool => quote!(#rt::ops::PyType::Bool),
        PyType::List => quote!(#rt::ops::PyType::List),
        PyType::Dict => quote!(#rt::ops::PyType::Dict),
        PyType::Set => quote!(#rt::ops::PyType::Set),
        PyType::Tuple => quote!(#rt::ops::PyType::Tuple),
        PyType::MagicMock => quote!(#rt::ops::PyType::MagicMock),
        PyType::Native(name) => quote!(#rt::ops::PyType::Native(#name)),
    }
}

/// `__value.get(key, default)` as statements ending in the value: a
/// literal default (`lazy`) is built only when the key is missing.
fn get_lookup(key: TokenStream, default: TokenStream, lazy: bool) -> TokenStream {
    let rt = RT();
    if lazy {
        quote! {
            match #rt::ops::get_opt(__value, &#key)? {
                ::core::option::Option::Some(__found) => __found,
                ::core::option::Option::None => #default,
            }
        }
    } else {
        quote! {
            let __default = #default;
            #rt::ops::get(__value, &#key, __default)?
        }
    }
}

/// Whether evaluating `e` has no effect and cannot raise: a scalar
/// literal, or a list, tuple, set or dict of them (scalars are hashable).
/// Such a `.get` default may be built only when it is used.
fn is_literal_value(e: &Expr) -> bool {
    let scalar = |e: &Expr| matches!(e.kind, ExprKind::Lit(_));
    match &e.kind {
        ExprKind::Lit(_) => true,
        ExprKind::List(xs) | ExprKind::Tuple(xs) | ExprKind::Set(xs) => xs.iter().all(scalar),
        ExprKind::Dict(entries) => entries.iter().all(|(k, v)| scalar(k) && scalar(v)),
        _ => false,
    }
}

fn binop_tokens(op: BinOp) -> TokenStream {
    let rt = RT();
    let v = format_ident!("{}", format!("{op:?}"));
    quote!(#rt::BinOp::#v)
}

fn const_literal(l: &Literal) -> TokenStream {
    let rt = RT();
    match l {
        Literal::None => quote!(#rt::Const::None),
        Literal::Bool(b) => quote!(#rt::Const::Bool(#b)),
        Literal::Int(i) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(#rt::Const::Int(#i))
        }
        Literal::Float(x) => {
            let x = float_tokens(*x);
            quote!(#rt::Const::Float(#x))
        }
        Literal::Str(s) => quote!(#rt::Const::Str(#s)),
        Literal::List(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(#rt::Const::List(&[#(#xs),*]))
        }
        Literal::Tuple(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(#rt::Const::Tuple(&[#(#xs),*]))
        }
        Literal::Set(xs) => {
            let xs = xs.iter().map(const_literal);
            quote!(#rt::Const::Set(&[#(#xs),*]))
        }
        Literal::Dict(entries) => {
            let entries = entries.iter().map(|(k, v)| {
                let (k, v) = (const_literal(k), const_literal(v));
                quote!((#k, #v))
            });
            quote!(#rt::Const::Dict(&[#(#entries),*]))
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

fn literal_val(l: &Literal) -> TokenStream {
    let rt = RT();
    match l {
        Literal::None => quote!(#rt::Val::None),
        Literal::Bool(b) => quote!(#rt::Val::Bool(#b)),
        Literal::Int(i) => {
            let i = Lit::i64_suffixed(*i);
            quote!(#rt::Val::Int(#i))
        }
        Literal::Float(x) => {
            let x = float_tokens(*x);
            quote!(#rt::Val::Float(#x))
        }
        Literal::Str(s) => quote!(#rt::Val::str(#s)),
        other => {
            let c = const_literal(other);
            quote!({
                static LIT: #rt::Const = #c;
                #rt::Val::from_const(&LIT)
            })
        }
    }
}

/// The tokens of the registry module (`generated/mod.rs`).
pub fn registry(modules: &[(String, String)]) -> TokenStream {
    let rt = RT();
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
        pub static POLICIES: &[&#rt::Policy] = &[#(#entries),*];
    }
}
