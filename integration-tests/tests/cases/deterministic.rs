//! The deterministic engine (`matching.engine = "deterministic"`), kept for
//! hubs that must link on shared identifiers only: an e-mail links, fuzzy
//! names and addresses alone never do.

use c360_integration_tests::{Backend, TestApp};

use super::fixtures;
use super::probabilistic::katherine_arrivals;

on_both_backends!(the_deterministic_engine_links_on_shared_identifiers_only,);

fn deterministic() -> c360_hub::config::HubConfig {
    let mut config = c360_hub::config::HubConfig::default();
    config.matching.engine = "deterministic".into();
    config
}

async fn the_deterministic_engine_links_on_shared_identifiers_only(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, deterministic()).await;
    // Two people sharing identifiers across three sources.
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);

    // The same person twice with no identifier in common: the probabilistic
    // engine links these (see `probabilistic.rs`), this one must not.
    let [first, second, ..] = katherine_arrivals();
    for arrival in [first, second] {
        let response = fixtures::upsert(&mut app, vec![arrival]).await;
        assert_eq!(response.rejected, 0, "{response:?}");
    }
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 4);
    app.stop().await;
}
