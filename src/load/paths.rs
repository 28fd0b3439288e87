//! Paths as names: the parts of a path below its root and a folder's own
//! name, from which conditions and runs are named, and a path as shown to
//! the user.

use std::ffi::OsStr;
use std::path::Path;

/// A file or folder name as text. A name that is not UTF-8 keeps its bytes
/// visible as `\xNN` escapes, so two folders whose names differ only in
/// such bytes stay two conditions (`c\xff`, `c\xfe`) instead of merging
/// into one `c�`, and the name says it is not UTF-8.
pub fn name_text(name: &OsStr) -> String {
    if let Some(text) = name.to_str() {
        return text.to_string();
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The components of `path` below `root` (none when it is not below it).
pub fn parts_below(root: &Path, path: &Path) -> Vec<String> {
    path.strip_prefix(root)
        .map(|r| r.components().map(|c| name_text(c.as_os_str())).collect())
        .unwrap_or_default()
}

/// A folder's own name, resolving `.` and `..` through the file system.
pub fn folder_name(path: &Path) -> String {
    let named = path
        .file_name()
        .map(name_text)
        .filter(|n| n != "." && n != "..");
    named
        .or_else(|| {
            std::fs::canonicalize(path)
                .ok()
                .and_then(|p| p.file_name().map(name_text))
        })
        .unwrap_or_else(|| "runs".into())
}

/// A path as shown to the user: `/`-joined on every OS.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
