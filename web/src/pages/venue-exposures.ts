// Officials: the exposure windows of the jurisdiction (still within the retention period), each
// with the number of people alerted and, on request, the list of those visitors (the server
// records every such read in the audit log).

import { toProblem, type Problem } from '../api';
import { venueApi, type Exposure, type VenueVisitor } from '../api-venues';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, icon, listBody } from '../ui';
import { levelBadge, timeAt, visitorsTable, windowText } from '../venue-view';

export class ExposuresSection {
  private rows: Exposure[] | null = null;
  private problem: Problem | null = null;
  private openId: number | null = null;
  private visitors: VenueVisitor[] | null = null;
  private visitorsProblem: Problem | null = null;

  constructor(private readonly app: App) {}

  async load(): Promise<void> {
    try {
      const rows = await venueApi.exposures();
      this.rows = rows.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      this.problem = null;
    } catch (err) {
      this.problem = toProblem(err);
    }
    this.app.rerender();
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'exposures-heading', 'data-testid': 'exposures' },
      h('h2', { id: 'exposures-heading', tabindex: -1 }, t('exposures_title')),
      h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('exposures_audit_notice')),
      listBody(this.problem, this.rows, {
        empty: () => h('p', { class: 'empty', 'data-testid': 'exposures-empty' }, t('exposures_empty')),
        rows: (rows) => h('div', { class: 'table-wrap' }, this.renderTable(rows)),
      }),
      this.openId !== null && this.renderVisitors(),
    );
  }

  private renderTable(rows: Exposure[]): HTMLElement {
    return h(
      'table',
      { class: 'table compact', 'data-testid': 'exposures-table' },
      h('caption', { class: 'sr-only' }, t('exposures_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_venue')),
          h('th', { scope: 'col' }, t('exposure_window')),
          h('th', { scope: 'col' }, t('exposure_level')),
          h('th', { scope: 'col' }, t('exposure_case_ref')),
          h('th', { scope: 'col', class: 'num' }, t('exposure_alerted_col')),
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('exposure_visitors_show'))),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((e) =>
          h(
            'tr',
            { 'data-testid': 'exposure-row', 'data-venue-id': e.venue_id, 'data-alerted': e.alerted, class: [this.openId === e.id && 'selected'] },
            h('th', { scope: 'row' }, e.venue_name, h('span', { class: 'muted block small' }, e.venue_id)),
            h('td', null, windowText(e.starts_at, e.ends_at, true)),
            h('td', null, levelBadge(e.level)),
            h('td', null, e.case_ref ?? t('none')),
            h('td', { class: 'num' }, String(e.alerted)),
            h(
              'td',
              null,
              h(
                'button',
                {
                  type: 'button',
                  id: `exposure-visitors-${e.id}`,
                  class: 'button ghost small',
                  'aria-expanded': String(this.openId === e.id),
                  'aria-controls': 'exposure-visitors',
                  'data-testid': 'exposure-visitors-button',
                  onclick: () => void this.open(e.id),
                },
                t('exposure_visitors_show'),
              ),
            ),
          ),
        ),
      ),
    );
  }

  private renderVisitors(): HTMLElement {
    const e = this.rows?.find((x) => x.id === this.openId);
    return h(
      'div',
      { id: 'exposure-visitors', class: 'subcard', 'aria-labelledby': 'exposure-visitors-heading', 'data-testid': 'exposure-visitors' },
      h(
        'div',
        { class: 'detail-head' },
        h('h3', { id: 'exposure-visitors-heading', tabindex: -1 }, t('exposure_visitors_title', { name: e?.venue_name ?? '' })),
        h('button', { type: 'button', class: 'button ghost small', onclick: () => this.close() }, t('close')),
      ),
      e && h('p', { class: 'muted small' }, windowText(e.starts_at, e.ends_at, true), ' · ', t('exposure_marked_at'), ' ', timeAt(e.created_at, true)),
      listBody(this.visitorsProblem, this.visitors, {
        empty: () => h('p', { class: 'empty' }, t('exposure_visitors_empty')),
        rows: (rows) => visitorsTable(rows, t('exposure_visitors_title', { name: e?.venue_name ?? '' }), 'exposure-visitors-table', true),
      }),
    );
  }

  private async open(id: number): Promise<void> {
    this.openId = id;
    this.visitors = null;
    this.visitorsProblem = null;
    this.app.rerender();
    try {
      const rows = await venueApi.exposureVisitors(id);
      if (this.openId !== id) return;
      this.visitors = rows;
      announce(t('venue_visitors_count', { count: rows.length }));
    } catch (err) {
      if (this.openId !== id) return;
      this.visitorsProblem = toProblem(err);
      announceProblem(this.visitorsProblem);
    }
    this.app.rerender();
    document.getElementById('exposure-visitors-heading')?.focus();
  }

  private close(): void {
    const id = this.openId;
    this.openId = null;
    this.app.rerender();
    if (id !== null) document.getElementById(`exposure-visitors-${id}`)?.focus();
  }
}
