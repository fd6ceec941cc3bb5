//! A cluster index as the place questions are answered (`--engine URL`): `query`,
//! `stats` and `timeline` computed from OpenSearch searches and aggregations into
//! the same answers (`index::QueryResult`, `Stats`, `Timeline`) a local index gives,
//! so they print alike; `who` is in [`super::who`].
//!
//! Speakers are merged into people as locally: the speaker table is built from the
//! cluster's own names and counts (a composite aggregation over every statement),
//! once per [`Engine`], by the same rules (`people::cluster`). Speaker counts come
//! from composite aggregations, paged, so they are exact on any number of shards;
//! dates are counted per day and folded into periods here.
//!
//! Known limits: articles are counted exactly by paging through their ids (10,000
//! a request), so `stats` costs a request per 10,000 articles; hits carry no context
//! sentence (the cluster holds statements, not articles) and no highlights; scores
//! are the cluster's BM25, so hits of equal relevance may come in another order than
//! locally; `stats` cannot say how many articles were read.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::anyhow;
use serde_json::{json, Value};

use super::dsl;
use super::{reason, Client, Target};
use crate::index::query::Filters;
use crate::index::search::facets::{self, by_count, children, FacetCount, SpeakerCount};
use crate::index::search::timeline::periods;
use crate::index::speaker_key::{self, TypeCounts};
use crate::index::speaker_table::{from_type_counts, PersonKeys};
use crate::index::{
    Error, Facets, Hit, HitOrder, Page, QueryResult, SpeakerEntry, SpeakerList, Speakers, Stats,
    Timeline,
};
use crate::statement::{Period, Precision, SpeakerType, Statement};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Buckets per page of a composite aggregation.
const PAGE: usize = 10_000;
/// `cardinality`'s largest exact count (OpenSearch's maximum `precision_threshold`).
pub(crate) const EXACT_COUNT: u64 = 40_000;
const TOP_SPEAKERS: usize = 10;
/// Searches in one `_msearch` request.
const MSEARCH: usize = 50;
/// Speakers listed with their articles counted (see [`Engine::speakers`]).
pub const COUNTED_SPEAKERS: usize = 1000;

/// A cluster index to ask, with its speaker table once built.
pub struct Engine {
    pub client: Client,
    /// The table and the index fingerprint it was built at.
    table: Mutex<Option<(String, Arc<Table>)>>,
}

/// The cluster's speaker table (name variants merged into people), and its people
/// by key for grouping counts.
pub(crate) struct Table {
    pub speakers: Speakers,
    pub people: PersonKeys,
}

/// Statements per stored speaker name and type; `None` name: no speaker.
pub(crate) type NameCounts = HashMap<(Option<String>, Option<SpeakerType>), Bucket>;

