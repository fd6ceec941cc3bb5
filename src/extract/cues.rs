//! Finding statements: the passes that pair a cue and a speaker mention with the
//! content they introduce. Run from most to least certain:
//!
//! 1. A quotation closed right before the cue: `“…,” said X` / `“…,” X said`.
//! 2. A cue with its speaker before it and its content after: `X said (that) …`,
//!    `X told reporters …`, `X said: “…”`, `X continued:` + the next paragraph.
//! 3. A participle after the sentence's subject: `X reacted, stating that …`.
//! 4. `according to X, …` and `…, according to X.`
//! 5. Reported speech with the cue at the end: `…, X said.` / `…, said X.`
//! 6. A passive with its agent: `The plan was announced by the ministry`; a sentence
//!    that opens with its cue: `Said Ellis: “…”`.
//!
//! Quotations that no pass claimed are handled in `orphans`.
//!
//! The verb classes and function words the patterns test (object verbs, bare
//! verbs, passive markers, …) are files under `data/rules/`, each with example
//! sentences that `tests/integration/rules.rs` runs.
//!
//! Known limits: no parser, so a clause is everything from the cue's complement to
//! the end of the sentence; two cues in one sentence split it only at "but", ";" or
//! "while".

use super::doc::Doc;
use super::mentions::{self, Mention, MentionKind};
use super::span::{ByteSpan, TokSpan};
use super::time_expressions;
use super::tokens::Tok;
use crate::lexicon::{lower, rules};
use crate::statement::Kind;

/// A statement found in the text, before its speaker is resolved and it is dated:
/// what the passes up to `resolve` pass along, one per statement.
#[derive(Debug, Clone)]
pub struct DraftStatement {
    /// The content's bytes.
    pub span: ByteSpan,
    pub kind: Kind,
    pub mention: Option<Mention>,
    /// The cue's tokens.
    pub cue: Option<TokSpan>,
    /// Sentence holding the attribution (or the content, when there is none).
    pub sent: usize,
    /// Index (in the final list) of the statement whose speaker this one continues.
    pub continues: Option<usize>,
    /// The pattern that found it: a feature of the learned passes.
    pub rule: Rule,
}

/// Which pattern found a statement (numbered as in the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// 1. `“…,” said X`.
    QuoteCue,
    /// 2. `X said (that) …`.
    Cue,
    /// 3. `X reacted, stating that …`.
    Participle,
    /// 4. `according to X`.
    According,
    /// 5. `…, X said.`
    Trailing,
    /// 6. `… was announced by X`.
    Passive,
    /// 6. `Said X: “…”`.
    Inverted,
    /// `NAME: …` at the start of a paragraph.
    Label,
    /// `X’s claim that …`.
    Noun,
    /// `quoted X as saying …`.
    QuotedAs,
    /// `“…” ― X`.
    Signature,
    /// A quotation with no attribution of its own.
    Orphan,
    /// A quotation that continues the statement before it.
    Continuation,
    /// Found by the learned cue and content models (`detect`), not by a pattern.
    Learned,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::QuoteCue => "quote-cue",
            Rule::Cue => "cue",
            Rule::Participle => "participle",
            Rule::According => "according",
            Rule::Trailing => "trailing",
            Rule::Passive => "passive",
            Rule::Inverted => "inverted",
            Rule::Label => "label",
            Rule::Noun => "noun",
            Rule::QuotedAs => "quoted-as",
            Rule::Signature => "signature",
            Rule::Orphan => "orphan",
            Rule::Continuation => "continuation",
            Rule::Learned => "learned",
        }
    }
}

impl DraftStatement {
    fn by(mut self, rule: Rule) -> DraftStatement {
        self.rule = rule;
        self
    }
}

fn among(doc: &Doc, i: usize, list: &[&str]) -> bool {
    doc.is_among(i, list)
}

/// Finds every statement in the document, in text order.
pub fn find(doc: &Doc) -> Vec<DraftStatement> {
    let mut out: Vec<DraftStatement> = Vec::new();
    for si in 0..doc.sents.len() {
        let s = doc.sents[si];
        // Byte where the last statement's content in this sentence ends: cues inside
        // it belong to that content ("what Baker called the “disaster”").
        let mut claimed_until = 0usize;
        let mut i = s.start;
        while i < s.end {
            if doc.quote_at(i).is_some()
                || !(doc.is_lower(i) || doc.is(i, "according"))
                || !is_cue_word(doc, i)
            {
                i += 1;
                continue;
            }
            let participle =
                i > s.start && doc.is_punct(i - 1, ',') && doc.word(i).ends_with("ing");
            if doc.toks[i].start < claimed_until && !contrast_before(doc, s.start, i) && !participle
            {
                i += 1;
                continue;
            }
            if let Some(f) = cue_at(doc, si, i) {
                if let Some(prev) = out.last_mut() {
                    // "X said A, but Y said B": A ends where B's attribution starts.
                    if prev.sent == si && prev.span.end > doc.toks[i].start {
                        // Cut at the new speaker when it stands inside the old content
                        // ("…, but Y said"), else at the cue ("…, but added").
                        let mut cut = f
                            .mention
                            .map(|m| m.span.start)
                            .filter(|&m| doc.toks[m].start > prev.span.start)
                            .unwrap_or(i);
                        // Leave out the words that join the two: ", but", "and", ";".
                        cut = skip_back(doc, s.start, cut);
                        if cut > s.start && among(doc, cut - 1, &["and", "but", "while", "whereas"])
                        {
                            cut -= 1;
                        }
                        if cut > s.start
                            && (doc.is_punct(cut - 1, ',') || doc.is_punct(cut - 1, ';'))
                        {
                            cut -= 1;
                        }
                        prev.span.end = prev.span.end.min(doc.toks[cut].start).max(prev.span.start);
                    }
                }
                claimed_until = claimed_until.max(f.span.end);
                out.push(f);
            }
            i += 1;
        }
    }
    out.extend(labels(doc));
    out.extend((0..doc.sents.len()).filter_map(|si| inverted(doc, si)));
    out.retain(|f| !f.span.is_empty());
    out.sort_by_key(|f| f.span.start);
    out.dedup_by(|b, a| a.span == b.span);
    out
}

/// Could token `i` be a cue? A cheap test before the patterns run.
fn is_cue_word(doc: &Doc, i: usize) -> bool {
    let w = doc.word(i);
    let r = rules();
    r.speech_verb(w).is_some()
        || r.cue_nouns.contains(w)
        || w.eq_ignore_ascii_case("according")
        || w == "quoted"
}

