//! The files of `data/models/`, compiled into the binary: the learned models' weights,
//! the word clusters and the learned cue words. `models.rs` loads them; each pass's
//! feature version hashes the cluster table it was trained with.
//!
//! Known limits: a rebuilt file needs a rebuild of the binary (`cargo build`).

/// The word clusters every feature set may use.
pub const CLUSTERS: &str = include_str!("../../data/models/clusters.tsv");
pub const SPEAKER: &[u8] = include_bytes!("../../data/models/speaker.model");
pub const COREF: &[u8] = include_bytes!("../../data/models/coref.model");
pub const CUE: &[u8] = include_bytes!("../../data/models/cue.model");
pub const SPAN: &[u8] = include_bytes!("../../data/models/span.model");
/// Cue words of PolNeAR's training split, beside the rules' speech verbs.
pub const CUE_WORDS: &str = include_str!("../../data/models/cue-words.txt");
