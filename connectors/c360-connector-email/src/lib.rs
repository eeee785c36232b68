//! c360 email connector (being written).
