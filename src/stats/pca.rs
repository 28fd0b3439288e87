//! Principal component analysis of an embedding matrix and the diagnostics that
//! tell a healthy representation from a collapsed one.
//!
//! Route: column means, then the scatter matrix S = Σ (x − x̄)(x − x̄)ᵀ accumulated in
//! f64 over blocks of centred rows, then the symmetric eigendecomposition of the
//! covariance C = S / (n − 1) with faer. This is scikit-learn's `covariance_eigh`
//! solver, computed in f64 throughout. linfa-reduction 0.8.1 was measured and not
//! used: 26 s on 100,000 × 768 (this route: about 1.5 s), a panic on structured
//! low-rank data, and explained-variance ratios normalised by the kept components
//! only (scikit-learn divides by the total variance).
//!
//! Determinism: rows are cut into parts that depend only on the matrix shape, each
//! part is summed sequentially, and the parts are added in order; the eigensolver
//! runs single-threaded. The numbers are bit-identical for any rayon thread count.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors};
use faer::linalg::matmul::triangular::{BlockStructure, matmul};
use faer::{Accum, Mat, Par};
use rayon::prelude::*;
use serde::Serialize;

/// A matrix element that widens to f64 (f32 or f64), so float32 embeddings are
/// never copied into a float64 matrix.
pub trait Element: Copy + Send + Sync + Into<f64> {}
impl Element for f32 {}
impl Element for f64 {}

/// Rows per block in the scatter accumulation: a centred f64 block of 1,024 × 768
/// is 6 MB, small enough for cache-friendly matrix products.
const BLOCK_ROWS: usize = 1024;
/// Most row parts summed in parallel (each holds its own dims × dims accumulator).
const MAX_PARTS: usize = 8;
/// Memory allowed for the per-part accumulators together.
const PART_BUDGET_BYTES: usize = 256 << 20;
/// `collapse`: total variance below this fraction of the mean squared row norm
/// (DESIGN section 5).
pub const COLLAPSE_FRACTION: f64 = 1e-8;

/// Sample size, column means and scatter matrix of a row-major matrix.
#[derive(Debug, Clone)]
pub struct Moments {
    pub rows: usize,
    pub dims: usize,
    pub mean: Vec<f64>,
    spread: Spread,
}

/// What the covariance comes from. A matrix with fewer rows than dims keeps
/// its centred rows C (n × dims) instead of the dims × dims scatter: the
/// n × n Gram matrix CCᵀ has the same nonzero eigenvalues, so a 300 × 4096
/// matrix costs an n³ eigendecomposition, not a d³ one (20 s and 730 MB in a
/// release build before; issue #22).
#[derive(Debug, Clone)]
enum Spread {
    /// Σ (x − x̄)(x − x̄)ᵀ; only the lower triangle is kept up to date.
    Scatter(Mat<f64>),
    /// The centred rows, one per matrix row.
    Rows(Mat<f64>),
}

impl Moments {
    /// The scatter's lower triangle, formed from the rows when they are kept.
    fn scatter(&self) -> Mat<f64> {
        match &self.spread {
            Spread::Scatter(s) => s.clone(),
            Spread::Rows(c) => {
                let mut s = Mat::<f64>::zeros(self.dims, self.dims);
                faer::linalg::matmul::matmul(
                    s.as_mut(),
                    Accum::Replace,
                    c.transpose(),
                    c,
                    1.0,
                    Par::Seq,
                );
                s
            }
        }
    }
}

/// Mean and scatter of `data` (`rows × dims`, row-major), in f64.
///
/// Two passes (means, then centred products) so a large common offset does not
/// cancel digits as the one-pass XᵀX − n·x̄x̄ᵀ would. `data.len()` must be
/// `rows * dims`; `rows == 0` gives zero means and scatter.
pub fn moments<T: Element>(data: &[T], rows: usize, dims: usize) -> Moments {
    let mean = column_means(data, rows, dims);
    let spread = if rows < dims {
        Spread::Rows(Mat::<f64>::from_fn(rows, dims, |i, j| {
            data[i * dims + j].into() - mean[j]
        }))
    } else {
        Spread::Scatter(scatter(data, rows, dims, &mean))
    };
    Moments {
        rows,
        dims,
        mean,
        spread,
    }
}

