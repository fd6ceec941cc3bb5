//! Building, storing and loading the speaker table: names counted from the index's
//! fast fields, grouped into people by `crate::people`, written to `speakers.json`
//! (and the aliases alone to `speaker-aliases.json`) after each ingest, and read
//! back by searches when it was made from the index's last commit by these rules.
//!
//! Known limits: a table older than the last commit is rebuilt in the searching
//! process (about a second at a million articles) and not stored.

use std::borrow::Cow;
use std::sync::Arc;

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::*;
use crate::index::atomic_file::write_atomic;
use crate::index::Index;
use crate::people::cluster;
use crate::statement::SpeakerType;

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The index commit the table was computed from.
    opstamp: u64,
    /// [`crate::people::fingerprint`] of the rules that made it.
    rules: u64,
    speakers: Vec<SpeakerEntry>,
}

/// Read back as [`BorrowedAliases`].
#[derive(Serialize)]
struct StoredAliases {
    opstamp: u64,
    rules: u64,
    /// (canonical name, its aliases), for the named speakers that have aliases.
    people: Vec<(String, Vec<String>)>,
    /// The same for unnamed speakers (descriptions written alike).
    unnamed: Vec<(String, Vec<String>)>,
}

fn opstamp(index: &Index) -> Result<u64> {
    Ok(index.inner.load_metas().context("reading index metadata")?.opstamp)
}

/// What the table counts of one stored name (of an unnamed speaker or not).
#[derive(Debug, Default)]
struct NameCounts {
    statements: u64,
    types: TypeCounts,
    /// Its articles (see `collect::rows::article_key`), each once.
    articles: Vec<u64>,
}

/// Statements, types and articles per stored speaker name, and whether it is an
/// unnamed speaker's, read from the fast fields.
/// Ords are counted per segment and their strings read by streaming each
/// dictionary once: looking a string up per statement is ~30 times slower.
/// Articles are kept as numbers (see `collect::rows::article_key`): all the statements of an
/// article are in one segment, so its segment and ordinal name it, and collecting
/// their ids as strings was two thirds of the table's build. Each name's articles
/// are listed once.
fn count_names(index: &Index) -> Result<HashMap<(String, bool), NameCounts>> {
    let searcher = index.searcher()?;
    // Segments are counted on all cores, then added up.
    let per_segment: Vec<Vec<SegmentName>> = searcher
        .segment_readers()
        .par_iter()
        .enumerate()
        .map(|(ordinal, segment)| count_segment(ordinal, segment))
        .collect::<Result<_>>()?;
    let mut per_name: HashMap<(String, bool), NameCounts> = HashMap::default();
    for (name, ty, n, arts) in per_segment.into_iter().flatten() {
        let entry = per_name.entry((name, speaker_key::is_unnamed(ty))).or_default();
        entry.statements += n;
        entry.types.add(ty, n);
        entry.articles.extend(arts);
    }
    // One name of one article can have statements of two types (a person in one
    // statement, an organization in another).
    for counts in per_name.values_mut() {
        counts.articles.sort_unstable();
        counts.articles.dedup();
    }
    Ok(per_name)
}

/// A stored name and type with its statements and articles in one segment.
type SegmentName = (String, Option<SpeakerType>, u64, Vec<u64>);

