//! Student's t distribution, central and noncentral, to full double precision
//! in both tails.
//!
//! statrs has no noncentral t, and its regularized incomplete beta computes
//! 1 − x internally and stops after 140 continued-fraction steps, which costs
//! digits in the far tails that p-values near 0 and power near 1 live in. So
//! this module carries its own incomplete beta that takes x and y = 1 − x
//! separately.

use statrs::function::gamma::ln_gamma;

/// Smallest contribution still added to a series: far below the 1e-8
/// absolute accuracy promised and the 1e-10 relative of a p-value.
const SERIES_EPS: f64 = 1e-17;

/// Cap on continued-fraction steps: the fraction needs about √max(a, b)
/// steps, far below this for every parameter a report can produce.
const MAX_STEPS: usize = 100_000;

/// CDF of the noncentral t distribution, P(T ≤ x) for T ~ t(df, ncp), as
/// `scipy.stats.nct.cdf(x, df, ncp)` (tested to 1e-8 absolute over df 1..1e4
/// including non-integer Welch dfs, ncp −40..40, x −1e3..1e3).
///
/// For x ≥ 0 it sums the series of Lenth (1989, AS 243)
/// F = Φ(−δ) + ½ Σⱼ [Pⱼ·I_z(j + ½, ν/2) + Qⱼ·I_z(j + 1, ν/2)], z = x²/(x² + ν),
/// Pⱼ = e^(−λ)λ^j/j!, Qⱼ = δ·e^(−λ)λ^j/(√2·Γ(j + 3/2)), λ = δ²/2,
/// started at the Poisson mode j = ⌊λ⌋ and run both ways with the incomplete
/// beta recurrences (Benton & Krishnamoorthy 2003), so that ncp = ±40, whose
/// e^(−λ) underflows, works; the forward sum stops once a geometric bound on
/// the rest is negligible. x < 0 uses F(x; ν, δ) = 1 − F(−x; ν, −δ).
///
/// Edge cases: df = ∞ gives the normal Φ(x − ncp); x = ±∞ gives 1 or 0.
/// `df` must be positive and `x`, `ncp` not NaN (the result is then NaN).
pub fn nct_cdf(x: f64, df: f64, ncp: f64) -> f64 {
    if x.is_nan() || ncp.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return normal_cdf(x - ncp);
    }
    if x < 0.0 {
        1.0 - upper_half_cdf(-x, df, -ncp)
    } else {
        upper_half_cdf(x, df, ncp)
    }
}

/// Survival function P(T > x) of the noncentral t, `scipy.stats.nct.sf`,
/// computed as F(−x; ν, −δ) so the upper tail keeps its digits.
pub fn nct_sf(x: f64, df: f64, ncp: f64) -> f64 {
    nct_cdf(-x, df, -ncp)
}

/// CDF of Student's t with `df` degrees of freedom, `scipy.stats.t.cdf`:
/// ½·I_{ν/(ν+t²)}(ν/2, ½) for t < 0, its complement for t ≥ 0. Relative
/// accuracy holds in the lower tail (p-values near 0). df = ∞ is the normal.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if t > 0.0 {
        1.0 - t_sf(t, df)
    } else {
        t_sf(-t, df)
    }
}

/// Survival function P(T > t) of Student's t, `scipy.stats.t.sf`; see
/// [`t_cdf`]. The two-sided p-value of a t statistic is `2·t_sf(|t|, df)`.
pub fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return normal_cdf(-t);
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let tt = t * t;
    let half_tail = 0.5 * beta_reg(df / 2.0, 0.5, df / (df + tt), tt / (df + tt));
    if t > 0.0 { half_tail } else { 1.0 - half_tail }
}

/// Standard normal CDF Φ(z), as `scipy.special.ndtr`, to about 1e-16
/// relative in the lower tail: W. J. Cody's rational Chebyshev
/// approximations (ACM TOMS 715, 1993) in the arrangement of R's
/// `pnorm_both`. statrs' `erfc` is off by up to 1e-10 relative, too much
/// for a p-value held to 1e-10.
pub fn normal_cdf(z: f64) -> f64 {
    let y = z.abs();
    if z.is_nan() {
        return f64::NAN;
    }
    if y <= 0.674_489_75 {
        let xsq = if y > f64::EPSILON / 2.0 { z * z } else { 0.0 };
        let (mut num, mut den) = (CODY_A[4] * xsq, xsq);
        for i in 0..3 {
            num = (num + CODY_A[i]) * xsq;
            den = (den + CODY_B[i]) * xsq;
        }
        return 0.5 + z * (num + CODY_A[3]) / (den + CODY_B[3]);
    }
    // the tail probability Φ(−|z|)
    let tail = if y <= 32f64.sqrt() {
        let (mut num, mut den) = (CODY_C[8] * y, y);
        for i in 0..7 {
            num = (num + CODY_C[i]) * y;
            den = (den + CODY_D[i]) * y;
        }
        gaussian_factor(y) * (num + CODY_C[7]) / (den + CODY_D[7])
    } else if y < 37.5193 {
        let xsq = 1.0 / (z * z);
        let (mut num, mut den) = (CODY_P[5] * xsq, xsq);
        for i in 0..4 {
            num = (num + CODY_P[i]) * xsq;
            den = (den + CODY_Q[i]) * xsq;
        }
        let ratio = xsq * (num + CODY_P[4]) / (den + CODY_Q[4]);
        gaussian_factor(y) * (FRAC_1_SQRT_2PI - ratio) / y
    } else {
        0.0
    };
    if z > 0.0 { 1.0 - tail } else { tail }
}

