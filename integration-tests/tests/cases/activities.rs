//! Activities: idempotent upserts, the cross-source timeline and the
//! at-a-glance summary; activities that arrive before their record.

use c360_integration_tests::{Backend, TestApp};
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;

use super::fixtures::{self, FEBRUARY, JANUARY, MARCH, at};

on_both_backends!(activities_build_the_timeline_and_summary);

fn activity(
    source: &str,
    id: &str,
    record: &str,
    kind: v1::ActivityKind,
    when: i64,
) -> v1::Activity {
    v1::Activity {
        source: source.into(),
        external_id: id.into(),
        record_external_id: record.into(),
        kind: kind as i32,
        occurred_at: at(when),
        ..v1::Activity::default()
    }
}

fn money(amount_minor: i64) -> Option<v1::Money> {
    Some(v1::Money {
        amount_minor,
        currency: "EUR".into(),
    })
}

async fn activities_build_the_timeline_and_summary(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let activities = vec![
        v1::Activity {
            amount: money(4900),
            summary: "Invoice 2026-001".into(),
            ..activity(
                "billing",
                "in_1",
                "cus_grace",
                v1::ActivityKind::InvoicePaid,
                JANUARY,
            )
        },
        v1::Activity {
            amount: money(12_000),
            summary: "Order #1042".into(),
            ..activity(
                "billing",
                "or_1",
                "cus_grace",
                v1::ActivityKind::Order,
                FEBRUARY,
            )
        },
        v1::Activity {
            amount: money(2000),
            summary: "Refund for #1042".into(),
            ..activity(
                "billing",
                "re_1",
                "cus_grace",
                v1::ActivityKind::Refund,
                FEBRUARY + 60,
            )
        },
        v1::Activity {
            summary: "Pro".into(),
            ..activity(
                "billing",
                "sub_1",
                "cus_grace",
                v1::ActivityKind::SubscriptionStarted,
                JANUARY - 60,
            )
        },
        v1::Activity {
            summary: "Cannot log in".into(),
            ..activity(
                "support",
                "t-1:opened",
                "1001",
                v1::ActivityKind::TicketOpened,
                MARCH,
            )
        },
        v1::Activity {
            score: Some(9),
            summary: "Great support".into(),
            ..activity(
                "support",
                "nps-1",
                "1001",
                v1::ActivityKind::NpsResponse,
                MARCH + 60,
            )
        },
    ];
    // Activities first: they wait for their records and attach when these arrive.
    let stored = app
        .ingest
        .upsert_activities(v1::UpsertActivitiesRequest {
            activities: activities.clone(),
        })
        .await
        .expect("UpsertActivities succeeds")
        .into_inner();
    assert_eq!((stored.inserted, stored.rejected), (6, 0));
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let again = app
        .ingest
        .upsert_activities(v1::UpsertActivitiesRequest { activities })
        .await
        .expect("UpsertActivities succeeds")
        .into_inner();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 6));

    let grace =
        fixtures::lookup(&mut app, Key::Email("grace.hopper@navy.example.mil".into())).await;
    let grace = &grace[0];
    let timeline: Vec<&str> = grace
        .recent_activity
        .iter()
        .map(|entry| entry.summary.as_str())
        .collect();
    assert_eq!(
        timeline,
        vec![
            "Great support",
            "Cannot log in",
            "Refund for #1042",
            "Order #1042",
            "Invoice 2026-001",
            "Pro"
        ]
    );
    assert_eq!(grace.recent_activity[0].score, Some(9));
    let summary = grace.summary.as_ref().expect("summary");
    assert_eq!(summary.order_count, 1);
    assert_eq!(
        summary.revenue,
        vec![v1::Money {
            amount_minor: 4900 + 12_000 - 2000,
            currency: "EUR".into()
        }]
    );
    assert_eq!(summary.last_order_summary, "Order #1042");
    assert_eq!(summary.current_plan, "Pro");
    assert_eq!(summary.open_tickets, 1);
    assert_eq!(
        summary.customer_since.map(|at| at.seconds),
        Some(JANUARY - 60)
    );
    assert_eq!(
        summary.last_contact_at.map(|at| at.seconds),
        Some(MARCH + 60)
    );
    app.stop().await;
}
