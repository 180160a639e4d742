// Sign-in page: citizens by phone + SMS code, staff by username + password; the public epidemic
// map is one click away for everyone.

import { api, localProblem, toProblem, type Problem } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { announce, announceProblem, appHeader, focusFirstError, problemBanner, textField } from '../ui';

type Tab = 'citizen' | 'staff';
type Busy = null | 'send' | 'verify' | 'login';

export class SignInPage implements Page {
  private tab: Tab = 'citizen';
  private phone = '';
  private code = '';
  private sentTo: string | null = null;
  private expiresIn = 300;
  private resendAt = 0;
  private username = '';
  private password = '';
  private busy: Busy = null;
  private problem: Problem | null;
  private timer: number | undefined;
  /** Why signing in is asked for now (e.g. a venue's QR code was scanned). */
  private readonly reason: 'checkin' | null;

  constructor(
    private readonly app: App,
    opts: { problem?: Problem; reason?: 'checkin' } = {},
  ) {
    this.problem = opts.problem ?? null;
    this.reason = opts.reason ?? null;
  }

  title(): string {
    return t('signin_title');
  }

  mounted(): void {
    if (this.problem) announceProblem(this.problem);
  }

  dispose(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
  }

  render(): Node[] {
    return [
      appHeader(),
      h(
        'main',
        { id: 'main', class: 'page narrow signin', tabindex: -1, 'data-testid': 'signin-page' },
        h(
          'section',
          { class: 'card signin-card', 'aria-labelledby': 'signin-title' },
          h('h1', { id: 'signin-title', tabindex: -1 }, t('signin_title')),
          h('p', { class: 'lead' }, this.tab === 'citizen' ? t('signin_intro') : t('staff_intro')),
          this.reason === 'checkin' && h('p', { class: 'notice info', 'data-testid': 'signin-checkin-notice' }, t('signin_for_checkin')),
          this.renderTabs(),
          h(
            'div',
            { id: `panel-${this.tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${this.tab}`, class: 'tabpanel' },
            this.tab === 'citizen' ? this.renderCitizen() : this.renderStaff(),
          ),
        ),
        h(
          'p',
          { class: 'signin-map' },
          h('button', { type: 'button', class: 'link-button', 'data-testid': 'signin-map', onclick: () => this.app.navigate('map') }, t('signin_view_map')),
        ),
      ),
    ];
  }

  // -------------------------------------------------------------------------
  // Tabs (WAI-ARIA tabs pattern with automatic activation)

