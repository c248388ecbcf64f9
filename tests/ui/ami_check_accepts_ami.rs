// The pass case: the AMI check takes an `Ami`, so the fail cases next to
// this one fail because of the argument's type and nothing else.

use pounce_checks::generated::aws_ami_private;
use pounce_runtime::resources::Ami;
use pounce_runtime::DefaultContext;

fn main() {
    let ami = Ami::default();
    let _ = aws_ami_private::policy(&ami, &DefaultContext);
}
