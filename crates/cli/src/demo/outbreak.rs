//! A demo outbreak in Bắc Hà for the tracing views: the first Bluetooth case (whose keys the
//! proximity seed uploaded) becomes a registered case; it met two people at the market and one
//! phone reported a Bluetooth match; its household and a colleague are interview contacts, and
//! one household member names her own contacts (F2). F1s get quarantine orders; a lockdown
//! zone, a quarantine area and two checkpoints are drawn. The province's official registers
//! it: the people involved live in several communes.

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use phongdich_domain::cases::{
    CaseForm, CaseSource, Confidence, Contact, ContactSource, PersonForm, QuarantinePlan, Setting,
};
use phongdich_domain::jurisdiction::Actor;
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::time::vietnam;
use phongdich_domain::zones::ZoneForm;
use phongdich_server::chains::{expand_case, gather_contacts};
use phongdich_server::AppState;
use phongdich_store::{NewCheckin, NewContact, NewQuarantine, Store};
use serde_json::json;

use super::{CitizenLogin, VenueRef, BAC_HA};

/// An interview contact: (from: None = the case, Some(i) = the i-th one here), name, setting,
/// hours after the case's market visit, minutes, masked.
type Interview = (Option<usize>, &'static str, Setting, i64, i64, bool);

const INTERVIEWS: [Interview; 5] = [
    (None, "Sùng Thị Mỷ", Setting::Household, -30, 720, false),
    (None, "Sùng A Dế", Setting::Household, -30, 720, false),
    (None, "Lý Văn Tủa", Setting::Workplace, 4, 90, true),
    (Some(0), "Thào Thị Chi", Setting::Event, -20, 60, false),
    (Some(0), "Vàng Văn Lử", Setting::Workplace, -12, 45, true),
];

pub(super) async fn seed(
    state: &AppState,
    store: &Store,
    citizens: &[CitizenLogin],
    venues: &[VenueRef],
) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let staff = store
        .staff_credentials("yte.laocai")
        .await?
        .context("the demo official yte.laocai is missing")?;
    let actor = store.actor(staff.staff_id).await?.context("no actor")?;
    let rules = &state.profile().tracing;
    // One of the Bluetooth cases, preferably one living in Bắc Hà (its officials' demo logins).
    let mut chosen = None;
    for i in [14, 16, 18] {
        let login = citizens.get(i).context("too few demo citizens")?;
        let phone = PhoneNumber::parse("phone", &login.phone)
            .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
        let citizen = store
            .citizen_by_phone(&phone)
            .await?
            .context("the demo case is not a citizen")?;
        let in_bac_ha = citizen.unit_code.as_deref() == Some(BAC_HA);
        if chosen.is_none() || in_bac_ha {
            chosen = Some((login, citizen));
        }
        if in_bac_ha {
            break;
        }
    }
    let (case_login, case_citizen) = chosen.context("no demo case")?;
    let today = now.to_zoned(vietnam()).date();
    let day = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n))
            .unwrap_or(today)
    };
    // The market visit two days ago, 08:00 in Vietnam, with two others at the same time.
    let market_at = day(2)
        .at(8, 0, 0, 0)
        .to_zoned(vietnam())
        .map(|z| z.timestamp())
        .unwrap_or(now);
    let market = match venues.first() {
        Some(v) => store.venue_by_code(&v.id).await?.map(|v| v.id),
        None => None,
    };
    if let Some(market) = market {
        let visitors = [
            (case_citizen.id, 0, 60),
            (other(store, citizens, 3).await?, 10, 50),
            (other(store, citizens, 4).await?, 50, 20),
        ];
        for (i, (citizen, offset, minutes)) in visitors.into_iter().enumerate() {
            let in_at = market_at + SignedDuration::from_mins(offset);
            store
                .record_checkins(&[NewCheckin {
                    venue_id: market,
                    origin: format!("c:{citizen}"),
                    client_id: format!("demo-outbreak-{i}"),
                    citizen_id: citizen,
                    member_id: None,
                    in_at,
                    auto_out_at: in_at + SignedDuration::from_mins(minutes),
                    method: phongdich_domain::venues::CheckinMethod::SelfScan,
                }])
                .await?;
        }
    }
    let form = CaseForm {
        person: PersonForm {
            full_name: case_login.name.clone(),
            phone: Some(case_login.phone.clone()),
            id_number: None,
            birth_year: None,
            unit_code: case_citizen
                .unit_code
                .clone()
                .unwrap_or_else(|| BAC_HA.into()),
        },
        onset_date: Some(day(3).to_string()),
        sample_date: day(1).to_string(),
        confirmed_date: day(0).to_string(),
        source: CaseSource::Community,
        status: None,
        isolated_at: None,
        note: Some("Ổ dịch chợ Bắc Hà (dữ liệu mẫu) / Bắc Hà market cluster (demo data)".into()),
    };
    let case = form
        .parse(rules, now)
        .map_err(|e| anyhow::anyhow!("demo case: {e}"))?;
    let unit = store.existing_unit(&case.person.unit_code).await?;
    let person = store.add_person(&case.person, now).await?;
    let case_id = store
        .create_case(&actor, &case, person, &unit.path, now)
        .await?;
    let stored = store.case(case_id).await?.context("demo case vanished")?;
    gather_contacts(store, &stored, rules, now).await?;

    let mut interviewed = Vec::new();
    for (from, name, setting, hours, minutes, masked) in INTERVIEWS {
        let contact_person = store
            .add_person(
                &phongdich_domain::cases::Person {
                    full_name: name.into(),
                    phone: None,
                    id_number: None,
                    birth_year: None,
                    unit_code: BAC_HA.into(),
                },
                now,
            )
            .await?;
        let a = match from {
            None => person,
            Some(i) => interviewed[i],
        };
        let contact = Contact {
            setting,
            at: market_at + SignedDuration::from_hours(hours),
            minutes,
            masked: Some(masked),
            close: rules.is_close(Some(masked), minutes),
            source: ContactSource::Interview,
            confidence: if setting == Setting::Household {
                Confidence::High
            } else {
                Confidence::Medium
            },
            evidence: format!("interview: {}, {minutes} min (demo)", setting.as_str()),
        };
        store
            .add_contact(
                &NewContact {
                    a,
                    b: contact_person,
                    contact,
                    reference: None,
                    created_by: Some(actor.staff_id),
                },
                now,
            )
            .await?;
        interviewed.push(contact_person);
    }
    // The citizens the browser tests sign in as (the first listed) keep a plain record.
    let mut spared = Vec::new();
    for i in 0..7 {
        spared.push(other(store, citizens, i).await?);
    }
    quarantine_f1s(state, store, &actor, &stored, today, &spared).await?;
    zones(store, &actor, now).await
}

