//! The extractor's word lists, loaded once from the files under `data/`.
//!
//! Every list is data, not code: add a speech verb or a title by editing its file.
//! Lines starting with `#` are comments; lines starting with `example:` are example
//! sentences that `tests/integration/rules.rs` runs through the extractor:
//! `example: SENTENCE => SPEAKER | CUE`, optionally followed by `| day: DAY`
//! (`YYYY-MM-DD`, or `-` for none), `| source: SOURCE` (its `date_source`) and
//! `| text: CONTENT` to check the statement's day and content too.
//!
//! Lists of single words are [`WordSet`]s: a hash set with a sketch in front, built
//! once, so a lookup per token stays cheap.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

pub mod story_time;
pub use story_time::{Step, StoryTime};

/// A speaker pronoun's gender as far as the pronoun tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Neuter,
    Unknown,
}

/// What a relative time phrase says about a statement's day (see
/// `data/rules/time-words.txt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// Days from the article's day (0 = the same day, -1 = the day before).
    Offset(i32),
    /// Days from the day the story is at ("the previous day", "that day"), else
    /// from the article's.
    Then(i32),
    /// The ISO week this many weeks from the article's.
    Weeks(i32),
    /// The week of the last weekend before the article's day.
    Weekend,
    /// The calendar month this many months from the article's.
    Months(i32),
    /// The calendar year this many years from the article's.
    Years(i32),
    /// In the past, but no period can be given.
    Vague,
    /// An announced time ("tomorrow", "next week"): not when something was said.
    Future,
}

impl Relative {
    /// Parses the right-hand side of a time-words line.
    fn parse(s: &str) -> Option<Relative> {
        let mut words = s.split_whitespace();
        let first = words.next()?;
        let n = words.next().map(str::parse::<i32>);
        Some(match (first, n) {
            ("vague", None) => Relative::Vague,
            ("future", None) => Relative::Future,
            ("weekend", None) => Relative::Weekend,
            ("week", Some(Ok(n))) => Relative::Weeks(n),
            ("month", Some(Ok(n))) => Relative::Months(n),
            ("year", Some(Ok(n))) => Relative::Years(n),
            ("then", Some(Ok(n))) => Relative::Then(n),
            (n, None) => Relative::Offset(n.parse().ok()?),
            _ => return None,
        })
    }
}

/// One example sentence from a rule file, with the speaker and cue it must give.
#[derive(Debug, Clone)]
pub struct Example {
    pub file: &'static str,
    pub sentence: String,
    pub speaker: String,
    pub cue: String,
    /// The statement's day (`YYYY-MM-DD`, or `-` for none), when the line gives one.
    pub day: Option<String>,
    /// The statement's content, when the line gives it.
    pub text: Option<String>,
    /// The statement's `date_source`, when the line gives it.
    pub source: Option<String>,
}

