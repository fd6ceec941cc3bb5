//! The questions whosaid answers, as typed requests and responses that every front
//! end shares: the command line builds a request from its flags, the web API from
//! its URL parameters, and tests call them directly, so all compute (and serialize)
//! the same answers.
//!
//! A request is built with `parse` from what a user typed (flags or parameters, as
//! strings), which checks every value and says what to do when one is wrong; `run`
//! answers it on an open [`Index`]. Errors are [`Error`]s: the user's fault (a bad
//! argument or query, an ambiguous speaker) or the index's, so a front end can pick
//! an exit code or an HTTP status without reading messages.
//!
//! Known limits: messages name the command line's flags ("--since …"), also when
//! the web API reports them.

use jiff::civil::Date;

use crate::cluster::Engine;
use crate::index::damage;
use crate::index::{
    self, ArticleView, Filters, HitOrder, Index, MatchKind, Page, QueryResult, Sort, SpeakerList,
    Stats, Timeline, WhoResult,
};
use crate::statement::{Period, Precision};

/// A request that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument the user got wrong (a date that is not one, an unknown `--by`).
    #[error("{0}")]
    BadArgument(String),
    /// From the index: a bad query or an ambiguous speaker (the user's fault), or a
    /// failure to read it.
    #[error(transparent)]
    Index(#[from] index::Error),
}

