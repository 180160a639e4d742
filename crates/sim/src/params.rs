//! Every number the simulator uses, with its source, validated once before anything runs.
//!
//! Defaults come from the literature collected in `shared/research/sim.md`: OpenABM-Covid19
//! (Hinch et al. 2021, `baseline_parameters.csv`), Covasim (Kerr et al. 2021), Ferretti et al.
//! (Science 2020) and the BLE measurements of Leith & Farrell. Numbers marked *assumption* are
//! ours and say so; the disease profile (`data/profiles/covid19-2021.toml`) supplies the tracing
//! rules (close contact, transmission days before onset, quarantine by F-level) and the venue
//! dwell times, exactly as the server applies them.

use serde::Serialize;

use crate::SimError;

/// Ten-year age bands 0–9 … 80+.
pub const AGE_BANDS: usize = 9;

/// The kinds of place where two people meet; each has its own transmission weight, distance
/// and duration, and radio environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// Everyone in the household, every day.
    Household,
    /// Classmates.
    School,
    /// Colleagues.
    Work,
    /// Markets, shops, restaurants, clinics and other venues with a QR poster.
    Venue,
    /// Buses (venues of category `vehicle`).
    Transport,
    /// Everyone else: neighbours, friends, strangers.
    Random,
}

impl Setting {
    /// All settings, in the order of the per-setting arrays below.
    pub const ALL: [Setting; 6] = [
        Setting::Household,
        Setting::School,
        Setting::Work,
        Setting::Venue,
        Setting::Transport,
        Setting::Random,
    ];

    /// Index into the per-setting arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in CSV headers and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Setting::Household => "household",
            Setting::School => "school",
            Setting::Work => "work",
            Setting::Venue => "venue",
            Setting::Transport => "transport",
            Setting::Random => "random",
        }
    }
}

/// How a setting looks physically: how far apart people are, how long they stay close, and
/// how radio waves travel there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SettingShape {
    /// Relative transmission per contact (OpenABM: household 2, occupation and random 1;
    /// Covasim: h 3, s/w 0.6, c 0.3). We take OpenABM's, venues and buses as random.
    pub transmission_weight: f64,
    /// Median distance between the two people in metres (*assumption*; lognormal).
    pub median_distance_m: f64,
    /// Spread of the distance (sdlog of the lognormal; *assumption*).
    pub distance_sdlog: f64,
    /// Mean minutes the two spend near each other in a day (*assumption*; exponential).
    pub mean_minutes: f64,
    /// Path-loss exponent n (sim.md §6.4: ≈ 2 open space, 2.4 measured indoors, 0–1 in metal
    /// vehicles, which reproduces Leith & Farrell's missing distance correlation on buses).
    pub path_loss_exponent: f64,
}

/// The population of the province.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Demography {
    /// Share of people per age band. Vietnam's 2019 census, rounded to ten-year bands
    /// (*assumption*: read off the GSO pyramid, young-heavy, 1.8 % aged 80+).
    pub age_shares: [f64; AGE_BANDS],
    /// Share of households of 1, 2, 3, 4, 5 and 6 people: mean 3.5, the 2019 census mean
    /// household size (the shape is an *assumption*).
    pub household_size_shares: [f64; 6],
    /// Share of people aged 18–59 who work outside home (*assumption*, ILO participation
    /// ≈ 0.75 for Vietnam).
    pub employment_rate: f64,
    /// Pupils per class, ages 3–17 (*assumption*: Vietnamese classes of 35–45, kindergartens
    /// smaller).
    pub class_size: usize,
    /// Mean people per workplace (*assumption*; sizes are geometric, so a few are large).
    pub mean_workplace_size: f64,
    /// Share of pupils and workers who take a bus each day (*assumption*: provinces travel by
    /// motorbike; buses carry a small share).
    pub bus_share: f64,
    /// Smartphone ownership by age band (OpenABM's app uptake ceiling from OFCOM: 0.09, 0.80,
    /// 0.97, 0.96, 0.94, 0.86, 0.70, 0.48, 0.32).
    pub smartphone_by_age: [f64; AGE_BANDS],
}

