//! The demo's "An toàn COVID" map: facilities of every type across Lào Cai with today's
//! self-assessments in every colour (and some not done, so grey), the Sa Pa school staffed by
//! the demo's facility account, populations so communes get epidemic levels from the outbreak's
//! cases, citizens' feedback (one answered) and risk reports in each state.

use std::collections::BTreeMap;

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::safety::{
    AssessmentForm, CriteriaSet, FacilityForm, FacilityType, SafetyColour, SetKind, ANSWER_MET,
    ANSWER_NOT_MET,
};
use phongdich_domain::time::vietnam_date;
use phongdich_server::AppState;
use phongdich_store::{NewRiskReport, Store};

use super::{CitizenLogin, BAC_HA, SA_PA};

const LAO_CAI_WARD: &str = "02647";
const CAM_DUONG: &str = "02674";
const BAO_THANG: &str = "02905";
const BAT_XAT: &str = "02683";

/// Name, type, commune, address, latitude, longitude, today's colour (None: not assessed).
type DemoFacility = (
    &'static str,
    FacilityType,
    &'static str,
    &'static str,
    f64,
    f64,
    Option<SafetyColour>,
);

const FACILITIES: [DemoFacility; 10] = [
    (
        "Trường THCS Sa Pa",
        FacilityType::School,
        SA_PA,
        "Đường Xuân Viên",
        22.3364,
        103.8438,
        Some(SafetyColour::Green),
    ),
    (
        "Bệnh viện Đa khoa thị xã Sa Pa",
        FacilityType::Medical,
        SA_PA,
        "Đường Điện Biên Phủ",
        22.3391,
        103.8405,
        Some(SafetyColour::Green),
    ),
    (
        "Bến xe khách Sa Pa",
        FacilityType::Transport,
        SA_PA,
        "Tổ 5",
        22.3322,
        103.8471,
        None,
    ),
    (
        "Trường Tiểu học Bắc Hà",
        FacilityType::School,
        BAC_HA,
        "Thôn Na Quang",
        22.5378,
        104.2931,
        Some(SafetyColour::Red),
    ),
    (
        "Trung tâm Y tế Bắc Hà",
        FacilityType::Medical,
        BAC_HA,
        "Thôn Na Kim",
        22.5356,
        104.2878,
        Some(SafetyColour::Yellow),
    ),
    (
        "Bệnh viện Đa khoa tỉnh Lào Cai",
        FacilityType::Medical,
        LAO_CAI_WARD,
        "Đường Hoàng Liên",
        22.4862,
        103.9714,
        Some(SafetyColour::Green),
    ),
    (
        "Ga Lào Cai",
        FacilityType::Transport,
        LAO_CAI_WARD,
        "Đường Nguyễn Huệ",
        22.4971,
        103.9667,
        Some(SafetyColour::Yellow),
    ),
    (
        "Công ty Apatit Việt Nam",
        FacilityType::Workplace,
        CAM_DUONG,
        "Đường Hoàng Quốc Việt",
        22.4299,
        104.0039,
        Some(SafetyColour::Yellow),
    ),
    (
        "Khu công nghiệp Tằng Loỏng",
        FacilityType::Workplace,
        BAO_THANG,
        "Thị trấn Tằng Loỏng",
        22.3217,
        104.0681,
        Some(SafetyColour::Red),
    ),
    (
        "Trường THPT số 1 Bát Xát",
        FacilityType::School,
        BAT_XAT,
        "Thị trấn Bát Xát",
        22.5389,
        103.8925,
        Some(SafetyColour::Green),
    ),
];

/// Populations entered for the communes: illustrative round figures, not census numbers (Bắc Hà's
/// is small so that the outbreak's one community case puts it at level 2).
const POPULATIONS: [(&str, i64); 6] = [
    (BAC_HA, 4_500),
    (SA_PA, 21_000),
    (LAO_CAI_WARD, 35_000),
    (CAM_DUONG, 24_000),
    (BAO_THANG, 30_000),
    (BAT_XAT, 17_000),
];