pub struct Rules {
    /// Any form, lower-cased → base form.
    pub speech_verbs: HashMap<String, String>,
    /// Nouns that report speech with a possessor and "that" ("her claim that").
    pub cue_nouns: WordSet,
    /// Multi-word cues, lower-cased words.
    pub cue_phrases: Vec<Vec<String>>,
    /// Title as written (with its period) → the role it gives, if any.
    pub titles: HashMap<String, Option<String>>,
    /// The titles written with a period, keyed without it ("Sen" for "Sen."),
    /// so a word followed by a period is looked up without building a string.
    pub dotted_titles: HashMap<String, Option<String>>,
    pub pronouns: HashMap<String, Gender>,
    pub roles: WordSet,
    pub abbreviations: WordSet,
    /// Lower-cased month name → 1..=12.
    pub months: HashMap<String, i8>,
    /// Lower-cased weekday name → 1 (Monday) ..= 7.
    pub weekdays: HashMap<String, i8>,
    pub time_words: Vec<(Vec<String>, Relative)>,
    /// First word of `time_words` → the indices of its phrases there, longest
    /// first: a token is compared with its own phrases only.
    pub time_word_starts: HashMap<String, Vec<usize>>,
    /// Every word a time expression can start with (months, weekdays, first words
    /// of time phrases, "in", "during", "has", "have"): a cheap first test.
    pub time_starts: WordSet,
    pub not_person: WordSet,
    /// Given name as written → the gender it usually marks.
    pub first_names: HashMap<String, Gender>,
    pub function_words: WordSet,
    pub skip_words: WordSet,
    /// Finite auxiliaries and modals: the verb of a reported clause has begun.
    pub auxiliaries: WordSet,
    /// Heads of descriptions that stand for a named organization ("the company").
    pub org_nouns: WordSet,
    /// Heads of documents, which speak for their issuer ("the report").
    pub documents: WordSet,
    /// First words of line labels that name nobody ("NOTE:"), lower-cased.
    pub not_labels: WordSet,
    /// Speech verbs (base forms) whose object comes before the content ("told
    /// reporters that …").
    pub object_verbs: WordSet,
    /// Speech verbs (base forms) whose content may follow with no "that" ("said
    /// the plan is dead").
    pub bare_verbs: WordSet,
    /// Speech verbs (base forms) whose content may be an infinitive ("vowed to end
    /// the war").
    pub to_verbs: WordSet,
    /// Words before "to" that leave a cue active: "continues to insist", "went on
    /// to explain".
    pub go_on_words: WordSet,
    /// Words that open an indirect question as content ("asked whether …").
    pub wh_words: WordSet,
    /// Determiners that make the cue word after them a noun ("the report").
    pub noun_markers: WordSet,
    /// Words that make the participle after them passive ("was told").
    pub passive_markers: WordSet,
    /// Prepositions that make the cue word after them a noun ("a flurry of tweets").
    pub noun_prepositions: WordSet,
    /// Base forms of speech verbs that are nouns right after a name ("the Herald
    /// report").
    pub verb_nouns: WordSet,
    /// Words that may stand between a time expression and the attribution it dates.
    pub lead_words: WordSet,
    /// Words that make the time after them the edge of a span ("the year ended …").
    pub span_words: WordSet,
    /// Past participles that end in neither "-ed" nor "-en" ("has made").
    pub irregular_participles: WordSet,
    /// Determiners that open a speaker's noun phrase ("The bank", "Several members").
    pub articles: WordSet,
    /// Lower-case words that end noun phrases but never name a speaker ("week").
    pub not_heads: WordSet,
    /// Words that stand for a group of speakers on their own ("Several said").
    pub quantifiers: WordSet,
    /// Determiners of a description ("his", "these", "two").
    pub determiners: WordSet,
    /// Lower-case words a description never runs back or on over.
    pub description_stops: WordSet,
    /// Lower-case particles inside names ("Charles de Gaulle").
    pub name_particles: WordSet,
    /// Words that tie a person to an organization ("Ann Lee of Relief Harbor").
    pub affiliations: WordSet,
    /// Words after which a learned content span may end ("…, and").
    pub conjunctions: WordSet,
    /// Prepositions a cue may take before its content ("talked about").
    pub cue_prepositions: WordSet,
    pub examples: Vec<Example>,
    /// The story's own timeline (`data/rules/story-time.txt`).
    pub story: StoryTime,
    /// The keys of `speech_verbs`.
    speech_verb_sketch: Sketch,
}

