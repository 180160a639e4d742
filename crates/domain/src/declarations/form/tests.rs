use serde_json::json;

use super::*;
use crate::declarations::{assess, Colour, RiskContext};
use crate::profile::Profile;

fn today() -> Date {
    Date::new(2021, 7, 20).unwrap()
}

fn rules() -> DeclarationRules {
    Profile::covid19_2021().declarations
}

fn identity() -> serde_json::Value {
    json!({
        "full_name": "Lò Văn Sử", "birth_year": 1985, "gender": "male", "nationality": "vn",
        "id_number": "012345678901", "address": {"unit_code": "02839", "street": "Thôn Nậm Cài"},
        "phone": "0912345678", "email": "su@example.vn"
    })
}

fn parse(v: serde_json::Value) -> Result<Declaration, Invalid> {
    let form: DeclarationForm = serde_json::from_value(v).unwrap();
    form.parse(today(), &rules())
}

fn codes(err: Invalid) -> Vec<(String, &'static str)> {
    err.0.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn a_domestic_declaration_parses_and_normalises() {
    let d = parse(json!({"kind": "domestic", "identity": identity(), "health": {"symptoms": ["cough", "cough"]}, "consent": true})).unwrap();
    let Declaration::Domestic { identity, health } = d else {
        panic!()
    };
    assert_eq!(identity.nationality, "VN");
    assert_eq!(identity.phone.unwrap().as_str(), "+84912345678");
    assert_eq!(health.symptoms, vec![Symptom::Cough]);
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let mut bad = identity();
    bad["birth_year"] = json!(1899);
    bad["phone"] = json!("09123abc78");
    bad["nationality"] = json!("XX");
    bad["full_name"] = json!(" ");
    bad["id_number"] = json!("12-34");
    bad["address"]["unit_code"] = json!("abc");
    let err = parse(json!({"kind": "domestic", "identity": bad, "health": {"symptoms": ["headache"], "travelled": true}})).unwrap_err();
    let got = codes(err);
    for expected in [
        ("consent", "consent_required"),
        ("identity.full_name", "required"),
        ("identity.birth_year", "birth_year_out_of_range"),
        ("identity.nationality", "country_unknown"),
        ("identity.id_number", "alphanumeric"),
        ("identity.address.unit_code", "unit_unknown"),
        ("identity.phone", "phone_invalid"),
        ("health.symptoms[0]", "choice_unknown"),
        ("health.travel_places", "required"),
    ] {
        assert!(
            got.contains(&(expected.0.to_owned(), expected.1)),
            "{expected:?} missing from {got:?}"
        );
    }
    let mut future = identity();
    future["birth_year"] = json!(2022);
    let err = parse(json!({"kind": "domestic", "identity": future, "consent": true})).unwrap_err();
    assert_eq!(
        codes(err),
        [("identity.birth_year".to_owned(), "birth_year_out_of_range")]
    );
}

#[test]
fn travel_and_entry_check_their_own_parts() {
    let travel = json!({"conveyance": "air", "vehicle_number": "VN213", "from": {"unit_code": "00070", "street": "1 Tràng Tiền"},
        "to": {"unit_code": "02839", "street": "Chợ Bắc Hà"}, "travel_date": "2021-07-22"});
    let err = parse(json!({"kind": "domestic_travel", "identity": identity(), "travel": travel, "consent": true})).unwrap_err();
    assert_eq!(
        codes(err),
        [("travel.departure_station".to_owned(), "required")]
    );
    let mut late = travel.clone();
    late["departure_station"] = json!("Nội Bài");
    late["travel_date"] = json!("2022-01-01");
    let err = parse(
        json!({"kind": "domestic_travel", "identity": identity(), "travel": late, "consent": true}),
    )
    .unwrap_err();
    assert_eq!(
        codes(err),
        [("travel.travel_date".to_owned(), "date_out_of_range")]
    );

    let entry = json!({"passport": "C1234567", "conveyance": "air", "vehicle_number": "VN51", "departure_country": "KR",
        "departure_place": "Incheon", "departure_date": "2021-07-21", "entry_date": "2021-07-20", "border_gate": "SB-NOIBAI",
        "visited_countries": ["KR", "ZZ"], "vaccination": "full", "test_result": "negative"});
    let err =
        parse(json!({"kind": "entry", "identity": identity(), "entry": entry, "consent": true}))
            .unwrap_err();
    let got = codes(err);
    assert!(
        got.contains(&("entry.departure_date".into(), "date_order")),
        "{got:?}"
    );
    assert!(
        got.contains(&("entry.visited_countries[1]".into(), "country_unknown")),
        "{got:?}"
    );
    let mut gate = entry.clone();
    gate["border_gate"] = json!("NOWHERE");
    gate["departure_date"] = json!("2021-07-19");
    gate["visited_countries"] = json!(["KR"]);
    let err =
        parse(json!({"kind": "entry", "identity": identity(), "entry": gate, "consent": true}))
            .unwrap_err();
    assert_eq!(
        codes(err),
        [("entry.border_gate".to_owned(), "border_gate_unknown")]
    );
    assert!(parse(json!({"kind": "entry", "identity": identity(), "consent": true})).is_err());
}

#[test]
fn daily_updates_bound_the_temperature() {
    for t in [20.0, 45.0, 33.9, 42.6] {
        let err = parse(json!({"kind": "daily_update", "daily": {"temperature_c": t}}));
        assert!(err.is_err(), "{t}");
    }
    let ok = parse(
        json!({"kind": "daily_update", "daily": {"temperature_c": 36.64, "symptoms": ["fatigue"]}}),
    )
    .unwrap();
    let Declaration::DailyUpdate(u) = ok else {
        panic!()
    };
    assert_eq!((u.temperature_c, u.date), (36.6, today()));
    assert_eq!(
        codes(parse(json!({"kind": "vaccination"})).unwrap_err()),
        [("kind".to_owned(), "choice_unknown")]
    );
}

#[test]
fn risk_gives_the_worst_colour_with_all_reasons() {
    let no_zone = |_: &str| false;
    let ctx = RiskContext {
        today: today(),
        in_active_zone: &no_zone,
        under_quarantine: false,
    };
    let rules = rules();
    let green =
        parse(json!({"kind": "domestic", "identity": identity(), "consent": true})).unwrap();
    assert_eq!(assess(&green, &ctx, &rules).colour, Colour::Green);

    let red = parse(json!({"kind": "domestic", "identity": identity(), "consent": true,
        "health": {"symptoms": ["fever"], "exposures": ["contact_with_case", "contact_with_symptomatic"]}})).unwrap();
    let a = assess(&red, &ctx, &rules);
    assert_eq!(a.colour, Colour::Red);
    let flag_codes: Vec<_> = a.flags.iter().map(|f| f.code).collect();
    assert_eq!(flag_codes, ["symptoms", "contact_with_case", "exposure"]);

    let zoned = |code: &str| code == "02839";
    let ctx_zone = RiskContext {
        today: today(),
        in_active_zone: &zoned,
        under_quarantine: false,
    };
    assert_eq!(assess(&green, &ctx_zone, &rules).colour, Colour::Yellow);
    let quarantined = RiskContext {
        today: today(),
        in_active_zone: &no_zone,
        under_quarantine: true,
    };
    assert_eq!(assess(&green, &quarantined, &rules).colour, Colour::Red);

    let fever = parse(json!({"kind": "daily_update", "daily": {"temperature_c": 38.2}})).unwrap();
    assert_eq!(assess(&fever, &ctx, &rules).flags[0].code, "fever");
    let normal = parse(json!({"kind": "daily_update", "daily": {"temperature_c": 36.8}})).unwrap();
    assert_eq!(assess(&normal, &ctx, &rules).colour, Colour::Green);
}

#[test]
fn recent_arrivals_are_watched_for_the_profile_window() {
    let no_zone = |_: &str| false;
    let rules = rules();
    let entry = json!({"passport": "C1234567", "conveyance": "air", "vehicle_number": "VN51", "departure_country": "KR",
        "departure_place": "Incheon", "departure_date": "2021-07-10", "entry_date": "2021-07-10", "border_gate": "SB-NOIBAI",
        "vaccination": "full", "test_result": "negative"});
    let form: DeclarationForm = serde_json::from_value(
        json!({"kind": "entry", "identity": identity(), "entry": entry, "consent": true}),
    )
    .unwrap();
    let d = form.parse(Date::new(2021, 7, 12).unwrap(), &rules).unwrap();
    let during = RiskContext {
        today: Date::new(2021, 7, 23).unwrap(),
        in_active_zone: &no_zone,
        under_quarantine: false,
    };
    assert_eq!(assess(&d, &during, &rules).colour, Colour::Yellow);
    let after = RiskContext {
        today: Date::new(2021, 7, 24).unwrap(),
        in_active_zone: &no_zone,
        under_quarantine: false,
    };
    assert_eq!(assess(&d, &after, &rules).colour, Colour::Green);
}
