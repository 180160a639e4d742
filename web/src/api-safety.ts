// The typed client of "An toàn COVID" and citizens' reports: facilities (schools, medical
// facilities, workplaces, transport) with today's colour, their criteria sets and daily
// self-assessments, citizens' feedback on a facility and its answers, and risk reports
// ("Phản ánh") with their triage by the unit's officials.

import { request, requestRaw } from './api';
import { tFor } from './i18n';
import type {
  AssessmentBody,
  AssessmentView,
  CriteriaSetView,
  Criterion,
  CriterionOption,
  FacilityDetail,
  FacilityView,
  FeedbackBody,
  FeedbackView,
  MyRiskReport,
  NoteBody,
  OfficialFeedback,
  ReportStatus,
  RiskCategoryView,
  RiskReport,
  RiskReportBody,
} from './api-types';

export type {
  AssessmentBody,
  AssessmentView,
  Bilingual,
  CriteriaSetView,
  Criterion,
  CriterionOption,
  FacilityDetail,
  FacilityType,
  FacilityView,
  FeedbackBody,
  FeedbackView,
  MyRiskReport,
  NoteBody,
  OfficialFeedback,
  ReportStatus,
  RiskCategory,
  RiskCategoryView,
  RiskReport,
  RiskReportBody,
  SafetyColour,
} from './api-types';

export const REPORT_STATUSES: readonly ReportStatus[] = ['open', 'in_progress', 'closed'];

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

  sendFeedback: (id: number, body: FeedbackBody) => request<FeedbackView>('POST', `/api/v1/facilities/${enc(id)}/feedback`, { body }),
  answerFeedback: (id: number, answer: string) => request<FeedbackView>('POST', `/api/v1/feedback/${enc(id)}/answer`, { body: { answer } }),
  openFeedback: (signal?: AbortSignal) => request<OfficialFeedback[]>('GET', '/api/v1/feedback?status=open', { signal }),

  reportCategories: () => request<RiskCategoryView[]>('GET', '/api/v1/risk-reports/categories'),
  report: (body: RiskReportBody) => request<MyRiskReport>('POST', '/api/v1/risk-reports', { body }),
  myReports: (signal?: AbortSignal) => request<MyRiskReport[]>('GET', '/api/v1/me/risk-reports', { signal }),
  reports: (status: ReportStatus, signal?: AbortSignal) => request<RiskReport[]>('GET', `/api/v1/risk-reports?status=${enc(status)}`, { signal }),
  triage: (id: number, note?: string) => request<RiskReport>('POST', `/api/v1/risk-reports/${enc(id)}/triage`, { body: (note ? { note } : {}) satisfies NoteBody }),
  close: (id: number, note: string) => request<RiskReport>('POST', `/api/v1/risk-reports/${enc(id)}/close`, { body: { note } satisfies NoteBody }),
  /** A report's photo, fetched with the bearer token (only the reporter and officials may see it). */
  reportPhoto: async (url: string) => (await requestRaw(url, 'image/jpeg, image/png')).blob(),
};