/// Contacts per day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contacts {
    /// Classmates met per day (OpenABM: children 10 interactions a day).
    pub school_per_day: f64,
    /// Colleagues met per day (OpenABM: adults 7).
    pub work_per_day: f64,
    /// Mean random contacts per day for children, adults and people 60+ (OpenABM 2, 4, 3,
    /// negative binomial with sd equal to the mean, drawn once per person: super-spreaders).
    pub random_per_day: [f64; 3],
    /// Share of random contacts made inside one's own commune (*assumption*).
    pub random_local_share: f64,
    /// Daily chance of visiting a venue of each category: market, supermarket, restaurant,
    /// health facility, other (*assumption*).
    pub venue_visit_prob: [f64; 5],
    /// Venues of each of those categories per 1,000 residents of a commune (*assumption*).
    pub venues_per_1000: [f64; 5],
    /// People met per venue visit among those there in the same hour (*assumption*).
    pub venue_contacts_per_visit: f64,
    /// People met per bus ride (*assumption*).
    pub bus_contacts_per_ride: f64,
    /// Physical shape of each setting, in [`Setting::ALL`] order.
    pub shapes: [SettingShape; 6],
}

/// The disease course.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Disease {
    /// Nominal basic reproduction number: expected infections by one case of average
    /// infectiousness in a fully susceptible province, from the mean contacts of each setting
    /// (household saturation, testing and interviews make the realised number much lower).
    /// Ferretti: 2.0 for the 2020 strain; Vietnam's 2021 wave was Delta, R0 ≈ 5.08 (Liu &
    /// Rocklöv, J Travel Med 2021), which we take.
    pub r0: f64,
    /// Generation time Weibull shape and scale (Ferretti et al. 2020: 2.826, 5.665; mean 5.0
    /// days); the infectiousness of a case on each day since infection.
    pub generation_shape: f64,
    /// See [`Disease::generation_shape`].
    pub generation_scale: f64,
    /// Incubation period lognormal meanlog and sdlog (Ferretti/Lauer: 1.644, 0.363; mean 5.5).
    pub incubation_meanlog: f64,
    /// See [`Disease::incubation_meanlog`].
    pub incubation_sdlog: f64,
    /// Share of infections that never show symptoms, by age (OpenABM: 0.456 … 0.192).
    pub asymptomatic_by_age: [f64; AGE_BANDS],
    /// Infectiousness of an asymptomatic case relative to a symptomatic one (OpenABM: 0.33).
    pub asymptomatic_infectiousness: f64,
    /// Susceptibility by age (OpenABM: 0.35, 0.69, 1.03 for 20–59, 1.27 for 60s, 1.52 70+).
    pub susceptibility_by_age: [f64; AGE_BANDS],
    /// Shape of the gamma-distributed individual infectiousness (mean 1); Covasim uses a
    /// negative binomial dispersion of 0.45. Smaller means more super-spreading.
    pub infectiousness_dispersion: f64,
    /// Distance within which risk is constant; beyond it falls as (d_min/d)² (Oxford's
    /// proposal, Fraser et al. 2020: 1 m).
    pub risk_full_distance_m: f64,
    /// People infected on day 0.
    pub initial_infections: usize,
}

/// The radio model (sim.md §6.4): attenuation = A₁ₘ + 10·n·log₁₀(d) + body + calibration +
/// noise, read by the phones' scans and scored with the device SDK's EN v2 rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ble {
    /// Attenuation at 1 m in line of sight, dB. sim.md gives 45–55 dB; we take 45 so that
    /// 1–1.5 m in good conditions reads in ENX's "near" bucket (≤ 50 dB, weight 1) that the
    /// 15-minute threshold is written for, and 2–3 m in the "medium" one (≤ 60 dB, weight 0.5).
    pub attenuation_1m_db: f64,
    /// Chance a phone sits in a pocket or bag behind its owner's body (*assumption*).
    pub pocket_prob: f64,
    /// Extra attenuation of a phone behind a body, uniform in this range, dB (sim.md: body
    /// blocking +10–20 dB for the pair).
    pub pocket_db: (f64, f64),
    /// Spread of the pair's orientation offset, dB (sd; Leith & Farrell: ±10 dB on swapping
    /// holders).
    pub orientation_sd_db: f64,
    /// Residual calibration error per phone after the GAEN correction, dB (sd; sim.md: a few
    /// dB per model).
    pub device_sd_db: f64,
    /// Fast fading per scan, dB (sd; measured 1.5–3.7 dB).
    pub scan_noise_sd_db: f64,
    /// Seconds between scans (the framework: at most 5 minutes).
    pub scan_interval_s: u32,
    /// Chance a phone is carried and scanning during a contact (phones left on a charger,
    /// Bluetooth off); with the noise above this lands near Norway's 80 % technical efficacy.
    pub carried_prob: f64,
}

