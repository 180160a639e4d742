// The typed client for venues and check-ins (/api/v1/venues, /checkins, /me/alerts, /exposures):
// venue registration and signed QR links, citizens' and staff check-ins, exposure windows with
// their alerts, and the keys of the signed risky-venue feed.

import { request, type Colour, type Localized, type Unit } from './api';

export type CheckinMode = 'central' | 'on-device';
export type VenueStatus = 'open' | 'closed';
export type RiskLevel = 'low' | 'high';

export interface VenueCategory {
  code: string;
  vi: string;
  en: string;
  /** Minutes until a visitor who does not check out is checked out automatically. */
  dwell_minutes: number;
}

export interface Venue {
  /** The public code printed on the poster ("V" + 8 characters). */
  id: string;
  name: string;
  category: string;
  category_vi: string;
  category_en: string;
  unit: Unit | null;
  street: string;
  address: string;
  lat: number | null;
  lon: number | null;
  status: VenueStatus | string;
  dwell_minutes: number;
  /** The signed link the QR code carries: BASE/v/CODE/SIG. */
  qr_url: string;
  checkin_mode: CheckinMode | string;
  created_at: string;
  /** False while a citizen's venue waits for an official's approval (no scanning, no visitor log). */
  approved: boolean;
}

export interface VenueBody {
  name: string;
  category: string;
  unit_code: string;
  street: string;
  lat?: number;
  lon?: number;
}

/** One person's visit as the server recorded it. */
export interface Visit {
  id: number;
  venue_id: string;
  venue_name: string;
  member_id: number | null;
  in_at: string;
  out_at: string;
  /** True while `out_at` is the automatic check-out (nobody checked out yet). */
  out_auto: boolean;
  method: string;
}

export interface Visits {
  visits: Visit[];
  /** Check-out only: the people (null = the holder) who had no visit to end. */
  not_checked_in?: (number | null)[];
}

/** The people of the account a check-in is for: null is the holder, numbers family members. */
export type Members = (number | null)[];

export interface CheckinBody {
  client_id: string;
  venue_id: string;
  sig: string;
  members?: Members;
  /** RFC 3339; only for a check-in queued offline. */
  at?: string;
}

export interface CheckoutBody {
  client_id: string;
  venue_id: string;
  members?: Members;
  at?: string;
}

export interface StaffCheckinBody {
  client_id: string;
  pass?: string;
  phone?: string;
  direction?: 'in' | 'out';
  at?: string;
}

export interface StaffCheckin {
  visit: Visit;
  colour: Colour | null;
  full_name: string | null;
}

/** A visitor in a venue's log or an exposure window's list (audited reads). */
export interface VenueVisitor {
  citizen_id: number;
  phone: string;
  full_name: string | null;
  member_id: number | null;
  member_name: string | null;
  in_at: string;
  out_at: string;
  out_auto: boolean;
  method: string;
}

export interface VenueAlert {
  id: number;
  kind: 'venue' | string;
  member_id: number | null;
  venue_id: string | null;
  venue_name: string | null;
  starts_at: string | null;
  ends_at: string | null;
  level: RiskLevel | string | null;
  visit_in: string | null;
  visit_out: string | null;
  message: Localized;
  created_at: string;
  read: boolean;
}

export interface ExposureBody {
  starts_at: string;
  ends_at: string;
  level: RiskLevel;
  case_ref?: string;
}

export interface Exposure {
  id: number;
  venue_id: string;
  venue_name: string;
  unit_code: string;
  starts_at: string;
  ends_at: string;
  level: RiskLevel | string;
  case_ref: string | null;
  created_at: string;
  /** Visitors alerted (0 in on-device mode, where phones match the feed themselves). */
  alerted: number;
}

export interface Imported {
  imported: number;
  venues: Venue[];
}

/** A public key of venue links and the risky-venue feed (JWK, OKP / Ed25519). */
export interface VenueKey {
  kty: string;
  crv: string;
  kid: string;
  x: string;
  alg?: string;
  use?: string;
}

export type PosterFormat = 'svg' | 'png' | 'pdf';

const enc = encodeURIComponent;

/** A venue with visits its staff typed by phone, not yet confirmed by an official. */
export interface TypedVisits {
  venue: Venue;
  unconfirmed: number;
  first_in: string;
  last_in: string;
}

export const venueApi = {
  categories: () => request<VenueCategory[]>('GET', '/api/v1/venues/categories'),
  register: (body: VenueBody) => request<Venue>('POST', '/api/v1/venues', { body }),
  mine: () => request<Venue[]>('GET', '/api/v1/me/venues'),
  /** A venue from its QR link; a wrong signature is refused (422, field "sig"). */
  open: (id: string, sig?: string) => request<Venue>('GET', `/api/v1/venues/${enc(id)}${sig !== undefined ? `?sig=${enc(sig)}` : ''}`),
  setStatus: (id: string, status: VenueStatus) => request<Venue>('PATCH', `/api/v1/venues/${enc(id)}`, { body: { status } }),
  addStaff: (id: string, body: { username: string; full_name: string }) =>
    request<{ username: string; password: string }>('POST', `/api/v1/venues/${enc(id)}/staff`, { body }),
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
  confirmTypedVisits: (id: string) => request<{ confirmed: number }>('POST', `/api/v1/venues/${enc(id)}/staff-visits/confirm`),
  importCsv: (text: string) => request<Imported>('POST', '/api/v1/venues/import', { raw: { type: 'text/csv; charset=utf-8', text } }),

  alerts: () => request<VenueAlert[]>('GET', '/api/v1/me/alerts'),
  readAlert: (id: number) => request<void>('POST', `/api/v1/me/alerts/${enc(String(id))}/read`),

  markExposure: (id: string, body: ExposureBody) => request<Exposure>('POST', `/api/v1/venues/${enc(id)}/exposures`, { body }),
  exposures: () => request<Exposure[]>('GET', '/api/v1/exposures'),
  exposureVisitors: (id: number) => request<VenueVisitor[]>('GET', `/api/v1/exposures/${enc(String(id))}/visitors`),

  keys: () => request<{ keys: VenueKey[] }>('GET', '/api/v1/venues/keys'),
};
