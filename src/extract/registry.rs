//! The article's register of names: every person and organization it mentions,
//! with titles stripped, the fullest form of each name, roles and genders where a
//! title or role tells, built once per article before speakers are resolved.
//!
//! Known limits: gender comes from titles, a hand-written list of given names and
//! pronoun co-occurrence; a bare capitalized word the article never expands
//! ("Baker") is taken for an organization.

use rustc_hash::FxHashMap as HashMap;

use super::cues::DraftStatement;
use super::doc::Doc;
use super::mentions::{self, Mention, MentionKind};
use super::span::TokSpan;
use crate::lexicon::{lower, rules, Gender, WordList};

/// A person-or-organization name found in the text.
#[derive(Debug, Clone)]
pub(crate) struct NameMention {
    /// The name's first token (after any title).
    pub start: usize,
    /// One past the name's last token.
    pub end: usize,
    /// Canonical name.
    pub name: String,
    pub person: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Person {
    pub(crate) count: usize,
    pub(crate) first: usize,
    /// Distinct roles ("senator"): a role named on every line must not make every
    /// lookup longer.
    pub(crate) roles: Vec<String>,
    pub(crate) gender: Option<Gender>,
}

/// A capitalized run as first read, before names are made canonical: the name's
/// tokens, its titles' tokens, its words, and the role and gender the titles tell.
type RawName = (TokSpan, Option<TokSpan>, Vec<String>, Option<String>, Option<Gender>);

/// The people and other names of one article, built once and read by the speaker
/// ranker and the resolution below.
pub(crate) struct Registry {
    /// Full names (two words or more) of people.
    pub(crate) people: HashMap<String, Person>,
    /// Last word → full names ending with it; first word → full names starting with it.
    pub(crate) by_last: HashMap<String, Vec<String>>,
    pub(crate) by_first: HashMap<String, Vec<String>>,
    /// Names found outside quotations, by sentence.
    pub by_sentence: Vec<Vec<NameMention>>,
    /// Role → the sentences naming a person who has it, with the name, in text
    /// order; so "the senator" finds its person without rereading the article.
    pub(crate) by_role: HashMap<String, Vec<(usize, String)>>,
    /// Per gender, the person the article names most (see `most_named`).
    pub(crate) most_named: Vec<(Gender, String)>,
    /// Per word of `by_last`, the name `canonical` picks for it alone, once the
    /// counts are final: an article naming thousands of people with one surname
    /// would otherwise compare them all at every bare surname.
    pub(crate) picked: Option<HashMap<String, String>>,
    /// Acronym → the name it was given for in parentheses ("NIAID").
    pub(crate) aliases: HashMap<String, String>,
}

/// The pronouns `infer_genders` counts; most words fail the lists' sketch.
static HE: WordList = WordList::new(&["he", "his", "him", "himself"]);
static SHE: WordList = WordList::new(&["she", "her", "hers", "herself"]);

pub(super) fn add_role(p: &mut Person, role: &str) {
    if !p.roles.iter().any(|r| r == role) {
        p.roles.push(role.to_string());
    }
}

pub(super) fn strip_possessive(w: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(s) = w.strip_suffix(suffix) {
            return s;
        }
    }
    w
}

