//! History points: one logged value of a metric at a step, what every
//! history reader returns (Trainer and Lightning logs, W&B, TensorBoard,
//! MLflow), and the step as loggers write it.

/// One logged value of a metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub metric: String,
    pub step: i64,
    /// `None`: logged as null/NaN/inf, a missing value.
    pub value: Option<f64>,
}

/// A step as written by loggers: `5000`, or `5000.0` / `1e6` when a float column held it.
pub fn parse_step(text: &str) -> Option<i64> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(i);
    }
    let f = text.parse::<f64>().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}
