//! Facet counts (speaker with its type, month, source, kind) from fast-field columns:
//! per match a few integer reads and an increment in an array indexed by term
//! ordinal (or day),
//! allocated at a segment's first match; names are read at the end, in one pass over
//! each dictionary, for the values counted only.
//!
//! Why not Tantivy's `FacetCollector`: its harvest walks every facet value under each
//! requested root in every segment (all speakers, all days), so even a query with
//! three matches paid for the whole speaker list — milliseconds on 100,000 statements,
//! more at millions.
//!
//! A speaker is counted with its statement's type (see [`crate::index::speaker_key`]): the
//! array has a slot per speaker term and type, four per term.
//!
//! Known limits: one value per statement and field (the first), which is what the
//! writer stores; months are computed from the `date` column in UTC; each segment's
//! arrays are as long as its dictionaries, four times that for speakers (a few
//! hundred KB at a million articles), allocated per query.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::statement::SpeakerType;

/// Counts by value for each facet, over all segments.
#[derive(Debug, Default, Clone)]
pub(crate) struct ColumnCounts {
    /// By stored speaker name and statement type.
    pub speaker: HashMap<(String, Option<SpeakerType>), u64>,
    pub source: HashMap<String, u64>,
    pub kind: HashMap<String, u64>,
    /// `YYYY-MM`.
    pub month: HashMap<String, u64>,
}

pub(crate) struct FacetColumns;

pub(crate) struct FacetColumnsSegment {
    speaker: Option<StrColumn>,
    speaker_type: Option<StrColumn>,
    /// The [`TYPE_SLOTS`] slot of each `speaker_type` term ordinal.
    type_slots: Vec<usize>,
    source: Option<StrColumn>,
    kind: Option<StrColumn>,
    date: Column<DateTime>,
    // Indexed by term ordinal (strings) or by days since the first day of the
    // segment's date column: a hash map per match cost more than the column reads
    // (a third of a facet query over 200,000 matches). Speakers by
    // `ord * TYPE_SLOTS + type slot`.
    speakers: Counter,
    sources: Counter,
    kinds: Counter,
    first_day: i64,
    days: Counter,
}

/// Counts per index below a size known in advance: an array, allocated at the first
/// count (most segments of a large index hold no match of a rare phrase), and the
/// indexes counted so far, so that reading the counts does not scan the array.
struct Counter {
    size: usize,
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Counter {
    fn new(size: usize) -> Counter {
        Counter { size, counts: Vec::new(), touched: Vec::new() }
    }

    fn add(&mut self, i: usize) {
        if i >= self.size {
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; self.size];
        }
        if self.counts[i] == 0 {
            // Below `size`, which came from a u32 ordinal count or a day span.
            self.touched.push(i as u32);
        }
        self.counts[i] += 1;
    }

    /// Counts term ordinal `ord`.
    fn add_ord(&mut self, ord: u64) {
        self.add(usize::try_from(ord).unwrap_or(usize::MAX));
    }

    /// (index, count) of every index counted, in the order first counted.
    fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.touched.iter().map(|&i| (u64::from(i), u64::from(self.counts[i as usize])))
    }
}

/// Matches per batched column read (Tantivy's own block size).
const BLOCK: usize = 64;

/// A speaker's counter slots per name: no type, then each [`SpeakerType`].
const TYPE_SLOTS: usize = 4;
const SLOT_TYPES: [Option<SpeakerType>; TYPE_SLOTS] =
    [None, Some(SpeakerType::Person), Some(SpeakerType::Organization), Some(SpeakerType::Unnamed)];

/// The slot of each term of a segment's `speaker_type` column (a value this whosaid
/// does not know counts as no type).
fn type_slots(column: Option<&StrColumn>) -> tantivy::Result<Vec<usize>> {
    let Some(column) = column else { return Ok(Vec::new()) };
    let mut slots = Vec::with_capacity(column.num_terms());
    let mut stream = column.dictionary().stream()?;
    while stream.advance() {
        let ty =
            std::str::from_utf8(stream.key()).ok().and_then(crate::index::speaker_key::parse_type);
        slots.push(SLOT_TYPES.iter().position(|t| *t == ty).unwrap_or(0));
    }
    Ok(slots)
}