const SPEECH_VERBS: &str = include_str!("../../data/rules/speech-verbs.txt");
const CUE_PHRASES: &str = include_str!("../../data/rules/cue-phrases.txt");
const CUE_NOUNS: &str = include_str!("../../data/rules/cue-nouns.txt");
const TITLES: &str = include_str!("../../data/rules/titles.txt");
const PRONOUNS: &str = include_str!("../../data/rules/pronouns.txt");
const ROLES: &str = include_str!("../../data/rules/roles.txt");
const ABBREVIATIONS: &str = include_str!("../../data/rules/abbreviations.txt");
const MONTHS: &str = include_str!("../../data/rules/months.txt");
const WEEKDAYS: &str = include_str!("../../data/rules/weekdays.txt");
const TIME_WORDS: &str = include_str!("../../data/rules/time-words.txt");
const NOT_PERSON: &str = include_str!("../../data/rules/not-person.txt");
const FUNCTION_WORDS: &str = include_str!("../../data/rules/function-words.txt");
const SKIP_WORDS: &str = include_str!("../../data/rules/skip-words.txt");
const AUXILIARIES: &str = include_str!("../../data/rules/auxiliaries.txt");
const FIRST_NAMES: &str = include_str!("../../data/rules/first-names.txt");
const ORG_NOUNS: &str = include_str!("../../data/rules/org-nouns.txt");
const DOCUMENTS: &str = include_str!("../../data/rules/documents.txt");
const NOT_LABELS: &str = include_str!("../../data/rules/not-labels.txt");
const OBJECT_VERBS: &str = include_str!("../../data/rules/object-verbs.txt");
const BARE_VERBS: &str = include_str!("../../data/rules/bare-verbs.txt");
const TO_VERBS: &str = include_str!("../../data/rules/to-verbs.txt");
const GO_ON_WORDS: &str = include_str!("../../data/rules/go-on-words.txt");
const WH_WORDS: &str = include_str!("../../data/rules/wh-words.txt");
const NOUN_MARKERS: &str = include_str!("../../data/rules/noun-markers.txt");
const PASSIVE_MARKERS: &str = include_str!("../../data/rules/passive-markers.txt");
const NOUN_PREPOSITIONS: &str = include_str!("../../data/rules/noun-prepositions.txt");
const VERB_NOUNS: &str = include_str!("../../data/rules/verb-nouns.txt");
const LEAD_WORDS: &str = include_str!("../../data/rules/lead-words.txt");
const SPAN_WORDS: &str = include_str!("../../data/rules/span-words.txt");
const IRREGULAR_PARTICIPLES: &str = include_str!("../../data/rules/irregular-participles.txt");
const ARTICLES: &str = include_str!("../../data/rules/articles.txt");
const NOT_HEADS: &str = include_str!("../../data/rules/not-heads.txt");
const QUANTIFIERS: &str = include_str!("../../data/rules/quantifiers.txt");
const DETERMINERS: &str = include_str!("../../data/rules/determiners.txt");
const DESCRIPTION_STOPS: &str = include_str!("../../data/rules/description-stops.txt");
const NAME_PARTICLES: &str = include_str!("../../data/rules/name-particles.txt");
const AFFILIATIONS: &str = include_str!("../../data/rules/affiliations.txt");
const CONJUNCTIONS: &str = include_str!("../../data/rules/conjunctions.txt");
const CUE_PREPOSITIONS: &str = include_str!("../../data/rules/cue-prepositions.txt");
const STORY_TIME: &str = include_str!("../../data/rules/story-time.txt");

