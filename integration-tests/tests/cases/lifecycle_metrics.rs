//! Lifecycle metrics over gRPC: metrics follow merges and splits (activities
//! move with their records), alerts arrive within a second of the ingest
//! that triggers them, full recomputation, portfolio, segments, and bad
//! requests.

use std::time::{Duration, Instant};

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;

use super::fixtures::{self, JANUARY, MARCH, at, violated_field};

on_both_backends!(
    metrics_combine_on_merge_and_separate_on_split,
    alerts_arrive_within_a_second_of_the_ingest,
    recompute_portfolio_and_segments,
    bad_metrics_requests_name_their_field
);

const DAY: i64 = 86_400;

/// Seconds since the epoch `days` ago: stages are computed as of now.
fn ago(days: i64) -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64);
    now - days * DAY
}

fn usd(amount_minor: i64) -> Option<v1::Money> {
    Some(v1::Money {
        amount_minor,
        currency: "USD".into(),
    })
}

fn order(source: &str, id: &str, record: &str, when: i64, cents: i64) -> v1::Activity {
    v1::Activity {
        source: source.into(),
        external_id: id.into(),
        record_external_id: record.into(),
        kind: v1::ActivityKind::Order as i32,
        occurred_at: at(when),
        amount: usd(cents),
        summary: format!("Order {id}"),
        ..v1::Activity::default()
    }
}

fn scored(
    source: &str,
    id: &str,
    record: &str,
    kind: v1::ActivityKind,
    when: i64,
    score: i32,
) -> v1::Activity {
    v1::Activity {
        source: source.into(),
        external_id: id.into(),
        record_external_id: record.into(),
        kind: kind as i32,
        occurred_at: at(when),
        score: Some(score),
        ..v1::Activity::default()
    }
}

fn person(source: &str, id: &str, given: &str, emails: &[&str]) -> v1::SourceRecord {
    v1::SourceRecord {
        given_name: given.into(),
        family_name: "Lindqvist".into(),
        emails: emails.iter().map(|email| (*email).to_owned()).collect(),
        updated_at: at(JANUARY),
        ..fixtures::record(source, id)
    }
}

async fn upsert_activities(app: &mut TestApp, activities: Vec<v1::Activity>) {
    let response = app
        .ingest
        .upsert_activities(v1::UpsertActivitiesRequest { activities })
        .await
        .expect("UpsertActivities succeeds")
        .into_inner();
    assert!(response.rejections.is_empty(), "{:?}", response.rejections);
}

async fn golden_of(app: &mut TestApp, source: &str, id: &str) -> String {
    let profiles = fixtures::lookup(
        app,
        v1::lookup_profile_request::Key::SourceRecord(v1::SourceRef {
            source: source.into(),
            external_id: id.into(),
        }),
    )
    .await;
    assert_eq!(profiles.len(), 1, "{source}:{id} has one profile");
    profiles[0].golden_id.clone()
}

async fn metrics_of(app: &mut TestApp, golden_id: &str) -> v1::GetCustomerMetricsResponse {
    app.metrics
        .get_customer_metrics(v1::GetCustomerMetricsRequest {
            golden_id: golden_id.into(),
            as_of: None,
        })
        .await
        .expect("GetCustomerMetrics succeeds")
        .into_inner()
}

fn revenue(metrics: &v1::CustomerMetrics) -> i64 {
    metrics
        .revenue
        .as_ref()
        .map_or(0, |money| money.amount_minor)
}

/// The engine that re-clusters on every change (a record that stops
/// matching splits off).
fn probabilistic() -> c360_hub::config::HubConfig {
    let mut config = c360_hub::config::HubConfig::default();
    config.matching.engine = "probabilistic".into();
    config
}

