//! What the province does: app adoption and check-ins, testing, key uploads, interviews in the
//! tracers' queue, quarantine and isolation, with their defaults and their checks.

use serde::Serialize;

use super::check::Check;

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

impl Interventions {
    /// The literature defaults.
    pub(super) fn defaults() -> Interventions {
        Interventions {
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
        }
    }

    /// Adds this group's problems to `v`.
    pub(super) fn check(&self, v: &mut Check) {
        let i = self;
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
    }
}
