//! Evaluates a [`Program`] on a resource, over `pounce_runtime`'s values
//! and operators: every Python operation is the runtime function the
//! generated code calls, in the order the generated code calls it, so a
//! condition and the compiled policy agree (answers and exceptions alike).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, OnceLock};

use pounce_runtime::natives::{Entry, Item};
use pounce_runtime::ops::{self, Flow, Order, PyType};
use pounce_runtime::registry::{self, AnyResource};
use pounce_runtime::{resources, Const, Context, EvalError, ExcKind, PolicyError, PyResult, StructSchema, Val};

use super::ast::{
    Block, Body, Builtin, Callee, CmpOp, CompKind, Conversion, Def, Expr, FPart, Function, Generator, GlobalValue, Literal, Pattern, Program, Stmt,
    Target,
};


/// Evaluates `program` on a JSON resource as the compiled policy
/// `policy_id` over `resource_types` reads it: `Ok(true)` when the policy
/// alerts, `Ok(false)` when the resource complies, `Err` when the resource
/// cannot be read or the policy raises.
pub fn evaluate(
    program: &Program,
    policy_id: &str,
    resource_types: &[String],
    resource: &serde_json::Value,
    ctx: &dyn Context,
) -> Result<bool, EvalError> {
    let typed = read_resource(resource_types, resource)?;
    let root = match &typed {
        Some(r) => Val::Obj(r.as_object()),
        None => Val::from_json(resource),
    };
    let machine = Machine::new(program, policy_id, root, ctx);
    Ok(machine.run()?)
}

type ParseFn = fn(&serde_json::Value) -> Result<Box<dyn AnyResource>, String>;

macro_rules! parsers {
    ($($t:ident),* $(,)?) => {
        &[$((stringify!($t), registry::parse_json::<resources::$t> as ParseFn)),*]
    };
}

/// The reader of every resource struct, by its Rust name.
static PARSERS: &[(&str, ParseFn)] = parsers![
    AcmCertificate,
    CloudFormationStack,
    CloudTrail,
    CloudTrailMeta,
    CloudWatchLogGroup,
    ConfigRecorder,
    ConfigRecorderMeta,
    DynamoDbTable,
    Ami,
    Ec2Instance,
    NetworkAcl,
    SecurityGroup,
    Vpc,
    Ec2Volume,
    EcsCluster,
    EksCluster,
    ApplicationLoadBalancer,
    GuardDutyDetector,
    GuardDutyDetectorMeta,
    IamGroup,
    IamPolicy,
    IamRole,
    IamRootUser,
    IamUser,
    KmsKey,
    LambdaFunction,
    PasswordPolicy,
    RdsInstance,
    RedshiftCluster,
    Route53HostedZone,
    Route53Domain,
    S3Bucket,
    WafRegionalWebAcl,
    WafWebAcl,
];

/// Whether the interpreter can read resources of struct `schema`.
pub fn can_read(schema: &StructSchema) -> bool {
    PARSERS.iter().any(|(n, _)| *n == schema.name)
}

fn parse_as(schema: &StructSchema, value: &serde_json::Value) -> Result<Box<dyn AnyResource>, EvalError> {
    let parse = PARSERS
        .iter()
        .find(|(n, _)| *n == schema.name)
        .map(|(_, f)| *f)
        .ok_or_else(|| EvalError::Resource(format!("no reader for `{}`", schema.name)))?;
    parse(value).map_err(EvalError::Resource)
}

/// Reads the resource as the generated `from_json` does: one type, its
/// struct; several, the struct its `ResourceType` names (the first listed
/// otherwise); none, the JSON itself.
fn read_resource(resource_types: &[String], value: &serde_json::Value) -> Result<Option<Box<dyn AnyResource>>, EvalError> {
    let mut schemas: Vec<&'static StructSchema> = Vec::new();
    for rt in resource_types {
        let schema = resources::schema_for(rt).ok_or_else(|| EvalError::Resource(format!("unknown resource type `{rt}`")))?;
        if !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }
    match schemas.as_slice() {
        [] => Ok(None),
        [one] => parse_as(one, value).map(Some),
        several => {
            let named = value.get("ResourceType").and_then(|t| t.as_str());
            let schema = several.iter().find(|s| s.resource_type.is_some() && s.resource_type == named).or_else(|| several.first());
            match schema {
                Some(s) => parse_as(s, value).map(Some),
                None => Ok(None),
            }
        }
    }
}

