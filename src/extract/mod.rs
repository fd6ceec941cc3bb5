//! Statement extraction: finds direct quotations and reported speech in an article
//! body, attributes each to a speaker and dates it.
//!
//! Known limits: rule-based, English only.

use serde::{Deserialize, Serialize};

/// Direct quotation, reported (indirect) speech, or reported speech that quotes
/// some of the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Direct,
    Indirect,
    Mixed,
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
    /// Resolved, canonical speaker name ("Vladimir Putin"), or null when unknown.
    pub speaker: Option<String>,
    /// The mention in this statement's own attribution ("he", "Putin's top aide").
    pub speaker_mention: Option<String>,
    /// The cue word(s) ("said", "told", "according to").
    pub cue: Option<String>,
    /// Day the statement was made, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The article's publication day, `YYYY-MM-DD`.
    pub article_date: Option<String>,
    /// Byte offsets into the article body.
    pub span: [usize; 2],
    pub speaker_span: Option<[usize; 2]>,
    pub cue_span: Option<[usize; 2]>,
    /// The speaker's role when the article gives one ("a former ambassador to Washington").
    pub role: Option<String>,
    pub url: Option<String>,
}
