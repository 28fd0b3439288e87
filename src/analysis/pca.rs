//! `xreport pca`: a 2-D projection of each embedding matrix, coloured by label, and
//! the numbers that say whether the representation collapsed.
//!
//! Flow: read every input (`load::embeddings`), fit a PCA per input (and one on all
//! inputs stacked for `--shared-basis`), diagnose each input on its own PCA, then
//! project a deterministic label-stratified subsample for the plot. The statistics
//! always use every row; only the drawing is subsampled.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::pca_figure::{Figure, Panel};
use crate::error::{Error, Result};
use crate::load::embeddings::{self, Embeddings, ReadOptions, Values};
use crate::load::run_name;
use crate::render::format;
use crate::stats::pca::{self as stats_pca, Diagnostics, Moments, Pca, Thresholds};
use crate::stats::rng;

/// Every option of `xreport pca`'s numbers and panels (resolved: defaults
/// applied, no clap); the figure's size and marks are `plot::scatter::Marks`.
#[derive(Debug, Clone, PartialEq)]
pub struct PcaOptions {
    /// `--labels FILE`: one label per line, for every input.
    pub labels: Option<PathBuf>,
    /// `--label-column NAME` (CSV/TSV/Parquet).
    pub label_column: Option<String>,
    /// `--key NAME`: the `.npz` member.
    pub key: Option<String>,
    /// `--columns GLOB` (repeatable): numeric table columns.
    pub columns: Vec<String>,
    /// `--components K` (default 2): components fitted and reported.
    pub components: usize,
    /// `--pairs`: one panel per pair of components instead of PC1–PC2 only.
    pub pairs: bool,
    /// `--whiten`: scale each component to unit variance in the plot.
    pub whiten: bool,
    /// `--shared-basis`: project every input on one PCA of all inputs stacked.
    pub shared_basis: bool,
    /// `--max-classes N` (default 10): more labels than this fold into "other".
    pub max_classes: usize,
    /// `--max-points N` (default 50,000): points drawn per input.
    pub max_points: usize,
    /// `--dead-std X` (default 1e-6): dead when std < X × the largest std.
    pub dead_std: f64,
    /// `--min-rank-fraction X` (default 0.1).
    pub min_rank_fraction: f64,
    /// `--seed N` (default 0): the subsample's seed.
    pub seed: u64,
    /// `--title TEXT`: figure title.
    pub title: Option<String>,
}

impl Default for PcaOptions {
    fn default() -> Self {
        PcaOptions {
            labels: None,
            label_column: None,
            key: None,
            columns: Vec::new(),
            components: 2,
            pairs: false,
            whiten: false,
            shared_basis: false,
            max_classes: 10,
            max_points: 50_000,
            dead_std: 1e-6,
            min_rank_fraction: 0.1,
            seed: 0,
            title: None,
        }
    }
}

/// The `xreport.pca/1` report (DESIGN section 5).
#[derive(Debug, Clone, Serialize)]
pub struct PcaReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub settings: Settings,
    pub inputs: Vec<InputReport>,
    /// The stacked fit used for every panel under `--shared-basis`.
    pub shared_basis: Option<SharedBasis>,
    /// What the plot draws: a subsample of up to `max_points` projected
    /// points per panel, too many for the JSON (`plotted_rows` counts them).
    #[serde(skip)]
    pub figure: Figure,
}

/// The settings the numbers depend on.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub components: usize,
    pub whiten: bool,
    pub shared_basis: bool,
    pub dead_std: f64,
    pub min_rank_fraction: f64,
    pub collapse_fraction: f64,
    pub max_points: usize,
    pub max_classes: usize,
    pub seed: u64,
    /// Always `true`: columns are centred before the decomposition.
    pub centred: bool,
    /// Variances and stds use n − 1 (as scikit-learn's `explained_variance_`).
    pub ddof: u32,
    pub sign_rule: &'static str,
}

/// One input's numbers.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    /// The panel title: condition and seed from a run tree, else the file name.
    pub title: String,
    pub rows: usize,
    pub dims: usize,
    /// λᵢ / Σλ for the first `components` of the input's own PCA.
    pub explained_variance_ratio: Vec<Option<f64>>,
    /// λᵢ (covariance eigenvalues, ddof = 1).
    pub explained_variance: Vec<f64>,
    #[serde(flatten)]
    pub diagnostics: Diagnostics,
    /// Rows drawn in the plot (all rows unless above `max_points`).
    pub plotted_rows: usize,
    /// Rows per label (keys in byte order); empty when unlabelled.
    pub label_counts: BTreeMap<String, usize>,
}

