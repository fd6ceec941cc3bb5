//! `speakers`: the index's speakers with their merged name variants.
//!
//! Known limits: lists from the table of the last commit (see
//! `whosaid::index::speaker_table`); over a cluster (`--engine`), articles are counted
//! only for at most 1,000 speakers listed.

use anyhow::Result;

use super::{json, print_human, stdout_color, At, Outcome};
use whosaid::api::SpeakersRequest;
use whosaid::render;

/// `whosaid speakers [PREFIX]`
pub fn speakers(at: At, prefix: &str, limit: usize, as_json: bool) -> Result<Outcome> {
    let request = SpeakersRequest { prefix: prefix.to_string(), limit };
    let list = request.on(&at.open()?)?;
    if as_json {
        json(&list)?;
    } else {
        let color = stdout_color();
        print_human(&render::speakers(&list, color), color)?;
    }
    Ok(if list.speakers.is_empty() { Outcome::NoResults } else { Outcome::Results })
}
