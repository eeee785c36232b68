//! `c360 bench sync`: how fast connectors read, and how fast a sync stores.
//!
//! 1. Writes a customer CSV of `--rows` rows (or takes `--data FILE`): hand-kept
//!    style, `;`-separated, names in several scripts, day-first dates,
//!    decimal-comma revenue, national phone numbers.
//! 2. Parse + map only: the spreadsheet connector reads the file to items,
//!    nothing is stored; rows/s and peak memory, for a tenth of the file and
//!    for all of it (streaming keeps memory flat).
//! 3. An XLSX of `--xlsx-rows` rows, parsed the same way.
//! 4. End to end: `--sync-rows` rows synced into a fresh SQLite database with
//!    matching; rows/s and peak memory.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use c360_connector::{ConnectorFactory, SourceConfig, SourceItem};

use super::match_bench::{peak_memory_mib, reset_peak_memory};
use crate::cli::BenchArgs;
use crate::connectors::Families;
use crate::settings::Settings;

const GIVEN: [&str; 16] = [
    "Ayşe",
    "Mehmet",
    "Anna",
    "Jürgen",
    "María",
    "José",
    "محمد",
    "فاطمة",
    "Wei",
    "Xiaoming",
    "Olivia",
    "Liam",
    "Zeynep",
    "Çağrı",
    "Sophie",
    "Reza",
];
const FAMILY: [&str; 16] = [
    "Yılmaz",
    "Öztürk",
    "Müller",
    "Schäfer",
    "García",
    "Núñez",
    "الحسيني",
    "العلي",
    "Zhang",
    "Wang",
    "Smith",
    "O'Brien",
    "Kaya",
    "Şahin",
    "Dubois",
    "Rezaei",
];
const CITIES: [(&str, &str, &str); 6] = [
    ("İstanbul", "34000", "TR"),
    ("München", "80331", "DE"),
    ("Madrid", "28001", "ES"),
    ("Dubai", "00000", "AE"),
    ("Shanghai", "200000", "CN"),
    ("London", "SW1A 1AA", "GB"),
];
const HEADER: [&str; 10] = [
    "Customer No",
    "Full name",
    "E-mail",
    "Mobile",
    "Street",
    "City",
    "Postcode",
    "Country",
    "Birth date",
    "Revenue",
];

fn cells(row: usize) -> [String; 10] {
    let given = GIVEN[row % GIVEN.len()];
    let family = FAMILY[(row / GIVEN.len()) % FAMILY.len()];
    let (city, postcode, country) = CITIES[row % CITIES.len()];
    [
        format!("C{row:07}"),
        format!("{given} {family}"),
        format!("customer{row}@example{}.com", row % 13),
        // One number per customer (unique below 200 million rows): shared
        // numbers would merge customers and measure cluster rewrites instead.
        format!(
            "0{} {:03} {:04}",
            530 + (row / 10_000_000) % 20,
            (row / 10_000) % 1000,
            row % 10_000
        ),
        format!("{} Market Street", 1 + row % 900),
        city.to_owned(),
        postcode.to_owned(),
        country.to_owned(),
        format!(
            "{:02}.{:02}.19{:02}",
            1 + row % 28,
            1 + row % 12,
            40 + row % 60
        ),
        format!("{}.{:03},{:02}", 1 + row % 9, row % 1000, row % 100),
    ]
}

fn write_csv(path: &Path, rows: usize) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("failed to create {}", path.display()))?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(BufWriter::with_capacity(1 << 20, file));
    writer.write_record(HEADER)?;
    for row in 0..rows {
        writer.write_record(cells(row))?;
    }
    writer.flush()?;
    Ok(())
}

fn source(name: &str, path: &Path) -> SourceConfig {
    SourceConfig {
        name: name.to_owned(),
        kind: "spreadsheet".to_owned(),
        paths: vec![path.display().to_string()],
        default_country: "TR".to_owned(),
        day_first: true,
        ..SourceConfig::default()
    }
}

struct ParseReport {
    rows: u64,
    errors: u64,
    seconds: f64,
    peak_mib: f64,
}

/// Reads every unit of a source to items, storing nothing.
fn parse_only(config: &SourceConfig) -> anyhow::Result<ParseReport> {
    reset_peak_memory();
    let started = Instant::now();
    let connector = Families.build(config)?;
    let (mut rows, mut errors) = (0u64, 0u64);
    for unit in connector.units()? {
        for item in connector.read(&unit)? {
            match item {
                SourceItem::Error(_) => errors += 1,
                SourceItem::Record(..) => rows += 1,
                SourceItem::Activity(..) => {}
            }
        }
    }
    Ok(ParseReport {
        rows,
        errors,
        seconds: started.elapsed().as_secs_f64(),
        peak_mib: peak_memory_mib(),
    })
}

