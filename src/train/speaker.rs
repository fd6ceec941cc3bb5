//! Training examples for the speaker ranker (`extract::attribution`): for every
//! statement the rules found that matches an annotated attribution, its candidates
//! and which of them are right.
//!
//! A candidate is right when the evaluation would count it right: a mention that
//! overlaps the annotated source, or a name whose last word is in the source's
//! words ("Ann Lee" for a source "Lee" elsewhere); the previous speaker when
//! that statement's speaker, as the rules resolve it, passes the same test; nobody
//! when the attribution has no source. A statement with a source that no candidate
//! reaches teaches nothing and is counted apart.
//!
//! Known limits: the rules' resolution stands in for the model's when labelling
//! "the previous speaker", so a chain of continuations learns from the rules.

use super::align;
use super::examples::Group;
use super::polnear::{Attribution, GoldArticle};
use crate::extract::attribution::{self, Choice, Context};
use crate::extract::cues::DraftStatement;
use crate::extract::doc::Doc;
use crate::extract::mentions::MentionKind;
use crate::extract::registry::Registry;
use crate::extract::resolve;
use crate::learn::{Clusters, Feats};

/// Counts for the training report.
#[derive(Default, Debug, Clone, Copy)]
pub struct Tally {
    /// DraftStatement statements matched to an attribution.
    pub matched: usize,
    /// Of those, with a group (some candidate right, or no source to find).
    pub groups: usize,
    /// Matched statements whose source no candidate reaches.
    pub unreachable: usize,
}

/// The groups of one article; `found` are the rules' statements of `doc`.
pub fn groups(
    gold: &GoldArticle,
    doc: &Doc,
    found: &[DraftStatement],
    clusters: Option<&Clusters>,
    tally: &mut Tally,
) -> Vec<Group> {
    let reg = Registry::build(doc, found);
    let ctx = Context::new(doc, &reg, found, clusters);
    let resolved = resolve::resolve(doc, &reg, found, None, None);
    let found_toks: Vec<Vec<usize>> =
        found.iter().map(|f| align::tokens(doc, &vec![f.span])).collect();
    let gold_toks: Vec<Vec<usize>> =
        gold.attributions.iter().map(|a| align::tokens(doc, &a.content)).collect();
    let mut out = Vec::new();
    for (fi, gi) in align::pairs(&found_toks, &gold_toks) {
        tally.matched += 1;
        let att = &gold.attributions[gi];
        let cands = attribution::candidates(&ctx, found, fi);
        let labels: Vec<bool> =
            cands.iter().map(|c| right(gold, doc, &reg, &resolved, att, &c.choice)).collect();
        if !labels.iter().any(|&l| l) {
            tally.unreachable += 1;
            continue;
        }
        tally.groups += 1;
        let rule_right = cands.iter().zip(&labels).any(|(c, &l)| l && c.rule);
        let feats = cands
            .iter()
            .map(|c| {
                let mut f = Feats::new();
                attribution::features(&ctx, found, fi, c, &mut f);
                f
            })
            .collect();
        out.push(Group { cands: feats, gold: labels, rule_right, source: true });
    }
    out
}

fn right(
    gold: &GoldArticle,
    doc: &Doc,
    reg: &Registry,
    resolved: &[resolve::Resolved],
    att: &Attribution,
    choice: &Choice,
) -> bool {
    let has_source =
        att.source.iter().any(|s| gold.text.get(s.range()).is_some_and(|t| !t.trim().is_empty()));
    let source_words = || {
        let text: Vec<&str> = att.source.iter().filter_map(|s| gold.text.get(s.range())).collect();
        align::words(&text.join(" "))
    };
    match choice {
        Choice::Nobody => !has_source,
        _ if !has_source => false,
        Choice::Previous(p) => {
            let name = resolved.get(*p).and_then(|r| r.speaker.as_deref());
            name.and_then(align::last_word).is_some_and(|w| source_words().contains(&w))
        }
        Choice::Mention(m) => {
            if align::overlaps(&att.source, doc.bytes(m.span)) {
                return true;
            }
            m.kind == MentionKind::Name
                && align::last_word(&reg.name_of(doc, m).0)
                    .is_some_and(|w| source_words().contains(&w))
        }
    }
}
