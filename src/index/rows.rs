//! A collector that reads speaker, article, date and quotation hash of every match
//! from fast fields, for aggregations (`who`, `stats`, timelines) that need all
//! matches rather than a top page.
//!
//! Articles are keyed, not named: the writer puts all of an article's statements in
//! one segment, so the segment and the article's term ordinal identify it, and
//! counting distinct articles reads no dictionary. Speakers are either named (each
//! name read once per distinct speaker and segment, and shared by the rows) or, for
//! `who`, keyed by [`speaker_key`], which reads no dictionary either.
//!
//! Known limits: one row (about 80 bytes) per match held in memory; fine for
//! millions of matches, not meant for hundreds of millions of documents.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facet_columns::ord_names;

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub score: Score,
    pub addr: DocAddress,
    /// Set by [`SpeakersAs::Names`].
    pub speaker: Option<Arc<str>>,
    /// Set by [`SpeakersAs::Keys`].
    pub speaker_key: Option<u64>,
    /// The article, as [`article_key`]: equal keys are the same article.
    pub article: Option<u64>,
    pub date: Option<DateTime>,
}

/// One number per article of the index: its segment and its term ordinal there.
pub(crate) fn article_key(segment: SegmentOrdinal, ord: u64) -> u64 {
    (u64::from(segment) << 40) | (ord & ((1 << 40) - 1))
}

/// The `speaker_key` column's value for `name`: FNV-1a over its bytes, stable across
/// builds and platforms, as a value stored in the index must be.
pub(crate) fn speaker_key(name: &str) -> u64 {
    crate::fnv::Fnv1a::hash(name.as_bytes())
}

/// A map keyed by [`speaker_key`]s, with a hasher cheaper than the default's: the
/// keys are hashes already, and a `who` looks one up per match.
pub(crate) type KeyMap<V> = rustc_hash::FxHashMap<u64, V>;

pub(crate) struct Rows {
    pub scoring: bool,
    pub speakers: SpeakersAs,
}

/// What a [`Row`] says of its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpeakersAs {
    /// The name ([`Row::speaker`]).
    Names,
    /// The [`speaker_key`] ([`Row::speaker_key`]).
    Keys,
    /// Nothing, for counts that do not group by speaker.
    Neither,
}

/// A match with its speaker as a term ordinal, named at harvest.
struct OrdRow {
    score: Score,
    doc: DocId,
    /// A term ordinal of `speaker`, or a `speaker_key`.
    speaker: Option<u64>,
    article: Option<u64>,
    date: Option<DateTime>,
}

pub(crate) struct RowsSegment {
    segment: SegmentOrdinal,
    speaker: Option<StrColumn>,
    speaker_key: Option<Column<u64>>,
    article: Option<StrColumn>,
    date: Column<DateTime>,
    // Names are read at the end, the dictionary in one pass: a lookup per match (or
    // per distinct value, in random order) decompresses a dictionary block each time.
    rows: Vec<OrdRow>,
}

impl Collector for Rows {
    type Fruit = Vec<Row>;
    type Child = RowsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RowsSegment> {
        let ff = reader.fast_fields();
        Ok(RowsSegment {
            segment,
            speaker: if self.speakers == SpeakersAs::Names { ff.str("speaker")? } else { None },
            speaker_key: if self.speakers == SpeakersAs::Keys { Some(ff.u64("speaker_key")?) } else { None },
            article: ff.str("article")?,
            date: ff.date("date")?,
            rows: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Row>>) -> tantivy::Result<Vec<Row>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for RowsSegment {
    type Fruit = Vec<Row>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let first = |column: Option<&StrColumn>| column.and_then(|c| c.term_ords(doc).next());
        self.rows.push(OrdRow {
            score,
            doc,
            speaker: match &self.speaker_key {
                Some(keys) => keys.first(doc),
                None => first(self.speaker.as_ref()),
            },
            article: first(self.article.as_ref()),
            date: self.date.first(doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
        let keyed = self.speaker_key.is_some();
        let speakers: HashMap<u64, Arc<str>> = match self.speaker.as_ref() {
            Some(c) => ord_names(c, self.rows.iter().filter_map(|r| r.speaker))
                .into_iter()
                .map(|(ord, name)| (ord, Arc::from(name)))
                .collect(),
            None => HashMap::new(),
        };
        let segment = self.segment;
        self.rows
            .into_iter()
            .map(|r| Row {
                score: r.score,
                addr: DocAddress::new(segment, r.doc),
                speaker: r.speaker.filter(|_| !keyed).and_then(|o| speakers.get(&o).cloned()),
                speaker_key: r.speaker.filter(|_| keyed),
                article: r.article.map(|o| article_key(segment, o)),
                date: r.date,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_key_is_fnv1a_of_the_name() {
        // Published FNV-1a test vectors: a stored key must never change with a build.
        assert_eq!(speaker_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(speaker_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(speaker_key("foobar"), 0x8594_4171_f739_67e8);
        assert_ne!(speaker_key("Ann Lee"), speaker_key("Ann  Lee"));
    }
}
