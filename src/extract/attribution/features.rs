//! The speaker ranker's features: what it knows of each candidate source. Every
//! feature is also conjoined with the pattern that found the statement. The hash of
//! this file's text is the feature set's version (see `features_version`), so a
//! change here needs `scripts/train`.
//!
//! Known limits: words are hashed as written (lower-cased); cluster features need
//! `data/models/clusters.tsv`.

use super::{Candidate, Choice, Context};
use crate::extract::cues::DraftStatement;
use crate::extract::doc::Doc;
use crate::extract::mentions::{Mention, MentionKind};
use crate::extract::span::TokSpan;
use crate::extract::tokens::Tok;
use crate::learn::clusters::prefix;
use crate::learn::features::bucket;
use crate::learn::Feats;
use crate::lexicon::{lower, rules};

/// The lower-cased word or punctuation of token `k`, or "^"/"$" past the ends.
fn tok_text<'d>(doc: &Doc<'d>, k: Option<usize>) -> std::borrow::Cow<'d, str> {
    match k.and_then(|k| doc.toks.get(k).map(|t| (k, t))) {
        None => std::borrow::Cow::Borrowed("^"),
        Some((_, t)) if t.kind == Tok::Break => std::borrow::Cow::Borrowed("¶"),
        Some((_, t)) if t.is_quote() => std::borrow::Cow::Borrowed("\""),
        Some((k, _)) => lower(doc.word(k)),
    }
}

/// A word's cue lemma: the speech verb's base form, else the word itself.
fn lemma<'d>(doc: &Doc<'d>, k: usize) -> std::borrow::Cow<'d, str> {
    match rules().speech_verb(doc.word(k)) {
        Some(l) => std::borrow::Cow::Owned(l.to_string()),
        None => lower(doc.word(k)),
    }
}

/// The features of one candidate of statement `idx`.
pub fn features(
    ctx: &Context,
    found: &[DraftStatement],
    idx: usize,
    c: &Candidate,
    out: &mut Feats,
) {
    out.clear();
    let doc = ctx.doc;
    let f = &found[idx];
    out.flag("bias");
    if c.rule {
        out.flag("rule");
    }
    let kind = f.kind.as_str();
    match c.choice {
        Choice::Nobody => {
            out.flag("nobody");
            out.add("nobody-kind", kind);
            out.add(
                "nobody-had",
                if f.mention.is_some() {
                    "mention"
                } else if f.continues.is_some() {
                    "continues"
                } else {
                    "none"
                },
            );
            if f.cue.is_none() {
                out.flag("nobody-nocue");
            }
        }
        Choice::Previous(p) => {
            let prev = &found[p];
            out.flag("prev");
            let pp = doc.sents[prev.sent].para;
            let here = doc.sents[f.sent].para;
            out.num("prev-para", bucket(here.saturating_sub(pp)));
            out.num("prev-back", bucket(idx - p));
            out.add("prev-kind", prev.kind.as_str());
            out.add("prev-rule", prev.rule.as_str());
            out.add(
                "prev-mention",
                match prev.mention.map(|m| m.kind) {
                    Some(MentionKind::Name) => "name",
                    Some(MentionKind::Pronoun) => "pronoun",
                    Some(MentionKind::Description) => "description",
                    None => "none",
                },
            );
            // Names between the two statements make a change of speaker likely.
            let between = (prev.sent + 1..f.sent).map(|s| ctx.mentions(s).len()).sum::<usize>();
            out.num("prev-between", bucket(between));
        }
        Choice::Mention(m) => mention_features(ctx, found, idx, &m, out),
    }
    // Every feature again, specific to the pattern that found the statement.
    out.conjoin_all("pattern", f.rule.as_str());
}

