//! Demo declarations: ten days of history seeded with a clock moved into the past, so the demo
//! has arrivals under monitoring with daily updates (and missed days), flagged declarations,
//! travel, and a current declaration for every citizen listed in `demo.json`.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::declarations::DeclarationForm;
use phongdich_domain::time::vietnam_date;
use phongdich_server::clock::ManualClock;
use phongdich_server::declaring::Declarant;
use phongdich_server::AppState;
use phongdich_store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::{CitizenLogin, LISTED_CITIZENS};
use crate::launch;
use crate::settings::Settings;

/// Days of history before today.
const HISTORY_DAYS: i64 = 10;
/// Citizens (after the listed ones) who arrived from abroad and are under monitoring.
const ARRIVALS: usize = 12;

/// A server state over the same store and keys whose clock starts `HISTORY_DAYS` ago.
pub(super) async fn seeding_state(
    settings: &Settings,
    store: &Store,
) -> anyhow::Result<(AppState, Arc<ManualClock>)> {
    let start = Timestamp::now() - SignedDuration::from_hours(24 * HISTORY_DAYS);
    let clock = Arc::new(ManualClock::new(start));
    let state = launch::app_state_with_clock(settings, store.clone(), clock.clone()).await?;
    Ok((state, clock))
}

fn form(value: Value) -> anyhow::Result<DeclarationForm> {
    Ok(serde_json::from_value(value)?)
}

fn identity(name: &str, birth_year: i64, female: bool, unit: &str, phone: Option<&str>) -> Value {
    json!({
        "full_name": name, "birth_year": birth_year, "gender": if female { "female" } else { "male" },
        "nationality": "VN", "address": {"unit_code": unit, "street": "Thôn Nậm Cài"}, "phone": phone,
    })
}

async fn submit(state: &AppState, citizen_id: i64, form: DeclarationForm) -> anyhow::Result<()> {
    state
        .submit_declaration(&form, Declarant::Citizen(citizen_id))
        .await
        .map_err(|e| anyhow::anyhow!("demo declaration: {e}"))?;
    Ok(())
}

