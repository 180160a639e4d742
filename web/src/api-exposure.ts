// The typed client for the officials' side of Bluetooth exposure notification (/api/v1/exposure,
// OpenAPI tag "exposure"): one-time codes for confirmed cases, publishing the key exports now,
// the list of published export files (a plain-text index outside /api, as phones read it), and
// the "I may be F1" reports of citizens in the jurisdiction.

import { request, requestRaw } from './api';

/** How a case was confirmed; the server defaults to `confirmed_test`. */
export type ReportType = 'confirmed_test' | 'confirmed_clinical_diagnosis' | 'self_report';
export const REPORT_TYPES: readonly ReportType[] = ['confirmed_test', 'confirmed_clinical_diagnosis', 'self_report'];

export interface CaseCodeBody {
  /** The case's unit (commune or above), inside the official's jurisdiction. */
  unit_code: string;
  report_type?: ReportType;
  /** YYYY-MM-DD, within the last 28 days (Vietnam's calendar). */
  symptom_onset_date?: string;
  /** The case's phone: the server sends the code there by SMS. */
  phone?: string;
}

/** A new one-time code. */
export interface CaseCode {
  /** Eight digits, valid once. */
  code: string;
  expires_at: string;
  sms_sent: boolean;
}

/** What a "publish now" run did. */
export interface ExportRun {
  files: number;
  keys: number;
}

export type ContactLevel = 'F1' | 'F2';

/** A citizen's report that their phone matched a case's keys (audited read). */
export interface F1Report {
  id: number;
  citizen_id: number;
  phone: string;
  full_name: string | null;
  unit_code: string;
  level: ContactLevel | string;
  /** YYYY-MM-DD as the phone reports it (UTC day). */
  exposure_date: string;
  /** The day's score in weighted seconds (900 = 15 minutes of near contact). */
  score: number;
  minutes: number;
  upload_id: number | null;
  /** The case's unit (never the case's identity). */
  case_unit: string | null;
  created_at: string;
}

/** The list of published export files, one name a line; the files sit beside it. */
export const EXPORT_INDEX = '/en/exports/index.txt';

export function exportFileUrl(name: string): string {
  return `/en/exports/${encodeURIComponent(name)}`;
}

export const exposureApi = {
  issueCode: (body: CaseCodeBody) => request<CaseCode>('POST', '/api/v1/exposure/codes', { body }),
  publishNow: () => request<ExportRun>('POST', '/api/v1/exposure/exports'),
  /** The published export files, oldest first (the index is cached a minute: ask again). */
  exportFiles: async (signal?: AbortSignal): Promise<string[]> => {
    const res = await requestRaw(EXPORT_INDEX, 'text/plain', { signal, cache: 'no-cache' });
    return (await res.text())
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  },
  f1Reports: (signal?: AbortSignal) => request<F1Report[]>('GET', '/api/v1/exposure/f1-reports', { signal }),
};
