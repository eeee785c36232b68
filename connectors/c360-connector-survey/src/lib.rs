//! c360 survey connector (being written).
