// The AMI check does not take untyped JSON: a resource must be turned into
// an `Ami` first (`pounce_runtime::resource_from_json`).

use pounce_checks::generated::aws_ami_private;
use pounce_runtime::DefaultContext;

fn main() {
    let json = serde_json::json!({ "Public": true });
    let _ = aws_ami_private::policy(&json, &DefaultContext);
}
