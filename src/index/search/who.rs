//! `who`: which speakers said a phrase, trying an exact phrase, then a sloppy phrase,
//! then all of its words in any form ("agreed" for "agree"), and reporting which of
//! the three matched.
//!
//! A person's name variants count as one speaker (the index's speaker table), an
//! unnamed speaker ("analysts") is one apart from any named one of the same name
//! (see `index::speaker_key`), and the same quotation reported by several articles counts
//! once in `quotes`. A speaker's count here is what the speaker facet of the same
//! phrase as a query counts, and what the query with `--speaker` set to the
//! speaker's label matches.
//!
//! Every matching statement is counted from fast fields, grouped by its speaker's
//! key (`index::entity::key`); only the speakers shown (`limit`, and those tied
//! with the last of them) are named, and only those shown read stored statements
//! (their example, and the quotation check of [`super::repeats`]).
//!
//! Known limits: "exact" ignores case, punctuation, accents and quote styles, so it
//! is exact at the word level only; every matching statement is aggregated, so a
//! phrase of very common words costs milliseconds per 100,000 matches; two speaker
//! names with the same 64-bit key would count as one speaker; the type of a speaker
//! shown is read from each of its matching statements.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::query::{BooleanQuery, Query};
use tantivy::{DateTime, DocAddress, DocId, Score};

use super::context::{Contexts, Quoted};
use super::repeats::{summarize, Member};
use crate::index::collect::facet_columns::ord_names;
use crate::index::collect::rows::{KeyMap, MatchRows, Row, SpeakersAs};
use crate::index::days::datetime_to_day;
use crate::index::query::stems::StemQuery;
use crate::index::query::{check_length, phrase, with_filters, Filters};
use crate::index::speaker_key::{self, TypeCounts};
use crate::index::speaker_table::PersonKeys;
use crate::index::stored::load_statement;
use crate::index::{Error, Index};
use crate::statement::{SpeakerType, Statement};
use crate::words::{exact_analyzer, tokens};

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
    /// Statements that matched the way `match` says (every speaker's, not only those
    /// shown): the page labels its who box with it, as its facets count another match.
    pub total: u64,
    pub speakers: Vec<WhoSpeaker>,
    /// `who --sort date`: the matching statements oldest first (undated last), to
    /// answer "who said it first?". Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statements: Option<Vec<Quoted>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WhoSpeaker {
    /// Null groups the statements whose speaker is unknown; it comes last (with
    /// [`Sort::Date`], last among the speakers of its first date).
    pub speaker: Option<String>,
    /// `unnamed` for a description nobody is named by ("analysts"); else `person` or
    /// `organization`, whichever most of the matching statements have; null when
    /// none has a type, or for the unknown speaker.
    pub speaker_type: Option<SpeakerType>,
    /// How the speaker is shown, and the `--speaker` value that selects exactly it:
    /// "unnamed: analysts", or the name; null for the unknown speaker.
    pub label: Option<String>,
    pub statements: u64,
    pub articles: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// The speaker's best-scoring matching statement (earliest on ties).
    pub example: Quoted,
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
pub fn who(index: &Index, phrase_text: &str, filters: &Filters) -> Result<WhoResult, Error> {
    who_sorted(index, phrase_text, filters, Sort::Count, usize::MAX)
}

