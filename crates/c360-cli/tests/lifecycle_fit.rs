//! `c360 lifecycle fit` end to end: on the CDNOW sample it prints the
//! published BG/NBD and Gamma-Gamma parameters as its last line, and a
//! malformed file fails with the line at fault.
//!
//! The CDNOW sample lives in the shared data sets next to the checkout; the
//! test fails, not skips, without it — a skipped reproduction proves nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn c360() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_c360"));
    // Keep the checkout's config file and the caller's environment out of it.
    command.env_remove("C360_CONFIG").env("RUST_LOG", "warn");
    command
}

fn cdnow_sample() -> PathBuf {
    // The copy kept with the lifecycle crate's tests (same file as
    // ../shared/datasets/cdnow/), so a clean checkout has it.
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../c360-lifecycle/tests/data/CDNOW_sample.txt");
    assert!(
        path.is_file(),
        "the CDNOW sample is missing at {}",
        path.display()
    );
    path
}

fn fit(file: &Path, format: &str) -> Output {
    c360()
        .arg("lifecycle")
        .arg("fit")
        .arg("--transactions")
        .arg(file)
        .args(["--format", format, "--calibration-end", "1997-09-30"])
        .output()
        .expect("c360 runs")
}

#[test]
fn cdnow_gives_the_published_parameters() {
    let output = fit(&cdnow_sample(), "cdnow");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout.lines().last().expect("some output");
    let json: serde_json::Value = serde_json::from_str(last).expect("the last line is JSON");
    // Fader, Hardie & Lee (2005) and the `lifetimes` documentation, CDNOW
    // sample, calibration to 1997-09-30, time in weeks.
    let published = [
        ("r", 0.24),
        ("alpha", 4.41),
        ("a", 0.79),
        ("b", 2.43),
        ("p", 6.25),
        ("q", 3.74),
        ("v", 15.44),
    ];
    for (key, expected) in published {
        let value = json[key].as_f64().unwrap_or(f64::NAN);
        assert_eq!(
            format!("{value:.2}"),
            format!("{expected:.2}"),
            "{key} in {last}"
        );
    }
    assert_eq!(json["customers"], 2357, "{last}");
}

#[test]
fn a_malformed_line_fails_naming_it() {
    let folder = tempfile::tempdir().expect("a temporary folder");

    let cdnow = folder.path().join("cdnow.txt");
    std::fs::write(
        &cdnow,
        " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2\n",
    )
    .expect("write the file");
    let output = fit(&cdnow, "cdnow");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("cdnow.txt:2: expected 5 fields"),
        "{stderr}"
    );

    let csv = folder.path().join("purchases.csv");
    std::fs::write(
        &csv,
        "date,customer,amount\n1997-01-01,a,10.00\n1997-01-02,b,10.00\n1997-01-03,c,ten\n",
    )
    .expect("write the file");
    let output = fit(&csv, "csv");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("purchases.csv:4: amount `ten` is not a number"),
        "{stderr}"
    );
}

#[test]
fn csv_and_cdnow_give_the_same_fit() {
    // The CDNOW sample rewritten as CSV, columns shuffled.
    let text = std::fs::read_to_string(cdnow_sample()).expect("read the sample");
    let mut csv = String::from("amount,customer,date\n");
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let date = fields[2];
        csv.push_str(&format!(
            "{},{},{}-{}-{}\n",
            fields[4],
            fields[0],
            &date[..4],
            &date[4..6],
            &date[6..]
        ));
    }
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("cdnow.csv");
    std::fs::write(&path, csv).expect("write the CSV");

    let last_line = |output: Output| {
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .last()
            .map(str::to_owned)
            .expect("some output")
    };
    assert_eq!(
        last_line(fit(&path, "csv")),
        last_line(fit(&cdnow_sample(), "cdnow"))
    );
}
