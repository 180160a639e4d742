// The citizen's unit code ("Mã đơn vị"): the code their office, school or commune gave them for
// an adoption campaign, so that signing up counts for that unit. An empty code unlinks.

import { toProblem, type Problem } from '../api';
import { campaignApi } from '../api-campaigns';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, focusFirstError, notice, problemBanner, textField } from '../ui';

export class MyOrgUnitSection {
  private code: string;
  private busy = false;
  private problem: Problem | null = null;
  /** What the server answered last (a function, so it follows a change of language). */
  private saved: (() => string) | null = null;

  constructor(
    private readonly app: App,
    current: string,
  ) {
    this.code = current;
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'org-code-heading', 'data-testid': 'my-org-unit' },
      h('h2', { id: 'org-code-heading' }, t('my_org_unit_heading')),
      h(
        'form',
        { id: 'org-code-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(this.problem, ['code'], 'org-code-problem'),
        textField({
          id: 'org-code',
          name: 'code',
          label: t('my_org_unit_label'),
          hint: t('my_org_unit_hint'),
          value: this.code,
          maxlength: 20,
          autocomplete: 'off',
          autocapitalize: 'characters',
          spellcheck: false,
          problem: this.problem,
          testid: 'org-code-input',
          class: 'short-field',
          oninput: (v) => (this.code = v),
          after: h('button', { type: 'submit', class: 'button secondary', 'data-testid': 'org-code-save', disabled: this.busy }, this.busy ? t('saving') : t('my_org_unit_save')),
        }),
        this.saved && notice(this.saved(), 'org-code-saved'),
      ),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.busy = true;
    this.problem = null;
    this.saved = null;
    this.app.rerender();
    try {
      const r = await campaignApi.setMyOrgUnit(this.code.trim());
      const { code, name } = r;
      this.saved = () => (code ? t('my_org_unit_linked', { name: name ?? code, code }) : t('my_org_unit_unlinked'));
      this.code = code ?? '';
      announce(this.saved());
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.app.rerender();
    if (this.problem) focusFirstError(document.getElementById('org-code-form'));
  }
}