/// [`who`] with a choice of order, and only the first `limit` speakers in it.
pub fn who_sorted(
    index: &Index,
    phrase_text: &str,
    filters: &Filters,
    sort: Sort,
    limit: usize,
) -> Result<WhoResult, Error> {
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
            .search(&*q, &MatchRows { scoring: true, speakers: SpeakersAs::Keys })
            .context("searching")?;
        if !rows.is_empty() {
            let total = rows.len() as u64;
            // One entry per person, under the name the index mostly uses: each alias's
            // key becomes its canonical name's.
            let people = crate::index::speaker_table::person_keys(index)?;
            for key in rows.iter_mut().filter_map(|r| r.speaker_key.as_mut()) {
                *key = people.person(*key);
            }
            let statements = match sort {
                Sort::Count => None,
                Sort::Date(n) => Some(oldest_first(index, &searcher, &rows, n)?),
            };
            let groups = rank(&searcher, &people, group(rows), sort, limit)?;
            // Only the speakers shown read stored statements, on the search threads
            // when there are several: a speaker's quotation check reads up to 48.
            let speakers = index
                .tantivy()
                .search_executor()
                .map(|(speaker, acc)| Ok(acc.finish(index, &searcher, speaker)), groups.into_iter())
                .context("reading the speakers' statements")?
                .into_iter()
                .collect::<Result<Vec<_>>>()?;
            // Contexts last, from the article store as of now: it commits before the
            // statements, so it has every article of the commit read above.
            let mut contexts = Contexts::new(index)?;
            let mut speakers = speakers;
            for s in &mut speakers {
                s.example.context = contexts.of(&s.example.statement)?;
            }
            let statements = match statements {
                Some(list) => Some(
                    list.into_iter().map(|st| contexts.quote(st)).collect::<Result<Vec<_>>>()?,
                ),
                None => None,
            };
            let query = phrase_text.to_string();
            return Ok(WhoResult { query, matched, total, speakers, statements });
        }
    }
    Ok(WhoResult {
        query: phrase_text.to_string(),
        matched: MatchKind::None,
        total: 0,
        speakers: Vec::new(),
        statements: matches!(sort, Sort::Date(_)).then(Vec::new),
    })
}

/// The first `n` of `rows` by date, undated last, index order on ties.
fn oldest_first(
    index: &Index,
    searcher: &tantivy::Searcher,
    rows: &[Row],
    n: usize,
) -> Result<Vec<Statement>> {
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by_key(|r| (r.date.is_none(), r.date, r.addr));
    order.into_iter().take(n).map(|r| load_statement(index, searcher, r.addr)).collect()
}

