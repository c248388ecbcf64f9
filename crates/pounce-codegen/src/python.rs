//! Stage 2: parse the policy's Python file with a real Python parser.

use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::text_size::TextRange;
use rustpython_parser::{lexer, Mode, Parse, StringKind, Tok};

use crate::codes::Code;
use crate::diagnostic::{Diagnostic, SourceFile};

/// Parses `file` as a Python module, nested at most [`MAX_NESTING`]
/// levels deep.
pub fn parse(file: &SourceFile) -> Result<ast::Suite, Diagnostic> {
    // The parser builds any depth without recursing, but its syntax tree
    // is dropped recursively (also when a syntax error follows a deep
    // expression): look at the tokens first.
    if let Some(range) = too_deep_tokens(&file.text) {
        return Err(too_deep_diagnostic(file, range));
    }
    let suite = ast::Suite::parse(&file.text, &file.path).map_err(|e| {
        let offset = usize::from(e.offset);
        Diagnostic::new(Code::PythonSyntax, format!("invalid Python: {}", python_message(&e.error.to_string())))
            .at(file, offset..offset)
            .with_label("here")
    })?;
    if let Some(range) = too_deep(&suite) {
        return Err(too_deep_diagnostic(file, range));
    }
    Ok(suite)
}

fn too_deep_diagnostic(file: &SourceFile, range: TextRange) -> Diagnostic {
    Diagnostic::new(
        Code::PythonSyntax,
        format!("invalid Python: statements and expressions nested more than {MAX_NESTING} levels deep"),
    )
    .at(file, usize::from(range.start())..usize::from(range.end()))
    .with_label("too deep")
    .with_help("split the expression with local variables, or the function into helpers")
}

/// rustpython's message in our style: lowercase, no final period, tokens in
/// backticks ("invalid syntax. Got unexpected token Newline" becomes
/// "invalid syntax: unexpected token `Newline`").
fn python_message(raw: &str) -> String {
    let msg = raw.replace(". Got unexpected token ", ": unexpected token ").replace(". Got unexpected EOF", ": unexpected end of file");
    let msg = match msg.find("unexpected token ") {
        Some(i) => {
            let (head, token) = msg.split_at(i + "unexpected token ".len());
            format!("{head}`{}`", token.trim_end_matches('.'))
        }
        None => msg,
    };
    let mut out = msg.trim_end_matches('.').to_owned();
    if let Some(first) = out.get(..1) {
        out = first.to_lowercase() + out.get(1..).unwrap_or_default();
    }
    out
}

/// How deeply statements and expressions may nest in a policy module.
///
/// CPython accepts about a thousand levels of expressions (and 100 of
/// indentation). Here every stage after parsing recurses once per level
/// (lowering, type checking, emitting, then syn and prettyplease on the
/// generated Rust, several Rust levels per Python level), so a deep enough
/// module overflowed the stack (issue #8, fuzzing). The limit keeps the
/// whole pipeline within a test thread's 2 MiB stack in an unoptimised
/// build, where the costliest construct, nested comprehensions, overflows
/// at about 42 levels (`tests::the_deepest_modules_compile` checks it).
/// The deepest of panther-analysis's policies and helpers nests 14 levels;
/// past this limit a module is a syntax error, as CPython reports "too
/// many nested parentheses".
pub const MAX_NESTING: usize = 32;

/// The bound on [`token_depth`] past which a module is not parsed: far
/// above [`MAX_NESTING`] (the bound overestimates), far below the depth
/// whose drop overflows a 2 MiB stack (about 20,000 levels unoptimised).
const MAX_TOKEN_DEPTH: usize = 1000;

/// The token at which [`token_depth`] first exceeds [`MAX_TOKEN_DEPTH`].
fn too_deep_tokens(source: &str) -> Option<TextRange> {
    token_depth(source, MAX_TOKEN_DEPTH).err()
}