/// [`count_names`] of one segment, the `ordinal`th: each stored name and type with
/// its statements and articles there.
fn count_segment(ordinal: usize, segment: &tantivy::SegmentReader) -> Result<Vec<SegmentName>> {
    let ff = segment.fast_fields();
    let (Some(speaker), article) = (ff.str("speaker")?, ff.str("article")?) else {
        return Ok(Vec::new());
    };
    let speaker_type = ff.str("speaker_type")?;
    let ordinal = u32::try_from(ordinal).context("too many segments")?;
    let alive = segment.alive_bitset();
    let mut counts: HashMap<(u64, Option<u64>), (u64, BTreeSet<u64>)> = HashMap::default();
    for doc in 0..segment.max_doc() {
        if alive.is_some_and(|a| !a.is_alive(doc)) {
            continue;
        }
        let Some(s) = speaker.term_ords(doc).next() else { continue };
        let ty = speaker_type.as_ref().and_then(|t| t.term_ords(doc).next());
        let entry = counts.entry((s, ty)).or_default();
        entry.0 += 1;
        entry.1.extend(article.as_ref().and_then(|a| a.term_ords(doc).next()));
    }
    let speakers = all_terms(&speaker)?;
    let types: Vec<Option<SpeakerType>> = match &speaker_type {
        Some(column) => all_terms(column)?.iter().map(|t| speaker_key::parse_type(t)).collect(),
        None => Vec::new(),
    };
    Ok(counts
        .into_iter()
        .filter_map(|((ord, ty), (n, arts))| {
            let name = usize::try_from(ord).ok().and_then(|o| speakers.get(o))?;
            let ty = ty.and_then(|t| types.get(usize::try_from(t).ok()?).copied().flatten());
            Some((
                name.clone(),
                ty,
                n,
                arts.into_iter()
                    .map(|a| crate::index::collect::rows::article_key(ordinal, a))
                    .collect(),
            ))
        })
        .collect())
}

/// Every term of a fast-field dictionary, by ord.
fn all_terms(column: &tantivy::columnar::StrColumn) -> Result<Vec<String>> {
    let dict = column.dictionary();
    let mut out = Vec::with_capacity(dict.num_terms());
    let mut stream = dict.stream()?;
    while stream.advance() {
        out.push(String::from_utf8_lossy(stream.key()).into_owned());
    }
    Ok(out)
}

/// Computes the table from the index's statements.
pub fn build(index: &Index) -> Result<Speakers> {
    Ok(from_names(count_names(index)?))
}

/// The table of names counted elsewhere (a cluster's aggregations): statements per
/// type of each stored name, keyed by the name and whether it is an unnamed
/// speaker's. Without the names' articles, every entry's `articles` is 0.
pub fn from_type_counts(names: HashMap<(String, bool), TypeCounts>) -> Speakers {
    from_names(
        names
            .into_iter()
            .map(|(name, types)| {
                let statements = types.person + types.organization + types.unnamed + types.untyped;
                (name, NameCounts { statements, types, articles: Vec::new() })
            })
            .collect(),
    )
}

fn from_names(per_name: HashMap<(String, bool), NameCounts>) -> Speakers {
    let mut entries: Vec<SpeakerEntry> = Vec::new();
    // Named and unnamed speakers are grouped apart: a description is nobody's alias.
    for unnamed in [false, true] {
        let names: Vec<(String, u64)> = per_name
            .iter()
            .filter(|((_, u), _)| *u == unnamed)
            .map(|((n, _), c)| (n.clone(), c.statements))
            .collect();
        let counts_of = |name: &String| per_name.get(&(name.clone(), unnamed));
        let articles_of =
            |name: &String| counts_of(name).map_or(&[][..], |c| c.articles.as_slice());
        entries.par_extend(cluster(&names).into_par_iter().map(|c| {
            // A name's articles are distinct (see `count_names`): only the names of
            // one person need a union.
            let articles = match c.members.as_slice() {
                [(name, _)] => articles_of(name).len(),
                members => members
                    .iter()
                    .flat_map(|(name, _)| articles_of(name))
                    .collect::<BTreeSet<_>>()
                    .len(),
            };
            let mut types = TypeCounts::default();
            for (name, _) in &c.members {
                types.merge(&counts_of(name).map(|c| c.types).unwrap_or_default());
            }
            SpeakerEntry {
                statements: c.members.iter().map(|m| m.1).sum(),
                articles: articles as u64,
                aliases: c
                    .members
                    .iter()
                    .filter(|m| m.0 != c.canonical)
                    .map(|m| m.0.clone())
                    .collect(),
                speaker_type: if unnamed { Some(SpeakerType::Unnamed) } else { types.shown() },
                speaker: c.canonical,
            }
        }));
    }
    entries.sort_by_cached_key(SpeakerEntry::order);
    Speakers::new(entries)
}

