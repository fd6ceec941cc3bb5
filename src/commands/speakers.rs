//! `speakers`: the index's speakers with their merged name variants; and the
//! speaker table's rebuild at the end of `ingest`.
//!
//! Known limits: lists from the table of the last commit (see `index::speakers`).

use std::path::Path;

use anyhow::Result;

use super::search::{json, print};
use super::Outcome;
use crate::index::{speakers as table, Index};
use crate::render;

/// Brings the speaker table up to the ingest's last commit and says what merged.
pub(super) fn rebuild(index: &Index) -> Result<()> {
    let t = table::ensure(index)?;
    let names: usize = t.entries().iter().map(|e| 1 + e.aliases.len()).sum();
    eprintln!("whosaid: {names} speaker names, {} speakers once variants are merged", t.entries().len());
    Ok(())
}

/// `whosaid speakers [PREFIX]`
pub fn speakers(index_dir: &Path, prefix: &str, limit: usize, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let list = table::load(&index)?.list(prefix, limit);
    if as_json {
        json(&list)?;
    } else {
        print(&render::speakers(&list))?;
    }
    Ok(if list.speakers.is_empty() { Outcome::NoResults } else { Outcome::Results })
}
