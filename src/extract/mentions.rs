//! Speaker mentions next to a cue: names ("U.S. President Thomas Baker"),
//! pronouns ("he"), and descriptions ("Petrov’s top foreign policy aide",
//! "a State Department spokesman", "officials"), with an appositive role when one
//! follows ("Oleg Sokolov, a former ambassador to Washington").
//!
//! Known limits: no part-of-speech tagger; a description must end in a noun from
//! `data/rules/roles.txt`, and a name is a run of capitalized words. Its word lists
//! (determiners, quantifiers, name particles, …) are files under `data/rules/`.

use super::doc::Doc;
use super::span::TokSpan;
use super::tokens::Tok;
use crate::lexicon::{lower, rules};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    /// A run of capitalized words: a person's name or an organization's.
    Name,
    Pronoun,
    Description,
}

/// A mention of someone: its tokens, what kind it is, and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub span: TokSpan,
    pub kind: MentionKind,
    /// The tokens of an appositive role ("a former ambassador to Washington").
    pub role: Option<TokSpan>,
}

fn lower_in(doc: &Doc, i: usize, list: &[&str]) -> bool {
    doc.is_among(i, list)
}

/// A word that can be part of a capitalized name run.
fn name_word(doc: &Doc, i: usize) -> bool {
    doc.is_cap(i) && !rules().function_words.contains(doc.word(i))
}

/// `.` glued to an abbreviation, title or initial that is part of a name run.
pub fn name_period(doc: &Doc, i: usize) -> bool {
    doc.is_punct(i, '.')
        && i > 0
        && doc.toks[i - 1].end == doc.toks[i].start
        && doc.is_cap(i - 1)
        && {
            let w = doc.word(i - 1);
            let r = rules();
            w.contains('.')
                || (!w.is_empty() && w.chars().nth(1).is_none())
                || r.abbreviations.contains(w)
                || r.dotted_titles.contains_key(w)
        }
}

pub fn is_pronoun(doc: &Doc, i: usize) -> bool {
    doc.is_word(i) && rules().pronouns.contains_key(lower(doc.word(i)).as_ref())
}

fn is_role(doc: &Doc, i: usize) -> bool {
    if !doc.is_word(i) {
        return false;
    }
    let w = lower(doc.word(i));
    let roles = &rules().roles;
    // Plurals need no line of their own: "advisers", "attorneys", "spokesmen".
    roles.contains(w.as_ref())
        || w.strip_suffix('s').is_some_and(|s| s.len() > 2 && roles.contains(s))
        || w.strip_suffix("men").is_some_and(|s| roles.contains(format!("{s}man").as_str()))
}

/// A dash with a space on either side: an aside, not the hyphen of "co-editor".
fn spaced_dash(doc: &Doc, k: usize) -> bool {
    doc.is_dash(k)
        && ((k > 0 && doc.toks[k].start > doc.toks[k - 1].end)
            || (k + 1 < doc.toks.len() && doc.toks[k + 1].start > doc.toks[k].end))
}

fn is_possessive(word: &str) -> bool {
    word.ends_with("’s") || word.ends_with("'s") || word.ends_with("s’") || word.ends_with("s'")
}

/// "S and P", "AT and T": two initials joined by "and" or "&" are one name.
fn initials_and(doc: &Doc, i: usize) -> bool {
    let short = |k: usize| {
        doc.is_word(k)
            && doc.word(k).len() <= 2
            && doc.word(k).chars().all(|c| c.is_ascii_uppercase())
    };
    i > 0 && (doc.is(i, "and") || doc.is_punct(i, '&')) && short(i - 1) && short(i + 1)
}

/// The capitalized run ending just before `end` (exclusive), not before `floor`.
fn cap_run_before(doc: &Doc, floor: usize, end: usize) -> Option<usize> {
    let mut s = end;
    while s > floor {
        let i = s - 1;
        if name_word(doc, i)
            || name_period(doc, i)
            || (s < end && i > floor && initials_and(doc, i))
            || (doc.is_in(i, &rules().name_particles)
                && s < end
                && i > floor
                && name_word(doc, i - 1))
        {
            s = i;
        } else {
            break;
        }
        if end - s > 10 {
            return None;
        }
    }
    // A run may not start with a period.
    while s < end && !doc.is_word(s) {
        s += 1;
    }
    (s < end).then_some(s)
}