/// Computes the table and writes it to the index folder (atomically: a reader sees
/// the old table or the new one, never half of one).
pub fn rebuild(index: &Index) -> Result<Speakers> {
    let stamp = opstamp(index)?;
    let table = build(index)?;
    let rules = crate::people::fingerprint();
    let body =
        serde_json::to_vec(&Stored { opstamp: stamp, rules, speakers: table.entries.clone() })?;
    write_atomic(&index.dir.join(FILE), &body)?;
    let with_aliases = |unnamed: bool| {
        table
            .entries
            .iter()
            .filter(|e| !e.aliases.is_empty() && e.is_unnamed() == unnamed)
            .map(|e| (e.speaker.clone(), e.aliases.clone()))
            .collect()
    };
    let body = serde_json::to_vec(&StoredAliases {
        opstamp: stamp,
        rules,
        people: with_aliases(false),
        unnamed: with_aliases(true),
    })?;
    write_atomic(&index.dir.join(ALIASES_FILE), &body)?;
    Ok(table)
}

/// The table of commit `stamp` as stored, if `speakers.json` was made from that
/// commit by these rules.
fn stored(index: &Index, stamp: u64) -> Option<Speakers> {
    std::fs::read(index.dir.join(FILE))
        .ok()
        .and_then(|body| serde_json::from_slice::<Stored>(&body).ok())
        .filter(|s| s.opstamp == stamp && s.rules == crate::people::fingerprint())
        .map(|s| Speakers::new(s.speakers))
}

/// The people of the index's last commit by key: from the table a long-lived handle
/// keeps, else from `speaker-aliases.json` when it was made from that commit by these
/// rules, else from [`load`].
///
/// The file's names are borrowed while it is read, not copied: parsing it into owned
/// strings and a map of them was half of a short `who` process's instructions.
pub(crate) fn person_keys(index: &Index) -> Result<PersonKeys> {
    let stamp = opstamp(index)?;
    let kept = index
        .speakers
        .lock()
        .ok()
        .and_then(|c| c.as_ref().filter(|(s, _)| *s == stamp).map(|(_, t)| Arc::clone(t)));
    if let Some(table) = kept {
        return Ok(table.person_keys());
    }
    let body = std::fs::read(index.dir.join(ALIASES_FILE)).ok();
    let stored = body
        .as_deref()
        .and_then(|body| serde_json::from_slice::<BorrowedAliases>(body).ok())
        .filter(|s| s.opstamp == stamp && s.rules == crate::people::fingerprint());
    match stored {
        Some(s) => Ok(s.person_keys()),
        None => Ok(load(index)?.person_keys()),
    }
}

/// [`StoredAliases`] as read: names borrowed from the file where they need no
/// unescaping.
#[derive(Deserialize)]
struct BorrowedAliases<'a> {
    opstamp: u64,
    rules: u64,
    #[serde(borrow)]
    people: Vec<(Name<'a>, Vec<Name<'a>>)>,
    #[serde(borrow, default)]
    unnamed: Vec<(Name<'a>, Vec<Name<'a>>)>,
}

#[derive(Deserialize)]
struct Name<'a>(#[serde(borrow)] Cow<'a, str>);

impl BorrowedAliases<'_> {
    /// Each name's person by key, named and unnamed speakers apart.
    fn person_keys(&self) -> PersonKeys {
        fn names<'b>(
            (canonical, aliases): &'b (Name<'_>, Vec<Name<'_>>),
        ) -> (&'b str, Vec<&'b str>) {
            (canonical.0.as_ref(), aliases.iter().map(|n| n.0.as_ref()).collect())
        }
        let named = self.people.iter().map(names).map(|(c, a)| (c, a, false));
        let unnamed = self.unnamed.iter().map(names).map(|(c, a)| (c, a, true));
        PersonKeys::from_people(named.chain(unnamed))
    }
}