/// The greatest depth the syntax tree of `source` can have, bounded from
/// its tokens, or the token at which it exceeds `limit`. `Ok(0)` when the
/// source does not lex (the parser reports why).
///
/// A level of the tree needs a token of its own at the same bracket depth
/// (an operator, `.`, `not`, `lambda`, `if`/`else`, an opening bracket of
/// a call or subscript), a bracket, or an indent; the operands of flat
/// nodes (separated by `,`, `and`, `or` and comparisons) are siblings. So
/// the bound is the indentation, plus for each open bracket two levels and
/// the counted tokens of its current operand. An f-string's expressions
/// are parsed from its text: its brackets, operators and keywords count.
fn token_depth(source: &str, limit: usize) -> Result<usize, TextRange> {
    let mut indent = 0usize;
    // Counted tokens of the current operand, per open bracket (the first:
    // outside any bracket), and their sum.
    let mut operands: Vec<usize> = vec![0];
    let mut counted = 0usize;
    let mut deepest = 0;
    for token in lexer::lex(source, Mode::Module) {
        let Ok((token, range)) = token else { return Ok(0) };
        let mut count = |n: usize, operands: &mut Vec<usize>| {
            if let Some(top) = operands.last_mut() {
                *top += n;
                counted += n;
            }
        };
        match token {
            Tok::Indent => indent += 1,
            Tok::Dedent => indent = indent.saturating_sub(1),
            Tok::Newline | Tok::Semi => {
                operands.clear();
                operands.push(0);
                counted = 0;
            }
            Tok::Lpar | Tok::Lsqb | Tok::Lbrace => {
                count(1, &mut operands);
                operands.push(0);
            }
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace => {
                if operands.len() > 1 {
                    counted -= operands.pop().unwrap_or_default();
                }
            }
            Tok::Comma
            | Tok::And
            | Tok::Or
            | Tok::EqEqual
            | Tok::NotEqual
            | Tok::Less
            | Tok::LessEqual
            | Tok::Greater
            | Tok::GreaterEqual
            | Tok::Is
            | Tok::In => {
                if let Some(top) = operands.last_mut() {
                    counted -= *top;
                    *top = 0;
                }
            }
            Tok::String { value, kind: StringKind::FString | StringKind::RawFString, .. } => {
                let punctuation = value.bytes().filter(|b| b"()[]{}.+-*/%@&|^~<>=:!".contains(b)).count();
                let keywords = value
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .filter(|w| matches!(*w, "not" | "lambda" | "if" | "else" | "await" | "yield"))
                    .count();
                count(punctuation + keywords, &mut operands);
            }
            Tok::Name { .. }
            | Tok::Int { .. }
            | Tok::Float { .. }
            | Tok::Complex { .. }
            | Tok::String { .. }
            | Tok::True
            | Tok::False
            | Tok::None
            | Tok::Ellipsis
            | Tok::EndOfFile => {}
            _ => count(1, &mut operands),
        }
        let depth = indent + 2 * operands.len() + counted;
        if depth > limit {
            return Err(range);
        }
        deepest = deepest.max(depth);
    }
    Ok(deepest)
}

/// The first statement or expression nested more than [`MAX_NESTING`]
/// levels deep, if any. The walk itself stops at that depth.
fn too_deep(suite: &ast::Suite) -> Option<TextRange> {
    let mut walk = Nesting { found: None };
    walk.stmts(suite, 0);
    walk.found
}

struct Nesting {
    found: Option<TextRange>,
}

impl Nesting {
    /// Whether to stop at a node `depth` levels deep (reporting it when it
    /// is the first one too deep).
    fn stop(&mut self, depth: usize, range: TextRange) -> bool {
        if self.found.is_none() && depth > MAX_NESTING {
            self.found = Some(range);
        }
        self.found.is_some()
    }

    fn stmts(&mut self, stmts: &[ast::Stmt], depth: usize) {
        for s in stmts {
            self.stmt(s, depth);
        }
    }

    fn exprs(&mut self, exprs: &[ast::Expr], depth: usize) {
        for e in exprs {
            self.expr(e, depth);
        }
    }

    fn opt(&mut self, e: Option<&ast::Expr>, depth: usize) {
        if let Some(e) = e {
            self.expr(e, depth);
        }
    }

