//! `json.loads` and the generator's one-pass `Policy(json.loads(s))` on
//! arbitrary text (a resource string field can hold anything):
//!
//! - neither panics nor exhausts the stack (nesting is bounded);
//! - `json.loads` of the text lent from a resource (strings borrowed) and
//!   of an owned copy give the same value or the same exception;
//! - `policyuniverse::policy_of_loads(s)` answers as `json.loads(s)` then
//!   `Policy(...)` do: the same exception, or a policy whose document,
//!   statements and their attributes read the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pounce_runtime::natives::{json, policyuniverse};
use pounce_runtime::{ops, DefaultContext, PyResult, Val};

fn show(r: PyResult<Val<'_>>) -> String {
    match r {
        Ok(v) => ops::repr(&v),
        Err(e) => e.to_string(),
    }
}

/// What a policy reads of a `Policy` object.
fn probe(r: PyResult<Val<'_>>) -> Vec<String> {
    let p = match r {
        Ok(p) => p,
        Err(e) => return vec![e.to_string()],
    };
    let mut out = vec![show(ops::getattr(&p, "policy"))];
    if let Ok(statements) = ops::getattr(&p, "statements") {
        for st in ops::iter_vec(&statements).unwrap_or_default() {
            for attr in ["effect", "actions", "principals", "condition_entries", "statement"] {
                out.push(show(ops::getattr(&st, attr)));
            }
            out.push(show(ops::call_method(&st, "uses_not_principal", &[])));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ctx = DefaultContext;
    let lent = show(json::loads(&[Val::str(text)], &[], &ctx));
    let owned = show(json::loads(&[Val::string(text.to_owned())], &[], &ctx));
    assert_eq!(lent, owned, "json.loads of lent and owned text");
    let two = json::loads(&[Val::str(text)], &[], &ctx).and_then(|d| policyuniverse::policy(&[d], &[], &ctx));
    let one = policyuniverse::policy_of_loads(Val::str(text), &ctx);
    assert_eq!(probe(one), probe(two), "Policy(json.loads(s)) in one pass and in two calls");
});
