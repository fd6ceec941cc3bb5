//! Opening an index for reading, filters, and full-text `query` with facet counts.
//!
//! Known limits: terms are AND'ed by default (a search box narrows as you type);
//! source and kind filters scan the field's term dictionary per query, which is
//! cheap for the few thousand distinct values a news folder has; a speaker filter
//! reads the speaker table (see `index::speakers`).

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    QueryParser, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::termdict::TermStreamer;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use super::facets::{self, Facets};
use super::rows::{Rows, SpeakersAs};
use super::timeline;
use super::schema::{check_version, Index};
use super::stems::StemQuery;
use super::titles::ArticlesQuery;
use super::writer::day_to_datetime;
use crate::statement::{Precision, Statement};

/// Restrictions shared by `query` and `who`. Empty means no restriction.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// OR'ed; each selects exactly one speaker of the speaker table, with all its
    /// name variants (see [`super::speakers::Speakers::find`]): "Jo Baker" never
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
    /// Case-insensitive.
    pub source: Option<String>,
}

/// The user's query did not parse; carries the parser's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadQuery(pub String);

impl std::fmt::Display for BadQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad query: {}", self.0)
    }
}

impl std::error::Error for BadQuery {}

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub query: String,
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub statement: Statement,
    pub score: f32,
}

impl Index {
    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<Index> {
        let missing = || {
            anyhow::anyhow!(
                "no index at {}: run 'whosaid ingest PATH' first",
                dir.display()
            )
        };
        if !dir.is_dir() {
            return Err(missing());
        }
        let directory =
            MmapDirectory::open(dir).with_context(|| format!("opening {}", dir.display()))?;
        if !tantivy::Index::exists(&directory).unwrap_or(false) {
            return Err(missing());
        }
        check_version(dir)?;
        let inner = tantivy::Index::open(directory)
            .with_context(|| format!("opening index at {}", dir.display()))?;
        Index::wrap(inner, dir)
    }
}

/// Statements matching `query` (Tantivy query syntax; "" or "*" for all) and `filters`:
/// the best `limit` by score, the total, and facet counts over all matches.
pub fn query(index: &Index, query: &str, filters: &Filters, limit: usize) -> Result<QueryResult> {
    query_by(index, query, filters, limit, None)
}

/// [`query`], with the date facet also counted per `by` (day, week or year; the
/// month facet is always there) under a key of that name.
pub fn query_by(
    index: &Index,
    query: &str,
    filters: &Filters,
    limit: usize,
    by: Option<Precision>,
) -> Result<QueryResult> {
    let searcher = index.searcher()?;
    let main = parse(index, query)?;
    let full = with_filters(index, &searcher, main, filters)?;
    // TopDocs refuses a limit of 0 (ask for one and drop it) and preallocates for the
    // limit (so never ask for more than there are).
    let cap = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let (top, total, counts) = if limit == 0 {
        // Counts only: without a top list nothing needs a score, so Tantivy hands
        // the matches over in blocks (see FacetColumnsSegment::collect_block).
        let (total, counts) = searcher
            .search(&*full, &(Count, facets::collector()))
            .context("searching")?;
        (Vec::new(), total, counts)
    } else {
        let top = TopDocs::with_limit(limit.min(cap).max(1)).order_by_score();
        searcher
            .search(&*full, &(top, Count, facets::collector()))
            .context("searching")?
    };
    let hits = top
        .into_iter()
        .take(limit)
        .map(|(score, addr)| {
            Ok(Hit {
                statement: load_statement(index, &searcher, addr)?,
                score,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut facets = facets::from_counts(index, &counts)?;
    if let Some(by) = by.filter(|b| *b != Precision::Month) {
        let rows = searcher.search(&*full, &Rows { scoring: false, speakers: SpeakersAs::Neither }).context("searching")?;
        facets.by_date.insert(by.as_str().to_string(), timeline::facet(&rows, by));
    }
    Ok(QueryResult {
        query: query.to_string(),
        total: total as u64,
        hits,
        facets,
    })
}

/// Longer queries, phrases and filter values are refused: a paragraph is about 1 KB,
/// and a query of hundreds of KB (a file pasted by mistake, or a hostile client of a
/// server built on this library) would only cost time.
pub const MAX_QUERY_BYTES: usize = 10 * 1024;
/// Tantivy's query grammar recurses once per parenthesis and per NOT, and overflowed
/// the stack (an abort, not an error) at about 3,000 levels; no real query needs 32.
pub const MAX_QUERY_DEPTH: usize = 32;
/// The fields a query can name, for the message when it names another.
const SEARCHABLE: &str = "text, speaker_name, speaker, speaker_type, title, kind, source, date (RFC 3339)";

/// Refuses `text` (a query, a phrase, a filter value) when it is too long to be meant.
pub(crate) fn check_length(what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(anyhow::Error::new(BadQuery(format!(
            "the {what} is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
            text.len()
        ))));
    }
    Ok(())
}

/// How deeply `query` may nest: each parenthesis outside a quoted phrase opens a
/// level, and each NOT counts as one wherever it is (an overestimate, which only
/// refuses queries nobody writes).
fn nesting(query: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut quoted, mut escaped) = (false, false);
    for c in query.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let nots = query
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| *w == "NOT")
        .count();
    deepest + nots
}

/// Why the parser refused a query, in words that say what to do.
fn explain(err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::FieldDoesNotExist(field) | E::FieldNotIndexed(field) => {
            format!("no field '{field}' to search; the fields are {SEARCHABLE}")
        }
        E::DateFormatError(_) => "dates in a query are RFC 3339 \
            (date:[2025-03-01T00:00:00Z TO 2025-04-01T00:00:00Z]); --since and --until \
            take YYYY, YYYY-MM or YYYY-MM-DD"
            .to_string(),
        other => other.to_string(),
    }
}

