//! `who`: which speakers said a phrase, trying an exact phrase, then a sloppy phrase,
//! then all of its words in any form ("agreed" for "agree"), and reporting which of
//! the three matched.
//!
//! A person's name variants count as one speaker (the index's speaker table), and
//! the same quotation reported by several articles counts once in `quotes`.
//!
//! Every matching statement is counted from fast fields; only the speakers shown
//! (`limit`) read stored statements (their example, and the quotation check of
//! [`super::repeats`]).
//!
//! Known limits: "exact" ignores case, punctuation, accents and quote styles, so it
//! is exact at the word level only; every matching statement is aggregated, so a
//! phrase of very common words costs milliseconds per 100,000 matches.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Query};
use tantivy::{DateTime, DocAddress, Score};

use super::repeats::{summarize, Member};
use super::rows::{Row, Rows};
use super::schema::{exact_analyzer, tokens, Index};
use super::search::{check_length, load_statement, phrase, with_filters, Filters};
use super::stems::StemQuery;
use super::writer::datetime_to_day;
use crate::extract::Statement;

/// Words allowed between and around the phrase's words in the sloppy attempt: enough
/// for an inserted adverb or a reordered pair, not for a different sentence.
const SLOP: u32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Exact,
    Sloppy,
    Words,
    None,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhoResult {
    pub query: String,
    #[serde(rename = "match")]
    pub matched: MatchKind,
    pub speakers: Vec<WhoSpeaker>,
    /// `who --sort date`: the matching statements oldest first (undated last), to
    /// answer "who said it first?". Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<Statement>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhoSpeaker {
    /// Null groups the statements whose speaker is unknown; it always comes last.
    pub speaker: Option<String>,
    pub statements: u64,
    pub articles: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The speaker's best-scoring matching statement (earliest on ties).
    pub example: Statement,
    /// Distinct quotations among the matching statements: the same words reported
    /// by several articles count once.
    pub quotes: u64,
    /// Articles that report the example's quotation (by this speaker, matching).
    pub example_articles: u64,
    /// The earliest day of the example's quotation, over those articles.
    pub example_first_date: Option<String>,
}

/// How `who` orders its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Speakers by matching statements (the default).
    #[default]
    Count,
    /// Speakers by their first date, and the first `n` matching statements oldest first.
    Date(usize),
}

/// The speakers who said `phrase_text`, every one of them (see [`who_sorted`] for
/// the first few only, which is much faster on large indexes).
pub fn who(index: &Index, phrase_text: &str, filters: &Filters) -> Result<WhoResult> {
    who_sorted(index, phrase_text, filters, Sort::Count, usize::MAX)
}

/// [`who`] with a choice of order, and only the first `limit` speakers in it.
pub fn who_sorted(index: &Index, phrase_text: &str, filters: &Filters, sort: Sort, limit: usize) -> Result<WhoResult> {
    check_length("phrase", phrase_text)?;
    let searcher = index.searcher()?;
    let f = index.fields;
    let exact_words = tokens(&mut exact_analyzer(), phrase_text);

    let mut attempts: Vec<(MatchKind, Box<dyn Query>)> = Vec::new();
    if let Some(q) = phrase(f.text, &exact_words, 0) {
        attempts.push((MatchKind::Exact, q));
    }
    if exact_words.len() > 1 {
        if let Some(q) = phrase(f.text, &exact_words, SLOP) {
            attempts.push((MatchKind::Sloppy, q));
        }
    }
    if !exact_words.is_empty() {
        let all: Vec<Box<dyn Query>> = exact_words
            .iter()
            .map(|w| Box::new(StemQuery::new(f.text, w)) as Box<dyn Query>)
            .collect();
        attempts.push((MatchKind::Words, Box::new(BooleanQuery::intersection(all))));
    }

    for (matched, q) in attempts {
        let q = with_filters(index, &searcher, q, filters)?;
        let mut rows = searcher
            .search(&*q, &Rows { scoring: true })
            .context("searching")?;
        if !rows.is_empty() {
            // One entry per person, under the name the index mostly uses; each name
            // looked up once, and shared by its rows.
            let table = super::speakers::canonical_names(index)?;
            let mut renamed: HashMap<Arc<str>, Arc<str>> = HashMap::new();
            for row in &mut rows {
                if let Some(name) = row.speaker.take() {
                    let canonical = renamed
                        .entry(name)
                        .or_insert_with_key(|name| match table.of(name) {
                            c if c == &**name => name.clone(),
                            c => Arc::from(c),
                        })
                        .clone();
                    row.speaker = Some(canonical);
                }
            }
            let statements = match sort {
                Sort::Count => None,
                Sort::Date(n) => Some(oldest_first(index, &searcher, &rows, n)?),
            };
            let mut groups = group(rows);
            if let Sort::Date(_) = sort {
                // Stable: equal first dates keep the count order. Undated last.
                groups.sort_by_key(|(_, acc)| (acc.first.is_none(), acc.first));
            }
            // Only the speakers shown read stored statements.
            let speakers = groups
                .into_iter()
                .take(limit)
                .map(|(speaker, acc)| acc.finish(index, &searcher, speaker.map(|s| s.to_string())))
                .collect::<Result<Vec<_>>>()?;
            return Ok(WhoResult {
                query: phrase_text.to_string(),
                matched,
                speakers,
                statements,
            });
        }
    }
    Ok(WhoResult {
        query: phrase_text.to_string(),
        matched: MatchKind::None,
        speakers: Vec::new(),
        statements: matches!(sort, Sort::Date(_)).then(Vec::new),
    })
}