fn column_means<T: Element>(data: &[T], rows: usize, dims: usize) -> Vec<f64> {
    let partial: Vec<Vec<f64>> = data
        .par_chunks(BLOCK_ROWS * dims)
        .map(|block| {
            let mut sum = vec![0.0; dims];
            for row in block.chunks_exact(dims) {
                for (s, &x) in sum.iter_mut().zip(row) {
                    *s += x.into();
                }
            }
            sum
        })
        .collect();
    let mut total = vec![0.0; dims];
    for sum in &partial {
        for (t, s) in total.iter_mut().zip(sum) {
            *t += s;
        }
    }
    let n = rows.max(1) as f64;
    total.iter_mut().for_each(|t| *t /= n);
    total
}

/// Number of row parts: fixed by the shape alone, never by the thread count.
fn part_count(rows: usize, dims: usize) -> usize {
    let blocks = rows.div_ceil(BLOCK_ROWS).max(1);
    let by_memory = (PART_BUDGET_BYTES / (dims * dims * 8).max(1)).max(1);
    blocks.min(MAX_PARTS).min(by_memory)
}

fn scatter<T: Element>(data: &[T], rows: usize, dims: usize, mean: &[f64]) -> Mat<f64> {
    let parts = part_count(rows, dims);
    let blocks = rows.div_ceil(BLOCK_ROWS);
    let blocks_per_part = blocks.div_ceil(parts).max(1);
    let partial: Vec<Mat<f64>> = (0..parts)
        .into_par_iter()
        .map(|p| {
            let first = (p * blocks_per_part * BLOCK_ROWS).min(rows);
            let last = ((p + 1) * blocks_per_part * BLOCK_ROWS).min(rows);
            part_scatter(&data[first * dims..last * dims], dims, mean)
        })
        .collect();
    let mut total = Mat::<f64>::zeros(dims, dims);
    for part in &partial {
        total += part;
    }
    total
}

/// Scatter of one part, block by block, sequentially.
fn part_scatter<T: Element>(data: &[T], dims: usize, mean: &[f64]) -> Mat<f64> {
    let mut acc = Mat::<f64>::zeros(dims, dims);
    // Column i of `centred` is row i of the block: both sides are contiguous.
    let mut centred = Mat::<f64>::zeros(dims, BLOCK_ROWS);
    for block in data.chunks(BLOCK_ROWS * dims) {
        let n = block.len() / dims;
        for (i, row) in block.chunks_exact(dims).enumerate() {
            for ((c, &x), m) in centred.col_as_slice_mut(i).iter_mut().zip(row).zip(mean) {
                *c = x.into() - m;
            }
        }
        let b = centred.subcols(0, n);
        matmul(
            acc.as_mut(),
            BlockStructure::TriangularLower,
            Accum::Add,
            b,
            BlockStructure::Rectangular,
            b.transpose(),
            BlockStructure::Rectangular,
            1.0,
            Par::Seq,
        );
    }
    acc
}

/// Moments of several matrices stacked row-wise (same dims), without stacking them:
/// x̄ = Σ nᵢx̄ᵢ / N and S = Σ [Sᵢ + nᵢ (x̄ᵢ − x̄)(x̄ᵢ − x̄)ᵀ] (Chan et al.'s pairwise
/// update). `None` when `parts` is empty or the dims differ.
pub fn pool(parts: &[&Moments]) -> Option<Moments> {
    let dims = parts.first()?.dims;
    if parts.iter().any(|m| m.dims != dims) {
        return None;
    }
    let rows: usize = parts.iter().map(|m| m.rows).sum();
    let mut mean = vec![0.0; dims];
    for m in parts {
        for (t, x) in mean.iter_mut().zip(&m.mean) {
            *t += m.rows as f64 * x;
        }
    }
    mean.iter_mut().for_each(|t| *t /= rows.max(1) as f64);
    if rows < dims {
        // Still wide: stack the centred rows, each moved by x̄ᵢ − x̄.
        let mut stacked = Mat::<f64>::zeros(rows, dims);
        let mut at = 0;
        for m in parts {
            let Spread::Rows(c) = &m.spread else {
                return None;
            };
            for i in 0..m.rows {
                for j in 0..dims {
                    stacked[(at + i, j)] = c[(i, j)] + m.mean[j] - mean[j];
                }
            }
            at += m.rows;
        }
        return Some(Moments {
            rows,
            dims,
            mean,
            spread: Spread::Rows(stacked),
        });
    }
    let mut scatter = Mat::<f64>::zeros(dims, dims);
    for m in parts {
        let d: Vec<f64> = m.mean.iter().zip(&mean).map(|(a, b)| a - b).collect();
        let n = m.rows as f64;
        let part = m.scatter();
        for j in 0..dims {
            for i in j..dims {
                scatter[(i, j)] += part[(i, j)] + n * d[i] * d[j];
            }
        }
    }
    Some(Moments {
        rows,
        dims,
        mean,
        spread: Spread::Scatter(scatter),
    })
}

