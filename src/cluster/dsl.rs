//! whosaid's query language and filters as OpenSearch query DSL, so that a cluster
//! matches what the local index matches: phrases on `text.exact` (whosaid's own
//! tokenizer), a bare word on `text.stem` (its Snowball English stem), the speaker's
//! name on `speaker.words`, keyword fields as typed, and `--speaker` as the speaker
//! table's names of each speaker wanted.
//!
//! The string is read by the same code as locally (`index::query::read`: forgiving
//! rewrite, length and nesting limits, `field:*` checks), then each leaf of the tree
//! becomes a DSL query.
//!
//! Known limits: a sloppy phrase counts slop as Lucene does (a swap of two words
//! costs 2), Tantivy's a little differently; `source:` in a query matches the folded
//! publisher name in its case only (the `--source` filter ignores case); a
//! `--source` no statement has matches nothing (locally it is an error naming the
//! nearest ones); a phrase prefix (`"interest r"*`) expands to 50 words per shard,
//! not per segment.

use serde_json::{json, Value};
use tantivy::query::Occur;
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputBound, UserInputLeaf};

use crate::index::query::{read, Filters, Parsed};
use crate::index::{Error, Speakers};
use crate::words::{exact_analyzer, tokens};

/// The fields a query can name, as the local message says them.
const SEARCHABLE: &str =
    "text, speaker_name, speaker, speaker_type, title, kind, source, date (RFC 3339)";

/// Matches no statement.
pub fn nothing() -> Value {
    json!({"match_none": {}})
}

/// The DSL query for a query string ("" and "*": every statement).
pub fn query(text: &str) -> Result<Value, Error> {
    Ok(match read(text)? {
        Parsed::All => json!({"match_all": {}}),
        Parsed::Nothing => nothing(),
        Parsed::Ast(ast) => node(&ast)?.unwrap_or_else(nothing),
    })
}

/// `main` restricted by `filters` (filters never change scores). `speakers` is the
/// cluster's speaker table, for `--speaker`.
pub fn filtered(main: Value, filters: &Filters, speakers: &Speakers) -> Result<Value, Error> {
    filters.check_lengths()?;
    let mut filter = Vec::new();
    if !filters.speakers.is_empty() {
        let mut names = Vec::new();
        for wanted in &filters.speakers {
            if let Some(entry) = speakers.find(wanted)? {
                names.extend(entry.names().map(|n| (n.clone(), entry.is_unnamed())));
            }
        }
        filter.push(match names.is_empty() {
            true => nothing(),
            false => speaker_names(&names),
        });
    }
    for (field, value) in [
        ("kind", &filters.kind),
        ("source", &filters.source),
        ("speaker_type", &filters.speaker_type),
    ] {
        if let Some(value) = value {
            filter.push(json!({"term": {field: {"value": value, "case_insensitive": true}}}));
        }
    }
    if filters.since.is_some() || filters.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(d) = filters.since {
            range.insert("gte".into(), json!(d.to_string()));
        }
        if let Some(d) = filters.until {
            range.insert("lte".into(), json!(d.to_string()));
        }
        filter.push(json!({"range": {"date": range}}));
    }
    if filter.is_empty() {
        return Ok(main);
    }
    Ok(json!({"bool": {"must": [main], "filter": filter}}))
}

