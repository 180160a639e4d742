// The typed client of "An toàn COVID" and citizens' reports: facilities (schools, medical
// facilities, workplaces, transport) with today's colour, their criteria sets and daily
// self-assessments, citizens' feedback on a facility and its answers, and risk reports
// ("Phản ánh") with their triage by the unit's officials.

import { request, requestRaw, type Unit } from './api';
import { tFor } from './i18n';

export type FacilityType = 'school' | 'medical' | 'workplace' | 'transport';
/** A facility's colour: green / yellow / red from today's assessment, grey when not assessed today. */
export type SafetyColour = 'green' | 'yellow' | 'red' | 'grey';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface FacilityView {
  id: number;
  name: string;
  facility_type: FacilityType | string;
  type_vi: string;
  type_en: string;
  unit_code: string;
  unit: Unit | null;
  address: string;
  lat: number | null;
  lon: number | null;
  colour: SafetyColour | string;
  colour_vi: string;
  colour_en: string;
  /** The day of the assessment that gave the colour (YYYY-MM-DD), or null. */
  assessed_on: string | null;
  open_feedback: number;
}

export interface AssessmentView {
  facility_id: number;
  day: string;
  set_id: string;
  set_version: number;
  colour: SafetyColour | string;
  colour_vi: string;
  colour_en: string;
  outcome: Record<string, unknown>;
  reasons: Bilingual[];
  /** The answers given (criterion id → option id); sent in addition to the original contract. */
  answers?: Record<string, string>;
  submitted_at: string;
}

export interface FeedbackView {
  id: number;
  facility_id: number;
  text: string;
  photo_url: string | null;
  created_at: string;
  answer: string | null;
  answered_at: string | null;
  status: 'open' | 'answered' | string;
}

/** An open feedback item as officials list it. */
export interface OfficialFeedback extends FeedbackView {
  facility_name: string;
}

export interface FacilityDetail extends FacilityView {
  latest: AssessmentView | null;
  /** Open items, and those answered in the last 30 days. */
  feedback: FeedbackView[];
}

export interface CriterionOption {
  id: string;
  points: number;
  vi: string;
  en: string;
}

export interface Criterion {
  id: string;
  vi: string;
  en: string;
  /** A criterion that must be met for green (absent: false). */
  required?: boolean;
  /** Scored criteria's options; pass/fail criteria have `met` and `not_met` (or none: see `criterionOptions`). */
  options?: CriterionOption[];
}

export interface CriteriaSetView {
  id: string;
  version: number;
  facility_type: FacilityType | string;
  kind: 'pass_fail' | 'scored';
  name_vi: string;
  name_en: string;
  source: string;
  basis: string;
  criteria: Criterion[];
}

export interface AssessmentBody {
  set_id: string;
  set_version: number;
  /** Today in Vietnam (YYYY-MM-DD). */
  day: string;
  answers: Record<string, string>;
}

export type RiskCategory = 'suspected_case' | 'undeclared_arrival' | 'venue_not_checking' | 'gathering' | 'other';
export type ReportStatus = 'open' | 'in_progress' | 'closed';
export const REPORT_STATUSES: readonly ReportStatus[] = ['open', 'in_progress', 'closed'];

export interface RiskCategoryView {
  id: RiskCategory | string;
  vi: string;
  en: string;
}

export interface RiskReportBody {
  category: string;
  unit_code: string;
  lat?: number;
  lon?: number;
  address?: string;
  text: string;
  /** A data URL (`data:image/jpeg;base64,…` or PNG). */
  photo?: string;
}

/** A report as its reporter sees it. */
export interface MyRiskReport {
  id: number;
  category: RiskCategory | string;
  category_vi: string;
  category_en: string;
  unit_code: string;
  unit: Unit | null;
  lat: number | null;
  lon: number | null;
  address: string | null;
  text: string;
  photo_url: string | null;
  status: ReportStatus | string;
  status_vi: string;
  status_en: string;
  /** The official's note (when triaged or closed). */
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** A report as the unit's officials see it: with the reporter, whom nobody else sees. */
export interface RiskReport extends MyRiskReport {
  reporter: { name: string | null; phone: string };
}

/**
 * The answers a criterion offers. The server may leave out a pass/fail criterion's options; they
 * are then the two every pass/fail criterion has, "met" and "not met".
 */
export function criterionOptions(kind: CriteriaSetView['kind'], c: Criterion): CriterionOption[] {
  if (c.options && c.options.length > 0) return c.options;
  if (kind !== 'pass_fail') return [];
  return [
    { id: 'met', points: 1, vi: tFor('vi', 'assess_met'), en: tFor('en', 'assess_met') },
    { id: 'not_met', points: 0, vi: tFor('vi', 'assess_not_met'), en: tFor('en', 'assess_not_met') },
  ];
}

const enc = (v: number | string) => encodeURIComponent(String(v));

export const safetyApi = {
  facilities: (q: { unit?: string; type?: string } = {}, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    if (q.unit) params.set('unit', q.unit);
    if (q.type) params.set('type', q.type);
    const text = params.toString();
    return request<FacilityView[]>('GET', `/api/v1/facilities${text ? `?${text}` : ''}`, { signal });
  },
  facility: (id: number, signal?: AbortSignal) => request<FacilityDetail>('GET', `/api/v1/facilities/${enc(id)}`, { signal }),
  /** The facilities the signed-in facility staff member works for. */
  myFacilities: (signal?: AbortSignal) => request<FacilityView[]>('GET', '/api/v1/me/facilities', { signal }),
  criteria: (id: number, signal?: AbortSignal) => request<CriteriaSetView>('GET', `/api/v1/facilities/${enc(id)}/criteria`, { signal }),
  assess: (id: number, body: AssessmentBody) => request<AssessmentView>('POST', `/api/v1/facilities/${enc(id)}/assessments`, { body }),
  /** The last 30 assessments, newest first. */
  assessments: (id: number, signal?: AbortSignal) => request<AssessmentView[]>('GET', `/api/v1/facilities/${enc(id)}/assessments`, { signal }),

  sendFeedback: (id: number, body: { text: string; photo?: string }) => request<FeedbackView>('POST', `/api/v1/facilities/${enc(id)}/feedback`, { body }),
  answerFeedback: (id: number, answer: string) => request<FeedbackView>('POST', `/api/v1/feedback/${enc(id)}/answer`, { body: { answer } }),
  openFeedback: (signal?: AbortSignal) => request<OfficialFeedback[]>('GET', '/api/v1/feedback?status=open', { signal }),

  reportCategories: () => request<RiskCategoryView[]>('GET', '/api/v1/risk-reports/categories'),
  report: (body: RiskReportBody) => request<MyRiskReport>('POST', '/api/v1/risk-reports', { body }),
  myReports: (signal?: AbortSignal) => request<MyRiskReport[]>('GET', '/api/v1/me/risk-reports', { signal }),
  reports: (status: ReportStatus, signal?: AbortSignal) => request<RiskReport[]>('GET', `/api/v1/risk-reports?status=${enc(status)}`, { signal }),
  triage: (id: number, note?: string) => request<RiskReport>('POST', `/api/v1/risk-reports/${enc(id)}/triage`, { body: note ? { note } : {} }),
  close: (id: number, note: string) => request<RiskReport>('POST', `/api/v1/risk-reports/${enc(id)}/close`, { body: { note } }),
  /** A report's photo, fetched with the bearer token (only the reporter and officials may see it). */
  reportPhoto: async (url: string) => (await requestRaw(url, 'image/jpeg, image/png')).blob(),
};
