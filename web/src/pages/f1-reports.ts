// Officials (health officials, admins): the "I may be F1" reports of citizens in the
// jurisdiction whose phones matched a case's published keys over Bluetooth, newest first, with
// the contact level (F1 red, F2 orange), the day, minutes and score of the contact. The server
// records every read of this list in the audit log.

import { toProblem, type Problem, type StaffMe, type Unit } from '../api';
import { exposureApi, type F1Report } from '../api-exposure';
import { h, type Child } from '../dom';
import { locale, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { loadUnits } from '../reference';
import { announce, announceProblem, appHeader, formatDay, formatPhone, icon, listBody, timeEl } from '../ui';

/** F1 in red, F2 in orange, the level always written out (never colour alone). */
export function contactLevelBadge(level: string): HTMLElement {
  const colour = level === 'F1' ? 'colour-red' : level === 'F2' ? 'colour-orange' : '';
  return h(
    'span',
    { class: ['colour-badge', colour], 'data-level': level, 'data-testid': 'f1-level' },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    level,
  );
}

export class F1ReportsPage implements Page {
  private rows: F1Report[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private units = new Map<string, Unit>();
  private abort: AbortController | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('f1_reports_title');
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
      const rows = await exposureApi.f1Reports(abort.signal);
      if (abort.signal.aborted) return;
      this.rows = rows.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      this.problem = null;
      const codes = rows.flatMap((r) => (r.case_unit ? [r.unit_code, r.case_unit] : [r.unit_code]));
      const units = await loadUnits(codes);
      if (abort.signal.aborted) return;
      for (const [code, unit] of units) this.units.set(code, unit);
      announce(t('f1_reports_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  private unitName(code: string): string {
    return this.units.get(code)?.name ?? code;
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'f1-reports'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'f1-reports-page' },
        h('h1', { id: 'f1-reports-heading', tabindex: -1, class: 'page-title', 'data-testid': 'f1-reports-heading' }, t('f1_reports_title')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'f1-reports-heading' },
          h('p', { class: 'muted' }, t('f1_reports_intro')),
          h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('f1_reports_audit_notice')),
          h(
            'div',
            { class: 'list-toolbar' },
            h(
              'p',
              { class: 'muted small', role: 'status', 'data-testid': 'f1-reports-count', 'data-count': this.rows?.length ?? '' },
              this.loading ? t('loading') : this.rows ? t('f1_reports_count', { count: this.rows.length }) : '',
            ),
            h(
              'button',
              { type: 'button', class: 'button ghost small', 'data-testid': 'f1-reports-reload', disabled: this.loading, onclick: () => void this.load() },
              t('f1_reports_reload'),
            ),
          ),
          h(
            'div',
            { class: 'table-wrap', 'aria-busy': String(this.loading) },
            listBody(this.problem, this.rows, {
              empty: () => h('p', { class: 'empty', 'data-testid': 'f1-reports-empty' }, t('f1_reports_empty')),
              rows: (rows) => this.renderTable(rows),
            }),
          ),
          this.rows && this.rows.length > 0 && h('p', { class: 'muted small' }, t('f1_score_hint')),
        ),
      ),
    ];
  }

  private renderTable(rows: F1Report[]): HTMLElement {
    const whole = new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 });
    return h(
      'table',
      { class: 'table compact', 'data-testid': 'f1-reports-table' },
      h('caption', { class: 'sr-only' }, t('f1_reports_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_name')),
          h('th', { scope: 'col' }, t('col_phone')),
          h('th', { scope: 'col' }, t('col_unit')),
          h('th', { scope: 'col' }, t('col_contact_level')),
          h('th', { scope: 'col' }, t('col_exposure_date')),
          h('th', { scope: 'col', class: 'num' }, t('col_minutes')),
          h('th', { scope: 'col', class: 'num' }, t('col_score')),
          h('th', { scope: 'col' }, t('col_reported_at')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            { 'data-testid': 'f1-report-row', 'data-report-id': r.id, 'data-level': r.level },
            h('th', { scope: 'row' }, r.full_name ?? t('no_name')),
            h('td', { class: 'nowrap' }, formatPhone(r.phone)),
            h('td', null, this.unitName(r.unit_code)),
            h(
              'td',
              null,
              contactLevelBadge(r.level),
              r.case_unit && h('span', { class: 'muted block small' }, t('f1_case_unit', { unit: this.unitName(r.case_unit) })),
            ),
            h('td', { class: 'nowrap' }, h('time', { datetime: r.exposure_date }, formatDay(r.exposure_date))),
            h('td', { class: 'num' }, whole.format(r.minutes)),
            h('td', { class: 'num' }, whole.format(r.score)),
            h('td', { class: 'nowrap' }, timeEl(r.created_at)),
          ),
        ),
      ),
    );
  }
}
