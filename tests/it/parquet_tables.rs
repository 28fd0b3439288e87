//! Result tables in Parquet as pandas/pyarrow write them
//! (tests/fixtures/parquet_tables, from golden/fixtures_parquet_tables.py):
//! typed columns read as numbers must give what the same table's CSV gives.

use crate::common::{assert_usage_error, xreport};

const DIR: &str = "tests/fixtures/parquet_tables";

fn stdout(args: &[&str]) -> Vec<u8> {
    let out = xreport().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `command TABLE.parquet args` and `command TABLE.csv args` print the same bytes.
fn same_as_csv(command: &str, table: &str, args: &[&str]) -> serde_json::Value {
    let run = |ext: &str| {
        let path = format!("{DIR}/{table}.{ext}");
        let mut all = vec![command, path.as_str()];
        all.extend(args);
        stdout(&all)
    };
    let parquet = run("parquet");
    assert_eq!(
        String::from_utf8_lossy(&parquet),
        String::from_utf8_lossy(&run("csv")),
        "{table}: Parquet and CSV disagree"
    );
    serde_json::from_slice(&parquet).expect("JSON")
}

/// The per-example fixtures (3 systems × 2 seeds × 40 examples): compared
/// with `base` as in their CSV, q007 dropped for every system (big has no
/// score for it on seed 1).
fn compares_as_its_csv_on_39_examples(table: &str) {
    let args = [
        "--baseline",
        "base",
        "--missing",
        "drop",
        "--format",
        "json",
    ];
    let json = same_as_csv("compare", table, &args);
    let comparisons = json["comparisons"].as_array().expect("comparisons");
    assert_eq!(comparisons.len(), 2);
    for c in comparisons {
        assert_eq!(c["examples"]["n"], 39, "{table}: {c}");
    }
}

#[test]
fn a_per_example_parquet_compares_as_its_csv() {
    // int64 0/1 scores with a null, an unused prompt column
    compares_as_its_csv_on_39_examples("per_example");
}

#[test]
fn a_wide_parquet_summarizes_as_its_csv() {
    // float64 accuracy, float32 loss with NaN and inf, an int64 column
    let json = same_as_csv("summary", "wide", &["--format", "json"]);
    let n = |condition: &str, metric: &str| {
        json["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["condition"] == condition && g["metric"] == metric)
            .map(|g| g["n"].clone())
    };
    assert_eq!(n("baseline", "accuracy"), Some(5.into()));
    assert_eq!(n("baseline", "loss"), Some(4.into()), "NaN is missing");
    assert_eq!(n("treatment", "loss"), Some(4.into()), "inf is missing");
    assert_eq!(n("treatment", "steps"), Some(5.into()));
}

#[test]
fn a_bad_parquet_cell_is_named_by_its_row() {
    assert_usage_error(
        &["summary"],
        &[&format!("{DIR}/bad_value.parquet")],
        "bad_value.parquet:row 3: non-numeric value \"0.9x\" in column `accuracy`",
    );
    assert_usage_error(
        &["summary"],
        &[&format!("{DIR}/duplicate.parquet")],
        "duplicate.parquet:row 5: duplicate seed 1 for `acc` of condition `b`",
    );
}

#[test]
fn a_parquet_of_zstd_row_groups_dictionaries_and_unused_nested_columns_compares_as_its_csv() {
    // 5 row groups, a categorical condition, uint32 seeds, a list and a
    // timestamp column the long table does not read
    compares_as_its_csv_on_39_examples("kinds");
}

#[test]
fn a_timestamp_column_of_a_wide_parquet_is_named_as_no_metric() {
    assert_usage_error(
        &["summary"],
        &[&format!("{DIR}/timestamps.parquet")],
        "timestamps.parquet: column `logged_at` cannot be read as text: it holds timestamp values",
    );
    assert_usage_error(
        &["summary"],
        &[&format!("{DIR}/binary.parquet")],
        "binary.parquet: column `blob` cannot be read as text: it holds binary values",
    );
}