async fn metrics_combine_on_merge_and_separate_on_split(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let maja = || person("billing", "cus_1", "Maja", &["maja@lindqvist.example"]);
    let oskar = || v1::SourceRecord {
        family_name: "Berg".into(),
        ..person("crm", "row-1", "Oskar", &["oskar@berg.example"])
    };
    fixtures::upsert(&mut app, vec![maja(), oskar()]).await;
    upsert_activities(
        &mut app,
        vec![
            order("billing", "or_1", "cus_1", ago(30), 10_000),
            order("crm", "deal_1", "row-1", ago(20), 5_000),
            scored(
                "crm",
                "nps_1",
                "row-1",
                v1::ActivityKind::NpsResponse,
                ago(18),
                9,
            ),
        ],
    )
    .await;
    let billing = golden_of(&mut app, "billing", "cus_1").await;
    let crm = golden_of(&mut app, "crm", "row-1").await;
    assert_ne!(billing, crm);
    let apart = metrics_of(&mut app, &billing)
        .await
        .metrics
        .expect("metrics");
    assert_eq!((apart.order_count, revenue(&apart)), (1, 10_000));
    assert_eq!(apart.last_nps, None);
    let other = metrics_of(&mut app, &crm).await.metrics.expect("metrics");
    assert_eq!((other.order_count, other.last_nps), (1, Some(9)));

    // The CRM row is corrected to Maja (a typing slip): one customer.
    fixtures::upsert(
        &mut app,
        vec![person("crm", "row-1", "Maja", &["maja@lindqvist.example"])],
    )
    .await;
    let merged = golden_of(&mut app, "crm", "row-1").await;
    assert_eq!(merged, golden_of(&mut app, "billing", "cus_1").await);
    let combined = metrics_of(&mut app, &merged)
        .await
        .metrics
        .expect("metrics");
    assert_eq!((combined.order_count, revenue(&combined)), (2, 15_000));
    assert_eq!(combined.last_nps, Some(9));
    assert_eq!(
        combined.stage,
        v1::LifecycleStage::Loyal as i32,
        "two orders and a promoter"
    );
    let absorbed = if merged == billing { &crm } else { &billing };
    let redirected = metrics_of(&mut app, absorbed).await;
    assert!(redirected.redirected);
    assert_eq!(redirected.metrics.expect("metrics").order_count, 2);
    let profile = fixtures::get(&mut app, &merged)
        .await
        .profile
        .expect("profile");
    assert_eq!(
        profile
            .lifecycle
            .expect("lifecycle on the profile")
            .order_count,
        2
    );

    // The correction was wrong and is undone; the next full re-match splits
    // the records (real-time matching only ever merges), and their
    // activities part with them.
    fixtures::upsert(&mut app, vec![oskar()]).await;
    app.hub
        .match_full("test", &c360_hub::NoProgress)
        .await
        .expect("the full re-match runs");
    let billing_after = golden_of(&mut app, "billing", "cus_1").await;
    let crm_after = golden_of(&mut app, "crm", "row-1").await;
    assert_ne!(billing_after, crm_after);
    let billing_metrics = metrics_of(&mut app, &billing_after)
        .await
        .metrics
        .expect("metrics");
    assert_eq!(
        (billing_metrics.order_count, revenue(&billing_metrics)),
        (1, 10_000)
    );
    assert_eq!(billing_metrics.last_nps, None);
    let crm_metrics = metrics_of(&mut app, &crm_after)
        .await
        .metrics
        .expect("metrics");
    assert_eq!((crm_metrics.order_count, revenue(&crm_metrics)), (1, 5_000));
    assert_eq!(crm_metrics.last_nps, Some(9));
    app.stop().await;
}

