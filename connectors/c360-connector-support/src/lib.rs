//! c360 support connector (being written).
