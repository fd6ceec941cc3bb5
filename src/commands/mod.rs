//! One file per subcommand: each unpacks its arguments and calls the library.
//! Data goes to stdout, warnings and summaries to stderr; each returns whether it
//! found anything, and `main` turns that into the exit code.

pub mod bench;
mod export;
mod ingest;
mod manual;
mod search;
mod serve;
mod speakers;
mod timeline;

pub use export::export;
pub use ingest::{extract, ingest};
pub use manual::{completions, man};
pub use search::{query, stats, who, QueryRequest, WhoRequest};
pub use serve::serve;
pub use speakers::{speakers, SpeakersRequest};
pub use timeline::{timeline, TimelineRequest};

use anyhow::Result;
use jiff::civil::Date;

/// An argument the user got wrong (a date that is not one, an unknown `--by`): the
/// command line prints it as any error, the web API answers it with 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadArgument(pub String);

impl std::fmt::Display for BadArgument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadArgument {}

fn bad(message: String) -> anyhow::Error {
    anyhow::Error::new(BadArgument(message))
}

/// Sets `--color` for the whole run (anstream keeps it, and clap's own messages
/// read it too).
pub fn set_color(choice: clap::ColorChoice) {
    let choice = match choice {
        clap::ColorChoice::Always => anstream::ColorChoice::Always,
        clap::ColorChoice::Never => anstream::ColorChoice::Never,
        clap::ColorChoice::Auto => anstream::ColorChoice::Auto,
    };
    choice.write_global();
}

/// Whether human output on stdout gets colour: `--color always` or `never` as given;
/// `auto` when stdout is a terminal and neither `NO_COLOR` nor `CLICOLOR=0` is set
/// (or `CLICOLOR_FORCE` is), and `TERM` is not `dumb`.
pub fn stdout_color() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Parses a user-given day.
pub fn parse_day(flag: &str, value: Option<&str>) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(v) => match crate::article::parse_date(v) {
            Some(d) => Ok(Some(d)),
            None => Err(bad(format!("--{flag} {v:?}: not a date; use YYYY-MM-DD"))),
        },
    }
}

/// Parses a `--since` (`end` false: the period's first day) or `--until` (`end`
/// true: its last day) given as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_bound(flag: &str, value: Option<&str>, end: bool) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(v) => match crate::statement::Period::parse(v) {
            Some(p) => Ok(Some(if end { p.last() } else { p.first })),
            None => Err(bad(format!("--{flag} {v:?}: not a date; use YYYY, YYYY-MM or YYYY-MM-DD"))),
        },
    }
}

/// A `--by` value as a precision (clap checks the command line's; the web API's
/// arrive unchecked).
pub fn parse_precision(value: &str) -> Result<crate::statement::Precision> {
    use crate::statement::Precision;
    Ok(match value {
        "year" => Precision::Year,
        "month" => Precision::Month,
        "week" => Precision::Week,
        "day" => Precision::Day,
        other => return Err(bad(format!("--by {other:?}: use year, month, week or day"))),
    })
}

/// What a command found: drives the exit code (0 results, 1 none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Results,
    NoResults,
}
