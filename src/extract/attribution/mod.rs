//! Whose statement is it: the learned speaker ranker. For each statement the rules
//! found, the candidates are the mentions around it (names, descriptions, pronouns
//! in its sentence, the two before and the one after, outside quotations and
//! outside its content), the mention the rules chose, the speaker of the statement
//! before (for a quotation with no attribution of its own), and nobody. A linear
//! model scores each candidate from the features below and the best one becomes the
//! statement's mention; `speakers` then resolves it to a name.
//!
//! Known limits: candidates never reach past the previous paragraph; the model sees
//! no parse, so "told X" versus "X told" is learned from word order alone.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashMap as HashMap;

use crate::extract::cues::DraftStatement;
use crate::extract::doc::Doc;
use crate::extract::mentions::{self, Mention, MentionKind};
use crate::extract::registry::Registry;
use crate::extract::span::TokSpan;
use crate::learn::features::{code_text, version};
use crate::learn::perceptron::argmax;
use crate::learn::{Clusters, Feats, Model};

mod features;

pub use features::features;

/// The hash of the feature set: the text of `features.rs` and the cluster table,
/// so a model trained before either changed is refused.
pub fn features_version(clusters: Option<&Clusters>) -> u64 {
    let clusters = if clusters.is_some() { crate::extract::model_files::CLUSTERS } else { "" };
    version(&[&code_text(include_str!("features.rs")), clusters])
}

/// One possible source of a statement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Choice {
    /// Nobody the article names.
    Nobody,
    /// The speaker of statement `usize` (an earlier one) goes on speaking.
    Previous(usize),
    Mention(Mention),
}

#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub choice: Choice,
    /// The rules chose this mention (or one overlapping it).
    pub rule: bool,
}

/// A mention's canonical name, whether it is a person's, and how often the article
/// names that person (see `Registry::name_of`).
type NameOf = (Rc<str>, bool, usize);

/// What the ranker reads of one article, computed once.
pub struct Context<'a, 'd> {
    pub doc: &'a Doc<'d>,
    reg: &'a Registry,
    clusters: Option<&'a Clusters>,
    /// Candidate mentions per sentence.
    /// Filled on first use: most articles have statements in few of their sentences.
    by_sent: Vec<std::cell::OnceCell<Vec<Mention>>>,
    /// The canonical name of each statement's rule mention, for "the same speaker
    /// as before" features.
    rule_names: Vec<Option<String>>,
    /// Memos: a mention is a candidate of several statements, and its name (titles
    /// split off, the registry consulted) and its neighbours' clusters cost more than
    /// the rest of its features.
    names: RefCell<HashMap<TokSpan, NameOf>>,
    paths: RefCell<HashMap<usize, Option<&'a str>>>,
}

impl<'a> Context<'a, '_> {
    /// The candidate mentions of sentence `si`.
    pub fn mentions(&self, si: usize) -> &[Mention] {
        let s = self.doc.sents[si];
        self.by_sent[si].get_or_init(|| mentions::scan(self.doc, s.toks()))
    }

    /// `Registry::name_of`, once per mention.
    pub fn name_of(&self, m: &Mention) -> (Rc<str>, bool, usize) {
        if let Some(v) = self.names.borrow().get(&m.span) {
            return v.clone();
        }
        let (name, person, count) = self.reg.name_of(self.doc, m);
        let v: (Rc<str>, bool, usize) = (name.into(), person, count);
        self.names.borrow_mut().insert(m.span, v.clone());
        v
    }

    /// The cluster path of word token `k`, once per token.
    pub fn path(&self, k: usize) -> Option<&'a str> {
        let cl = self.clusters?;
        if !self.doc.is_word(k) {
            return None;
        }
        *self.paths.borrow_mut().entry(k).or_insert_with(|| cl.path(self.doc.word(k)))
    }
}

impl<'a, 'd> Context<'a, 'd> {
    pub fn new(
        doc: &'a Doc<'d>,
        reg: &'a Registry,
        found: &[DraftStatement],
        clusters: Option<&'a Clusters>,
    ) -> Context<'a, 'd> {
        let by_sent = doc.sents.iter().map(|_| std::cell::OnceCell::new()).collect();
        let rule_names = found
            .iter()
            .map(|f| {
                f.mention.filter(|m| m.kind == MentionKind::Name).map(|m| reg.name_of(doc, &m).0)
            })
            .collect();
        Context {
            doc,
            reg,
            clusters,
            by_sent,
            rule_names,
            names: RefCell::default(),
            paths: RefCell::default(),
        }
    }
}

/// Sentences before a statement's own whose mentions are candidates.
const SENTENCES_BEFORE: usize = 2;
/// At most this many candidates per statement (the nearest kept).
const MAX_CANDIDATES: usize = 12;

