//! Facet counts (speaker, speaker type, month, source, kind, and a date facet at
//! another granularity on request) over all matches of a query.
//!
//! The speaker facet counts speakers as `who` does (see [`crate::index::speaker_key`]): a
//! person's name variants are one value, under the speaker table's canonical name,
//! and an unnamed speaker is a value apart from a named one of the same name; so for
//! a phrase, a speaker's facet count, `who`'s count and the total of the query with
//! `--speaker` set to that speaker's label agree.
//!
//! Known limits: statements without a speaker, speaker type, source or date have no
//! facet of that kind, so they are not counted there (the per-facet sums can be
//! below `total`).

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;

use crate::index::collect::facet_columns::{ColumnCounts, FacetColumns};
use crate::index::speaker_key::{self, TypeCounts};
use crate::index::speaker_table::PersonKeys;
use crate::index::Index;
use crate::statement::SpeakerType;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// One speaker of the speaker facet (and of `stats`' top speakers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpeakerCount {
    /// The speaker's name (the canonical one, for a person with name variants), as
    /// the statements' `speaker` has it.
    pub value: String,
    pub count: u64,
    /// `unnamed` for a description nobody is named by; else `person` or
    /// `organization`, whichever most of the counted statements have; null when
    /// none has a type.
    pub speaker_type: Option<SpeakerType>,
    /// How to show it, and the `--speaker` value that selects exactly it:
    /// "unnamed: analysts", or the name.
    pub label: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By count, descending.
    pub speaker: Vec<SpeakerCount>,
    /// Statements per speaker type (`person`, `organization`, `unnamed`), by count.
    pub speaker_type: Vec<FacetCount>,
    /// Chronological.
    pub month: Vec<FacetCount>,
    pub source: Vec<FacetCount>,
    pub kind: Vec<FacetCount>,
    /// `query --by day|week|year`: the date facet at that granularity, under a key
    /// of that name ("week": `2025-W11`); chronological. Empty without `--by`.
    #[serde(flatten)]
    pub by_date: std::collections::BTreeMap<String, Vec<FacetCount>>,
}

/// Counts from fast-field columns (see [`super::facet_columns`] for why not Tantivy's
/// facet collector).
pub(crate) fn collector() -> FacetColumns {
    FacetColumns
}

/// The facets of `counts`, counted from `index`'s columns; speakers are named as the
/// index's speaker table names them.
pub(crate) fn from_counts(index: &Index, counts: &ColumnCounts) -> Result<Facets> {
    let mut month = children(&counts.month);
    month.sort_by(|a, b| a.value.cmp(&b.value));
    let people = if counts.speaker.is_empty() {
        PersonKeys::default()
    } else {
        crate::index::speaker_table::person_keys(index)?
    };
    let mut types: HashMap<String, u64> = HashMap::new();
    for ((_, ty), count) in &counts.speaker {
        if let Some(ty) = ty {
            *types.entry(ty.as_str().to_string()).or_default() += count;
        }
    }
    Ok(Facets {
        speaker: speakers(&counts.speaker, &people),
        speaker_type: by_count(children(&types)),
        month,
        source: by_count(children(&counts.source)),
        kind: by_count(children(&counts.kind)),
        by_date: Default::default(),
    })
}

/// Counts by stored name and type as counts by speaker: each name under its
/// speaker's canonical name, unnamed speakers apart; by count descending, then label.
pub(crate) fn speakers(
    counts: &HashMap<(String, Option<SpeakerType>), u64>,
    people: &PersonKeys,
) -> Vec<SpeakerCount> {
    let mut merged: HashMap<(&str, bool), TypeCounts> = HashMap::new();
    for ((name, ty), &count) in counts {
        let unnamed = speaker_key::is_unnamed(*ty);
        merged.entry((people.canonical(name, unnamed), unnamed)).or_default().add(*ty, count);
    }
    let mut out: Vec<SpeakerCount> = merged
        .into_iter()
        .map(|((name, unnamed), types)| {
            let speaker_type = if unnamed { Some(SpeakerType::Unnamed) } else { types.shown() };
            let count = types.person + types.organization + types.unnamed + types.untyped;
            SpeakerCount {
                value: name.to_string(),
                count,
                speaker_type,
                label: speaker_key::label(name, speaker_type),
            }
        })
        .collect();
    sort_speakers(&mut out);
    out
}

/// Speakers by count descending, then label and value, so output is deterministic.
pub(crate) fn sort_speakers(speakers: &mut [SpeakerCount]) {
    speakers.sort_by(|a, b| {
        (std::cmp::Reverse(a.count), &a.label, &a.value).cmp(&(
            std::cmp::Reverse(b.count),
            &b.label,
            &b.value,
        ))
    });
}

pub(crate) fn children(counts: &HashMap<String, u64>) -> Vec<FacetCount> {
    counts.iter().map(|(value, &count)| FacetCount { value: value.clone(), count }).collect()
}

/// Count descending, then value ascending, so output is deterministic.
pub(crate) fn by_count(mut v: Vec<FacetCount>) -> Vec<FacetCount> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_merge_by_person_and_keep_unnamed_apart() {
        let mut counts = HashMap::new();
        counts.insert(("analysts".to_string(), Some(SpeakerType::Unnamed)), 3);
        counts.insert(("Analysts".to_string(), Some(SpeakerType::Person)), 1);
        counts.insert(("analysts".to_string(), Some(SpeakerType::Organization)), 1);
        counts.insert(("Reuters".to_string(), Some(SpeakerType::Organization)), 2);
        counts.insert(("Reuters".to_string(), Some(SpeakerType::Person)), 1);
        let got: Vec<(String, u64, Option<SpeakerType>, String)> =
            speakers(&counts, &PersonKeys::default())
                .into_iter()
                .map(|c| (c.value, c.count, c.speaker_type, c.label))
                .collect();
        use SpeakerType::*;
        assert_eq!(
            got,
            [
                ("Reuters".into(), 3, Some(Organization), "Reuters".into()),
                ("analysts".into(), 3, Some(Unnamed), "unnamed: analysts".into()),
                ("Analysts".into(), 1, Some(Person), "Analysts".into()),
                ("analysts".into(), 1, Some(Organization), "analysts".into()),
            ]
        );
    }
}
