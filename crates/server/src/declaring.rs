//! Recording a declaration: validate, resolve the person, check the units, assess the risk,
//! store, and issue the health pass. One path for citizens, checkpoint staff and the demo seed.

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::declarations::{
    assess, Colour, Declaration, DeclarationForm, Flag, Kind, RiskContext,
};
use phongdich_domain::time::vietnam_date;
use phongdich_domain::units::{unknown_unit, Tier};
use phongdich_domain::{FieldError, Invalid};
use phongdich_health_pass::{issue, Claims};
use phongdich_store::NewDeclaration;
use serde::Serialize;

use crate::error::ApiError;
use crate::secrets::Person;
use crate::state::AppState;

/// Who the declaration is made by and for.
#[derive(Debug, Clone, Copy)]
pub enum Declarant {
    /// A signed-in citizen (for themselves, or the family member named in the form).
    Citizen(i64),
    /// Checkpoint staff for a person whose phone confirmed with a code (their account).
    StaffForCitizen { staff_id: i64, citizen_id: i64 },
    /// Checkpoint staff for a person with no phone at all.
    StaffForPhoneless { staff_id: i64 },
}

/// What was recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub id: i64,
    pub kind: Kind,
    pub colour: Colour,
    pub flags: Vec<Flag>,
    pub pass: Option<IssuedPass>,
}

/// A health pass as handed out.
#[derive(Debug, Clone)]
pub struct IssuedPass {
    pub text: String,
    pub colour: Colour,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
}

pub(crate) fn pass_colour(c: Colour) -> phongdich_health_pass::Colour {
    match c {
        Colour::Green => phongdich_health_pass::Colour::Green,
        Colour::Yellow => phongdich_health_pass::Colour::Yellow,
        Colour::Red => phongdich_health_pass::Colour::Red,
    }
}

fn severity(c: Colour) -> i64 {
    match c {
        Colour::Green => 0,
        Colour::Yellow => 1,
        Colour::Red => 2,
    }
}

pub(crate) fn flag_views(flags: &[Flag]) -> Vec<FlagView> {
    flags
        .iter()
        .map(|f| FlagView {
            code: f.code,
            severity: f.severity.as_str(),
            message: f.message.clone(),
        })
        .collect()
}

/// One reason for concern as answers show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct FlagView {
    /// Stable code, e.g. `contact_with_case`.
    code: &'static str,
    /// `green`, `yellow` or `red`.
    severity: &'static str,
    message: phongdich_domain::Message,
}

/// What is kept of a declaration: the form as sent and the flags it gave.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct DeclarationAnswers {
    form: DeclarationForm,
    flags: Vec<FlagView>,
}

impl AppState {
    /// The health pass for the person with pseudonymous id `subject` whose current declaration
    /// has `colour` and was made at `declared_at`; `None` once that declaration is too old.
    pub fn issue_pass(
        &self,
        subject: &str,
        colour: Colour,
        declared_at: Timestamp,
    ) -> Option<IssuedPass> {
        let rules = &self.profile().health_pass;
        let hours = match colour {
            Colour::Green => rules.green_hours,
            Colour::Yellow => rules.yellow_hours,
            Colour::Red => rules.red_hours,
        };
        let expires_at = declared_at + SignedDuration::from_hours(hours);
        let now = self.now();
        if now >= expires_at {
            return None;
        }
        let claims = Claims {
            subject: hex::decode(subject).ok()?,
            colour: pass_colour(colour),
            issued_at: now.as_second(),
            expires_at: expires_at.as_second(),
        };
        let text = issue(&claims, self.pass_keys().signer());
        Some(IssuedPass {
            text,
            colour,
            issued_at: now,
            expires_at,
        })
    }

