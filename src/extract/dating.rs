//! When each statement was made. Its own words first: the time words of its own
//! sentence near its attribution, read by `time_expressions` against the reference
//! day and the story's time (`text`). Then, in the order of
//! `data/rules/story-time.txt`: the statement it continues, its paragraph's day, the
//! statement before it by the same speaker, the lede's day (`context`; see
//! `story_time`), the dateline's day (`dateline`) and the publication day
//! (`article`).
//!
//! No day at all for: an announced statement ("will testify"); a vague past ("has
//! said", "in the past"); a statement said before the story's time ("had said").
//! A present-tense cue ("says", "is warning") and a break word at the cue ("said
//! earlier") skip the story's time: the dateline's or the article's day. A day more than a week after the article
//! or decades before it (bounds in the rules file) is rejected, kept in
//! `date_rejected`, and the next rule dates the statement.
//!
//! Known limits: tense is read from the cue word only; a statement whose content is
//! far from its cue may take a day named in its content when the cue pass left
//! that day outside the content.

use jiff::civil::Date;
use jiff::ToSpan;

use super::cues::DraftStatement;
use super::doc::Doc;
use super::reference_day::ReferenceDay;
use super::resolve::Resolved;
use super::span::{ByteSpan, TokSpan};
use super::story_time::{Setting, StoryTime};
use super::time_expressions::{self, When};
use crate::lexicon::{lower, rules, Step};
use crate::statement::{DateSource, Kind, Period};

/// How many words (quotations not counted) around a statement's speaker and cue
/// are read for its date.
const DATE_WINDOW: usize = 8;

/// A statement's date, where it came from, and a day its words gave that could not
/// be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dated {
    pub when: When,
    pub source: Option<DateSource>,
    pub rejected: Option<Period>,
}

impl Dated {
    fn none() -> Dated {
        Dated { when: When::Unknown, source: None, rejected: None }
    }
}

/// Dates every statement of `found` (in text order), whose speakers are `speakers`.
pub(crate) fn date_all(
    doc: &Doc,
    days: &ReferenceDay,
    found: &[DraftStatement],
    speakers: &[Resolved],
) -> Vec<Dated> {
    if found.is_empty() {
        return Vec::new();
    }
    let story = StoryTime::new(doc, days.reference, days.text_from);
    let mut out: Vec<Dated> = Vec::with_capacity(found.len());
    for i in 0..found.len() {
        let d = date_one(doc, days, &story, found, speakers, &out, i);
        out.push(d);
    }
    out
}

fn date_one(
    doc: &Doc,
    days: &ReferenceDay,
    story: &StoryTime,
    found: &[DraftStatement],
    speakers: &[Resolved],
    before: &[Dated],
    i: usize,
) -> Dated {
    let f = &found[i];
    let s = doc.sents[f.sent];
    // "On Monday, she will testify": an announced statement has not been made, so
    // neither the day named nor the article's is its date.
    let announced = f.cue.is_some_and(|c| {
        c.start > 0 && time_expressions::is_future_auxiliary(doc.word(c.start - 1))
    });
    if announced {
        return Dated::none();
    }
    let mut rejected = None;
    // Its own sentence names another time ("in 1996", "in January", "at the time")
    // that is not the saying's: the story's day is not its day either.
    let mut elsewhere = false;
    if f.continues.is_none() {
        let own;
        (own, elsewhere) = own_words(doc, days, story, f);
        match own {
            When::At(p) if plausible(p, days) => {
                return Dated { when: When::At(p), source: Some(DateSource::Text), rejected };
            }
            When::At(p) => (rejected, elsewhere) = (Some(p), true),
            When::Vague => return Dated::none(),
            When::Unknown => {}
        }
    }
    let brk = if f.continues.is_none() { break_at(doc, f) } else { Break::None };
    if brk == Break::Before {
        return Dated { rejected, ..Dated::none() };
    }
    // Present tense ("says") and a break ("said earlier") keep the article's day.
    let own_day = brk == Break::Off || elsewhere || f.cue.is_some_and(|c| is_present(doc, c));
    let mut off = false;
    for step in &rules().story.order {
        let (when, source) = match step {
            Step::Continuation => match f.continues.and_then(|p| before.get(p)) {
                Some(c) => (c.when, c.source.map(inherited)),
                None => continue,
            },
            Step::Paragraph if !own_day => match story.paragraph(f.sent) {
                Some(Setting::Day(d)) => (When::At(Period::day(d)), Some(DateSource::Context)),
                Some(Setting::Off) => {
                    off = true;
                    continue;
                }
                None => continue,
            },
            Step::SameSpeaker if !own_day => {
                // A statement that goes on from the one before it by the same speaker
                // (the same, next sentence or paragraph) was made when that one was.
                let prev = i.checked_sub(1).filter(|&p| {
                    speakers[p].speaker.is_some()
                        && speakers[p].speaker == speakers[i].speaker
                        && doc.sents[found[p].sent].para + 1 >= s.para
                });
                match prev.and_then(|p| before.get(p)) {
                    Some(p) if matches!(p.source, Some(DateSource::Text | DateSource::Context)) => {
                        (p.when, Some(DateSource::Context))
                    }
                    _ => continue,
                }
            }
            Step::Lede if !own_day && !off => match story.lede(f.sent) {
                Some(d) => (When::At(Period::day(d)), Some(DateSource::Context)),
                None => continue,
            },
            Step::Dateline => match days.dateline_day {
                Some(d) => (When::At(Period::day(d)), Some(DateSource::Dateline)),
                None => continue,
            },
            Step::Article => match days.article_day {
                Some(d) => (When::At(Period::day(d)), Some(DateSource::Article)),
                None => continue,
            },
            Step::Paragraph | Step::SameSpeaker | Step::Lede => continue,
        };
        match when {
            When::At(p) if !plausible(p, days) => {
                rejected = rejected.or(Some(p));
            }
            When::At(_) => return Dated { when, source, rejected },
            // A continued statement with no date: nor has this one.
            _ => return Dated { when, source: None, rejected },
        }
    }
    Dated { rejected, ..Dated::none() }
}

