// The signed risky-venue feed (`/feeds/risky-venues.jws`): downloaded, its Ed25519 signature
// checked in the browser (WebCrypto) against the keys of `/api/v1/venues/keys`, and matched
// against the visit history kept on this phone. Nothing about the visits leaves the phone.

import { ApiError } from '../api';
import { venueApi, type VenueKey } from '../api-venues';
import type { LocalVisit, VisitPerson } from './history';
import { personEnd } from './history';

export const FEED_TYPE = 'phongdich-risky-venues+jws';
const FEED_PATH = '/feeds/risky-venues.jws';

// not in the document: GET /feeds/risky-venues.jws (a signed JWS, `application/jose`: the payload
// is not described), so the feed's payload stays hand-written.
export interface FeedEntry {
  /** The exposure window's id. */
  id: number;
  venue_id: string;
  venue_name: string;
  starts_at: string;
  ends_at: string;
  /** Minutes a visit may fall short of the window and still count. */
  margin_minutes: number;
  level: 'low' | 'high' | string;
  message_vi: string;
  message_en: string;
}

export interface Feed {
  version: number;
  generated_at: string;
  entries: FeedEntry[];
}

/** Why a feed was refused; each reason has a message in both languages (`feed_error_*`). */
export type FeedFailure = 'shape' | 'header' | 'unknown_key' | 'signature' | 'payload' | 'unsupported';

export class FeedError extends Error {
  constructor(readonly reason: FeedFailure) {
    super(`risky-venue feed refused: ${reason}`);
  }
}

function b64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new FeedError('shape');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

function b64urlJson(text: string): unknown {
  return JSON.parse(new TextDecoder().decode(b64urlBytes(text)));
}

async function importKey(key: VenueKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: key.x }, { name: 'Ed25519' }, false, ['verify']);
}

/**
 * Checks a compact JWS feed against `keys` and returns its payload. The key named by the
 * header's `kid` is tried first; a feed no key verifies is refused.
 */
export async function verifyFeed(jws: string, keys: VenueKey[]): Promise<Feed> {
  if (!globalThis.crypto?.subtle) throw new FeedError('unsupported');
  const parts = jws.trim().split('.');
  if (parts.length !== 3) throw new FeedError('shape');
  const [h, p, s] = parts;
  let header: { alg?: string; kid?: string; typ?: string };
  try {
    header = b64urlJson(h) as typeof header;
  } catch {
    throw new FeedError('header');
  }
  if (header.alg !== 'EdDSA' || header.typ !== FEED_TYPE) throw new FeedError('header');
  const candidates = keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519');
  const ordered = [...candidates.filter((k) => k.kid === header.kid), ...candidates.filter((k) => k.kid !== header.kid)];
  if (ordered.length === 0) throw new FeedError('unknown_key');
  const signature = b64urlBytes(s);
  const data = new TextEncoder().encode(`${h}.${p}`);
  let verified = false;
  for (const k of ordered) {
    let key: CryptoKey;
    try {
      key = await importKey(k);
    } catch {
      // A browser without Ed25519 in WebCrypto cannot check the feed at all.
      throw new FeedError('unsupported');
    }
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, data)) {
      verified = true;
      break;
    }
  }
  if (!verified) throw new FeedError('signature');
  try {
    const feed = b64urlJson(p) as Feed;
    if (!feed || !Array.isArray(feed.entries)) throw new Error('entries');
    return feed;
  } catch {
    throw new FeedError('payload');
  }
}

/** Downloads the feed and its keys and verifies it. Network failures are `ApiError`s (status 0). */
export async function fetchVerifiedFeed(): Promise<Feed> {
  let res: Response;
  try {
    res = await fetch(FEED_PATH, { cache: 'no-cache', headers: { Accept: 'application/jose' } });
  } catch {
    throw new ApiError({ status: 0, code: 'network', message: { vi: 'Không tải được danh sách địa điểm nguy cơ.', en: 'The risky-venue list could not be downloaded.' } });
  }
  if (!res.ok) throw new ApiError({ status: res.status, code: 'feed_unavailable', message: { vi: `Máy chủ trả về lỗi ${res.status}.`, en: `The server answered ${res.status}.` } });
  const [text, keys] = await Promise.all([res.text(), venueApi.keys()]);
  return verifyFeed(text, keys.keys);
}

/** A visit on this phone that overlapped a risky window. */
export interface FeedMatch {
  entry: FeedEntry;
  visit: LocalVisit;
  people: VisitPerson[];
}

/**
 * The visits whose stay came within the entry's margin of a window at the same venue, as the
 * server decides for its alerts: in < window end + margin and out > window start − margin.
 */
export function matchVisits(feed: Feed, visits: LocalVisit[]): FeedMatch[] {
  const matches: FeedMatch[] = [];
  for (const entry of feed.entries) {
    const margin = (entry.margin_minutes || 0) * 60_000;
    const from = Date.parse(entry.starts_at) - margin;
    const to = Date.parse(entry.ends_at) + margin;
    for (const visit of visits) {
      if (visit.venue_id !== entry.venue_id || visit.state === 'failed') continue;
      const inAt = Date.parse(visit.in_at);
      const people = visit.people.filter((person) => inAt < to && Date.parse(personEnd(visit, person)) > from);
      if (people.length) matches.push({ entry, visit, people });
    }
  }
  return matches.sort((a, b) => Date.parse(b.visit.in_at) - Date.parse(a.visit.in_at));
}
