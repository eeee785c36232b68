//! Data stewardship over gRPC: the review queue, merge / keep apart / defer
//! with the engine honouring the decision in real time and on a full
//! re-match, splits that keep old ids resolving, pins, attribute conflicts,
//! optimistic concurrency (a concurrent double-resolve has one winner) and
//! the audit log behind every change.

use c360_integration_tests::{Backend, TestApp};
use c360_model::SourceKey;
use c360_proto::v1;
use c360_proto::v1::lookup_profile_request::Key;
use c360_store::repo::{matching, source_records};
use tonic::Code;

use super::fixtures::{self, record};

on_both_backends!(
    a_merge_decision_joins_the_customers_and_the_engine_keeps_them_together,
    a_keep_apart_decision_holds_in_real_time_and_on_a_full_re_match,
    keep_apart_holds_for_the_deterministic_engine,
    concurrent_resolves_have_exactly_one_winner,
    bad_steward_requests_are_refused,
    a_split_keeps_old_ids_resolving_and_is_not_re_merged,
    merge_profiles_keeps_the_oldest_id_and_checks_versions,
    pins_win_survivorship_and_resolve_attribute_conflicts,
    tasks_are_assigned_with_versions_and_listed_by_assignee,
    a_split_raises_no_task_for_the_records_it_separated,
);

fn probabilistic() -> c360_hub::config::HubConfig {
    let mut config = c360_hub::config::HubConfig::default();
    config.matching.engine = "probabilistic".into();
    config
}

fn kowalski(source: &str, id: &str, given: &str) -> v1::SourceRecord {
    v1::SourceRecord {
        given_name: given.into(),
        family_name: "Kowalski".into(),
        addresses: vec![v1::PostalAddress {
            city: "Hamburg".into(),
            country: "DE".into(),
            ..v1::PostalAddress::default()
        }],
        ..record(source, id)
    }
}

/// Jan and Piotr Kowalski of Hamburg: a borderline pair, one review task.
async fn borderline_pair(app: &mut TestApp) -> v1::ReviewTask {
    fixtures::upsert(app, vec![kowalski("crm", "1", "Jan")]).await;
    fixtures::upsert(app, vec![kowalski("support", "2", "Piotr")]).await;
    let tasks = list(app, v1::ListReviewTasksRequest::default()).await;
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    tasks.into_iter().next().expect("one task")
}

async fn list(app: &mut TestApp, request: v1::ListReviewTasksRequest) -> Vec<v1::ReviewTask> {
    app.steward
        .list_review_tasks(request)
        .await
        .expect("ListReviewTasks succeeds")
        .into_inner()
        .tasks
}

/// A request signed by steward `who` (auth is off in tests: the metadata names the actor).
fn as_steward<T>(who: &str, message: T) -> tonic::Request<T> {
    let mut request = tonic::Request::new(message);
    request
        .metadata_mut()
        .insert("x-c360-subject", who.parse().expect("ascii"));
    request
}

fn resolve(task: &v1::ReviewTask, decision: v1::ReviewDecision) -> v1::ResolveReviewTaskRequest {
    v1::ResolveReviewTaskRequest {
        task_id: task.task_id,
        version: task.version,
        decision: decision as i32,
        comment: "checked the contract".into(),
    }
}

async fn golden_of(app: &mut TestApp, source: &str, external_id: &str) -> v1::Profile {
    let found = fixtures::lookup(
        app,
        Key::SourceRecord(v1::SourceRef {
            source: source.into(),
            external_id: external_id.into(),
        }),
    )
    .await;
    assert_eq!(found.len(), 1, "{source}/{external_id}: {found:?}");
    found.into_iter().next().expect("one profile")
}

async fn audit_actions(app: &mut TestApp, golden_id: &str) -> Vec<(String, String)> {
    app.steward
        .get_audit_log(v1::GetAuditLogRequest {
            golden_id: golden_id.into(),
            ..v1::GetAuditLogRequest::default()
        })
        .await
        .expect("GetAuditLog succeeds")
        .into_inner()
        .entries
        .into_iter()
        .map(|entry| (entry.action, entry.actor))
        .collect()
}