    fn stmt(&mut self, s: &ast::Stmt, depth: usize) {
        use ast::Stmt as S;
        if self.stop(depth, s.range()) {
            return;
        }
        let d = depth + 1;
        match s {
            S::FunctionDef(f) => {
                self.arguments(&f.args, d);
                self.exprs(&f.decorator_list, d);
                self.opt(f.returns.as_deref(), d);
                self.type_params(&f.type_params, d);
                self.stmts(&f.body, d);
            }
            S::AsyncFunctionDef(f) => {
                self.arguments(&f.args, d);
                self.exprs(&f.decorator_list, d);
                self.opt(f.returns.as_deref(), d);
                self.type_params(&f.type_params, d);
                self.stmts(&f.body, d);
            }
            S::ClassDef(c) => {
                self.exprs(&c.bases, d);
                self.keywords(&c.keywords, d);
                self.exprs(&c.decorator_list, d);
                self.type_params(&c.type_params, d);
                self.stmts(&c.body, d);
            }
            S::Return(r) => self.opt(r.value.as_deref(), d),
            S::Delete(x) => self.exprs(&x.targets, d),
            S::Assign(a) => {
                self.exprs(&a.targets, d);
                self.expr(&a.value, d);
            }
            S::TypeAlias(t) => {
                self.expr(&t.name, d);
                self.type_params(&t.type_params, d);
                self.expr(&t.value, d);
            }
            S::AugAssign(a) => {
                self.expr(&a.target, d);
                self.expr(&a.value, d);
            }
            S::AnnAssign(a) => {
                self.expr(&a.target, d);
                self.expr(&a.annotation, d);
                self.opt(a.value.as_deref(), d);
            }
            S::For(f) => {
                self.expr(&f.target, d);
                self.expr(&f.iter, d);
                self.stmts(&f.body, d);
                self.stmts(&f.orelse, d);
            }
            S::AsyncFor(f) => {
                self.expr(&f.target, d);
                self.expr(&f.iter, d);
                self.stmts(&f.body, d);
                self.stmts(&f.orelse, d);
            }
            S::While(w) => {
                self.expr(&w.test, d);
                self.stmts(&w.body, d);
                self.stmts(&w.orelse, d);
            }
            S::If(i) => {
                self.expr(&i.test, d);
                self.stmts(&i.body, d);
                self.stmts(&i.orelse, d);
            }
            S::With(w) => {
                self.with_items(&w.items, d);
                self.stmts(&w.body, d);
            }
            S::AsyncWith(w) => {
                self.with_items(&w.items, d);
                self.stmts(&w.body, d);
            }
            S::Match(m) => {
                self.expr(&m.subject, d);
                for case in &m.cases {
                    self.pattern(&case.pattern, d);
                    self.opt(case.guard.as_deref(), d);
                    self.stmts(&case.body, d);
                }
            }
            S::Raise(r) => {
                self.opt(r.exc.as_deref(), d);
                self.opt(r.cause.as_deref(), d);
            }
            S::Try(t) => {
                self.stmts(&t.body, d);
                self.handlers(&t.handlers, d);
                self.stmts(&t.orelse, d);
                self.stmts(&t.finalbody, d);
            }
            S::TryStar(t) => {
                self.stmts(&t.body, d);
                self.handlers(&t.handlers, d);
                self.stmts(&t.orelse, d);
                self.stmts(&t.finalbody, d);
            }
            S::Assert(a) => {
                self.expr(&a.test, d);
                self.opt(a.msg.as_deref(), d);
            }
            S::Expr(e) => self.expr(&e.value, d),
            S::Import(_) | S::ImportFrom(_) | S::Global(_) | S::Nonlocal(_) | S::Pass(_) | S::Break(_) | S::Continue(_) => {}
        }
    }

