//! The keys instances share through the database (SPEC §12): two instances over one database
//! sign and verify alike, follow each other's rotation, import an older data folder, and one
//! with another key-encryption key refuses to start without making anything.

use std::path::Path;

use jiff::Timestamp;
use phongdich_domain::units::OfficialList;
use phongdich_health_pass::{issue, verify, Claims, Colour};
use phongdich_server::export_signer::ExportSigner;
use phongdich_server::secrets::{Person, Secrets};
use phongdich_server::shared_keys::{self, new_kek, KeyVault};
use phongdich_server::signing_keys::SigningKeys;
use phongdich_store::Store;
use rand::Rng;

const DAY: i64 = 86_400;

/// Runs `test` on a fresh SQLite store and, when configured, a fresh PostgreSQL schema.
async fn each_store<F, Fut>(test: F)
where
    F: Fn(Store, &'static str) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("keys.db"))
        .await
        .unwrap();
    store.ensure_units(OfficialList::Current2025).await.unwrap();
    test(store, "sqlite").await;
    if let Ok(url) = std::env::var("PHONGDICH_TEST_DATABASE_URL") {
        let schema = format!("k_{:016x}", rand::thread_rng().gen::<u64>());
        let store = Store::open_postgres_in_schema(&url, &schema).await.unwrap();
        test(store.clone(), "postgres").await;
        store.close().await;
        use sqlx::Connection;
        if let Ok(mut c) = sqlx::PgConnection::connect(&url).await {
            let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut c)
                .await;
        }
    }
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

fn pass(keys: &SigningKeys, now: i64) -> String {
    let claims = Claims {
        subject: vec![7; 16],
        colour: Colour::Green,
        issued_at: now,
        expires_at: now + DAY,
    };
    issue(&claims, keys.signer())
}

async fn load(
    store: &Store,
    vault: &KeyVault,
    dir: Option<&Path>,
    now: Timestamp,
) -> anyhow::Result<shared_keys::SharedKeys> {
    shared_keys::load(store, vault, dir, now, 3 * DAY).await
}

#[tokio::test]
async fn two_instances_over_one_database_sign_and_verify_alike() {
    each_store(|store, backend| async move {
        let kek = new_kek();
        let a = load(&store, &KeyVault::from_base64(&kek).unwrap(), None, at(0))
            .await
            .unwrap();
        let b = load(&store, &KeyVault::from_base64(&kek).unwrap(), None, at(5))
            .await
            .unwrap();
        assert_eq!(
            a.pass_keys.signer().kid(),
            b.pass_keys.signer().kid(),
            "{backend}"
        );
        assert_eq!(a.venue_keys.signer().kid(), b.venue_keys.signer().kid());
        assert_ne!(a.pass_keys.signer().kid(), a.venue_keys.signer().kid());
        assert_eq!(a.export_signer.public_pem(), b.export_signer.public_pem());
        assert_eq!(
            a.secrets.otp_hash("+84912345678", "123456"),
            b.secrets.otp_hash("+84912345678", "123456"),
            "a code sent through one instance is checked by the other"
        );
        assert_eq!(
            a.secrets.subject(Person::Citizen(1)),
            b.secrets.subject(Person::Citizen(1))
        );
        let now = at(0).as_second();
        let issued_by_a = pass(&a.pass_keys, now);
        assert!(
            verify(&issued_by_a, b.pass_keys.ring(), now + 60).is_ok(),
            "{backend}"
        );

        // A rotates; B follows on reload; A's old pass still verifies on B.
        let vault = KeyVault::from_base64(&kek).unwrap();
        let rotated = shared_keys::rotate_pass_keys(&store, &vault, at(100), 3 * DAY)
            .await
            .unwrap();
        assert_ne!(rotated.signer().kid(), a.pass_keys.signer().kid());
        let b_now = shared_keys::pass_ring(&store, &vault, at(160), 3 * DAY)
            .await
            .unwrap();
        assert_eq!(b_now.signer().kid(), rotated.signer().kid(), "{backend}");
        assert!(verify(&issued_by_a, b_now.ring(), now + 200).is_ok());
        assert!(verify(&pass(&b_now, now + 200), rotated.ring(), now + 260).is_ok());
        // Once no pass of the retired key can be valid, it leaves the ring.
        let later = shared_keys::pass_ring(&store, &vault, at(100 + 4 * DAY), 3 * DAY)
            .await
            .unwrap();
        assert_eq!(later.ring().keys().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn another_key_encryption_key_is_refused_before_anything_is_made() {
    each_store(|store, backend| async move {
        let first = KeyVault::from_base64(&new_kek()).unwrap();
        load(&store, &first, None, at(0)).await.unwrap();
        let rows = store.server_keys("").await.unwrap();
        let other = KeyVault::from_base64(&new_kek()).unwrap();
        let err = load(&store, &other, None, at(10)).await.unwrap_err();
        assert!(
            format!("{err:#}").contains("key_encryption_key"),
            "{backend}: {err:#}"
        );
        assert_eq!(
            store.server_keys("").await.unwrap(),
            rows,
            "nothing was made or changed"
        );
        assert!(
            KeyVault::from_base64("c2hvcnQ=").is_err(),
            "a KEK is 32 bytes"
        );
    })
    .await;
}

#[tokio::test]
async fn an_older_data_folder_is_imported_so_passes_and_posters_keep_verifying() {
    each_store(|store, backend| async move {
        let dir = tempfile::tempdir().unwrap();
        let now = at(0).as_second();
        let old_pass = SigningKeys::load_or_create(dir.path(), now - 10, 3 * DAY).unwrap();
        let old_venues =
            SigningKeys::load_or_create_in(dir.path(), "venues", now - 10, i64::MAX / 2).unwrap();
        let old_export = ExportSigner::load_or_create(dir.path()).unwrap();
        let old_secrets = Secrets::load_or_create(dir.path()).unwrap();
        let issued = pass(&old_pass, now - 5);

        let vault = KeyVault::from_base64(&new_kek()).unwrap();
        let keys = load(&store, &vault, Some(dir.path()), at(0)).await.unwrap();
        assert_eq!(
            keys.pass_keys.signer().kid(),
            old_pass.signer().kid(),
            "{backend}"
        );
        assert_eq!(keys.venue_keys.signer().kid(), old_venues.signer().kid());
        assert_eq!(keys.export_signer.public_pem(), old_export.public_pem());
        assert_eq!(
            keys.secrets.subject(Person::Citizen(3)),
            old_secrets.subject(Person::Citizen(3))
        );
        assert!(verify(&issued, keys.pass_keys.ring(), now).is_ok());
    })
    .await;
}