fn mention_features(
    ctx: &Context,
    found: &[DraftStatement],
    idx: usize,
    m: &Mention,
    out: &mut Feats,
) {
    let doc = ctx.doc;
    let f = &found[idx];
    let kind: std::borrow::Cow<str> = match m.kind {
        MentionKind::Name => "name".into(),
        MentionKind::Description => "description".into(),
        MentionKind::Pronoun => format!("pronoun:{}", lower(doc.word(m.span.start))).into(),
    };
    out.add("kind", &kind);
    let msent = doc.sent_of[m.span.start] as usize;
    let srel = msent as i64 - f.sent as i64;
    out.num("sent", srel);
    out.add2("kind-sent", &kind, &srel.to_string());
    if m.role.is_some() {
        out.flag("appositive");
    }
    // Where it stands against the cue.
    if let Some(TokSpan { start: ca, end: cb }) = f.cue {
        let (side, dist) = if m.span.end <= ca {
            ("left", ca - m.span.end)
        } else if m.span.start >= cb {
            ("right", m.span.start - cb)
        } else {
            ("over", 0)
        };
        let lemma = lemma(doc, ca);
        out.add("side", side);
        out.add2("side-dist", side, &bucket(dist).to_string());
        out.add2("lemma-side", &lemma, side);
        out.add2("kind-side", &kind, side);
        if srel == 0 {
            out.add2("lemma-side-near", &lemma, &format!("{side}{}", bucket(dist).min(4)));
        }
        // "X also said", "said X": nothing but skip words in between.
        let end = m.role.map_or(m.span.end, |r| r.end.max(m.span.end));
        let only_skips = |a: usize, b: usize| {
            (a..b).all(|k| {
                doc.is_lower(k) && rules().skip_words.contains(doc.word(k)) || doc.is_punct(k, ',')
            })
        };
        if side == "left" && only_skips(end.min(ca), ca) {
            out.flag("adjacent-left");
            out.add("adjacent-left-kind", &kind);
        }
        if side == "right" && only_skips(cb, m.span.start) {
            out.flag("adjacent-right");
            out.add("adjacent-right-lemma", &lemma);
        }
    } else {
        out.flag("no-cue");
    }
    // Against the content.
    let bytes = doc.bytes(m.span);
    let place = if bytes.end <= f.span.start {
        "before"
    } else if bytes.start >= f.span.end {
        "after"
    } else {
        "inside"
    };
    out.add("content", place);
    out.add2("content-kind", place, f.kind.as_str());
    // Context words.
    let before = m.span.start.checked_sub(1);
    let after_end = m.role.map_or(m.span.end, |r| r.end.max(m.span.end));
    let pw = tok_text(doc, before);
    let nw = tok_text(doc, Some(after_end));
    out.add("prev-word", &pw);
    out.add("next-word", &nw);
    out.add2("prev-word2", &tok_text(doc, m.span.start.checked_sub(2)), &pw);
    out.add2("kind-next", &kind, &nw);
    if let Some(p) = before.and_then(|k| ctx.path(k)) {
        out.add("prev-cluster", prefix(p, 6));
    }
    if let Some(p) = (after_end < doc.toks.len()).then(|| ctx.path(after_end)).flatten() {
        out.add("next-cluster", prefix(p, 6));
    }
    // Subject-like: the first candidate of its sentence.
    if ctx.mentions(msent).first().is_some_and(|x| x.span.start == m.span.start) {
        out.flag("first-in-sentence");
    }
    if doc.sents[msent].start == m.span.start {
        out.flag("opens-sentence");
    }
    match m.kind {
        MentionKind::Name => {
            let (name, person, count) = ctx.name_of(m);
            let name: &str = &name;
            out.add("person", if person { "yes" } else { "no" });
            out.num("count", bucket(count));
            let words = name.split(' ').count();
            out.num("words", words.min(4) as i64);
            if name.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
                out.flag("all-caps");
            }
            let earlier = ctx.rule_names[..idx].iter().rev().take(8).flatten();
            if ctx.rule_names[..idx].last().and_then(|n| n.as_deref()) == Some(name) {
                out.flag("same-as-previous-speaker");
            } else if earlier.clone().any(|n| *n == name) {
                out.flag("recent-speaker");
            }
            let last = doc.word(m.span.end - 1);
            if rules().not_person.contains(last.trim_end_matches(['’', '\'', 's'])) {
                out.flag("organization-word");
            }
        }
        MentionKind::Description => {
            let head = lower(doc.word(m.span.end - 1));
            out.add("head", &head);
            if let Some(p) = ctx.clusters.and_then(|c| c.path(&head)) {
                out.add("head-cluster", prefix(p, 8));
            }
            let det = lower(doc.word(m.span.start));
            out.add("determiner", &det);
        }
        MentionKind::Pronoun => {}
    }
    // Inside a quotation (only the rules' own mention can be).
    if doc.quote_at(m.span.start).is_some() {
        out.flag("in-quote");
    }
    // Inside the content: allowed only for the rules' own mention ("The museum, Lee
    // said, would …").
    if f.span.covers(bytes) {
        out.flag("inside-content");
    }
}
