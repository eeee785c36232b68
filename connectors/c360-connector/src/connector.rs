//! The [`Connector`] trait: list the units a source consists of (files), read
//! one unit as a sequence of [`SourceItem`]s.
//!
//! The sequence is deterministic for unchanged input: the hub's checkpoint is
//! the number of items of a unit already stored, and an interrupted run
//! resumes by skipping that many. A unit's fingerprint tells whether the file
//! changed since (then it is read from the start).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::config::{SourceConfig, hex};
use crate::error::{ConnectorError, ConnectorResult};
use crate::item::{Location, RowError, SourceItem};

/// Items of one unit, produced lazily: a reader streams its file.
pub type ItemIter = Box<dyn Iterator<Item = SourceItem> + Send>;

/// One file of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUnit {
    pub path: PathBuf,
    /// The path as written in locations (`exports/customers.csv`).
    pub name: String,
    pub size: u64,
    /// Size, modification time and the first and last 64 KiB, hashed.
    pub fingerprint: String,
}

pub trait Connector: Send + Sync {
    fn config(&self) -> &SourceConfig;

    /// The units this source consists of now, in reading order.
    fn units(&self) -> ConnectorResult<Vec<SourceUnit>>;

    /// Reads one unit. Failing here (the file vanished, it is not the
    /// declared format at all) skips the unit; a bad row is an item instead.
    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter>;
}

/// Builds connectors from `[[sources]]` entries; the binary registers every
/// family, the hub and server only see this trait.
pub trait ConnectorFactory: Send + Sync {
    /// The `kind`s this factory knows, with one line each.
    fn kinds(&self) -> Vec<(&'static str, &'static str)>;

    fn build(&self, config: &SourceConfig) -> ConnectorResult<Box<dyn Connector>>;
}

/// Reads one file with `connector` as a sync would; a connector that cannot
/// be built or a file that cannot be read at all becomes one error item.
/// For fuzz targets and tests, which read files outside any source.
pub fn read_one_file(
    connector: ConnectorResult<Box<dyn Connector>>,
    path: &Path,
) -> Vec<SourceItem> {
    let items = connector.and_then(|connector| connector.read(&unit_of(path)?));
    match items {
        Ok(items) => items.collect(),
        Err(error) => vec![SourceItem::error(RowError::new(
            Location::file(&path.display().to_string()),
            "file",
            error.to_string(),
            "",
        ))],
    }
}

/// Files matched by a source's `paths` (files, folders, glob patterns) whose
/// extension is one of `extensions` (lower case, without dot; empty: any),
/// sorted and deduplicated. A pattern that matches nothing is an error: a
/// mistyped path must not look like an empty export.
pub fn discover_files(
    config: &SourceConfig,
    extensions: &[&str],
) -> ConnectorResult<Vec<SourceUnit>> {
    if config.paths.is_empty() {
        return Err(ConnectorError::config(&config.name, "no `paths` given"));
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for pattern in &config.paths {
        let before = files.len();
        let path = Path::new(pattern);
        if path.is_dir() {
            let entries =
                std::fs::read_dir(path).map_err(|error| ConnectorError::io(path, error))?;
            for entry in entries {
                let entry = entry.map_err(|error| ConnectorError::io(path, error))?;
                let candidate = entry.path();
                if candidate.is_file() && has_extension(&candidate, extensions) {
                    files.push(candidate);
                }
            }
        } else if path.is_file() {
            files.push(path.to_path_buf());
        } else {
            let matches = glob::glob(pattern).map_err(|error| {
                ConnectorError::config(&config.name, format!("bad pattern {pattern:?}: {error}"))
            })?;
            for candidate in matches.flatten() {
                if candidate.is_file() && has_extension(&candidate, extensions) {
                    files.push(candidate);
                }
            }
        }
        if files.len() == before {
            return Err(ConnectorError::config(
                &config.name,
                format!("{pattern:?} matches no file"),
            ));
        }
    }
    files.sort();
    files.dedup();
    files.into_iter().map(|path| unit_of(&path)).collect()
}

fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    if extensions.is_empty() {
        return true;
    }
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            extensions
                .iter()
                .any(|wanted| extension.eq_ignore_ascii_case(wanted))
        })
}

/// Describes one file; the fingerprint reads at most 128 KiB of it.
pub fn unit_of(path: &Path) -> ConnectorResult<SourceUnit> {
    const SAMPLE: u64 = 64 * 1024;
    let io = |error| ConnectorError::io(path, error);
    let mut file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    let size = metadata.len();
    let modified = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |duration| duration.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(size.to_le_bytes());
    hasher.update(modified.to_le_bytes());
    let mut buffer = Vec::with_capacity(SAMPLE as usize);
    file.by_ref()
        .take(SAMPLE)
        .read_to_end(&mut buffer)
        .map_err(io)?;
    hasher.update(&buffer);
    if size > 2 * SAMPLE {
        file.seek(SeekFrom::End(-(SAMPLE as i64))).map_err(io)?;
        buffer.clear();
        file.read_to_end(&mut buffer).map_err(io)?;
        hasher.update(&buffer);
    }
    Ok(SourceUnit {
        path: path.to_path_buf(),
        name: path.display().to_string(),
        size,
        fingerprint: hex(&hasher.finalize()[..16]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovers_globs_folders_and_refuses_empty_patterns() {
        let folder = tempfile::tempdir().expect("tempdir");
        for name in ["b.csv", "a.csv", "notes.txt"] {
            std::fs::write(folder.path().join(name), "x").expect("write");
        }
        let mut config = SourceConfig {
            name: "sheet".into(),
            paths: vec![format!("{}/*.csv", folder.path().display())],
            ..SourceConfig::default()
        };
        let units = discover_files(&config, &["csv"]).expect("units");
        let names: Vec<_> = units
            .iter()
            .map(|unit| unit.path.file_name().map(|name| name.to_owned()))
            .collect();
        assert_eq!(names, vec![Some("a.csv".into()), Some("b.csv".into())]);

        config.paths = vec![folder.path().display().to_string()];
        assert_eq!(
            discover_files(&config, &["csv", "txt"])
                .expect("units")
                .len(),
            3
        );

        config.paths = vec![format!("{}/*.xlsx", folder.path().display())];
        let error = discover_files(&config, &[]).expect_err("nothing matches");
        assert!(error.to_string().contains("matches no file"), "{error}");
    }

    #[test]
    fn fingerprint_changes_with_content() {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("a.csv");
        std::fs::write(&path, "one").expect("write");
        let first = unit_of(&path).expect("unit");
        assert_eq!(first.fingerprint, unit_of(&path).expect("unit").fingerprint);
        std::fs::write(&path, "two").expect("write");
        assert_ne!(first.fingerprint, unit_of(&path).expect("unit").fingerprint);
    }
}
