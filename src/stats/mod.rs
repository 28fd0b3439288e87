//! Pure statistics over `&[f64]`: no I/O, no tables, no formatting.
//!
//! Every function documents its formula, the reference it is tested against and
//! its edge cases. Undefined results are `None`, never NaN.

pub mod aggregate;
pub mod alternative;
pub mod aso;
pub mod bootstrap;
pub mod cluster;
pub mod correction;
pub mod describe;
pub mod effect;
pub mod inference;
pub mod mcnemar;
pub mod nct;
pub mod normalize;
pub mod pca;
pub mod power;
pub mod proportion;
pub mod resample_counts;
pub mod rng;
pub mod rope;
pub mod tost;
pub mod twoway;
// `xreport rank` (DESIGN section 11): ranks over tasks, Friedman, post-hoc tests.
pub mod friedman;
pub mod posthoc;
pub mod ranks;
pub mod studentized_range;
pub mod wilcoxon;
