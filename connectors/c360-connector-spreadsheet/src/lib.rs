//! c360 spreadsheet connector (being written).