/// Transcript and headline labels: a paragraph that opens with a name and a colon
/// ("PENCE: Well, look …", "Politifact: Baker Is Right") is that name's statement.
fn labels(doc: &Doc) -> Vec<DraftStatement> {
    let mut out = Vec::new();
    let mut named = None;
    let mut si = 0;
    while si < doc.sents.len() {
        let s = doc.sents[si];
        let first_of_para = si == 0 || doc.sents[si - 1].para != s.para;
        if first_of_para {
            let mut k = s.start;
            if doc.toks[k].is_quote() {
                k += 1;
            }
            if let Some(e) = mentions::cap_run_after(doc, k, s.end) {
                let words = (k..e).filter(|&x| doc.is_word(x)).count();
                if words <= 3
                    && doc.is_punct(e, ':')
                    && (e + 1..s.end).filter(|&x| doc.is_word(x)).count() >= 3
                    && names_someone(doc, k, e, &mut named)
                {
                    let last = doc.sents[si..]
                        .iter()
                        .take_while(|n| n.para == s.para)
                        .last()
                        .map_or(s.end, |n| n.end);
                    let m =
                        Mention { span: TokSpan::new(k, e), kind: MentionKind::Name, role: None };
                    let mut f = content_statement(
                        doc,
                        si,
                        TokSpan::new(e + 1, last),
                        None,
                        Some(m),
                        Some(TokSpan::new(e, e + 1)),
                    )
                    .by(Rule::Label);
                    if f.kind == Kind::Indirect {
                        f.kind = Kind::Direct;
                    }
                    out.push(f);
                }
            }
        }
        si += 1;
    }
    out
}

/// Does token `k` open an answer rather than a report: "said no (to the plan)",
/// "said yes"; "said no decision had been made" reports. Sentence ends at `end`.
pub(crate) fn is_answer(doc: &Doc, k: usize, end: usize) -> bool {
    among(doc, k, &["yes", "no"]) && !(k + 1 < end && doc.is_lower(k + 1) && !doc.is(k + 1, "to"))
}

/// Is the line label `k..e` a name: its first word not a label word ("NOTE",
/// "Questions", "Additional reporting"), and one of its words written elsewhere in
/// the article with a capital, outside a label ("PENCE:" after "Mike Pence").
/// `named` is built on first use: the lower-cased capitalized words of the
/// article that no colon follows.
fn names_someone(
    doc: &Doc,
    k: usize,
    e: usize,
    named: &mut Option<rustc_hash::FxHashSet<String>>,
) -> bool {
    if rules().not_labels.contains(lower(doc.word(k)).as_ref()) {
        return false;
    }
    let named = named.get_or_insert_with(|| {
        (0..doc.toks.len())
            .filter(|&x| doc.is_cap(x) && !doc.is_punct(x + 1, ':'))
            .map(|x| lower(doc.word(x)).into_owned())
            .collect()
    });
    (k..e).any(|x| {
        doc.is_word(x)
            && doc.word(x).chars().nth(1).is_some()
            && named.contains(lower(doc.word(x)).as_ref())
    })
}

/// A passive with its agent: "The plan was announced by the ministry on Monday",
/// "The story was first reported by the Herald". The agent speaks; the content is
/// the subject before the passive.
fn passive_agent(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    let m = mentions::after(doc, i + 2, s.end)?;
    if m.kind == MentionKind::Pronoun && !doc.is(m.span.start, "them") {
        return None;
    }
    let mut marker = i - 1;
    while marker > s.start
        && (doc.is_lower(marker - 1) && rules().skip_words.contains(doc.word(marker - 1))
            || doc.is_in(marker - 1, &rules().passive_markers))
    {
        marker -= 1;
    }
    if (s.start..marker).filter(|&k| doc.is_word(k)).count() < 2 {
        return None;
    }
    Some(
        content_statement(
            doc,
            si,
            TokSpan::new(s.start, marker),
            None,
            Some(m),
            Some(TokSpan::new(i, i + 2)),
        )
        .by(Rule::Passive),
    )
}

/// A sentence that opens with its cue: "Said Ellis: “…”", "Added the mayor, “…”".
fn inverted(doc: &Doc, si: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    let i = (s.start..s.end).find(|&k| doc.is_word(k))?;
    if !doc.is_cap(i)
        || !matches!(
            rules().speech_verb(doc.word(i)),
            Some("say" | "add" | "write" | "ask" | "tweet" | "declare")
        )
    {
        return None;
    }
    let m = mentions::after(doc, i + 1, s.end)?;
    let end = m.role.map_or(m.span.end, |r| r.end);
    if !(doc.is_punct(end, ':') || doc.is_punct(end, ',')) {
        return None;
    }
    let q = doc.quote_at(end + 1).filter(|&q| doc.quotes[q].open == end + 1)?;
    Some(direct(doc, q, Some(m), Some(TokSpan::new(i, i + 1)), si).by(Rule::Inverted))
}

/// Is the cue at `i` preceded by a contrast ("but", "while", ";") that starts a new
/// attribution inside an earlier one?
fn contrast_before(doc: &Doc, floor: usize, i: usize) -> bool {
    let m = mentions::before(doc, floor, i).map_or(i, |m| m.span.start);
    // "… and calls her …": a second verb of the same subject; "… and Democrats
    // accused …": a second speaker.
    let coordinated =
        m == i && i > floor && among(doc, skip_back(doc, floor, i).saturating_sub(1), &["and"]);
    let second_speaker = m < i
        && m > floor
        && among(doc, m - 1, &["and"])
        && mentions::before(doc, floor, i).is_some_and(|x| x.kind != MentionKind::Pronoun);
    m > floor
        && (among(doc, m - 1, &["but", "while", "whereas"])
            || doc.is_punct(m - 1, ';')
            || coordinated
            || second_speaker)
}

