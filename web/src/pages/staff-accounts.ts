// The admin's staff accounts section of the staff home: the list of accounts (role, unit, a
// badge for disabled ones) and the form to create one, with a unit picker for the unit in
// charge. Missing answers are reported next to their inputs before anything is sent.

import { api, localProblem, ROLES, toProblem, type Problem, type Role, type StaffAccount } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, focusFirstError, listBody, notice, problemBanner, roleLabel, selectField, textField, unitPath } from '../ui';

export class StaffAccountsSection {
  /** Null until loaded (the list is asked for when the section is first shown). */
  staffRows: StaffAccount[] | null = null;
  private staffProblem: Problem | null = null;
  private form = { username: '', password: '', full_name: '', role: '' as Role | '' };
  private readonly staffUnit: UnitPicker;
  private createBusy = false;
  private createProblem: Problem | null = null;
  private createNotice: string | null = null;

  constructor(
    private readonly app: App,
    /** True while this section is the one shown. */
    private readonly shown: () => boolean,
  ) {
    this.staffUnit = new UnitPicker({
      id: 'new-staff-unit',
      name: 'unit_code',
      label: () => t('staff_unit_label'),
      selected: null,
      emptyText: () => t('staff_unit_none'),
      testid: 'staff-unit-picker',
    });
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'staff-heading', 'data-testid': 'staff-section' },
      h('h2', { id: 'staff-heading', tabindex: -1 }, t('staff_heading')),
      h(
        'div',
        { class: 'split staff-split' },
        h(
          'div',
          { class: 'table-wrap' },
          listBody(this.staffProblem, this.staffRows, {
            empty: () => h('p', { class: 'empty' }, t('staff_empty')),
            rows: (rows) =>
              h(
                'table',
                { class: 'table', 'data-testid': 'staff-table' },
                h('caption', { class: 'sr-only' }, t('staff_heading')),
                h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_username')), h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_role')), h('th', { scope: 'col' }, t('col_staff_unit')))),
                h(
                  'tbody',
                  null,
                  rows.map((s) =>
                    h('tr', { 'data-testid': 'staff-row', class: s.active === false ? 'inactive' : undefined }, h('th', { scope: 'row' }, h('code', null, s.username), s.active === false && h('span', { class: 'badge muted-badge' }, t('staff_inactive'))), h('td', null, s.full_name), h('td', null, h('span', { class: 'role-pill small' }, roleLabel(s.role))), h('td', null, unitPath(s.unit))),
                  ),
                ),
              ),
          }),
        ),
        this.renderCreateStaff(),
      ),
    );
  }

  private renderCreateStaff(): HTMLElement {
    return h(
      'div',
      { class: 'subcard' },
      h('h3', { id: 'create-staff-heading' }, t('staff_create_heading')),
      h(
        'form',
        {
          id: 'create-staff-form',
          class: 'form',
          novalidate: true,
          'aria-labelledby': 'create-staff-heading',
          'data-testid': 'create-staff-form',
          onsubmit: (e: SubmitEvent) => void this.createStaff(e),
        },
        problemBanner(this.createProblem, ['username', 'password', 'full_name', 'role', 'unit_code'], 'create-staff-problem'),
        textField({
          id: 'new-staff-username',
          name: 'username',
          label: t('username_label'),
          autocomplete: 'off',
          autocapitalize: 'none',
          spellcheck: false,
          required: true,
          value: this.form.username,
          problem: this.createProblem,
          testid: 'new-staff-username',
          oninput: (v) => (this.form.username = v),
        }),
        textField({
          id: 'new-staff-password',
          name: 'password',
          label: t('password_label'),
          type: 'password',
          autocomplete: 'new-password',
          required: true,
          value: this.form.password,
          problem: this.createProblem,
          testid: 'new-staff-password',
          oninput: (v) => (this.form.password = v),
        }),
        textField({
          id: 'new-staff-full-name',
          name: 'full_name',
          label: t('full_name_label'),
          required: true,
          value: this.form.full_name,
          problem: this.createProblem,
          testid: 'new-staff-full-name',
          oninput: (v) => (this.form.full_name = v),
        }),
        selectField({
          id: 'new-staff-role',
          name: 'role',
          label: t('role_label'),
          value: this.form.role,
          placeholder: t('role_choose'),
          required: true,
          options: ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
          problem: this.createProblem,
          testid: 'new-staff-role',
          onchange: (v) => (this.form.role = v as Role),
        }),
        this.staffUnit.render(this.createProblem),
        this.createNotice && notice(this.createNotice, 'staff-created'),
        h(
          'button',
          { type: 'submit', id: 'create-staff', class: 'button primary', 'data-testid': 'create-staff', disabled: this.createBusy },
          this.createBusy ? t('saving') : t('create_staff'),
        ),
      ),
    );
  }

  async load(): Promise<void> {
    try {
      this.staffRows = await api.staff();
      this.staffProblem = null;
    } catch (err) {
      this.staffProblem = toProblem(err);
      announceProblem(this.staffProblem);
    }
    if (this.shown()) this.app.rerender();
  }

  private async createStaff(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.createBusy) return;
    const f = this.form;
    const missing: { field: string; key: 'error_field_required' }[] = [];
    if (!f.username.trim()) missing.push({ field: 'username', key: 'error_field_required' });
    if (!f.password) missing.push({ field: 'password', key: 'error_field_required' });
    if (!f.full_name.trim()) missing.push({ field: 'full_name', key: 'error_field_required' });
    if (!f.role) missing.push({ field: 'role', key: 'error_field_required' });
    if (!this.staffUnit.code) missing.push({ field: 'unit_code', key: 'error_field_required' });
    if (missing.length) {
      this.createFail(localProblem(missing));
      return;
    }
    this.createBusy = true;
    this.createProblem = null;
    this.createNotice = null;
    this.app.rerender();
    try {
      await api.createStaff({
        username: f.username.trim(),
        password: f.password,
        full_name: f.full_name.trim(),
        role: f.role as Role,
        unit_code: this.staffUnit.code!,
      });
      this.createNotice = t('staff_created', { username: f.username.trim() });
      this.form = { username: '', password: '', full_name: '', role: '' };
      this.staffUnit.setSelected(null);
      this.createBusy = false;
      await this.load();
      this.app.rerender();
      announce(this.createNotice);
      document.getElementById('new-staff-username')?.focus();
    } catch (err) {
      this.createBusy = false;
      this.createFail(toProblem(err));
    }
  }

  private createFail(problem: Problem): void {
    this.createProblem = problem;
    this.createNotice = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('create-staff-form'));
  }
}
