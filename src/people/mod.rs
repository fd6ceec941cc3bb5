//! Which speaker names in an index are one person: spelling variants of a surname
//! (-sky / -skyy / -skiy), given names with or without middle names and initials
//! ("Hillary Rodham Clinton" ~ "Hillary Clinton" ~ "H. Clinton"), nicknames (Bill ~
//! William), and a bare surname when it can only be one of the full names.
//!
//! The rules, most important first:
//! - Only person-like names merge: every word capitalized (or a particle such as
//!   "al-", "von"), no word from `not-person.txt`. Descriptions ("State Department
//!   spokesman") and organizations ("White House") stay as they are.
//! - Two names can merge only when their surnames (last word, generational suffix
//!   aside) have the same key, their suffixes (Jr., III) agree, and their given
//!   names are compatible: the first given names equal, nicknames of one another or
//!   one the other's initial; middle names equal word by word or missing on one side.
//! - Names are placed most specific first; each joins the one cluster all of whose
//!   members it is compatible with. When it fits several clusters it stays on its
//!   own ("Lyle Barrow" next to "Lyle W. Barrow" and "Lyle H. W. Barrow"), except a
//!   bare surname, which joins the cluster that has at least [`DOMINANT_SHARE`] of
//!   the statements of all the clusters it fits (news that says only "Baker" in a
//!   year when one Baker is quoted twenty times more than all the others).
//!
//! Known limits: no edit distance beyond the key (a typo such as "Clintno" stays
//! apart); transliterations of given names (Volodymyr / Vladimir) are not merged;
//! two different people with the same full name are one; a bare surname can still
//! be wrong when the dominant person was not the one meant.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
// Fx, not std's SipHash: the table is rebuilt at the end of every ingest, and
// hashing names and rule words was a sixth of its instructions.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use tantivy::tokenizer::{AsciiFoldingFilter, SimpleTokenizer, TextAnalyzer};

use crate::words::{exact_analyzer, tokens};

/// A bare surname that fits several people goes to the one with at least this
/// share of their statements; below it, guessing would be wrong too often.
pub const DOMINANT_SHARE: f64 = 0.9;

const NAME_VARIANTS: &str = include_str!("../../data/rules/name-variants.txt");

/// Bump when the merging code changes what it merges.
/// 2: unnamed speakers are merged only among themselves (see `index::speaker_table`).
const CODE_VERSION: u64 = 2;

/// A fingerprint of the rules and code, stored with a speaker table so that a table
/// made by another whosaid is recomputed rather than trusted. (FNV-1a: stable across
/// builds, unlike std's hasher.)
pub fn fingerprint() -> u64 {
    let mut h = crate::fnv::Fnv1a(crate::fnv::Fnv1a::OFFSET ^ CODE_VERSION);
    h.feed(NAME_VARIANTS.as_bytes());
    h.0
}

/// The rules of `data/rules/name-variants.txt`.
pub struct NameRules {
    /// (ending, replacement) on a word's key.
    suffixes: Vec<(String, String)>,
    /// Word key → the nickname groups it is in.
    nicknames: HashMap<String, Vec<usize>>,
    generations: HashSet<String>,
    particles: HashSet<String>,
    not_names: HashSet<String>,
    descriptors: HashSet<String>,
    /// Each example: the expected clusters, each a list of names.
    pub examples: Vec<Vec<Vec<String>>>,
}

/// The rules, parsed on first use.
pub fn rules() -> &'static NameRules {
    static RULES: OnceLock<NameRules> = OnceLock::new();
    RULES.get_or_init(|| NameRules::parse(NAME_VARIANTS))
}