/// The capitalized run starting at `start`, up to `ceil` (exclusive).
pub fn cap_run_after(doc: &Doc, start: usize, ceil: usize) -> Option<usize> {
    let mut e = start;
    while e < ceil && e - start < 10 {
        if name_word(doc, e) || (e > start && name_period(doc, e)) {
            e += 1;
            // "Russia’s Kursk area": a possessive ends the name.
            if doc.is_word(e - 1) && is_possessive(doc.word(e - 1)) {
                break;
            }
        } else if e > start
            && (doc.is_in(e, &rules().name_particles) || initials_and(doc, e))
            && e + 1 < ceil
            && name_word(doc, e + 1)
        {
            e += 1;
        } else {
            break;
        }
    }
    (e > start).then_some(e)
}

/// The mention that ends just before token `end`, not reaching before `floor`,
/// skipping words such as "also" and "has" that may sit between it and a cue,
/// a parenthesis ("(R-Texas)") and an appositive (", a former ambassador,").
pub fn before(doc: &Doc, floor: usize, end: usize) -> Option<Mention> {
    let r = rules();
    let mut e = end;
    while e > floor && doc.is_lower(e - 1) && r.skip_words.contains(doc.word(e - 1)) {
        e -= 1;
    }
    // "Sanders on Tuesday said": a day between the speaker and the cue.
    if e > floor + 2
        && doc.is(e - 2, "on")
        && (r.weekdays.contains_key(lower(doc.word(e - 1)).as_ref()))
    {
        e -= 2;
    }
    // "an architect who said …", "Smith, who said …": the speaker is who "who" is.
    if e > floor + 1 && (doc.is(e - 1, "who") || doc.is(e - 1, "which") || doc.is(e - 1, "that")) {
        let mut w = e - 1;
        if doc.is_punct(w - 1, ',') {
            w -= 1;
        }
        return core_before(doc, floor, w).filter(|m| m.kind != MentionKind::Pronoun);
    }
    // "Sen. Jack Reed (D-R.I.), said"
    if e > floor + 1 && doc.is_punct(e - 1, ',') && doc.is_punct(e - 2, ')') {
        e -= 1;
    }
    if e > floor && doc.is_punct(e - 1, ')') {
        let open = (floor..e - 1).rev().take(10).find(|&i| doc.is_punct(i, '('))?;
        e = open;
    }
    // "Jon Hall -- co-editor of a book on debates -- said": a dashed appositive.
    if e > floor + 2 && spaced_dash(doc, e - 1) {
        let mut close = e - 1;
        while close > floor && doc.is_dash(close - 1) {
            close -= 1;
        }
        let last_open = (floor..close).rev().take(30).find(|&k| spaced_dash(doc, k))?;
        let mut open = last_open;
        while open > floor && doc.is_dash(open - 1) {
            open -= 1;
        }
        let mut m = core_before(doc, floor, open)?;
        if m.kind == MentionKind::Pronoun || last_open + 1 >= close {
            return None;
        }
        m.role = Some(TokSpan::new(last_open + 1, close));
        return Some(m);
    }
    if e > floor + 1 && doc.is_punct(e - 1, ',') {
        // "NAME, a former ambassador, said": find the comma that opens the appositive.
        let close = e - 1;
        let open = (floor..close).rev().take(25).find(|&i| doc.is_punct(i, ','))?;
        let first = open + 1;
        // "Jim Bennett, 57, told": an age is an appositive too.
        let age = first + 1 == close && doc.word(first).bytes().all(|b| b.is_ascii_digit());
        let looks_appositive = doc.is_in(first, &rules().determiners)
            || doc.is(first, "who")
            || doc.is_lower(first)
            || age;
        // "Oslo, the plan's only backer in the north, said": an appositive that opens
        // with a capital but is more than a name describes the name before it.
        let name_only = cap_run_before(doc, first, close) == Some(first);
        if !looks_appositive && name_only {
            // "Her rival, Tom Baker, said": the name is the appositive.
            let role = description_before(doc, floor, open).map(|d| TokSpan::new(d, open));
            return Some(Mention {
                span: TokSpan::new(first, close),
                kind: MentionKind::Name,
                role,
            });
        }
        // "Rep. Gregory W. Meeks (D-N.Y.), chairman of …, said"
        let mut name_end = open;
        if name_end > floor && doc.is_punct(name_end - 1, ')') {
            name_end = (floor..name_end - 1).rev().take(10).find(|&i| doc.is_punct(i, '('))?;
        }
        let mut m = core_before(doc, floor, name_end)?;
        if m.kind == MentionKind::Pronoun {
            return None;
        }
        m.role = Some(TokSpan::new(first, close));
        return Some(m);
    }
    let m = core_before(doc, floor, e);
    m.map(|m| relative_head(doc, floor, &m).unwrap_or(m))
}