fn cue_at(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    let r = rules();
    let w = doc.word(i);
    if w.eq_ignore_ascii_case("according") && doc.is(i + 1, "to") {
        return according_to(doc, si, i);
    }
    if r.cue_nouns.contains(w) && doc.is(i + 1, "that") {
        return noun_cue(doc, si, i);
    }
    if w == "quoted" {
        return quoted_as_saying(doc, si, i);
    }
    let lemma = r.speech_verb(w)?;
    // "was told" is passive, "is calling" is not; "continues to insist" and "went on
    // to explain" are the subject speaking.
    let goes_on = i > s.start + 1 && doc.is(i - 1, "to") && doc.is_in(i - 2, &r.go_on_words);
    // "was first reported", "is widely seen": an adverb may sit inside the passive.
    let adverb = i > s.start + 1
        && doc.is_lower(i - 1)
        && (doc.word(i - 1).ends_with("ly")
            || among(doc, i - 1, &["first", "also", "later", "since"]));
    let marker = if adverb { i - 2 } else { i - 1 };
    let passive =
        i > s.start && doc.is_in(marker, &r.passive_markers) && !w.ends_with("ing") && !goes_on;
    // "began by saying …", "after saying …": a gerund whose subject speaks.
    let gerund = i > s.start + 1
        && w.ends_with("ing")
        && among(doc, i - 1, &["by", "after", "before", "while"]);
    if passive && doc.is(i + 1, "by") {
        return passive_agent(doc, si, i);
    }
    if i > s.start
        && !gerund
        && (passive || doc.is_in(i - 1, &r.noun_markers) || doc.is_in(i - 1, &r.noun_prepositions))
    {
        return None;
    }
    let cue = Some(TokSpan::new(i, i + 1));
    // 1. “…,” said X   /   “…,” X said
    if i > s.start {
        if let Some(q) = closed_quote_ending_at(doc, i - 1) {
            let mention = mentions::after(doc, i + 1, s.end);
            return mention.map(|m| direct(doc, q, Some(m), cue, si).by(Rule::QuoteCue));
        }
        if let Some(m) = mentions::before(doc, s.start, i) {
            let m_start = with_article(doc, s.start, &m);
            if m_start > 0 {
                if let Some(q) = closed_quote_ending_at(doc, m_start - 1) {
                    return Some(direct(doc, q, Some(m), cue, si).by(Rule::QuoteCue));
                }
            }
        }
    }
    // 5. …, said X.   /   …, X said.
    if let Some(f) = trailing_cue(doc, si, i) {
        return Some(f.by(Rule::Trailing));
    }
    // 3. X reacted, stating that …
    // "X reacted, stating …" and "X outlined a plan and vowed …" both speak
    // through the sentence's subject.
    let coordinated =
        i > s.start + 2 && among(doc, skip_back(doc, s.start, i) - 1, &["and", "but"]);
    let participle = (w.ends_with("ing") && i > s.start && doc.is_punct(i - 1, ','))
        || coordinated
        || gerund
        || goes_on;
    // With no speaker right before a plain cue, the sentence's subject speaks
    // through it: "A person familiar with the planning says …".
    let plain = r.bare_verbs.contains(lemma) && !w.ends_with("ing");
    let mention = if participle {
        subject(doc, si)
    } else {
        mentions::before(doc, s.start, i).or_else(|| {
            subject(doc, si).filter(|m| plain && m.span.end < i && i - m.span.end <= 10)
        })
    }?;
    if participle && mention.span.end > i {
        return None;
    }
    // "In a statement posted Friday, Lee said …": a noun after a preposition is not
    // the subject; its verb is a participle, and the cue comes later.
    if mention.kind == MentionKind::Description
        && mention.span.start > s.start
        && among(
            doc,
            mention.span.start - 1,
            &["in", "on", "at", "with", "during", "through", "via", "from"],
        )
    {
        return None;
    }
    // "the Associated Press report, which …": a base form right after a name is a
    // noun (a name as subject takes "reports").
    if w == lemma
        && r.verb_nouns.contains(w)
        && mention.kind == MentionKind::Name
        && mention.span.end == i
    {
        return None;
    }
    // 2. X said (that) …
    let (content, kind_hint) = complement(doc, si, i, lemma)?;
    let rule = if participle { Rule::Participle } else { Rule::Cue };
    Some(content_statement(doc, si, content, kind_hint, Some(mention), cue).by(rule))
}

/// Does the narration take over at token `k`, after a comma: "and when pressed",
/// "but then", "although", or a participle such as "citing"?
fn narration_resumes(doc: &Doc, k: usize) -> bool {
    let joined = among(doc, k, &["and", "but"])
        && among(doc, k + 1, &["when", "then", "after", "before", "later"]);
    joined
        || among(
            doc,
            k,
            &[
                "citing",
                "referring",
                "pointing",
                "prompting",
                "drawing",
                "sparking",
                "although",
                "though",
            ],
        )
}

/// Where mention `m` starts with its article: "…, the Budget Office said" and
/// "“…,” the Herald wrote" have "the" before a name that does not include it.
fn with_article(doc: &Doc, floor: usize, m: &Mention) -> usize {
    if m.span.start > floor && m.kind == MentionKind::Name && among(doc, m.span.start - 1, &["the"])
    {
        m.span.start - 1
    } else {
        m.span.start
    }
}

/// Is token `k` a finite auxiliary or modal ("are", "was", "would")?
fn is_auxiliary(doc: &Doc, k: usize) -> bool {
    k < doc.toks.len() && doc.is_lower(k) && rules().auxiliaries.contains(doc.word(k))
}

/// Does a verb start at token `k`, so the words before it are a clause's subject?
/// An auxiliary, or a lower-case word in "-ed" or "-s" ("it needed", "it plans").
fn opens_clause(doc: &Doc, k: usize) -> bool {
    if k >= doc.toks.len() || !doc.is_word(k) || !doc.is_lower(k) {
        return false;
    }
    let w = doc.word(k);
    is_auxiliary(doc, k)
        || (w.len() > 3 && (w.ends_with("ed") || (w.ends_with('s') && !w.ends_with("ss"))))
}

/// The first token of the words such as "also" and "has" just before `i`.
fn skip_back(doc: &Doc, floor: usize, i: usize) -> usize {
    let mut k = i;
    while k > floor + 1 && doc.is_lower(k - 1) && rules().skip_words.contains(doc.word(k - 1)) {
        k -= 1;
    }
    k
}

/// The quotation whose closing mark is token `k` (or whose closing mark is just
/// before a comma at `k`).
fn closed_quote_ending_at(doc: &Doc, k: usize) -> Option<usize> {
    let k = if doc.is_punct(k, ',') && k > 0 { k - 1 } else { k };
    let q = doc.quote_at(k)?;
    let quote = doc.quotes[q];
    (quote.closed && quote.close == k).then_some(q)
}

/// The bytes of the chain of quotations that ends with quotation `q` (quotations
/// that run over several paragraphs), from its first quotation's words to its last's.
fn quote_chain(doc: &Doc, q: usize) -> ByteSpan {
    let mut first = q;
    while first > 0 && continues_into(doc, first - 1) {
        first -= 1;
    }
    ByteSpan::new(doc.quotes[first].start, doc.quotes[chain_last(doc, q)].end)
}

/// Quotation `q` goes on in the one that opens the next paragraph.
fn continues_into(doc: &Doc, q: usize) -> bool {
    doc.quotes[q].continued
        && q + 1 < doc.quotes.len()
        && doc.quotes[q].close + 1 == doc.quotes[q + 1].open
}

/// The last quotation of the chain that quotation `q` belongs to.
fn chain_last(doc: &Doc, q: usize) -> usize {
    let mut last = q;
    while continues_into(doc, last) {
        last += 1;
    }
    last
}

fn direct(
    doc: &Doc,
    q: usize,
    mention: Option<Mention>,
    cue: Option<TokSpan>,
    si: usize,
) -> DraftStatement {
    DraftStatement {
        span: quote_chain(doc, q),
        kind: Kind::Direct,
        mention,
        cue,
        sent: si,
        continues: None,
        rule: Rule::Cue,
    }
}