/// A day a statement took from another: from the other's words or the story, it is
/// the story's; the dateline's and the article's stay theirs.
fn inherited(s: DateSource) -> DateSource {
    match s {
        DateSource::Text | DateSource::Context => DateSource::Context,
        other => other,
    }
}

/// What the statement's own sentence says near its attribution, and whether it
/// names a time elsewhere (outside the content, quotations and a clause about the
/// speaker) that is not the saying's.
fn own_words(
    doc: &Doc,
    days: &ReferenceDay,
    story: &StoryTime,
    f: &DraftStatement,
) -> (When, bool) {
    let s = doc.sents[f.sent];
    // Quotations are skipped anyway; a direct statement's span may hold its own
    // attribution ("“…,” Lee said on Tuesday. “…”").
    let skip = if f.kind == Kind::Direct { ByteSpan::default() } else { f.span };
    // Time words count near the attribution only: a date elsewhere in the sentence
    // is usually an event's ("the revolution of March 1917"), unless it opens the
    // sentence.
    let anchors = f.mention.map(|m| m.span).into_iter().chain(f.cue);
    let Some(at) = anchors.reduce(TokSpan::union) else { return (When::Unknown, false) };
    let from = s.start.max(days.text_from);
    if from >= s.end {
        return (When::Unknown, false);
    }
    let near_end = words_after(doc, at.end, DATE_WINDOW, s.end);
    // "Mira Holt, who was elected in 2014, said": the clause is about her, not
    // about the saying.
    let aside = match (f.mention, f.cue) {
        (Some(m), Some(c)) if m.span.end < c.start => (m.span.end..c.start)
            .find(|&k| doc.is_in(k, &rules().story.aside))
            .map_or(TokSpan::default(), |w| TokSpan::new(w, c.start)),
        _ => TokSpan::default(),
    };
    let sentence = (TokSpan::new(from, s.end), near_end);
    let read = days.in_text(doc, sentence, at.start, (skip, aside), story.at(f.sent));
    (read.when, read.elsewhere)
}

/// The token `n` tokens after `k`, not counting tokens inside quotations (the words
/// after a quotation that ends "…,” he said, while addressing the press yesterday"
/// are the attribution's), and not after `limit`.
fn words_after(doc: &Doc, k: usize, n: usize, limit: usize) -> usize {
    let mut k = k;
    let mut left = n;
    while k < limit && left > 0 {
        if doc.quote_at(k).is_none() {
            left -= 1;
        }
        k += 1;
    }
    k
}

/// How a statement's cue stands to the story's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Break {
    None,
    /// "had said": before the story's time, on a day the text does not give.
    Before,
    /// "Acme earlier reported", "said earlier": not at the story's time.
    Off,
}

/// What the words right around the cue say about the story's time.
fn break_at(doc: &Doc, f: &DraftStatement) -> Break {
    let Some(cue) = f.cue else { return Break::None };
    let st = &rules().story;
    // The words just before the cue, and past "also", "previously" and the like.
    let mut k = cue.start;
    while k > 0 && doc.is_lower(k - 1) && rules().skip_words.contains(doc.word(k - 1)) {
        k -= 1;
    }
    let had = (k.saturating_sub(1)..cue.start).filter(|&x| doc.is_word(x)).any(|x| {
        let w = lower(doc.word(x));
        st.break_before_cue.contains(w.as_ref()) || w.ends_with("'d") || w.ends_with("’d")
    });
    if had {
        return Break::Before;
    }
    let adjacent = (k.saturating_sub(1)..cue.start).chain([cue.end]);
    if adjacent
        .into_iter()
        .any(|x| x < doc.toks.len() && doc.is_word(x) && doc.is_in(x, &st.breaks))
    {
        return Break::Off;
    }
    Break::None
}

/// A cue in the present: a speech verb in "-s" ("says", "tells") or "-ing" after
/// "is", "are" ("is warning").
fn is_present(doc: &Doc, cue: TokSpan) -> bool {
    let k = cue.start;
    if !doc.is_word(k) || !doc.is_lower(k) {
        return false;
    }
    let w = doc.word(k);
    let speech = rules().speech_verb(w).is_some();
    let in_s = w.ends_with('s') && !w.ends_with("ss");
    let in_ing = w.ends_with("ing") && k > 0 && doc.is_in(k - 1, &rules().story.present);
    speech && (in_s || in_ing)
}

/// A day that can be when something in this article was said: not more than a week
/// after the article (or its reference day), nor decades before it.
fn plausible(p: Period, days: &ReferenceDay) -> bool {
    let Some(a) = days.article_day.or(days.reference) else { return true };
    let st = &rules().story;
    let latest = a.checked_add(st.max_days_after.days()).unwrap_or(Date::MAX);
    let earliest = a.checked_sub(i64::from(st.max_years_before).years()).unwrap_or(Date::MIN);
    p.first <= latest && p.last() >= earliest
}