impl NameRules {
    fn parse(file: &str) -> NameRules {
        let mut r = NameRules {
            suffixes: Vec::new(),
            nicknames: HashMap::default(),
            generations: HashSet::default(),
            particles: HashSet::default(),
            not_names: HashSet::default(),
            descriptors: HashSet::default(),
            examples: Vec::new(),
        };
        let mut groups = 0;
        for line in file.lines().map(str::trim).filter(|l| !l.starts_with('#')) {
            let Some((kind, rest)) = line.split_once(':') else { continue };
            let words = || rest.split_whitespace().map(str::to_lowercase);
            match kind.trim() {
                "suffix" => {
                    if let Some((from, to)) = rest.split_once("=>") {
                        r.suffixes.push((from.trim().to_string(), to.trim().to_string()));
                    }
                }
                "nickname" => {
                    for w in words() {
                        // Keys without suffix rules: nicknames are given names, and
                        // the rules are about surname endings.
                        r.nicknames.entry(base_key(&w)).or_default().push(groups);
                    }
                    groups += 1;
                }
                "generation" => r.generations.extend(words()),
                "particle" => r.particles.extend(words()),
                "descriptor" => r.descriptors.extend(rest.split_whitespace().map(str::to_string)),
                "not-name" => r.not_names.extend(rest.split_whitespace().map(str::to_string)),
                "example" => r.examples.push(
                    rest.split('|')
                        .map(|c| {
                            c.split(',')
                                .map(|n| n.trim().to_string())
                                .filter(|n| !n.is_empty())
                                .collect()
                        })
                        .collect(),
                ),
                _ => {}
            }
        }
        r
    }

    /// A word's key: folded, lower-cased, doubled letters collapsed, y as i, then the
    /// suffix rules.
    fn key(&self, word: &str) -> String {
        let mut k = base_key(word);
        for (from, to) in &self.suffixes {
            if k.len() > from.len() && k.ends_with(from.as_str()) {
                k.truncate(k.len() - from.len());
                k.push_str(to);
                break;
            }
        }
        k
    }

    fn nicknames_of(&self, key: &str) -> &[usize] {
        self.nicknames.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether `word` (lower-case, no full stop) is a generational suffix ("jr", "iii").
    pub fn is_generation(&self, word: &str) -> bool {
        self.generations.contains(word)
    }
}

fn base_key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        let c = if c == 'y' { 'i' } else { c };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// A person-like name taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parsed {
    /// Keys of the given and middle names, particles left out.
    given: Vec<String>,
    surname: String,
    /// The surname as written, folded and lower-cased: a bare surname must match
    /// one of a person's exactly ("Britain" is not "Brittain").
    written: String,
    generation: Option<String>,
}

impl Parsed {
    /// How specific a name is: more given names, then more of them written out.
    fn specificity(&self) -> (usize, usize) {
        (self.given.len(), self.given.iter().filter(|g| g.chars().count() > 1).count())
    }
}

/// Splits on anything but letters and digits and folds accents, keeping case
/// (the case tells a particle "al-" from a given name "Al").
fn words(name: &str) -> Vec<String> {
    thread_local! {
        // One per thread, not a clone per name: cloning boxes every stage anew.
        static ANALYZER: std::cell::RefCell<TextAnalyzer> =
            std::cell::RefCell::new(TextAnalyzer::builder(SimpleTokenizer::default()).filter(AsciiFoldingFilter).build());
    }
    ANALYZER.with(|analyzer| tokens(&mut analyzer.borrow_mut(), name))
}

