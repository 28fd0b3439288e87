//! Ranks of methods within a task (Demšar 2006, section 3.2.2): 1 = the
//! best, ties sharing the mean of the ranks they span, and mean ranks over
//! tasks.

use std::cmp::Ordering;

/// Average ranks of `values`, 1 = the best: the smallest when
/// `lower_is_better`, else the largest; tied values share the mean of the
/// ranks they span, as `scipy.stats.rankdata(method="average")` of x (or −x).
/// Infinities are ordinary values (equal infinities tie); NaN must not occur.
pub fn average_ranks(values: &[f64], lower_is_better: bool) -> Vec<f64> {
    let better = |a: f64, b: f64| -> Ordering {
        if lower_is_better {
            a.total_cmp(&b)
        } else {
            b.total_cmp(&a)
        }
    };
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| better(values[i], values[j]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value = values[order[start]];
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| values[i] == value)
                .count();
        // positions start..end (0-based) share the average 1-based rank
        let average = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        start = end;
    }
    ranks
}

/// Σ t(t² − 1) over the groups of t equal values: the tie term of the
/// Friedman and signed-rank corrections.
pub fn tie_term(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mut term = 0.0;
    let mut start = 0;
    while start < sorted.len() {
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|&&v| v == sorted[start])
                .count();
        let t = (end - start) as f64;
        term += t * (t * t - 1.0);
        start = end;
    }
    term
}

/// The mean rank of each method (column) over the tasks (rows) of `ranks`;
/// empty when there are no tasks.
pub fn mean_ranks(ranks: &[Vec<f64>]) -> Vec<f64> {
    let Some(first) = ranks.first() else {
        return Vec::new();
    };
    let n = ranks.len() as f64;
    (0..first.len())
        .map(|j| ranks.iter().map(|row| row[j]).sum::<f64>() / n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_average_rank_and_direction_decides_the_best() {
        let v = [3.0, 1.0, 3.0, 2.0];
        assert_eq!(average_ranks(&v, false), vec![1.5, 4.0, 1.5, 3.0]);
        assert_eq!(average_ranks(&v, true), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(tie_term(&v), 6.0);
    }

    #[test]
    fn an_infinitely_bad_score_ranks_last() {
        let v = [f64::NEG_INFINITY, 0.5, f64::NEG_INFINITY];
        assert_eq!(average_ranks(&v, false), vec![2.5, 1.0, 2.5]);
    }
}
