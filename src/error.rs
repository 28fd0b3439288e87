//! Errors a user can act on: what was wrong, in which file, where in it.
//!
//! Every input or usage error maps to exit code 2 (see `main.rs`).

use std::fmt;
use std::path::{Path, PathBuf};

/// An error that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder the user gave us is malformed, missing or unreadable.
    #[error("{}", InputDisplay { path, location: location.as_deref(), message })]
    Input {
        path: PathBuf,
        /// Line, byte offset or JSON path inside the file, when known.
        location: Option<String>,
        message: String,
    },
    /// Flags or arguments that do not fit together.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An input error about `path` with no position inside it.
    pub fn input(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            location: None,
            message: message.into(),
        }
    }

    /// An input error at `location` (e.g. `line 3`, `$.test.wer`) inside `path`.
    pub fn input_at(
        path: impl AsRef<Path>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Input {
            path: path.as_ref().to_path_buf(),
            location: Some(location.into()),
            message: message.into(),
        }
    }

    /// An I/O failure on `path`, worded for a user.
    pub fn io(path: impl AsRef<Path>, err: &std::io::Error) -> Self {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied: cannot read it".to_string(),
            _ => format!("cannot read it: {err}"),
        };
        Error::input(path, message)
    }

    /// A usage error (bad flags, nothing to do).
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }
}

struct InputDisplay<'a> {
    path: &'a Path,
    location: Option<&'a str>,
    message: &'a str,
}

impl fmt::Display for InputDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(location) = self.location {
            write!(f, ":{location}")?;
        }
        write!(f, ": {}", self.message)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
