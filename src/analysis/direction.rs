//! Which way is better for a metric (DESIGN section 4, "Direction").

use serde::{Deserialize, Serialize};

/// Whether lower or higher values of a metric are better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Lower,
    Higher,
}

impl Direction {
    /// Guess from the metric's last name part: loss, wer, error, ... are lower-is-better.
    pub fn infer(metric: &str) -> Direction {
        const LOWER: &[&str] = &[
            "loss",
            "wer",
            "cer",
            "error",
            "err",
            "perplexity",
            "ppl",
            "mse",
            "mae",
            "rmse",
            "fid",
            "eer",
            "latency",
            "time",
        ];
        let last = metric.rsplit(['.', '/']).next().unwrap_or(metric);
        let last = last.to_ascii_lowercase();
        let words: Vec<&str> = last.split(['_', '-']).collect();
        let lower = LOWER.contains(&last.as_str()) || words.iter().any(|w| LOWER.contains(w));
        if lower {
            Direction::Lower
        } else {
            Direction::Higher
        }
    }

    /// Whether `a` is better than `b` in this direction.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Lower => a < b,
            Direction::Higher => a > b,
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Direction::Lower => "↓",
            Direction::Higher => "↑",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Direction::Lower => "lower",
            Direction::Higher => "higher",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_like_last_name_parts_are_lower_is_better() {
        for m in [
            "test.wer",
            "val/loss",
            "eval_loss",
            "cer",
            "train.rmse",
            "inference_time",
            "FID",
        ] {
            assert_eq!(Direction::infer(m), Direction::Lower, "{m}");
        }
        for m in [
            "test.acc",
            "bleu",
            "reward",
            "wer_reduction.gain",
            "f1",
            "return",
        ] {
            assert_eq!(Direction::infer(m), Direction::Higher, "{m}");
        }
    }
}
