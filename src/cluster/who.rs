//! `who` over a cluster: the same three attempts as locally (exact phrase, sloppy
//! phrase, every word by its stem) and the same answer (`index::WhoResult`).
//!
//! Each attempt counts the matches per stored speaker name and type (a composite
//! aggregation, exact), merges names into people with the cluster's speaker table,
//! and ranks them as locally. Only the speakers shown are asked more, in two
//! `_msearch` round trips: their example (best score, earliest on ties), their
//! distinct quotations (by the documents' `quote` hash, with the same containment
//! check on up to 48 quotations), then the articles and first day of the example's
//! quotation.
//!
//! Known limits: article counts are exact for the speakers near the cut (paged
//! through their articles' ids) and estimates (`cardinality`) for the others, which
//! only order speakers of equal statement counts; the example is the cluster's best-scoring statement, which can
//! differ from the local index's (BM25 statistics differ per shard); hits carry no
//! context sentence.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Value};

use super::dsl;
use super::engine::{day, statement, Engine, Result, EXACT_COUNT};
use crate::index::query::Filters;
use crate::index::quote_key::quote_key;
use crate::index::search::context::Quoted;
use crate::index::search::repeats::group_keys;
use crate::index::speaker_key::{self, TypeCounts};
use crate::index::{MatchKind, Sort, WhoResult, WhoSpeaker};
use crate::statement::SpeakerType;

/// As locally: words allowed between and around the phrase's words.
const SLOP: u32 = 3;
/// Quotations compared by their words for one speaker (as `search::repeats`).
const CONTAINMENT_MAX: usize = 48;

/// One speaker's matches: the names merged into it, and their counts.
#[derive(Debug, Default)]
struct Group {
    /// Stored names with whether each is an unnamed speaker's; empty for the
    /// statements without a speaker.
    names: Vec<(String, bool)>,
    /// The canonical name; None for no speaker.
    canonical: Option<String>,
    unnamed: bool,
    types: TypeCounts,
    statements: u64,
    articles: u64,
    first: Option<String>,
    last: Option<String>,
}

impl Group {
    fn shown_type(&self) -> Option<SpeakerType> {
        if self.canonical.is_none() {
            None
        } else if self.unnamed {
            Some(SpeakerType::Unnamed)
        } else {
            self.types.shown()
        }
    }

    /// Only the statements of this speaker.
    fn filter(&self) -> Value {
        match self.canonical {
            None => json!({"bool": {"must_not": [{"exists": {"field": "speaker"}}]}}),
            Some(_) => dsl::speaker_names(&self.names),
        }
    }

    /// The statements of this speaker that `q` matches.
    fn within(&self, q: &Value) -> Value {
        json!({"bool": {"must": [q], "filter": [self.filter()]}})
    }
}

type Place =
    (Option<(bool, Option<String>)>, bool, Reverse<u64>, Reverse<u64>, Option<(String, bool)>);

fn place(sort: Sort, g: &Group) -> Place {
    let by_date = matches!(sort, Sort::Date(_)).then(|| (g.first.is_none(), g.first.clone()));
    let tie = g.canonical.as_ref().map(|n| (n.clone(), g.unnamed));
    (by_date, g.canonical.is_none(), Reverse(g.statements), Reverse(g.articles), tie)
}

impl Engine {
    /// `who PHRASE`: at most `limit` speakers.
    pub fn who(
        &self,
        phrase: &str,
        filters: &Filters,
        sort: Sort,
        limit: usize,
    ) -> Result<WhoResult> {
        crate::index::query::check_length("phrase", phrase)?;
        let words = dsl::words(phrase);
        let mut attempts: Vec<(MatchKind, Value)> = Vec::new();
        if let Some(q) = dsl::phrase("text.exact", phrase, 0) {
            attempts.push((MatchKind::Exact, q));
        }
        if words.len() > 1 {
            if let Some(q) = dsl::phrase("text.exact", phrase, SLOP) {
                attempts.push((MatchKind::Sloppy, q));
            }
        }
        if !words.is_empty() {
            attempts.push((MatchKind::Words, dsl::stem(phrase)));
        }
        let table = self.table()?;
        let people = &table.people;
        for (matched, q) in attempts {
            let q = dsl::filtered(q, filters, &table.speakers)?;
            let counts = self.name_counts(&q, true)?;
            if counts.is_empty() {
                continue;
            }
            let total: u64 = counts.values().map(|b| b.statements).sum();
            let mut groups: HashMap<(Option<String>, bool), Group> = HashMap::new();
            for ((name, ty), b) in counts {
                let unnamed = speaker_key::is_unnamed(ty);
                let key = match &name {
                    Some(n) => (Some(people.canonical(n, unnamed).to_string()), unnamed),
                    None => (None, false),
                };
                let g = groups.entry(key.clone()).or_default();
                g.canonical = key.0;
                g.unnamed = unnamed;
                if let Some(n) = name {
                    if !g.names.iter().any(|(m, u)| *m == n && *u == unnamed) {
                        g.names.push((n, unnamed));
                    }
                }
                g.types.add(ty, b.statements);
                g.statements += b.statements;
                g.articles += b.articles;
                g.first = [g.first.take(), b.first].into_iter().flatten().min();
                g.last = [g.last.take(), b.last].into_iter().flatten().max();
            }
            let mut groups: Vec<Group> = groups.into_values().collect();
            groups.sort_by_cached_key(|g| place(sort, g));
            // Per name the article counts are estimates, and summed over a person's
            // names they overstate: count those near the cut exactly, then rank
            // once more.
            let window = limit.saturating_mul(2).saturating_add(10).min(groups.len());
            let queries: Vec<Value> = groups[..window].iter().map(|g| g.within(&q)).collect();
            for (g, n) in groups.iter_mut().zip(self.distinct(&queries, "article")?) {
                g.articles = n;
            }
            groups.truncate(window);
            groups.sort_by_cached_key(|g| place(sort, g));
            groups.truncate(limit);
            let speakers = self.describe(&q, groups)?;
            let statements = match sort {
                Sort::Count => None,
                Sort::Date(n) => Some(self.oldest(&q, n)?),
            };
            return Ok(WhoResult {
                query: phrase.to_string(),
                matched,
                total,
                speakers,
                statements,
            });
        }
        Ok(WhoResult {
            query: phrase.to_string(),
            matched: MatchKind::None,
            total: 0,
            speakers: Vec::new(),
            statements: matches!(sort, Sort::Date(_)).then(Vec::new),
        })
    }

