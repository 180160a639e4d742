//! Fresh stores for each test, on each backend.

use std::future::Future;
use std::str::FromStr;

use jiff::Timestamp;
use phongdich_domain::accounts::Role;
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::units::OfficialList;
use phongdich_store::{NewStaff, Store, Subject};
use rand::Rng;
use sqlx::Connection;

/// A fresh, migrated store with the current unit list, plus a side door for raw SQL checks.
pub struct TestDb {
    pub store: Store,
    pub name: &'static str,
    raw: Raw,
}

enum Raw {
    Sqlite(std::path::PathBuf),
    Postgres { url: String, schema: String },
}

impl TestDb {
    /// Runs one SQL statement on a separate connection, bypassing the store.
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        match &self.raw {
            Raw::Sqlite(path) => {
                let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
                let mut c = sqlx::SqliteConnection::connect_with(&opts).await?;
                Ok(sqlx::query(sql).execute(&mut c).await?.rows_affected())
            }
            Raw::Postgres { url, schema } => {
                let opts = sqlx::postgres::PgConnectOptions::from_str(url)?
                    .options([("search_path", schema.as_str())]);
                let mut c = sqlx::PgConnection::connect_with(&opts).await?;
                Ok(sqlx::query(sql).execute(&mut c).await?.rows_affected())
            }
        }
    }

    async fn drop_schema(&self) {
        if let Raw::Postgres { url, schema } = &self.raw {
            if let Ok(mut c) = sqlx::PgConnection::connect(url).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut c)
                    .await;
            }
        }
    }
}

/// Runs `test` once on SQLite and, when configured, once on PostgreSQL.
pub async fn each_store<F, Fut>(test: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    store.ensure_units(OfficialList::Current2025).await.unwrap();
    // The folder outlives the test: a test that uses only some fields of `TestDb` drops the
    // rest when its future is created.
    test(TestDb {
        store,
        name: "sqlite",
        raw: Raw::Sqlite(path),
    })
    .await;
    drop(dir);

    if let Ok(url) = std::env::var("PHONGDICH_TEST_DATABASE_URL") {
        let schema = format!("t_{:016x}", rand::thread_rng().gen::<u64>());
        let store = Store::open_postgres_in_schema(&url, &schema).await.unwrap();
        store.ensure_units(OfficialList::Current2025).await.unwrap();
        let raw = || Raw::Postgres {
            url: url.clone(),
            schema: schema.clone(),
        };
        let cleanup = TestDb {
            store: store.clone(),
            name: "postgres",
            raw: raw(),
        };
        test(TestDb {
            store,
            name: "postgres",
            raw: raw(),
        })
        .await;
        cleanup.store.close().await;
        cleanup.drop_schema().await;
    }
}

pub fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + secs).unwrap()
}

/// A member of staff with a session, as the store resolves them.
pub async fn actor(s: &Store, username: &str, role: Role, unit: &str) -> Actor {
    let new = NewStaff {
        username: username.into(),
        password_hash: "$argon2id$fake".into(),
        full_name: username.into(),
        role,
        unit_code: unit.into(),
    };
    let id = s.create_staff(&new, at(0)).await.unwrap();
    let token = format!("t-{username}");
    s.create_staff_session(id, &token, at(0), at(1000))
        .await
        .unwrap();
    match s.session(&token, at(1)).await.unwrap() {
        Some(Subject::Staff(a)) => a,
        other => panic!("{other:?}"),
    }
}
