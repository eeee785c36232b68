//! `c360 sync` killed in the middle of a 200,000-row file and started again
//! ends in exactly the state an uninterrupted run reaches: no record,
//! activity or quarantined row missing or duplicated, the same golden
//! records. On SQLite and on PostgreSQL (`C360_TEST_DATABASE_URL`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{AnyPool, Row};

const ROWS: usize = 200_000;

fn c360(folder: &Path, database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_c360"));
    command
        .env_remove("C360_CONFIG")
        .env("RUST_LOG", "warn")
        .current_dir(folder)
        .args(["--config", "c360.toml", "--database", database, "sync"]);
    command
}

/// A Delighted NPS export: each row a respondent record and an NPS answer;
/// 50,000 respondents answer twice, every 500th score is unreadable.
fn write_survey(folder: &Path) {
    const GIVEN: [&str; 6] = ["Ayşe", "Jürgen", "María", "محمد", "Wei", "Olivia"];
    const FAMILY: [&str; 5] = ["Yılmaz", "Müller", "García", "الحسيني", "Zhang"];
    let file = std::fs::File::create(folder.join("nps.csv")).expect("create the export");
    let mut out = std::io::BufWriter::new(file);
    writeln!(
        out,
        "Response ID,Email,Name,Score,Comment,Created At (UTC),Updated At (UTC),Tags,Notes"
    )
    .expect("write");
    for row in 0..ROWS {
        let person = row % 150_000;
        let name = format!("{} {}", GIVEN[person % 6], FAMILY[(person / 6) % 5]);
        let score = if row % 500 == 499 {
            "eleven".to_owned()
        } else {
            (row % 11).to_string()
        };
        writeln!(
            out,
            "{},person{person}@example.com,{name},{score},\"Comment {row}, thanks\",2024-{:02}-{:02} 10:{:02}:00,,,",
            row + 1,
            1 + row % 12,
            1 + row % 28,
            row % 60
        )
        .expect("write");
    }
    out.flush().expect("flush");
    std::fs::write(
        folder.join("c360.toml"),
        "[sync]\nbatch_size = 2000\n\n[[sources]]\nname = \"nps\"\nkind = \"survey\"\npaths = [\"nps.csv\"]\n[sources.options]\nlayout = \"delighted\"\n",
    )
    .expect("write the config");
}

async fn connect(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    let url = if url.starts_with("sqlite:") {
        format!("{url}?mode=ro")
    } else {
        url.to_owned()
    };
    AnyPool::connect(&url).await.expect("the database answers")
}

/// Items of the file stored so far (0 before the first checkpoint).
async fn items_done(url: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let Ok(pool) = AnyPool::connect(url).await else {
        return 0;
    };
    let done = sqlx::query("SELECT COALESCE(MAX(items_done), 0) AS done FROM sync_checkpoints")
        .fetch_one(&pool)
        .await
        .ok()
        .and_then(|row| row.try_get::<i64, _>("done").ok())
        .unwrap_or(0);
    pool.close().await;
    done
}

/// Everything a sync leaves behind, in a form two databases can be compared by.
async fn state(url: &str) -> Vec<Vec<String>> {
    let pool = connect(url).await;
    let rows = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query(sql)
                .fetch_all(&pool)
                .await
                .expect(sql)
                .iter()
                .map(|row| {
                    (0..row.len())
                        .map(|index| {
                            row.try_get::<String, _>(index)
                                .or_else(|_| row.try_get::<i64, _>(index).map(|n| n.to_string()))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<String>>()
        }
    };
    let records = rows(
        "SELECT source, external_id, content_hash, deleted FROM source_records ORDER BY source, external_id",
    )
    .await;
    let activities = rows(
        "SELECT source, external_id, record_external_id, content_hash FROM activities ORDER BY source, external_id",
    )
    .await;
    let quarantine =
        rows("SELECT source, location, field, reason FROM row_errors ORDER BY location, field")
            .await;
    // Golden ids are minted at random: compare who is with whom.
    let members = rows(
        "SELECT m.golden_id, s.external_id FROM memberships m JOIN source_records s ON s.id = m.record_id ORDER BY s.external_id",
    )
    .await;
    let mut clusters: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for member in members {
        let (golden, record) = member.split_once('|').unwrap_or_default();
        clusters
            .entry(golden.to_owned())
            .or_default()
            .push(record.to_owned());
    }
    let mut partition: Vec<String> = clusters
        .into_values()
        .map(|members| members.join(","))
        .collect();
    partition.sort();
    pool.close().await;
    vec![records, activities, quarantine, partition]
}

async fn killed_and_resumed_equals_uninterrupted(reference: &str, interrupted: &str) {
    let folder = tempfile::tempdir().expect("temporary folder");
    write_survey(folder.path());

    let output = c360(folder.path(), reference)
        .output()
        .expect("c360 sync runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let mut child = c360(folder.path(), interrupted)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("c360 sync starts");
    let started = Instant::now();
    let target = (ROWS as i64 * 2) / 5;
    loop {
        let done = items_done(interrupted).await;
        if done >= target {
            break;
        }
        assert!(
            child.try_wait().expect("poll").is_none(),
            "the sync ended before it could be interrupted ({done} items stored)"
        );
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the sync makes no progress"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().expect("kill -9 the sync");
    child.wait().expect("reap");
    let stored = items_done(interrupted).await;
    assert!(
        stored > 0 && stored < ROWS as i64 * 2,
        "killed in the middle ({stored} items stored)"
    );

    let output = c360(folder.path(), interrupted)
        .output()
        .expect("c360 sync runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("(1 resumed)"), "{stdout}");

    let expected = state(reference).await;
    let actual = state(interrupted).await;
    assert_eq!(
        expected[0].len(),
        150_000,
        "records of the uninterrupted run"
    );
    assert_eq!(
        expected[1].len(),
        ROWS - ROWS / 500,
        "activities of the uninterrupted run"
    );
    assert_eq!(
        expected[2].len(),
        ROWS / 500,
        "quarantined rows of the uninterrupted run"
    );
    for (index, what) in [
        "records",
        "activities",
        "quarantined rows",
        "golden records",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(
            expected[index].len(),
            actual[index].len(),
            "{what}: counts differ"
        );
        assert!(
            expected[index] == actual[index],
            "{what} differ after the resumed run"
        );
    }

    // The resumed run was complete: a third run changes nothing.
    let output = c360(folder.path(), interrupted)
        .output()
        .expect("c360 sync runs a third time");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("1 unchanged"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_sync_killed_midway_resumes_to_the_same_state() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let reference = format!("sqlite://{}/reference.db", folder.path().display());
    let interrupted = format!("sqlite://{}/interrupted.db", folder.path().display());
    killed_and_resumed_equals_uninterrupted(&reference, &interrupted).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sync_killed_midway_resumes_to_the_same_state() {
    let admin = std::env::var("C360_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&admin)
        .await
        .unwrap_or_else(|error| panic!("PostgreSQL at {admin} does not answer: {error}"));
    let suffix = std::process::id();
    let (base, _) = admin.rsplit_once('/').expect("a database URL");
    let mut urls = Vec::new();
    for name in [
        format!("c360_resume_ref_{suffix}"),
        format!("c360_resume_int_{suffix}"),
    ] {
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&pool)
            .await
            .expect("drop");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&pool)
            .await
            .expect("create a database");
        urls.push((name.clone(), format!("{base}/{name}")));
    }
    killed_and_resumed_equals_uninterrupted(&urls[0].1, &urls[1].1).await;
    for (name, _) in &urls {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&pool)
            .await;
    }
}
