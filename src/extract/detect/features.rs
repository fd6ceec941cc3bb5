//! The features of the cue classifier and of the content-span ranker. The hash of
//! this file's text is their feature set's version.
//!
//! Known limits: no part of speech; a word's use as a verb or noun shows only in the
//! words around it ("the call" against "he called") and its cluster.

use super::{Claimed, Lexicon, Span};
use crate::extract::doc::Doc;
use crate::extract::mentions;
use crate::extract::tokens::Tok;
use crate::learn::clusters::prefix;
use crate::learn::features::bucket;
use crate::learn::{Clusters, Feats};
use crate::lexicon::{lower, rules};

/// Token `k` as a feature value: its lower-cased word, a punctuation mark, `"` for
/// a quotation mark, `¶` for a paragraph break, `^` past the ends.
fn tok(doc: &Doc, k: Option<usize>) -> String {
    match k.and_then(|k| doc.toks.get(k).map(|t| (k, t))) {
        None => "^".into(),
        Some((_, t)) if t.kind == Tok::Break => "¶".into(),
        Some((_, t)) if t.is_quote() => "\"".into(),
        Some((_, t)) => match t.kind {
            Tok::Punct(c) => c.to_string(),
            _ => lower(&doc.text[t.start..t.end]).into_owned(),
        },
    }
}

/// A word's base form: the speech verb's, else the word less a common ending.
fn lemma(word: &str) -> String {
    let w = lower(word);
    if let Some(l) = rules().speech_verb(&w) {
        return l.to_string();
    }
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(stem) = w.strip_suffix(suffix) {
            if stem.len() >= 3 {
                return stem.to_string();
            }
        }
    }
    w.into_owned()
}

fn cluster(clusters: Option<&Clusters>, doc: &Doc, k: usize, bits: usize) -> Option<String> {
    if !doc.is_word(k) {
        return None;
    }
    clusters?.path(doc.word(k)).map(|p| prefix(p, bits).to_string())
}

/// The features of token `i` as a cue.
pub fn cue_features(
    doc: &Doc,
    clusters: Option<&Clusters>,
    i: usize,
    claimed: &Claimed,
    out: &mut Feats,
) {
    out.clear();
    out.flag("bias");
    let w = tok(doc, Some(i));
    let lem = lemma(doc.word(i));
    out.add("word", &w);
    out.add("lemma", &lem);
    let suffix: String = w.chars().rev().take(3).collect::<Vec<char>>().into_iter().rev().collect();
    out.add("suffix", &suffix);
    let r = rules();
    if r.speech_verb(&w).is_some() {
        out.flag("speech-verb");
    }
    if r.cue_nouns.contains(&w) {
        out.flag("cue-noun");
    }
    for (name, k) in [
        ("prev", i.checked_sub(1)),
        ("prev2", i.checked_sub(2)),
        ("next", Some(i + 1)),
        ("next2", Some(i + 2)),
    ] {
        let t = tok(doc, k);
        out.add(name, &t);
        if name == "prev" || name == "next" {
            out.add2(&format!("lemma-{name}"), &lem, &t);
        }
    }
    if let Some(c) = cluster(clusters, doc, i, 64) {
        out.add("cluster", &c);
        out.add("cluster8", prefix(&c, 8));
    }
    for (name, k) in [("prev-cluster", i.checked_sub(1)), ("next-cluster", Some(i + 1))] {
        if let Some(c) = k.and_then(|k| cluster(clusters, doc, k, 6)) {
            out.add(name, &c);
        }
    }
    let s = doc.sents[doc.sent_of[i] as usize];
    // Who stands before it: a name, a pronoun, a determiner (a noun use).
    if i > s.start {
        let p = i - 1;
        if doc.is_cap(p) {
            out.flag("name-before");
        }
        if mentions::is_pronoun(doc, p) {
            out.flag("pronoun-before");
        }
        if doc.toks[p].is_quote() || doc.is_punct(p, ',') && i >= 2 && doc.toks[p - 1].is_quote() {
            out.flag("quote-before");
        }
    }
    if mentions::before(doc, s.start, i).is_some() {
        out.flag("mention-before");
    }
    if mentions::after(doc, i + 1, s.end).is_some() {
        out.flag("mention-after");
    }
    let ahead = (i + 1..(i + 4).min(s.end)).map(|k| tok(doc, Some(k))).collect::<Vec<_>>();
    if ahead.iter().any(|t| t == "that") {
        out.flag("that-ahead");
    }
    if (i + 1..(i + 8).min(s.end)).any(|k| doc.toks[k].is_quote()) {
        out.flag("quote-ahead");
    }
    if (s.start..s.end).any(|k| doc.toks[k].is_quote()) {
        out.flag("sentence-quotes");
    }
    if claimed.in_sentence(doc, i) {
        out.flag("sentence-has-statement");
    }
    if i == s.start || (i == s.start + 1 && !doc.is_word(s.start)) {
        out.flag("opens-sentence");
    }
    if doc.is_punct(s.end.saturating_sub(1), '?') {
        out.flag("question");
    }
}

