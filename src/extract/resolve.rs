//! Who is speaking: each statement's mention resolved to a canonical name within
//! the article, with the article's people and organizations from `registry`. (Not
//! `index/speaker_table/`, which groups speaker names across the index.)
//!
//! - Names lose their titles ("Sen. Ted Cruz" → "Ted Cruz") and take the fullest
//!   form the article uses ("Petrov" → "Ivan Petrov").
//! - A pronoun ("he") goes to the nearest person mentioned before it outside
//!   quotations, preferring the first person of the nearest sentence (the subject),
//!   skipping people of the wrong gender where a title ("Mrs.") tells.
//! - A description ("the senator") goes to the last person the article gave that
//!   role; a description nobody was given ("Petrov’s top aide") goes to the person
//!   named in the next statement when that person is new to the article
//!   ("… said Oleg Sokolov, a former ambassador"); otherwise it stays as written.
//! - "The company", "the ministry" (heads in `data/rules/org-nouns.txt`) go to the
//!   organization the article named; a document ("the report", "Acme's statement",
//!   `documents.txt`) to its owner, else it is an unnamed speaker.
//! - Every speaker gets a type: person, organization, or unnamed (a group or
//!   description nobody in the article names: "analysts").
//! - A statement that continues another takes its speaker.
//! - "I" outside quotations is the article's author (opinion pieces, first-person
//!   reports) when the article names one; otherwise nobody.
//!
//! Known limits: gender comes from titles, a hand-written list of given names and
//! pronoun co-occurrence; "we" is left unresolved; a bare capitalized word the
//! article never expands ("Baker") is typed an organization.

use rustc_hash::FxHashMap as HashMap;

use super::coref;
use super::cues::DraftStatement;
use super::doc::Doc;
use super::mentions::{self, Mention, MentionKind};
use super::registry::{name_words, split_title, strip_possessive, NameMention, Registry};
use super::span::TokSpan;
use crate::learn::Model;
use crate::lexicon::{lower, rules, Gender};
use crate::statement::SpeakerType;

/// A statement's speaker after resolution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    pub speaker: Option<String>,
    pub role: Option<String>,
    /// What the speaker is; set once resolution ends (see `resolve`).
    pub kind: Option<SpeakerType>,
}

/// The learned antecedent ranker and its view of the article, when it runs.
pub type Coref<'a, 'b, 'd> = Option<(&'a coref::Context<'b, 'd>, &'a Model)>;

/// Resolves every statement's speaker; `found` is in text order.
pub fn resolve(
    doc: &Doc,
    reg: &Registry,
    found: &[DraftStatement],
    author: Option<&str>,
    coref: Coref,
) -> Vec<Resolved> {
    let mut out: Vec<Resolved> = Vec::with_capacity(found.len());
    let mut genders: HashMap<String, Gender> = HashMap::default();
    // The statements so far whose speaker is a person, for a pronoun with nobody
    // near it; kept apart so that one need not step over every unresolved statement.
    let mut person_turns: Vec<usize> = Vec::new();
    for (idx, f) in found.iter().enumerate() {
        let resolved = match (f.continues, f.mention) {
            (Some(p), _) => Resolved {
                speaker: out.get(p).and_then(|r| r.speaker.clone()),
                role: None,
                kind: out.get(p).and_then(|r| r.kind),
            },
            (None, None) => Resolved::default(),
            (None, Some(m))
                if m.kind == MentionKind::Pronoun
                    && doc.word(m.span.start).eq_ignore_ascii_case("i") =>
            {
                Resolved {
                    speaker: author.map(str::to_string),
                    role: None,
                    kind: Some(SpeakerType::Person),
                }
            }
            (None, Some(m)) => {
                let so_far = SoFar { resolved: &out, person_turns: &person_turns };
                let learned =
                    coref.filter(|_| m.kind == MentionKind::Pronoun).and_then(|(ctx, model)| {
                        if !matches!(
                            lower(doc.word(m.span.start)).as_ref(),
                            "he" | "she" | "they" | "it"
                        ) {
                            return None;
                        }
                        let recent: Vec<(&str, bool)> = out
                            .iter()
                            .rev()
                            .filter_map(|r| r.speaker.as_deref())
                            .take(coref::RECENT)
                            .map(|n| (n, reg.is_person(n)))
                            .collect();
                        coref::resolve(ctx, m.span.start, &recent, model)
                    });
                let mut r = match learned {
                    Some(name) => Resolved { speaker: Some(name), role: None, kind: None },
                    None => resolve_mention(doc, reg, found, idx, &m, &mut genders, so_far),
                };
                if r.kind.is_none() {
                    r.kind = r.speaker.as_deref().map(|n| speaker_type(reg, n, &out, &genders));
                }
                // "Analysts said" opens a sentence with a capital: still the group.
                if r.kind == Some(SpeakerType::Unnamed) {
                    if let Some(n) = r.speaker.as_mut().filter(|n| {
                        !n.contains(' ') && n.chars().nth(1).is_some_and(char::is_lowercase)
                    }) {
                        *n = n.to_lowercase();
                    }
                }
                r
            }
        };
        if resolved.speaker.as_ref().is_some_and(|n| reg.people.contains_key(n)) {
            person_turns.push(idx);
        }
        out.push(resolved);
    }
    out
}