  private renderTabs(): HTMLElement {
    const tabs: Tab[] = ['citizen', 'staff'];
    return h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': t('signin_tabs_label') },
      tabs.map((tab) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${tab}`,
            class: 'tab',
            'data-testid': `tab-${tab}`,
            'aria-selected': String(this.tab === tab),
            'aria-controls': `panel-${tab}`,
            tabindex: this.tab === tab ? 0 : -1,
            onclick: () => this.selectTab(tab),
            onkeydown: (e: KeyboardEvent) => {
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
                e.preventDefault();
                const i = tabs.indexOf(tab);
                const next =
                  e.key === 'Home' ? tabs[0] : e.key === 'End' ? tabs[tabs.length - 1] : tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
                this.selectTab(next);
              }
            },
          },
          tab === 'citizen' ? t('tab_citizen') : t('tab_staff'),
        ),
      ),
    );
  }

  private selectTab(tab: Tab): void {
    if (this.tab === tab) return;
    this.tab = tab;
    this.problem = null;
    this.app.rerender();
    document.getElementById(`tab-${tab}`)?.focus();
  }

  // -------------------------------------------------------------------------
  // Citizen: phone → code

  private renderCitizen(): Node {
    if (this.sentTo === null) {
      return h(
        'form',
        { class: 'form', id: 'otp-request-form', novalidate: true, onsubmit: (e: SubmitEvent) => this.onSendCode(e) },
        problemBanner(this.problem, ['phone'], 'signin-problem'),
        textField({
          id: 'phone',
          name: 'phone',
          label: t('phone_label'),
          type: 'tel',
          autocomplete: 'tel',
          inputmode: 'tel',
          required: true,
          hint: t('phone_hint'),
          value: this.phone,
          testid: 'phone-input',
          problem: this.problem,
          oninput: (v) => (this.phone = v),
        }),
        h(
          'button',
          { type: 'submit', id: 'send-code', class: 'button primary block', 'data-testid': 'send-code', disabled: this.busy !== null, 'aria-busy': this.busy === 'send' ? 'true' : undefined },
          this.busy === 'send' ? t('sending_code') : t('send_code'),
        ),
      );
    }
    const minutes = Math.max(1, Math.round(this.expiresIn / 60));
    const wait = this.secondsUntilResend();
    return h(
      'form',
      { class: 'form', id: 'otp-verify-form', novalidate: true, onsubmit: (e: SubmitEvent) => this.onVerify(e) },
      problemBanner(this.problem, ['code'], 'signin-problem'),
      h('p', { class: 'notice info', 'data-testid': 'code-sent' }, t('code_sent', { phone: this.sentTo })),
      textField({
        id: 'code',
        name: 'code',
        label: t('code_label'),
        type: 'text',
        autocomplete: 'one-time-code',
        inputmode: 'numeric',
        pattern: '[0-9]{6}',
        maxlength: 6,
        required: true,
        hint: t('code_hint', { phone: this.sentTo, minutes }),
        value: this.code,
        testid: 'code-input',
        problem: this.problem,
        class: 'code-field',
        oninput: (v, el) => {
          const digits = v.replace(/\D/g, '').slice(0, 6);
          if (digits !== v) el.value = digits;
          this.code = digits;
        },
      }),
      h(
        'button',
        { type: 'submit', id: 'verify-code', class: 'button primary block', 'data-testid': 'verify-code', disabled: this.busy !== null, 'aria-busy': this.busy === 'verify' ? 'true' : undefined },
        this.busy === 'verify' ? t('verifying') : t('verify_code'),
      ),
      h(
        'div',
        { class: 'form-links' },
        h(
          'button',
          {
            type: 'button',
            id: 'resend-code',
            class: 'link-button',
            'data-testid': 'resend-code',
            disabled: wait > 0 || this.busy !== null,
            onclick: () => void this.sendCode(true),
          },
          wait > 0 ? t('resend_in', { seconds: wait }) : t('resend_code'),
        ),
        h(
          'button',
          {
            type: 'button',
            id: 'change-phone',
            class: 'link-button',
            'data-testid': 'change-phone',
            onclick: () => {
              this.sentTo = null;
              this.code = '';
              this.problem = null;
              this.app.rerender();
              document.getElementById('phone')?.focus();
            },
          },
          t('change_phone'),
        ),
      ),
    );
  }

  private secondsUntilResend(): number {
    return Math.max(0, Math.ceil((this.resendAt - Date.now()) / 1000));
  }

  private startResendTimer(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = window.setInterval(() => {
      const wait = this.secondsUntilResend();
      const button = document.getElementById('resend-code') as HTMLButtonElement | null;
      if (button) {
        button.textContent = wait > 0 ? t('resend_in', { seconds: wait }) : t('resend_code');
        button.disabled = wait > 0 || this.busy !== null;
      }
      if (wait <= 0 && this.timer !== undefined) {
        window.clearInterval(this.timer);
        this.timer = undefined;
      }
    }, 1000);
  }

  private onSendCode(e: SubmitEvent): void {
    e.preventDefault();
    void this.sendCode(false);
  }

  private async sendCode(resend: boolean): Promise<void> {
    if (this.busy) return;
    const phone = this.phone.trim();
    if (!phone) {
      this.fail(localProblem([{ field: 'phone', key: 'error_field_required' }]));
      return;
    }
    this.busy = 'send';
    this.problem = null;
    this.app.rerender();
    try {
      const sent = await api.requestOtp(phone);
      this.busy = null;
      this.sentTo = phone;
      this.expiresIn = sent?.expires_in ?? 300;
      this.resendAt = Date.now() + (sent?.resend_after ?? 60) * 1000;
      if (!resend) this.code = '';
      this.app.rerender();
      this.startResendTimer();
      announce(t('code_sent', { phone }));
      document.getElementById('code')?.focus();
    } catch (err) {
      this.busy = null;
      this.fail(toProblem(err));
    }
  }

  private async onVerify(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy || this.sentTo === null) return;
    if (!/^\d{6}$/.test(this.code)) {
      this.fail(localProblem([{ field: 'code', key: 'code_invalid_format' }]));
      return;
    }
    this.busy = 'verify';
    this.problem = null;
    this.app.rerender();
    try {
      const session = await api.verifyOtp(this.sentTo, this.code);
      this.busy = null;
      await this.app.signedIn(session.token);
    } catch (err) {
      this.busy = null;
      this.fail(toProblem(err));
    }
  }

  // -------------------------------------------------------------------------
  // Staff: username + password

  private renderStaff(): Node {
    return h(
      'form',
      { class: 'form', id: 'staff-login-form', novalidate: true, onsubmit: (e: SubmitEvent) => this.onLogin(e) },
      problemBanner(this.problem, ['username', 'password'], 'signin-problem'),
      textField({
        id: 'username',
        name: 'username',
        label: t('username_label'),
        autocomplete: 'username',
        autocapitalize: 'none',
        spellcheck: false,
        required: true,
        value: this.username,
        testid: 'username-input',
        problem: this.problem,
        oninput: (v) => (this.username = v),
      }),
      textField({
        id: 'password',
        name: 'password',
        label: t('password_label'),
        type: 'password',
        autocomplete: 'current-password',
        required: true,
        value: this.password,
        testid: 'password-input',
        problem: this.problem,
        oninput: (v) => (this.password = v),
      }),
      h(
        'button',
        { type: 'submit', id: 'login-button', class: 'button primary block', 'data-testid': 'login-button', disabled: this.busy !== null, 'aria-busy': this.busy === 'login' ? 'true' : undefined },
        this.busy === 'login' ? t('logging_in') : t('login_button'),
      ),
    );
  }

  private async onLogin(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const missing: { field: string; key: 'error_field_required' }[] = [];
    if (!this.username.trim()) missing.push({ field: 'username', key: 'error_field_required' });
    if (!this.password) missing.push({ field: 'password', key: 'error_field_required' });
    if (missing.length) {
      this.fail(localProblem(missing));
      return;
    }
    this.busy = 'login';
    this.problem = null;
    this.app.rerender();
    try {
      const session = await api.login(this.username.trim(), this.password);
      this.busy = null;
      await this.app.signedIn(session.token);
    } catch (err) {
      this.busy = null;
      this.password = '';
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById(`panel-${this.tab}`));
  }
}
