//! Progress of long-running hub jobs (full re-match, training), reported
//! phase by phase so that a terminal can draw a bar and a service can stream
//! it, without the hub knowing which.

/// Receives progress: a job runs phases one after another; each phase has a
/// known amount of work (`total > 0`) or an unknown one (`total == 0`).
pub trait Progress: Send + Sync {
    /// A new phase starts; the previous one is over.
    fn phase(&self, name: &str, total: u64);
    /// `done` more units of the current phase are finished.
    fn advance(&self, done: u64);
    /// The job is over.
    fn finish(&self) {}
}

/// Progress nobody watches.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _name: &str, _total: u64) {}
    fn advance(&self, _done: u64) {}
}

/// Pairs are compared and scored in chunks of this many, so that progress
/// moves while both cores stay busy inside each chunk.
pub(crate) const PAIR_CHUNK: usize = 1 << 18;