/// "Terri Collins who sponsored the bill remarked": the mention before the cue
/// sits in a relative clause without commas; the speaker is who "who" stands for.
/// The clause runs over at most six lower-case words.
fn relative_head(doc: &Doc, floor: usize, m: &Mention) -> Option<Mention> {
    let lo = m.span.start.saturating_sub(7).max(floor);
    let who = (lo..m.span.start).rev().find(|&k| doc.is(k, "who"))?;
    if who <= floor || !(who + 1..m.span.start).all(|k| doc.is_lower(k)) || who + 1 == m.span.start
    {
        return None;
    }
    let head = core_before(doc, floor, who)?;
    (head.kind == MentionKind::Name)
        .then_some(Mention { role: Some(TokSpan::new(who, m.span.end)), ..head })
}

fn core_before(doc: &Doc, floor: usize, e: usize) -> Option<Mention> {
    if e <= floor {
        return None;
    }
    let last = e - 1;
    if !doc.is_word(last) {
        return None;
    }
    // "Several said", "Many said", "Others said".
    if doc.is_in(last, &rules().quantifiers)
        && (last == floor
            || !doc.is_word(last - 1)
            || lower_in(doc, last - 1, &["and", "but", "while"]))
    {
        return Some(Mention {
            span: TokSpan::new(last, e),
            kind: MentionKind::Description,
            role: None,
        });
    }
    if is_pronoun(doc, last) {
        // "he said", but not "told him" or "I said" inside running text.
        let w = doc.word(last);
        let subject = matches!(lower(w).as_ref(), "he" | "she" | "they" | "we" | "i" | "it");
        return subject.then_some(Mention {
            span: TokSpan::new(last, e),
            kind: MentionKind::Pronoun,
            role: None,
        });
    }
    if name_word(doc, last) || name_period(doc, last) {
        let s = cap_run_before(doc, floor, e)?;
        // "the campaign manager for Hillary Clinton said": the description is the speaker.
        if s >= floor + 2 && lower_in(doc, s - 1, &["for", "of", "at", "to"]) {
            if let Some(d) = description_before(doc, floor, s - 1) {
                return Some(Mention {
                    span: TokSpan::new(d, e),
                    kind: MentionKind::Description,
                    role: None,
                });
            }
        }
        // "Mr. Morgan of the Sierra Club said", "Steve Peers of the University of
        // Essex said", "Arnel dela Vega of the army's Western Command said": a person
        // of an organization. The "of" stands before the run (after "the" and a
        // possessive) or inside it as a name particle ("Ann Lee of Relief Harbor").
        let mut before_run = s;
        while before_run > floor + 1
            && before_run + 3 > s
            && (doc.is(before_run - 1, "the")
                || doc.is_lower(before_run - 1) && is_possessive(doc.word(before_run - 1)))
        {
            before_run -= 1;
        }
        let ofs =
            std::iter::once(before_run.wrapping_sub(1)).chain((s..e).filter(|&k| doc.is(k, "of")));
        for of in ofs.filter(|&k| {
            k > floor && k < e && doc.is_in(k, &rules().affiliations) && name_word(doc, k - 1)
        }) {
            if let Some(p) = cap_run_before(doc, floor, of) {
                if person_like(doc, p, of) {
                    return Some(Mention {
                        span: TokSpan::new(p, of),
                        kind: MentionKind::Name,
                        role: Some(TokSpan::new(of + 1, e)),
                    });
                }
            }
        }
        // "Petrov’s top aide" is handled below; a run ending in a possessive is not a speaker.
        if is_possessive(doc.word(last)) || !plausible_name(doc, s, e) {
            return None;
        }
        return Some(Mention { span: TokSpan::new(s, e), kind: MentionKind::Name, role: None });
    }
    let mut d =
        description_before(doc, floor, e).or_else(|| determined_noun_before(doc, floor, e))?;
    // "attorneys for the family", "a spokesman for the campaign": the head comes
    // before the preposition.
    if d >= floor + 2 && lower_in(doc, d - 1, &["for", "of"]) {
        if let Some(head) = description_before(doc, floor, d - 1) {
            d = head;
        }
    }
    Some(Mention { span: TokSpan::new(d, e), kind: MentionKind::Description, role: None })
}