fn overlaps(a: &Mention, b: &Mention) -> bool {
    a.span.overlaps(b.span)
}

/// The candidates of statement `idx`, in a fixed order: mentions in text order,
/// then the previous speaker, then nobody.
pub fn candidates(ctx: &Context, found: &[DraftStatement], idx: usize) -> Vec<Candidate> {
    let doc = ctx.doc;
    let f = &found[idx];
    let para = doc.sents[f.sent].para;
    let lo = f.sent.saturating_sub(SENTENCES_BEFORE);
    let hi = (f.sent + 1).min(doc.sents.len() - 1);
    let rule = f.mention;
    let mut out: Vec<Candidate> = Vec::new();
    for si in lo..=hi {
        let p = doc.sents[si].para;
        if p + 1 < para || p > para {
            continue;
        }
        for m in ctx.mentions(si) {
            let in_content = f.span.covers(doc.bytes(m.span));
            let is_rule = rule.is_some_and(|r| overlaps(&r, m));
            if in_content && !is_rule {
                continue;
            }
            match rule {
                // The rules' mention stands for every scanned one it overlaps, with
                // its own bounds and role ("Said Ellis" is "Ellis").
                Some(r) if is_rule => {
                    if !out.iter().any(|c| c.rule) {
                        out.push(Candidate { choice: Choice::Mention(r), rule: true });
                    }
                }
                _ => out.push(Candidate { choice: Choice::Mention(*m), rule: false }),
            }
        }
    }
    if let Some(r) = rule {
        if !out.iter().any(|c| c.rule) {
            let at = out.partition_point(
                |c| matches!(c.choice, Choice::Mention(m) if m.span.start < r.span.start),
            );
            out.insert(at, Candidate { choice: Choice::Mention(r), rule: true });
        }
    }
    if out.len() > MAX_CANDIDATES {
        // Keep the nearest to the statement's attribution.
        let anchor =
            f.cue.map_or(doc.toks.partition_point(|t| t.start < f.span.start), |c| c.start);
        let dist = |c: &Candidate| match c.choice {
            Choice::Mention(m) => anchor.abs_diff(m.span.start),
            _ => 0,
        };
        out.sort_by_key(|c| (!c.rule, dist(c)));
        out.truncate(MAX_CANDIDATES);
        out.sort_by_key(|c| match c.choice {
            Choice::Mention(m) => m.span.start,
            _ => usize::MAX,
        });
    }
    if f.mention.is_none() && idx > 0 {
        let p = f.continues.unwrap_or(idx - 1);
        out.push(Candidate { choice: Choice::Previous(p), rule: f.continues.is_some() });
    }
    out.push(Candidate {
        choice: Choice::Nobody,
        rule: f.mention.is_none() && f.continues.is_none(),
    });
    out
}

/// Statements whose rule speaker the grammar makes certain: a passive with its
/// agent ("was announced by the ministry"; PolNeAR's training split holds three,
/// so the ranker learns nothing of them) and the possessor of a cue noun ("repeated
/// Ann Lee's claim that": the claim is hers, whoever repeats it).
fn keeps_rule(f: &DraftStatement) -> bool {
    use crate::extract::cues::Rule;
    match (f.rule, f.mention, f.cue) {
        (Rule::Passive, Some(_), _) => true,
        (Rule::Noun, Some(m), Some(cue)) => {
            m.span.end == cue.start && m.kind != MentionKind::Pronoun
        }
        _ => false,
    }
}

/// Picks every statement's mention with `model`; statements keep the rules' choice
/// where the model leaves it.
pub fn choose(ctx: &Context, found: &mut [DraftStatement], model: &Model) {
    let mut feats = Feats::new();
    let picks: Vec<Choice> = (0..found.len())
        .map(|idx| {
            if keeps_rule(&found[idx]) {
                return found[idx].mention.map_or(Choice::Nobody, Choice::Mention);
            }
            let cands = candidates(ctx, found, idx);
            let scores: Vec<f32> = cands
                .iter()
                .map(|c| {
                    features(ctx, found, idx, c, &mut feats);
                    model.score(&feats)
                })
                .collect();
            let best = argmax(&scores, |_| true).unwrap_or(cands.len() - 1);
            cands[best].choice
        })
        .collect();
    for (f, choice) in found.iter_mut().zip(picks) {
        match choice {
            Choice::Nobody => {
                f.mention = None;
                f.continues = None;
            }
            Choice::Previous(p) => {
                f.mention = None;
                f.continues = Some(p);
            }
            Choice::Mention(m) => {
                f.mention = Some(m);
                f.continues = None;
            }
        }
    }
}
