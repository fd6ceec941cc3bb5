//! The Tantivy index of statements: schema, writing and searching.
//!
//! - [`schema`]: fields, tokenizers, the schema version stamp and the [`Index`] handle.
//! - [`words`]: the tokenizer of statement text, titles and names.
//! - [`writer`]: [`open_or_create`], [`Index::writer`], [`IndexWriter::replace_article`].
//! - [`search`]: [`Index::open`], [`Filters`] and [`query`] (top hits + facet counts).
//! - [`who`]: [`who()`] — who said a phrase, trying exact, then sloppy, then all words.
//! - [`entity`]: which speaker a statement is by: a name, and whether it is unnamed
//!   ("analysts"); the stored speaker key and the label "unnamed: analysts".
//! - [`names`]: which speaker names are one person, by `data/rules/name-variants.txt`.
//! - [`files`]: the list of ingested files (`ingest-files.json`) that lets `ingest`
//!   skip unchanged files and stay correct through a crash.
//! - [`sidecar`]: atomic writes of the files beside Tantivy's, and the ingest lock.
//! - [`speakers`]: the index-wide speaker table (`speakers.json`): each person with
//!   the names merged into it and its type; read by `speakers`, `--speaker` (which
//!   selects exactly one of its entries), the facets and `who`.
//! - [`titles`]: `title:` clauses, headlines being indexed on each article's first
//!   statement only.
//! - [`stems`]: a word query matching every indexed word with the same English stem.
//! - [`repeats`]: one quotation reported by several articles, for `who`.
//! - [`stats`]: [`stats()`] — totals and top speakers.
//! - [`export`]: [`for_each_statement`] — every matching statement, streamed.
//! - [`highlight`]: [`Highlighter`] — where a statement's text matched a search.
//! - [`timeline`]: [`timeline()`] — statement counts per day, week, month or year.
//!
//! Result structs serialize to stable JSON shapes; renderers should not reshape them.
//! Known limits: one ingest at a time per index directory (`sidecar::IngestLock`); an
//! index made with another schema version is refused and must be re-ingested.

pub mod entity;
pub mod export;
mod facet_columns;
pub mod facets;
pub mod files;
pub mod highlight;
pub mod names;
pub mod repeats;
mod rows;
pub mod schema;
pub mod search;
pub mod sidecar;
pub mod speakers;
mod stems;
pub mod stats;
pub mod timeline;
mod titles;
pub mod who;
mod words;
pub mod writer;

pub use export::for_each_statement;
pub use facets::{FacetCount, Facets, SpeakerCount};
pub use highlight::Highlighter;
pub use schema::{Fields, Index, SCHEMA_VERSION};
pub use search::{query, query_by, BadQuery, Filters, Hit, QueryResult};
pub use speakers::{AmbiguousSpeaker, ListedSpeaker, SpeakerEntry, SpeakerList, Speakers};
pub use stats::{stats, Stats};
pub use timeline::{timeline, PeriodCount, Timeline};
pub use who::{who, who_sorted, MatchKind, Sort, WhoResult, WhoSpeaker};
pub use writer::{open_or_create, IndexWriter, DEFAULT_HEAP_BYTES};
