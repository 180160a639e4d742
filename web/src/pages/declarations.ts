// Officials (health officials, admins): declarations in the jurisdiction with filters, risky
// first; one declaration's answers; CSV / Excel export; people who missed a daily update.
// Every view is recorded in the audit log by the server.

import {
  api,
  DECLARATION_KINDS,
  toProblem,
  type BorderGate,
  type Country,
  type DeclarationChoices,
  type DeclarationQuery,
  type DeclarationRow,
  type MissedUpdate,
  type Problem,
  type StaffMe,
  type Unit,
} from '../api';
import { answersView, flagList, unitCodesOf } from '../declaration-view';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { loadBorderGates, loadChoices, loadCountries, loadUnits } from '../reference';
import { UnitPicker } from '../unit-picker';
import {
  announce,
  announceProblem,
  appHeader,
  checkboxField,
  colourBadge,
  flagLabel,
  formatDay,
  icon,
  kindLabel,
  listBody,
  problemBanner,
  selectField,
  textField,
  timeEl,
} from '../ui';

/** Rows per page; "show more" asks for this many more. */
const PAGE = 50;

const FLAG_CODES = [
  'severe_symptoms',
  'symptoms',
  'fever',
  'contact_with_case',
  'exposure',
  'entry_recent',
  'test_positive',
  'lives_in_zone',
  'travel_from_zone',
  'travel_to_zone',
  'under_quarantine',
];

interface Filters {
  from: string;
  to: string;
  kind: string;
  flagged: boolean;
  flag: string;
}

export class DeclarationsPage implements Page {
  private readonly unitPicker: UnitPicker;
  private filters: Filters = { from: '', to: '', kind: '', flagged: false, flag: '' };
  /** The filters of the rows shown (export uses these, not half-edited inputs). */
  private applied: DeclarationQuery = { limit: PAGE };
  private rows: DeclarationRow[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;
  private units = new Map<string, Unit>();

  private selectedId: number | null = null;
  private detail: DeclarationRow | null = null;
  private detailLoading = false;
  private detailProblem: Problem | null = null;

  private refs: { choices: DeclarationChoices | null; countries: Country[]; gates: BorderGate[] } = { choices: null, countries: [], gates: [] };

  private exporting: 'csv' | 'xlsx' | null = null;
  private exportNotice: string | null = null;
  private exportProblem: Problem | null = null;

  private missedDay = '';
  private missed: MissedUpdate[] | null = null;
  private missedLoading = false;
  private missedProblem: Problem | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.unitPicker = new UnitPicker({
      id: 'filter-unit',
      name: 'unit',
      label: () => t('filter_unit'),
      selected: null,
      emptyText: () => t('filter_unit_all'),
      testid: 'filter-unit',
    });
  }

  title(): string {
    return t('declarations_title');
  }

  mounted(): void {
    // One audited request at a time: the server answers concurrent audited reads with
    // "database is locked" (500) now and then.
    void this.load().then(() => this.loadMissed());
    void Promise.all([loadChoices(), loadCountries(), loadBorderGates()])
      .then(([choices, countries, gates]) => {
        this.refs = { choices, countries, gates };
        if (this.detail) this.app.rerender();
      })
      .catch(() => undefined);
  }

  dispose(): void {
    this.abort?.abort();
  }

  private query(limit: number): DeclarationQuery {
    const f = this.filters;
    return {
      unit: this.unitPicker.code ?? undefined,
      from: f.from || undefined,
      to: f.to || undefined,
      kind: f.kind || undefined,
      flagged: f.flagged || undefined,
      flag: f.flag || undefined,
      limit,
    };
  }

