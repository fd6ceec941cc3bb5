//! Turns one record (a JSON object, a CSV row, a front-matter block) into article
//! fields, whatever the data set calls them.
//!
//! Known limits: field names are matched from a fixed list of aliases; among
//! aliases the first in the list that is present and not null wins; other fields
//! (subtitle, ...) are ignored.

use super::date::parse_date;
use super::dateline;
use super::file::{FileCtx, MAX_ARTICLE};
use super::Article;
use jiff::civil::Date;
use serde_json::{Map, Value};

const BODY: &[&str] = &["text", "body", "content"];
const DATE: &[&str] = &["date", "publish_date", "published", "publication_date", "pubdate"];
const TITLE: &[&str] = &["title"];
/// The publisher, by the names data sets give it; the first whose value names one
/// wins (a `source` of "https://web.archive.org" names only the archive).
const SOURCE: &[&str] = &[
    "source",
    "publisher",
    "publication",
    "outlet",
    "site_name",
    "sitename",
    "newspaper",
    "source_name",
    "publisher_name",
    "news_source",
    "media_outlet",
    "site",
];
const URL: &[&str] = &["url", "article_source_link"];
const ID: &[&str] = &["id", "article_id"];
const AUTHOR: &[&str] = &["author", "authors"];
const DATELINE: &[&str] = &["dateline"];

/// The article fields found in one record, before file-level defaults apply.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Fields {
    pub id: Option<String>,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub dateline: Option<String>,
    pub body: Option<String>,
}

impl Fields {
    /// Reads a record; a field of the wrong JSON type is an error (the warning
    /// text), because guessing what `"text": 42` meant would hide a broken export.
    pub fn from_json(obj: &Map<String, Value>) -> Result<Fields, String> {
        Ok(Fields {
            id: match find(obj, ID) {
                None => None,
                Some((_, Value::Number(n))) => Some(n.to_string()),
                Some((key, v)) => meta(string(key, v)?),
            },
            title: find(obj, TITLE).map(|(k, v)| string(k, v)).transpose()?.and_then(meta),
            date: match find(obj, DATE) {
                None => None,
                Some((_, Value::String(s))) => parse_date(s),
                Some((_, Value::Number(n))) => epoch_number(n),
                Some((key, v)) => return Err(wrong_type(key, v, "a string or a number")),
            },
            source: publisher_field(obj)?,
            url: find(obj, URL).map(|(k, v)| string(k, v)).transpose()?.and_then(meta),
            author: find(obj, AUTHOR).map(|(k, v)| authors(k, v)).transpose()?.and_then(meta),
            dateline: find(obj, DATELINE).map(|(k, v)| string(k, v)).transpose()?.and_then(meta),
            // The body is kept exactly: statement offsets are bytes into it.
            body: find(obj, BODY).map(|(k, v)| string(k, v)).transpose()?,
        })
    }

    /// Completes the article: id falls back to the file's, date to the path's then
    /// the default. `n` is the 1-based record number in a many-record file.
    pub fn into_article(self, file: &FileCtx, n: Option<u64>) -> Result<Article, String> {
        let body = match self.body {
            None => {
                return Err(format!("no article text (expected a field named {})", BODY.join(", ")))
            }
            Some(b) if b.trim().is_empty() => return Err("empty article text".to_string()),
            Some(b) if b.len() as u64 > MAX_ARTICLE => {
                return Err(format!(
                    "article text of {:.1} MiB is over the {} MiB limit, skipped",
                    b.len() as f64 / (1 << 20) as f64,
                    MAX_ARTICLE >> 20
                ))
            }
            Some(b) => b,
        };
        Ok(Article {
            // A record's own id is qualified by its file when the file holds many
            // records: corpora number their rows 1, 2, … and two files would
            // otherwise replace each other's articles in the index.
            id: match (self.id, n) {
                (Some(id), Some(_)) => format!("{}#{}", file.rel, id),
                (Some(id), None) => id,
                (None, _) => file.record_id(n),
            },
            path: file.path.display().to_string(),
            title: self.title,
            // A dateline counts only with its year: "Feb 26" alone would be a guess.
            date: self
                .date
                .or(file.path_date)
                .or_else(|| {
                    let dateline = self.dateline.as_deref().and_then(dateline::find_in_field);
                    dateline.or_else(|| dateline::find(&body)).and_then(|d| d.full_date())
                })
                .or(file.default_date),
            source: super::source::article_source(
                self.source.as_deref(),
                file.default_source,
                self.url.as_deref(),
            ),
            url: self.url,
            author: self.author,
            dateline: self.dateline,
            body,
        })
    }
}

/// The first alias present with a non-null value, with the key as written.
fn find<'a>(obj: &'a Map<String, Value>, aliases: &[&str]) -> Option<(&'a str, &'a Value)> {
    aliases.iter().find_map(|alias| {
        obj.iter()
            .find(|(k, v)| k.trim().eq_ignore_ascii_case(alias) && !v.is_null())
            .map(|(k, v)| (k.as_str(), v))
    })
}