/// Testing, tracing and quarantine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Interventions {
    /// Share of app users among smartphone owners (the scenario knob of a sweep).
    pub adoption: f64,
    /// Share of venue visits checked in by QR (needs a smartphone; *assumption*).
    pub checkin_compliance: f64,
    /// Chance a symptomatic person gets tested (OpenABM: 0.8).
    pub test_on_symptoms: f64,
    /// Chance a traced F1 takes each scheduled test (OpenABM: 0.8).
    pub test_traced: f64,
    /// Days from deciding to test to the swab, and from swab to result (OpenABM: 1 and 1).
    pub days_to_test: u32,
    /// See [`Interventions::days_to_test`].
    pub days_to_result: u32,
    /// Test sensitivity from day 3 to day 14 after infection, 0 outside (OpenABM: 0.8).
    pub sensitivity: f64,
    /// Test specificity (OpenABM: 0.999); false positives start real tracing.
    pub specificity: f64,
    /// Daily chance of symptoms from something else, which also sends people to test (0.002).
    pub other_symptoms_daily: f64,
    /// Chance a confirmed app user is given an upload code by the health official.
    pub code_issue_rate: f64,
    /// Chance a confirmed app user with a code uploads their keys (*assumption*: the NHS app's
    /// 4.4 vs 3.2 notifications per consenting vs all index cases suggests ≈ 0.73).
    pub key_upload_rate: f64,
    /// Mean hours from confirmation to the key upload (*assumption*; exponential).
    pub upload_delay_hours: f64,
    /// Hours between published key exports and between a phone's downloads (*assumption*;
    /// Android checks about every 4 hours).
    pub export_interval_hours: f64,
    /// See [`Interventions::export_interval_hours`].
    pub phone_poll_hours: f64,
    /// Days from confirmation to the interview, which names contacts and venues (OpenABM
    /// manual tracing: 1).
    pub interview_delay_days: u32,
    /// Chance the interview names a contact, per setting, for a contact the day before the
    /// interview (OpenABM manual tracing: household 1, occupation 0.8, random 0.05; venues and
    /// buses *assumption*: 0.1 and 0).
    pub interview_recall: [f64; 6],
    /// Case interviews the province's tracers can hold a day, per 100,000 residents. Cases wait
    /// in a first-come-first-served queue beyond it, which is what breaks manual tracing in a
    /// surge while the app's alerts do not queue. OpenABM's default workforce: 300 tracers for
    /// its 1,000,000 people, the 30 per 100,000 of the NACCHO 2020 position statement (Johns
    /// Hopkins/ASTHO's national plan also says 30), each holding 6 index-case interviews a
    /// day (GW Health Workforce Institute estimator): 180.
    pub interview_capacity_per_100k: f64,
    /// How fast a case forgets contacts: the recall above is multiplied by d^(−decay) for a
    /// contact d days before the interview (d ≥ 1). Broda et al., "Estimating the human
    /// bottleneck for contact tracing", PNAS Nexus 2024: contacts reported fall as a power
    /// function of the delay, exponent −0.075 over 1–14 days (UK sample; −0.098 for older
    /// people without a diary). So a contact 14 days back is named 18 % less often.
    pub interview_recall_decay: f64,
    /// Days after the swab beyond which a waiting case is no longer interviewed (CDC,
    /// "Prioritizing case investigations and contact tracing for COVID-19 in high burden
    /// jurisdictions", 2020–21: if more than 14 days have passed since specimen collection,
    /// case investigation is generally not recommended). Its venues and app alerts still count.
    pub interview_max_days_after_swab: u32,
    /// Chance a person quarantines when told (OpenABM: 0.9 when traced after a positive).
    pub quarantine_compliance: f64,
    /// Daily chance a quarantined person stops (OpenABM: 0.03 traced, 0.01 positives).
    pub quarantine_dropout: f64,
    /// See [`Interventions::quarantine_dropout`].
    pub isolation_dropout: f64,
    /// Chance a symptomatic person stays home until their result (*assumption*).
    pub isolate_while_waiting: f64,
    /// Whether household members of F1s are told to stay home as F2 (5053/QĐ-BYT).
    pub trace_f2: bool,
}

