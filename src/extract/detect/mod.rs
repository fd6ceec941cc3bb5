//! Statements the rules miss: a learned cue classifier and a learned content-span
//! ranker. Every word outside quotations and outside the statements already found
//! that is in the cue lexicon (the speech verbs and cue nouns of `data/rules`, and
//! the cue words of PolNeAR's training split, `data/models/cue-words.txt`) is
//! scored by the cue model ("criticized", "likened", "pounding"); for a cue it
//! accepts, the candidate contents around it (after the cue, after its "that",
//! object or colon, up to the sentence end, a comma, a conjunction or a quotation's
//! end; or before it, for "…, X said") are scored by the span model and the best
//! becomes a new statement. Its speaker is then chosen by the speaker ranker like
//! any other's.
//!
//! Known limits: one statement per cue; a content never leaves its sentence; with no
//! parse, clause ends are guessed from punctuation and conjunctions.

mod features;

pub use features::{cue_features, span_features};

use rustc_hash::FxHashSet as HashSet;

use super::cues::{DraftStatement, Rule};
use super::doc::Doc;
use super::mentions::{self, Mention};
use super::span::TokSpan;
use super::tokens::Tok;
use super::Kind;
use crate::learn::features::{code_text, version};
use crate::learn::perceptron::argmax;
use crate::learn::{Clusters, Feats, Model};
use crate::lexicon::{lower, rules};

/// The hash of the feature set (see `attribution::features_version`).
pub fn features_version(clusters: Option<&Clusters>) -> u64 {
    let clusters = if clusters.is_some() { crate::extract::model_files::CLUSTERS } else { "" };
    version(&[&code_text(include_str!("features.rs")), clusters])
}

/// Words that may be cues: lower-cased forms.
pub struct Lexicon {
    words: HashSet<String>,
    /// FNV-1a of the learned list it was made from, for the models' fingerprint.
    pub hash: u64,
}

impl Lexicon {
    /// The rules' speech verbs and cue nouns, and the lines of a `cue-words.txt`
    /// (`word<TAB>…`, `#` comments).
    pub fn new(learned: &str) -> Lexicon {
        let r = rules();
        let mut words: HashSet<String> = r.speech_verbs.keys().cloned().collect();
        words.extend(
            learned
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split('\t').next())
                .map(str::to_string),
        );
        words.retain(|w| !w.is_empty());
        Lexicon { words, hash: crate::fnv::Fnv1a::hash(learned.as_bytes()) }
    }

    /// Is token `k` a possible cue?
    pub fn has(&self, doc: &Doc, k: usize) -> bool {
        doc.is_lower(k)
            && (self.words.contains(lower(doc.word(k)).as_ref())
                || rules().cue_nouns.contains(doc.word(k)))
    }
}

/// Where a candidate content starts, as a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Right after the cue.
    Next,
    /// After the cue's "that".
    That,
    /// After a colon.
    Colon,
    /// After the cue's object ("told reporters …").
    Object,
    /// After the cue's preposition ("talked about …").
    Preposition,
    /// At a quotation's opening mark.
    Quote,
    /// The sentence's start (content before the cue).
    Sentence,
    /// After an opening phrase and its comma (content before the cue).
    Clause,
}

/// Where a candidate content ends, as a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The sentence's end (its final punctuation left out).
    Sentence,
    /// Before a comma, semicolon, dash or parenthesis.
    Punct,
    /// Before a conjunction.
    Conjunction,
    /// After a quotation's closing mark.
    Quote,
    /// Before another cue.
    Cue,
    /// Before the speaker's mention (content before the cue).
    Mention,
}

impl Start {
    pub fn as_str(self) -> &'static str {
        match self {
            Start::Next => "next",
            Start::That => "that",
            Start::Colon => "colon",
            Start::Object => "object",
            Start::Preposition => "preposition",
            Start::Quote => "quote",
            Start::Sentence => "sentence",
            Start::Clause => "clause",
        }
    }
}

impl End {
    pub fn as_str(self) -> &'static str {
        match self {
            End::Sentence => "sentence",
            End::Punct => "punct",
            End::Conjunction => "conjunction",
            End::Quote => "quote",
            End::Cue => "cue",
            End::Mention => "mention",
        }
    }
}

/// A candidate content: tokens `start..end` and how its ends were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub from: Start,
    pub to: End,
}

impl Span {
    /// Its tokens, `start..end`.
    pub fn toks(&self) -> TokSpan {
        TokSpan::new(self.start, self.end)
    }

    pub fn left_of_cue(&self, cue: usize) -> bool {
        self.end <= cue
    }
}

/// At most this many candidate contents per cue.
const MAX_SPANS: usize = 64;

