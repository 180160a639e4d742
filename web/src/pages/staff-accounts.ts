// The admin's staff accounts section of the staff home: the list of accounts (role, unit, a
// badge for disabled ones) with their life-cycle actions (deactivate or reactivate, reset the
// password, sign out everywhere — each confirmed, each audited by the server), and the form to
// create one, with a unit picker for the unit in charge. A generated temporary password is shown
// once. Missing answers are reported next to their inputs before anything is sent.

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
  private actionNotice: string | null = null;
  private actionProblem: Problem | null = null;
  private actionBusy: number | null = null;

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
          problemBanner(this.actionProblem, [], 'staff-action-problem'),
          this.actionNotice && notice(this.actionNotice, 'staff-action-notice'),
          listBody(this.staffProblem, this.staffRows, {
            empty: () => h('p', { class: 'empty' }, t('staff_empty')),
            rows: (rows) =>
              h(
                'table',
                { class: 'table', 'data-testid': 'staff-table' },
                h('caption', { class: 'sr-only' }, t('staff_heading')),
                h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_username')), h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_role')), h('th', { scope: 'col' }, t('col_staff_unit')), h('th', { scope: 'col' }, t('col_actions')))),
                h(
                  'tbody',
                  null,
                  rows.map((s) =>
                    h('tr', { 'data-testid': 'staff-row', class: s.active === false ? 'inactive' : undefined }, h('th', { scope: 'row' }, h('code', null, s.username), s.active === false && h('span', { class: 'badge muted-badge' }, t('staff_inactive')), s.must_change_password && h('span', { class: 'badge muted-badge', 'data-testid': 'staff-must-change' }, t('staff_must_change'))), h('td', null, s.full_name), h('td', null, h('span', { class: 'role-pill small' }, roleLabel(s.role))), h('td', null, unitPath(s.unit)), h('td', null, this.renderActions(s))),
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
          hint: t('staff_password_optional_hint'),
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
      const created = await api.createStaff({
        username: f.username.trim(),
        password: f.password || undefined,
        full_name: f.full_name.trim(),
        role: f.role as Role,
        unit_code: this.staffUnit.code!,
      });
      this.createNotice = created.password
        ? t('staff_created_password', { username: f.username.trim(), password: created.password })
        : t('staff_created', { username: f.username.trim() });
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

  /** The buttons of one account's row (none on the admin's own deactivation). */
  private renderActions(s: StaffAccount): HTMLElement {
    const busy = this.actionBusy === s.id;
    const button = (label: string, aria: string, testid: string, run: () => void) =>
      h('button', { type: 'button', class: 'button small', 'aria-label': aria, 'data-testid': testid, disabled: busy, onclick: run }, label);
    const username = s.username;
    return h(
      'div',
      { class: 'row-actions' },
      s.active === false
        ? button(t('staff_reactivate'), t('staff_reactivate_label', { username }), 'staff-reactivate', () => void this.act(s, 'reactivate'))
        : button(t('staff_deactivate'), t('staff_deactivate_label', { username }), 'staff-deactivate', () => void this.act(s, 'deactivate')),
      button(t('staff_reset_password'), t('staff_reset_label', { username }), 'staff-reset', () => void this.act(s, 'reset')),
      button(t('staff_revoke_sessions'), t('staff_revoke_label', { username }), 'staff-revoke', () => void this.act(s, 'revoke')),
    );
  }

  private async act(s: StaffAccount, action: 'deactivate' | 'reactivate' | 'reset' | 'revoke'): Promise<void> {
    const username = s.username;
    if (action === 'deactivate' && !window.confirm(t('staff_confirm_deactivate', { username }))) return;
    if (action === 'reset' && !window.confirm(t('staff_confirm_reset', { username }))) return;
    this.actionBusy = s.id;
    this.actionProblem = null;
    this.actionNotice = null;
    this.app.rerender();
    try {
      let text: string;
      if (action === 'deactivate') {
        const r = await api.deactivateStaff(s.id);
        text = t('staff_deactivated', { username, count: r.sessions_revoked });
      } else if (action === 'reactivate') {
        await api.reactivateStaff(s.id);
        text = t('staff_reactivated', { username });
      } else if (action === 'reset') {
        const r = await api.resetStaffPassword(s.id);
        text = t('staff_password_reset', { username, password: r.password ?? '' });
      } else {
        const r = await api.revokeStaffSessions(s.id);
        text = t('staff_sessions_revoked', { username, count: r.sessions_revoked });
      }
      this.actionNotice = text;
      this.actionBusy = null;
      await this.load();
      announce(text);
    } catch (err) {
      this.actionBusy = null;
      this.actionProblem = toProblem(err);
      this.app.rerender();
      announceProblem(this.actionProblem);
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