/// Every rule file with example lines, by name: the examples `tests/integration/rules.rs` runs.
const WITH_EXAMPLES: &[(&str, &str)] = &[
    ("speech-verbs.txt", SPEECH_VERBS),
    ("cue-phrases.txt", CUE_PHRASES),
    ("cue-nouns.txt", CUE_NOUNS),
    ("titles.txt", TITLES),
    ("pronouns.txt", PRONOUNS),
    ("roles.txt", ROLES),
    ("abbreviations.txt", ABBREVIATIONS),
    ("auxiliaries.txt", AUXILIARIES),
    ("org-nouns.txt", ORG_NOUNS),
    ("documents.txt", DOCUMENTS),
    ("not-labels.txt", NOT_LABELS),
    ("object-verbs.txt", OBJECT_VERBS),
    ("bare-verbs.txt", BARE_VERBS),
    ("to-verbs.txt", TO_VERBS),
    ("go-on-words.txt", GO_ON_WORDS),
    ("wh-words.txt", WH_WORDS),
    ("noun-markers.txt", NOUN_MARKERS),
    ("passive-markers.txt", PASSIVE_MARKERS),
    ("noun-prepositions.txt", NOUN_PREPOSITIONS),
    ("verb-nouns.txt", VERB_NOUNS),
    ("lead-words.txt", LEAD_WORDS),
    ("span-words.txt", SPAN_WORDS),
    ("irregular-participles.txt", IRREGULAR_PARTICIPLES),
    ("articles.txt", ARTICLES),
    ("not-heads.txt", NOT_HEADS),
    ("quantifiers.txt", QUANTIFIERS),
    ("determiners.txt", DETERMINERS),
    ("description-stops.txt", DESCRIPTION_STOPS),
    ("name-particles.txt", NAME_PARTICLES),
    ("affiliations.txt", AFFILIATIONS),
    ("conjunctions.txt", CONJUNCTIONS),
    ("cue-prepositions.txt", CUE_PREPOSITIONS),
    ("story-time.txt", STORY_TIME),
];

/// `word` in lower case, copied only when it has capitals or non-ASCII letters:
/// most words in running text are already lower case, and lookups run per token.
pub fn lower(word: &str) -> std::borrow::Cow<'_, str> {
    if word.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// The rules, parsed on first use.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(Rules::load)
}

/// Rule lines of a file: no comments, no blanks, no examples.
fn lines(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("example:"))
}

fn examples(name: &'static str, file: &str) -> Vec<Example> {
    file.lines()
        .filter_map(|l| l.trim().strip_prefix("example:"))
        .filter_map(|l| {
            let (sentence, expect) = l.split_once("=>")?;
            let mut fields = expect.split('|').map(str::trim);
            let (speaker, cue) = (fields.next()?, fields.next()?);
            let (mut day, mut text, mut source) = (None, None, None);
            for f in fields {
                if let Some(d) = f.strip_prefix("day:") {
                    day = Some(d.trim().to_string());
                } else if let Some(s) = f.strip_prefix("source:") {
                    source = Some(s.trim().to_string());
                } else if let Some(t) = f.strip_prefix("text:") {
                    text = Some(t.trim().to_string());
                }
            }
            Some(Example {
                file: name,
                // "\n" in an example stands for a line break: labels open paragraphs.
                sentence: sentence.trim().replace("\\n", "\n"),
                speaker: speaker.to_string(),
                cue: cue.to_string(),
                day,
                text,
                source,
            })
        })
        .collect()
}

fn word_set(file: &str, lower: bool) -> WordSet {
    WordSet::new(
        lines(file).map(|l| if lower { l.to_lowercase() } else { l.to_string() }).collect(),
    )
}

/// A may-hold test for a set of words by first byte, last byte and length: most
/// words of running text fail it, and are turned away without being hashed.
/// Bytes are folded with `& 31`, which maps an ASCII letter's two cases to one
/// slot, so the test also serves lookups of an ASCII word's lower-case form.
struct Sketch {
    /// Per (first, last) byte pair, a bit per length (63 for anything longer).
    bits: Vec<u64>,
}

impl Sketch {
    fn new<'a>(words: impl Iterator<Item = &'a str>) -> Sketch {
        let mut bits = vec![0u64; 32 * 32];
        for w in words {
            if let Some((slot, bit)) = Sketch::key(w) {
                bits[slot] |= bit;
            }
        }
        Sketch { bits }
    }

    fn key(w: &str) -> Option<(usize, u64)> {
        let b = w.as_bytes();
        let (first, last) = (b.first()?, b.last()?);
        Some((usize::from(first & 31) * 32 + usize::from(last & 31), 1 << b.len().min(63)))
    }

    /// False when no word of the set has `w`'s key (so, for an ASCII `w`, neither
    /// `w` nor its lower-case form is in the set).
    fn may_hold(&self, w: &str) -> bool {
        Sketch::key(w).is_none_or(|(slot, bit)| self.bits[slot] & bit != 0)
    }
}

