// The citizen's rights over their data, on their home page: download a copy of everything held
// about them (a JSON file), and delete the account after an explicit confirmation. The answer to
// a deletion lists what had to be kept (an open case, a quarantine), why and until when; the
// session has ended by then, so the only way on is back to sign-in.

import { api, toProblem, type AccountDeleted, type Problem } from '../api';
import { h } from '../dom';
import { pick, t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, checkboxField, formatDay, notice, problemBanner, saveDownload } from '../ui';

export class MyDataSection {
  private busy: 'download' | 'delete' | null = null;
  private problem: Problem | null = null;
  private saved: string | null = null;
  private confirming = false;
  private confirmed = false;
  private deleted: AccountDeleted | null = null;

  constructor(private readonly app: App) {}

  render(): HTMLElement {
    if (this.deleted) return this.renderDeleted(this.deleted);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'my-data-heading', 'data-testid': 'my-data' },
      h('h2', { id: 'my-data-heading' }, t('my_data_heading')),
      h('p', { class: 'muted' }, t('my_data_note')),
      problemBanner(this.problem, ['confirm'], 'my-data-problem'),
      this.saved && notice(t('my_data_saved', { name: this.saved }), 'my-data-saved'),
      h(
        'div',
        { class: 'hero-actions' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'download-my-data', disabled: this.busy !== null, onclick: () => void this.download() },
          this.busy === 'download' ? t('saving') : t('download_my_data')),
        !this.confirming &&
          h('button', { type: 'button', class: 'button danger', 'data-testid': 'delete-account', onclick: () => this.startConfirm() }, t('delete_account')),
      ),
      this.confirming &&
        h(
          'div',
          { class: 'notice warn', role: 'group', 'aria-labelledby': 'delete-warning', 'data-testid': 'delete-confirm' },
          h('p', { id: 'delete-warning' }, t('delete_account_warning')),
          checkboxField({
            id: 'delete-confirm-check',
            name: 'confirm',
            label: t('delete_account_confirm_label'),
            checked: this.confirmed,
            testid: 'delete-confirm-check',
            onchange: (v) => {
              this.confirmed = v;
              this.app.rerender();
            },
          }),
          h(
            'div',
            { class: 'hero-actions' },
            h('button', { type: 'button', class: 'button danger', 'data-testid': 'delete-account-submit', disabled: !this.confirmed || this.busy !== null, onclick: () => void this.remove() },
              this.busy === 'delete' ? t('saving') : t('delete_account_submit')),
            h('button', { type: 'button', class: 'button', 'data-testid': 'delete-account-cancel', onclick: () => this.cancel() }, t('delete_account_cancel')),
          ),
        ),
    );
  }

  private renderDeleted(d: AccountDeleted): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'deleted-heading', 'data-testid': 'account-deleted' },
      h('h2', { id: 'deleted-heading', tabindex: -1 }, t('account_deleted_title')),
      h('p', null, pick(d.message)),
      d.kept.length > 0 &&
        h(
          'div',
          null,
          h('h3', null, t('account_deleted_kept')),
          h('ul', { 'data-testid': 'account-kept' },
            d.kept.map((k) => h('li', null, pick(k.reason), k.until && h('span', { class: 'muted' }, ' (', t('account_deleted_until', { day: formatDay(k.until) }), ')'))),
          ),
        ),
      h('button', { type: 'button', class: 'button primary', 'data-testid': 'account-deleted-back', onclick: () => void this.app.signOut() }, t('account_deleted_back')),
    );
  }

  private startConfirm(): void {
    this.confirming = true;
    this.confirmed = false;
    this.app.rerender();
    document.getElementById('delete-confirm-check')?.focus();
  }

  private cancel(): void {
    this.confirming = false;
    this.confirmed = false;
    this.app.rerender();
    document.querySelector<HTMLElement>('[data-testid="delete-account"]')?.focus();
  }

  private async download(): Promise<void> {
    this.busy = 'download';
    this.problem = null;
    this.app.rerender();
    try {
      this.saved = saveDownload(await api.myData(), 'phongdich-du-lieu-cua-toi.json');
      announce(t('my_data_saved', { name: this.saved }));
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = null;
    this.app.rerender();
  }

  private async remove(): Promise<void> {
    if (!this.confirmed) return;
    this.busy = 'delete';
    this.problem = null;
    this.app.rerender();
    try {
      this.deleted = await api.deleteMe();
      this.busy = null;
      this.app.rerender();
      announce(pick(this.deleted.message));
      document.getElementById('deleted-heading')?.focus();
    } catch (err) {
      this.busy = null;
      this.problem = toProblem(err);
      this.app.rerender();
      announceProblem(this.problem);
    }
  }
}