impl Error {
    /// Whether the user can fix it by changing the request (exit code 2 either way on
    /// the command line; 400 rather than 500 on the web).
    pub fn is_users_fault(&self) -> bool {
        match self {
            Error::BadArgument(_) => true,
            Error::Index(e) => e.is_users_fault(),
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Error {
        Error::Index(index::Error::Other(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Runs a search of the index: a panic inside Tantivy, or an error that says the
/// index's files are damaged, becomes `index::Error::Damaged` ("index damaged: run
/// whosaid check"), for the command line and the web API alike.
fn answered<T>(search: impl FnOnce() -> Result<T>) -> Result<T> {
    damage::guard(search).map_err(|e| match e {
        Error::Index(e) => Error::Index(damage::classify(e)),
        e => e,
    })
}

fn bad(message: String) -> Error {
    Error::BadArgument(message)
}

/// `--kind` values (clap checks the command line's; the web API's arrive unchecked).
pub const KINDS: [&str; 3] = ["direct", "indirect", "mixed"];
/// `--speaker-type` values, likewise.
pub const SPEAKER_TYPES: [&str; 3] = ["person", "organization", "unnamed"];

/// The filters as a user gives them, unchecked: `--speaker` (repeatable), `--since`,
/// `--until`, `--kind`, `--source`, `--speaker-type`, or the URL parameters of the
/// same names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterParams {
    pub speaker: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub speaker_type: Option<String>,
}

impl FilterParams {
    /// The checked filters.
    pub fn check(&self) -> Result<Filters> {
        // An empty name (a script's unset variable, `speaker=` in a URL) once meant
        // "nobody" on the command line and "no filter" in the web API; neither is
        // what was asked, so both refuse it.
        // (Punctuation alone, ".*", is still a name that matches nobody: exit 1.)
        if let Some(s) = self.speaker.iter().find(|s| s.trim().is_empty()) {
            return Err(bad(format!(
                "--speaker {s:?} is empty: give a name, or leave --speaker out for every speaker"
            )));
        }
        if let Some(kind) = self.kind.as_deref().filter(|k| !KINDS.contains(k)) {
            return Err(bad(format!("--kind {kind:?}: use direct, indirect or mixed")));
        }
        if let Some(ty) = self.speaker_type.as_deref().filter(|t| !SPEAKER_TYPES.contains(t)) {
            return Err(bad(format!("--speaker-type {ty:?}: use person, organization or unnamed")));
        }
        let since = parse_bound("since", self.since.as_deref(), false)?;
        let until = parse_bound("until", self.until.as_deref(), true)?;
        if let (Some(s), Some(u), Some(sv), Some(uv)) = (since, until, &self.since, &self.until) {
            if s > u {
                return Err(bad(format!("--since {sv} is after --until {uv}: no day is in both")));
            }
        }
        Ok(Filters {
            speakers: self.speaker.clone(),
            since,
            until,
            kind: self.kind.clone(),
            // Folded as articles' sources are, so any name or address of a
            // publisher finds it.
            source: self.source.as_deref().map(parse_source).transpose()?,
            speaker_type: self.speaker_type.clone(),
        })
    }
}

/// A `--source` (a filter, or `ingest --source`) folded as articles' sources are, so
/// any name or address of a publisher is that publisher; one that names only an
/// archive service, or nothing, is refused.
pub fn parse_source(value: &str) -> Result<String> {
    crate::article::publisher(value).ok_or_else(|| {
        bad(format!(
            "--source {value:?} names no publisher: give its name (\"Valley Post\") or site \
             (valleypost.com); an archive's address counts only with the archived page's in it"
        ))
    })
}

/// Parses a user-given day (`--date`).
pub fn parse_day(flag: &str, value: Option<&str>) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(v) => match crate::article::parse_date(v) {
            Some(d) if crate::article::indexable(d) => Ok(Some(d)),
            Some(_) => Err(bad(format!(
                "--{flag} {v:?}: the index holds days of the years {} only",
                crate::article::indexed_years()
            ))),
            None => Err(bad(format!("--{flag} {v:?}: not a date; use YYYY-MM-DD"))),
        },
    }
}

/// Parses a `--since` (`end` false: the period's first day) or `--until` (`end`
/// true: its last day) given as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
pub fn parse_bound(flag: &str, value: Option<&str>, end: bool) -> Result<Option<Date>> {
    match value {
        None => Ok(None),
        Some(v) => match Period::parse(v) {
            Some(p) => Ok(Some(if end { p.last() } else { p.first })),
            None => {
                Err(bad(format!("--{flag} {v:?}: not a date; use YYYY, YYYY-MM or YYYY-MM-DD")))
            }
        },
    }
}

/// A `--by` value as a precision.
pub fn parse_precision(value: &str) -> Result<Precision> {
    Ok(match value {
        "year" => Precision::Year,
        "month" => Precision::Month,
        "week" => Precision::Week,
        "day" => Precision::Day,
        other => return Err(bad(format!("--by {other:?}: use year, month, week or day"))),
    })
}

/// The checked arguments of `query`.
#[derive(Debug, Clone)]
pub struct QueryRequest {
    pub query: String,
    pub filters: Filters,
    /// `--limit`, `--offset` and `--sort`.
    pub page: Page,
    pub by: Option<Precision>,
}

/// `--sort` values of `query`.
pub const QUERY_SORTS: [&str; 3] = ["relevance", "date", "-date"];

impl QueryRequest {
    /// `sort` is relevance, date (oldest first) or -date (newest first); None is
    /// relevance.
    pub fn parse(
        query: &str,
        f: &FilterParams,
        page: (usize, usize),
        sort: Option<&str>,
        by: Option<&str>,
    ) -> Result<QueryRequest> {
        let order = match sort {
            None => HitOrder::Relevance,
            Some(s) => HitOrder::parse(s).ok_or_else(|| {
                bad(format!(
                    "--sort {s:?}: use relevance, date (oldest first) or -date (newest first)"
                ))
            })?,
        };
        let (limit, offset) = page;
        Ok(QueryRequest {
            query: query.to_string(),
            filters: f.check()?,
            page: Page { limit, offset, order },
            by: by.map(parse_precision).transpose()?,
        })
    }

    /// What `query --json` prints.
    pub fn run(&self, index: &Index) -> Result<QueryResult> {
        answered(|| Ok(index::query_page(index, &self.query, &self.filters, &self.page, self.by)?))
    }

    /// The same answered by a cluster index.
    pub fn ask(&self, engine: &Engine) -> Result<QueryResult> {
        Ok(engine.query(&self.query, &self.filters, &self.page, self.by)?)
    }
}

/// The checked arguments of `who`.
#[derive(Debug, Clone)]
pub struct WhoRequest {
    pub phrase: String,
    pub filters: Filters,
    pub limit: usize,
    pub sort: Sort,
}

impl WhoRequest {
    pub fn parse(phrase: &str, f: &FilterParams, limit: usize, sort: &str) -> Result<WhoRequest> {
        let sort = match sort {
            "count" => Sort::Count,
            "date" => Sort::Date(limit.max(1)),
            other => return Err(bad(format!("--sort {other:?}: use count or date"))),
        };
        Ok(WhoRequest { phrase: phrase.to_string(), filters: f.check()?, limit, sort })
    }

    /// What `who --json` prints: at most `limit` speakers (at least one).
    pub fn run(&self, index: &Index) -> Result<WhoResult> {
        answered(|| {
            Ok(index::who_sorted(index, &self.phrase, &self.filters, self.sort, self.limit.max(1))?)
        })
    }

    /// The same answered by a cluster index.
    pub fn ask(&self, engine: &Engine) -> Result<WhoResult> {
        Ok(engine.who(&self.phrase, &self.filters, self.sort, self.limit.max(1))?)
    }
}

/// Whether a `who` answer found anything (the command line's exit code).
pub fn who_found(result: &WhoResult) -> bool {
    result.matched != MatchKind::None
}

/// The checked arguments of `timeline`.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    /// None: every speaker.
    pub speaker: Option<String>,
    pub query: String,
    pub filters: Filters,
    pub by: Precision,
}

impl TimelineRequest {
    pub fn parse(
        speaker: Option<&str>,
        query: &str,
        f: &FilterParams,
        by: &str,
    ) -> Result<TimelineRequest> {
        Ok(TimelineRequest {
            speaker: speaker.map(str::to_string),
            query: query.to_string(),
            filters: f.check()?,
            by: parse_precision(by)?,
        })
    }

    /// What `timeline --json` prints.
    pub fn run(&self, index: &Index) -> Result<Timeline> {
        answered(|| {
            Ok(index::timeline(
                index,
                self.speaker.as_deref(),
                &self.query,
                &self.filters,
                self.by,
            )?)
        })
    }

    /// The same answered by a cluster index.
    pub fn ask(&self, engine: &Engine) -> Result<Timeline> {
        Ok(engine.timeline(self.speaker.as_deref(), &self.query, &self.filters, self.by)?)
    }
}

/// Where questions are answered: a local index, or a cluster index (`--engine`).
/// A front end that serves both holds one and asks each request [`Backend`]-wise.
pub enum Backend {
    /// Boxed: an open index is three times the size of an engine.
    Local(Box<Index>),
    Cluster(Engine),
}

impl QueryRequest {
    pub fn on(&self, backend: &Backend) -> Result<QueryResult> {
        match backend {
            Backend::Local(index) => self.run(index),
            Backend::Cluster(engine) => self.ask(engine),
        }
    }
}

impl WhoRequest {
    pub fn on(&self, backend: &Backend) -> Result<WhoResult> {
        match backend {
            Backend::Local(index) => self.run(index),
            Backend::Cluster(engine) => self.ask(engine),
        }
    }
}

impl TimelineRequest {
    pub fn on(&self, backend: &Backend) -> Result<Timeline> {
        match backend {
            Backend::Local(index) => self.run(index),
            Backend::Cluster(engine) => self.ask(engine),
        }
    }
}

impl SpeakersRequest {
    /// Over a cluster, speakers' `articles` are counted only when at most
    /// `cluster::engine::COUNTED_SPEAKERS` are listed (0 otherwise).
    pub fn on(&self, backend: &Backend) -> Result<SpeakerList> {
        match backend {
            Backend::Local(index) => self.run(index),
            Backend::Cluster(engine) => Ok(engine.speakers(&self.prefix, self.limit)?),
        }
    }
}

/// What `stats --json` prints, from either place.
pub fn stats_on(backend: &Backend) -> Result<Stats> {
    match backend {
        Backend::Local(index) => stats(index),
        Backend::Cluster(engine) => Ok(engine.stats()?),
    }
}

/// The arguments of `speakers`.
#[derive(Debug, Clone)]
pub struct SpeakersRequest {
    pub prefix: String,
    /// 0: all.
    pub limit: usize,
}

impl SpeakersRequest {
    /// What `speakers --json` prints: from the table of the last commit.
    pub fn run(&self, index: &Index) -> Result<SpeakerList> {
        answered(|| Ok(index::speaker_table::load(index)?.list(&self.prefix, self.limit)))
    }
}

/// What `stats --json` prints.
pub fn stats(index: &Index) -> Result<Stats> {
    let mut stats = answered(|| Ok(index::stats(index)?))?;
    // Articles read, as ingest counts them: its file list keeps each file's count.
    // Not from a list whose commit the index lost: its files are not in the index.
    let commits = crate::ingest::files::commits(index)?;
    if let crate::ingest::files::Loaded::Found(files) =
        crate::ingest::files::load(index.dir(), &commits)
    {
        stats.articles_read = Some(files.values().flatten().map(|f| f.articles).sum());
    }
    Ok(stats)
}

/// `show ID` and `/api/article?id=ID`: the article with that id (exactly as hits
/// print it) and its statements; `None` when there is none (see [`unknown_article`]).
pub fn article(index: &Index, id: &str) -> Result<Option<ArticleView>> {
    if id.is_empty() {
        return Err(bad("no article id given: ids are printed with every hit (\"article ID\", \
             or \"article\" in --json)"
            .into()));
    }
    answered(|| Ok(index::article(index, id)?))
}

/// Ids suggested for an unknown one, at most this many.
const SUGGESTED_IDS: usize = 5;

/// What to say when no article has id `id`: the ids that start with it, else those
/// of its file (the part before `#`), else where ids are printed.
pub fn unknown_article(index: &Index, id: &str) -> Result<String> {
    answered(|| unknown_article_message(index, id))
}

fn unknown_article_message(index: &Index, id: &str) -> Result<String> {
    let mut message = format!("no article with id {id:?} in the index");
    let mut near = index.article_ids_starting_with(id, SUGGESTED_IDS)?;
    if near.is_empty() {
        if let Some((file, _)) = id.split_once('#') {
            near = index.article_ids_starting_with(&format!("{file}#"), SUGGESTED_IDS)?;
        }
    }
    if near.is_empty() {
        message.push_str(
            "; ids are printed with every hit (\"article ID\" in query and who, \"article\" \
             in --json), exactly as show takes them",
        );
    } else {
        let quoted: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
        let _ = std::fmt::Write::write_fmt(
            &mut message,
            format_args!("; ids like it: {}", quoted.join(", ")),
        );
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_with_messages_naming_the_flag() {
        let f = FilterParams {
            since: Some("2025-03".into()),
            until: Some("2025".into()),
            ..Default::default()
        };
        let checked = f.check().unwrap();
        assert_eq!(checked.since, Some(jiff::civil::date(2025, 3, 1)));
        assert_eq!(checked.until, Some(jiff::civil::date(2025, 12, 31)));
        let later = FilterParams {
            since: Some("2025-04".into()),
            until: Some("2025-03".into()),
            ..Default::default()
        };
        let e = later.check().unwrap_err();
        assert!(
            e.is_users_fault()
                && e.to_string().contains("--since 2025-04 is after --until 2025-03"),
            "{e}"
        );
        let kind = FilterParams { kind: Some("quoted".into()), ..Default::default() };
        assert_eq!(
            kind.check().unwrap_err().to_string(),
            "--kind \"quoted\": use direct, indirect or mixed"
        );
        let ty = FilterParams { speaker_type: Some("people".into()), ..Default::default() };
        assert!(ty.check().unwrap_err().to_string().starts_with("--speaker-type \"people\""));
    }

    #[test]
    fn bad_dates_sorts_and_periods_are_the_users_fault() {
        assert!(matches!(parse_day("date", Some("yesterday")), Err(Error::BadArgument(_))));
        assert_eq!(
            parse_day("date", Some("2025-03-13")).unwrap(),
            Some(jiff::civil::date(2025, 3, 13))
        );
        assert!(parse_precision("fortnight").unwrap_err().is_users_fault());
        assert_eq!(parse_precision("week").unwrap(), Precision::Week);
        assert!(WhoRequest::parse("x", &FilterParams::default(), 5, "alphabet").is_err());
        let none = FilterParams::default();
        let sorted = QueryRequest::parse("x", &none, (5, 10), Some("-date"), None).unwrap();
        assert_eq!(sorted.page, Page { limit: 5, offset: 10, order: HitOrder::Newest });
        let e = QueryRequest::parse("x", &none, (5, 0), Some("newest"), None).unwrap_err();
        assert!(e.is_users_fault() && e.to_string().starts_with("--sort \"newest\""), "{e}");
        assert_eq!(
            WhoRequest::parse("x", &FilterParams::default(), 5, "date").unwrap().sort,
            Sort::Date(5)
        );
    }

    #[test]
    fn index_failures_are_not_the_users_fault() {
        let e: Error = anyhow::anyhow!("disk on fire").into();
        assert!(!e.is_users_fault());
        let q: Error = index::Error::BadQuery("unbalanced".into()).into();
        assert!(q.is_users_fault());
        assert_eq!(q.to_string(), "bad query: unbalanced");
    }
}
