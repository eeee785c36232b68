//! The kinds' `options`: each kind names the keys it reads, so a misspelt
//! key is a config error instead of a silently ignored setting.

use c360_connector::{ConnectorError, ConnectorResult, SourceConfig};

/// Fails on an option key that `known` does not list.
pub fn check_known(config: &SourceConfig, known: &[&str]) -> ConnectorResult<()> {
    for key in config.options.keys() {
        if !known.contains(&key.as_str()) {
            let expected = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            return Err(ConnectorError::config(
                &config.name,
                format!(
                    "option {key:?} is not read by kind {:?} (known: {expected})",
                    config.kind
                ),
            ));
        }
    }
    Ok(())
}

/// A yes/no option; absent is `default`.
pub fn flag(config: &SourceConfig, key: &str, default: bool) -> ConnectorResult<bool> {
    let Some(value) = config.option(key) else {
        return Ok(default);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        other => Err(ConnectorError::config(
            &config.name,
            format!("option {key:?} is {other:?}, expected true or false"),
        )),
    }
}

/// A list option: values separated by commas, semicolons or whitespace.
pub fn list(config: &SourceConfig, key: &str) -> Vec<String> {
    config
        .option(key)
        .map(|value| {
            value
                .split([',', ';', ' ', '\t', '\n'])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> SourceConfig {
        SourceConfig {
            name: "mail".into(),
            kind: "mailbox".into(),
            options: pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
                .collect(),
            ..SourceConfig::default()
        }
    }

    #[test]
    fn reads_flags_lists_and_refuses_unknown_keys() {
        let config = config(&[
            ("own_addresses", "me@example.com, @example.org;x@y.z"),
            ("skip_role_addresses", "Yes"),
        ]);
        assert_eq!(
            list(&config, "own_addresses"),
            vec!["me@example.com", "@example.org", "x@y.z"]
        );
        assert!(flag(&config, "skip_role_addresses", false).expect("flag"));
        assert!(!flag(&config, "absent", false).expect("default"));
        assert!(check_known(&config, &["own_addresses", "skip_role_addresses"]).is_ok());
        let error = check_known(&config, &["own_addresses"]).expect_err("unknown");
        assert!(error.to_string().contains("skip_role_addresses"), "{error}");
    }

    #[test]
    fn bad_flags_are_config_errors() {
        let config = config(&[("skip_role_addresses", "maybe")]);
        assert!(flag(&config, "skip_role_addresses", false).is_err());
    }
}
