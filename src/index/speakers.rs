//! The index-wide speaker table: every speaker name in the index grouped with its
//! variants (the rules are in [`super::names`]), with statement and article counts.
//! Written to `speakers.json` in the index folder after each ingest; read by the
//! `speakers` command, by `--speaker` (any alias finds the person) and by `who`
//! (one entry per person).
//!
//! Known limits: rebuilt from scratch, reading one fast-field row per statement
//! (a fraction of a second per 100,000 statements); the table is stamped with the commit it was
//! made from, and a table from an older commit (an index written by another tool or
//! an interrupted ingest) is recomputed in memory on every read, not rewritten.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::names::cluster;
use super::rows::KeyMap;
use super::schema::{exact_analyzer, tokens, Index};
use super::sidecar::write_atomic;

/// The table's file name in the index folder.
pub const FILE: &str = "speakers.json";
/// The aliases alone, written beside the table: `who` needs only them, and at a
/// million articles they are 67 KB of the table's 2.4 MB (parsing the table was most
/// of a short `who` process).
pub const ALIASES_FILE: &str = "speaker-aliases.json";

/// One person (or description, or organization) and the names merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerEntry {
    /// The canonical name: the full name most statements use.
    pub speaker: String,
    /// The other names merged into it, most statements first.
    pub aliases: Vec<String>,
    pub statements: u64,
    pub articles: u64,
}

/// `speakers --json`.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerList {
    pub speakers: Vec<SpeakerEntry>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The index commit the table was computed from.
    opstamp: u64,
    /// [`super::names::fingerprint`] of the rules that made it.
    rules: u64,
    speakers: Vec<SpeakerEntry>,
}

/// Read back as [`BorrowedAliases`].
#[derive(Serialize)]
struct StoredAliases {
    opstamp: u64,
    rules: u64,
    /// (canonical name, its aliases), for the people that have aliases.
    people: Vec<(String, Vec<String>)>,
}

/// Alias → canonical name, for naming speakers as the table does.
#[derive(Debug, Clone, Default)]
pub struct Canonical(HashMap<String, String>);

impl Canonical {
    /// The canonical name for `name`; itself when it is no alias.
    pub fn of<'a>(&'a self, name: &'a str) -> &'a str {
        self.0.get(name).map_or(name, String::as_str)
    }

    fn from_people<'a>(people: impl Iterator<Item = (&'a String, &'a Vec<String>)>) -> Canonical {
        let mut map = HashMap::default();
        for (canonical, aliases) in people {
            for alias in aliases {
                map.insert(alias.clone(), canonical.clone());
            }
        }
        Canonical(map)
    }
}

/// Each name's person by [`speaker_key`](super::rows::speaker_key), for `who`, which
/// groups its matches by key and names only the people it shows.
#[derive(Debug, Default)]
pub(crate) struct PersonKeys {
    /// An alias's key → its person's (canonical name's) key.
    person: KeyMap<u64>,
    /// A person's key → the canonical name, for the people with aliases.
    name: KeyMap<String>,
}

impl PersonKeys {
    /// The person of the name with key `key`: itself unless it is an alias.
    pub(crate) fn person(&self, key: u64) -> u64 {
        self.person.get(&key).copied().unwrap_or(key)
    }

    /// The canonical name of `person` when that person has aliases. Otherwise every
    /// statement of the person is under the canonical name itself.
    pub(crate) fn name(&self, person: u64) -> Option<&str> {
        self.name.get(&person).map(String::as_str)
    }

    fn from_people<'a>(people: impl Iterator<Item = (&'a str, Vec<&'a str>)>) -> PersonKeys {
        let key = super::rows::speaker_key;
        let mut keys = PersonKeys::default();
        for (canonical, aliases) in people {
            let person = key(canonical);
            keys.name.insert(person, canonical.to_string());
            keys.person.extend(aliases.into_iter().map(|alias| (key(alias), person)));
        }
        keys
    }
}

/// The speaker table, with a lookup from any alias to its entry.
#[derive(Debug, Clone, Default)]
pub struct Speakers {
    entries: Vec<SpeakerEntry>,
    /// Aliases only: a canonical name maps to itself without a lookup, and most
    /// names have no alias (hashing every name was most of a `who` process's start
    /// on a 1M-article index).
    aliases: Canonical,
}

impl Speakers {
    fn new(entries: Vec<SpeakerEntry>) -> Speakers {
        let aliases = Canonical::from_people(entries.iter().map(|e| (&e.speaker, &e.aliases)));
        Speakers { entries, aliases }
    }

