//! Tracing's registry: people, confirmed cases and the contacts between people. Staff reads of
//! cases and of the people in a case's chain go through the audited `staff_*` methods.

use std::collections::HashMap;

use jiff::Timestamp;
use phongdich_domain::audit::{AuditEvent, Outcome};
use phongdich_domain::cases::{Case, CaseSource, CaseStatus, Contact, Edge, Person, PersonId};
use phongdich_domain::jurisdiction::{subtree_range, Actor};

use crate::audit::bind_audit;
use crate::{from_millis, millis, on_pool, Result, Store, StoreError};

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredPerson {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub birth_year: Option<i64>,
    pub unit_code: String,
    pub citizen_id: Option<i64>,
}

/// A stored case with its person's name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredCase {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub onset_day: Option<String>,
    pub sample_day: String,
    pub confirmed_day: String,
    #[sqlx(try_from = "String")]
    pub source: CaseSource,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    pub transmission_from: i64,
    pub isolated_at: i64,
    pub unit_code: String,
    pub unit_path: String,
    pub note: Option<String>,
    pub created_at: i64,
}

/// A contact to store: the two people and what is known of it.
#[derive(Debug, Clone)]
pub struct NewContact {
    pub a: i64,
    pub b: i64,
    pub contact: Contact,
    pub reference: Option<String>,
    pub created_by: Option<i64>,
}

/// A stored contact as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredContact {
    pub id: i64,
    pub a: i64,
    pub b: i64,
    pub at: i64,
    pub minutes: i64,
    pub setting: String,
    pub close: i64,
    pub source: String,
    pub confidence: String,
    pub evidence: String,
}

const PERSON_COLUMNS: &str = "id, full_name, phone, id_number, birth_year, unit_code, citizen_id";
const CASE_SELECT: &str =
    "SELECT k.id, k.person_id, p.full_name, p.phone, k.onset_day, k.sample_day, \
     k.confirmed_day, k.source, k.status, k.transmission_from, k.isolated_at, k.unit_code, \
     u.path AS unit_path, k.note, k.created_at \
     FROM cases k JOIN persons p ON p.id = k.person_id JOIN units u ON u.code = k.unit_code";

