//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "c360",
    version,
    about = "c360: customer master-data hub (golden records over gRPC)"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes; they override the config file and environment.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Config file (default: config/c360.toml when it exists).
    #[arg(long, global = true, env = "C360_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to serve on (default 127.0.0.1:50051).
    #[arg(long, global = true)]
    pub listen: Option<String>,
    /// Database URL: sqlite://data/c360.db (default) or postgres://user@host/db.
    #[arg(long, global = true)]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gRPC server.
    Serve,
    /// Sync the bundled demo exports (Stripe, Mailchimp, a spreadsheet, Zendesk,
    /// Delighted; realistic duplicates) through the connectors, then serve.
    Demo,
    /// Sync the sources declared in the config ([[sources]]) through their
    /// connectors; resumes interrupted runs; `--errors` lists quarantined rows.
    Sync(SyncArgs),
    /// Ingest a JSON Lines file of source records and activities.
    Ingest(IngestArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Measure ingest, profile-read and matching throughput on this machine.
    Bench(BenchArgs),
    /// Train the match model (`c360 match train`) or re-resolve every record
    /// (`c360 match --full`).
    Match(MatchArgs),
    /// Score the stored golden records against ground truth.
    Eval(EvalArgs),
    /// Customer-base model: `c360 lifecycle fit` fits BG/NBD and
    /// Gamma-Gamma on a transaction file.
    Lifecycle(LifecycleArgs),
    /// Lifecycle metrics of the stored customers: `--recompute` refits the
    /// customer-base model and recomputes every customer; otherwise prints
    /// the portfolio metrics (or one customer's with `--customer`) as JSON.
    Metrics(MetricsArgs),
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Refit the model and recompute every customer's metrics, stage
    /// history and segments.
    #[arg(long)]
    pub recompute: bool,
    /// Print this golden record's metrics instead of the portfolio's.
    #[arg(long)]
    pub customer: Option<String>,
    /// The end of the period (or the customer's as-of date), YYYY-MM-DD;
    /// default now.
    #[arg(long)]
    pub as_of: Option<chrono::NaiveDate>,
    /// The portfolio period: day, week, month, quarter, year or e.g. 30d.
    #[arg(long, default_value = "month")]
    pub period: String,
}

#[derive(Debug, Args)]
pub struct LifecycleArgs {
    #[command(subcommand)]
    pub action: LifecycleAction,
}

#[derive(Debug, Subcommand)]
pub enum LifecycleAction {
    /// Fit BG/NBD (purchases and drop-out) and Gamma-Gamma (spend) on a
    /// transaction file; the last line printed is the parameters as JSON.
    Fit(LifecycleFitArgs),
}

#[derive(Debug, Args)]
pub struct LifecycleFitArgs {
    /// The transaction file.
    #[arg(long)]
    pub transactions: PathBuf,
    /// `csv`: a header line with `customer`, `date` (YYYY-MM-DD) and
    /// `amount` columns in any order; `cdnow`: the CDNOW purchase log
    /// (`customer index YYYYMMDD cds dollars`, whitespace-separated).
    #[arg(long, value_enum, default_value_t = TransactionFormat::Csv)]
    pub format: TransactionFormat,
    /// Last day of the calibration period (YYYY-MM-DD, inclusive): later
    /// transactions are left out, customers are watched until this day.
    #[arg(long)]
    pub calibration_end: chrono::NaiveDate,
    /// The model's time unit in days (7: weeks, as in the literature).
    #[arg(long, default_value_t = 7.0)]
    pub period_days: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TransactionFormat {
    Csv,
    Cdnow,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// `train`: fit a model on the stored records and make it current.
    pub action: Option<String>,
    /// Re-resolve every stored record with the current model.
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// CSV with `external_id` (or `rec_id`) and `entity` columns, or FEBRL
    /// ids (`rec-<entity>-org`) alone.
    #[arg(long)]
    pub truth: PathBuf,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Declared source names (default: every declared source).
    pub sources: Vec<String>,
    /// List quarantined rows (of the named sources) instead of syncing.
    #[arg(long)]
    pub errors: bool,
    /// With --errors: how many rows to list, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// List the connector kinds a source may declare.
    #[arg(long)]
    pub kinds: bool,
    /// Ask a running server (e.g. http://127.0.0.1:50051) to run the sync
    /// (RunSync) instead of writing to the database directly.
    #[arg(long)]
    pub server: Option<String>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// The JSON Lines file (`-` for standard input).
    pub file: PathBuf,
    /// Send to a running server (e.g. http://127.0.0.1:50051) instead of
    /// writing to the database directly.
    #[arg(long)]
    pub server: Option<String>,
    /// Records per batch.
    #[arg(long, default_value_t = 1000)]
    pub batch_size: usize,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// What to measure: ingest, profile, all (both), match, sync,
    /// lifecycle or steward (`--records` open review tasks).
    #[arg(default_value = "all")]
    pub target: String,
    /// For `match`: febrl3, febrl4 or people.
    #[arg(long, default_value = "febrl3")]
    pub dataset: String,
    /// For `match`: the FEBRL folder (default ../shared/datasets/febrl/) or,
    /// for `people`, the CSV file from gen_people.py.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// For `match`: print this many false links and missed pairs, explained.
    #[arg(long, default_value_t = 0)]
    pub show_errors: usize,
    /// For `match`: after the batch run, also time real-time matching of
    /// this many records, one at a time, against all the others.
    #[arg(long, default_value_t = 0)]
    pub realtime: usize,
    /// Source records to ingest.
    #[arg(long, default_value_t = 100_000)]
    pub records: usize,
    /// For `sync`: rows of the generated customer CSV (parse + map).
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// For `sync`: rows of the generated XLSX (0: skip).
    #[arg(long, default_value_t = 100_000)]
    pub xlsx_rows: usize,
    /// For `sync`: rows synced end to end into SQLite (0: skip).
    #[arg(long, default_value_t = 1_000_000)]
    pub sync_rows: usize,
    /// For `lifecycle`: customers generated in memory.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: usize,
    /// For `lifecycle`: activities generated in memory, in total (about).
    #[arg(long, default_value_t = 10_000_000)]
    pub activities: usize,
    /// For `lifecycle`: customers (ten activities each) ingested into SQLite
    /// to time incremental metrics and reads of one customer's stored
    /// metrics (0: skip).
    #[arg(long, default_value_t = 20_000)]
    pub stored_customers: usize,
    /// Records per UpsertSourceRecords call.
    #[arg(long, default_value_t = 1000)]
    pub batch_size: usize,
    /// Concurrent ingest clients (each sends whole batches; the hub matches
    /// one batch at a time and normalizes the next meanwhile).
    #[arg(long, default_value_t = 2)]
    pub ingest_clients: usize,
    /// Concurrent GetProfile clients.
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// GetProfile calls in total.
    #[arg(long, default_value_t = 200_000)]
    pub requests: usize,
}
