//! The Tantivy index of statements: schema, writing and searching.
//!
//! - [`schema`]: fields, tokenizers, the schema version stamp and the [`Index`] handle.
//! - [`writer`]: [`open_or_create`], [`Index::writer`], [`IndexWriter::replace_article`].
//! - [`search`]: [`Index::open`], [`Filters`] and [`query`] (top hits + facet counts).
//! - [`who`]: [`who()`] — who said a phrase, trying exact, then sloppy, then all words.
//! - [`stats`]: [`stats()`] — totals and top speakers.
//!
//! Result structs serialize to stable JSON shapes; renderers should not reshape them.
//! Known limits: one writer at a time per index directory; an index made with another
//! schema version is refused and must be re-ingested.

mod facet_columns;
pub mod facets;
mod rows;
pub mod schema;
pub mod search;
pub mod stats;
pub mod who;
pub mod writer;

pub use facets::{FacetCount, Facets};
pub use schema::{Fields, Index, SCHEMA_VERSION};
pub use search::{query, BadQuery, Filters, Hit, QueryResult};
pub use stats::{stats, Stats};
pub use who::{who, MatchKind, WhoResult, WhoSpeaker};
pub use writer::{open_or_create, IndexWriter, DEFAULT_HEAP_BYTES};
