//! Who may do what: the one permission policy of the staff side.
//!
//! A decision depends on three things only: the staff member's role, the tier of the unit the
//! role is scoped to, and (for a given record) whether that record's unit lies inside the role's
//! subtree. The first two are decided here, from [`RULES`]; the third is the jurisdiction test
//! ([`crate::jurisdiction::covers`]) that the server applies to every record a request touches.
//! Handlers never compare roles: they ask for an [`Action`] and get a [`Reach`] back.

use crate::accounts::Role;
use crate::jurisdiction::Actor;
use crate::units::Tier;

/// Everything a member of staff can ask to do. One variant per kind of act, not per route:
/// routes that do the same thing to the same data share an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the audit log (and export it).
    ReadAudit,
    /// List and create staff accounts.
    ManageStaff,
    /// Rotate the health-pass signing key of the whole deployment.
    RotateSigningKeys,
    /// Read citizens' accounts.
    ReadCitizens,
    /// List, open and export health declarations, and the missed daily updates.
    ReadDeclarations,
    /// Declare on behalf of a traveller at a checkpoint.
    DeclareAtCheckpoint,
    /// Register, list and change venues of a unit, import them, mark exposure windows and read
    /// their visitor lists.
    ManageVenues,
    /// See the venues one scans for.
    SeeOwnVenues,
    /// Issue upload codes to confirmed cases.
    IssueCaseCodes,
    /// Publish the diagnosis-key export now.
    PublishKeyExports,
    /// Read "I may be F1" reports.
    ReadF1Reports,
    /// Register cases, open them with their chain, add and gather contacts, export the chain.
    TraceCases,
    /// Order quarantine, follow it up and record its tests.
    ManageQuarantine,
    /// Lists of traced people by level and unit, with their exports.
    ReadTracedPeople,
    /// Draw and end lockdown zones, quarantine areas and checkpoints.
    ManageZones,
    /// Register facilities and name their staff.
    ManageFacilities,
    /// Fill a facility's daily self-assessment and see one's facilities.
    AssessFacility,
    /// Publish a new version of a facility type's criteria set (applies to the whole country).
    ReviseCriteriaSets,
    /// Answer citizens' feedback about a facility.
    AnswerFeedback,
    /// List the open feedback of a unit.
    ReadFeedback,
    /// List, triage and close citizens' risk reports.
    HandleRiskReports,
    /// Set the population of a unit (for area levels).
    SetPopulation,
    /// Units of government and work with head counts; campaigns and their reminders.
    OrganiseCampaigns,
    /// Read campaigns and units, and report a unit's progress.
    ReportCampaigns,
}

/// How far a permitted action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every record whose unit lies inside the role's subtree.
    Jurisdiction,
    /// Only the records the staff member is assigned to (a venue they scan for, a facility
    /// they work at); assignments are checked by the caller against the store.
    Assigned,
}

/// One row of the policy: which roles may do an action, how far, and from which tier up.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub action: Action,
    pub grants: &'static [(Role, Reach)],
    /// The lowest tier (the role's own unit) allowed, for acts that change what the whole
    /// country or a province uses; `None` for any tier.
    pub lowest_tier: Option<Tier>,
}

use Reach::{Assigned, Jurisdiction as J};
use Role::{Admin, CheckpointStaff, FacilityStaff, HealthOfficial, UnitReporter, VenueStaff};

const OFFICIALS: &[(Role, Reach)] = &[(HealthOfficial, J), (Admin, J)];

/// The policy table. Every action has exactly one row (a test checks it).
pub const RULES: &[Rule] = &[
    rule(Action::ReadAudit, &[(Admin, J)], None),
    rule(Action::ManageStaff, &[(Admin, J)], None),
    rule(
        Action::RotateSigningKeys,
        &[(Admin, J)],
        Some(Tier::Country),
    ),
    rule(Action::ReadCitizens, OFFICIALS, None),
    rule(Action::ReadDeclarations, OFFICIALS, None),
    // Checkpoint powers (declaring on behalf, which sends sign-in codes) belong to officials and
    // checkpoint staff of a unit, never to venue staff, whom any citizen can appoint.
    rule(
        Action::DeclareAtCheckpoint,
        &[(CheckpointStaff, J), (HealthOfficial, J), (Admin, J)],
        None,
    ),
    rule(Action::ManageVenues, OFFICIALS, None),
    rule(Action::SeeOwnVenues, &[(VenueStaff, Assigned)], None),
    rule(Action::IssueCaseCodes, OFFICIALS, None),
    // Publishing now only runs the hourly export job early: harmless from any tier.
    rule(Action::PublishKeyExports, OFFICIALS, None),
    rule(Action::ReadF1Reports, OFFICIALS, None),
    rule(Action::TraceCases, OFFICIALS, None),
    rule(Action::ManageQuarantine, OFFICIALS, None),
    rule(Action::ReadTracedPeople, OFFICIALS, None),
    rule(Action::ManageZones, OFFICIALS, None),
    rule(Action::ManageFacilities, OFFICIALS, None),
    rule(Action::AssessFacility, &[(FacilityStaff, Assigned)], None),
    rule(Action::ReviseCriteriaSets, OFFICIALS, Some(Tier::Province)),
    rule(
        Action::AnswerFeedback,
        &[(FacilityStaff, Assigned), (HealthOfficial, J), (Admin, J)],
        None,
    ),
    rule(Action::ReadFeedback, OFFICIALS, None),
    rule(Action::HandleRiskReports, OFFICIALS, None),
    rule(Action::SetPopulation, OFFICIALS, None),
    rule(Action::OrganiseCampaigns, OFFICIALS, None),
    rule(
        Action::ReportCampaigns,
        &[(UnitReporter, J), (HealthOfficial, J), (Admin, J)],
        None,
    ),
];

