//! Ranks, Friedman / Iman–Davenport, the studentized range at infinite df,
//! Nemenyi, Bonferroni–Dunn and the signed-rank test against scipy and
//! scikit-posthocs (golden/reference/rank.json, written by
//! golden/reference_rank.py), and the published critical values.

use serde_json::Value;
use xreport::stats::correction::{Correction, adjust};
use xreport::stats::friedman::friedman;
use xreport::stats::inference::Alternative;
use xreport::stats::posthoc::{dunn, nemenyi_cd, nemenyi_pair, nemenyi_q};
use xreport::stats::ranks::{average_ranks, mean_ranks};
use xreport::stats::studentized_range::{cdf, quantile_upper, sf};
use xreport::stats::wilcoxon::{signed_rank, signed_rank_pair};

use crate::common::{assert_close, reference};

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, found {v}"))
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(num).collect()
}

fn items<'a>(data: &'a Value, key: &str) -> &'a Vec<Value> {
    data[key].as_array().unwrap_or_else(|| panic!("no {key}"))
}

fn assert_abs(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual} != {expected} (abs tol {tol})"
    );
}

#[test]
fn studentized_range_quantiles_match_scipy_to_1e_6_for_k_2_to_100() {
    let data = reference("rank.json");
    let cases = items(&data, "quantiles");
    assert!(cases.len() >= 100);
    for case in cases {
        let k = case["k"].as_u64().unwrap() as usize;
        let alpha = num(&case["alpha"]);
        let q = quantile_upper(alpha, k);
        assert_abs(q, num(&case["q"]), 1e-6, &format!("q k={k} α={alpha}"));
    }
}

#[test]
fn studentized_range_cdf_and_sf_match_scipy_to_1e_8() {
    let data = reference("rank.json");
    for case in items(&data, "points") {
        let k = case["k"].as_u64().unwrap() as usize;
        let q = num(&case["q"]);
        assert_abs(
            cdf(q, k),
            num(&case["cdf"]),
            1e-8,
            &format!("cdf q={q} k={k}"),
        );
        assert_abs(sf(q, k), num(&case["sf"]), 1e-8, &format!("sf q={q} k={k}"));
    }
}

#[test]
fn nemenyi_q_agrees_with_demsars_published_table() {
    let data = reference("rank.json");
    let demsar = &data["demsar"];
    let ks = floats(&demsar["k"]);
    for (column, alpha) in [("q_05", 0.05), ("q_10", 0.10)] {
        for (k, published) in ks.iter().zip(floats(&demsar[column])) {
            let q = nemenyi_q(alpha, *k as usize);
            // the table prints 3 decimals, some truncated (2.3437 as 2.343)
            assert_abs(q, published, 1e-3, &format!("{column} k={k}"));
        }
    }
}

#[test]
fn nemenyi_q_at_005_is_the_value_design_lists() {
    for (k, q) in [
        (2, 1.959964),
        (3, 2.343701),
        (4, 2.569032),
        (5, 2.727774),
        (6, 2.849705),
    ] {
        assert_abs(nemenyi_q(0.05, k), q, 5e-7, &format!("k={k}"));
    }
}

#[test]
fn autoranks_six_by_fifty_example_has_cd_1_066262() {
    let data = reference("rank.json");
    let a = &data["autorank"];
    let cd = nemenyi_cd(
        num(&a["alpha"]),
        a["k"].as_u64().unwrap() as usize,
        a["n"].as_u64().unwrap() as usize,
    );
    assert_abs(cd, num(&a["cd"]), 5e-7, "autorank CD");
}

#[test]
fn signed_rank_matches_scipy_wilcoxon_in_each_branch_of_auto() {
    let data = reference("rank.json");
    for case in items(&data, "signed_rank") {
        let label = case["label"].as_str().unwrap();
        let r = signed_rank(&floats(&case["d"]), Alternative::TwoSided)
            .unwrap_or_else(|| panic!("{label}: undefined"));
        assert_close(r.statistic, num(&case["statistic"]), 1e-9, label);
        assert_abs(r.p_value, num(&case["p_value"]), 1e-8, label);
    }
}

/// Columns of a N × k score matrix.
fn columns(scores: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let k = scores[0].len();
    (0..k)
        .map(|j| scores.iter().map(|row| row[j]).collect())
        .collect()
}

