//! The antecedent ranker's features: what it knows of a pronoun and one candidate
//! referent. Every feature is also conjoined with the pronoun. The hash of this
//! file's text is the feature set's version.
//!
//! Known limits: cluster features need `data/models/clusters.tsv`; gender comes
//! from the registry (titles, given names, pronouns
//! around the name), never from the candidate's role words.

use super::{pronoun_gender, Candidate, Context};
use crate::learn::clusters::prefix;
use crate::learn::features::bucket;
use crate::learn::Feats;
use crate::lexicon::{lower, rules, Gender};

/// The features of candidate `c` for the pronoun at token `at`.
pub fn features(ctx: &Context, at: usize, c: &Candidate, out: &mut Feats) {
    out.clear();
    let doc = ctx.doc;
    let word = lower(doc.word(at));
    let si = doc.sent_of[at] as usize;
    out.flag("bias");
    let ent = c.entity.map(|e| &ctx.entities[e]);
    let person = ent.is_some_and(|e| e.person);
    out.add(
        "person",
        if person {
            "yes"
        } else if ent.is_some() {
            "name"
        } else {
            "other"
        },
    );
    // Gender agreement, as far as it is known.
    let want = pronoun_gender(&word);
    let agree = match (ent.and_then(|e| e.gender), want) {
        (Some(g), Gender::Male | Gender::Female) if g == want => "agree",
        (Some(_), Gender::Male | Gender::Female) => "disagree",
        _ => "unknown",
    };
    out.add("gender", agree);
    match c.last {
        Some(p) => {
            let d = si - p.sent;
            out.num("sentences-back", bucket(d));
            out.num("tokens-back", bucket((at - p.end) / 5));
            if p.first {
                out.flag("was-first");
                out.num("first-back", bucket(d));
            }
            if d == 0 {
                out.flag("same-sentence");
            }
            // "Smith said …" / "…, Smith said": the name spoke there.
            let speaks = (p.end..(p.end + 3).min(doc.toks.len()))
                .any(|k| doc.is_lower(k) && rules().speech_verb(doc.word(k)).is_some());
            if speaks {
                out.flag("named-as-speaker");
            }
            if doc.sents[p.sent].para != doc.sents[si].para {
                out.flag("other-paragraph");
            }
            // Names of the same kind between the candidate and the pronoun.
            let between = ctx
                .entities
                .iter()
                .filter(|e| e.person == person && e.name != c.name)
                .filter(|e| e.places.iter().any(|q| q.start > p.end && q.end <= at))
                .count();
            out.num("between", bucket(between));
            let before =
                p.start.checked_sub(1).filter(|&k| doc.is_word(k)).map(|k| lower(doc.word(k)));
            if let Some(w) = before {
                // Clusters generalise the word before ("Senator", "Sen.", "Gov.").
                if let Some(path) = ctx.clusters.and_then(|cl| cl.path(&w)) {
                    out.add("cluster-before", prefix(path, 8));
                }
                out.add("word-before", &w);
            }
        }
        None => out.flag("not-in-window"),
    }
    match c.recent {
        Some(r) => out.num("recent-speaker", r as i64),
        None => out.flag("not-recent-speaker"),
    }
    if let Some(s) = c.salient {
        out.num("salient", s as i64);
    }
    if let Some(e) = ent {
        out.num("count", bucket(e.places.len()));
        out.num("first-named-sentence", bucket(e.places[0].sent));
        if e.places[0].sent == 0 {
            out.flag("in-first-sentence");
        }
        let words = e.name.split(' ').count();
        out.num("words", words.min(4) as i64);
    }
    // The pronoun's own place: the subject of a speech verb, or not.
    let next = at + 1;
    if next < doc.toks.len() && doc.is_word(next) {
        let nw = lower(doc.word(next));
        if rules().speech_verb(&nw).is_some() {
            out.flag("pronoun-speaks");
        }
    }
    if doc.sents[si].start == at {
        out.flag("pronoun-opens-sentence");
    }
    out.conjoin_all("pronoun", &word);
}
