use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = xreport::cli::Cli::parse();
    match xreport::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
