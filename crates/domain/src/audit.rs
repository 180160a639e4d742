//! The audit log of staff access to personal data: who read what, when, under which scope.

use serde::Serialize;

/// Whether the access was allowed; refused attempts are logged too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Allowed,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
        }
    }
}

/// One access to record, before the store gives it an id and a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Stable action name, e.g. `citizen.read` or `citizen.list`.
    pub action: &'static str,
    /// What was read: `citizen:42`, or the filter of a list.
    pub subject: String,
    /// Unit the data belongs to (or the list was scoped to).
    pub unit_code: Option<String>,
    pub outcome: Outcome,
}

/// Audit rows younger than this many days can never be deleted: the database refuses it (a
/// trigger on SQLite, a trigger and a SECURITY DEFINER purge function on PostgreSQL, migration
/// 0010), whatever the application's clock or profile says. The profile's own period
/// (`[retention] audit_days`) may not be shorter.
pub const AUDIT_FLOOR_DAYS: i64 = 730;

impl AuditEvent {
    /// An event about data of the unit `data_unit` (the unit the data belongs to, or the unit a
    /// list was scoped to): the store records its path beside the reader's, so the admins of
    /// that unit see the access, including by staff from outside it.
    pub fn new(
        action: &'static str,
        subject: impl Into<String>,
        data_unit: impl Into<String>,
        allowed: bool,
    ) -> Self {
        Self {
            action,
            subject: subject.into(),
            unit_code: Some(data_unit.into()),
            outcome: if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
        }
    }

    /// An allowed access to data of `data_unit`.
    pub fn allowed(
        action: &'static str,
        subject: impl Into<String>,
        data_unit: impl Into<String>,
    ) -> Self {
        Self::new(action, subject, data_unit, true)
    }

    /// A refused attempt on data of `data_unit`.
    pub fn denied(
        action: &'static str,
        subject: impl Into<String>,
        data_unit: impl Into<String>,
    ) -> Self {
        Self::new(action, subject, data_unit, false)
    }
}