/// Exception classes the language can raise, by name.
pub fn exception_name(name: &str) -> Option<&'static str> {
    const EXTRA: &[&str] =
        &["UnboundLocalError", "RecursionError", "FunctionReturnTypeError", "LookupError", "ArithmeticError", "RuntimeError", "NameError"];
    pounce_runtime::natives::ENTRIES
        .iter()
        .find_map(|e| match e.item {
            Item::Exception(n) if n == name => Some(n),
            _ => None,
        })
        .or_else(|| EXTRA.iter().copied().find(|n| *n == name))
}

/// A module constant for a literal, built once per process and kept: the
/// runtime's constants are `'static` and read-only, as the generated
/// code's `static` items are.
fn intern(l: &Literal) -> &'static Const {
    static TABLE: OnceLock<Mutex<BTreeMap<String, &'static Const>>> = OnceLock::new();
    fn build(l: &Literal) -> Const {
        match l {
            Literal::None => Const::None,
            Literal::Bool(b) => Const::Bool(*b),
            Literal::Int(i) => Const::Int(*i),
            Literal::Float(x) => Const::Float(*x),
            Literal::Str(s) => Const::Str(Box::leak(s.clone().into_boxed_str())),
            Literal::List(xs) => Const::List(Box::leak(xs.iter().map(build).collect::<Vec<_>>().into_boxed_slice())),
            Literal::Tuple(xs) => Const::Tuple(Box::leak(xs.iter().map(build).collect::<Vec<_>>().into_boxed_slice())),
            Literal::Set(xs) => Const::Set(Box::leak(xs.iter().map(build).collect::<Vec<_>>().into_boxed_slice())),
            Literal::Dict(es) => Const::Dict(Box::leak(es.iter().map(|(k, v)| (build(k), build(v))).collect::<Vec<_>>().into_boxed_slice())),
        }
    }
    // Keyed by the literal's text with its types (`1` and `1.0` differ).
    let key = format!("{l:?}");
    let table = TABLE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut guard = match table.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(c) = guard.get(&key) {
        return c;
    }
    let c: &'static Const = Box::leak(Box::new(build(l)));
    guard.insert(key, c);
    c
}

pub(crate) fn literal_val<'a>(l: &'a Literal) -> Val<'a> {
    match l {
        Literal::None => Val::None,
        Literal::Bool(b) => Val::Bool(*b),
        Literal::Int(i) => Val::Int(*i),
        Literal::Float(x) => Val::Float(*x),
        Literal::Str(s) => Val::str(s),
        container => Val::from_const(intern(container)),
    }
}

struct Machine<'a, 'c> {
    root: Val<'a>,
    ctx: &'c dyn Context,
    policy_id: &'a str,
    defs: &'a [Def],
    functions: BTreeMap<&'a str, &'a Function>,
    mockable: BTreeSet<&'a str>,
    /// Globals rebound by some function.
    rebound: BTreeSet<&'a str>,
    globals: RefCell<BTreeMap<&'a str, Val<'a>>>,
    condition: &'a Expr,
}

/// The variables visible to an expression.
#[derive(Default)]
struct Env<'a> {
    /// Lexical variables, innermost last.
    vars: Vec<(&'a str, Val<'a>)>,
    /// The locals of the running `def`, with the names it declares
    /// `global`.
    frame: Option<Frame<'a>>,
}

struct Frame<'a> {
    locals: Vec<(&'a str, Option<Val<'a>>)>,
    globals: &'a [String],
}

impl<'a> Env<'a> {
    fn lookup(&self, name: &str) -> Option<PyResult<Val<'a>>> {
        if let Some((_, v)) = self.vars.iter().rev().find(|(n, _)| *n == name) {
            return Some(Ok(v.clone()));
        }
        let frame = self.frame.as_ref()?;
        let (_, slot) = frame.locals.iter().find(|(n, _)| *n == name)?;
        Some(ops::local(slot, name))
    }
}

