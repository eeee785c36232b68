//! Text encodings: files are decoded to UTF-8 as they stream.
//!
//! Detection, when the source does not configure one: a byte-order mark
//! (UTF-8, UTF-16LE/BE) wins; else UTF-16 without a mark is recognized by its
//! NUL bytes; else a file that is valid UTF-8 throughout is UTF-8; else
//! `chardetng` (the detector Firefox uses for legacy pages) picks the likeliest
//! legacy code page — Windows-1252, -1254 (Turkish), -1256 (Arabic) and the
//! others of the WHATWG Encoding Standard. Decoding is `encoding_rs` through
//! `encoding_rs_io`; bytes that are not valid in the encoding become U+FFFD,
//! which the readers report as undecodable rows.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::error::{ConnectorError, ConnectorResult};

/// A reader of UTF-8 text over a file in any encoding.
pub type DecodedReader = Box<dyn Read + Send>;

/// How many bytes of a non-UTF-8 file the legacy detector looks at.
const DETECTOR_SAMPLE: usize = 4 * 1024 * 1024;
const CHUNK: usize = 1024 * 1024;

/// The encoding a source configures (`""`/`"auto"`: detect).
pub fn configured(label: &str) -> ConnectorResult<Option<&'static Encoding>> {
    let label = label.trim();
    if label.is_empty() || label.eq_ignore_ascii_case("auto") {
        return Ok(None);
    }
    Encoding::for_label(label.as_bytes())
        .map(Some)
        .ok_or_else(|| {
            ConnectorError::config(
                "encoding",
                format!(
                    "{label:?} is not a known encoding label (try utf-8, utf-16le, windows-1254)"
                ),
            )
        })
}

/// Opens `path` as UTF-8 text: the configured encoding, or the detected one.
pub fn open_decoded(
    path: &Path,
    configured: Option<&'static Encoding>,
) -> ConnectorResult<(DecodedReader, &'static Encoding)> {
    let encoding = match configured {
        Some(encoding) => encoding,
        None => detect_file(path)?,
    };
    let file = File::open(path).map_err(|error| ConnectorError::io(path, error))?;
    Ok((
        decoder(BufReader::with_capacity(CHUNK, file), encoding),
        encoding,
    ))
}

/// Decodes `reader` from `encoding`; a byte-order mark overrides it and is dropped.
pub fn decoder<R: Read + Send + 'static>(reader: R, encoding: &'static Encoding) -> DecodedReader {
    Box::new(
        DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .strip_bom(true)
            .build(reader),
    )
}

/// Decodes a whole document held in memory (JSON pages, e-mails).
pub fn decode_bytes(bytes: &[u8], configured: Option<&'static Encoding>) -> String {
    let encoding = configured.unwrap_or_else(|| detect_bytes(bytes));
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// Detects the encoding of a file, streaming it once.
pub fn detect_file(path: &Path) -> ConnectorResult<&'static Encoding> {
    let mut file = File::open(path).map_err(|error| ConnectorError::io(path, error))?;
    let mut detector = Detector::default();
    let mut buffer = vec![0u8; CHUNK];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|error| ConnectorError::io(path, error))?;
        if read == 0 {
            break;
        }
        if let Some(found) = detector.feed(&buffer[..read]) {
            return Ok(found);
        }
    }
    Ok(detector.finish())
}

/// Detects the encoding of bytes held in memory.
pub fn detect_bytes(bytes: &[u8]) -> &'static Encoding {
    let mut detector = Detector::default();
    for chunk in bytes.chunks(CHUNK) {
        if let Some(found) = detector.feed(chunk) {
            return found;
        }
    }
    detector.finish()
}

/// Incremental detection over consecutive chunks of one input.
///
/// UTF-8 wins when the input is valid UTF-8, and also when its valid
/// multi-byte characters far outnumber its invalid bytes: that is a UTF-8
/// export with a few damaged rows (reported per row), not a legacy file,
/// where nearly every non-ASCII byte is invalid UTF-8.
#[derive(Default)]
struct Detector {
    started: bool,
    /// Bytes of a UTF-8 sequence cut by the chunk boundary.
    carry: Vec<u8>,
    utf8_chars: u64,
    utf8_errors: u64,
    legacy: Option<chardetng::EncodingDetector>,
    fed_to_legacy: usize,
}

