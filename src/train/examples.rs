//! The training example of the rankers: one decision's candidates (as feature
//! vectors) and which of them are right.
//!
//! Known limits: several candidates may be right (one speaker, several mentions).

use crate::learn::features::Feats;

/// One decision's candidates and which are right: a ranking example.
pub struct Group {
    pub cands: Vec<Feats>,
    pub gold: Vec<bool>,
    /// Whether the rules' own choice is among the right ones (for the report).
    pub rule_right: bool,
    /// Whether the decision is a statement's source (for the report).
    pub source: bool,
}
