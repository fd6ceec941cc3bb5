//! The query language: a user's query string parsed with Tantivy's grammar into a
//! query over the statement index, with bare words matched by their English stem,
//! `title:` clauses widened to whole articles, and limits on length and nesting.
//!
//! - [`filters`]: [`Filters`] (speaker, type, dates, kind, source) as queries.
//! - `stems`: a word query matching every indexed word with the same stem.
//! - `titles`: headlines are indexed once per article; `title:` matches all of it.
//! - [`forgiving`]: any typed string rewritten so that the grammar parses it (an
//!   apostrophe, `re: trade`, a lone operator or quote are words, never an error).
//!
//! Known limits: only the fields of [`forgiving::FIELDS`] can be named; a date a
//! query names must be RFC 3339.

use crate::index::error::Result;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, QueryParser,
    RegexQuery, TermQuery,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Score, Term};

pub mod filters;
pub mod forgiving;
mod sources;
pub(crate) mod stems;
pub(crate) mod titles;

pub(crate) use filters::with_filters;
pub use filters::Filters;

use super::{Error, Index};
use crate::words::{exact_analyzer, tokens};
use stems::StemQuery;
use titles::ArticlesQuery;

/// Longer queries, phrases and filter values are refused: a paragraph is about 1 KB,
/// and a query of hundreds of KB (a file pasted by mistake, or a hostile client of a
/// server built on this library) would only cost time.
pub const MAX_QUERY_BYTES: usize = 10 * 1024;
/// Tantivy's query grammar recurses once per parenthesis and per NOT, and overflowed
/// the stack (an abort, not an error) at about 3,000 levels; no real query needs 32.
pub const MAX_QUERY_DEPTH: usize = 32;
/// The fields a query can name, for the message when it names another.
const SEARCHABLE: &str =
    "text, speaker_name, speaker, speaker_type, title, kind, source, date (RFC 3339)";

/// Refuses `text` (a query, a phrase, a filter value) when it is too long to be meant.
pub(crate) fn check_length(what: &str, text: &str) -> Result<()> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(Error::BadQuery(format!(
            "the {what} is {} bytes long; at most {MAX_QUERY_BYTES} are accepted",
            text.len()
        )));
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
        UserInputAst::Clause(children) => {
            children.iter().try_for_each(|(_, child)| check_exists(child))
        }
        UserInputAst::Boost(inner, _) => check_exists(inner),
        UserInputAst::Leaf(leaf) => match &**leaf {
            UserInputLeaf::Exists { field } if !COLUMNS.contains(&field.as_str()) => {
                Err(Error::BadQuery(format!(
                    "'{field}:*' cannot be searched; 'field:*' works for {}",
                    COLUMNS.join(", ")
                )))
            }
            _ => Ok(()),
        },
    }
}

/// A query string as the grammar's tree, checked: what [`parse`] builds a Tantivy
/// query from and `cluster::dsl` an OpenSearch one.
pub enum Parsed {
    /// Empty or `*`: every statement.
    All,
    /// Only operators and punctuation ("-", "!!!"): nothing to look for.
    Nothing,
    Ast(UserInputAst),
}

/// Reads `query` as [`Parsed`]: length and nesting checked, what people type made
/// parseable (see [`forgiving`]), `field:*` checked, and negation-only groups given
/// an implicit "everything".
pub fn read(query: &str) -> Result<Parsed> {
    let query = query.trim();
    if query.is_empty() || query == "*" {
        return Ok(Parsed::All);
    }
    check_length("query", query)?;
    if nesting(query) > MAX_QUERY_DEPTH {
        return Err(Error::BadQuery(format!(
            "the query nests parentheses and NOTs more than {MAX_QUERY_DEPTH} deep"
        )));
    }
    // What people type ("Baker's wall", "re: trade", a stray quote) is read as
    // words rather than refused: a search box that answers "syntax error" to an
    // apostrophe is broken, whatever the grammar says.
    let rewritten = forgiving::forgive(query);
    if rewritten.is_empty() {
        return Ok(Parsed::Nothing);
    }
    let ast = match query_grammar::parse_query(&rewritten) {
        Ok(ast) => ast,
        // Not known to happen; the words alone always parse.
        Err(_) => query_grammar::parse_query(&forgiving::words_only(query))
            .map_err(|_| Error::BadQuery(format!("cannot read the query {query:?}")))?,
    };
    check_exists(&ast)?;
    Ok(Parsed::Ast(negations_from_all(ast)))
}

