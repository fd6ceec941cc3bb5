//! One learned model: a linear scorer over hashed sparse features, and its file
//! format. The file is a short text header (magic line, name, feature-set hash,
//! table size, a line on how it was trained), a blank line, then the nonzero
//! weights as little-endian `(u32 slot, f32 weight)` pairs in slot order, so the
//! same weights always give the same bytes.
//!
//! Known limits: collisions in the hashed table are not detected (two features that
//! share a slot share a weight); with a few hundred thousand features in 2^20 slots
//! that costs nothing measurable.

use anyhow::{bail, Context, Result};

use super::features::Feats;

/// The first line of every model file; bump the number when the layout changes.
pub const MAGIC: &str = "whosaid-model 1";

/// A trained linear scorer.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// What it predicts ("speaker", "cue", ...): the file's stem.
    pub name: String,
    /// Hash of the feature templates the weights were trained on; a model whose
    /// hash differs from the code's is refused rather than misread.
    pub features: u64,
    /// Table size as a power of two.
    pub bits: u32,
    /// One line on data, epochs and seed, for `data/models/README.md` and `--help`.
    pub about: String,
    /// `1 << bits` weights.
    weights: Vec<f32>,
}

impl Model {
    /// A model from a weight table, as training makes it.
    pub fn new(name: &str, features: u64, bits: u32, about: &str, weights: Vec<f32>) -> Model {
        debug_assert_eq!(weights.len(), 1 << bits);
        Model { name: name.to_string(), features, bits, about: about.replace('\n', " "), weights }
    }

    /// The score of a feature vector: the sum of its features' weights.
    #[inline]
    pub fn score(&self, feats: &Feats) -> f32 {
        let mask = (1u64 << self.bits) - 1;
        feats.hashes().iter().map(|&h| self.weights[(h & mask) as usize]).sum()
    }

    /// Number of nonzero weights.
    pub fn nonzero(&self) -> usize {
        self.weights.iter().filter(|w| **w != 0.0).count()
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "{MAGIC}\nname: {}\nfeatures: {:016x}\nbits: {}\nabout: {}\n\n",
            self.name, self.features, self.bits, self.about
        )
        .into_bytes();
        let nonzero: Vec<(u32, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(i, w)| (i as u32, *w))
            .collect();
        out.extend_from_slice(&(nonzero.len() as u32).to_le_bytes());
        for (i, w) in nonzero {
            out.extend_from_slice(&i.to_le_bytes());
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Reads a model file; `features` is the code's feature-set hash, which the
    /// file must carry.
    pub fn parse(bytes: &[u8], features: u64) -> Result<Model> {
        let split = bytes
            .windows(2)
            .position(|w| w == b"\n\n")
            .context("no blank line after the header")?;
        let header = std::str::from_utf8(&bytes[..split]).context("header is not UTF-8")?;
        let mut lines = header.lines();
        if lines.next() != Some(MAGIC) {
            bail!("not a whosaid model of this version (first line is not {MAGIC:?})");
        }
        let (mut name, mut hash, mut bits, mut about) = (None, None, None, String::new());
        for line in lines {
            let (key, value) = line.split_once(": ").unwrap_or((line, ""));
            match key {
                "name" => name = Some(value.to_string()),
                "features" => hash = u64::from_str_radix(value, 16).ok(),
                "bits" => bits = value.parse::<u32>().ok().filter(|b| (8..=26).contains(b)),
                "about" => about = value.to_string(),
                _ => {}
            }
        }
        let name = name.context("no name line")?;
        let bits = bits.context("no valid bits line (8 to 26)")?;
        let hash = hash.context("no features line")?;
        if hash != features {
            bail!("model {name} was trained on features {hash:016x}, the code has {features:016x}: run scripts/train");
        }
        let body = &bytes[split + 2..];
        let count = body.get(..4).context("no weight count")?;
        let count = u32::from_le_bytes([count[0], count[1], count[2], count[3]]) as usize;
        let pairs = &body[4..];
        if pairs.len() != count * 8 {
            bail!("model {name}: {count} weights announced, {} bytes follow", pairs.len());
        }
        let mut weights = vec![0f32; 1 << bits];
        for p in pairs.chunks_exact(8) {
            let slot = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) as usize;
            let w = f32::from_le_bytes([p[4], p[5], p[6], p[7]]);
            *weights
                .get_mut(slot)
                .with_context(|| format!("model {name}: slot {slot} out of range"))? = w;
        }
        Ok(Model { name, features, bits, about, weights })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_scores_agree() {
        let mut w = vec![0f32; 1 << 8];
        w[3] = 1.5;
        w[200] = -0.25;
        let m = Model::new("test", 42, 8, "unit test", w);
        let bytes = m.to_bytes();
        let back = Model::parse(&bytes, 42).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(m.nonzero(), 2);
    }

    #[test]
    fn a_model_of_other_features_or_damaged_bytes_is_refused() {
        let m = Model::new("test", 42, 8, "", vec![0f32; 1 << 8]);
        let bytes = m.to_bytes();
        assert!(Model::parse(&bytes, 43).unwrap_err().to_string().contains("scripts/train"));
        assert!(Model::parse(&bytes[..bytes.len() - 1], 42).is_err());
        assert!(Model::parse(b"", 42).is_err());
        assert!(Model::parse(b"whosaid-model 9\n\n", 42).is_err());
    }
}
