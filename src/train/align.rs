//! Gold against found: which statement the rules found is which annotated
//! attribution, by the rule `scripts/eval-polnear` scores with (the Dice overlap of
//! their word tokens at least one half, one to one, greedily by best overlap).
//!
//! Known limits: word tokens are whosaid's, not the script's `\w+` runs; they differ
//! around hyphens and apostrophes, which moves a few overlaps near one half.

use super::polnear::Spans;
use crate::extract::doc::Doc;
use crate::extract::span::ByteSpan;

/// The word tokens lying wholly inside any of `spans`.
pub fn tokens(doc: &Doc, spans: &Spans) -> Vec<usize> {
    let mut out = Vec::new();
    for &ByteSpan { start: a, end: b } in spans {
        let from = doc.toks.partition_point(|t| t.start < a);
        for k in from..doc.toks.len() {
            let t = doc.toks[k];
            if t.start >= b {
                break;
            }
            if t.end <= b && doc.is_word(k) {
                out.push(k);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

pub fn dice(a: &[usize], b: &[usize]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * both as f64 / (a.len() + b.len()) as f64
}

/// Pairs `(found, gold)` of token sets, one to one, best overlap first.
pub fn pairs(found: &[Vec<usize>], gold: &[Vec<usize>]) -> Vec<(usize, usize)> {
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (fi, f) in found.iter().enumerate() {
        let (Some(flo), Some(fhi)) = (f.first(), f.last()) else { continue };
        for (gi, g) in gold.iter().enumerate() {
            let (Some(glo), Some(ghi)) = (g.first(), g.last()) else { continue };
            if flo > ghi || glo > fhi {
                continue;
            }
            let d = dice(f, g);
            if d >= 0.5 {
                cands.push((d, fi, gi));
            }
        }
    }
    // Best first; ties by position, as the script's sort of (-d, pi, gi) does.
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_f, mut used_g) = (vec![false; found.len()], vec![false; gold.len()]);
    let mut out = Vec::new();
    for (_, fi, gi) in cands {
        if !used_f[fi] && !used_g[gi] {
            used_f[fi] = true;
            used_g[gi] = true;
            out.push((fi, gi));
        }
    }
    out.sort_unstable();
    out
}

/// Does byte range `b` overlap any of `spans`?
pub fn overlaps(spans: &Spans, b: ByteSpan) -> bool {
    spans.iter().any(|s| b.overlaps(*s))
}

/// The lower-cased words (letters and digits) of a text.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The last word of a speaker name, lower-cased, a generational suffix aside, as
/// the script's `last_name_word`.
pub fn last_word(name: &str) -> Option<String> {
    let mut w = words(name);
    while w.len() > 1
        && matches!(w.last().map(String::as_str), Some("jr" | "sr" | "ii" | "iii" | "iv"))
    {
        w.pop();
    }
    w.pop()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_one_to_one_by_best_overlap() {
        let found = vec![vec![1, 2, 3, 4], vec![3, 4, 5, 6]];
        let gold = vec![vec![3, 4, 5, 6], vec![1, 2, 3]];
        assert_eq!(pairs(&found, &gold), vec![(0, 1), (1, 0)]);
        assert_eq!(pairs(&[vec![1]], &[vec![2, 3, 4]]), vec![]);
    }

    #[test]
    fn last_words() {
        assert_eq!(last_word("Martin Luther King Jr."), Some("king".into()));
        assert_eq!(last_word("Recep Tayyip Erdoğan"), Some("erdoğan".into()));
        assert_eq!(last_word(""), None);
    }
}
