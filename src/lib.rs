//! whosaid: find who said what, and when, in a folder of news articles.
//!
//! Data flows down these modules once (ARCHITECTURE.md walks them): [`article`]
//! reads files into [`article::Article`]s → [`extract`] finds
//! [`statement::Statement`]s with speakers and dates (rule lists from [`lexicon`],
//! models scored by [`learn`]) → [`index`] stores and searches them with Tantivy →
//! [`api`] answers typed requests → [`render`] prints them for people or machines,
//! and [`web`] serves them to a browser. [`ingest`] runs the first three over a
//! folder, incrementally and crash-safely, showing [`progress`] on stderr; [`train`]
//! rebuilds the models; [`cluster`] sends statements to an OpenSearch index instead. [`people`] tells which names are one person, [`words`] is the
//! tokenizer shared by the index and name matching, and [`fnv`] is the stable hash of
//! every key the index stores. Nothing in `extract` knows about Tantivy; nothing in
//! `index` knows how a speaker was found; `render` only formats what it is given.
//! The command line is the binary's own (`src/cli/`).

pub mod api;
pub mod article;
pub mod cluster;
pub mod controls;
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
pub mod web;
pub mod words;