/// `field:*` needs a column Tantivy can scan; on any other field it fails at search
/// time with a schema error, so it is refused here with a plain message.
fn check_exists(ast: &UserInputAst) -> Result<()> {
    const COLUMNS: [&str; 6] = ["speaker", "speaker_type", "kind", "source", "article", "date"];
    match ast {
        UserInputAst::Clause(children) => children.iter().try_for_each(|(_, child)| check_exists(child)),
        UserInputAst::Boost(inner, _) => check_exists(inner),
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Exists { field } if !COLUMNS.contains(&field.as_str()) => {
                Err(anyhow::Error::new(BadQuery(format!(
                    "'{field}:*' cannot be searched; 'field:*' works for {}",
                    COLUMNS.join(", ")
                ))))
            }
            _ => Ok(()),
        },
    }
}

pub(crate) fn parse(index: &Index, query: &str) -> Result<Box<dyn Query>> {
    let query = query.trim();
    if query.is_empty() || query == "*" {
        return Ok(Box::new(AllQuery));
    }
    check_length("query", query)?;
    if nesting(query) > MAX_QUERY_DEPTH {
        return Err(anyhow::Error::new(BadQuery(format!(
            "the query nests parentheses and NOTs more than {MAX_QUERY_DEPTH} deep"
        ))));
    }
    let f = index.fields;
    // The statement's words and its speaker's name ("petrov cease-fire"), not the
    // headline: every statement of an article carries it, so a headline word would
    // match them all. Titles stay searchable as title:….
    let mut parser = QueryParser::for_index(&index.inner, vec![f.text, f.speaker_name]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.speaker_name, 0.5);
    let ast = match query_grammar::parse_query(query) {
        Ok(ast) => ast,
        Err(_) => {
            // The strict grammar gives no reason; the lenient one says what and where.
            let (_, errors) = query_grammar::parse_query_lenient(query);
            let why = errors
                .first()
                .map(|e| format!("{} at position {}", e.message, e.pos))
                .unwrap_or_else(|| "syntax error".to_string());
            return Err(anyhow::Error::new(BadQuery(why)));
        }
    };
    check_exists(&ast)?;
    build(&parser, f.text, negations_from_all(ast))
}

/// The query Tantivy's parser makes of `ast`, except that a bare word of the statement
/// text matches every indexed word with its stem (see `index::stems`); quoted words,
/// phrases and prefixes match as written.
///
/// Clauses and boosts are composed here, as the parser composes them, because only
/// at a leaf is it known whether the word was quoted.
fn build(parser: &QueryParser, text: Field, ast: UserInputAst) -> Result<Box<dyn Query>> {
    match ast {
        UserInputAst::Clause(children) => {
            let mut clauses = Vec::with_capacity(children.len());
            for (occur, child) in children {
                let query = build(parser, text, child)?;
                // The parser drops clauses that analyze to nothing ("!!!"), so that
                // they neither require nor exclude anything.
                if !query.is::<EmptyQuery>() {
                    clauses.push((occur.unwrap_or(Occur::Must), query));
                }
            }
            Ok(match clauses.len() {
                0 => Box::new(EmptyQuery),
                _ => Box::new(BooleanQuery::new(clauses)),
            })
        }
        UserInputAst::Boost(inner, boost) => {
            let inner = build(parser, text, *inner)?;
            if inner.is::<EmptyQuery>() {
                return Ok(inner);
            }
            Ok(Box::new(BoostQuery::new(inner, boost.into_inner() as Score)))
        }
        UserInputAst::Leaf(leaf) => {
            let bare = matches!(&*leaf, UserInputLeaf::Literal(l) if l.delimiter == Delimiter::None && !l.prefix);
            let headline = leaf_field(&leaf) == Some("title");
            let query = parser
                .build_query_from_user_input_ast(UserInputAst::Leaf(leaf))
                .map_err(|err| anyhow::Error::new(BadQuery(explain(&err))))?;
            Ok(if headline && !query.is::<EmptyQuery>() {
                Box::new(ArticlesQuery::new(query))
            } else if bare {
                stem_words(query, text)
            } else {
                query
            })
        }
    }
}

