use jiff::SignedDuration;
use phongdich_domain::accounts::Role;
use phongdich_domain::phone::PhoneNumber;
use phongdich_store::{NewStaff, StoreError, Subject};

use crate::helpers::{at, each_store};

#[tokio::test]
async fn a_code_signs_in_once_and_creates_the_account() {
    each_store(|db| async move {
        let s = &db.store;
        let phone = PhoneNumber::parse("phone", "0912345678").unwrap();
        assert!(s.otp(&phone).await.unwrap().is_none());
        s.put_otp(&phone, "hash1", at(0), at(300)).await.unwrap();
        for _ in 0..2 {
            assert!(s
                .take_otp_attempt(&phone, 5, at(1))
                .await
                .unwrap()
                .is_some());
        }
        let stored = s.otp(&phone).await.unwrap().unwrap();
        assert_eq!(stored.state.failed_attempts, 2, "{}", db.name);
        assert_eq!(stored.state.expires_at, at(300));

        let id = s
            .sign_in_citizen(&phone, "hash1", "tok1", at(10), at(1000))
            .await
            .unwrap()
            .unwrap();
        assert!(s.otp(&phone).await.unwrap().is_none(), "code is consumed");
        assert_eq!(
            s.sign_in_citizen(&phone, "hash1", "tok2", at(11), at(1000))
                .await
                .unwrap(),
            None
        );

        // A new code replaces the old one and resets the attempts; the same account is reused.
        s.put_otp(&phone, "hash2", at(100), at(400)).await.unwrap();
        assert_eq!(
            s.otp(&phone).await.unwrap().unwrap().state.failed_attempts,
            0
        );
        let again = s
            .sign_in_citizen(&phone, "hash2", "tok3", at(101), at(1000))
            .await
            .unwrap();
        assert_eq!(again, Some(id));

        assert_eq!(
            s.session("tok1", at(20)).await.unwrap(),
            Some(Subject::Citizen { citizen_id: id })
        );
        assert_eq!(s.session("tok1", at(1000)).await.unwrap(), None, "expired");
        s.revoke_session("tok1", at(30)).await.unwrap();
        assert_eq!(s.session("tok1", at(31)).await.unwrap(), None, "revoked");
        assert_eq!(s.session("nope", at(31)).await.unwrap(), None);
        assert_eq!(s.purge_expired_credentials(at(2000)).await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn staff_sessions_resolve_to_an_actor_with_its_unit() {
    each_store(|db| async move {
        let s = &db.store;
        let new = NewStaff {
            username: "yte.bacha".into(),
            password_hash: "$argon2id$fake".into(),
            full_name: "Giàng Seo Phử".into(),
            role: Role::HealthOfficial,
            unit_code: "02839".into(),
        };
        let id = s.create_staff(&new, at(0)).await.unwrap();
        assert!(matches!(
            s.create_staff(&new, at(0)).await,
            Err(StoreError::Conflict("username_taken"))
        ));
        let bad = NewStaff {
            username: "x.y".into(),
            unit_code: "123".into(),
            ..new.clone()
        };
        assert!(matches!(
            s.create_staff(&bad, at(0)).await,
            Err(StoreError::UnknownUnit(_))
        ));
        let creds = s.staff_credentials("yte.bacha").await.unwrap().unwrap();
        assert_eq!(creds.staff_id, id);
        s.create_staff_session(id, "stok", at(0), at(100))
            .await
            .unwrap();
        match s.session("stok", at(1)).await.unwrap() {
            Some(Subject::Staff(actor)) => {
                assert_eq!(actor.role, Role::HealthOfficial);
                assert_eq!(actor.unit.path, "VN/15/02839/", "{}", db.name);
            }
            other => panic!("{}: {other:?}", db.name),
        }
        // A deactivated account loses its sessions and cannot sign in.
        db.raw_execute("UPDATE staff SET active = FALSE WHERE username = 'yte.bacha'")
            .await
            .unwrap();
        assert_eq!(s.session("stok", at(2)).await.unwrap(), None);
        assert!(s.staff_credentials("yte.bacha").await.unwrap().is_none());
        let _ = SignedDuration::ZERO;
    })
    .await;
}
