//! Demo venues: one of every category in Bắc Hà and Sa Pa, a few days of check-ins by the demo
//! people, the market's scanning account, and one exposure window at the market (with its
//! alerts and the risky-venue feed).

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::venues::{venue_code, Category, ExposureWindow, RiskLevel};
use phongdich_server::AppState;
use phongdich_store::{NewCheckin, NewVenue, Store, Venue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{CitizenLogin, VenueRef, BAC_HA, SA_PA};

/// Name, category, commune, street, latitude, longitude.
const VENUES: [(&str, Category, &str, &str, f64, f64); 12] = [
    (
        "Chợ văn hóa Bắc Hà",
        Category::Market,
        BAC_HA,
        "Thôn Bắc Hà",
        22.5407,
        104.2906,
    ),
    (
        "UBND xã Bắc Hà",
        Category::Office,
        BAC_HA,
        "Thôn Na Quang",
        22.5392,
        104.2921,
    ),
    (
        "Trung tâm Y tế huyện Bắc Hà",
        Category::HealthFacility,
        BAC_HA,
        "Thôn Na Kim",
        22.5361,
        104.2889,
    ),
    (
        "Trường THCS Bắc Hà",
        Category::School,
        BAC_HA,
        "Thôn Bắc Hà 1",
        22.5418,
        104.2874,
    ),
    (
        "Bến xe khách Bắc Hà",
        Category::Station,
        BAC_HA,
        "Đường Ngọc Uyển",
        22.5375,
        104.2950,
    ),
    (
        "Xe khách Bắc Hà – Lào Cai 24B-01234",
        Category::Vehicle,
        BAC_HA,
        "",
        22.5375,
        104.2950,
    ),
    (
        "Siêu thị Sa Pa",
        Category::Supermarket,
        SA_PA,
        "Đường Cầu Mây",
        22.3356,
        103.8420,
    ),
    (
        "Nhà hàng Cổng Trời",
        Category::Restaurant,
        SA_PA,
        "Đường Thác Bạc",
        22.3372,
        103.8398,
    ),
    (
        "Khách sạn Hoàng Liên",
        Category::Lodging,
        SA_PA,
        "Đường Fansipan",
        22.3341,
        103.8445,
    ),
    (
        "Xưởng chè Tả Van",
        Category::Factory,
        SA_PA,
        "Thôn Tả Van",
        22.3057,
        103.8871,
    ),
    (
        "Chốt kiểm soát dịch Ô Quy Hồ",
        Category::Checkpoint,
        SA_PA,
        "Quốc lộ 4D",
        22.3520,
        103.7750,
    ),
    (
        "Nhà văn hóa tổ 5",
        Category::Other,
        SA_PA,
        "Tổ 5",
        22.3389,
        103.8436,
    ),
];

/// Days of check-in history.
const DAYS: i64 = 4;
/// Visits a day across all venues.
const VISITS_PER_DAY: usize = 150;

/// Seeds the venues, their history and the exposure window; returns the venues to list.
pub(super) async fn seed(
    state: &AppState,
    store: &Store,
    citizens: &[CitizenLogin],
) -> anyhow::Result<Vec<VenueRef>> {
    let now = Timestamp::now();
    let mut rng = StdRng::seed_from_u64(202_107);
    let mut ids = Vec::new();
    for c in citizens {
        let phone = PhoneNumber::parse("phone", &c.phone)
            .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
        if let Some(found) = store.citizen_by_phone(&phone).await? {
            ids.push(found.id);
        }
    }
    anyhow::ensure!(ids.len() > 2, "the demo needs citizens before venues");
    // The second listed citizen owns the market (the first is left free to register one).
    let owner = ids[1];
    let mut venues = Vec::new();
    for (i, (name, category, unit, street, lat, lon)) in VENUES.iter().enumerate() {
        let venue = store
            .create_venue(&NewVenue {
                code: venue_code(rng.gen()),
                name: (*name).to_owned(),
                category: category.as_str().to_owned(),
                unit_code: (*unit).to_owned(),
                street: (*street).to_owned(),
                position: Some((*lat, *lon)),
                owner_citizen_id: (i == 0).then_some(owner),
                created_at: now - SignedDuration::from_hours(24 * (DAYS + 1)),
            })
            .await?;
        venues.push(venue);
    }
    // The market was registered by a citizen: Bắc Hà's official approved it, so its staff scan.
    let approver = store
        .staff_credentials("yte.bacha")
        .await?
        .map(|c| c.staff_id)
        .ok_or_else(|| anyhow::anyhow!("the demo needs yte.bacha before venues"))?;
    store.approve_venue(venues[0].id, approver, now).await?;
    link_market_staff(store, &venues[0]).await?;
    seed_visits(state, store, &venues, &ids, &mut rng, now).await?;
    mark_exposure(state, store, &venues[0], now).await?;
    Ok(venues
        .into_iter()
        .map(|v| VenueRef {
            id: v.code,
            name: v.name,
        })
        .collect())
}

/// The market's scanning account (`cho.bacha`) scans for the market.
async fn link_market_staff(store: &Store, market: &Venue) -> anyhow::Result<()> {
    let staff = store
        .staff_credentials("cho.bacha")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo staff cho.bacha is missing"))?;
    store.link_venue_staff(market.id, staff.staff_id).await?;
    Ok(())
}

/// Visits between 06:00 and 20:00 Vietnam time on each of the last days; a third leave by
/// checking out, the rest by the automatic check-out.
async fn seed_visits(
    state: &AppState,
    store: &Store,
    venues: &[Venue],
    citizens: &[i64],
    rng: &mut StdRng,
    now: Timestamp,
) -> anyhow::Result<()> {
    let rules = &state.profile().checkin;
    let mut batch = Vec::new();
    for day in (0..DAYS).rev() {
        let midnight = (now - SignedDuration::from_hours(24 * day))
            .to_zoned(phongdich_domain::time::vietnam())
            .start_of_day()?
            .timestamp();
        for n in 0..VISITS_PER_DAY {
            let venue = &venues[rng.gen_range(0..venues.len())];
            let citizen = citizens[rng.gen_range(0..citizens.len())];
            let in_at = midnight + SignedDuration::from_mins(rng.gen_range(6 * 60..20 * 60));
            if in_at > now {
                continue;
            }
            let category = Category::parse("category", &venue.category).unwrap_or(Category::Other);
            batch.push(NewCheckin {
                venue_id: venue.id,
                origin: format!("c:{citizen}"),
                client_id: format!("demo-{day}-{n}"),
                citizen_id: citizen,
                member_id: None,
                in_at,
                auto_out_at: in_at + rules.dwell(category),
                method: phongdich_domain::venues::CheckinMethod::SelfScan,
            });
        }
    }
    store.record_checkins(&batch).await?;
    Ok(())
}

/// A case at the market yesterday morning: visitors then get a high-risk alert.
async fn mark_exposure(
    state: &AppState,
    store: &Store,
    market: &Venue,
    now: Timestamp,
) -> anyhow::Result<()> {
    let official = store
        .staff_credentials("yte.bacha")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo staff yte.bacha is missing"))?;
    let actor = store
        .actor(official.staff_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("yte.bacha has no unit"))?;
    let yesterday = (now - SignedDuration::from_hours(24))
        .to_zoned(phongdich_domain::time::vietnam())
        .start_of_day()?
        .timestamp();
    let window = ExposureWindow {
        starts_at: yesterday + SignedDuration::from_hours(7),
        ends_at: yesterday + SignedDuration::from_hours(11),
        level: RiskLevel::High,
        case_ref: Some("BN-DEMO-01".into()),
    };
    let margin = SignedDuration::from_mins(state.profile().checkin.overlap_margin_minutes);
    store
        .create_exposure(&actor, market, &window, margin, true, now)
        .await?;
    state.publish_feed().await?;
    Ok(())
}
