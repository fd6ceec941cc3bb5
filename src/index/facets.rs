//! Facet counts (speaker, month, source, kind, and a date facet at another
//! granularity on request) over all matches of a query.
//!
//! Known limits: statements without a speaker, source or date have no facet of that
//! kind, so they are not counted there (the per-facet sums can be below `total`).

use std::collections::HashMap;

use serde::Serialize;

use super::facet_columns::{ColumnCounts, FacetColumns};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By count, descending.
    pub speaker: Vec<FacetCount>,
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

pub(crate) fn from_counts(counts: &ColumnCounts) -> Facets {
    let mut month = children(&counts.month);
    month.sort_by(|a, b| a.value.cmp(&b.value));
    Facets {
        speaker: by_count(children(&counts.speaker)),
        month,
        source: by_count(children(&counts.source)),
        kind: by_count(children(&counts.kind)),
        by_date: Default::default(),
    }
}

fn children(counts: &HashMap<String, u64>) -> Vec<FacetCount> {
    counts
        .iter()
        .map(|(value, &count)| FacetCount { value: value.clone(), count })
        .collect()
}

/// Count descending, then value ascending, so output is deterministic.
pub(crate) fn by_count(mut v: Vec<FacetCount>) -> Vec<FacetCount> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}
