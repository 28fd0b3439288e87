//! What an input claims is checked where it enters, before it costs
//! anything (issue #22): only regular files are opened (a FIFO named
//! `metrics.csv` would block the reader forever), an allocation sized by a
//! file's own header must fit in memory, and nesting is bounded before a
//! recursive parser walks it.

use std::fs::File;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Deepest nesting of JSON or YAML collections read: serde_json's own limit.
pub const MAX_DEPTH: usize = 128;

/// An input error unless `path` is a regular file (symlinks followed).
pub fn regular(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, &e))?;
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(Error::input(path, "is a folder, expected a file"))
    } else {
        Err(Error::input(
            path,
            "not a regular file (a FIFO, socket or device): only regular files are read",
        ))
    }
}

/// Open a regular file for reading.
pub fn open(path: &Path) -> Result<File> {
    regular(path)?;
    File::open(path).map_err(|e| Error::io(path, &e))
}

/// A regular file's text.
pub fn read_text(path: &Path) -> Result<String> {
    regular(path)?;
    std::fs::read_to_string(path).map_err(|e| Error::io(path, &e))
}

/// A regular file's bytes.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    regular(path)?;
    std::fs::read(path).map_err(|e| Error::io(path, &e))
}

/// Memory a reader may allocate on a file's word: what the system has
/// available (`MemAvailable`), else 8 GiB where that is not known.
fn memory_budget() -> u64 {
    static BUDGET: OnceLock<u64> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|info| {
                info.lines()
                    .find_map(|l| l.strip_prefix("MemAvailable:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .map(|kib| kib.saturating_mul(1024))
            .unwrap_or(8 << 30)
    })
}

/// An input error naming `path` when `bytes`, a size the file claims for
/// `what`, exceeds the memory budget: checked before allocating, so a
/// header claiming a terabyte is a message, not an abort.
pub fn budget(path: &Path, bytes: u64, what: &str) -> Result<()> {
    let budget = memory_budget();
    if bytes <= budget {
        return Ok(());
    }
    Err(Error::input(
        path,
        format!(
            "{what} would need {} of memory, more than the {} available",
            size_text(bytes),
            size_text(budget)
        ),
    ))
}

fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// JSON text whose collections nest deeper than [`MAX_DEPTH`], or that holds
/// an integer outside the 64-bit range: the message, else `None`. A lexical
/// pass (strings skipped), so depth costs nothing and nothing recurses.
pub fn json_claims(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(format!("nested deeper than {MAX_DEPTH} levels"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let token = &text[start..i];
                let integer = !token.contains(['.', 'e', 'E']);
                if integer && token.parse::<i64>().is_err() {
                    return Some(format!(
                        "the integer {} is outside the 64-bit range; write it as a decimal ({}.0) if it is a measurement",
                        short(token),
                        short(token)
                    ));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// YAML text whose flow collections (`[...]`, `{...}`) nest deeper than
/// [`MAX_DEPTH`]: the 1-based line and the message, else `None`. The YAML
/// parser builds its whole event list before serde's own depth limit
/// applies, which for 10⁵ levels takes half a minute. A bracket opens a
/// collection inside one, or where a token starts in block context (not
/// inside a plain scalar such as `a[0]`).
pub fn yaml_claims(text: &str) -> Option<(usize, String)> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        // The character before this one on the line.
        let mut before: Option<char> = None;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    chars.next();
                }
                continue;
            }
            // Where a token starts: line start, after a space or inside a
            // flow collection after its punctuation.
            let starts = matches!(before, None | Some(' ' | '\t' | '[' | '{' | ','));
            match c {
                '#' if before.is_none_or(char::is_whitespace) => break,
                '"' | '\'' if starts => quote = Some(c),
                '[' | '{' if depth > 0 || starts => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some((n + 1, format!("nested deeper than {MAX_DEPTH} levels")));
                    }
                }
                ']' | '}' if depth > 0 => depth -= 1,
                _ => {}
            }
            before = Some(c);
        }
    }
    None
}

/// A token as quoted in a message: at most 40 characters.
fn short(token: &str) -> String {
    if token.len() <= 40 {
        token.to_string()
    } else {
        format!("{}…", &token[..40])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_json_and_wide_integers_are_named() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(json_claims(&deep).unwrap().contains("deeper than 128"));
        assert!(
            json_claims(r#"{"a": 99999999999999999999}"#)
                .unwrap()
                .contains("64-bit")
        );
        assert_eq!(
            json_claims(r#"{"a": [1, -2.5e300, "[[[[", 9223372036854775807]}"#),
            None
        );
    }

    #[test]
    fn deep_yaml_flow_is_named_with_its_line() {
        let deep = format!("a: 1\nb: {}1{}\n", "[".repeat(300), "]".repeat(300));
        assert_eq!(yaml_claims(&deep).map(|(line, _)| line), Some(2));
        let plain = "lr: a[0]\nname: 'x[[['\nlist: [1, [2, 3]]\n# [[[[\n";
        assert_eq!(yaml_claims(plain), None);
        let brackets = "k: v[\nl: a-[\n".repeat(500);
        assert_eq!(yaml_claims(&brackets), None);
    }
}
