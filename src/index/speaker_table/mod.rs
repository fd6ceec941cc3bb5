//! The index-wide speaker table: every speaker name in the index grouped with its
//! variants (the rules are in [`crate::people`]), with statement and article counts
//! and the speaker's type. Written to `speakers.json` in the index folder after each
//! ingest; read by the `speakers` command, by `--speaker` ([`Speakers::find`]) and by
//! `who` and the facets (one entry per person).
//!
//! Unnamed speakers ("analysts", see [`crate::index::speaker_key`]) are grouped only among
//! themselves, so a description is never a person's alias, and the unnamed
//! "analysts" and a person called "Analysts" are two entries.
//!
//! `--speaker NAME` selects exactly one entry ([`Speakers::find`]), comparing names
//! as the search does (case, accents and punctuation aside): the entry with NAME
//! among its names (canonical name or a variant merged into it); else the unnamed
//! speaker of that name ("unnamed: NAME" asks for that one only); else the one person
//! with NAME as the last words of a name (a surname, "Jr." aside). A surname several
//! people have is an [`AmbiguousSpeaker`] error: "Baker" selects neither "Jo
//! Baker" nor "Jo Baker Jr." nor "Ann Baker" unless the articles call one of
//! them "Baker" often enough for the name to be merged into that person (see
//! [`crate::people`]). A first name alone selects nobody.
//!
//! Known limits: rebuilt from scratch, reading one fast-field row per statement
//! (a fraction of a second per 100,000 statements); the table is stamped with the commit it was
//! made from, and a table from an older commit (an index written by another tool or
//! an interrupted ingest) is recomputed in memory on every read, not rewritten.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

mod build;

pub(crate) use build::person_keys;
pub use build::{build, ensure, from_type_counts, load, rebuild};

use crate::index::collect::rows::KeyMap;
use crate::index::speaker_key::{self, TypeCounts, Wanted};
use crate::statement::SpeakerType;
use crate::words::{exact_analyzer, tokens};

/// The table's file name in the index folder.
pub const FILE: &str = "speakers.json";
/// The aliases alone, written beside the table: `who` needs only them, and at a
/// million articles they are 67 KB of the table's 2.4 MB (parsing the table was most
/// of a short `who` process).
pub const ALIASES_FILE: &str = "speaker-aliases.json";

/// One person (or organization, or unnamed description) and the names merged into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerEntry {
    /// The canonical name: the full name most statements use.
    pub speaker: String,
    /// `unnamed` for a description nobody in the articles names; else `person` or
    /// `organization`, whichever most of its statements have; null when none has a type.
    pub speaker_type: Option<SpeakerType>,
    /// The other names merged into it, most statements first.
    pub aliases: Vec<String>,
    pub statements: u64,
    pub articles: u64,
}

impl SpeakerEntry {
    pub fn is_unnamed(&self) -> bool {
        speaker_key::is_unnamed(self.speaker_type)
    }

    /// "unnamed: analysts", or the canonical name.
    pub fn label(&self) -> String {
        speaker_key::label(&self.speaker, self.speaker_type)
    }

    /// The table's order: most statements first, ties by articles, then name.
    pub(crate) fn order(&self) -> (std::cmp::Reverse<(u64, u64)>, String, bool) {
        (
            std::cmp::Reverse((self.statements, self.articles)),
            self.speaker.clone(),
            self.is_unnamed(),
        )
    }

    /// The canonical name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.speaker).chain(&self.aliases)
    }

    /// The `speaker_key` of each of its names: the statements it has.
    pub(crate) fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        let unnamed = self.is_unnamed();
        self.names().map(move |n| speaker_key::key(n, unnamed))
    }
}

/// A [`SpeakerEntry`] as `speakers --json` lists it, with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedSpeaker {
    #[serde(flatten)]
    pub entry: SpeakerEntry,
    /// How it is shown, and a `--speaker` value that selects it: "unnamed: analysts"
    /// or the canonical name.
    pub label: String,
}

/// `speakers --json`.
#[derive(Debug, Clone, Serialize)]
pub struct SpeakerList {
    pub speakers: Vec<ListedSpeaker>,
}

/// A speaker value that is the surname of several people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguousSpeaker {
    pub wanted: String,
    /// The labels of the people it could be, most statements first.
    pub candidates: Vec<String>,
}

/// Candidates an [`AmbiguousSpeaker`] message names.
const CANDIDATES_SHOWN: usize = 5;

impl std::fmt::Display for AmbiguousSpeaker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown =
            self.candidates.iter().take(CANDIDATES_SHOWN).cloned().collect::<Vec<_>>().join("; ");
        let more = self.candidates.len().saturating_sub(CANDIDATES_SHOWN);
        let more = if more > 0 { format!("; and {more} more") } else { String::new() };
        write!(
            f,
            "speaker {:?} could be any of {} speakers: {shown}{more}; give the full name (see 'whosaid speakers {}')",
            self.wanted,
            self.candidates.len(),
            self.wanted.trim()
        )
    }
}

impl std::error::Error for AmbiguousSpeaker {}

/// Alias → canonical name, for naming speakers as the table does.
#[derive(Debug, Clone, Default)]
pub struct Canonical {
    named: HashMap<String, String>,
    unnamed: HashMap<String, String>,
}

impl Canonical {
    /// The canonical name for `name` (of an unnamed speaker or not); itself when it
    /// is no alias.
    pub fn of<'a>(&'a self, name: &'a str, unnamed: bool) -> &'a str {
        let map = if unnamed { &self.unnamed } else { &self.named };
        map.get(name).map_or(name, String::as_str)
    }

