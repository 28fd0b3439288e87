//! xreport: statistics, paper tables and a pre-submission checklist for
//! machine-learning experiments run over several seeds.
//!
//! Flow (DESIGN section 3): `load` → tidy table + run metadata; `stats` →
//! pure numbers; `analysis` → report structs; `render` → every format.
//! Each command (`cmd/`) resolves its flags (`settings`), loads, analyses
//! and emits.

pub mod analysis;
pub mod check;
pub mod cli;
mod cmd;
pub mod error;
pub mod load;
pub mod plot;
pub mod render;
pub mod settings;
pub mod stats;
pub mod study_file;

use std::process::ExitCode;

use cli::{Cli, Command};
use error::Result;

/// Run a parsed command line; the exit code is 0, or 1 when a check fails.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Summary(args) => cmd::summary::run(args),
        Command::Compare(args) => cmd::compare::run(args),
        Command::Power(args) => cmd::power::run(args),
        Command::Curves(args) => cmd::curves::run(args),
        Command::Ablation(args) => cmd::ablation::run(args),
        Command::Pca(args) => cmd::pca::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::Runs(args) => cmd::runs::run(args),
        Command::Aggregate(args) => cmd::aggregate::run(args),
        Command::Table(args) => cmd::table::run(args),
        Command::Rank(args) => cmd::rank::run(args),
        Command::Report(args) => cmd::report::run(args),
    }
}
