//! Facet counts (speaker, month, source, kind) from fast-field columns: per match a
//! few integer reads and a counter increment; names are read at the end, in one
//! pass over each dictionary.
//!
//! Why not Tantivy's `FacetCollector`: its harvest walks every facet value under each
//! requested root in every segment (all speakers, all days), so even a query with
//! three matches paid for the whole speaker list — milliseconds on 100,000 statements,
//! more at millions.
//!
//! Known limits: one value per statement and field (the first), which is what the
//! writer stores; months are computed from the `date` column in UTC.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts by value for each facet, over all segments.
#[derive(Debug, Default, Clone)]
pub(crate) struct ColumnCounts {
    pub speaker: HashMap<String, u64>,
    pub source: HashMap<String, u64>,
    pub kind: HashMap<String, u64>,
    /// `YYYY-MM`.
    pub month: HashMap<String, u64>,
}

pub(crate) struct FacetColumns;

pub(crate) struct FacetColumnsSegment {
    speaker: Option<StrColumn>,
    source: Option<StrColumn>,
    kind: Option<StrColumn>,
    date: Column<DateTime>,
    // Keyed by term ordinal (strings) or days since the epoch (dates).
    speakers: HashMap<u64, u64>,
    sources: HashMap<u64, u64>,
    kinds: HashMap<u64, u64>,
    days: HashMap<i64, u64>,
}

impl Collector for FacetColumns {
    type Fruit = ColumnCounts;
    type Child = FacetColumnsSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<FacetColumnsSegment> {
        let ff = reader.fast_fields();
        Ok(FacetColumnsSegment {
            speaker: ff.str("speaker")?,
            source: ff.str("source")?,
            kind: ff.str("kind")?,
            date: ff.date("date")?,
            speakers: HashMap::new(),
            sources: HashMap::new(),
            kinds: HashMap::new(),
            days: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ColumnCounts>) -> tantivy::Result<ColumnCounts> {
        let mut all = ColumnCounts::default();
        for fruit in fruits {
            for (into, from) in [
                (&mut all.speaker, fruit.speaker),
                (&mut all.source, fruit.source),
                (&mut all.kind, fruit.kind),
                (&mut all.month, fruit.month),
            ] {
                for (value, count) in from {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(all)
    }
}

fn count_ord(column: Option<&StrColumn>, counts: &mut HashMap<u64, u64>, doc: DocId) {
    if let Some(ord) = column.and_then(|c| c.term_ords(doc).next()) {
        *counts.entry(ord).or_default() += 1;
    }
}

/// The strings of `ords` in `column`, read in one pass over the dictionary.
///
/// Looking each ordinal up alone (`ord_to_str`) decompresses its dictionary block
/// anew: with every speaker of a large index in the counts (a query for everything),
/// that was 30,000 zstd contexts and two seconds; sorted, each block is read once.
pub(crate) fn ord_names(column: &StrColumn, ords: impl IntoIterator<Item = u64>) -> HashMap<u64, String> {
    let ords: Vec<u64> = ords.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut names = Vec::with_capacity(ords.len());
    // An unreadable dictionary leaves the values out, as a failed lookup did before.
    let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| names.push(String::from_utf8_lossy(bytes).into_owned()));
    ords.into_iter().zip(names).collect()
}

/// Ordinal counts to value counts.
fn names(column: Option<&StrColumn>, counts: HashMap<u64, u64>) -> HashMap<String, u64> {
    let Some(column) = column else { return HashMap::new() };
    let names = ord_names(column, counts.keys().copied());
    let mut out = HashMap::with_capacity(counts.len());
    for (ord, count) in counts {
        if let Some(name) = names.get(&ord) {
            *out.entry(name.clone()).or_default() += count;
        }
    }
    out
}

impl SegmentCollector for FacetColumnsSegment {
    type Fruit = ColumnCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        count_ord(self.speaker.as_ref(), &mut self.speakers, doc);
        count_ord(self.source.as_ref(), &mut self.sources, doc);
        count_ord(self.kind.as_ref(), &mut self.kinds, doc);
        if let Some(date) = self.date.first(doc) {
            let day = date.into_timestamp_secs().div_euclid(86_400);
            *self.days.entry(day).or_default() += 1;
        }
    }

    fn harvest(self) -> ColumnCounts {
        let mut month: HashMap<String, u64> = HashMap::new();
        for (day, count) in self.days {
            let ts = jiff::Timestamp::from_second(day * 86_400).ok();
            if let Some(ts) = ts {
                let d = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
                *month.entry(format!("{:04}-{:02}", d.year(), d.month())).or_default() += count;
            }
        }
        ColumnCounts {
            speaker: names(self.speaker.as_ref(), self.speakers),
            source: names(self.source.as_ref(), self.sources),
            kind: names(self.kind.as_ref(), self.kinds),
            month,
        }
    }
}
