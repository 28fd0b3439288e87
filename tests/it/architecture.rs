//! The layers of the crate (issue #15): no file imports a module above its
//! own, no two files of one module import each other in a loop, and clap
//! lives only where the command line is defined.
//!
//! Bottom to top: `error` and `render::format` (the one number formatter,
//! which depends on nothing), `stats`, `load`, `analysis`, `check`, `render`,
//! `plot`, then what the user typed and its resolution (`cli`,
//! `study_file`, `settings`), then `cmd`, then `lib.rs`/`main.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::root;

/// The layer of a module path (`load`, `render::format`, ...).
fn layer(path: &[&str]) -> Option<usize> {
    let top = *path.first()?;
    Some(match (top, path.get(1).copied()) {
        ("error", _) | ("render", Some("format")) => 0,
        ("stats", _) => 1,
        ("load", _) => 2,
        ("analysis", _) => 3,
        ("check", _) => 4,
        ("render", _) => 5,
        ("plot", _) => 6,
        ("cli", _) | ("study_file", _) => 7,
        ("settings", _) => 8,
        ("cmd", _) => 9,
        ("lib", _) | ("main", _) => 10,
        _ => return None,
    })
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The module path of a file: `src/load/tree.rs` → `[load, tree]`,
/// `src/load/mod.rs` → `[load]`, `src/lib.rs` → `[lib]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Paths a file names, as segments: `use` statements with their braces
/// expanded, and inline `crate::…` / `super::…` paths.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().last();
        let tail = &rest[at + 4..];
        let Some(end) = tail.find(';') else { break };
        if before.is_none_or(|c| c.is_whitespace() || c == '{' || c == ';') {
            expand(&tail[..end].replace(char::is_whitespace, ""), &mut out);
        }
        rest = &tail[end..];
    }
    for prefix in ["crate::", "super::"] {
        for (at, _) in code.match_indices(prefix) {
            let path: String = code[at..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push(path.split("::").map(str::to_string).collect());
        }
    }
    out
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(tree: &str, out: &mut Vec<Vec<String>>) {
    let Some(open) = tree.find('{') else {
        out.push(tree.split("::").map(str::to_string).collect());
        return;
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                if !inner[start..i].is_empty() {
                    expand(&format!("{prefix}{}", &inner[start..i]), out);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].is_empty() {
        expand(&format!("{prefix}{}", &inner[start..]), out);
    }
}

/// A named path resolved to a crate module path, when it names one.
/// `super` of `load/tree.rs` (`[load, tree]`) is `load`; of `load/mod.rs`
/// (`[load]`), the crate root.
fn resolve(own: &[String], path: &[String]) -> Option<Vec<String>> {
    match path.first().map(String::as_str) {
        Some("crate") => Some(path[1..].to_vec()),
        Some("super") => {
            let mut base = own.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            Some(base)
        }
        _ => None,
    }
}

struct Crate {
    /// File module path → the module paths it names.
    uses: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
    /// Module paths that are files (or folders with a mod.rs).
    files: BTreeSet<Vec<String>>,
}

fn read_crate() -> Crate {
    let src = root().join("src");
    let mut uses = BTreeMap::new();
    let mut files = BTreeSet::new();
    for file in sources(&src) {
        let own = module_of(&src, &file);
        let text = std::fs::read_to_string(&file).unwrap();
        let named: BTreeSet<Vec<String>> = named_paths(&code(&text))
            .iter()
            .filter_map(|p| resolve(&own, p))
            .collect();
        files.insert(own.clone());
        uses.insert(own, named);
    }
    Crate { uses, files }
}

/// The longest prefix of `path` that is a file of the crate.
fn file_of(files: &BTreeSet<Vec<String>>, path: &[String]) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| files.contains(p))
}

#[test]
fn no_file_imports_a_module_above_its_own() {
    let krate = read_crate();
    let mut wrong = Vec::new();
    for (own, named) in &krate.uses {
        let own_refs: Vec<&str> = own.iter().map(String::as_str).collect();
        let Some(own_layer) = layer(&own_refs) else {
            continue;
        };
        for path in named {
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            if let Some(target) = layer(&refs)
                && target > own_layer
            {
                wrong.push(format!("{} uses {}", own.join("::"), path.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports from above:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_files_of_a_module_import_each_other_in_a_loop() {
    let krate = read_crate();
    // Edges between sibling files of one folder; a module's own mod.rs (its
    // shared types) is not a sibling.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (own, named) in &krate.uses {
        for path in named {
            let Some(target) = file_of(&krate.files, path) else {
                continue;
            };
            let siblings = target.len() == own.len()
                && target.len() > 1
                && target[..target.len() - 1] == own[..own.len() - 1];
            if siblings && &target != own {
                edges.entry(own.clone()).or_default().insert(target);
            }
        }
    }
    let mut loops = BTreeSet::new();
    for start in edges.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    let mut cycle: Vec<String> = trail.iter().map(|m| m.join("::")).collect();
                    let first = cycle.iter().min().cloned().unwrap_or_default();
                    let k = cycle.iter().position(|c| *c == first).unwrap_or(0);
                    cycle.rotate_left(k);
                    loops.insert(cycle.join(" → "));
                } else if seen.insert(next.clone()) {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    assert!(
        loops.is_empty(),
        "import loops:\n{}",
        loops.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn clap_is_named_only_where_the_command_line_is_defined() {
    let src = root().join("src");
    let named: Vec<String> = sources(&src)
        .into_iter()
        .filter(|f| {
            let text = code(&std::fs::read_to_string(f).unwrap());
            text.contains("clap::") || text.contains("use clap")
        })
        .map(|f| module_of(&src, &f).join("::"))
        .collect();
    assert_eq!(named, ["cli", "main"]);
}
