//! Several servers on one PostgreSQL database: a write through one replica
//! invalidates the profile cached by another (LISTEN/NOTIFY).

use std::time::Duration;

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

use super::fixtures;

fn company(profile: &v1::Profile) -> String {
    profile
        .company
        .as_ref()
        .map(|company| company.value.clone())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_on_one_replica_refreshes_the_cache_of_another() {
    let mut writer = TestApp::spawn(Backend::Postgres).await;
    let mut reader = writer.spawn_replica().await;
    fixtures::upsert(&mut writer, fixtures::two_people()).await;
    let id = fixtures::lookup(&mut writer, Key::Email("ada@lovelace.example.org".into())).await[0]
        .golden_id
        .clone();
    // The reader caches the profile.
    for _ in 0..2 {
        let cached = fixtures::get(&mut reader, &id)
            .await
            .profile
            .expect("profile");
        assert_eq!(company(&cached), "Analytical Engines Ltd");
    }

    let mut rows = fixtures::two_people();
    rows[1].company = "Difference Engines plc".into();
    fixtures::upsert(&mut writer, vec![rows[1].clone()]).await;

    // Notifications are asynchronous: give the reader a moment, well under the
    // cache TTL (300 s) that would otherwise be the only bound.
    let mut seen = String::new();
    for _ in 0..100 {
        seen = company(
            &fixtures::get(&mut reader, &id)
                .await
                .profile
                .expect("profile"),
        );
        if seen == "Difference Engines plc" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(seen, "Difference Engines plc");
    reader.stop().await;
    writer.stop().await;
}