/// Seeds the history and returns the citizens to list in `demo.json`.
pub(super) async fn seed(
    state: &AppState,
    clock: &ManualClock,
    store: &Store,
    citizens: Vec<CitizenLogin>,
) -> anyhow::Result<Vec<CitizenLogin>> {
    let mut rng = StdRng::seed_from_u64(20_210_720);
    let mut people = Vec::new();
    for c in &citizens {
        let phone = phongdich_domain::phone::PhoneNumber::parse("phone", &c.phone)
            .map_err(|e| anyhow::anyhow!("{}", e.message.en))?;
        let citizen = store
            .citizen_by_phone(&phone)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo citizen missing"))?;
        people.push((citizen, c));
    }

    // Arrivals from abroad six days ago, with daily updates since (some days missed).
    clock.advance(SignedDuration::from_hours(24 * 4));
    let entry_day = vietnam_date(state.now()).to_string();
    for (citizen, login) in people.iter().skip(LISTED_CITIZENS).take(ARRIVALS) {
        let unit = citizen.unit_code.clone().unwrap_or_default();
        let (country, place, gate, conveyance, vehicle) = if rng.gen_bool(0.5) {
            ("CN", "Hà Khẩu, Vân Nam", "DB-LAOCAI", "road", "24B-123.45")
        } else {
            ("KR", "Incheon", "SB-NOIBAI", "air", "VN415")
        };
        submit(state, citizen.id, form(json!({
            "kind": "entry", "consent": true,
            "identity": identity(&login.name, rng.gen_range(1960..2000), rng.gen_bool(0.5), &unit, Some(&login.phone)),
            "health": {"symptoms": [], "exposures": []},
            "entry": {"passport": format!("C{:07}", rng.gen_range(0..10_000_000)), "conveyance": conveyance, "vehicle_number": vehicle,
                "departure_country": country, "departure_place": place, "departure_date": entry_day, "entry_date": entry_day,
                "border_gate": gate, "visited_countries": [country], "vaccination": "full", "test_result": "negative"},
        }))?)
        .await?;
    }
    for _day in 1..=5 {
        clock.advance(SignedDuration::from_hours(24));
        for (i, (citizen, _)) in people
            .iter()
            .skip(LISTED_CITIZENS)
            .take(ARRIVALS)
            .enumerate()
        {
            // The first two arrivals never send updates; the others miss about one day in five.
            if i < 2 || rng.gen_bool(0.2) {
                continue;
            }
            let fever = rng.gen_bool(0.1);
            let temperature = if fever {
                38.0 + rng.gen_range(0..10) as f64 / 10.0
            } else {
                36.2 + rng.gen_range(0..8) as f64 / 10.0
            };
            submit(state, citizen.id, form(json!({"kind": "daily_update",
                "daily": {"temperature_c": temperature, "symptoms": if fever { json!(["fever"]) } else { json!([]) }}}))?)
            .await?;
        }
    }

    // Domestic travel a few days ago.
    for (citizen, login) in people.iter().skip(LISTED_CITIZENS + ARRIVALS).take(20) {
        let unit = citizen.unit_code.clone().unwrap_or_default();
        let day = vietnam_date(state.now()).to_string();
        submit(state, citizen.id, form(json!({
            "kind": "domestic_travel", "consent": true,
            "identity": identity(&login.name, rng.gen_range(1960..2004), rng.gen_bool(0.5), &unit, Some(&login.phone)),
            "health": {},
            "travel": {"conveyance": "road", "vehicle_number": "24B-678.90", "from": {"unit_code": "00070", "street": "Bến xe Mỹ Đình"},
                "to": {"unit_code": unit, "street": "Trung tâm xã"}, "travel_date": day},
        }))?)
        .await?;
    }

    // Today: a domestic declaration from everyone else (and some of their family), a few flagged.
    let half_an_hour_ago = Timestamp::now() - SignedDuration::from_mins(30);
    clock.advance(half_an_hour_ago.duration_since(state.now()));
    for (i, (citizen, login)) in people.iter().enumerate() {
        if (LISTED_CITIZENS..LISTED_CITIZENS + ARRIVALS).contains(&i) {
            continue;
        }
        let unit = citizen.unit_code.clone().unwrap_or_default();
        // Listed citizens stay green or yellow so the demo logins show a usable pass.
        let roll = rng.gen_range(0..100);
        let health = match roll {
            0..=7 => json!({"symptoms": ["cough", "sore_throat"]}),
            8..=10 if i >= LISTED_CITIZENS => {
                json!({"exposures": ["contact_with_case"], "symptoms": ["fever"]})
            }
            11..=13 => json!({"exposures": ["contact_with_traveller"]}),
            _ => json!({}),
        };
        submit(state, citizen.id, form(json!({"kind": "domestic", "consent": true,
            "identity": identity(&login.name, rng.gen_range(1950..2006), rng.gen_bool(0.5), &unit, Some(&login.phone)),
            "health": health}))?)
        .await?;
        let family = store.family(citizen.id).await?;
        for member in family {
            if !rng.gen_bool(0.3) {
                continue;
            }
            submit(state, citizen.id, form(json!({"kind": "domestic", "consent": true, "member_id": member.id,
                "identity": identity(&member.full_name, member.birth_year, rng.gen_bool(0.5), &unit, None),
                "health": {}}))?)
            .await?;
        }
    }
    Ok(citizens.into_iter().take(LISTED_CITIZENS).collect())
}

/// Re-declares (same answers) for listed citizens whose declaration no longer gives a pass.
pub(super) async fn refresh(state: &AppState, listed: &[CitizenLogin]) -> anyhow::Result<()> {
    for login in listed {
        let Ok(phone) = phongdich_domain::phone::PhoneNumber::parse("phone", &login.phone) else {
            continue;
        };
        let Some(citizen) = state.store().citizen_by_phone(&phone).await? else {
            continue;
        };
        let last = state
            .store()
            .citizen_declarations(citizen.id, 20)
            .await?
            .into_iter()
            .find(|d| d.member_id.is_none() && d.kind == "domestic");
        let Some(last) = last else { continue };
        if state.now().duration_since(last.declared_at) < SignedDuration::from_hours(24) {
            continue;
        }
        let answers: Value = serde_json::from_str(&last.answers)?;
        submit(state, citizen.id, form(answers["form"].clone())?).await?;
    }
    Ok(())
}
