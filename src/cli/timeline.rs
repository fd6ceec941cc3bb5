//! `timeline`: a speaker's statement counts per period, as bars or JSON, from the
//! local index or a cluster's (`--engine`).
//!
//! Known limits: one speaker (the web API's timeline may have none: everyone).

use anyhow::Result;

use super::args::FilterArgs;
use super::{json, print_human, stdout_color, At, Outcome};
use whosaid::api::TimelineRequest;
use whosaid::render;

/// `whosaid timeline SPEAKER [QUERY]`
pub fn timeline(
    at: At,
    speaker: &str,
    q: &str,
    f: &FilterArgs,
    by: &str,
    as_json: bool,
) -> Result<Outcome> {
    let request = TimelineRequest::parse(Some(speaker), q, &f.into(), by)?;
    let t = request.on(&at.open()?)?;
    if as_json {
        json(&t)?;
    } else {
        let color = stdout_color();
        print_human(&render::timeline(&t, color), color)?;
    }
    Ok(if t.total > 0 { Outcome::Results } else { Outcome::NoResults })
}