/// A fitted PCA.
#[derive(Debug, Clone)]
pub struct Pca {
    pub mean: Vec<f64>,
    /// Every eigenvalue of the covariance (ddof = 1), descending, negatives from
    /// rounding clipped to 0: scikit-learn's `explained_variance_` with all components.
    pub eigenvalues: Vec<f64>,
    /// The first k principal axes (unit length, `dims` long each), signs fixed so
    /// the loading of largest magnitude is positive (the first such on a tie).
    pub components: Vec<Vec<f64>>,
    /// Per-dimension variance (ddof = 1), the diagonal of the covariance.
    pub dim_variance: Vec<f64>,
    /// Mean squared row norm, (1/n) Σ ‖x‖² = (tr S + n‖x̄‖²) / n.
    pub mean_squared_norm: f64,
}

impl Pca {
    /// Total variance Σλ (= trace of the covariance).
    pub fn total_variance(&self) -> f64 {
        self.eigenvalues.iter().sum()
    }

    /// λᵢ / Σλ for the first k components, as scikit-learn's
    /// `explained_variance_ratio_`; `None` when the total variance is 0.
    pub fn explained_variance_ratio(&self) -> Vec<Option<f64>> {
        let total = self.total_variance();
        self.eigenvalues[..self.components.len()]
            .iter()
            .map(|&l| (total > 0.0).then(|| l / total))
            .collect()
    }
}

/// Fits the first `k` components (k is capped at dims) from `m`.
///
/// Matches `sklearn.decomposition.PCA(n_components=k, svd_solver="covariance_eigh")`
/// (and `"full"`) up to the signs of the components. `None` when there are fewer
/// than 2 rows or no dims (the covariance is undefined), or when the eigensolver
/// does not converge. Components of repeated eigenvalues are not unique; any
/// orthonormal basis of their span is a correct answer.
pub fn fit(m: &Moments, k: usize) -> Option<Pca> {
    if m.rows < 2 || m.dims == 0 {
        return None;
    }
    let scatter = match &m.spread {
        Spread::Scatter(s) => s,
        Spread::Rows(c) => return fit_rows(m, c, k),
    };
    let d = m.dims;
    let cov = Mat::<f64>::from_fn(d, d, |i, j| {
        let (i, j) = if i >= j { (i, j) } else { (j, i) };
        scatter[(i, j)] / (m.rows - 1) as f64
    });
    let (values, vectors) = eigh(&cov)?;
    let order: Vec<usize> = (0..d).rev().collect();
    let eigenvalues = order.iter().map(|&i| values[i].max(0.0)).collect();
    let components = order
        .iter()
        .take(k.min(d))
        .map(|&c| fix_sign((0..d).map(|r| vectors[(r, c)]).collect()))
        .collect();
    let dim_variance: Vec<f64> = (0..d).map(|j| cov[(j, j)].max(0.0)).collect();
    let trace_s: f64 = (0..d).map(|j| scatter[(j, j)]).sum();
    let mean_sq: f64 = m.mean.iter().map(|x| x * x).sum();
    let n = m.rows as f64;
    Some(Pca {
        mean: m.mean.clone(),
        eigenvalues,
        components,
        dim_variance,
        mean_squared_norm: (trace_s + n * mean_sq) / n,
    })
}