impl Store {
    /// Stores a person an official entered. One whose phone and name match a citizen account
    /// is linked to it (and reused when already in the registry); a different name on the same
    /// phone (a parent using a child's number) is a person of their own, and what the official
    /// typed is never replaced by the account's name.
    pub async fn add_person(&self, person: &Person, now: Timestamp) -> Result<i64> {
        if let Some(phone) = &person.phone {
            let account = self.citizen_by_phone(phone).await?.filter(|c| {
                c.full_name.as_deref().map(phongdich_domain::text::fold)
                    == Some(phongdich_domain::text::fold(&person.full_name))
            });
            if let Some(citizen) = account {
                return self
                    .person_for_citizen_in(citizen.id, Some(&person.unit_code), now)
                    .await;
            }
        }
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO persons (full_name, phone, id_number, birth_year, unit_code, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(&person.full_name)
            .bind(person.phone.as_ref().map(|p| p.as_str().to_owned()))
            .bind(&person.id_number)
            .bind(person.birth_year.map(i64::from))
            .bind(&person.unit_code)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })?;
        Ok(id)
    }

    /// The unit of the existing record that [`Store::add_person`] would reuse for `person`: the
    /// registry's person of the citizen account with that phone and name, or the account's home
    /// unit. `None` when a new person would be made, or the account has no unit yet (it then
    /// takes the unit the official enters). Callers check this unit's jurisdiction before
    /// linking, as a direct read of the record would.
    pub async fn reused_person_unit(&self, person: &Person) -> Result<Option<String>> {
        let Some(phone) = &person.phone else {
            return Ok(None);
        };
        let Some(citizen) = self.citizen_by_phone(phone).await?.filter(|c| {
            c.full_name.as_deref().map(phongdich_domain::text::fold)
                == Some(phongdich_domain::text::fold(&person.full_name))
        }) else {
            return Ok(None);
        };
        let existing: Option<String> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT unit_code FROM persons WHERE citizen_id = $1")
                .bind(citizen.id)
                .fetch_optional(p)
                .await
        })?;
        Ok(existing.or(citizen.unit_code))
    }

    /// The active cases of every unit, newest first, up to `limit`: for the system's own work
    /// (finding a unit's residents in other units' chains), never shown as such.
    pub async fn active_cases(&self, limit: u32) -> Result<Vec<StoredCase>> {
        let sql = format!("{CASE_SELECT} WHERE k.status = 'active' ORDER BY k.id DESC LIMIT $1");
        let rows =
            on_pool!(self, p => sqlx::query_as(&sql).bind(i64::from(limit)).fetch_all(p).await)?;
        Ok(rows)
    }

    /// The registry's person for a citizen account, made from the account on first use.
    pub async fn person_for_citizen(&self, citizen_id: i64, now: Timestamp) -> Result<i64> {
        self.person_for_citizen_in(citizen_id, None, now).await
    }

    /// As [`Store::person_for_citizen`]; an account without a home unit takes `fallback_unit`
    /// (what the official entered) rather than the country root.
    pub async fn person_for_citizen_in(
        &self,
        citizen_id: i64,
        fallback_unit: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        let existing: Option<i64> = on_pool!(self, p => {
            sqlx::query_scalar("SELECT id FROM persons WHERE citizen_id = $1")
                .bind(citizen_id)
                .fetch_optional(p)
                .await
        })?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let citizen = self
            .citizen(citizen_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO persons (full_name, phone, unit_code, citizen_id, created_at) \
                 VALUES ($1, $2, COALESCE($3, 'VN'), $4, $5) \
                 ON CONFLICT (citizen_id) DO UPDATE SET full_name = persons.full_name RETURNING id",
            )
            .bind(citizen.full_name.clone().unwrap_or_else(|| citizen.phone.clone()))
            .bind(&citizen.phone)
            .bind(citizen.unit_code.as_deref().or(fallback_unit))
            .bind(citizen_id)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })?;
        Ok(id)
    }

    /// People by id (for the case page and lists).
    pub async fn persons(&self, ids: &[i64]) -> Result<Vec<StoredPerson>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT {PERSON_COLUMNS} FROM persons WHERE id IN ({})",
                placeholders(chunk.len())
            );
            let rows: Vec<StoredPerson> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows);
        }
        Ok(out)
    }

    /// Registers a case in the actor's jurisdiction.
    pub async fn create_case(
        &self,
        actor: &Actor,
        case: &Case,
        person_id: i64,
        unit_path: &str,
        now: Timestamp,
    ) -> Result<i64> {
        if !actor.covers(unit_path) {
            return Err(StoreError::OutOfJurisdiction);
        }
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO cases (person_id, onset_day, sample_day, confirmed_day, source, status, \
                 transmission_from, isolated_at, unit_code, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(person_id)
            .bind(case.onset.map(|d| d.to_string()))
            .bind(case.sample.to_string())
            .bind(case.confirmed.to_string())
            .bind(case.source.as_str())
            .bind(case.status.as_str())
            .bind(millis(case.transmission_from))
            .bind(millis(case.isolated_at))
            .bind(&case.person.unit_code)
            .bind(&case.note)
            .bind(actor.staff_id)
            .bind(millis(now))
            .fetch_one(p)
            .await
        })?;
        Ok(id)
    }

    /// A case without an audit row, for the system's own work (deriving contacts).
    pub async fn case(&self, id: i64) -> Result<Option<StoredCase>> {
        let sql = format!("{CASE_SELECT} WHERE k.id = $1");
        let row = on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(row)
    }

    /// Opens a case for a member of staff: refused (and audited) outside their jurisdiction.
    pub async fn staff_case(&self, actor: &Actor, id: i64, now: Timestamp) -> Result<StoredCase> {
        let case = self.case(id).await?.ok_or(StoreError::NotFound)?;
        let allowed = actor.covers(&case.unit_path);
        let event = AuditEvent {
            action: "case.open",
            subject: format!("case={id}"),
            unit_code: Some(case.unit_code.clone()),
            outcome: if allowed {
                Outcome::Allowed
            } else {
                Outcome::Denied
            },
        };
        on_pool!(self, p => bind_audit!(actor, event, now).execute(p).await.map(|r| r.rows_affected()))?;
        if !allowed {
            return Err(StoreError::OutOfJurisdiction);
        }
        Ok(case)
    }

    /// Cases registered in the actor's jurisdiction, newest first (audited).
    pub async fn staff_list_cases(&self, actor: &Actor, now: Timestamp) -> Result<Vec<StoredCase>> {
        let (from, to) = subtree_range(&actor.unit.path);
        let sql = format!(
            "{CASE_SELECT} WHERE u.path >= $1 AND u.path < $2 ORDER BY k.id DESC LIMIT 1000"
        );
        let event = AuditEvent {
            action: "case.list",
            subject: String::new(),
            unit_code: Some(actor.unit.code.clone()),
            outcome: Outcome::Allowed,
        };
        let rows = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            bind_audit!(actor, event, now).execute(&mut *tx).await?;
            let rows: Vec<StoredCase> = sqlx::query_as(&sql).bind(&from).bind(&to).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        })?;
        Ok(rows)
    }

    /// Stores a contact; `None` when one with the same reference exists already.
    pub async fn add_contact(&self, c: &NewContact, now: Timestamp) -> Result<Option<i64>> {
        if c.a == c.b {
            return Err(StoreError::Conflict("contact_with_self"));
        }
        let k = &c.contact;
        let id = on_pool!(self, p => {
            sqlx::query_scalar(
                "INSERT INTO contacts (a, b, at, minutes, setting, masked, close, source, confidence, evidence, ref, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (ref) DO NOTHING RETURNING id",
            )
            .bind(c.a)
            .bind(c.b)
            .bind(millis(k.at))
            .bind(k.minutes)
            .bind(k.setting.as_str())
            .bind(k.masked.map(i64::from))
            .bind(i64::from(k.close))
            .bind(k.source.as_str())
            .bind(k.confidence.as_str())
            .bind(&k.evidence)
            .bind(&c.reference)
            .bind(c.created_by)
            .bind(millis(now))
            .fetch_optional(p)
            .await
        })?;
        Ok(id)
    }

    /// Close contacts touching any of `people`, both directions: one level of an expansion.
    pub async fn close_contacts_of(&self, people: &[PersonId]) -> Result<Vec<Edge>> {
        let mut out = Vec::new();
        for chunk in people.chunks(400) {
            let list = placeholders(chunk.len());
            let sql = format!(
                "SELECT id, a, b, at FROM contacts WHERE close = 1 AND a IN ({list}) \
                 UNION ALL SELECT id, a, b, at FROM contacts WHERE close = 1 AND b IN ({list}) AND a NOT IN ({list})"
            );
            let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self, p => {
                // The three lists reuse the same numbered parameters: bind them once.
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows.into_iter().map(|(contact_id, a, b, at)| Edge {
                contact_id,
                a,
                b,
                at: from_millis(at),
            }));
        }
        Ok(out)
    }

    /// How many recorded contacts of a person are not close enough to count.
    pub async fn loose_contacts_of(&self, person: PersonId) -> Result<usize> {
        let n: i64 = on_pool!(self, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE close = 0 AND (a = $1 OR b = $1)")
                .bind(person)
                .fetch_one(p)
                .await
        })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Contacts by id (the evidence of a chain's links).
    pub async fn contacts_by_id(&self, ids: &[i64]) -> Result<HashMap<i64, StoredContact>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT id, a, b, at, minutes, setting, close, source, confidence, evidence FROM contacts WHERE id IN ({})",
                placeholders(chunk.len())
            );
            let rows: Vec<StoredContact> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            out.extend(rows.into_iter().map(|c| (c.id, c)));
        }
        Ok(out)
    }

    /// When each of `people` was isolated, every time (a case's isolation, a quarantine's first
    /// day), oldest first: the expansion picks the first one after a given exposure.
    pub async fn isolation_times(
        &self,
        people: &[PersonId],
    ) -> Result<HashMap<PersonId, Vec<Timestamp>>> {
        let mut out: HashMap<PersonId, Vec<Timestamp>> = HashMap::new();
        for chunk in people.chunks(500) {
            let list = placeholders(chunk.len());
            let sql =
                format!("SELECT person_id, isolated_at FROM cases WHERE person_id IN ({list})");
            let rows: Vec<(i64, i64)> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            for (person, at) in rows {
                out.entry(person).or_default().push(from_millis(at));
            }
            let sql = format!(
                "SELECT person_id, starts_on FROM quarantine_orders WHERE status <> 'cancelled' AND person_id IN ({list})"
            );
            let rows: Vec<(i64, String)> = on_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(id);
                }
                q.fetch_all(p).await
            })?;
            for (person, day) in rows {
                let Some(start) = day
                    .parse::<jiff::civil::Date>()
                    .ok()
                    .and_then(|d| d.to_zoned(phongdich_domain::time::vietnam()).ok())
                    .map(|z| z.timestamp())
                else {
                    continue;
                };
                out.entry(person).or_default().push(start);
            }
        }
        for times in out.values_mut() {
            times.sort();
        }
        Ok(out)
    }
}