/// A fixed list of lower-case words matched ignoring ASCII case, with a sketch
/// built at compile time: per first byte (folded with `& 31`), a bit per length.
/// Most words fail it, so long lists are not scanned for them.
pub struct WordList {
    words: &'static [&'static str],
    sketch: [u64; 32],
}

impl WordList {
    pub const fn new(words: &'static [&'static str]) -> WordList {
        let mut sketch = [0u64; 32];
        let mut i = 0;
        while i < words.len() {
            let b = words[i].as_bytes();
            if !b.is_empty() {
                let len = if b.len() < 63 { b.len() } else { 63 };
                sketch[(b[0] & 31) as usize] |= 1 << len;
            }
            i += 1;
        }
        WordList { words, sketch }
    }

    /// `w` equals one of the words, ignoring ASCII case.
    pub fn has(&self, w: &str) -> bool {
        let Some(&first) = w.as_bytes().first() else {
            return self.words.contains(&"");
        };
        self.sketch[usize::from(first & 31)] & (1 << w.len().min(63)) != 0
            && self.words.iter().any(|x| w.eq_ignore_ascii_case(x))
    }
}

/// A set of words with a [`Sketch`] in front of it.
pub struct WordSet {
    words: HashSet<String>,
    sketch: Sketch,
}

impl WordSet {
    fn new(words: HashSet<String>) -> WordSet {
        let sketch = Sketch::new(words.iter().map(String::as_str));
        WordSet { words, sketch }
    }

    /// `w` is in the set, exactly.
    pub fn contains(&self, w: &str) -> bool {
        self.sketch.may_hold(w) && self.words.contains(w)
    }

    /// `w` is in the set ignoring ASCII case (the set's words are lower case):
    /// what [`WordList::has`] does for a list in code. A capitalized word is
    /// lowered on the stack, not in a new string.
    pub fn has(&self, w: &str) -> bool {
        if !self.sketch.may_hold(w) {
            return false;
        }
        if !w.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.words.contains(w);
        }
        let mut buf = [0u8; 32];
        match buf.get_mut(..w.len()) {
            Some(low) => {
                low.copy_from_slice(w.as_bytes());
                low.make_ascii_lowercase();
                // Lowering ASCII letters keeps UTF-8 valid.
                std::str::from_utf8(low).is_ok_and(|low| self.words.contains(low))
            }
            None => self.words.contains(w.to_ascii_lowercase().as_str()),
        }
    }
}

/// "NAME NUMBER" lines.
fn numbered(file: &str) -> HashMap<String, i8> {
    lines(file)
        .filter_map(|l| {
            let (name, n) = l.rsplit_once(' ')?;
            Some((name.trim().to_lowercase(), n.trim().parse().ok()?))
        })
        .collect()
}

