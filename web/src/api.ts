// Thin client for the Phòng Dịch JSON API (/api/v1).

import { tFor, type MessageKey } from './i18n';
import type {
  AccountDeleted,
  AuditEntry,
  BorderGate,
  CitizenDetail,
  CitizenSummary,
  Country,
  DeclarationBody,
  DeclarationChoices,
  DeclarationKind,
  DeclarationRow,
  FamilyMember,
  HealthPass,
  Localized,
  Me,
  MissedUpdate,
  NewFamilyMember,
  NewStaff,
  OnBehalfAnswer,
  OnBehalfBody,
  OtpSent,
  ProfileUpdate,
  Recorded,
  Role,
  Session,
  StaffAccount,
  StaffChanged,
  StaffCreated,
  Unit,
  VerifyResult,
} from './api-types';

export type * from './api-types';

export const ROLES: readonly Role[] = [
  'health_official',
  'venue_staff',
  'facility_staff',
  'unit_reporter',
  'checkpoint_staff',
  'admin',
];

// Client-side: the problem the pages show, which also covers network errors and checks made
// before sending (status 0, `network`), so it stays hand-written; the server's own bodies are
// `components['schemas']['Problem']`, whose `message` and `errors` the document leaves bare.
export interface FieldProblem {
  field: string;
  code?: string;
  message: Localized | string;
}

/** An RFC 9457 problem body as sent by the server (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code?: string;
  message: Localized | string;
  errors?: FieldProblem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(typeof problem.message === 'string' ? problem.message : problem.message.en ?? problem.title ?? 'API error');
    this.status = problem.status;
    this.problem = problem;
  }
}

/** Turns anything thrown by a request into a problem we can display. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return err.problem;
  return {
    status: 0,
    code: 'network',
    message: localizedAll('error_network'),
  };
}

function localizedAll(key: 'error_network' | 'error_unexpected' | 'error_session_expired', status = 0): Localized {
  // Messages built by the client carry both languages so that switching the
  // language re-renders them correctly.
  return { vi: tFor('vi', key, { status }), en: tFor('en', key, { status }) };
}

/** A validation problem found before sending anything, shaped like the server's. */
export function localProblem(errors: { field: string; key: MessageKey }[]): Problem {
  return {
    status: 422,
    code: 'validation',
    message: { vi: tFor('vi', 'error_invalid_input'), en: tFor('en', 'error_invalid_input') },
    errors: errors.map((e) => ({ field: e.field, code: e.key, message: { vi: tFor('vi', e.key), en: tFor('en', e.key) } })),
  };
}

/** A problem found by the client itself (no field), in both languages like the server's. */
export function clientProblem(status: number, code: string, key: MessageKey): Problem {
  return { status, code, message: { vi: tFor('vi', key), en: tFor('en', key) } };
}

export function sessionExpiredProblem(): Problem {
  return { status: 401, code: 'session_expired', message: localizedAll('error_session_expired') };
}

// ---------------------------------------------------------------------------
// Token storage

const TOKEN_KEY = 'phongdich.token';

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // ignore
  }
}

let unauthorizedHandler: (() => void) | null = null;

/** Called when an authenticated request gets 401 (expired or revoked session). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

// ---------------------------------------------------------------------------
// Requests

// Client-side (how a request is made, a query string, a downloaded file): not wire types.
export interface RequestOptions {
  body?: unknown;
  /** A non-JSON body (e.g. CSV), sent as is with its media type. */
  raw?: { type: string; text: string };
  /** Do not call the global 401 handler (e.g. for login or logout). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

/** Sends one API request; the answer's JSON, or an `ApiError` (status 0 when offline). */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  } else if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw.text;
  }

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network', message: localizedAll('error_network') });
  }

  if (res.ok) {
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const problem = await readProblem(res);
  if (res.status === 401 && token && !opts.noAuthRedirect && unauthorizedHandler) {
    unauthorizedHandler();
  }
  throw new ApiError(problem);
}