/// `name` taken apart, or None when it does not look like a person's name.
fn parse(name: &str, r: &NameRules) -> Option<Parsed> {
    let extract = crate::lexicon::rules();
    let listed = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        extract.not_person.contains(w)
            || extract.function_words.contains(w)
            || r.not_names.contains(w)
    };
    let mut spaced: Vec<&str> = name.split_whitespace().collect();
    // "Democrat Harriet Dawson" is Harriet Dawson.
    let described = spaced.iter().take_while(|w| r.descriptors.contains(**w)).count();
    if described > 0 && described < spaced.len() {
        spaced.drain(..described);
    }
    let name = spaced.join(" ");
    if spaced.is_empty() || spaced.len() > 6 || spaced.iter().any(|w| listed(w)) {
        return None;
    }
    let mut words = words(&name);
    for w in &words {
        let lower_particle =
            w.starts_with(|c: char| c.is_lowercase()) && r.particles.contains(w.as_str());
        let capitalized = w.starts_with(|c: char| c.is_uppercase());
        // All capitals is an acronym or a shouted label ("NOTE", "EU"), not a name.
        let shouted = w.chars().count() > 1 && !w.chars().any(char::is_lowercase);
        if !(capitalized || lower_particle) || shouted || w.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    let mut generation = None;
    if words.len() > 1 {
        if let Some(last) = words.last().map(|w| w.to_lowercase()) {
            if r.generations.contains(&last) {
                generation = Some(last);
                words.pop();
            }
        }
    }
    // A hyphenated surname is one surname ("Wirz-Justice" is not a Justice), less
    // any particle ("al-Assad" is Assad).
    let last_spaced = spaced
        .iter()
        .rev()
        .find(|w| !r.generations.contains(&w.trim_matches('.').to_lowercase()))
        .copied()
        .unwrap_or("");
    let parts = self::words(last_spaced).len().max(1);
    let keep = words.len().saturating_sub(parts);
    let surname_parts: Vec<String> =
        words.split_off(keep).into_iter().filter(|w| !is_particle(w, r)).collect();
    let written = surname_parts.concat().to_lowercase();
    // A lone "May" or "Friday" is more often the date than the person.
    if words.is_empty()
        && (extract.months.contains_key(&written) || extract.weekdays.contains_key(&written))
    {
        return None;
    }
    // "Susan P." is a name cut short, not a person called P.
    if written.chars().count() < 2 {
        return None;
    }
    let surname = r.key(&written);
    let given = words.iter().filter(|w| !is_particle(w, r)).map(|w| r.key(w)).collect();
    Some(Parsed { given, surname, written, generation })
}

/// Equal, or both of at least six letters and differing only in the last two.
fn ending_variant(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    la.min(lb) >= 6 && common + 2 >= la.max(lb)
}

fn is_particle(w: &str, r: &NameRules) -> bool {
    w.starts_with(|c: char| c.is_lowercase()) && r.particles.contains(w)
}

/// One given name against another: equal, nicknames, or an initial of it.
fn word_compatible(a: &str, b: &str, r: &NameRules) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la == 1 || lb == 1 {
        return la != lb && a.chars().next() == b.chars().next();
    }
    let groups = r.nicknames_of(a);
    r.nicknames_of(b).iter().any(|g| groups.contains(g))
}

/// Whether `a` and `b` can name the same person (surnames are already equal).
fn compatible(a: &Parsed, b: &Parsed, r: &NameRules) -> bool {
    if a.generation != b.generation {
        return false;
    }
    let (ga, gb) = (&a.given, &b.given);
    if ga.is_empty() || gb.is_empty() {
        return true;
    }
    if !word_compatible(&ga[0], &gb[0], r) {
        return false;
    }
    // Middle names may be missing on one side ("Thomas J. Baker" ~ "Thomas Baker"),
    // but two different lists are two people ("George W." vs "George H. W.").
    ga.len() == 1
        || gb.len() == 1
        || (ga.len() == gb.len()
            && ga[1..].iter().zip(&gb[1..]).all(|(x, y)| word_compatible(x, y, r)))
}

/// One person: the name to show and every name (with its count) merged into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub canonical: String,
    /// Most statements first.
    pub members: Vec<(String, u64)>,
}