/// A counter per term of `column`.
fn counters(column: Option<&StrColumn>) -> Counter {
    Counter::new(column.map_or(0, |c| c.num_terms()))
}

fn day_of(date: DateTime) -> i64 {
    date.into_timestamp_secs().div_euclid(86_400)
}

impl Collector for FacetColumns {
    type Fruit = ColumnCounts;
    type Child = FacetColumnsSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetColumnsSegment> {
        let ff = reader.fast_fields();
        let (speaker, source, kind) = (ff.str("speaker")?, ff.str("source")?, ff.str("kind")?);
        let speaker_type = ff.str("speaker_type")?;
        let date = ff.date("date")?;
        // Days Tantivy can hold span about 213,000 (see writer::in_date_range), so
        // the array stays under a megabyte even for a column spanning all of them.
        let (first_day, last_day) = (day_of(date.min_value()), day_of(date.max_value()));
        let span = usize::try_from(last_day - first_day + 1).unwrap_or(0).min(1 << 20);
        Ok(FacetColumnsSegment {
            speakers: Counter::new(
                speaker
                    .as_ref()
                    .map_or(0, |c| c.num_terms())
                    .saturating_mul(TYPE_SLOTS)
                    .min(u32::MAX as usize),
            ),
            type_slots: type_slots(speaker_type.as_ref())?,
            speaker_type,
            sources: counters(source.as_ref()),
            kinds: counters(kind.as_ref()),
            speaker,
            source,
            kind,
            first_day,
            days: Counter::new(span),
            date,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ColumnCounts>) -> tantivy::Result<ColumnCounts> {
        let mut all = ColumnCounts::default();
        for fruit in fruits {
            for (key, count) in fruit.speaker {
                *all.speaker.entry(key).or_default() += count;
            }
            for (into, from) in [
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

fn count_ord(column: Option<&StrColumn>, counts: &mut Counter, doc: DocId) {
    if let Some(ord) = column.and_then(|c| c.term_ords(doc).next()) {
        counts.add_ord(ord);
    }
}

/// The strings of `ords` in `column`, read in one pass over the dictionary.
///
/// Looking each ordinal up alone (`ord_to_str`) decompresses its dictionary block
/// anew: with every speaker of a large index in the counts (a query for everything),
/// that was 30,000 zstd contexts and two seconds; sorted, each block is read once.
pub(crate) fn ord_names(
    column: &StrColumn,
    ords: impl IntoIterator<Item = u64>,
) -> HashMap<u64, String> {
    let ords: Vec<u64> =
        ords.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let mut names = Vec::with_capacity(ords.len());
    // An unreadable dictionary leaves the values out, as a failed lookup did before.
    let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        names.push(String::from_utf8_lossy(bytes).into_owned())
    });
    ords.into_iter().zip(names).collect()
}

/// Ordinal counts to value counts.
fn names(column: Option<&StrColumn>, counts: &Counter) -> HashMap<String, u64> {
    let Some(column) = column else { return HashMap::new() };
    let names = ord_names(column, counts.iter().map(|(ord, _)| ord));
    let mut out = HashMap::with_capacity(names.len());
    for (ord, count) in counts.iter() {
        if let Some(name) = names.get(&ord) {
            *out.entry(name.clone()).or_default() += count;
        }
    }
    out
}

/// Speaker and type ordinal counts to counts by (name, type).
fn speaker_names(
    column: Option<&StrColumn>,
    counts: &Counter,
) -> HashMap<(String, Option<SpeakerType>), u64> {
    let Some(column) = column else { return HashMap::new() };
    let slots = TYPE_SLOTS as u64;
    let names = ord_names(column, counts.iter().map(|(i, _)| i / slots));
    let mut out = HashMap::with_capacity(names.len());
    for (i, count) in counts.iter() {
        if let Some(name) = names.get(&(i / slots)) {
            let ty = SLOT_TYPES[(i % slots) as usize];
            *out.entry((name.clone(), ty)).or_default() += count;
        }
    }
    out
}

/// Counts the first value of `column` for each of `docs` into `counts`.
fn count_ords_block(
    column: Option<&StrColumn>,
    counts: &mut Counter,
    docs: &[DocId],
    buf: &mut [Option<u64>],
) {
    let Some(column) = column else { return };
    let buf = &mut buf[..docs.len()];
    column.ords().first_vals(docs, buf);
    for &ord in buf.iter().flatten() {
        counts.add_ord(ord);
    }
}

impl FacetColumnsSegment {
    /// Counts speaker ordinal `speaker` with the type of `speaker_type` ordinal `ty`.
    fn count_speaker(&mut self, speaker: u64, ty: Option<u64>) {
        let slot =
            ty.and_then(|t| self.type_slots.get(usize::try_from(t).ok()?)).copied().unwrap_or(0);
        let at = usize::try_from(speaker)
            .ok()
            .and_then(|s| s.checked_mul(TYPE_SLOTS)?.checked_add(slot));
        self.speakers.add(at.unwrap_or(usize::MAX));
    }

    fn count_day(&mut self, date: DateTime) {
        self.days.add(usize::try_from(day_of(date) - self.first_day).unwrap_or(usize::MAX));
    }
}

impl SegmentCollector for FacetColumnsSegment {
    type Fruit = ColumnCounts;

    /// The unscored path: one batched read per column for up to 64 matches, instead
    /// of four reads per match.
    fn collect_block(&mut self, docs: &[DocId]) {
        for chunk in docs.chunks(BLOCK) {
            let mut ords = [None; BLOCK];
            if let Some(speaker) = &self.speaker {
                let mut types = [None; BLOCK];
                speaker.ords().first_vals(chunk, &mut ords[..chunk.len()]);
                if let Some(ty) = &self.speaker_type {
                    ty.ords().first_vals(chunk, &mut types[..chunk.len()]);
                }
                for (ord, ty) in ords.into_iter().zip(types).take(chunk.len()) {
                    if let Some(ord) = ord {
                        self.count_speaker(ord, ty);
                    }
                }
            }
            count_ords_block(self.source.as_ref(), &mut self.sources, chunk, &mut ords);
            count_ords_block(self.kind.as_ref(), &mut self.kinds, chunk, &mut ords);
            let mut dates = [None; BLOCK];
            let dates = &mut dates[..chunk.len()];
            self.date.first_vals(chunk, dates);
            for &date in dates.iter().flatten() {
                self.count_day(date);
            }
        }
    }

    fn collect(&mut self, doc: DocId, _: Score) {
        let first = |column: Option<&StrColumn>| column.and_then(|c| c.term_ords(doc).next());
        if let Some(ord) = first(self.speaker.as_ref()) {
            let ty = first(self.speaker_type.as_ref());
            self.count_speaker(ord, ty);
        }
        count_ord(self.source.as_ref(), &mut self.sources, doc);
        count_ord(self.kind.as_ref(), &mut self.kinds, doc);
        if let Some(date) = self.date.first(doc) {
            self.count_day(date);
        }
    }

    fn harvest(self) -> ColumnCounts {
        let mut month: HashMap<String, u64> = HashMap::new();
        for (offset, count) in self.days.iter() {
            let day = self.first_day + offset as i64;
            let ts = jiff::Timestamp::from_second(day * 86_400).ok();
            if let Some(ts) = ts {
                let d = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
                *month.entry(format!("{:04}-{:02}", d.year(), d.month())).or_default() += count;
            }
        }
        ColumnCounts {
            speaker: speaker_names(self.speaker.as_ref(), &self.speakers),
            source: names(self.source.as_ref(), &self.sources),
            kind: names(self.kind.as_ref(), &self.kinds),
            month,
        }
    }
}
