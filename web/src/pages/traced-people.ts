// Officials (health officials, admins): everyone traced from the active cases of the jurisdiction
// ("Danh sách theo cấp"), filtered by level (F1, F2, F3 or all) and by the unit they live in (the
// unit picker; the whole jurisdiction by default): level, name, phone, unit, the case whose chain
// gave the level (opens the case page) and the exposure. The shown list downloads as CSV or XLSX
// (fetched with the bearer token). The server records every read and download in the audit log.

import { toProblem, type Problem, type StaffMe, type Unit } from '../api';
import { tracingApi, type TracedPerson, type TracedQuery } from '../api-tracing';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { loadUnits } from '../reference';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, appHeader, formatPhone, icon, listBody, problemBanner, selectField } from '../ui';
import { timeAt } from '../venue-view';
import { levelName } from './case';

const LEVELS = [1, 2, 3] as const;

export class TracedPeoplePage implements Page {
  private readonly unitPicker: UnitPicker;
  /** The level chosen in the select ('' for all), until applied. */
  private level = '';
  /** The filters of the rows shown (downloads use these, not half-edited inputs). */
  private applied: TracedQuery = {};
  private rows: TracedPerson[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;
  private units = new Map<string, Unit>();
  private exporting: 'csv' | 'xlsx' | null = null;
  /** A function, so that the notice follows a change of language. */
  private exportNotice: (() => string) | null = null;
  private exportProblem: Problem | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.unitPicker = new UnitPicker({
      id: 'traced-unit',
      name: 'unit',
      label: () => t('filter_unit'),
      selected: null,
      emptyText: () => t('filter_unit_all'),
      testid: 'traced-unit',
    });
  }

  title(): string {
    return t('traced_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private query(): TracedQuery {
    const level = Number(this.level);
    return { level: LEVELS.find((l) => l === level), unit: this.unitPicker.code ?? undefined };
  }

  private async load(q: TracedQuery = this.applied): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const rows = await tracingApi.people(q, abort.signal);
      if (abort.signal.aborted) return;
      // The server's order: by level, then unit and name.
      this.rows = rows;
      this.applied = q;
      this.problem = null;
      const units = await loadUnits(rows.map((r) => r.unit_code));
      if (abort.signal.aborted) return;
      for (const [code, unit] of units) this.units.set(code, unit);
      announce(t('traced_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'traced'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'traced-page' },
        h('h1', { id: 'traced-heading', tabindex: -1, class: 'page-title', 'data-testid': 'traced-heading' }, t('traced_title')),
        this.renderFilters(),
        this.renderList(),
      ),
    ];
  }

