//! The same quotation reported by several articles: a key made of a statement's
//! quoted words, and groups of statements whose keys are equal or where one is a
//! run of the other (an article that quotes only the end of a sentence).
//!
//! Each statement's key is hashed at ingest into the `quote` column, so equal keys
//! are found without reading the statements; only the containment check reads one
//! statement per distinct key.
//!
//! Known limits: a quotation reworded or translated differently is a different
//! quotation; the key of a statement with no quotation marks is all its words, so
//! reported speech merges only when two articles phrase it identically; the
//! containment check is skipped for speakers with more than [`CONTAINMENT_MAX`]
//! distinct keys (it reads one statement per key), where only equal keys merge; two
//! different keys with the same 64-bit hash would count as one quotation.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::{Context, Result};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument};

use crate::index::quote_key::quote_key;
use crate::index::stored::statement_of;
use crate::index::Index;

/// A shorter key must have at least this many words to join a longer one that
/// contains it: "we will" is in too many quotations to mean the same one.
const MIN_RUN: usize = 5;
/// Above this many distinct keys, only equal keys merge: the check reads one stored
/// statement per key, and `who` runs it for each speaker it shows.
const CONTAINMENT_MAX: usize = 48;

/// For each key, the index of its group: equal keys share one, and a key of at
/// least [`MIN_RUN`] words joins the longest key that contains it as a run.
pub fn group_keys(keys: &[Vec<String>]) -> Vec<usize> {
    let distinct: BTreeSet<&Vec<String>> = keys.iter().collect();
    let mut order: Vec<&Vec<String>> = distinct.into_iter().collect();
    order.sort_by_key(|k| std::cmp::Reverse(k.len()));
    let mut group_of: BTreeMap<&Vec<String>, usize> = BTreeMap::new();
    // The longest key of each group, which the others are runs of.
    let mut heads: Vec<&Vec<String>> = Vec::new();
    let contain = order.len() <= CONTAINMENT_MAX;
    for key in order {
        let found = if contain && key.len() >= MIN_RUN {
            heads.iter().position(|h| {
                h.len() > key.len() && h.windows(key.len()).any(|w| w == key.as_slice())
            })
        } else {
            None
        };
        let g = found.unwrap_or_else(|| {
            heads.push(key);
            heads.len() - 1
        });
        group_of.insert(key, g);
    }
    keys.iter().map(|k| group_of.get(k).copied().unwrap_or(0)).collect()
}

/// One matching statement of a speaker, as `who` keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub addr: DocAddress,
    /// See [`crate::index::collect::rows::article_key`].
    pub article: Option<u64>,
    pub date: Option<DateTime>,
}

/// What the quotation groups of one speaker's statements come to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct QuoteSummary {
    /// Distinct quotations.
    pub quotes: u64,
    /// Articles that report the example's quotation.
    pub example_articles: u64,
    /// The earliest day of the example's quotation.
    pub example_first: Option<DateTime>,
}

