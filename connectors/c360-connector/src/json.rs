//! JSON sources: API list pages saved to files (`{"object": "list", "data":
//! [...]}`, `{"users": [...], "next_page": ...}`), plain arrays, and JSON Lines
//! (one object per line, as bulk exports write them).
//!
//! A document is read whole (list pages are small); JSON Lines stream, and a
//! line that does not parse is a row error while the lines around it are read.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use encoding_rs::Encoding;
use serde_json::Value;

use crate::encoding::{DecodedReader, decode_bytes, open_decoded};
use crate::error::{ConnectorError, ConnectorResult};
use crate::item::{Location, RowError, RowResult};
use crate::tabular::MAX_CELL_LEN;

/// One object and where it was: its line in JSON Lines, else its position in
/// the document's list.
#[derive(Debug, Clone)]
pub struct JsonObject {
    pub location: Location,
    pub value: Value,
}

/// Objects of a JSON file, in order.
pub enum JsonObjects {
    Document(std::vec::IntoIter<RowResult<JsonObject>>),
    Lines {
        file: String,
        lines: std::io::Lines<BufReader<DecodedReader>>,
        line: u64,
    },
}

impl Iterator for JsonObjects {
    type Item = RowResult<JsonObject>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Document(items) => items.next(),
            Self::Lines { file, lines, line } => loop {
                let text = match lines.next()? {
                    Ok(text) => text,
                    Err(error) => {
                        *line += 1;
                        return Some(Err(RowError::boxed(
                            Location::line(file, *line),
                            "line",
                            format!("unreadable: {error}"),
                            "",
                        )));
                    }
                };
                *line += 1;
                if text.trim().is_empty() {
                    continue;
                }
                return Some(parse_line(file, *line, &text));
            },
        }
    }
}

fn parse_line(file: &str, line: u64, text: &str) -> RowResult<JsonObject> {
    let location = Location::line(file, line);
    if text.len() > 16 * MAX_CELL_LEN {
        return Err(RowError::boxed(
            location,
            "line",
            format!(
                "is {} bytes long, at most {} allowed",
                text.len(),
                16 * MAX_CELL_LEN
            ),
            text,
        ));
    }
    if text.contains('\u{FFFD}') {
        return Err(RowError::boxed(
            location,
            "line",
            "contains undecodable bytes",
            text,
        ));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(value @ Value::Object(_)) => Ok(JsonObject {
            location: with_id(location, &value),
            value,
        }),
        Ok(_) => Err(RowError::boxed(
            location,
            "line",
            "is not a JSON object",
            text,
        )),
        Err(error) => Err(RowError::boxed(
            location,
            "line",
            format!("is not valid JSON: {error}"),
            text,
        )),
    }
}

fn with_id(mut location: Location, value: &Value) -> Location {
    if let Some(id) = value.get("id") {
        location.object = Some(match id {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        });
    }
    location
}

/// Opens a JSON file. A file starting with `[`, or with `{` and parsing as
/// one document, is a document whose objects are the array, or the first
/// of `list_keys` holding an array, or the object itself; otherwise the file
/// is JSON Lines.
pub fn read_json(
    path: &Path,
    encoding: Option<&'static Encoding>,
    list_keys: &[&str],
) -> ConnectorResult<JsonObjects> {
    let file = path.display().to_string();
    let mut head = [0u8; 4096];
    let read = {
        let mut handle =
            std::fs::File::open(path).map_err(|error| ConnectorError::io(path, error))?;
        handle
            .read(&mut head)
            .map_err(|error| ConnectorError::io(path, error))?
    };
    let head_text = decode_bytes(&head[..read], encoding);
    let first = head_text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    if first == Some('[') || first == Some('{') {
        let bytes = std::fs::read(path).map_err(|error| ConnectorError::io(path, error))?;
        let text = decode_bytes(&bytes, encoding);
        let text = text.trim_start_matches('\u{feff}');
        match serde_json::from_str::<Value>(text) {
            Ok(document) => {
                return Ok(JsonObjects::Document(
                    document_objects(&file, document, list_keys).into_iter(),
                ));
            }
            Err(error) if first == Some('[') || !looks_like_lines(text) => {
                return Ok(JsonObjects::Document(
                    vec![Err(RowError::boxed(
                        Location::line(&file, error.line() as u64),
                        "document",
                        format!("is not valid JSON: {error}"),
                        "",
                    ))]
                    .into_iter(),
                ));
            }
            Err(_) => {}
        }
    }
    let (reader, _) = open_decoded(path, encoding)?;
    Ok(JsonObjects::Lines {
        file,
        lines: BufReader::new(reader).lines(),
        line: 0,
    })
}

/// JSON Lines: the first line parses on its own.
fn looks_like_lines(text: &str) -> bool {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .is_some_and(|line| serde_json::from_str::<Value>(line).is_ok())
}

fn document_objects(file: &str, document: Value, list_keys: &[&str]) -> Vec<RowResult<JsonObject>> {
    let (key, items) = match document {
        Value::Array(items) => (String::new(), items),
        Value::Object(mut map) => {
            let key = list_keys
                .iter()
                .find(|key| map.get(**key).is_some_and(Value::is_array))
                .map(|key| (*key).to_owned());
            match key.and_then(|key| map.remove(&key).map(|items| (key, items))) {
                Some((key, Value::Array(items))) => (key, items),
                _ => (String::new(), vec![Value::Object(map)]),
            }
        }
        other => {
            return vec![Err(RowError::boxed(
                Location::file(file),
                "document",
                "is neither a JSON object nor an array",
                other.to_string(),
            ))];
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let position = if key.is_empty() {
                format!("[{index}]")
            } else {
                format!("{key}[{index}]")
            };
            let location = Location::object(file, position.clone());
            if !value.is_object() {
                return Err(RowError::boxed(
                    location,
                    position,
                    "is not a JSON object",
                    value.to_string(),
                ));
            }
            let location = match value.get("id") {
                Some(Value::String(id)) => Location::object(file, format!("{position}:{id}")),
                Some(Value::Number(id)) => Location::object(file, format!("{position}:{id}")),
                _ => location,
            };
            Ok(JsonObject { location, value })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(text: &str, keys: &[&str]) -> Vec<RowResult<JsonObject>> {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("page.json");
        std::fs::write(&path, text).expect("write");
        read_json(&path, None, keys).expect("open").collect()
    }

    #[test]
    fn list_pages_arrays_and_lines() {
        let page = r#"{"object":"list","data":[{"id":"cus_1"},{"id":"cus_2"}],"has_more":false}"#;
        let items = objects(page, &["data"]);
        assert_eq!(items.len(), 2);
        let first = items[0].as_ref().expect("object");
        assert_eq!(
            first.location.to_string().split('/').next_back(),
            Some("page.json#data[0]:cus_1")
        );

        assert_eq!(
            objects(r#"[{"a":1},{"a":2},3]"#, &[])
                .iter()
                .filter(|item| item.is_ok())
                .count(),
            2
        );

        let lines = "{\"id\":1}\n{broken\n\n{\"id\":3}\n";
        let items = objects(lines, &[]);
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[1].as_ref().expect_err("bad line").location.line,
            Some(2)
        );
        assert_eq!(items[2].as_ref().expect("object").location.line, Some(4));
    }

    #[test]
    fn a_broken_document_is_one_error() {
        let items = objects("[{\"id\":1},\n{\"id\":", &[]);
        assert_eq!(items.len(), 1);
        assert!(items[0].is_err());
    }
}
