//! `c360 bench match`: the matching engine on a labelled data set.
//!
//! Runs the batch pipeline phase by phase (prepare, blocking, comparing,
//! training, scoring, clustering), printing each phase's time and peak memory
//! and the blocking report, then the accuracy against the truth in the
//! record ids, and ends with one JSON line. With `C360_SHOW_MODEL` set it
//! also prints the trained m/u and weight of every comparison level.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use c360_match::batch::Engine;
use c360_match::blocking::unpack;
use c360_match::{Constraints, MatchModel};
use serde_json::json;

use super::datasets::{Dataset, read_people};
use crate::settings::Settings;

/// Which data set and where.
#[derive(Debug, Clone)]
pub struct MatchBenchArgs {
    pub dataset: String,
    pub data: Option<PathBuf>,
    pub show_errors: usize,
    /// Records to match one at a time after the batch run (0: none).
    pub realtime: usize,
}

const FEBRL_DEFAULT: &str = "../shared/datasets/febrl/";

pub fn run(settings: &Settings, args: &MatchBenchArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let dataset = load(settings, args)?;
    println!(
        "c360 bench match: {} ({} records, {} entities) read in {:.2} s on {} cores",
        args.dataset,
        dataset.records.len(),
        dataset.entity_of.iter().max().map_or(0, |max| max + 1),
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let preparer = c360_hub::resolution::preparer(&settings.matching)?;
    let engine = Engine::new(settings.matching.engine(), MatchModel::default(), preparer)
        .context("invalid matching configuration")?;
    let (outcome, trained, prepared) = run_pipeline(&engine, dataset, args.show_errors)?;
    outcome.print();
    let mut summary = outcome.json(&args.dataset);
    if args.realtime > 0 {
        let realtime = super::realtime_bench::run(&trained, prepared, args.realtime);
        realtime.print();
        summary["realtime"] = realtime.json();
    }
    println!("{summary}");
    Ok(())
}

fn load(settings: &Settings, args: &MatchBenchArgs) -> anyhow::Result<Dataset> {
    let normalize = &settings.normalize;
    match args.dataset.as_str() {
        "febrl3" | "febrl4" => {
            let folder = args
                .data
                .clone()
                .unwrap_or_else(|| PathBuf::from(FEBRL_DEFAULT));
            let files: Vec<PathBuf> = if args.dataset == "febrl3" {
                vec![folder.join("dataset3.csv")]
            } else {
                vec![folder.join("dataset4a.csv"), folder.join("dataset4b.csv")]
            };
            let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
            read_people(&paths, normalize, false)
        }
        "people" => {
            let file = args
                .data
                .clone()
                .context("--dataset people needs --data FILE.csv (from gen_people.py)")?;
            read_people(&[file.as_path()], normalize, false)
        }
        other => anyhow::bail!("unknown dataset {other:?}: use febrl3, febrl4 or people"),
    }
}

/// One phase's figures.
struct Phase {
    name: &'static str,
    seconds: f64,
    peak_mib: f64,
}

struct Outcome {
    records: usize,
    phases: Vec<Phase>,
    report: c360_match::blocking::BlockingReport,
    training: c360_match::train::TrainingReport,
    links: usize,
    reviews: usize,
    pairwise: c360_match::eval::PairScores,
    clusters: c360_match::eval::ClusterScores,
}

/// Runs a closure as a named phase, measuring wall time and peak RSS.
fn phase<T>(phases: &mut Vec<Phase>, name: &'static str, work: impl FnOnce() -> T) -> T {
    reset_peak_memory();
    let started = Instant::now();
    let result = work();
    phases.push(Phase {
        name,
        seconds: started.elapsed().as_secs_f64(),
        peak_mib: peak_memory_mib(),
    });
    result
}

fn run_pipeline(
    engine: &Engine,
    mut dataset: Dataset,
    show_errors: usize,
) -> anyhow::Result<(Outcome, Engine, Vec<c360_match::PreparedRecord>)> {
    let mut phases = Vec::new();
    let prepared = phase(&mut phases, "prepare", || {
        engine.prepare_all(&dataset.records)
    });
    let record_count = prepared.len();
    // The engine works on prepared records only; the readable ones are kept
    // just to show errors.
    if show_errors == 0 {
        dataset.records = Vec::new();
        dataset.ids = Vec::new();
    }
    let dataset = &dataset;
    let (pairs, report) = phase(&mut phases, "blocking", || engine.block(&prepared));
    let levels = phase(&mut phases, "comparing", || {
        engine.compare_pairs(&prepared, &pairs)
    });
    let (model, training) = phase(&mut phases, "training", || engine.train(&prepared, &levels))?;
    if std::env::var_os("C360_SHOW_MODEL").is_some() {
        for comparison in &model.comparisons {
            let weights: Vec<String> = comparison
                .m
                .iter()
                .zip(&comparison.u)
                .skip(1)
                .map(|(m, u)| format!("{m:.4}/{u:.4}({:+.1})", (m / u).log2()))
                .collect();
            println!("  model {:<14} {}", comparison.name, weights.join(" "));
        }
    }
    let trained = engine.with_model(model)?;
    let probabilities = phase(&mut phases, "scoring", || {
        trained.score_pairs(&prepared, &pairs, &levels)
    });
    drop(levels);
    let resolution = phase(&mut phases, "clustering", || {
        trained.resolve(&prepared, &pairs, &probabilities, &Constraints::default())
    });
    let blocked_true = pairs
        .iter()
        .filter(|pair| {
            let (a, b) = unpack(**pair);
            dataset.entity_of[a as usize] == dataset.entity_of[b as usize]
        })
        .count();
    println!("true pairs among the candidates: {blocked_true}");
    if show_errors > 0 {
        show_unblocked(&pairs, dataset, show_errors);
        show_pair_errors(&trained, &prepared, dataset, &resolution, show_errors);
    }
    let pairwise = c360_match::eval::pairwise(
        resolution.links.iter().map(|link| (link.left, link.right)),
        &dataset.entity_of,
    );
    let mut cluster_of = vec![0u64; record_count];
    for (index, cluster) in resolution.clusters.iter().enumerate() {
        for id in cluster {
            cluster_of[*id as usize] = index as u64;
        }
    }
    let clusters = c360_match::eval::clusters(&cluster_of, &dataset.entity_of);
    let outcome = Outcome {
        records: record_count,
        phases,
        report,
        training,
        links: resolution.links.len(),
        reviews: resolution.reviews.len(),
        pairwise,
        clusters,
    };
    Ok((outcome, trained, prepared))
}

impl Outcome {
    fn total_seconds(&self) -> f64 {
        self.phases.iter().map(|phase| phase.seconds).sum()
    }

    fn print(&self) {
        println!("\nblocking rules (pairs generated / new / blocks over the cap / largest block):");
        for rule in &self.report.rules {
            println!(
                "  {:<45} {:>11} {:>11} {:>6} {:>7}",
                rule.rule, rule.pairs, rule.new_pairs, rule.capped_blocks, rule.largest_block
            );
        }
        println!("  candidate pairs: {}", self.report.candidate_pairs);
        println!(
            "\ntraining: u from {} random pairs; EM over {} pairs ({} patterns), {} iterations, converged {}, λ = {:.5}, household pair P(one person) = {:.3}",
            self.training.u_pairs_sampled,
            self.training.em_pairs,
            self.training.em_patterns,
            self.training.em_iterations,
            self.training.converged,
            self.training.prior,
            self.training.household_match_probability
        );
        for session in &self.training.sessions {
            println!(
                "  EM session {:<12} {:>9} pairs {:>6} patterns {:>4} iterations, learned {}",
                session.rule,
                session.pairs,
                session.patterns,
                session.iterations,
                session.learned.join(", ")
            );
        }
        println!("\nphase          seconds   peak RSS (MiB)");
        for phase in &self.phases {
            println!(
                "  {:<12} {:>8.3}   {:>10.1}",
                phase.name, phase.seconds, phase.peak_mib
            );
        }
        println!("  {:<12} {:>8.3}", "total", self.total_seconds());
        let p = &self.pairwise;
        println!(
            "\nlinks {} (review {}): pairwise precision {:.4} recall {:.4} F1 {:.4} (TP {} FP {} FN {})",
            self.links,
            self.reviews,
            p.precision,
            p.recall,
            p.f1,
            p.true_positives,
            p.false_positives,
            p.false_negatives
        );
        let c = &self.clusters;
        println!(
            "clusters {} for {} entities ({} exact): cluster pairwise precision {:.4} recall {:.4} F1 {:.4}; B-cubed F1 {:.4}",
            c.clusters,
            c.entities,
            c.exact_clusters,
            c.pairwise.precision,
            c.pairwise.recall,
            c.pairwise.f1,
            c.bcubed_f1
        );
    }

    fn json(&self, dataset: &str) -> serde_json::Value {
        let seconds: serde_json::Map<String, serde_json::Value> = self
            .phases
            .iter()
            .map(|phase| (phase.name.to_owned(), json!(round(phase.seconds))))
            .collect();
        let peak: serde_json::Map<String, serde_json::Value> = self
            .phases
            .iter()
            .map(|phase| (phase.name.to_owned(), json!(round(phase.peak_mib))))
            .collect();
        json!({
            "dataset": dataset,
            "records": self.records,
            "candidate_pairs": self.report.candidate_pairs,
            "seconds": seconds,
            "total_seconds": round(self.total_seconds()),
            "peak_rss_mib": peak,
            "peak_rss_mib_max": round(self.phases.iter().map(|phase| phase.peak_mib).fold(0.0, f64::max)),
            "precision": round(self.pairwise.precision),
            "recall": round(self.pairwise.recall),
            "f1": round(self.pairwise.f1),
            "cluster_precision": round(self.clusters.pairwise.precision),
            "cluster_recall": round(self.clusters.pairwise.recall),
            "cluster_f1": round(self.clusters.pairwise.f1),
            "bcubed_f1": round(self.clusters.bcubed_f1),
            "exact_clusters": self.clusters.exact_clusters,
            "entities": self.clusters.entities,
        })
    }
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// Resets the kernel's peak-RSS counter so each phase reports its own peak.
pub fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory (VmHWM) in MiB; 0 where /proc is unavailable.
pub fn peak_memory_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Prints true pairs no blocking rule generated.
fn show_unblocked(pairs: &[u64], dataset: &Dataset, limit: usize) {
    let candidates: std::collections::HashSet<u64> = pairs.iter().copied().collect();
    let mut by_entity: std::collections::BTreeMap<u64, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (index, entity) in dataset.entity_of.iter().enumerate() {
        by_entity.entry(*entity).or_default().push(index);
    }
    println!("\ntrue pairs no rule blocked (first {limit}):");
    let mut shown = 0;
    for members in by_entity.values() {
        for (position, a) in members.iter().enumerate() {
            for b in &members[position + 1..] {
                let (low, high) = ((*a).min(*b) as u64, (*a).max(*b) as u64);
                if !candidates.contains(&((low << 32) | high)) && shown < limit {
                    shown += 1;
                    println!("  {:?}\n  {:?}\n", dataset.records[*a], dataset.records[*b]);
                }
            }
        }
    }
}

/// Prints false links and missed true pairs with their explanations.
fn show_pair_errors(
    engine: &Engine,
    prepared: &[c360_match::PreparedRecord],
    dataset: &Dataset,
    resolution: &c360_match::batch::Resolution,
    limit: usize,
) {
    let mut cluster_of = vec![0usize; prepared.len()];
    for (index, cluster) in resolution.clusters.iter().enumerate() {
        for id in cluster {
            cluster_of[*id as usize] = index;
        }
    }
    let describe = |a: usize, b: usize| {
        let explanation = engine.explain(&prepared[a], &prepared[b]);
        format!(
            "  {} ~ {}: p={:.4} {}\n    {:?}\n    {:?}",
            dataset.ids[a],
            dataset.ids[b],
            explanation.probability,
            explanation.summary(),
            dataset.records[a],
            dataset.records[b]
        )
    };
    println!("\nfalse links (first {limit}):");
    for link in resolution
        .links
        .iter()
        .filter(|link| {
            dataset.entity_of[link.left as usize] != dataset.entity_of[link.right as usize]
        })
        .take(limit)
    {
        println!("{}", describe(link.left as usize, link.right as usize));
    }
    println!("\nsame entity, same cluster, not linked (first {limit}):");
    let linked: std::collections::HashSet<(u64, u64)> = resolution
        .links
        .iter()
        .map(|link| (link.left.min(link.right), link.left.max(link.right)))
        .collect();
    let mut shown = 0;
    for cluster in &resolution.clusters {
        for (position, a) in cluster.iter().enumerate() {
            for b in &cluster[position + 1..] {
                let same = dataset.entity_of[*a as usize] == dataset.entity_of[*b as usize];
                if same && !linked.contains(&(*a.min(b), *a.max(b))) && shown < limit {
                    shown += 1;
                    println!("{}", describe(*a as usize, *b as usize));
                }
            }
        }
    }
    println!("\nsame entity, different clusters (first {limit}):");
    let mut by_entity: std::collections::HashMap<u64, Vec<usize>> =
        std::collections::HashMap::new();
    for (index, entity) in dataset.entity_of.iter().enumerate() {
        by_entity.entry(*entity).or_default().push(index);
    }
    shown = 0;
    let mut entities: Vec<_> = by_entity.into_iter().collect();
    entities.sort_unstable();
    for (_, members) in entities {
        for (position, a) in members.iter().enumerate() {
            for b in &members[position + 1..] {
                if cluster_of[*a] != cluster_of[*b] && shown < limit {
                    shown += 1;
                    println!("{}", describe(*a, *b));
                }
            }
        }
    }
}