/// The candidate contents of the cue at token `i`.
pub fn spans(doc: &Doc, lex: &Lexicon, i: usize) -> Vec<Span> {
    let si = doc.sent_of[i] as usize;
    let s = doc.sents[si];
    let mut out: Vec<Span> = Vec::new();
    // Content after the cue.
    let mut starts: Vec<(usize, Start)> = Vec::new();
    let mut k = i + 1;
    if doc.is_punct(k, ',') {
        k += 1;
    }
    if k < s.end {
        starts.push((k, Start::Next));
    }
    if doc.is_in(i + 1, &rules().cue_prepositions) && i + 2 < s.end {
        starts.push((i + 2, if doc.is(i + 1, "that") { Start::That } else { Start::Preposition }));
    }
    if let Some(m) = mentions::after(doc, i + 1, s.end).filter(|m| m.span.end < s.end) {
        let e = m.role.map_or(m.span.end, |r| r.end.max(m.span.end));
        starts.push((e, Start::Object));
    }
    for x in i + 1..(i + 10).min(s.end) {
        if doc.is(x, "that") && x + 1 < s.end {
            starts.push((x + 1, Start::That));
            break;
        }
    }
    for x in i + 1..(i + 6).min(s.end) {
        if doc.is_punct(x, ':') && x + 1 < s.end {
            starts.push((x + 1, Start::Colon));
            break;
        }
    }
    for x in i + 1..(i + 8).min(s.end) {
        if let Some(q) = doc.quote_at(x) {
            if doc.quotes[q].open == x {
                starts.push((x, Start::Quote));
                break;
            }
        }
    }
    starts.sort_by_key(|&(k, _)| k);
    starts.dedup_by_key(|&mut (k, _)| k);
    for &(a, from) in &starts {
        for (b, to) in ends(doc, lex, a, s.end) {
            out.push(Span { start: a, end: b, from, to });
        }
    }
    // Content before the cue: "…, X said." / "“…,” X said".
    let m_start = mentions::before(doc, s.start, i).map_or(i, |m| m.span.start);
    let mut close = m_start;
    while close > s.start && (doc.is_punct(close - 1, ',') || doc.toks[close - 1].is_quote()) {
        close -= 1;
    }
    if close > s.start + 1 {
        let end_kind = if close < m_start { End::Mention } else { End::Cue };
        out.push(Span { start: s.start, end: close, from: Start::Sentence, to: end_kind });
        if let Some(c) = (s.start..close).take(8).find(|&x| doc.is_punct(x, ',')) {
            if c + 2 < close {
                out.push(Span { start: c + 1, end: close, from: Start::Clause, to: end_kind });
            }
        }
    }
    // Leading quotation marks and trailing punctuation are not content.
    for sp in &mut out {
        while sp.end > sp.start + 1
            && matches!(
                doc.toks[sp.end - 1].kind,
                Tok::Punct('.') | Tok::Punct(',') | Tok::Punct(';') | Tok::Punct(':')
            )
        {
            sp.end -= 1;
        }
    }
    // "said no to the plan" answers; it reports nothing. "was told by his doctor":
    // a passive's agent is never content.
    out.retain(|sp| {
        sp.end > sp.start
            && (sp.start..sp.end).any(|k| doc.is_word(k))
            && !super::cues::is_answer(doc, sp.start, s.end)
            && !doc.is(sp.start, "by")
    });
    out.sort_by_key(|sp| (sp.start, sp.end));
    out.dedup_by_key(|sp| (sp.start, sp.end));
    out.truncate(MAX_SPANS);
    out
}

/// Where a content starting at `a` may end, before `ceil`.
fn ends(doc: &Doc, lex: &Lexicon, a: usize, ceil: usize) -> Vec<(usize, End)> {
    let mut out = vec![(ceil, End::Sentence)];
    let (mut puncts, mut conjs) = (0, 0);
    let mut k = a + 1;
    while k < ceil {
        if let Some(q) = doc.quote_at(k) {
            let quote = doc.quotes[q];
            // A quotation is never cut: its end is a place to stop.
            let end = if quote.closed { quote.close + 1 } else { quote.close };
            if quote.open >= a {
                out.push((end.min(ceil), End::Quote));
            }
            k = end.max(k + 1);
            continue;
        }
        let t = doc.toks[k];
        if matches!(
            t.kind,
            Tok::Punct(',') | Tok::Punct(';') | Tok::Punct('(') | Tok::Punct('—') | Tok::Punct('–')
        ) && puncts < 4
        {
            out.push((k, End::Punct));
            puncts += 1;
        } else if doc.is_in(k, &rules().conjunctions) && conjs < 3 {
            out.push((k, End::Conjunction));
            conjs += 1;
        } else if lex.has(doc, k) && k > a + 2 && rules().speech_verb(doc.word(k)).is_some() {
            // Another speaker's cue: "…, Smith said" inside the sentence.
            let m = mentions::before(doc, a, k).map_or(k, |m| m.span.start);
            if m > a + 1 {
                out.push((m, End::Cue));
            }
        }
        k += 1;
    }
    out
}

