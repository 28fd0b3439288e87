//! Random bytes against every reader (issue #22): a real file of each format,
//! corrupted by random edits (bit flips, cuts, inserted bytes and hostile
//! tokens) or replaced by random bytes, must give exit 0 or 2, never a panic,
//! an abort or a hang. The cases come from a fixed proptest seed, so a run is
//! repeatable; a hang is caught by the runner's timeout on each command, not
//! by timing it. `XREPORT_FUZZ_CASES=400 cargo test --test it fuzz_readers`
//! runs more cases per reader than the 32 of a normal run.

use std::path::{Path, PathBuf};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::common::{root, xreport};

/// Far longer than any of these commands takes on a corrupted copy of a
/// small fixture, far shorter than a hang.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Tokens that reach the corners of a parser: huge and negative counts,
/// non-numbers, deep nesting, NUL and non-UTF-8 bytes.
const TOKENS: &[&[u8]] = &[
    b"99999999999999999999999",
    b"-1",
    b"1e308",
    b"NaN",
    b"[[[[[[[[[[[[[[[[",
    b"{\"a\":{\"a\":{\"a\":",
    b"\0",
    b"\xff\xfe",
    b"\n\n",
    b",,,,",
    b"- - - -",
];

#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, bit: u8 },
    Cut { at: usize },
    Insert { at: usize, bytes: Vec<u8> },
    Token { at: usize, token: usize },
    Overwrite { at: usize, bytes: Vec<u8> },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| Edit::Flip { at, bit }),
        1 => any::<usize>().prop_map(|at| Edit::Cut { at }),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        2 => (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Edit::Token { at, token }),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..64))
            .prop_map(|(at, bytes)| Edit::Overwrite { at, bytes }),
    ]
}

/// A corrupted file: a few edits of the real one, or random bytes instead.
#[derive(Debug, Clone)]
enum Corruption {
    Edits(Vec<Edit>),
    Random(Vec<u8>),
}

fn corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        5 => prop::collection::vec(edit(), 1..5).prop_map(Corruption::Edits),
        1 => prop::collection::vec(any::<u8>(), 0..512).prop_map(Corruption::Random),
    ]
}

fn corrupt(original: &[u8], corruption: &Corruption) -> Vec<u8> {
    let mut bytes = original.to_vec();
    let edits = match corruption {
        Corruption::Random(random) => return random.clone(),
        Corruption::Edits(edits) => edits,
    };
    for edit in edits {
        let at = |i: usize| if bytes.is_empty() { 0 } else { i % bytes.len() };
        match edit {
            Edit::Flip { at: i, bit } => {
                if !bytes.is_empty() {
                    let i = at(*i);
                    bytes[i] ^= 1 << bit;
                }
            }
            Edit::Cut { at: i } => {
                let i = at(*i);
                bytes.truncate(i);
            }
            Edit::Insert { at: i, bytes: new } => {
                let i = at(*i);
                bytes.splice(i..i, new.iter().copied());
            }
            Edit::Token { at: i, token } => {
                let i = at(*i);
                bytes.splice(i..i, TOKENS[*token].iter().copied());
            }
            Edit::Overwrite { at: i, bytes: new } => {
                let i = at(*i);
                let end = (i + new.len()).min(bytes.len());
                bytes.splice(i..end, new.iter().copied());
            }
        }
    }
    bytes
}

/// One reader: a real study (file or folder under the repository), the file
/// in it to corrupt, and the command that reads it (`{}` is the study,
/// `{out}` a file in the case's temporary folder).
struct Reader {
    study: &'static str,
    victim: &'static str,
    command: &'static [&'static str],
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::copy(from, to).expect("copy fixture file");
        return;
    }
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        copy_tree(&entry.path(), &to.join(entry.file_name()));
    }
}

/// Runs the reader's command on a copy of its study with the victim file
/// corrupted; fails on any exit but 0 or 2, or on a panic message.
fn run_corrupted(reader: &Reader, corruption: &Corruption) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = root().join(reader.study);
    let name = source.file_name().expect("study name");
    let study: PathBuf = dir.path().join(name);
    copy_tree(&source, &study);
    let victim = if reader.victim.is_empty() {
        study.clone()
    } else {
        study.join(reader.victim)
    };
    let original = std::fs::read(&victim).expect("read victim");
    std::fs::write(&victim, corrupt(&original, corruption)).expect("write victim");
    let args: Vec<std::ffi::OsString> = reader
        .command
        .iter()
        .map(|a| match *a {
            a if a.starts_with("{out}") => {
                let mut path = dir.path().join("out").into_os_string();
                path.push(&a["{out}".len()..]);
                path
            }
            a if a.starts_with("{}") => {
                let mut path = study.clone().into_os_string();
                path.push(&a["{}".len()..]);
                path
            }
            a => a.into(),
        })
        .collect();
    let output = xreport()
        .args(&args)
        .timeout(TIMEOUT)
        .output()
        .expect("run xreport");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let code = output.status.code();
    prop_assert!(
        matches!(code, Some(0) | Some(2)) && !stderr.contains("panicked"),
        "{:?} on a corrupted {}/{}: exit {code:?}\n{stderr}",
        reader.command,
        reader.study,
        reader.victim
    );
    Ok(())
}

