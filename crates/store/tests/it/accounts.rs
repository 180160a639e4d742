use phongdich_domain::accounts::FamilyMemberInput;
use phongdich_domain::phone::PhoneNumber;
use phongdich_store::{StoreError, MAX_FAMILY_MEMBERS};

use crate::helpers::{at, each_store};

fn phone(s: &str) -> PhoneNumber {
    PhoneNumber::parse("phone", s).unwrap()
}

#[tokio::test]
async fn citizens_are_unique_by_phone_and_keep_a_home_unit() {
    each_store(|db| async move {
        let s = &db.store;
        let id = s
            .create_citizen(
                &phone("0912345678"),
                Some("Lò Văn Sử"),
                Some("02839"),
                at(0),
            )
            .await
            .unwrap();
        let dup = s
            .create_citizen(&phone("+84 912 345 678"), None, None, at(1))
            .await;
        assert!(
            matches!(dup, Err(StoreError::Conflict("phone_taken"))),
            "{}",
            db.name
        );
        let bad_unit = s
            .create_citizen(&phone("0912000000"), None, Some("77777"), at(1))
            .await;
        assert!(matches!(bad_unit, Err(StoreError::UnknownUnit(_))));
        s.update_citizen_profile(id, Some("Lò Văn Sử B"), None)
            .await
            .unwrap();
        let c = s.citizen(id).await.unwrap().unwrap();
        assert_eq!(
            (c.full_name.as_deref(), c.unit_code.as_deref()),
            (Some("Lò Văn Sử B"), Some("02839"))
        );
        assert!(matches!(
            s.update_citizen_profile(id, None, Some("1")).await,
            Err(StoreError::UnknownUnit(_))
        ));
        assert!(matches!(
            s.update_citizen_profile(9999, Some("x"), None).await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn family_members_belong_to_one_account() {
    each_store(|db| async move {
        let s = &db.store;
        let a = s
            .create_citizen(&phone("0912345678"), None, None, at(0))
            .await
            .unwrap();
        let b = s
            .create_citizen(&phone("0987654321"), None, None, at(0))
            .await
            .unwrap();
        let child = FamilyMemberInput::parse("Lò Thị Mai", 2016, "child", 2026).unwrap();
        let m = s.add_family_member(a, &child, at(1)).await.unwrap();
        assert_eq!(s.family(a).await.unwrap(), vec![m.clone()]);
        assert!(matches!(
            s.remove_family_member(b, m.id).await,
            Err(StoreError::NotFound)
        ));
        s.remove_family_member(a, m.id).await.unwrap();
        assert!(s.family(a).await.unwrap().is_empty());
        for _ in 0..MAX_FAMILY_MEMBERS {
            s.add_family_member(b, &child, at(2)).await.unwrap();
        }
        let full = s.add_family_member(b, &child, at(3)).await;
        assert!(
            matches!(full, Err(StoreError::Conflict("family_full"))),
            "{}",
            db.name
        );
    })
    .await;
}
