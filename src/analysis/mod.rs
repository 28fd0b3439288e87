//! Analyses over a loaded study: each builds a serde report struct, which is
//! the JSON output and the source of every other format.

pub mod ablation;
pub mod aggregate;
pub mod compare;
pub mod curves;
pub mod direction;
mod example_cells;
pub mod examples;
pub mod groups;
pub mod main_table;
pub mod options;
pub mod pca;
pub mod pca_figure;
pub mod power;
pub mod reduce;
pub mod report;
pub mod roles;
pub mod runs;
pub mod summary;
pub mod tasks;
pub mod test_once;
// `xreport rank` (DESIGN section 11).
pub mod rank;