fn print_parse(label: &str, report: &ParseReport) {
    println!(
        "{label:<34} {:>9} rows {:>6} errors {:>7.2} s {:>10.0} rows/s  peak RSS {:>7.1} MiB",
        report.rows,
        report.errors,
        report.seconds,
        report.rows as f64 / report.seconds.max(1e-9),
        report.peak_mib
    );
}

pub async fn run(mut settings: Settings, args: &BenchArgs) -> anyhow::Result<()> {
    let folder = tempfile::tempdir().context("failed to create a temporary folder")?;
    let (csv_path, rows) = match &args.data {
        Some(path) => (path.clone(), 0),
        None => {
            let path = folder.path().join("customers.csv");
            let started = Instant::now();
            write_csv(&path, args.rows)?;
            println!(
                "wrote {} rows to {} in {:.1} s",
                args.rows,
                path.display(),
                started.elapsed().as_secs_f64()
            );
            (path, args.rows)
        }
    };

    if rows >= 10 {
        let tenth = folder.path().join("customers-tenth.csv");
        write_csv(&tenth, rows / 10)?;
        let report = tokio::task::block_in_place(|| parse_only(&source("bench", &tenth)))?;
        print_parse("parse+map CSV (a tenth)", &report);
    }
    let report = tokio::task::block_in_place(|| parse_only(&source("bench", &csv_path)))?;
    print_parse("parse+map CSV", &report);

    if args.xlsx_rows > 0 {
        let xlsx = folder.path().join("customers.xlsx");
        let started = Instant::now();
        write_xlsx(&xlsx, args.xlsx_rows)?;
        println!(
            "wrote {} rows to {} in {:.1} s",
            args.xlsx_rows,
            xlsx.display(),
            started.elapsed().as_secs_f64()
        );
        let report = tokio::task::block_in_place(|| parse_only(&source("bench", &xlsx)))?;
        print_parse("parse+map XLSX", &report);
    }

    if args.sync_rows > 0 {
        let sync_csv = if args.data.is_some() || args.sync_rows != rows {
            let path = folder.path().join("sync.csv");
            write_csv(&path, args.sync_rows)?;
            path
        } else {
            csv_path.clone()
        };
        settings.database.url = format!("sqlite://{}/bench.db", folder.path().display());
        settings.sources = vec![source("bench", &sync_csv)];
        let hub = super::open_hub(&settings).await?;
        reset_peak_memory();
        let started = Instant::now();
        let summaries = hub.sync_sources(&[], "bench:sync", &()).await?;
        let seconds = started.elapsed().as_secs_f64();
        let peak = peak_memory_mib();
        let summary = summaries.first().cloned().unwrap_or_default();
        println!(
            "sync end to end (SQLite, {} engine) {:>9} rows {:>7.2} s {:>10.0} rows/s  peak RSS {:>7.1} MiB",
            settings.matching.engine,
            summary.records_read,
            seconds,
            summary.records_read as f64 / seconds.max(1e-9),
            peak
        );
        println!(
            "  {} inserted, {} rejected, {} unreadable; {} golden records created, {} merged away",
            summary.records_inserted,
            summary.records_rejected,
            summary.rows_unreadable,
            summary.golden_created,
            summary.golden_merged
        );
        hub.store().close().await;
    }
    Ok(())
}

/// A minimal XLSX (one sheet, inline strings) written with `zip`, which
/// the XLSX reader already depends on.
fn write_xlsx(path: &PathBuf, rows: usize) -> anyhow::Result<()> {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path)
        .with_context(|| format!("failed to create {}", path.display()))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Customers" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, options)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
    let mut line = String::new();
    let write_row = |line: &mut String, number: usize, values: &[String]| {
        line.clear();
        line.push_str(&format!("<row r=\"{number}\">"));
        for value in values {
            line.push_str("<c t=\"inlineStr\"><is><t>");
            line.push_str(&xml_escape(value));
            line.push_str("</t></is></c>");
        }
        line.push_str("</row>");
    };
    let header: Vec<String> = HEADER.iter().map(|cell| (*cell).to_owned()).collect();
    write_row(&mut line, 1, &header);
    zip.write_all(line.as_bytes())?;
    for row in 0..rows {
        write_row(&mut line, row + 2, &cells(row));
        zip.write_all(line.as_bytes())?;
    }
    zip.write_all(b"</sheetData></worksheet>")?;
    zip.finish()?;
    Ok(())
}

fn xml_escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
