// The typed client for adoption campaigns (/api/v1/org-units, /api/v1/campaigns, OpenAPI tag
// "campaigns"): units with head counts (one by one or a CSV list), campaigns with targets and
// reporting dates, the counts units report, the dashboard of a date (reported beside measured,
// expected by now, late and behind units, totals and their timeline), its XLSX and PDF, the
// reminders sent now, and the citizen's own unit code.

import { download, request, type Download } from './api';

export type Population = 'staff' | 'staff_smartphone' | 'residents' | 'smartphone_users' | 'venues';
export const POPULATIONS: readonly Population[] = ['staff', 'staff_smartphone', 'residents', 'smartphone_users', 'venues'];

export type OrgKind = 'agency' | 'school' | 'company' | 'commune' | 'other';
export const ORG_KINDS: readonly OrgKind[] = ['agency', 'school', 'company', 'commune', 'other'];

export type Goal = 'install_app' | 'declare' | 'register_venues';
export const GOALS: readonly Goal[] = ['install_app', 'declare', 'register_venues'];

/** A unit as entered (the body of POST /org-units; also one CSV row). */
export interface OrgUnitBody {
  code: string;
  name: string;
  kind: OrgKind;
  /** The administrative unit it belongs to. */
  unit_code: string;
  parent_code?: string;
  reporter_phone?: string;
  staff: number;
  staff_smartphone: number;
  residents: number;
  smartphone_users: number;
  venues: number;
}

/** A unit with its head counts, as listed. */
export interface OrgUnit {
  code: string;
  name: string;
  kind: OrgKind | string;
  kind_vi: string;
  kind_en: string;
  unit_code: string;
  parent_code: string | null;
  reporter_phone: string | null;
  staff: number;
  staff_smartphone: number;
  residents: number;
  smartphone_users: number;
  venues: number;
}

/** The CSV columns of an import, in order (the header row). */
export const ORG_CSV_HEADER = 'code,name,kind,unit_code,parent_code,reporter_phone,staff,staff_smartphone,residents,smartphone_users,venues';

export interface CampaignBody {
  name: string;
  goal: Goal;
  /** YYYY-MM-DD. */
  start: string;
  deadline: string;
  /** Between start and deadline; the deadline is always one. */
  reporting_dates: string[];
  targets: { population: Population; percent: number }[];
  /** Codes of the units covered. */
  units: string[];
}

export interface CampaignTarget {
  population: Population | string;
  percent: number;
  population_vi: string;
  population_en: string;
}

export interface Campaign {
  id: number;
  name: string;
  goal: Goal | string;
  goal_vi: string;
  goal_en: string;
  start: string;
  deadline: string;
  reporting_dates: string[];
  targets: CampaignTarget[];
  units: string[];
  /** The administrative unit of the officials who made it. */
  unit_code: string;
}

/** One target of one unit, or of all units (totals). Percentages have one decimal. */
export interface TargetProgress {
  population: Population | string;
  target_percent: number;
  head_count: number;
  /** The count that meets the target. */
  target_count: number;
  reported: number | null;
  measured: number | null;
  reported_percent: number | null;
  measured_percent: number | null;
  /** On a straight line from 0 at the start to the target at the deadline. */
  expected_percent: number;
  behind: boolean;
}

export interface UnitStanding {
  code: string;
  name: string;
  kind: OrgKind | string;
  targets: TargetProgress[];
  last_report: string | null;
  /** The reporting date it should have reported for by now. */
  due: string | null;
  late: boolean;
  behind: boolean;
  note: string | null;
}

export interface TimelinePoint {
  date: string;
  targets: TargetProgress[];
}

export interface Dashboard {
  campaign: Campaign;
  date: string;
  /** Late first, then behind schedule, then the lowest progress. */
  units: UnitStanding[];
  totals: TargetProgress[];
  /** The totals at the start, each reporting date before `date`, and `date`. */
  timeline: TimelinePoint[];
  late: number;
  behind: number;
  labels: Record<string, { vi: string; en: string }>;
}

export interface ReportBody {
  unit: string;
  date: string;
  counts: Partial<Record<Population, number>>;
  note: string;
}

export interface ReportSaved {
  campaign: number;
  unit: string;
  date: string;
}

const enc = encodeURIComponent;
const dateQuery = (date?: string) => (date ? `?date=${enc(date)}` : '');

export const campaignApi = {
  orgUnits: (signal?: AbortSignal) => request<OrgUnit[]>('GET', '/api/v1/org-units', { signal }),
  saveOrgUnit: (body: OrgUnitBody) => request<OrgUnit>('POST', '/api/v1/org-units', { body }),
  importOrgUnits: (text: string) => request<{ imported: number }>('POST', '/api/v1/org-units/import', { raw: { type: 'text/csv; charset=utf-8', text } }),

  list: (signal?: AbortSignal) => request<Campaign[]>('GET', '/api/v1/campaigns', { signal }),
  create: (body: CampaignBody) => request<Campaign>('POST', '/api/v1/campaigns', { body }),
  /** The status on `date` (today in Vietnam by default). */
  dashboard: (id: number, date?: string, signal?: AbortSignal) =>
    request<Dashboard>('GET', `/api/v1/campaigns/${enc(String(id))}${dateQuery(date)}`, { signal }),
  report: (id: number, body: ReportBody) => request<ReportSaved>('POST', `/api/v1/campaigns/${enc(String(id))}/reports`, { body }),
  document: (id: number, format: 'xlsx' | 'pdf', date?: string): Promise<Download> =>
    download(
      `/api/v1/campaigns/${enc(String(id))}/report.${format}${dateQuery(date)}`,
      format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
  sendReminders: () => request<{ sent: number }>('POST', '/api/v1/campaigns/reminders'),

  /** A citizen gives their unit's code (empty to unlink). */
  setMyOrgUnit: (code: string) => request<{ code: string | null; name: string | null }>('PUT', '/api/v1/me/org-unit', { body: { code } }),
};