/// `$1, $2, …, $n`.
pub(crate) fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Another visitor whose stay at a venue overlapped the case's.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CoPresence {
    pub case_visit: i64,
    pub other_visit: i64,
    pub other_citizen: i64,
    pub venue_name: String,
    /// The overlap, milliseconds.
    pub from_ms: i64,
    pub until_ms: i64,
}

/// A proximity report of someone whose phone matched the case's keys.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ProximityReport {
    pub report_id: i64,
    pub citizen_id: i64,
    pub exposure_day: String,
    pub minutes: f64,
    pub score: f64,
}

impl Store {
    /// Visits by others that overlapped the account holder's own visits (not family members')
    /// of `citizen_id` between `from` and `until`, at the same venue.
    /// Visits typed by venue staff (`staff_phone`) count only once an official confirmed them:
    /// anyone who runs a venue can type a number.
    pub async fn venue_copresence(
        &self,
        citizen_id: i64,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<CoPresence>> {
        let rows = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT c1.id AS case_visit, c2.id AS other_visit, c2.citizen_id AS other_citizen, v.name AS venue_name, \
                 CASE WHEN c1.in_at > c2.in_at THEN c1.in_at ELSE c2.in_at END AS from_ms, \
                 CASE WHEN c1.out_at < c2.out_at THEN c1.out_at ELSE c2.out_at END AS until_ms \
                 FROM checkins c1 JOIN checkins c2 ON c2.venue_id = c1.venue_id AND c2.citizen_id <> c1.citizen_id \
                   AND c2.person = 0 AND c2.in_at < c1.out_at AND c2.out_at > c1.in_at \
                 AND (c2.method <> 'staff_phone' OR c2.confirmed_at IS NOT NULL) \
                 JOIN venues v ON v.id = c1.venue_id \
                 WHERE c1.citizen_id = $1 AND c1.person = 0 AND c1.out_at > $2 AND c1.in_at < $3 \
                 AND (c1.method <> 'staff_phone' OR c1.confirmed_at IS NOT NULL) \
                 ORDER BY c1.id, c2.id",
            )
            .bind(citizen_id)
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }

