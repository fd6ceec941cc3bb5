//! Filters shared by every search (`query`, `who`, `timeline`, `export`): speakers by
//! the speaker table, speaker type, a date range, kind and source, each a query that
//! restricts without changing scores.
//!
//! Known limits: source and kind filters scan the field's term dictionary per query,
//! which is cheap for the few thousand distinct values a news folder has; a speaker
//! filter reads the speaker table (see `index::speaker_table`).

use crate::index::error::Result;
use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, RangeQuery, TermSetQuery,
};
use tantivy::schema::Field;
use tantivy::termdict::TermStreamer;
use tantivy::{Searcher, Term};

use super::check_length;
use crate::index::days::day_to_datetime;
use crate::index::Index;

/// Restrictions shared by `query` and `who`. Empty means no restriction.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// OR'ed; each selects exactly one speaker of the speaker table, with all its
    /// name variants (see [`crate::index::speaker_table::Speakers::find`]): "Jo Baker" never
    /// matches "Jo Baker Jr."; "unnamed: analysts" is the unnamed "analysts".
    pub speakers: Vec<String>,
    /// "person", "organization" or "unnamed", case-insensitive: the statement's own type.
    pub speaker_type: Option<String>,
    /// Inclusive.
    pub since: Option<jiff::civil::Date>,
    /// Inclusive.
    pub until: Option<jiff::civil::Date>,
    /// "direct", "indirect" or "mixed", case-insensitive.
    pub kind: Option<String>,
    /// Case-insensitive; folded by the caller as articles' sources are (see
    /// `article::publisher`). A source no statement has is an error listing the
    /// nearest ones.
    pub source: Option<String>,
}

impl Filters {
    /// Refuses a filter value too long to be meant (see `check_length`).
    pub fn check_lengths(&self) -> Result<()> {
        let mut values =
            self.speakers.iter().chain(&self.kind).chain(&self.source).chain(&self.speaker_type);
        values.try_for_each(|value| check_length("filter value", value))
    }
}

/// `main` restricted by `filters`; filters never change scores.
pub(crate) fn with_filters(
    index: &Index,
    searcher: &Searcher,
    main: Box<dyn Query>,
    filters: &Filters,
) -> Result<Box<dyn Query>> {
    filters.check_lengths()?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    for filter in filter_queries(index, searcher, filters)? {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
    }
    if clauses.len() == 1 {
        if let Some((_, only)) = clauses.pop() {
            return Ok(only);
        }
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn filter_queries(
    index: &Index,
    searcher: &Searcher,
    filters: &Filters,
) -> Result<Vec<Box<dyn Query>>> {
    let f = index.fields;
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    if !filters.speakers.is_empty() {
        // Each value is one speaker: the keys of all its names (an alias finds the
        // person), and never another speaker's.
        let table = crate::index::speaker_table::load(index)?;
        let mut keys = BTreeSet::new();
        for wanted in &filters.speakers {
            if let Some(entry) = table.find(wanted)? {
                keys.extend(entry.keys());
            }
        }
        out.push(match keys.is_empty() {
            true => Box::new(EmptyQuery),
            false => Box::new(TermSetQuery::new(
                keys.into_iter().map(|k| Term::from_field_u64(f.speaker_key, k)),
            )),
        });
    }
    for (field, value) in [
        (f.kind, &filters.kind),
        (f.source, &filters.source),
        (f.speaker_type, &filters.speaker_type),
    ] {
        if let Some(value) = value {
            match equal_ci(searcher, field, value)? {
                Some(query) => out.push(query),
                // A misspelt publisher would otherwise look like one nobody quoted.
                None if field == f.source => {
                    return Err(super::sources::unknown_source(searcher, field, value)?)
                }
                None => out.push(Box::new(EmptyQuery)),
            }
        }
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |day: Option<jiff::civil::Date>| -> Result<Bound<Term>> {
            Ok(match day {
                Some(day) => {
                    Bound::Included(Term::from_field_date_for_search(f.date, day_to_datetime(day)?))
                }
                None => Bound::Unbounded,
            })
        };
        out.push(Box::new(RangeQuery::new(bound(filters.since)?, bound(filters.until)?)));
    }
    Ok(out)
}

/// Documents whose raw `field` equals `value` ignoring case; None when no value does.
///
/// A case-insensitive automaton walks the term dictionary, visiting only the
/// branches that can still match: lower-casing every term instead took 10 ms per
/// query on the speaker dictionary of a million articles.
fn equal_ci(searcher: &Searcher, field: Field, value: &str) -> Result<Option<Box<dyn Query>>> {
    // The automaton has at most 1,000 states: a value of a few thousand characters
    // (allowed, if pointless) is matched the slow way instead.
    let automaton = tantivy_fst::Regex::new(&format!("(?i){}", escape_regex(value))).ok();
    let wanted = value.to_lowercase();
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let terms = inverted.terms();
        match &automaton {
            Some(a) => insert_terms(terms.search(a).into_stream()?, |_| true, &mut found),
            None => insert_terms(terms.stream()?, |term| term.to_lowercase() == wanted, &mut found),
        }
    }
    if found.is_empty() {
        return Ok(None);
    }
    let terms = found.iter().map(|t| Term::from_field_text(field, t));
    Ok(Some(Box::new(TermSetQuery::new(terms))))
}

/// Adds every term of `stream` that `keep` accepts to `found`.
fn insert_terms<A: tantivy_fst::Automaton>(
    mut stream: TermStreamer<'_, A>,
    keep: impl Fn(&str) -> bool,
    found: &mut BTreeSet<String>,
) {
    while stream.advance() {
        if let Ok(term) = std::str::from_utf8(stream.key()) {
            if keep(term) {
                found.insert(term.to_string());
            }
        }
    }
}

/// `text` as a regular expression that matches it literally.
fn escape_regex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