/// What a resolved speaker name is: one of the article's people (or a name a
/// gendered pronoun was resolved to), an unnamed description when its last word is
/// a common noun ("company spokesman") or it repeats an earlier unnamed speaker,
/// else an organization.
fn speaker_type(
    reg: &Registry,
    name: &str,
    before: &[Resolved],
    genders: &HashMap<String, Gender>,
) -> SpeakerType {
    if reg.is_person(name) || genders.contains_key(name) {
        return SpeakerType::Person;
    }
    if let Some(k) =
        before.iter().rev().find(|r| r.speaker.as_deref() == Some(name)).and_then(|r| r.kind)
    {
        return k;
    }
    let last = name.rsplit(' ').next().unwrap_or(name);
    // One capitalized word that is a role or an organization noun ("Analysts",
    // "Police") opened its sentence; it names nobody.
    let lower_last = last.to_lowercase();
    let common = !name.contains(' ')
        && (rules().roles.contains(&lower_last) || rules().org_nouns.contains(&lower_last));
    if common || last.chars().next().is_some_and(char::is_lowercase) {
        SpeakerType::Unnamed
    } else {
        SpeakerType::Organization
    }
}

/// The speakers resolved before the statement being resolved.
#[derive(Clone, Copy)]
struct SoFar<'a> {
    resolved: &'a [Resolved],
    /// Indices into `resolved` whose speaker is a person of the registry.
    person_turns: &'a [usize],
}

/// How many earlier statements by a person a pronoun with nobody near it looks
/// back over: far more than any article has, few enough that an article of a
/// million statements by people of the other gender stays linear.
const FALLBACK_TURNS: usize = 1000;

/// The text of a role's tokens, without an article before it or a comma or period
/// after it.
fn role_text(doc: &Doc, role: TokSpan) -> Option<String> {
    let TokSpan { start: mut a, end: b } = role;
    while a < b && doc.is_word(a) && matches!(lower(doc.word(a)).as_ref(), "a" | "an" | "the") {
        a += 1;
    }
    (a < b).then(|| doc.slice(TokSpan::new(a, b)).trim_end_matches([',', '.']).to_string())
}

