//! whosaid: find who said what, and when, in a folder of news articles.
//!
//! Data flows down these modules once:
//! [`article`] reads files into [`article::Article`]s → [`extract`] finds
//! [`extract::Statement`]s with speakers and dates → [`index`] stores and searches
//! them with Tantivy → [`render`] prints them for people or machines. [`ingest`] and
//! [`pipeline`] run the first three over a folder, incrementally and crash-safely.
//! Nothing in `extract` knows about Tantivy; nothing in `index` knows how a
//! speaker was found; `render` only formats what it is given. [`progress`] shows
//! how a long ingest is going on stderr; [`web`] serves the same results to a
//! browser. [`fnv`] is the stable hash of every key the index stores.

pub mod api;
pub mod article;
pub mod extract;
pub mod fnv;
pub mod index;
pub mod ingest;
pub mod learn;
pub mod lexicon;
pub mod people;
pub mod progress;
pub mod render;
pub mod statement;
pub mod train;
pub mod words;
pub mod web;