/// The field a leaf names, if it names one.
fn leaf_field(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(l) => l.field_name.as_deref(),
        UserInputLeaf::Range { field, .. } | UserInputLeaf::Set { field, .. } | UserInputLeaf::Regex { field, .. } => field.as_deref(),
        UserInputLeaf::Exists { field } => Some(field),
        UserInputLeaf::All => None,
    }
}

/// `query` with each single-word match on `text` widened to the word's stem.
fn stem_words(query: Box<dyn Query>, text: Field) -> Box<dyn Query> {
    if let Some(term) = query.downcast_ref::<TermQuery>().map(TermQuery::term) {
        if let (true, Some(word)) = (term.field() == text, term.value().as_str()) {
            return Box::new(StemQuery::new(text, word));
        }
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, clause)| (*occur, stem_words(clause.box_clone(), text)))
            .collect();
        let mut widened = BooleanQuery::new(clauses);
        widened.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Box::new(widened);
    }
    query
}

/// Tantivy turns "a AND NOT b" into `+a +(-b)`, and a group holding only exclusions
/// matches nothing. Giving such groups an implicit "everything" makes "a AND NOT b",
/// "a OR NOT b" and a lone "-b" mean what they say.
fn negations_from_all(ast: UserInputAst) -> UserInputAst {
    match ast {
        UserInputAst::Clause(children) => {
            let mut children: Vec<_> = children
                .into_iter()
                .map(|(occur, child)| (occur, negations_from_all(child)))
                .collect();
            if !children.is_empty() && children.iter().all(|(o, _)| *o == Some(Occur::MustNot)) {
                let all = UserInputAst::Leaf(Box::new(UserInputLeaf::All));
                children.push((Some(Occur::Must), all));
            }
            UserInputAst::Clause(children)
        }
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(negations_from_all(*inner)), boost)
        }
        leaf => leaf,
    }
}

/// `main` restricted by `filters`; filters never change scores.
pub(crate) fn with_filters(
    index: &Index,
    searcher: &Searcher,
    main: Box<dyn Query>,
    filters: &Filters,
) -> Result<Box<dyn Query>> {
    for value in filters.speakers.iter().chain(&filters.kind).chain(&filters.source).chain(&filters.speaker_type) {
        check_length("filter value", value)?;
    }
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
        let table = super::speakers::load(index)?;
        let mut keys = BTreeSet::new();
        for wanted in &filters.speakers {
            if let Some(entry) = table.find(wanted).map_err(anyhow::Error::new)? {
                keys.extend(entry.keys());
            }
        }
        out.push(match keys.is_empty() {
            true => Box::new(EmptyQuery),
            false => Box::new(TermSetQuery::new(keys.into_iter().map(|k| Term::from_field_u64(f.speaker_key, k)))),
        });
    }
    for (field, value) in [(f.kind, &filters.kind), (f.source, &filters.source), (f.speaker_type, &filters.speaker_type)] {
        if let Some(value) = value {
            out.push(equal_ci(searcher, field, value)?.unwrap_or_else(|| Box::new(EmptyQuery)));
        }
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |day: Option<jiff::civil::Date>| -> Result<Bound<Term>> {
            Ok(match day {
                Some(day) => Bound::Included(Term::from_field_date_for_search(
                    f.date,
                    day_to_datetime(day)?,
                )),
                None => Bound::Unbounded,
            })
        };
        out.push(Box::new(RangeQuery::new(
            bound(filters.since)?,
            bound(filters.until)?,
        )));
    }
    Ok(out)
}

/// Term, or phrase with `slop`, over already-tokenized `words`; None when there are none.
pub(crate) fn phrase(field: Field, words: &[String], slop: u32) -> Option<Box<dyn Query>> {
    let terms: Vec<Term> = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))),
        _ => {
            let mut q = PhraseQuery::new(terms);
            q.set_slop(slop);
            Some(Box::new(q))
        }
    }
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
fn insert_terms<A: tantivy_fst::Automaton>(mut stream: TermStreamer<'_, A>, keep: impl Fn(&str) -> bool, found: &mut BTreeSet<String>) {
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

pub(crate) fn load_statement(
    index: &Index,
    searcher: &Searcher,
    addr: DocAddress,
) -> Result<Statement> {
    let doc: TantivyDocument = searcher.doc(addr).context("reading stored statement")?;
    statement_of(index, &doc)
}

/// The statement a stored document holds (as JSON in its one stored field).
pub(crate) fn statement_of(index: &Index, doc: &TantivyDocument) -> Result<Statement> {
    let json = doc
        .get_first(index.fields.json)
        .and_then(|v| v.as_str())
        .context("stored statement has no json")?;
    serde_json::from_str(json).context("stored statement json is invalid")
}
