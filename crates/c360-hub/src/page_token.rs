//! Opaque page tokens: a cursor encoded as hex so callers do not build them.

use crate::error::{HubError, HubResult};

/// Encodes cursor parts (joined by a unit separator) as hex.
pub fn encode(parts: &[&str]) -> String {
    let joined = parts.join("\u{1f}");
    joined.bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// Decodes a token made by [`encode`] with `expected` parts.
pub fn decode(token: &str, expected: usize) -> HubResult<Vec<String>> {
    let invalid = || HubError::invalid("page_token", "not a token returned by a previous page");
    if !token.len().is_multiple_of(2) || token.len() > 4096 {
        return Err(invalid());
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(token.get(at..at + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let parts: Vec<String> = text.split('\u{1f}').map(str::to_owned).collect();
    if parts.len() != expected {
        return Err(invalid());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        let token = encode(&["123", "abc"]);
        assert_eq!(decode(&token, 2).expect("valid"), vec!["123", "abc"]);
        assert!(decode("zz", 2).is_err());
        assert!(decode(&token, 3).is_err());
    }
}