/// Splits a capitalized run into its titles and the name after the last title:
/// the titles' tokens (if any), the name's, and the role and gender the titles tell.
pub(super) fn split_title(
    doc: &Doc,
    run: TokSpan,
) -> (Option<TokSpan>, TokSpan, Option<String>, Option<Gender>) {
    let TokSpan { start, end } = run;
    let r = rules();
    let mut name_start = start;
    let mut role = None;
    let mut gender = None;
    let mut k = start;
    while k < end {
        if doc.is_word(k) {
            let w = doc.word(k);
            let dotted = doc.is_punct(k + 1, '.') && doc.toks[k + 1].start == doc.toks[k].end;
            let title = if dotted {
                r.dotted_titles.get(w).or_else(|| r.titles.get(w))
            } else {
                r.titles.get(w)
            };
            if let Some(t) = title {
                name_start = if dotted { k + 2 } else { k + 1 };
                if let Some(t) = t {
                    role = Some(t.clone());
                }
                gender = match w {
                    "Mr" => Some(Gender::Male),
                    "Mrs" | "Ms" | "Miss" => Some(Gender::Female),
                    _ => gender,
                };
            } else if w.contains('.') && w.chars().filter(|c| c.is_uppercase()).count() >= 2 {
                // "U.S." before a title belongs to the title.
                if (k + 1..end).any(|x| doc.is_word(x) && r.titles.contains_key(doc.word(x))) {
                    name_start = k + 1;
                }
            }
        }
        k += 1;
    }
    while name_start < end && !doc.is_word(name_start) {
        name_start += 1;
    }
    // "Finance Ministry", "House Intelligence Committee": a title word before an
    // organization's name is part of it ("Prince Mohammad bin Salman of Saudi
    // Arabia" is a person: a given name or an "of" says so).
    let organization = name_start < end
        && r.not_person.contains(strip_possessive(doc.word(end - 1)).trim_end_matches('.'))
        && !(name_start..end)
            .any(|k| doc.is(k, "of") || doc.is_word(k) && r.first_names.contains_key(doc.word(k)));
    if name_start > start && organization {
        name_start = start;
        role = None;
    }
    // "Chancellor of the Exchequer Nigel Lawson" leaves the run "Exchequer Nigel
    // Lawson": a given name after a word that is not one starts the name.
    if name_start == start {
        let given = |k: usize| doc.is_word(k) && r.first_names.contains_key(doc.word(k));
        let words_from = |k: usize| (k..end).filter(|&x| doc.is_word(x)).count();
        if let Some(j) = (start + 1..end).find(|&j| {
            given(j)
                && doc.is_word(j - 1)
                && !given(j - 1)
                && doc.word(j - 1).chars().nth(1).is_some()
                && words_from(j) >= 2
        }) {
            if !r.not_person.contains(doc.word(end - 1)) {
                name_start = j;
            }
        }
    }
    // "Mr. King": a title word that ends the run is the name itself.
    if name_start >= end {
        name_start = (start..end).rev().find(|&k| doc.is_word(k)).unwrap_or(start);
    }
    let title = (name_start > start).then_some(TokSpan::new(start, name_start));
    (title, TokSpan::new(name_start, end), role, gender)
}

/// The words of a name, possessive dropped, joined by single spaces.
pub(super) fn name_words(doc: &Doc, name: TokSpan) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for k in name.range() {
        if doc.is_word(k) {
            words.push(strip_possessive(doc.word(k)).to_string());
        } else if doc.is_punct(k, '.') {
            if let Some(last) = words.last_mut() {
                last.push('.');
            }
        }
    }
    // "Jennifer Daskal of American University", "Mohammad bin Salman of Saudi
    // Arabia": a person's name ends at "of"; "Bank of America" keeps it.
    if let Some(i) = words.iter().position(|w| w == "of").filter(|&i| i + 1 < words.len()) {
        let r = rules();
        let given = r.first_names.contains_key(words[0].as_str());
        let before = &words[..i];
        let person = given
            || before.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count()
                >= 2
                && before.iter().all(|w| !r.not_person.contains(w.as_str()));
        if person {
            words.truncate(i);
        }
    }
    // "Jr." and similar stay; a trailing lone initial does not make a name.
    words
}

pub(super) fn looks_like_person(words: &[String]) -> bool {
    let r = rules();
    words.len() >= 2
        && words.len() <= 5
        && words.iter().all(|w| {
            !r.not_person.contains(w.trim_end_matches('.'))
                && !r.function_words.contains(w.as_str())
        })
        && words
            .iter()
            .filter(|w| w.chars().nth(2).is_some() && !w.contains('.'))
            .any(|w| !w.chars().skip(1).all(char::is_uppercase))
        && words
            .last()
            .is_some_and(|w| w.chars().nth(1).is_some() && !w.chars().all(char::is_uppercase))
}

