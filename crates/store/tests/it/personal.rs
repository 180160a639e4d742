use phongdich_domain::accounts::Role;
use phongdich_domain::phone::PhoneNumber;
use phongdich_store::StoreError;

use crate::helpers::{actor, at, each_store};

fn phone(s: &str) -> PhoneNumber {
    PhoneNumber::parse("phone", s).unwrap()
}

#[tokio::test]
async fn officials_see_only_their_subtree_and_every_read_is_audited() {
    each_store(|db| async move {
        let s = &db.store;
        let in_bac_ha = s
            .create_citizen(
                &phone("0912000001"),
                Some("Vàng A Chứ"),
                Some("02839"),
                at(0),
            )
            .await
            .unwrap();
        let in_sa_pa = s
            .create_citizen(
                &phone("0912000002"),
                Some("Hoàng Thị Hoa"),
                Some("03006"),
                at(0),
            )
            .await
            .unwrap();
        let in_hanoi = s
            .create_citizen(
                &phone("0912000003"),
                Some("Nguyễn Văn Nam"),
                Some("00070"),
                at(0),
            )
            .await
            .unwrap();
        let unplaced = s
            .create_citizen(&phone("0912000004"), None, None, at(0))
            .await
            .unwrap();

        let commune = actor(s, "xa.bacha", Role::HealthOfficial, "02839").await;
        let province = actor(s, "tinh.laocai", Role::HealthOfficial, "15").await;
        let national = actor(s, "bo.yte", Role::Admin, "VN").await;

        let ids = |v: Vec<phongdich_store::personal::CitizenSummary>| {
            let mut ids: Vec<i64> = v.into_iter().map(|c| c.citizen.id).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(s
                .staff_list_citizens(&commune, None, 100, at(5))
                .await
                .unwrap()),
            vec![in_bac_ha],
            "{}",
            db.name
        );
        assert_eq!(
            ids(s
                .staff_list_citizens(&province, None, 100, at(5))
                .await
                .unwrap()),
            vec![in_bac_ha, in_sa_pa]
        );
        assert_eq!(
            ids(s
                .staff_list_citizens(&national, None, 100, at(5))
                .await
                .unwrap()),
            vec![in_bac_ha, in_sa_pa, in_hanoi, unplaced]
        );
        assert_eq!(
            ids(s
                .staff_list_citizens(&province, Some("hoa"), 100, at(5))
                .await
                .unwrap()),
            vec![in_sa_pa]
        );
        assert_eq!(s.audit_count().await.unwrap(), 4);

        let record = s
            .staff_read_citizen(&province, in_bac_ha, at(6))
            .await
            .unwrap();
        assert_eq!(record.unit.unwrap().code, "02839");
        let refused = s.staff_read_citizen(&commune, in_sa_pa, at(7)).await;
        assert!(
            matches!(refused, Err(StoreError::OutOfJurisdiction)),
            "{}",
            db.name
        );
        assert!(matches!(
            s.staff_read_citizen(&province, unplaced, at(7)).await,
            Err(StoreError::OutOfJurisdiction)
        ));
        assert!(matches!(
            s.staff_read_citizen(&province, 424242, at(7)).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.audit_count().await.unwrap(), 7);

        let log = s.audit_log(&province, 100).await.unwrap();
        assert!(
            log.iter().all(|r| r.scope_unit != "VN"),
            "the province admin does not see national rows"
        );
        let denied: Vec<_> = log.iter().filter(|r| r.outcome == "denied").collect();
        assert_eq!(denied.len(), 2, "{}: {log:?}", db.name);
        assert_eq!(denied[1].username, "xa.bacha");
        assert_eq!(denied[1].subject, format!("citizen:{in_sa_pa}"));
        assert_eq!(denied[0].subject, format!("citizen:{unplaced}"));
        assert_eq!(s.audit_log(&national, 100).await.unwrap().len(), 7);
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_append_only() {
    each_store(|db| async move {
        let s = &db.store;
        let a = actor(s, "bo.yte", Role::Admin, "VN").await;
        s.staff_list_citizens(&a, None, 10, at(1)).await.unwrap();
        assert!(
            db.raw_execute("UPDATE audit_log SET outcome = 'denied'")
                .await
                .is_err(),
            "{}",
            db.name
        );
        assert!(
            db.raw_execute("DELETE FROM audit_log").await.is_err(),
            "{}",
            db.name
        );
        assert_eq!(s.audit_count().await.unwrap(), 1);
    })
    .await;
}