/// Where the content of the cue at `i` starts: after "that", at a quotation, after
/// a colon, or right after the cue (and its object) for verbs that allow it.
/// Returns the content's token range.
fn complement(doc: &Doc, si: usize, i: usize, lemma: &str) -> Option<(TokSpan, Option<Kind>)> {
    let s = doc.sents[si];
    let mut j = i + 1;
    // "told reporters", "told Russian state media", "told him"
    if rules().object_verbs.contains(lemma) && j < s.end && !doc.is(j, "that") && doc.is_word(j) {
        if let Some(e) = mentions::cap_run_after(doc, j, s.end) {
            j = e;
        } else if doc.is_in(j, &rules().noun_markers) {
            j += 1;
            while j < s.end
                && doc.is_word(j)
                && j - i < 6
                && !among(doc, j, &["that", "on", "in", "at", "to", "about"])
            {
                j += 1;
            }
        } else if !doc.is_in(j, &rules().wh_words) && !doc.is(j, "to") {
            j += 1;
        }
    }
    let limit = (j + 14).min(s.end);
    // "told state media earlier in the day that …": "that" before any quotation,
    // colon or other cue marks where the content starts.
    for k in j..limit {
        if doc.quote_at(k).is_some()
            || doc.is_punct(k, ':')
            || (k > j && doc.is_lower(k) && rules().speech_verb(doc.word(k)).is_some())
        {
            break;
        }
        // "said officials are in possession of video that shows …": the reported
        // clause's verb comes first, so this "that" is inside the content.
        if k > j && is_auxiliary(doc, k) {
            break;
        }
        if doc.is(k, "that") && !among(doc, k + 1, &["is", "was", "of"]) && !in_time_phrase(doc, k)
        {
            return Some((TokSpan::new(k + 1, s.end), None));
        }
        // "vowing on the campaign trail to end the conflict"
        if rules().to_verbs.contains(lemma)
            && doc.is(k, "to")
            && doc.is_lower(k + 1)
            && !doc.is_in(k + 1, &rules().noun_markers)
        {
            return Some((TokSpan::new(k, s.end), None));
        }
    }
    // "said on Monday they believe …": the time is the saying's, not the content's.
    let mut j = past_leading_time(doc, j, s.end);
    // A colon at the end of a paragraph introduces the next one ("Caddell continued:").
    // A comma right after the cue moves `j` past it; the loop's range stays.
    let first = j;
    for k in first..limit {
        let t = doc.toks[k];
        if let Some(q) = doc.quote_at(k) {
            if doc.quotes[q].open == k {
                let only_punct_before = (j..k).all(|x| !doc.is_word(x));
                let introduced = k > j && (doc.is_punct(k - 1, ',') || doc.is_punct(k - 1, ':'));
                // 'told “Morning Joe”', 'called it “fraud”': a short quotation right
                // after the verb names a show or a word, it is not what was said.
                let words = doc.quotes[q].word_count(&doc.toks);
                if k == j
                    && !introduced
                    && (words < 2 || (rules().object_verbs.contains(lemma) && words <= 4))
                {
                    continue;
                }
                // 'said “budget reforms” and the collection of taxes would pay': the
                // quotation opens a clause that goes on, so the clause is the content.
                let after = doc.quotes[chain_last(doc, q)].close + 1;
                if k == j
                    && !introduced
                    && after < s.end
                    && doc.is_lower(after)
                    && rules().speech_verb(doc.word(after)).is_none()
                {
                    return Some((TokSpan::new(k, s.end), None));
                }
                if only_punct_before || k == j {
                    return Some((doc.toks_within(quote_chain(doc, q)), Some(Kind::Direct)));
                }
            }
            continue;
        }
        match t.kind {
            Tok::Punct(':') => {
                if k + 1 < s.end {
                    return Some((TokSpan::new(k + 1, s.end), None));
                }
                return next_paragraph(doc, si);
            }
            Tok::Word if doc.is(k, "that") && !among(doc, k + 1, &["is", "was", "of"]) => {
                return Some((TokSpan::new(k + 1, s.end), None));
            }
            Tok::Word if k == j && doc.is_in(k, &rules().wh_words) => {
                return Some((TokSpan::new(k, s.end), None))
            }
            // "called for a new inquiry": the demand is the content.
            Tok::Word if k == j && lemma == "call" && doc.is(k, "for") && k + 2 < s.end => {
                return Some((TokSpan::new(k + 1, s.end), None))
            }
            Tok::Word if k == j && doc.is(k, "to") => {
                return rules().to_verbs.contains(lemma).then_some((TokSpan::new(k, s.end), None));
            }
            Tok::Word if k == j => {
                if among(doc, k, &["for", "by", "about", "so", "of", "with"]) {
                    return None;
                }
                if is_answer(doc, k, s.end) {
                    return None;
                }
                // "said it again" is an object; "said it was wrong" opens the content.
                if among(doc, k, &["nothing", "anything", "something", "it", "this"])
                    && !opens_clause(doc, k + 1)
                {
                    return None;
                }
                // "called half of his supporters “deplorables”": any cue whose
                // complement quotes someone's words.
                let quotes_soon = (k..limit).any(|x| doc.toks[x].is_quote());
                return (rules().bare_verbs.contains(lemma) || quotes_soon)
                    .then_some((TokSpan::new(k, s.end), None));
            }
            Tok::Punct(',') if k == j => {
                j = k + 1;
            }
            _ => {}
        }
    }
    None
}

/// Past a time phrase where a cue's content would start ("said on Monday they
/// believe …", "told reporters today the …", "said at a press conference yesterday
/// morning the …", "noted on Monday, the …"): the token after it and after a comma
/// or "that" following it; else `k`. A phrase that is the content's subject ("said
/// Monday was …", "said last year's …") stays.
fn past_leading_time(doc: &Doc, k: usize, end: usize) -> usize {
    if k >= end || !doc.is_word(k) {
        return k;
    }
    // "said earlier it would sell"
    if doc.is_in(k, &rules().story.breaks) && k + 1 < end && doc.is_word(k + 1) {
        return if is_auxiliary(doc, k + 1) { k } else { k + 1 };
    }
    // "at a press conference", "in an interview": a preposition and up to four
    // words before the time phrase.
    let led = among(doc, k, &["at", "in", "during"]);
    let starts = std::iter::once(k).chain(
        (k + 2..(k + 6).min(end))
            .take_while(|&x| led && (k + 1..x).all(|y| doc.is_word(y) && !is_auxiliary(doc, y))),
    );
    for start in starts {
        let Some(mut e) = time_expressions::phrase_end(doc, start, end) else { continue };
        if e < end && doc.is_word(e) && (possessive(doc.word(e)) || is_auxiliary(doc, e)) {
            return k;
        }
        if doc.is_punct(e, ',') {
            e += 1;
        }
        if doc.is(e, "that") {
            e += 1;
        }
        return if e < end { e } else { k };
    }
    k
}

/// Is the "that" at `k` part of a time phrase ("later that evening", "that day")?
fn in_time_phrase(doc: &Doc, k: usize) -> bool {
    let end = doc.toks.len();
    [k.saturating_sub(1), k]
        .into_iter()
        .any(|x| time_expressions::phrase_end(doc, x, end).is_some_and(|e| e > k))
}

/// The tokens of the paragraph after sentence `si`'s.
fn next_paragraph(doc: &Doc, si: usize) -> Option<(TokSpan, Option<Kind>)> {
    let para = doc.sents[si].para;
    let first = doc.sents.get(si + 1).filter(|n| n.para == para + 1)?;
    let last = doc.sents[si + 1..].iter().take_while(|n| n.para == para + 1).last()?;
    Some((TokSpan::new(first.start, last.end), None))
}