async fn full_rematch(app: &TestApp) {
    app.hub
        .match_full("test", &c360_hub::NoProgress)
        .await
        .expect("full re-match");
}

async fn a_merge_decision_joins_the_customers_and_the_engine_keeps_them_together(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let task = borderline_pair(&mut app).await;
    assert_eq!(task.kind, v1::ReviewTaskKind::PotentialMatch as i32);
    assert_eq!(task.status, v1::ReviewTaskStatus::Open as i32);
    assert_ne!(task.left_golden_id, task.right_golden_id);

    // Side by side: both records raw and normalized, and the evidence.
    let detail = app
        .steward
        .get_review_task(v1::GetReviewTaskRequest {
            task_id: task.task_id,
        })
        .await
        .expect("GetReviewTask succeeds")
        .into_inner();
    let left = detail.left.expect("left record");
    assert!(left.payload_json.contains("Kowalski"), "{left:?}");
    assert!(left.normalized_json.contains("kowalski"), "{left:?}");
    assert!(detail.right.is_some());
    let family = detail
        .fields
        .iter()
        .find(|field| field.comparison == "family_name")
        .expect("family name compared");
    assert!(family.match_weight > 0.0, "{family:?}");
    assert_eq!(detail.task.expect("task").version, task.version);

    let resolved = app
        .steward
        .resolve_review_task(as_steward("ada", resolve(&task, v1::ReviewDecision::Merge)))
        .await
        .expect("merge succeeds")
        .into_inner();
    let survivor = resolved.golden_id.clone();
    assert_eq!(
        resolved.task.expect("task").status,
        v1::ReviewTaskStatus::Resolved as i32
    );
    assert_eq!(
        fixtures::all_golden_ids(&mut app).await,
        vec![survivor.clone()]
    );
    // The absorbed id redirects to the survivor.
    let absorbed = if task.left_golden_id == survivor {
        task.right_golden_id.clone()
    } else {
        task.left_golden_id.clone()
    };
    let redirected = fixtures::get(&mut app, &absorbed).await;
    assert!(redirected.redirected);
    assert_eq!(redirected.profile.expect("profile").golden_id, survivor);

    // The engine keeps them together: on a full re-match and on a new upsert.
    full_rematch(&app).await;
    assert_eq!(
        fixtures::all_golden_ids(&mut app).await,
        vec![survivor.clone()]
    );
    let mut changed = kowalski("support", "2", "Piotr");
    changed.phones = vec!["+49 40 1234567".into()];
    fixtures::upsert(&mut app, vec![changed]).await;
    assert_eq!(
        fixtures::all_golden_ids(&mut app).await,
        vec![survivor.clone()]
    );
    assert!(
        list(&mut app, v1::ListReviewTasksRequest::default())
            .await
            .is_empty()
    );

    let survivor_log = audit_actions(&mut app, &survivor).await;
    assert!(
        survivor_log.contains(&("merged".into(), "ada".into())),
        "{survivor_log:?}"
    );
    let absorbed_log = audit_actions(&mut app, &absorbed).await;
    assert!(
        absorbed_log.contains(&("absorbed".into(), "ada".into())),
        "{absorbed_log:?}"
    );
    app.stop().await;
}

async fn a_keep_apart_decision_holds_in_real_time_and_on_a_full_re_match(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let task = borderline_pair(&mut app).await;
    app.steward
        .resolve_review_task(as_steward(
            "grace",
            resolve(&task, v1::ReviewDecision::KeepApart),
        ))
        .await
        .expect("keep apart succeeds");
    // Piotr's record now reads exactly like Jan's: without the decision the
    // engine would link them.
    fixtures::upsert(&mut app, vec![kowalski("support", "2", "Jan")]).await;
    let jan = golden_of(&mut app, "crm", "1").await;
    let other = golden_of(&mut app, "support", "2").await;
    assert_ne!(jan.golden_id, other.golden_id);
    full_rematch(&app).await;
    let jan_after = golden_of(&mut app, "crm", "1").await;
    let other_after = golden_of(&mut app, "support", "2").await;
    assert_ne!(jan_after.golden_id, other_after.golden_id);
    // The decided task stays decided; no open task asks the question again.
    let open = list(&mut app, v1::ListReviewTasksRequest::default()).await;
    assert!(
        open.iter().all(|open| open.task_id != task.task_id),
        "{open:?}"
    );
    let resolved = list(
        &mut app,
        v1::ListReviewTasksRequest {
            status: v1::ReviewTaskStatus::Resolved as i32,
            ..v1::ListReviewTasksRequest::default()
        },
    )
    .await;
    let decided = resolved
        .iter()
        .find(|resolved| resolved.task_id == task.task_id)
        .expect("the decided task");
    assert_eq!(
        (decided.decision.as_str(), decided.resolved_by.as_str()),
        ("keep_apart", "grace")
    );
    let log = audit_actions(&mut app, &jan.golden_id).await;
    assert!(
        log.contains(&("kept_apart".into(), "grace".into())),
        "{log:?}"
    );
    app.stop().await;
}

