//! A collector that reads speaker, article and date of every match from fast fields,
//! for aggregations (`who`, `stats`) that need all matches rather than a top page.
//!
//! Known limits: one small allocation per match (a copy of a name read once per
//! segment); fine for millions of matches, not meant for hundreds of millions of
//! documents.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facet_columns::ord_names;

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub score: Score,
    pub addr: DocAddress,
    pub speaker: Option<String>,
    pub article: Option<String>,
    pub date: Option<DateTime>,
    /// The `quote` column: see [`super::repeats::quote_hash`].
    pub quote: u64,
}

pub(crate) struct Rows {
    pub scoring: bool,
}

/// A match with its speaker and article as term ordinals, named at harvest.
struct OrdRow {
    score: Score,
    doc: DocId,
    speaker: Option<u64>,
    article: Option<u64>,
    date: Option<DateTime>,
    quote: u64,
}

pub(crate) struct RowsSegment {
    segment: SegmentOrdinal,
    speaker: Option<StrColumn>,
    article: Option<StrColumn>,
    date: Column<DateTime>,
    quote: Column<u64>,
    // Names are read at the end, each dictionary in one pass: a lookup per match (or
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
            quote: ff.u64("quote")?,
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
            quote: self.quote.first(doc).unwrap_or(0),
        });
    }

    fn harvest(self) -> Vec<Row> {
        let names = |column: Option<&StrColumn>, ords: Vec<Option<u64>>| match column {
            Some(c) => ord_names(c, ords.into_iter().flatten()),
            None => Default::default(),
        };
        let speakers = names(self.speaker.as_ref(), self.rows.iter().map(|r| r.speaker).collect());
        let articles = names(self.article.as_ref(), self.rows.iter().map(|r| r.article).collect());
        let segment = self.segment;
        self.rows
            .into_iter()
            .map(|r| Row {
                score: r.score,
                addr: DocAddress::new(segment, r.doc),
                speaker: r.speaker.and_then(|o| speakers.get(&o).cloned()),
                article: r.article.and_then(|o| articles.get(&o).cloned()),
                date: r.date,
                quote: r.quote,
            })
            .collect()
    }
}