/// Does the run `p..e` read as a person's name: a title or a given name first, or
/// two to four capitalized words none of which names an organization or place
/// ("Steve Peers", not "Bank" or "University").
fn person_like(doc: &Doc, p: usize, e: usize) -> bool {
    let r = rules();
    if r.dotted_titles.contains_key(doc.word(p))
        || r.titles.contains_key(doc.word(p))
        || r.first_names.contains_key(doc.word(p))
    {
        return e - p >= 2;
    }
    let words: Vec<&str> = (p..e).filter(|&k| doc.is_word(k)).map(|k| doc.word(k)).collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| !r.not_person.contains(w) && !w.chars().all(|c| c.is_uppercase()))
        && plausible_name(doc, p, e)
}

/// Start of a noun phrase that opens with a determiner and ends with a lower-case
/// noun not in the role list ("The bank", "Several cast members").
fn determined_noun_before(doc: &Doc, floor: usize, e: usize) -> Option<usize> {
    let last = e - 1;
    if !doc.is_lower(last)
        || doc.is_in(last, &rules().description_stops)
        || doc.is_in(last, &rules().determiners)
    {
        return None;
    }
    let w = doc.word(last);
    // Adverbs, participles, superlatives and time words are not speakers.
    if w.ends_with("ly")
        || w.ends_with("ing")
        || w.ends_with("ed")
        || w.ends_with("est")
        || doc.is_in(last, &rules().not_heads)
    {
        return None;
    }
    let mut s = last;
    while s > floor && e - s < 6 {
        let i = s - 1;
        if !doc.is_word(i) {
            return None;
        }
        if lower_in(doc, i, &["past", "next", "last", "same"]) {
            return None;
        }
        if doc.is_in(i, &rules().articles) {
            return Some(i);
        }
        // "Baker’s team says": a possessive name determines the noun.
        if doc.is_cap(i) && is_possessive(doc.word(i)) {
            return cap_run_before(doc, floor, i + 1);
        }
        if doc.is_in(i, &rules().determiners) {
            return None;
        }
        if doc.is_in(i, &rules().description_stops)
            || (doc.is_lower(i) && rules().speech_verb(doc.word(i)).is_some())
        {
            return None;
        }
        s = i;
    }
    None
}

/// A capitalized run that can name a speaker: not only months, weekdays or
/// sentence-opening adverbs and participles ("March", "Shortly", "Having").
fn plausible_name(doc: &Doc, s: usize, e: usize) -> bool {
    let r = rules();
    let words: Vec<&str> = (s..e).filter(|&k| doc.is_word(k)).map(|k| doc.word(k)).collect();
    // "Shortly", "Having" open sentences; "Kelly" and "Manning" are names.
    let opens_sentence = doc
        .sents
        .get(doc.sent_of[s] as usize)
        .is_some_and(|sent| (sent.start..s).all(|k| !doc.is_word(k)));
    let adverb_like = |w: &str| opens_sentence && (w.ends_with("ly") || w.ends_with("ing"));
    match words.as_slice() {
        [] => false,
        // "Additional reporting: …", "NOTE: …": a label word opening a line.
        [one]
            if opens_sentence
                && (r.not_labels.contains(lower(one).as_ref()) || r.quantifiers.has(one)) =>
        {
            false
        }
        [one] => {
            !r.months.contains_key(lower(one).as_ref())
                && !r.weekdays.contains_key(lower(one).as_ref())
                && !adverb_like(one)
        }
        _ => true,
    }
}

/// Start of a description that ends with a role noun at `e - 1`.
fn description_before(doc: &Doc, floor: usize, e: usize) -> Option<usize> {
    let last = e - 1;
    if !is_role(doc, last) {
        return None;
    }
    let mut s = last;
    while s > floor && e - s < 8 {
        let i = s - 1;
        if !doc.is_word(i) {
            if name_period(doc, i) {
                s = i;
                continue;
            }
            break;
        }
        if doc.is_in(i, &rules().determiners) || is_possessive(doc.word(i)) {
            s = i;
            break;
        }
        let verb = doc.is_lower(i) && rules().speech_verb(doc.word(i)).is_some();
        if doc.is_in(i, &rules().description_stops)
            || rules().function_words.contains(doc.word(i))
            || verb
        {
            break;
        }
        s = i;
    }
    Some(s)
}

