use jiff::SignedDuration;
use phongdich_domain::accounts::Role;
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::venues::{ExposureWindow, RiskLevel};
use phongdich_store::{CheckOut, NewCheckin, NewVenue, Store, StoreError, Venue};

use crate::helpers::{actor, at, each_store};

fn new_venue(code: &str, unit: &str, owner: Option<i64>) -> NewVenue {
    NewVenue {
        code: code.into(),
        name: format!("Chợ {code}"),
        category: "market".into(),
        unit_code: unit.into(),
        street: "Thôn 1".into(),
        position: Some((22.54, 104.29)),
        owner_citizen_id: owner,
        created_at: at(0),
    }
}

async fn citizen(s: &Store, n: u32) -> i64 {
    let phone = PhoneNumber::parse("phone", &format!("09120{n:05}")).unwrap();
    s.create_citizen(&phone, Some(&format!("Người {n}")), Some("02839"), at(0))
        .await
        .unwrap()
}

fn checkin(venue: &Venue, citizen: i64, client: &str, from: i64, to: i64) -> NewCheckin {
    NewCheckin {
        venue_id: venue.id,
        origin: format!("c:{citizen}"),
        client_id: client.into(),
        citizen_id: citizen,
        member_id: None,
        in_at: at(from),
        auto_out_at: at(to),
        method: phongdich_domain::venues::CheckinMethod::SelfScan,
    }
}

#[tokio::test]
async fn venues_register_import_all_or_nothing_and_list_by_jurisdiction() {
    each_store(|db| async move {
        let s = &db.store;
        let owner = citizen(s, 1).await;
        let v = s
            .create_venue(&new_venue("V00000001", "02839", Some(owner)))
            .await
            .unwrap();
        assert_eq!(v.unit_path, "VN/15/02839/");
        assert_eq!(v.position, Some((22.54, 104.29)));
        assert!(matches!(
            s.create_venue(&new_venue("V00000001", "02839", None)).await,
            Err(StoreError::Conflict("venue_code_taken"))
        ));
        // One bad row (a clashing code) leaves nothing of the import behind.
        let batch = [
            new_venue("V00000002", "03006", None),
            new_venue("V00000001", "03006", None),
        ];
        assert!(s.import_venues(&batch).await.is_err());
        assert!(s.venue_by_code("V00000002").await.unwrap().is_none());
        let ids = s.import_venues(&batch[..1]).await.unwrap();
        assert_eq!(ids.len(), 1);
        let bac_ha = actor(s, "yte.bacha", Role::HealthOfficial, "02839").await;
        let province = actor(s, "yte.laocai", Role::HealthOfficial, "15").await;
        let codes = |vs: Vec<Venue>| vs.into_iter().map(|v| v.code).collect::<Vec<_>>();
        assert_eq!(
            codes(
                s.venues_in_jurisdiction(&bac_ha, None, None, 100)
                    .await
                    .unwrap()
            ),
            ["V00000001"]
        );
        assert_eq!(
            s.venues_in_jurisdiction(&province, None, None, 100)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            codes(s.venues_of_owner(owner).await.unwrap()),
            ["V00000001"]
        );
    })
    .await;
}

#[tokio::test]
async fn retried_checkins_return_the_stored_visit_and_check_out_ends_it() {
    each_store(|db| async move {
        let s = &db.store;
        let owner = citizen(s, 1).await;
        let visitor = citizen(s, 2).await;
        let v = s
            .create_venue(&new_venue("V00000001", "02839", Some(owner)))
            .await
            .unwrap();
        let first = s
            .record_checkins(&[checkin(&v, visitor, "abc", 0, 5400)])
            .await
            .unwrap();
        let again = s
            .record_checkins(&[checkin(&v, visitor, "abc", 60, 6000)])
            .await
            .unwrap();
        assert_eq!(first, again, "a retry returns the first visit unchanged");
        assert_eq!(s.checkin_count().await.unwrap(), 1);
        assert!(first[0].out_auto.0);

        let out = CheckOut {
            venue_id: v.id,
            citizen_id: visitor,
            members: vec![None],
            at: at(1800),
            client_id: "out-1".into(),
        };
        let ended = s.check_out(&out).await.unwrap();
        let ended = ended[0].clone().expect("the visit is ended");
        assert_eq!(ended.out_at.0, at(1800));
        assert!(!ended.out_auto.0);
        assert_eq!(
            s.check_out(&out).await.unwrap()[0].as_ref(),
            Some(&ended),
            "retried check-out"
        );
        let never = CheckOut {
            client_id: "out-2".into(),
            ..out.clone()
        };
        assert_eq!(
            s.check_out(&never).await.unwrap(),
            [None],
            "nothing left to end"
        );
        assert_eq!(
            s.citizen_visits(visitor, 10).await.unwrap()[0].venue_code,
            "V00000001"
        );
    })
    .await;
}