/// The PCA of all inputs stacked.
#[derive(Debug, Clone, Serialize)]
pub struct SharedBasis {
    pub rows: usize,
    pub explained_variance_ratio: Vec<Option<f64>>,
}

/// One loaded input with its labels.
struct Input {
    emb: Embeddings,
    labels: Option<Vec<String>>,
    moments: Moments,
    pca: Pca,
}

/// Reads every input, fits, diagnoses and prepares the figure.
///
/// Errors: any input error of [`embeddings::read`]; a label count that differs
/// from the row count (both counts named); `--components` of 0 or above an input's
/// dims; inputs of different dims under `--shared-basis`; `--labels` together with
/// `--label-column`.
pub fn run(inputs: &[PathBuf], opts: &PcaOptions) -> Result<PcaReport> {
    check_options(inputs, opts)?;
    let shared_labels = opts
        .labels
        .as_deref()
        .map(embeddings::read_labels)
        .transpose()?;
    let read_opts = ReadOptions {
        key: opts.key.clone(),
        columns: opts.columns.clone(),
        label_column: opts.label_column.clone(),
    };
    let loaded = inputs
        .iter()
        .map(|path| load_input(path, &read_opts, shared_labels.as_deref(), opts))
        .collect::<Result<Vec<_>>>()?;
    let shared = if opts.shared_basis {
        Some(shared_fit(&loaded, opts)?)
    } else {
        None
    };
    let classes = Classes::new(&loaded, opts.max_classes);
    let thresholds = Thresholds {
        dead_std: opts.dead_std,
        min_rank_fraction: opts.min_rank_fraction,
    };
    let mut reports = Vec::new();
    let mut panels = Vec::new();
    for (index, input) in loaded.iter().enumerate() {
        let basis = shared.as_ref().map_or(&input.pca, |(pca, _)| pca);
        let which = subsample(input, &classes, opts, index as u64);
        panels.extend(input_panels(input, basis, &which, &classes, opts));
        reports.push(input_report(input, thresholds, which.len()));
    }
    Ok(PcaReport {
        xreport_version: env!("CARGO_PKG_VERSION"),
        schema: "xreport.pca/1",
        settings: settings(opts),
        inputs: reports,
        shared_basis: shared.map(|(pca, rows)| SharedBasis {
            rows,
            explained_variance_ratio: pca.explained_variance_ratio(),
        }),
        figure: Figure {
            title: opts.title.clone(),
            classes: classes.legend(),
            has_other: classes.folded,
            columns: if opts.pairs {
                pairs(opts.components).len()
            } else {
                loaded.len().min(3)
            },
            panels,
        },
    })
}

fn check_options(inputs: &[PathBuf], opts: &PcaOptions) -> Result<()> {
    if inputs.is_empty() {
        return Err(Error::usage(
            "no embeddings given: pass one or more .npy/.npz/.csv/.tsv/.parquet files",
        ));
    }
    if opts.labels.is_some() && opts.label_column.is_some() {
        return Err(Error::usage(
            "give labels either with --labels FILE or with --label-column, not both",
        ));
    }
    if opts.components == 0 {
        return Err(Error::usage("--components must be at least 1"));
    }
    let positive = |v: f64| v.is_finite() && v >= 0.0;
    if !positive(opts.dead_std) || !positive(opts.min_rank_fraction) {
        return Err(Error::usage(
            "--dead-std and --min-rank-fraction must be finite and not negative",
        ));
    }
    Ok(())
}

fn load_input(
    path: &Path,
    read_opts: &ReadOptions,
    labels: Option<&[String]>,
    opts: &PcaOptions,
) -> Result<Input> {
    let mut emb = embeddings::read(path, read_opts)?;
    if opts.components > emb.dims {
        return Err(Error::usage(format!(
            "--components {} but {} has {} dims",
            opts.components,
            path.display(),
            emb.dims
        )));
    }
    let labels = match (labels, emb.labels.take()) {
        (Some(shared), _) => {
            if let Some(file) = &opts.labels {
                embeddings::check_label_count(&emb, shared, file)?;
            }
            Some(shared.to_vec())
        }
        (None, own) => own,
    };
    let moments = match &emb.values {
        Values::F32(v) => stats_pca::moments(v, emb.rows, emb.dims),
        Values::F64(v) => stats_pca::moments(v, emb.rows, emb.dims),
    };
    let pca = stats_pca::fit(&moments, opts.components).ok_or_else(|| {
        Error::input(
            path,
            "the eigendecomposition of the covariance did not converge",
        )
    })?;
    Ok(Input {
        emb,
        labels,
        moments,
        pca,
    })
}