fn config() -> Config {
    Config {
        cases: std::env::var("XREPORT_FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(32),
        rng_seed: RngSeed::Fixed(22),
        failure_persistence: None,
        ..Config::default()
    }
}

macro_rules! fuzz_reader {
    ($name:ident, $reader:expr) => {
        proptest! {
            #![proptest_config(config())]
            #[test]
            fn $name(c in corruption()) {
                run_corrupted(&$reader, &c)?;
            }
        }
    };
}

const SUMMARY: &[&str] = &["summary", "{}", "--resamples", "100"];

fuzz_reader!(
    results_json,
    Reader {
        study: "tests/fixtures/hydra/single_run",
        victim: "outputs/2026-12-01/20-40-01/results.json",
        command: SUMMARY,
    }
);
fuzz_reader!(
    hydra_yaml,
    Reader {
        study: "tests/fixtures/hydra/single_run",
        victim: "outputs/2026-12-01/20-40-01/.hydra/config.yaml",
        command: &["runs", "{}"],
    }
);
fuzz_reader!(
    results_csv,
    Reader {
        study: "examples/tables/long.csv",
        victim: "",
        command: SUMMARY,
    }
);
fuzz_reader!(
    results_jsonl,
    Reader {
        study: "examples/tables/long.jsonl",
        victim: "",
        command: SUMMARY,
    }
);
fuzz_reader!(
    study_file_toml,
    Reader {
        study: "examples/speech-ssl",
        victim: "xreport.toml",
        command: &[
            "summary",
            "--study",
            "{}/xreport.toml",
            "--resamples",
            "100"
        ],
    }
);
fuzz_reader!(
    embeddings_npy,
    Reader {
        study: "examples/latents/seed_42/latents.npy",
        victim: "",
        command: &["pca", "{}", "-o", "{out}.svg"],
    }
);
fuzz_reader!(
    embeddings_npz,
    Reader {
        study: "examples/latents/emb.npz",
        victim: "",
        command: &["pca", "{}", "-o", "{out}.svg"],
    }
);
fuzz_reader!(
    curve_npy,
    Reader {
        study: "tests/fixtures/npy_curves/Walker",
        victim: "TD3_Walker2d-v1_0.npy",
        command: &["curves", "{}", "--resamples", "100", "--format", "json"],
    }
);
fuzz_reader!(
    tensorboard_events,
    Reader {
        study: "tests/fixtures/tensorboard",
        victim: "baseline/seed_0/events.out.tfevents.1795610237.vm",
        command: &["curves", "{}", "--resamples", "100", "--format", "json"],
    }
);
fuzz_reader!(
    mlflow_meta_yaml,
    Reader {
        study: "tests/fixtures/mlflow_sweep/mlruns",
        victim: "0/f0b7ffe9ee1e47e9a03896d8df433f7b/meta.yaml",
        command: SUMMARY,
    }
);
fuzz_reader!(
    mlflow_metric_file,
    Reader {
        study: "tests/fixtures/mlflow_sweep/mlruns",
        victim: "0/f0b7ffe9ee1e47e9a03896d8df433f7b/metrics/test/acc",
        command: SUMMARY,
    }
);
fuzz_reader!(
    mlflow_sqlite,
    Reader {
        study: "tests/fixtures/mlflow_db/mlflow.db",
        victim: "",
        command: SUMMARY,
    }
);
fuzz_reader!(
    wandb_log,
    Reader {
        study: "tests/fixtures/wandb/v0_31",
        victim: "wandb/offline-run-20261202_014015-basel002/run-basel002.wandb",
        command: SUMMARY,
    }
);
fuzz_reader!(
    hf_trainer_state,
    Reader {
        study: "tests/fixtures/hf_trainer/single",
        victim: "trainer_state.json",
        command: SUMMARY,
    }
);
fuzz_reader!(
    lm_eval_results,
    Reader {
        study: "tests/fixtures/lm_eval/seed_1",
        victim: "base-model/results_2026-12-02T01-42-50.915685.json",
        command: SUMMARY,
    }
);
fuzz_reader!(
    lm_eval_samples,
    Reader {
        study: "tests/fixtures/lm_eval/seed_1",
        victim: "base-model/samples_xr_mc_a_2026-12-02T01-42-50.915685.jsonl",
        command: SUMMARY,
    }
);
fuzz_reader!(
    inspect_ai_eval_zip,
    Reader {
        study: "tests/fixtures/inspect_ai/logs",
        victim: "2026-12-02T07-42-06-00-00_xr-qa_AMcH3JRhnekbarFRjbTV7U.eval",
        command: SUMMARY,
    }
);
fuzz_reader!(
    results_parquet,
    Reader {
        study: "tests/fixtures/parquet_tables/per_example.parquet",
        victim: "",
        command: &["compare", "{}", "--baseline", "base", "--resamples", "100"],
    }
);
fuzz_reader!(
    results_parquet_zstd_row_groups,
    Reader {
        study: "tests/fixtures/parquet_tables/kinds.parquet",
        victim: "",
        command: SUMMARY,
    }
);
