//! Reads the text of a condition back into a [`Program`].
//!
//! Parsing is two steps: a precedence-climbing parser builds the tree with
//! every bare name as a variable, then [`resolve`] gives each name its
//! meaning, with the rules the compiler's `lower` stage uses for Python
//! (variables, then globals, functions, imports and builtins) and one more
//! at the end: a name that is none of those is a field of the resource.

use std::collections::{BTreeMap, BTreeSet};

use pounce_runtime::natives::{self, Entry, Item};
use pounce_runtime::BinOp;

use super::ast::{
    Block, Body, Callee, CmpOp, CompKind, Def, Expr, FPart, Function, Generator, GlobalValue, Literal, Native, Pattern, Program, Stmt, Target,
};
use super::lex::{lex, RawPart, Tok, Token};
use super::{ParseError, BUILTIN_TYPES};
use crate::ir::Builtin;

/// Parses the text of a condition (and its `where` section).
pub fn parse(text: &str) -> Result<Program, ParseError> {
    let tokens = lex(text, 0)?;
    let mut p = Parser { toks: tokens, pos: 0 };
    let condition = p.expr()?;
    let mut defs = Vec::new();
    p.skip_newlines();
    if p.eat_name("where") {
        p.eat_op(":");
        p.expect_newline()?;
        p.expect(&Tok::Indent, "an indented `where` section")?;
        while !p.at(&Tok::Dedent) && !p.at(&Tok::Eof) {
            defs.push(p.def()?);
        }
        p.eat(&Tok::Dedent);
    }
    p.skip_newlines();
    if !p.at(&Tok::Eof) {
        return Err(p.error("expected the end of the condition or `where`"));
    }
    resolve(Program { condition, defs })
}