impl Rules {
    fn load() -> Rules {
        let mut speech_verbs = HashMap::default();
        for l in lines(SPEECH_VERBS) {
            let mut forms = l.split_whitespace();
            if let Some(base) = forms.next() {
                speech_verbs.insert(base.to_lowercase(), base.to_lowercase());
                for f in forms {
                    speech_verbs.insert(f.to_lowercase(), base.to_lowercase());
                }
            }
        }
        let cue_phrases = lines(CUE_PHRASES)
            .map(|l| l.split_whitespace().map(str::to_lowercase).collect())
            .collect();
        let titles: HashMap<String, Option<String>> = lines(TITLES)
            .filter_map(|l| {
                let (t, role) = l.split_once("=>")?;
                let role = role.trim();
                Some((t.trim().to_string(), (role != "-").then(|| role.to_string())))
            })
            .collect();
        let pronouns = lines(PRONOUNS)
            .filter_map(|l| {
                let mut f = l.split_whitespace();
                let p = f.next()?.to_lowercase();
                let g = match f.next()? {
                    "m" => Gender::Male,
                    "f" => Gender::Female,
                    "n" => Gender::Neuter,
                    _ => Gender::Unknown,
                };
                Some((p, g))
            })
            .collect();
        let time_words = lines(TIME_WORDS)
            .filter_map(|l| {
                let (phrase, what) = l.split_once("=>")?;
                let rel = Relative::parse(what)?;
                Some((
                    phrase.split_whitespace().map(str::to_lowercase).collect::<Vec<String>>(),
                    rel,
                ))
            })
            .collect::<Vec<_>>();
        // Longest first, so "yesterday morning" wins over "yesterday".
        let mut time_words = time_words;
        time_words.sort_by_key(|(phrase, _)| std::cmp::Reverse(phrase.len()));
        let mut first_names = HashMap::default();
        for l in lines(FIRST_NAMES) {
            let (gender, names) = match l.split_once(':') {
                Some(("m", names)) => (Gender::Male, names),
                Some(("f", names)) => (Gender::Female, names),
                _ => continue,
            };
            for n in names.split_whitespace() {
                first_names.insert(n.to_string(), gender);
            }
        }
        let all_examples =
            WITH_EXAMPLES.iter().flat_map(|(name, file)| examples(name, file)).collect();
        let dotted_titles = titles
            .iter()
            .filter_map(|(t, role): (&String, &Option<String>)| {
                Some((t.strip_suffix('.')?.to_string(), role.clone()))
            })
            .collect();
        let (months, weekdays) = (numbered(MONTHS), numbered(WEEKDAYS));
        Rules {
            speech_verb_sketch: Sketch::new(speech_verbs.keys().map(String::as_str)),
            speech_verbs,
            dotted_titles,
            cue_phrases,
            cue_nouns: word_set(CUE_NOUNS, true),
            titles,
            pronouns,
            roles: word_set(ROLES, true),
            abbreviations: word_set(ABBREVIATIONS, false),
            time_starts: WordSet::new(
                time_words
                    .iter()
                    .filter_map(|(p, _)| p.first().cloned())
                    .chain(months.keys().cloned())
                    .chain(weekdays.keys().cloned())
                    .chain(["in", "during", "has", "have"].map(String::from))
                    .collect(),
            ),
            months,
            weekdays,
            time_word_starts: {
                let mut starts: HashMap<String, Vec<usize>> = HashMap::default();
                for (k, (p, _)) in time_words.iter().enumerate() {
                    if let Some(first) = p.first() {
                        starts.entry(first.clone()).or_default().push(k);
                    }
                }
                starts
            },
            time_words,
            not_person: word_set(NOT_PERSON, false),
            first_names,
            function_words: word_set(FUNCTION_WORDS, false),
            skip_words: word_set(SKIP_WORDS, true),
            auxiliaries: word_set(AUXILIARIES, true),
            org_nouns: word_set(ORG_NOUNS, true),
            documents: word_set(DOCUMENTS, true),
            not_labels: word_set(NOT_LABELS, true),
            object_verbs: word_set(OBJECT_VERBS, true),
            bare_verbs: word_set(BARE_VERBS, true),
            to_verbs: word_set(TO_VERBS, true),
            go_on_words: word_set(GO_ON_WORDS, true),
            wh_words: word_set(WH_WORDS, true),
            noun_markers: word_set(NOUN_MARKERS, true),
            passive_markers: word_set(PASSIVE_MARKERS, true),
            noun_prepositions: word_set(NOUN_PREPOSITIONS, true),
            verb_nouns: word_set(VERB_NOUNS, true),
            lead_words: word_set(LEAD_WORDS, true),
            span_words: word_set(SPAN_WORDS, true),
            irregular_participles: word_set(IRREGULAR_PARTICIPLES, true),
            articles: word_set(ARTICLES, true),
            not_heads: word_set(NOT_HEADS, true),
            quantifiers: word_set(QUANTIFIERS, true),
            determiners: word_set(DETERMINERS, true),
            description_stops: word_set(DESCRIPTION_STOPS, true),
            name_particles: word_set(NAME_PARTICLES, true),
            affiliations: word_set(AFFILIATIONS, true),
            conjunctions: word_set(CONJUNCTIONS, true),
            cue_prepositions: word_set(CUE_PREPOSITIONS, true),
            examples: all_examples,
            // Compiled in and parsed by a test: a bad line is a build defect.
            story: StoryTime::parse(STORY_TIME)
                .unwrap_or_else(|e| panic!("data/rules/story-time.txt: {e}")),
        }
    }