/// One PCA of every input stacked; returns it with the stacked row count.
fn shared_fit(loaded: &[Input], opts: &PcaOptions) -> Result<(Pca, usize)> {
    let parts: Vec<&Moments> = loaded.iter().map(|i| &i.moments).collect();
    let pooled = stats_pca::pool(&parts).ok_or_else(|| {
        let dims: Vec<String> = loaded
            .iter()
            .map(|i| format!("{} ({} dims)", i.emb.path.display(), i.emb.dims))
            .collect();
        Error::usage(format!(
            "--shared-basis needs inputs of equal dims: {}",
            dims.join(", ")
        ))
    })?;
    let pca = stats_pca::fit(&pooled, opts.components).ok_or_else(|| {
        Error::usage("the eigendecomposition of the stacked covariance did not converge")
    })?;
    Ok((pca, pooled.rows))
}

/// Legend classes: labels in natural order; past `max_classes`, the most frequent
/// `max_classes` are kept (ties in natural order) and the rest fold into "other".
struct Classes {
    kept: Vec<String>,
    folded: bool,
}

const OTHER: &str = "other";

impl Classes {
    fn new(loaded: &[Input], max_classes: usize) -> Self {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for labels in loaded.iter().filter_map(|i| i.labels.as_ref()) {
            for l in labels {
                *counts.entry(l.as_str()).or_default() += 1;
            }
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| crate::load::natural_cmp(a.0, b.0))
        });
        let folded = by_count.len() > max_classes;
        let mut kept: Vec<String> = by_count
            .iter()
            .take(max_classes)
            .map(|(l, _)| l.to_string())
            .collect();
        kept.sort_by(|a, b| crate::load::natural_cmp(a, b));
        Classes { kept, folded }
    }

    fn legend(&self) -> Vec<String> {
        let mut legend = self.kept.clone();
        if self.folded {
            legend.push(OTHER.to_string());
        }
        legend
    }

    /// The legend index of each row's label (0 for unlabelled rows).
    fn indices(&self, labels: Option<&[String]>, rows: usize) -> Vec<u32> {
        let Some(labels) = labels else {
            return vec![0; rows];
        };
        let index: BTreeMap<&str, u32> = self
            .kept
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i as u32))
            .collect();
        let other = self.kept.len() as u32;
        labels
            .iter()
            .map(|l| index.get(l.as_str()).copied().unwrap_or(other))
            .collect()
    }
}

/// Rows to draw: all of them, or `max_points` chosen per class in proportion to its
/// size (largest remainders, ties to the earlier class), each class's rows drawn by
/// a partial Fisher–Yates shuffle of the seeded stream (seed, "pca.subsample",
/// input index). Sorted ascending.
fn subsample(input: &Input, classes: &Classes, opts: &PcaOptions, index: u64) -> Vec<usize> {
    let rows = input.emb.rows;
    if rows <= opts.max_points {
        return (0..rows).collect();
    }
    let class_of = classes.indices(input.labels.as_deref(), rows);
    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (row, &c) in class_of.iter().enumerate() {
        members.entry(c).or_default().push(row);
    }
    let quotas = quotas(
        &members.values().map(Vec::len).collect::<Vec<_>>(),
        opts.max_points,
    );
    let mut stream = rng::stream(opts.seed, rng::stream_key(&["pca.subsample"]), index);
    let mut chosen = Vec::with_capacity(opts.max_points);
    for (mut rows_of_class, quota) in members.into_values().zip(quotas) {
        for i in 0..quota {
            let left = (rows_of_class.len() - i) as u32;
            let j = i + stream.index(left) as usize;
            rows_of_class.swap(i, j);
        }
        chosen.extend_from_slice(&rows_of_class[..quota]);
    }
    chosen.sort_unstable();
    chosen
}