/**
 * Like `request`, for non-JSON answers (SVG images, CSV / XLSX exports, plain-text lists, GeoJSON).
 * `cache: 'no-cache'` asks the server again for a file the browser may hold from before.
 */
export async function requestRaw(
  path: string,
  accept: string,
  opts: { signal?: AbortSignal; cache?: RequestCache; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers, Accept: `${accept}, application/problem+json` };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method: 'GET', headers, signal: opts.signal, cache: opts.cache, credentials: 'same-origin' });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network', message: localizedAll('error_network') });
  }
  // A 304 answers a conditional request the caller made itself (`If-None-Match` in `headers`).
  if (res.ok || res.status === 304) return res;
  const problem = await readProblem(res);
  if (res.status === 401 && token && unauthorizedHandler) unauthorizedHandler();
  throw new ApiError(problem);
}

async function readProblem(res: Response): Promise<Problem> {
  let parsed: unknown = null;
  try {
    const text = await res.text();
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (parsed && typeof parsed === 'object') {
    const p = parsed as Partial<Problem> & { detail?: string };
    const message = p.message ?? p.detail ?? p.title;
    if (message) {
      return {
        type: p.type,
        title: p.title,
        status: typeof p.status === 'number' ? p.status : res.status,
        code: p.code,
        message,
        errors: Array.isArray(p.errors) ? p.errors : undefined,
      };
    }
  }
  return { status: res.status, code: 'unexpected', message: localizedAll('error_unexpected', res.status) };
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------------------
// Health declarations

export const DECLARATION_KINDS: readonly DeclarationKind[] = ['domestic', 'domestic_travel', 'entry', 'daily_update'];

export interface DeclarationQuery {
  unit?: string;
  from?: string;
  to?: string;
  kind?: string;
  flagged?: boolean;
  flag?: string;
  limit?: number;
}

function declarationQuery(q: DeclarationQuery): string {
  const params = new URLSearchParams();
  if (q.unit) params.set('unit', q.unit);
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  if (q.kind) params.set('kind', q.kind);
  if (q.flagged) params.set('flagged', 'true');
  if (q.flag) params.set('flag', q.flag);
  if (q.limit) params.set('limit', String(q.limit));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const memberQuery = (memberId: number | null | undefined) => (memberId != null ? `?member_id=${enc(String(memberId))}` : '');

/** A downloaded file: its bytes and the name the server suggests. */
export interface Download {
  blob: Blob;
  filename: string | null;
}

export async function download(path: string, accept: string): Promise<Download> {
  const res = await requestRaw(path, accept);
  const disposition = res.headers.get('Content-Disposition') ?? '';
  const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
  return { blob: await res.blob(), filename: filename ? decodeURIComponent(filename) : null };
}

export const api = {
  requestOtp: (phone: string) => request<OtpSent>('POST', '/api/v1/auth/otp', { body: { phone }, noAuthRedirect: true }),
  verifyOtp: (phone: string, code: string) =>
    request<Session>('POST', '/api/v1/auth/otp/verify', { body: { phone, code }, noAuthRedirect: true }),
  login: (username: string, password: string) =>
    request<Session>('POST', '/api/v1/auth/login', { body: { username, password }, noAuthRedirect: true }),
  logout: () => request<void>('POST', '/api/v1/auth/logout', { noAuthRedirect: true }),

  me: () => request<Me>('GET', '/api/v1/me', { noAuthRedirect: true }),
  updateMe: (patch: ProfileUpdate) => request<Me>('PATCH', '/api/v1/me', { body: patch }),
  addFamily: (member: NewFamilyMember) =>
    request<FamilyMember>('POST', '/api/v1/me/family', { body: member }),
  removeFamily: (id: number) => request<void>('DELETE', `/api/v1/me/family/${enc(String(id))}`),

  units: (parent?: string) => request<Unit[]>('GET', parent ? `/api/v1/units?parent=${enc(parent)}` : '/api/v1/units'),
  unit: (code: string) => request<Unit>('GET', `/api/v1/units/${enc(code)}`),
  searchUnits: (q: string, limit = 20, signal?: AbortSignal) =>
    request<Unit[]>('GET', `/api/v1/units/search?q=${enc(q)}&limit=${limit}`, { signal }),

  citizens: (q: string, limit = 50, signal?: AbortSignal) =>
    request<CitizenSummary[]>('GET', `/api/v1/citizens?q=${enc(q)}&limit=${limit}`, { signal }),
  citizen: (id: number) => request<CitizenDetail>('GET', `/api/v1/citizens/${enc(String(id))}`),

  staff: () => request<StaffAccount[]>('GET', '/api/v1/staff'),
  createStaff: (body: NewStaff) =>
    request<StaffCreated>('POST', '/api/v1/staff', { body }),
  deactivateStaff: (id: number) => request<StaffChanged>('POST', `/api/v1/staff/${enc(String(id))}/deactivate`, { body: {} }),
  reactivateStaff: (id: number) => request<StaffChanged>('POST', `/api/v1/staff/${enc(String(id))}/reactivate`, { body: {} }),
  resetStaffPassword: (id: number, password?: string) =>
    request<StaffChanged>('POST', `/api/v1/staff/${enc(String(id))}/password`, { body: password ? { password } : {} }),
  revokeStaffSessions: (id: number) => request<StaffChanged>('DELETE', `/api/v1/staff/${enc(String(id))}/sessions`),
  changePassword: (old_password: string, new_password: string) =>
    request<void>('POST', '/api/v1/me/password', { body: { old_password, new_password } }),
  myData: () => download('/api/v1/me/data', 'application/json'),
  deleteMe: () => request<AccountDeleted>('DELETE', '/api/v1/me', { body: { confirm: true } }),
  audit: (limit = 100) => request<AuditEntry[]>('GET', `/api/v1/audit?limit=${limit}`),

  declarationChoices: () => request<DeclarationChoices>('GET', '/api/v1/reference/declaration-choices'),
  countries: () => request<Country[]>('GET', '/api/v1/reference/countries'),
  borderGates: () => request<BorderGate[]>('GET', '/api/v1/reference/border-gates'),

  declare: (body: DeclarationBody) => request<Recorded>('POST', '/api/v1/declarations', { body }),
  myDeclarations: () => request<DeclarationRow[]>('GET', '/api/v1/me/declarations'),
  myPass: (memberId?: number | null) => request<HealthPass>('GET', `/api/v1/me/health-pass${memberQuery(memberId)}`),
  /** The current pass as an SVG QR image (fetched with the bearer token). */
  myPassSvg: async (memberId?: number | null) => (await requestRaw(`/api/v1/me/health-pass.svg${memberQuery(memberId)}`, 'image/svg+xml')).blob(),
  verifyPass: (pass: string) => request<VerifyResult>('POST', '/api/v1/health-pass/verify', { body: { pass } }),
  declareOnBehalf: (body: OnBehalfBody) => request<OnBehalfAnswer>('POST', '/api/v1/checkpoint/declarations', { body }),

  declarations: (q: DeclarationQuery, signal?: AbortSignal) =>
    request<DeclarationRow[]>('GET', `/api/v1/declarations${declarationQuery(q)}`, { signal }),
  declaration: (id: number) => request<DeclarationRow>('GET', `/api/v1/declarations/${enc(String(id))}`),
  exportDeclarations: (format: 'csv' | 'xlsx', q: DeclarationQuery) =>
    download(
      `/api/v1/declarations/export.${format}${declarationQuery({ ...q, limit: undefined })}`,
      format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ),
  missedUpdates: (day?: string) =>
    request<MissedUpdate[]>('GET', `/api/v1/declarations/missed-updates${day ? `?day=${enc(day)}` : ''}`),
};
