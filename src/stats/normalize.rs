//! Scores normalised per task against two reference scores, so that tasks
//! with different score scales can be aggregated: the human-normalised score
//! of Atari (Mnih et al., "Human-level control through deep reinforcement
//! learning", Nature 2015), which Agarwal et al., "Deep Reinforcement Learning
//! at the Edge of the Statistical Precipice" (NeurIPS 2021, rliable) aggregate.
//! Matches DQN Zoo's `atari_data.get_human_normalized_score`,
//! `(score - random) / (human - random)`.

/// Every score of one task as (x − low)/(high − low): `low` (a random
/// policy's score, or a task's minimum) becomes 0 and `high` (a human's, or
/// the maximum) becomes 1; scores outside the pair fall below 0 or above 1.
/// `None` when `high == low`, where the ratio is undefined.
pub fn normalize(scores: &[f64], low: f64, high: f64) -> Option<Vec<f64>> {
    if high == low {
        return None;
    }
    Some(scores.iter().map(|x| (x - low) / (high - low)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_scores_become_zero_and_one() {
        // Pong: random −20.7, human 14.6 (DQN Zoo's `atari_data`).
        let scores = normalize(&[-20.7, 14.6, -3.05, 21.0], -20.7, 14.6).unwrap();
        assert_eq!(scores[..3], [0.0, 1.0, 0.5]);
        assert!((scores[3] - 41.7 / 35.3).abs() < 1e-12);
    }

    #[test]
    fn equal_reference_scores_leave_the_scores_undefined() {
        assert_eq!(normalize(&[1.0], 3.0, 3.0), None);
        assert_eq!(normalize(&[], 3.0, 3.0), None);
    }
}
