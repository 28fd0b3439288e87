//! `.npz` archives (`np.savez`): a zip of `.npy` members, one chosen as the
//! embedding matrix for `xreport pca` (the only member, or `--key`).

use std::io::BufReader;
use std::path::Path;

use super::npy::{self, Values};
use crate::error::{Error, Result};

/// Deflate cannot expand data by more than about 1032:1, so a member declaring a
/// larger uncompressed size than this bound is corrupt; checked before allocating.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Reads the member `key` (with or without `.npy`; the only member when `None`)
/// of the archive `path` as (rows, dims, values).
pub fn read(path: &Path, key: Option<&str>) -> Result<(usize, usize, Values)> {
    let file = super::guard::open(path)?;
    let archive_len = file.metadata().map_err(|e| Error::io(path, &e))?.len();
    let zip_err = |e: zip::result::ZipError| {
        Error::input(path, format!("not a readable .npz (zip) archive: {e}"))
    };
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|s| s.to_string()))
        .collect::<std::result::Result<_, _>>()
        .map_err(zip_err)?;
    let member = choose_member(path, &names, key)?;
    let entry = archive.by_name(&member).map_err(zip_err)?;
    let declared = entry.size();
    let compressed = entry.compressed_size();
    if compressed > archive_len {
        return Err(Error::input(
            path,
            format!(
                "member {member} claims {compressed} compressed bytes but the archive holds {archive_len}"
            ),
        ));
    }
    if declared > compressed.saturating_mul(MAX_DEFLATE_RATIO) + 1024 {
        return Err(Error::input(
            path,
            format!("member {member} declares an impossible size of {declared} bytes"),
        ));
    }
    let location = format!("member {member}");
    npy::read_matrix_from(entry, declared, path).map_err(|e| with_location(e, &location))
}

/// Picks the archive member for `key`, or the only member when no key is given.
fn choose_member(path: &Path, names: &[String], key: Option<&str>) -> Result<String> {
    let keys: Vec<&str> = names
        .iter()
        .map(|n| n.strip_suffix(".npy").unwrap_or(n))
        .collect();
    match key {
        Some(k) => {
            let k = k.strip_suffix(".npy").unwrap_or(k);
            keys.iter()
                .position(|&n| n == k)
                .map(|i| names[i].clone())
                .ok_or_else(|| {
                    Error::input(
                        path,
                        format!(
                            "no array named '{k}' (--key); the archive holds: {}",
                            keys.join(", ")
                        ),
                    )
                })
        }
        None => match names {
            [only] => Ok(only.clone()),
            [] => Err(Error::input(path, "the archive holds no arrays")),
            _ => Err(Error::input(
                path,
                format!(
                    "the archive holds several arrays ({}): choose one with --key",
                    keys.join(", ")
                ),
            )),
        },
    }
}

/// Puts the member's name before an input error's location (for errors inside an .npz member).
fn with_location(err: Error, at: &str) -> Error {
    match err {
        Error::Input {
            path,
            location,
            message,
        } => Error::Input {
            path,
            location: Some(match location {
                Some(inside) => format!("{at}, {inside}"),
                None => at.to_string(),
            }),
            message,
        },
        other => other,
    }
}
