// Officials (health officials, admins): the quarantine follow-up list of the jurisdiction — name,
// phone, level, kind, day N of the total, end, next test, and whether today's health update came
// (a missing one is highlighted; the server lists those first). Every read is audited.

import { toProblem, type Problem, type StaffMe } from '../api';
import { nextTest, totalDays, tracingApi, vietnamToday, type QuarantineOrder } from '../api-tracing';
import { h, type Child } from '../dom';
import { hasKey, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, formatDay, formatPhone, icon, listBody } from '../ui';

export function quarantineKindLabel(kind: string): string {
  const key = `kind_${kind}`;
  return (kind === 'facility' || kind === 'home') && hasKey(key) ? t(key) : kind;
}

/** "Day 3 of 14", or "not started" before day 1. */
export function dayOf(o: QuarantineOrder): string {
  const total = totalDays(o);
  return o.day !== null && total !== null ? t('quarantine_day_of', { day: o.day, total }) : t('quarantine_not_started');
}

export class QuarantinePage implements Page {
  private rows: QuarantineOrder[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('quarantine_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const rows = await tracingApi.quarantine(abort.signal);
      if (abort.signal.aborted) return;
      // The server's order (missing updates first) is kept.
      this.rows = rows;
      this.problem = null;
      announce(t('quarantine_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  render(): Child[] {
    const missing = this.rows?.filter((r) => !r.updated_today).length ?? 0;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'quarantine'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'quarantine-page' },
        h('h1', { id: 'quarantine-heading', tabindex: -1, class: 'page-title', 'data-testid': 'quarantine-heading' }, t('quarantine_title')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'quarantine-heading' },
          h('p', { class: 'muted' }, t('quarantine_intro')),
          h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('quarantine_audit_notice')),
          h(
            'div',
            { class: 'list-toolbar' },
            h(
              'p',
              { class: 'muted small', role: 'status', 'data-testid': 'quarantine-count', 'data-count': this.rows?.length ?? '' },
              this.loading ? t('loading') : this.rows ? [t('quarantine_count', { count: this.rows.length }), missing > 0 && ` · ${t('quarantine_missing', { count: missing })}`] : '',
            ),
            h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'quarantine-reload', disabled: this.loading, onclick: () => void this.load() }, t('cases_reload')),
          ),
          h(
            'div',
            { class: 'table-wrap', 'aria-busy': String(this.loading) },
            listBody(this.problem, this.rows, {
              empty: () => h('p', { class: 'empty', 'data-testid': 'quarantine-empty' }, t('quarantine_empty')),
              rows: (rows) => this.renderTable(rows),
            }),
          ),
        ),
      ),
    ];
  }

  private renderTable(rows: QuarantineOrder[]): HTMLElement {
    const today = vietnamToday();
    return h(
      'table',
      { class: 'table compact', 'data-testid': 'quarantine-table' },
      h('caption', { class: 'sr-only' }, t('quarantine_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [
            t('col_name'),
            t('col_phone'),
            t('col_level'),
            t('col_quarantine_kind'),
            t('col_day_of'),
            t('col_ends_on'),
            t('col_next_test'),
            t('col_updated_today'),
          ].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((o) => {
          const test = nextTest(o, today);
          return h(
            'tr',
            { class: [!o.updated_today && 'missing-update'], 'data-testid': 'quarantine-row', 'data-order-id': o.id, 'data-person-id': o.person_id, 'data-updated': String(o.updated_today) },
            h('th', { scope: 'row' }, o.full_name),
            h('td', { class: 'nowrap' }, o.phone ? formatPhone(o.phone) : t('none')),
            h('td', null, h('span', { class: ['level-chip', `chain-level-${Math.min(o.level, 3)}`] }, `F${o.level}`)),
            h('td', null, quarantineKindLabel(o.kind)),
            h('td', { class: 'nowrap' }, dayOf(o)),
            h('td', { class: 'nowrap', 'data-testid': 'quarantine-ends-on' }, h('time', { datetime: o.ends_on }, formatDay(o.ends_on))),
            h('td', { class: 'nowrap' }, test === null ? t('none') : test === today ? h('strong', null, t('quarantine_test_today')) : h('time', { datetime: test }, formatDay(test))),
            h(
              'td',
              { class: 'nowrap' },
              o.updated_today
                ? h('span', { class: 'update-state ok' }, h('span', { 'aria-hidden': 'true' }, '✓ '), t('quarantine_updated_yes'))
                : h('span', { class: 'update-state missing' }, h('span', { 'aria-hidden': 'true' }, '✗ '), t('quarantine_updated_no')),
            ),
          );
        }),
      ),
    );
  }
}