/// Groups `names` (each with its statement count; names distinct) into people.
/// Every name is in exactly one cluster; clusters come most statements first.
pub fn cluster(names: &[(String, u64)]) -> Vec<Cluster> {
    let r = rules();
    // Names written alike but for case, accents and punctuation are one name,
    // whatever they name ("Kim Jong Un" / "Kim Jong-un", "TASS" / "Tass"): they
    // go through the rules as one, under their most used spelling.
    //
    // Names are written and parsed on every core: at the end of an ingest of real
    // news (33,000 names) the table kept one core busy while the other idled.
    let written: Vec<String> = names
        .par_iter()
        .enumerate()
        .map_init(exact_analyzer, |analyzer, (i, (name, _))| {
            let form = tokens(analyzer, name).join(" ");
            if form.is_empty() {
                format!("\0{i}")
            } else {
                form
            }
        })
        .collect();
    let mut forms: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, form) in written.into_iter().enumerate() {
        forms.entry(form).or_default().push(i);
    }
    let mut units: Vec<(String, u64)> = Vec::with_capacity(forms.len());
    let mut unit_of: HashMap<String, Vec<usize>> = HashMap::default();
    for members in forms.into_values() {
        let Some(&first) = members.iter().max_by_key(|&&i| (names[i].1, Reverse(&names[i].0)))
        else {
            continue;
        };
        units.push((names[first].0.clone(), members.iter().map(|&i| names[i].1).sum()));
        unit_of.insert(names[first].0.clone(), members);
    }
    // Each name is parsed once: `canonical` asks again whether it is a full name.
    let parsed: Vec<Option<Parsed>> = units.par_iter().map(|(name, _)| parse(name, r)).collect();
    let full: HashMap<String, bool> = units
        .iter()
        .zip(&parsed)
        .map(|((name, _), p)| (name.clone(), p.as_ref().is_some_and(|p| !p.given.is_empty())))
        .collect();
    let mut out: Vec<Cluster> = cluster_distinct(&units, parsed, r)
        .into_iter()
        .map(|c| {
            let mut members: Vec<(String, u64)> = c
                .iter()
                .flat_map(|name| unit_of.get(name).into_iter().flatten())
                .map(|&i| names[i].clone())
                .collect();
            members.sort_by(|a, b| (Reverse(a.1), &a.0).cmp(&(Reverse(b.1), &b.0)));
            Cluster { canonical: canonical(&members, &full, r), members }
        })
        .collect();
    out.sort_by(|a, b| {
        let total = |c: &Cluster| c.members.iter().map(|m| m.1).sum::<u64>();
        (Reverse(total(a)), &a.canonical).cmp(&(Reverse(total(b)), &b.canonical))
    });
    out
}

/// [`cluster`] over names that are all written differently, with what [`parse`]
/// made of each: the names of each person.
fn cluster_distinct(
    names: &[(String, u64)],
    parsed: Vec<Option<Parsed>>,
    r: &NameRules,
) -> Vec<Vec<String>> {
    let mut alone: Vec<usize> = Vec::new();
    // Surname key → names that look like persons.
    let mut by_surname: BTreeMap<String, Vec<(usize, Parsed)>> = BTreeMap::new();
    for (i, parsed) in parsed.into_iter().enumerate() {
        match parsed {
            Some(p) => by_surname.entry(p.surname.clone()).or_default().push((i, p)),
            None => alone.push(i),
        }
    }
    let mut groups: Vec<Vec<usize>> = alone.into_iter().map(|i| vec![i]).collect();
    for (_, mut family) in by_surname {
        family.sort_by(|(i, p), (j, q)| {
            (Reverse(p.specificity()), Reverse(names[*i].1), &names[*i].0).cmp(&(
                Reverse(q.specificity()),
                Reverse(names[*j].1),
                &names[*j].0,
            ))
        });
        // Indices into `family`.
        let mut clusters: Vec<Vec<usize>> = Vec::new();
        for k in 0..family.len() {
            let me = &family[k].1;
            // A bare surname carries no given name to confirm a fuzzy spelling, so it
            // must be written as one of the person's names writes it, but for its
            // ending ("Brovarskyy" ~ "Brovarsky"; "Britain" is not "Brittain").
            let fits: Vec<usize> = (0..clusters.len())
                .filter(|&c| clusters[c].iter().all(|&m| compatible(me, &family[m].1, r)))
                .filter(|&c| {
                    !me.given.is_empty()
                        || clusters[c]
                            .iter()
                            .any(|&m| ending_variant(&family[m].1.written, &me.written))
                })
                .collect();
            let target = match fits.as_slice() {
                [] => None,
                [only] => Some(*only),
                _ if family[k].1.given.is_empty() => {
                    let weight =
                        |c: usize| clusters[c].iter().map(|&m| names[family[m].0].1).sum::<u64>();
                    let total: u64 = fits.iter().map(|&c| weight(c)).sum();
                    fits.iter()
                        .copied()
                        .max_by_key(|&c| weight(c))
                        .filter(|&c| total > 0 && weight(c) as f64 >= DOMINANT_SHARE * total as f64)
                }
                _ => None,
            };
            match target {
                Some(c) => clusters[c].push(k),
                None => clusters.push(vec![k]),
            }
        }
        groups.extend(clusters.into_iter().map(|c| c.into_iter().map(|k| family[k].0).collect()));
    }
    groups.into_iter().map(|g| g.into_iter().map(|i| names[i].0.clone()).collect()).collect()
}

