//! The errors of searching an index that a caller tells apart: the user's own
//! (a query that does not parse, a speaker several people share) from the index's
//! (I/O, a damaged or missing index), so a command line can say so and a web API
//! can answer 400 or 500.
//!
//! Known limits: everything that is not the user's fault is one variant, carrying
//! the chain of what failed.

use super::speaker_table::AmbiguousSpeaker;

/// A result whose error tells the user's fault from the index's.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A search failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query does not parse, is too long or too deep, or names a field the index
    /// does not have; carries what to do about it.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// A `--speaker` value that is a name several speakers share.
    #[error(transparent)]
    AmbiguousSpeaker(#[from] AmbiguousSpeaker),
    /// A `--source` no statement has; the message lists the nearest sources.
    #[error("{0}")]
    UnknownSource(String),
    /// The index's files are damaged (a panic inside Tantivy, a segment whose
    /// document count is not its files'); carries what was found.
    #[error("index damaged: run whosaid check ({0})")]
    Damaged(String),
    /// Reading the index failed.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Error {
    /// Whether the user can fix it by changing the request.
    pub fn is_users_fault(&self) -> bool {
        !matches!(self, Error::Other(_) | Error::Damaged(_))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Other(e.into())
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Error {
        Error::Other(e.into())
    }
}
