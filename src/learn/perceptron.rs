//! Training: the averaged perceptron, for yes/no decisions and for picking one of
//! several candidates (ranking). Updates are whole numbers and the average is taken
//! once at the end, so a run is exact: the same examples in the same order give the
//! same weights, bit for bit.
//!
//! Known limits: no regularization beyond averaging; the caller shuffles the
//! examples (with a fixed seed) between epochs.

use super::features::Feats;
use super::model::Model;

/// Weights being trained, with the sums the average needs.
pub struct Perceptron {
    bits: u32,
    mask: u64,
    /// Current weights.
    w: Vec<i32>,
    /// Per slot, the sum over updates of (update step × change): the average is
    /// `w - u / steps`.
    u: Vec<i64>,
    /// Updates so far, counted per example seen.
    steps: i64,
}

impl Perceptron {
    pub fn new(bits: u32) -> Perceptron {
        Perceptron {
            bits,
            mask: (1u64 << bits) - 1,
            w: vec![0; 1 << bits],
            u: vec![0; 1 << bits],
            steps: 1,
        }
    }

    fn score(&self, f: &Feats) -> i64 {
        f.hashes().iter().map(|&h| i64::from(self.w[(h & self.mask) as usize])).sum()
    }

    fn update(&mut self, f: &Feats, delta: i32) {
        for &h in f.hashes() {
            let slot = (h & self.mask) as usize;
            self.w[slot] += delta;
            self.u[slot] += self.steps * i64::from(delta);
        }
    }

    /// One yes/no example: `yes` is the truth. Returns whether it was right before
    /// the update.
    pub fn learn_binary(&mut self, f: &Feats, yes: bool) -> bool {
        let s = self.score(f);
        let right = (s > 0) == yes;
        if !right {
            self.update(f, if yes { 1 } else { -1 });
        }
        self.steps += 1;
        right
    }

    /// One ranking example: `cands` are the candidates' features, `gold` says which
    /// are right (at least one). The best-scoring candidate is predicted; when it is
    /// wrong, the best-scoring right one is pulled up and the prediction pushed down.
    /// Returns whether the prediction was right.
    pub fn learn_rank(&mut self, cands: &[Feats], gold: &[bool]) -> bool {
        let scores: Vec<i64> = cands.iter().map(|f| self.score(f)).collect();
        // Ties go to the earlier candidate, as at prediction time.
        let best = argmax(&scores, |_| true);
        let best_gold = argmax(&scores, |i| gold[i]);
        let right = match (best, best_gold) {
            (Some(b), Some(g)) if !gold[b] => {
                self.update(&cands[g], 1);
                self.update(&cands[b], -1);
                false
            }
            _ => true,
        };
        self.steps += 1;
        right
    }

    /// The averaged weights as a model.
    pub fn finish(&self, name: &str, features: u64, about: &str) -> Model {
        let steps = self.steps as f64;
        let weights = self
            .w
            .iter()
            .zip(&self.u)
            .map(|(&w, &u)| (f64::from(w) - u as f64 / steps) as f32)
            .collect();
        Model::new(name, features, self.bits, about, weights)
    }
}

/// Index of the highest score among those `keep` allows; the first on ties.
pub fn argmax<T: PartialOrd + Copy>(scores: &[T], keep: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &s) in scores.iter().enumerate() {
        if keep(i) && best.is_none_or(|b| s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

/// A fixed-seed shuffle (xorshift64*), so training order is the same on every run.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        items.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feats(words: &[&str]) -> Feats {
        let mut f = Feats::new();
        f.flag("bias");
        for w in words {
            f.add("w", w);
        }
        f
    }

    #[test]
    fn learns_a_separable_yes_no_rule() {
        let data = [
            (feats(&["said"]), true),
            (feats(&["table"]), false),
            (feats(&["told"]), true),
            (feats(&["chair"]), false),
        ];
        let mut p = Perceptron::new(10);
        for _ in 0..5 {
            for (f, y) in &data {
                p.learn_binary(f, *y);
            }
        }
        let m = p.finish("t", 1, "");
        for (f, y) in &data {
            assert_eq!(m.score(f) > 0.0, *y);
        }
    }

    #[test]
    fn ranking_prefers_the_gold_candidate() {
        let groups = [
            (vec![feats(&["pronoun"]), feats(&["name"])], vec![false, true]),
            (vec![feats(&["name"]), feats(&["date"])], vec![true, false]),
        ];
        let mut p = Perceptron::new(10);
        for _ in 0..5 {
            for (c, g) in &groups {
                p.learn_rank(c, g);
            }
        }
        let m = p.finish("t", 1, "");
        for (c, g) in &groups {
            let s: Vec<f32> = c.iter().map(|f| m.score(f)).collect();
            assert!(g[argmax(&s, |_| true).unwrap()]);
        }
    }

    #[test]
    fn shuffle_is_fixed_by_its_seed() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        shuffle(&mut a, 7);
        shuffle(&mut b, 7);
        assert_eq!(a, b);
        assert_ne!(a, (0..20).collect::<Vec<u32>>());
    }
}
