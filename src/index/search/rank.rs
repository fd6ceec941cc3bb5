//! The order of `query` hits: by relevance (BM25, with statements of a few words
//! scored down), or by date either way with undated statements last; and a page of
//! them (an offset and a limit).
//!
//! BM25 divides a word's weight by the statement's length relative to the average,
//! so a statement that is only the words searched for (“fake news.”, two words)
//! outscored every real statement containing them and filled the top of each list.
//! A statement shorter than [`FULL_WORDS`] words has its score multiplied by
//! `words / FULL_WORDS`: such fragments still match, below statements that say
//! something. `tests/data/ranking.tsv` holds hand-judged hits that
//! `tests/integration/ranking.rs` and `scripts/eval-ranking` measure this on.
//!
//! Known limits: the length is Tantivy's field norm (exact to 40 words, then
//! rounded); ties (equal scores, equal days) are in index order.

use tantivy::collector::{Collector, TopDocs};
use tantivy::schema::Field;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentReader};

use crate::index::Index;

/// Statements at least this many words long are scored by BM25 alone.
pub const FULL_WORDS: u32 = 8;

/// The order hits are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HitOrder {
    /// Best first.
    #[default]
    Relevance,
    /// Oldest first; undated last.
    Oldest,
    /// Newest first; undated last.
    Newest,
}

impl HitOrder {
    /// `relevance`, `date` (oldest first) or `-date` (newest first).
    pub fn parse(value: &str) -> Option<HitOrder> {
        match value {
            "relevance" => Some(HitOrder::Relevance),
            "date" => Some(HitOrder::Oldest),
            "-date" => Some(HitOrder::Newest),
            _ => None,
        }
    }
}

/// Which hits to list: `limit` of them after skipping `offset`, in `order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
    pub order: HitOrder,
}

/// How much of its BM25 score a statement of `words` words keeps.
pub fn length_factor(words: u32) -> Score {
    words.min(FULL_WORDS) as Score / FULL_WORDS as Score
}

/// The sort key of a hit: its date key (see `date_key`), then its ranking score.
pub(crate) type Key = (i64, Score);

/// A collector of the page's hits as (key, address); the key's score is the ranking
/// score (BM25 times [`length_factor`]) in every order. `page.limit` must be at
/// least 1.
pub(crate) fn collector(
    index: &Index,
    page: &Page,
) -> impl Collector<Fruit = Vec<(Key, DocAddress)>> {
    let text = index.fields.text;
    let order = page.order;
    TopDocs::with_limit(page.limit.max(1)).and_offset(page.offset).tweak_score(
        move |segment: &SegmentReader| {
            let norms = lengths(segment, text);
            let dates = segment.fast_fields().date("date").ok();
            move |doc: DocId, score: Score| {
                let score = score * length_factor(norms(doc));
                let day = dates.as_ref().and_then(|c| c.first(doc));
                (date_key(order, day.map(DateTime::into_timestamp_secs)), score)
            }
        },
    )
}

/// The first part of the sort key (higher first): 0 for every hit by relevance; by
/// date, earlier (or later) days higher and undated statements lowest.
fn date_key(order: HitOrder, seconds: Option<i64>) -> i64 {
    match (order, seconds) {
        (HitOrder::Relevance, _) => 0,
        (_, None) => i64::MIN,
        (HitOrder::Oldest, Some(s)) => -s,
        (HitOrder::Newest, Some(s)) => s,
    }
}

/// Each document's length in words of `field`; a segment without norms counts
/// every statement as full length (ranked by BM25 alone).
fn lengths(segment: &SegmentReader, field: Field) -> impl Fn(DocId) -> u32 {
    let norms = segment.get_fieldnorms_reader(field).ok();
    move |doc| norms.as_ref().map_or(FULL_WORDS, |n| n.fieldnorm(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_statements_keep_part_of_their_score() {
        assert_eq!(length_factor(2), 0.25);
        assert_eq!(length_factor(FULL_WORDS), 1.0);
        assert_eq!(length_factor(200), 1.0);
        assert_eq!(HitOrder::parse("-date"), Some(HitOrder::Newest));
        assert_eq!(HitOrder::parse("newest"), None);
    }

    #[test]
    fn undated_statements_come_last_either_way() {
        for order in [HitOrder::Oldest, HitOrder::Newest] {
            assert!(date_key(order, None) < date_key(order, Some(0)));
            assert!(date_key(order, None) < date_key(order, Some(-1_000_000)));
        }
        assert!(date_key(HitOrder::Oldest, Some(1)) > date_key(HitOrder::Oldest, Some(2)));
        assert!(date_key(HitOrder::Newest, Some(2)) > date_key(HitOrder::Newest, Some(1)));
    }
}
