//! Issue 15, classes 8 and 9: the audit log is append-only for real (no REPLACE, upsert, UPDATE,
//! DELETE or TRUNCATE; an application role without those rights on PostgreSQL), old rows go
//! only through the purge and never below the floor, and rows are found by the data's unit.

use std::str::FromStr;

use jiff::Timestamp;
use phongdich_domain::accounts::Role;
use phongdich_domain::audit::AuditEvent;
use phongdich_store::{AuditFilter, Store, StoreError};
use sqlx::Connection;

use crate::helpers::{actor, at, each_store};

fn insert_sql(id: i64, staff_id: i64, verb: &str, tail: &str) -> String {
    format!(
        "{verb} audit_log (id, at, staff_id, username, role, scope_unit, action, subject, unit_code, outcome) \
         VALUES ({id}, 0, {staff_id}, 'forged', 'admin', '15', 'forged', 'forged', NULL, 'allowed'){tail}"
    )
}

#[tokio::test]
async fn every_way_of_changing_an_audit_row_is_refused() {
    each_store(|db| async move {
        let s = &db.store;
        let admin = actor(s, "kiem.tra", Role::Admin, "15").await;
        s.record_audit(
            &admin,
            &AuditEvent::allowed("citizen.read", "citizen:1", "02839"),
            at(10),
        )
        .await
        .unwrap();
        let before = s.audit_log(&admin, 10).await.unwrap();
        assert_eq!(before.len(), 1);
        let id = before[0].id;
        let staff = admin.staff_id;

        let mut attempts = vec![
            insert_sql(
                id,
                staff,
                "INSERT INTO",
                " ON CONFLICT (id) DO UPDATE SET subject = 'forged'",
            ),
            "UPDATE audit_log SET subject = 'forged'".to_owned(),
            "DELETE FROM audit_log".to_owned(),
        ];
        if db.name == "sqlite" {
            attempts.extend([
                insert_sql(id, staff, "REPLACE INTO", ""),
                insert_sql(id, staff, "INSERT OR REPLACE INTO", ""),
                "UPDATE OR REPLACE audit_log SET subject = 'forged'".to_owned(),
                format!("UPDATE audit_log SET id = {} WHERE id = {id}", id + 1),
            ]);
        } else {
            attempts.extend([
                "TRUNCATE audit_log".to_owned(),
                "TRUNCATE audit_log CASCADE".to_owned(),
            ]);
        }
        for sql in &attempts {
            let r = db.raw_execute(sql).await;
            assert!(r.is_err(), "{}: {sql} was allowed ({r:?})", db.name);
        }
        assert_eq!(
            s.audit_log(&admin, 10).await.unwrap(),
            before,
            "{}",
            db.name
        );
        assert_eq!(s.audit_count().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_purge_removes_old_rows_and_never_recent_ones() {
    each_store(|db| async move {
        let s = &db.store;
        let admin = actor(s, "kiem.tra", Role::Admin, "15").await;
        let old: Timestamp = "2015-01-01T00:00:00Z".parse().unwrap();
        let event = AuditEvent::allowed("citizen.read", "citizen:1", "02839");
        s.record_audit(&admin, &event, old).await.unwrap();
        s.record_audit(&admin, &event, Timestamp::now())
            .await
            .unwrap();

        assert_eq!(
            s.purge_audit("2014-01-01T00:00:00Z".parse().unwrap())
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            s.purge_audit("2016-01-01T00:00:00Z".parse().unwrap())
                .await
                .unwrap(),
            1
        );
        // A purge asked for with a clock far ahead stops at the database's floor.
        assert_eq!(
            s.purge_audit("2100-01-01T00:00:00Z".parse().unwrap())
                .await
                .unwrap(),
            0
        );
        assert_eq!(s.audit_count().await.unwrap(), 1, "{}", db.name);
        assert!(db.raw_execute("DELETE FROM audit_log").await.is_err());
        assert_eq!(s.audit_count().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn rows_are_found_by_the_data_unit_and_outside_readers_are_shown() {
    each_store(|db| async move {
        let s = &db.store;
        let bac_ha = actor(s, "xa.bacha", Role::HealthOfficial, "02839").await;
        let sa_pa = actor(s, "xa.sapa", Role::HealthOfficial, "03006").await;
        let bac_ha_admin = actor(s, "qt.bacha", Role::Admin, "02839").await;
        let read =
            |unit: &str| AuditEvent::allowed("citizen.read", format!("citizen:{unit}"), unit);
        s.record_audit(&bac_ha, &read("02839"), at(1))
            .await
            .unwrap();
        // Sa Pa's official reads a Bắc Hà resident (e.g. through a linked record).
        s.record_audit(&sa_pa, &read("02839"), at(2)).await.unwrap();
        s.record_audit(&sa_pa, &read("03006"), at(3)).await.unwrap();
        s.record_audit(
            &sa_pa,
            &AuditEvent::denied("case.open", "case=9", "02839"),
            at(4),
        )
        .await
        .unwrap();

        // Bắc Hà's admin sees their staff's reads and every read of their residents …
        let all = s.audit_log(&bac_ha_admin, 100).await.unwrap();
        let subjects: Vec<(&str, &str)> = all
            .iter()
            .map(|r| (r.username.as_str(), r.subject.as_str()))
            .collect();
        assert_eq!(
            subjects,
            vec![
                ("xa.sapa", "case=9"),
                ("xa.sapa", "citizen:02839"),
                ("xa.bacha", "citizen:02839")
            ],
            "{}",
            db.name
        );
        assert_eq!(all[0].data_unit_path.as_deref(), Some("VN/15/02839/"));
        assert_eq!(all[0].actor_unit_path.as_deref(), Some("VN/15/03006/"));
        // … and, asked for, only those by readers from outside.
        let outside = AuditFilter {
            outside_readers: true,
            ..AuditFilter::default()
        };
        let rows = s.audit_search(&bac_ha_admin, &outside, 100).await.unwrap();
        assert!(rows.iter().all(|r| r.username == "xa.sapa"), "{rows:?}");
        assert_eq!(rows.len(), 2);
        let filtered = AuditFilter {
            outcome: Some("denied".into()),
            action: Some("case.".into()),
            from: Some(at(4)),
            to: Some(at(5)),
            username: Some("xa.sapa".into()),
            reader_unit_path: Some("VN/15/03006/".into()),
            data_unit_path: Some("VN/15/02839/".into()),
            outside_readers: true,
        };
        let rows = s.audit_search(&bac_ha_admin, &filtered, 100).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].subject, "case=9");
        let none = AuditFilter {
            to: Some(at(4)),
            ..filtered
        };
        assert!(s
            .audit_search(&bac_ha_admin, &none, 100)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

/// Runs with `PHONGDICH_TEST_APP_DATABASE_URL` (`.ci/run` sets it): the same database as
/// `PHONGDICH_TEST_DATABASE_URL`, signed in as an application role that owns nothing.
#[tokio::test]
async fn the_app_role_can_add_audit_rows_but_not_change_or_remove_them() {
    let (Ok(owner_url), Ok(app_url)) = (
        std::env::var("PHONGDICH_TEST_DATABASE_URL"),
        std::env::var("PHONGDICH_TEST_APP_DATABASE_URL"),
    ) else {
        eprintln!("note: PHONGDICH_TEST_APP_DATABASE_URL is not set; the app-role test is skipped");
        return;
    };
    let role = sqlx::postgres::PgConnectOptions::from_str(&app_url)
        .unwrap()
        .get_username()
        .to_owned();
    let schema = format!("t_app_{:016x}", rand::random::<u64>());
    let empty = format!("{schema}_empty");
    let owner = Store::open_postgres_in_schema(&owner_url, &schema)
        .await
        .unwrap();
    owner
        .ensure_units(phongdich_domain::units::OfficialList::Current2025)
        .await
        .unwrap();
    owner.grant_app_role(&role).await.unwrap();
    let admin = actor(&owner, "kiem.tra", Role::Admin, "15").await;
    owner
        .record_audit(
            &admin,
            &AuditEvent::allowed("citizen.read", "citizen:1", "02839"),
            Timestamp::now(),
        )
        .await
        .unwrap();

    // The server as the app role: nothing is pending, so it starts and works …
    let app = Store::open_postgres_in_schema(&app_url, &schema)
        .await
        .unwrap();
    assert!(app.pending_migrations().await.unwrap().is_empty());
    app.record_audit(
        &admin,
        &AuditEvent::allowed("citizen.list", "query=", "15"),
        Timestamp::now(),
    )
    .await
    .unwrap();
    assert_eq!(app.audit_count().await.unwrap(), 2);
    assert_eq!(
        app.purge_audit("2100-01-01T00:00:00Z".parse().unwrap())
            .await
            .unwrap(),
        0
    );
    // … but cannot change the audit log, even with the triggers out of the way.
    let opts = sqlx::postgres::PgConnectOptions::from_str(&app_url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let mut c = sqlx::PgConnection::connect_with(&opts).await.unwrap();
    for sql in [
        "UPDATE audit_log SET subject = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
        "DROP TABLE audit_log",
        "DELETE FROM _sqlx_migrations",
    ] {
        let e = sqlx::query(sql).execute(&mut c).await.unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("permission denied") || msg.contains("must be owner"),
            "{sql}: {msg}"
        );
    }
    assert_eq!(app.audit_count().await.unwrap(), 2);

    // Against a schema the owner has not migrated, the app role refuses to start.
    let mut oc = sqlx::PgConnection::connect(&owner_url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {empty}"))
        .execute(&mut oc)
        .await
        .unwrap();
    sqlx::query(&format!("GRANT USAGE ON SCHEMA {empty} TO {role}"))
        .execute(&mut oc)
        .await
        .unwrap();
    match Store::open_postgres_in_schema(&app_url, &empty).await {
        Err(e @ StoreError::MigrationsPending { .. }) => {
            assert!(e.to_string().contains("phongdich migrate"), "{e}")
        }
        other => panic!("expected pending migrations, got {other:?}"),
    }

    app.close().await;
    owner.close().await;
    for s in [&schema, &empty] {
        sqlx::query(&format!("DROP SCHEMA {s} CASCADE"))
            .execute(&mut oc)
            .await
            .unwrap();
    }
}