/// The features of content `sp` for the cue at token `i`.
pub fn span_features(
    doc: &Doc,
    lex: &Lexicon,
    clusters: Option<&Clusters>,
    i: usize,
    sp: &Span,
    out: &mut Feats,
) {
    out.clear();
    out.flag("bias");
    let lem = lemma(doc.word(i));
    let side = if sp.left_of_cue(i) { "left" } else { "right" };
    out.add("side", side);
    out.add2("lemma-side", &lem, side);
    out.add("from", sp.from.as_str());
    out.add("to", sp.to.as_str());
    out.add2("from-to", sp.from.as_str(), sp.to.as_str());
    out.add2("lemma-from", &lem, sp.from.as_str());
    out.add2("lemma-to", &lem, sp.to.as_str());
    let words = (sp.start..sp.end).filter(|&k| doc.is_word(k)).count();
    out.num("words", bucket(words / 2));
    let gap = if sp.left_of_cue(i) { i - sp.end } else { sp.start - (i + 1) };
    out.num("gap", bucket(gap));
    let first = tok(doc, Some(sp.start));
    let last = tok(doc, Some(sp.end - 1));
    out.add("first", &first);
    out.add("last", &last);
    out.add("before", &tok(doc, sp.start.checked_sub(1)));
    out.add("after", &tok(doc, Some(sp.end)));
    out.add2("lemma-first", &lem, &first);
    if let Some(c) = cluster(clusters, doc, sp.start, 6) {
        out.add("first-cluster", &c);
    }
    if let Some(c) = cluster(clusters, doc, sp.end - 1, 6) {
        out.add("last-cluster", &c);
    }
    let quotes = (sp.start..sp.end).filter(|&k| doc.toks[k].is_quote()).count();
    out.num("quote-marks", quotes.min(4) as i64);
    if let (Some(q1), Some(q2)) = (doc.quote_at(sp.start), doc.quote_at(sp.end - 1)) {
        if q1 == q2 && doc.quotes[q1].open == sp.start {
            out.flag("one-quotation");
        }
    }
    let commas =
        (sp.start..sp.end).filter(|&k| doc.is_punct(k, ',') && doc.quote_at(k).is_none()).count();
    out.num("commas", commas.min(4) as i64);
    if (sp.start..sp.end).any(|k| {
        doc.quote_at(k).is_none()
            && k != i
            && lex.has(doc, k)
            && rules().speech_verb(doc.word(k)).is_some()
    }) {
        out.flag("holds-cue");
    }
    let s = doc.sents[doc.sent_of[i] as usize];
    if sp.end == s.end || (sp.end + 1 == s.end && !doc.is_word(s.end - 1)) {
        out.flag("to-sentence-end");
    }
}
