//! Jurisdiction: a staff role is scoped to a unit and everything under it.

use crate::accounts::Role;
use crate::units::Unit;

/// A member of staff acting on the system: who, in what role, over which subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub staff_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit: Unit,
}

impl Actor {
    /// True when `unit_path` lies inside the actor's unit (the unit itself included).
    pub fn covers(&self, unit_path: &str) -> bool {
        covers(&self.unit.path, unit_path)
    }

    /// True when the actor's role is one of `roles`.
    pub fn has_role(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }
}

/// True when the unit with path `inner` is `outer` or below it.
pub fn covers(outer: &str, inner: &str) -> bool {
    outer.ends_with('/') && inner.starts_with(outer)
}

/// The half-open range `[from, to)` of paths under `outer`, for index range scans in SQL.
pub fn subtree_range(outer: &str) -> (String, String) {
    // Paths use only digits, letters and '/'; the byte after '/' is '0', so every path under
    // `outer` sorts before `outer` with its final '/' replaced by '0'.
    let mut to = outer.trim_end_matches('/').to_owned();
    to.push('0');
    (outer.to_owned(), to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_is_a_prefix_test_on_whole_codes() {
        assert!(covers("VN/", "VN/15/02839/"));
        assert!(covers("VN/15/", "VN/15/"));
        assert!(covers("VN/15/", "VN/15/02839/"));
        assert!(!covers("VN/15/", "VN/150/"));
        assert!(!covers("VN/15/02839/", "VN/15/"));
        assert!(!covers("VN/15", "VN/150/"));
    }

    #[test]
    fn subtree_range_brackets_exactly_the_subtree() {
        let (from, to) = subtree_range("VN/15/");
        let inside = |p: &str| p >= from.as_str() && p < to.as_str();
        assert!(inside("VN/15/"));
        assert!(inside("VN/15/02839/"));
        assert!(!inside("VN/150/"));
        assert!(!inside("VN/14/"));
        assert!(!inside("VN/16/"));
    }
}