async fn record_id(app: &TestApp, source: &str, external_id: &str) -> i64 {
    let mut connection = app.hub.store().pool().acquire().await.expect("connection");
    source_records::locate(&mut connection, &SourceKey::new(source, external_id))
        .await
        .expect("locate")
        .expect("stored")
        .0
}

async fn keep_apart_holds_for_the_deterministic_engine(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let person = |id: &str, given: &str, emails: &[&str]| v1::SourceRecord {
        given_name: given.into(),
        family_name: "Nowak".into(),
        emails: emails.iter().map(|email| (*email).to_owned()).collect(),
        ..record("crm", id)
    };
    fixtures::upsert(&mut app, vec![person("a", "Anna", &["anna@nowak.example"])]).await;
    fixtures::upsert(
        &mut app,
        vec![person("b", "Anna", &["a.nowak@work.example"])],
    )
    .await;
    // The deterministic engine opens no review tasks; a steward's question
    // about the pair is put in the queue directly.
    let (left, right) = (
        record_id(&app, "crm", "a").await,
        record_id(&app, "crm", "b").await,
    );
    {
        let mut connection = app.hub.store().pool().acquire().await.expect("connection");
        let row = matching::ReviewRow {
            kind: "potential_match".into(),
            link: matching::LinkRow {
                left,
                right,
                probability: 0.5,
                explanation: "{}".into(),
            },
            reason: "review_band".into(),
        };
        matching::open_review_tasks(&mut connection, &[row], 1)
            .await
            .expect("task");
    }
    let task = list(&mut app, v1::ListReviewTasksRequest::default())
        .await
        .remove(0);
    app.steward
        .resolve_review_task(resolve(&task, v1::ReviewDecision::KeepApart))
        .await
        .expect("keep apart succeeds");
    // A record carrying both e-mails would join them; so would b taking a's e-mail.
    fixtures::upsert(
        &mut app,
        vec![person(
            "c",
            "Anna",
            &["anna@nowak.example", "a.nowak@work.example"],
        )],
    )
    .await;
    fixtures::upsert(
        &mut app,
        vec![person(
            "b",
            "Anna",
            &["a.nowak@work.example", "anna@nowak.example"],
        )],
    )
    .await;
    let a = golden_of(&mut app, "crm", "a").await;
    let b = golden_of(&mut app, "crm", "b").await;
    assert_ne!(a.golden_id, b.golden_id, "kept apart");
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    app.stop().await;
}

async fn concurrent_resolves_have_exactly_one_winner(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let task = borderline_pair(&mut app).await;
    let mut first = app.steward.clone();
    let mut second = c360_proto::v1::steward_service_client::StewardServiceClient::new(
        tonic::transport::Channel::from_shared(app.address.clone())
            .expect("uri")
            .connect()
            .await
            .expect("second connection"),
    );
    let (merge, keep_apart) = tokio::join!(
        first.resolve_review_task(as_steward("ada", resolve(&task, v1::ReviewDecision::Merge))),
        second.resolve_review_task(as_steward(
            "grace",
            resolve(&task, v1::ReviewDecision::KeepApart)
        )),
    );
    let outcomes = [merge.map(|_| ()), keep_apart.map(|_| ())];
    let winners = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    assert_eq!(winners, 1, "{outcomes:?}");
    let loser = outcomes
        .iter()
        .find_map(|outcome| outcome.as_ref().err())
        .expect("a loser");
    assert_eq!(loser.code(), Code::Aborted, "{loser:?}");
    // The winner's decision is the one stored, and the version moved once.
    let detail = app
        .steward
        .get_review_task(v1::GetReviewTaskRequest {
            task_id: task.task_id,
        })
        .await
        .expect("GetReviewTask succeeds")
        .into_inner()
        .task
        .expect("task");
    assert_eq!(detail.version, task.version + 1);
    let goldens = fixtures::all_golden_ids(&mut app).await.len();
    match detail.decision.as_str() {
        "merge" => assert_eq!(goldens, 1),
        "keep_apart" => assert_eq!(goldens, 2),
        other => panic!("unexpected decision {other}"),
    }
    app.stop().await;
}

