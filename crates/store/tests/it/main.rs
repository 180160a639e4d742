//! One integration suite, run against every backend: SQLite always, PostgreSQL when
#![allow(unreachable_pub)]
//! `PHONGDICH_TEST_DATABASE_URL` is set.

mod accounts;
mod audit_trust;
mod declarations;
mod helpers;
mod leases;
mod personal;
mod sign_in;
mod units;
mod venues;