/// [`fit`] of a wide matrix from its centred rows C (n < d): the eigenpairs
/// (λ, u) of G = CCᵀ/(n − 1) give the covariance's, with axis v = Cᵀu/‖Cᵀu‖;
/// the other d − n eigenvalues are 0. An axis past the rank (λ ≈ 0) is left
/// as the zero vector: every row projects to 0 on any such axis.
fn fit_rows(m: &Moments, c: &Mat<f64>, k: usize) -> Option<Pca> {
    let (n, d) = (m.rows, m.dims);
    let scale = (n - 1) as f64;
    let mut gram = Mat::<f64>::zeros(n, n);
    faer::linalg::matmul::matmul(
        gram.as_mut(),
        Accum::Replace,
        c,
        c.transpose(),
        1.0 / scale,
        Par::Seq,
    );
    let (values, vectors) = eigh(&gram)?;
    let mut eigenvalues: Vec<f64> = (0..n).rev().map(|i| values[i].max(0.0)).collect();
    let top = eigenvalues.first().copied().unwrap_or(0.0);
    let components = (0..k.min(d))
        .map(|j| {
            let Some(&lambda) = eigenvalues.get(j) else {
                return vec![0.0; d];
            };
            if lambda <= top * 1e-12 {
                return vec![0.0; d];
            }
            let u = n - 1 - j;
            let v: Vec<f64> = (0..d)
                .map(|col| (0..n).map(|row| c[(row, col)] * vectors[(row, u)]).sum())
                .collect();
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            fix_sign(v.into_iter().map(|x| x / norm).collect())
        })
        .collect();
    eigenvalues.resize(d, 0.0);
    let column_squares: Vec<f64> = (0..d)
        .map(|col| (0..n).map(|row| c[(row, col)] * c[(row, col)]).sum())
        .collect();
    let dim_variance = column_squares.iter().map(|s| s / scale).collect();
    let trace_s: f64 = column_squares.iter().sum();
    let mean_sq: f64 = m.mean.iter().map(|x| x * x).sum();
    Some(Pca {
        mean: m.mean.clone(),
        eigenvalues,
        components,
        dim_variance,
        mean_squared_norm: (trace_s + n as f64 * mean_sq) / n as f64,
    })
}

/// Ascending eigenvalues and eigenvectors of a symmetric matrix, single-threaded so
/// the result does not depend on the thread pool.
fn eigh(a: &Mat<f64>) -> Option<(Vec<f64>, Mat<f64>)> {
    let n = a.nrows();
    let mut s = faer::diag::Diag::<f64>::zeros(n);
    let mut u = Mat::<f64>::zeros(n, n);
    let scratch = evd::self_adjoint_evd_scratch::<f64>(
        n,
        ComputeEigenvectors::Yes,
        Par::Seq,
        Default::default(),
    );
    let mut buffer = MemBuffer::try_new(scratch).ok()?;
    evd::self_adjoint_evd(
        a.as_ref(),
        s.as_mut(),
        Some(u.as_mut()),
        Par::Seq,
        MemStack::new(&mut buffer),
        Default::default(),
    )
    .ok()?;
    let values: Vec<f64> = (0..n).map(|i| s[i]).collect();
    values.iter().all(|v| v.is_finite()).then_some((values, u))
}

/// Flips `v` so its largest-magnitude entry (the first on a tie) is positive.
fn fix_sign(mut v: Vec<f64>) -> Vec<f64> {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if x.abs() > v[best].abs() {
            best = i;
        }
    }
    if v.get(best).is_some_and(|&x| x < 0.0) {
        v.iter_mut().for_each(|x| *x = -*x);
    }
    v
}

/// Coordinates of the rows `which` (indices into `data`, `dims` wide) on the
/// components: (x − x̄)·vⱼ, divided by √λⱼ when `whiten` (scikit-learn's
/// `whiten=True`; a component with λ = 0 gives 0 instead of a division by zero).
/// Returns `which.len() × k` values, row-major.
pub fn project<T: Element>(
    data: &[T],
    dims: usize,
    pca: &Pca,
    whiten: bool,
    which: &[usize],
) -> Vec<f64> {
    let k = pca.components.len();
    let scale: Vec<f64> = pca.eigenvalues[..k]
        .iter()
        .map(|&l| {
            if !whiten {
                1.0
            } else if l > 0.0 {
                1.0 / l.sqrt()
            } else {
                0.0
            }
        })
        .collect();
    let mut out = vec![0.0; which.len() * k];
    out.par_chunks_mut(k.max(1))
        .zip(which.par_iter())
        .for_each(|(dst, &r)| {
            let row = &data[r * dims..(r + 1) * dims];
            for ((d, v), s) in dst.iter_mut().zip(&pca.components).zip(&scale) {
                let dot: f64 = row
                    .iter()
                    .zip(v)
                    .zip(&pca.mean)
                    .map(|((&x, vi), m)| (x.into() - m) * vi)
                    .sum();
                *d = dot * s;
            }
        });
    out
}

/// Thresholds of the collapse diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// A dimension is dead when its std is below this fraction of the largest std.
    pub dead_std: f64,
    /// `dimensional collapse` when the effective rank is below this fraction of dims.
    pub min_rank_fraction: f64,
}

/// Verdict on a representation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "healthy")]
    Healthy,
    #[serde(rename = "dimensional collapse")]
    DimensionalCollapse,
    #[serde(rename = "collapse")]
    Collapse,
}

