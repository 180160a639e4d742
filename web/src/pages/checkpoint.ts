// Checkpoint (venue staff, health officials, admins): verify a health pass (camera scan where
// the browser has BarcodeDetector, or pasted text), and declare on behalf of a person
// ("khai hộ") with their phone confirmed by a code, or with no phone.

import { api, localProblem, toProblem, type Problem, type Recorded, type StaffMe, type VerifyResult } from '../api';
import { DeclarationForm } from '../declaration-form';
import { resultCard } from '../declaration-view';
import { h, type Child } from '../dom';
import { pick, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { QrScanner } from '../scanner';
import {
  announce,
  announceProblem,
  appHeader,
  checkboxField,
  colourName,
  colourMeaning,
  focusFirstError,
  icon,
  problemBanner,
  shownFields,
  textAreaField,
  textField,
  timeEl,
} from '../ui';

export class CheckpointPage implements Page {
  // Verify
  private passText = '';
  private verifying = false;
  private verdict: VerifyResult | null = null;
  private verifyProblem: Problem | null = null;
  private readonly scanner: QrScanner;

  // Declare on behalf
  private readonly form: DeclarationForm;
  private phone = '';
  private noPhone = false;
  private code = '';
  private codeSentTo: string | null = null;
  private busy = false;
  private problem: Problem | null = null;
  private result: Recorded | null = null;
  private resultFor = '';

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    const unit = me.unit && me.unit.tier === 'commune' ? me.unit.code : null;
    this.form = new DeclarationForm({ prefix: 'cp', mode: 'checkpoint', defaultUnit: unit, rerender: () => this.app.rerender() });
    this.form.kind = 'domestic';
    this.scanner = new QrScanner({
      id: 'scan-button',
      testid: 'scan-button',
      rerender: () => this.app.rerender(),
      onFound: (text) => {
        this.passText = text;
        this.app.rerender();
        void this.verify();
      },
    });
  }

  title(): string {
    return t('checkpoint_title');
  }

  mounted(): void {
    void this.form.load();
  }

  dispose(): void {
    this.scanner.stop();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'checkpoint'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'checkpoint-page' },
        h('h1', { id: 'checkpoint-heading', tabindex: -1, class: 'page-title' }, t('checkpoint_title')),
        h('div', { class: 'checkpoint-grid' }, this.renderVerify(), this.result ? this.renderResult(this.result) : this.renderOnBehalf()),
      ),
    ];
  }

  // -------------------------------------------------------------------------
  // Verify a pass

  private renderVerify(): HTMLElement {
    return h(
      'section',
      { class: 'card verify-card no-print', 'aria-labelledby': 'verify-heading' },
      h('h2', { id: 'verify-heading', tabindex: -1 }, t('verify_title')),
      h('p', { class: 'lead' }, t('verify_intro')),
      this.scanner.render(),
      h(
        'form',
        { id: 'verify-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.verify(e) },
        problemBanner(this.verifyProblem, ['pass'], 'verify-problem'),
        textAreaField({
          id: 'verify-input',
          name: 'pass',
          label: t('verify_input_label'),
          hint: t('verify_input_hint'),
          value: this.passText,
          rows: 4,
          spellcheck: false,
          testid: 'verify-input',
          class: 'mono-field',
          problem: this.verifyProblem,
          oninput: (v) => (this.passText = v),
        }),
        h(
          'button',
          { type: 'submit', id: 'verify-button', class: 'button primary', 'data-testid': 'verify-button', disabled: this.verifying, 'aria-busy': this.verifying ? 'true' : undefined },
          this.verifying ? t('verifying') : t('verify_button'),
        ),
      ),
      h('div', { id: 'verdict-region', 'aria-live': 'polite', 'aria-atomic': 'true' }, this.renderVerdict()),
    );
  }

  private renderVerdict(): HTMLElement | null {
    const v = this.verdict;
    if (!v) return null;
    if (v.valid && v.colour) {
      return h(
        'div',
        { class: ['verdict', 'verdict-valid', `colour-${v.colour}`], 'data-testid': 'verdict', 'data-valid': 'true', 'data-colour': v.colour, tabindex: -1, id: 'verdict' },
        h('span', { class: 'verdict-symbol', 'aria-hidden': 'true' }, v.colour === 'green' ? '✓' : v.colour === 'red' ? '✕' : '!'),
        h(
          'div',
          { class: 'verdict-text' },
          h('strong', { class: 'verdict-title' }, t('verdict_valid')),
          h('span', { class: 'verdict-colour' }, `${colourName(v.colour)} — ${colourMeaning(v.colour)}`),
          v.expires_at && h('span', { class: 'verdict-line' }, t('pass_valid_until'), ' ', timeEl(v.expires_at)),
          v.issued_at && h('span', { class: 'verdict-line small' }, t('pass_issued_at'), ' ', timeEl(v.issued_at)),
        ),
      );
    }
    return h(
      'div',
      { class: ['verdict', 'verdict-invalid'], 'data-testid': 'verdict', 'data-valid': 'false', 'data-reason': v.reason ?? '', tabindex: -1, id: 'verdict' },
      h('span', { class: 'verdict-symbol', 'aria-hidden': 'true' }, '✕'),
      h(
        'div',
        { class: 'verdict-text' },
        h('strong', { class: 'verdict-title' }, t('verdict_invalid')),
        h('span', { class: 'verdict-line' }, pick(v.message ?? undefined) || t('verdict_invalid_generic')),
        h('span', { class: 'verdict-line small' }, t('verdict_invalid_advice')),
      ),
    );
  }

  private async verify(e?: SubmitEvent): Promise<void> {
    e?.preventDefault();
    if (this.verifying) return;
    const text = this.passText.trim();
    if (!text) {
      this.verifyProblem = localProblem([{ field: 'pass', key: 'error_field_required' }]);
      this.verdict = null;
      this.app.rerender();
      announceProblem(this.verifyProblem);
      document.getElementById('verify-input')?.focus();
      return;
    }
    this.verifying = true;
    this.verifyProblem = null;
    this.verdict = null;
    this.app.rerender();
    try {
      this.verdict = await api.verifyPass(text);
    } catch (err) {
      this.verifyProblem = toProblem(err);
    }
    this.verifying = false;
    this.app.rerender();
    if (this.verdict) {
      const v = this.verdict;
      announce(v.valid && v.colour ? `${t('verdict_valid')}: ${colourName(v.colour)}` : `${t('verdict_invalid')}: ${pick(v.message ?? undefined)}`, !v.valid);
    } else if (this.verifyProblem) {
      announceProblem(this.verifyProblem);
    }
  }

  // -------------------------------------------------------------------------
  // Declare on behalf

  private renderOnBehalf(): HTMLElement {
    const f = this.form;
    const known = ['phone', 'code', 'no_phone'];
    return h(
      'section',
      { class: 'card onbehalf-card', 'aria-labelledby': 'onbehalf-heading', 'data-testid': 'onbehalf' },
      h('h2', { id: 'onbehalf-heading', tabindex: -1 }, t('onbehalf_title')),
      h('p', { class: 'lead' }, t('onbehalf_intro')),
      h(
        'form',
        { id: 'onbehalf-form', class: 'form', novalidate: true, 'data-testid': 'onbehalf-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(this.problem, shownFields(this.problem, (field) => known.includes(field) || f.shows(field)), 'onbehalf-problem'),
        f.render(this.problem),
        this.renderContact(),
        f.renderConsent(this.problem),
        h(
          'button',
          { type: 'submit', id: 'onbehalf-submit', class: 'button primary block', 'data-testid': 'onbehalf-submit', disabled: this.busy || !f.choices, 'aria-busy': this.busy ? 'true' : undefined },
          this.busy ? t('sending') : this.codeSentTo !== null ? t('onbehalf_confirm') : !this.noPhone ? t('onbehalf_send_code') : t('declare_submit'),
        ),
      ),
    );
  }

  private renderContact(): HTMLElement {
    return h(
      'section',
      { class: 'form-section', 'aria-labelledby': 'cp-contact-heading' },
      h('h3', { id: 'cp-contact-heading', class: 'form-section-title' }, t('onbehalf_contact')),
      !this.noPhone &&
        textField({
          id: 'cp-phone',
          name: 'phone',
          label: t('onbehalf_phone'),
          type: 'tel',
          inputmode: 'tel',
          autocomplete: 'off',
          hint: t('onbehalf_phone_hint'),
          value: this.phone,
          testid: 'cp-phone',
          problem: this.problem,
          oninput: (v) => {
            this.phone = v;
            if (this.codeSentTo !== null && v.trim() !== this.codeSentTo) {
              this.codeSentTo = null;
              this.code = '';
              this.app.rerender();
            }
          },
        }),
      checkboxField({
        id: 'cp-no-phone',
        name: 'no_phone',
        label: t('onbehalf_no_phone'),
        checked: this.noPhone,
        testid: 'cp-no-phone',
        problem: this.problem,
        onchange: (on) => {
          this.noPhone = on;
          this.codeSentTo = null;
          this.code = '';
          this.app.rerender();
        },
      }),
      this.codeSentTo !== null &&
        !this.noPhone && [
          h('p', { class: 'notice info', 'data-testid': 'cp-code-sent' }, t('onbehalf_code_sent', { phone: this.codeSentTo })),
          textField({
            id: 'cp-code',
            name: 'code',
            label: t('onbehalf_code'),
            inputmode: 'numeric',
            autocomplete: 'off',
            maxlength: 6,
            pattern: '[0-9]{6}',
            value: this.code,
            testid: 'cp-code',
            class: 'code-field',
            problem: this.problem,
            oninput: (v, el) => {
              const digits = v.replace(/\D/g, '').slice(0, 6);
              if (digits !== v) el.value = digits;
              this.code = digits;
            },
          }),
        ],
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const form = this.form.body();
    delete form.member_id;
    const phone = this.phone.trim();
    if (!this.noPhone && !phone) {
      this.fail(localProblem([{ field: 'phone', key: 'onbehalf_phone_or_none' }]));
      return;
    }
    if (!this.noPhone && form.identity) form.identity.phone = phone;
    const withCode = this.codeSentTo !== null && !this.noPhone;
    if (withCode && !/^\d{6}$/.test(this.code)) {
      this.fail(localProblem([{ field: 'code', key: 'code_invalid_format' }]));
      return;
    }
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      const answer = await api.declareOnBehalf(
        this.noPhone ? { form, no_phone: true } : withCode ? { form, phone, code: this.code } : { form, phone },
      );
      this.busy = false;
      if ('confirmation' in answer) {
        this.codeSentTo = phone;
        this.code = '';
        this.app.rerender();
        announce(t('onbehalf_code_sent', { phone }));
        document.getElementById('cp-code')?.focus();
        return;
      }
      this.result = answer;
      this.resultFor = this.form.fullName.trim();
      this.app.rerender();
      document.getElementById('onbehalf-result-heading')?.focus();
      announce(`${t('result_title')}: ${colourName(answer.colour)}`);
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('onbehalf-form'));
  }

  private renderResult(r: Recorded): HTMLElement {
    return resultCard(r, {
      headingId: 'onbehalf-result-heading',
      title: t('onbehalf_result_title'),
      person: this.resultFor,
      testid: 'onbehalf-result',
      actions: [
        h('button', { type: 'button', class: 'button primary', 'data-testid': 'print-result', onclick: () => window.print() }, icon('print'), t('print')),
        h(
          'button',
          {
            type: 'button',
            class: 'button ghost',
            'data-testid': 'onbehalf-next',
            onclick: () => {
              this.result = null;
              this.form.clearPerson();
              this.phone = '';
              this.noPhone = false;
              this.code = '';
              this.codeSentTo = null;
              this.problem = null;
              this.app.rerender();
              document.getElementById('onbehalf-heading')?.focus();
            },
          },
          t('onbehalf_next'),
        ),
      ],
    });
  }
}
