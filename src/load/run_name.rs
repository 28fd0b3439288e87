//! Parsing a run folder's name: seed, override hash and repeat timestamp.
//!
//! Recognised seed parts: `seed_42`, `seed42`, `seed=42`, `s42`, optionally
//! followed by `_<hash>` (a Hydra override set listed in `index.yaml`) and/or
//! `_<YYYYMMDD>_<HHMMSS>` (a repeat of the same seed and config).

/// What a run folder's name says about the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunName {
    pub seed: String,
    pub hash: Option<String>,
    pub timestamp: Option<String>,
}

/// Parse a folder name; `None` when it does not start with a seed part.
pub fn parse(name: &str) -> Option<RunName> {
    let mut parts: Vec<&str> = name.split('_').collect();
    // `seed_42...` splits the seed number into its own part.
    let seed = if parts.len() >= 2 && parts[0].eq_ignore_ascii_case("seed") {
        let number = parts[1];
        parts.drain(..2);
        number.to_string()
    } else {
        let first = parts.remove(0);
        seed_of_token(first)?.to_string()
    };
    if seed.is_empty() || !seed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seed = canonical_seed(&seed);
    let timestamp = match parts.as_slice() {
        [.., date, time] if is_digits(date, 8) && is_digits(time, 6) => {
            let ts = format!("{date}_{time}");
            parts.truncate(parts.len() - 2);
            Some(ts)
        }
        _ => None,
    };
    let hash = match parts.as_slice() {
        [] => None,
        [hash] if is_hash(hash) => Some(hash.to_string()),
        _ => return None,
    };
    Some(RunName {
        seed,
        hash,
        timestamp,
    })
}

/// A seed by its numeric value: `043` and `43` are one seed (DESIGN 2: a
/// second run of a seed is a repeat, never another seed), so leading zeros
/// go. Text that is not a decimal number is kept as written.
pub fn canonical_seed(seed: &str) -> String {
    if seed.is_empty() || !seed.bytes().all(|b| b.is_ascii_digit()) {
        return seed.to_string();
    }
    let trimmed = seed.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }.to_string()
}

/// `seed42`, `seed=42`, `s42` → `42`.
fn seed_of_token(token: &str) -> Option<&str> {
    let lower = token.to_ascii_lowercase();
    let prefix_len = if lower.starts_with("seed=") {
        5
    } else if lower.starts_with("seed") {
        4
    } else if lower.starts_with('s') {
        1
    } else {
        return None;
    };
    Some(&token[prefix_len..])
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_hash(s: &str) -> bool {
    (4..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: &str, hash: Option<&str>, ts: Option<&str>) -> Option<RunName> {
        Some(RunName {
            seed: seed.into(),
            hash: hash.map(Into::into),
            timestamp: ts.map(Into::into),
        })
    }

    #[test]
    fn every_seed_spelling_gives_the_seed() {
        for name in ["seed_42", "seed42", "seed=42", "s42", "Seed_42"] {
            assert_eq!(parse(name), run("42", None, None), "{name}");
        }
    }

    #[test]
    fn leading_zeros_do_not_make_another_seed() {
        assert_eq!(parse("seed_043"), run("43", None, None));
        assert_eq!(parse("s000"), run("0", None, None));
        assert_eq!(canonical_seed("0,1234"), "0,1234");
    }

    #[test]
    fn hash_and_timestamp_suffixes_are_separated() {
        assert_eq!(parse("seed_42_a3f8c1"), run("42", Some("a3f8c1"), None));
        assert_eq!(
            parse("seed_42_a3f8c1_20260212_143022"),
            run("42", Some("a3f8c1"), Some("20260212_143022"))
        );
        assert_eq!(
            parse("seed_7_20260212_143022"),
            run("7", None, Some("20260212_143022"))
        );
    }

    #[test]
    fn names_without_a_seed_are_not_runs() {
        for name in [
            "exp0_baseline",
            "ablations",
            "seed_x",
            "s",
            "sweep",
            "seed_1_a_b",
        ] {
            assert_eq!(parse(name), None, "{name}");
        }
    }
}
