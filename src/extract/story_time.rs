//! The story's own timeline: the day the narration is at, paragraph by paragraph.
//! A sentence sets a day when it opens with one ("On Sunday, …", "Wednesday, …",
//! "The previous day, …", "At a rally on Monday, …"); it moves the narration off the
//! story's day when it opens with a coarser time or a break word ("Last year, …",
//! "Earlier, …"). A day named mid-sentence ("… flew there on Monday") sets nothing
//! (it is as often another event's: "was last seen on Wednesday", "the strike runs
//! to Saturday"), but it is the day "that day" and "the previous day" count from.
//! The rules and words are in `data/rules/story-time.txt`.
//!
//! A sentence's paragraph day is the last day its paragraph's earlier sentences set;
//! the lede's day is the first day the story's first paragraph of narration sets (a
//! sentence with no lower-case word, such as "Friday, May 3, 2019", is a date line
//! or a heading, not narration).
//!
//! A body with no paragraph breaks (a CSV cell, a scraped page) and more than a few
//! sentences has no lede, and a sentence's "paragraph" is the few sentences just
//! before it: otherwise one opening day would date every statement of the story.
//!
//! Known limits: an opening day may still be a background event's ("On Monday, the
//! bridge closed; engineers said …" dates the engineers); paragraphs are all the
//! structure read (no section headings); a lede day is given to quotations gathered
//! days later in interviews when nothing in their paragraph says otherwise.

use std::cell::RefCell;

use jiff::civil::Date;
use jiff::ToSpan;

use super::doc::Doc;
use super::span::{ByteSpan, TokSpan};
use super::time_expressions::{self, Refs, When};
use crate::lexicon::rules;
use crate::statement::Precision;

/// What a sentence does to the story's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Setting {
    /// The narration is at this day from here on.
    Day(Date),
    /// The narration left the story's day for a time with no day ("Last year, …").
    Off,
}

/// What a paragraph's sentences before a sentence set and named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Before {
    set: Option<Setting>,
    named: Option<Date>,
}

/// What one sentence does: the setting it makes, the last day it names.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Reading {
    pub sets: Option<Setting>,
    pub names: Option<Date>,
}

/// An article's timeline, computed paragraph by paragraph as statements ask.
pub(crate) struct StoryTime<'a> {
    doc: &'a Doc<'a>,
    reference: Option<Date>,
    /// The first token after a dateline in the body.
    text_from: usize,
    /// Per sentence, once its paragraph is read: what the earlier sentences of its
    /// paragraph set (the last setting), and the last day they named.
    before: RefCell<Vec<Option<Before>>>,
    /// The paragraph of the first sentence of narration.
    lede_para: Option<usize>,
    /// When the body has no paragraph breaks: its first sentence. A sentence's
    /// paragraph is then the `flat-paragraph` sentences before it.
    flat: Option<usize>,
    /// The lede's day and the sentence that set it, once read.
    lede: RefCell<Option<Option<(Date, usize)>>>,
}

