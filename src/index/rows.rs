//! A collector that reads speaker, article, date and quotation hash of every match
//! from fast fields, for aggregations (`who`, `stats`, timelines) that need all
//! matches rather than a top page.
//!
//! Articles are keyed, not named: the writer puts all of an article's statements in
//! one segment, so the segment and the article's term ordinal identify it, and
//! counting distinct articles reads no dictionary. Speaker names are read once per
//! distinct speaker and segment, and shared by the rows.
//!
//! Known limits: one row (about 56 bytes) per match held in memory; fine for
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
    pub speaker: Option<Arc<str>>,
    /// The article, as [`article_key`]: equal keys are the same article.
    pub article: Option<u64>,
    pub date: Option<DateTime>,
}

/// One number per article of the index: its segment and its term ordinal there.
pub(crate) fn article_key(segment: SegmentOrdinal, ord: u64) -> u64 {
    (u64::from(segment) << 40) | (ord & ((1 << 40) - 1))
}

pub(crate) struct Rows {
    pub scoring: bool,
}

/// A match with its speaker as a term ordinal, named at harvest.
struct OrdRow {
    score: Score,
    doc: DocId,
    speaker: Option<u64>,
    article: Option<u64>,
    date: Option<DateTime>,
}

pub(crate) struct RowsSegment {
    segment: SegmentOrdinal,
    speaker: Option<StrColumn>,
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
            speaker: ff.str("speaker")?,
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
            speaker: first(self.speaker.as_ref()),
            article: first(self.article.as_ref()),
            date: self.date.first(doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
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
                speaker: r.speaker.and_then(|o| speakers.get(&o).cloned()),
                article: r.article.map(|o| article_key(segment, o)),
                date: r.date,
            })
            .collect()
    }
}