/// The first `n` of `rows` by date, undated last, index order on ties.
fn oldest_first(index: &Index, searcher: &tantivy::Searcher, rows: &[Row], n: usize) -> Result<Vec<Statement>> {
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by_key(|r| (r.date.is_none(), r.date, r.addr));
    order
        .into_iter()
        .take(n)
        .map(|r| load_statement(index, searcher, r.addr))
        .collect()
}

#[derive(Default)]
struct Acc {
    statements: u64,
    /// Distinct articles of `members`, counted by [`group`] once all are in (a set
    /// per speaker, filled row by row, cost a tenth of a `who` of a phrase with
    /// 100,000 matches).
    articles: u64,
    first: Option<DateTime>,
    last: Option<DateTime>,
    best: Option<(Score, Option<DateTime>, DocAddress)>,
    members: Vec<Member>,
}

impl Acc {
    fn add(&mut self, row: Row) {
        self.statements += 1;
        self.members.push(Member { addr: row.addr, article: row.article, date: row.date });
        if let Some(date) = row.date {
            self.first = Some(self.first.map_or(date, |d| d.min(date)));
            self.last = Some(self.last.map_or(date, |d| d.max(date)));
        }
        let candidate = (row.score, row.date, row.addr);
        let better = match &self.best {
            None => true,
            Some(best) => better_example(&candidate, best) == Ordering::Less,
        };
        if better {
            self.best = Some(candidate);
        }
    }

    fn finish(
        self,
        index: &Index,
        searcher: &tantivy::Searcher,
        speaker: Option<String>,
    ) -> Result<WhoSpeaker> {
        let (_, _, addr) = self.best.context("speaker group without statements")?;
        let quotes = summarize(index, searcher, &self.members, addr)?;
        Ok(WhoSpeaker {
            speaker,
            statements: self.statements,
            articles: self.articles,
            first_date: self.first.and_then(datetime_to_day),
            last_date: self.last.and_then(datetime_to_day),
            example: load_statement(index, searcher, addr)?,
            quotes: quotes.quotes,
            example_articles: quotes.example_articles,
            example_first_date: quotes.example_first.and_then(datetime_to_day),
        })
    }
}

/// Less is better: higher score, then dated before undated, then earlier, then index order.
fn better_example(
    a: &(Score, Option<DateTime>, DocAddress),
    b: &(Score, Option<DateTime>, DocAddress),
) -> Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| match (a.1, b.1) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.2.cmp(&b.2))
}

/// Speakers by statements, then articles, then name; unknown speaker last.
fn group(rows: Vec<Row>) -> Vec<(Option<Arc<str>>, Acc)> {
    let mut by_speaker: HashMap<Option<Arc<str>>, Acc> = HashMap::new();
    for mut row in rows {
        by_speaker.entry(row.speaker.take()).or_default().add(row);
    }
    let mut groups: Vec<_> = by_speaker.into_iter().collect();
    for (_, acc) in &mut groups {
        let mut keys: Vec<u64> = acc.members.iter().filter_map(|m| m.article).collect();
        keys.sort_unstable();
        keys.dedup();
        acc.articles = keys.len() as u64;
    }
    groups.sort_by(|(a, x), (b, y)| {
        (
            a.is_none(),
            Reverse(x.statements),
            Reverse(x.articles),
            a,
        )
            .cmp(&(
                b.is_none(),
                Reverse(y.statements),
                Reverse(y.articles),
                b,
            ))
    });
    groups
}