/// Groups `members` by quotation: by their hashes, and when there are few enough
/// distinct ones, by reading one stored text per hash for the containment check.
pub(crate) fn summarize(
    index: &Index,
    searcher: &Searcher,
    members: &[Member],
    example: DocAddress,
) -> Result<QuoteSummary> {
    let hashes = quote_hashes(searcher, members)?;
    // One member per distinct hash, in first-seen order.
    let mut slot: HashMap<u64, usize> = HashMap::new();
    let mut firsts: Vec<DocAddress> = Vec::new();
    for (m, &hash) in members.iter().zip(&hashes) {
        slot.entry(hash).or_insert_with(|| {
            firsts.push(m.addr);
            firsts.len() - 1
        });
    }
    let groups: Vec<usize> = if firsts.len() <= CONTAINMENT_MAX {
        let keys = firsts
            .iter()
            .map(|&addr| Ok(quote_key(&stored_text(index, searcher, addr)?)))
            .collect::<Result<Vec<_>>>()?;
        group_keys(&keys)
    } else {
        (0..firsts.len()).collect()
    };
    let group_of = |hash: &u64| slot.get(hash).and_then(|&i| groups.get(i)).copied();
    let quotes = groups.iter().collect::<BTreeSet<_>>().len() as u64;
    let mine =
        members.iter().zip(&hashes).find(|(m, _)| m.addr == example).and_then(|(_, h)| group_of(h));
    let Some(mine) = mine else {
        return Ok(QuoteSummary { quotes, ..QuoteSummary::default() });
    };
    let same: Vec<&Member> = members
        .iter()
        .zip(&hashes)
        .filter(|(_, h)| group_of(h) == Some(mine))
        .map(|(m, _)| m)
        .collect();
    Ok(QuoteSummary {
        quotes,
        example_articles: same.iter().filter_map(|m| m.article).collect::<BTreeSet<_>>().len()
            as u64,
        example_first: same.iter().filter_map(|m| m.date).min(),
    })
}

/// The [`quote_hash`] of each member, from the `quote` column. Read here, for the
/// speakers `who` shows, rather than with every match: the column holds a random
/// 64-bit value per statement, and a whole `who` process faulted in most of its
/// pages for a phrase with 45,000 matches.
fn quote_hashes(searcher: &Searcher, members: &[Member]) -> Result<Vec<u64>> {
    let mut columns: HashMap<u32, tantivy::columnar::Column<u64>> = HashMap::new();
    let mut out = Vec::with_capacity(members.len());
    for m in members {
        let segment = m.addr.segment_ord;
        let column = match columns.entry(segment) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(segment)
                    .fast_fields()
                    .u64("quote")
                    .context("reading the quote column")?,
            ),
        };
        out.push(column.first(m.addr.doc_id).unwrap_or(0));
    }
    Ok(out)
}

/// The text of the stored statement at `addr`.
fn stored_text(index: &Index, searcher: &Searcher, addr: DocAddress) -> Result<String> {
    let doc: TantivyDocument = searcher.doc(addr).context("reading stored statement")?;
    // A statement that cannot be read back has no words to compare.
    Ok(statement_of(index, &doc).map(|s| s.text).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::quote_key::quote_hash;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn key_is_the_quoted_words() {
        assert_eq!(
            quote_key("“We will not retreat,” she said. “Never.”"),
            words("we will not retreat never")
        );
        assert_eq!(quote_key("\"We will not retreat,\" she said."), words("we will not retreat"));
        assert_eq!(
            quote_key("She said the plan had failed."),
            words("she said the plan had failed")
        );
        // A stray closing mark opens nothing; a quotation left open runs to the end.
        assert_eq!(
            quote_key("Fine” she said, «Non, merci» and “we go on"),
            words("non merci we go on")
        );
        assert_eq!(quote_key("“Año Nuevo” — 5 “"), words("ano nuevo"));
    }

    #[test]
    fn hash_follows_the_key() {
        let h = quote_hash;
        assert_eq!(
            h("“We will not retreat,” she said."),
            h("\"We will NOT retreat\" he told reporters.")
        );
        assert_ne!(h("“We will not retreat,” she said."), h("“We will retreat,” she said."));
        // Word boundaries count: "ab c" is not "a bc".
        assert_ne!(h("“ab c”"), h("“a bc”"));
    }

    #[test]
    fn excerpts_join_the_full_quotation() {
        let keys = vec![
            words("we will not retreat from the river this year"),
            words("not retreat from the river"),
            words("we will not retreat from the river this year"),
            words("the river"),
            words("something else entirely was said here"),
        ];
        let g = group_keys(&keys);
        assert_eq!(g[0], g[1]);
        assert_eq!(g[0], g[2]);
        assert_ne!(g[0], g[3], "too short to be the same quotation");
        assert_ne!(g[0], g[4]);
    }
}
