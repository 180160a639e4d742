use std::collections::BTreeMap;

use jiff::civil::date;

use super::*;

fn campaign_form() -> CampaignForm {
    CampaignForm {
        name: "Cài đặt Bluezone 2021".into(),
        goal: "install_app".into(),
        start: "2021-07-01".into(),
        deadline: "2021-07-31".into(),
        reporting_dates: vec!["2021-07-15".into(), "2021-07-01".into()],
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
        units: vec!["bh-ubnd".into(), "BH-XA".into(), "BH-UBND".into()],
    }
}

fn heads() -> HeadCounts {
    HeadCounts {
        staff: 40,
        staff_smartphone: 30,
        residents: 9_000,
        smartphone_users: 4_000,
        venues: 0,
    }
}

fn codes(e: &crate::Invalid) -> Vec<(String, &'static str)> {
    e.0.iter().map(|f| (f.field.clone(), f.code)).collect()
}

#[test]
fn a_campaign_sorts_its_dates_and_units() {
    let c = campaign_form().parse().unwrap();
    assert_eq!(
        c.reporting_dates,
        [date(2021, 7, 1), date(2021, 7, 15), date(2021, 7, 31)]
    );
    assert_eq!(c.units, ["BH-UBND", "BH-XA"]);
    assert_eq!(
        c.targets[1],
        Target {
            population: Population::SmartphoneUsers,
            percent: 50
        }
    );
}

#[test]
fn a_deadline_before_the_start_and_other_mistakes_are_named() {
    let mut f = campaign_form();
    f.deadline = "2021-06-30".into();
    f.reporting_dates = vec!["2021-13-01".into()];
    f.targets.push(TargetForm {
        population: "smartphone_users".into(),
        percent: 0,
    });
    f.targets.push(TargetForm {
        population: "staff".into(),
        percent: 101,
    });
    f.units.clear();
    let e = f.parse().unwrap_err();
    let got = codes(&e);
    assert!(
        got.contains(&("deadline".into(), "deadline_before_start")),
        "{got:?}"
    );
    assert!(got.contains(&("reporting_dates[0]".into(), "date_invalid")));
    assert!(got.contains(&("targets[2].percent".into(), "percent_out_of_range")));
    assert!(got.contains(&("targets[3].percent".into(), "percent_out_of_range")));
    assert!(got.contains(&("units".into(), "units_count")));
}

#[test]
fn head_counts_cannot_contradict_themselves() {
    let form = OrgUnitForm {
        code: "bh ubnd".into(),
        name: "UBND xã Bắc Hà".into(),
        kind: "agency".into(),
        unit_code: "02839".into(),
        parent_code: None,
        reporter_phone: Some("0912 345 678".into()),
        staff: 10,
        staff_smartphone: 12,
        residents: -1,
        smartphone_users: 0,
        venues: 0,
    };
    let got = codes(&form.parse().unwrap_err());
    assert_eq!(
        got,
        [
            ("code".into(), "org_code_invalid"),
            ("residents".into(), "count_negative"),
            ("staff_smartphone".into(), "count_above_head_count")
        ]
    );
}

#[test]
fn reports_are_checked_against_head_counts_targets_and_dates() {
    let c = campaign_form().parse().unwrap();
    let today = date(2021, 7, 20);
    let mut form = ReportForm {
        unit: "bh-ubnd".into(),
        date: "2021-07-15".into(),
        counts: BTreeMap::from([
            ("staff_smartphone".into(), 31),
            ("smartphone_users".into(), -3),
            ("venues".into(), 1),
        ]),
        note: String::new(),
    };
    let got = codes(&form.parse(&c, &heads(), today).unwrap_err());
    assert!(
        got.contains(&("counts.staff_smartphone".into(), "count_above_head_count")),
        "{got:?}"
    );
    assert!(got.contains(&("counts.smartphone_users".into(), "count_negative")));
    assert!(got.contains(&("counts.venues".into(), "not_a_target")));
    form.counts = BTreeMap::from([("staff_smartphone".into(), 30)]);
    form.date = "2021-07-25".into();
    assert_eq!(
        codes(&form.parse(&c, &heads(), today).unwrap_err()),
        [("date".into(), "date_out_of_range")]
    );
    form.date = "2021-07-15".into();
    let r = form.parse(&c, &heads(), today).unwrap();
    assert_eq!(r.unit, "BH-UBND");
    assert_eq!(r.counts[&Population::StaffSmartphone], 30);
}

#[test]
fn progress_compares_reported_and_measured_with_the_straight_line() {
    let c = campaign_form().parse().unwrap();
    // Day 15 of 30: half the time gone, so 50% of staff and 25% of smartphone users expected.
    let today = date(2021, 7, 16);
    let report = Report {
        unit: "BH-UBND".into(),
        date: date(2021, 7, 15),
        counts: BTreeMap::from([
            (Population::StaffSmartphone, 15),
            (Population::SmartphoneUsers, 600),
        ]),
        note: String::new(),
    };
    let measured = BTreeMap::from([(Population::SmartphoneUsers, 1_200)]);
    let p = progress(&c, "BH-UBND", &heads(), Some(&report), &measured, today);
    let staff = &p.targets[0];
    assert_eq!(
        (
            staff.expected_percent,
            staff.reported_percent,
            staff.target_count
        ),
        (50.0, Some(50.0), 30)
    );
    assert!(!staff.behind, "exactly on the line is on schedule");
    let users = &p.targets[1];
    assert_eq!(
        (
            users.expected_percent,
            users.reported_percent,
            users.measured_percent
        ),
        (25.0, Some(15.0), Some(30.0))
    );
    assert!(!users.behind, "the measured figure shows it is ahead");
    assert!(!p.late);

    // Nothing reported, nothing measured: behind, and late once the 15th has passed.
    let none = progress(&c, "BH-XA", &heads(), None, &BTreeMap::new(), today);
    assert!(none.behind && none.late);
    assert_eq!(none.due, Some(date(2021, 7, 15)));
    let before = progress(
        &c,
        "BH-XA",
        &heads(),
        None,
        &BTreeMap::new(),
        date(2021, 6, 30),
    );
    assert!(!before.late && !before.behind && before.due.is_none());

    let t = totals(&c, &[p, none], today);
    assert_eq!(t[0].head_count, 60);
    assert_eq!(t[0].reported, Some(15));
    assert_eq!(t[0].reported_percent, Some(25.0));
    assert_eq!(t[1].measured, Some(1_200));
}

#[test]
fn reminders_go_two_days_before_a_reporting_date() {
    let c = campaign_form().parse().unwrap();
    assert_eq!(reminder_due(&c, date(2021, 7, 13)), Some(date(2021, 7, 15)));
    assert_eq!(reminder_due(&c, date(2021, 7, 29)), Some(date(2021, 7, 31)));
    assert_eq!(reminder_due(&c, date(2021, 7, 14)), None);
}