fn resolve_mention(
    doc: &Doc,
    reg: &Registry,
    found: &[DraftStatement],
    idx: usize,
    m: &Mention,
    genders: &mut HashMap<String, Gender>,
    so_far: SoFar,
) -> Resolved {
    let f = &found[idx];
    match m.kind {
        MentionKind::Name => {
            let (title, name, _, _) = split_title(doc, m.span);
            let words = name_words(doc, name);
            let speaker = reg.canonical(&words);
            let role = m
                .role
                .and_then(|r| role_text(doc, r))
                .or_else(|| title.and_then(|t| role_text(doc, t)));
            Resolved { speaker: (!speaker.is_empty()).then_some(speaker), role, kind: None }
        }
        MentionKind::Pronoun => {
            let lower = doc.word(m.span.start).to_lowercase();
            let gender = rules().pronouns.get(&lower).copied().unwrap_or(Gender::Unknown);
            if !matches!(gender, Gender::Male | Gender::Female) {
                let speaker = match lower.as_str() {
                    "it" | "they" | "its" | "their" => group_antecedent(
                        doc,
                        reg,
                        m.span.start,
                        lower.starts_with("the"),
                        &found[..idx],
                        so_far.resolved,
                    ),
                    _ => None,
                };
                return Resolved { speaker, role: None, kind: None };
            }
            let speaker =
                antecedent(doc, reg, m.span.start, gender, genders, &found[..idx], so_far);
            if let Some(s) = &speaker {
                genders.entry(s.clone()).or_insert(gender);
            }
            Resolved { speaker, role: None, kind: None }
        }
        MentionKind::Description => {
            let text = mentions::text(doc, m);
            let head = doc.word(m.span.end - 1).to_lowercase();
            let possessed = m.span.range().any(|k| {
                doc.is_word(k) && doc.is_cap(k) && strip_possessive(doc.word(k)) != doc.word(k)
            });
            let plural = head.ends_with('s') && !head.ends_with("ss");
            let definite = doc.is(m.span.start, "the") || doc.is(m.span.start, "this");
            // "Acme's statement", "the judge's opinion": a document speaks for its owner.
            if rules().documents.contains(&head) {
                if let Some(owner) = owner(doc, reg, m, f.sent) {
                    return Resolved { speaker: Some(owner), role: None, kind: None };
                }
                return Resolved {
                    speaker: Some(head),
                    role: None,
                    kind: Some(SpeakerType::Unnamed),
                };
            }
            // "the company", "the ministry": the organization the article named.
            if !possessed && !plural && definite && rules().org_nouns.contains(&head) {
                if let Some(org) = named_organization(doc, reg, m, &head) {
                    return Resolved {
                        speaker: Some(org),
                        role: Some(text.to_string()),
                        kind: Some(SpeakerType::Organization),
                    };
                }
            }
            if !possessed && !plural {
                if let Some(p) = by_role(reg, &head, f.sent) {
                    return Resolved { speaker: Some(p), role: Some(text.to_string()), kind: None };
                }
            }
            // Only a person's description looks ahead to a name ("Petrov’s top aide
            // told …" + "said Oleg Sokolov"); "a new poll" does not.
            if !plural && !definite && rules().roles.contains(&head) {
                if let Some(p) = cataphora(doc, reg, found, idx) {
                    return Resolved { speaker: Some(p), role: Some(text.to_string()), kind: None };
                }
            }
            // Nobody the article names: the description itself, as an unnamed speaker;
            // unless its head is a name ("The US", "the Pentagon").
            let named = doc.is_cap(m.span.end - 1) && !possessed;
            let kind = if named { None } else { Some(SpeakerType::Unnamed) };
            Resolved { speaker: Some(text.to_string()), role: None, kind }
        }
    }
}

/// The person a pronoun at token `at` refers to, by salience: people in the
/// nearest sentences count most, the first person of a sentence (usually its
/// subject) and the speakers of recent statements more than others, and people of
/// the other gender not at all.
#[allow(clippy::too_many_arguments)]
fn antecedent(
    doc: &Doc,
    reg: &Registry,
    at: usize,
    gender: Gender,
    genders: &HashMap<String, Gender>,
    before: &[DraftStatement],
    so_far: SoFar,
) -> Option<String> {
    let resolved = so_far.resolved;
    const RECENCY: [i32; 5] = [100, 70, 50, 35, 25];
    let si = doc.sent_of[at] as usize;
    let lo = si.saturating_sub(RECENCY.len() - 1);
    let mut scores: HashMap<String, i32> = HashMap::default();
    let consider = |name: &str, dist: usize, bonus: i32, scores: &mut HashMap<String, i32>| {
        let known =
            reg.people.get(name).and_then(|p| p.gender).or_else(|| genders.get(name).copied());
        let agree = match known {
            Some(g) if g != gender => return,
            Some(_) => 20,
            None => 0,
        };
        let freq = reg.people.get(name).map_or(0, |p| p.count.min(6) as i32 * 3);
        let score = RECENCY[dist] + bonus + agree + freq;
        let slot = scores.entry(name.to_string()).or_insert(i32::MIN);
        *slot = (*slot).max(score);
    };
    for s in lo..=si {
        let Some(candidates) = reg.by_sentence.get(s) else { continue };
        let mut first = true;
        for c in candidates.iter().filter(|c| c.person && (s < si || c.end <= at)) {
            consider(&c.name, si - s, if first { 40 } else { 0 }, &mut scores);
            first = false;
        }
    }
    // Speakers of recent statements, even when only a pronoun named them there.
    for (f, r) in before.iter().zip(resolved).rev().take(4) {
        if let Some(name) = r.speaker.as_deref().filter(|n| reg.people.contains_key(*n)) {
            if f.sent >= lo && f.sent <= si {
                consider(name, si - f.sent, 50, &mut scores);
            }
        }
    }
    let best = scores.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(n, _)| n);
    best.or_else(|| {
        // Nobody nearby: the last person who spoke earlier in the article, of the
        // pronoun's gender where it is known.
        let fits = |name: &str| {
            let known =
                reg.people.get(name).and_then(|p| p.gender).or_else(|| genders.get(name).copied());
            reg.people.contains_key(name) && known.is_none_or(|g| g == gender)
        };
        let earlier = so_far.person_turns.iter().rev().take(FALLBACK_TURNS);
        earlier
            .filter_map(|&i| resolved.get(i)?.speaker.as_deref())
            .find(|n| fits(n))
            .map(str::to_string)
            .or_else(|| {
                // Else the person the article names most whose gender is known to match.
                reg.most_named.iter().find(|(g, _)| *g == gender).map(|(_, n)| n.clone())
            })
    })
}