/// Builds a statement from a content token range: trailing punctuation dropped;
/// a content that is exactly one quotation is direct.
fn content_statement(
    doc: &Doc,
    si: usize,
    content: TokSpan,
    kind_hint: Option<Kind>,
    mention: Option<Mention>,
    cue: Option<TokSpan>,
) -> DraftStatement {
    let TokSpan { start: a, end: b } = content;
    if kind_hint == Some(Kind::Direct) && !content.is_empty() {
        let span = doc.bytes(content);
        return DraftStatement {
            span,
            kind: Kind::Direct,
            mention,
            cue,
            sent: si,
            continues: None,
            rule: Rule::Cue,
        };
    }
    let mut e = b;
    while e > a
        && matches!(
            doc.toks[e - 1].kind,
            Tok::Punct('.') | Tok::Punct(',') | Tok::Punct(';') | Tok::Punct('!')
        )
    {
        e -= 1;
    }
    if e <= a {
        return DraftStatement {
            span: ByteSpan::default(),
            kind: Kind::Indirect,
            mention,
            cue,
            sent: si,
            continues: None,
            rule: Rule::Cue,
        };
    }
    // Exactly one quotation, marks included: direct, without its marks.
    if let (Some(q1), Some(q2)) = (doc.quote_at(a), doc.quote_at(e - 1)) {
        if q1 == q2 && doc.quotes[q1].open == a {
            return direct(doc, q1, mention, cue, si);
        }
    }
    // A spaced dash outside quotations starts an aside, not more of the statement:
    // "Clark said Brooks had begun making calls - there are two from each …".
    if let Some(d) = (a + 3..e).find(|&k| {
        doc.is_dash(k) && doc.quote_at(k).is_none() && doc.toks[k].start > doc.toks[k - 1].end
    }) {
        e = d;
    }
    // ", and when pressed …", ", citing …": the narration takes over again.
    if let Some(c) = (a + 3..e).find(|&k| {
        doc.is_punct(k, ',') && doc.quote_at(k).is_none() && narration_resumes(doc, k + 1)
    }) {
        e = c;
    }
    let has_quote = (a..e).any(|k| doc.toks[k].is_quote());
    let kind = if has_quote { Kind::Mixed } else { Kind::Indirect };
    let span = doc.bytes(TokSpan::new(a, e));
    DraftStatement { span, kind, mention, cue, sent: si, continues: None, rule: Rule::Cue }
}

/// "Baker’s claim that …", "her insistence that …": the possessor speaks.
fn noun_cue(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    // The possessor stands right before the noun or before one adjective
    // ("his repeated claim").
    let owner = (i.saturating_sub(2).max(s.start)..i).rev().find(|&k| {
        doc.is_word(k) && (possessive(doc.word(k)) || among(doc, k, &["his", "her", "their"]))
    })?;
    let mention = if doc.is_cap(owner) && possessive(doc.word(owner)) {
        let start = (s.start..=owner)
            .rev()
            .take_while(|&k| doc.is_cap(k) || mentions::name_period(doc, k))
            .last()?;
        Mention { span: TokSpan::new(start, owner + 1), kind: MentionKind::Name, role: None }
    } else if doc.is_lower(owner) {
        Mention { span: TokSpan::new(owner, owner + 1), kind: MentionKind::Pronoun, role: None }
    } else {
        return None;
    };
    Some(
        content_statement(
            doc,
            si,
            TokSpan::new(i + 2, s.end),
            None,
            Some(mention),
            Some(TokSpan::new(i, i + 1)),
        )
        .by(Rule::Noun),
    )
}

/// "The paper quoted Ann Lee as saying (that) …" and "Ann Lee was quoted as saying
/// …": the one quoted speaks, not the one quoting.
fn quoted_as_saying(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    let passive = i > s.start && among(doc, i - 1, &["was", "were", "is", "been"]);
    let (mention, as_at) = if passive {
        let m = mentions::before(doc, s.start, i - 1)?;
        (m, i + 1)
    } else {
        let m = mentions::after(doc, i + 1, s.end)?;
        (m, m.span.end)
    };
    if !(doc.is(as_at, "as")
        && doc.is_word(as_at + 1)
        && rules().speech_verb(doc.word(as_at + 1)).is_some())
    {
        return None;
    }
    let mut start = as_at + 2;
    if doc.is(start, "that") {
        start += 1;
    }
    Some(
        content_statement(
            doc,
            si,
            TokSpan::new(start, s.end),
            None,
            Some(mention),
            Some(TokSpan::new(i, as_at + 2)),
        )
        .by(Rule::QuotedAs),
    )
}

fn possessive(w: &str) -> bool {
    w.ends_with("’s") || w.ends_with("'s")
}

/// "according to X, …" and "…, according to X."
fn according_to(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    // The source may be a document or a count, not a person: "according to a
    // count by The Associated Press". Then it runs to the comma or the end.
    let mut m = mentions::after(doc, i + 2, s.end).or_else(|| {
        let end =
            (i + 2..s.end).take(14).find(|&k| !doc.is_word(k) && !mentions::name_period(doc, k))?;
        (end > i + 2).then_some(Mention {
            span: TokSpan::new(i + 2, end),
            kind: MentionKind::Description,
            role: None,
        })
    })?;
    let cue = Some(TokSpan::new(i, i + 2));
    // "According to X, the suspect fled": what follows the comma is the content,
    // not an appositive. "According to X on Saturday, …": a time between.
    let after = skip_time(doc, m.span.end, s.end);
    if doc.is_punct(after, ',') && i == s.start {
        m.role = None;
    }
    if doc.is_punct(after, ',')
        && (i == s.start
            || (i == s.start + 1 && !doc.is_word(s.start))
            || among(doc, i - 1, &["but", "and"]))
    {
        return Some(
            content_statement(doc, si, TokSpan::new(after + 1, s.end), None, Some(m), cue)
                .by(Rule::According),
        );
    }
    if i > s.start + 3 {
        let end = if doc.is_punct(i - 1, ',') { i - 1 } else { i };
        return Some(
            content_statement(doc, si, TokSpan::new(s.start, end), None, Some(m), cue)
                .by(Rule::According),
        );
    }
    None
}

/// Past a time phrase at `k` that ends in a comma ("on Saturday,", "yesterday,",
/// "on March 3,", "last week,"): the comma's index; else `k`. Its words are the
/// weekdays, months and time words of `data/rules`, numbers, "on" and "in".
fn skip_time(doc: &Doc, k: usize, end: usize) -> usize {
    let r = rules();
    let timeish = |x: usize| {
        doc.is_word(x) && {
            let w = lower(doc.word(x));
            r.weekdays.contains_key(w.as_ref())
                || r.months.contains_key(w.trim_end_matches('.'))
                || w.bytes().all(|b| b.is_ascii_digit())
                || matches!(w.as_ref(), "on" | "in")
                || r.time_words.iter().any(|(phrase, _)| phrase.iter().any(|p| *p == w))
        }
    };
    let comma = (k..end.min(k + 6)).find(|&x| doc.is_punct(x, ','));
    match comma {
        Some(c)
            if c > k
                && (k..c).all(|x| timeish(x) || mentions::name_period(doc, x))
                && (k..c).any(|x| !doc.is(x, "on") && !doc.is(x, "in")) =>
        {
            c
        }
        _ => k,
    }
}