/// All parameters of one run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Params {
    /// Agents.
    pub population: usize,
    /// Simulated days.
    pub days: u32,
    /// Seed of every random choice: the same seed gives the same run.
    pub seed: u64,
    pub demography: Demography,
    pub contacts: Contacts,
    pub disease: Disease,
    pub ble: Ble,
    pub interventions: Interventions,
}

fn shape(weight: f64, median: f64, sdlog: f64, minutes: f64, n: f64) -> SettingShape {
    SettingShape {
        transmission_weight: weight,
        median_distance_m: median,
        distance_sdlog: sdlog,
        mean_minutes: minutes,
        path_loss_exponent: n,
    }
}

impl Params {
    /// The literature defaults for `population` agents over `days`, seeded with `seed`.
    pub fn new(population: usize, days: u32, seed: u64) -> Params {
        Params {
            population,
            days,
            seed,
            demography: Demography {
                age_shares: [
                    0.161, 0.146, 0.153, 0.161, 0.136, 0.115, 0.079, 0.033, 0.016,
                ],
                household_size_shares: [0.10, 0.18, 0.21, 0.26, 0.14, 0.11],
                employment_rate: 0.75,
                class_size: 38,
                mean_workplace_size: 15.0,
                bus_share: 0.08,
                smartphone_by_age: [0.09, 0.80, 0.97, 0.96, 0.94, 0.86, 0.70, 0.48, 0.32],
            },
            contacts: Contacts {
                school_per_day: 10.0,
                work_per_day: 7.0,
                random_per_day: [2.0, 4.0, 3.0],
                random_local_share: 0.8,
                venue_visit_prob: [0.30, 0.10, 0.25, 0.02, 0.05],
                venues_per_1000: [0.3, 0.3, 3.0, 0.2, 0.5],
                venue_contacts_per_visit: 3.0,
                bus_contacts_per_ride: 4.0,
                shapes: [
                    // Household: close, long, indoors (walls between rooms included).
                    shape(2.0, 1.5, 0.6, 180.0, 2.2),
                    shape(1.0, 1.5, 0.5, 90.0, 2.4),
                    shape(1.0, 2.0, 0.6, 60.0, 2.4),
                    shape(1.0, 2.0, 0.6, 30.0, 2.0),
                    shape(1.0, 1.2, 0.5, 30.0, 0.5),
                    shape(1.0, 2.5, 0.7, 15.0, 2.0),
                ],
            },
            disease: Disease {
                r0: 5.08,
                generation_shape: 2.826,
                generation_scale: 5.665,
                incubation_meanlog: 1.644,
                incubation_sdlog: 0.363,
                asymptomatic_by_age: [
                    0.456, 0.412, 0.370, 0.332, 0.296, 0.265, 0.238, 0.214, 0.192,
                ],
                asymptomatic_infectiousness: 0.33,
                susceptibility_by_age: [0.35, 0.69, 1.03, 1.03, 1.03, 1.03, 1.27, 1.52, 1.52],
                infectiousness_dispersion: 0.45,
                risk_full_distance_m: 1.0,
                initial_infections: 20,
            },
            ble: Ble {
                attenuation_1m_db: 45.0,
                pocket_prob: 0.5,
                pocket_db: (5.0, 10.0),
                orientation_sd_db: 4.0,
                device_sd_db: 2.0,
                scan_noise_sd_db: 3.0,
                scan_interval_s: 300,
                carried_prob: 0.9,
            },
            interventions: Interventions {
                adoption: 0.4,
                checkin_compliance: 0.5,
                test_on_symptoms: 0.8,
                test_traced: 0.8,
                days_to_test: 1,
                days_to_result: 1,
                sensitivity: 0.8,
                specificity: 0.999,
                other_symptoms_daily: 0.002,
                code_issue_rate: 0.9,
                key_upload_rate: 0.73,
                upload_delay_hours: 4.0,
                export_interval_hours: 1.0,
                phone_poll_hours: 4.0,
                interview_delay_days: 1,
                interview_recall: [1.0, 0.8, 0.8, 0.1, 0.0, 0.05],
                interview_capacity_per_100k: 180.0,
                interview_recall_decay: 0.075,
                interview_max_days_after_swab: 14,
                quarantine_compliance: 0.9,
                quarantine_dropout: 0.03,
                isolation_dropout: 0.01,
                isolate_while_waiting: 0.5,
                trace_f2: true,
            },
        }
    }