/// What a composite bucket of one name and type holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bucket {
    pub statements: u64,
    pub articles: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl Engine {
    /// The engine at `url` (`http://HOST:PORT/INDEX`); the index must exist.
    pub fn open(url: &str) -> anyhow::Result<Engine> {
        let client = Client::new(Target::parse(url)?)?;
        let there = client.send("HEAD", &format!("/{}", client.target.index), None)?;
        match there.status {
            200 => {}
            404 => {
                return Err(anyhow!(
                    "{}: no such index in the cluster; make it with whosaid ingest PATH --to {}",
                    client.target.url(),
                    client.target.url()
                ))
            }
            s => return Err(anyhow!("{}: the cluster answered {s}", client.target.url())),
        }
        check_mapping(&client)?;
        Ok(Engine { client, table: Mutex::new(None) })
    }

    /// One `_search` of the index; a query the cluster refuses is the user's fault.
    pub(crate) fn search(&self, body: &Value) -> Result<Value> {
        let path = format!("/{}/_search", self.client.target.index);
        let reply = self.client.send(
            "POST",
            &path,
            Some(("application/json", body.to_string().as_bytes())),
        )?;
        if reply.status == 400 {
            return Err(Error::BadQuery(format!(
                "the cluster refused it: {}",
                reason(&reply.body)
            )));
        }
        whole(self.client.json(reply, "search")?)
    }

    /// Several searches, answers in order: in `_msearch` requests of at most
    /// [`MSEARCH`] searches, so that an answer stays a few MB however many are asked.
    pub(crate) fn msearch(&self, bodies: &[Value]) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(bodies.len());
        for part in bodies.chunks(MSEARCH) {
            out.extend(self.msearch_one(part)?);
        }
        Ok(out)
    }

    fn msearch_one(&self, bodies: &[Value]) -> Result<Vec<Value>> {
        let mut ndjson = String::new();
        for body in bodies {
            ndjson.push_str("{}\n");
            ndjson.push_str(&body.to_string());
            ndjson.push('\n');
        }
        let path = format!("/{}/_msearch", self.client.target.index);
        let reply =
            self.client.send("POST", &path, Some(("application/x-ndjson", ndjson.as_bytes())))?;
        let parsed = self.client.json(reply, "search")?;
        let answers = parsed["responses"].as_array().cloned().unwrap_or_default();
        if answers.len() != bodies.len() {
            return Err(Error::Other(anyhow!(
                "the cluster answered {} of {} searches",
                answers.len(),
                bodies.len()
            )));
        }
        for a in &answers {
            if a.get("error").is_some() {
                let why = format!("the cluster refused it: {}", reason(&a.to_string()));
                // Only a refused request is the user's; a busy or failing cluster is not.
                return Err(match a["status"].as_u64() {
                    Some(400) => Error::BadQuery(why),
                    _ => Error::Other(anyhow!("{}: {why}", self.client.target.url())),
                });
            }
        }
        answers.into_iter().map(whole).collect()
    }

    /// Distinct values of `field` among the statements each query matches, exactly:
    /// a composite aggregation paged through its values (`cardinality` is an
    /// estimate, a few articles off at 20,000), the queries of a round in one
    /// `_msearch`.
    pub(crate) fn distinct(&self, queries: &[Value], field: &str) -> Result<Vec<u64>> {
        let mut counts = vec![0u64; queries.len()];
        let mut after: Vec<Option<Value>> = vec![None; queries.len()];
        let mut open: Vec<usize> = (0..queries.len()).collect();
        while !open.is_empty() {
            let bodies: Vec<Value> = open
                .iter()
                .map(|&i| {
                    let mut composite =
                        json!({"size": PAGE, "sources": [{"v": {"terms": {"field": field}}}]});
                    if let Some(a) = &after[i] {
                        composite["after"] = a.clone();
                    }
                    json!({"size": 0, "track_total_hits": false, "query": queries[i],
                        "aggs": {"d": {"composite": composite}}})
                })
                .collect();
            let answers = self.msearch(&bodies)?;
            let mut next = Vec::new();
            for (&i, answer) in open.iter().zip(&answers) {
                let agg = &answer["aggregations"]["d"];
                let n = agg["buckets"].as_array().map_or(0, Vec::len);
                counts[i] += n as u64;
                if n == PAGE {
                    // A full page always has an after_key; without one, paging again
                    // from the start would never end.
                    let Some(key) = agg.get("after_key").cloned() else {
                        return Err(Error::Other(anyhow!(
                            "a full page of {field} without an after_key"
                        )));
                    };
                    after[i] = Some(key);
                    next.push(i);
                }
            }
            open = next;
        }
        Ok(counts)
    }

    /// The speaker table of the whole index, and its people by key: kept while the
    /// index is unchanged (see [`Engine::fingerprint`]), in this process and in the
    /// user's cache folder, so a command does not count every statement's speaker
    /// again (about a second for 150,000 statements).
    pub(crate) fn table(&self) -> Result<Arc<Table>> {
        let fingerprint = self.fingerprint()?;
        let mut kept = self.table.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((f, table)) = kept.as_ref() {
            if *f == fingerprint {
                return Ok(Arc::clone(table));
            }
        }
        let cache = cache_file(&self.client.target.url());
        let speakers = match cache.as_deref().and_then(|path| read_cache(path, &fingerprint)) {
            Some(entries) => Speakers::new(entries),
            None => {
                let speakers = from_type_counts(self.speaker_names()?.into_iter().collect());
                if let Some(path) = &cache {
                    // A cache that cannot be written only costs the next command time.
                    let _ = write_cache(path, &fingerprint, speakers.entries());
                }
                speakers
            }
        };
        let people = speakers.person_keys();
        let table = Arc::new(Table { speakers, people });
        *kept = Some((fingerprint, Arc::clone(&table)));
        Ok(table)
    }

    /// What changes whenever the statements searches see change: the index's uuid
    /// (a new index of the same name), its documents and deletions, its primaries'
    /// highest sequence numbers (any write, a replaced statement too), and the
    /// refreshes that made them searchable.
    fn fingerprint(&self) -> Result<String> {
        let path = format!(
            "/{}/_stats/docs,refresh?level=shards&filter_path=indices.*.uuid,_all.primaries,indices.*.shards",
            self.client.target.index
        );
        let reply = self.client.send("GET", &path, None)?;
        let v = self.client.json(reply, "reading the index's statistics")?;
        let index = &v["indices"][&self.client.target.index];
        // Each primary's highest sequence number: it grows with every write and,
        // unlike the operation counters, does not start again when a node does.
        let mut seq_no: i64 = 0;
        for copies in
            index["shards"].as_object().map(|o| o.values().collect::<Vec<_>>()).unwrap_or_default()
        {
            for copy in copies.as_array().map(Vec::as_slice).unwrap_or_default() {
                if copy["routing"]["primary"] == true {
                    seq_no += copy["seq_no"]["max_seq_no"].as_i64().unwrap_or(0);
                }
            }
        }
        let p = &v["_all"]["primaries"];
        Ok(format!(
            "{}/{}/{}/{seq_no}/{}",
            index["uuid"].as_str().unwrap_or_default(),
            p["docs"]["count"],
            p["docs"]["deleted"],
            p["refresh"]["external_total"]
        ))
    }

    /// Every stored speaker name of the index with its statements per type, keyed
    /// by the name and whether it is an unnamed speaker's.
    fn speaker_names(&self) -> Result<Vec<((String, bool), TypeCounts)>> {
        let counts = self.name_counts(&json!({"match_all": {}}), false)?;
        let mut names: HashMap<(String, bool), TypeCounts> = HashMap::new();
        for ((name, ty), b) in counts {
            if let Some(name) = name {
                names.entry((name, speaker_key::is_unnamed(ty))).or_default().add(ty, b.statements);
            }
        }
        Ok(names.into_iter().collect())
    }

    /// Statements matching `query` per stored speaker name and type, every one
    /// (paged); with `detail`, also each name's articles and first and last days.
    pub(crate) fn name_counts(&self, query: &Value, detail: bool) -> Result<NameCounts> {
        let mut out = NameCounts::new();
        let mut after: Option<Value> = None;
        loop {
            let mut composite = json!({
                "size": PAGE,
                "sources": [
                    {"name": {"terms": {"field": "speaker", "missing_bucket": true}}},
                    {"type": {"terms": {"field": "speaker_type", "missing_bucket": true}}}
                ]
            });
            if let Some(a) = &after {
                composite["after"] = a.clone();
            }
            let mut agg = json!({ "composite": composite });
            if detail {
                // A rough estimate (it only orders speakers of equal statement counts
                // far from the cut; those near it are counted exactly): at the largest
                // precision, 10,000 buckets of it broke a 512 MB node's memory limit.
                agg["aggs"] = json!({
                    "articles": {"cardinality": {"field": "article", "precision_threshold": 100}},
                    "first": {"min": {"field": "date", "format": "yyyy-MM-dd"}},
                    "last": {"max": {"field": "date", "format": "yyyy-MM-dd"}}
                });
            }
            let body =
                json!({"size": 0, "track_total_hits": false, "query": query, "aggs": {"s": agg}});
            let answer = self.search(&body)?;
            let buckets =
                answer["aggregations"]["s"]["buckets"].as_array().cloned().unwrap_or_default();
            for b in &buckets {
                let name = b["key"]["name"].as_str().map(str::to_string);
                let ty = b["key"]["type"].as_str().and_then(speaker_key::parse_type);
                out.insert(
                    (name, ty),
                    Bucket {
                        statements: b["doc_count"].as_u64().unwrap_or(0),
                        articles: b["articles"]["value"].as_u64().unwrap_or(0),
                        first: day(&b["first"]),
                        last: day(&b["last"]),
                    },
                );
            }
            match answer["aggregations"]["s"].get("after_key") {
                Some(key) if buckets.len() == PAGE => after = Some(key.clone()),
                _ => break,
            }
        }
        Ok(out)
    }

    /// The facets of the statements `query` matches, as `index::Facets` counts them.
    fn facets(&self, query: &Value, people: &PersonKeys, by: Option<Precision>) -> Result<Facets> {
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": query,
            "aggs": {
                "days": {"date_histogram": {"field": "date", "calendar_interval": "day", "min_doc_count": 1, "format": "yyyy-MM-dd"}},
                "source": {"terms": {"field": "source", "size": 65_000}},
                "kind": {"terms": {"field": "kind", "size": 10}}
            }
        });
        let answer = self.search(&body)?;
        let days = day_counts(&answer["aggregations"]["days"]);
        let counts = self.name_counts(query, false)?;
        let mut by_name: HashMap<(String, Option<SpeakerType>), u64> = HashMap::new();
        let mut types: HashMap<String, u64> = HashMap::new();
        for ((name, ty), b) in counts {
            if let Some(name) = name {
                *by_name.entry((name, ty)).or_default() += b.statements;
                if let Some(ty) = ty {
                    *types.entry(ty.as_str().to_string()).or_default() += b.statements;
                }
            }
        }
        let mut facets = Facets {
            speaker: facets::speakers(&by_name, people),
            speaker_type: by_count(children(&types)),
            month: period_facet(&days, Precision::Month),
            source: by_count(terms(&answer["aggregations"]["source"])),
            kind: by_count(terms(&answer["aggregations"]["kind"])),
            by_date: Default::default(),
        };
        if let Some(by) = by.filter(|b| *b != Precision::Month) {
            facets.by_date.insert(by.as_str().to_string(), period_facet(&days, by));
        }
        Ok(facets)
    }

    /// `query`: a page of hits, the total and the facets.
    pub fn query(
        &self,
        text: &str,
        filters: &Filters,
        page: &Page,
        by: Option<Precision>,
    ) -> Result<QueryResult> {
        let table = self.table()?;
        let q = dsl::filtered(dsl::query(text)?, filters, &table.speakers)?;
        let sort = match page.order {
            HitOrder::Relevance => json!([{"_score": "desc"}, {"id": "asc"}]),
            HitOrder::Oldest => {
                json!([{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}])
            }
            HitOrder::Newest => {
                json!([{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}])
            }
        };
        let body = json!({
            "query": q,
            "from": page.offset,
            "size": page.limit,
            "sort": sort,
            "track_scores": true,
            "track_total_hits": true
        });
        let answer = self.search(&body)?;
        let hits = answer["hits"]["hits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|h| {
                Ok(Hit {
                    statement: statement(&h["_source"])?,
                    score: h["_score"].as_f64().unwrap_or(0.0) as f32,
                    context: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(QueryResult {
            query: text.to_string(),
            total: total(&answer),
            offset: page.offset as u64,
            hits,
            facets: self.facets(&q, &table.people, by)?,
        })
    }

    /// `stats`.
    pub fn stats(&self) -> Result<Stats> {
        let body = json!({
            "size": 0,
            "track_total_hits": true,
            "aggs": {
                "first": {"min": {"field": "date", "format": "yyyy-MM-dd"}},
                "last": {"max": {"field": "date", "format": "yyyy-MM-dd"}}
            }
        });
        let answer = self.search(&body)?;
        // The table's people are the speaker facet over every statement: the counts
        // it was built from, merged as the facet merges them.
        let mut top: Vec<SpeakerCount> = self
            .table()?
            .speakers
            .entries()
            .iter()
            .map(|e| SpeakerCount {
                value: e.speaker.clone(),
                count: e.statements,
                speaker_type: e.speaker_type,
                label: e.label(),
            })
            .collect();
        facets::sort_speakers(&mut top);
        let unnamed = top.iter().filter(|s| speaker_key::is_unnamed(s.speaker_type)).count() as u64;
        let speakers = top.len() as u64 - unnamed;
        top.truncate(TOP_SPEAKERS);
        let aggs = &answer["aggregations"];
        Ok(Stats {
            statements: total(&answer),
            articles: self
                .distinct(&[json!({"match_all": {}})], "article")?
                .first()
                .copied()
                .unwrap_or(0),
            articles_read: None,
            speakers,
            unnamed_speakers: unnamed,
            first_date: day(&aggs["first"]),
            last_date: day(&aggs["last"]),
            top_speakers: top,
        })
    }

    /// `speakers`: the table's speakers whose name starts with `prefix` (0: all),
    /// each with its articles counted when at most [`COUNTED_SPEAKERS`] are listed
    /// (the table itself counts statements only; each count is a search).
    pub fn speakers(&self, prefix: &str, limit: usize) -> Result<SpeakerList> {
        let mut list = self.table()?.speakers.list(prefix, limit);
        if list.speakers.len() <= COUNTED_SPEAKERS {
            let queries: Vec<Value> = list
                .speakers
                .iter()
                .map(|s| {
                    let unnamed = s.entry.is_unnamed();
                    let names: Vec<(String, bool)> =
                        s.entry.names().map(|n| (n.clone(), unnamed)).collect();
                    dsl::speaker_names(&names)
                })
                .collect();
            for (s, n) in list.speakers.iter_mut().zip(self.distinct(&queries, "article")?) {
                s.entry.articles = n;
            }
            // In the table's order, which breaks ties of statements by articles.
            list.speakers.sort_by_cached_key(|s| s.entry.order());
        }
        Ok(list)
    }

    /// `timeline`: statements per period, of one speaker or of everyone.
    pub fn timeline(
        &self,
        speaker: Option<&str>,
        text: &str,
        filters: &Filters,
        by: Precision,
    ) -> Result<Timeline> {
        let table = self.table()?;
        let table = &table.speakers;
        let mut filters = filters.clone();
        let mut who = None;
        if let Some(s) = speaker {
            filters.speakers.push(s.to_string());
            who = Some(match table.find(s)? {
                Some(entry) => (entry.speaker.clone(), entry.speaker_type),
                None => (s.to_string(), None),
            });
        }
        let q = dsl::filtered(dsl::query(text)?, &filters, table)?;
        let body = json!({
            "size": 0,
            "track_total_hits": true,
            "query": q,
            "aggs": {"days": {"date_histogram": {"field": "date", "calendar_interval": "day", "min_doc_count": 1, "format": "yyyy-MM-dd"}}}
        });
        let answer = self.search(&body)?;
        let counts = period_counts(&day_counts(&answer["aggregations"]["days"]), by);
        let total = total(&answer);
        let dated: u64 = counts.values().sum();
        Ok(Timeline {
            label: who.as_ref().map(|(name, ty)| speaker_key::label(name, *ty)),
            speaker_type: who.as_ref().and_then(|(_, ty)| *ty),
            speaker: who.map(|(name, _)| name),
            query: text.to_string(),
            by,
            total,
            undated: total.saturating_sub(dated),
            periods: periods(&counts),
        })
    }
}

/// Where the speaker table of the index at `url` is kept between commands:
/// `$XDG_CACHE_HOME/whosaid/cluster/` (else `~/.cache/whosaid/cluster/`), one file
/// per index address. None without either variable.
fn cache_file(url: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(
        base.join("whosaid/cluster")
            .join(format!("{:016x}.json", crate::fnv::Fnv1a::hash(url.as_bytes()))),
    )
}

/// What the cache file holds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Cached {
    fingerprint: String,
    /// `people::fingerprint()`: a table grouped by other rules is not used.
    rules: u64,
    speakers: Vec<SpeakerEntry>,
}

/// The cached table's entries, when the file holds them for `fingerprint`.
fn read_cache(path: &Path, fingerprint: &str) -> Option<Vec<SpeakerEntry>> {
    let cached: Cached = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    (cached.fingerprint == fingerprint && cached.rules == crate::people::fingerprint())
        .then_some(cached.speakers)
}

fn write_cache(path: &Path, fingerprint: &str, entries: &[SpeakerEntry]) -> anyhow::Result<()> {
    let cached = Cached {
        fingerprint: fingerprint.to_string(),
        rules: crate::people::fingerprint(),
        speakers: entries.to_vec(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    crate::index::atomic_file::write_atomic(path, &serde_json::to_vec(&cached)?)
}

/// `answer`, unless some shards failed to answer: counts from part of the index would
/// be wrong without a word (a shard with no live copy, a node just lost).
fn whole(answer: Value) -> Result<Value> {
    if answer["timed_out"] == true {
        return Err(Error::Other(anyhow!(
            "the cluster's search timed out and answered from part of the index; ask again"
        )));
    }
    let failed = answer["_shards"]["failed"].as_u64().unwrap_or(0);
    if failed > 0 {
        let of = answer["_shards"]["total"].as_u64().unwrap_or(0);
        let why = answer["_shards"]["failures"][0]["reason"]["reason"]
            .as_str()
            .unwrap_or("no reason given");
        return Err(Error::Other(anyhow!(
            "{failed} of {of} shards of the cluster index did not answer ({why}); ask again \
             when the cluster is green or yellow"
        )));
    }
    Ok(answer)
}

/// Refuses an index whose mapping lacks what the answers need (one made by an
/// earlier whosaid, or by hand): a search of a field it lacks finds nothing, which
/// would read as "nobody said it".
fn check_mapping(client: &Client) -> anyhow::Result<()> {
    let reply = client.send("GET", &format!("/{}/_mapping", client.target.index), None)?;
    let v = client.json(reply, "reading the index's mapping")?;
    // One index, or one behind an alias: its first entry.
    let fields =
        v.as_object().and_then(|o| o.values().next()).map(|i| &i["mappings"]["properties"]);
    // Each needed field and subfield, as a JSON pointer into the properties.
    let needed =
        ["text/fields/exact", "text/fields/stem", "speaker/fields/words", "quote", "article"];
    let have = |path: &str| {
        fields.and_then(|f| f.pointer(&format!("/{path}"))).is_some_and(Value::is_object)
    };
    let missing: Vec<String> =
        needed.iter().filter(|p| !have(p)).map(|p| p.replace("/fields/", ".")).collect();
    if !missing.is_empty() {
        return Err(anyhow!(
            "{}: the index lacks the fields {} that answers need (made by an earlier whosaid or \
             by hand?): delete it and send the statements again with whosaid ingest PATH --to {}",
            client.target.url(),
            missing.join(", "),
            client.target.url()
        ));
    }
    Ok(())
}

/// `hits.total.value` (searches ask for exact totals).
pub(crate) fn total(answer: &Value) -> u64 {
    answer["hits"]["total"]["value"].as_u64().unwrap_or(0)
}

/// A min or max aggregation's day, when it has one.
pub(crate) fn day(agg: &Value) -> Option<String> {
    agg["value_as_string"].as_str().filter(|_| !agg["value"].is_null()).map(str::to_string)
}

/// A day histogram's buckets as (day, count).
fn day_counts(agg: &Value) -> Vec<(jiff::civil::Date, u64)> {
    let buckets = agg["buckets"].as_array().map(Vec::as_slice).unwrap_or_default();
    buckets
        .iter()
        .filter_map(|b| {
            Some((b["key_as_string"].as_str()?.parse().ok()?, b["doc_count"].as_u64()?))
        })
        .collect()
}

/// Counts of days per period of `by`, chronological, only periods with statements.
fn period_facet(days: &[(jiff::civil::Date, u64)], by: Precision) -> Vec<FacetCount> {
    let counts = period_counts(days, by);
    counts.into_iter().map(|(p, count)| FacetCount { value: p.label(), count }).collect()
}

/// Statements per period of `by`, from counts per day.
fn period_counts(days: &[(jiff::civil::Date, u64)], by: Precision) -> BTreeMap<Period, u64> {
    let mut counts = BTreeMap::new();
    for &(d, n) in days {
        *counts.entry(Period::of(d, by)).or_insert(0) += n;
    }
    counts
}

fn terms(agg: &Value) -> Vec<FacetCount> {
    let buckets = agg["buckets"].as_array().map(Vec::as_slice).unwrap_or_default();
    buckets
        .iter()
        .filter_map(|b| {
            Some(FacetCount {
                value: b["key"].as_str()?.to_string(),
                count: b["doc_count"].as_u64()?,
            })
        })
        .collect()
}

/// The statement a cluster document holds: the export document (see
/// `render::export::Document`) without its extra fields, its days back to `YYYY-MM-DD`.
pub(crate) fn statement(source: &Value) -> Result<Statement> {
    let mut doc = source.clone();
    let Some(fields) = doc.as_object_mut() else {
        return Err(Error::Other(anyhow!("a cluster document that is not an object")));
    };
    fields.remove("speaker_canonical");
    fields.remove("quote");
    for key in ["date", "article_date"] {
        if let Some(Value::String(d)) = fields.get_mut(key) {
            d.truncate(10);
        }
    }
    // A day the index cannot hold is written only as the period (see
    // `render::export::Document`).
    if fields.get("date").is_none_or(Value::is_null)
        && fields.get("date_precision") == Some(&json!("day"))
    {
        if let Some(day) = fields.get("period").cloned() {
            fields.insert("date".into(), day);
        }
    }
    serde_json::from_value(doc).map_err(|e| {
        Error::Other(anyhow!("a cluster document that is not a whosaid statement: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_as_the_statements_they_were() {
        let st: Statement = serde_json::from_value(json!({
            "id": "1a", "article": "a.txt", "path": "a.txt", "title": null, "source": null,
            "text": "We will build it", "kind": "direct", "speaker": "Ann Lee",
            "speaker_type": "person", "speaker_mention": "Lee", "cue": "said",
            "date": "2025-03-12", "date_precision": "day", "date_source": "article",
            "period": "2025-03-12", "article_date": "2025-03-12", "span": [0, 16],
            "speaker_span": null, "cue_span": null, "role": null, "url": null
        }))
        .unwrap();
        let doc = crate::render::export::Document::new(&st, |n, _| n);
        let back = statement(&serde_json::to_value(&doc).unwrap()).unwrap();
        assert_eq!(back, st);
        // A day the index cannot hold is no date to the engine, and comes back.
        let old =
            Statement { date: Some("1492-10-12".into()), period: Some("1492-10-12".into()), ..st };
        let doc =
            serde_json::to_value(crate::render::export::Document::new(&old, |n, _| n)).unwrap();
        assert!(doc["date"].is_null());
        assert_eq!(statement(&doc).unwrap(), old);
    }

    #[test]
    fn days_fold_into_periods() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let days = [(d("2025-03-01"), 2), (d("2025-03-31"), 1), (d("2025-05-02"), 4)];
        let month: Vec<(String, u64)> =
            period_facet(&days, Precision::Month).into_iter().map(|f| (f.value, f.count)).collect();
        assert_eq!(month, [("2025-03".to_string(), 3), ("2025-05".to_string(), 4)]);
    }
}
