//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The repository root: tests run there so output paths are relative.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `xreport` binary, run from the repository root, without colour.
pub fn xreport() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("xreport").expect("the xreport binary is built");
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// `xreport BASE... ARGS...` must exit 2 (a usage or input error), say
/// `message` on stderr, and not panic.
pub fn assert_usage_error(base: &[&str], args: &[&str], message: &str) {
    let out = xreport().args(base).args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Compare `actual` with the golden file `golden/<name>` byte for byte.
/// `XREPORT_BLESS=1 cargo test` rewrites the golden files instead; review
/// the change with `git diff golden/` before committing it.
pub fn assert_golden(name: &str, actual: &[u8]) {
    let path = root().join("golden").join(name);
    if std::env::var_os("XREPORT_BLESS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create golden folder");
        }
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; create it with XREPORT_BLESS=1 cargo test",
            path.display()
        )
    });
    if expected != actual {
        let expected = String::from_utf8_lossy(&expected);
        let actual = String::from_utf8_lossy(actual);
        panic!(
            "output differs from {} (XREPORT_BLESS=1 cargo test rewrites it)\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

/// Read a committed reference JSON under `golden/reference/`.
pub fn reference(name: &str) -> serde_json::Value {
    let path = root().join("golden/reference").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Write `files` (relative path → content) under a new temporary folder.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(&path, content).expect("write");
    }
    dir
}

/// Relative-tolerance comparison with a readable failure.
pub fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    let scale = expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= rel * scale,
        "{what}: {actual} != {expected} (rel tol {rel})"
    );
}

/// FNV-1a 64 of a file's bytes, as 16 hex digits: a stable fingerprint for a PNG.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The JSON report of `xreport COMMAND scores.csv ARGS... --format json` on
/// `table`, written to a temporary folder; the command must succeed.
pub fn table_json(command: &str, table: &str, args: &[&str]) -> serde_json::Value {
    let dir = tree(&[("scores.csv", table)]);
    let scores = dir.path().join("scores.csv");
    let args = std::iter::once(scores.as_os_str()).chain(args.iter().map(std::ffi::OsStr::new));
    command_json(command, args)
}

/// The JSON report of `xreport COMMAND ARGS... --format json`; the command
/// must succeed.
pub fn command_json<A: AsRef<std::ffi::OsStr>>(
    command: &str,
    args: impl IntoIterator<Item = A>,
) -> serde_json::Value {
    let out = xreport()
        .arg(command)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}