    /// Checks every number and returns every problem at once, before anything runs.
    pub fn validate(&self) -> Result<(), SimError> {
        let mut v = Check::default();
        if self.population == 0 {
            v.fail("population must be at least 1");
        }
        if self.population > 20_000_000 {
            v.fail("population must be at most 20,000,000 (agent ids are 32-bit, memory)");
        }
        if self.days == 0 || self.days > 3650 {
            v.fail("days must be 1..=3650");
        }
        let d = &self.demography;
        v.shares("demography.age_shares", &d.age_shares);
        v.shares("demography.household_size_shares", &d.household_size_shares);
        v.prob("demography.employment_rate", d.employment_rate);
        v.prob("demography.bus_share", d.bus_share);
        for p in d.smartphone_by_age {
            v.prob("demography.smartphone_by_age", p);
        }
        if !(2..=200).contains(&d.class_size) {
            v.fail("demography.class_size must be 2..=200");
        }
        v.range(
            "demography.mean_workplace_size",
            d.mean_workplace_size,
            1.0,
            10_000.0,
        );

        let c = &self.contacts;
        v.range("contacts.school_per_day", c.school_per_day, 0.0, 200.0);
        v.range("contacts.work_per_day", c.work_per_day, 0.0, 200.0);
        for r in c.random_per_day {
            v.range("contacts.random_per_day", r, 0.0, 200.0);
        }
        v.prob("contacts.random_local_share", c.random_local_share);
        for p in c.venue_visit_prob {
            v.prob("contacts.venue_visit_prob", p);
        }
        for n in c.venues_per_1000 {
            v.range("contacts.venues_per_1000", n, 0.0, 1000.0);
        }
        v.range(
            "contacts.venue_contacts_per_visit",
            c.venue_contacts_per_visit,
            0.0,
            100.0,
        );
        v.range(
            "contacts.bus_contacts_per_ride",
            c.bus_contacts_per_ride,
            0.0,
            100.0,
        );
        for (s, sh) in Setting::ALL.iter().zip(&c.shapes) {
            let name = s.as_str();
            v.range(name, sh.transmission_weight, 0.0, 100.0);
            v.range(name, sh.median_distance_m, 0.05, 100.0);
            v.range(name, sh.distance_sdlog, 0.0, 3.0);
            v.range(name, sh.mean_minutes, 1.0, 1440.0);
            v.range(name, sh.path_loss_exponent, 0.0, 6.0);
        }

        let s = &self.disease;
        v.range("disease.r0", s.r0, 0.0, 30.0);
        v.range("disease.generation_shape", s.generation_shape, 0.1, 20.0);
        v.range("disease.generation_scale", s.generation_scale, 0.1, 60.0);
        v.range(
            "disease.incubation_meanlog",
            s.incubation_meanlog,
            -3.0,
            4.0,
        );
        v.range("disease.incubation_sdlog", s.incubation_sdlog, 0.0, 3.0);
        for p in s.asymptomatic_by_age {
            v.prob("disease.asymptomatic_by_age", p);
        }
        v.prob(
            "disease.asymptomatic_infectiousness",
            s.asymptomatic_infectiousness,
        );
        for x in s.susceptibility_by_age {
            v.range("disease.susceptibility_by_age", x, 0.0, 10.0);
        }
        v.range(
            "disease.infectiousness_dispersion",
            s.infectiousness_dispersion,
            0.01,
            1000.0,
        );
        v.range(
            "disease.risk_full_distance_m",
            s.risk_full_distance_m,
            0.01,
            100.0,
        );
        if s.initial_infections == 0 || s.initial_infections > self.population {
            v.fail("disease.initial_infections must be 1..=population");
        }

        let b = &self.ble;
        v.range("ble.attenuation_1m_db", b.attenuation_1m_db, 0.0, 120.0);
        v.prob("ble.pocket_prob", b.pocket_prob);
        v.range("ble.pocket_db.0", b.pocket_db.0, 0.0, 60.0);
        v.range("ble.pocket_db.1", b.pocket_db.1, b.pocket_db.0, 60.0);
        v.range("ble.orientation_sd_db", b.orientation_sd_db, 0.0, 30.0);
        v.range("ble.device_sd_db", b.device_sd_db, 0.0, 30.0);
        v.range("ble.scan_noise_sd_db", b.scan_noise_sd_db, 0.0, 30.0);
        if !(1..=300).contains(&b.scan_interval_s) {
            v.fail("ble.scan_interval_s must be 1..=300 (the framework's cap)");
        }
        v.prob("ble.carried_prob", b.carried_prob);

        let i = &self.interventions;
        for (name, p) in [
            ("adoption", i.adoption),
            ("checkin_compliance", i.checkin_compliance),
            ("test_on_symptoms", i.test_on_symptoms),
            ("test_traced", i.test_traced),
            ("sensitivity", i.sensitivity),
            ("specificity", i.specificity),
            ("other_symptoms_daily", i.other_symptoms_daily),
            ("code_issue_rate", i.code_issue_rate),
            ("key_upload_rate", i.key_upload_rate),
            ("quarantine_compliance", i.quarantine_compliance),
            ("quarantine_dropout", i.quarantine_dropout),
            ("isolation_dropout", i.isolation_dropout),
            ("isolate_while_waiting", i.isolate_while_waiting),
        ] {
            v.prob(&format!("interventions.{name}"), p);
        }
        for p in i.interview_recall {
            v.prob("interventions.interview_recall", p);
        }
        for (name, h) in [
            ("upload_delay_hours", i.upload_delay_hours),
            ("export_interval_hours", i.export_interval_hours),
            ("phone_poll_hours", i.phone_poll_hours),
        ] {
            v.range(&format!("interventions.{name}"), h, 0.0, 24.0 * 14.0);
        }
        v.range(
            "interventions.interview_capacity_per_100k",
            i.interview_capacity_per_100k,
            0.1,
            100_000.0,
        );
        v.range(
            "interventions.interview_recall_decay",
            i.interview_recall_decay,
            0.0,
            3.0,
        );
        if !(1..=60).contains(&i.interview_max_days_after_swab) {
            v.fail("interventions.interview_max_days_after_swab must be 1..=60");
        }
        if i.days_to_test > 30 || i.days_to_result > 30 || i.interview_delay_days > 30 {
            v.fail("interventions: test, result and interview delays must be 0..=30 days");
        }
        v.finish()
    }
}