  private renderFilters(): HTMLElement {
    const fieldProblem = this.problem?.errors?.length ? this.problem : null;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'traced-filters-heading' },
      h('h2', { id: 'traced-filters-heading' }, t('traced_filters')),
      h('p', { class: 'muted' }, t('traced_intro')),
      h(
        'form',
        {
          id: 'traced-filters',
          class: 'form filters',
          role: 'search',
          novalidate: true,
          'data-testid': 'traced-filters',
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            void this.load(this.query());
          },
        },
        problemBanner(fieldProblem, ['level', 'unit'], 'traced-filters-problem'),
        h(
          'div',
          { class: 'filters-grid' },
          selectField({
            id: 'traced-level',
            name: 'level',
            label: t('col_level'),
            value: this.level,
            options: [{ value: '', label: t('traced_level_all') }, ...LEVELS.map((l) => ({ value: String(l), label: levelName(l) }))],
            problem: fieldProblem,
            testid: 'traced-level',
            onchange: (v) => (this.level = v),
          }),
          this.unitPicker.render(fieldProblem),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'button primary', 'data-testid': 'traced-apply', disabled: this.loading }, t('filter_apply')),
          h(
            'button',
            {
              type: 'button',
              class: 'button ghost',
              'data-testid': 'traced-reset',
              onclick: () => {
                this.level = '';
                this.unitPicker.setSelected(null);
                void this.load({});
              },
            },
            t('filter_reset'),
          ),
        ),
      ),
    );
  }

  private renderList(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'traced-list-heading' },
      h(
        'div',
        { class: 'card-title-row wrap' },
        h('h2', { id: 'traced-list-heading', tabindex: -1 }, t('traced_title')),
        h(
          'div',
          { class: 'actions' },
          (['csv', 'xlsx'] as const).map((format) =>
            h(
              'button',
              {
                type: 'button',
                class: 'button secondary small',
                'data-testid': `traced-export-${format}`,
                disabled: this.exporting !== null || this.rows === null,
                onclick: () => void this.export(format),
              },
              icon('download'),
              ' ',
              this.exporting === format ? t('exporting') : t(format === 'csv' ? 'export_csv' : 'export_xlsx'),
            ),
          ),
        ),
      ),
      h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('traced_audit_notice')),
      this.exportProblem && problemBanner(this.exportProblem),
      this.exportNotice && h('p', { class: 'notice success', role: 'status', 'data-testid': 'traced-export-notice' }, this.exportNotice()),
      h(
        'p',
        { class: 'muted small', role: 'status', 'data-testid': 'traced-count', 'data-count': this.rows?.length ?? '' },
        this.loading ? t('loading') : this.rows ? t('traced_count', { count: this.rows.length }) : '',
      ),
      h(
        'div',
        { class: 'table-wrap', 'aria-busy': String(this.loading) },
        listBody(this.problem && !this.problem.errors?.length ? this.problem : null, this.rows, {
          empty: () => h('p', { class: 'empty', 'data-testid': 'traced-empty' }, t('traced_empty')),
          rows: (rows) => this.renderTable(rows),
        }),
      ),
    );
  }

  private renderTable(rows: TracedPerson[]): HTMLElement {
    return h(
      'table',
      { class: 'table compact', 'data-testid': 'traced-table' },
      h('caption', { class: 'sr-only' }, t('traced_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [t('col_level'), t('col_name'), t('col_phone'), t('col_unit'), t('col_case'), t('col_exposed_at')].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((p) =>
          h(
            'tr',
            { 'data-testid': 'traced-row', 'data-person-id': p.person_id, 'data-level': p.level, 'data-case-id': p.case_id },
            h('td', null, h('span', { class: ['level-chip', `chain-level-${Math.min(p.level, 3)}`] }, levelName(p.level))),
            h('th', { scope: 'row' }, p.full_name ?? t('chain_outside', { unit: this.units.get(p.unit_code)?.name ?? p.unit_code })),
            h('td', { class: 'nowrap' }, p.phone ? formatPhone(p.phone) : t('none')),
            h('td', null, this.units.get(p.unit_code)?.name ?? p.unit_code),
            h(
              'td',
              null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'link-button',
                  'aria-label': t('traced_open_case', { id: p.case_id }),
                  'data-testid': 'traced-case',
                  onclick: () => this.app.navigate('case', { caseId: p.case_id }),
                },
                `#${p.case_id}`,
              ),
            ),
            h('td', { class: 'nowrap' }, timeAt(p.exposed_at, true)),
          ),
        ),
      ),
    );
  }

  private async export(format: 'csv' | 'xlsx'): Promise<void> {
    if (this.exporting) return;
    this.exporting = format;
    this.exportNotice = null;
    this.exportProblem = null;
    this.app.rerender();
    try {
      const file = await tracingApi.peopleExport(format, this.applied);
      const name = file.filename ?? `tiep-xuc.${format}`;
      const url = URL.createObjectURL(file.blob);
      const a = h('a', { href: url, download: name, class: 'sr-only' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.exportNotice = () => t('export_done', { name });
      announce(this.exportNotice());
    } catch (err) {
      this.exportProblem = toProblem(err);
      announceProblem(this.exportProblem);
    }
    this.exporting = null;
    this.app.rerender();
  }
}
