//! Facet counts (speaker, month, source, kind, and a date facet at another
//! granularity on request) over all matches of a query.
//!
//! Known limits: statements without a speaker, source or date have no facet of that
//! kind, so they are not counted there (the per-facet sums can be below `total`).

use serde::Serialize;
use tantivy::collector::{FacetCollector, FacetCounts};
use tantivy::schema::Facet;

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

pub(crate) fn collector() -> FacetCollector {
    let mut c = FacetCollector::for_field("facets");
    for root in ["speaker", "month", "source", "kind"] {
        c.add_facet(Facet::from_path([root]));
    }
    c
}

pub(crate) fn from_counts(counts: &FacetCounts) -> Facets {
    let mut month = children(counts, "month");
    month.sort_by(|a, b| a.value.cmp(&b.value));
    Facets {
        speaker: by_count(children(counts, "speaker")),
        month,
        source: by_count(children(counts, "source")),
        kind: by_count(children(counts, "kind")),
        by_date: Default::default(),
    }
}

fn children(counts: &FacetCounts, root: &str) -> Vec<FacetCount> {
    counts
        .get(Facet::from_path([root]))
        .filter_map(|(facet, count)| {
            // The path is [root, value]; the value is stored unescaped.
            let value = facet.to_path().get(1)?.to_string();
            Some(FacetCount { value, count })
        })
        .collect()
}

/// Count descending, then value ascending, so output is deterministic.
pub(crate) fn by_count(mut v: Vec<FacetCount>) -> Vec<FacetCount> {
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    v
}