/// Min, mean and max of the per-dimension standard deviations (ddof = 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DimStd {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// The numbers behind a verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostics {
    /// exp(−Σ pᵢ ln pᵢ), pᵢ = σᵢ / Σσ over the singular values σ of the centred
    /// matrix (σᵢ ∝ √λᵢ), as RankMe (Garrido et al., ICML 2023) but centred and
    /// without its ε; 0 ln 0 = 0. `None` when the total variance is 0.
    pub effective_rank: Option<f64>,
    pub dim_std: DimStd,
    /// Dimensions whose std is below `dead_std` × the largest std (all of them when
    /// every dimension is constant).
    pub dead_dims: usize,
    pub total_variance: f64,
    pub mean_squared_norm: f64,
    /// `min_rank_fraction` × dims: the effective rank a healthy representation reaches.
    pub rank_threshold: f64,
    pub verdict: Verdict,
}

/// Effective rank, dead dimensions and verdict of a fitted PCA:
/// `collapse` when total variance ≤ 1e-8 × mean squared row norm (every row nearly
/// the same point; also when every row is 0), else `dimensional collapse` when
/// effective rank < `min_rank_fraction` × dims, else `healthy`.
pub fn diagnose(pca: &Pca, t: Thresholds) -> Diagnostics {
    let total = pca.total_variance();
    let stds: Vec<f64> = pca.dim_variance.iter().map(|v| v.sqrt()).collect();
    let max = stds.iter().copied().fold(0.0, f64::max);
    let min = stds.iter().copied().fold(f64::INFINITY, f64::min);
    let mean = stds.iter().sum::<f64>() / stds.len().max(1) as f64;
    let dead_dims = stds
        .iter()
        .filter(|&&s| max == 0.0 || s < t.dead_std * max)
        .count();
    let effective_rank = effective_rank(&pca.eigenvalues);
    let rank_threshold = t.min_rank_fraction * pca.eigenvalues.len() as f64;
    let verdict = if total <= COLLAPSE_FRACTION * pca.mean_squared_norm {
        Verdict::Collapse
    } else if effective_rank.is_some_and(|r| r < rank_threshold) {
        Verdict::DimensionalCollapse
    } else {
        Verdict::Healthy
    };
    Diagnostics {
        effective_rank,
        dim_std: DimStd {
            mean,
            min: if min.is_finite() { min } else { 0.0 },
            max,
        },
        dead_dims,
        total_variance: total,
        mean_squared_norm: pca.mean_squared_norm,
        rank_threshold,
        verdict,
    }
}

/// exp of the entropy of the normalised singular values √λ; `None` when all are 0.
///
/// Eigenvalues below dims · ε · λ_max are rounding noise of the covariance route
/// (their square roots would add about 1e-8 each to the spread) and count as 0, the
/// covariance-side equivalent of numpy's `matrix_rank` tolerance.
pub fn effective_rank(eigenvalues: &[f64]) -> Option<f64> {
    let top = eigenvalues.iter().copied().fold(0.0, f64::max);
    let floor = eigenvalues.len() as f64 * f64::EPSILON * top;
    let sigma: Vec<f64> = eigenvalues
        .iter()
        .map(|&l| if l > floor { l.sqrt() } else { 0.0 })
        .collect();
    let total: f64 = sigma.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let entropy: f64 = sigma
        .iter()
        .map(|s| s / total)
        .filter(|&p| p > 0.0)
        .map(|p| -p * p.ln())
        .sum();
    Some(entropy.exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wide_matrix_fits_as_its_covariance_does() {
        let (rows, dims) = (5, 8);
        let data: Vec<f64> = (0..rows * dims)
            .map(|i| ((i * i * 7 + i * 3) % 101) as f64 / 101.0)
            .collect();
        let wide = moments(&data, rows, dims);
        assert!(matches!(wide.spread, Spread::Rows(_)));
        let full = Moments {
            spread: Spread::Scatter(wide.scatter()),
            ..wide.clone()
        };
        let (a, b) = (fit(&wide, 3).unwrap(), fit(&full, 3).unwrap());
        for (x, y) in a.eigenvalues.iter().zip(&b.eigenvalues) {
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
        for (u, v) in a.components.iter().zip(&b.components) {
            let dot: f64 = u.iter().zip(v).map(|(p, q)| p * q).sum();
            assert!((dot - 1.0).abs() < 1e-9, "{dot}");
        }
        for (x, y) in a.dim_variance.iter().zip(&b.dim_variance) {
            assert!((x - y).abs() < 1e-12);
        }
        assert!((a.mean_squared_norm - b.mean_squared_norm).abs() < 1e-12);
    }
}