/// exp(−y²/2) with y split at a multiple of 1/16 so the square is exact
/// (R's `do_del`), which keeps the far tail's relative accuracy.
fn gaussian_factor(y: f64) -> f64 {
    let coarse = (y * 16.0).trunc() / 16.0;
    let rest = (y - coarse) * (y + coarse);
    (-coarse * coarse * 0.5).exp() * (-rest * 0.5).exp()
}

const FRAC_1_SQRT_2PI: f64 = 0.3989422804014327;
const CODY_A: [f64; 5] = [
    2.2352520354606837,
    161.02823106855587,
    1067.6894854603709,
    18154.98125334356,
    0.06568233791820745,
];
const CODY_B: [f64; 4] = [
    47.202581904688245,
    976.0985517377767,
    10260.932208618979,
    45507.78933502673,
];
const CODY_C: [f64; 9] = [
    0.39894151208813466,
    8.883149794388377,
    93.50665613217785,
    597.2702763948002,
    2494.5375852903726,
    6848.190450536283,
    11602.65143764735,
    9842.714838383978,
    1.0765576773720192e-08,
];
const CODY_D: [f64; 8] = [
    22.266688044328117,
    235.387901782625,
    1519.3775994075547,
    6485.558298266761,
    18615.571640885097,
    34900.95272114598,
    38912.00328609327,
    19685.429676859992,
];
const CODY_P: [f64; 6] = [
    0.215898534057957,
    0.12740116116024736,
    0.022235277870649807,
    0.0014216191932278934,
    2.9112874951168793e-05,
    0.023073441764940174,
];
const CODY_Q: [f64; 5] = [
    1.284260096144911,
    0.4682382124808651,
    0.06598813786892856,
    0.0037823963320275824,
    7.297515550839662e-05,
];

/// F(x; ν, δ) for x ≥ 0 by the AS 243 series (see [`nct_cdf`]).
fn upper_half_cdf(x: f64, df: f64, ncp: f64) -> f64 {
    if x == 0.0 {
        return normal_cdf(-ncp);
    }
    // 1 − F ≤ P(Z > −δ) = Φ(δ) < 1e-17: F is 1 in double precision
    if ncp < -8.5 {
        return 1.0;
    }
    if lower_tail_negligible(x, df, ncp) {
        return 0.0;
    }
    let xx = x * x;
    if xx.is_infinite() {
        return 1.0;
    }
    let z = xx / (xx + df);
    let y = df / (xx + df);
    let series = if ncp == 0.0 {
        beta_reg(0.5, df / 2.0, z, y)
    } else {
        poisson_beta_series(z, y, df / 2.0, ncp)
    };
    (normal_cdf(-ncp) + 0.5 * series).clamp(0.0, 1.0)
}

/// Whether F(x; ν, δ) < 1e-17 for x > 0, δ > 0, by the bound
/// F = P(Z + δ ≤ x·S) ≤ Φ(−δ/2) + P(S ≥ δ/(2x)), S = √(χ²_ν/ν), with the
/// Chernoff bound P(χ²_ν ≥ ν·s²) ≤ (s²·e^(1 − s²))^(ν/2) for s > 1. It spares
/// the series, whose cost grows as √λ, for huge ncp (say a metric whose std
/// is float noise), where the answer is 0 anyway.
fn lower_tail_negligible(x: f64, df: f64, ncp: f64) -> bool {
    if ncp < 17.2 {
        return false; // Φ(−δ/2) alone may exceed 5e-18
    }
    let s = ncp / (2.0 * x);
    s > 1.0 && 0.5 * df * (1.0 + 2.0 * s.ln() - s * s) < (5e-18f64).ln()
}

/// One incomplete-beta sequence I_z(a + j, b) with its recurrence term
/// g(a) = z^a·y^b / (a·B(a, b)), so that I_z(a + 1, b) = I_z(a, b) − g(a).
#[derive(Clone, Copy)]
struct BetaTerm {
    a: f64,
    ibeta: f64,
    g: f64,
}

impl BetaTerm {
    fn new(a: f64, b: f64, z: f64, y: f64) -> Self {
        let ln_g = a * z.ln() + b * y.ln() - a.ln() - ln_beta(a, b);
        BetaTerm {
            a,
            ibeta: beta_reg(a, b, z, y),
            g: ln_g.exp(),
        }
    }

