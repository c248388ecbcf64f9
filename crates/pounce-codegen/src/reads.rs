//! Which top-level keys of the resource a policy module can read: the
//! basis of a scanner's partial reads
//! (`pounce_runtime::registry::TypedPolicy::reads`).
//!
//! The entry functions are `policy` and the auxiliary functions (`title`,
//! `dedup`, …), each called with the resource as its first parameter. A
//! key is read when the parameter is subscripted or `.get` with a string
//! literal (`resource["Tags"]`, `resource.get("Tags", {})`, typed `Field`
//! reads) or passed to `deep_get` with a literal first key. Any other use
//! of the parameter — passed to a function, iterated, compared, stored,
//! formatted, subscripted with a computed key, assigned to — may look at
//! the whole resource, and so does a parameter the function reassigns. The
//! analysis errs on that side only: a key it misses would be a key the
//! policy reads from a resource where the scanner left it absent.

use std::collections::BTreeSet;

use pounce_runtime::AuxFn;

use crate::ir::{Callee, Expr, ExprKind, Function, Literal, Module, Stmt, StmtKind, Target};
use crate::typecheck::visit_children;

/// The keys the module's entry functions can read from the resource,
/// sorted; `None` when one of them may look at the whole resource.
pub fn resource_reads(module: &Module) -> Option<Vec<String>> {
    let mut keys = BTreeSet::new();
    for f in &module.functions {
        if f.name == "policy" || AuxFn::from_python_name(&f.name).is_some() {
            function(f, &mut keys)?;
        }
    }
    Some(keys.into_iter().collect())
}

fn function(f: &Function, keys: &mut BTreeSet<String>) -> Option<()> {
    let Some(param) = f.params.first() else { return Some(()) };
    if f.locals.contains(param) {
        return None;
    }
    let mut cx = Cx { param, keys, whole: false };
    cx.block(&f.body);
    (!cx.whole).then_some(())
}

struct Cx<'a> {
    param: &'a str,
    keys: &'a mut BTreeSet<String>,
    whole: bool,
}

impl Cx<'_> {
    fn block(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::If { cond, then, orelse } | StmtKind::While { cond, body: then, orelse } => {
                self.expr(cond);
                self.block(then);
                self.block(orelse);
            }
            StmtKind::For { target, iter, body, orelse } => {
                self.target(target);
                self.expr(iter);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| self.target(t));
                self.expr(value);
            }
            StmtKind::AugAssign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            StmtKind::Try { body, handlers, orelse } => {
                self.block(body);
                handlers.iter().for_each(|h| self.block(&h.body));
                self.block(orelse);
            }
            StmtKind::Raise { message: Some(e), .. } | StmtKind::Return(Some(e)) | StmtKind::Expr(e) => self.expr(e),
            StmtKind::Raise { message: None, .. } | StmtKind::Return(None) | StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
        }
    }

    fn target(&mut self, t: &Target) {
        match t {
            Target::Local(_) | Target::Global(_) | Target::Var(_) => {}
            Target::Subscript(value, index) => {
                // Assigning into the resource: not a read this analysis
                // can bound.
                if self.is_param(value) {
                    self.whole = true;
                }
                self.expr(value);
                self.expr(index);
            }
            Target::Tuple(ts) => ts.iter().for_each(|t| self.target(t)),
        }
    }

    fn is_param(&self, e: &Expr) -> bool {
        matches!(&e.kind, ExprKind::Param(p) if p == self.param)
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Param(p) if p == self.param => self.whole = true,
            ExprKind::Field { value, field, default } if self.is_param(value) => {
                self.keys.insert(field.name.to_owned());
                if let Some(Some(d)) = default {
                    self.expr(d);
                }
            }
            ExprKind::Subscript(value, key) if self.is_param(value) => match str_lit(key) {
                Some(k) => {
                    self.keys.insert(k.to_owned());
                }
                None => self.whole = true,
            },
            ExprKind::Get { value, key, default } if self.is_param(value) => {
                match str_lit(key) {
                    Some(k) => {
                        self.keys.insert(k.to_owned());
                    }
                    None => self.whole = true,
                }
                if let Some(d) = default {
                    self.expr(d);
                }
            }
            ExprKind::Call { callee: Callee::Native { entry, .. }, args, kwargs }
                if entry.module == "panther_base_helpers"
                    && entry.name == "deep_get"
                    && args.first().is_some_and(|a| self.is_param(a)) =>
            {
                // deep_get(resource, "Key", ...): only "Key" of the
                // resource is looked at.
                match args.get(1).and_then(str_lit) {
                    Some(k) => {
                        self.keys.insert(k.to_owned());
                    }
                    None => self.whole = true,
                }
                args.iter().skip(1).for_each(|a| self.expr(a));
                kwargs.iter().for_each(|(_, a)| self.expr(a));
            }
            _ => visit_children(e, &mut |c| self.expr(c)),
        }
    }
}

fn str_lit(e: &Expr) -> Option<&str> {
    match &e.kind {
        ExprKind::Lit(Literal::Str(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![expect(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::diagnostic::SourceFile;
    use crate::{lower, python, typecheck};

    fn reads(source: &str, resource_type: &str) -> Option<Vec<String>> {
        let file = SourceFile::new("t.py".to_owned(), source.to_owned());
        let suite = python::parse(&file).unwrap();
        let module = lower::lower(&file, &suite).unwrap();
        let schema = pounce_runtime::resources::schema_for(resource_type).unwrap();
        let module = typecheck::typecheck(&file, module, &typecheck::ResourceType::One(schema)).unwrap();
        resource_reads(&module)
    }

    #[test]
    fn literal_reads_are_listed() {
        let src = "from panther_base_helpers import deep_get\n\
                   def policy(resource):\n    if resource.get('ImageOwnerAlias') in {'amazon'}:\n        return True\n    \
                   return resource['OwnerId'] != deep_get(resource, 'Tags', 'Owner', default='x')\n\
                   def title(r):\n    return f\"{r['Name']}\"\n";
        assert_eq!(reads(src, "AWS.EC2.AMI").unwrap(), ["ImageOwnerAlias", "Name", "OwnerId", "Tags"]);
    }

    #[test]
    fn any_other_use_reads_the_whole_resource() {
        for body in [
            "return helper(resource)",
            "return len(resource) > 0",
            "return 'Public' in resource",
            "return bool([k for k in resource])",
            "x = resource\n    return x['Public']",
            "return resource[str('Public')]",
            "return deep_get(resource)",
            "return deep_get(resource, str('Public'))",
            "resource = {}\n    return True",
            "return f'{resource}' == ''",
        ] {
            let src = format!(
                "from panther_base_helpers import deep_get\ndef helper(r):\n    return True\ndef policy(resource):\n    {body}\n"
            );
            assert_eq!(reads(&src, "AWS.EC2.AMI"), None, "{body}");
        }
    }

    #[test]
    fn helpers_and_other_parameters_do_not_count() {
        // `helper`'s parameter is not the resource; a comprehension
        // variable that shadows the name is not the parameter.
        let src = "def helper(resource):\n    return resource['x']\n\
                   def policy(resource):\n    return helper({'x': 1}) and all(resource for resource in resource['Tags'])\n";
        assert_eq!(reads(src, "AWS.EC2.AMI").unwrap(), ["Tags"]);
        assert_eq!(reads("def policy(resource):\n    return True\n", "AWS.EC2.AMI").unwrap(), Vec::<String>::new());
    }
}