/// Collects problems so a caller sees all of them at once.
#[derive(Default)]
struct Check(Vec<String>);

impl Check {
    fn fail(&mut self, msg: &str) {
        self.0.push(msg.to_owned());
    }

    fn range(&mut self, name: &str, x: f64, lo: f64, hi: f64) {
        if !(x.is_finite() && (lo..=hi).contains(&x)) {
            self.0
                .push(format!("{name} must be between {lo} and {hi}, not {x}"));
        }
    }

    fn prob(&mut self, name: &str, p: f64) {
        self.range(name, p, 0.0, 1.0);
    }

    fn shares(&mut self, name: &str, shares: &[f64]) {
        for &s in shares {
            self.range(name, s, 0.0, 1.0);
        }
        if shares.iter().sum::<f64>() <= 0.0 {
            self.0.push(format!("{name} must not all be zero"));
        }
    }

    fn finish(self) -> Result<(), SimError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(SimError::Invalid(self.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Params::new(1000, 30, 1).validate().unwrap();
    }

    #[test]
    fn every_problem_is_named() {
        let mut p = Params::new(0, 0, 1);
        p.interventions.adoption = 1.5;
        p.interventions.quarantine_dropout = -0.1;
        p.disease.r0 = f64::NAN;
        p.interventions.interview_capacity_per_100k = 0.0;
        p.interventions.interview_recall_decay = -1.0;
        let Err(SimError::Invalid(problems)) = p.validate() else {
            panic!("must fail")
        };
        let text = problems.join("\n");
        for needle in [
            "population",
            "days",
            "adoption",
            "quarantine_dropout",
            "r0",
            "interview_capacity_per_100k",
            "interview_recall_decay",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
    }

    #[test]
    fn household_shares_average_three_and_a_half() {
        let p = Params::new(1, 1, 1);
        let mean: f64 = p
            .demography
            .household_size_shares
            .iter()
            .enumerate()
            .map(|(i, s)| (i + 1) as f64 * s)
            .sum();
        assert!((mean - 3.5).abs() < 0.15, "{mean}");
    }
}
