//! Layered configuration: built-in defaults < config file < environment
//! (`C360_SECTION__KEY`, e.g. `C360_DATABASE__URL`) < command-line flags.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use c360_hub::HubConfig;
use c360_hub::config::{MatchingConfig, ProfileConfig, SurvivorshipConfig};
use c360_model::NormalizeConfig;
use c360_server::{ServerConfig, TelemetryConfig};
use c360_store::DatabaseConfig;
use serde::Deserialize;

use crate::cli::GlobalArgs;

/// The default config file, used when present and no `--config` is given.
const DEFAULT_CONFIG_FILE: &str = "config/c360.toml";

/// Every section of `c360.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub telemetry: TelemetryConfig,
    pub normalize: NormalizeConfig,
    pub matching: MatchingConfig,
    pub survivorship: SurvivorshipConfig,
    pub profile: ProfileConfig,
    /// `[[sources]]`: what `c360 sync` reads.
    pub sources: Vec<c360_connector::SourceConfig>,
    pub sync: c360_hub::sync::SyncConfig,
    /// `[lifecycle]`: metrics, stages, segments, alerts.
    pub lifecycle: c360_hub::lifecycle::LifecycleConfig,
}

impl Settings {
    pub fn load(args: &GlobalArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from(DEFAULT_CONFIG_FILE)).filter(|path| path.exists()),
        };
        let mut settings =
            Self::from_sources(file.as_deref(), config_environment(std::env::vars()))?;
        if let Some(listen) = &args.listen {
            settings.server.listen = listen.clone();
        }
        if let Some(database) = &args.database {
            settings.database.url = database.clone();
        }
        Ok(settings)
    }

    fn from_sources(
        file: Option<&Path>,
        environment: HashMap<String, String>,
    ) -> anyhow::Result<Self> {
        let mut builder = config::Config::builder();
        if let Some(path) = file {
            builder = builder.add_source(config::File::from(path).required(true));
        }
        builder = builder.add_source(
            config::Environment::with_prefix("C360")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(Some(environment)),
        );
        let described =
            file.map_or_else(|| "defaults".to_owned(), |path| path.display().to_string());
        builder
            .build()
            .with_context(|| format!("failed to read configuration from {described}"))?
            .try_deserialize()
            .with_context(|| format!("invalid configuration in {described} or C360_* environment"))
    }

    pub fn hub(&self) -> HubConfig {
        HubConfig {
            normalize: self.normalize.clone(),
            matching: self.matching.clone(),
            survivorship: self.survivorship.clone(),
            profile: self.profile.clone(),
            sources: self.sources.clone(),
            sync: self.sync.clone(),
            lifecycle: self.lifecycle.clone(),
        }
    }
}

/// The variables that are settings: `C360_SECTION__KEY`. Others with the
/// prefix (`C360_CONFIG`, `C360_TEST_DATABASE_URL`) are not, and would
/// otherwise be rejected as unknown keys.
fn config_environment(
    variables: impl Iterator<Item = (String, String)>,
) -> HashMap<String, String> {
    variables
        .filter(|(name, _)| {
            name.strip_prefix("C360_")
                .is_some_and(|rest| rest.contains("__") && !rest.starts_with('_'))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_file_parses_and_matches_the_defaults() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/c360.toml");
        let settings =
            Settings::from_sources(Some(&path), HashMap::new()).expect("config/c360.toml parses");
        let defaults = Settings::default();
        assert_eq!(settings.server, defaults.server);
        assert_eq!(settings.database, defaults.database);
        assert_eq!(settings.matching, defaults.matching);
        assert_eq!(settings.normalize, defaults.normalize);
        assert_eq!(settings.survivorship.rules, defaults.survivorship.rules);
    }

    #[test]
    fn unknown_keys_are_errors() {
        let folder = tempfile_dir();
        let path = folder.join("bad.toml");
        std::fs::write(
            &path,
            "[server]\nlisten = \"127.0.0.1:1\"\nlisen = \"typo\"\n",
        )
        .expect("write");
        let error = Settings::from_sources(Some(&path), HashMap::new()).expect_err("typo rejected");
        assert!(format!("{error:#}").contains("lisen"));
    }

    #[test]
    fn only_section_key_variables_are_settings() {
        let variables = [
            ("C360_DATABASE__URL", "sqlite://x.db"),
            ("C360_CONFIG", "other.toml"),
            ("C360_TEST_DATABASE_URL", "postgres://localhost/test"),
            ("HOME", "/root"),
        ]
        .map(|(name, value)| (name.to_owned(), value.to_owned()));
        let environment = config_environment(variables.into_iter());
        assert_eq!(environment.len(), 1);
        let settings = Settings::from_sources(None, environment).expect("valid");
        assert_eq!(settings.database.url, "sqlite://x.db");
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("c360-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
