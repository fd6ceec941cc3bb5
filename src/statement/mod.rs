//! The statement: the one value that flows out of extraction and into the index,
//! the renderers and the web API, with its kind, speaker type, date source and
//! date period, and its stable id.
//!
//! Known limits: its JSON shape is an interface (fields are added, never renamed or
//! removed); `json.rs` writes it by hand for speed and a test holds it to serde's.

use serde::{Deserialize, Serialize};

mod id;
mod json;
mod period;

pub use id::{statement_id, StatementIds};
pub use period::{Period, Precision};

/// Direct quotation, reported (indirect) speech, or reported speech that quotes
/// some of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Direct,
    Indirect,
    Mixed,
}

/// What kind of speaker a statement has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerType {
    /// A person the article names.
    Person,
    /// An organization, outlet, government or other body the article names.
    Organization,
    /// A group or description the article never names ("analysts", "officials",
    /// "a senior diplomat"): shown as "unnamed: analysts", never as a person.
    Unnamed,
}

impl SpeakerType {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerType::Person => "person",
            SpeakerType::Organization => "organization",
            SpeakerType::Unnamed => "unnamed",
        }
    }
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Direct => "direct",
            Kind::Indirect => "indirect",
            Kind::Mixed => "mixed",
        }
    }
}

/// One statement: the unit that is printed, indexed and searched. Its JSON shape is
/// a stable interface: fields may be added, never renamed or removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Stable hash of article id and span.
    pub id: String,
    /// Article id.
    pub article: String,
    pub path: String,
    pub title: Option<String>,
    pub source: Option<String>,
    /// The statement's content: exactly `body[span[0]..span[1]]`.
    pub text: String,
    pub kind: Kind,
    /// Resolved, canonical speaker name ("Ivan Petrov"), or null when unknown.
    pub speaker: Option<String>,
    /// `person`, `organization` or `unnamed` (a description nobody in the article
    /// names); null when there is no speaker.
    #[serde(default)]
    pub speaker_type: Option<SpeakerType>,
    /// The mention in this statement's own attribution ("he", "Petrov's top aide").
    pub speaker_mention: Option<String>,
    /// The cue word(s) ("said", "told", "according to").
    pub cue: Option<String>,
    /// Day the statement was made, `YYYY-MM-DD`; null unless `date_precision` is
    /// `day` (a coarser date is in `period`, never a guessed day here).
    pub date: Option<String>,
    /// How much the date is known: `day`, `week`, `month`, `year`, or null.
    pub date_precision: Option<Precision>,
    /// Where the date came from: `text` (time words in the statement's own
    /// sentence), `context` (the day the story's narration set for it: its
    /// paragraph, its lede, or the statement it continues), `dateline` (the story's
    /// dateline day) or `article` (its publication day).
    pub date_source: Option<DateSource>,
    /// The date at its precision, ISO 8601: `2025-03-12`, `2025-W11`, `2025-03`, `2025`.
    pub period: Option<String>,
    /// The article's publication day, `YYYY-MM-DD`.
    pub article_date: Option<String>,
    /// Byte offsets into the article body.
    pub span: [usize; 2],
    pub speaker_span: Option<[usize; 2]>,
    pub cue_span: Option<[usize; 2]>,
    /// The speaker's role when the article gives one ("a former ambassador to Washington").
    pub role: Option<String>,
    pub url: Option<String>,
    /// A date the statement's own words gave but that cannot be when it was said
    /// (more than a week after the article, or decades before it), ISO 8601 at its
    /// precision; the statement was dated by the story's time instead. Null
    /// otherwise.
    #[serde(default)]
    pub date_rejected: Option<String>,
}

/// Where a statement's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    /// Time words in the statement's own sentence, near its attribution.
    Text,
    /// The day the narration around it set: its paragraph's or the lede's
    /// ("On Sunday, …"), or that of the statement it continues.
    Context,
    /// The day in the story's dateline ("WASHINGTON, Feb 26 -").
    Dateline,
    /// The article's publication day.
    Article,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Text => "text",
            DateSource::Context => "context",
            DateSource::Dateline => "dateline",
            DateSource::Article => "article",
        }
    }
}

/// For tests: an invented statement of `text` by Ann Lee (cue "said"), in article
/// a.txt, at the start of its body; other fields empty.
#[cfg(test)]
pub(crate) fn invented(text: &str) -> Statement {
    Statement {
        id: "1".into(),
        article: "a.txt".into(),
        path: "a.txt".into(),
        title: None,
        source: None,
        text: text.into(),
        kind: crate::statement::Kind::Direct,
        speaker: Some("Ann Lee".into()),
        speaker_type: None,
        speaker_mention: None,
        cue: Some("said".into()),
        date: None,
        date_precision: None,
        date_source: None,
        period: None,
        article_date: None,
        span: [0, text.len()],
        speaker_span: None,
        cue_span: None,
        role: None,
        url: None,
        date_rejected: None,
    }
}