#[tokio::test]
async fn exposure_alerts_exactly_the_overlapping_visitors_and_reads_are_audited() {
    each_store(|db| async move {
        let s = &db.store;
        let owner = citizen(s, 1).await;
        let v = s
            .create_venue(&new_venue("V00000001", "02839", Some(owner)))
            .await
            .unwrap();
        // Window 10:00–11:00 (in seconds from the epoch of `at`), margin 15 min.
        let (inside, near, before, after) = (
            citizen(s, 2).await,
            citizen(s, 3).await,
            citizen(s, 4).await,
            citizen(s, 5).await,
        );
        s.record_checkins(&[
            checkin(&v, inside, "a", 36_000 + 600, 36_000 + 1200),
            checkin(&v, near, "b", 36_000 - 3600, 36_000 - 600),
            checkin(&v, before, "c", 36_000 - 7200, 36_000 - 1800),
            checkin(&v, after, "d", 39_600 + 1200, 39_600 + 3600),
        ])
        .await
        .unwrap();
        let official = actor(s, "yte.bacha", Role::HealthOfficial, "02839").await;
        let window = ExposureWindow {
            starts_at: at(36_000),
            ends_at: at(39_600),
            level: RiskLevel::High,
            case_ref: Some("BN-1".into()),
        };
        let margin = SignedDuration::from_mins(15);
        let (id, alerted) = s
            .create_exposure(&official, &v, &window, margin, true, at(50_000))
            .await
            .unwrap();
        assert_eq!(alerted, 2);
        assert_eq!(s.citizen_alerts(inside, 100).await_len().await, 1);
        assert_eq!(s.citizen_alerts(near, 100).await_len().await, 1);
        assert_eq!(s.citizen_alerts(before, 100).await_len().await, 0);
        assert_eq!(s.citizen_alerts(after, 100).await_len().await, 0);

        let exposure = s.exposure(id).await.unwrap().unwrap();
        assert_eq!(exposure.alerted, 2);
        let audits = s.audit_count().await.unwrap();
        let visitors = s
            .staff_exposure_visitors(&official, &exposure, &v.unit_path, margin, at(50_001))
            .await
            .unwrap();
        let mut ids: Vec<_> = visitors.iter().map(|x| x.citizen_id).collect();
        ids.sort();
        assert_eq!(ids, [inside, near]);
        let sa_pa = actor(s, "yte.sapa", Role::HealthOfficial, "03006").await;
        assert!(matches!(
            s.staff_exposure_visitors(&sa_pa, &exposure, &v.unit_path, margin, at(50_002))
                .await,
            Err(StoreError::OutOfJurisdiction)
        ));
        assert!(matches!(
            s.create_exposure(&sa_pa, &v, &window, margin, true, at(50_003))
                .await,
            Err(StoreError::OutOfJurisdiction)
        ));
        // The owner reads the log; another citizen is refused; all three reads are audited.
        assert_eq!(
            s.owner_venue_log(owner, "owner", &v, at(0), at(50_004))
                .await
                .unwrap()
                .len(),
            4
        );
        assert!(matches!(
            s.owner_venue_log(inside, "stranger", &v, at(0), at(50_005))
                .await,
            Err(StoreError::OutOfJurisdiction)
        ));
        assert_eq!(s.audit_count().await.unwrap(), audits + 4);
        assert_eq!(s.exposures_since(at(0)).await.unwrap().len(), 1);
        // On-device mode records the window but alerts nobody.
        let (_, none) = s
            .create_exposure(&official, &v, &window, margin, false, at(50_006))
            .await
            .unwrap();
        assert_eq!(none, 0);
    })
    .await;
}

#[tokio::test]
async fn retention_deletes_old_visits_and_their_alerts() {
    each_store(|db| async move {
        let s = &db.store;
        let visitor = citizen(s, 2).await;
        let v = s
            .create_venue(&new_venue("V00000001", "02839", None))
            .await
            .unwrap();
        s.record_checkins(&[
            checkin(&v, visitor, "old", 0, 100),
            checkin(&v, visitor, "new", 10_000, 10_100),
        ])
        .await
        .unwrap();
        // Two phone-only visitors typed by staff: one with only an old visit, one with a new one.
        let gone = PhoneNumber::parse("phone", "0987000301").unwrap();
        let kept = PhoneNumber::parse("phone", "0987000302").unwrap();
        let gone_id = s.phone_visitor(&gone, at(0)).await.unwrap();
        assert_eq!(
            s.phone_visitor(&gone, at(1)).await.unwrap(),
            gone_id,
            "one record per number"
        );
        let kept_id = s.phone_visitor(&kept, at(0)).await.unwrap();
        s.record_checkins(&[
            checkin(&v, gone_id, "typed-old", 0, 100),
            checkin(&v, kept_id, "typed-new", 10_000, 10_100),
        ])
        .await
        .unwrap();
        // An account's number is never made phone-only.
        let phone = PhoneNumber::parse("phone", "0912000002").unwrap();
        assert_eq!(s.phone_visitor(&phone, at(2)).await.unwrap(), visitor);
        assert!(!s.is_phone_only(visitor).await.unwrap());

        let (visits, _, phone_only) = s.purge_checkins(at(5_000)).await.unwrap();
        assert_eq!((visits, phone_only), (2, 1));
        assert_eq!(s.checkin_count().await.unwrap(), 2);
        assert!(s.citizen(gone_id).await.unwrap().is_none());
        assert!(s.is_phone_only(kept_id).await.unwrap());
        assert!(
            s.citizen(visitor).await.unwrap().is_some(),
            "accounts follow their own period"
        );
    })
    .await;
}

trait AlertCount {
    async fn await_len(self) -> usize;
}

impl<F: std::future::Future<Output = phongdich_store::Result<Vec<phongdich_store::Alert>>>>
    AlertCount for F
{
    async fn await_len(self) -> usize {
        self.await.unwrap().len()
    }
}
