//! The command line: [`args`] defines every subcommand and flag with clap; one file
//! per subcommand unpacks its arguments, calls the library (`whosaid::api` for the
//! questions, `whosaid::ingest` and `whosaid::extract` for the reading) and prints.
//! Data goes to stdout, warnings and summaries to stderr; each returns whether it
//! found anything, and `main` turns that into the exit code.
//!
//! Known limits: part of the binary only; other front ends (the web API, tests) call
//! `whosaid::api` directly.

pub mod args;
pub mod bench;
mod check;
mod cluster;
mod export;
mod ingest;
mod manual;
mod search;
mod serve;
mod show;
mod speakers;
mod timeline;

pub use check::check;
pub use cluster::ingest_to;
pub use export::export;
pub use ingest::{extract, ingest};
pub use manual::{completions, man};
pub use search::{query, stats, who};
pub use serve::serve;
pub use show::show;
pub use speakers::speakers;
pub use timeline::timeline;

use std::io::{self, Write};

use anyhow::Result;

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

/// Where a question is answered: the local index folder, or a cluster index
/// (`--engine URL`).
#[derive(Debug, Clone, Copy)]
pub enum At<'a> {
    Local(&'a std::path::Path),
    Engine(&'a str),
}

impl<'a> At<'a> {
    pub fn new(dir: &'a std::path::Path, engine: Option<&'a str>) -> At<'a> {
        match engine {
            Some(url) => At::Engine(url),
            None => At::Local(dir),
        }
    }

    /// The index, or the cluster index, opened for questions.
    pub fn open(self) -> anyhow::Result<whosaid::api::Backend> {
        use whosaid::api::Backend;
        Ok(match self {
            At::Local(dir) => Backend::Local(Box::new(whosaid::index::Index::open(dir)?)),
            At::Engine(url) => Backend::Cluster(whosaid::cluster::Engine::open(url)?),
        })
    }
}

/// What a command found: drives the exit code (0 results, 1 none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Results,
    NoResults,
}

/// Writes `text` to stdout and flushes it.
fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes human output to stdout with control characters from the input escaped
/// (see `whosaid::controls`); whosaid's own colours stay when `color` is on.
fn print_human(text: &str, color: bool) -> Result<()> {
    print(&whosaid::controls::for_terminal(text, color))
}

/// Writes `value` as JSON and a newline to stdout.
fn json<T: serde::Serialize>(value: &T) -> Result<()> {
    print(&(whosaid::render::json(value)? + "\n"))
}