    /// Its aliases by key, for [`person_keys`].
    fn person_keys(&self) -> PersonKeys {
        let with_aliases = self.entries.iter().filter(|e| !e.aliases.is_empty());
        PersonKeys::from_people(with_aliases.map(|e| (e.speaker.as_str(), e.aliases.iter().map(String::as_str).collect())))
    }

    /// Most statements first.
    pub fn entries(&self) -> &[SpeakerEntry] {
        &self.entries
    }

    /// The canonical name for `name` as stored in the index; itself when unknown.
    pub fn canonical<'a>(&'a self, name: &'a str) -> &'a str {
        self.aliases.of(name)
    }

    /// Every stored name of every person that one of `wanted` names, by a whole name
    /// (case-insensitive) or by words of one ("kovalsky" finds "Anna Kovalsky",
    /// and with it "Anna Kovalskyy").
    pub fn expand(&self, wanted: &[String]) -> BTreeSet<String> {
        let mut analyzer = exact_analyzer();
        let wanted: Vec<(String, Vec<String>)> = wanted.iter().map(|w| (w.to_lowercase(), tokens(&mut analyzer, w))).collect();
        let mut out = BTreeSet::new();
        for e in &self.entries {
            let names = || std::iter::once(&e.speaker).chain(&e.aliases);
            let hit = names().any(|name| {
                // Tokens of an ASCII name are its lower-cased letter and digit runs, so
                // a name without the first wanted word in any case cannot match: most
                // names are passed over without being tokenized.
                if name.is_ascii() && !wanted.iter().any(|(_, w)| w.first().is_none_or(|first| contains_ci(name, first))) {
                    return false;
                }
                let words = tokens(&mut analyzer, name);
                wanted.iter().any(|(lower, w)| name.to_lowercase() == *lower || contains_run(&words, w))
            });
            if hit {
                out.extend(names().cloned());
            }
        }
        out
    }

    /// Entries with a name, or a word of one, starting with `prefix` (any case and
    /// accents); all when it is empty. At most `limit` (0: all).
    pub fn list(&self, prefix: &str, limit: usize) -> SpeakerList {
        let mut analyzer = exact_analyzer();
        let prefix = tokens(&mut analyzer, prefix).join(" ");
        let speakers = self
            .entries
            .iter()
            .filter(|e| {
                prefix.is_empty()
                    || std::iter::once(&e.speaker).chain(&e.aliases).any(|name| {
                        let name = tokens(&mut analyzer, name).join(" ");
                        name.starts_with(&prefix) || name.contains(&format!(" {prefix}"))
                    })
            })
            .take(if limit == 0 { usize::MAX } else { limit })
            .cloned()
            .collect();
        SpeakerList { speakers }
    }
}