/// A listed citizen's id.
async fn other(store: &Store, citizens: &[CitizenLogin], i: usize) -> anyhow::Result<i64> {
    let login = citizens.get(i).context("too few demo citizens")?;
    let phone = PhoneNumber::parse("phone", &login.phone)
        .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
    Ok(store
        .citizen_by_phone(&phone)
        .await?
        .context("demo citizen missing")?
        .id)
}

/// The demo case's F1s are in quarantine from yesterday (the profile's plan), but for the
/// citizens in `spared`.
async fn quarantine_f1s(
    state: &AppState,
    store: &Store,
    actor: &Actor,
    case: &phongdich_store::StoredCase,
    today: jiff::civil::Date,
    spared: &[i64],
) -> anyhow::Result<()> {
    let rules = &state.profile().tracing;
    let now = Timestamp::now();
    let start = today.yesterday().unwrap_or(today);
    let reached = expand_case(store, case, rules.max_depth).await?;
    let people = store
        .persons(
            &reached
                .iter()
                .filter(|r| r.level == 1)
                .map(|r| r.person)
                .collect::<Vec<_>>(),
        )
        .await?;
    for p in people {
        if p.citizen_id.is_some_and(|c| spared.contains(&c)) {
            continue;
        }
        let plan = QuarantinePlan::for_level(rules, 1, start, None);
        store
            .create_quarantine(
                actor,
                &NewQuarantine {
                    person_id: p.id,
                    case_id: Some(case.id),
                    level: 1,
                    plan: &plan,
                    unit_code: &p.unit_code,
                },
                now,
            )
            .await?;
    }
    Ok(())
}

/// A lockdown of the market hamlet, the district health centre's quarantine ward and two
/// checkpoints on the roads into Bắc Hà.
async fn zones(store: &Store, actor: &Actor, now: Timestamp) -> anyhow::Result<()> {
    let from = (now - SignedDuration::from_hours(24)).to_string();
    let until = (now + SignedDuration::from_hours(24 * 13)).to_string();
    let forms = [
        json!({"kind": "lockdown", "name": "Phong tỏa thôn Bắc Hà (khu chợ)", "unit_code": BAC_HA,
               "geometry": {"type": "Polygon", "coordinates": [[[104.2880, 22.5390], [104.2935, 22.5390],
                 [104.2935, 22.5428], [104.2880, 22.5428], [104.2880, 22.5390]]]},
               "valid_from": from, "valid_until": until}),
        json!({"kind": "quarantine_area", "name": "Khu cách ly Trung tâm Y tế Bắc Hà", "unit_code": BAC_HA,
               "geometry": {"type": "Polygon", "coordinates": [[[104.2880, 22.5352], [104.2898, 22.5352],
                 [104.2898, 22.5368], [104.2880, 22.5368], [104.2880, 22.5352]]]},
               "valid_from": from}),
        json!({"kind": "checkpoint", "name": "Chốt kiểm soát cầu Na Hối", "unit_code": BAC_HA,
               "geometry": {"type": "Point", "coordinates": [104.2990, 22.5360]}, "valid_from": from, "valid_until": until}),
        json!({"kind": "checkpoint", "name": "Chốt kiểm soát đường Bảo Nhai", "unit_code": BAC_HA,
               "geometry": {"type": "Point", "coordinates": [104.2820, 22.5470]}, "valid_from": from, "valid_until": until}),
    ];
    for form in forms {
        let form: ZoneForm = serde_json::from_value(form)?;
        let zone = form
            .parse()
            .map_err(|e| anyhow::anyhow!("demo zone: {e}"))?;
        store.create_zone(&zone, actor.staff_id, now).await?;
    }
    Ok(())
}
