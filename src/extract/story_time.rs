//! The story's own timeline: the day the narration is at, paragraph by paragraph.
//! A sentence sets a day when it opens with one ("On Sunday, …", "Wednesday, …",
//! "The previous day, …") or names one of the story's days outside quotations
//! ("… flew there on Monday"); it moves the narration off the story's day when it
//! opens with a coarser time or a break word ("Last year, …", "Earlier, …"). The
//! rules and words are in `data/rules/story-time.txt`.
//!
//! A sentence's paragraph day is the last day its paragraph's earlier sentences set;
//! the lede's day is the first day the story's first paragraph of narration sets (a
//! paragraph with no lower-case word, such as "Friday, May 3, 2019", is a date
//! line, not narration).
//!
//! Known limits: a day named mid-sentence may be an event's in background narration
//! ("the bridge, which closed on Monday, …") and is still taken as the story's day;
//! "on Monday" in a sentence about a coming Monday without "will" is read as the
//! Monday before; paragraphs are all the structure read (no section headings).

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

/// An article's timeline, computed paragraph by paragraph as statements ask.
pub(crate) struct StoryTime<'a> {
    doc: &'a Doc<'a>,
    reference: Option<Date>,
    /// The first token after a dateline in the body.
    text_from: usize,
    /// Per sentence, once its paragraph is read: what the earlier sentences of its
    /// paragraph set (the last setting).
    before: RefCell<Vec<Option<Option<Setting>>>>,
    /// The paragraph of the first sentence of narration.
    lede_para: Option<usize>,
    /// The lede's day and the sentence that set it, once read.
    lede: RefCell<Option<Option<(Date, usize)>>>,
}

impl<'a> StoryTime<'a> {
    pub fn new(doc: &'a Doc<'a>, reference: Option<Date>, text_from: usize) -> StoryTime<'a> {
        let narrates = |t: TokSpan| (t.start..t.end).any(|k| doc.is_lower(k));
        let lede_para =
            doc.sents.iter().find(|s| s.end > text_from && narrates(s.toks())).map(|s| s.para);
        StoryTime {
            doc,
            reference,
            text_from,
            before: RefCell::new(vec![None; doc.sents.len()]),
            lede_para,
            lede: RefCell::new(None),
        }
    }

    /// What the sentences of sentence `si`'s paragraph before it set.
    pub fn paragraph(&self, si: usize) -> Option<Setting> {
        if let Some(known) = self.before.borrow().get(si).copied().flatten() {
            return known;
        }
        self.read_paragraph(si);
        self.before.borrow().get(si).copied().flatten().flatten()
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
                match self.sets(sj, story) {
                    Some(Setting::Day(d)) => return Some((d, sj)),
                    Some(Setting::Off) => story = None,
                    None => {}
                }
            }
            None
        });
        *self.lede.borrow_mut() = Some(found);
        found
    }

    /// The day the story is at when sentence `si` starts, for "the previous day":
    /// its paragraph's, else the lede's (set by an earlier sentence).
    pub fn at(&self, si: usize) -> Option<Date> {
        match self.paragraph(si) {
            Some(Setting::Day(d)) => Some(d),
            Some(Setting::Off) => None,
            None => self.lede_entry().filter(|&(_, at)| at < si).map(|(d, _)| d),
        }
    }

    fn read_paragraph(&self, si: usize) {
        let doc = self.doc;
        let para = doc.sents[si].para;
        let first = doc.sents[..si].iter().rposition(|s| s.para != para).map_or(0, |p| p + 1);
        let mut current: Option<Setting> = None;
        let mut sj = first;
        while sj < doc.sents.len() && doc.sents[sj].para == para {
            self.before.borrow_mut()[sj] = Some(current);
            let story = match current {
                Some(Setting::Day(d)) => Some(d),
                Some(Setting::Off) => None,
                None => self.lede_unless_here(para),
            };
            if let Some(set) = self.sets(sj, story) {
                current = Some(set);
            }
            sj += 1;
        }
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
    pub fn sets(&self, si: usize, story: Option<Date>) -> Option<Setting> {
        let doc = self.doc;
        let r = rules();
        let s = doc.sents[si];
        let from = s.start.max(self.text_from);
        if from >= s.end {
            return None;
        }
        let window = TokSpan::new(from, s.end);
        let refs = Refs { day: self.reference, story };
        let mut opening = When::Unknown;
        let mut within: Option<Date> = None;
        let earliest =
            self.reference.and_then(|d| d.checked_sub(r.story.max_setting_days_before.days()).ok());
        time_expressions::each(doc, window, ByteSpan::default(), refs, |found| {
            if found.bounds_a_span {
                return;
            }
            if found.opens {
                // "On Monday, the council will vote": a coming day.
                if rank(found.when) > rank(opening) && !future_after(doc, found.span.end, s.end) {
                    opening = found.when;
                }
                return;
            }
            let When::At(p) = found.when else { return };
            if within.is_some() || p.precision != Precision::Day {
                return;
            }
            let recent = earliest.is_none_or(|e| p.first >= e);
            if recent && !future_before(doc, found.span.start) && !possessive(doc, found.span.end) {
                within = Some(p.first);
            }
        });
        match opening {
            When::At(p) if p.precision == Precision::Day => return Some(Setting::Day(p.first)),
            When::At(_) | When::Vague => return Some(Setting::Off),
            When::Unknown => {}
        }
        // "Earlier, …", "Previously, …"
        let first_word = (from..s.end).find(|&k| doc.is_word(k));
        if first_word.is_some_and(|k| doc.is_in(k, &r.story.breaks)) {
            return Some(Setting::Off);
        }
        within.map(Setting::Day)
    }
}

/// The same order as `When`'s own: a day beats a coarser period, which beats a vague
/// past, which beats nothing.
fn rank(w: When) -> u8 {
    match w {
        When::Unknown => 0,
        When::Vague => 1,
        When::At(p) => 2 + p.precision as u8,
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
        let text = "Tuesday, March 10, 2020\n\nA storm hit the coast on Monday. Roads closed.";
        let (doc, r) = story(text);
        let t = StoryTime::new(&doc, r, 0);
        assert_eq!(t.lede(2), "2020-03-09".parse().ok());
        assert_eq!(t.lede(0), None);
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
        assert_eq!(t.paragraph(1), day("2020-03-06"));
        assert_eq!(t.sets(1, t.at(1)), day("2020-03-05"));
    }
}
