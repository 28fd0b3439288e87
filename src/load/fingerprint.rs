//! SHA-256 fingerprints of every file an input names (a file itself, or
//! every file below a folder), for the provenance of `xreport report`: a
//! reader can tell whether the page was made from the runs they have.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::natural::natural_cmp;
use super::paths::display_path;
use crate::error::{Error, Result};

/// One input file: its path as shown to the user, SHA-256 and size.
#[derive(Debug, Clone, Serialize)]
pub struct Fingerprint {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Every file of `paths`, each once, in natural order of its path. Folders
/// are walked; symbolic links to folders are not followed (a link loop
/// would never end), links to files are hashed as the file.
pub fn files(paths: &[PathBuf]) -> Result<Vec<Fingerprint>> {
    let mut found: Vec<PathBuf> = Vec::new();
    for path in paths {
        collect(path, &mut found)?;
    }
    let mut named: Vec<(String, PathBuf)> =
        found.into_iter().map(|p| (display_path(&p), p)).collect();
    named.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    named.dedup_by(|a, b| a.0 == b.0);
    named
        .into_iter()
        .map(|(shown, path)| {
            let (sha256, bytes) = hash(&path)?;
            Ok(Fingerprint {
                path: shown,
                sha256,
                bytes,
            })
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| Error::io(path, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(path, &e))?;
        let child = entry.path();
        let link = entry
            .file_type()
            .map_err(|e| Error::io(&child, &e))?
            .is_symlink();
        if link && child.is_dir() {
            continue;
        }
        collect(&child, out)?;
    }
    Ok(())
}

/// The SHA-256 (lower-case hex) and length of a file, read in blocks.
fn hash(path: &Path) -> Result<(String, u64)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, &e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer).map_err(|e| Error::io(path, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc_is_the_fips_180_example() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("abc.txt");
        std::fs::write(&file, b"abc").unwrap();
        let prints = files(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(prints.len(), 1);
        assert_eq!(
            prints[0].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(prints[0].bytes, 3);
    }
}