/// The mention that starts at token `start` ("said Oleg Sokolov, a former
/// ambassador ...", "said the president", "said he"), not reaching `ceil`.
pub fn after(doc: &Doc, start: usize, ceil: usize) -> Option<Mention> {
    if start >= ceil || !doc.is_word(start) {
        return None;
    }
    let mut m = if is_pronoun(doc, start) {
        Mention { span: TokSpan::new(start, start + 1), kind: MentionKind::Pronoun, role: None }
    } else if name_word(doc, start) {
        let e = cap_run_after(doc, start, ceil)?;
        // "State media claimed", "Republican senators said": a capitalized modifier
        // of a role noun.
        if e == start + 1 && e < ceil && doc.is_lower(e) && is_role(doc, e) {
            let head = description_after(doc, e, ceil).unwrap_or(e + 1);
            return Some(Mention {
                span: TokSpan::new(start, head),
                kind: MentionKind::Description,
                role: None,
            });
        }
        if !plausible_name(doc, start, e) {
            return None;
        }
        if is_possessive(doc.word(e - 1)) {
            // "…, noted NBC’s Dan Chin.": the name after an outlet's possessive.
            if let Some(e2) = cap_run_after(doc, e, ceil) {
                let ends = e2 >= ceil || !doc.is_word(e2);
                if ends
                    && e2 - e >= 2
                    && !is_possessive(doc.word(e2 - 1))
                    && plausible_name(doc, e, e2)
                {
                    return Some(Mention {
                        span: TokSpan::new(e, e2),
                        kind: MentionKind::Name,
                        role: None,
                    });
                }
            }
            let head = description_after(doc, e, ceil)?;
            Mention { span: TokSpan::new(start, head), kind: MentionKind::Description, role: None }
        } else {
            Mention { span: TokSpan::new(start, e), kind: MentionKind::Name, role: None }
        }
    } else if doc.is_in(start, &rules().determiners) || is_role(doc, start) {
        let head = description_after(doc, start, ceil)?;
        let mut end = head;
        // "a spokesman for the Treasury", "an aide to Ms. Clinton"
        if lower_in(doc, end, &["for", "of", "to", "at"]) {
            let mut k = end + 1;
            if doc.is(k, "the") {
                k += 1;
            }
            if let Some(run_end) = cap_run_after(doc, k, ceil) {
                end = run_end;
            }
        }
        Mention { span: TokSpan::new(start, end), kind: MentionKind::Description, role: None }
    } else {
        return None;
    };
    // ", a former ambassador to Washington who speaks for ..." → the role.
    if m.kind != MentionKind::Pronoun && doc.is_punct(m.span.end, ',') {
        let first = m.span.end + 1;
        if doc.is_in(first, &rules().determiners)
            || doc.is_lower(first) && !doc.is(first, "who") && !doc.is(first, "and")
        {
            let mut k = first;
            while k < ceil
                && k - first < 20
                && doc.is_word(k)
                && !lower_in(doc, k, &["who", "which", "that", "said", "says"])
            {
                k += 1;
            }
            if k > first + 1 {
                m.role = Some(TokSpan::new(first, k));
            }
        }
    }
    Some(m)
}

/// One past the role noun of a description starting at `start`, if it ends in one
/// within a few words.
fn description_after(doc: &Doc, start: usize, ceil: usize) -> Option<usize> {
    let mut k = start;
    while k < ceil && k - start < 7 {
        if !doc.is_word(k) {
            if name_period(doc, k) {
                k += 1;
                continue;
            }
            return None;
        }
        if is_role(doc, k) && !(k + 1 < ceil && is_role(doc, k + 1)) {
            return Some(k + 1);
        }
        if k > start && doc.is_in(k, &rules().description_stops) {
            return None;
        }
        k += 1;
    }
    None
}