#[test]
fn random_studies_match_scipy_and_scikit_posthocs() {
    let data = reference("rank.json");
    let studies = items(&data, "studies");
    assert!(studies.len() >= 200);
    let mut wilcoxon_pairs = 0;
    for study in studies {
        let label = study["label"].as_str().unwrap();
        let lower = study["direction"] == "lower";
        let scores: Vec<Vec<f64>> = items(study, "scores").iter().map(floats).collect();
        let (n, k) = (scores.len(), scores[0].len());
        let ranks: Vec<Vec<f64>> = scores.iter().map(|row| average_ranks(row, lower)).collect();
        let means = mean_ranks(&ranks);
        for (got, want) in means.iter().zip(floats(&study["mean_ranks"])) {
            assert_close(*got, want, 1e-12, &format!("{label}: mean rank"));
        }
        let f = &study["friedman"];
        let result = friedman(&ranks).unwrap_or_else(|| panic!("{label}: no Friedman test"));
        assert_close(
            result.statistic,
            num(&f["statistic"]),
            1e-9,
            &format!("{label}: χ²"),
        );
        assert_abs(
            result.p_value,
            num(&f["p_value"]),
            1e-8,
            &format!("{label}: p"),
        );
        match f["iman_davenport_f"].as_f64() {
            Some(want) => assert_close(
                result.iman_davenport_f.expect("finite F"),
                want,
                1e-9,
                &format!("{label}: F"),
            ),
            None => assert!(result.iman_davenport_f.is_none(), "{label}: F"),
        }
        assert_abs(
            result.iman_davenport_p,
            num(&f["iman_davenport_p"]),
            1e-8,
            &format!("{label}: F p"),
        );
        assert_abs(nemenyi_cd(0.05, k, n), num(&study["cd_05"]), 1e-6, label);
        assert_abs(nemenyi_cd(0.10, k, n), num(&study["cd_10"]), 1e-6, label);
        let mut expected = floats(&study["nemenyi_p"]).into_iter();
        for a in 0..k {
            for b in a + 1..k {
                let (_, p) = nemenyi_pair(means[a], means[b], k, n);
                let want = expected.next().unwrap();
                assert_abs(p, want, 1e-8, &format!("{label}: Nemenyi {a} {b}"));
            }
        }
        let control = study["control"].as_u64().unwrap() as usize;
        let rows = items(study, "dunn");
        let raw: Vec<f64> = rows
            .iter()
            .map(|row| {
                let other = row["other"].as_u64().unwrap() as usize;
                let (z, p) = dunn(means[control], means[other], k, n);
                assert_close(z, num(&row["z"]), 1e-9, &format!("{label}: Dunn z"));
                assert_abs(p, num(&row["p_value"]), 1e-8, &format!("{label}: Dunn p"));
                p
            })
            .collect();
        for (method, key) in [
            (Correction::Holm, "p_holm"),
            (Correction::Bonferroni, "p_bonferroni"),
        ] {
            for (got, row) in adjust(&raw, method, 0.05).iter().zip(rows) {
                assert_abs(*got, num(&row[key]), 1e-8, &format!("{label}: Dunn {key}"));
            }
        }
        if let Some(pairs) = study["wilcoxon"].as_array() {
            let cols = columns(&scores);
            let mut defined = Vec::new();
            for pair in pairs {
                let (a, b) = (
                    pair["a"].as_u64().unwrap() as usize,
                    pair["b"].as_u64().unwrap() as usize,
                );
                let result = signed_rank_pair(&cols[a], &cols[b], Alternative::TwoSided);
                match pair["p_value"].as_f64() {
                    None => assert!(result.is_none(), "{label}: {a} {b} is undefined"),
                    Some(p) => {
                        let r = result.unwrap_or_else(|| panic!("{label}: {a} {b}"));
                        assert_close(r.statistic, num(&pair["statistic"]), 1e-9, label);
                        assert_abs(r.p_value, p, 1e-8, &format!("{label}: Wilcoxon {a} {b}"));
                        defined.push((r.p_value, num(&pair["p_holm"])));
                        wilcoxon_pairs += 1;
                    }
                }
            }
            let raw: Vec<f64> = defined.iter().map(|d| d.0).collect();
            for (got, (_, want)) in adjust(&raw, Correction::Holm, 0.05).iter().zip(&defined) {
                assert_abs(*got, *want, 1e-8, &format!("{label}: Wilcoxon Holm"));
            }
        }
    }
    assert!(wilcoxon_pairs > 1000, "{wilcoxon_pairs} Wilcoxon pairs");
}
