use std::process::ExitCode;

fn main() -> ExitCode {
    pounce::main(pounce_checks::POLICIES)
}
