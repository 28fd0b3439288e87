//! Paths as names: the parts of a path below its root and a folder's own
//! name, from which conditions and runs are named, and a path as shown to
//! the user.

use std::path::Path;

/// The components of `path` below `root` (none when it is not below it).
pub fn parts_below(root: &Path, path: &Path) -> Vec<String> {
    path.strip_prefix(root)
        .map(|r| {
            r.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A folder's own name, resolving `.` and `..` through the file system.
pub fn folder_name(path: &Path) -> String {
    let named = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| n != "." && n != "..");
    named
        .or_else(|| {
            std::fs::canonicalize(path)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        })
        .unwrap_or_else(|| "runs".into())
}

/// A path as shown to the user: `/`-joined on every OS.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
