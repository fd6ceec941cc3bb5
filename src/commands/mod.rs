//! One file per subcommand: each unpacks its arguments and calls the library.
//! Data goes to stdout, warnings and summaries to stderr; each returns whether it
//! found anything, and `main` turns that into the exit code.

pub mod bench;
mod ingest;
mod search;

pub use ingest::{extract, ingest};
pub use search::{query, stats, who};

use anyhow::{bail, Result};
use jiff::civil::Date;

/// Parses a user-given day.
pub fn parse_day(flag: &str, value: Option<&str>) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(v) => match crate::article::parse_date(v) {
            Some(d) => Ok(Some(d)),
            None => bail!("--{flag} {v:?}: not a date; use YYYY-MM-DD"),
        },
    }
}

/// What a command found: drives the exit code (0 results, 1 none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Results,
    NoResults,
}
