//! A collector that reads speaker, article and date of every match from fast fields,
//! for aggregations (`who`, `stats`) that need all matches rather than a top page.
//!
//! Known limits: one small allocation per match (a copy of a cached name); fine for
//! millions of matches, not meant for hundreds of millions of documents.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub score: Score,
    pub addr: DocAddress,
    pub speaker: Option<String>,
    pub article: Option<String>,
    pub date: Option<DateTime>,
}

pub(crate) struct Rows {
    pub scoring: bool,
}

pub(crate) struct RowsSegment {
    segment: SegmentOrdinal,
    speaker: Option<StrColumn>,
    article: Option<StrColumn>,
    date: Column<DateTime>,
    rows: Vec<Row>,
    // Looking a term ordinal up decodes a dictionary block; a common word at 1M
    // articles matches the same speakers and articles thousands of times.
    speakers: HashMap<u64, Option<String>>,
    articles: HashMap<u64, Option<String>>,
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
            speakers: HashMap::new(),
            articles: HashMap::new(),
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
        self.rows.push(Row {
            score,
            addr: DocAddress::new(self.segment, doc),
            speaker: first_str(self.speaker.as_ref(), &mut self.speakers, doc),
            article: first_str(self.article.as_ref(), &mut self.articles, doc),
            date: self.date.first(doc),
        });
    }

    fn harvest(self) -> Vec<Row> {
        self.rows
    }
}

fn first_str(column: Option<&StrColumn>, cache: &mut HashMap<u64, Option<String>>, doc: DocId) -> Option<String> {
    let column = column?;
    let ord = column.term_ords(doc).next()?;
    cache
        .entry(ord)
        .or_insert_with(|| {
            let mut out = String::new();
            match column.ord_to_str(ord, &mut out) {
                Ok(true) => Some(out),
                _ => None,
            }
        })
        .clone()
}
