//! The two kinds of range the passes pass around, kept apart by type: [`TokSpan`],
//! token indices into a [`Doc`](crate::extract::doc::Doc)'s tokens, and [`ByteSpan`], byte offsets into the
//! article body. Both are half-open (`start..end`). Turning one into the other
//! needs the tokens: [`Doc::bytes`](crate::extract::doc::Doc::bytes), [`Doc::slice`](crate::extract::doc::Doc::slice) and [`Doc::toks_within`](crate::extract::doc::Doc::toks_within).
//!
//! Ranges whose end is before their start are allowed (a window can come out
//! empty that way) and count as empty.

/// Tokens `start..end` of a [`Doc`](crate::extract::doc::Doc).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokSpan {
    pub start: usize,
    pub end: usize,
}

/// Bytes `start..end` of an article body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ByteSpan {
    pub start: usize,
    pub end: usize,
}

macro_rules! span_methods {
    ($t:ident) => {
        impl $t {
            pub const fn new(start: usize, end: usize) -> $t {
                $t { start, end }
            }

            /// How many tokens (or bytes) it holds; 0 when `end <= start`.
            pub const fn len(self) -> usize {
                self.end.saturating_sub(self.start)
            }

            pub const fn is_empty(self) -> bool {
                self.end <= self.start
            }

            /// Is index `i` inside?
            pub const fn contains(self, i: usize) -> bool {
                self.start <= i && i < self.end
            }

            /// Does it hold all of `other` (`other.start >= start && other.end <= end`)?
            pub const fn covers(self, other: $t) -> bool {
                other.start >= self.start && other.end <= self.end
            }

            /// Do the two share an index (`a.start < b.end && b.start < a.end`)?
            pub const fn overlaps(self, other: $t) -> bool {
                self.start < other.end && other.start < self.end
            }

            /// The smallest span from the first start to the last end of the two.
            pub fn union(self, other: $t) -> $t {
                $t { start: self.start.min(other.start), end: self.end.max(other.end) }
            }

            /// `start..end`, to index or iterate with.
            pub const fn range(self) -> std::ops::Range<usize> {
                self.start..self.end
            }
        }
    };
}

span_methods!(TokSpan);
span_methods!(ByteSpan);

impl ByteSpan {
    /// `[start, end]`, the shape of the spans in a [`crate::statement::Statement`].
    pub const fn to_array(self) -> [usize; 2] {
        [self.start, self.end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::doc::Doc;

    #[test]
    fn length_emptiness_and_membership() {
        let t = TokSpan::new(2, 5);
        assert_eq!((t.len(), t.is_empty()), (3, false));
        assert!(t.contains(2) && t.contains(4) && !t.contains(5) && !t.contains(1));
        assert_eq!(t.range().collect::<Vec<_>>(), [2, 3, 4]);
        // An empty span, and one whose end comes before its start.
        assert!(TokSpan::new(3, 3).is_empty() && !TokSpan::new(3, 3).contains(3));
        assert_eq!((TokSpan::new(5, 2).len(), TokSpan::new(5, 2).is_empty()), (0, true));
        assert!(ByteSpan::default().is_empty());
        assert_eq!(ByteSpan::new(4, 9).len(), 5);
    }

    #[test]
    fn cover_overlap_and_union() {
        let a = ByteSpan::new(10, 20);
        assert!(a.covers(ByteSpan::new(10, 20)) && a.covers(ByteSpan::new(12, 15)));
        assert!(!a.covers(ByteSpan::new(9, 15)) && !a.covers(ByteSpan::new(15, 21)));
        assert!(a.overlaps(ByteSpan::new(19, 30)) && a.overlaps(ByteSpan::new(0, 11)));
        // Touching is not overlapping.
        assert!(!a.overlaps(ByteSpan::new(20, 30)) && !a.overlaps(ByteSpan::new(0, 10)));
        assert_eq!(TokSpan::new(4, 6).union(TokSpan::new(1, 5)), TokSpan::new(1, 6));
        assert_eq!(a.to_array(), [10, 20]);
    }

    #[test]
    fn order_is_by_start_then_end() {
        let mut v = vec![ByteSpan::new(3, 9), ByteSpan::new(1, 8), ByteSpan::new(3, 4)];
        v.sort();
        assert_eq!(v, [ByteSpan::new(1, 8), ByteSpan::new(3, 4), ByteSpan::new(3, 9)]);
    }

    #[test]
    fn tokens_to_bytes_and_back() {
        let text = "Ann Lee said “no.”";
        let doc = Doc::new(text);
        let words = TokSpan::new(0, 2);
        assert_eq!(doc.bytes(words), ByteSpan::new(0, 7));
        assert_eq!(doc.slice(words), "Ann Lee");
        assert_eq!(doc.text_of(doc.bytes(words)), "Ann Lee");
        assert_eq!(doc.toks_within(ByteSpan::new(0, 7)), words);
        // Tokens partly outside the bytes are left out.
        assert_eq!(doc.toks_within(ByteSpan::new(1, 12)), TokSpan::new(1, 3));
        let all = TokSpan::new(0, doc.toks.len());
        assert_eq!(doc.bytes(all), ByteSpan::new(0, text.len()));
        assert_eq!(doc.toks_within(doc.bytes(all)), all);
    }
}
