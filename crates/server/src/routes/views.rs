//! Wire shapes shared by several resources.

use std::collections::HashMap;

use phongdich_domain::units::Unit;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::state::AppState;

/// An administrative unit as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct UnitView {
    /// Official code (GSO), or `VN` for the country.
    pub(crate) code: String,
    pub(crate) name: String,
    /// Vietnamese division type: tỉnh, xã, phường, …
    pub(crate) kind: String,
    /// country, province, district or commune.
    pub(crate) tier: String,
    pub(crate) parent_code: Option<String>,
    /// The name with its ancestors, for display: "Xã Bắc Hà, Lào Cai".
    pub(crate) path: String,
}

/// Builds the view of `unit`, looking up its ancestors for the display path.
pub(crate) async fn unit_view(state: &AppState, unit: Unit) -> ApiResult<UnitView> {
    let ancestors = state.store().unit_ancestors(&unit).await?;
    let mut names = vec![unit.name.clone()];
    names.extend(ancestors.iter().rev().map(|u| u.name.clone()));
    Ok(UnitView {
        path: names.join(", "),
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        tier: unit.tier.as_str().to_owned(),
        parent_code: unit.parent_code,
    })
}

/// Unit views already built while answering one request: a list of many rows in few units
/// looks each unit and its ancestors up once.
#[derive(Default)]
pub(crate) struct UnitViews(HashMap<String, UnitView>);

impl UnitViews {
    pub(crate) async fn of(&mut self, state: &AppState, unit: Unit) -> ApiResult<UnitView> {
        if let Some(v) = self.0.get(&unit.code) {
            return Ok(v.clone());
        }
        let view = unit_view(state, unit).await?;
        self.0.insert(view.code.clone(), view.clone());
        Ok(view)
    }

    pub(crate) async fn by_code(
        &mut self,
        state: &AppState,
        code: Option<&str>,
    ) -> ApiResult<Option<UnitView>> {
        let Some(code) = code else { return Ok(None) };
        if let Some(v) = self.0.get(code) {
            return Ok(Some(v.clone()));
        }
        match state.store().unit(code).await? {
            Some(unit) => Ok(Some(self.of(state, unit).await?)),
            None => Ok(None),
        }
    }
}

/// A family member as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FamilyMemberView {
    pub(crate) id: i64,
    pub(crate) full_name: String,
    pub(crate) birth_year: i64,
    pub(crate) relation: String,
}

impl From<phongdich_store::FamilyMember> for FamilyMemberView {
    fn from(m: phongdich_store::FamilyMember) -> Self {
        Self {
            id: m.id,
            full_name: m.full_name,
            birth_year: m.birth_year,
            relation: m.relation,
        }
    }
}