    /// Steps to a + 1: I(a + 1) = I(a) − g(a), g(a + 1) = g(a)·z·(a + b)/(a + 1).
    fn forward(&mut self, b: f64, z: f64) {
        self.ibeta = (self.ibeta - self.g).max(0.0);
        self.g *= z * (self.a + b) / (self.a + 1.0);
        self.a += 1.0;
    }

    /// I and g both 0: every step back keeps them 0.
    fn underflowed(&self) -> bool {
        self.ibeta == 0.0 && self.g == 0.0
    }

    /// Steps to a − 1: g(a − 1) = g(a)·a/(z·(a + b − 1)), I(a − 1) = I(a) + g(a − 1).
    fn backward(&mut self, b: f64, z: f64) {
        self.g *= self.a / (z * (self.a + b - 1.0));
        self.ibeta = (self.ibeta + self.g).min(1.0);
        self.a -= 1.0;
    }
}

/// Σⱼ [Pⱼ·I_z(j + ½, b) + Qⱼ·I_z(j + 1, b)] from the Poisson mode outwards.
fn poisson_beta_series(z: f64, y: f64, b: f64, ncp: f64) -> f64 {
    let lambda = 0.5 * ncp * ncp;
    let mode = lambda.floor();
    // ln of the Poisson weight at the mode and of the δ/√2·Γ(j+1)/Γ(j+3/2) factor
    let ln_p = -lambda + mode * lambda.ln() - ln_gamma(mode + 1.0);
    let ln_q = ln_p + ncp.abs().ln() - 0.5 * std::f64::consts::LN_2 + ln_gamma(mode + 1.0)
        - ln_gamma(mode + 1.5);
    let p_mode = ln_p.exp();
    let q_mode = ncp.signum() * ln_q.exp();
    let beta_p = BetaTerm::new(mode + 0.5, b, z, y);
    let beta_q = BetaTerm::new(mode + 1.0, b, z, y);

    // the weights are negligible beyond ±10 Poisson stds of the mode
    let max_terms = (20.0 * lambda.sqrt()) as usize + 1000;
    let mut sum = 0.0;
    // forward: j = mode, mode + 1, ...
    let (mut p, mut q, mut bp, mut bq, mut j) = (p_mode, q_mode, beta_p, beta_q, mode);
    for _ in 0..max_terms {
        sum += p * bp.ibeta + q * bq.ibeta;
        j += 1.0;
        p *= lambda / j;
        q *= lambda / (j + 0.5);
        bp.forward(b, z);
        bq.forward(b, z);
        // past the mode the weights fall at least geometrically with ratio r,
        // and I_z falls with a, so the rest is below term/(1 − r)
        let ratio = lambda / (j + 1.0);
        let next = p * bp.ibeta + q.abs() * bq.ibeta;
        if ratio < 1.0 && next / (1.0 - ratio) < SERIES_EPS {
            break;
        }
    }
    // backward: j = mode − 1, ..., 0; the weights fall geometrically (ratio j/λ)
    // and I_z ≤ 1, so stop once the weights themselves are negligible
    let (mut p, mut q, mut bp, mut bq, mut j) = (p_mode, q_mode, beta_p, beta_q, mode);
    for _ in 0..max_terms {
        if j < 1.0 || bp.underflowed() && bq.underflowed() {
            break;
        }
        p *= j / lambda;
        q *= (j + 0.5) / lambda;
        j -= 1.0;
        bp.backward(b, z);
        bq.backward(b, z);
        sum += p * bp.ibeta + q * bq.ibeta;
        let ratio = j / lambda;
        if (p + q.abs()) / (1.0 - ratio).max(f64::EPSILON) < SERIES_EPS {
            break;
        }
    }
    sum
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Regularized incomplete beta I_x(a, b) with y = 1 − x given separately
/// (so x near 1 keeps its digits), by the continued fraction of Numerical
/// Recipes §6.4 on whichever of I_x(a, b) and 1 − I_y(b, a) converges fast.
pub(crate) fn beta_reg(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    if x > (a + 1.0) / (a + b + 2.0) {
        1.0 - beta_reg_fraction(b, a, y, x)
    } else {
        beta_reg_fraction(a, b, x, y)
    }
}

/// x^a·y^b/(a·B(a, b)) times the continued fraction, by the modified Lentz
/// method; converges quickly for x < (a + 1)/(a + b + 2).
fn beta_reg_fraction(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let ln_front = a * x.ln() + b * y.ln() - ln_beta(a, b) - a.ln();
    let front = ln_front.exp();
    if front == 0.0 {
        return 0.0;
    }
    let tiny = 1e-300;
    let guard = |v: f64| if v.abs() < tiny { tiny } else { v };
    let mut c = 1.0;
    let mut d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
    let mut h = d;
    for m in 1..MAX_STEPS {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 / guard(1.0 + even * d);
        c = guard(1.0 + even / c);
        h *= d * c;
        let odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 / guard(1.0 + odd * d);
        c = guard(1.0 + odd / c);
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() <= 2.0 * f64::EPSILON {
            break;
        }
    }
    front * h
}