/// What "it" or "they" speaks for: the last speaker within three sentences that is
/// not a person (an organization, or a group for "they"), else the first
/// organization named in the nearest sentence that names one.
fn group_antecedent(
    doc: &Doc,
    reg: &Registry,
    at: usize,
    plural: bool,
    before: &[DraftStatement],
    resolved: &[Resolved],
) -> Option<String> {
    let si = doc.sent_of[at] as usize;
    let lo = si.saturating_sub(3);
    let is_group = |name: &str| {
        let is_plural = name.ends_with('s') && !name.ends_with("ss");
        !reg.people.contains_key(name) && (plural || !is_plural)
    };
    for (f, r) in before.iter().zip(resolved).rev() {
        if f.sent < lo {
            break;
        }
        if let Some(name) = r.speaker.as_deref().filter(|n| is_group(n)) {
            return Some(name.to_string());
        }
    }
    if plural {
        return None;
    }
    (lo..=si).rev().find_map(|s| {
        reg.by_sentence
            .get(s)?
            .iter()
            .find(|c| !c.person && (s < si || c.end <= at) && c.name.split(' ').count() <= 4)
            .map(|c| c.name.clone())
    })
}

/// Who owns the document `m` names: the name after it ("the opinion of the
/// Court"), the name before a possessive inside it ("Acme Motors' statement"), or
/// the person the article gave the possessive role ("the judge's opinion").
fn owner(doc: &Doc, reg: &Registry, m: &Mention, si: usize) -> Option<String> {
    // "The opinion of the Court": the name after "of".
    let mut of = m.span.end;
    if doc.is(of, "of") {
        of += 1;
        if doc.is(of, "the") {
            of += 1;
        }
        if let Some(e) = mentions::cap_run_after(doc, of, doc.sents[si].end) {
            let words = name_words(doc, TokSpan::new(of, e));
            if !words.is_empty() {
                return Some(reg.canonical(&words));
            }
        }
    }
    let k = m.span.range().find(|&k| {
        doc.is_word(k) && strip_possessive(doc.word(k)) != doc.word(k)
            || doc.is_word(k) && doc.is_punct(k + 1, '\'') && doc.word(k).ends_with('s')
    })?;
    if doc.is_cap(k) {
        let mut a = k;
        while a > m.span.start && doc.is_cap(a - 1) {
            a -= 1;
        }
        let words = name_words(doc, TokSpan::new(a, k + 1));
        return (!words.is_empty()).then(|| reg.canonical(&words));
    }
    by_role(reg, &strip_possessive(doc.word(k)).to_lowercase(), si)
}

