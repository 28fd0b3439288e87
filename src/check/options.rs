//! What the checklist's rules are tuned by, resolved by `settings` from
//! flags, then `[check]` of the study file, then defaults.

/// `xreport check`'s thresholds and lists.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub min_seeds: usize,
    pub max_cv: f64,
    pub strict: bool,
    /// Config keys (globs) left out of config comparisons.
    pub ignore_keys: Vec<String>,
    /// Method components, each needing an ablation row; `None`: the changed config keys.
    pub components: Option<Vec<String>>,
    /// Manual items: id → done.
    pub manual: std::collections::BTreeMap<String, bool>,
}
