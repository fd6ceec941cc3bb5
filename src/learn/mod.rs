//! Learned models, the part that does not know what they predict: hashed sparse
//! features ([`features`]), linear scorers and their file format ([`model`]), word
//! clusters ([`clusters`]), and the averaged perceptron that trains them
//! ([`perceptron`]). The extraction passes define the features and load the models
//! (`extract::models`); `train` fits them on PolNeAR.
//!
//! Known limits: linear models only; what they cannot express is left to the
//! features.

pub mod clusters;
pub mod features;
pub mod model;
pub mod perceptron;

pub use clusters::Clusters;
pub use features::Feats;
pub use model::Model;