impl<'a, 'c> Machine<'a, 'c> {
    fn new(p: &'a Program, policy_id: &'a str, root: Val<'a>, ctx: &'c dyn Context) -> Self {
        let mut functions = BTreeMap::new();
        let mut mockable = BTreeSet::new();
        let mut rebound = BTreeSet::new();
        for d in &p.defs {
            match d {
                Def::Function(f) => {
                    functions.insert(f.name.as_str(), f);
                    if let Body::Block(b) = &f.body {
                        rebound.extend(b.globals.iter().map(String::as_str));
                    }
                }
                Def::Mockable(names) => mockable.extend(names.iter().map(String::as_str)),
                _ => {}
            }
        }
        Machine {
            root,
            ctx,
            policy_id,
            defs: &p.defs,
            functions,
            mockable,
            rebound,
            globals: RefCell::new(BTreeMap::new()),
            condition: &p.condition,
        }
    }

    fn mock(&self, name: &str) -> Option<Val<'a>> {
        if !self.mockable.contains(name) {
            return None;
        }
        self.ctx.mock(name).map(|m| Val::Mock(*m))
    }

    /// Sets up the module (as the generated `Module::new` does), then
    /// evaluates the condition.
    fn run(&self) -> PyResult<bool> {
        // Constants first; globals that are computed, rebound or mockable
        // are `None` until their definition runs.
        for d in self.defs {
            if let Def::Global { name, value } = d {
                let dynamic = matches!(value, GlobalValue::Expr(_)) || self.mockable.contains(name.as_str()) || self.rebound.contains(name.as_str());
                let v = match value {
                    GlobalValue::Literal(l) if !dynamic => literal_val(l),
                    _ => Val::None,
                };
                self.globals.borrow_mut().insert(name, v);
            }
        }
        for d in self.defs {
            if let Def::Global { name, value } = d {
                let dynamic = matches!(value, GlobalValue::Expr(_)) || self.mockable.contains(name.as_str()) || self.rebound.contains(name.as_str());
                if !dynamic {
                    continue;
                }
                let v = match self.mock(name) {
                    Some(m) => m,
                    None => match value {
                        GlobalValue::Literal(l) => literal_val(l),
                        GlobalValue::Expr(e) => self.expr(&mut Env::default(), e)?,
                    },
                };
                self.globals.borrow_mut().insert(name, v);
            }
        }
        let v = self.expr(&mut Env::default(), self.condition)?;
        Ok(ops::truthy(&v))
    }

    fn global(&self, name: &str) -> PyResult<Val<'a>> {
        self.globals.borrow().get(name).cloned().ok_or_else(|| PolicyError::new(ExcKind::Other("NameError"), format!("name '{name}' is not defined")))
    }

    fn set_global(&self, name: &'a str, v: Val<'a>) {
        self.globals.borrow_mut().insert(name, v);
    }

    fn call_function(&self, f: &'a Function, args: Vec<Val<'a>>) -> PyResult<Val<'a>> {
        // As the compiled code runs its functions that recurse: as deep as
        // CPython, `RecursionError` beyond, never a stack overflow.
        pounce_runtime::ops::recurse(|| match &f.body {
            Body::Expr(e) => {
                let mut env = Env { vars: f.params.iter().map(String::as_str).zip(args).collect(), frame: None };
                self.expr(&mut env, e)
            }
            Body::Block(b) => self.block(f, b, args),
        })
    }

    fn block(&self, f: &'a Function, b: &'a Block, args: Vec<Val<'a>>) -> PyResult<Val<'a>> {
        let mut assigned = BTreeSet::new();
        super::assigned_names(&b.stmts, &mut assigned);
        let mut locals: Vec<(&'a str, Option<Val<'a>>)> = f.params.iter().map(String::as_str).zip(args.into_iter().map(Some)).collect();
        for name in &assigned {
            if b.globals.contains(name) || f.params.contains(name) {
                continue;
            }
            if let Some(n) = find_name(&b.stmts, name) {
                locals.push((n, None));
            }
        }
        let mut env = Env { vars: Vec::new(), frame: Some(Frame { locals, globals: &b.globals }) };
        match self.stmts(&mut env, &b.stmts)? {
            Flow::Return(v) => Ok(v),
            Flow::Next | Flow::Break | Flow::Continue => Ok(Val::None),
        }
    }

    fn stmts(&self, env: &mut Env<'a>, stmts: &'a [Stmt]) -> PyResult<Flow<'a>> {
        for s in stmts {
            match self.stmt(env, s)? {
                Flow::Next => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Next)
    }

    fn stmt(&self, env: &mut Env<'a>, s: &'a Stmt) -> PyResult<Flow<'a>> {
        match s {
            Stmt::If { cond, then, orelse } => {
                let c = self.expr(env, cond)?;
                if ops::truthy(&c) {
                    self.stmts(env, then)
                } else {
                    self.stmts(env, orelse)
                }
            }
            Stmt::For { target, iter, body, orelse } => {
                let items = ops::iter(&self.expr(env, iter)?)?;
                for item in items {
                    self.assign(env, target, item)?;
                    match self.stmts(env, body)? {
                        Flow::Next | Flow::Continue => {}
                        Flow::Break => return Ok(Flow::Next),
                        ret @ Flow::Return(_) => return Ok(ret),
                    }
                }
                self.stmts(env, orelse)
            }
            Stmt::While { cond, body, orelse } => {
                loop {
                    let c = self.expr(env, cond)?;
                    if !ops::truthy(&c) {
                        break;
                    }
                    match self.stmts(env, body)? {
                        Flow::Next | Flow::Continue => {}
                        Flow::Break => return Ok(Flow::Next),
                        ret @ Flow::Return(_) => return Ok(ret),
                    }
                }
                self.stmts(env, orelse)
            }
            Stmt::Break => Ok(Flow::Break),
            Stmt::Continue => Ok(Flow::Continue),
            Stmt::Pass => Ok(Flow::Next),
            Stmt::Assign { targets, value } => {
                let v = self.expr(env, value)?;
                for t in targets {
                    self.assign(env, t, v.clone())?;
                }
                Ok(Flow::Next)
            }
            Stmt::AugAssign { target, op, value } => {
                match target {
                    Target::Subscript(obj, index) => {
                        let obj = self.expr(env, obj)?;
                        let index = self.expr(env, index)?;
                        let current = ops::subscript(&obj, &index)?;
                        let value = self.expr(env, value)?;
                        let new = ops::binop(*op, &current, &value)?;
                        ops::set_item(&obj, index, new)?;
                    }
                    other => {
                        let current = match other {
                            Target::Name(n) => self.read_name(env, n)?,
                            _ => Val::None,
                        };
                        let value = self.expr(env, value)?;
                        let new = ops::binop(*op, &current, &value)?;
                        self.assign(env, other, new)?;
                    }
                }
                Ok(Flow::Next)
            }
            Stmt::Try { body, handlers, orelse } => match self.stmts(env, body) {
                Ok(Flow::Next) => self.stmts(env, orelse),
                Ok(flow) => Ok(flow),
                Err(e) => {
                    for (types, hbody) in handlers {
                        let names: Vec<&str> = types.iter().map(String::as_str).collect();
                        if ops::exc_matches(&e, &names) {
                            return self.stmts(env, hbody);
                        }
                    }
                    Err(e)
                }
            },
            Stmt::Raise { exc, message } => {
                let m = message.as_ref().map(|m| self.expr(env, m)).transpose()?;
                Err(raise(exc, m.as_ref()))
            }
            Stmt::Return(e) => {
                let v = match e {
                    Some(e) => self.expr(env, e)?,
                    None => Val::None,
                };
                Ok(Flow::Return(v))
            }
            Stmt::Expr(e) => {
                self.expr(env, e)?;
                Ok(Flow::Next)
            }
        }
    }

    /// The current value of a name assigned by a statement (`x += 1`).
    fn read_name(&self, env: &Env<'a>, name: &str) -> PyResult<Val<'a>> {
        if let Some(frame) = &env.frame {
            if frame.globals.iter().any(|g| g == name) {
                return self.global(name);
            }
        }
        match env.lookup(name) {
            Some(v) => v,
            None => self.global(name),
        }
    }

    fn assign(&self, env: &mut Env<'a>, t: &'a Target, v: Val<'a>) -> PyResult<()> {
        match t {
            Target::Name(n) => {
                if let Some(frame) = &mut env.frame {
                    if frame.globals.iter().any(|g| g == n) {
                        self.set_global(n, v);
                        return Ok(());
                    }
                    if let Some((_, slot)) = frame.locals.iter_mut().find(|(name, _)| name == n) {
                        *slot = Some(v);
                        return Ok(());
                    }
                }
                env.vars.push((n, v));
                Ok(())
            }
            Target::Subscript(obj, index) => {
                let obj = self.expr(env, obj)?;
                let index = self.expr(env, index)?;
                ops::set_item(&obj, index, v)
            }
            Target::Tuple(items) => {
                let parts = unpack(&v, items.len())?;
                for (t, p) in items.iter().zip(parts) {
                    self.assign(env, t, p)?;
                }
                Ok(())
            }
        }
    }

    /// Binds a pattern in `env`; returns how many variables were pushed.
    fn bind(env: &mut Env<'a>, p: &'a Pattern, v: Val<'a>) -> PyResult<usize> {
        match p {
            Pattern::Name(n) => {
                env.vars.push((n, v));
                Ok(1)
            }
            Pattern::Tuple(items) => {
                let parts = unpack(&v, items.len())?;
                let mut n = 0;
                for (p, v) in items.iter().zip(parts) {
                    n += Self::bind(env, p, v)?;
                }
                Ok(n)
            }
        }
    }

    fn with_pattern<T>(&self, env: &mut Env<'a>, p: &'a Pattern, v: Val<'a>, f: impl FnOnce(&Self, &mut Env<'a>) -> PyResult<T>) -> PyResult<T> {
        let depth = env.vars.len();
        let out = match Self::bind(env, p, v) {
            Ok(_) => f(self, env),
            Err(e) => Err(e),
        };
        env.vars.truncate(depth);
        out
    }

    fn exprs(&self, env: &mut Env<'a>, xs: &'a [Expr]) -> PyResult<Vec<Val<'a>>> {
        xs.iter().map(|x| self.expr(env, x)).collect()
    }

    fn expr(&self, env: &mut Env<'a>, e: &'a Expr) -> PyResult<Val<'a>> {
        match e {
            Expr::Lit(l) => Ok(literal_val(l)),
            Expr::Root => Ok(self.root.clone()),
            Expr::Var(n) => match env.lookup(n) {
                Some(v) => v,
                None => self.global(n),
            },
            Expr::Global(n) => self.global(n),
            Expr::TypeRef(_) | Expr::NativeRef(_) => Ok(Val::None),
            Expr::Subscript(v, k) => {
                let v = self.expr(env, v)?;
                let k = self.expr(env, k)?;
                ops::subscript(&v, &k)
            }
            Expr::Get { value, key, default } => {
                let v = self.expr(env, value)?;
                let k = self.expr(env, key)?;
                let d = match default {
                    Some(d) => self.expr(env, d)?,
                    None => Val::None,
                };
                ops::get(&v, &k, d)
            }
            Expr::Attribute(v, name) => {
                let v = self.expr(env, v)?;
                ops::getattr(&v, name)
            }
            Expr::Call { callee, args, kwargs } => self.call(env, callee, args, kwargs),
            Expr::Compare { left, rest } => {
                let mut l = self.expr(env, left)?;
                for (op, right) in rest {
                    let r = self.expr(env, right)?;
                    if !compare(*op, &l, &r)? {
                        return Ok(Val::Bool(false));
                    }
                    l = r;
                }
                Ok(Val::Bool(true))
            }
            Expr::BinOp(op, l, r) => {
                let l = self.expr(env, l)?;
                let r = self.expr(env, r)?;
                ops::binop(*op, &l, &r)
            }
            Expr::Neg(x) => ops::neg(&self.expr(env, x)?),
            Expr::Not(x) => Ok(Val::Bool(!ops::truthy(&self.expr(env, x)?))),
            Expr::And(xs) | Expr::Or(xs) => {
                let is_and = matches!(e, Expr::And(_));
                let mut last = Val::None;
                for (i, x) in xs.iter().enumerate() {
                    last = self.expr(env, x)?;
                    if i + 1 < xs.len() && ops::truthy(&last) != is_and {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Expr::IfExp { test, body, orelse } => {
                if ops::truthy(&self.expr(env, test)?) {
                    self.expr(env, body)
                } else {
                    self.expr(env, orelse)
                }
            }
            Expr::List(xs) => Ok(Val::list(self.exprs(env, xs)?)),
            Expr::Tuple(xs) => Ok(Val::tuple(self.exprs(env, xs)?)),
            Expr::Set(xs) => ops::make_set(self.exprs(env, xs)?),
            Expr::Dict(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let k = self.expr(env, k)?;
                    let v = self.expr(env, v)?;
                    out.push((k, v));
                }
                ops::make_dict(out)
            }
            Expr::Comp { kind, elt, value, generators } => {
                // As the compiled code: elements are hashed as they are
                // produced (CPython's `SET_ADD`/`MAP_ADD`).
                let mut items = Vec::new();
                let mut set = pounce_runtime::PySet::default();
                let mut dict = pounce_runtime::PyDict::default();
                self.generators(env, generators, &mut |m, env| {
                    match (kind, value) {
                        (CompKind::Dict, Some(v)) => {
                            let k = m.expr(env, elt)?;
                            let v = m.expr(env, v)?;
                            ops::dict_add(&mut dict, k, v)?;
                        }
                        (CompKind::Set, _) => ops::set_add(&mut set, m.expr(env, elt)?)?,
                        _ => items.push(m.expr(env, elt)?),
                    }
                    Ok(false)
                })?;
                match kind {
                    CompKind::List | CompKind::Gen => Ok(Val::list(items)),
                    CompKind::Set => Ok(ops::set_value(set)),
                    CompKind::Dict => Ok(ops::dict_value(dict)),
                }
            }
            Expr::FString(parts) => {
                let mut text = String::new();
                for p in parts {
                    match p {
                        FPart::Lit(s) => text.push_str(s),
                        FPart::Expr(x, Conversion::Str) => text.push_str(&ops::to_str(&self.expr(env, x)?)),
                        FPart::Expr(x, Conversion::Repr) => text.push_str(&ops::repr(&self.expr(env, x)?)),
                    }
                }
                Ok(Val::string(text))
            }
            Expr::Lambda { .. } => Ok(Val::None),
            Expr::Let { pattern, value, body } => {
                let v = self.expr(env, value)?;
                self.with_pattern(env, pattern, v, |m, env| m.expr(env, body))
            }
            Expr::Raise { exc, message } => {
                let m = match message {
                    Some(m) => Some(self.expr(env, m)?),
                    None => None,
                };
                Err(raise(exc, m.as_ref()))
            }
        }
    }

    /// Runs nested `for` clauses; `body` returns `true` to stop early.
    /// Returns whether it stopped early.
    fn generators(
        &self,
        env: &mut Env<'a>,
        generators: &'a [Generator],
        body: &mut dyn FnMut(&Self, &mut Env<'a>) -> PyResult<bool>,
    ) -> PyResult<bool> {
        let Some((g, rest)) = generators.split_first() else { return body(self, env) };
        let items = ops::iter(&self.expr(env, &g.iter)?)?;
        for item in items {
            let stop = self.with_pattern(env, &g.target, item, |m, env| {
                for c in &g.ifs {
                    if !ops::truthy(&m.expr(env, c)?) {
                        return Ok(false);
                    }
                }
                m.generators(env, rest, body)
            })?;
            if stop {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn call(&self, env: &mut Env<'a>, callee: &'a Callee, args: &'a [Expr], kwargs: &'a [(String, Expr)]) -> PyResult<Val<'a>> {
        match callee {
            Callee::Builtin(b) => self.builtin(env, *b, args, kwargs),
            Callee::ExpectBool => {
                let v = match args.first() {
                    Some(a) => self.expr(env, a)?,
                    None => Val::None,
                };
                ops::expect_bool(&v, self.policy_id, "policy").map(Val::Bool)
            }
            Callee::Native(n) => {
                let argv = self.exprs(env, args)?;
                // A mock replaces the call before its keyword arguments
                // are evaluated, as in the generated code.
                if let Some(m) = self.mock(n.mock_name()) {
                    return ops::call_value(&m, &argv);
                }
                let mut kw: Vec<(&str, Val<'a>)> = Vec::with_capacity(kwargs.len());
                for (k, v) in kwargs {
                    kw.push((k.as_str(), self.expr(env, v)?));
                }
                call_native(n.entry, &argv, &kw, self.ctx)
            }
            Callee::Function(name) => {
                if let Some(m) = self.mock(name) {
                    return ops::call_value(&m, &[]);
                }
                let f = self
                    .functions
                    .get(name.as_str())
                    .copied()
                    .ok_or_else(|| PolicyError::new(ExcKind::Other("NameError"), format!("name '{name}' is not defined")))?;
                let argv = self.exprs(env, args)?;
                self.call_function(f, argv)
            }
            Callee::Method(recv, name) => {
                let recv = self.expr(env, recv)?;
                let argv = self.exprs(env, args)?;
                ops::call_method(&recv, name, &argv)
            }
            Callee::Value(f) => {
                let f = self.expr(env, f)?;
                let argv = self.exprs(env, args)?;
                ops::call_value(&f, &argv)
            }
        }
    }

    fn builtin(&self, env: &mut Env<'a>, b: Builtin, args: &'a [Expr], kwargs: &'a [(String, Expr)]) -> PyResult<Val<'a>> {
        // `any(gen)` / `all(gen)` stop at the deciding element.
        if let (Builtin::Any | Builtin::All, [Expr::Comp { kind: CompKind::Gen, elt, generators, .. }]) = (b, args) {
            let want = b == Builtin::Any;
            let stopped = self.generators(env, generators, &mut |m, env| Ok(ops::truthy(&m.expr(env, elt)?) == want))?;
            return Ok(Val::Bool(if want { stopped } else { !stopped }));
        }
        let argv = self.exprs(env, args)?;
        let first = argv.first().cloned().unwrap_or(Val::None);
        match b {
            Builtin::Len => Ok(Val::Int(ops::len(&first)?)),
            Builtin::Bool if args.is_empty() => Ok(Val::Bool(false)),
            Builtin::Bool => Ok(ops::bool_(&first)),
            Builtin::Str if args.is_empty() => Ok(Val::str("")),
            Builtin::Str => Ok(ops::str_(&first)),
            Builtin::Int if args.is_empty() => Ok(Val::Int(0)),
            Builtin::Int => ops::int_(&first),
            Builtin::Any => Ok(Val::Bool(ops::any(&first)?)),
            Builtin::All => Ok(Val::Bool(ops::all(&first)?)),
            Builtin::Set if args.is_empty() => ops::make_set(Vec::new()),
            Builtin::Set => ops::set(&first),
            Builtin::List if args.is_empty() => Ok(Val::list(Vec::new())),
            Builtin::List => ops::list(&first),
            Builtin::Tuple if args.is_empty() => Ok(Val::tuple(Vec::new())),
            Builtin::Tuple => ops::tuple(&first),
            Builtin::Dict if args.is_empty() => ops::make_dict(Vec::new()),
            Builtin::Dict => ops::dict(&first),
            Builtin::Sorted | Builtin::Min | Builtin::Max => {
                let key = kwargs.iter().find(|(k, _)| k == "key").map(|(_, v)| v);
                let reverse = match kwargs.iter().find(|(k, _)| k == "reverse") {
                    Some((_, v)) => ops::truthy(&self.expr(env, v)?),
                    None => false,
                };
                match b {
                    Builtin::Sorted => match key {
                        Some(Expr::Lambda { params, body }) => {
                            let param = params.first().map_or("_", String::as_str);
                            let captured: Vec<(&'a str, Val<'a>)> = env.vars.clone();
                            let frame_locals = env.frame.as_ref().map(|f| (f.locals.clone(), f.globals));
                            let keyf = |item: Val<'a>| -> PyResult<Val<'a>> {
                                let mut inner =
                                    Env { vars: captured.clone(), frame: frame_locals.clone().map(|(locals, globals)| Frame { locals, globals }) };
                                inner.vars.push((param, item));
                                self.expr(&mut inner, body)
                            };
                            ops::sorted(&first, Some(&keyf), reverse)
                        }
                        _ => ops::sorted(&first, None, reverse),
                    },
                    Builtin::Min => ops::min_max(&first, false),
                    _ => ops::min_max(&first, true),
                }
            }
            Builtin::IsInstance => {
                let types = args.get(1).map(type_refs).unwrap_or_default();
                Ok(Val::Bool(ops::isinstance(&first, &types)))
            }
            Builtin::Print => Ok(Val::None),
        }
    }
}

/// The first `&str` in `stmts` spelling `name` (to borrow local names
/// from the program rather than from a temporary set).
fn find_name<'a>(stmts: &'a [Stmt], name: &str) -> Option<&'a str> {
    fn target<'a>(t: &'a Target, name: &str) -> Option<&'a str> {
        match t {
            Target::Name(n) if n == name => Some(n),
            Target::Tuple(items) => items.iter().find_map(|i| target(i, name)),
            _ => None,
        }
    }
    for s in stmts {
        let found = match s {
            Stmt::Assign { targets, .. } => targets.iter().find_map(|t| target(t, name)),
            Stmt::AugAssign { target: t, .. } => target(t, name),
            Stmt::For { target: t, body, orelse, .. } => target(t, name).or_else(|| find_name(body, name)).or_else(|| find_name(orelse, name)),
            Stmt::If { then, orelse, .. } => find_name(then, name).or_else(|| find_name(orelse, name)),
            Stmt::While { body, orelse, .. } => find_name(body, name).or_else(|| find_name(orelse, name)),
            Stmt::Try { body, handlers, orelse } => {
                find_name(body, name).or_else(|| handlers.iter().find_map(|(_, b)| find_name(b, name))).or_else(|| find_name(orelse, name))
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn compare(op: CmpOp, l: &Val<'_>, r: &Val<'_>) -> PyResult<bool> {
    Ok(match op {
        CmpOp::Eq => ops::eq(l, r),
        CmpOp::NotEq => ops::ne(l, r),
        CmpOp::In => ops::contains(r, l)?,
        CmpOp::NotIn => ops::not_contains(r, l)?,
        CmpOp::Is => ops::is(l, r),
        CmpOp::IsNot => !ops::is(l, r),
        CmpOp::Lt => ops::compare(Order::Lt, l, r)?,
        CmpOp::Le => ops::compare(Order::Le, l, r)?,
        CmpOp::Gt => ops::compare(Order::Gt, l, r)?,
        CmpOp::Ge => ops::compare(Order::Ge, l, r)?,
    })
}

fn type_refs(e: &Expr) -> Vec<PyType> {
    match e {
        Expr::TypeRef(t) => vec![*t],
        Expr::Tuple(items) => items.iter().flat_map(type_refs).collect(),
        _ => Vec::new(),
    }
}

fn call_native<'a>(entry: &Entry, args: &[Val<'a>], kwargs: &[(&str, Val<'a>)], ctx: &dyn Context) -> PyResult<Val<'a>> {
    match entry.item {
        Item::Function(f) | Item::Type { ctor: Some(f), .. } => f(args, kwargs, ctx),
        _ => Err(PolicyError::type_error(format!("'{}' object is not callable", entry.name))),
    }
}

fn raise(exc: &str, message: Option<&Val<'_>>) -> PolicyError {
    match exception_name(exc) {
        Some(name) => ops::raise(name, message),
        None => ops::raise("Exception", message),
    }
}

/// `a, b = value` for a pattern of `n` names, with `ops::unpack`'s
/// messages.
fn unpack<'a>(v: &Val<'a>, n: usize) -> PyResult<Vec<Val<'a>>> {
    macro_rules! arms {
        ($($k:literal)*) => {
            match n {
                $($k => ops::unpack::<$k>(v).map(|a| a.to_vec()),)*
                _ => Err(PolicyError::new(ExcKind::Other("NotImplementedError"), format!("unpacking into {n} names is not supported"))),
            }
        };
    }
    arms!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
}