pub(crate) fn parse(index: &Index, query: &str) -> Result<Box<dyn Query>> {
    let ast = match read(query)? {
        Parsed::All => return Ok(Box::new(AllQuery)),
        Parsed::Nothing => return Ok(Box::new(EmptyQuery)),
        Parsed::Ast(ast) => ast,
    };
    let f = index.fields;
    // The statement's words and its speaker's name ("petrov cease-fire"), not the
    // headline: every statement of an article carries it, so a headline word would
    // match them all. Titles stay searchable as title:….
    let mut parser = QueryParser::for_index(&index.inner, vec![f.text, f.speaker_name]);
    parser.set_conjunction_by_default();
    parser.set_field_boost(f.speaker_name, 0.5);
    let at = Fields { text: f.text, schema: &index.inner.schema() };
    build(&parser, &at, ast)
}

/// The query Tantivy's parser makes of `ast`, except that a bare word of the statement
/// text matches every indexed word with its stem (see `index::query::stems`); quoted words,
/// phrases and prefixes match as written.
///
/// Clauses and boosts are composed here, as the parser composes them, because only
/// at a leaf is it known whether the word was quoted.
/// What `build` needs of the index besides the parser.
struct Fields<'a> {
    text: Field,
    schema: &'a tantivy::schema::Schema,
}

fn build(parser: &QueryParser, at: &Fields, ast: UserInputAst) -> Result<Box<dyn Query>> {
    let text = at.text;
    match ast {
        UserInputAst::Clause(children) => {
            let mut clauses = Vec::with_capacity(children.len());
            for (occur, child) in children {
                let query = build(parser, at, child)?;
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
            let inner = build(parser, at, *inner)?;
            if inner.is::<EmptyQuery>() {
                return Ok(inner);
            }
            Ok(Box::new(BoostQuery::new(inner, boost.into_inner() as Score)))
        }
        UserInputAst::Leaf(leaf) => {
            let bare = matches!(&*leaf, UserInputLeaf::Literal(l) if l.delimiter == Delimiter::None && !l.prefix);
            let headline = leaf_field(&leaf) == Some("title");
            let query = match word_prefix(at, &leaf).or_else(|| source_value(at, &leaf)) {
                Some(query) => query,
                None => parser
                    .build_query_from_user_input_ast(UserInputAst::Leaf(leaf))
                    .map_err(|err| Error::BadQuery(explain(&err)))?,
            };
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

/// `word*` (one word and a prefix mark) as every word of the field that starts so:
/// Tantivy's parser takes a prefix only at the end of a phrase of two words or
/// more. None for anything else (the parser builds it).
fn word_prefix(at: &Fields, leaf: &UserInputLeaf) -> Option<Box<dyn Query>> {
    let UserInputLeaf::Literal(literal) = leaf else { return None };
    if !literal.prefix {
        return None;
    }
    let field = match literal.field_name.as_deref() {
        None => at.text,
        Some(name) => at.schema.get_field(name).ok()?,
    };
    let words = tokens(&mut exact_analyzer(), &literal.phrase);
    let [word] = words.as_slice() else { return None };
    // The analyzer's words are letters and digits only: nothing in them is special
    // to a regular expression.
    let pattern = format!("{word}.*");
    RegexQuery::from_pattern(&pattern, field).ok().map(|q| Box::new(q) as Box<dyn Query>)
}

/// `source:VALUE` folded as articles' sources are ("reuters", "reuters.com" and
/// "http://www.Reuters.com" are all "Reuters"), so the query syntax finds what the
/// `--source` filter finds. None for any other leaf (the parser builds it).
///
/// Known limit: a source outside `data/rules/publishers.txt` must be typed in its
/// indexed case; the `--source` filter also matches it ignoring case.
fn source_value(at: &Fields, leaf: &UserInputLeaf) -> Option<Box<dyn Query>> {
    let UserInputLeaf::Literal(literal) = leaf else { return None };
    if literal.prefix || literal.field_name.as_deref() != Some("source") {
        return None;
    }
    let field = at.schema.get_field("source").ok()?;
    let name = crate::article::publisher(&literal.phrase)?;
    let term = Term::from_field_text(field, &name);
    Some(Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
}

/// The field a leaf names, if it names one.
fn leaf_field(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(l) => l.field_name.as_deref(),
        UserInputLeaf::Range { field, .. }
        | UserInputLeaf::Set { field, .. }
        | UserInputLeaf::Regex { field, .. } => field.as_deref(),
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

/// Term, or phrase with `slop`, over already-tokenized `words`; None when there are none.
pub(crate) fn phrase(field: Field, words: &[String], slop: u32) -> Option<Box<dyn Query>> {
    let terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(field, w)).collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))),
        _ => {
            let mut q = PhraseQuery::new(terms);
            q.set_slop(slop);
            Some(Box::new(q))
        }
    }
}
