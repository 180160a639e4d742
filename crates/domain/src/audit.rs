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
