//! The message for a `--source` no statement has: the nearest sources the index
//! does have, by name, so a user who typed "cnn" learns it is "CNN Money".
//!
//! Known limits: candidates are the `source` field's terms (every distinct source,
//! read from each segment's dictionary: a few thousand at most for a news archive);
//! the counts shown are Tantivy's document frequencies, which still count
//! statements deleted by a re-ingest until their segment is merged.

use std::collections::BTreeMap;

use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::index::error::{Error, Result};

/// Sources listed in the message.
const SHOWN: usize = 6;

/// The error for `wanted`, a source no statement has.
pub(crate) fn unknown_source(searcher: &Searcher, field: Field, wanted: &str) -> Result<Error> {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                counts.entry(term.to_string()).or_insert(0);
            }
        }
    }
    for (term, count) in counts.iter_mut() {
        *count = searcher.doc_freq(&Term::from_field_text(field, term))?;
    }
    if counts.is_empty() {
        return Ok(Error::UnknownSource(format!(
            "no source {wanted:?}: no statement in this index has a source (see ingest --source)"
        )));
    }
    let list: Vec<String> =
        nearest(wanted, &counts).into_iter().map(|(name, n)| format!("{name} ({n})")).collect();
    Ok(Error::UnknownSource(format!(
        "no source {wanted:?}; sources include: {}; {} sources in all, see the \"source\" facet of `whosaid query --json` or of the web page",
        list.join(", "),
        counts.len()
    )))
}

/// The sources most like `wanted`: those that hold it or that it holds (ignoring
/// case), then those a few edits away, each group by count; the most quoted sources
/// when none is near.
fn nearest<'a>(wanted: &str, counts: &'a BTreeMap<String, u64>) -> Vec<(&'a str, u64)> {
    let w = wanted.to_lowercase();
    let budget = (w.chars().count() / 3).max(2);
    let mut near: Vec<(usize, u64, &str)> = counts
        .iter()
        .filter_map(|(name, &n)| {
            let c = name.to_lowercase();
            let rank = if c.contains(&w) || w.contains(&c) {
                0
            } else {
                let d = edit_distance(&w, &c);
                if d > budget {
                    return None;
                }
                d
            };
            Some((rank, n, name.as_str()))
        })
        .collect();
    if near.is_empty() {
        near = counts.iter().map(|(name, &n)| (0, n, name.as_str())).collect();
    }
    near.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    near.into_iter().take(SHOWN).map(|(_, n, name)| (name, n)).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(above + 1).min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("valley", "valley"), 0);
    }

    #[test]
    fn nearest_by_containment_then_edits_then_count() {
        let counts: BTreeMap<String, u64> = [
            ("CNN Money", 5),
            ("CNBC", 9),
            ("Valley Post", 40),
            ("Hill Times", 2),
            ("CNN International", 7),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let names = |w| nearest(w, &counts).into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        assert_eq!(names("cnn"), ["CNN International", "CNN Money", "CNBC"]);
        assert_eq!(names("Valley Psot"), ["Valley Post"]);
        // Nothing near: the most quoted.
        assert_eq!(names("zzzzzzzz")[0], "Valley Post");
    }
}
