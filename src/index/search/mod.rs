//! The questions asked of an index, one file each: [`query`] (top statements and
//! facets), [`who`] (which speakers said a phrase, with [`repeats`] for one quotation
//! in several articles), [`facets`], [`timeline`], [`stats`], [`export`] (every match,
//! streamed), [`highlight`] (where a statement matched) and [`context`] (the sentence
//! around a statement, from the article store); [`article`] is `show` (an article and
//! its statements).
//!
//! Known limits: each answer reads one commit; an ingest running meanwhile shows up
//! in the next question, not in the middle of one.

pub mod article;
pub mod context;
pub mod export;
pub mod facets;
pub mod highlight;
pub mod query;
pub mod rank;
pub mod repeats;
pub mod stats;
pub mod timeline;
pub mod who;
