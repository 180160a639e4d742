// The offline queue of check-ins and check-outs (localStorage): a request that could not reach
// the server is kept with its own time (`at`) and client id, and sent again when the browser
// comes back online or the app is opened next. The server answers a repeated client id with
// the first answer, so sending twice is harmless; it refuses a time older than its limit.

import { ApiError } from '../api';
import { venueApi, type CheckinBody, type CheckoutBody } from '../api-venues';
import { setVisitState } from './history';

export type QueuedRequest =
  | { kind: 'in'; owner: number; body: CheckinBody & { at: string }; venue_name: string }
  | { kind: 'out'; owner: number; body: CheckoutBody & { at: string }; venue_name: string; visit_id?: string };

const KEY = 'phongdich.checkinQueue';

function read(): QueuedRequest[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as QueuedRequest[]) : [];
  } catch {
    return [];
  }
}

function write(list: QueuedRequest[]): void {
  try {
    if (list.length) localStorage.setItem(KEY, JSON.stringify(list));
    else localStorage.removeItem(KEY);
  } catch {
    // ignore: nothing more can be kept
  }
}

export function enqueue(req: QueuedRequest): void {
  const list = read().filter((r) => r.body.client_id !== req.body.client_id);
  list.push(req);
  write(list);
}

/** The requests of `owner` still waiting, oldest first. */
export function queued(owner: number): QueuedRequest[] {
  return read().filter((r) => r.owner === owner);
}

/** True for an error that means "no network" rather than "the server said no". */
export function isOffline(err: unknown): boolean {
  return err instanceof ApiError && err.status === 0;
}

export interface FlushResult {
  sent: number;
  /** Refused by the server (e.g. too old, venue closed): dropped from the queue. */
  refused: number;
  /** Still waiting (the network went away again). */
  waiting: number;
}

let flushing: Promise<FlushResult> | null = null;

/** Sends `owner`'s queued requests in order; stops at the first network failure. */
export function flushQueue(owner: number): Promise<FlushResult> {
  flushing ??= send(owner).finally(() => {
    flushing = null;
  });
  return flushing;
}

async function send(owner: number): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, refused: 0, waiting: 0 };
  for (const req of queued(owner)) {
    try {
      if (req.kind === 'in') {
        const answer = await venueApi.checkIn(req.body);
        const first = answer.visits[0];
        setVisitState(owner, req.body.client_id, 'sent', first ? { in_at: first.in_at, auto_out_at: first.out_at } : undefined);
      } else {
        await venueApi.checkOut(req.body);
      }
      result.sent += 1;
    } catch (err) {
      if (isOffline(err) || (err instanceof ApiError && err.status === 401)) {
        // No network, or the session ended: keep the rest for the next try.
        result.waiting = queued(owner).length;
        break;
      }
      const code = err instanceof ApiError ? err.problem.code : undefined;
      if (req.kind === 'in') setVisitState(owner, req.body.client_id, code === 'checkin_mode_on_device' ? 'local' : 'failed');
      if (code !== 'checkin_mode_on_device' && code !== 'not_checked_in') result.refused += 1;
    }
    write(read().filter((r) => r.body.client_id !== req.body.client_id));
  }
  return result;
}

/** A new client id for a check-in or check-out (a UUID where the browser offers one). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Plain-HTTP pages have no randomUUID; 16 random bytes in hex do as well.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
