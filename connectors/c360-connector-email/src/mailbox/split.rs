//! Splits a mailbox file into messages while streaming it: an mbox file
//! (RFC 4155: each message starts with a `From ` line) or a single RFC 5322
//! message (`.eml`). Only each message's header section is kept — c360 needs
//! the correspondents, date, subject and id, never the body — so memory
//! stays bounded by [`MAX_HEADER_BYTES`] whatever the file size.
//!
//! mboxo and mboxrd differ only in how body lines starting with `From ` are
//! quoted (`>From `); bodies are skipped, so both read the same. A body line
//! starting with `From ` that a writer failed to quote starts a new message,
//! as in every mbox reader (mail-parser's `MessageIterator`, Python's
//! `mailbox`).
//!
//! Written here rather than using `mail_parser::mailbox::mbox::MessageIterator`
//! because that reader keeps whole messages (a 500 MB attachment in memory),
//! reads unbounded lines and reports no line numbers for error locations.

use std::io::{self, BufRead};

/// Longest header section kept; a longer one is reported, not parsed.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;
/// Longest line kept (longer lines are cut; bodies are not kept anyway).
const MAX_LINE_BYTES: usize = 64 * 1024;

/// One message's header section and where it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// 1-based line of the `From ` separator, or of the first header line.
    pub line: u64,
    /// The mbox separator line after `From ` (envelope sender and date);
    /// `None` for a lone message.
    pub envelope: Option<String>,
    /// The header section, without the blank line ending it.
    pub headers: Vec<u8>,
    /// The header section (or one of its lines) was too long and was cut.
    pub oversized: bool,
    in_headers: bool,
}

impl RawMessage {
    fn new(line: u64, envelope: Option<String>) -> Self {
        Self {
            line,
            envelope,
            headers: Vec::new(),
            oversized: false,
            in_headers: true,
        }
    }

    fn push_line(&mut self, text: &[u8], cut: bool) {
        if !self.in_headers {
            return;
        }
        if is_blank(text) {
            // The blank line ends the header section; before any header it
            // is stray spacing (some tools write one after the separator).
            if !self.headers.is_empty() {
                self.in_headers = false;
            }
            return;
        }
        if cut || self.headers.len() + text.len() > MAX_HEADER_BYTES {
            self.oversized = true;
            self.in_headers = false;
            return;
        }
        self.headers.extend_from_slice(text);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Before the first non-blank line.
    Undecided,
    Mbox,
    Single,
}

/// The messages of one mailbox file, in file order.
pub struct MessageSplitter<R> {
    reader: R,
    mode: Mode,
    /// Lines read so far.
    line_number: u64,
    line: Vec<u8>,
    current: Option<RawMessage>,
    done: bool,
}

impl<R: BufRead> MessageSplitter<R> {
    pub fn new(reader: R) -> Self {
        Self {
            reader,
            mode: Mode::Undecided,
            line_number: 0,
            line: Vec::with_capacity(256),
            current: None,
            done: false,
        }
    }

    /// Reads the next line into `self.line` (cut at [`MAX_LINE_BYTES`]);
    /// `Ok(None)` at the end, else whether the line was cut.
    fn next_line(&mut self) -> io::Result<Option<bool>> {
        self.line.clear();
        let mut read_any = false;
        let mut cut = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            if available.is_empty() {
                if read_any {
                    self.line_number += 1;
                    return Ok(Some(cut));
                }
                return Ok(None);
            }
            read_any = true;
            let newline = available.iter().position(|byte| *byte == b'\n');
            let used = newline.map_or(available.len(), |index| index + 1);
            let room = MAX_LINE_BYTES.saturating_sub(self.line.len());
            if used > room {
                cut = true;
            }
            self.line.extend_from_slice(&available[..used.min(room)]);
            self.reader.consume(used);
            if newline.is_some() {
                self.line_number += 1;
                return Ok(Some(cut));
            }
        }
    }
}

impl<R: BufRead> Iterator for MessageSplitter<R> {
    type Item = io::Result<RawMessage>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let cut = match self.next_line() {
                Ok(Some(cut)) => cut,
                Ok(None) => {
                    self.done = true;
                    return self.current.take().map(Ok);
                }
                Err(error) => {
                    // A failing disk does not heal: stop after reporting it.
                    self.done = true;
                    return Some(Err(error));
                }
            };
            let is_separator = self.line.starts_with(b"From ");
            match self.mode {
                Mode::Undecided => {
                    if is_blank(&self.line) {
                        continue;
                    }
                    if is_separator {
                        self.mode = Mode::Mbox;
                        self.current = Some(RawMessage::new(
                            self.line_number,
                            Some(envelope_of(&self.line)),
                        ));
                    } else {
                        self.mode = Mode::Single;
                        let mut message = RawMessage::new(self.line_number, None);
                        message.push_line(&self.line, cut);
                        self.current = Some(message);
                    }
                }
                Mode::Mbox if is_separator => {
                    let next = RawMessage::new(self.line_number, Some(envelope_of(&self.line)));
                    if let Some(finished) = self.current.replace(next) {
                        return Some(Ok(finished));
                    }
                }
                Mode::Mbox | Mode::Single => {
                    if let Some(message) = &mut self.current {
                        message.push_line(&self.line, cut);
                    }
                }
            }
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|byte| byte.is_ascii_whitespace())
}

fn envelope_of(line: &[u8]) -> String {
    String::from_utf8_lossy(&line[5.min(line.len())..])
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &[u8]) -> Vec<RawMessage> {
        MessageSplitter::new(text)
            .collect::<io::Result<Vec<_>>>()
            .expect("in-memory reads do not fail")
    }

    #[test]
    fn splits_mbox_and_keeps_only_headers() {
        let text = b"From a@example.com Sat Jan  3 01:05:34 1996\nFrom: a@example.com\nSubject: one\n\nbody\n>From the quoted line\n\nFrom b@example.com Sun Jan  4 01:05:34 1996\r\nFrom: b@example.com\r\n\r\nbody two\r\n";
        let messages = split(text);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].line, 1);
        assert_eq!(
            messages[0].envelope.as_deref(),
            Some("a@example.com Sat Jan  3 01:05:34 1996")
        );
        assert_eq!(messages[0].headers, b"From: a@example.com\nSubject: one\n");
        assert_eq!(messages[1].line, 8);
        assert_eq!(messages[1].headers, b"From: b@example.com\r\n");
    }

    #[test]
    fn a_lone_message_is_one_message() {
        let messages = split(b"\n\nFrom: x@example.com\nSubject: hi\n\nFrom me to you\n");
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].line, 3);
        assert_eq!(messages[0].envelope, None);
        assert_eq!(messages[0].headers, b"From: x@example.com\nSubject: hi\n");
    }

    #[test]
    fn long_lines_and_headers_are_cut_and_flagged() {
        let mut text = b"Subject: ".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 3));
        text.extend_from_slice(b"\nFrom: a@example.com\n");
        let messages = split(&text);
        assert_eq!(messages.len(), 1);
        assert!(messages[0].oversized);
        assert!(messages[0].headers.len() <= MAX_HEADER_BYTES);
    }

    #[test]
    fn empty_and_blank_input_has_no_messages() {
        assert!(split(b"").is_empty());
        assert!(split(b"\n \r\n").is_empty());
    }
}
