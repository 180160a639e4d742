// The typed client for case and contact tracing (/api/v1/cases, /api/v1/quarantine, OpenAPI tag
// "tracing"): confirmed cases (F0) with their chain of contacts by level, interview contacts,
// gathering contacts again from venues and Bluetooth reports, the chain as CSV, quarantine orders
// with the officials' follow-up list and test results, the citizen's own orders, and everyone
// traced in the jurisdiction by level and unit (/api/v1/tracing/people, JSON, CSV or XLSX).

import { download, request } from './api';

export type CaseSource = 'imported' | 'community' | 'known_contact';
export const CASE_SOURCES: readonly CaseSource[] = ['community', 'imported', 'known_contact'];

export type CaseStatus = 'active' | 'recovered' | 'died';
export const CASE_STATUSES: readonly CaseStatus[] = ['active', 'recovered', 'died'];

/** A person of a case or a contact as an official enters them. */
export interface PersonBody {
  full_name: string;
  phone?: string;
  id_number?: string;
  birth_year?: number;
  /** Where they live (commune code). */
  unit_code: string;
}

export interface CaseBody {
  person: PersonBody;
  /** YYYY-MM-DD; absent for an asymptomatic case. */
  onset_date?: string;
  sample_date: string;
  confirmed_date: string;
  source: CaseSource;
  status?: CaseStatus;
  /** RFC 3339; the end of the sample day by default. */
  isolated_at?: string;
  note?: string;
}

/** A case as listed. */
export interface Case {
  id: number;
  person_id: number;
  full_name: string;
  phone: string | null;
  onset_date: string | null;
  sample_date: string;
  confirmed_date: string;
  source: CaseSource | string;
  status: CaseStatus | string;
  unit_code: string;
  /** Start of the transmission period (RFC 3339). */
  transmission_from: string;
  isolated_at: string;
  note: string | null;
}

/** A new case, with the contacts found at once. */
export interface CaseCreated extends Case {
  venue_contacts: number;
  proximity_contacts: number;
}

export type ContactSource = 'venue' | 'proximity' | 'interview';
export type Confidence = 'low' | 'medium' | 'high';

/** One person of a case's chain. */
export interface ChainMember {
  person_id: number;
  /** Withheld (null) for members living outside the official's jurisdiction. */
  full_name: string | null;
  phone: string | null;
  unit_code: string;
  /** True when the member lives outside the official's jurisdiction (identity withheld). */
  outside_jurisdiction: boolean;
  /** 1 = F1, 2 = F2, 3 = F3. */
  level: number;
  /** The person of the level above they met (the case's person for an F1). */
  via: number;
  exposed_at: string;
  contact_id: number;
  /** The source of the contact that made the level. */
  source: ContactSource | string;
  /** Every source linking them to the person above (one person is often found several ways). */
  sources?: (ContactSource | string)[];
  setting: string;
  minutes: number;
  confidence: Confidence | string;
  evidence: string | null;
  isolated_at: string | null;
}

export interface CaseDetail {
  case: Case;
  /** Ordered by level, then exposure. */
  chain: ChainMember[];
  /** How many at each level: [F1, F2, F3]. */
  counts: number[];
  /** Contacts recorded that are not close enough to count. */
  other_contacts: number;
}

export type Setting = 'household' | 'workplace' | 'school' | 'vehicle_row' | 'event' | 'healthcare' | 'venue' | 'other';
export const SETTINGS: readonly Setting[] = ['household', 'workplace', 'school', 'vehicle_row', 'event', 'healthcare', 'venue', 'other'];

export interface ContactBody {
  /** Whose contact this is; the case's person by default (an F1's id gives F2s). */
  from_person_id?: number;
  /** An existing person, or a new `person` (not both). */
  person_id?: number;
  person?: PersonBody;
  setting: Setting;
  /** RFC 3339. */
  at: string;
  minutes: number;
  masked?: boolean;
  note?: string;
}

export interface ContactAdded {
  id: number;
  person_id: number;
  /** Whether the contact is close enough to make a level. */
  close: boolean;
}

export interface Gathered {
  venue_contacts: number;
  proximity_contacts: number;
}

export type QuarantineKind = 'facility' | 'home';

export interface QuarantineBody {
  person_id: number;
  level: number;
  /** YYYY-MM-DD, today by default. */
  starts_on?: string;
  kind?: QuarantineKind;
  case_id?: number;
}