    /// "I may be F1" reports that matched keys uploaded with a code issued for `citizen_id`.
    pub async fn proximity_reports_of(&self, citizen_id: i64) -> Result<Vec<ProximityReport>> {
        let rows = on_pool!(self, p => {
            sqlx::query_as(
                "SELECT r.id AS report_id, r.citizen_id, r.exposure_day, r.minutes, r.score FROM en_f1_reports r \
                 JOIN en_uploads u ON u.id = r.upload_id JOIN en_codes c ON c.id = u.code_id \
                 WHERE c.citizen_id = $1 ORDER BY r.id",
            )
            .bind(citizen_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows)
    }
}

/// A contact in a bulk load (imports of line lists, benchmarks): the two people, the time and
/// whether it was close; the rest is recorded as an interview of unknown setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkContact {
    pub a: i64,
    pub b: i64,
    pub at: Timestamp,
    pub close: bool,
}

impl Store {
    /// Adds `n` people of one unit with generated names in one transaction per 500; returns
    /// their ids in order.
    pub async fn add_people_bulk(
        &self,
        n: usize,
        unit_code: &str,
        now: Timestamp,
    ) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(n);
        let mut next = 0;
        while next < n {
            let batch = (n - next).min(500);
            let values = (0..batch)
                .map(|i| format!("(${}, $1, $2)", i + 3))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO persons (full_name, unit_code, created_at) VALUES {values} RETURNING id");
            let rows: Vec<i64> = on_pool!(self, p => {
                let mut q = sqlx::query_scalar(&sql).bind(unit_code).bind(millis(now));
                for i in 0..batch {
                    q = q.bind(format!("Người {}", next + i + 1));
                }
                q.fetch_all(p).await
            })?;
            ids.extend(rows);
            next += batch;
        }
        Ok(ids)
    }

