//! The Friedman test of k methods over N tasks, with the Iman–Davenport F
//! (Demšar 2006, section 3.2.2).

use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

use super::ranks::tie_term;

/// Friedman's χ² and the Iman–Davenport F of one ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Friedman {
    /// χ² with the tie correction, k − 1 df.
    pub statistic: f64,
    pub p_value: f64,
    /// F = (N − 1)χ²/(N(k − 1) − χ²), (k − 1, (k − 1)(N − 1)) df; `None` when
    /// infinite (every task ranks the methods the same way, χ² = N(k − 1)).
    pub iman_davenport_f: Option<f64>,
    /// Its p-value: 0 when F is infinite.
    pub iman_davenport_p: f64,
    pub df: f64,
    pub df_f: (f64, f64),
}

/// Friedman's test on `ranks` (one row of k within-task ranks per task), as
/// `scipy.stats.friedmanchisquare` in its own order of operations:
/// χ² = (12/(N k (k + 1))·Σ_j R_j² − 3N(k + 1))/C with R_j the rank sums and
/// C = 1 − Σ t(t² − 1)/(k(k² − 1)N) over the tie groups of every task;
/// p = P(χ²_{k−1} ≥ χ²). Ranks in either direction give the same χ².
/// scipy refuses k = 2; the formula is the same there (the sign test's).
/// `None` with fewer than 2 methods or 2 tasks, or when every task ties
/// every method (C = 0).
pub fn friedman(ranks: &[Vec<f64>]) -> Option<Friedman> {
    let n = ranks.len();
    let k = ranks.first()?.len();
    if n < 2 || k < 2 {
        return None;
    }
    let (nf, kf) = (n as f64, k as f64);
    let ties: f64 = ranks.iter().map(|row| tie_term(row)).sum();
    let c = 1.0 - ties / (kf * (kf * kf - 1.0) * nf);
    if c <= 0.0 {
        return None;
    }
    let ssbn: f64 = (0..k)
        .map(|j| ranks.iter().map(|row| row[j]).sum::<f64>().powi(2))
        .sum();
    let statistic = (12.0 / (kf * nf * (kf + 1.0)) * ssbn - 3.0 * nf * (kf + 1.0)) / c;
    let df = kf - 1.0;
    let p_value = ChiSquared::new(df).ok()?.sf(statistic);
    let df_f = (df, df * (nf - 1.0));
    let denominator = nf * df - statistic;
    let (iman_davenport_f, iman_davenport_p) = if denominator <= 0.0 {
        (None, 0.0)
    } else {
        let f = (nf - 1.0) * statistic / denominator;
        let p = FisherSnedecor::new(df_f.0, df_f.1).ok()?.sf(f.max(0.0));
        (Some(f), p)
    };
    Some(Friedman {
        statistic,
        p_value,
        iman_davenport_f,
        iman_davenport_p,
        df,
        df_f,
    })
}