/// Parses one expression (no `where` section), resolving names against
/// `scope`'s definitions.
pub fn parse_expr_in(text: &str, scope: &Program) -> Result<Expr, ParseError> {
    let tokens = lex(text, 0)?;
    let mut p = Parser { toks: tokens, pos: 0 };
    let e = p.expr()?;
    p.skip_newlines();
    if !p.at(&Tok::Eof) {
        return Err(p.error("expected the end of the expression"));
    }
    let module = ModuleScope::new(&scope.defs)?;
    Resolver { module: &module, vars: Vec::new(), frame: None }.expr(e)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

const PREC_BITOR: u8 = 6;

/// Positional and keyword arguments.
type Args = (Vec<Expr>, Vec<(String, Expr)>);

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.toks.get(self.pos).or_else(|| self.toks.last()).map_or(0, |t| t.at)
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        let found = match self.peek() {
            Tok::Name(n) => format!("`{n}`"),
            Tok::Int(i) => format!("`{i}`"),
            Tok::Float(x) => format!("`{x}`"),
            Tok::Str(_) | Tok::FStr(_) => "a string".to_owned(),
            Tok::Op(o) => format!("`{o}`"),
            Tok::Newline => "the end of the line".to_owned(),
            Tok::Indent => "an indent".to_owned(),
            Tok::Dedent => "a dedent".to_owned(),
            Tok::Eof => "the end of the text".to_owned(),
        };
        ParseError { at: self.offset(), message: format!("{}, found {found}", message.into()) }
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn at(&self, t: &Tok) -> bool {
        self.peek() == t
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn at_name(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == name)
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.at(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.at_op(op) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_name(&mut self, name: &str) -> bool {
        if self.at_name(name) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, t: &Tok, what: &str) -> Result<(), ParseError> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ParseError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{op}`")))
        }
    }

    fn expect_name_kw(&mut self, kw: &str) -> Result<(), ParseError> {
        if self.eat_name(kw) {
            Ok(())
        } else {
            Err(self.error(format!("expected `{kw}`")))
        }
    }

    fn expect_newline(&mut self) -> Result<(), ParseError> {
        if self.eat(&Tok::Newline) || self.at(&Tok::Eof) {
            Ok(())
        } else {
            Err(self.error("expected the end of the line"))
        }
    }

    fn skip_newlines(&mut self) {
        while self.eat(&Tok::Newline) {}
    }

    fn ident(&mut self) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Name(n) if !super::KEYWORDS.contains(&n.as_str()) => {
                self.pos += 1;
                Ok(n)
            }
            _ => Err(self.error("expected a name")),
        }
    }

    fn dotted(&mut self) -> Result<String, ParseError> {
        let mut s = self.ident()?;
        while self.eat_op(".") {
            s.push('.');
            s.push_str(&self.ident()?);
        }
        Ok(s)
    }

    // ----- definitions -------------------------------------------------

    fn def(&mut self) -> Result<Def, ParseError> {
        if self.eat_name("import") {
            let module = self.dotted()?;
            let local = if self.eat_name("as") { self.ident()? } else { module.clone() };
            self.expect_newline()?;
            return Ok(Def::ImportModule { module, local });
        }
        if self.eat_name("from") {
            let module = self.dotted()?;
            self.expect_name_kw("import")?;
            let name = self.ident()?;
            let local = if self.eat_name("as") { self.ident()? } else { name.clone() };
            self.expect_newline()?;
            return Ok(Def::ImportName { module, name, local });
        }
        if self.at_name("mockable") && matches!(self.peek_at(1), Tok::Name(_)) {
            self.pos += 1;
            let mut names = vec![self.ident()?];
            while self.eat_op(",") {
                names.push(self.ident()?);
            }
            self.expect_newline()?;
            return Ok(Def::Mockable(names));
        }
        if self.eat_name("def") {
            let name = self.ident()?;
            let params = self.params()?;
            self.expect_op(":")?;
            let stmts = self.suite()?;
            let mut globals = Vec::new();
            let stmts = take_globals(stmts, &mut globals);
            return Ok(Def::Function(Function { name, params, body: Body::Block(Block { globals, stmts }) }));
        }
        let name = self.ident()?;
        if self.at_op("(") {
            let params = self.params()?;
            self.expect_op("=")?;
            let body = self.expr()?;
            self.expect_newline()?;
            return Ok(Def::Function(Function { name, params, body: Body::Expr(body) }));
        }
        self.expect_op("=")?;
        let value = self.expr()?;
        self.expect_newline()?;
        let value = match literal_of(&value) {
            Some(l) => GlobalValue::Literal(l),
            None => GlobalValue::Expr(value),
        };
        Ok(Def::Global { name, value })
    }

    fn params(&mut self) -> Result<Vec<String>, ParseError> {
        self.expect_op("(")?;
        let mut params = Vec::new();
        while !self.at_op(")") {
            params.push(self.ident()?);
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok(params)
    }

    // ----- statements --------------------------------------------------

    fn suite(&mut self) -> Result<Vec<Stmt>, ParseError> {
        self.expect(&Tok::Newline, "the end of the line")?;
        self.expect(&Tok::Indent, "an indented block")?;
        let mut out = Vec::new();
        while !self.at(&Tok::Dedent) && !self.at(&Tok::Eof) {
            out.push(self.stmt()?);
        }
        self.eat(&Tok::Dedent);
        Ok(out)
    }

    fn stmt(&mut self) -> Result<Stmt, ParseError> {
        if self.eat_name("if") {
            return self.if_rest();
        }
        if self.eat_name("for") {
            let target = self.target_list()?;
            self.expect_name_kw("in")?;
            let iter = self.expr()?;
            self.expect_op(":")?;
            let body = self.suite()?;
            let orelse = self.else_suite()?;
            return Ok(Stmt::For { target, iter, body, orelse });
        }
        if self.eat_name("while") {
            let cond = self.expr()?;
            self.expect_op(":")?;
            let body = self.suite()?;
            let orelse = self.else_suite()?;
            return Ok(Stmt::While { cond, body, orelse });
        }
        if self.eat_name("try") {
            self.expect_op(":")?;
            let body = self.suite()?;
            let mut handlers = Vec::new();
            while self.eat_name("except") {
                let mut types = Vec::new();
                if self.eat_op("(") {
                    while !self.at_op(")") {
                        types.push(self.dotted()?);
                        if !self.eat_op(",") {
                            break;
                        }
                    }
                    self.expect_op(")")?;
                } else if !self.at_op(":") {
                    types.push(self.dotted()?);
                }
                self.expect_op(":")?;
                handlers.push((types, self.suite()?));
            }
            let orelse = self.else_suite()?;
            return Ok(Stmt::Try { body, handlers, orelse });
        }
        if self.eat_name("break") {
            self.expect_newline()?;
            return Ok(Stmt::Break);
        }
        if self.eat_name("continue") {
            self.expect_newline()?;
            return Ok(Stmt::Continue);
        }
        if self.eat_name("pass") {
            self.expect_newline()?;
            return Ok(Stmt::Pass);
        }
        if self.eat_name("return") {
            if self.at(&Tok::Newline) || self.at(&Tok::Eof) {
                self.expect_newline()?;
                return Ok(Stmt::Return(None));
            }
            let e = self.expr()?;
            self.expect_newline()?;
            return Ok(Stmt::Return(Some(e)));
        }
        if self.eat_name("raise") {
            let exc = self.dotted()?;
            let message = if self.eat_op("(") {
                let m = self.expr()?;
                self.expect_op(")")?;
                Some(m)
            } else {
                None
            };
            self.expect_newline()?;
            return Ok(Stmt::Raise { exc, message });
        }
        if self.eat_name("global") {
            let mut names = vec![self.ident()?];
            while self.eat_op(",") {
                names.push(self.ident()?);
            }
            self.expect_newline()?;
            return Ok(Stmt::Expr(Expr::Tuple(names.into_iter().map(|n| Expr::Var(format!("global {n}"))).collect())));
        }
        let first = self.testlist()?;
        if self.at_op("=") {
            let mut targets = vec![to_target(first).map_err(|m| self.error(m))?];
            let mut value;
            loop {
                self.expect_op("=")?;
                value = self.testlist()?;
                if !self.at_op("=") {
                    break;
                }
                targets.push(to_target(value.clone()).map_err(|m| self.error(m))?);
            }
            self.expect_newline()?;
            return Ok(Stmt::Assign { targets, value });
        }
        let aug = match self.peek() {
            Tok::Op(o) => match *o {
                "+=" => Some(BinOp::Add),
                "-=" => Some(BinOp::Sub),
                "*=" => Some(BinOp::Mul),
                "/=" => Some(BinOp::Div),
                "//=" => Some(BinOp::FloorDiv),
                "%=" => Some(BinOp::Mod),
                "&=" => Some(BinOp::And),
                "|=" => Some(BinOp::Or),
                "^=" => Some(BinOp::Xor),
                _ => None,
            },
            _ => None,
        };
        if let Some(op) = aug {
            self.pos += 1;
            let target = to_target(first).map_err(|m| self.error(m))?;
            let value = self.expr()?;
            self.expect_newline()?;
            return Ok(Stmt::AugAssign { target, op, value });
        }
        self.expect_newline()?;
        Ok(Stmt::Expr(first))
    }

    fn if_rest(&mut self) -> Result<Stmt, ParseError> {
        let cond = self.expr()?;
        self.expect_op(":")?;
        let then = self.suite()?;
        let orelse = if self.eat_name("elif") { vec![self.if_rest()?] } else { self.else_suite()? };
        Ok(Stmt::If { cond, then, orelse })
    }

    fn else_suite(&mut self) -> Result<Vec<Stmt>, ParseError> {
        if self.eat_name("else") {
            self.expect_op(":")?;
            self.suite()
        } else {
            Ok(Vec::new())
        }
    }

    /// `a, b` at statement level: a tuple without parentheses.
    fn testlist(&mut self) -> Result<Expr, ParseError> {
        let first = self.expr()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_op("=") || self.at(&Tok::Newline) {
                break;
            }
            items.push(self.expr()?);
        }
        Ok(Expr::Tuple(items))
    }

    /// The target of a `for` statement.
    fn target_list(&mut self) -> Result<Target, ParseError> {
        let first = self.target_atom()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_name("in") {
                break;
            }
            items.push(self.target_atom()?);
        }
        Ok(Target::Tuple(items))
    }

    fn target_atom(&mut self) -> Result<Target, ParseError> {
        if self.eat_op("(") {
            let t = self.target_list()?;
            self.expect_op(")")?;
            return Ok(match t {
                Target::Tuple(items) => Target::Tuple(items),
                one => one,
            });
        }
        let e = self.postfix()?;
        to_target(e).map_err(|m| self.error(m))
    }

    // ----- expressions -------------------------------------------------

    fn expr(&mut self) -> Result<Expr, ParseError> {
        if self.eat_name("lambda") {
            let mut params = Vec::new();
            while !self.at_op(":") {
                params.push(self.ident()?);
                if !self.eat_op(",") {
                    break;
                }
            }
            self.expect_op(":")?;
            let body = self.expr()?;
            return Ok(Expr::Lambda { params, body: Box::new(body) });
        }
        if self.eat_name("let") {
            let pattern = self.pattern_list()?;
            self.expect_op("=")?;
            let value = self.binary(PREC_BITOR)?;
            self.expect_name_kw("in")?;
            let body = self.expr()?;
            return Ok(Expr::Let { pattern, value: Box::new(value), body: Box::new(body) });
        }
        if self.eat_name("raise") {
            let exc = self.dotted()?;
            let message = if self.eat_op("(") {
                let m = self.expr()?;
                self.expect_op(")")?;
                Some(Box::new(m))
            } else {
                None
            };
            return Ok(Expr::Raise { exc, message });
        }
        self.ifexp()
    }

    fn ifexp(&mut self) -> Result<Expr, ParseError> {
        let body = self.or()?;
        if self.at_name("if") {
            self.pos += 1;
            let test = self.or()?;
            self.expect_name_kw("else")?;
            let orelse = self.expr_no_lowest()?;
            return Ok(Expr::IfExp { test: Box::new(test), body: Box::new(body), orelse: Box::new(orelse) });
        }
        Ok(body)
    }

    /// The `else` operand of a conditional expression: another conditional
    /// expression, or a `let`/`lambda`/`raise` that extends to the end.
    fn expr_no_lowest(&mut self) -> Result<Expr, ParseError> {
        if self.at_name("lambda") || self.at_name("let") || self.at_name("raise") {
            return self.expr();
        }
        self.ifexp()
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let first = self.and()?;
        if !self.at_name("or") {
            return Ok(first);
        }
        let mut xs = vec![first];
        while self.eat_name("or") {
            xs.push(self.and()?);
        }
        Ok(Expr::Or(xs))
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let first = self.not()?;
        if !self.at_name("and") {
            return Ok(first);
        }
        let mut xs = vec![first];
        while self.eat_name("and") {
            xs.push(self.not()?);
        }
        Ok(Expr::And(xs))
    }

    fn not(&mut self) -> Result<Expr, ParseError> {
        if self.eat_name("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn cmp_op(&mut self) -> Option<CmpOp> {
        let op = match self.peek() {
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::NotEq,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Le,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Ge,
            Tok::Name(n) if n == "in" => CmpOp::In,
            Tok::Name(n) if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") => {
                self.pos += 2;
                return Some(CmpOp::NotIn);
            }
            Tok::Name(n) if n == "is" => {
                if matches!(self.peek_at(1), Tok::Name(m) if m == "not") {
                    self.pos += 2;
                    return Some(CmpOp::IsNot);
                }
                CmpOp::Is
            }
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.binary(PREC_BITOR)?;
        let mut rest = Vec::new();
        while let Some(op) = self.cmp_op() {
            rest.push((op, self.binary(PREC_BITOR)?));
        }
        if rest.is_empty() {
            Ok(left)
        } else {
            Ok(Expr::Compare { left: Box::new(left), rest })
        }
    }

    fn binop_here(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Op("|") => BinOp::Or,
            Tok::Op("^") => BinOp::Xor,
            Tok::Op("&") => BinOp::And,
            Tok::Op("+") => BinOp::Add,
            Tok::Op("-") => BinOp::Sub,
            Tok::Op("*") => BinOp::Mul,
            Tok::Op("/") => BinOp::Div,
            Tok::Op("//") => BinOp::FloorDiv,
            Tok::Op("%") => BinOp::Mod,
            _ => return None,
        })
    }

    /// Binary operators at precedence `min` and tighter (left-associative).
    fn binary(&mut self, min: u8) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while let Some(op) = self.binop_here() {
            let prec = super::print::binop_prec(op);
            if prec < min {
                break;
            }
            self.pos += 1;
            let right = self.binary(prec + 1)?;
            left = Expr::BinOp(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_op("-") {
            let operand = self.unary()?;
            // A negated number literal is a literal, as the compiler reads it.
            return Ok(match operand {
                Expr::Lit(Literal::Int(i)) => match i.checked_neg() {
                    Some(n) => Expr::Lit(Literal::Int(n)),
                    None => Expr::Neg(Box::new(Expr::Lit(Literal::Int(i)))),
                },
                Expr::Lit(Literal::Float(x)) => Expr::Lit(Literal::Float(-x)),
                other => Expr::Neg(Box::new(other)),
            });
        }
        self.postfix()
    }

    fn postfix(&mut self) -> Result<Expr, ParseError> {
        let atom_is_name = matches!(self.peek(), Tok::Name(n) if !super::KEYWORDS.contains(&n.as_str()));
        let mut e = self.atom()?;
        if atom_is_name && self.at_op("?") {
            self.pos += 1;
            let Expr::Var(name) = e else { return Err(self.error("`?` follows a field name")) };
            let default = if self.eat_op("(") {
                let d = self.expr()?;
                self.expect_op(")")?;
                Some(Box::new(d))
            } else {
                None
            };
            e = Expr::Get { value: Box::new(Expr::Root), key: Box::new(Expr::Lit(Literal::Str(name))), default };
        }
        loop {
            if self.eat_op("(") {
                let (args, kwargs) = self.call_args()?;
                e = Expr::Call { callee: Callee::Value(Box::new(e)), args, kwargs };
            } else if self.eat_op("[") {
                let index = self.expr()?;
                self.expect_op("]")?;
                e = Expr::Subscript(Box::new(e), Box::new(index));
            } else if self.at_op(".") && matches!(self.peek_at(1), Tok::Name(_)) {
                self.pos += 1;
                let Tok::Name(name) = self.bump() else { return Err(self.error("expected a name")) };
                if self.eat_op("(") {
                    let (args, kwargs) = self.call_args()?;
                    e = if name == "get" && kwargs.is_empty() && (1..=2).contains(&args.len()) {
                        let mut args = args.into_iter();
                        let key = args.next().unwrap_or(Expr::Lit(Literal::None));
                        Expr::Get { value: Box::new(e), key: Box::new(key), default: args.next().map(Box::new) }
                    } else {
                        Expr::Call { callee: Callee::Method(Box::new(e), name), args, kwargs }
                    };
                } else {
                    e = Expr::Attribute(Box::new(e), name);
                }
            } else {
                return Ok(e);
            }
        }
    }

    fn call_args(&mut self) -> Result<Args, ParseError> {
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        while !self.at_op(")") {
            if matches!(self.peek(), Tok::Name(_)) && matches!(self.peek_at(1), Tok::Op("=")) {
                let name = self.ident()?;
                self.pos += 1;
                kwargs.push((name, self.expr()?));
            } else {
                let a = self.expr()?;
                if self.at_name("for") && args.is_empty() && kwargs.is_empty() {
                    let generators = self.generators()?;
                    args.push(Expr::Comp { kind: CompKind::Gen, elt: Box::new(a), value: None, generators });
                    break;
                }
                args.push(a);
            }
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_op(")")?;
        Ok((args, kwargs))
    }

    fn generators(&mut self) -> Result<Vec<Generator>, ParseError> {
        let mut out = Vec::new();
        while self.eat_name("for") {
            let target = self.pattern_list()?;
            self.expect_name_kw("in")?;
            let iter = self.or()?;
            let mut ifs = Vec::new();
            while self.at_name("if") {
                self.pos += 1;
                ifs.push(self.or()?);
            }
            out.push(Generator { target, iter, ifs });
        }
        Ok(out)
    }

    fn pattern_list(&mut self) -> Result<Pattern, ParseError> {
        let first = self.pattern_atom()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_name("in") || self.at_op("=") {
                break;
            }
            items.push(self.pattern_atom()?);
        }
        Ok(Pattern::Tuple(items))
    }

    fn pattern_atom(&mut self) -> Result<Pattern, ParseError> {
        if self.eat_op("(") {
            let first = self.pattern_atom()?;
            let mut items = vec![first];
            let mut tuple = false;
            while self.eat_op(",") {
                tuple = true;
                if self.at_op(")") {
                    break;
                }
                items.push(self.pattern_atom()?);
            }
            self.expect_op(")")?;
            return Ok(if tuple || items.len() != 1 {
                Pattern::Tuple(items)
            } else {
                items.into_iter().next().unwrap_or(Pattern::Tuple(Vec::new()))
            });
        }
        Ok(Pattern::Name(self.ident()?))
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let at = self.offset();
        match self.bump() {
            Tok::Name(n) => match n.as_str() {
                "None" => Ok(Expr::Lit(Literal::None)),
                "True" => Ok(Expr::Lit(Literal::Bool(true))),
                "False" => Ok(Expr::Lit(Literal::Bool(false))),
                kw if super::KEYWORDS.contains(&kw) && kw != "resource" => {
                    self.pos -= 1;
                    Err(self.error("expected an expression"))
                }
                _ => Ok(Expr::Var(n)),
            },
            Tok::Int(i) => Ok(Expr::Lit(Literal::Int(i))),
            Tok::Float(x) => Ok(Expr::Lit(Literal::Float(x))),
            Tok::Str(s) => Ok(Expr::Lit(Literal::Str(s))),
            Tok::FStr(parts) => {
                let mut out = Vec::new();
                for part in parts {
                    match part {
                        RawPart::Lit(s) => out.push(FPart::Lit(s)),
                        RawPart::Expr(src, offset, conv) => {
                            let toks = lex(&src, offset)?;
                            let mut sub = Parser { toks, pos: 0 };
                            let e = sub.expr()?;
                            sub.skip_newlines();
                            if !sub.at(&Tok::Eof) {
                                return Err(sub.error("expected `}` after the expression"));
                            }
                            out.push(FPart::Expr(e, conv));
                        }
                    }
                }
                Ok(Expr::FString(out))
            }
            Tok::Op("(") => {
                if self.eat_op(")") {
                    return Ok(Expr::Tuple(Vec::new()));
                }
                let first = self.expr()?;
                if self.at_name("for") {
                    let generators = self.generators()?;
                    self.expect_op(")")?;
                    return Ok(Expr::Comp { kind: CompKind::Gen, elt: Box::new(first), value: None, generators });
                }
                if self.eat_op(")") {
                    return Ok(first);
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.at_op(")") {
                        break;
                    }
                    items.push(self.expr()?);
                }
                self.expect_op(")")?;
                Ok(Expr::Tuple(items))
            }
            Tok::Op("[") => {
                if self.eat_op("]") {
                    return Ok(Expr::List(Vec::new()));
                }
                let first = self.expr()?;
                if self.at_name("for") {
                    let generators = self.generators()?;
                    self.expect_op("]")?;
                    return Ok(Expr::Comp { kind: CompKind::List, elt: Box::new(first), value: None, generators });
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.at_op("]") {
                        break;
                    }
                    items.push(self.expr()?);
                }
                self.expect_op("]")?;
                Ok(Expr::List(items))
            }
            Tok::Op("{") => {
                if self.eat_op("}") {
                    return Ok(Expr::Dict(Vec::new()));
                }
                let first = self.expr()?;
                if self.eat_op(":") {
                    let value = self.expr()?;
                    if self.at_name("for") {
                        let generators = self.generators()?;
                        self.expect_op("}")?;
                        return Ok(Expr::Comp { kind: CompKind::Dict, elt: Box::new(first), value: Some(Box::new(value)), generators });
                    }
                    let mut entries = vec![(first, value)];
                    while self.eat_op(",") {
                        if self.at_op("}") {
                            break;
                        }
                        let k = self.expr()?;
                        self.expect_op(":")?;
                        entries.push((k, self.expr()?));
                    }
                    self.expect_op("}")?;
                    return Ok(Expr::Dict(entries));
                }
                if self.at_name("for") {
                    let generators = self.generators()?;
                    self.expect_op("}")?;
                    return Ok(Expr::Comp { kind: CompKind::Set, elt: Box::new(first), value: None, generators });
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.at_op("}") {
                        break;
                    }
                    items.push(self.expr()?);
                }
                self.expect_op("}")?;
                Ok(Expr::Set(items))
            }
            _ => {
                self.pos -= 1;
                let _ = at;
                Err(self.error("expected an expression"))
            }
        }
    }
}

/// The assignment target an expression denotes.
fn to_target(e: Expr) -> Result<Target, String> {
    match e {
        Expr::Var(n) => Ok(Target::Name(n)),
        Expr::Subscript(v, i) => Ok(Target::Subscript(*v, *i)),
        Expr::Tuple(items) | Expr::List(items) => Ok(Target::Tuple(items.into_iter().map(to_target).collect::<Result<_, _>>()?)),
        _ => Err("this cannot be assigned to".to_owned()),
    }
}

/// Moves `global` declarations (parsed as marker statements) out of a
/// block, recursively.
fn take_globals(stmts: Vec<Stmt>, globals: &mut Vec<String>) -> Vec<Stmt> {
    let mut out = Vec::new();
    for s in stmts {
        match s {
            Stmt::Expr(Expr::Tuple(items)) if items.iter().all(|i| matches!(i, Expr::Var(n) if n.starts_with("global "))) && !items.is_empty() => {
                for i in items {
                    if let Expr::Var(n) = i {
                        let name = n.trim_start_matches("global ").to_owned();
                        if !globals.contains(&name) {
                            globals.push(name);
                        }
                    }
                }
            }
            Stmt::If { cond, then, orelse } => out.push(Stmt::If { cond, then: take_globals(then, globals), orelse: take_globals(orelse, globals) }),
            Stmt::For { target, iter, body, orelse } => {
                out.push(Stmt::For { target, iter, body: take_globals(body, globals), orelse: take_globals(orelse, globals) })
            }
            Stmt::While { cond, body, orelse } => {
                out.push(Stmt::While { cond, body: take_globals(body, globals), orelse: take_globals(orelse, globals) })
            }
            Stmt::Try { body, handlers, orelse } => out.push(Stmt::Try {
                body: take_globals(body, globals),
                handlers: handlers.into_iter().map(|(t, b)| (t, take_globals(b, globals))).collect(),
                orelse: take_globals(orelse, globals),
            }),
            other => out.push(other),
        }
    }
    out
}

/// The literal a module-level value is, by the compiler's rules: scalars,
/// and displays of literals (sets and dicts de-duplicated as CPython does;
/// an unhashable element leaves the display to run time).
pub fn literal_of(e: &Expr) -> Option<Literal> {
    fn hashable(l: &Literal) -> bool {
        !matches!(l, Literal::List(_) | Literal::Set(_) | Literal::Dict(_))
    }
    match e {
        Expr::Lit(l) => Some(l.clone()),
        Expr::List(xs) => Some(Literal::List(xs.iter().map(literal_of).collect::<Option<_>>()?)),
        Expr::Tuple(xs) => Some(Literal::Tuple(xs.iter().map(literal_of).collect::<Option<_>>()?)),
        Expr::Set(xs) => {
            let mut unique: Vec<Literal> = Vec::new();
            for x in xs {
                let l = literal_of(x)?;
                if !hashable(&l) {
                    return None;
                }
                if !unique.iter().any(|u| literal_eq(u, &l)) {
                    unique.push(l);
                }
            }
            Some(Literal::Set(unique))
        }
        Expr::Dict(entries) => {
            let mut out: Vec<(Literal, Literal)> = Vec::new();
            for (k, v) in entries {
                let k = literal_of(k)?;
                if !hashable(&k) {
                    return None;
                }
                let v = literal_of(v)?;
                match out.iter_mut().find(|(ek, _)| literal_eq(ek, &k)) {
                    Some(entry) => entry.1 = v,
                    None => out.push((k, v)),
                }
            }
            Some(Literal::Dict(out))
        }
        _ => None,
    }
}

fn literal_eq(a: &Literal, b: &Literal) -> bool {
    #[expect(clippy::cast_precision_loss, reason = "only used for literal de-duplication, as the compiler does")]
    fn num(l: &Literal) -> Option<f64> {
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

// ----- name resolution -----------------------------------------------------

#[derive(Debug, Clone)]
enum Binding {
    Module(String),
    Entry(&'static Entry),
}

struct ModuleScope {
    imports: BTreeMap<String, Binding>,
    globals: BTreeSet<String>,
    functions: BTreeMap<String, usize>,
}

impl ModuleScope {
    fn new(defs: &[Def]) -> Result<Self, ParseError> {
        let mut scope = ModuleScope { imports: BTreeMap::new(), globals: BTreeSet::new(), functions: BTreeMap::new() };
        let err = |m: String| ParseError { at: 0, message: m };
        for d in defs {
            match d {
                Def::ImportModule { module, local } => {
                    if !natives::has_module(module) {
                        return Err(err(format!("module `{module}` is not supported")));
                    }
                    scope.imports.insert(local.clone(), Binding::Module(module.clone()));
                }
                Def::ImportName { module, name, local } => {
                    let entry = natives::find(module, name).ok_or_else(|| err(format!("`{name}` of module `{module}` is not supported")))?;
                    scope.imports.insert(local.clone(), Binding::Entry(entry));
                }
                Def::Global { name, .. } => {
                    scope.globals.insert(name.clone());
                }
                Def::Function(f) => {
                    scope.functions.insert(f.name.clone(), f.params.len());
                }
                Def::Mockable(_) => {}
            }
        }
        Ok(scope)
    }
}

/// Gives every name of `p` its meaning.
fn resolve(p: Program) -> Result<Program, ParseError> {
    let module = ModuleScope::new(&p.defs)?;
    let mut r = Resolver { module: &module, vars: Vec::new(), frame: None };
    let condition = r.expr(p.condition)?;
    let mut defs = Vec::new();
    for d in p.defs {
        defs.push(match d {
            Def::Global { name, value: GlobalValue::Expr(e) } => Def::Global { name, value: GlobalValue::Expr(r.expr(e)?) },
            Def::Function(f) => Def::Function(r.function(f)?),
            other => other,
        });
    }
    Ok(Program { condition, defs })
}

struct Resolver<'m> {
    module: &'m ModuleScope,
    /// Lexical variables, innermost last.
    vars: Vec<String>,
    /// The parameters and locals of the `def` being resolved.
    frame: Option<BTreeSet<String>>,
}

fn err(message: String) -> ParseError {
    ParseError { at: 0, message }
}

impl Resolver<'_> {
    fn is_var(&self, name: &str) -> bool {
        self.vars.iter().any(|v| v == name) || self.frame.as_ref().is_some_and(|f| f.contains(name))
    }

    fn function(&mut self, f: Function) -> Result<Function, ParseError> {
        let body = match f.body {
            Body::Expr(e) => {
                let depth = self.vars.len();
                self.vars.extend(f.params.iter().cloned());
                let e = self.expr(e);
                self.vars.truncate(depth);
                Body::Expr(e?)
            }
            Body::Block(b) => {
                let mut names: BTreeSet<String> = f.params.iter().cloned().collect();
                let mut assigned = BTreeSet::new();
                super::assigned_names(&b.stmts, &mut assigned);
                names.extend(assigned.into_iter().filter(|n| !b.globals.contains(n)));
                let saved = self.frame.replace(names);
                let stmts = self.stmts(b.stmts);
                self.frame = saved;
                Body::Block(Block { globals: b.globals, stmts: stmts? })
            }
        };
        Ok(Function { name: f.name, params: f.params, body })
    }

    fn stmts(&mut self, stmts: Vec<Stmt>) -> Result<Vec<Stmt>, ParseError> {
        stmts.into_iter().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, s: Stmt) -> Result<Stmt, ParseError> {
        Ok(match s {
            Stmt::If { cond, then, orelse } => Stmt::If { cond: self.expr(cond)?, then: self.stmts(then)?, orelse: self.stmts(orelse)? },
            Stmt::For { target, iter, body, orelse } => {
                Stmt::For { target: self.target(target)?, iter: self.expr(iter)?, body: self.stmts(body)?, orelse: self.stmts(orelse)? }
            }
            Stmt::While { cond, body, orelse } => Stmt::While { cond: self.expr(cond)?, body: self.stmts(body)?, orelse: self.stmts(orelse)? },
            Stmt::Assign { targets, value } => {
                let value = self.expr(value)?;
                Stmt::Assign { targets: targets.into_iter().map(|t| self.target(t)).collect::<Result<_, _>>()?, value }
            }
            Stmt::AugAssign { target, op, value } => Stmt::AugAssign { target: self.target(target)?, op, value: self.expr(value)? },
            Stmt::Try { body, handlers, orelse } => Stmt::Try {
                body: self.stmts(body)?,
                handlers: handlers.into_iter().map(|(t, b)| Ok((self.exception_names(t)?, self.stmts(b)?))).collect::<Result<_, ParseError>>()?,
                orelse: self.stmts(orelse)?,
            },
            Stmt::Raise { exc, message } => {
                let exc = self.exception_names(vec![exc])?.into_iter().next().unwrap_or_default();
                Stmt::Raise { exc, message: message.map(|m| self.expr(m)).transpose()? }
            }
            Stmt::Return(e) => Stmt::Return(e.map(|e| self.expr(e)).transpose()?),
            Stmt::Expr(e) => Stmt::Expr(self.expr(e)?),
            s @ (Stmt::Break | Stmt::Continue | Stmt::Pass) => s,
        })
    }

    /// Exception classes as the runtime names them (`json.JSONDecodeError`
    /// is `JSONDecodeError`).
    fn exception_names(&self, names: Vec<String>) -> Result<Vec<String>, ParseError> {
        names
            .into_iter()
            .map(|n| {
                let (root, rest) = n.split_once('.').map_or((n.as_str(), None), |(a, b)| (a, Some(b)));
                let entry = match (self.module.imports.get(root), rest) {
                    (Some(Binding::Entry(e)), None) => Some(*e),
                    (Some(Binding::Module(m)), Some(rest)) => natives::find(m, rest),
                    (None, None) => natives::find("builtins", root),
                    _ => None,
                };
                match entry {
                    Some(Entry { item: Item::Exception(name), .. }) => Ok((*name).to_owned()),
                    _ if super::eval::exception_name(&n).is_some() => Ok(n.clone()),
                    _ => Err(err(format!("exception class `{n}` is not defined or not supported"))),
                }
            })
            .collect()
    }

    fn target(&mut self, t: Target) -> Result<Target, ParseError> {
        Ok(match t {
            Target::Name(n) => Target::Name(n),
            Target::Subscript(v, i) => Target::Subscript(self.expr(v)?, self.expr(i)?),
            Target::Tuple(items) => Target::Tuple(items.into_iter().map(|i| self.target(i)).collect::<Result<_, _>>()?),
        })
    }

    fn with_vars<T>(&mut self, names: Vec<String>, f: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.vars.len();
        self.vars.extend(names);
        let out = f(self);
        self.vars.truncate(depth);
        out
    }

    /// `a.b.c` when `a` is an import: the library entry it names.
    fn native_path(&self, e: &Expr) -> Option<Result<(&'static Entry, String), ParseError>> {
        fn path(e: &Expr, out: &mut Vec<String>) -> Option<String> {
            match e {
                Expr::Var(n) => Some(n.clone()),
                Expr::Attribute(v, a) => {
                    let root = path(v, out)?;
                    out.push(a.clone());
                    Some(root)
                }
                _ => None,
            }
        }
        let mut attrs = Vec::new();
        let root = path(e, &mut attrs)?;
        if self.is_var(&root) || self.module.globals.contains(&root) {
            return None;
        }
        let (module, prefix) = match self.module.imports.get(&root)? {
            Binding::Module(m) => (m.clone(), String::new()),
            Binding::Entry(entry) => (entry.module.to_owned(), entry.name.to_owned()),
        };
        let mut dotted = prefix;
        for a in &attrs {
            if !dotted.is_empty() {
                dotted.push('.');
            }
            dotted.push_str(a);
        }
        if dotted.is_empty() {
            return None;
        }
        let spelling = std::iter::once(root).chain(attrs.iter().cloned()).collect::<Vec<_>>().join(".");
        match natives::find(&module, &dotted) {
            Some(entry) => Some(Ok((entry, spelling))),
            None => {
                if let Some(first) = natives::find(&module, dotted.split('.').next().unwrap_or_default()) {
                    if !matches!(first.item, Item::Namespace) && attrs.len() <= 1 {
                        return None;
                    }
                }
                Some(Err(err(format!("`{module}.{dotted}` is not supported"))))
            }
        }
    }

    fn native_value(entry: &'static Entry, spelling: String) -> Expr {
        match entry.item {
            Item::Type { ty, .. } => Expr::TypeRef(ty),
            _ => Expr::NativeRef(Native { entry, spelling }),
        }
    }

    fn name(&self, n: String) -> Result<Expr, ParseError> {
        if self.is_var(&n) {
            return Ok(Expr::Var(n));
        }
        if self.module.globals.contains(&n) {
            return Ok(Expr::Global(n));
        }
        if self.module.functions.contains_key(&n) {
            return Err(err(format!("function `{n}` can only be called, not used as a value")));
        }
        match self.module.imports.get(&n) {
            Some(Binding::Entry(e)) => return Ok(Self::native_value(e, n)),
            Some(Binding::Module(m)) => return Err(err(format!("module `{m}` can only be used for its attributes"))),
            None => {}
        }
        if let Some((_, t)) = BUILTIN_TYPES.iter().find(|(name, _)| *name == n) {
            return Ok(Expr::TypeRef(*t));
        }
        if n == "resource" {
            return Ok(Expr::Root);
        }
        if Builtin::from_name(&n).is_some() || n == "expect_bool" {
            return Err(err(format!("function `{n}` can only be called, not used as a value")));
        }
        Ok(Expr::Subscript(Box::new(Expr::Root), Box::new(Expr::Lit(Literal::Str(n)))))
    }

    fn callee(&mut self, callee: Callee, nargs: usize) -> Result<Callee, ParseError> {
        Ok(match callee {
            Callee::Value(f) => match *f {
                Expr::Var(n) => {
                    if self.is_var(&n) {
                        Callee::Value(Box::new(Expr::Var(n)))
                    } else if self.module.globals.contains(&n) {
                        Callee::Value(Box::new(Expr::Global(n)))
                    } else if n == "expect_bool" {
                        Callee::ExpectBool
                    } else if let Some(&arity) = self.module.functions.get(&n) {
                        if arity != nargs {
                            return Err(err(format!("`{n}()` takes {arity} argument(s) but {nargs} were given")));
                        }
                        Callee::Function(n)
                    } else if let Some(binding) = self.module.imports.get(&n) {
                        match binding {
                            Binding::Entry(entry @ Entry { item: Item::Function(_) | Item::Type { ctor: Some(_), .. }, .. }) => {
                                Callee::Native(Native { entry, spelling: n })
                            }
                            _ => return Err(err(format!("`{n}` is not callable"))),
                        }
                    } else if let Some(b) = Builtin::from_name(&n) {
                        Callee::Builtin(b)
                    } else {
                        return Err(err(format!("function `{n}` is not defined")));
                    }
                }
                other => Callee::Value(Box::new(self.expr(other)?)),
            },
            Callee::Method(recv, m) => {
                let as_path = Expr::Attribute(recv.clone(), m.clone());
                match self.native_path(&as_path) {
                    Some(Ok((entry, spelling))) => match entry.item {
                        Item::Function(_) | Item::Type { ctor: Some(_), .. } => Callee::Native(Native { entry, spelling }),
                        _ => return Err(err(format!("calling `{spelling}` is not supported"))),
                    },
                    Some(Err(e)) => return Err(e),
                    None => Callee::Method(Box::new(self.expr(*recv)?), m),
                }
            }
            other => other,
        })
    }

    fn expr(&mut self, e: Expr) -> Result<Expr, ParseError> {
        Ok(match e {
            Expr::Var(n) => self.name(n)?,
            Expr::Attribute(v, a) => {
                let whole = Expr::Attribute(v.clone(), a.clone());
                match self.native_path(&whole) {
                    Some(Ok((entry, spelling))) => Self::native_value(entry, spelling),
                    Some(Err(e)) => return Err(e),
                    None => Expr::Attribute(Box::new(self.expr(*v)?), a),
                }
            }
            Expr::Call { callee, args, kwargs } => {
                let callee = self.callee(callee, args.len())?;
                let args = args.into_iter().map(|a| self.expr(a)).collect::<Result<_, _>>()?;
                let kwargs = kwargs.into_iter().map(|(k, v)| Ok((k, self.expr(v)?))).collect::<Result<_, ParseError>>()?;
                Expr::Call { callee, args, kwargs }
            }
            Expr::Subscript(v, i) => Expr::Subscript(Box::new(self.expr(*v)?), Box::new(self.expr(*i)?)),
            Expr::Get { value, key, default } => Expr::Get {
                value: Box::new(self.expr(*value)?),
                key: Box::new(self.expr(*key)?),
                default: default.map(|d| self.expr(*d).map(Box::new)).transpose()?,
            },
            Expr::Compare { left, rest } => Expr::Compare {
                left: Box::new(self.expr(*left)?),
                rest: rest.into_iter().map(|(op, r)| Ok((op, self.expr(r)?))).collect::<Result<_, ParseError>>()?,
            },
            Expr::BinOp(op, l, r) => Expr::BinOp(op, Box::new(self.expr(*l)?), Box::new(self.expr(*r)?)),
            Expr::Neg(x) => Expr::Neg(Box::new(self.expr(*x)?)),
            Expr::Not(x) => Expr::Not(Box::new(self.expr(*x)?)),
            Expr::And(xs) => Expr::And(self.exprs(xs)?),
            Expr::Or(xs) => Expr::Or(self.exprs(xs)?),
            Expr::IfExp { test, body, orelse } => {
                Expr::IfExp { test: Box::new(self.expr(*test)?), body: Box::new(self.expr(*body)?), orelse: Box::new(self.expr(*orelse)?) }
            }
            Expr::List(xs) => Expr::List(self.exprs(xs)?),
            Expr::Tuple(xs) => Expr::Tuple(self.exprs(xs)?),
            Expr::Set(xs) => Expr::Set(self.exprs(xs)?),
            Expr::Dict(entries) => {
                Expr::Dict(entries.into_iter().map(|(k, v)| Ok((self.expr(k)?, self.expr(v)?))).collect::<Result<_, ParseError>>()?)
            }
            Expr::Comp { kind, elt, value, generators } => {
                let depth = self.vars.len();
                let mut gens = Vec::new();
                let mut result = Ok(());
                for g in generators {
                    let iter = match self.expr(g.iter) {
                        Ok(i) => i,
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    };
                    self.vars.extend(g.target.names().into_iter().map(str::to_owned));
                    match self.exprs(g.ifs) {
                        Ok(ifs) => gens.push(Generator { target: g.target, iter, ifs }),
                        Err(e) => {
                            result = Err(e);
                            break;
                        }
                    }
                }
                let elt = result.and_then(|()| self.expr(*elt));
                let value = value.map(|v| self.expr(*v)).transpose();
                self.vars.truncate(depth);
                Expr::Comp { kind, elt: Box::new(elt?), value: value?.map(Box::new), generators: gens }
            }
            Expr::FString(parts) => Expr::FString(
                parts
                    .into_iter()
                    .map(|p| match p {
                        FPart::Expr(x, c) => Ok(FPart::Expr(self.expr(x)?, c)),
                        lit @ FPart::Lit(_) => Ok(lit),
                    })
                    .collect::<Result<_, ParseError>>()?,
            ),
            Expr::Lambda { params, body } => {
                let b = self.with_vars(params.clone(), |r| r.expr(*body))?;
                Expr::Lambda { params, body: Box::new(b) }
            }
            Expr::Let { pattern, value, body } => {
                let value = self.expr(*value)?;
                let names = pattern.names().into_iter().map(str::to_owned).collect();
                let body = self.with_vars(names, |r| r.expr(*body))?;
                Expr::Let { pattern, value: Box::new(value), body: Box::new(body) }
            }
            Expr::Raise { exc, message } => {
                let exc = self.exception_names(vec![exc])?.into_iter().next().unwrap_or_default();
                Expr::Raise { exc, message: message.map(|m| self.expr(*m).map(Box::new)).transpose()? }
            }
            e @ (Expr::Lit(_) | Expr::Root | Expr::Global(_) | Expr::TypeRef(_) | Expr::NativeRef(_)) => e,
        })
    }

    fn exprs(&mut self, xs: Vec<Expr>) -> Result<Vec<Expr>, ParseError> {
        xs.into_iter().map(|x| self.expr(x)).collect()
    }
}