/// Every mention that could name a speaker among tokens `within`, outside
/// quotations, in text order and not overlapping: names, descriptions, subject
/// pronouns and possessive pronouns. The candidates of the learned speaker ranker.
pub fn scan(doc: &Doc, within: TokSpan) -> Vec<Mention> {
    let TokSpan { start: a, end: b } = within;
    let mut out = Vec::new();
    let mut k = a;
    while k < b {
        if !doc.is_word(k) || doc.quote_at(k).is_some() {
            k += 1;
            continue;
        }
        // Possessive pronouns can hold a cue ("his claim that", "their statement"):
        // "his", "her" and "their" are in `data/rules/pronouns.txt`; "its" is not,
        // since "its spokesman" must stay a description where a speaker is looked for.
        let m = if is_pronoun(doc, k) || doc.is(k, "its") {
            let w = lower(doc.word(k));
            // Object forms are never a speaker ("told him").
            (!matches!(w.as_ref(), "him" | "them" | "me" | "us")).then_some(Mention {
                span: TokSpan::new(k, k + 1),
                kind: MentionKind::Pronoun,
                role: None,
            })
        } else if name_word(doc, k) || doc.is_in(k, &rules().determiners) || is_role(doc, k) {
            after(doc, k, b).filter(|m| m.span.end > k).or_else(|| noun_phrase_after(doc, k, b))
        } else {
            None
        };
        match m {
            Some(m) => {
                let m = if m.kind == MentionKind::Name {
                    person_after_affix(doc, &m, b).unwrap_or(m)
                } else {
                    m
                };
                out.push(m);
                k = m.span.end.max(m.role.map_or(0, |r| r.end));
            }
            None => k += 1,
        }
    }
    out
}

/// The person a capitalized run introduces, with the run as the person's role:
/// "African Export–Import Bank president Okey Oramah" and "Republican state
/// representative Terri Collins" (a role noun after the run, then a name), or
/// "Germany Richard Grenell" (a given name inside the run, after a word that is
/// not one).
fn person_after_affix(doc: &Doc, m: &Mention, ceil: usize) -> Option<Mention> {
    let r = rules();
    let given = |k: usize| r.first_names.contains_key(doc.word(k));
    if let Some(j) = (m.span.start + 1..m.span.end.saturating_sub(1))
        .find(|&j| given(j) && doc.is_word(j - 1) && !given(j - 1) && !name_period(doc, j - 1))
    {
        if person_like(doc, j, m.span.end) {
            return Some(Mention {
                span: TokSpan::new(j, m.span.end),
                kind: MentionKind::Name,
                role: Some(TokSpan::new(m.span.start, j)),
            });
        }
    }
    // Up to five words and hyphens between the run and a role noun.
    let mut k = m.span.end;
    while k < ceil && k < m.span.end + 6 {
        if doc.is_lower(k) && is_role(doc, k) && !(k + 1 < ceil && is_role(doc, k + 1)) {
            let e = cap_run_after(doc, k + 1, ceil)?;
            return person_like(doc, k + 1, e).then_some(Mention {
                span: TokSpan::new(k + 1, e),
                kind: MentionKind::Name,
                role: Some(TokSpan::new(m.span.start, k + 1)),
            });
        }
        let joins = doc.is_dash(k)
            || doc.is_cap(k) && !is_possessive(doc.word(k))
            || doc.is_lower(k)
                && !doc.is_in(k, &rules().description_stops)
                && !rules().function_words.contains(doc.word(k))
                && rules().speech_verb(doc.word(k)).is_none();
        if !joins {
            return None;
        }
        k += 1;
    }
    None
}

/// A plain noun phrase from a determiner or a possessive name at `k`: "the
/// company", "Scott's family", "The Supreme Court's ruling". Its words run to the
/// first word that cannot end one (a verb of speech, an auxiliary, a stop word),
/// at most five. Broader than `after`, which wants a role noun: the speaker ranker
/// weighs these as candidates, the rules never pick them.
fn noun_phrase_after(doc: &Doc, k: usize, ceil: usize) -> Option<Mention> {
    let mut e = if doc.is_in(k, &rules().determiners) {
        k + 1
    } else {
        let run = cap_run_after(doc, k, ceil)?;
        if !is_possessive(doc.word(run - 1)) {
            return None;
        }
        run
    };
    let first = e;
    let r = rules();
    while e < ceil && e - first < 5 && doc.is_word(e) {
        let w = doc.word(e);
        let stop = doc.is_in(e, &rules().description_stops)
            || doc.is_in(e, &rules().determiners)
            || (doc.is_lower(e)
                && (r.speech_verb(w).is_some()
                    || r.skip_words.contains(w)
                    || r.auxiliaries.contains(w)));
        // "The State Department gave": a lower-case word after a name is its verb.
        if stop
            || e > first && doc.is_cap(e - 1) && !is_possessive(doc.word(e - 1)) && doc.is_lower(e)
        {
            break;
        }
        e += 1;
    }
    (e > first).then_some(Mention {
        span: TokSpan::new(k, e),
        kind: MentionKind::Description,
        role: None,
    })
}

