//! `xreport compare --plot`: the seeds figure, deterministic bytes, golden SVG.

use crate::common::{assert_golden, xreport};

const R: &str = "examples/speech-ssl/runs";

fn plot(path: &std::path::Path, threads: &str) -> Vec<u8> {
    xreport()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "compare",
            &format!("{R}/exp0_baseline_hubert"),
            &format!("{R}/exp1_new_masking"),
            &format!("{R}/exp2_bigger_codebook"),
        ])
        .args([
            "--metric",
            "test.*",
            "--resamples",
            "1000",
            "--format",
            "json",
            "--plot",
        ])
        .arg(path)
        .assert()
        .success();
    std::fs::read(path).expect("the plot is written")
}

#[test]
fn compare_plot_is_a_deterministic_png_and_a_golden_svg() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = plot(&dir.path().join("seeds.png"), "1");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert_eq!(
        png,
        plot(&dir.path().join("again.png"), "2"),
        "same bytes for 1 and 2 threads"
    );
    let svg = plot(&dir.path().join("seeds.svg"), "2");
    assert_golden("compare/seeds.svg", &svg);
    let text = String::from_utf8(svg).expect("SVG is text");
    assert!(
        text.contains("exp0_baseline_hubert (baseline)") && text.contains("test.wer ↓"),
        "labels drawn"
    );
}

#[test]
fn compare_plot_with_an_unknown_extension_exits_2() {
    let out = xreport()
        .args([
            "compare",
            &format!("{R}/exp0_baseline_hubert"),
            &format!("{R}/exp1_new_masking"),
            "--plot",
            "seeds.jpg",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("seeds.jpg") && err.contains(".png or .svg"),
        "{err}"
    );
}
