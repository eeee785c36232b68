//! c360 billing connector (being written).
