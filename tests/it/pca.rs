//! `xreport pca` through the library API: scikit-learn references, verdicts,
//! golden plots, determinism, malformed inputs and a rank property.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use xreport::analysis::pca::{self, PcaOptions};
use xreport::error::Error;
use xreport::stats::pca as stats;

use crate::common::fnv1a64;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn reference() -> Value {
    let text = std::fs::read_to_string(root().join("golden/reference/pca.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Options that read a reference case the way the script did.
fn case_options(case: &Value) -> PcaOptions {
    let mut opts = PcaOptions {
        components: case["explained_variance_ratio"].as_array().unwrap().len(),
        key: case["key"].as_str().map(String::from),
        ..PcaOptions::default()
    };
    let path = case["path"].as_str().unwrap();
    if case["iris"].as_bool() == Some(true) {
        // The file's first line is `150,4,setosa,versicolor,virginica`: those are the
        // column names a CSV reader sees (PROVENANCE.md section 3).
        opts.columns = ["150", "4", "setosa", "versicolor"]
            .map(String::from)
            .to_vec();
        opts.label_column = Some("virginica".into());
    } else if path.ends_with(".csv") {
        opts.columns = vec!["z_*".into()];
        opts.label_column = Some("speaker".into());
    }
    opts
}

fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    (a - b).abs() <= abs + rel * b.abs()
}

#[test]
fn diagnostics_match_scikit_learn_and_numpy_on_reference_cases() {
    for case in reference()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let path = root().join(case["path"].as_str().unwrap());
        let report =
            pca::run(&[path], &case_options(case)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = &report.inputs[0];
        assert_eq!(got.rows as u64, case["rows"].as_u64().unwrap(), "{name}");
        assert_eq!(got.dims as u64, case["dims"].as_u64().unwrap(), "{name}");
        let ratios: Vec<f64> = got
            .explained_variance_ratio
            .iter()
            .map(|r| r.unwrap())
            .collect();
        for (g, r) in ratios.iter().zip(f64s(&case["explained_variance_ratio"])) {
            assert!(
                close(*g, r, 0.0, 1e-9),
                "{name}: ratio {g} vs scikit-learn {r}"
            );
        }
        let reference = f64s(&case["explained_variance"]);
        // scikit-learn works in float32 on float32 files: its small eigenvalues carry
        // errors of about 1e-7 of the largest.
        for (g, r) in got.explained_variance.iter().zip(&reference) {
            assert!(
                close(*g, *r, 1e-5, 1e-6 * reference[0]),
                "{name}: variance {g} vs scikit-learn {r}"
            );
        }
        let d = &got.diagnostics;
        let erank = case["effective_rank"].as_f64().unwrap();
        assert!(
            close(d.effective_rank.unwrap(), erank, 1e-6, 0.0),
            "{name}: effective rank {:?} vs {erank}",
            d.effective_rank
        );
        for (g, key) in [
            (d.dim_std.mean, "mean"),
            (d.dim_std.min, "min"),
            (d.dim_std.max, "max"),
        ] {
            let r = case["dim_std"][key].as_f64().unwrap();
            assert!(
                close(g, r, 1e-6, 1e-12),
                "{name}: std {key} {g} vs numpy {r}"
            );
        }
        assert_eq!(
            d.dead_dims as u64,
            case["dead_dims"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            serde_json::to_value(d.verdict).unwrap(),
            case["verdict"],
            "{name}"
        );
    }
}

#[test]
fn components_follow_the_sign_rule_and_match_scikit_learn() {
    for case in reference()["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if case["verdict"] != "healthy" {
            continue; // components of a collapsed matrix are noise
        }
        let path = root().join(case["path"].as_str().unwrap());
        let opts = case_options(case);
        let emb = xreport::load::embeddings::read(
            &path,
            &xreport::load::embeddings::ReadOptions {
                key: opts.key.clone(),
                columns: opts.columns.clone(),
                label_column: opts.label_column.clone(),
            },
        )
        .unwrap();
        let m = match &emb.values {
            xreport::load::embeddings::Values::F32(v) => stats::moments(v, emb.rows, emb.dims),
            xreport::load::embeddings::Values::F64(v) => stats::moments(v, emb.rows, emb.dims),
        };
        let fit = stats::fit(&m, 2).unwrap();
        let tol = if case["dtype"].as_str().unwrap().contains("f4") || case["dtype"] == "float32" {
            1e-4
        } else {
            1e-7
        };
        for (c, r) in fit
            .components
            .iter()
            .zip(case["components"].as_array().unwrap())
        {
            for (g, r) in c.iter().zip(f64s(r)) {
                assert!(
                    close(*g, r, 0.0, tol),
                    "{name}: loading {g} vs scikit-learn {r}"
                );
            }
        }
    }
}

#[test]
fn iris_matches_the_published_scikit_learn_ratios() {
    let case = serde_json::json!({
        "path": "golden/reference/pca/iris.csv", "iris": true, "explained_variance_ratio": [0, 0, 0, 0]
    });
    let report = pca::run(
        &[root().join("golden/reference/pca/iris.csv")],
        &case_options(&case),
    )
    .unwrap();
    let got: Vec<f64> = report.inputs[0]
        .explained_variance_ratio
        .iter()
        .map(|r| r.unwrap())
        .collect();
    // scikit-learn's plot_pca_vs_lda example and PROVENANCE.md section 3.
    for (g, r) in got
        .iter()
        .zip([0.92461872, 0.05306648, 0.01710261, 0.00521218])
    {
        assert!((g - r).abs() < 5e-9, "{g} vs {r}");
    }
    assert_eq!(report.inputs[0].label_counts.len(), 3);
}

fn example_paths() -> Vec<PathBuf> {
    [
        "seed_42",
        "dimensional_collapse/seed_42",
        "collapse/seed_42",
    ]
    .iter()
    .map(|d| root().join("examples/latents").join(d).join("latents.npy"))
    .collect()
}

fn example_options() -> PcaOptions {
    PcaOptions {
        labels: Some(root().join("examples/latents/labels.txt")),
        ..PcaOptions::default()
    }
}

#[test]
fn verdicts_name_the_collapsed_and_low_rank_examples() {
    let report = pca::run(&example_paths(), &example_options()).unwrap();
    let verdicts: Vec<Value> = report
        .inputs
        .iter()
        .map(|i| serde_json::to_value(i.diagnostics.verdict).unwrap())
        .collect();
    assert_eq!(verdicts, ["healthy", "dimensional collapse", "collapse"]);
    let titles: Vec<&str> = report.inputs.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "latents · seed 42",
            "dimensional_collapse · seed 42",
            "collapse · seed 42"
        ]
    );
    let text = xreport::render::pca::text(&report);
    assert!(
        text.contains("dimensional collapse: effective rank 1.7 < 3.2 of 32 dims"),
        "{text}"
    );
    assert!(text.contains("collapse: total variance"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["schema"], "xreport.pca/1");
    assert_eq!(json["inputs"][0]["dim_std"].as_object().unwrap().len(), 3);
    assert!(json["inputs"][0]["effective_rank"].is_f64());
}

/// Draws `report` as `xreport pca -o` does, with the default marks at `dpi`.
fn write_plot(report: &pca::PcaReport, path: &std::path::Path, dpi: u32) {
    let marks = xreport::plot::scatter::Marks {
        width: None,
        height: None,
        dpi,
        point_size: 2.5,
        alpha: 0.6,
    };
    let figure = xreport::plot::scatter::from(report, &marks).unwrap();
    xreport::plot::write(&figure, path).unwrap();
}

/// Compares `actual` with the golden file, or writes it under `XREPORT_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = root().join("golden/pca").join(name);
    if std::env::var_os("XREPORT_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        expected == actual,
        "{name} differs from golden/pca/{name}; rerun with XREPORT_BLESS=1 and review the diff"
    );
}