const fn rule(action: Action, grants: &'static [(Role, Reach)], lowest_tier: Option<Tier>) -> Rule {
    Rule {
        action,
        grants,
        lowest_tier,
    }
}

/// The row of `action`.
pub fn rule_of(action: Action) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.action == action)
        .unwrap_or(&FALLBACK)
}

/// What an action missing from the table gets: nobody may do it (fail closed).
const FALLBACK: Rule = rule(Action::ReadAudit, &[], None);

/// How far a role scoped to a unit of `tier` may do `action`; `None` when it may not.
pub fn reach(role: Role, tier: Tier, action: Action) -> Option<Reach> {
    let rule = rule_of(action);
    if rule.lowest_tier.is_some_and(|lowest| tier > lowest) {
        return None;
    }
    rule.grants
        .iter()
        .find(|(r, _)| *r == role)
        .map(|(_, reach)| *reach)
}

/// Why the policy refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The role may never do this.
    Role,
    /// The role may, but only when scoped to a unit of this tier or higher.
    Tier(Tier),
}

/// [`reach`] for an actor, saying why when it is refused.
pub fn decide(actor: &Actor, action: Action) -> Result<Reach, Denied> {
    match reach(actor.role, actor.unit.tier, action) {
        Some(r) => Ok(r),
        None => match rule_of(action).lowest_tier {
            Some(lowest) if rule_of(action).grants.iter().any(|(r, _)| *r == actor.role) => {
                Err(Denied::Tier(lowest))
            }
            _ => Err(Denied::Role),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_ACTIONS: &[Action] = &[
        Action::ReadAudit,
        Action::ManageStaff,
        Action::RotateSigningKeys,
        Action::ReadCitizens,
        Action::ReadDeclarations,
        Action::DeclareAtCheckpoint,
        Action::ManageVenues,
        Action::SeeOwnVenues,
        Action::IssueCaseCodes,
        Action::PublishKeyExports,
        Action::ReadF1Reports,
        Action::TraceCases,
        Action::ManageQuarantine,
        Action::ReadTracedPeople,
        Action::ManageZones,
        Action::ManageFacilities,
        Action::AssessFacility,
        Action::ReviseCriteriaSets,
        Action::AnswerFeedback,
        Action::ReadFeedback,
        Action::HandleRiskReports,
        Action::SetPopulation,
        Action::OrganiseCampaigns,
        Action::ReportCampaigns,
    ];

    #[test]
    fn every_action_has_exactly_one_row() {
        for a in ALL_ACTIONS {
            assert_eq!(RULES.iter().filter(|r| r.action == *a).count(), 1, "{a:?}");
        }
        assert_eq!(RULES.len(), ALL_ACTIONS.len());
    }

    #[test]
    fn national_acts_need_a_high_tier() {
        // The example of issue 15: a commune admin published a national criteria set.
        assert_eq!(
            reach(Admin, Tier::Commune, Action::ReviseCriteriaSets),
            None
        );
        assert_eq!(
            reach(HealthOfficial, Tier::Province, Action::ReviseCriteriaSets),
            Some(J)
        );
        assert_eq!(
            reach(Admin, Tier::Province, Action::RotateSigningKeys),
            None
        );
        assert_eq!(
            reach(Admin, Tier::Country, Action::RotateSigningKeys),
            Some(J)
        );
    }

    #[test]
    fn staff_of_one_place_reach_only_what_they_are_assigned() {
        assert_eq!(
            reach(FacilityStaff, Tier::Commune, Action::AnswerFeedback),
            Some(Assigned)
        );
        assert_eq!(reach(VenueStaff, Tier::Commune, Action::TraceCases), None);
        assert_eq!(
            reach(VenueStaff, Tier::Commune, Action::DeclareAtCheckpoint),
            None
        );
        assert_eq!(
            reach(UnitReporter, Tier::Commune, Action::ReadCitizens),
            None
        );
    }
}