/// The table of the index's last commit: from `speakers.json` when it was made
/// from that commit by these rules, else computed now.
///
/// A table read from the file is kept in the [`Index`] handle until the next commit,
/// so a long-lived handle (`whosaid serve`) parses the file once, not per request
/// (a tenth of a second at 30,000 names). A table computed now is not kept: it comes
/// from the reader, which may still be on the commit before.
pub fn load(index: &Index) -> Result<Arc<Speakers>> {
    let stamp = opstamp(index)?;
    let cache = index
        .speakers
        .lock()
        .ok()
        .and_then(|c| c.as_ref().filter(|(s, _)| *s == stamp).map(|(_, t)| Arc::clone(t)));
    if let Some(table) = cache {
        return Ok(table);
    }
    match stored(index, stamp) {
        Some(table) => {
            let table = Arc::new(table);
            if let Ok(mut cache) = index.speakers.lock() {
                *cache = Some((stamp, Arc::clone(&table)));
            }
            Ok(table)
        }
        None => Ok(Arc::new(build(index)?)),
    }
}

/// The stored table if it is current, else [`rebuild`]: an ingest that changed
/// nothing still repairs a table an interrupted run left stale.
pub fn ensure(index: &Index) -> Result<Speakers> {
    match stored(index, opstamp(index)?) {
        Some(table) => Ok(table),
        None => rebuild(index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(speaker: &str, ty: SpeakerType, aliases: &[&str], statements: u64) -> SpeakerEntry {
        SpeakerEntry {
            speaker: speaker.into(),
            speaker_type: Some(ty),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            statements,
            articles: 1,
        }
    }

    fn entry(speaker: &str, aliases: &[&str], statements: u64) -> SpeakerEntry {
        typed(speaker, SpeakerType::Person, aliases, statements)
    }

    #[test]
    fn person_keys_read_the_alias_file_escaped_names_included() {
        let key = |name: &str| speaker_key::key(name, false);
        let people = vec![
            ("Ann Lee".to_string(), vec!["Lee".to_string(), "Ann \"Annie\" Lee".to_string()]),
            ("Tom Baker".to_string(), vec!["T. Baker".to_string()]),
        ];
        let unnamed = vec![("officials".to_string(), vec!["Officials".to_string()])];
        let body =
            serde_json::to_vec(&StoredAliases { opstamp: 7, rules: 1, people, unnamed }).unwrap();
        let read: BorrowedAliases = serde_json::from_slice(&body).unwrap();
        let keys = read.person_keys();
        assert_eq!(keys.person(key("Ann \"Annie\" Lee")), key("Ann Lee"));
        assert_eq!(keys.person(key("Lee")), key("Ann Lee"));
        assert_eq!(keys.person(key("T. Baker")), key("Tom Baker"));
        assert_eq!(keys.person(key("Ivan Petrov")), key("Ivan Petrov"));
        assert_eq!(keys.name(key("Ann Lee")), Some("Ann Lee"));
        assert_eq!(keys.name(key("Ivan Petrov")), None);
        assert_eq!(keys.canonical("Officials", true), "officials");
        assert_eq!(
            keys.canonical("Officials", false),
            "Officials",
            "a named speaker is not an unnamed one's alias"
        );
        // The table a long-lived handle keeps gives the same keys.
        let table = Speakers::new(vec![
            entry("Ann Lee", &["Lee", "Ann \"Annie\" Lee"], 3),
            entry("Ivan Petrov", &[], 1),
        ]);
        assert_eq!(table.person_keys().person(key("Lee")), key("Ann Lee"));
        assert_eq!(table.person_keys().name(key("Ivan Petrov")), None);
    }

    fn table() -> Speakers {
        Speakers::new(vec![
            entry("Harriet Dawson", &["Harriet Quill Dawson", "H. Dawson"], 5),
            entry("Bert Dawson", &[], 3),
            entry("Mykola Brovarsky", &["Mykola Brovarskyy"], 2),
            typed("analysts", SpeakerType::Unnamed, &[], 2),
            typed("Analysts", SpeakerType::Organization, &[], 1),
            typed("officials", SpeakerType::Unnamed, &[], 1),
            entry("Jo Baker", &[], 9),
            entry("Jo Baker Jr.", &[], 2),
            entry("Ann Baker", &[], 1),
            entry("José López", &[], 1),
        ])
    }

    fn found(t: &Speakers, wanted: &str) -> Option<String> {
        t.find(wanted).unwrap_or_else(|e| panic!("{wanted}: {e}")).map(SpeakerEntry::label)
    }

    #[test]
    fn a_speaker_value_selects_one_entry_by_any_of_its_names() {
        let t = table();
        assert_eq!(found(&t, "harriet quill dawson").as_deref(), Some("Harriet Dawson"));
        assert_eq!(found(&t, "H Dawson").as_deref(), Some("Harriet Dawson"));
        assert_eq!(
            found(&t, "brovarskyy").as_deref(),
            Some("Mykola Brovarsky"),
            "a surname only one person has"
        );
        assert_eq!(found(&t, "Jose Lopez").as_deref(), Some("José López"));
        assert_eq!(found(&t, "lopez").as_deref(), Some("José López"));
        assert_eq!(found(&t, "Daw"), None);
        assert_eq!(found(&t, "Harriet"), None, "a first name selects nobody");
        assert_eq!(found(&t, "dawson harriet"), None);
        assert_eq!(found(&t, "   "), None);
        let err = t.find("Dawson").unwrap_err();
        assert_eq!(err.candidates, ["Harriet Dawson", "Bert Dawson"]);
        assert!(err.to_string().contains("give the full name"), "{err}");
        assert_eq!(t.canonical("H. Dawson", false), "Harriet Dawson");
        assert_eq!(t.canonical("H. Dawson", true), "H. Dawson");
        assert_eq!(t.canonical("Nobody", false), "Nobody");
    }

    #[test]
    fn a_full_name_is_never_its_junior_nor_a_relative() {
        let t = table();
        assert_eq!(found(&t, "Jo Baker").as_deref(), Some("Jo Baker"));
        assert_eq!(found(&t, "jo baker jr").as_deref(), Some("Jo Baker Jr."));
        assert_eq!(found(&t, "Ann Baker").as_deref(), Some("Ann Baker"));
        assert_eq!(found(&t, "Jo"), None);
        let err = t.find("Baker").unwrap_err();
        assert_eq!(err.candidates, ["Jo Baker", "Jo Baker Jr.", "Ann Baker"]);
        // With "Baker" merged into one of them (the articles call him that), it is his.
        let merged =
            Speakers::new(vec![entry("Jo Baker", &["Baker"], 9), entry("Ann Baker", &[], 1)]);
        assert_eq!(found(&merged, "BAKER").as_deref(), Some("Jo Baker"));
    }

    #[test]
    fn unnamed_speakers_are_selected_apart_from_named_ones() {
        let t = table();
        assert_eq!(found(&t, "unnamed: analysts").as_deref(), Some("unnamed: analysts"));
        assert_eq!(found(&t, "Analysts").as_deref(), Some("Analysts"), "the named one first");
        assert_eq!(
            found(&t, "officials").as_deref(),
            Some("unnamed: officials"),
            "else the unnamed one"
        );
        assert_eq!(found(&t, "unnamed: Jo Baker"), None);
        assert_eq!(found(&t, "unnamed: nobody"), None);
        let analysts =
            t.find("unnamed: analysts").ok().flatten().map(|e| e.keys().collect::<Vec<_>>());
        assert_eq!(analysts, Some(vec![speaker_key::key("analysts", true)]));
    }

    #[test]
    fn list_by_prefix_of_any_word() {
        let t = table();
        let names = |p: &str, n: usize| {
            t.list(p, n).speakers.into_iter().map(|e| e.label).collect::<Vec<_>>()
        };
        assert_eq!(names("daw", 0), ["Harriet Dawson", "Bert Dawson"]);
        assert_eq!(names("daw", 1), ["Harriet Dawson"]);
        assert_eq!(names("quill", 0), ["Harriet Dawson"]);
        assert_eq!(names("", 0).len(), 10);
        assert_eq!(names("unnamed", 0), ["unnamed: analysts", "unnamed: officials"]);
        assert_eq!(names("analysts", 0), ["unnamed: analysts", "Analysts"]);
        assert!(names("x", 0).is_empty());
    }
}