async fn alerts_arrive_within_a_second_of_the_ingest(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(
        &mut app,
        vec![person("billing", "cus_9", "Nils", &["nils@example.org"])],
    )
    .await;
    upsert_activities(
        &mut app,
        vec![order("billing", "or_9", "cus_9", MARCH, 90_000)],
    )
    .await;
    let mut alerts = app
        .metrics
        .watch_alerts(v1::WatchAlertsRequest {
            rules: vec!["large_refund".into()],
        })
        .await
        .expect("WatchAlerts starts")
        .into_inner();
    let started = Instant::now();
    upsert_activities(
        &mut app,
        vec![v1::Activity {
            kind: v1::ActivityKind::Refund as i32,
            amount: usd(60_000),
            summary: "Refund of or_9".into(),
            ..order("billing", "re_9", "cus_9", MARCH + DAY, 0)
        }],
    )
    .await;
    let alert = tokio::time::timeout(Duration::from_secs(1), alerts.message())
        .await
        .expect("an alert within one second of the ingest")
        .expect("the stream is healthy")
        .expect("an alert, not the end of the stream");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(alert.rule, "large_refund");
    assert_eq!(
        alert.golden_id,
        golden_of(&mut app, "billing", "cus_9").await
    );
    assert_eq!(
        alert.details.get("amount").map(String::as_str),
        Some("600.00")
    );

    // The same refund again changes nothing and raises nothing.
    upsert_activities(
        &mut app,
        vec![v1::Activity {
            kind: v1::ActivityKind::Refund as i32,
            amount: usd(60_000),
            summary: "Refund of or_9".into(),
            ..order("billing", "re_9", "cus_9", MARCH + DAY, 0)
        }],
    )
    .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(300), alerts.message())
            .await
            .is_err(),
        "no second alert for an unchanged refund"
    );
    app.stop().await;
}

async fn recompute_portfolio_and_segments(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let people: Vec<v1::SourceRecord> = (0..6)
        .map(|n| {
            person(
                "shop",
                &format!("c{n}"),
                &format!("Person{n}"),
                &[&format!("p{n}@shop.example")],
            )
        })
        .collect();
    fixtures::upsert(&mut app, people).await;
    let mut activities = Vec::new();
    for n in 0..6i64 {
        // Customer n orders n + 1 times, 30 days apart, the last on day n
        // of March: higher n, more recent and more frequent.
        for k in 0..=n {
            activities.push(order(
                "shop",
                &format!("o{n}-{k}"),
                &format!("c{n}"),
                MARCH + n * DAY - k * 30 * DAY,
                10_000,
            ));
        }
    }
    activities.push(scored(
        "shop",
        "nps-5",
        "c5",
        v1::ActivityKind::NpsResponse,
        MARCH + 5 * DAY,
        10,
    ));
    upsert_activities(&mut app, activities).await;

    let report = app
        .metrics
        .recompute_metrics(v1::RecomputeMetricsRequest {})
        .await
        .expect("RecomputeMetrics succeeds")
        .into_inner();
    assert_eq!(report.customers, 6);

    let portfolio = app
        .metrics
        .get_portfolio_metrics(v1::GetPortfolioMetricsRequest {
            as_of: at(MARCH + 10 * DAY),
            period: "year".into(),
        })
        .await
        .expect("GetPortfolioMetrics succeeds")
        .into_inner()
        .metrics
        .expect("metrics");
    assert_eq!(portfolio.customers, 6);
    assert_eq!(portfolio.new_customers, 6);
    // 1 + 2 + … + 6 = 21 orders of 100.00.
    assert_eq!(
        portfolio.revenue.as_ref().map(|m| m.amount_minor),
        Some(210_000)
    );
    assert_eq!(portfolio.nps, Some(100.0));
    let equity = portfolio.equity.expect("equity");
    assert_eq!(equity.new_term.map(|m| m.amount_minor), Some(210_000));
    assert_eq!(equity.total.map(|m| m.amount_minor), Some(210_000));

    let segments = app
        .metrics
        .list_segments(v1::ListSegmentsRequest {})
        .await
        .expect("ListSegments succeeds")
        .into_inner()
        .segments;
    let promoters = segments
        .iter()
        .find(|segment| segment.name == "promoters")
        .expect("the promoters segment");
    assert_eq!(promoters.size, 1);
    let members = app
        .metrics
        .list_segment_members(v1::ListSegmentMembersRequest {
            segment: "promoters".into(),
            page_size: 10,
            page_token: String::new(),
        })
        .await
        .expect("ListSegmentMembers succeeds")
        .into_inner();
    assert_eq!(
        members.golden_ids,
        [golden_of(&mut app, "shop", "c5").await]
    );
    let sizes = app
        .metrics
        .get_segment_sizes(v1::GetSegmentSizesRequest {
            segment: "promoters".into(),
        })
        .await
        .expect("GetSegmentSizes succeeds")
        .into_inner()
        .sizes;
    assert_eq!(sizes.iter().map(|size| size.size).collect::<Vec<_>>(), [1]);

    // Paging through a bigger segment: champions need R ≥ 4 and F ≥ 4, which
    // c4 and c5 have (quintiles over six customers).
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = app
            .metrics
            .list_segment_members(v1::ListSegmentMembersRequest {
                segment: "champions".into(),
                page_size: 1,
                page_token: token,
            })
            .await
            .expect("a page")
            .into_inner();
        seen.extend(page.golden_ids);
        if page.next_page_token.is_empty() {
            break;
        }
        token = page.next_page_token;
    }
    let champions = segments
        .iter()
        .find(|segment| segment.name == "champions")
        .expect("the champions segment");
    assert_eq!(champions.size, 2);
    seen.sort();
    let mut expected = vec![
        golden_of(&mut app, "shop", "c4").await,
        golden_of(&mut app, "shop", "c5").await,
    ];
    expected.sort();
    assert_eq!(seen, expected);

    let c3 = golden_of(&mut app, "shop", "c3").await;
    let history = app
        .metrics
        .get_stage_history(v1::GetStageHistoryRequest { golden_id: c3 })
        .await
        .expect("GetStageHistory succeeds")
        .into_inner()
        .transitions;
    assert_eq!(
        history.first().map(|transition| transition.stage),
        Some(v1::LifecycleStage::New as i32)
    );
    assert!(history.len() >= 2, "{history:?}");
    app.stop().await;
}

