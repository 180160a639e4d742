//! The demo's adoption campaign: "install the app" over units of Bắc Hà, Sa Pa and the Lào Cai
//! ward (100% of staff with a smartphone, 50% of smartphone users), three weeks in, with units
//! ahead, behind and one that has not reported; some demo citizens gave Bắc Hà's commune code,
//! so the dashboard also shows measured figures. A reporting date falls two days from now, so
//! the server's reminders go out to the SMS outbox on start.

use std::collections::BTreeMap;

use anyhow::Context;
use jiff::{Timestamp, ToSpan};
use phongdich_domain::campaigns::{CampaignForm, OrgUnitForm, ReportForm, TargetForm};
use phongdich_domain::phone::PhoneNumber;
use phongdich_domain::time::vietnam_date;
use phongdich_store::Store;

use super::{CitizenLogin, BAC_HA, PROVINCE, SA_PA};

const LAO_CAI_WARD: &str = "02647";

/// Code, name, kind, administrative unit, reporter phone, staff, staff with a smartphone,
/// residents, smartphone users.
type DemoUnit = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
    i64,
);

const UNITS: [DemoUnit; 7] = [
    (
        "BH-UBND",
        "UBND xã Bắc Hà",
        "agency",
        BAC_HA,
        "0912400001",
        42,
        38,
        0,
        0,
    ),
    (
        "BH-THCS",
        "Trường THCS Bắc Hà",
        "school",
        BAC_HA,
        "0912400002",
        55,
        50,
        0,
        0,
    ),
    (
        "BH-XA",
        "Xã Bắc Hà (người dân)",
        "commune",
        BAC_HA,
        "0912400003",
        0,
        0,
        4_500,
        2_600,
    ),
    (
        "SP-UBND",
        "UBND phường Sa Pa",
        "agency",
        SA_PA,
        "0912400004",
        60,
        58,
        0,
        0,
    ),
    (
        "SP-XA",
        "Phường Sa Pa (người dân)",
        "commune",
        SA_PA,
        "0912400005",
        0,
        0,
        21_000,
        14_000,
    ),
    (
        "LC-SYT",
        "Sở Y tế tỉnh Lào Cai",
        "agency",
        LAO_CAI_WARD,
        "0912400006",
        120,
        118,
        0,
        0,
    ),
    (
        "LC-XA",
        "Phường Lào Cai (người dân)",
        "commune",
        LAO_CAI_WARD,
        "0912400007",
        0,
        0,
        35_000,
        24_000,
    ),
];

/// Reports: unit, days before today, staff with a smartphone reached, smartphone users reached.
const REPORTS: [(&str, i64, i64, i64); 9] = [
    ("BH-UBND", 14, 20, 0),
    ("BH-UBND", 7, 31, 0),
    ("BH-THCS", 14, 18, 0),
    ("BH-THCS", 7, 29, 0),
    ("BH-XA", 7, 0, 410),
    ("SP-UBND", 14, 40, 0),
    ("SP-UBND", 7, 58, 0),
    ("SP-XA", 7, 0, 6_300),
    ("LC-SYT", 14, 95, 0),
];

pub(super) async fn seed(store: &Store, citizens: &[CitizenLogin]) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let today = vietnam_date(now);
    let mut units = Vec::new();
    for (code, name, kind, unit, phone, staff, staff_smartphone, residents, smartphone_users) in
        UNITS
    {
        let form = OrgUnitForm {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            unit_code: unit.into(),
            parent_code: None,
            reporter_phone: Some(phone.into()),
            staff,
            staff_smartphone,
            residents,
            smartphone_users,
            venues: 0,
        };
        units.push(
            form.parse()
                .map_err(|e| anyhow::anyhow!("demo unit {code}: {e:?}"))?,
        );
    }
    store.save_org_units(&units, now).await?;

    let day = |offset: i64| today.checked_add(offset.days()).map(|d| d.to_string());
    let form = CampaignForm {
        name: "Cài đặt ứng dụng Phòng Dịch".into(),
        goal: "install_app".into(),
        start: day(-21)?,
        deadline: day(9)?,
        reporting_dates: vec![day(-14)?, day(-7)?, day(2)?],
        targets: vec![
            TargetForm {
                population: "staff_smartphone".into(),
                percent: 100,
            },
            TargetForm {
                population: "smartphone_users".into(),
                percent: 50,
            },
        ],
        units: UNITS.iter().map(|u| u.0.to_owned()).collect(),
    };
    let campaign = form
        .parse()
        .map_err(|e| anyhow::anyhow!("demo campaign: {e:?}"))?;
    let official = store
        .staff_credentials("yte.laocai")
        .await?
        .context("the demo official yte.laocai is missing")?;
    let mut ids = Vec::new();
    for code in &campaign.units {
        ids.push(store.org_unit(code).await?.context("demo unit missing")?.id);
    }
    let id = store
        .create_campaign(&campaign, &ids, PROVINCE, official.staff_id, now)
        .await?;
    let reporter = store
        .staff_credentials("baocao.bacha")
        .await?
        .context("the demo reporter baocao.bacha is missing")?;
    for (code, days_ago, staff, users) in REPORTS {
        let org = store.org_unit(code).await?.context("demo unit missing")?;
        let mut counts = BTreeMap::new();
        if org.unit.heads.staff_smartphone > 0 {
            counts.insert("staff_smartphone".to_owned(), staff);
        }
        if org.unit.heads.smartphone_users > 0 {
            counts.insert("smartphone_users".to_owned(), users);
        }
        let report = ReportForm {
            unit: code.into(),
            date: day(-days_ago)?,
            counts,
            note: String::new(),
        }
        .parse(&campaign, &org.unit.heads, today)
        .map_err(|e| anyhow::anyhow!("demo report of {code}: {e:?}"))?;
        store
            .save_campaign_report(id, org.id, &report, reporter.staff_id, now)
            .await?;
    }
    // Demo citizens of Bắc Hà gave their commune's code when they signed up.
    let commune = store
        .org_unit("BH-XA")
        .await?
        .context("demo unit missing")?;
    for login in citizens.iter().take(12) {
        let phone = PhoneNumber::parse("phone", &login.phone)
            .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
        if let Some(c) = store.citizen_by_phone(&phone).await? {
            if c.unit_code.as_deref() == Some(BAC_HA) {
                store.set_citizen_org_unit(c.id, Some(commune.id)).await?;
            }
        }
    }
    Ok(())
}