async fn bad_steward_requests_are_refused(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let task = borderline_pair(&mut app).await;
    let missing = app
        .steward
        .resolve_review_task(v1::ResolveReviewTaskRequest {
            task_id: 999_999,
            ..resolve(&task, v1::ReviewDecision::Merge)
        })
        .await
        .expect_err("no such task");
    assert_eq!(missing.code(), Code::NotFound, "{missing:?}");
    for decision in [99, v1::ReviewDecision::Unspecified as i32] {
        let status = app
            .steward
            .resolve_review_task(v1::ResolveReviewTaskRequest {
                decision,
                ..resolve(&task, v1::ReviewDecision::Merge)
            })
            .await
            .expect_err("no such decision");
        assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
        assert_eq!(fixtures::violated_field(&status), "decision");
    }
    let stale = app
        .steward
        .resolve_review_task(v1::ResolveReviewTaskRequest {
            version: task.version + 5,
            ..resolve(&task, v1::ReviewDecision::Merge)
        })
        .await
        .expect_err("stale version");
    assert_eq!(stale.code(), Code::Aborted, "{stale:?}");
    // Nothing changed.
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    let unknown = app
        .steward
        .get_review_task(v1::GetReviewTaskRequest { task_id: 424_242 })
        .await
        .expect_err("no such task");
    assert_eq!(unknown.code(), Code::NotFound);
    let bad_page = app
        .steward
        .list_review_tasks(v1::ListReviewTasksRequest {
            page_token: "not a token".into(),
            ..v1::ListReviewTasksRequest::default()
        })
        .await
        .expect_err("bad token");
    assert_eq!(bad_page.code(), Code::InvalidArgument);
    // Deferring takes the task out of the open queue.
    app.steward
        .resolve_review_task(resolve(&task, v1::ReviewDecision::Defer))
        .await
        .expect("defer succeeds");
    assert!(
        list(&mut app, v1::ListReviewTasksRequest::default())
            .await
            .is_empty()
    );
    let deferred = list(
        &mut app,
        v1::ListReviewTasksRequest {
            status: v1::ReviewTaskStatus::Deferred as i32,
            ..v1::ListReviewTasksRequest::default()
        },
    )
    .await;
    assert_eq!(deferred.len(), 1);
    app.stop().await;
}

