//! A collector that reads speaker, article, date and quotation hash of every match
//! from fast fields, for aggregations (`who`, `stats`, timelines) that need all
//! matches rather than a top page.
//!
//! Articles are keyed, not named: the writer puts all of an article's statements in
//! one segment, so the segment and the article's term ordinal identify it, and
//! counting distinct articles reads no dictionary. Speakers are keyed by the
//! `speaker_key` column (see [`crate::index::speaker_key::key`]), which reads no dictionary either.
//!
//! Known limits: one row (about 80 bytes) per match held in memory; fine for
//! millions of matches, not meant for hundreds of millions of documents.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub score: Score,
    pub addr: DocAddress,
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

/// A map keyed by speaker keys ([`crate::index::speaker_key::key`]), with a hasher cheaper than
/// the default's: the keys are hashes already, and a `who` looks one up per match.
pub(crate) type KeyMap<V> = rustc_hash::FxHashMap<u64, V>;

pub(crate) struct MatchRows {
    pub scoring: bool,
    pub speakers: SpeakersAs,
}

/// What a [`Row`] says of its speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpeakersAs {
    /// The speaker's key ([`Row::speaker_key`]).
    Keys,
    /// Nothing, for counts that do not group by speaker.
    Neither,
}

/// A match as read from the columns.
struct OrdRow {
    score: Score,
    doc: DocId,
    /// A `speaker_key`.
    speaker: Option<u64>,
    article: Option<u64>,
    date: Option<DateTime>,
}

pub(crate) struct MatchRowsSegment {
    segment: SegmentOrdinal,
    speaker_key: Option<Column<u64>>,
    article: Option<StrColumn>,
    date: Column<DateTime>,
    rows: Vec<OrdRow>,
}

impl Collector for MatchRows {
    type Fruit = Vec<Row>;
    type Child = MatchRowsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MatchRowsSegment> {
        let ff = reader.fast_fields();
        Ok(MatchRowsSegment {
            segment,
            speaker_key: if self.speakers == SpeakersAs::Keys {
                Some(ff.u64("speaker_key")?)
            } else {
                None
            },
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

impl SegmentCollector for MatchRowsSegment {
    type Fruit = Vec<Row>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let first = |column: Option<&StrColumn>| column.and_then(|c| c.term_ords(doc).next());
        self.rows.push(OrdRow {
            score,
            doc,
            speaker: self.speaker_key.as_ref().and_then(|keys| keys.first(doc)),
            article: first(self.article.as_ref()),
            date: self.date.first(doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
        let segment = self.segment;
        self.rows
            .into_iter()
            .map(|r| Row {
                score: r.score,
                addr: DocAddress::new(segment, r.doc),
                speaker_key: r.speaker,
                article: r.article.map(|o| article_key(segment, o)),
                date: r.date,
            })
            .collect()
    }
}