/// The first publisher field, in [`SOURCE`] order, whose value names a publisher: a
/// string, or an object with a `name` (NewsAPI's `"source": {"id": …, "name": "CNN"}`,
/// JSON-LD's publisher). Kept as written; `into_article` folds it.
fn publisher_field(obj: &Map<String, Value>) -> Result<Option<String>, String> {
    for alias in SOURCE {
        let Some((key, v)) = find(obj, &[alias]) else { continue };
        let name = match v {
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => s.clone(),
                _ => continue,
            },
            _ => string(key, v)
                .map_err(|_| wrong_type(key, v, "a string or an object with a name"))?,
        };
        if super::source::publisher(&name).is_some() {
            return Ok(Some(name.trim().to_string()));
        }
    }
    Ok(None)
}

fn string(key: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        _ => Err(wrong_type(key, v, "a string")),
    }
}

/// A string, or a list of strings joined with ", " (health-news `authors`).
fn authors(key: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::Array(items) => {
            let names: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            let names = names.ok_or_else(|| wrong_type(key, v, "a string or a list of strings"))?;
            let names: Vec<&str> =
                names.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect();
            Ok(names.join(", "))
        }
        _ => string(key, v).map_err(|_| wrong_type(key, v, "a string or a list of strings")),
    }
}

/// Metadata is trimmed, and an empty value means absent.
fn meta(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Epoch seconds given as a JSON number; goes through `parse_date` so numbers and
/// digit strings follow the same rule.
fn epoch_number(n: &serde_json::Number) -> Option<Date> {
    let secs = match n.as_i64() {
        Some(i) => i,
        None => n.as_f64().filter(|f| f.is_finite() && f.abs() < 1e15)?.trunc() as i64,
    };
    parse_date(&secs.to_string())
}

fn wrong_type(key: &str, v: &Value, expected: &str) -> String {
    let found = match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    };
    format!("field `{key}` is {found}, expected {expected}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use serde_json::json;
    use std::path::Path;

    fn fields(v: Value) -> Result<Fields, String> {
        match v {
            Value::Object(m) => Fields::from_json(&m),
            _ => unreachable!("tests pass objects"),
        }
    }

    #[test]
    fn aliases_case_insensitive() {
        let f = fields(json!({
            "Article_ID": 7, "PUBLISH_DATE": "2017/2/7", "Article_Source_Link": " http://x ",
            "Title": "T", "Publisher": "P", "Authors": ["A", " ", "B"], "Content": " body "
        }))
        .unwrap();
        assert_eq!(f.id.as_deref(), Some("7"));
        assert_eq!(f.date, Some(date(2017, 2, 7)));
        assert_eq!(f.url.as_deref(), Some("http://x"));
        assert_eq!(f.source.as_deref(), Some("P"));
        assert_eq!(f.author.as_deref(), Some("A, B"));
        assert_eq!(f.body.as_deref(), Some(" body "));
    }

    #[test]
    fn nulls_and_empties_are_absent() {
        let f = fields(
            json!({"title": "", "date": null, "publish_date": "", "text": "x", "authors": []}),
        )
        .unwrap();
        assert_eq!((f.title, f.date, f.author), (None, None, None));
    }

    #[test]
    fn epoch_number_date() {
        let f = fields(json!({"date": 1500000000, "text": "x"})).unwrap();
        assert_eq!(f.date, Some(date(2017, 7, 14)));
        let f = fields(json!({"date": 1500000000.5, "text": "x"})).unwrap();
        assert_eq!(f.date, Some(date(2017, 7, 14)));
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(fields(json!({"text": 42})).unwrap_err().contains("`text` is a number"));
        assert!(fields(json!({"text": "x", "date": true})).is_err());
        assert!(fields(json!({"text": "x", "authors": ["a", 1]})).is_err());
        assert!(fields(json!({"text": "x", "title": {"a": 1}})).is_err());
    }

    #[test]
    fn article_defaults() {
        let ctx = FileCtx {
            path: Path::new("root/a.jsonl"),
            rel: "a.jsonl".into(),
            path_date: None,
            default_date: Some(date(2000, 1, 1)),
            default_source: None,
        };
        let a = fields(json!({"text": "x"})).unwrap().into_article(&ctx, Some(3)).unwrap();
        assert_eq!(
            (a.id.as_str(), a.path.as_str(), a.date),
            ("a.jsonl#3", "root/a.jsonl", Some(date(2000, 1, 1)))
        );
        assert!(fields(json!({"title": "x"})).unwrap().into_article(&ctx, None).is_err());
        assert!(fields(json!({"text": " \n"})).unwrap().into_article(&ctx, None).is_err());
    }
}
