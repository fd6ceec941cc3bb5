//! Hashed sparse features: each feature is a template name and a value, hashed with
//! FNV-1a to a 64-bit key without building a string. A model takes the low bits of
//! the key as its table slot.
//!
//! Known limits: values are hashed as given (callers lower-case words themselves);
//! a numeric value is bucketed by the caller when exact counts would overfit.

use crate::fnv::Fnv1a;

/// The features of one decision (one candidate).
#[derive(Debug, Clone, Default)]
pub struct Feats {
    hashes: Vec<u64>,
}

/// A unit separator between the parts of a feature, so ("ab", "c") and ("a", "bc")
/// hash apart.
const SEP: u8 = 0x1f;

impl Feats {
    pub fn new() -> Feats {
        Feats { hashes: Vec::with_capacity(64) }
    }

    pub fn clear(&mut self) {
        self.hashes.clear();
    }

    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// A feature that is on or off: the template alone.
    pub fn flag(&mut self, template: &str) {
        self.hashes.push(Fnv1a::hash(template.as_bytes()));
    }

    /// `template=value`.
    pub fn add(&mut self, template: &str, value: &str) {
        let mut h = Fnv1a::new();
        h.feed(template.as_bytes());
        h.feed(&[SEP]);
        h.feed(value.as_bytes());
        self.hashes.push(h.0);
    }

    /// `template=a|b`: a conjunction of two values.
    pub fn add2(&mut self, template: &str, a: &str, b: &str) {
        let mut h = Fnv1a::new();
        h.feed(template.as_bytes());
        h.feed(&[SEP]);
        h.feed(a.as_bytes());
        h.feed(&[SEP]);
        h.feed(b.as_bytes());
        self.hashes.push(h.0);
    }

    /// `template=n` for a small number (a bucket, a count).
    pub fn num(&mut self, template: &str, n: i64) {
        let mut h = Fnv1a::new();
        h.feed(template.as_bytes());
        h.feed(&[SEP, b'#']);
        h.feed(&n.to_le_bytes());
        self.hashes.push(h.0);
    }

    /// Every feature added so far conjoined with `prefix=value`, appended: one
    /// feature set per value of `prefix` (for example, per kind of statement).
    pub fn conjoin_all(&mut self, prefix: &str, value: &str) {
        let mut h = Fnv1a::new();
        h.feed(prefix.as_bytes());
        h.feed(&[SEP]);
        h.feed(value.as_bytes());
        let salt = h.0;
        let n = self.hashes.len();
        for i in 0..n {
            let mut x = Fnv1a(self.hashes[i] ^ salt);
            x.feed(&[SEP]);
            self.hashes.push(x.0);
        }
    }
}

/// A distance in tokens or sentences as a small bucket: exact up to 3, then
/// 4-5, 6-10, 11-20, more.
pub fn bucket(n: usize) -> i64 {
    match n {
        0..=3 => n as i64,
        4..=5 => 4,
        6..=10 => 6,
        11..=20 => 11,
        _ => 21,
    }
}

/// Feature-template source as [`version`] hashes it: without `use` items and without
/// whitespace, so that moving a module (its import paths) or reformatting the code
/// does not orphan the trained models, while any change to the code itself does.
pub fn code_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while !rest.is_empty() {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..line_end];
        let item = line.trim_start().strip_prefix("pub ").unwrap_or(line.trim_start());
        if item.starts_with("use ") {
            // A `use` item may span lines; it ends at its semicolon.
            let end = rest.find(';').map_or(rest.len(), |i| i + 1);
            rest = &rest[end..];
            continue;
        }
        out.extend(line.chars().filter(|c| !c.is_whitespace()));
        rest = &rest[line_end..];
    }
    out
}

/// A hash of feature-template source text: a model records the hash of the
/// templates it was trained with, and the code refuses a model whose hash differs.
pub fn version(parts: &[&str]) -> u64 {
    let mut h = Fnv1a::new();
    for p in parts {
        h.feed(p.as_bytes());
        h.feed(&[SEP]);
    }
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_text_ignores_imports_and_layout_only() {
        let a = "use crate::a::{b,\n    c};\nfn f(x: u8) -> u8 {\n    x + 1\n}\n";
        let b = "use crate::z::{b, c};\n\nfn f(x: u8) -> u8 { x + 1 }\n";
        assert_eq!(code_text(a), code_text(b));
        assert_eq!(code_text(a), "fnf(x:u8)->u8{x+1}");
        assert_ne!(code_text(a), code_text("fn f(x: u8) -> u8 { x + 2 }"));
    }

    #[test]
    fn parts_hash_apart_and_repeat_exactly() {
        let mut f = Feats::new();
        f.add("w", "ab");
        f.add2("w", "a", "b");
        f.add("wa", "b");
        f.add("w", "ab");
        let h = f.hashes();
        assert_ne!(h[0], h[1]);
        assert_ne!(h[0], h[2]);
        assert_eq!(h[0], h[3]);
        f.conjoin_all("kind", "direct");
        assert_eq!(f.len(), 8);
        assert!(!f.hashes()[..4].contains(&f.hashes()[4]));
    }

    #[test]
    fn buckets() {
        let b: Vec<i64> = [0, 3, 4, 5, 6, 10, 11, 20, 21, 500].iter().map(|&n| bucket(n)).collect();
        assert_eq!(b, [0, 3, 4, 4, 6, 6, 11, 11, 21, 21]);
    }
}