async fn bad_metrics_requests_name_their_field(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let empty = app
        .metrics
        .get_customer_metrics(v1::GetCustomerMetricsRequest::default())
        .await
        .expect_err("an empty id is refused");
    assert_eq!(empty.code(), tonic::Code::InvalidArgument);
    assert_eq!(violated_field(&empty), "golden_id");

    let missing = app
        .metrics
        .get_customer_metrics(v1::GetCustomerMetricsRequest {
            golden_id: "0190a0b0-0000-7000-8000-000000000000".into(),
            as_of: None,
        })
        .await
        .expect_err("an unknown id is not found");
    assert_eq!(missing.code(), tonic::Code::NotFound);

    let period = app
        .metrics
        .get_portfolio_metrics(v1::GetPortfolioMetricsRequest {
            as_of: None,
            period: "fortnight".into(),
        })
        .await
        .expect_err("an unknown period is refused");
    assert_eq!(period.code(), tonic::Code::InvalidArgument);
    assert_eq!(violated_field(&period), "period");

    let segment = app
        .metrics
        .list_segment_members(v1::ListSegmentMembersRequest {
            segment: "vip".into(),
            ..v1::ListSegmentMembersRequest::default()
        })
        .await
        .expect_err("an unknown segment is not found");
    assert_eq!(segment.code(), tonic::Code::NotFound);

    let rule = app
        .metrics
        .watch_alerts(v1::WatchAlertsRequest {
            rules: vec!["everything".into()],
        })
        .await
        .expect_err("an unknown rule is refused");
    assert_eq!(rule.code(), tonic::Code::InvalidArgument);
    assert_eq!(violated_field(&rule), "rules[0]");
    app.stop().await;
}
