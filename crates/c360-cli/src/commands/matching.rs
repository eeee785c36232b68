//! `c360 match` (train a model, or re-resolve everything) and `c360 eval`
//! (accuracy of the stored golden records against ground truth).

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde_json::json;

use crate::cli::MatchArgs;
use crate::progress_bar::TerminalProgress;
use crate::settings::Settings;

pub async fn run_match(settings: Settings, args: MatchArgs) -> anyhow::Result<()> {
    let hub = super::open_hub(&settings).await?;
    let started = Instant::now();
    match args.action.as_deref() {
        Some("train") => {
            println!("training a match model on every stored record (no labels) …");
            let (version, report) = hub
                .train_model(&TerminalProgress::new())
                .await
                .context("training failed")?;
            println!(
                "model version {version}: {} records, u from {} random pairs, λ = {:.3e}, household pair P(one person) = {:.3}, {:.2} s",
                report.records,
                report.u_pairs_sampled,
                report.prior,
                report.household_match_probability,
                started.elapsed().as_secs_f64()
            );
            for session in &report.sessions {
                println!(
                    "  EM on {:<12} {:>9} pairs, {:>4} iterations, converged {}",
                    session.rule, session.pairs, session.iterations, session.converged
                );
            }
            println!("{}", json!({ "model_version": version, "report": report }));
        }
        None if args.full => {
            println!("re-resolving every stored record …");
            let report = hub
                .match_full("c360 match --full", &TerminalProgress::new())
                .await
                .context("full re-match failed")?;
            println!(
                "{} records, {} candidate pairs, {} links, {} review tasks, {} clusters \
                 ({} golden records created, {} merged) in {:.2} s",
                report.records,
                report.candidate_pairs,
                report.links,
                report.review_tasks,
                report.clusters,
                report.outcome.golden_created,
                report.outcome.golden_merged,
                started.elapsed().as_secs_f64()
            );
            println!(
                "{}",
                json!({
                    "records": report.records,
                    "candidate_pairs": report.candidate_pairs,
                    "links": report.links,
                    "review_tasks": report.review_tasks,
                    "clusters": report.clusters,
                    "seconds": started.elapsed().as_secs_f64(),
                })
            );
        }
        Some(other) => anyhow::bail!(
            "unknown match action {other:?}: use `c360 match train` or `c360 match --full`"
        ),
        None => anyhow::bail!("say what to do: `c360 match --full` or `c360 match train`"),
    }
    Ok(())
}

/// Reads a truth file: CSV with `external_id` (or `rec_id`) and `entity`
/// columns, or only `rec_id` in the FEBRL convention (`rec-<entity>-…`).
fn read_truth(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .with_context(|| format!("failed to open {}", path.display()))?;
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    let find = |name: &str| headers.iter().position(|header| header == name);
    let id_column = find("external_id")
        .or_else(|| find("rec_id"))
        .context("the truth file needs an external_id or rec_id column")?;
    let entity_column = find("entity");
    let mut truth = HashMap::new();
    for (line, row) in reader.records().enumerate() {
        let row =
            row.with_context(|| format!("{}: line {} is not CSV", path.display(), line + 2))?;
        let id = row.get(id_column).unwrap_or_default().to_owned();
        let entity = match entity_column {
            Some(column) => row.get(column).unwrap_or_default().to_owned(),
            None => c360_match::eval::febrl_entity(&id)
                .unwrap_or(&id)
                .to_owned(),
        };
        truth.insert(id, entity);
    }
    Ok(truth)
}

pub async fn run_eval(settings: Settings, truth: &Path) -> anyhow::Result<()> {
    let truth = read_truth(truth)?;
    let hub = super::open_hub(&settings).await?;
    let assignments = hub.assignments().await?;
    let mut clusters: HashMap<String, u64> = HashMap::new();
    let mut entities: HashMap<String, u64> = HashMap::new();
    let mut cluster_of = Vec::new();
    let mut entity_of = Vec::new();
    let mut unknown = 0usize;
    for (_, external_id, golden) in &assignments {
        let Some(entity) = truth.get(external_id) else {
            unknown += 1;
            continue;
        };
        let next = clusters.len() as u64;
        cluster_of.push(*clusters.entry(golden.clone()).or_insert(next));
        let next = entities.len() as u64;
        entity_of.push(*entities.entry(entity.clone()).or_insert(next));
    }
    let scores = c360_match::eval::clusters(&cluster_of, &entity_of);
    let pairwise = scores.pairwise;
    println!(
        "{} records evaluated ({} not in the truth file): {} golden records for {} entities, {} exact",
        cluster_of.len(),
        unknown,
        scores.clusters,
        scores.entities,
        scores.exact_clusters
    );
    println!(
        "pairwise precision {:.4} recall {:.4} F1 {:.4} (TP {} FP {} FN {})",
        pairwise.precision,
        pairwise.recall,
        pairwise.f1,
        pairwise.true_positives,
        pairwise.false_positives,
        pairwise.false_negatives
    );
    println!(
        "B-cubed precision {:.4} recall {:.4} F1 {:.4}",
        scores.bcubed_precision, scores.bcubed_recall, scores.bcubed_f1
    );
    println!(
        "{}",
        json!({
            "precision": pairwise.precision,
            "recall": pairwise.recall,
            "f1": pairwise.f1,
            "bcubed_f1": scores.bcubed_f1,
        })
    );
    Ok(())
}