/// The organization a definite description with head `head` stands for: the
/// nearest name before it that has the head as a word ("the court" → "Supreme
/// Court of Puerto Rico"), else a name that is not a person's and opens one of the
/// three sentences up to its own ("Boeing did not comment, telling us the company
/// …").
fn named_organization(doc: &Doc, reg: &Registry, m: &Mention, head: &str) -> Option<String> {
    let si = doc.sent_of[m.span.start] as usize;
    let before = |s: usize| {
        reg.by_sentence
            .get(s)
            .into_iter()
            .flatten()
            .filter(move |c| !c.person && (s < si || c.end <= m.span.start))
    };
    for s in (0..=si).rev() {
        if let Some(c) =
            before(s).rfind(|c| c.name.split(' ').any(|w| w.eq_ignore_ascii_case(head)))
        {
            return Some(c.name.clone());
        }
    }
    (si.saturating_sub(3)..=si).rev().find_map(|s| {
        let opens = |c: &&NameMention| (doc.sents[s].start..c.start).all(|k| !doc.is_word(k));
        before(s).find(opens).map(|c| c.name.clone())
    })
}

/// The person the article last gave this role before sentence `si`.
fn by_role(reg: &Registry, head: &str, si: usize) -> Option<String> {
    let named = reg.by_role.get(head)?;
    let upto = named.partition_point(|(s, _)| *s <= si);
    upto.checked_sub(1).map(|i| named[i].1.clone())
}

/// The speaker of the next statement, within two sentences, when that person is
/// named there for the first time.
fn cataphora(doc: &Doc, reg: &Registry, found: &[DraftStatement], idx: usize) -> Option<String> {
    let f = &found[idx];
    let next = found.get(idx + 1)?;
    let m = next.mention.filter(|m| m.kind == MentionKind::Name)?;
    if next.sent > f.sent + 2 {
        return None;
    }
    let (_, name, _, _) = split_title(doc, m.span);
    let name = reg.canonical(&name_words(doc, name));
    let p = reg.people.get(&name)?;
    (p.first >= f.sent).then_some(name)
}

#[cfg(test)]
mod tests {
    //! Resolution by the rules alone (no learned ranker), on small invented articles.
    use super::*;
    use crate::extract::cues;

    /// A statement's content, speaker, speaker type and role.
    type Row = (String, Option<String>, Option<SpeakerType>, Option<String>);

    /// Each statement of `text`, resolved.
    fn speakers(text: &str, author: Option<&str>) -> Vec<Row> {
        let doc = Doc::new(text);
        let mut found = cues::find(&doc);
        cues::orphans(&doc, &mut found);
        let reg = Registry::build(&doc, &found);
        let resolved = resolve(&doc, &reg, &found, author, None);
        found
            .iter()
            .zip(resolved)
            .map(|(f, r)| (doc.text_of(f.span).to_string(), r.speaker, r.kind, r.role))
            .collect()
    }

    /// The speakers of `text`, in order.
    fn who(text: &str) -> Vec<Option<String>> {
        speakers(text, None).into_iter().map(|s| s.1).collect()
    }

    fn some(name: &str) -> Option<String> {
        Some(name.to_string())
    }

    #[test]
    fn names_lose_titles_and_take_the_fullest_form() {
        let s = speakers("Sen. Tom Baker arrived. Baker said that the bill would pass.", None);
        assert_eq!((s[0].1.as_deref(), s[0].2), (Some("Tom Baker"), Some(SpeakerType::Person)));
        assert_eq!(
            who("Mara Quill Vance spoke. Mara Vance said that the bill would pass."),
            [some("Mara Quill Vance")]
        );
        // A transcript label in capitals is the person the article names.
        assert_eq!(
            who("Osric Pell spoke first.\n\nPELL: Well, look, we tried our best."),
            [some("Osric Pell")]
        );
        // An appositive role stays with the statement.
        let s =
            speakers("“It gives us nothing,” said Ivan Korda, a former ambassador to Rome.", None);
        assert_eq!(
            (s[0].1.as_deref(), s[0].3.as_deref()),
            (Some("Ivan Korda"), Some("former ambassador to Rome"))
        );
    }

    #[test]
    fn pronouns_go_to_the_nearest_person_of_their_gender() {
        assert_eq!(
            who("Mayor Ann Lee spoke at noon. “We are ready,” she said."),
            [some("Ann Lee")]
        );
        // A title tells the gender: "she" skips Mr. Baker.
        assert_eq!(
            who("Mrs. Ann Lee met Mr. Tom Baker on Monday. She said that the deal was off."),
            [some("Ann Lee")]
        );
        assert_eq!(
            who("Mrs. Ann Lee met Mr. Tom Baker on Monday. He said that the deal was off."),
            [some("Tom Baker")]
        );
        // A given name tells it too.
        let text = "Margaret Quill and Henry Vance spoke to voters about taxes. He said that the deal was off.";
        assert_eq!(who(text), [some("Henry Vance")]);
        // A headline in Title Case names nobody.
        assert_eq!(
            who("Margaret Quill and Henry Vance Meet Today. He said that the deal was off."),
            [None]
        );
        // With nobody near, the last person of that gender who spoke.
        let text = "Mrs. Ann Lee said that taxes would rise.\n\nThe vote is on Monday. Turnout is low. Polls are closed. Rain fell. Roads flooded.\n\nShe said that she would wait.";
        assert_eq!(who(text), [some("Ann Lee"), some("Ann Lee")]);
    }