/// Answers that give `colour` under `set`: pass/fail sets fail optional criteria first (and one
/// required one for red); scored sets take the cheapest, middle or dearest option everywhere.
pub(crate) fn answers_for(set: &CriteriaSet, colour: SafetyColour) -> BTreeMap<String, String> {
    match set.kind {
        SetKind::PassFail => {
            let rule = set
                .pass_fail
                .unwrap_or(phongdich_domain::safety::PassFailRule {
                    green_min_met: set.criteria.len(),
                    yellow_min_met: set.criteria.len(),
                });
            let total = set.criteria.len();
            let fail = match colour {
                SafetyColour::Green => 0,
                SafetyColour::Yellow => total - rule.yellow_min_met,
                _ => total - rule.yellow_min_met + 1,
            };
            let mut order: Vec<&_> = set.criteria.iter().collect();
            order.sort_by_key(|c| c.required);
            let failing: Vec<&str> = order.iter().take(fail).map(|c| c.id.as_str()).collect();
            set.criteria
                .iter()
                .map(|c| {
                    let a = if failing.contains(&c.id.as_str()) {
                        ANSWER_NOT_MET
                    } else {
                        ANSWER_MET
                    };
                    (c.id.clone(), a.to_owned())
                })
                .collect()
        }
        SetKind::Scored => scored_answers(set, colour),
    }
}

/// Scored sets: start from the cheapest option everywhere and raise criteria one by one as far
/// as the index stays inside the highest band of `colour`.
fn scored_answers(set: &CriteriaSet, colour: SafetyColour) -> BTreeMap<String, String> {
    let max = set.max_points().max(1);
    let index = |points: i64| (points * 200 + max) / (2 * max);
    let ceiling = set
        .bands
        .iter()
        .filter(|b| b.colour == colour)
        .map(|b| i64::from(b.up_to))
        .max()
        .unwrap_or(0);
    let cheapest = |c: &phongdich_domain::safety::Criterion| {
        c.options.iter().map(|o| o.points).min().unwrap_or(0)
    };
    let mut points: i64 = set.criteria.iter().map(cheapest).sum();
    let mut answers = BTreeMap::new();
    for c in &set.criteria {
        let mut options: Vec<&_> = c.options.iter().collect();
        options.sort_by_key(|o| std::cmp::Reverse(o.points));
        let base = points - cheapest(c);
        if let Some(o) = options
            .iter()
            .find(|o| index(base + o.points) <= ceiling)
            .or(options.last())
        {
            points = base + o.points;
            answers.insert(c.id.clone(), o.id.clone());
        }
    }
    answers
}

async fn citizen_id(store: &Store, login: &CitizenLogin) -> anyhow::Result<i64> {
    let phone = PhoneNumber::parse("phone", &login.phone)
        .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
    Ok(store
        .citizen_by_phone(&phone)
        .await?
        .context("a demo citizen is missing")?
        .id)
}

