//! `phongdich demo`: a realistic demo province (Lào Cai) seeded on first run, then served.
//!
//! The seed is deterministic (same people, same phones on every fresh folder) except the staff
//! passwords, which are random and kept in `DIR/demo.json` (SPEC §10) with the URL and logins.

use std::path::Path;

use anyhow::Context;
use jiff::Timestamp;
use phongdich_domain::accounts::FamilyMemberInput;
use phongdich_domain::phone::PhoneNumber;
use phongdich_server::auth::staff_accounts::{create_staff, StaffForm};
use phongdich_store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

mod campaigns;
mod declarations;
mod outbreak;
mod proximity;
mod safety;
mod venues;

use crate::launch;
use crate::settings::Settings;

/// Lào Cai: mountains, markets and a border gate — and, in the 2025 list, Xã Bắc Hà and
/// Phường Sa Pa, where most demo people live.
const PROVINCE: &str = "15";
const BAC_HA: &str = "02839";
const SA_PA: &str = "03006";
const CITIZENS: usize = 300;
const SEED_MARKER: &str = "demo_seeded";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct DemoFile {
    url: String,
    staff: Vec<StaffLogin>,
    citizens: Vec<CitizenLogin>,
    venues: Vec<VenueRef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StaffLogin {
    username: String,
    password: String,
    role: String,
    unit: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CitizenLogin {
    pub(crate) phone: String,
    pub(crate) name: String,
}

/// How many citizens `demo.json` lists.
pub(crate) const LISTED_CITIZENS: usize = 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct VenueRef {
    id: String,
    name: String,
}

/// (username, role, unit, full name)
const STAFF: [(&str, &str, &str, &str); 8] = [
    ("admin.laocai", "admin", PROVINCE, "Trần Quốc Bảo"),
    (
        "yte.laocai",
        "health_official",
        PROVINCE,
        "Nguyễn Thị Hương",
    ),
    ("yte.bacha", "health_official", BAC_HA, "Giàng Seo Phử"),
    ("yte.sapa", "health_official", SA_PA, "Lý Thị Mai"),
    ("cho.bacha", "venue_staff", BAC_HA, "Vàng A Chứ"),
    ("truong.sapa", "facility_staff", SA_PA, "Hoàng Văn Tâm"),
    ("baocao.bacha", "unit_reporter", BAC_HA, "Lò Thị Hoa"),
    ("chot.bacha", "checkpoint_staff", BAC_HA, "Sùng A Chốt"),
];

const SURNAMES: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Giàng", "Lò", "Vàng",
    "Sùng", "Thào", "Lý", "Hà",
];
const MALE: [&str; 12] = [
    "An", "Bình", "Dũng", "Hải", "Hùng", "Nam", "Phúc", "Quang", "Tuấn", "Sử", "Páo", "Chứ",
];
const FEMALE: [&str; 12] = [
    "Chi", "Hà", "Hoa", "Lan", "Linh", "Mai", "Thảo", "Trang", "Vân", "Mỷ", "Sính", "Dung",
];
const MALE_MIDDLE: [&str; 4] = ["Văn", "Đức", "Minh", "Seo"];
const FEMALE_MIDDLE: [&str; 3] = ["Thị", "Ngọc", "Thu"];

pub(crate) use phongdich_server::auth::passwords::random_password as new_password;

fn full_name(rng: &mut StdRng, female: bool) -> String {
    let surname = SURNAMES[rng.gen_range(0..SURNAMES.len())];
    let (middle, given) = if female {
        (
            FEMALE_MIDDLE[rng.gen_range(0..FEMALE_MIDDLE.len())],
            FEMALE[rng.gen_range(0..FEMALE.len())],
        )
    } else {
        (
            MALE_MIDDLE[rng.gen_range(0..MALE_MIDDLE.len())],
            MALE[rng.gen_range(0..MALE.len())],
        )
    };
    format!("{surname} {middle} {given}")
}

pub(crate) async fn run(mut settings: Settings) -> anyhow::Result<()> {
    if settings.sms.sender.is_empty() {
        settings.sms.sender = "console".into();
    }
    let store = launch::open_store(&settings).await?;
    let demo_path = settings.data.join("demo.json");
    let mut demo = match store.meta(SEED_MARKER).await? {
        Some(_) => read_demo(&demo_path)?,
        None => {
            let mut demo = seed(&store).await?;
            let seeding = declarations::seeding_state(&settings, &store).await?;
            demo.citizens =
                declarations::seed(&seeding.0, &seeding.1, &store, demo.citizens).await?;
            let state = launch::app_state(&settings, store.clone()).await?;
            demo.venues = venues::seed(&state, &store, &demo.citizens).await?;
            proximity::seed(&state, &store, &demo.citizens).await?;
            outbreak::seed(&state, &store, &demo.citizens, &demo.venues).await?;
            safety::seed(&state, &store, &demo.citizens).await?;
            campaigns::seed(&store, &demo.citizens).await?;
            demo
        }
    };
    // Keep the contract of demo.json on later starts too: its citizens have a current declaration.
    declarations::refresh(
        &launch::app_state(&settings, store.clone()).await?,
        &demo.citizens,
    )
    .await?;
    let listener = launch::bind(&settings).await?;
    demo.url = format!("http://{}/", listener.local_addr()?);
    write_demo(&demo_path, &demo)?;
    store.set_meta(SEED_MARKER, "1").await?;
    print_welcome(&demo, &demo_path);
    let state = launch::app_state(&settings, store.clone()).await?;
    launch::run_until_shutdown(listener, state, store).await
}

async fn seed(store: &Store) -> anyhow::Result<DemoFile> {
    let now = Timestamp::now();
    let year = now.to_zoned(jiff::tz::TimeZone::UTC).year();
    println!("Đang tạo dữ liệu mẫu tỉnh Lào Cai / seeding the Lào Cai demo province…");
    let mut staff = Vec::new();
    for (username, role, unit, name) in STAFF {
        let password = new_password();
        let form = StaffForm {
            username: username.into(),
            password: password.clone(),
            full_name: name.into(),
            role: role.into(),
            unit_code: unit.into(),
        };
        create_staff(store, form, now)
            .await
            .map_err(|e| anyhow::anyhow!("creating {username}: {e}"))?;
        staff.push(StaffLogin {
            username: username.into(),
            password,
            role: role.into(),
            unit: unit.into(),
        });
    }

    let others: Vec<String> = store
        .unit_children(PROVINCE)
        .await?
        .into_iter()
        .map(|u| u.code)
        .filter(|c| c != BAC_HA && c != SA_PA)
        .collect();
    let mut rng = StdRng::seed_from_u64(2021);
    let mut citizens = Vec::new();
    let mut used = std::collections::HashSet::new();
    while citizens.len() < CITIZENS {
        let prefix = ["09", "03", "08", "07"][rng.gen_range(0..4)];
        let phone_text = format!("{prefix}{:08}", rng.gen_range(0..100_000_000u32));
        let phone = PhoneNumber::parse("phone", &phone_text)
            .map_err(|e| anyhow::anyhow!("demo phone: {}", e.message.en))?;
        if !used.insert(phone.clone()) {
            continue;
        }
        let female = rng.gen_bool(0.5);
        let name = full_name(&mut rng, female);
        let unit = match rng.gen_range(0..10) {
            0..=3 => BAC_HA.to_owned(),
            4..=6 => SA_PA.to_owned(),
            _ => others[rng.gen_range(0..others.len())].clone(),
        };
        let id = store
            .create_citizen(&phone, Some(&name), Some(&unit), now)
            .await?;
        let surname = name.split(' ').next().unwrap_or("Nguyễn").to_owned();
        for _ in 0..rng.gen_range(0..=4) {
            let (relation, age) = match rng.gen_range(0..4) {
                0 => ("child", rng.gen_range(1..18)),
                1 => ("parent", rng.gen_range(55..85)),
                2 => ("spouse", rng.gen_range(25..60)),
                _ => ("grandchild", rng.gen_range(0..10)),
            };
            let child_female = rng.gen_bool(0.5);
            let member_name = full_name(&mut rng, child_female);
            // Children and grandchildren carry the family's surname.
            let member_name = if relation == "child" || relation == "grandchild" {
                format!(
                    "{surname}{}",
                    &member_name[member_name.find(' ').unwrap_or(0)..]
                )
            } else {
                member_name
            };
            let input =
                FamilyMemberInput::parse(&member_name, i64::from(year) - age, relation, year)
                    .map_err(|e| anyhow::anyhow!("demo family member: {e}"))?;
            store.add_family_member(id, &input, now).await?;
        }
        citizens.push(CitizenLogin {
            phone: phone.as_str().to_owned(),
            name,
        });
    }
    Ok(DemoFile {
        url: String::new(),
        staff,
        citizens,
        venues: Vec::new(),
    })
}

fn read_demo(path: &Path) -> anyhow::Result<DemoFile> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "the demo was seeded but {} is missing; delete the data folder to seed again",
            path.display()
        )
    })?;
    serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))
}

/// Writes the file whole or not at all.
fn write_demo(path: &Path, demo: &DemoFile) -> anyhow::Result<()> {
    phongdich_server::files::write_atomically(path, serde_json::to_string_pretty(demo)?.as_bytes())
}

fn print_welcome(demo: &DemoFile, path: &Path) {
    println!();
    println!("Phòng Dịch — bản demo tỉnh Lào Cai / Lào Cai demo province");
    println!("  Mở / open: {}", demo.url);
    println!();
    println!("  Cán bộ / staff logins:");
    for s in &demo.staff {
        println!(
            "    {:<14} {:<16} {:<15} đơn vị/unit {}",
            s.username, s.password, s.role, s.unit
        );
    }
    println!();
    println!("  Người dân / citizens (đăng nhập bằng mã SMS / sign in with the SMS code):");
    for c in demo.citizens.iter().take(5) {
        println!("    {}  {}", c.phone, c.name);
    }
    println!(
        "  Mã SMS được ghi vào / SMS codes are written to: {}",
        path.with_file_name("sms-outbox.jsonl").display()
    );
    println!(
        "  Tất cả thông tin đăng nhập / all logins: {}",
        path.display()
    );
    println!();
}