    /// The base form of a speech verb, if `word` is one.
    pub fn speech_verb(&self, word: &str) -> Option<&str> {
        // An ASCII word's lower-case form has its key; others are looked up.
        if word.is_ascii() && !self.speech_verb_sketch.may_hold(word) {
            return None;
        }
        self.speech_verbs.get(lower(word).as_ref()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_into_nonempty_lists() {
        let r = rules();
        assert_eq!(r.speech_verb("told"), Some("tell"));
        assert_eq!(r.speech_verb("Said"), Some("say"));
        assert_eq!(r.titles.get("Sen."), Some(&Some("senator".to_string())));
        assert_eq!(r.titles.get("Mr."), Some(&None));
        assert_eq!(r.pronouns.get("she"), Some(&Gender::Female));
        assert_eq!(r.months.get("sept"), Some(&9));
        assert_eq!(r.weekdays.get("tuesday"), Some(&2));
        assert!(r.roles.contains("spokesman"));
        assert!(r.abbreviations.contains("Gov"));
        assert!(r
            .time_words
            .iter()
            .any(|(p, rel)| p == &["yesterday"] && *rel == Relative::Offset(-1)));
        assert!(r
            .time_words
            .iter()
            .any(|(p, rel)| p == &["last", "week"] && *rel == Relative::Weeks(-1)));
        assert!(r
            .time_words
            .iter()
            .any(|(p, rel)| p == &["over", "the", "weekend"] && *rel == Relative::Weekend));
        // Every line of the file parses: a typo would silently drop a phrase.
        let lines = lines(TIME_WORDS).count();
        assert_eq!(r.time_words.len(), lines);
        assert!(r.examples.len() >= 8);
        assert_eq!(r.first_names.get("Margaret"), Some(&Gender::Female));
        assert_eq!(r.first_names.get("Henry"), Some(&Gender::Male));
        assert!(
            r.object_verbs.contains("tell")
                && r.bare_verbs.contains("say")
                && r.to_verbs.contains("vow")
        );
        assert!(
            r.irregular_participles.contains("made") && !r.irregular_participles.contains("Made")
        );
    }

    #[test]
    fn every_list_file_has_words_and_an_example() {
        for (name, file) in WITH_EXAMPLES {
            assert!(lines(file).next().is_some(), "{name} has no words");
            assert!(!examples(name, file).is_empty(), "{name} has no example");
        }
        let dated = rules().examples.iter().filter(|e| e.day.is_some()).count();
        let with_text = rules().examples.iter().filter(|e| e.text.is_some()).count();
        assert!(dated >= 3 && with_text >= 3);
    }

    #[test]
    fn word_sets_match_exactly_or_ignoring_ascii_case() {
        let r = rules();
        assert!(r.determiners.has("the") && r.determiners.has("The") && r.determiners.has("THE"));
        assert!(!r.determiners.contains("The"));
        assert!(!r.determiners.has("thee") && !r.determiners.has("") && !r.determiners.has("Thé"));
        // Longer than the stack buffer: lowered in a new string.
        let long = "A".repeat(40);
        assert!(!r.determiners.has(&long));
        assert!(r.name_particles.has("Van") && r.quantifiers.has("Several"));
    }
}
