//! The alternative hypothesis of a test, shared by every test in `stats`.

use serde::{Deserialize, Serialize};

/// The alternative hypothesis, in terms of treatment − baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// The groups differ in either direction.
    TwoSided,
    /// The treatment is larger than the baseline.
    Greater,
    /// The treatment is smaller than the baseline.
    Less,
}

impl Alternative {
    /// The name used on the command line and in reports (as scipy's).
    pub fn name(self) -> &'static str {
        match self {
            Alternative::TwoSided => "two-sided",
            Alternative::Greater => "greater",
            Alternative::Less => "less",
        }
    }

    /// Factor applied to a one-tail probability: 2 for two-sided tests.
    pub(crate) fn tails(self) -> f64 {
        match self {
            Alternative::TwoSided => 2.0,
            Alternative::Greater | Alternative::Less => 1.0,
        }
    }
}