impl<'a> StoryTime<'a> {
    pub fn new(doc: &'a Doc<'a>, reference: Option<Date>, text_from: usize) -> StoryTime<'a> {
        let narrates = |t: TokSpan| (t.start..t.end).any(|k| doc.is_lower(k));
        let st = &rules().story;
        let first = doc.sents.partition_point(|s| s.end <= text_from);
        let body = &doc.sents[first..];
        let flat = (body.len() > st.flat_after && body.iter().all(|s| s.para == body[0].para))
            .then_some(first);
        let lede_para = match flat {
            Some(_) => None,
            None => {
                doc.sents.iter().find(|s| s.end > text_from && narrates(s.toks())).map(|s| s.para)
            }
        };
        StoryTime {
            doc,
            reference,
            text_from,
            before: RefCell::new(vec![None; doc.sents.len()]),
            lede_para,
            flat,
            lede: RefCell::new(None),
        }
    }

    /// What the sentences of sentence `si`'s paragraph before it set.
    pub fn paragraph(&self, si: usize) -> Option<Setting> {
        self.before(si).set
    }

    fn before(&self, si: usize) -> Before {
        if let Some(first) = self.flat {
            // The few sentences just before it, read afresh for each statement.
            let from = si.saturating_sub(rules().story.flat_paragraph).max(first);
            let mut current = Before::default();
            for sj in from..si {
                current = self.step(current, sj, None);
            }
            return current;
        }
        if let Some(known) = self.before.borrow().get(si).copied().flatten() {
            return known;
        }
        self.read_paragraph(si);
        self.before.borrow().get(si).copied().flatten().unwrap_or_default()
    }

    /// The day the story's first paragraph of narration set, for a statement in
    /// sentence `si` (not one before the sentence that set it).
    pub fn lede(&self, si: usize) -> Option<Date> {
        self.lede_entry().filter(|&(_, at)| at <= si).map(|(d, _)| d)
    }

    /// The lede's day and the sentence that set it.
    fn lede_entry(&self) -> Option<(Date, usize)> {
        if let Some(known) = *self.lede.borrow() {
            return known;
        }
        let doc = self.doc;
        let found = self.lede_para.and_then(|para| {
            let si = doc.sents.iter().position(|s| s.para == para)?;
            let mut story = None;
            for sj in (si..doc.sents.len()).take_while(|&sj| doc.sents[sj].para == para) {
                let read = self.read(sj, story);
                match read.sets {
                    Some(Setting::Day(d)) => return Some((d, sj)),
                    Some(Setting::Off) => story = None,
                    None => {}
                }
                story = read.names.or(story);
            }
            None
        });
        *self.lede.borrow_mut() = Some(found);
        found
    }

    /// The day "that day" and "the previous day" count from in sentence `si`: the
    /// last day its paragraph's earlier sentences named or set, else the lede's (set
    /// by an earlier sentence).
    pub fn at(&self, si: usize) -> Option<Date> {
        // A day set is also a day named (see `step`).
        self.before(si)
            .named
            .or_else(|| self.lede_entry().filter(|&(_, at)| at < si).map(|(d, _)| d))
    }

    fn read_paragraph(&self, si: usize) {
        let doc = self.doc;
        let para = doc.sents[si].para;
        let first = doc.sents[..si].iter().rposition(|s| s.para != para).map_or(0, |p| p + 1);
        let mut current = Before::default();
        let mut sj = first;
        while sj < doc.sents.len() && doc.sents[sj].para == para {
            self.before.borrow_mut()[sj] = Some(current);
            current = self.step(current, sj, self.lede_unless_here(para));
            sj += 1;
        }
    }

    /// `current` after sentence `sj`, whose "the previous day" counts from the last
    /// day `current` named, else from `lede`. A day set is named too.
    fn step(&self, mut current: Before, sj: usize, lede: Option<Date>) -> Before {
        let read = self.read(sj, current.named.or(lede));
        if let Some(set) = read.sets {
            current.set = Some(set);
            if let Setting::Day(d) = set {
                current.named = Some(d);
            }
        }
        current.named = read.names.or(current.named);
        current
    }

    /// The lede's day, unless the paragraph being read is the lede's own (it is read
    /// for the lede first, and must not ask for itself).
    fn lede_unless_here(&self, para: usize) -> Option<Date> {
        if self.lede_para == Some(para) {
            None
        } else {
            self.lede_entry().map(|(d, _)| d)
        }
    }

    /// What sentence `si` sets, with `story` the day the narration was at before it.
    #[cfg(test)]
    pub fn sets(&self, si: usize, story: Option<Date>) -> Option<Setting> {
        self.read(si, story).sets
    }

    /// What sentence `si` sets and the last day it names, with `story` the day the
    /// narration was at before it.
    pub fn read(&self, si: usize, story: Option<Date>) -> Reading {
        let doc = self.doc;
        let r = rules();
        let s = doc.sents[si];
        let from = s.start.max(self.text_from);
        if from >= s.end {
            return Reading::default();
        }
        let window = TokSpan::new(from, s.end);
        let refs = Refs { day: self.reference, story };
        let mut opening = When::Unknown;
        let mut names: Option<Date> = None;
        let earliest =
            self.reference.and_then(|d| d.checked_sub(r.story.max_setting_days_before.days()).ok());
        time_expressions::each(doc, window, ByteSpan::default(), refs, |found| {
            if found.bounds_a_span {
                return;
            }
            // "On Monday, the council will vote", "will meet on Monday": a coming day.
            if future_before(doc, found.span.start) || future_after(doc, found.span.end, s.end) {
                return;
            }
            if found.opens && found.when.rank() > opening.rank() {
                opening = found.when;
            }
            let When::At(p) = found.when else { return };
            let recent = earliest.is_none_or(|e| p.first >= e);
            if p.precision == Precision::Day && recent && !possessive(doc, found.span.end) {
                names = Some(p.first);
            }
        });
        let sets = match opening {
            When::At(p) if p.precision == Precision::Day => Some(Setting::Day(p.first)),
            When::At(_) | When::Vague => Some(Setting::Off),
            // "Earlier, …"
            When::Unknown => (from..s.end)
                .find(|&k| doc.is_word(k))
                .filter(|&k| doc.is_in(k, &r.story.breaks))
                .map(|_| Setting::Off),
        };
        Reading { sets, names }
    }
}

