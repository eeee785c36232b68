//! A terminal progress bar for hub jobs: one bar, re-labelled for each
//! phase; a spinner when a phase's size is unknown. Draws to stderr and
//! only when stderr is a terminal, so logs and CI output stay clean.

use std::time::Duration;

use c360_hub::Progress;
use indicatif::{ProgressBar, ProgressStyle};

pub struct TerminalProgress {
    bar: ProgressBar,
}

impl TerminalProgress {
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }
}

fn counted_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {msg:<48} [{bar:32}] {human_pos}/{human_len} ({per_sec}, eta {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ")
}

fn open_ended_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:<48} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Progress for TerminalProgress {
    fn phase(&self, name: &str, total: u64) {
        self.bar.reset();
        if total > 0 {
            self.bar.set_style(counted_style());
            self.bar.set_length(total);
        } else {
            self.bar.set_style(open_ended_style());
        }
        self.bar.set_message(name.to_owned());
    }

    fn advance(&self, done: u64) {
        self.bar.inc(done);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
