//! Training examples for the cue classifier and the content-span ranker
//! (`extract::detect`), and the learned cue words.
//!
//! - Cue words: the head word of every speech attribution's cue in the training
//!   split (its speech verb, else its first word that is not an auxiliary, an
//!   adverb in "-ly" or a function word), kept when it heads at least two.
//! - Cue examples: every lexicon word outside quotations and outside the rules'
//!   statements; yes when it heads a speech cue; left out when it is inside another
//!   annotated cue or content (PolNeAR annotates no attribution inside another, so
//!   "no" there would be a guess).
//! - Span examples: for every speech cue head, the candidate contents; right are
//!   those with the best overlap with the annotated content, when it reaches one
//!   half.
//!
//! Known limits: attributions without a speech cue (beliefs, polls) teach nothing.

use std::collections::BTreeMap;

use super::align;
use super::examples::Group;
use super::polnear::GoldArticle;
use crate::extract::cues::DraftStatement;
use crate::extract::detect::{self, Claimed, Lexicon};
use crate::extract::doc::Doc;
use crate::learn::{Clusters, Feats};
use crate::lexicon::{lower, rules};

/// The token that heads an annotated cue, if any.
fn head(doc: &Doc, cue: &[usize]) -> Option<usize> {
    let r = rules();
    let plain = |k: usize| {
        let w = lower(doc.word(k));
        !(r.skip_words.contains(&w)
            || r.auxiliaries.contains(&w)
            || r.function_words.contains(doc.word(k))
            || w.ends_with("ly")
            || matches!(w.as_ref(), "not" | "to" | "the" | "a" | "an" | "n't"))
    };
    cue.iter()
        .copied()
        .find(|&k| r.speech_verb(doc.word(k)).is_some())
        .or_else(|| cue.iter().copied().find(|&k| plain(k)))
}

/// Per article: the head token of each speech attribution's cue (attribution index).
pub fn heads(gold: &GoldArticle, doc: &Doc) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (gi, a) in gold.attributions.iter().enumerate() {
        if !a.speech {
            continue;
        }
        if let Some(h) = head(doc, &align::tokens(doc, &a.cue)) {
            out.push((h, gi));
        }
    }
    out
}

/// Counts of cue heads and of all lower-case words, to choose the cue words.
pub fn count_words(doc: &Doc, heads: &[(usize, usize)], counts: &mut BTreeMap<String, (u32, u32)>) {
    for k in 0..doc.toks.len() {
        if doc.is_lower(k) && doc.quote_at(k).is_none() {
            counts.entry(lower(doc.word(k)).into_owned()).or_default().1 += 1;
        }
    }
    for &(h, _) in heads {
        if doc.is_lower(h) {
            counts.entry(lower(doc.word(h)).into_owned()).or_default().0 += 1;
        }
    }
}

/// A learned cue word heads a speech cue at least this often in its uses outside
/// quotations: "voted" (3 of 84) reports a vote, not speech, far more often.
const MIN_CUE_RATE: f64 = 0.1;

/// The cue-words file: words heading at least two speech cues, and at least
/// `MIN_CUE_RATE` of their uses.
pub fn cue_words(counts: &BTreeMap<String, (u32, u32)>) -> String {
    let mut out = String::from("# Cue words of PolNeAR's training split, written by scripts/train:\n# word, times it heads a speech cue, times it occurs outside quotations\n# (kept: at least 2, and at least a twentieth of its uses).\n");
    for (w, (cue, all)) in counts {
        if *cue >= 2 && f64::from(*cue) >= MIN_CUE_RATE * f64::from((*all).max(1)) {
            out.push_str(&format!("{w}\t{cue}\t{all}\n"));
        }
    }
    out
}

/// Counts for the training report.
#[derive(Default, Debug, Clone, Copy)]
pub struct Tally {
    pub cue_yes: usize,
    pub cue_no: usize,
    pub span_groups: usize,
    pub span_unreachable: usize,
}

/// The cue examples (features, yes/no) and span groups of one article; `found` are
/// the rules' statements before `orphans`.
pub fn examples(
    gold: &GoldArticle,
    doc: &Doc,
    found: &[DraftStatement],
    lex: &Lexicon,
    clusters: Option<&Clusters>,
    tally: &mut Tally,
) -> (Vec<(Feats, bool)>, Vec<Group>) {
    let heads = heads(gold, doc);
    let claimed = Claimed::new(doc, found);
    let mut inside = vec![false; doc.toks.len()];
    for a in &gold.attributions {
        for k in align::tokens(doc, &a.cue).into_iter().chain(align::tokens(doc, &a.content)) {
            inside[k] = true;
        }
    }
    let mut cues = Vec::new();
    for (k, &in_gold) in inside.iter().enumerate() {
        if !lex.has(doc, k) || doc.quote_at(k).is_some() || claimed.has(k) {
            continue;
        }
        let yes = heads.iter().any(|&(h, _)| h == k);
        if !yes && in_gold {
            continue;
        }
        let mut f = Feats::new();
        detect::cue_features(doc, clusters, k, &claimed, &mut f);
        if yes {
            tally.cue_yes += 1;
        } else {
            tally.cue_no += 1;
        }
        cues.push((f, yes));
    }
    let mut groups = Vec::new();
    for &(h, gi) in &heads {
        if !doc.is_lower(h) || doc.quote_at(h).is_some() {
            continue;
        }
        let content = align::tokens(doc, &gold.attributions[gi].content);
        let cands = detect::spans(doc, lex, h);
        let dice: Vec<f64> = cands
            .iter()
            .map(|sp| {
                let toks: Vec<usize> = (sp.start..sp.end).filter(|&k| doc.is_word(k)).collect();
                align::dice(&toks, &content)
            })
            .collect();
        let best = dice.iter().copied().fold(0.0, f64::max);
        if best < 0.5 {
            tally.span_unreachable += 1;
            continue;
        }
        tally.span_groups += 1;
        let feats = cands
            .iter()
            .map(|sp| {
                let mut f = Feats::new();
                detect::span_features(doc, lex, clusters, h, sp, &mut f);
                f
            })
            .collect();
        groups.push(Group {
            cands: feats,
            gold: dice.iter().map(|&d| d == best).collect(),
            rule_right: false,
            source: false,
        });
    }
    (cues, groups)
}
