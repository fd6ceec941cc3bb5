//! `speakers`: the index's speakers with their merged name variants; and the
//! speaker table's rebuild at the end of `ingest`.
//!
//! Known limits: lists from the table of the last commit (see `index::speakers`).

use std::path::Path;

use anyhow::Result;

use super::search::{json, print};
use super::{stdout_color, Outcome};
use crate::index::{speakers as table, Index, SpeakerList};
use crate::render;

/// The arguments of `speakers` (the web API builds the same request).
#[derive(Debug, Clone)]
pub struct SpeakersRequest {
    pub prefix: String,
    /// 0: all.
    pub limit: usize,
}

impl SpeakersRequest {
    /// What `speakers --json` prints.
    pub fn run(&self, index: &Index) -> Result<SpeakerList> {
        Ok(table::load(index)?.list(&self.prefix, self.limit))
    }
}

/// Brings the speaker table up to the ingest's last commit (rebuilt only when it is
/// stale), unless the ingest `built` it; returns the summary line saying what merged.
pub(super) fn rebuild(index: &Index, built: Option<table::Speakers>) -> Result<String> {
    let t = match built {
        Some(t) => t,
        None => table::ensure(index)?,
    };
    let names: usize = t.entries().iter().map(|e| 1 + e.aliases.len()).sum();
    Ok(format!("whosaid: {names} speaker names, {} speakers once variants are merged", t.entries().len()))
}

/// `whosaid speakers [PREFIX]`
pub fn speakers(index_dir: &Path, prefix: &str, limit: usize, as_json: bool) -> Result<Outcome> {
    let request = SpeakersRequest { prefix: prefix.to_string(), limit };
    let list = request.run(&Index::open(index_dir)?)?;
    if as_json {
        json(&list)?;
    } else {
        print(&render::speakers(&list, stdout_color()))?;
    }
    Ok(if list.speakers.is_empty() { Outcome::NoResults } else { Outcome::Results })
}
