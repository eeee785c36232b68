//! Prints what the spreadsheet connector reads from one file:
//! `cargo run -p c360-connector-spreadsheet --example dump -- FILE [COUNTRY] [day_first]`.

use c360_connector::{SourceConfig, SourceItem};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: dump FILE [DEFAULT_COUNTRY] [day_first]");
        std::process::exit(2);
    };
    let config = SourceConfig {
        name: "sheet".into(),
        kind: "spreadsheet".into(),
        default_country: args.next().unwrap_or_default(),
        day_first: args.next().is_some_and(|flag| flag == "day_first"),
        ..SourceConfig::default()
    };
    for item in c360_connector_spreadsheet::read_file(&config, std::path::Path::new(&path)) {
        match item {
            SourceItem::Record(record, location) => println!("{location}: {record:?}"),
            SourceItem::Activity(activity, location) => println!("{location}: {activity:?}"),
            SourceItem::Error(error) => println!("ERROR {error} [{}]", error.raw),
        }
    }
}