/// The text of a mention as a speaker name: without leading determiners.
pub fn text<'a>(doc: &Doc<'a>, m: &Mention) -> &'a str {
    let mut s = m.span.start;
    while s + 1 < m.span.end && doc.is_in(s, &rules().determiners) && doc.toks[s].kind == Tok::Word
    {
        s += 1;
    }
    doc.slice(TokSpan::new(s, m.span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mention before the word `cue` in `text`.
    fn before_cue(text: &str, cue: &str) -> Option<(String, MentionKind, Option<String>)> {
        let doc = Doc::new(text);
        let i = (0..doc.toks.len()).find(|&i| doc.is_word(i) && doc.word(i) == cue)?;
        let m = before(&doc, 0, i)?;
        Some((doc.slice(m.span).to_string(), m.kind, m.role.map(|r| doc.slice(r).to_string())))
    }

    fn after_cue(text: &str, cue: &str) -> Option<(String, MentionKind, Option<String>)> {
        let doc = Doc::new(text);
        let i = (0..doc.toks.len()).find(|&i| doc.is_word(i) && doc.word(i) == cue)?;
        let m = after(&doc, i + 1, doc.toks.len())?;
        Some((doc.slice(m.span).to_string(), m.kind, m.role.map(|r| doc.slice(r).to_string())))
    }

    #[test]
    fn names_with_titles_and_skipped_adverbs() {
        assert_eq!(
            before_cue("U.S. President Jane Roe also said it.", "said"),
            Some(("U.S. President Jane Roe".into(), MentionKind::Name, None))
        );
        assert_eq!(
            before_cue("Sen. Tom Doe (R-Texas) said no.", "said"),
            Some(("Sen. Tom Doe".into(), MentionKind::Name, None))
        );
    }

    #[test]
    fn possessive_descriptions_and_plain_descriptions() {
        assert_eq!(
            before_cue("Smith’s top foreign policy aide told reporters", "told"),
            Some(("Smith’s top foreign policy aide".into(), MentionKind::Description, None))
        );
        assert_eq!(
            before_cue("Then officials said", "said"),
            Some(("officials".into(), MentionKind::Description, None))
        );
        assert_eq!(
            before_cue("the campaign manager for Ann Lee said", "said"),
            Some(("the campaign manager for Ann Lee".into(), MentionKind::Description, None))
        );
    }

    #[test]
    fn appositive_before_the_cue_gives_the_role() {
        assert_eq!(
            before_cue("Ann Lee, a former mayor of Springfield, said", "said"),
            Some((
                "Ann Lee".into(),
                MentionKind::Name,
                Some("a former mayor of Springfield".into())
            ))
        );
    }

    #[test]
    fn inverted_speaker_with_role() {
        assert_eq!(
            after_cue(
                "said Ivan Petrov, a former ambassador to Washington who speaks for him.",
                "said"
            ),
            Some((
                "Ivan Petrov".into(),
                MentionKind::Name,
                Some("a former ambassador to Washington".into())
            ))
        );
        assert_eq!(
            after_cue("said the president.", "said"),
            Some(("the president".into(), MentionKind::Description, None))
        );
        assert_eq!(
            after_cue("said a spokesman for the Treasury.", "said"),
            Some(("a spokesman for the Treasury".into(), MentionKind::Description, None))
        );
        assert_eq!(after_cue("said he.", "said"), Some(("he".into(), MentionKind::Pronoun, None)));
    }

    #[test]
    fn relative_who_and_determined_nouns() {
        assert_eq!(
            before_cue("an architect who said he was stiffed", "said"),
            Some(("an architect".into(), MentionKind::Description, None))
        );
        assert_eq!(
            before_cue("Then the bank said", "said"),
            Some(("the bank".into(), MentionKind::Description, None))
        );
        assert_eq!(
            before_cue("Several cast members said", "said"),
            Some(("Several cast members".into(), MentionKind::Description, None))
        );
    }

    #[test]
    fn pronoun_objects_are_not_speakers() {
        assert_eq!(before_cue("Lee called him and told", "told"), None);
    }
}
