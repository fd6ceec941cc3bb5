//! The day an article's statements are read against: the dateline's day, else the
//! article's publication day; and those two days, the last a statement's date
//! falls back to (see `dating`). The words themselves are read in `time_expressions`.
//!
//! Known limits: one reference day per article (a story filed over several days
//! reads "yesterday" against its dateline); a dateline in the body is looked for on
//! its first line only.

use jiff::civil::Date;

use super::doc::Doc;
use super::span::{ByteSpan, TokSpan};
use super::time_expressions::{self, Refs};
use crate::article::{dateline, Article};

/// An article's dating context.
pub(crate) struct ReferenceDay {
    /// Relative words ("yesterday", "on Tuesday") count from this day.
    pub reference: Option<Date>,
    pub dateline_day: Option<Date>,
    pub article_day: Option<Date>,
    /// First token after a dateline in the body: the dateline's own day is not a
    /// time word of the first statement.
    pub text_from: usize,
}

impl ReferenceDay {
    pub fn new(article: &Article, doc: &Doc) -> ReferenceDay {
        let own = article.dateline.as_deref().and_then(dateline::find_in_field);
        let in_body = dateline::find(&article.body);
        let text_from = in_body.map_or(0, |d| doc.toks.partition_point(|t| t.start < d.end));
        let dateline_day = own.or(in_body).and_then(|d| d.day_near(article.date));
        ReferenceDay {
            reference: dateline_day.or(article.date),
            dateline_day,
            article_day: article.date,
            text_from,
        }
    }

    /// What the tokens of `sentence` up to `near_end` (minus those inside the bytes
    /// `skip` and the tokens `aside`) say about a statement whose attribution starts
    /// at token `anchor`; `sentence` starts at the sentence's start (or the
    /// dateline's end); `story` is the day the story is at.
    pub fn in_text(
        &self,
        doc: &Doc,
        sentence: (TokSpan, usize),
        anchor: usize,
        skip: (ByteSpan, TokSpan),
        story: Option<Date>,
    ) -> time_expressions::Around {
        let refs = Refs { day: self.reference, story };
        time_expressions::around(doc, sentence, anchor, skip, refs)
    }
}