pub(super) async fn seed(
    state: &AppState,
    store: &Store,
    citizens: &[CitizenLogin],
) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let official = store
        .staff_credentials("yte.laocai")
        .await?
        .context("the demo official yte.laocai is missing")?;
    let actor = store.actor(official.staff_id).await?.context("no actor")?;
    let school_staff = store
        .staff_credentials("truong.sapa")
        .await?
        .context("the demo facility account truong.sapa is missing")?;
    let mut facilities = Vec::new();
    for (name, t, unit, address, lat, lon, colour) in FACILITIES {
        let input = FacilityForm {
            name: name.into(),
            facility_type: t.as_str().into(),
            unit_code: unit.into(),
            address: address.into(),
            lat: Some(lat),
            lon: Some(lon),
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo facility {name}: {e:?}"))?;
        let f = store
            .create_facility(&input, Some(actor.staff_id), now)
            .await?;
        if unit == SA_PA && t == FacilityType::School {
            store
                .link_facility_staff(f.id, school_staff.staff_id)
                .await?;
        }
        if let Some(colour) = colour {
            let set = state.criteria_set(t).await?;
            let form = AssessmentForm {
                set_id: set.id.clone(),
                set_version: set.version,
                day: vietnam_date(state.now()).to_string(),
                answers: answers_for(&set, colour),
            };
            let stored = state
                // Seeded, not submitted by anyone: no staff id.
                .record_assessment(&f, None, &form)
                .await
                .map_err(|e| anyhow::anyhow!("demo assessment of {name}: {e}"))?;
            anyhow::ensure!(
                stored.colour == colour,
                "demo assessment of {name} is {:?}",
                stored.colour
            );
        }
        facilities.push(f);
    }
    for (unit, population) in POPULATIONS {
        store.set_population(unit, population, now).await?;
    }

    // Feedback on the Bắc Hà school: one answered by the official, one open.
    let school = facilities
        .iter()
        .find(|f| f.unit_code == BAC_HA && f.facility_type == FacilityType::School)
        .context("no Bắc Hà school")?;
    let parent = citizen_id(store, citizens.get(8).context("too few demo citizens")?).await?;
    let answered = store
        .create_feedback(
            school.id,
            parent,
            "Cổng trường không có nước rửa tay sáng nay.",
            None,
            now - SignedDuration::from_hours(24 + 5),
            u32::MAX,
            now - SignedDuration::from_hours(5),
        )
        .await?;
    store
        .answer_feedback(
            answered.id,
            "Nhà trường đã bổ sung bình nước rửa tay ở cổng. Cảm ơn phụ huynh.",
            official.staff_id,
            now - SignedDuration::from_hours(2),
        )
        .await?;
    store
        .create_feedback(
            school.id,
            parent,
            "Học sinh lớp 3A ngồi sát nhau trong giờ ăn trưa.",
            None,
            now - SignedDuration::from_hours(24 + 1),
            u32::MAX,
            now - SignedDuration::from_hours(1),
        )
        .await?;

    // Risk reports in each state.
    let reports = [
        (
            9,
            "undeclared_arrival",
            BAC_HA,
            Some((22.5401, 104.2952)),
            "Thôn Na Hối",
            "Nhà bên cạnh có người từ Hà Nội về hôm qua, chưa khai báo y tế.",
            None,
        ),
        (
            10,
            "gathering",
            SA_PA,
            Some((22.3357, 103.8442)),
            "Quảng trường Sa Pa",
            "Tụ tập đông người xem văn nghệ tối nay, không đeo khẩu trang.",
            Some("Đã cử tổ công tác nhắc nhở và giải tán."),
        ),
        (
            11,
            "venue_not_checking",
            LAO_CAI_WARD,
            None,
            "Quán cà phê đường Hoàng Liên",
            "Quán không yêu cầu quét mã QR khi vào.",
            None,
        ),
    ];
    for (i, category, unit, position, address, text, closing) in reports {
        let reporter = citizen_id(store, citizens.get(i).context("too few demo citizens")?).await?;
        let r = store
            .create_risk_report(
                &NewRiskReport {
                    citizen_id: reporter,
                    category: category.into(),
                    unit_code: unit.into(),
                    position,
                    address: address.into(),
                    text: text.into(),
                    photo: None,
                },
                now - SignedDuration::from_hours(24),
                u32::MAX,
                now,
            )
            .await?;
        if let Some(note) = closing {
            store
                .update_risk_report(&actor, r.id, "open", "closed", Some(note), now)
                .await?;
        } else if unit == LAO_CAI_WARD {
            store
                .update_risk_report(&actor, r.id, "open", "in_progress", None, now)
                .await?;
        }
    }
    Ok(())
}
