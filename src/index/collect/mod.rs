//! Collectors over all matches of a search, reading fast-field columns instead of
//! stored documents: [`rows`] (speaker, article, day and quotation of every match,
//! for `who`, `stats` and timelines) and [`facet_columns`] (facet counts per column
//! ordinal).
//!
//! Known limits: they read every match; a top page alone is cheaper with Tantivy's
//! `TopDocs`.

pub(crate) mod facet_columns;
pub(crate) mod rows;