    /// Adds contacts in multi-row statements, one transaction per call.
    pub async fn add_contacts_bulk(&self, rows: &[BulkContact], now: Timestamp) -> Result<()> {
        const PER_STATEMENT: usize = 500;
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            for chunk in rows.chunks(PER_STATEMENT) {
                let values = (0..chunk.len())
                    .map(|i| format!("(${}, ${}, ${}, 30, 'other', NULL, ${}, 'interview', 'medium', '', $1)", 4 * i + 2, 4 * i + 3, 4 * i + 4, 4 * i + 5))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "INSERT INTO contacts (a, b, at, minutes, setting, masked, close, source, confidence, evidence, created_at) VALUES {values}"
                );
                let mut q = sqlx::query(&sql).bind(millis(now));
                for c in chunk {
                    q = q.bind(c.a).bind(c.b).bind(millis(c.at)).bind(i64::from(c.close));
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(())
        })?;
        Ok(())
    }
}

impl Store {
    /// Sets a case's status; a recovered or deceased case is closed (its retention starts).
    pub async fn set_case_status(&self, id: i64, status: CaseStatus, now: Timestamp) -> Result<()> {
        let closed = (status != CaseStatus::Active).then(|| millis(now));
        let n = on_pool!(self, p => {
            sqlx::query("UPDATE cases SET status = $1, closed_at = $2 WHERE id = $3")
                .bind(status.as_str())
                .bind(closed)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Deletes what tracing no longer needs: cases closed before `before`, contacts older than
    /// it, quarantine orders whose monitoring ended before `before_day`, and people nothing
    /// refers to any more (citizens' own accounts stay). Returns the rows deleted.
    pub async fn purge_tracing(
        &self,
        before: Timestamp,
        before_day: &str,
    ) -> Result<crate::TableCounts> {
        let n = on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let orders = sqlx::query("DELETE FROM quarantine_orders WHERE monitoring_until < $1")
                .bind(before_day)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let cases = sqlx::query("DELETE FROM cases WHERE closed_at IS NOT NULL AND closed_at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let contacts = sqlx::query("DELETE FROM contacts WHERE at < $1")
                .bind(millis(before))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let persons = sqlx::query(
                "DELETE FROM persons WHERE created_at < $1 \
                 AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = persons.id) \
                 AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.a = persons.id OR c.b = persons.id) \
                 AND NOT EXISTS (SELECT 1 FROM quarantine_orders q WHERE q.person_id = persons.id)",
            )
            .bind(millis(before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok::<_, sqlx::Error>(vec![
                ("quarantine_orders", orders),
                ("cases", cases),
                ("contacts", contacts),
                ("persons", persons),
            ])
        })?;
        Ok(n)
    }
}
