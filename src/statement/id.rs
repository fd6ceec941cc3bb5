//! Statement ids: FNV-1a (64 bits) of the article id and the statement's span,
//! stable across runs, builds and platforms, as ids already indexed must be.
//!
//! Known limits: 64 bits; two statements colliding is unlikely below billions.

use super::json;
use crate::fnv::Fnv1a;

/// A stable id: FNV-1a (64 bits) of the article id and the span, in hex. Stable
/// across runs and versions, unlike the standard library's hasher.
pub fn statement_id(article: &str, start: usize, end: usize) -> String {
    StatementIds::new(article).id(start, end)
}

/// [`statement_id`] for the statements of one article: the article id, the long
/// part, is hashed once.
#[derive(Clone, Copy)]
pub struct StatementIds(Fnv1a);

impl StatementIds {
    pub fn new(article: &str) -> StatementIds {
        let mut h = StatementIds(Fnv1a::new());
        h.feed(article.as_bytes());
        h.feed(&[0]);
        h
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.0.feed(bytes);
    }

    fn feed_number(&mut self, n: usize) {
        self.feed(json::decimal(n, &mut [0u8; 20]));
    }

    pub fn id(mut self, start: usize, end: usize) -> String {
        self.feed_number(start);
        self.feed(b":");
        self.feed_number(end);
        format!("{:016x}", self.0 .0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_ids_are_stable() {
        assert_eq!(statement_id("a", 1, 2), statement_id("a", 1, 2));
        assert_ne!(statement_id("a", 1, 2), statement_id("a", 1, 3));
        // The value itself is stable: ids already indexed must not change.
        assert_eq!(statement_id("a", 10, 234), format!("{:016x}", fnv(b"a\x0010:234")));
        assert_eq!(
            statement_id("", 0, usize::MAX),
            format!("{:016x}", fnv(format!("\0{}:{}", 0, usize::MAX).as_bytes()))
        );
    }

    fn fnv(bytes: &[u8]) -> u64 {
        crate::fnv::Fnv1a::hash(bytes)
    }
}
