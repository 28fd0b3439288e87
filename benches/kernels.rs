//! In-process timings of xreport's statistical kernels (`cargo bench`), the
//! pieces the end-to-end workloads of docs/PERFORMANCE.md are made of.
//! Inputs are deterministic; sizes follow DESIGN section 9.

use divan::{Bencher, black_box};
use xreport::stats::aso::{self, AsoConfig};
use xreport::stats::bootstrap::{self, BootstrapConfig, CiMethod};
use xreport::stats::cluster::{self, Clustered};
use xreport::stats::inference::{self, Alternative, TestConfig, TestKind};
use xreport::stats::twoway::{self, System};
use xreport::stats::{friedman, pca, posthoc, power, ranks, rng};

fn main() {
    divan::main();
}

/// A deterministic right-skewed sample of `n` values.
fn sample(n: usize, shift: f64) -> Vec<f64> {
    let mut stream = rng::stream(1, rng::stream_key(&["bench", &n.to_string()]), 0);
    (0..n)
        .map(|_| shift + (f64::from(stream.next_u32()) / f64::from(u32::MAX)).powi(3))
        .collect()
}

fn config(resamples: usize) -> BootstrapConfig {
    BootstrapConfig {
        resamples,
        confidence: 0.95,
        method: CiMethod::Bca,
        seed: 0,
    }
}

/// One group's BCa interval of the mean: 10 seeds, 10,000 resamples (W1, W2).
#[divan::bench]
fn mean_ci_10_seeds(b: Bencher) {
    let x = sample(10, 0.0);
    b.bench(|| bootstrap::mean_ci(black_box(&x), &config(10_000), 7));
}

/// Draws only: the replicates of the mean of 10 values, 10,000 resamples.
#[divan::bench]
fn mean_replicates_10_seeds(b: Bencher) {
    let x = sample(10, 0.0);
    b.bench(|| bootstrap::mean_replicates(black_box(&x), &config(10_000), 7));
}

/// A difference's interval from replicates both groups already drew (compare).
#[divan::bench]
fn mean_diff_ci_of_replicates(b: Bencher) {
    let (base, treat) = (sample(10, 0.0), sample(10, 0.1));
    let cfg = config(10_000);
    let rb = bootstrap::baseline_mean_replicates(&base, &cfg, 1).expect("replicates");
    let rt = bootstrap::mean_replicates(&treat, &cfg, 2).expect("replicates");
    b.bench(|| bootstrap::mean_diff_ci_of_replicates(&base, &treat, &rb, &rt, &cfg));
}

/// The paired bootstrap of W3 at a tenth of its resamples: 200,000 examples, 1,000 resamples.
#[divan::bench(sample_count = 10)]
fn paired_bootstrap_200k_examples(b: Bencher) {
    let (base, treat) = (sample(200_000, 0.0), sample(200_000, 0.01));
    b.bench(|| bootstrap::paired_mean_diff_ci(&base, &treat, &config(1_000), 3));
}

/// W3's real shape: paired 0/1 per-example scores of 200,000 examples, 10,000
/// resamples. The differences take 3 values, so each replicate is one
/// multinomial draw over them (a few binomials), not 200,000 index draws.
#[divan::bench(sample_count = 20)]
fn paired_bootstrap_200k_binary_examples(b: Bencher) {
    let correct = |p: f64, key: &str| -> Vec<f64> {
        let mut stream = rng::stream(2, rng::stream_key(&["bench.binary", key]), 0);
        (0..200_000)
            .map(|_| {
                f64::from(u8::from(
                    f64::from(stream.next_u32()) < p * f64::from(u32::MAX),
                ))
            })
            .collect()
    };
    let (base, treat) = (correct(0.71, "a"), correct(0.72, "b"));
    b.bench(|| bootstrap::paired_mean_diff_ci(black_box(&base), &treat, &config(10_000), 3));
}

/// W3b's two-way interval: 2 systems × 3 seeds on 200,000 shared examples
/// (per-example sums, one example per unit).
#[divan::bench(sample_count = 20)]
fn two_way_interval_3_seeds_200k_examples(b: Bencher) {
    let (units, seeds) = (200_000, 3);
    let (base, treat) = (sample(units * seeds, 0.0), sample(units * seeds, 0.01));
    let sizes = vec![1.0; units];
    b.bench(|| {
        twoway::diff_ci(
            System {
                sums: black_box(&base),
                seeds,
            },
            System {
                sums: &treat,
                seeds,
            },
            &sizes,
            0.95,
        )
    });
}

