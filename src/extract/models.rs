//! The learned models extraction runs, compiled into the binary from
//! `data/models/` (nothing is read or downloaded at run time). `scripts/train`
//! rebuilds those files from the PolNeAR training split.
//!
//! Each model is optional: a file that is empty (never trained) or that was
//! trained on other features than this code computes is left out, and the pass it
//! serves falls back to its rules. `WHOSAID_MODELS` chooses models for
//! experiments: `none` (rules only), or names to leave out, `-speaker,-coref`;
//! the models' fingerprint, which the index records, says which ran.
//!
//! Known limits: a model left out for a stale feature hash is reported by
//! [`Models::problems`], not refused at build time.

use std::sync::OnceLock;

use super::detect::Lexicon;
use super::model_files::{CLUSTERS, COREF, CUE, CUE_WORDS, SPAN, SPEAKER};
use crate::fnv::Fnv1a;
use crate::learn::{Clusters, Model};

/// The model names, in the order the passes use them.
pub const NAMES: &[&str] = &["cue", "span", "speaker", "coref"];

/// The models one extraction runs with.
pub struct Models {
    /// Tells a cue word from another use (`detect`).
    pub cue: Option<Model>,
    /// Picks a new statement's content among candidate spans (`detect`).
    pub span: Option<Model>,
    /// The words `cue` looks at.
    pub lexicon: Option<Lexicon>,
    /// Picks each statement's source mention (`attribution`).
    pub speaker: Option<Model>,
    /// Picks the referent of a speaker pronoun (`coref`).
    pub coref: Option<Model>,
    pub clusters: Option<Clusters>,
    /// Models that were left out for being damaged or stale.
    problems: Vec<String>,
    fingerprint: u64,
}

impl Models {
    /// No models: the rules alone.
    pub fn none() -> Models {
        Models {
            cue: None,
            span: None,
            lexicon: None,
            speaker: None,
            coref: None,
            clusters: None,
            problems: Vec::new(),
            fingerprint: 0,
        }
    }

    /// The compiled-in models, as `WHOSAID_MODELS` selects them.
    pub fn embedded() -> &'static Models {
        static MODELS: OnceLock<Models> = OnceLock::new();
        MODELS.get_or_init(|| {
            let choice = std::env::var("WHOSAID_MODELS").unwrap_or_default();
            let mut m = Models::none();
            if choice.trim() == "none" {
                return m;
            }
            let left_out: Vec<&str> =
                choice.split(',').filter_map(|s| s.trim().strip_prefix('-')).collect();
            let clusters = (!left_out.contains(&"clusters")).then(|| Clusters::parse(CLUSTERS));
            m.clusters = clusters.filter(|c| !c.is_empty());
            if !left_out.contains(&"cue") && !left_out.contains(&"span") {
                let features = super::detect::features_version(m.clusters.as_ref());
                m.cue = m.load(CUE, features);
                m.span = m.load(SPAN, features);
                if m.cue.is_none() || m.span.is_none() {
                    (m.cue, m.span) = (None, None);
                }
                m.lexicon = m.cue.as_ref().map(|_| Lexicon::new(CUE_WORDS));
            }
            if !left_out.contains(&"speaker") {
                m.speaker =
                    m.load(SPEAKER, super::attribution::features_version(m.clusters.as_ref()));
            }
            if !left_out.contains(&"coref") {
                m.coref = m.load(COREF, super::coref::features_version(m.clusters.as_ref()));
            }
            m.seal();
            m
        })
    }

    /// Models made in memory (training, cross-validation); `detect` is the cue
    /// model, the span model and the learned cue words.
    pub fn with(
        detect: Option<(Model, Model, String)>,
        speaker: Option<Model>,
        coref: Option<Model>,
        clusters: Option<Clusters>,
    ) -> Models {
        let (cue, span, lexicon) = match detect {
            Some((c, s, words)) => (Some(c), Some(s), Some(Lexicon::new(&words))),
            None => (None, None, None),
        };
        let mut m = Models {
            cue,
            span,
            lexicon,
            speaker,
            coref,
            clusters,
            problems: Vec::new(),
            fingerprint: 0,
        };
        m.seal();
        m
    }

    fn load(&mut self, bytes: &[u8], features: u64) -> Option<Model> {
        if bytes.is_empty() {
            return None;
        }
        match Model::parse(bytes, features) {
            Ok(model) => Some(model),
            Err(e) => {
                self.problems.push(format!("{e:#}; using rules instead"));
                None
            }
        }
    }

    /// Computes the fingerprint of the models present.
    fn seal(&mut self) {
        let mut h = Fnv1a::new();
        for (name, model) in [
            ("cue", &self.cue),
            ("span", &self.span),
            ("speaker", &self.speaker),
            ("coref", &self.coref),
        ] {
            h.feed(name.as_bytes());
            match model {
                Some(m) => h.feed(&m.to_bytes()),
                None => h.feed(b"-"),
            }
        }
        h.feed(if self.clusters.is_some() { CLUSTERS.as_bytes() } else { b"-" });
        h.feed(&self.lexicon.as_ref().map_or(0, |l| l.hash).to_le_bytes());
        self.fingerprint = h.0;
    }

    /// A hash of every model that runs (and which do not): statements found with
    /// other models may differ, so the index records it.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Why a model was left out, one line each.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}
