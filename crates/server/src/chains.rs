//! The tracing work the server does for a case: gathering its contacts from the other parts of
//! the system (venue co-presence from check-ins, proximity reports from exposure notification)
//! and expanding its chain level by level with the domain's rule, one store query per level.

use jiff::{SignedDuration, Timestamp};
use phongdich_domain::cases::{
    Confidence, Contact, ContactSource, Expansion, Reached, Seed, Setting, TracingRules,
};
use phongdich_store::{NewContact, Store, StoredCase};

/// What gathering a case's contacts added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gathered {
    pub venue: usize,
    pub proximity: usize,
}

/// Expands a case to `depth` levels: its close contacts in the transmission period (F1), theirs
/// from exposure to isolation (F2), and so on. Each person appears once, at the lowest level.
pub async fn expand_case(
    store: &Store,
    case: &StoredCase,
    depth: u8,
) -> Result<Vec<Reached>, phongdich_store::StoreError> {
    let seed = Seed {
        person: case.person_id,
        from: Timestamp::from_millisecond(case.transmission_from).unwrap_or(Timestamp::UNIX_EPOCH),
        until: Timestamp::from_millisecond(case.isolated_at).ok(),
    };
    let mut walk = Expansion::new(seed, depth);
    while let Some(people) = walk.pending() {
        let edges = store.close_contacts_of(&people).await?;
        // Isolation ends a person's own window, so it matters only for people whose contacts
        // are expanded next.
        let isolation = if walk.next_is_last() {
            Default::default()
        } else {
            store.isolation_times(&walk.newcomers(&edges)).await?
        };
        walk.advance(&edges, &|p, exposed| {
            isolation
                .get(&p)
                .and_then(|times| times.iter().copied().find(|t| *t >= exposed))
        });
    }
    Ok(walk.finish())
}

/// Adds the contacts the system already knows of: visitors whose stay at a venue overlapped the
/// case's in its transmission period, and phones that matched the case's uploaded keys and
/// reported it. Reruns add nothing twice (each contact has a reference).
pub async fn gather_contacts(
    store: &Store,
    case: &StoredCase,
    rules: &TracingRules,
    now: Timestamp,
) -> Result<Gathered, phongdich_store::StoreError> {
    let (masked_minutes, lookback_days) = (rules.close_contact_masked_minutes, rules.lookback_days);
    let mut gathered = Gathered::default();
    let Some(citizen) = store
        .persons(&[case.person_id])
        .await?
        .into_iter()
        .next()
        .and_then(|p| p.citizen_id)
    else {
        return Ok(gathered);
    };
    // No earlier than the lookback: an older contact can no longer be ill from this case, and
    // a backdated case must not become a way to list a venue's visitors of weeks ago.
    let lookback = now - SignedDuration::from_hours(24 * lookback_days);
    let from = Timestamp::from_millisecond(case.transmission_from)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .max(lookback);
    let until = Timestamp::from_millisecond(case.isolated_at).unwrap_or(now);
    for visit in store.venue_copresence(citizen, from, until).await? {
        let other = store
            .person_for_citizen_in(visit.other_citizen, Some(&case.unit_code), now)
            .await?;
        let minutes = (visit.until_ms - visit.from_ms).max(0) / 60_000;
        let at = Timestamp::from_millisecond(visit.from_ms).unwrap_or(from);
        // Venues are public places where masks were the rule: close when long enough.
        let contact = Contact {
            setting: Setting::Venue,
            at,
            minutes,
            masked: Some(true),
            close: minutes >= masked_minutes,
            source: ContactSource::Venue,
            confidence: Confidence::Medium,
            evidence: format!(
                "venue: {} — {minutes} min together (check-ins)",
                visit.venue_name
            ),
        };
        let new = NewContact {
            a: case.person_id,
            b: other,
            contact,
            reference: Some(format!("venue:{}:{}", visit.case_visit, visit.other_visit)),
            created_by: None,
        };
        if store.add_contact(&new, now).await?.is_some() {
            gathered.venue += 1;
        }
    }
    for report in store.proximity_reports_of(citizen).await? {
        let other = store
            .person_for_citizen_in(report.citizen_id, Some(&case.unit_code), now)
            .await?;
        if other == case.person_id {
            continue;
        }
        // The phone reports the UTC day; the contact is placed at its noon.
        let at = report
            .exposure_day
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp() + SignedDuration::from_hours(12))
            .unwrap_or(from);
        let contact = Contact {
            setting: Setting::Other,
            at,
            minutes: report.minutes.round() as i64,
            masked: None,
            // The phone only reports a day whose score reached the profile's threshold.
            close: true,
            source: ContactSource::Proximity,
            confidence: Confidence::High,
            evidence: format!(
                "bluetooth: {:.0} min, score {:.0} on {}",
                report.minutes, report.score, report.exposure_day
            ),
        };
        let new = NewContact {
            a: case.person_id,
            b: other,
            contact,
            reference: Some(format!("proximity:{}", report.report_id)),
            created_by: None,
        };
        if store.add_contact(&new, now).await?.is_some() {
            gathered.proximity += 1;
        }
    }
    Ok(gathered)
}