/// The matches of one speaker (or of the unknown speaker) as `who` gathers them.
#[derive(Default)]
struct SpeakerGroup {
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

impl SpeakerGroup {
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
        speaker: Option<Speaker>,
    ) -> Result<WhoSpeaker> {
        let (_, _, addr) = self.best.context("speaker group without statements")?;
        let quotes = summarize(index, searcher, &self.members, addr)?;
        let speaker_type = speaker.as_ref().and_then(|(_, t)| *t);
        Ok(WhoSpeaker {
            label: speaker.as_ref().map(|(name, t)| speaker_key::label(name, *t)),
            speaker: speaker.map(|(name, _)| name),
            speaker_type,
            statements: self.statements,
            articles: self.articles,
            first_date: self.first.and_then(datetime_to_day),
            last_date: self.last.and_then(datetime_to_day),
            example: Quoted { statement: load_statement(index, searcher, addr)?, context: None },
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

/// One group of rows per speaker key, and one for the unknown speaker, in no order.
fn group(rows: Vec<Row>) -> Vec<(Option<u64>, SpeakerGroup)> {
    let mut by_speaker: KeyMap<SpeakerGroup> = KeyMap::default();
    let mut unknown: Option<SpeakerGroup> = None;
    for row in rows {
        match row.speaker_key {
            Some(key) => by_speaker.entry(key).or_default().add(row),
            None => unknown.get_or_insert_with(SpeakerGroup::default).add(row),
        }
    }
    let mut groups: Vec<(Option<u64>, SpeakerGroup)> =
        by_speaker.into_iter().map(|(k, acc)| (Some(k), acc)).collect();
    groups.extend(unknown.map(|acc| (None, acc)));
    for (_, acc) in &mut groups {
        let mut keys: Vec<u64> = acc.members.iter().filter_map(|m| m.article).collect();
        keys.sort_unstable();
        keys.dedup();
        acc.articles = keys.len() as u64;
    }
    groups
}

/// A speaker shown: its name and the type it is shown with.
type Speaker = (String, Option<SpeakerType>);

/// A segment's `speaker_type` column, and the type of each of its term ordinals.
type TypeColumn = (tantivy::columnar::StrColumn, Vec<Option<SpeakerType>>);

/// Where a group goes in `sort` order, but for its name: with [`Sort::Date`], by
/// first date (undated last) first; then known speakers before the unknown one, then
/// by statements, then articles.
type Place = (Option<(bool, Option<DateTime>)>, bool, Reverse<u64>, Reverse<u64>);

fn place(sort: Sort, known: bool, acc: &SpeakerGroup) -> Place {
    let by_date = matches!(sort, Sort::Date(_)).then_some((acc.first.is_none(), acc.first));
    (by_date, !known, Reverse(acc.statements), Reverse(acc.articles))
}

/// The first `limit` of `groups` in `sort` order, with ties broken by name (a named
/// speaker before an unnamed one of the same name), named and typed.
///
/// Only the groups that can be among the first `limit` are named: those before the
/// last one shown and those tied with it.
fn rank(
    searcher: &tantivy::Searcher,
    people: &PersonKeys,
    mut groups: Vec<(Option<u64>, SpeakerGroup)>,
    sort: Sort,
    limit: usize,
) -> Result<Vec<(Option<Speaker>, SpeakerGroup)>> {
    groups.sort_by_cached_key(|(k, acc)| place(sort, k.is_some(), acc));
    if let Some(last) = limit.min(groups.len()).checked_sub(1) {
        let at = |i: usize| place(sort, groups[i].0.is_some(), &groups[i].1);
        let tied = (last..groups.len()).take_while(|&i| at(i) == at(last)).count();
        groups.truncate(last + tied);
    } else {
        groups.clear();
    }
    let names = group_names(searcher, people, &groups)?;
    let types = group_types(searcher, &groups)?;
    let speakers = names.into_iter().zip(types).map(|(name, ty)| name.map(|n| (n, ty)));
    let mut named: Vec<(Option<Speaker>, SpeakerGroup)> =
        speakers.zip(groups.into_iter().map(|(_, acc)| acc)).collect();
    let tie = |s: &Option<Speaker>| {
        s.as_ref().map(|(name, ty)| (name.clone(), speaker_key::is_unnamed(*ty)))
    };
    named.sort_by_cached_key(|(s, acc)| (place(sort, s.is_some(), acc), tie(s)));
    named.truncate(limit);
    Ok(named)
}

/// The type each keyed group is shown with ([`TypeCounts::shown`] of its statements'
/// types); None for the unknown speaker's group. Each segment's type column is read
/// once per group, its statements in document order.
fn group_types(
    searcher: &tantivy::Searcher,
    groups: &[(Option<u64>, SpeakerGroup)],
) -> Result<Vec<Option<SpeakerType>>> {
    // Per segment: its type column and the type of each of the column's terms.
    let mut columns: HashMap<u32, Option<TypeColumn>> = HashMap::new();
    let mut out = Vec::with_capacity(groups.len());
    for (key, acc) in groups {
        if key.is_none() {
            out.push(None);
            continue;
        }
        let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
        for m in &acc.members {
            by_segment.entry(m.addr.segment_ord).or_default().push(m.addr.doc_id);
        }
        let mut counts = TypeCounts::default();
        for (segment, mut docs) in by_segment {
            let column = match columns.entry(segment) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(type_column(searcher.segment_reader(segment))?)
                }
            };
            let Some((column, types)) = column else {
                counts.add(None, docs.len() as u64);
                continue;
            };
            docs.sort_unstable();
            let mut ords = vec![None; docs.len()];
            column.ords().first_vals(&docs, &mut ords);
            for ord in ords {
                counts.add(
                    ord.and_then(|o| types.get(usize::try_from(o).ok()?).copied().flatten()),
                    1,
                );
            }
        }
        out.push(counts.shown());
    }
    Ok(out)
}

/// A segment's `speaker_type` column with the type of each of its terms; None when
/// no statement of the segment has a type.
fn type_column(segment: &tantivy::SegmentReader) -> Result<Option<TypeColumn>> {
    let Some(column) =
        segment.fast_fields().str("speaker_type").context("reading the speaker type column")?
    else {
        return Ok(None);
    };
    let mut types = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream().context("reading the speaker type column")?;
    while stream.advance() {
        types.push(std::str::from_utf8(stream.key()).ok().and_then(speaker_key::parse_type));
    }
    Ok(Some((column, types)))
}

/// The canonical name of each keyed group: the speaker table's for a person with
/// aliases, else the name in the `speaker` column of one of its statements (all of
/// them have that name); dictionaries are read once per segment, in ordinal order.
fn group_names(
    searcher: &tantivy::Searcher,
    people: &PersonKeys,
    groups: &[(Option<u64>, SpeakerGroup)],
) -> Result<Vec<Option<String>>> {
    let mut names: Vec<Option<String>> = vec![None; groups.len()];
    // Per segment: (group, its first statement), for the groups the table does not name.
    let mut wanted: HashMap<u32, Vec<(usize, DocId)>> = HashMap::new();
    for (i, (key, acc)) in groups.iter().enumerate() {
        let Some(key) = *key else { continue };
        if let Some(name) = people.name(key) {
            names[i] = Some(name.to_string());
        } else if let Some(first) = acc.members.first() {
            wanted.entry(first.addr.segment_ord).or_default().push((i, first.addr.doc_id));
        }
    }
    for (segment, list) in wanted {
        let column = searcher
            .segment_reader(segment)
            .fast_fields()
            .str("speaker")
            .context("reading the speaker column")?;
        let column = column.context("index has no speaker column")?;
        let ords = list
            .iter()
            .map(|&(_, doc)| {
                column.term_ords(doc).next().context(
                    "the index is damaged: a statement with a speaker key has no speaker name (delete it and re-ingest)",
                )
            })
            .collect::<Result<Vec<u64>>>()?;
        let by_ord = ord_names(&column, ords.iter().copied());
        for (&(i, _), ord) in list.iter().zip(&ords) {
            let name = by_ord.get(ord).context(
                "the index is damaged: a speaker name cannot be read (delete it and re-ingest)",
            )?;
            names[i] = Some(name.clone());
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: Option<u64>, article: u64, day: Option<i64>, score: Score, doc: u32) -> Row {
        Row {
            score,
            addr: DocAddress::new(0, doc),
            speaker_key: key,
            article: Some(article),
            date: day.map(|d| DateTime::from_timestamp_secs(d * 86_400)),
        }
    }

    #[test]
    fn rows_group_by_speaker_with_distinct_articles_and_date_range() {
        let rows = vec![
            row(Some(7), 1, Some(10), 1.0, 0),
            row(Some(7), 1, Some(12), 1.0, 1),
            row(Some(7), 2, None, 1.0, 2),
            row(Some(9), 3, Some(11), 1.0, 3),
            row(None, 4, Some(5), 1.0, 4),
        ];
        let mut groups = group(rows);
        groups.sort_by_key(|(k, _)| *k);
        let summary: Vec<_> = groups.iter().map(|(k, g)| (*k, g.statements, g.articles)).collect();
        assert_eq!(summary, [(None, 1, 1), (Some(7), 3, 2), (Some(9), 1, 1)]);
        let seven = &groups[1].1;
        let day = |d: i64| Some(DateTime::from_timestamp_secs(d * 86_400));
        assert_eq!((seven.first, seven.last), (day(10), day(12)));
    }

    #[test]
    fn the_example_is_the_best_scored_then_the_earliest_dated() {
        let mut g = SpeakerGroup::default();
        g.add(row(Some(1), 1, None, 2.0, 0));
        g.add(row(Some(1), 1, Some(20), 2.0, 1));
        g.add(row(Some(1), 1, Some(10), 2.0, 2));
        g.add(row(Some(1), 1, Some(5), 1.0, 3));
        // Equal best scores: dated before undated, then the earlier day.
        assert_eq!(g.best.map(|(_, _, addr)| addr.doc_id), Some(2));
        let a = (1.0, None, DocAddress::new(0, 1));
        let b = (1.0, None, DocAddress::new(0, 2));
        assert_eq!(better_example(&a, &b), Ordering::Less, "index order breaks the last tie");
    }

    #[test]
    fn places_put_known_and_frequent_speakers_first_or_the_earliest_by_date() {
        let group_of = |n: u64, first: Option<i64>| SpeakerGroup {
            statements: n,
            articles: n,
            first: first.map(|d| DateTime::from_timestamp_secs(d * 86_400)),
            ..SpeakerGroup::default()
        };
        let (few_early, many_late) = (group_of(1, Some(1)), group_of(5, Some(9)));
        assert!(place(Sort::Count, true, &many_late) < place(Sort::Count, true, &few_early));
        assert!(
            place(Sort::Count, true, &few_early) < place(Sort::Count, false, &many_late),
            "known before unknown"
        );
        assert!(place(Sort::Date(3), true, &few_early) < place(Sort::Date(3), true, &many_late));
        let undated = group_of(9, None);
        assert!(
            place(Sort::Date(3), true, &many_late) < place(Sort::Date(3), true, &undated),
            "undated last"
        );
    }
}