/// Splits `total` over groups of the given sizes in proportion (Hamilton's method).
fn quotas(sizes: &[usize], total: usize) -> Vec<usize> {
    let n: usize = sizes.iter().sum();
    let exact: Vec<(usize, u128)> = sizes
        .iter()
        .map(|&s| {
            let num = s as u128 * total as u128;
            ((num / n as u128) as usize, num % n as u128)
        })
        .collect();
    let mut q: Vec<usize> = exact.iter().map(|e| e.0).collect();
    let short = total - q.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
    for &i in order.iter().take(short) {
        q[i] += 1;
    }
    q
}

fn pairs(components: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for a in 0..components {
        for b in a + 1..components {
            out.push((a, b));
        }
    }
    out
}

fn input_panels(
    input: &Input,
    basis: &Pca,
    which: &[usize],
    classes: &Classes,
    opts: &PcaOptions,
) -> Vec<Panel> {
    let coords = match &input.emb.values {
        Values::F32(v) => stats_pca::project(v, input.emb.dims, basis, opts.whiten, which),
        Values::F64(v) => stats_pca::project(v, input.emb.dims, basis, opts.whiten, which),
    };
    let k = basis.components.len();
    let all = classes.indices(input.labels.as_deref(), input.emb.rows);
    let class_of: Vec<u32> = which.iter().map(|&r| all[r]).collect();
    let ratios = basis.explained_variance_ratio();
    let caption = (which.len() < input.emb.rows).then(|| {
        format!(
            "{} of {} points shown ({}); statistics use all rows",
            thousands(which.len()),
            thousands(input.emb.rows),
            if input.labels.is_some() {
                "stratified by label"
            } else {
                "random sample"
            }
        )
    });
    let chosen = if k < 2 {
        Vec::new()
    } else if opts.pairs {
        pairs(k)
    } else {
        vec![(0, 1)]
    };
    chosen
        .into_iter()
        .map(|(a, b)| Panel {
            title: title_of(&input.emb.path),
            x_label: axis_label(a, ratios[a]),
            y_label: axis_label(b, ratios[b]),
            points: (0..which.len())
                .map(|i| (coords[i * k + a], coords[i * k + b]))
                .collect(),
            classes: class_of.clone(),
            caption: caption.clone(),
        })
        .collect()
}

/// `PC1 (41.2 %)`.
fn axis_label(component: usize, ratio: Option<f64>) -> String {
    match ratio {
        Some(r) => format!("PC{} ({} %)", component + 1, format::percent_fixed(r, 1)),
        None => format!("PC{} ({})", component + 1, format::UNDEFINED),
    }
}

/// `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The condition and seed of a file inside a run tree (`exp0/seed_42/latents.npy` →
/// `exp0 · seed 42`), else the file name.
pub fn title_of(path: &Path) -> String {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
    };
    let file = name(Some(path)).unwrap_or_default();
    let parent = path.parent();
    match name(parent).as_deref().and_then(run_name::parse) {
        Some(run) => match name(parent.and_then(Path::parent)) {
            Some(condition) => format!("{condition} · seed {}", run.seed),
            None => format!("seed {}", run.seed),
        },
        None => file,
    }
}

fn input_report(input: &Input, thresholds: Thresholds, plotted_rows: usize) -> InputReport {
    let k = input.pca.components.len();
    let mut label_counts = BTreeMap::new();
    for l in input.labels.iter().flatten() {
        *label_counts.entry(l.clone()).or_insert(0) += 1;
    }
    InputReport {
        path: input.emb.path.to_string_lossy().replace('\\', "/"),
        title: title_of(&input.emb.path),
        rows: input.emb.rows,
        dims: input.emb.dims,
        explained_variance_ratio: input.pca.explained_variance_ratio(),
        explained_variance: input.pca.eigenvalues[..k].to_vec(),
        diagnostics: stats_pca::diagnose(&input.pca, thresholds),
        plotted_rows,
        label_counts,
    }
}

fn settings(opts: &PcaOptions) -> Settings {
    Settings {
        components: opts.components,
        whiten: opts.whiten,
        shared_basis: opts.shared_basis,
        dead_std: opts.dead_std,
        min_rank_fraction: opts.min_rank_fraction,
        collapse_fraction: stats_pca::COLLAPSE_FRACTION,
        max_points: opts.max_points,
        max_classes: opts.max_classes,
        seed: opts.seed,
        centred: true,
        ddof: 1,
        sign_rule: "largest |loading| positive",
    }
}