/** A quarantine order with its plan and today's state (the same for officials and citizens). */
export interface QuarantineOrder {
  id: number;
  person_id: number;
  full_name: string;
  phone: string | null;
  case_id: number | null;
  level: number;
  kind: QuarantineKind | string;
  starts_on: string;
  ends_on: string;
  monitoring_until: string;
  tests_on: string[];
  status: string;
  unit_code: string;
  /** Day N of the quarantine today, or null when it is not under way. */
  day: number | null;
  updated_today: boolean;
  test_today: boolean;
  /** Results recorded so far. */
  tests: QuarantineTest[];
  /** Test days already past (YYYY-MM-DD) without a result. */
  tests_overdue: string[];
  /** Days of the quarantine before today without a daily health update. */
  missed_updates: number;
}

export type TestResult = 'negative' | 'positive';
export const TEST_RESULTS: readonly TestResult[] = ['negative', 'positive'];

/** A test result of a person in quarantine. */
export interface QuarantineTest {
  /** The day the sample was taken (YYYY-MM-DD). */
  date: string;
  result: TestResult | string;
}

export interface TestBody {
  /** YYYY-MM-DD, inside the quarantine and not in the future. */
  date: string;
  result: TestResult;
}

/** A person traced from the active cases of the jurisdiction (the lowest level they have). */
export interface TracedPerson {
  person_id: number;
  /** Withheld (null) for people living outside the official's jurisdiction. */
  full_name: string | null;
  phone: string | null;
  unit_code: string;
  outside_jurisdiction: boolean;
  /** 1 = F1, 2 = F2, 3 = F3. */
  level: number;
  /** The case whose chain gave the level. */
  case_id: number;
  exposed_at: string;
}

export interface TracedQuery {
  /** Only this level (1 = F1, …). */
  level?: number;
  /** Only people living in this unit or below. */
  unit?: string;
}

function tracedQuery(q: TracedQuery): string {
  const params = new URLSearchParams();
  if (q.level) params.set('level', String(q.level));
  if (q.unit) params.set('unit', q.unit);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const enc = (id: number) => encodeURIComponent(String(id));

export const tracingApi = {
  cases: (signal?: AbortSignal) => request<Case[]>('GET', '/api/v1/cases', { signal }),
  createCase: (body: CaseBody) => request<CaseCreated>('POST', '/api/v1/cases', { body }),
  case: (id: number, signal?: AbortSignal) => request<CaseDetail>('GET', `/api/v1/cases/${enc(id)}`, { signal }),
  /** Records that a case recovered or died (or reopens it). */
  setStatus: (id: number, status: CaseStatus) => request<Case>('PATCH', `/api/v1/cases/${enc(id)}`, { body: { status } }),
  addContact: (caseId: number, body: ContactBody) => request<ContactAdded>('POST', `/api/v1/cases/${enc(caseId)}/contacts`, { body }),
  gather: (caseId: number) => request<Gathered>('POST', `/api/v1/cases/${enc(caseId)}/gather`),
  /** The chain as CSV (fetched with the bearer token, so not a plain link). */
  chainCsv: (caseId: number) => download(`/api/v1/cases/${enc(caseId)}/chain.csv`, 'text/csv'),
  orderQuarantine: (body: QuarantineBody) => request<QuarantineOrder>('POST', '/api/v1/quarantine', { body }),
  quarantine: (signal?: AbortSignal) => request<QuarantineOrder[]>('GET', '/api/v1/quarantine', { signal }),
  myQuarantine: (signal?: AbortSignal) => request<QuarantineOrder[]>('GET', '/api/v1/me/quarantine', { signal }),
  /** Records a test result; the answer is the order with its tests. */
  recordTest: (orderId: number, body: TestBody) => request<QuarantineOrder>('POST', `/api/v1/quarantine/${enc(orderId)}/tests`, { body }),
  people: (q: TracedQuery, signal?: AbortSignal) => request<TracedPerson[]>('GET', `/api/v1/tracing/people${tracedQuery(q)}`, { signal }),
  /** The same list as CSV or XLSX (fetched with the bearer token, so not a plain link). */
  peopleExport: (format: 'csv' | 'xlsx', q: TracedQuery) =>
    download(
      `/api/v1/tracing/people.${format}${tracedQuery(q)}`,
      format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
};

/** Today in Vietnam (YYYY-MM-DD), the calendar of the quarantine plans, `offsetDays` away. */
export function vietnamToday(offsetDays = 0): string {
  return new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** The next test day from today on, if any. */
export function nextTest(o: Pick<QuarantineOrder, 'tests_on'>, today = vietnamToday()): string | null {
  return [...o.tests_on].sort().find((d) => d >= today) ?? null;
}

/** Days of quarantine from start to end, both included. */
export function totalDays(o: Pick<QuarantineOrder, 'starts_on' | 'ends_on'>): number | null {
  const a = Date.parse(`${o.starts_on}T00:00:00Z`);
  const b = Date.parse(`${o.ends_on}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return null;
  return Math.round((b - a) / 86_400_000) + 1;
}
