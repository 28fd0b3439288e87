//! How the user asked for inputs to be loaded: column names and switches.

use super::condition;
use super::table;

/// Column names and switches for loading.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub columns: table::ColumnNames,
    /// A run with no seed gets its folder name as seed instead of an error.
    pub allow_unseeded: bool,
    /// Malformed results/config files skip their run instead of stopping.
    pub skip_bad: bool,
    /// How run-tree conditions are formed (`--group-by`).
    pub group_by: condition::GroupBy,
    /// `--metric` globs: metadata keys they match are read as metrics.
    pub explicit_metrics: Option<globset::GlobSet>,
}
