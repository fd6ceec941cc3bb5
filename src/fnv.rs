//! FNV-1a, 64 bits: the one hash whose values whosaid stores (statement ids, the
//! index's speaker and quotation keys, the speaker table's rules fingerprint), so it
//! must give the same value on every build and platform, which std's hasher does not.
//!
//! Known limits: not collision-resistant against chosen input; fine for the keys it
//! makes, which no one picks to collide.

/// A running FNV-1a hash: [`feed`](Fnv1a::feed) bytes, read the value from `.0`.
#[derive(Debug, Clone, Copy)]
pub struct Fnv1a(pub u64);

impl Fnv1a {
    /// The FNV offset basis, where every hash starts.
    pub const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub fn new() -> Fnv1a {
        Fnv1a(Fnv1a::OFFSET)
    }

    #[inline]
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(Fnv1a::PRIME);
        }
    }

    /// The hash of `bytes` alone.
    pub fn hash(bytes: &[u8]) -> u64 {
        let mut h = Fnv1a::new();
        h.feed(bytes);
        h.0
    }
}

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_vectors() {
        assert_eq!(Fnv1a::hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv1a::hash(b"foobar"), 0x8594_4171_f739_67e8);
        let mut parts = Fnv1a::new();
        parts.feed(b"foo");
        parts.feed(b"bar");
        assert_eq!(parts.0, Fnv1a::hash(b"foobar"));
    }
}
