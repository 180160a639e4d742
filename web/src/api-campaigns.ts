// The typed client for adoption campaigns (/api/v1/org-units, /api/v1/campaigns, OpenAPI tag
// "campaigns"): units with head counts (one by one or a CSV list), campaigns with targets and
// reporting dates, the counts units report, the dashboard of a date (reported beside measured,
// expected by now, late and behind units, totals and their timeline), its XLSX and PDF, the
// reminders sent now, and the citizen's own unit code.

import { download, request, type Download } from './api';
import type {
  Campaign,
  CampaignBody,
  Dashboard,
  Goal,
  ImportedUnits,
  MyOrgUnit,
  OrgKind,
  OrgUnit,
  OrgUnitBody,
  Population,
  RemindersSent,
  ReportBody,
  ReportSaved,
} from './api-types';

export type {
  Campaign,
  CampaignBody,
  CampaignTarget,
  Dashboard,
  Goal,
  ImportedUnits,
  MyOrgUnit,
  OrgKind,
  OrgUnit,
  OrgUnitBody,
  Population,
  RemindersSent,
  ReportBody,
  ReportSaved,
  TargetProgress,
  TimelinePoint,
  UnitStanding,
} from './api-types';

export const POPULATIONS: readonly Population[] = ['staff', 'staff_smartphone', 'residents', 'smartphone_users', 'venues'];

export const ORG_KINDS: readonly OrgKind[] = ['agency', 'school', 'company', 'commune', 'other'];

export const GOALS: readonly Goal[] = ['install_app', 'declare', 'register_venues'];

/** The CSV columns of an import, in order (the header row). */
export const ORG_CSV_HEADER = 'code,name,kind,unit_code,parent_code,reporter_phone,staff,staff_smartphone,residents,smartphone_users,venues';

const enc = encodeURIComponent;
const dateQuery = (date?: string) => (date ? `?date=${enc(date)}` : '');

export const campaignApi = {
  orgUnits: (signal?: AbortSignal) => request<OrgUnit[]>('GET', '/api/v1/org-units', { signal }),
  saveOrgUnit: (body: OrgUnitBody) => request<OrgUnit>('POST', '/api/v1/org-units', { body }),
  importOrgUnits: (text: string) => request<ImportedUnits>('POST', '/api/v1/org-units/import', { raw: { type: 'text/csv; charset=utf-8', text } }),

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
  sendReminders: () => request<RemindersSent>('POST', '/api/v1/campaigns/reminders'),

  /** A citizen gives their unit's code (empty to unlink). */
  setMyOrgUnit: (code: string) => request<MyOrgUnit>('PUT', '/api/v1/me/org-unit', { body: { code } }),
};