    /// The first `n` matches, oldest first, undated last.
    fn oldest(&self, q: &Value, n: usize) -> Result<Vec<Quoted>> {
        let body = json!({"query": q, "size": n, "track_total_hits": false,
            "sort": [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]});
        let answer = self.search(&body)?;
        let hits = answer["hits"]["hits"].as_array().map(Vec::as_slice).unwrap_or_default();
        hits.iter()
            .map(|h| Ok(Quoted { statement: statement(&h["_source"])?, context: None }))
            .collect()
    }

    /// The shown speakers with their example and quotations.
    fn describe(&self, q: &Value, groups: Vec<Group>) -> Result<Vec<WhoSpeaker>> {
        let bodies: Vec<Value> = groups
            .iter()
            .map(|g| {
                json!({
                    "size": 1,
                    "track_total_hits": false,
                    "track_scores": true,
                    "query": g.within(q),
                    "sort": [{"_score": "desc"}, {"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
                    "aggs": {
                        "quotes": {"cardinality": {"field": "quote", "precision_threshold": EXACT_COUNT}},
                        "texts": {"terms": {"field": "quote", "size": CONTAINMENT_MAX + 1},
                                  "aggs": {"one": {"top_hits": {"size": 1, "_source": ["text"]}}}}
                    }
                })
            })
            .collect();
        let answers = self.msearch(&bodies)?;
        // Per speaker: its example, its quotation groups, and the hashes in the
        // example's group.
        let mut found = Vec::with_capacity(groups.len());
        for answer in &answers {
            let source = &answer["hits"]["hits"][0]["_source"];
            let example = statement(source)?;
            let mine = source["quote"].as_str().unwrap_or_default().to_string();
            let buckets =
                answer["aggregations"]["texts"]["buckets"].as_array().cloned().unwrap_or_default();
            let distinct = answer["aggregations"]["quotes"]["value"].as_u64().unwrap_or(0);
            let (quotes, same) = if buckets.len() <= CONTAINMENT_MAX {
                let hashes: Vec<String> = buckets
                    .iter()
                    .map(|b| b["key"].as_str().unwrap_or_default().to_string())
                    .collect();
                let keys: Vec<Vec<String>> = buckets
                    .iter()
                    .map(|b| {
                        quote_key(
                            b["one"]["hits"]["hits"][0]["_source"]["text"]
                                .as_str()
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                let groups = group_keys(&keys);
                let quotes = groups.iter().collect::<BTreeSet<_>>().len() as u64;
                let of_mine = hashes.iter().position(|h| *h == mine).and_then(|i| groups.get(i));
                let same: Vec<String> = hashes
                    .iter()
                    .zip(&groups)
                    .filter(|(_, g)| Some(*g) == of_mine)
                    .map(|(h, _)| h.clone())
                    .collect();
                (quotes, same)
            } else {
                (distinct, vec![mine])
            };
            found.push((example, quotes, same));
        }
        // Over 48 quotations they are told apart by hash alone, as locally; the
        // estimate above is replaced by their exact number.
        let many: Vec<usize> = (0..found.len())
            .filter(|&i| {
                answers[i]["aggregations"]["texts"]["buckets"].as_array().map_or(0, Vec::len)
                    > CONTAINMENT_MAX
            })
            .collect();
        let queries: Vec<Value> = many.iter().map(|&i| groups[i].within(q)).collect();
        for (&i, n) in many.iter().zip(self.distinct(&queries, "quote")?) {
            found[i].1 = n;
        }
        let same_quote: Vec<Value> = groups
            .iter()
            .zip(&found)
            .map(|(g, (_, _, same))| {
                json!({"bool": {"must": [g.within(q)], "filter": [{"terms": {"quote": same}}]}})
            })
            .collect();
        let example_articles = self.distinct(&same_quote, "article")?;
        let bodies: Vec<Value> = same_quote
            .into_iter()
            .map(|query| {
                json!({"size": 0, "track_total_hits": false, "query": query,
                    "aggs": {"first": {"min": {"field": "date", "format": "yyyy-MM-dd"}}}})
            })
            .collect();
        let repeats = self.msearch(&bodies)?;
        Ok(groups
            .into_iter()
            .zip(found)
            .zip(repeats.into_iter().zip(example_articles))
            .map(|((g, (example, quotes, _)), (r, example_articles))| {
                let speaker_type = g.shown_type();
                WhoSpeaker {
                    label: g.canonical.as_ref().map(|n| speaker_key::label(n, speaker_type)),
                    speaker: g.canonical,
                    speaker_type,
                    statements: g.statements,
                    articles: g.articles,
                    first_date: g.first,
                    last_date: g.last,
                    example: Quoted { statement: example, context: None },
                    quotes,
                    example_articles,
                    example_first_date: day(&r["aggregations"]["first"]),
                }
            })
            .collect())
    }
}