async fn a_split_keeps_old_ids_resolving_and_is_not_re_merged(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let ada = golden_of(&mut app, "billing", "cus_ada").await;
    assert_eq!(
        golden_of(&mut app, "crm", "row-7").await.golden_id,
        ada.golden_id
    );
    let split = app
        .steward
        .split_profile(as_steward(
            "ada-steward",
            v1::SplitProfileRequest {
                golden_id: ada.golden_id.clone(),
                version: ada.version,
                records: vec![v1::SourceRef {
                    source: "crm".into(),
                    external_id: "row-7".into(),
                }],
                comment: "two different people share the mailbox".into(),
            },
        ))
        .await
        .expect("split succeeds")
        .into_inner();
    assert_eq!(split.golden_id, ada.golden_id);
    // The old id still resolves, to the records left behind, without a redirect.
    let kept = fixtures::get(&mut app, &ada.golden_id).await;
    assert!(!kept.redirected);
    let kept = kept.profile.expect("profile");
    assert_eq!(kept.crosswalk.len(), 1, "{:?}", kept.crosswalk);
    assert_eq!(
        golden_of(&mut app, "crm", "row-7").await.golden_id,
        split.new_golden_id
    );
    // A re-upsert of the moved record (same e-mail as before) does not re-merge it.
    let mut moved = fixtures::two_people().remove(1);
    moved.phones = vec!["+44 20 7946 0999".into()];
    fixtures::upsert(&mut app, vec![moved]).await;
    assert_eq!(
        golden_of(&mut app, "crm", "row-7").await.golden_id,
        split.new_golden_id
    );
    assert_eq!(
        golden_of(&mut app, "billing", "cus_ada").await.golden_id,
        ada.golden_id
    );
    // A stale version is refused and changes nothing.
    let stale = app
        .steward
        .split_profile(v1::SplitProfileRequest {
            golden_id: ada.golden_id.clone(),
            version: ada.version,
            records: vec![v1::SourceRef {
                source: "billing".into(),
                external_id: "cus_ada".into(),
            }],
            comment: String::new(),
        })
        .await
        .expect_err("stale");
    assert_eq!(stale.code(), Code::Aborted);
    let log = audit_actions(&mut app, &ada.golden_id).await;
    assert!(
        log.contains(&("split".into(), "ada-steward".into())),
        "{log:?}"
    );
    let new_log = audit_actions(&mut app, &split.new_golden_id).await;
    assert!(
        new_log.contains(&("created".into(), "ada-steward".into())),
        "{new_log:?}"
    );
    app.stop().await;
}

async fn merge_profiles_keeps_the_oldest_id_and_checks_versions(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    fixtures::upsert(&mut app, fixtures::two_people()).await;
    let ada = golden_of(&mut app, "billing", "cus_ada").await;
    let grace = golden_of(&mut app, "support", "1001").await;
    let stale = app
        .steward
        .merge_profiles(v1::MergeProfilesRequest {
            golden_ids: vec![ada.golden_id.clone(), grace.golden_id.clone()],
            versions: vec![ada.version, grace.version - 1],
            comment: String::new(),
        })
        .await
        .expect_err("stale");
    assert_eq!(stale.code(), Code::Aborted);
    let merged = app
        .steward
        .merge_profiles(v1::MergeProfilesRequest {
            golden_ids: vec![grace.golden_id.clone(), ada.golden_id.clone()],
            versions: vec![grace.version, ada.version],
            comment: "one household account".into(),
        })
        .await
        .expect("merge succeeds")
        .into_inner();
    let created = |profile: &v1::Profile| {
        profile
            .created_at
            .map(|at| (at.seconds, at.nanos))
            .unwrap_or_default()
    };
    let oldest = if created(&ada) <= created(&grace) {
        &ada
    } else {
        &grace
    };
    assert_eq!(&merged.golden_id, &oldest.golden_id);
    assert_eq!(
        fixtures::all_golden_ids(&mut app).await,
        vec![merged.golden_id.clone()]
    );
    for id in [&ada.golden_id, &grace.golden_id] {
        let found = fixtures::get(&mut app, id).await;
        assert_eq!(found.profile.expect("profile").golden_id, merged.golden_id);
    }
    let too_few = app
        .steward
        .merge_profiles(v1::MergeProfilesRequest {
            golden_ids: vec![merged.golden_id.clone()],
            versions: vec![merged.version],
            comment: String::new(),
        })
        .await
        .expect_err("one id");
    assert_eq!(too_few.code(), Code::InvalidArgument);
    app.stop().await;
}

