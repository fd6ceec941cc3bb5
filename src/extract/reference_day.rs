//! The day an article's statements are read against, and the date a statement
//! falls back to when its own words say nothing: the dateline's day, else the
//! article's publication day. The words themselves are read in `time_expressions`.
//!
//! Known limits: one reference day per article (a story filed over several days
//! reads "yesterday" against its dateline); a dateline in the body is looked for on
//! its first line only.

use jiff::civil::Date;

use super::doc::Doc;
use super::span::{ByteSpan, TokSpan};
use super::time_expressions::{self, When};
use crate::article::{dateline, Article};
use crate::statement::{DateSource, Period};

/// An article's dating context.
pub(crate) struct ReferenceDay {
    /// Relative words ("yesterday", "on Tuesday") count from this day.
    pub reference: Option<Date>,
    dateline_day: Option<Date>,
    article_day: Option<Date>,
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

    /// What the tokens `window` (minus those inside the bytes `skip`) say about a
    /// statement whose attribution starts at token `anchor` in the sentence starting
    /// at `sent`, read against the reference day.
    pub fn in_text(
        &self,
        doc: &Doc,
        sent: usize,
        window: TokSpan,
        anchor: usize,
        skip: ByteSpan,
    ) -> When {
        let sent = sent.max(self.text_from);
        time_expressions::around(doc, sent, window, anchor, skip, self.reference)
    }

    /// The date of a statement whose words say nothing.
    pub fn fallback(&self) -> (When, Option<DateSource>) {
        match (self.dateline_day, self.article_day) {
            (Some(d), _) => (When::At(Period::day(d)), Some(DateSource::Dateline)),
            (None, Some(d)) => (When::At(Period::day(d)), Some(DateSource::Article)),
            (None, None) => (When::Unknown, None),
        }
    }
}
