// Showing venues and visits: category and status labels, the risk level badge, time windows
// and the visitor table of a venue's log or an exposure window (owners and officials).

import type { Venue, VenueVisitor } from './api-venues';
import { h, type Child } from './dom';
import { lang, locale, t } from './i18n';
import { formatPhone, timeEl } from './ui';

/** The venue's category in the current language. */
export function categoryLabel(v: Pick<Venue, 'category' | 'category_vi' | 'category_en'>): string {
  return (lang() === 'en' ? v.category_en : v.category_vi) || v.category;
}

/** "Open" / "Closed" as a badge (text, not colour alone). */
export function statusBadge(status: string, testid?: string): HTMLElement {
  const open = status === 'open';
  return h(
    'span',
    { class: ['status-badge', open ? 'status-open' : 'status-closed'], 'data-status': status, 'data-testid': testid },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    open ? t('venue_status_open') : t('venue_status_closed'),
  );
}

/** A risk level badge: high is red, low is yellow, with the level written out. */
export function levelBadge(level: string | null | undefined, testid?: string): HTMLElement {
  const high = level === 'high';
  return h(
    'span',
    { class: ['colour-badge', high ? 'colour-red' : 'colour-yellow'], 'data-level': level ?? '', 'data-testid': testid },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    high ? t('level_high') : t('level_low'),
  );
}

function sameDay(a: Date, b: Date, timeZone?: string): boolean {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return f.format(a) === f.format(b);
}

/**
 * A time window as "20/07/2021 08:00 – 10:30" (the end's date only when it differs). With
 * `vietnam`, in Vietnam's time whatever the browser's zone (what officials enter).
 */
export function windowText(starts: string | null | undefined, ends: string | null | undefined, vietnam = false): string {
  if (!starts || !ends) return t('none');
  const a = new Date(starts);
  const b = new Date(ends);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${starts} – ${ends}`;
  const timeZone = vietnam ? 'Asia/Ho_Chi_Minh' : undefined;
  const full = new Intl.DateTimeFormat(locale(), { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const time = new Intl.DateTimeFormat(locale(), { timeZone, hour: '2-digit', minute: '2-digit' });
  return `${full.format(a)} – ${sameDay(a, b, timeZone) ? time.format(b) : full.format(b)}`;
}

/** A `<time>` element; with `vietnam`, written in Vietnam's time whatever the browser's zone. */
export function timeAt(iso: string, vietnam = false): HTMLElement {
  if (!vietnam) return timeEl(iso);
  const d = new Date(iso);
  const text = Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(locale(), { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
  return h('time', { datetime: iso }, text);
}

/** The visit's end: the check-out time, or "auto HH:MM" while nobody checked out. */
export function visitEnd(outAt: string, auto: boolean, vietnam = false): Child {
  return auto ? h('span', { class: 'muted' }, t('visit_auto_out'), ' ', timeAt(outAt, vietnam)) : timeAt(outAt, vietnam);
}

export function methodLabel(method: string): string {
  if (method === 'self') return t('method_self');
  if (method === 'staff_qr') return t('method_staff_qr');
  if (method === 'staff_phone') return t('method_staff_phone');
  return method;
}

/** The table of visitors of a venue log or an exposure window (with `vietnam`, in Vietnam's time). */
export function visitorsTable(rows: VenueVisitor[], caption: string, testid: string, vietnam = false): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table compact', 'data-testid': testid },
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_name')),
          h('th', { scope: 'col' }, t('col_phone')),
          h('th', { scope: 'col' }, t('visit_in')),
          h('th', { scope: 'col' }, t('visit_out')),
          h('th', { scope: 'col' }, t('visit_method')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            { 'data-testid': `${testid}-row` },
            h(
              'th',
              { scope: 'row' },
              r.member_name ?? r.full_name ?? t('no_name'),
              r.member_id !== null && h('span', { class: 'badge muted-badge' }, t('family_member_badge')),
            ),
            h('td', { class: 'nowrap' }, formatPhone(r.phone)),
            h('td', { class: 'nowrap' }, timeAt(r.in_at, vietnam)),
            h('td', { class: 'nowrap' }, visitEnd(r.out_at, r.out_auto, vietnam)),
            h('td', null, methodLabel(r.method)),
          ),
        ),
      ),
    ),
  );
}

const VN_OFFSET_MS = 7 * 3600_000;

/** `ms` as a datetime-local value in Vietnam's time (UTC+7 all year), rounded to the minute. */
export function vietnamInputValue(ms: number, round: 'floor' | 'ceil' = 'floor'): string {
  const minute = 60_000;
  const t0 = round === 'ceil' ? Math.ceil(ms / minute) * minute : Math.floor(ms / minute) * minute;
  return new Date(t0 + VN_OFFSET_MS).toISOString().slice(0, 16);
}

/** A datetime-local value read as Vietnam's time, in RFC 3339 ("…T08:00:00+07:00"); '' stays ''. */
export function vietnamRfc3339(value: string): string {
  const v = value.trim();
  if (!v) return '';
  return /T\d{2}:\d{2}$/.test(v) ? `${v}:00+07:00` : `${v}+07:00`;
}