impl Detector {
    /// Feeds one chunk; `Some` once the answer is certain (a BOM, UTF-16).
    fn feed(&mut self, chunk: &[u8]) -> Option<&'static Encoding> {
        if !self.started {
            self.started = true;
            if let Some((encoding, _)) = Encoding::for_bom(chunk) {
                return Some(encoding);
            }
            if let Some(encoding) = utf16_without_bom(chunk) {
                return Some(encoding);
            }
        }
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(chunk);
        let mut rest: &[u8] = &joined;
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    self.utf8_chars += count_multibyte(valid.as_bytes());
                    break;
                }
                Err(error) => {
                    let valid_up_to = error.valid_up_to();
                    self.utf8_chars += count_multibyte(&rest[..valid_up_to]);
                    match error.error_len() {
                        // An incomplete sequence at the very end may continue in the next chunk.
                        None => {
                            self.carry = rest[valid_up_to..].to_vec();
                            break;
                        }
                        Some(length) => {
                            self.utf8_errors += 1;
                            rest = &rest[valid_up_to + length..];
                        }
                    }
                }
            }
        }
        // The legacy detector is only asked once the input is not clean
        // UTF-8; it is the costliest part of detection.
        if self.utf8_errors > 0 && self.fed_to_legacy < DETECTOR_SAMPLE {
            let detector = self
                .legacy
                .get_or_insert_with(chardetng::EncodingDetector::new);
            let take = chunk.len().min(DETECTOR_SAMPLE - self.fed_to_legacy);
            detector.feed(&chunk[..take], false);
            self.fed_to_legacy += take;
        }
        None
    }

    fn finish(self) -> &'static Encoding {
        // A sequence still open at the end of the input is one more error.
        let errors = self.utf8_errors + u64::from(!self.carry.is_empty());
        if errors == 0 || self.utf8_chars >= 4 * errors {
            return UTF_8;
        }
        match self.legacy {
            Some(mut detector) => {
                detector.feed(&[], true);
                detector.guess(None, false)
            }
            None => UTF_8,
        }
    }
}

/// Characters of two bytes or more: their lead bytes.
fn count_multibyte(valid: &[u8]) -> u64 {
    valid.iter().filter(|byte| **byte >= 0xC0).count() as u64
}

/// UTF-16 without a byte-order mark: text whose every other byte is NUL.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let sample = &sample[..sample.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nuls = sample.iter().step_by(2).filter(|byte| **byte == 0).count();
    let odd_nuls = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|byte| **byte == 0)
        .count();
    // Mostly-ASCII text in UTF-16 has a NUL in nearly every high byte.
    if odd_nuls * 10 >= pairs * 7 && even_nuls * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 7 && odd_nuls * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_file(bytes: &[u8]) -> (String, &'static str) {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("input.csv");
        std::fs::write(&path, bytes).expect("write");
        let (mut reader, encoding) = open_decoded(&path, None).expect("open");
        let mut text = String::new();
        reader.read_to_string(&mut text).expect("read");
        (text, encoding.name())
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode_file("Ayşe;Çelik".as_bytes()),
            ("Ayşe;Çelik".into(), "UTF-8")
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice("Zoë".as_bytes());
        assert_eq!(decode_file(&with_bom), ("Zoë".into(), "UTF-8"));
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let text = "name,email\nJosé Núñez,jose@example.com\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_file(&le), (text.into(), "UTF-16LE"));
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_file(&be), (text.into(), "UTF-16BE"));
    }

    #[test]
    fn turkish_and_arabic_code_pages_are_detected() {
        let turkish =
            "Ad;Soyad;Şehir\nAyşe;Yılmaz;İstanbul\nÇağrı;Öztürk;Eskişehir\nGülşen;Işık;Muğla\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1254.encode(turkish);
        assert_eq!(decode_file(&bytes), (turkish.into(), "windows-1254"));

        let arabic = "الاسم,البريد\nمحمد عبد الله,m@example.com\nفاطمة الزهراء,f@example.com\nيوسف كريم,y@example.com\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
        assert_eq!(decode_file(&bytes), (arabic.into(), "windows-1256"));
    }

    #[test]
    fn windows_1252_is_detected() {
        let text = "Name,City\nFrançois Müller,Zürich\nJosé Peña,Málaga\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        assert_eq!(decode_file(&bytes), (text.into(), "windows-1252"));
    }

    #[test]
    fn a_utf8_file_with_a_few_damaged_rows_stays_utf8() {
        let mut bytes = "name\nAyşe Yılmaz\nJürgen Müller\nÇağrı Öztürk\n"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"Bro\xffken\n");
        let (text, encoding) = decode_file(&bytes);
        assert_eq!(encoding, "UTF-8");
        assert!(text.contains("Ayşe") && text.contains('\u{FFFD}'));
    }

    #[test]
    fn configured_labels() {
        assert_eq!(configured("").expect("ok"), None);
        assert_eq!(configured("auto").expect("ok"), None);
        assert_eq!(
            configured("cp1254").expect("ok").map(Encoding::name),
            Some("windows-1254")
        );
        assert!(configured("klingon").is_err());
    }
}