/// "…, said X." and "…, X said." with no quotation: the content is what comes
/// before the comma.
fn trailing_cue(doc: &Doc, si: usize, i: usize) -> Option<DraftStatement> {
    let s = doc.sents[si];
    let ends_here = |k: usize| {
        k >= s.end
            || matches!(doc.toks[k].kind, Tok::Punct('.') | Tok::Punct('!') | Tok::Punct('?'))
    };
    let cue = Some(TokSpan::new(i, i + 1));
    // …, said X.
    if i > s.start + 3 && doc.is_punct(i - 1, ',') {
        if let Some(m) = mentions::after(doc, i + 1, s.end) {
            let end = m.role.map_or(m.span.end, |r| r.end);
            // "…, said one GOP source in the room."
            let short_tail = (m.span.end..s.end).filter(|&x| doc.is_word(x)).count() <= 6
                && (m.span.end..s.end).all(|x| {
                    !(doc.toks[x].is_quote()
                        || doc.is_lower(x) && rules().speech_verb(doc.word(x)).is_some())
                });
            // "…, said it was opposed": the "mention" is the subject of the content.
            let subject_of_clause = opens_clause(doc, m.span.end);
            if !subject_of_clause
                && (ends_here(end)
                    || ends_here(m.span.end)
                    || doc.is_punct(m.span.end, ',')
                    || short_tail)
            {
                return Some(content_statement(
                    doc,
                    si,
                    TokSpan::new(s.start, i - 1),
                    None,
                    Some(m),
                    cue,
                ));
            }
        }
    }
    // …, X said.
    let m = mentions::before(doc, s.start, i)?;
    let mut k = i + 1;
    while k < s.end && doc.is_word(k) && k - i < 5 && !doc.is(k, "that") {
        k += 1;
    }
    // "Last month, Lee said the budget was wrong": a clause after the cue is its
    // content, so the cue is not at the end.
    let clause_after = (i + 1..k).any(|x| is_auxiliary(doc, x));
    let clause_ends = (ends_here(k) || doc.is_punct(k, ',')) && !clause_after;
    let m_start = with_article(doc, s.start, &m);
    // "The museum, Ann Lee said, would …": one word and a comma are enough before it.
    if m_start >= s.start + 2
        && doc.is_punct(m_start - 1, ',')
        && clause_ends
        && doc.quote_at(m_start - 2).is_none()
    {
        // "Acts of protest, Mr. Baker said, are acts of patriotism": the
        // attribution sits inside the statement. "As for RT, he said, “…”": the
        // quotation after it is the statement.
        if doc.is_punct(k, ',') && k + 1 < s.end {
            if let Some(q) = doc.quote_at(k + 1).filter(|&q| doc.quotes[q].open == k + 1) {
                return Some(DraftStatement {
                    span: quote_chain(doc, q),
                    kind: Kind::Direct,
                    mention: Some(m),
                    cue,
                    sent: si,
                    continues: None,
                    rule: Rule::Cue,
                });
            }
            if (k + 1..s.end).filter(|&x| doc.is_word(x)).count() >= 3 {
                return Some(content_statement(doc, si, s.toks(), None, Some(m), cue));
            }
        }
        return Some(content_statement(
            doc,
            si,
            TokSpan::new(s.start, m_start - 1),
            None,
            Some(m),
            cue,
        ));
    }
    None
}

/// The subject of sentence `si`: the first mention after any opening phrase
/// ("On March 13, Russian President Ivan Petrov …").
fn subject(doc: &Doc, si: usize) -> Option<Mention> {
    let s = doc.sents[si];
    let mut k = s.start;
    loop {
        while k < s.end && !doc.is_word(k) && doc.quote_at(k).is_none() {
            k += 1;
        }
        // "“…,” Lee said in a statement, adding …": the quotation is not the subject.
        match doc.quote_at(k) {
            Some(q) if k < s.end && doc.quotes[q].closed => k = doc.quotes[q].close + 1,
            Some(_) if k < s.end => return None,
            _ => break,
        }
    }
    if k < s.end
        && rules().function_words.contains(doc.word(k))
        && !mentions::is_pronoun(doc, k)
        && !doc.is(k, "the")
    {
        let comma = (k..s.end).take(12).find(|&x| doc.is_punct(x, ','))?;
        k = comma + 1;
    }
    let m = mentions::after(doc, k, s.end)?;
    (m.kind != MentionKind::Pronoun || doc.is_word(m.span.start)).then_some(m)
}

/// Quotations no pass claimed: a quotation in the paragraph of a direct statement
/// joins it (“…,” she said. “…”); a quotation of a sentence or more on its own
/// continues the last speaker when one spoke in this paragraph or the one before;
/// short fragments (scare quotes) are left alone.
pub fn orphans(doc: &Doc, found: &mut Vec<DraftStatement>) {
    let para_of_byte = |b: usize| {
        let t = doc.toks.partition_point(|t| t.end <= b).min(doc.toks.len().saturating_sub(1));
        doc.sents[doc.sent_of[t] as usize].para
    };
    // The list is rebuilt by merging rather than edited in place: `out` holds the
    // statements that start before the current quotation, `rest[next..]` the others,
    // so a new statement is pushed at (or near) the end of `out` instead of shifting
    // the whole list, and the statement before a quotation is found by looking back
    // from the end of `out`. Both used to scan the whole list for every quotation,
    // quadratic in an article of tens of thousands of statements.
    let rest = std::mem::take(found);
    let mut next = 0;
    let mut out: Vec<DraftStatement> = Vec::with_capacity(rest.len());
    // Is a quotation inside some statement? Quotations come in text order, so the
    // statements starting at or before one only grow in number: `by_start` is every
    // span sorted by start, `reach` the furthest end among those passed so far
    // (statements are never empty, so a reach of 0 covers nothing).
    let mut by_start: Vec<ByteSpan> = rest.iter().map(|f| f.span).collect();
    by_start.sort_unstable();
    let (mut passed, mut reach) = (0, 0);
    let mut k = 0;
    while k < doc.quotes.len() {
        let q = doc.quotes[k];
        let chain = quote_chain(doc, k);
        let ByteSpan { start, end } = chain;
        // Skip the rest of a chain.
        k = chain_last(doc, k) + 1;
        while next < rest.len() && rest[next].span.start < start {
            out.push(rest[next].clone());
            next += 1;
        }
        while passed < by_start.len() && by_start[passed].start <= q.start {
            reach = reach.max(by_start[passed].end);
            passed += 1;
        }
        let covered = reach >= q.end;
        let words = q.word_count(&doc.toks);
        let whole_sentence =
            (q.open + 1..q.close).rev().find(|&x| !doc.toks[x].is_quote()).is_some_and(|x| {
                matches!(doc.toks[x].kind, Tok::Punct('.') | Tok::Punct('?') | Tok::Punct('!'))
            });
        // A quotation that opens its sentence (or follows a colon or comma) is
        // somebody's words; one in the middle of a sentence is a scare quote or a
        // title unless it is long.
        let opens = q.open == doc.sents[doc.sent_of[q.open] as usize].start
            || (q.open > 0 && (doc.is_punct(q.open - 1, ':') || doc.is_punct(q.open - 1, ',')));
        if covered
            || words < 2
            || (words < 4 && !whole_sentence)
            || (!opens && !whole_sentence && words < 8)
        {
            continue;
        }
        // Every statement added or stretched below starts at or before this
        // quotation, so it counts for the coverage of the ones after.
        reach = reach.max(end);
        // “…” ― Jorge Falcon: a dash and a name closing the paragraph.
        if q.closed {
            if let Some(m) = dash_signature(doc, q.close + 1) {
                let at = out.partition_point(|f| f.span.start < start);
                let sent = doc.sent_of[q.open] as usize;
                out.insert(
                    at,
                    DraftStatement {
                        span: chain,
                        kind: Kind::Direct,
                        mention: Some(m),
                        cue: Some(TokSpan::new(q.close + 1, q.close + 2)),
                        sent,
                        continues: None,
                        rule: Rule::Signature,
                    },
                );
                continue;
            }
        }
        let para = doc.sents[doc.sent_of[q.open] as usize].para;
        // Statements not yet in `out` start at or after the quotation, so the last
        // one ending before it is in `out`.
        let prev = out.iter().rposition(|f| f.span.end <= start);
        if let Some(p) = prev {
            let f = &out[p];
            let p_para = para_of_byte(f.span.end.saturating_sub(1));
            let following = out.get(p + 1).or(rest.get(next));
            // Join a direct statement of the same paragraph, unless another
            // statement's attribution sits between them.
            if p_para == para
                && f.kind == Kind::Direct
                && following.is_none_or(|n| n.span.start >= end)
            {
                out[p].span.end = end;
                continue;
            }
            let continues = (para - p_para <= 1).then_some(p);
            let sent = doc.sent_of[q.open] as usize;
            out.insert(
                p + 1,
                DraftStatement {
                    span: chain,
                    kind: Kind::Direct,
                    mention: None,
                    cue: None,
                    sent,
                    continues,
                    rule: if continues.is_some() { Rule::Continuation } else { Rule::Orphan },
                },
            );
        } else {
            let sent = doc.sent_of[q.open] as usize;
            out.insert(
                0,
                DraftStatement {
                    span: chain,
                    kind: Kind::Direct,
                    mention: None,
                    cue: None,
                    sent,
                    continues: None,
                    rule: Rule::Orphan,
                },
            );
        }
    }
    out.extend(rest.into_iter().skip(next));
    *found = out;
}