    fn expr(&mut self, e: &ast::Expr, depth: usize) {
        use ast::Expr as E;
        if self.stop(depth, e.range()) {
            return;
        }
        let d = depth + 1;
        match e {
            E::BoolOp(b) => self.exprs(&b.values, d),
            E::NamedExpr(n) => {
                self.expr(&n.target, d);
                self.expr(&n.value, d);
            }
            E::BinOp(b) => {
                self.expr(&b.left, d);
                self.expr(&b.right, d);
            }
            E::UnaryOp(u) => self.expr(&u.operand, d),
            E::Lambda(l) => {
                self.arguments(&l.args, d);
                self.expr(&l.body, d);
            }
            E::IfExp(i) => {
                self.expr(&i.test, d);
                self.expr(&i.body, d);
                self.expr(&i.orelse, d);
            }
            E::Dict(x) => {
                for k in x.keys.iter().flatten() {
                    self.expr(k, d);
                }
                self.exprs(&x.values, d);
            }
            E::Set(s) => self.exprs(&s.elts, d),
            E::ListComp(c) => {
                self.expr(&c.elt, d);
                self.comprehensions(&c.generators, d);
            }
            E::SetComp(c) => {
                self.expr(&c.elt, d);
                self.comprehensions(&c.generators, d);
            }
            E::DictComp(c) => {
                self.expr(&c.key, d);
                self.expr(&c.value, d);
                self.comprehensions(&c.generators, d);
            }
            E::GeneratorExp(c) => {
                self.expr(&c.elt, d);
                self.comprehensions(&c.generators, d);
            }
            E::Await(a) => self.expr(&a.value, d),
            E::Yield(y) => self.opt(y.value.as_deref(), d),
            E::YieldFrom(y) => self.expr(&y.value, d),
            E::Compare(c) => {
                self.expr(&c.left, d);
                self.exprs(&c.comparators, d);
            }
            E::Call(c) => {
                self.expr(&c.func, d);
                self.exprs(&c.args, d);
                self.keywords(&c.keywords, d);
            }
            E::FormattedValue(f) => {
                self.expr(&f.value, d);
                self.opt(f.format_spec.as_deref(), d);
            }
            E::JoinedStr(j) => self.exprs(&j.values, d),
            E::Attribute(a) => self.expr(&a.value, d),
            E::Subscript(s) => {
                self.expr(&s.value, d);
                self.expr(&s.slice, d);
            }
            E::Starred(s) => self.expr(&s.value, d),
            E::List(l) => self.exprs(&l.elts, d),
            E::Tuple(t) => self.exprs(&t.elts, d),
            E::Slice(s) => {
                self.opt(s.lower.as_deref(), d);
                self.opt(s.upper.as_deref(), d);
                self.opt(s.step.as_deref(), d);
            }
            E::Constant(_) | E::Name(_) => {}
        }
    }

    fn arguments(&mut self, a: &ast::Arguments, depth: usize) {
        for arg in a.posonlyargs.iter().chain(&a.args).chain(&a.kwonlyargs) {
            self.opt(arg.def.annotation.as_deref(), depth);
            self.opt(arg.default.as_deref(), depth);
        }
        for arg in a.vararg.iter().chain(&a.kwarg) {
            self.opt(arg.annotation.as_deref(), depth);
        }
    }

    fn keywords(&mut self, keywords: &[ast::Keyword], depth: usize) {
        for k in keywords {
            self.expr(&k.value, depth);
        }
    }

    fn comprehensions(&mut self, generators: &[ast::Comprehension], depth: usize) {
        for g in generators {
            self.expr(&g.target, depth);
            self.expr(&g.iter, depth);
            self.exprs(&g.ifs, depth);
        }
    }

    fn with_items(&mut self, items: &[ast::WithItem], depth: usize) {
        for item in items {
            self.expr(&item.context_expr, depth);
            self.opt(item.optional_vars.as_deref(), depth);
        }
    }

    fn handlers(&mut self, handlers: &[ast::ExceptHandler], depth: usize) {
        for ast::ExceptHandler::ExceptHandler(h) in handlers {
            self.opt(h.type_.as_deref(), depth);
            self.stmts(&h.body, depth);
        }
    }