  private async load(q: DeclarationQuery = this.applied): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const rows = await api.declarations(q, abort.signal);
      if (abort.signal.aborted) return;
      this.rows = rows;
      this.applied = q;
      this.problem = null;
      const units = await loadUnits(rows.map((r) => r.unit_code));
      if (abort.signal.aborted) return;
      for (const [code, unit] of units) this.units.set(code, unit);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
    if (this.rows && !this.problem) announce(this.countText());
  }

  private countText(): string {
    const n = this.rows?.length ?? 0;
    return n >= (this.applied.limit ?? PAGE) ? t('declarations_count_more', { count: n }) : t('declarations_count', { count: n });
  }

  private unitName(code: string): string {
    const unit = this.units.get(code);
    return unit ? unit.name : code;
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'declarations'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'declarations-page' },
        h('h1', { id: 'declarations-heading', tabindex: -1, class: 'page-title' }, t('declarations_title')),
        h('p', { class: 'notice info audit-note', 'data-testid': 'audit-notice' }, icon('lock'), ' ', t('declarations_audit_notice')),
        this.renderFilters(),
        this.renderList(),
        this.renderMissed(),
      ),
    ];
  }

  // -------------------------------------------------------------------------
  // Filters

  private renderFilters(): HTMLElement {
    const f = this.filters;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'filters-heading' },
      h('h2', { id: 'filters-heading' }, t('filters_title')),
      h(
        'form',
        {
          id: 'filters-form',
          class: 'form filters',
          role: 'search',
          novalidate: true,
          'data-testid': 'filters-form',
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            this.selectedId = null;
            this.detail = null;
            void this.load(this.query(PAGE));
          },
        },
        problemBanner(this.problem && this.problem.errors?.length ? this.problem : null, ['unit', 'from', 'to', 'kind', 'flag'], 'filters-problem'),
        h(
          'div',
          { class: 'filters-grid' },
          this.unitPicker.render(this.problem),
          textField({ id: 'filter-from', name: 'from', label: t('filter_from'), type: 'date', value: f.from, testid: 'filter-from', problem: this.problem, oninput: (v) => (f.from = v) }),
          textField({ id: 'filter-to', name: 'to', label: t('filter_to'), type: 'date', value: f.to, testid: 'filter-to', problem: this.problem, oninput: (v) => (f.to = v) }),
          selectField({
            id: 'filter-kind',
            name: 'kind',
            label: t('col_kind'),
            value: f.kind,
            options: [{ value: '', label: t('filter_all') }, ...DECLARATION_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))],
            problem: this.problem,
            testid: 'filter-kind',
            onchange: (v) => (f.kind = v),
          }),
          selectField({
            id: 'filter-flag',
            name: 'flag',
            label: t('filter_flag'),
            value: f.flag,
            options: [{ value: '', label: t('filter_all') }, ...FLAG_CODES.map((c) => ({ value: c, label: flagLabel(c) }))],
            problem: this.problem,
            testid: 'filter-flag',
            onchange: (v) => (f.flag = v),
          }),
          checkboxField({
            id: 'filter-flagged',
            name: 'flagged',
            label: t('filter_flagged'),
            checked: f.flagged,
            testid: 'filter-flagged',
            class: 'filters-check',
            onchange: (on) => (f.flagged = on),
          }),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', class: 'button primary', id: 'filters-apply', 'data-testid': 'filters-apply' }, t('filter_apply')),
          h(
            'button',
            {
              type: 'button',
              class: 'button ghost',
              id: 'filters-reset',
              onclick: () => {
                this.filters = { from: '', to: '', kind: '', flagged: false, flag: '' };
                this.unitPicker.setSelected(null);
                this.selectedId = null;
                this.detail = null;
                void this.load({ limit: PAGE });
              },
            },
            t('filter_reset'),
          ),
        ),
      ),
    );
  }

  // -------------------------------------------------------------------------
  // List and detail

  private renderList(): HTMLElement {
    const rows = this.rows;
    const limit = this.applied.limit ?? PAGE;
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'list-heading', 'data-testid': 'declarations-section' },
      h(
        'div',
        { class: 'card-title-row wrap' },
        h('h2', { id: 'list-heading', tabindex: -1 }, t('declarations_list_title')),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            { type: 'button', class: 'button secondary small', id: 'export-csv', 'data-testid': 'export-csv', disabled: this.exporting !== null, onclick: () => void this.export('csv') },
            icon('download'),
            this.exporting === 'csv' ? t('exporting') : t('export_csv'),
          ),
          h(
            'button',
            { type: 'button', class: 'button secondary small', id: 'export-xlsx', 'data-testid': 'export-xlsx', disabled: this.exporting !== null, onclick: () => void this.export('xlsx') },
            icon('download'),
            this.exporting === 'xlsx' ? t('exporting') : t('export_xlsx'),
          ),
        ),
      ),
      this.exportProblem && problemBanner(this.exportProblem),
      this.exportNotice && h('p', { class: 'notice success', role: 'status', 'data-testid': 'export-notice' }, this.exportNotice),
      h('p', { class: 'muted small', role: 'status', id: 'declarations-status' }, this.loading ? t('loading') : rows ? this.countText() : ''),
      h(
        'div',
        { class: 'split' },
        h(
          'div',
          { class: 'table-wrap', id: 'declarations-results', 'aria-busy': String(this.loading) },
          listBody(this.problem && !this.problem.errors?.length ? this.problem : null, rows, {
            loading: () => h('p', { class: 'muted' }, t('loading')),
            empty: () => h('p', { class: 'empty', 'data-testid': 'declarations-empty' }, t('declarations_empty')),
            rows: (rows) => this.renderTable(rows),
          }),
          rows !== null &&
            rows.length >= limit &&
            h(
              'button',
              {
                type: 'button',
                class: 'button ghost more-button',
                id: 'declarations-more',
                'data-testid': 'declarations-more',
                disabled: this.loading,
                onclick: () => void this.load({ ...this.applied, limit: limit + PAGE }),
              },
              t('show_more', { count: PAGE }),
            ),
        ),
        this.renderDetail(),
      ),
    );
  }

  private renderTable(rows: DeclarationRow[]): HTMLElement {
    return h(
      'table',
      { class: 'table clickable', 'data-testid': 'declarations-table' },
      h('caption', { class: 'sr-only' }, t('declarations_list_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_risk')),
          h('th', { scope: 'col' }, t('col_name')),
          h('th', { scope: 'col' }, t('col_kind')),
          h('th', { scope: 'col' }, t('col_unit')),
          h('th', { scope: 'col' }, t('col_day')),
          h('th', { scope: 'col' }, t('col_flags')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            {
              class: ['row', this.selectedId === r.id && 'selected'],
              'data-testid': 'declaration-row',
              'data-id': r.id,
              'data-colour': r.colour,
              onclick: (e: MouseEvent) => {
                if ((e.target as HTMLElement).closest('button')) return;
                void this.open(r.id);
              },
            },
            h('td', null, colourBadge(r.colour)),
            h(
              'th',
              { scope: 'row' },
              h(
                'button',
                {
                  type: 'button',
                  id: `declaration-open-${r.id}`,
                  class: 'row-button',
                  'aria-current': this.selectedId === r.id ? 'true' : undefined,
                  'aria-controls': 'declaration-detail-panel',
                  'aria-label': t('view_detail', { name: r.full_name }),
                  onclick: () => void this.open(r.id),
                },
                r.full_name,
              ),
              r.by_staff && h('span', { class: 'badge muted-badge' }, t('by_staff')),
            ),
            h('td', null, kindLabel(r.kind)),
            h('td', null, this.unitName(r.unit_code)),
            h('td', { class: 'nowrap' }, formatDay(r.day)),
            h('td', { class: 'flags-cell' }, r.flags.length ? r.flags.map(flagLabel).join(', ') : h('span', { class: 'muted' }, t('none'))),
          ),
        ),
      ),
    );
  }

  private async open(id: number): Promise<void> {
    this.selectedId = id;
    this.detail = null;
    this.detailProblem = null;
    this.detailLoading = true;
    this.app.rerender();
    try {
      const detail = await api.declaration(id);
      if (this.selectedId !== id) return;
      const units = await loadUnits([detail.unit_code, ...unitCodesOf(detail.answers?.form)]);
      for (const [code, unit] of units) this.units.set(code, unit);
      this.detail = detail;
    } catch (err) {
      if (this.selectedId !== id) return;
      this.detailProblem = toProblem(err);
      announceProblem(this.detailProblem);
    }
    this.detailLoading = false;
    this.app.rerender();
    const heading = document.getElementById('declaration-detail-heading');
    heading?.focus();
    heading?.scrollIntoView({ block: 'nearest' });
  }

  private closeDetail(): void {
    const id = this.selectedId;
    this.selectedId = null;
    this.detail = null;
    this.detailProblem = null;
    this.app.rerender();
    if (id !== null) document.getElementById(`declaration-open-${id}`)?.focus();
  }

  private renderDetail(): HTMLElement {
    const open = this.selectedId !== null;
    const closeButton = h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'close-detail', onclick: () => this.closeDetail() }, t('close'));
    let content: Node[];
    if (!open) {
      content = [h('h3', { id: 'declaration-detail-heading', class: 'sr-only' }, t('declaration_detail_title')), h('p', { class: 'muted detail-placeholder' }, t('declaration_detail_hint'))];
    } else if (this.detailLoading) {
      content = [h('h3', { id: 'declaration-detail-heading', tabindex: -1 }, t('declaration_detail_title')), h('p', { class: 'muted', role: 'status' }, t('loading'))];
    } else if (this.detailProblem || !this.detail) {
      content = [h('div', { class: 'detail-head' }, h('h3', { id: 'declaration-detail-heading', tabindex: -1 }, t('declaration_detail_title')), closeButton), problemBanner(this.detailProblem) ?? h('p', null, t('none'))];
    } else {
      const d = this.detail;
      const unit = this.units.get(d.unit_code);
      content = [
        h('div', { class: 'detail-head' }, h('h3', { id: 'declaration-detail-heading', tabindex: -1, 'data-testid': 'declaration-detail-name' }, d.full_name), closeButton),
        h('p', null, colourBadge(d.colour, 'detail-colour')),
        h(
          'dl',
          { class: 'facts stacked' },
          h('div', null, h('dt', null, t('col_kind')), h('dd', null, kindLabel(d.kind))),
          h('div', null, h('dt', null, t('col_unit')), h('dd', null, unit ? unit.path || unit.name : d.unit_code)),
          h('div', null, h('dt', null, t('declared_at')), h('dd', null, timeEl(d.declared_at), d.by_staff ? ` · ${t('by_staff')}` : '')),
        ),
        h('h4', null, t('result_reasons')),
        flagList(d.answers?.flags ?? d.flags.map((code) => ({ code, severity: '', message: { vi: '', en: '' } })), 'detail-flags'),
        answersView(d.answers?.form, { ...this.refs, units: this.units }),
      ];
    }
    return h(
      'aside',
      { class: ['detail', open && 'open'], id: 'declaration-detail-panel', 'aria-labelledby': 'declaration-detail-heading', 'data-testid': 'declaration-detail' },
      content,
    );
  }

  // -------------------------------------------------------------------------
  // Export

  private async export(format: 'csv' | 'xlsx'): Promise<void> {
    if (this.exporting) return;
    this.exporting = format;
    this.exportNotice = null;
    this.exportProblem = null;
    this.app.rerender();
    try {
      const file = await api.exportDeclarations(format, this.applied);
      const name = file.filename ?? `to-khai-y-te.${format}`;
      const url = URL.createObjectURL(file.blob);
      const a = h('a', { href: url, download: name, class: 'sr-only' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.exportNotice = t('export_done', { name });
      announce(this.exportNotice);
    } catch (err) {
      this.exportProblem = toProblem(err);
      announceProblem(this.exportProblem);
    }
    this.exporting = null;
    this.app.rerender();
  }

  // -------------------------------------------------------------------------
  // Missed daily updates

  private async loadMissed(): Promise<void> {
    this.missedLoading = true;
    this.app.rerender();
    try {
      this.missed = await api.missedUpdates(this.missedDay || undefined);
      this.missedProblem = null;
      await loadUnits(this.missed.map((m) => m.unit_code)).then((units) => {
        for (const [code, unit] of units) this.units.set(code, unit);
      });
    } catch (err) {
      this.missedProblem = toProblem(err);
    }
    this.missedLoading = false;
    this.app.rerender();
  }

  private renderMissed(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'missed-heading', 'data-testid': 'missed-updates' },
      h('h2', { id: 'missed-heading' }, t('missed_title')),
      h('p', { class: 'lead' }, t('missed_intro')),
      h(
        'form',
        {
          class: 'search-row',
          novalidate: true,
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            void this.loadMissed();
          },
        },
        textField({
          id: 'missed-day',
          name: 'day',
          label: t('missed_day'),
          type: 'date',
          value: this.missedDay,
          hint: t('missed_day_hint'),
          problem: this.missedProblem,
          testid: 'missed-day',
          oninput: (v) => (this.missedDay = v),
          after: h('button', { type: 'submit', class: 'button secondary', disabled: this.missedLoading }, t('missed_show')),
        }),
      ),
      listBody(this.missedProblem && !this.missedProblem.errors?.length ? this.missedProblem : null, this.missed, {
        empty: () => h('p', { class: 'empty' }, t('missed_empty')),
        rows: (rows) =>
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact', 'data-testid': 'missed-table' },
              h('caption', { class: 'sr-only' }, t('missed_title')),
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_unit')), h('th', { scope: 'col' }, t('col_monitor_until')))),
              h(
                'tbody',
                null,
                rows.map((m) =>
                  h(
                    'tr',
                    { 'data-testid': 'missed-row' },
                    h('th', { scope: 'row' }, m.full_name, m.member_id !== null && h('span', { class: 'badge muted-badge' }, t('family_member_badge'))),
                    h('td', null, this.unitName(m.unit_code)),
                    h('td', { class: 'nowrap' }, formatDay(m.monitor_until)),
                  ),
                ),
              ),
            ),
          ),
      }),
    );
  }
}
