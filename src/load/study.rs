//! What loading produces: the [`Study`] (the tidy table, per-run metadata,
//! conditions) and the runs or files left out ([`Skipped`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::natural::natural_cmp;
use super::run::Run;
use super::tidy::TidyTable;

/// Everything loaded from the user's arguments.
#[derive(Debug)]
pub struct Study {
    /// The tidy table (see [`super::tidy`]).
    pub results: TidyTable,
    /// Runs counted as seeds (run trees only).
    pub runs: Vec<Run>,
    /// Runs that repeat a seed and config already counted: not independent seeds.
    pub repeats: Vec<Run>,
    /// Runs left out, and why.
    pub skipped: Vec<Skipped>,
    /// Conditions in the order the user gave them (arguments first, then natural order).
    pub conditions: Vec<String>,
    /// Display labels of conditions (override sets from `index.yaml`).
    pub labels: BTreeMap<String, String>,
    /// The folders the user pointed at (for files up the tree: lock files, requirements).
    pub roots: Vec<PathBuf>,
    /// The conditions of each argument, in argument order.
    pub per_input: Vec<Vec<String>>,
}

impl Study {
    /// A study read from tables or files rather than run folders: its tidy
    /// rows and the conditions they name (natural order, once each).
    pub(crate) fn of_table(
        results: TidyTable,
        mut conditions: Vec<String>,
        roots: Vec<PathBuf>,
    ) -> Study {
        conditions.sort_by(|a, b| natural_cmp(a, b));
        conditions.dedup();
        Study {
            results,
            runs: Vec::new(),
            repeats: Vec::new(),
            skipped: Vec::new(),
            per_input: vec![conditions.clone()],
            conditions,
            labels: BTreeMap::new(),
            roots,
        }
    }
}

/// A run or file that was not used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}