/// The cluster bootstrap of W3c: 0/1 differences of 200,000 examples in
/// 20,000 passages of 10, 10,000 resamples (the multinomial path over the
/// passages' few (sum, size) kinds), with the CR1 mean.
#[divan::bench(sample_count = 20)]
fn cluster_bootstrap_20k_passages(b: Bencher) {
    let n = 200_000;
    let mut stream = rng::stream(3, rng::stream_key(&["bench", "clusters"]), 0);
    let values: Vec<f64> = (0..n).map(|_| f64::from(stream.index(3)) - 1.0).collect();
    let of: Vec<u32> = (0..n as u32).map(|i| i / 10).collect();
    let data = Clustered {
        values: &values,
        of: &of,
        count: n / 10,
    };
    let cfg = config(10_000);
    b.bench(|| {
        (
            cluster::cr1_mean(black_box(data)),
            cluster::bootstrap_ci(data, &cfg, 7),
        )
    });
}

/// `xreport rank`'s statistics: average ranks of 8 methods on 26 tasks (Atari
/// 100k's shape), the Friedman test and Nemenyi's critical difference.
#[divan::bench]
fn friedman_nemenyi_26_tasks_8_methods(b: Bencher) {
    let scores = sample(26 * 8, 0.0);
    b.bench(|| {
        let table: Vec<Vec<f64>> = black_box(&scores)
            .chunks(8)
            .map(|task| ranks::average_ranks(task, false))
            .collect();
        let test = friedman::friedman(&table);
        (test, posthoc::nemenyi_cd(0.05, 8, 26))
    });
}

/// Welch's t-test of 10 vs 10 seeds.
#[divan::bench]
fn welch_test(b: Bencher) {
    let (base, treat) = (sample(10, 0.0), sample(10, 0.1));
    let permutation = TestConfig::seeded(0, 0, 0);
    b.bench(|| {
        inference::run_test(
            TestKind::Welch,
            black_box(&base),
            black_box(&treat),
            Alternative::TwoSided,
            &permutation,
        )
    });
}

/// Seeds per group for 80% power (noncentral t), a small effect.
#[divan::bench]
fn seeds_needed(b: Bencher) {
    b.bench(|| power::seeds_needed(black_box(0.05), 0.12, 0.1, 0.05, 0.8, 1000));
}

/// Covariance moments and a 2-component PCA of 20,000 × 256 float32 embeddings.
#[divan::bench(sample_count = 10)]
fn pca_20k_by_256(b: Bencher) {
    let (rows, dims) = (20_000, 256);
    let mut stream = rng::stream(4, rng::stream_key(&["bench.pca"]), 0);
    let data: Vec<f32> = (0..rows * dims)
        .map(|_| stream.next_u32() as f32 / u32::MAX as f32)
        .collect();
    b.bench(|| pca::fit(&pca::moments(black_box(&data), rows, dims), 2));
}

/// `shift + frac((i + 1)·φ)³` for i < n: the inputs of benches/python/aso_deepsig.py
/// (its `values`), computed to the same doubles so both sides time the same numbers.
fn golden_values(n: usize, shift: f64) -> Vec<f64> {
    (1..=n)
        .map(|i| {
            let x = i as f64 * 0.618_033_988_749_894_9;
            let f = x - x.floor();
            shift + f * f * f
        })
        .collect()
}

const ASO_CONFIG: AsoConfig = AsoConfig {
    resamples: 1000,
    seed: 0,
    key: 0,
};

/// deepsig's `multi_aso` of 6 models × 5 seeds: ε_min of every pair i < j (model i
/// against model j, one bootstrap of 1000 per pair), Bonferroni over the 15 pairs.
#[divan::bench]
fn aso_6_models_5_seeds(b: Bencher) {
    let models: Vec<Vec<f64>> = golden_values(30, 0.0)
        .chunks(5)
        .enumerate()
        .map(|(k, seeds)| seeds.iter().map(|v| v + 0.05 * k as f64).collect())
        .collect();
    // deepsig: confidence_level += (1 - confidence_level) / num_comparisons
    let confidence = 0.95 + (1.0 - 0.95) / 15.0;
    b.bench(|| {
        let mut eps = Vec::with_capacity(15);
        for i in 0..models.len() {
            for j in i + 1..models.len() {
                eps.push(aso::eps_min(
                    black_box(&models[j]),
                    &models[i],
                    confidence,
                    &ASO_CONFIG,
                ));
            }
        }
        eps
    });
}

/// One ε_min of 1000 vs 1000 scores, 1000 bootstrap iterations (deepsig's `aso`).
#[divan::bench(sample_count = 20)]
fn aso_1000_vs_1000(b: Bencher) {
    let (base, treat) = (golden_values(1000, 0.0), golden_values(1000, 0.02));
    b.bench(|| aso::eps_min(black_box(&base), &treat, 0.95, &ASO_CONFIG));
}
