// The typed client for the officials' side of Bluetooth exposure notification (/api/v1/exposure,
// OpenAPI tag "exposure"): one-time codes for confirmed cases, publishing the key exports now,
// the list of published export files (a plain-text index outside /api, as phones read it), and
// the "I may be F1" reports of citizens in the jurisdiction.

import { request, requestRaw } from './api';
import type {
  CaseCode,
  CaseCodeBody,
  ExportRun,
  F1Report,
  ReportType,
} from './api-types';

export type {
  CaseCode,
  CaseCodeBody,
  ContactLevel,
  ExportRun,
  F1Report,
  ReportType,
} from './api-types';

export const REPORT_TYPES: readonly ReportType[] = ['confirmed_test', 'confirmed_clinical_diagnosis', 'self_report'];

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