/// A future auxiliary in the four words before token `k` ("will meet on Monday").
fn future_before(doc: &Doc, k: usize) -> bool {
    (k.saturating_sub(4)..k)
        .any(|x| doc.is_word(x) && time_expressions::is_future_auxiliary(doc.word(x)))
}

/// A future auxiliary in the six tokens from `k` on, before `end`.
fn future_after(doc: &Doc, k: usize, end: usize) -> bool {
    (k..(k + 6).min(end))
        .any(|x| doc.is_word(x) && time_expressions::is_future_auxiliary(doc.word(x)))
}

/// "Monday's vote": the day names a thing, not when the narration is.
fn possessive(doc: &Doc, k: usize) -> bool {
    k < doc.toks.len() && doc.is_word(k) && matches!(doc.word(k), "'s" | "’s")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(text: &str) -> (Doc<'_>, Option<Date>) {
        (Doc::new(text), "2020-03-10".parse().ok())
    }

    fn day(s: &str) -> Option<Setting> {
        Some(Setting::Day(s.parse().unwrap()))
    }

    #[test]
    fn an_opening_day_sets_the_paragraph_and_the_lede() {
        let text = "On Sunday, the Lions won. The coach was pleased.\n\nFans cheered.";
        let (doc, r) = story(text);
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.paragraph(0), None);
        assert_eq!(t.paragraph(1), day("2020-03-08"));
        assert_eq!(t.lede(1), "2020-03-08".parse().ok());
        assert_eq!(t.lede(0), "2020-03-08".parse().ok());
        assert_eq!(t.paragraph(2), None);
        assert_eq!(t.at(2), "2020-03-08".parse().ok());
    }

    #[test]
    fn a_date_line_is_not_the_lede() {
        let text = "Tuesday, March 10, 2020\n\nOn Monday, a storm hit the coast. Roads closed.";
        let (doc, r) = story(text);
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.lede(2), "2020-03-09".parse().ok());
        assert_eq!(t.lede(0), None);
    }

    #[test]
    fn a_body_without_paragraph_breaks_is_read_a_few_sentences_at_a_time() {
        let text = "On Sunday, the Lions won. Fans cheered. The coach spoke. Rain fell. \
                    Shops closed. On Monday, buses ran late. The mayor spoke.";
        let (doc, r) = story(text);
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.paragraph(1), day("2020-03-08"));
        assert_eq!(t.paragraph(3), day("2020-03-08"));
        assert_eq!(t.paragraph(4), None);
        assert_eq!(t.paragraph(6), day("2020-03-09"));
        assert_eq!(t.lede(6), None);
    }

    #[test]
    fn coarse_openers_and_break_words_move_off_the_day() {
        let text =
            "On Sunday, the Lions won. Last year, the club lost. Earlier, it sold a player. \
                    Fans cheered.";
        let (doc, r) = story(text);
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.paragraph(1), day("2020-03-08"));
        assert_eq!(t.paragraph(2), Some(Setting::Off));
        assert_eq!(t.sets(2, None), Some(Setting::Off));
        assert_eq!(t.paragraph(3), Some(Setting::Off));
    }

    #[test]
    fn background_and_coming_days_set_nothing() {
        let (doc, r) = story("The drive started on February 20. The vote will be on Friday.");
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.sets(0, None), None);
        assert_eq!(t.sets(1, None), None);
        let (doc, r) = story("Ann Lee was last seen on Wednesday. Police said she was safe.");
        assert_eq!(StoryTime::new(&doc, r, 0).paragraph(1), None);
        let (doc, r) = story("On Monday, the council will vote on the plan.");
        assert_eq!(StoryTime::new(&doc, r, 0).sets(0, None), None);
        // A day's name as a possessive names a thing.
        for text in ["Monday's vote was close.", "The result of Monday’s vote was close."] {
            let (doc, r) = story(text);
            assert_eq!(StoryTime::new(&doc, r, 0).sets(0, None), None, "{text}");
        }
    }

    #[test]
    fn the_previous_day_counts_from_the_story() {
        let (doc, r) = story("A storm hit on Friday. The previous day, officials warned.");
        let t = StoryTime::new(&doc, r, 0);
        // Named mid-sentence: not the paragraph's day, but what "that day" means.
        assert_eq!(t.paragraph(1), None);
        assert_eq!(t.at(1), "2020-03-06".parse().ok());
        assert_eq!(t.sets(1, t.at(1)), day("2020-03-05"));
    }
}
