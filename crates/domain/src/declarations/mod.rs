//! Health declarations: the four kinds of SPEC §2 (domestic, domestic travel, entry, daily
//! update), their validation from the raw form, and the risk assessment that gives a status
//! colour with reasons.

mod form;
mod risk;
pub(crate) mod vocab;

use jiff::civil::Date;

use crate::phone::PhoneNumber;

#[cfg(feature = "openapi")]
pub use form::DeclarationSubmission;
pub use form::{
    AddressForm, DailyForm, DeclarationForm, EntryForm, HealthForm, IdentityForm, TravelForm,
};
pub use risk::{assess, Assessment, Colour, Flag, RiskContext};
pub use vocab::{Condition, Conveyance, Exposure, Gender, Kind, Symptom, TestResult, Vaccination};

/// An address in Vietnam: a commune of the unit tree plus the street part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub unit_code: String,
    /// House number, street, hamlet or residential group.
    pub street: String,
}

/// Who the declaration is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub full_name: String,
    pub birth_year: i32,
    pub gender: Gender,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// ID card or passport number (letters and digits).
    pub id_number: Option<String>,
    pub address: Address,
    pub phone: Option<PhoneNumber>,
    pub email: Option<String>,
    pub insurance_number: Option<String>,
}

/// The health questions shared by the domestic, travel and entry forms (last 14 days).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub symptoms: Vec<Symptom>,
    pub exposures: Vec<Exposure>,
    pub conditions: Vec<Condition>,
    /// Travelled to another province or country in the lookback period, and where.
    pub travel_places: Option<String>,
}

/// A trip inside Vietnam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Travel {
    pub conveyance: Conveyance,
    pub vehicle_number: String,
    pub from: Address,
    pub to: Address,
    /// Departure station, airport or port, where the conveyance has one.
    pub departure_station: Option<String>,
    pub travel_date: Date,
}

/// An arrival from abroad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub passport: String,
    pub conveyance: Conveyance,
    pub vehicle_number: String,
    pub seat: Option<String>,
    pub departure_country: String,
    pub departure_place: String,
    pub departure_date: Date,
    pub entry_date: Date,
    /// Code from the shipped border-gate list.
    pub border_gate: String,
    /// ISO codes of the countries visited in the lookback period, transit included.
    pub visited_countries: Vec<String>,
    pub quarantine_facility: Option<String>,
    pub vaccination: Vaccination,
    pub test_result: TestResult,
}

/// A daily health update of a person under quarantine or monitoring.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyUpdate {
    /// The day the update is for; one per person per day, a later one replaces it.
    pub date: Date,
    pub temperature_c: f64,
    pub symptoms: Vec<Symptom>,
    pub note: Option<String>,
}

/// A validated declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum Declaration {
    Domestic {
        identity: Identity,
        health: Health,
    },
    DomesticTravel {
        identity: Identity,
        health: Health,
        travel: Travel,
    },
    Entry {
        identity: Identity,
        health: Health,
        entry: Entry,
    },
    DailyUpdate(DailyUpdate),
}

impl Declaration {
    pub fn kind(&self) -> Kind {
        match self {
            Declaration::Domestic { .. } => Kind::Domestic,
            Declaration::DomesticTravel { .. } => Kind::DomesticTravel,
            Declaration::Entry { .. } => Kind::Entry,
            Declaration::DailyUpdate(_) => Kind::DailyUpdate,
        }
    }

    pub fn identity(&self) -> Option<&Identity> {
        match self {
            Declaration::Domestic { identity, .. }
            | Declaration::DomesticTravel { identity, .. }
            | Declaration::Entry { identity, .. } => Some(identity),
            Declaration::DailyUpdate(_) => None,
        }
    }

    /// Every unit code the declaration names, with the field it came from; each must exist and
    /// be a commune (checked by the caller against the store).
    pub fn unit_fields(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        if let Some(identity) = self.identity() {
            out.push((
                "identity.address.unit_code",
                identity.address.unit_code.as_str(),
            ));
        }
        if let Declaration::DomesticTravel { travel, .. } = self {
            out.push(("travel.from.unit_code", travel.from.unit_code.as_str()));
            out.push(("travel.to.unit_code", travel.to.unit_code.as_str()));
        }
        out
    }
}