    fn from_entries(entries: &[SpeakerEntry]) -> Canonical {
        let mut out = Canonical::default();
        for e in entries {
            let map = if e.is_unnamed() { &mut out.unnamed } else { &mut out.named };
            for alias in &e.aliases {
                map.insert(alias.clone(), e.speaker.clone());
            }
        }
        out
    }
}

/// Each name's person by speaker key ([`speaker_key::key`]), for `who` and the facets,
/// which group their matches by key and name only the speakers they show.
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

    /// The canonical name of the speaker `name` (unnamed or not).
    pub(crate) fn canonical<'a>(&'a self, name: &'a str, unnamed: bool) -> &'a str {
        self.name(self.person(speaker_key::key(name, unnamed))).unwrap_or(name)
    }

    /// From (canonical name, its aliases, whether unnamed).
    fn from_people<'a>(people: impl Iterator<Item = (&'a str, Vec<&'a str>, bool)>) -> PersonKeys {
        let mut keys = PersonKeys::default();
        for (canonical, aliases, unnamed) in people {
            let person = speaker_key::key(canonical, unnamed);
            keys.name.insert(person, canonical.to_string());
            keys.person.extend(
                aliases.into_iter().map(|alias| (speaker_key::key(alias, unnamed), person)),
            );
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
    pub(crate) fn new(entries: Vec<SpeakerEntry>) -> Speakers {
        let aliases = Canonical::from_entries(&entries);
        Speakers { entries, aliases }
    }

    /// Its aliases by key, for [`person_keys`].
    pub(crate) fn person_keys(&self) -> PersonKeys {
        let with_aliases = self.entries.iter().filter(|e| !e.aliases.is_empty());
        PersonKeys::from_people(with_aliases.map(|e| {
            (e.speaker.as_str(), e.aliases.iter().map(String::as_str).collect(), e.is_unnamed())
        }))
    }

    /// Most statements first.
    pub fn entries(&self) -> &[SpeakerEntry] {
        &self.entries
    }

    /// The canonical name for `name` as stored in the index (of an unnamed speaker
    /// or not); itself when unknown.
    pub fn canonical<'a>(&'a self, name: &'a str, unnamed: bool) -> &'a str {
        self.aliases.of(name, unnamed)
    }

    /// The one entry `wanted` selects, by the rules in the module doc; None when
    /// none does.
    pub fn find(&self, wanted: &str) -> Result<Option<&SpeakerEntry>, AmbiguousSpeaker> {
        let mut analyzer = exact_analyzer();
        let w = Wanted::parse(wanted);
        let form = tokens(&mut analyzer, w.name);
        let Some(last) = form.last() else { return Ok(None) };
        let rules = crate::people::rules();
        let (mut unnamed, mut tails) = (None, Vec::new());
        for e in &self.entries {
            if w.unnamed && !e.is_unnamed() {
                continue;
            }
            for name in e.names() {
                // Tokens of an ASCII name are its lower-cased letter and digit runs, so
                // a name without the last wanted word in any case matches neither
                // whole nor by its last words: most names are not tokenized.
                if name.is_ascii() && !contains_ci(name, last) {
                    continue;
                }
                let mut words = tokens(&mut analyzer, name);
                if words == form {
                    // Names written alike are one entry (see `names::cluster`), so
                    // this is the one named speaker of that name; an unnamed one
                    // counts only when there is none.
                    if !e.is_unnamed() {
                        return Ok(Some(e));
                    }
                    unnamed.get_or_insert(e);
                    break;
                }
                let person = matches!(e.speaker_type, Some(SpeakerType::Person) | None);
                if person && !w.unnamed && unnamed.is_none() {
                    if words.len() > 1 && words.last().is_some_and(|g| rules.is_generation(g)) {
                        words.pop();
                    }
                    let new = tails.last().is_none_or(|t: &&SpeakerEntry| !std::ptr::eq(*t, e));
                    if new && words.len() > form.len() && words.ends_with(&form) {
                        tails.push(e);
                    }
                }
            }
        }
        if unnamed.is_some() || w.unnamed {
            return Ok(unnamed);
        }
        match tails.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(AmbiguousSpeaker {
                wanted: wanted.to_string(),
                candidates: many.iter().map(|e| e.label()).collect(),
            }),
        }
    }

    /// Entries with a name, or a word of one, starting with `prefix` (any case and
    /// accents; an unnamed one also by its label, so "unnamed" lists them all); all
    /// when it is empty. At most `limit` (0: all).
    pub fn list(&self, prefix: &str, limit: usize) -> SpeakerList {
        let mut analyzer = exact_analyzer();
        let prefix = tokens(&mut analyzer, prefix).join(" ");
        let speakers = self
            .entries
            .iter()
            .filter(|e| {
                prefix.is_empty()
                    || e.names().cloned().chain(e.is_unnamed().then(|| e.label())).any(|name| {
                        let name = tokens(&mut analyzer, &name).join(" ");
                        name.starts_with(&prefix) || name.contains(&format!(" {prefix}"))
                    })
            })
            .take(if limit == 0 { usize::MAX } else { limit })
            .map(|e| ListedSpeaker { entry: e.clone(), label: e.label() })
            .collect();
        SpeakerList { speakers }
    }
}

/// Whether ASCII `haystack` contains `needle` ignoring ASCII case.
fn contains_ci(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// A table kept by an [`crate::index::Index`] handle, with the commit it was made from.
pub type Cache = Arc<Mutex<Option<(u64, Arc<Speakers>)>>>;