/// A dash at token `k` followed by a name that ends the paragraph.
fn dash_signature(doc: &Doc, k: usize) -> Option<Mention> {
    if !matches!(doc.toks.get(k)?.kind, Tok::Punct('―') | Tok::Punct('—') | Tok::Punct('–')) {
        return None;
    }
    let m = mentions::after(doc, k + 1, doc.toks.len())?;
    let end = m.role.map_or(m.span.end, |r| r.end);
    let ends = doc
        .toks
        .get(end)
        .is_none_or(|t| matches!(t.kind, Tok::Break | Tok::Punct('.') | Tok::Quote(_)));
    (m.kind == MentionKind::Name && ends).then_some(m)
}

#[cfg(test)]
mod tests {
    //! Each pattern with the sentences that motivated it (names invented). The
    //! patterns alone: no learned model runs here.
    use super::*;

    /// (pattern, content, speaker mention, cue) of each statement found.
    fn found(text: &str) -> Vec<(Rule, String, Option<String>, Option<String>)> {
        let doc = Doc::new(text);
        let mut found = find(&doc);
        orphans(&doc, &mut found);
        found
            .iter()
            .map(|f| {
                let mention = f.mention.map(|m| doc.slice(m.span).to_string());
                let cue = f.cue.map(|c| doc.slice(c).to_string());
                (f.rule, doc.text_of(f.span).to_string(), mention, cue)
            })
            .collect()
    }

    fn one(
        rule: Rule,
        content: &str,
        mention: &str,
        cue: &str,
    ) -> (Rule, String, Option<String>, Option<String>) {
        (rule, content.to_string(), Some(mention.to_string()), Some(cue.to_string()))
    }

    #[test]
    fn quotation_closed_before_the_cue() {
        assert_eq!(
            found("“We are ready,” said Mara Quill."),
            [one(Rule::QuoteCue, "We are ready,", "Mara Quill", "said")]
        );
        assert_eq!(
            found("“We are ready,” Mara Quill said."),
            [one(Rule::QuoteCue, "We are ready,", "Mara Quill", "said")]
        );
        // "the" before a name that does not include it.
        assert_eq!(
            found("“The offer is a trap,” the Herald wrote."),
            [one(Rule::QuoteCue, "The offer is a trap,", "Herald", "wrote")]
        );
    }

    #[test]
    fn cue_with_its_speaker_before_and_content_after() {
        assert_eq!(
            found("Nora Vance said that the bridge would close."),
            [one(Rule::Cue, "the bridge would close", "Nora Vance", "said")]
        );
        // An object verb's object comes before the content.
        assert_eq!(
            found("Nora Vance told reporters the bridge would close."),
            [one(Rule::Cue, "the bridge would close", "Nora Vance", "told")]
        );
        assert_eq!(
            found("Nora Vance told state media earlier in the day that the offer was a trap."),
            [one(Rule::Cue, "the offer was a trap", "Nora Vance", "told")]
        );
        // A colon and a quotation: direct, without its marks.
        let f = found("Nora Vance said: “The bridge will close.”");
        assert_eq!((f[0].0, f[0].1.as_str()), (Rule::Cue, "The bridge will close."));
        // A colon that ends its paragraph introduces the next one.
        let f = found(
            "Nora Vance continued:\n\nThe bridge will close in May, and nobody will cross it.",
        );
        assert_eq!(
            f,
            [one(
                Rule::Cue,
                "The bridge will close in May, and nobody will cross it",
                "Nora Vance",
                "continued"
            )]
        );
        // "said officials are in possession of video that shows …": the reported
        // clause's verb comes first, so the content starts at "officials".
        let f = found("Nora Vance said officials are in possession of video that shows the blast.");
        assert_eq!(f[0].1, "officials are in possession of video that shows the blast");
    }

    #[test]
    fn what_a_cue_takes_as_its_complement() {
        // An infinitive after a to-verb, even with words between.
        assert_eq!(
            found("Nora Vance vowed on the campaign trail to end the conflict.")[0].1,
            "to end the conflict"
        );
        // "called for" a demand.
        assert_eq!(
            found("Tom Baker called for a new inquiry into the contract.")[0].1,
            "a new inquiry into the contract"
        );
        // A quotation that opens a clause that goes on: the clause.
        assert_eq!(
            found("Tom Baker said “budget reforms” and unpaid taxes would pay for them.")[0].1,
            "“budget reforms” and unpaid taxes would pay for them"
        );
        // An answer or an object is no report.
        assert!(found("Tom Baker said no to the plan.").is_empty());
        assert!(found("Tom Baker said it again.").is_empty());
        assert_eq!(
            found("Tom Baker said no decision had been made.")[0].1,
            "no decision had been made"
        );
        assert_eq!(found("Tom Baker said it was wrong.")[0].1, "it was wrong");
    }

    #[test]
    fn participle_after_the_subject() {
        let f = found("Lena Ortiz reacted on Monday, stating that the deal was a positive start.");
        assert_eq!(
            f,
            [one(Rule::Participle, "the deal was a positive start", "Lena Ortiz", "stating")]
        );
        // "began by saying": a gerund whose subject speaks.
        let f = found("Lena Ortiz appeared on television and began by saying she would never diagnose anyone.");
        assert_eq!(
            f,
            [one(Rule::Participle, "she would never diagnose anyone", "Lena Ortiz", "saying")]
        );
        // "went on to explain": the subject speaking, not a passive.
        let f = found("Lena Ortiz went on to explain that cuts left her hands tied.");
        assert_eq!(f, [one(Rule::Participle, "cuts left her hands tied", "Lena Ortiz", "explain")]);
    }

