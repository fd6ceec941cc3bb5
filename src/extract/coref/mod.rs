//! Who a pronoun speaks for: the learned antecedent ranker. For a speaker pronoun
//! ("he", "she", "they", "it") the candidates are the names of the five sentences
//! before it and of its own sentence up to it, the speakers of the last statements
//! (even when only a pronoun named them), and the people the article names most;
//! a linear model scores each from the features in `features.rs` and the best is
//! the pronoun's referent.
//!
//! Trained on CoreNLP's coreference chains over PolNeAR (see `train::coref`): a
//! candidate is right when its last word is in its chain's representative, the
//! rule the evaluation scores with.
//!
//! Known limits: only names are candidates for "he" and "she" (a pronoun whose
//! referent is a description, "the nurse", cannot be right); "we", "I" and "you"
//! are not resolved here.

mod features;

pub use features::features;

use rustc_hash::FxHashMap as HashMap;

use super::doc::Doc;
use super::registry::Registry;
use crate::learn::features::{code_text, version};
use crate::learn::perceptron::argmax;
use crate::learn::{Clusters, Feats, Model};
use crate::lexicon::{lower, rules, Gender};

/// The hash of the feature set (see `attribution::features_version`).
pub fn features_version(clusters: Option<&Clusters>) -> u64 {
    let clusters = if clusters.is_some() { crate::extract::model_files::CLUSTERS } else { "" };
    version(&[&code_text(include_str!("features.rs")), clusters])
}

/// Sentences before the pronoun's whose names are candidates.
const SENTENCES_BEFORE: usize = 5;
/// At most this many candidates, nearest first.
const MAX_CANDIDATES: usize = 12;
/// Statements back whose speakers are candidates.
pub const RECENT: usize = 4;

/// A name's place in the text.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub sent: usize,
    pub start: usize,
    pub end: usize,
    /// The first name of its sentence (usually the subject).
    pub first: bool,
}

/// One entity: a canonical name and where the article names it.
#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    pub person: bool,
    pub gender: Option<Gender>,
    pub places: Vec<Place>,
}

/// The entities of one article and what the features read of it.
pub struct Context<'a, 'd> {
    pub doc: &'a Doc<'d>,
    pub clusters: Option<&'a Clusters>,
    pub entities: Vec<Entity>,
    by_name: HashMap<String, usize>,
    /// Entities by how often the article names them, most first.
    pub salience: Vec<usize>,
}

impl<'a, 'd> Context<'a, 'd> {
    pub fn new(
        doc: &'a Doc<'d>,
        reg: &Registry,
        clusters: Option<&'a Clusters>,
    ) -> Context<'a, 'd> {
        let mut entities: Vec<Entity> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::default();
        for (si, names) in reg.by_sentence.iter().enumerate() {
            for (i, n) in names.iter().enumerate() {
                let e = *by_name.entry(n.name.clone()).or_insert_with(|| {
                    entities.push(Entity {
                        name: n.name.clone(),
                        person: n.person,
                        gender: reg.gender(&n.name),
                        places: Vec::new(),
                    });
                    entities.len() - 1
                });
                entities[e].places.push(Place {
                    sent: si,
                    start: n.start,
                    end: n.end,
                    first: i == 0,
                });
            }
        }
        let mut salience: Vec<usize> = (0..entities.len()).collect();
        salience.sort_by_key(|&e| {
            (std::cmp::Reverse(entities[e].places.len()), entities[e].places[0].start)
        });
        Context { doc, clusters, entities, by_name, salience }
    }

    pub fn entity(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }
}

/// A candidate referent.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its canonical name.
    pub name: String,
    pub entity: Option<usize>,
    /// Its last place before the pronoun, if within the window.
    pub last: Option<Place>,
    /// Its position among the recent speakers (0: the last), if one.
    pub recent: Option<usize>,
    /// Its rank by salience, if among the most named.
    pub salient: Option<usize>,
}

/// The pronoun's gender and whether it is plural, from `data/rules/pronouns.txt`.
pub fn pronoun_gender(word: &str) -> Gender {
    rules().pronouns.get(lower(word).as_ref()).copied().unwrap_or(Gender::Unknown)
}

/// The candidates for the pronoun at token `at`; `recent` are the speakers of the
/// statements before it, nearest first, and whether each is a person.
pub fn candidates(ctx: &Context, at: usize, recent: &[(&str, bool)]) -> Vec<Candidate> {
    let doc = ctx.doc;
    let word = lower(doc.word(at));
    let people_only = matches!(word.as_ref(), "he" | "she");
    let si = doc.sent_of[at] as usize;
    let lo = si.saturating_sub(SENTENCES_BEFORE);
    let mut out: Vec<Candidate> = Vec::new();
    // Names in the window, nearest first.
    for (e, ent) in ctx.entities.iter().enumerate() {
        if people_only && !ent.person {
            continue;
        }
        let last = ent.places.iter().rev().find(|p| p.end <= at && p.sent >= lo).copied();
        if let Some(last) = last {
            out.push(Candidate {
                name: ent.name.clone(),
                entity: Some(e),
                last: Some(last),
                recent: None,
                salient: None,
            });
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.last.map_or(0, |p| p.start)));
    out.truncate(MAX_CANDIDATES);
    let seen: HashMap<String, usize> =
        out.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
    let mut extra: Vec<Candidate> = Vec::new();
    for (r, &(name, person)) in recent.iter().take(RECENT).enumerate() {
        if people_only && !person {
            continue;
        }
        match seen.get(name) {
            Some(&i) if out[i].recent.is_none() => out[i].recent = Some(r),
            None if !extra.iter().any(|c| c.name == name) => extra.push(Candidate {
                name: name.to_string(),
                entity: ctx.entity(name),
                last: None,
                recent: Some(r),
                salient: None,
            }),
            _ => {}
        }
    }
    for (rank, &e) in
        ctx.salience.iter().filter(|&&e| !people_only || ctx.entities[e].person).take(2).enumerate()
    {
        let name = ctx.entities[e].name.as_str();
        if let Some(&i) = seen.get(name) {
            out[i].salient = Some(rank);
        } else if let Some(c) = extra.iter_mut().find(|c| c.name == name) {
            c.salient = Some(rank);
        } else if ctx.entities[e].places[0].start < at {
            extra.push(Candidate {
                name: name.to_string(),
                entity: Some(e),
                last: None,
                recent: None,
                salient: Some(rank),
            });
        }
    }
    out.extend(extra);
    out
}

/// The referent of the pronoun at `at`, or None when there is no candidate.
pub fn resolve(ctx: &Context, at: usize, recent: &[(&str, bool)], model: &Model) -> Option<String> {
    let cands = candidates(ctx, at, recent);
    let mut f = Feats::new();
    let scores: Vec<f32> = cands
        .iter()
        .map(|c| {
            features(ctx, at, c, &mut f);
            model.score(&f)
        })
        .collect();
    argmax(&scores, |_| true).map(|b| cands[b].name.clone())
}
