// The forced password change: a staff account whose password an admin set (at creation or by a
// reset) sees only this page until it chooses its own. The server allows nothing else with such
// a session; afterwards the shell loads the account again and shows its home.

import { api, localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { getToken } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { announce, announceProblem, appHeader, focusFirstError, problemBanner, textField } from '../ui';

export class ChangePasswordPage implements Page {
  private form = { old: '', next: '', again: '' };
  private busy = false;
  private problem: Problem | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('change_password_title');
  }

  mounted(): void {
    document.getElementById('old-password')?.focus();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      h(
        'main',
        { id: 'main', class: 'page', tabindex: -1, 'data-testid': 'change-password-page' },
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'change-password-heading' },
          h('h1', { id: 'change-password-heading' }, t('change_password_title')),
          h('p', { 'data-testid': 'change-password-forced' }, t('change_password_forced')),
          h('p', { class: 'muted' }, this.me.username),
          h(
            'form',
            { id: 'change-password-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit(e) },
            problemBanner(this.problem, ['old_password', 'new_password', 'confirm'], 'change-password-problem'),
            textField({
              id: 'old-password', name: 'old_password', label: t('old_password_label'), type: 'password',
              autocomplete: 'current-password', required: true, value: this.form.old, problem: this.problem,
              testid: 'old-password', oninput: (v) => (this.form.old = v),
            }),
            textField({
              id: 'new-password', name: 'new_password', label: t('new_password_label'), type: 'password',
              autocomplete: 'new-password', required: true, value: this.form.next, problem: this.problem,
              hint: t('password_rules_hint'), testid: 'new-password', oninput: (v) => (this.form.next = v),
            }),
            textField({
              id: 'confirm-password', name: 'confirm', label: t('confirm_password_label'), type: 'password',
              autocomplete: 'new-password', required: true, value: this.form.again, problem: this.problem,
              testid: 'confirm-password', oninput: (v) => (this.form.again = v),
            }),
            h('button', { type: 'submit', class: 'button primary', 'data-testid': 'change-password-submit', disabled: this.busy },
              this.busy ? t('saving') : t('change_password_submit')),
          ),
        ),
      ),
    ];
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const missing: { field: string; key: 'error_field_required' | 'error_passwords_differ' }[] = [];
    if (!this.form.old) missing.push({ field: 'old_password', key: 'error_field_required' });
    if (!this.form.next) missing.push({ field: 'new_password', key: 'error_field_required' });
    if (this.form.next !== this.form.again) missing.push({ field: 'confirm', key: 'error_passwords_differ' });
    if (missing.length) return this.fail(localProblem(missing));
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      await api.changePassword(this.form.old, this.form.next);
      announce(t('password_changed'));
      const token = getToken();
      if (token) await this.app.signedIn(token);
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('change-password-form'));
  }
}
