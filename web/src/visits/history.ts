// The visit history kept on this phone (localStorage, one list per signed-in citizen, 21 days):
// every check-in and check-out is written here as well as sent, so that the phone can match
// the signed risky-venue feed itself — the only history there is in on-device mode.

/** Days a visit is kept, as the server keeps check-ins (the disease profile's retention). */
export const KEEP_DAYS = 21;

/** What became of a visit's request to the server. */
export type VisitState =
  /** The server recorded it. */
  | 'sent'
  /** Waiting in the offline queue. */
  | 'queued'
  /** Kept on this phone only (on-device mode). */
  | 'local'
  /** The server refused it when the queue was sent. */
  | 'failed';

export interface VisitPerson {
  /** null: the account holder; else a family member's id. */
  id: number | null;
  name: string;
  /** When this person checked out, or null (then `auto_out_at` ends the visit). */
  out_at: string | null;
}

export interface LocalVisit {
  /** The check-in's client id (also its id in the offline queue). */
  id: string;
  venue_id: string;
  venue_name: string;
  in_at: string;
  /** When people who do not check out are checked out automatically. */
  auto_out_at: string;
  people: VisitPerson[];
  state: VisitState;
}

const key = (owner: number) => `phongdich.visits.${owner}`;

function read(owner: number): LocalVisit[] {
  try {
    const list = JSON.parse(localStorage.getItem(key(owner)) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as LocalVisit[]).filter((v) => v && typeof v.id === 'string' && Array.isArray(v.people)) : [];
  } catch {
    return [];
  }
}

function write(owner: number, visits: LocalVisit[]): void {
  try {
    localStorage.setItem(key(owner), JSON.stringify(visits));
  } catch {
    // A full or disabled storage loses the local copy; the server's record stays.
  }
}

/** The visits of the last 21 days, newest first (older ones are dropped from storage). */
export function loadVisits(owner: number, now = Date.now()): LocalVisit[] {
  const all = read(owner);
  const since = now - KEEP_DAYS * 24 * 3600_000;
  const kept = all.filter((v) => Date.parse(v.in_at) >= since);
  if (kept.length !== all.length) write(owner, kept);
  return kept.sort((a, b) => Date.parse(b.in_at) - Date.parse(a.in_at));
}

export function addVisit(owner: number, visit: LocalVisit): void {
  const visits = read(owner).filter((v) => v.id !== visit.id);
  visits.push(visit);
  write(owner, visits);
}

export function setVisitState(owner: number, id: string, state: VisitState, times?: { in_at?: string; auto_out_at?: string }): void {
  const visits = read(owner);
  const v = visits.find((x) => x.id === id);
  if (!v) return;
  v.state = state;
  if (times?.in_at) v.in_at = times.in_at;
  if (times?.auto_out_at) v.auto_out_at = times.auto_out_at;
  write(owner, visits);
}

/** The end of one person's stay: their check-out, else the automatic one. */
export function personEnd(visit: LocalVisit, person: VisitPerson): string {
  return person.out_at ?? visit.auto_out_at;
}

/** True while someone of the visit has neither checked out nor reached the automatic check-out. */
export function isOpen(visit: LocalVisit, now = Date.now()): boolean {
  return visit.people.some((p) => p.out_at === null && Date.parse(visit.auto_out_at) > now);
}

/**
 * Records the check-out of `members` at a venue at `at`: each still inside has their latest
 * visit there ended. Returns the ids of the people who were checked out.
 */
export function checkOutLocal(owner: number, venueId: string, members: (number | null)[], at: string): (number | null)[] {
  const visits = read(owner).sort((a, b) => Date.parse(b.in_at) - Date.parse(a.in_at));
  const time = Date.parse(at);
  const ended: (number | null)[] = [];
  for (const member of members) {
    for (const v of visits) {
      if (v.venue_id !== venueId || Date.parse(v.in_at) > time || Date.parse(v.auto_out_at) <= time) continue;
      const person = v.people.find((p) => p.id === member && p.out_at === null);
      if (person) {
        person.out_at = at;
        ended.push(member);
        break;
      }
    }
  }
  if (ended.length) write(owner, visits);
  return ended;
}