    fn type_params(&mut self, params: &[ast::TypeParam], depth: usize) {
        for p in params {
            if let ast::TypeParam::TypeVar(t) = p {
                self.opt(t.bound.as_deref(), depth);
            }
        }
    }

    fn pattern(&mut self, p: &ast::Pattern, depth: usize) {
        use ast::Pattern as P;
        if self.stop(depth, p.range()) {
            return;
        }
        let d = depth + 1;
        match p {
            P::MatchValue(v) => self.expr(&v.value, d),
            P::MatchSingleton(_) | P::MatchStar(_) => {}
            P::MatchSequence(s) => self.patterns(&s.patterns, d),
            P::MatchMapping(m) => {
                self.exprs(&m.keys, d);
                self.patterns(&m.patterns, d);
            }
            P::MatchClass(c) => {
                self.expr(&c.cls, d);
                self.patterns(&c.patterns, d);
                self.patterns(&c.kwd_patterns, d);
            }
            P::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p, d);
                }
            }
            P::MatchOr(o) => self.patterns(&o.patterns, d),
        }
    }

    fn patterns(&mut self, patterns: &[ast::Pattern], depth: usize) {
        for p in patterns {
            self.pattern(p, depth);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<ast::Suite, Diagnostic> {
        parse(&SourceFile::new("policy.py", text))
    }

    fn returning(expr: &str) -> String {
        format!("def policy(resource):\n    return {expr}\n")
    }

    /// A policy for each way of nesting, about `n` levels deep (a `def`
    /// and its `return` add two; `.get(…)`, `(lambda: …)()` and `and`/`or`
    /// pairs are two levels per repetition, dict comprehensions three).
    fn nested(n: usize) -> Vec<(&'static str, String)> {
        // Indented blocks grow quadratically: at most 1,000 levels.
        let blocks = n.min(1000);
        let block = |head: &str| -> String { (1..=blocks).map(|i| format!("{}{head}\n", " ".repeat(i))).collect() };
        let ifs = block("if resource:");
        let fors = block("for x in resource:");
        let excepts: String = (1..=blocks).rev().map(|i| format!("{0}except KeyError:\n{0} pass\n", " ".repeat(i))).collect();
        let tries = format!("{}{}return False\n{excepts}", block("try:"), " ".repeat(blocks + 1));
        vec![
            ("lists", returning(&format!("{}{}", "[".repeat(n), "]".repeat(n)))),
            ("not", returning(&format!("{}True", "not ".repeat(n)))),
            ("minus", returning(&format!("{}1", "-".repeat(n)))),
            ("additions", returning(&vec!["1"; n + 1].join(" + "))),
            ("calls", returning(&format!("{}1{}", "str(".repeat(n), ")".repeat(n)))),
            ("methods", returning(&format!("resource{}", ".get('a')".repeat(n / 2)))),
            ("subscripts", returning(&format!("resource{}", "['a']".repeat(n)))),
            ("comprehensions", returning(&format!("{}[]{}", "[x for x in ".repeat(n), "]".repeat(n)))),
            ("ifs", format!("def policy(resource):\n{ifs}{}return False\n    return True\n", " ".repeat(blocks + 1))),
            ("fors", format!("def policy(resource):\n{fors}{}return False\n    return True\n", " ".repeat(blocks + 1))),
            ("tries", format!("def policy(resource):\n{tries} return True\n")),
            ("lambdas", returning(&format!("{}1{}", "(lambda: ".repeat(n / 2), ")()".repeat(n / 2)))),
            ("dict comprehensions", returning(&format!("{}{{}}{}", "{k: v for k, v in ".repeat(n / 3), ".items()}".repeat(n / 3)))),
            ("conditionals", returning(&format!("{}1{}", "(1 if resource else ".repeat(n), ")".repeat(n)))),
            ("booleans", returning(&format!("{}True{}", "(resource and (True or ".repeat(n / 2), "))".repeat(n / 2)))),
            ("comparisons", returning(&format!("{}1{}", "(1 < ".repeat(n), ")".repeat(n)))),
            ("globals", format!("X = {}1{}\n{}", "(1, ".repeat(n), ")".repeat(n), returning("True"))),
        ]
    }

    // Issue #8 (fuzzing): modules nested about a thousand levels deep
    // (which CPython compiles) overflowed the stack, in `lower` (lists,
    // `not`, additions, method chains, unary minus at 20,000) or in `emit`
    // (nested `if`s, list literals); in a test thread of an unoptimised
    // build, 45 levels of comprehensions overflowed in `emit`/syn. The
    // inputs are `nested(n)`.
    #[test]
    fn modules_nested_too_deeply_are_a_syntax_error() {
        for n in [MAX_NESTING + 3, 1000, 20_000] {
            for (kind, text) in nested(n) {
                let Err(d) = parse_text(&text) else {
                    unreachable!("{kind} nested {n} deep parsed");
                };
                assert_eq!(d.code, Code::PythonSyntax, "{kind}");
                assert_eq!(
                    d.message,
                    format!("invalid Python: statements and expressions nested more than {MAX_NESTING} levels deep"),
                    "{kind}"
                );
                assert!(d.span.start > 0 && d.span.end <= text.len(), "{kind}: span {:?}", d.span);
            }
        }
    }

    // A syntax error after a deep expression: the parser dropped its stack
    // recursively (20,000 levels overflowed an optimised 8 MiB stack).
    #[test]
    fn deep_expressions_are_rejected_before_parsing() {
        for (kind, text) in nested(20_000) {
            let text = text.replace("return ", "return (").replace("X = ", "X = (");
            let Err(d) = parse_text(&text) else {
                unreachable!("{kind}: a syntax error parsed");
            };
            assert!(d.message.contains("nested more than"), "{kind}: {}", d.message);
        }
    }

    #[test]
    fn the_token_bound_is_an_upper_bound() {
        for n in [1, 10, MAX_NESTING, 300] {
            for (kind, text) in nested(n) {
                let bound = token_depth(&text, usize::MAX);
                assert!(bound.is_ok_and(|b| b >= n), "{kind} nested {n} deep: {bound:?}");
            }
        }
    }

    #[test]
    fn the_token_bound_is_loose_only_on_pathological_modules() {
        let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        let mut stack = vec![rules];
        let mut seen = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "py") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let bound = token_depth(&text, usize::MAX);
                    assert!(bound.is_ok_and(|b| b < MAX_TOKEN_DEPTH / 10), "{}: {bound:?}", path.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn nesting_up_to_the_limit_parses() {
        for (kind, text) in nested(MAX_NESTING - 3) {
            assert!(parse_text(&text).is_ok(), "{kind}");
        }
    }

    /// Every stage after parsing (lower, typecheck, emit, format) handles
    /// the deepest module `parse` accepts, on a test thread's stack (2 MiB,
    /// unoptimised).
    #[test]
    fn the_deepest_modules_compile() {
        let dir = std::env::temp_dir().join(format!("pounce-nesting-{}", std::process::id()));
        let mut specs = Vec::new();
        for (kind, text) in nested(MAX_NESTING - 3) {
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(dir.join(format!("{kind}.py")), &text))
                .and_then(|()| {
                    let spec = format!(
                        "AnalysisType: policy\nFilename: {kind}.py\nPolicyID: Nesting.{kind}\nEnabled: true\nSeverity: Low\n"
                    );
                    std::fs::write(dir.join(format!("{kind}.yml")), spec)
                });
            assert!(written.is_ok(), "cannot write the fixture: {written:?}");
            specs.push(kind);
        }
        let generated = crate::Config::new(&dir).generate();
        let _ = std::fs::remove_dir_all(&dir);
        let problems: Vec<String> = generated.all_diagnostics().map(Diagnostic::one_line).collect();
        // Some nestings are outside the supported subset (a list is not a
        // bool); none may be an internal error, and the rest compile.
        assert!(generated.all_diagnostics().all(|d| d.code != Code::Internal), "{problems:#?}");
        assert!(generated.policies.len() >= specs.len() - 2, "compiled {:?}; {problems:#?}", generated.policies);
    }
}