    #[test]
    fn according_to_before_and_after() {
        let f = found("According to the fire chief, the blaze was set.");
        assert_eq!(
            f,
            [one(Rule::According, "the blaze was set", "the fire chief", "According to")]
        );
        let f = found("The blaze was set, according to the fire chief.");
        assert_eq!(
            f,
            [one(Rule::According, "The blaze was set", "the fire chief", "according to")]
        );
        // A time between the source and the comma.
        let f = found("According to the fire chief on Saturday, the blaze was set.");
        assert_eq!(f[0].1, "the blaze was set");
        // The source may be a count, not a person: it runs to the comma.
        let f = found("According to a count by the Herald, turnout fell.");
        assert_eq!(
            f,
            [one(Rule::According, "turnout fell", "a count by the Herald", "According to")]
        );
    }

    #[test]
    fn cue_at_the_end() {
        assert_eq!(
            found("The storm will worsen, forecasters said."),
            [one(Rule::Trailing, "The storm will worsen", "forecasters", "said")]
        );
        let f = found("The storm will worsen, said Osric Pell, a forecaster.");
        assert_eq!(
            (f[0].0, f[0].1.as_str(), f[0].2.as_deref()),
            (Rule::Trailing, "The storm will worsen", Some("Osric Pell"))
        );
        // "…, said one source in the room.": a short tail after the name.
        assert_eq!(
            found("The vote is lost, said one source in the room.")[0].1,
            "The vote is lost"
        );
        // "…, said it was opposed": the "mention" is the content's subject.
        assert!(found("Even the council, which backed the plan, said it was opposed to the vote.")
            .iter()
            .all(|f| f.0 != Rule::Trailing));
        // The attribution inside the statement.
        let f = found("The museum, Ann Lee said, would make visitors face hard truths.");
        assert_eq!(
            f,
            [one(
                Rule::Trailing,
                "The museum, Ann Lee said, would make visitors face hard truths",
                "Ann Lee",
                "said"
            )]
        );
        // "As for the plan, he said, “…”": the quotation after it.
        let f = found("As for the plan, he said, “It is dead.”");
        assert_eq!((f[0].1.as_str(), f[0].2.as_deref()), ("It is dead.", Some("he")));
    }

    #[test]
    fn passive_with_its_agent_and_a_sentence_opening_with_its_cue() {
        let f = found("The new tariff was announced by the ministry on Monday.");
        assert_eq!(f, [one(Rule::Passive, "The new tariff", "the ministry", "announced by")]);
        // An adverb inside the passive.
        assert_eq!(found("The story was first reported by Ann Lee.")[0].0, Rule::Passive);
        // Told what to do is not a statement.
        assert!(found("Tom Baker was told by his doctor to rest.").is_empty());
        let f =
            found("The code would get worse. Said Halvor Brandt: “I see no interest in reform.”");
        assert_eq!(
            f,
            [one(Rule::Inverted, "I see no interest in reform.", "Halvor Brandt", "Said")]
        );
    }

    #[test]
    fn labels_nouns_quoted_as_and_signatures() {
        // A transcript label names someone the article names elsewhere.
        let f = found("Osric Pell spoke first.\n\nPELL: Well, look, we tried our best.");
        assert_eq!(f, [one(Rule::Label, "Well, look, we tried our best", "PELL", ":")]);
        assert_eq!(f.len(), 1);
        assert!(found("NOTE: figures are rounded to the nearest unit.").is_empty());
        // The possessor of a speech noun with "that".
        let f = found("Ann Lee’s claim that the vote was rigged angered voters.");
        assert_eq!(
            f,
            [one(Rule::Noun, "the vote was rigged angered voters", "Ann Lee’s", "claim")]
        );
        // The one quoted speaks, not the one quoting; actively or passively.
        let f = found("The Herald quoted Ann Lee as saying that the plant would close.");
        assert_eq!(
            f,
            [one(Rule::QuotedAs, "the plant would close", "Ann Lee", "quoted Ann Lee as saying")]
        );
        let f = found("Tom Baker was quoted as saying the plant would stay open.");
        assert_eq!(
            f,
            [one(Rule::QuotedAs, "the plant would stay open", "Tom Baker", "quoted as saying")]
        );
        // A dash and a name closing the paragraph.
        let f = found("“We will rebuild, whatever it takes.” ― Ines Moretti");
        assert_eq!(
            f,
            [one(Rule::Signature, "We will rebuild, whatever it takes.", "Ines Moretti", "―")]
        );
    }

    #[test]
    fn quotations_nobody_claimed() {
        // A quotation paragraph after a statement continues its speaker.
        let f = found(
            "“I will go,” Ann Lee told reporters.\n\n“Hopefully, they will follow us there.”",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[1].0, f[1].1.as_str(), f[1].2.as_deref()),
            (Rule::Continuation, "Hopefully, they will follow us there.", None)
        );
        // A quotation in the paragraph of a direct statement joins it.
        let f = found("“We agree,” Ann Lee told reporters. “But we need more time.”");
        assert_eq!(f.len(), 1);
        assert!(f[0].1.starts_with("We agree") && f[0].1.ends_with("more time."));
        // A whole sentence quoted with nobody before it.
        let f = found("“The storm is coming and nobody listens.”");
        assert_eq!((f[0].0, f[0].2.as_deref()), (Rule::Orphan, None));
        // Scare quotes are left alone.
        assert!(found("The so-called “reform” passed.").is_empty());
    }

    #[test]
    fn where_one_content_ends() {
        // "X said A, but Y said B": A ends where B's attribution starts.
        let f = found("Ann Lee said taxes would rise, but Tom Baker said they would fall.");
        assert_eq!(
            f,
            [
                one(Rule::Cue, "taxes would rise", "Ann Lee", "said"),
                one(Rule::Cue, "they would fall", "Tom Baker", "said")
            ]
        );
        // A cue inside the content belongs to it ("what Baker called …").
        assert_eq!(
            found("Ann Lee said the plan was what Tom Baker called a “disaster” for the city.")
                .len(),
            1
        );
        // The narration takes over again.
        assert_eq!(found("Ann Lee said fathers would not be eligible, and when pressed on why she declined to answer.")[0].1, "fathers would not be eligible");
        assert_eq!(
            found("Analysts said the economy had slowed, citing weak exports.")[0].1,
            "the economy had slowed"
        );
        // A spaced dash starts an aside.
        assert_eq!(
            found(
                "Ann Lee said Tom Baker had begun making calls - there are two from each county."
            )[0]
            .1,
            "Tom Baker had begun making calls"
        );
    }

    #[test]
    fn words_that_are_not_cues() {
        // A determiner or a preposition makes the word a noun.
        assert!(found("The report was late.").is_empty());
        assert!(found("Tom Baker posted a flurry of tweets.")
            .iter()
            .all(|f| f.3.as_deref() != Some("tweets")));
        // "In a statement posted Friday, Ann Lee said …": the noun after a
        // preposition is not the subject.
        let f = found("In a message posted Friday, Ann Lee said she had doubts about the mayor.");
        assert_eq!(f, [one(Rule::Cue, "she had doubts about the mayor", "Ann Lee", "said")]);
    }
}