/// Statements by any of `names` (each a stored speaker name and whether it is an
/// unnamed speaker's): a name counts as an unnamed speaker's apart from a named
/// one's, as `index::speaker_key` keys them.
pub fn speaker_names(names: &[(String, bool)]) -> Value {
    let (unnamed, named): (Vec<_>, Vec<_>) = names.iter().partition(|(_, u)| *u);
    let list = |v: &[&(String, bool)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let mut should = Vec::new();
    if !named.is_empty() {
        should.push(json!({"bool": {
            "filter": [{"terms": {"speaker": list(&named)}}],
            "must_not": [{"term": {"speaker_type": "unnamed"}}]
        }}));
    }
    if !unnamed.is_empty() {
        should.push(json!({"bool": {"filter": [
            {"terms": {"speaker": list(&unnamed)}},
            {"term": {"speaker_type": "unnamed"}}
        ]}}));
    }
    json!({"bool": {"should": should, "minimum_should_match": 1}})
}

/// The statement text's words as the exact analyzer reads them.
pub fn words(text: &str) -> Vec<String> {
    tokens(&mut exact_analyzer(), text)
}

/// `text` as a phrase on `field` with `slop`, analyzed by the cluster as it analyzed
/// the statements (sending whosaid's own words instead missed where the two
/// lower-case a letter differently, as Rust and Java do "İ"); None when whosaid
/// finds no word in it.
pub fn phrase(field: &str, text: &str, slop: u32) -> Option<Value> {
    if words(text).is_empty() {
        return None;
    }
    Some(json!({"match_phrase": {field: {"query": text, "slop": slop}}}))
}

/// Every word of `text` in any form with its stem (`query agree` finds "agreed").
pub fn stem(text: &str) -> Value {
    json!({"match": {"text.stem": {"query": text, "operator": "and"}}})
}

/// None: a clause that analyzes to nothing ("!!!"), which neither requires nor
/// excludes anything, as Tantivy's parser drops it.
fn node(ast: &UserInputAst) -> Result<Option<Value>, Error> {
    match ast {
        UserInputAst::Clause(children) => {
            let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
            for (occur, child) in children {
                let Some(q) = node(child)? else { continue };
                match occur.unwrap_or(Occur::Must) {
                    Occur::Must => must.push(q),
                    Occur::Should => should.push(q),
                    Occur::MustNot => must_not.push(q),
                }
            }
            if must.is_empty() && should.is_empty() && must_not.is_empty() {
                return Ok(None);
            }
            let mut b = serde_json::Map::new();
            b.insert("must".into(), Value::Array(must.clone()));
            b.insert("should".into(), Value::Array(should.clone()));
            b.insert("must_not".into(), Value::Array(must_not));
            // As in Lucene and Tantivy: with a required clause, the optional ones
            // only score; without one, one of them must match.
            if must.is_empty() && !should.is_empty() {
                b.insert("minimum_should_match".into(), json!(1));
            }
            Ok(Some(json!({ "bool": b })))
        }
        UserInputAst::Boost(inner, boost) => {
            Ok(node(inner)?.map(|q| json!({"bool": {"must": [q], "boost": boost.into_inner()}})))
        }
        UserInputAst::Leaf(leaf) => leaf_query(leaf),
    }
}

/// How a named field is searched.
enum Kind {
    /// Words with positions: the subfield with whosaid's tokenizer.
    Words(&'static str),
    /// One value as stored.
    Keyword(&'static str),
    Date,
}

fn field_kind(name: &str) -> Result<Kind, Error> {
    Ok(match name {
        "text" => Kind::Words("text.exact"),
        "speaker_name" => Kind::Words("speaker.words"),
        "title" => Kind::Words("title.exact"),
        "speaker" => Kind::Keyword("speaker"),
        "speaker_type" => Kind::Keyword("speaker_type"),
        "kind" => Kind::Keyword("kind"),
        "source" => Kind::Keyword("source"),
        "article" => Kind::Keyword("article"),
        "date" => Kind::Date,
        other => {
            return Err(Error::BadQuery(format!(
                "no field '{other}' to search; the fields are {SEARCHABLE}"
            )))
        }
    })
}

fn leaf_query(leaf: &UserInputLeaf) -> Result<Option<Value>, Error> {
    let named = |field: &Option<String>| -> Result<(String, Kind), Error> {
        let name = field.clone().unwrap_or_else(|| "text".to_string());
        let kind = field_kind(&name)?;
        Ok((name, kind))
    };
    match leaf {
        UserInputLeaf::All => Ok(Some(json!({"match_all": {}}))),
        UserInputLeaf::Literal(l) => {
            let fields: Vec<(&str, f64)> = match l.field_name.as_deref() {
                // A prefix with no field is of the statement's words only, as locally.
                None if l.prefix => vec![("text", 1.0)],
                // The statement's words and its speaker's name, as locally.
                None => vec![("text", 1.0), ("speaker_name", 0.5)],
                Some(name) => vec![(name, 1.0)],
            };
            let bare = l.delimiter == Delimiter::None && !l.prefix;
            let mut each = Vec::new();
            for (name, boost) in fields {
                let q = match field_kind(name)? {
                    Kind::Words(sub) => {
                        let w = words(&l.phrase);
                        match (l.prefix, w.as_slice()) {
                            (_, []) => None,
                            (true, [one]) => Some(json!({"prefix": {sub: one}})),
                            (true, _) => Some(json!({"match_phrase_prefix": {sub: l.phrase}})),
                            (false, [_]) if bare && name == "text" => Some(stem(&l.phrase)),
                            (false, _) => phrase(sub, &l.phrase, l.slop),
                        }
                    }
                    Kind::Keyword(field) => {
                        let value = match field {
                            "source" => crate::article::publisher(&l.phrase)
                                .unwrap_or_else(|| l.phrase.clone()),
                            _ => l.phrase.clone(),
                        };
                        match l.prefix {
                            // As locally: the prefix as one word of whosaid's, lower
                            // case, matched against the value as stored.
                            true => match words(&l.phrase).as_slice() {
                                [one] => Some(json!({"prefix": {field: one}})),
                                [] => None,
                                _ => {
                                    return Err(Error::BadQuery(format!(
                                        "{field}:\"{}\"*: a prefix of {field} is one word",
                                        l.phrase
                                    )))
                                }
                            },
                            false => Some(json!({"term": {field: value}})),
                        }
                    }
                    Kind::Date => Some(json!({"term": {"date": rfc3339(&l.phrase)?}})),
                };
                if let Some(q) = q {
                    each.push(if boost == 1.0 {
                        q
                    } else {
                        json!({"bool": {"must": [q], "boost": boost}})
                    });
                }
            }
            Ok(match each.len() {
                0 => None,
                1 => each.pop(),
                _ => Some(json!({"bool": {"should": each, "minimum_should_match": 1}})),
            })
        }
        UserInputLeaf::Range { field, lower, upper } => {
            let (_, kind) = named(field)?;
            let target = match kind {
                Kind::Words(sub) => sub,
                Kind::Keyword(f) => f,
                Kind::Date => "date",
            };
            // As locally: a range open at both ends matches nothing, and words'
            // bounds are in lower case.
            if matches!((lower, upper), (UserInputBound::Unbounded, UserInputBound::Unbounded)) {
                return Ok(Some(nothing()));
            }
            let value = |v: &str| match target {
                "date" => rfc3339(v),
                t if t.contains('.') => Ok(v.to_lowercase()),
                _ => Ok(v.to_string()),
            };
            let mut range = serde_json::Map::new();
            match lower {
                UserInputBound::Inclusive(v) => range.insert("gte".into(), json!(value(v)?)),
                UserInputBound::Exclusive(v) => range.insert("gt".into(), json!(value(v)?)),
                UserInputBound::Unbounded => None,
            };
            match upper {
                UserInputBound::Inclusive(v) => range.insert("lte".into(), json!(value(v)?)),
                UserInputBound::Exclusive(v) => range.insert("lt".into(), json!(value(v)?)),
                UserInputBound::Unbounded => None,
            };
            Ok(Some(json!({"range": {target: range}})))
        }
        UserInputLeaf::Set { field, elements } => {
            let (_, kind) = named(field)?;
            Ok(Some(match kind {
                Kind::Words(sub) => {
                    let w: Vec<String> = elements.iter().flat_map(|e| words(e)).collect();
                    json!({"terms": {sub: w}})
                }
                Kind::Keyword(f) => json!({"terms": {f: elements}}),
                Kind::Date => json!({"terms": {"date": elements}}),
            }))
        }
        UserInputLeaf::Regex { field, pattern } => {
            let (_, kind) = named(field)?;
            let target = match kind {
                Kind::Words(sub) => sub,
                Kind::Keyword(f) => f,
                Kind::Date => {
                    return Err(Error::BadQuery("a date cannot be matched by a regex".into()))
                }
            };
            Ok(Some(json!({"regexp": {target: pattern}})))
        }
        UserInputLeaf::Exists { field } => {
            let target = match field_kind(field)? {
                Kind::Words(sub) => sub.split('.').next().unwrap_or(sub),
                Kind::Keyword(f) => f,
                Kind::Date => "date",
            };
            Ok(Some(json!({"exists": {"field": target}})))
        }
    }
}

/// A date a query names: RFC 3339, as the local parser takes it.
fn rfc3339(text: &str) -> Result<String, Error> {
    match text.parse::<jiff::Timestamp>() {
        Ok(_) => Ok(text.to_string()),
        Err(_) => Err(Error::BadQuery(
            "dates in a query are RFC 3339 (date:[2025-03-01T00:00:00Z TO \
             2025-04-01T00:00:00Z]); --since and --until take YYYY, YYYY-MM or YYYY-MM-DD"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_words_and_fields_become_the_subfields_that_match_as_locally() {
        let q = query("\"will not\"").unwrap();
        let text = q.to_string();
        assert!(text.contains(r#""text.exact":{"query":"will not","slop":0}"#), "{text}");
        assert!(text.contains(r#""speaker.words""#), "{text}");
        let bare = query("agree").unwrap().to_string();
        assert!(
            bare.contains(r#"{"match":{"text.stem":{"operator":"and","query":"agree"}}}"#),
            "{bare}"
        );
        let named = query("speaker:\"Ann Lee\" AND kind:direct").unwrap().to_string();
        assert!(named.contains(r#"{"term":{"speaker":"Ann Lee"}}"#), "{named}");
        assert!(named.contains(r#"{"term":{"kind":"direct"}}"#), "{named}");
        assert_eq!(query("").unwrap(), json!({"match_all": {}}));
        assert_eq!(query("!!!").unwrap(), nothing());
        // As locally: a field nobody has is words ("colour:red").
        let words = query("colour:red").unwrap().to_string();
        assert!(words.contains(r#""text.stem":{"operator":"and","query":"colour"}"#), "{words}");
        // A prefix: the text only, one lower-case word on keywords, as locally.
        let prefix = query("trum*").unwrap().to_string();
        assert!(
            prefix.contains(r#"{"prefix":{"text.exact":"trum"}}"#) && !prefix.contains("speaker"),
            "{prefix}"
        );
        assert!(query("kind:Dir*").unwrap().to_string().contains(r#"{"prefix":{"kind":"dir"}}"#));
        assert!(query("speaker:\"Donald Tr\"*").is_err());
        assert!(query("date:[* TO *]").unwrap().to_string().contains("match_none"));
        let e = query("date:2016").unwrap_err().to_string();
        assert!(e.contains("RFC 3339"), "{e}");
        assert!(query("date:[2016-01-01T00:00:00Z TO *]").is_ok());
    }

    #[test]
    fn a_lone_negation_keeps_everything_else() {
        let q = query("-tariffs").unwrap().to_string();
        assert!(q.contains("must_not") && q.contains("match_all"), "{q}");
    }

    #[test]
    fn unnamed_speakers_are_apart_from_named_ones() {
        let q =
            speaker_names(&[("analysts".into(), true), ("Ada Brunn".into(), false)]).to_string();
        assert!(q.contains(r#"{"terms":{"speaker":["Ada Brunn"]}}"#), "{q}");
        assert!(q.contains(r#""must_not":[{"term":{"speaker_type":"unnamed"}}]"#), "{q}");
    }
}
