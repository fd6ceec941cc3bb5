//! Training examples for the antecedent ranker (`extract::coref`): every speaker
//! pronoun outside quotations ("he", "she", "they", "it") in a PolNeAR article, its
//! candidates, and which are right by CoreNLP's chains: the chain whose mention
//! best overlaps the pronoun gives a representative, and a candidate is right when
//! its last word is one of the representative's words, the rule
//! `scripts/eval-polnear` scores pronoun sources with. Pronouns whose chain has no
//! representative but a pronoun, and pronouns no candidate reaches, teach nothing.
//!
//! Known limits: CoreNLP's chains are automatic and sometimes wrong ("he" → "the
//! park"); the model learns their errors along with their rule. The speakers of
//! earlier statements are the rules' resolutions, not the model's.

use super::align;
use super::examples::Group;
use super::polnear::GoldArticle;
use crate::extract::coref::{self, Context};
use crate::extract::cues::DraftStatement;
use crate::extract::doc::Doc;
use crate::extract::registry::Registry;
use crate::extract::resolve;
use crate::extract::span::{ByteSpan, TokSpan};
use crate::learn::{Clusters, Feats};

/// Counts for the training report.
#[derive(Default, Debug, Clone, Copy)]
pub struct Tally {
    /// Pronouns with a chain whose representative is not a pronoun.
    pub pronouns: usize,
    pub groups: usize,
    /// Groups whose pronoun is a statement's source.
    pub source_groups: usize,
    /// Of those, where the rules' resolution is right.
    pub source_rules_right: usize,
}

const PRONOUNS: &[&str] = &[
    "he", "she", "they", "him", "her", "them", "his", "hers", "their", "i", "we", "you", "it",
    "me", "us", "theirs", "our", "my", "its",
];

/// The representative of the chain whose mention best overlaps bytes `(a, b)`, as
/// the evaluation picks it (most overlap, then the shortest mention).
fn representative(gold: &GoldArticle, ByteSpan { start: a, end: b }: ByteSpan) -> Option<&str> {
    let chains = gold.chains.as_ref()?;
    let mut best: Option<((usize, std::cmp::Reverse<usize>), &str)> = None;
    for c in chains {
        for &ByteSpan { start: s, end: e } in &c.mentions {
            let ov = e.min(b).saturating_sub(s.max(a));
            if ov == 0 {
                continue;
            }
            let key = (ov, std::cmp::Reverse(e - s));
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, &c.representative));
            }
        }
    }
    let rep = best?.1;
    let low = rep.trim().to_lowercase();
    (!PRONOUNS.contains(&low.as_str()) && !align::words(rep).is_empty()).then_some(rep)
}

/// The groups of one article; `found` are the statements of `doc` (with the
/// speaker ranker's mentions when it ran).
pub fn groups(
    gold: &GoldArticle,
    doc: &Doc,
    found: &[DraftStatement],
    clusters: Option<&Clusters>,
    tally: &mut Tally,
) -> Vec<Group> {
    let reg = Registry::build(doc, found);
    let ctx = Context::new(doc, &reg, clusters);
    let resolved = resolve::resolve(doc, &reg, found, None, None);
    // Where each statement's attribution is, to know which came before a pronoun.
    let anchors: Vec<usize> = found
        .iter()
        .map(|f| {
            f.mention.map_or_else(
                || doc.toks.partition_point(|t| t.start < f.span.start),
                |m| m.span.start,
            )
        })
        .collect();
    let mut out = Vec::new();
    for k in 0..doc.toks.len() {
        if !doc.is_among(k, &["he", "she", "they", "it"]) || doc.quote_at(k).is_some() {
            continue;
        }
        let Some(rep) = representative(gold, doc.bytes(TokSpan::new(k, k + 1))) else { continue };
        tally.pronouns += 1;
        let rep_words = align::words(rep);
        let recent: Vec<(&str, bool)> = (0..found.len())
            .rev()
            .filter(|&i| anchors[i] < k)
            .filter_map(|i| resolved[i].speaker.as_deref())
            .take(coref::RECENT)
            .map(|n| (n, reg.is_person(n)))
            .collect();
        let cands = coref::candidates(&ctx, k, &recent);
        let labels: Vec<bool> = cands
            .iter()
            .map(|c| align::last_word(&c.name).is_some_and(|w| rep_words.contains(&w)))
            .collect();
        if !labels.iter().any(|&l| l) {
            continue;
        }
        tally.groups += 1;
        let source = found.iter().position(|f| f.mention.is_some_and(|m| m.span.start == k));
        let rule_right = source.is_some_and(|i| {
            resolved[i]
                .speaker
                .as_deref()
                .and_then(align::last_word)
                .is_some_and(|w| rep_words.contains(&w))
        });
        if source.is_some() {
            tally.source_groups += 1;
            tally.source_rules_right += usize::from(rule_right);
        }
        let feats = cands
            .iter()
            .map(|c| {
                let mut f = Feats::new();
                coref::features(&ctx, k, c, &mut f);
                f
            })
            .collect();
        out.push(Group { cands: feats, gold: labels, rule_right, source: source.is_some() });
    }
    out
}