async fn pins_win_survivorship_and_resolve_attribute_conflicts(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let person = |source: &str, birth_date: &str| v1::SourceRecord {
        given_name: "Mary".into(),
        family_name: "Jackson".into(),
        emails: vec!["mary@jackson.example".into()],
        birth_date: birth_date.into(),
        ..record(source, "m1")
    };
    fixtures::upsert(
        &mut app,
        vec![person("crm", "1921-04-09"), person("billing", "1921-09-04")],
    )
    .await;
    let mary = golden_of(&mut app, "crm", "m1").await;
    let conflicts = list(
        &mut app,
        v1::ListReviewTasksRequest {
            kind: v1::ReviewTaskKind::AttributeConflict as i32,
            ..v1::ListReviewTasksRequest::default()
        },
    )
    .await;
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].reason, "birth_date");
    // A merge is not an answer to a conflict.
    let wrong = app
        .steward
        .resolve_review_task(resolve(&conflicts[0], v1::ReviewDecision::Merge))
        .await
        .expect_err("conflicts are pinned");
    assert_eq!(wrong.code(), Code::InvalidArgument);

    let pinned = app
        .steward
        .pin_attribute(as_steward(
            "ada",
            v1::PinAttributeRequest {
                golden_id: mary.golden_id.clone(),
                version: mary.version,
                attribute: "birth_date".into(),
                value: "1921-04-09".into(),
                reason: "birth certificate".into(),
                expires_at: None,
            },
        ))
        .await
        .expect("pin succeeds")
        .into_inner();
    let profile = fixtures::get(&mut app, &mary.golden_id)
        .await
        .profile
        .expect("profile");
    let birth_date = profile.birth_date.expect("birth date");
    assert_eq!(birth_date.value, "1921-04-09");
    assert_eq!(
        birth_date.lineage.expect("lineage").rule,
        v1::SurvivorshipRule::StewardPin as i32
    );
    assert!(
        list(&mut app, v1::ListReviewTasksRequest::default())
            .await
            .is_empty()
    );
    let lineage = app
        .steward
        .get_lineage(v1::GetLineageRequest {
            golden_id: mary.golden_id.clone(),
        })
        .await
        .expect("GetLineage succeeds")
        .into_inner();
    let entry = lineage
        .entries
        .iter()
        .find(|entry| entry.attribute == "birth_date")
        .expect("birth date lineage");
    assert_eq!(
        (entry.rule.as_str(), entry.pinned_by.as_str()),
        ("steward_pin", "ada")
    );
    assert_eq!(entry.pin_reason, "birth certificate");
    // The pin survives new data.
    fixtures::upsert(&mut app, vec![person("support", "1921-09-04")]).await;
    let profile = fixtures::get(&mut app, &mary.golden_id)
        .await
        .profile
        .expect("profile");
    assert_eq!(profile.birth_date.expect("birth date").value, "1921-04-09");
    // Unpinning with the old version is stale; with the current one it works.
    let stale = app
        .steward
        .unpin_attribute(v1::UnpinAttributeRequest {
            golden_id: mary.golden_id.clone(),
            version: pinned.version,
            attribute: "birth_date".into(),
            reason: String::new(),
        })
        .await
        .expect_err("stale");
    assert_eq!(stale.code(), Code::Aborted);
    app.steward
        .unpin_attribute(v1::UnpinAttributeRequest {
            golden_id: mary.golden_id.clone(),
            version: profile.version,
            attribute: "birth_date".into(),
            reason: "pinned by mistake".into(),
        })
        .await
        .expect("unpin succeeds");
    let log = audit_actions(&mut app, &mary.golden_id).await;
    for action in [
        "created",
        "attribute_pinned",
        "updated",
        "attribute_unpinned",
    ] {
        assert!(
            log.iter().any(|(logged, _)| logged == action),
            "{action}: {log:?}"
        );
    }
    app.stop().await;
}

fn assign(task: &v1::ReviewTask, assignee: &str) -> v1::AssignReviewTaskRequest {
    v1::AssignReviewTaskRequest {
        task_id: task.task_id,
        version: task.version,
        assignee: assignee.into(),
    }
}

