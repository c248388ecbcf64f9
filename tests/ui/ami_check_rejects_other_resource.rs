// The AMI check takes an `Ami` and nothing else: a resource struct of
// another type, even one declared with the same macro, does not compile.

use pounce_checks::generated::aws_ami_private;
use pounce_runtime::DefaultContext;

pounce_runtime::object! {
    /// A stand-in for another resource type (an S3 bucket).
    pub struct Bucket {
        "Name" => name: String,
    }
}

fn main() {
    let bucket = Bucket::default();
    let _ = aws_ami_private::policy(&bucket, &DefaultContext);
}
