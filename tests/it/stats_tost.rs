//! TOST against statsmodels `ttost_ind` / `ttost_paired` (golden/reference_equivalence.py).

use serde_json::Value;
use xreport::stats::inference::Undefined;
use xreport::stats::tost::{TostKind, tost};

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

#[test]
fn tost_matches_statsmodels_on_reference_cases() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/golden/reference/equivalence.json"
    ))
    .unwrap();
    let reference: Value = serde_json::from_str(&text).unwrap();
    let cases = reference["cases"].as_array().unwrap();
    assert!(cases.len() >= 300);
    let mut kinds = [0usize; 3];
    for (i, c) in cases.iter().enumerate() {
        let kind = match c["kind"].as_str().unwrap() {
            "welch" => TostKind::Welch,
            "student" => TostKind::Student,
            "paired" => TostKind::Paired,
            other => panic!("unknown kind {other}"),
        };
        kinds[kind as usize] += 1;
        let num = |k: &str| c[k].as_f64().unwrap();
        let got = tost(
            &floats(&c["baseline"]),
            &floats(&c["treatment"]),
            num("low"),
            num("upp"),
            num("alpha"),
            kind,
        )
        .unwrap_or_else(|e| panic!("case {i}: {e}"));
        for (name, g) in [
            ("p_lower", got.p_lower),
            ("p_upper", got.p_upper),
            ("p_value", got.p_value),
        ] {
            assert!(
                (g - num(name)).abs() <= 1e-9,
                "case {i} {name}: {g} vs {}",
                num(name)
            );
        }
        for (name, g) in [
            ("t_lower", got.t_lower),
            ("t_upper", got.t_upper),
            ("df", got.df),
        ] {
            assert!(
                close(g, num(name), 1e-10),
                "case {i} {name}: {g} vs {}",
                num(name)
            );
        }
        let want = floats(&c["interval"]);
        for (k, (g, w)) in got.interval.iter().zip(&want).enumerate() {
            assert!(close(*g, *w, 1e-10), "case {i} interval[{k}]: {g} vs {w}");
        }
        // TOST at α is the 1 − 2α interval inside the bounds.
        let inside = got.interval[0] > num("low") && got.interval[1] < num("upp");
        if (got.p_value - num("alpha")).abs() > 1e-12 {
            assert_eq!(got.p_value < num("alpha"), inside, "case {i}");
        }
    }
    assert!(kinds.iter().all(|&k| k >= 100), "{kinds:?}");
}

#[test]
fn tost_is_undefined_with_its_reason_not_nan() {
    let one = [1.0];
    let two = [1.0, 2.0];
    assert_eq!(
        tost(&one, &two, -1.0, 1.0, 0.05, TostKind::Welch),
        Err(Undefined::TooFewSeeds {
            n_baseline: 1,
            n_treatment: 2
        })
    );
    assert_eq!(
        tost(&[3.0, 3.0], &[3.0, 3.0], -1.0, 1.0, 0.05, TostKind::Welch),
        Err(Undefined::NoVariance)
    );
    assert_eq!(
        tost(&[1.0, 2.0], &[2.0, 3.0], -1.0, 1.0, 0.05, TostKind::Paired),
        Err(Undefined::NoVariance)
    );
    assert!(matches!(
        tost(
            &[1.0, 2.0, 4.0],
            &[2.0, 3.0],
            -1.0,
            1.0,
            0.05,
            TostKind::Paired
        ),
        Err(Undefined::Unpaired { .. })
    ));
}
