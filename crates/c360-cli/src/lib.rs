//! The `c360` binary's reusable part: the connector families it ships,
//! registered with the hub (integration tests register the same set).

pub mod connectors;