impl Registry {
    pub fn build(doc: &Doc, found: &[DraftStatement]) -> Registry {
        let mut reg = Registry {
            people: HashMap::default(),
            by_last: HashMap::default(),
            by_first: HashMap::default(),
            by_sentence: Vec::new(),
            by_role: HashMap::default(),
            most_named: Vec::new(),
            picked: None,
            aliases: HashMap::default(),
        };
        let mut raw: Vec<Vec<RawName>> = Vec::new();
        for s in &doc.sents {
            let mut here = Vec::new();
            // A headline in Title Case ("Bernie Sanders Burns Hillary Clinton")
            // makes one long run of names and verbs: no names are taken from it.
            if is_title_case(doc, s.start, s.end) {
                raw.push(here);
                continue;
            }
            let mut k = s.start;
            while k < s.end {
                if doc.quote_at(k).is_some() || !doc.is_cap(k) {
                    k += 1;
                    continue;
                }
                let Some(e) = mentions::cap_run_after(doc, k, s.end) else {
                    k += 1;
                    continue;
                };
                // "Said Ellis: …": a sentence may open with its cue.
                let opens = (s.start..k).all(|x| !doc.is_word(x));
                let from = if opens && e > k + 1 && rules().speech_verb(doc.word(k)).is_some() {
                    k + 1
                } else {
                    k
                };
                let (title, name, mut role, gender) = split_title(doc, TokSpan::new(from, e));
                // "trade and industry commissioner Albert Muchanga": a role noun just
                // before the name is the person's role.
                if role.is_none()
                    && from > s.start
                    && doc.is_lower(from - 1)
                    && rules().roles.contains(doc.word(from - 1))
                {
                    role = Some(doc.word(from - 1).to_string());
                }
                let words = name_words(doc, name);
                // "the National Institute of Allergy and Infectious Diseases (NIAID)":
                // the letters in parentheses are another name for the run.
                if doc.is_punct(e, '(')
                    && doc.is_punct(e + 2, ')')
                    && e + 2 < s.end
                    && words.len() >= 2
                {
                    let acronym = doc.word(e + 1);
                    if (2..=8).contains(&acronym.len())
                        && acronym.chars().all(|c| c.is_ascii_uppercase())
                    {
                        reg.aliases.entry(acronym.to_string()).or_insert_with(|| words.join(" "));
                    }
                }
                if !words.is_empty() {
                    here.push((name, title, words, role, gender));
                }
                k = e;
            }
            raw.push(here);
        }
        // Full names first, so single words can be expanded to them.
        for (si, sent) in raw.iter().enumerate() {
            for (_, title, words, role, gender) in sent {
                let given =
                    words.first().and_then(|w| rules().first_names.get(w.as_str())).copied();
                let person = looks_like_person(words);
                if person || (title.is_some() && words.len() >= 2) {
                    let full = words.join(" ");
                    let p = reg
                        .people
                        .entry(full)
                        .or_insert_with(|| Person { first: si, ..Person::default() });
                    p.count += 1;
                    p.gender = p.gender.or(given);
                    if let Some(r) = role {
                        add_role(p, r);
                        if p.gender.is_none() {
                            p.gender = gender_of_role(r);
                        }
                    }
                    if gender.is_some() {
                        p.gender = *gender;
                    }
                }
            }
        }
        // Appositive roles of speakers ("Oleg Sokolov, a former ambassador").
        for f in found {
            if let Some(m) = f.mention.filter(|m| m.kind == MentionKind::Name) {
                if let Some(role) = m.role {
                    let (_, name, _, _) = split_title(doc, m.span);
                    let full = name_words(doc, name).join(" ");
                    if let Some(p) = reg.people.get_mut(&full) {
                        for k in role.range() {
                            if doc.is_word(k) && rules().roles.contains(lower(doc.word(k)).as_ref())
                            {
                                add_role(p, &doc.word(k).to_lowercase());
                            }
                        }
                    }
                }
            }
        }
        for name in reg.people.keys() {
            let words: Vec<&str> = name.split(' ').collect();
            if let (Some(first), Some(last)) = (words.first(), words.last()) {
                reg.by_last.entry(last.to_string()).or_default().push(name.clone());
                reg.by_first.entry(first.to_string()).or_default().push(name.clone());
            }
        }
        for v in reg.by_last.values_mut().chain(reg.by_first.values_mut()) {
            v.sort();
        }
        // "Mr. Obama", "Sen. Cruz": a title makes a single word a person; its
        // gender and role go to the full name it stands for, if the article has one.
        for (si, sent) in raw.iter().enumerate() {
            for (_, title, words, role, gender) in sent {
                if title.is_none() || words.len() != 1 || rules().not_person.contains(&words[0]) {
                    continue;
                }
                let full = reg.canonical(words);
                if !reg.people.contains_key(&full) {
                    reg.by_last.entry(full.clone()).or_default().push(full.clone());
                }
                let p = reg
                    .people
                    .entry(full)
                    .or_insert_with(|| Person { first: si, ..Person::default() });
                p.count += 1;
                if let Some(r) = role {
                    add_role(p, r);
                    p.gender = p.gender.or_else(|| gender_of_role(r));
                }
                if gender.is_some() {
                    p.gender = *gender;
                }
            }
        }
        let picked = reg
            .by_last
            .iter()
            .filter_map(|(w, names)| Some((w.clone(), reg.pick(names)?)))
            .collect();
        reg.picked = Some(picked);
        let by_sentence: Vec<Vec<NameMention>> = raw
            .into_iter()
            .map(|sent| {
                sent.into_iter()
                    .map(|(span, _, words, _, _)| {
                        let name = reg.canonical(&words);
                        let person = reg.people.contains_key(&name);
                        NameMention { start: span.start, end: span.end, name, person }
                    })
                    .collect()
            })
            .collect();
        for (si, sent) in by_sentence.iter().enumerate() {
            for c in sent.iter().filter(|c| c.person) {
                for r in reg.people.get(&c.name).map_or(&[][..], |p| &p.roles) {
                    reg.by_role.entry(r.clone()).or_default().push((si, c.name.clone()));
                }
            }
        }
        reg.by_sentence = by_sentence;
        reg.infer_genders(doc);
        // Once per article, not once per pronoun that finds nobody nearby.
        reg.most_named = [Gender::Male, Gender::Female]
            .into_iter()
            .filter_map(|g| {
                let most = reg.people.iter().filter(|(_, p)| p.gender == Some(g));
                let most = most.max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(a.0)))?;
                Some((g, most.0.clone()))
            })
            .collect();
        reg
    }

    /// The gender the article gives a person, if it tells.
    pub fn gender(&self, name: &str) -> Option<Gender> {
        self.people.get(name).and_then(|p| p.gender)
    }

    /// Whether `name` is one of the article's people.
    pub fn is_person(&self, name: &str) -> bool {
        self.people.contains_key(name)
    }

    /// The canonical name a name mention stands for, whether it is a person's, and
    /// how often the article names that person (0 for names that are not people).
    pub fn name_of(&self, doc: &Doc, m: &Mention) -> (String, bool, usize) {
        let (_, name, _, _) = split_title(doc, m.span);
        let name = self.canonical(&name_words(doc, name));
        match self.people.get(&name) {
            Some(p) => (name, true, p.count),
            None => (name, false, 0),
        }
    }

    /// Gender from the pronouns of sentences about one person: "Smith … his plan"
    /// counts for male. A person keeps a gender only when the pronouns agree at
    /// least two to one.
    pub(crate) fn infer_genders(&mut self, doc: &Doc) {
        let mut counts: HashMap<String, (u32, u32)> = HashMap::default();
        for (si, sent) in self.by_sentence.iter().enumerate() {
            let people: Vec<&NameMention> = sent.iter().filter(|c| c.person).collect();
            let Some(first) = people.first() else { continue };
            if people.iter().any(|c| c.name != first.name) {
                continue;
            }
            let s = doc.sents[si];
            let (mut he, mut she) = (0u32, 0u32);
            for k in s.start..s.end {
                if doc.quote_at(k).is_some() || !doc.is_word(k) {
                    continue;
                }
                // ASCII case folding is enough: no other letter lower-cases to
                // one of these words' letters.
                if doc.is_in_list(k, &HE) {
                    he += 1;
                } else if doc.is_in_list(k, &SHE) {
                    she += 1;
                }
            }
            let c = counts.entry(first.name.clone()).or_default();
            c.0 += he;
            c.1 += she;
        }
        for (name, (he, she)) in counts {
            if let Some(p) = self.people.get_mut(&name) {
                if p.gender.is_none() {
                    if he >= 1 && he >= 2 * she {
                        p.gender = Some(Gender::Male);
                    } else if she >= 1 && she >= 2 * he {
                        p.gender = Some(Gender::Female);
                    }
                }
            }
        }
    }

    /// The name a bare word stands for among `names` (those ending with it): the
    /// most named, then the longest, then the first named.
    pub(crate) fn pick(&self, names: &[String]) -> Option<String> {
        names
            .iter()
            .max_by(|a, b| {
                let (pa, pb) = (&self.people[*a], &self.people[*b]);
                pa.count.cmp(&pb.count).then(a.len().cmp(&b.len())).then(pb.first.cmp(&pa.first))
            })
            .cloned()
    }

    /// The fullest form of a name used in the article.
    pub(crate) fn canonical(&self, words: &[String]) -> String {
        let joined = words.join(" ");
        let pick = |word: &String| -> Option<String> {
            match &self.picked {
                Some(picked) => picked.get(word).cloned(),
                None => self.pick(self.by_last.get(word)?),
            }
        };
        match words {
            [] => joined,
            // "PENCE:" in a transcript is Mike Pence when the article names him.
            [one] if one.chars().nth(2).is_some() && one.chars().all(|c| c.is_uppercase()) => {
                let mut chars = one.chars();
                let titled: String =
                    chars.next().into_iter().chain(chars.flat_map(char::to_lowercase)).collect();
                pick(&titled).unwrap_or(joined)
            }
            [one] => pick(one)
                .or_else(|| {
                    self.by_first.get(one).filter(|v| v.len() == 1).and_then(|v| v.first().cloned())
                })
                .or_else(|| self.aliases.get(one).cloned())
                .unwrap_or(joined),
            [first, .., last] => {
                // "Hillary Clinton" → "Hillary Rodham Clinton" when the article uses it.
                // The list is sorted, so the names starting with `first` are one run.
                let longer = self.by_last.get(last).and_then(|v| {
                    let from = v.partition_point(|n| n.as_str() < first.as_str());
                    let run = v[from..].iter().take_while(|n| n.starts_with(first.as_str()));
                    run.filter(|n| n.len() > joined.len()).max_by_key(|n| n.len()).cloned()
                });
                longer.unwrap_or(joined)
            }
        }
    }
}

/// Most words capitalized, as in a headline.
pub(super) fn is_title_case(doc: &Doc, a: usize, b: usize) -> bool {
    let words = (a..b).filter(|&k| doc.is_word(k) && doc.word(k).chars().nth(3).is_some());
    let (mut n, mut caps) = (0, 0);
    for k in words {
        n += 1;
        caps += usize::from(doc.is_cap(k));
    }
    n >= 4 && caps * 10 >= n * 8
}

pub(super) fn gender_of_role(role: &str) -> Option<Gender> {
    if role.ends_with("woman") || matches!(role, "queen" | "princess") {
        Some(Gender::Female)
    } else if role.ends_with("man") || matches!(role, "king" | "prince") {
        Some(Gender::Male)
    } else {
        None
    }
}
