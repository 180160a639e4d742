use phongdich_domain::accounts::Role;
use phongdich_domain::phone::PhoneNumber;
use phongdich_store::{DeclarationFilter, NewDeclaration, NewStaff, Store, StoreError, Subject};

use crate::helpers::{at, each_store};

fn new(
    kind: &str,
    subject: &str,
    unit: &str,
    day: &str,
    colour: &str,
    flags: &[&str],
    secs: i64,
) -> NewDeclaration {
    NewDeclaration {
        kind: kind.into(),
        citizen_id: None,
        member_id: None,
        subject: subject.into(),
        full_name: format!("Người {subject}"),
        unit_code: unit.into(),
        day: day.into(),
        colour: colour.into(),
        severity: match colour {
            "red" => 2,
            "yellow" => 1,
            _ => 0,
        },
        flags: flags.iter().map(|f| f.to_string()).collect(),
        answers: "{}".into(),
        declared_at: at(secs),
        declared_by_staff: None,
        monitor_from: None,
        monitor_until: None,
    }
}

async fn official(s: &Store, username: &str, unit: &str) -> phongdich_domain::jurisdiction::Actor {
    let new = NewStaff {
        username: username.into(),
        password_hash: "x".into(),
        full_name: username.into(),
        role: Role::HealthOfficial,
        unit_code: unit.into(),
    };
    let id = s.create_staff(&new, at(0)).await.unwrap();
    s.create_staff_session(id, username, at(0), at(10_000))
        .await
        .unwrap();
    match s.session(username, at(1)).await.unwrap() {
        Some(Subject::Staff(a)) => a,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn daily_updates_replace_the_same_day_and_the_latest_is_current() {
    each_store(|db| async move {
        let s = &db.store;
        let citizen = s
            .create_citizen(
                &PhoneNumber::parse("p", "0912345678").unwrap(),
                None,
                Some("02839"),
                at(0),
            )
            .await
            .unwrap();
        let mut first = new("domestic", "aa", "02839", "2027-01-15", "green", &[], 10);
        first.citizen_id = Some(citizen);
        s.insert_declaration(&first).await.unwrap();
        s.insert_declaration(&new(
            "daily_update",
            "aa",
            "02839",
            "2027-01-15",
            "yellow",
            &["fever"],
            20,
        ))
        .await
        .unwrap();
        s.insert_declaration(&new(
            "daily_update",
            "aa",
            "02839",
            "2027-01-15",
            "green",
            &[],
            30,
        ))
        .await
        .unwrap();
        let latest = s.latest_declaration("aa").await.unwrap().unwrap();
        assert_eq!(
            (latest.kind.as_str(), latest.colour.as_str()),
            ("daily_update", "green"),
            "{}",
            db.name
        );
        let a = official(s, "yte.bacha", "02839").await;
        let all = s
            .staff_list_declarations(
                &a,
                &DeclarationFilter {
                    limit: 100,
                    ..Default::default()
                },
                "declaration.list",
                at(40),
            )
            .await
            .unwrap();
        assert_eq!(
            all.len(),
            2,
            "the earlier daily update of the day was replaced"
        );
        assert_eq!(s.citizen_declarations(citizen, 10).await.unwrap().len(), 1);
        assert!(s.latest_declaration("zz").await.unwrap().is_none());
        let bad = new("domestic", "bb", "99999", "2027-01-15", "green", &[], 10);
        assert!(matches!(
            s.insert_declaration(&bad).await,
            Err(StoreError::UnknownUnit(_))
        ));
    })
    .await;
}

#[tokio::test]
async fn officials_list_their_jurisdiction_risky_first_with_filters() {
    each_store(|db| async move {
        let s = &db.store;
        s.insert_declaration(&new(
            "domestic",
            "a",
            "02839",
            "2027-01-14",
            "green",
            &[],
            10,
        ))
        .await
        .unwrap();
        s.insert_declaration(&new(
            "domestic",
            "b",
            "02839",
            "2027-01-15",
            "red",
            &["contact_with_case", "symptoms"],
            20,
        ))
        .await
        .unwrap();
        s.insert_declaration(&new(
            "domestic_travel",
            "c",
            "03006",
            "2027-01-15",
            "yellow",
            &["symptoms"],
            30,
        ))
        .await
        .unwrap();
        s.insert_declaration(&new(
            "domestic",
            "d",
            "00070",
            "2027-01-15",
            "red",
            &["contact_with_case"],
            40,
        ))
        .await
        .unwrap();

        let province = official(s, "yte.laocai", "15").await;
        let commune = official(s, "yte.bacha", "02839").await;
        let list = |a: phongdich_domain::jurisdiction::Actor, f: DeclarationFilter| {
            let s = s.clone();
            async move {
                s.staff_list_declarations(
                    &a,
                    &DeclarationFilter { limit: 100, ..f },
                    "declaration.list",
                    at(50),
                )
                .await
            }
        };
        let subjects = |v: Vec<phongdich_store::StoredDeclaration>| {
            v.into_iter().map(|d| d.subject).collect::<Vec<_>>()
        };
        assert_eq!(
            subjects(
                list(province.clone(), DeclarationFilter::default())
                    .await
                    .unwrap()
            ),
            ["b", "c", "a"],
            "{}",
            db.name
        );
        assert_eq!(
            subjects(
                list(commune.clone(), DeclarationFilter::default())
                    .await
                    .unwrap()
            ),
            ["b", "a"]
        );
        let flagged = DeclarationFilter {
            flagged_only: true,
            ..Default::default()
        };
        assert_eq!(
            subjects(list(province.clone(), flagged).await.unwrap()),
            ["b", "c"]
        );
        let by_flag = DeclarationFilter {
            flag: Some("symptoms".into()),
            ..Default::default()
        };
        assert_eq!(
            subjects(list(province.clone(), by_flag).await.unwrap()),
            ["b", "c"]
        );
        let by_kind = DeclarationFilter {
            kind: Some("domestic_travel".into()),
            ..Default::default()
        };
        assert_eq!(
            subjects(list(province.clone(), by_kind).await.unwrap()),
            ["c"]
        );
        let by_day = DeclarationFilter {
            from_day: Some("2027-01-15".into()),
            unit_code: Some("02839".into()),
            ..Default::default()
        };
        assert_eq!(
            subjects(list(province.clone(), by_day).await.unwrap()),
            ["b"]
        );
        let outside = DeclarationFilter {
            unit_code: Some("03006".into()),
            ..Default::default()
        };
        assert!(matches!(
            list(commune.clone(), outside).await,
            Err(StoreError::OutOfJurisdiction)
        ));

        let hanoi = list(province.clone(), DeclarationFilter::default())
            .await
            .unwrap();
        assert!(hanoi.iter().all(|d| d.subject != "d"));
        let d_id = {
            let national = official(s, "bo.yte", "VN").await;
            list(national, DeclarationFilter::default())
                .await
                .unwrap()
                .into_iter()
                .find(|d| d.subject == "d")
                .unwrap()
                .id
        };
        assert!(matches!(
            s.staff_read_declaration(&province, d_id, at(60)).await,
            Err(StoreError::OutOfJurisdiction)
        ));
        let log = s.audit_log(&province, 100).await.unwrap();
        assert!(log
            .iter()
            .any(|r| r.action == "declaration.read" && r.outcome == "denied"));
    })
    .await;
}

#[tokio::test]
async fn missed_daily_updates_of_people_under_monitoring() {
    each_store(|db| async move {
        let s = &db.store;
        for (subject, until) in [
            ("x", "2027-01-25"),
            ("y", "2027-01-25"),
            ("z", "2027-01-10"),
        ] {
            let mut e = new(
                "entry",
                subject,
                "02839",
                "2027-01-05",
                "yellow",
                &["entry_recent"],
                10,
            );
            e.monitor_from = Some("2027-01-05".into());
            e.monitor_until = Some(until.into());
            s.insert_declaration(&e).await.unwrap();
        }
        s.insert_declaration(&new(
            "daily_update",
            "x",
            "02839",
            "2027-01-14",
            "green",
            &[],
            20,
        ))
        .await
        .unwrap();
        assert!(s.under_monitoring("y", "2027-01-14").await.unwrap());
        assert!(!s.under_monitoring("z", "2027-01-14").await.unwrap());
        let a = official(s, "yte.bacha", "02839").await;
        let missed = s
            .staff_missed_updates(&a, "2027-01-14", at(30))
            .await
            .unwrap();
        assert_eq!(
            missed
                .iter()
                .map(|m| m.subject.as_str())
                .collect::<Vec<_>>(),
            ["y"],
            "{}",
            db.name
        );
    })
    .await;
}
