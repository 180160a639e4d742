// Officials: the units campaigns count (agencies, schools, companies, communes) of the
// jurisdiction with their head counts — the list, the form to add one or change one (the same
// code updates it), and the import of a whole list from a CSV file whose errors are listed by
// line. Citizens give a unit's code on their home page, so its sign-ups are measured.

import { api, toProblem, type Problem, type StaffMe } from '../api';
import { campaignApi, ORG_CSV_HEADER, ORG_KINDS, type OrgKind, type OrgUnit } from '../api-campaigns';
import { formatCount, orgKindLabel } from '../campaign-view';
import { CsvImportSection } from '../csv-import';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, appHeader, focusFirstError, formatPhone, listBody, notice, problemBanner, selectField, textField } from '../ui';

const COUNTS = ['staff', 'staff_smartphone', 'residents', 'smartphone_users', 'venues'] as const;
type CountField = (typeof COUNTS)[number];

export class OrgUnitsPage implements Page {
  private rows: OrgUnit[] | null = null;
  private problem: Problem | null = null;

  private code = '';
  private name = '';
  private kind: OrgKind = 'agency';
  private parent = '';
  private phone = '';
  private counts: Record<CountField, string> = { staff: '', staff_smartphone: '', residents: '', smartphone_users: '', venues: '' };
  private readonly picker: UnitPicker;
  private busy = false;
  private formProblem: Problem | null = null;
  private saved: (() => string) | null = null;
  private readonly importer: CsvImportSection;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.picker = new UnitPicker({
      id: 'org-unit-admin',
      name: 'unit_code',
      label: () => t('org_unit_admin_unit'),
      selected: me.unit,
      emptyText: () => t('unit_none_selected'),
      testid: 'org-unit-admin',
    });
    this.importer = new CsvImportSection(app, {
      prefix: 'org-import',
      testid: 'org-import',
      header: ORG_CSV_HEADER,
      text: {
        title: 'org_import_title',
        intro: 'import_intro',
        file: 'import_file',
        choose: 'import_choose_file',
        submit: 'import_submit',
        done: 'org_import_done',
        nothingStored: 'org_import_nothing_stored',
      },
      send: (text) => campaignApi.importOrgUnits(text),
      onImported: () => void this.load(),
    });
  }

  title(): string {
    return t('org_units_title');
  }

  mounted(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.rows = await campaignApi.orgUnits();
      this.problem = null;
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'org-units'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'org-units-page' },
        h('button', { type: 'button', class: 'link-button back-link', onclick: () => this.app.navigate('campaigns') }, `← ${t('campaigns_title')}`),
        h('h1', { id: 'org-units-heading', tabindex: -1, class: 'page-title' }, t('org_units_title')),
        h('p', { class: 'muted' }, t('org_units_intro')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'org-units-list-heading' },
          h('h2', { id: 'org-units-list-heading' }, t('org_units_list', { count: this.rows?.length ?? 0 })),
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'org-units-empty' }, t('org_units_empty')),
            rows: (rows) => this.renderTable(rows),
          }),
        ),
        this.renderForm(),
        this.importer.render(),
      ),
    ];
  }

  private renderTable(rows: OrgUnit[]): HTMLElement {
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table compact', 'data-testid': 'org-units-table' },
        h('caption', { class: 'sr-only' }, t('org_units_title')),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('org_unit_code')),
            h('th', { scope: 'col' }, t('org_unit_name')),
            h('th', { scope: 'col' }, t('org_unit_kind')),
            h('th', { scope: 'col' }, t('org_unit_admin_unit')),
            h('th', { scope: 'col' }, t('org_unit_phone')),
            COUNTS.map((c) => h('th', { scope: 'col', class: 'num' }, t(`org_unit_${c}`))),
            h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('org_unit_edit'))),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((u) =>
            h(
              'tr',
              { 'data-testid': 'org-unit-row', 'data-code': u.code },
              h('td', null, h('code', null, u.code)),
              h('th', { scope: 'row' }, u.name, u.parent_code && h('span', { class: 'muted small block' }, t('org_unit_under', { code: u.parent_code }))),
              h('td', null, orgKindLabel(u.kind)),
              h('td', null, h('code', null, u.unit_code)),
              h('td', { class: 'nowrap' }, u.reporter_phone ? formatPhone(u.reporter_phone) : t('none')),
              COUNTS.map((c) => h('td', { class: 'num' }, formatCount(u[c]))),
              h('td', null, h('button', { type: 'button', class: 'button ghost small', 'aria-label': t('org_unit_edit_named', { name: u.name }), onclick: () => void this.edit(u) }, t('org_unit_edit'))),
            ),
          ),
        ),
      ),
    );
  }

  private renderForm(): HTMLElement {
    const p = this.formProblem;
    const units = this.rows ?? [];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'org-unit-form-heading' },
      h('h2', { id: 'org-unit-form-heading', tabindex: -1 }, t('org_unit_form')),
      h('p', { class: 'muted small' }, t('org_unit_form_hint')),
      h(
        'form',
        { id: 'org-unit-form', class: 'form', novalidate: true, 'data-testid': 'org-unit-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(p, ['code', 'name', 'kind', 'unit_code', 'parent_code', 'reporter_phone', ...COUNTS], 'org-unit-problem'),
        h(
          'div',
          { class: 'form-row' },
          textField({ id: 'org-unit-code', name: 'code', label: t('org_unit_code'), hint: t('org_unit_code_hint'), value: this.code, required: true, maxlength: 20, autocapitalize: 'characters', spellcheck: false, problem: p, testid: 'org-unit-code', oninput: (v) => (this.code = v) }),
          textField({ id: 'org-unit-name', name: 'name', label: t('org_unit_name'), value: this.name, required: true, maxlength: 160, problem: p, testid: 'org-unit-name', oninput: (v) => (this.name = v) }),
        ),
        h(
          'div',
          { class: 'form-row' },
          selectField({
            id: 'org-unit-kind',
            name: 'kind',
            label: t('org_unit_kind'),
            value: this.kind,
            options: ORG_KINDS.map((k) => ({ value: k, label: orgKindLabel(k) })),
            problem: p,
            testid: 'org-unit-kind',
            onchange: (v) => (this.kind = v as OrgKind),
          }),
          selectField({
            id: 'org-unit-parent',
            name: 'parent_code',
            label: t('org_unit_parent'),
            value: this.parent,
            options: [{ value: '', label: t('org_unit_parent_none') }, ...units.filter((u) => u.code !== this.code.trim().toUpperCase()).map((u) => ({ value: u.code, label: `${u.name} (${u.code})` }))],
            problem: p,
            testid: 'org-unit-parent',
            onchange: (v) => (this.parent = v),
          }),
        ),
        this.picker.render(p),
        textField({ id: 'org-unit-phone', name: 'reporter_phone', type: 'tel', label: t('org_unit_phone'), hint: t('org_unit_phone_hint'), value: this.phone, autocomplete: 'off', problem: p, testid: 'org-unit-phone', oninput: (v) => (this.phone = v) }),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', null, t('org_unit_heads')),
          h('p', { class: 'hint' }, t('org_unit_heads_hint')),
          h(
            'div',
            { class: 'heads-grid' },
            COUNTS.map((c) =>
              textField({
                id: `org-unit-${c}`,
                name: c,
                type: 'number',
                inputmode: 'numeric',
                min: 0,
                label: t(`org_unit_${c}`),
                value: this.counts[c],
                problem: p,
                testid: `org-unit-${c}`,
                oninput: (v) => (this.counts[c] = v),
              }),
            ),
          ),
        ),
        this.saved && notice(this.saved(), 'org-unit-saved'),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'org-unit-submit', disabled: this.busy }, this.busy ? t('saving') : t('org_unit_save')),
      ),
    );
  }

  /** Fills the form with a unit to change it. */
  private async edit(u: OrgUnit): Promise<void> {
    this.code = u.code;
    this.name = u.name;
    this.kind = (ORG_KINDS as readonly string[]).includes(u.kind) ? (u.kind as OrgKind) : 'other';
    this.parent = u.parent_code ?? '';
    this.phone = u.reporter_phone ?? '';
    for (const c of COUNTS) this.counts[c] = String(u[c]);
    this.formProblem = null;
    this.saved = null;
    try {
      this.picker.setSelected(await api.unit(u.unit_code));
    } catch {
      // The picker keeps its unit; the server names the field if it is wrong.
    }
    this.app.rerender();
    document.getElementById('org-unit-form-heading')?.focus();
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.formProblem = null;
    this.saved = null;
    this.app.rerender();
    const count = (c: CountField) => {
      const n = Number(this.counts[c].trim());
      return this.counts[c].trim() !== '' && Number.isFinite(n) ? Math.round(n) : 0;
    };
    try {
      const u = await campaignApi.saveOrgUnit({
        code: this.code.trim(),
        name: this.name.trim(),
        kind: this.kind,
        unit_code: this.picker.code ?? '',
        parent_code: this.parent || undefined,
        reporter_phone: this.phone.trim() || undefined,
        staff: count('staff'),
        staff_smartphone: count('staff_smartphone'),
        residents: count('residents'),
        smartphone_users: count('smartphone_users'),
        venues: count('venues'),
      });
      this.busy = false;
      this.saved = () => t('org_unit_saved', { name: u.name, code: u.code });
      announce(this.saved());
      this.code = '';
      this.name = '';
      this.parent = '';
      this.phone = '';
      for (const c of COUNTS) this.counts[c] = '';
      await this.load();
    } catch (err) {
      this.busy = false;
      this.formProblem = toProblem(err);
      this.app.rerender();
      announceProblem(this.formProblem);
      focusFirstError(document.getElementById('org-unit-form'));
    }
  }
}