/// The name a cluster shows: a full name rather than a bare surname, then the one
/// most statements use (what most articles call the person), then the longer.
/// `full` says for most names whether they are full names; others are parsed.
fn canonical(members: &[(String, u64)], full: &HashMap<String, bool>, r: &NameRules) -> String {
    members
        .iter()
        .max_by_key(|(name, count)| {
            let full = full
                .get(name)
                .copied()
                .unwrap_or_else(|| parse(name, r).is_some_and(|p| !p.given.is_empty()));
            (full, *count, name.len(), Reverse(name.clone()))
        })
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(names: &[(&str, u64)]) -> Vec<Vec<String>> {
        let names: Vec<(String, u64)> = names.iter().map(|(n, c)| (n.to_string(), *c)).collect();
        let mut out: Vec<Vec<String>> = cluster(&names)
            .into_iter()
            .map(|c| {
                let mut m: Vec<String> = c.members.into_iter().map(|(n, _)| n).collect();
                m.sort();
                m
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn surname_spellings_share_a_key() {
        let r = rules();
        let k = |w: &str| r.key(w);
        assert_eq!(k("Brovarsky"), k("Brovarskyy"));
        assert_eq!(k("Brovarsky"), k("Brovarskiy"));
        assert_eq!(k("Brovarsky"), k("Brovarskij"));
        assert_eq!(k("Lopez"), k("Lopez"));
        assert_ne!(k("Dawson"), k("Dawsen"));
    }

    #[test]
    fn middle_names_and_initials_merge() {
        assert_eq!(
            parts(&[("Harriet Quill Dawson", 1), ("Harriet Dawson", 5), ("Harriet Q. Dawson", 1)]),
            vec![vec!["Harriet Dawson", "Harriet Q. Dawson", "Harriet Quill Dawson"]]
        );
    }

    #[test]
    fn shared_surname_with_other_given_names_stays_apart() {
        assert_eq!(parts(&[("Bert Dawson", 3), ("Harriet Dawson", 3)]).len(), 2);
        // Two different middle initials are two people; the name without one fits
        // both and so joins neither.
        assert_eq!(
            parts(&[("Lyle H. W. Barrow", 1), ("Lyle W. Barrow", 1), ("Lyle Barrow", 1)]).len(),
            3
        );
    }

    #[test]
    fn bare_surname_joins_only_a_unique_or_dominant_person() {
        assert_eq!(parts(&[("Quentin Vale", 4), ("Vale", 2)]), vec![vec!["Quentin Vale", "Vale"]]);
        // Ambiguous: 60/40.
        assert_eq!(parts(&[("Bert Dawson", 6), ("Harriet Dawson", 4), ("Dawson", 3)]).len(), 3);
        // Dominant: 95/5.
        let p = parts(&[("Bert Dawson", 95), ("Harriet Dawson", 5), ("Dawson", 3)]);
        assert!(p.contains(&vec!["Bert Dawson".to_string(), "Dawson".to_string()]), "{p:?}");
    }

    #[test]
    fn generations_and_non_persons_stay_apart() {
        assert_eq!(parts(&[("Grant Pask", 1), ("Grant Pask Jr.", 1)]).len(), 2);
        assert_eq!(parts(&[("State Department spokesman", 1), ("spokesman", 1)]).len(), 2);
        assert_eq!(parts(&[("Union Vale", 1), ("Vale", 1)]).len(), 2);
        // "Al" capitalized is a given name, "al-" a particle.
        assert_eq!(parts(&[("Al Fadhil", 1), ("Omar al-Fadhil", 1)]).len(), 2);
    }

    #[test]
    fn canonical_is_the_most_used_full_name() {
        let c =
            cluster(&[("Hal Brink".into(), 2), ("Harold Q. Brink".into(), 1), ("Brink".into(), 9)]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].canonical, "Hal Brink");
    }

    #[test]
    fn no_name_is_lost() {
        let names: Vec<(String, u64)> = ["A", "b c", "", "Zed Zed Zed", "Al Jr", "Jr"]
            .iter()
            .map(|n| (n.to_string(), 1))
            .collect();
        let total: usize = cluster(&names).iter().map(|c| c.members.len()).sum();
        assert_eq!(total, names.len());
    }
}