#[test]
fn example_plots_match_golden_svg_and_png_hash() {
    let dir = tempfile::tempdir().unwrap();
    let report = pca::run(&example_paths(), &example_options()).unwrap();
    let svg = dir.path().join("latents.svg");
    write_plot(&report, &svg, 300);
    golden("examples.svg", &std::fs::read_to_string(&svg).unwrap());
    let single = pca::run(&example_paths()[..1], &example_options()).unwrap();
    let png = dir.path().join("latent.png");
    write_plot(&single, &png, 300);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    golden("latent.png.fnv1a64", &format!("{}\n", fnv1a64(&bytes)));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "no temporary file is left behind: {names:?}"
    );
}

// ---------------------------------------------------------------------------
// Writing test inputs

/// A deterministic N(0, 1) stream (SplitMix64 + Box–Muller), for test matrices.
struct Gauss(u64);

impl Gauss {
    fn uniform(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn next(&mut self) -> f64 {
        let u = self.uniform().max(1e-300);
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// An `.npy` version 1.0 file with the given header fields and raw data bytes.
fn npy(descr: &str, shape: &str, data: &[u8]) -> Vec<u8> {
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A clustered float32 matrix with `classes` labels, written as `.npy` + labels.
fn clustered(
    dir: &Path,
    rows: usize,
    dims: usize,
    classes: usize,
    seed: u64,
) -> (PathBuf, PathBuf) {
    let mut g = Gauss(seed);
    let centres: Vec<f64> = (0..classes * dims).map(|_| 2.0 * g.next()).collect();
    let labels: Vec<usize> = (0..rows).map(|i| (i * 7) % classes).collect();
    let values: Vec<f32> = (0..rows * dims)
        .map(|k| (centres[labels[k / dims] * dims + k % dims] + g.next()) as f32)
        .collect();
    let npy_path = write(
        dir,
        "m.npy",
        &npy("<f4", &format!("({rows}, {dims})"), &f32_bytes(&values)),
    );
    let text: String = labels.iter().map(|l| format!("class{l}\n")).collect();
    (npy_path, write(dir, "labels.txt", text.as_bytes()))
}

#[test]
fn numbers_and_png_are_identical_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (m, labels) = clustered(dir.path(), 6000, 40, 12, 3);
    let opts = PcaOptions {
        labels: Some(labels),
        max_points: 1500,
        components: 3,
        pairs: true,
        ..PcaOptions::default()
    };
    let outputs: Vec<(String, Vec<u8>)> = [1, 2]
        .iter()
        .map(|&threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let report = pca::run(std::slice::from_ref(&m), &opts).unwrap();
                let png = dir.path().join(format!("t{threads}.png"));
                write_plot(&report, &png, 100);
                (
                    serde_json::to_string(&report).unwrap(),
                    std::fs::read(&png).unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(outputs[0].0, outputs[1].0);
    assert!(
        outputs[0].1 == outputs[1].1,
        "PNG bytes differ between 1 and 2 threads"
    );
}

#[test]
fn subsample_is_label_stratified_and_said_in_the_caption() {
    let dir = tempfile::tempdir().unwrap();
    let (m, labels) = clustered(dir.path(), 3000, 8, 12, 5);
    let opts = PcaOptions {
        labels: Some(labels),
        max_points: 1000,
        ..PcaOptions::default()
    };
    let report = pca::run(&[m], &opts).unwrap();
    assert_eq!(report.inputs[0].rows, 3000, "statistics use every row");
    assert_eq!(report.inputs[0].plotted_rows, 1000);
    let fig = &report.figure;
    assert_eq!(
        fig.classes.len(),
        11,
        "10 classes kept, the rest folded into other"
    );
    assert_eq!(fig.classes.last().map(String::as_str), Some("other"));
    assert!(fig.has_other);
    let panel = &fig.panels[0];
    assert_eq!(
        panel.caption.as_deref(),
        Some("1,000 of 3,000 points shown (stratified by label); statistics use all rows")
    );
    let mut per_class = vec![0usize; fig.classes.len()];
    for &c in &panel.classes {
        per_class[c as usize] += 1;
    }
    // 12 classes of 250 rows: 10 kept get 83 or 84 each, "other" (2 classes) 167.
    assert!(
        per_class[..10].iter().all(|&n| n == 83 || n == 84),
        "{per_class:?}"
    );
    assert_eq!(per_class[10], 167);
    assert_eq!(per_class.iter().sum::<usize>(), 1000);
}

#[test]
fn shared_basis_equals_the_pca_of_the_stacked_matrix() {
    let mut g = Gauss(11);
    let (rows, dims) = (700, 9);
    let a: Vec<f64> = (0..rows * dims)
        .map(|k| g.next() * (1 + k % dims) as f64)
        .collect();
    let b: Vec<f64> = (0..rows * dims).map(|_| 3.0 + g.next()).collect();
    let stacked: Vec<f64> = a.iter().chain(&b).copied().collect();
    let (ma, mb) = (
        stats::moments(&a, rows, dims),
        stats::moments(&b, rows, dims),
    );
    let pooled = stats::fit(&stats::pool(&[&ma, &mb]).unwrap(), dims).unwrap();
    let direct = stats::fit(&stats::moments(&stacked, 2 * rows, dims), dims).unwrap();
    for (p, d) in pooled.eigenvalues.iter().zip(&direct.eigenvalues) {
        assert!(close(*p, *d, 1e-10, 1e-12), "{p} vs {d}");
    }
}

// ---------------------------------------------------------------------------
// Malformed inputs: each is an input error naming the file

fn input_error(result: Result<pca::PcaReport, Error>, path: &Path, needle: &str) {
    match result {
        Err(e @ Error::Input { .. }) => {
            let msg = e.to_string();
            let Error::Input { path: p, .. } = &e else {
                unreachable!()
            };
            assert_eq!(p, path, "{msg}");
            assert!(
                msg.contains(&path.display().to_string()),
                "names the file: {msg}"
            );
            assert!(msg.contains(needle), "expected `{needle}` in: {msg}");
        }
        Err(e) => panic!("expected an input error, got: {e}"),
        Ok(_) => panic!("expected an error for {}", path.display()),
    }
}

fn run_one(path: &Path) -> Result<pca::PcaReport, Error> {
    pca::run(&[path.to_path_buf()], &PcaOptions::default())
}

#[test]
fn malformed_npy_files_are_input_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = f32_bytes(&[1.0, 2.0, 3.0, 4.0, 5.0, 7.0]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.npy",
            npy("<f4", "(3, 2)", &good[..20]),
            "truncated",
        ),
        (
            "wrong_dtype.npy",
            npy("<i4", "(3, 2)", &good),
            "dtype '<i4' is not supported",
        ),
        (
            "structured.npy",
            npy("[('a', '<f4')]", "(3, 2)", &good)
                .iter()
                .map(|&b| if b == b'\'' { b'"' } else { b })
                .collect(),
            "header",
        ),
        (
            "shape_lie.npy",
            npy("<f4", "(2, 2)", &good),
            "does not match",
        ),
        (
            "one_d.npy",
            npy("<f4", "(6,)", &good),
            "1-D array of shape (6,)",
        ),
        ("three_d.npy", npy("<f4", "(1, 3, 2)", &good), "3-D array"),
        (
            "nan_row.npy",
            npy(
                "<f4",
                "(3, 2)",
                &f32_bytes(&[1.0, 2.0, 3.0, f32::NAN, 5.0, 7.0]),
            ),
            "NaN or infinite values in 1 of 3 rows",
        ),
        (
            "one_row.npy",
            npy("<f4", "(1, 6)", &good),
            "at least 2 rows",
        ),
        (
            "bad_magic.npy",
            b"PK\x03\x04 not numpy at all".to_vec(),
            "not an .npy file",
        ),
        ("empty.npy", Vec::new(), "too short"),
        (
            "huge_shape.npy",
            npy("<f4", "(1000000, 1000000)", &good),
            "truncated",
        ),
        (
            "overflow_shape.npy",
            npy("<f4", "(99999999999, 99999999999)", &good),
            "too large",
        ),
        (
            "bad_header.npy",
            npy("<f4", "(3, 2", &good),
            "malformed header",
        ),
    ];
    for (name, bytes, needle) in cases {
        let path = write(d, name, &bytes);
        input_error(run_one(&path), &path, needle);
    }
    let mut v4 = npy("<f4", "(3, 2)", &good);
    v4[6] = 4;
    let path = write(d, "version4.npy", &v4);
    input_error(run_one(&path), &path, "version 4.0 is not supported");
    let missing = d.join("missing.npy");
    input_error(run_one(&missing), &missing, "no such file");
    let unknown = write(d, "emb.h5", b"x");
    input_error(run_one(&unknown), &unknown, "unknown embeddings format");
}

#[test]
fn npz_member_problems_are_input_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let stored = root().join("golden/reference/pca/stored.npz");
    let several = pca::run(std::slice::from_ref(&stored), &PcaOptions::default());
    input_error(
        several,
        &stored,
        "several arrays (emb, other): choose one with --key",
    );
    let opts = PcaOptions {
        key: Some("nope".into()),
        ..PcaOptions::default()
    };
    input_error(
        pca::run(std::slice::from_ref(&stored), &opts),
        &stored,
        "no array named 'nope'",
    );
    let opts = PcaOptions {
        key: Some("other".into()),
        ..PcaOptions::default()
    };
    input_error(
        pca::run(std::slice::from_ref(&stored), &opts),
        &stored,
        "1-D array",
    );
    let path = write(dir.path(), "garbage.npz", b"not a zip");
    input_error(run_one(&path), &path, "not a readable .npz");
    let bytes = std::fs::read(root().join("examples/latents/emb.npz")).unwrap();
    let path = write(dir.path(), "cut.npz", &bytes[..bytes.len() / 2]);
    input_error(run_one(&path), &path, "");
}

#[test]
fn label_count_mismatch_names_both_counts_and_the_labels_file() {
    let dir = tempfile::tempdir().unwrap();
    let labels = write(dir.path(), "labels.txt", b"a\nb\nc\n");
    let opts = PcaOptions {
        labels: Some(labels.clone()),
        ..PcaOptions::default()
    };
    let npy_path = example_paths()[0].clone();
    input_error(
        pca::run(&[npy_path], &opts),
        &labels,
        "3 labels for 900 rows",
    );
    let blank = write(dir.path(), "blank.txt", b"a\n\nc\n");
    let opts = PcaOptions {
        labels: Some(blank.clone()),
        ..PcaOptions::default()
    };
    input_error(pca::run(&example_paths()[..1], &opts), &blank, "line 2");
}

#[test]
fn malformed_tables_are_input_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: Vec<(&str, &str, Vec<String>, &str)> = vec![
        ("text.csv", "a,b\n1,x\n2,3\n3,4\n", vec![], "not numeric"),
        (
            "missing.csv",
            "a,b\n1,\n2,3\n3,4\n",
            vec![],
            "missing or non-numeric value",
        ),
        (
            "nomatch.csv",
            "a,b\n1,2\n2,3\n",
            vec!["z_*".into()],
            "no column matches",
        ),
    ];
    for (name, text, columns, needle) in cases {
        let path = write(d, name, text.as_bytes());
        let opts = PcaOptions {
            columns,
            ..PcaOptions::default()
        };
        input_error(pca::run(std::slice::from_ref(&path), &opts), &path, needle);
    }
}

// ---------------------------------------------------------------------------
// Property: a matrix of rank k

/// Orthonormal columns (Gram–Schmidt) of an `n × k` gaussian matrix, centred first
/// when `centre` so they stay orthogonal to the constant vector.
fn orthonormal(g: &mut Gauss, n: usize, k: usize, centre: bool) -> Vec<Vec<f64>> {
    let mut cols: Vec<Vec<f64>> = Vec::new();
    while cols.len() < k {
        let mut v: Vec<f64> = (0..n).map(|_| g.next()).collect();
        if centre {
            let m = v.iter().sum::<f64>() / n as f64;
            v.iter_mut().for_each(|x| *x -= m);
        }
        for _ in 0..2 {
            for c in &cols {
                let dot: f64 = v.iter().zip(c).map(|(a, b)| a * b).sum();
                v.iter_mut().zip(c).for_each(|(x, y)| *x -= dot * y);
            }
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-6 {
            cols.push(v.into_iter().map(|x| x / norm).collect());
        }
    }
    cols
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rank_k_matrix_has_k_components_and_effective_rank_near_k(
        seed in any::<u64>(), k in 1usize..6, extra_dims in 1usize..12, rows in 20usize..150, equal in any::<bool>(),
    ) {
        let dims = k + extra_dims;
        let mut g = Gauss(seed);
        let u = orthonormal(&mut g, rows, k, true);
        let v = orthonormal(&mut g, dims, k, false);
        let s: Vec<f64> = (0..k).map(|_| if equal { 3.0 } else { 1.0 + g.uniform() }).collect();
        let offset: Vec<f64> = (0..dims).map(|_| 5.0 * g.next()).collect();
        let x: Vec<f64> = (0..rows * dims)
            .map(|idx| {
                let (i, j) = (idx / dims, idx % dims);
                offset[j] + (0..k).map(|c| u[c][i] * s[c] * v[c][j]).sum::<f64>()
            })
            .collect();
        let fit = stats::fit(&stats::moments(&x, rows, dims), dims).unwrap();
        let top = fit.eigenvalues[0];
        let nonzero = fit.eigenvalues.iter().filter(|&&l| l > 1e-9 * top).count();
        prop_assert_eq!(nonzero, k);
        let erank = stats::effective_rank(&fit.eigenvalues).unwrap();
        let expected = {
            let total: f64 = s.iter().sum();
            (-s.iter().map(|x| x / total).map(|p| p * p.ln()).sum::<f64>()).exp()
        };
        prop_assert!((erank - expected).abs() < 1e-5, "erank {} vs {}", erank, expected);
        prop_assert!(erank <= k as f64 + 1e-5 && erank >= 0.85 * k as f64, "erank {} for k {}", erank, k);
        if equal {
            prop_assert!((erank - k as f64).abs() < 1e-5);
        }
    }
}
