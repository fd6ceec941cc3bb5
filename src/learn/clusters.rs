//! Word clusters: words that occur in the same contexts in unlabelled news share a
//! cluster, so a feature learned for "remarked" also fires for "quipped" when only
//! one of them was in the training data. Each word has a path in a binary tree of
//! clusters ("0110…"); prefixes of the path are coarser clusters.
//!
//! File format (`data/models/clusters.tsv`): comment lines start with `#`; then one
//! `word<TAB>path` line per word, lower-cased.
//!
//! Known limits: a word not in the table (rare words, typos) has no cluster.

use rustc_hash::FxHashMap as HashMap;

use crate::lexicon::lower;

pub struct Clusters {
    paths: HashMap<String, String>,
}

impl Clusters {
    pub fn parse(text: &str) -> Clusters {
        let paths = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (word, path) = l.split_once('\t')?;
                Some((word.to_string(), path.trim().to_string()))
            })
            .collect();
        Clusters { paths }
    }

    /// The cluster path of `word` (any case), if it has one.
    pub fn path(&self, word: &str) -> Option<&str> {
        self.paths.get(lower(word).as_ref()).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

/// The first `n` bits of a path (all of it when shorter).
pub fn prefix(path: &str, n: usize) -> &str {
    &path[..path.len().min(n)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_looked_up_in_lower_case() {
        let c = Clusters::parse("# test\nsaid\t0110\nremarked\t0111\n");
        assert_eq!(c.path("Said"), Some("0110"));
        assert_eq!(c.path("table"), None);
        assert_eq!(prefix("0110", 2), "01");
        assert_eq!(prefix("01", 6), "01");
        assert_eq!(c.len(), 2);
    }
}