    #[test]
    fn it_and_they_go_to_an_organization_or_group() {
        let s = speakers(
            "Zentrix Bank closed a branch in the north. It said that the closure was temporary.",
            None,
        );
        assert_eq!(
            (s[0].1.as_deref(), s[0].2),
            (Some("Zentrix Bank"), Some(SpeakerType::Organization))
        );
        // "they": the last speaker within three sentences that is not a person.
        let text = "Zentrix Bank said that the branch would close. Ann Lee protested. They said that the closure was final.";
        assert_eq!(who(text), [some("Zentrix Bank"), some("Zentrix Bank")]);
        // "we" is left unresolved.
        assert_eq!(
            who("Zentrix Bank closed a branch. We said that the closure was temporary."),
            [None]
        );
    }

    #[test]
    fn descriptions_go_to_the_person_given_that_role() {
        let text = "Tom Baker, a senator, said that taxes would rise. The senator said that they would fall.";
        let s = speakers(text, None);
        assert_eq!((s[1].1.as_deref(), s[1].3.as_deref()), (Some("Tom Baker"), Some("senator")));
        // A description nobody was given looks ahead to a newly named speaker.
        let text = "Korda’s top aide told state media that the offer was a trap.\n“It gives us nothing,” said Osric Pell, a former ambassador.";
        assert_eq!(who(text), [some("Osric Pell"), some("Osric Pell")]);
        // Otherwise it stays as written, unnamed.
        let s = speakers("Analysts said the economy had slowed.", None);
        assert_eq!((s[0].1.as_deref(), s[0].2), (Some("analysts"), Some(SpeakerType::Unnamed)));
    }

    #[test]
    fn organizations_and_their_documents() {
        // "The company": the organization the article named.
        let s = speakers("Zentrix closed two of its plants on Monday. The company said the closures were temporary.", None);
        assert_eq!((s[0].1.as_deref(), s[0].2), (Some("Zentrix"), Some(SpeakerType::Organization)));
        // A document speaks for its owner; with none, it is unnamed.
        assert_eq!(who("Zentrix’s statement said the closures were temporary."), [some("Zentrix")]);
        let s = speakers("The report said the closures were temporary.", None);
        assert_eq!((s[0].1.as_deref(), s[0].2), (Some("report"), Some(SpeakerType::Unnamed)));
        // An acronym in parentheses is another name for the run before it.
        let text = "The Coastal Union (CU) met on Monday. CU said the tide would rise.";
        assert_eq!(who(text), [some("Coastal Union")]);
        // Known limit: one of three capitals or more is read as a transcript label
        // ("PENCE:") first, and a label that names nobody stays as written.
        let text =
            "The Institute of Coastal Studies (ICS) met on Monday. ICS said the tide would rise.";
        assert_eq!(who(text), [some("ICS")]);
        // Known limit: a bare surname the article never expands is typed an
        // organization.
        let s = speakers("Kerrigan said the plan would fail.", None);
        assert_eq!(
            (s[0].1.as_deref(), s[0].2),
            (Some("Kerrigan"), Some(SpeakerType::Organization))
        );
    }

    #[test]
    fn continuations_and_the_author() {
        let text =
            "“I will go,” Ann Lee told reporters.\n\n“Hopefully, they will follow us there.”";
        assert_eq!(who(text), [some("Ann Lee"), some("Ann Lee")]);
        let text = "I said at the time that the plan would fail.";
        assert_eq!(speakers(text, None)[0].1, None);
        let s = speakers(text, Some("Nora Vance"));
        assert_eq!((s[0].1.as_deref(), s[0].2), (Some("Nora Vance"), Some(SpeakerType::Person)));
    }
}