/// Whether ASCII `haystack` contains `needle` ignoring ASCII case.
fn contains_ci(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Whether `run` occurs in `words` as consecutive words.
fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

fn opstamp(index: &Index) -> Result<u64> {
    Ok(index.inner.load_metas().context("reading index metadata")?.opstamp)
}

/// Statements and articles per stored speaker name, read from the fast fields.
/// Ords are counted per segment and their strings read by streaming each
/// dictionary once: looking a string up per statement is ~30 times slower.
/// Articles are kept as numbers (see `rows::article_key`): all the statements of an
/// article are in one segment, so its segment and ordinal name it, and collecting
/// their ids as strings was two thirds of the table's build. Each name's articles
/// are listed once.
fn count_names(index: &Index) -> Result<HashMap<String, (u64, Vec<u64>)>> {
    let searcher = index.searcher()?;
    // Segments are counted on all cores, then added up.
    let per_segment: Vec<Vec<(String, u64, Vec<u64>)>> = searcher
        .segment_readers()
        .par_iter()
        .enumerate()
        .map(|(ordinal, segment)| count_segment(ordinal, segment))
        .collect::<Result<_>>()?;
    let mut per_name: HashMap<String, (u64, Vec<u64>)> = HashMap::default();
    for (name, n, arts) in per_segment.into_iter().flatten() {
        let entry = per_name.entry(name).or_default();
        entry.0 += n;
        entry.1.extend(arts);
    }
    Ok(per_name)
}

/// [`count_names`] of one segment, the `ordinal`th: each stored name with its
/// statements and articles there.
fn count_segment(ordinal: usize, segment: &tantivy::SegmentReader) -> Result<Vec<(String, u64, Vec<u64>)>> {
    let ff = segment.fast_fields();
    let (Some(speaker), article) = (ff.str("speaker")?, ff.str("article")?) else { return Ok(Vec::new()) };
    let ordinal = u32::try_from(ordinal).context("too many segments")?;
    let alive = segment.alive_bitset();
    let mut counts: HashMap<u64, (u64, BTreeSet<u64>)> = HashMap::default();
    for doc in 0..segment.max_doc() {
        if alive.is_some_and(|a| !a.is_alive(doc)) {
            continue;
        }
        let Some(s) = speaker.term_ords(doc).next() else { continue };
        let entry = counts.entry(s).or_default();
        entry.0 += 1;
        entry.1.extend(article.as_ref().and_then(|a| a.term_ords(doc).next()));
    }
    let speakers = all_terms(&speaker)?;
    Ok(counts
        .into_iter()
        .filter_map(|(ord, (n, arts))| {
            let name = usize::try_from(ord).ok().and_then(|o| speakers.get(o))?;
            Some((name.clone(), n, arts.into_iter().map(|a| super::rows::article_key(ordinal, a)).collect()))
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
    let per_name = count_names(index)?;
    let names: Vec<(String, u64)> = per_name.iter().map(|(n, (c, _))| (n.clone(), *c)).collect();
    let articles_of = |name: &String| per_name.get(name).map_or(&[][..], |(_, a)| a.as_slice());
    let mut entries: Vec<SpeakerEntry> = cluster(&names)
        .into_par_iter()
        .map(|c| {
            // A name's articles are distinct (see `count_names`): only the names of
            // one person need a union.
            let articles = match c.members.as_slice() {
                [(name, _)] => articles_of(name).len(),
                members => members.iter().flat_map(|(name, _)| articles_of(name)).collect::<BTreeSet<_>>().len(),
            };
            SpeakerEntry {
                statements: c.members.iter().map(|m| m.1).sum(),
                articles: articles as u64,
                aliases: c.members.iter().filter(|m| m.0 != c.canonical).map(|m| m.0.clone()).collect(),
                speaker: c.canonical,
            }
        })
        .collect();
    entries.sort_by(|a, b| (std::cmp::Reverse((a.statements, a.articles)), &a.speaker).cmp(&(std::cmp::Reverse((b.statements, b.articles)), &b.speaker)));
    Ok(Speakers::new(entries))
}

/// Computes the table and writes it to the index folder (atomically: a reader sees
/// the old table or the new one, never half of one).
pub fn rebuild(index: &Index) -> Result<Speakers> {
    let stamp = opstamp(index)?;
    let table = build(index)?;
    let rules = super::names::fingerprint();
    let body = serde_json::to_vec(&Stored { opstamp: stamp, rules, speakers: table.entries.clone() })?;
    write_atomic(&index.dir.join(FILE), &body)?;
    let people = table.entries.iter().filter(|e| !e.aliases.is_empty()).map(|e| (e.speaker.clone(), e.aliases.clone())).collect();
    let body = serde_json::to_vec(&StoredAliases { opstamp: stamp, rules, people })?;
    write_atomic(&index.dir.join(ALIASES_FILE), &body)?;
    Ok(table)
}

/// The table of commit `stamp` as stored, if `speakers.json` was made from that
/// commit by these rules.
fn stored(index: &Index, stamp: u64) -> Option<Speakers> {
    std::fs::read(index.dir.join(FILE))
        .ok()
        .and_then(|body| serde_json::from_slice::<Stored>(&body).ok())
        .filter(|s| s.opstamp == stamp && s.rules == super::names::fingerprint())
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
    let kept = index.speakers.lock().ok().and_then(|c| c.as_ref().filter(|(s, _)| *s == stamp).map(|(_, t)| Arc::clone(t)));
    if let Some(table) = kept {
        return Ok(table.person_keys());
    }
    let body = std::fs::read(index.dir.join(ALIASES_FILE)).ok();
    let stored = body
        .as_deref()
        .and_then(|body| serde_json::from_slice::<BorrowedAliases>(body).ok())
        .filter(|s| s.opstamp == stamp && s.rules == super::names::fingerprint());
    match stored {
        Some(s) => Ok(PersonKeys::from_people(
            s.people.iter().map(|(c, a)| (c.0.as_ref(), a.iter().map(|n| n.0.as_ref()).collect())),
        )),
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
}

#[derive(Deserialize)]
struct Name<'a>(#[serde(borrow)] Cow<'a, str>);

/// A table kept by an [`Index`] handle, with the commit it was made from.
pub(crate) type Cache = Arc<Mutex<Option<(u64, Arc<Speakers>)>>>;

/// The table of the index's last commit: from `speakers.json` when it was made
/// from that commit by these rules, else computed now.
///
/// A table read from the file is kept in the [`Index`] handle until the next commit,
/// so a long-lived handle (`whosaid serve`) parses the file once, not per request
/// (a tenth of a second at 30,000 names). A table computed now is not kept: it comes
/// from the reader, which may still be on the commit before.
pub fn load(index: &Index) -> Result<Arc<Speakers>> {
    let stamp = opstamp(index)?;
    let cache = index.speakers.lock().ok().and_then(|c| c.as_ref().filter(|(s, _)| *s == stamp).map(|(_, t)| Arc::clone(t)));
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

    fn entry(speaker: &str, aliases: &[&str], statements: u64) -> SpeakerEntry {
        SpeakerEntry { speaker: speaker.into(), aliases: aliases.iter().map(|a| a.to_string()).collect(), statements, articles: 1 }
    }

    #[test]
    fn person_keys_read_the_alias_file_escaped_names_included() {
        let key = super::super::rows::speaker_key;
        let people = vec![
            ("Ann Lee".to_string(), vec!["Lee".to_string(), "Ann \"Annie\" Lee".to_string()]),
            ("Tom Baker".to_string(), vec!["T. Baker".to_string()]),
        ];
        let body = serde_json::to_vec(&StoredAliases { opstamp: 7, rules: 1, people }).unwrap();
        let read: BorrowedAliases = serde_json::from_slice(&body).unwrap();
        let keys = PersonKeys::from_people(read.people.iter().map(|(c, a)| (c.0.as_ref(), a.iter().map(|n| n.0.as_ref()).collect())));
        assert_eq!(keys.person(key("Ann \"Annie\" Lee")), key("Ann Lee"));
        assert_eq!(keys.person(key("Lee")), key("Ann Lee"));
        assert_eq!(keys.person(key("T. Baker")), key("Tom Baker"));
        assert_eq!(keys.person(key("Ivan Petrov")), key("Ivan Petrov"));
        assert_eq!(keys.name(key("Ann Lee")), Some("Ann Lee"));
        assert_eq!(keys.name(key("Ivan Petrov")), None);
        // The table a long-lived handle keeps gives the same keys.
        let table = Speakers::new(vec![entry("Ann Lee", &["Lee", "Ann \"Annie\" Lee"], 3), entry("Ivan Petrov", &[], 1)]);
        assert_eq!(table.person_keys().person(key("Lee")), key("Ann Lee"));
        assert_eq!(table.person_keys().name(key("Ivan Petrov")), None);
    }

    fn table() -> Speakers {
        Speakers::new(vec![
            entry("Harriet Dawson", &["Harriet Quill Dawson", "H. Dawson"], 5),
            entry("Bert Dawson", &[], 3),
            entry("Mykola Brovarsky", &["Mykola Brovarskyy"], 2),
        ])
    }

    #[test]
    fn any_alias_expands_to_the_person() {
        let t = table();
        let all = |w: &str| t.expand(&[w.to_string()]).into_iter().collect::<Vec<_>>();
        assert_eq!(all("harriet quill dawson"), ["H. Dawson", "Harriet Dawson", "Harriet Quill Dawson"]);
        assert_eq!(all("brovarskyy"), ["Mykola Brovarsky", "Mykola Brovarskyy"]);
        assert_eq!(all("Dawson").len(), 4);
        assert!(all("Daw").is_empty());
        assert_eq!(t.canonical("H. Dawson"), "Harriet Dawson");
        assert_eq!(t.canonical("Nobody"), "Nobody");
    }

    #[test]
    fn list_by_prefix_of_any_word() {
        let t = table();
        let names = |p: &str, n: usize| t.list(p, n).speakers.into_iter().map(|e| e.speaker).collect::<Vec<_>>();
        assert_eq!(names("daw", 0), ["Harriet Dawson", "Bert Dawson"]);
        assert_eq!(names("daw", 1), ["Harriet Dawson"]);
        assert_eq!(names("quill", 0), ["Harriet Dawson"]);
        assert_eq!(names("", 0).len(), 3);
        assert!(names("x", 0).is_empty());
    }
}
