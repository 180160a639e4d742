// The typed client for case and contact tracing (/api/v1/cases, /api/v1/quarantine, OpenAPI tag
// "tracing"): confirmed cases (F0) with their chain of contacts by level, interview contacts,
// gathering contacts again from venues and Bluetooth reports, the chain as CSV, quarantine orders
// with the officials' follow-up list and test results, the citizen's own orders, and everyone
// traced in the jurisdiction by level and unit (/api/v1/tracing/people, JSON, CSV or XLSX).

import { download, request } from './api';
import type {
  Case,
  CaseBody,
  CaseCreated,
  CaseDetail,
  CaseSource,
  CaseStatus,
  CaseUpdate,
  ContactAdded,
  ContactBody,
  Gathered,
  QuarantineBody,
  QuarantineOrder,
  Setting,
  TestBody,
  TestResult,
  TracedPerson,
} from './api-types';

export type {
  Case,
  CaseBody,
  CaseCreated,
  CaseDetail,
  CaseSource,
  CaseStatus,
  CaseUpdate,
  ChainMember,
  Confidence,
  ContactAdded,
  ContactBody,
  ContactSource,
  Gathered,
  PersonBody,
  QuarantineBody,
  QuarantineKind,
  QuarantineOrder,
  QuarantineTest,
  Setting,
  TestBody,
  TestResult,
  TracedPerson,
} from './api-types';

export const CASE_SOURCES: readonly CaseSource[] = ['community', 'imported', 'known_contact'];

export const CASE_STATUSES: readonly CaseStatus[] = ['active', 'recovered', 'died'];

export const SETTINGS: readonly Setting[] = ['household', 'workplace', 'school', 'vehicle_row', 'event', 'healthcare', 'venue', 'other'];

export const TEST_RESULTS: readonly TestResult[] = ['negative', 'positive'];

// Client-side: the query string of GET /tracing/people.
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
  setStatus: (id: number, status: CaseStatus) => request<Case>('PATCH', `/api/v1/cases/${enc(id)}`, { body: { status } satisfies CaseUpdate }),
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
