//! Integration tests of the HTTP API against a real server on a real store: SQLite always,
//! PostgreSQL too when `PHONGDICH_TEST_DATABASE_URL` is set.
#![allow(unreachable_pub)]

mod accounts;
mod audit_log;
mod bad_input;
mod campaigns;
mod citizen_data;
mod declarations;
mod expensive;
mod gaen_reader;
mod hardening;
mod helpers;
mod jurisdiction;
mod keyserver;
mod limits;
mod linking;
mod policy_matrix;
mod retention_periods;
mod safety;
mod shared_keys;
mod sign_in;
mod staff_lifecycle;
mod system;
mod tracing;
mod venues;
mod zones;
