//! `timeline`: a speaker's statement counts per period, as bars or JSON.
//!
//! Known limits: one speaker (the web API's timeline may have none: everyone).

use std::path::Path;

use anyhow::Result;

use super::args::FilterArgs;
use super::{json, print_human, stdout_color, Outcome};
use whosaid::api::TimelineRequest;
use whosaid::index::Index;
use whosaid::render;

/// `whosaid timeline SPEAKER [QUERY]`
pub fn timeline(
    index_dir: &Path,
    speaker: &str,
    q: &str,
    f: &FilterArgs,
    by: &str,
    as_json: bool,
) -> Result<Outcome> {
    let request = TimelineRequest::parse(Some(speaker), q, &f.into(), by)?;
    let t = request.run(&Index::open(index_dir)?)?;
    if as_json {
        json(&t)?;
    } else {
        let color = stdout_color();
        print_human(&render::timeline(&t, color), color)?;
    }
    Ok(if t.total > 0 { Outcome::Results } else { Outcome::NoResults })
}
