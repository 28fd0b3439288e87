//! Whether a candidate file is there, answered from one listing of its
//! folder. A run folder is asked for some thirty names (results, configs,
//! environment, histories), most of them absent: 38 `stat` calls a run,
//! which for a sweep of 5,000 runs was most of the kernel time of loading
//! it. While a [`Scope`] is open (one `load::load`), each folder is listed
//! once and every probe in it is a lookup; outside one, a probe is a `stat`.
//! A symlink is followed by a real `stat`, as `Path::is_file` does.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
    /// A symlink or something else: asked of the file system itself.
    Other,
}

type Listing = FxHashMap<OsString, Kind>;

/// Open scopes, and the listings read while any is open (`None`: the
/// folder could not be listed).
static SCOPES: AtomicUsize = AtomicUsize::new(0);
static LISTINGS: Mutex<Option<FxHashMap<PathBuf, Option<Arc<Listing>>>>> = Mutex::new(None);

/// Listings are kept while a scope is open. Every scope starts with none and
/// the last one to close drops them, so a folder changed between two loads
/// is listed again, even while another thread's load (a test's) is running.
pub struct Scope(());

impl Scope {
    pub fn begin() -> Scope {
        SCOPES.fetch_add(1, Ordering::SeqCst);
        forget_listings();
        Scope(())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if SCOPES.fetch_sub(1, Ordering::SeqCst) == 1 {
            forget_listings();
        }
    }
}

fn forget_listings() {
    // a poisoned lock only means another thread panicked mid-insert
    let mut listings = LISTINGS.lock().unwrap_or_else(|e| e.into_inner());
    *listings = None;
}

/// `path.is_file()`, from its folder's listing while a scope is open.
pub fn is_file(path: &Path) -> bool {
    match lookup(path) {
        Lookup::Listed(kind) => kind == Kind::File,
        Lookup::Absent => false,
        Lookup::Ask => path.is_file(),
    }
}

/// `path.is_dir()`, from its folder's listing while a scope is open.
pub fn is_dir(path: &Path) -> bool {
    match lookup(path) {
        Lookup::Listed(kind) => kind == Kind::Dir,
        Lookup::Absent => false,
        Lookup::Ask => path.is_dir(),
    }
}

/// The paths of `folder`'s entries, in no order: from its listing while a
/// scope is open; `None` when it cannot be listed.
pub fn entries(folder: &Path) -> Option<Vec<PathBuf>> {
    let listing = match listing(folder) {
        Some(listing) => listing,
        None if SCOPES.load(Ordering::SeqCst) == 0 => Arc::new(read_listing(folder)?),
        None => return None,
    };
    Some(listing.keys().map(|name| folder.join(name)).collect())
}

/// What the folder's listing says of `path`.
enum Lookup {
    /// A plain file or folder.
    Listed(Kind),
    /// Not in the listing.
    Absent,
    /// A symlink, no scope open, or a folder that cannot be listed: ask the
    /// file system.
    Ask,
}

fn lookup(path: &Path) -> Lookup {
    let Some((folder, name)) = split(path) else {
        return Lookup::Ask;
    };
    let Some(listing) = listing(folder) else {
        return Lookup::Ask;
    };
    match listing.get(name) {
        None => Lookup::Absent,
        Some(Kind::Other) => Lookup::Ask,
        Some(&kind) => Lookup::Listed(kind),
    }
}

fn split(path: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    let name = path.file_name()?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    Some((folder, name))
}

/// The listing of `folder`, read on first use; `None` outside a scope or
/// when the folder cannot be listed.
fn listing(folder: &Path) -> Option<Arc<Listing>> {
    if SCOPES.load(Ordering::SeqCst) == 0 {
        return None;
    }
    {
        let listings = LISTINGS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = listings.as_ref().and_then(|l| l.get(folder)) {
            return found.clone();
        }
    }
    let read = read_listing(folder).map(Arc::new);
    let mut listings = LISTINGS.lock().unwrap_or_else(|e| e.into_inner());
    listings
        .get_or_insert_with(FxHashMap::default)
        .insert(folder.to_path_buf(), read.clone());
    read
}

fn read_listing(folder: &Path) -> Option<Listing> {
    let mut listing = Listing::default();
    for entry in std::fs::read_dir(folder).ok()? {
        let entry = entry.ok()?;
        let kind = match entry.file_type().ok()? {
            t if t.is_file() => Kind::File,
            t if t.is_dir() => Kind::Dir,
            _ => Kind::Other,
        };
        listing.insert(entry.file_name(), kind);
    }
    Some(listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_answer_as_the_file_system_in_and_out_of_a_scope() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::write(root.join("results.json"), "{}").expect("write");
        std::fs::create_dir(root.join(".hydra")).expect("mkdir");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("results.json"), root.join("link.json"))
            .expect("symlink");
        let check = || {
            assert!(is_file(&root.join("results.json")));
            assert!(!is_dir(&root.join("results.json")));
            assert!(is_dir(&root.join(".hydra")));
            assert!(!is_file(&root.join(".hydra")));
            assert!(!is_file(&root.join("metrics.json")));
            assert!(!is_file(&root.join("nowhere/metrics.json")));
            #[cfg(unix)]
            assert!(is_file(&root.join("link.json")), "a symlink is followed");
        };
        check();
        {
            let _scope = Scope::begin();
            check();
            check();
        }
        // a file added after the scope closed is seen by the next one
        std::fs::write(root.join("metrics.json"), "{}").expect("write");
        let _scope = Scope::begin();
        assert!(is_file(&root.join("metrics.json")));
        let mut names: Vec<_> = entries(root).expect("listed").into_iter().collect();
        names.sort();
        let mut expected = vec![
            root.join(".hydra"),
            root.join("metrics.json"),
            root.join("results.json"),
        ];
        #[cfg(unix)]
        expected.insert(1, root.join("link.json"));
        assert_eq!(names, expected);
        assert_eq!(entries(&root.join("nowhere")), None);
    }
}