async fn tasks_are_assigned_with_versions_and_listed_by_assignee(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    let task = borderline_pair(&mut app).await;
    assert_eq!(task.assignee, "");
    let assigned = app
        .steward
        .assign_review_task(as_steward("lead", assign(&task, " ada ")))
        .await
        .expect("assign succeeds")
        .into_inner()
        .task
        .expect("task");
    assert_eq!(assigned.assignee, "ada");
    assert_eq!(assigned.version, task.version + 1);
    assert_eq!(assigned.status, v1::ReviewTaskStatus::Open as i32);

    // The queue filters by assignee.
    let by = |who: &str| v1::ListReviewTasksRequest {
        assignee: who.into(),
        ..v1::ListReviewTasksRequest::default()
    };
    assert_eq!(list(&mut app, by("ada")).await.len(), 1);
    assert!(list(&mut app, by("grace")).await.is_empty());

    // A second steward holding the old version loses, and nothing changes.
    let stale = app
        .steward
        .assign_review_task(as_steward("grace", assign(&task, "grace")))
        .await
        .expect_err("stale version");
    assert_eq!(stale.code(), Code::Aborted, "{stale:?}");
    assert_eq!(list(&mut app, by("ada")).await.len(), 1);

    // Bad input names its field; a missing task is NOT_FOUND.
    let bad = app
        .steward
        .assign_review_task(assign(&assigned, "ada\u{7}"))
        .await
        .expect_err("control character");
    assert_eq!(bad.code(), Code::InvalidArgument);
    assert_eq!(fixtures::violated_field(&bad), "assignee");
    let missing = app
        .steward
        .assign_review_task(v1::AssignReviewTaskRequest {
            task_id: 777_777,
            ..assign(&assigned, "ada")
        })
        .await
        .expect_err("no such task");
    assert_eq!(missing.code(), Code::NotFound);

    // Released, then resolved: a resolved task is not re-assigned.
    let released = app
        .steward
        .assign_review_task(assign(&assigned, ""))
        .await
        .expect("release succeeds")
        .into_inner()
        .task
        .expect("task");
    assert_eq!(released.assignee, "");
    assert!(list(&mut app, by("ada")).await.is_empty());
    let resolved = app
        .steward
        .resolve_review_task(resolve(&released, v1::ReviewDecision::KeepApart))
        .await
        .expect("keep apart succeeds")
        .into_inner()
        .task
        .expect("task");
    let late = app
        .steward
        .assign_review_task(assign(&resolved, "ada"))
        .await
        .expect_err("resolved");
    assert_eq!(late.code(), Code::FailedPrecondition, "{late:?}");

    // Who assigned whom is in the customers' audit logs.
    let log = audit_actions(&mut app, &task.left_golden_id).await;
    assert!(
        log.contains(&("review_assigned".into(), "lead".into())),
        "{log:?}"
    );
    assert!(
        log.iter().any(|(action, _)| action == "review_unassigned"),
        "{log:?}"
    );
    app.stop().await;
}

/// Jan Kowalski as three sources hold him: the engine links all three.
fn jan(source: &str, id: &str) -> v1::SourceRecord {
    v1::SourceRecord {
        emails: vec!["jan.kowalski@example.de".into()],
        birth_date: "1975-03-14".into(),
        ..kowalski(source, id, "Jan")
    }
}

async fn a_split_raises_no_task_for_the_records_it_separated(backend: Backend) {
    let mut app = TestApp::spawn_with(backend, probabilistic()).await;
    fixtures::upsert(
        &mut app,
        vec![jan("crm", "1"), jan("billing", "2"), jan("support", "3")],
    )
    .await;
    let customer = golden_of(&mut app, "crm", "1").await;
    assert_eq!(customer.crosswalk.len(), 3, "{customer:?}");
    let split = app
        .steward
        .split_profile(v1::SplitProfileRequest {
            golden_id: customer.golden_id.clone(),
            version: customer.version,
            records: vec![v1::SourceRef {
                source: "billing".into(),
                external_id: "2".into(),
            }],
            comment: "billing merged two accounts by mistake".into(),
        })
        .await
        .expect("split succeeds")
        .into_inner();
    // The moved record changes; the engine still scores it a match of the
    // others, keeps it apart, and does not ask the steward again.
    let mut changed = jan("billing", "2");
    changed.phones = vec!["+49 40 7654321".into()];
    fixtures::upsert(&mut app, vec![changed]).await;
    assert_eq!(
        golden_of(&mut app, "billing", "2").await.golden_id,
        split.new_golden_id
    );
    assert_eq!(
        golden_of(&mut app, "crm", "1").await.golden_id,
        customer.golden_id
    );
    let open = list(&mut app, v1::ListReviewTasksRequest::default()).await;
    assert!(open.is_empty(), "{open:?}");
    // Nor does a full re-match.
    full_rematch(&app).await;
    let open = list(&mut app, v1::ListReviewTasksRequest::default()).await;
    assert!(open.is_empty(), "{open:?}");
    assert_eq!(fixtures::all_golden_ids(&mut app).await.len(), 2);
    app.stop().await;
}
