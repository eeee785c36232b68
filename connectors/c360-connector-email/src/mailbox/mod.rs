//! The `mailbox` connector: `.mbox` files and `.eml` messages. Each file is
//! streamed message by message ([`split`]); each message's header section is
//! parsed by `mail-parser` (RFC 5322 addresses and dates, RFC 2047 encoded
//! words in any charset) and becomes items ([`message`]).
//!
//! Options:
//! - `own_addresses`: the mailbox owner's addresses, comma-separated;
//!   `@domain` entries cover a whole domain. They decide a message's
//!   direction and are never records.
//! - `skip_role_addresses` (`true`/`false`, default `false`): skip no-reply
//!   and role addresses (`noreply@`, `info@`, `support@` …) as correspondents.
//!
//! Folders and globs pick `.mbox`, `.mbx` and `.eml` files; a mailbox file
//! without an extension (Thunderbird keeps its folders so) is read when
//! `paths` names it. Whether a file is an mbox or one message is told by its
//! first line (`From ` or not), not by its name.
//!
//! A correspondent is one record per file, emitted the first time the file
//! mentions the address (with the display name seen then); every message is
//! one activity. An `.eml` folder thus repeats a correspondent's record once
//! per message file, with the same id.

pub mod correspondent;
pub mod message;
pub mod split;

use std::fs::File;
use std::io::BufReader;

use c360_connector::{
    Connector, ConnectorError, ConnectorResult, ItemIter, Location, RowError, SourceConfig,
    SourceItem, SourceUnit, discover_files,
};

use correspondent::Filters;
use message::MessageReader;
use split::MessageSplitter;

const OWN_ADDRESSES: &str = "own_addresses";
const SKIP_ROLE_ADDRESSES: &str = "skip_role_addresses";
/// Read buffer: mailboxes are read sequentially, large reads are cheap.
const BUFFER_BYTES: usize = 256 * 1024;

pub struct MailboxConnector {
    config: SourceConfig,
    filters: Filters,
}

impl MailboxConnector {
    pub fn new(config: &SourceConfig) -> ConnectorResult<Self> {
        crate::options::check_known(config, &[OWN_ADDRESSES, SKIP_ROLE_ADDRESSES])?;
        let own = crate::options::list(config, OWN_ADDRESSES);
        let skip_roles = crate::options::flag(config, SKIP_ROLE_ADDRESSES, false)?;
        Ok(Self {
            config: config.clone(),
            filters: Filters::new(&own, skip_roles),
        })
    }
}

impl Connector for MailboxConnector {
    fn config(&self) -> &SourceConfig {
        &self.config
    }

    fn units(&self) -> ConnectorResult<Vec<SourceUnit>> {
        discover_files(&self.config, &["mbox", "mbx", "eml"])
    }

    fn read(&self, unit: &SourceUnit) -> ConnectorResult<ItemIter> {
        let file = File::open(&unit.path).map_err(|error| ConnectorError::io(&unit.path, error))?;
        let splitter = MessageSplitter::new(BufReader::with_capacity(BUFFER_BYTES, file));
        Ok(Box::new(MailboxItems {
            splitter,
            reader: MessageReader::new(&unit.name, &self.config.name, self.filters.clone()),
            pending: Vec::new().into_iter(),
            ordinal: 0,
        }))
    }
}

/// The items of one mailbox file, produced message by message.
struct MailboxItems {
    splitter: MessageSplitter<BufReader<File>>,
    reader: MessageReader,
    /// The rest of the current message's items.
    pending: std::vec::IntoIter<SourceItem>,
    ordinal: u64,
}

impl Iterator for MailboxItems {
    type Item = SourceItem;

    fn next(&mut self) -> Option<SourceItem> {
        loop {
            if let Some(item) = self.pending.next() {
                return Some(item);
            }
            match self.splitter.next()? {
                Ok(raw) => {
                    self.ordinal += 1;
                    self.pending = self.reader.items(&raw, self.ordinal).into_iter();
                }
                Err(error) => {
                    return Some(SourceItem::error(RowError::new(
                        Location::file(&self.reader.file),
                        "file",
                        format!("read failed after message {}: {error}", self.ordinal),
                        "",
                    )));
                }
            }
        }
    }
}