    /// Validates and records a declaration, and issues the pass it earns.
    pub async fn submit_declaration(
        &self,
        form: &DeclarationForm,
        declarant: Declarant,
    ) -> Result<Recorded, ApiError> {
        let now = self.now();
        let today = vietnam_date(now);
        let rules = &self.profile().declarations;
        let declaration = form.parse(today, rules)?;
        let store = self.store();

        // The person: the account holder, one of their family members, or a phone-less person.
        let citizen_id = match declarant {
            Declarant::Citizen(id) | Declarant::StaffForCitizen { citizen_id: id, .. } => Some(id),
            Declarant::StaffForPhoneless { .. } => None,
        };
        let staff_id = match declarant {
            Declarant::StaffForCitizen { staff_id, .. }
            | Declarant::StaffForPhoneless { staff_id } => Some(staff_id),
            Declarant::Citizen(_) => None,
        };
        let mut member_name = None;
        let subject = match (citizen_id, form.member_id) {
            (Some(citizen), Some(member)) => {
                let family = store.family(citizen).await?;
                let Some(m) = family.into_iter().find(|m| m.id == member) else {
                    return Err(ApiError::field(FieldError::new(
                        "member_id",
                        "member_unknown",
                        "Người này không có trong danh sách người thân của bạn",
                        "This person is not one of your family members",
                    )));
                };
                member_name = Some(m.full_name);
                hex::encode(self.inner.secrets.subject(Person::FamilyMember(member)))
            }
            (Some(citizen), None) => {
                hex::encode(self.inner.secrets.subject(Person::Citizen(citizen)))
            }
            (None, _) => hex::encode(crate::secrets::random_key())
                .chars()
                .take(32)
                .collect(),
        };

        // Every unit named must exist and be a commune.
        let mut problems = Vec::new();
        for (field, code) in declaration.unit_fields() {
            match store.unit(code).await? {
                None => problems.push(unknown_unit(field, code)),
                Some(u) if u.tier != Tier::Commune => problems.push(FieldError::new(
                    field,
                    "unit_not_commune",
                    "Hãy chọn đến cấp xã/phường",
                    "Choose down to the commune or ward",
                )),
                Some(_) => {}
            }
        }
        if !problems.is_empty() {
            return Err(Invalid(problems).into());
        }

        let (full_name, unit_code) = match declaration.identity() {
            Some(identity) => (
                identity.full_name.clone(),
                identity.address.unit_code.clone(),
            ),
            None => {
                self.daily_update_person(&subject, citizen_id, member_name)
                    .await?
            }
        };
        // Zones feed the flags: a commune with an active lockdown zone of its own (a zone kept
        // by a district or province names no commune, so it cannot flag one), and the account
        // holder's own quarantine order.
        let lockdowns = store
            .zones_active_at(
                now,
                &phongdich_store::ZoneFilter {
                    under_path: None,
                    kind: Some(phongdich_domain::zones::ZoneKind::Lockdown),
                    bbox: None,
                    limit: None,
                },
            )
            .await?;
        let zone_units: Vec<String> = lockdowns.into_iter().map(|z| z.zone.unit_code).collect();
        let in_zone = move |code: &str| zone_units.iter().any(|z| z == code);
        let today_text = today.to_string();
        let under_quarantine =
            match (citizen_id, form.member_id) {
                (Some(citizen), None) => store
                    .my_quarantine(citizen, &today_text)
                    .await?
                    .iter()
                    .any(|o| {
                        o.status == "active"
                            && o.starts_on.as_str() <= today_text.as_str()
                            && today_text.as_str() <= o.ends_on.as_str()
                    }),
                _ => false,
            };
        let context = RiskContext {
            today,
            in_active_zone: &in_zone,
            under_quarantine,
        };
        let assessment = assess(&declaration, &context, rules);
        let (monitor_from, monitor_until) = match &declaration {
            Declaration::Entry { entry, .. } => (
                Some(entry.entry_date.to_string()),
                entry
                    .entry_date
                    .checked_add(jiff::Span::new().days(rules.entry_monitoring_days))
                    .ok()
                    .map(|d| d.to_string()),
            ),
            _ => (None, None),
        };
        let answers = DeclarationAnswers {
            form: form.clone(),
            flags: flag_views(&assessment.flags),
        };
        let new = NewDeclaration {
            kind: declaration.kind().as_str().to_owned(),
            citizen_id,
            member_id: form.member_id.filter(|_| citizen_id.is_some()),
            subject: subject.clone(),
            full_name,
            unit_code,
            day: today.to_string(),
            colour: assessment.colour.as_str().to_owned(),
            severity: severity(assessment.colour),
            flags: assessment.flags.iter().map(|f| f.code.to_owned()).collect(),
            answers: serde_json::to_string(&answers).map_err(anyhow::Error::from)?,
            declared_at: now,
            declared_by_staff: staff_id,
            monitor_from,
            monitor_until,
        };
        let id = store.insert_declaration(&new).await?;
        Ok(Recorded {
            id,
            kind: declaration.kind(),
            colour: assessment.colour,
            pass: self.issue_pass(&subject, assessment.colour, now),
            flags: assessment.flags,
        })
    }

    /// Name and unit for a daily update: from the person's latest declaration, else the account.
    async fn daily_update_person(
        &self,
        subject: &str,
        citizen_id: Option<i64>,
        member_name: Option<String>,
    ) -> Result<(String, String), ApiError> {
        if let Some(last) = self.store().latest_declaration(subject).await? {
            return Ok((member_name.unwrap_or(last.full_name), last.unit_code));
        }
        let citizen = match citizen_id {
            Some(id) => self.store().citizen(id).await?,
            None => None,
        };
        match citizen {
            Some(c)
                if c.unit_code.is_some() && (member_name.is_some() || c.full_name.is_some()) =>
            {
                Ok((
                    member_name.or(c.full_name).unwrap_or_default(),
                    c.unit_code.unwrap_or_default(),
                ))
            }
            _ => Err(ApiError::field(FieldError::new(
                "kind",
                "declaration_first",
                "Hãy khai báo y tế (có địa chỉ) trước khi cập nhật hằng ngày",
                "Make a health declaration with your address before daily updates",
            ))),
        }
    }
}
