//! The c360 matching engine: which records are the same customer.
//!
//! A pure library (no I/O, no async) so that batch and real-time matching can
//! be proven to agree without a database. The pipeline:
//!
//! 1. [`record`]: the fields the engine compares, already normalized by
//!    `c360-model`; [`prepared`] turns them into compact comparison-ready form
//!    (name skeletons, nickname ids, term frequencies).
//! 2. [`blocking`]: several key rules, evaluated as a union with a cap on block
//!    size, produce the candidate pairs.
//! 3. [`comparison`]: each field of a pair falls into a level (exact,
//!    Jaro-Winkler bands, nickname, transposed date, …).
//! 4. [`model`]: Fellegi–Sunter weights per level with term-frequency
//!    adjustment; [`train`] estimates u by random sampling and m and λ by
//!    expectation-maximisation, with no labels.
//! 5. [`decision`] and [`cluster`]: link / review / no link by thresholds, then
//!    clustering that honours never-match constraints and refuses weak chains.
//! 6. [`batch`] runs it all over a data set in parallel; [`incremental`] runs
//!    the same steps one record at a time against an index, with the same result.
//! 7. [`eval`]: pairwise and B-cubed scores against ground truth.

pub mod batch;
pub mod blocking;
pub mod cluster;
pub mod comparison;
pub mod decision;
pub mod error;
pub mod eval;
pub mod explain;
pub mod household;
pub mod incremental;
pub mod model;
pub mod names;
pub mod nicknames;
pub mod prepared;
pub mod record;
pub mod similarity;
pub mod train;

pub use blocking::{BlockingConfig, BlockingRule};
pub use cluster::{ClusterConfig, Constraints};
pub use comparison::{COMPARISONS, Comparison, ComparisonId, Levels};
pub use decision::{Decision, Thresholds};
pub use error::MatchError;
pub use explain::{Explanation, FieldExplanation};
pub use model::MatchModel;
pub use prepared::{PreparedRecord, Preparer};
pub use record::{DateParts, MatchRecord};
