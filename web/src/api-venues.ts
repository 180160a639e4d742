// The typed client for venues and check-ins (/api/v1/venues, /checkins, /me/alerts, /exposures):
// venue registration and signed QR links, citizens' and staff check-ins, exposure windows with
// their alerts, and the keys of the signed risky-venue feed.

import { request } from './api';
import type {
  CheckinBody,
  CheckoutBody,
  Exposure,
  ExposureBody,
  Imported,
  StaffCheckin,
  StaffCheckinBody,
  TypedVisits,
  Venue,
  VenueAlert,
  VenueBody,
  VenueCategory,
  VenueKey,
  VenuePatch,
  VenueStaffBody,
  VenueStaffCreated,
  VenueStatus,
  VenueVisitor,
  Visit,
  Visits,
  VisitsConfirmed,
} from './api-types';

export type {
  CheckinBody,
  CheckinMode,
  CheckoutBody,
  Exposure,
  ExposureBody,
  Imported,
  RiskLevel,
  StaffCheckin,
  StaffCheckinBody,
  TypedVisits,
  Venue,
  VenueAlert,
  VenueBody,
  VenueCategory,
  VenueKey,
  VenuePatch,
  VenueStaffBody,
  VenueStaffCreated,
  VenueStatus,
  VenueVisitor,
  Visit,
  Visits,
  VisitsConfirmed,
} from './api-types';

// Client-side: who a check-in is for, and which poster file to fetch.

/** The people of the account a check-in is for: null is the holder, numbers family members. */
export type Members = (number | null)[];

export type PosterFormat = 'svg' | 'png' | 'pdf';

const enc = encodeURIComponent;

export const venueApi = {
  categories: () => request<VenueCategory[]>('GET', '/api/v1/venues/categories'),
  register: (body: VenueBody) => request<Venue>('POST', '/api/v1/venues', { body }),
  mine: () => request<Venue[]>('GET', '/api/v1/me/venues'),
  /** A venue from its QR link; a wrong signature is refused (422, field "sig"). */
  open: (id: string, sig?: string) => request<Venue>('GET', `/api/v1/venues/${enc(id)}${sig !== undefined ? `?sig=${enc(sig)}` : ''}`),
  setStatus: (id: string, status: VenueStatus) => request<Venue>('PATCH', `/api/v1/venues/${enc(id)}`, { body: { status } satisfies VenuePatch }),
  addStaff: (id: string, body: VenueStaffBody) =>
    request<VenueStaffCreated>('POST', `/api/v1/venues/${enc(id)}/staff`, { body }),
  visitors: (id: string) => request<VenueVisitor[]>('GET', `/api/v1/venues/${enc(id)}/visitors`),
  /** Public poster files (what owners print). */
  posterUrl: (id: string, format: PosterFormat) => `/api/v1/venues/${enc(id)}/poster.${format}`,

  checkIn: (body: CheckinBody) => request<Visits>('POST', '/api/v1/checkins', { body }),
  checkOut: (body: CheckoutBody) => request<Visits>('POST', '/api/v1/checkins/out', { body }),
  staffCheckIn: (id: string, body: StaffCheckinBody) => request<StaffCheckin>('POST', `/api/v1/venues/${enc(id)}/checkins`, { body }),
  myVisits: () => request<Visit[]>('GET', '/api/v1/me/visits'),

  /** Staff: officials get their jurisdiction (`q` = part of the name or a code), venue staff their venues. */
  list: (q: { q?: string; unit?: string; limit?: number } = {}, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    if (q.q) params.set('q', q.q);
    if (q.unit) params.set('unit', q.unit);
    if (q.limit) params.set('limit', String(q.limit));
    const text = params.toString();
    return request<Venue[]>('GET', `/api/v1/venues${text ? `?${text}` : ''}`, { signal });
  },
  /** Officials: citizens' venues waiting for approval in the jurisdiction. */
  pending: (signal?: AbortSignal) => request<Venue[]>('GET', '/api/v1/venues/pending', { signal }),
  approve: (id: string) => request<Venue>('POST', `/api/v1/venues/${enc(id)}/approve`),
  /** Officials: venues whose staff typed visits by phone that await confirmation. */
  typedVisits: (signal?: AbortSignal) => request<TypedVisits[]>('GET', '/api/v1/venues/staff-visits', { signal }),
  confirmTypedVisits: (id: string) => request<VisitsConfirmed>('POST', `/api/v1/venues/${enc(id)}/staff-visits/confirm`),
  importCsv: (text: string) => request<Imported>('POST', '/api/v1/venues/import', { raw: { type: 'text/csv; charset=utf-8', text } }),

  alerts: () => request<VenueAlert[]>('GET', '/api/v1/me/alerts'),
  readAlert: (id: number) => request<void>('POST', `/api/v1/me/alerts/${enc(String(id))}/read`),

  markExposure: (id: string, body: ExposureBody) => request<Exposure>('POST', `/api/v1/venues/${enc(id)}/exposures`, { body }),
  exposures: () => request<Exposure[]>('GET', '/api/v1/exposures'),
  exposureVisitors: (id: number) => request<VenueVisitor[]>('GET', `/api/v1/exposures/${enc(String(id))}/visitors`),

  keys: () => request<{ keys: VenueKey[] }>('GET', '/api/v1/venues/keys'),
};
