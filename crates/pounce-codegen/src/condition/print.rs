//! Writes a [`Program`] as text, with the fewest parentheses that parse
//! back to the same tree.

use std::collections::BTreeSet;

use pounce_runtime::ops::PyType;
use pounce_runtime::BinOp;

use super::ast::{
    Block, Body, Callee, CmpOp, CompKind, Conversion, Def, Expr, FPart, Function, GlobalValue, Literal, Pattern, Program, Stmt, Target,
};
use super::{BUILTIN_TYPES, KEYWORDS};
use crate::ir::Builtin;

/// Precedence levels, loosest first.
const LOWEST: u8 = 0; // let, lambda, raise
const IFEXP: u8 = 1;
const OR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const CMP: u8 = 5;
const BITOR: u8 = 6;
const BITXOR: u8 = 7;
const BITAND: u8 = 8;
const ADD: u8 = 9;
const MUL: u8 = 10;
const UNARY: u8 = 11;
const POSTFIX: u8 = 12;
const ATOM: u8 = 13;

/// The text of `program`: the condition, then the `where` section.
pub fn program(p: &Program) -> String {
    let mut pr = Printer::new(p);
    let mut out = pr.expr(&p.condition, LOWEST);
    if !p.defs.is_empty() {
        out.push_str("\nwhere\n");
        for d in &p.defs {
            pr.def(d, &mut out);
        }
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

/// The text of the condition alone, for one expression of `program` (the
/// exclusions table prints parts of it).
pub fn expr_in(p: &Program, e: &Expr) -> String {
    Printer::new(p).expr(e, LOWEST)
}

/// The text of a literal.
pub fn literal(l: &Literal) -> String {
    match l {
        Literal::None => "None".to_owned(),
        Literal::Bool(true) => "True".to_owned(),
        Literal::Bool(false) => "False".to_owned(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(x) => float(*x),
        Literal::Str(s) => string(s),
        Literal::List(xs) => format!("[{}]", xs.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Literal::Tuple(xs) if xs.len() == 1 => format!("({},)", xs.iter().map(literal).collect::<String>()),
        Literal::Tuple(xs) => format!("({})", xs.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Literal::Set(xs) => format!("{{{}}}", xs.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Literal::Dict(entries) => {
            format!("{{{}}}", entries.iter().map(|(k, v)| format!("{}: {}", literal(k), literal(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

fn float(x: f64) -> String {
    if x.is_infinite() {
        return if x > 0.0 { "1e999".to_owned() } else { "-1e999".to_owned() };
    }
    pounce_runtime::ops::float_repr(x)
}

/// A double-quoted string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(s, &mut out, false);
    out.push('"');
    out
}

fn escape_into(s: &str, out: &mut String, fstring: bool) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '{' if fstring => out.push_str("{{"),
            '}' if fstring => out.push_str("}}"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
}

/// Whether `s` can be written as a bare name.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// The Python spelling of a builtin.
pub fn builtin_name(b: Builtin) -> &'static str {
    Builtin::NAMES.iter().copied().find(|n| Builtin::from_name(n) == Some(b)).unwrap_or("len")
}

pub(super) fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => BITOR,
        BinOp::Xor => BITXOR,
        BinOp::And => BITAND,
        BinOp::Add | BinOp::Sub => ADD,
        BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod => MUL,
    }
}

struct Printer {
    /// Names that are not resource fields when written bare: globals,
    /// functions, imports.
    module_names: BTreeSet<String>,
    /// Variables in scope, innermost last.
    vars: Vec<String>,
    /// Spellings of native types, by `PyType` name.
    type_spellings: Vec<(PyType, String)>,
}

impl Printer {
    fn new(p: &Program) -> Self {
        let mut module_names = BTreeSet::new();
        let mut type_spellings = Vec::new();
        for d in &p.defs {
            match d {
                Def::ImportModule { local, .. } => {
                    module_names.insert(local.clone());
                }
                Def::ImportName { local, module, name } => {
                    module_names.insert(local.clone());
                    if let Some(pounce_runtime::natives::Entry { item: pounce_runtime::natives::Item::Type { ty, .. }, .. }) =
                        pounce_runtime::natives::find(module, name)
                    {
                        type_spellings.push((*ty, local.clone()));
                    }
                }
                Def::Global { name, .. } => {
                    module_names.insert(name.clone());
                }
                Def::Function(f) => {
                    module_names.insert(f.name.clone());
                }
                Def::Mockable(_) => {}
            }
        }
        // Types reached through a module import (`import datetime`).
        for d in &p.defs {
            if let Def::ImportModule { module, local } = d {
                for e in pounce_runtime::natives::ENTRIES.iter().filter(|e| e.module == module) {
                    if let pounce_runtime::natives::Item::Type { ty, .. } = e.item {
                        if !type_spellings.iter().any(|(t, _)| *t == ty) {
                            type_spellings.push((ty, format!("{local}.{}", e.name)));
                        }
                    }
                }
            }
        }
        Printer { module_names, vars: Vec::new(), type_spellings }
    }

    /// Whether the bare name `name` would read as something other than a
    /// resource field.
    fn taken(&self, name: &str) -> bool {
        !is_identifier(name)
            || self.vars.iter().any(|v| v == name)
            || self.module_names.contains(name)
            || Builtin::from_name(name).is_some()
            || BUILTIN_TYPES.iter().any(|(n, _)| *n == name)
    }

    fn def(&mut self, d: &Def, out: &mut String) {
        match d {
            Def::ImportModule { module, local } => {
                if module.split('.').next() == Some(local.as_str()) && !module.contains('.') {
                    out.push_str(&format!("    import {module}\n"));
                } else {
                    out.push_str(&format!("    import {module} as {local}\n"));
                }
            }
            Def::ImportName { module, name, local } => {
                if name == local {
                    out.push_str(&format!("    from {module} import {name}\n"));
                } else {
                    out.push_str(&format!("    from {module} import {name} as {local}\n"));
                }
            }
            Def::Mockable(names) => out.push_str(&format!("    mockable {}\n", names.join(", "))),
            Def::Global { name, value } => {
                let text = match value {
                    GlobalValue::Literal(l) => literal(l),
                    GlobalValue::Expr(e) => self.expr(e, LOWEST),
                };
                out.push_str(&format!("    {name} = {text}\n"));
            }
            Def::Function(f) => self.function(f, out),
        }
    }

    fn function(&mut self, f: &Function, out: &mut String) {
        let depth = self.vars.len();
        self.vars.extend(f.params.iter().cloned());
        match &f.body {
            Body::Expr(e) => {
                let body = self.expr(e, LOWEST);
                out.push_str(&format!("    {}({}) = {body}\n", f.name, f.params.join(", ")));
            }
            Body::Block(b) => {
                out.push_str(&format!("    def {}({}):\n", f.name, f.params.join(", ")));
                self.block(b, out);
            }
        }
        self.vars.truncate(depth);
    }

    fn block(&mut self, b: &Block, out: &mut String) {
        let depth = self.vars.len();
        let mut locals = BTreeSet::new();
        super::assigned_names(&b.stmts, &mut locals);
        self.vars.extend(locals.into_iter().filter(|n| !b.globals.contains(n)));
        if !b.globals.is_empty() {
            out.push_str(&format!("        global {}\n", b.globals.join(", ")));
        }
        self.stmts(&b.stmts, 2, out);
        self.vars.truncate(depth);
    }

    fn stmts(&mut self, stmts: &[Stmt], indent: usize, out: &mut String) {
        if stmts.is_empty() {
            out.push_str(&format!("{}pass\n", "    ".repeat(indent)));
        }
        for s in stmts {
            self.stmt(s, indent, out);
        }
    }

    fn stmt(&mut self, s: &Stmt, indent: usize, out: &mut String) {
        let pad = "    ".repeat(indent);
        match s {
            Stmt::If { cond, then, orelse } => {
                let c = self.expr(cond, IFEXP);
                out.push_str(&format!("{pad}if {c}:\n"));
                self.stmts(then, indent + 1, out);
                self.orelse(orelse, indent, out);
            }
            Stmt::For { target, iter, body, orelse } => {
                let t = self.target(target, true);
                let i = self.expr(iter, IFEXP);
                out.push_str(&format!("{pad}for {t} in {i}:\n"));
                self.stmts(body, indent + 1, out);
                if !orelse.is_empty() {
                    out.push_str(&format!("{pad}else:\n"));
                    self.stmts(orelse, indent + 1, out);
                }
            }
            Stmt::While { cond, body, orelse } => {
                let c = self.expr(cond, IFEXP);
                out.push_str(&format!("{pad}while {c}:\n"));
                self.stmts(body, indent + 1, out);
                if !orelse.is_empty() {
                    out.push_str(&format!("{pad}else:\n"));
                    self.stmts(orelse, indent + 1, out);
                }
            }
            Stmt::Break => out.push_str(&format!("{pad}break\n")),
            Stmt::Continue => out.push_str(&format!("{pad}continue\n")),
            Stmt::Pass => out.push_str(&format!("{pad}pass\n")),
            Stmt::Assign { targets, value } => {
                let ts: Vec<String> = targets.iter().map(|t| self.target(t, true)).collect();
                let v = self.expr(value, LOWEST);
                out.push_str(&format!("{pad}{} = {v}\n", ts.join(" = ")));
            }
            Stmt::AugAssign { target, op, value } => {
                let t = self.target(target, true);
                let v = self.expr(value, LOWEST);
                out.push_str(&format!("{pad}{t} {}= {v}\n", op.symbol()));
            }
            Stmt::Try { body, handlers, orelse } => {
                out.push_str(&format!("{pad}try:\n"));
                self.stmts(body, indent + 1, out);
                for (types, hbody) in handlers {
                    match types.as_slice() {
                        [] => out.push_str(&format!("{pad}except:\n")),
                        [one] => out.push_str(&format!("{pad}except {one}:\n")),
                        many => out.push_str(&format!("{pad}except ({}):\n", many.join(", "))),
                    }
                    self.stmts(hbody, indent + 1, out);
                }
                if !orelse.is_empty() {
                    out.push_str(&format!("{pad}else:\n"));
                    self.stmts(orelse, indent + 1, out);
                }
            }
            Stmt::Raise { exc, message } => match message {
                Some(m) => {
                    let m = self.expr(m, LOWEST);
                    out.push_str(&format!("{pad}raise {exc}({m})\n"));
                }
                None => out.push_str(&format!("{pad}raise {exc}\n")),
            },
            Stmt::Return(None) => out.push_str(&format!("{pad}return\n")),
            Stmt::Return(Some(e)) => {
                let e = self.expr(e, LOWEST);
                out.push_str(&format!("{pad}return {e}\n"));
            }
            Stmt::Expr(e) => {
                let e = self.expr(e, IFEXP);
                out.push_str(&format!("{pad}{e}\n"));
            }
        }
    }

    fn orelse(&mut self, orelse: &[Stmt], indent: usize, out: &mut String) {
        let pad = "    ".repeat(indent);
        match orelse {
            [] => {}
            [Stmt::If { cond, then, orelse }] => {
                let c = self.expr(cond, IFEXP);
                out.push_str(&format!("{pad}elif {c}:\n"));
                self.stmts(then, indent + 1, out);
                self.orelse(orelse, indent, out);
            }
            other => {
                out.push_str(&format!("{pad}else:\n"));
                self.stmts(other, indent + 1, out);
            }
        }
    }

    fn target(&mut self, t: &Target, top: bool) -> String {
        match t {
            Target::Name(n) => n.clone(),
            Target::Subscript(v, i) => format!("{}[{}]", self.expr(v, POSTFIX), self.expr(i, LOWEST)),
            Target::Tuple(items) => {
                let inner: Vec<String> = items.iter().map(|x| self.target(x, false)).collect();
                if top && items.len() > 1 {
                    inner.join(", ")
                } else if items.len() == 1 {
                    format!("({},)", inner.join(""))
                } else {
                    format!("({})", inner.join(", "))
                }
            }
        }
    }

    fn pattern(p: &Pattern, top: bool) -> String {
        match p {
            Pattern::Name(n) => n.clone(),
            Pattern::Tuple(items) => {
                let inner: Vec<String> = items.iter().map(|x| Self::pattern(x, false)).collect();
                if top && items.len() > 1 {
                    inner.join(", ")
                } else if items.len() == 1 {
                    format!("({},)", inner.join(""))
                } else {
                    format!("({})", inner.join(", "))
                }
            }
        }
    }

    fn type_name(&self, t: PyType) -> String {
        if let Some((_, s)) = self.type_spellings.iter().find(|(x, _)| *x == t) {
            return s.clone();
        }
        match t {
            PyType::Str => "str",
            PyType::Int => "int",
            PyType::Float => "float",
            PyType::Bool => "bool",
            PyType::List => "list",
            PyType::Dict => "dict",
            PyType::Set => "set",
            PyType::Tuple => "tuple",
            PyType::MagicMock => "MagicMock",
            PyType::Native(n) => n,
        }
        .to_owned()
    }

    fn paren(text: String, prec: u8, min: u8) -> String {
        if prec < min {
            format!("({text})")
        } else {
            text
        }
    }

    /// The text of `e`, parenthesised when its precedence is below `min`.
    fn expr(&mut self, e: &Expr, min: u8) -> String {
        let (text, prec) = self.expr_prec(e);
        Self::paren(text, prec, min)
    }

    fn with_vars<T>(&mut self, names: &[&str], f: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.vars.len();
        self.vars.extend(names.iter().map(|n| (*n).to_owned()));
        let out = f(self);
        self.vars.truncate(depth);
        out
    }

    fn args(&mut self, args: &[Expr], kwargs: &[(String, Expr)]) -> String {
        if let ([gen @ Expr::Comp { kind: CompKind::Gen, .. }], []) = (args, kwargs) {
            let (text, _) = self.comp_inner(gen);
            return text;
        }
        let mut parts: Vec<String> = args.iter().map(|a| self.expr(a, LOWEST)).collect();
        parts.extend(kwargs.iter().map(|(k, v)| format!("{k}={}", self.expr(v, LOWEST))));
        parts.join(", ")
    }

    /// `elt for p in iter if c ...` (without brackets).
    fn comp_inner(&mut self, e: &Expr) -> (String, CompKind) {
        let Expr::Comp { kind, elt, value, generators } = e else { return (String::new(), CompKind::Gen) };
        let depth = self.vars.len();
        let mut clauses = String::new();
        for g in generators {
            let iter = self.expr(&g.iter, OR);
            self.vars.extend(g.target.names().into_iter().map(str::to_owned));
            clauses.push_str(&format!(" for {} in {iter}", Self::pattern(&g.target, true)));
            for c in &g.ifs {
                let c = self.expr(c, OR);
                clauses.push_str(&format!(" if {c}"));
            }
        }
        let head = match value {
            Some(v) => format!("{}: {}", self.expr(elt, IFEXP), self.expr(v, IFEXP)),
            None => self.expr(elt, IFEXP),
        };
        self.vars.truncate(depth);
        (format!("{head}{clauses}"), *kind)
    }

    fn field_key<'k>(&self, key: &'k Expr) -> Option<&'k str> {
        match key {
            Expr::Lit(Literal::Str(k)) if !self.taken(k) => Some(k),
            _ => None,
        }
    }

    fn expr_prec(&mut self, e: &Expr) -> (String, u8) {
        match e {
            Expr::Lit(l) => {
                let text = literal(l);
                let prec = if text.starts_with('-') { UNARY } else { ATOM };
                (text, prec)
            }
            Expr::Root => ("resource".to_owned(), ATOM),
            Expr::Var(n) | Expr::Global(n) => (n.clone(), ATOM),
            Expr::TypeRef(t) => (self.type_name(*t), ATOM),
            Expr::NativeRef(n) => (n.spelling.clone(), ATOM),
            Expr::Subscript(v, k) => {
                if let (Expr::Root, Some(name)) = (v.as_ref(), self.field_key(k)) {
                    return (name.to_owned(), ATOM);
                }
                (format!("{}[{}]", self.expr(v, POSTFIX), self.expr(k, LOWEST)), POSTFIX)
            }
            Expr::Get { value, key, default } => {
                if let (Expr::Root, Some(name)) = (value.as_ref(), self.field_key(key)) {
                    return match default {
                        None => (format!("{name}?"), POSTFIX),
                        Some(d) => (format!("{name}?({})", self.expr(d, LOWEST)), POSTFIX),
                    };
                }
                let recv = self.expr(value, POSTFIX);
                let key = self.expr(key, LOWEST);
                match default {
                    None => (format!("{recv}.get({key})"), POSTFIX),
                    Some(d) => (format!("{recv}.get({key}, {})", self.expr(d, LOWEST)), POSTFIX),
                }
            }
            Expr::Attribute(v, name) => (format!("{}.{name}", self.expr(v, POSTFIX)), POSTFIX),
            Expr::Call { callee, args, kwargs } => {
                let head = match callee {
                    Callee::Builtin(b) => builtin_name(*b).to_owned(),
                    Callee::ExpectBool => "expect_bool".to_owned(),
                    Callee::Native(n) => n.spelling.clone(),
                    Callee::Function(f) => f.clone(),
                    Callee::Method(r, m) => format!("{}.{m}", self.expr(r, POSTFIX)),
                    Callee::Value(v) => self.expr(v, POSTFIX),
                };
                (format!("{head}({})", self.args(args, kwargs)), POSTFIX)
            }
            Expr::Compare { left, rest } => {
                let mut text = self.expr(left, BITOR);
                for (op, r) in rest {
                    text.push_str(&format!(" {} {}", op.as_str(), self.expr(r, BITOR)));
                }
                (text, CMP)
            }
            Expr::BinOp(op, l, r) => {
                let p = binop_prec(*op);
                (format!("{} {} {}", self.expr(l, p), op.symbol(), self.expr(r, p + 1)), p)
            }
            Expr::Neg(x) => (format!("-{}", self.expr(x, UNARY)), UNARY),
            Expr::Not(x) => (format!("not {}", self.expr(x, NOT)), NOT),
            Expr::And(xs) => (xs.iter().map(|x| self.expr(x, NOT)).collect::<Vec<_>>().join(" and "), AND),
            Expr::Or(xs) => (xs.iter().map(|x| self.expr(x, AND)).collect::<Vec<_>>().join(" or "), OR),
            Expr::IfExp { test, body, orelse } => {
                let b = self.expr(body, OR);
                let t = self.expr(test, OR);
                let o = self.expr(orelse, IFEXP);
                (format!("{b} if {t} else {o}"), IFEXP)
            }
            Expr::List(xs) => (format!("[{}]", self.list(xs)), ATOM),
            Expr::Tuple(xs) if xs.len() == 1 => (format!("({},)", self.list(xs)), ATOM),
            Expr::Tuple(xs) => (format!("({})", self.list(xs)), ATOM),
            Expr::Set(xs) => (format!("{{{}}}", self.list(xs)), ATOM),
            Expr::Dict(entries) => {
                let parts: Vec<String> = entries.iter().map(|(k, v)| format!("{}: {}", self.expr(k, IFEXP), self.expr(v, IFEXP))).collect();
                (format!("{{{}}}", parts.join(", ")), ATOM)
            }
            Expr::Comp { .. } => {
                let (inner, kind) = self.comp_inner(e);
                let text = match kind {
                    CompKind::List => format!("[{inner}]"),
                    CompKind::Set | CompKind::Dict => format!("{{{inner}}}"),
                    CompKind::Gen => format!("({inner})"),
                };
                (text, ATOM)
            }
            Expr::FString(parts) => {
                let mut text = String::from("f\"");
                for p in parts {
                    match p {
                        FPart::Lit(s) => escape_into(s, &mut text, true),
                        FPart::Expr(x, conv) => {
                            let inner = self.expr(x, IFEXP);
                            // A space keeps `{{` (an escaped brace) from
                            // opening the expression of a set display.
                            let pad = if inner.starts_with('{') { " " } else { "" };
                            let conv = match conv {
                                Conversion::Str => "",
                                Conversion::Repr => "!r",
                            };
                            text.push_str(&format!("{{{pad}{inner}{conv}}}"));
                        }
                    }
                }
                text.push('"');
                (text, ATOM)
            }
            Expr::Lambda { params, body } => {
                let names: Vec<&str> = params.iter().map(String::as_str).collect();
                let body = self.with_vars(&names, |p| p.expr(body, LOWEST));
                (format!("lambda {}: {body}", params.join(", ")), LOWEST)
            }
            Expr::Let { pattern, value, body } => {
                let v = self.expr(value, BITOR);
                let names = pattern.names();
                let b = self.with_vars(&names, |p| p.expr(body, LOWEST));
                (format!("let {} = {v} in {b}", Self::pattern(pattern, true)), LOWEST)
            }
            Expr::Raise { exc, message } => match message {
                Some(m) => (format!("raise {exc}({})", self.expr(m, LOWEST)), LOWEST),
                None => (format!("raise {exc}"), LOWEST),
            },
        }
    }

    fn list(&mut self, xs: &[Expr]) -> String {
        xs.iter().map(|x| self.expr(x, IFEXP)).collect::<Vec<_>>().join(", ")
    }
}

/// `not` is written before `in`/`is` when negating them.
pub(super) fn negated(op: CmpOp) -> Option<CmpOp> {
    Some(match op {
        CmpOp::Eq => CmpOp::NotEq,
        CmpOp::NotEq => CmpOp::Eq,
        CmpOp::In => CmpOp::NotIn,
        CmpOp::NotIn => CmpOp::In,
        CmpOp::Is => CmpOp::IsNot,
        CmpOp::IsNot => CmpOp::Is,
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => return None,
    })
}
