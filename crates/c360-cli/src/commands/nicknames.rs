//! The nickname table the configuration asks for: built-in plus extra files.

use std::sync::Arc;

use anyhow::Context;
use c360_hub::config::MatchingConfig;
use c360_match::Preparer;
use c360_match::nicknames::Nicknames;

pub fn preparer(config: &MatchingConfig) -> anyhow::Result<Preparer> {
    let mut table = Nicknames::built_in();
    for file in &config.nickname_files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("failed to read nickname table {}", file.display()))?;
        table.extend_from(&text);
    }
    Ok(Preparer::new(Arc::new(table)))
}