/// The speaker guess for a new statement: the mention before the cue, else after
/// it, else the sentence's first; the speaker ranker reconsiders it.
fn guess_mention(doc: &Doc, i: usize, span: &Span) -> Option<Mention> {
    let s = doc.sents[doc.sent_of[i] as usize];
    if span.left_of_cue(i) {
        return mentions::after(doc, i + 1, s.end).or_else(|| mentions::before(doc, span.end, i));
    }
    mentions::before(doc, s.start, i)
        .or_else(|| mentions::scan(doc, TokSpan::new(s.start, i)).into_iter().next())
}

/// Cue scores above this make a statement.
pub const CUE_THRESHOLD: f32 = 0.0;

/// Adds the statements the models find to `found` (the rules' statements, in text
/// order), keeping text order. Runs before `cues::orphans`.
pub fn add(
    doc: &Doc,
    lex: &Lexicon,
    found: &mut Vec<DraftStatement>,
    cue_model: &Model,
    span_model: &Model,
    clusters: Option<&Clusters>,
) {
    let claimed = Claimed::new(doc, found);
    let mut feats = Feats::new();
    let mut new: Vec<DraftStatement> = Vec::new();
    for i in 0..doc.toks.len() {
        if !lex.has(doc, i) || doc.quote_at(i).is_some() || claimed.has(i) {
            continue;
        }
        cue_features(doc, clusters, i, &claimed, &mut feats);
        if cue_model.score(&feats) <= CUE_THRESHOLD {
            continue;
        }
        let cands = spans(doc, lex, i);
        let scores: Vec<f32> = cands
            .iter()
            .map(|sp| {
                span_features(doc, lex, clusters, i, sp, &mut feats);
                span_model.score(&feats)
            })
            .collect();
        let Some(best) = argmax(&scores, |_| true) else { continue };
        let sp = cands[best];
        let bytes = doc.bytes(sp.toks());
        // Never over a statement already found, nor one just added.
        if found.iter().chain(&new).any(|f| f.span.overlaps(bytes)) || claimed.any_in(sp.toks()) {
            continue;
        }
        let mut f = statement(doc, i, &sp);
        f.mention = guess_mention(doc, i, &sp);
        new.push(f);
    }
    if new.is_empty() {
        return;
    }
    found.extend(new);
    found.sort_by_key(|f| f.span.start);
}

/// A statement for the cue at `i` and content `sp`.
fn statement(doc: &Doc, i: usize, sp: &Span) -> DraftStatement {
    let si = doc.sent_of[i] as usize;
    // Exactly one quotation: direct, without its marks.
    if let (Some(q1), Some(q2)) = (doc.quote_at(sp.start), doc.quote_at(sp.end - 1)) {
        let q = doc.quotes[q1];
        if q1 == q2 && q.open == sp.start {
            return DraftStatement {
                span: q.bytes(),
                kind: Kind::Direct,
                mention: None,
                cue: Some(TokSpan::new(i, i + 1)),
                sent: si,
                continues: None,
                rule: Rule::Learned,
            };
        }
    }
    let kind = if (sp.start..sp.end).any(|k| doc.toks[k].is_quote()) {
        Kind::Mixed
    } else {
        Kind::Indirect
    };
    DraftStatement {
        span: doc.bytes(sp.toks()),
        kind,
        mention: None,
        cue: Some(TokSpan::new(i, i + 1)),
        sent: si,
        continues: None,
        rule: Rule::Learned,
    }
}

/// Tokens the statements found so far hold (content, cue, mention): no new cue is
/// looked for there.
pub struct Claimed {
    taken: Vec<bool>,
}

impl Claimed {
    pub fn new(doc: &Doc, found: &[DraftStatement]) -> Claimed {
        let mut taken = vec![false; doc.toks.len()];
        for f in found {
            let content = doc.toks_within(f.span);
            for t in std::iter::once(content).chain(f.cue).chain(f.mention.map(|m| m.span)) {
                for x in taken.iter_mut().take(t.end).skip(t.start) {
                    *x = true;
                }
            }
        }
        Claimed { taken }
    }

    pub fn has(&self, k: usize) -> bool {
        self.taken.get(k).copied().unwrap_or(false)
    }

    /// Is any token of `t` held?
    pub fn any_in(&self, t: TokSpan) -> bool {
        self.taken[t.start.min(self.taken.len())..t.end.min(self.taken.len())].iter().any(|&t| t)
    }

    /// Does the sentence of token `k` hold a statement the rules found?
    pub fn in_sentence(&self, doc: &Doc, k: usize) -> bool {
        let s = doc.sents[doc.sent_of[k] as usize];
        self.any_in(s.toks())
    }
}
