//! The one rule for people that a chain, a list or an export shows to an official.
//!
//! Tracing crosses units: a case in Sa Pa has contacts who live in Bắc Hà. The case's officials
//! see every member of the chain — level, unit, when and how they were exposed, so they can
//! count and hand them over — but a member's identity (name, phone, evidence, quarantine) only
//! when the member's unit lies inside their jurisdiction. The member's own unit sees them in
//! its traced-people lists, whichever unit's case found them. Every identity shown is one
//! audit row naming the person and their unit, so a unit's admin can see who read their
//! residents and why.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::jurisdiction::Actor;
use phongdich_store::{Store, StoreError, StoredPerson};

/// The people of `people` whose identity `actor` may see, each recorded in the audit log under
/// `action` with `context` (e.g. `case=12`).
pub(crate) async fn visible_people(
    store: &Store,
    actor: &Actor,
    people: &[&StoredPerson],
    action: &'static str,
    context: &str,
    now: Timestamp,
) -> Result<HashSet<i64>, StoreError> {
    let codes: Vec<&str> = people.iter().map(|p| p.unit_code.as_str()).collect();
    let paths: HashMap<String, String> = store.unit_paths(&codes).await?;
    let mut visible = HashSet::new();
    let mut events = Vec::new();
    for p in people {
        // A person whose unit is unknown belongs to no subtree: only the country's staff.
        let path = paths.get(&p.unit_code).map_or("VN/", String::as_str);
        if actor.covers(path) && visible.insert(p.id) {
            events.push(AuditEvent {
                action,
                subject: format!("{context} person={}", p.id),
                unit_code: Some(p.unit_code.clone()),
                outcome: Outcome::Allowed,
            });
        }
    }
    store.record_audits(actor, &events, now).await?;
    Ok(visible)
}
