// Officials (health officials, admins): one-time codes for confirmed cases of Bluetooth exposure
// notification. The form takes the case's unit (the official's own by default), how the case was
// confirmed, the symptom onset and, optionally, the case's phone (the server sends the code there
// by SMS); the code is shown large, in two groups of four, with its expiry. Below it, publishing
// the key exports now (`key-exports.ts`).

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { exposureApi, REPORT_TYPES, type CaseCode, type ReportType } from '../api-exposure';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, appHeader, focusFirstError, formatDateTime, formatPhone, problemBanner, selectField, textField, timeEl } from '../ui';
import { vietnamInputValue } from '../venue-view';
import { KeyExportsSection } from './key-exports';

const FIELDS = ['unit_code', 'report_type', 'symptom_onset_date', 'phone'];
/** How far back the server accepts a symptom onset. */
const ONSET_DAYS = 28;

/** A code as issued, with what it was issued for. */
interface Issued {
  code: CaseCode;
  unitName: string;
  reportType: ReportType;
  phone: string;
}

const REPORT_TYPE_LABELS: Record<ReportType, MessageKey> = {
  confirmed_test: 'report_type_confirmed_test',
  confirmed_clinical_diagnosis: 'report_type_confirmed_clinical_diagnosis',
  self_report: 'report_type_self_report',
};

export function reportTypeLabel(type: ReportType): string {
  return t(REPORT_TYPE_LABELS[type]);
}

/** Today's date in Vietnam (the server's calendar for the onset), `offsetDays` away. */
function vietnamDay(offsetDays = 0): string {
  return vietnamInputValue(Date.now() + offsetDays * 86_400_000).slice(0, 10);
}

export class CaseCodesPage implements Page {
  private readonly unit: UnitPicker;
  private reportType: ReportType = 'confirmed_test';
  private onset = '';
  private phone = '';
  private busy = false;
  private problem: Problem | null = null;
  private issued: Issued | null = null;
  private copied = false;
  private readonly exports: KeyExportsSection;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.unit = new UnitPicker({
      id: 'case-code-unit',
      name: 'unit_code',
      label: () => t('case_code_unit'),
      selected: me.unit,
      emptyText: () => t('case_code_unit_none'),
      testid: 'case-code-unit',
    });
    this.exports = new KeyExportsSection(app);
  }

  title(): string {
    return t('case_codes_title');
  }

  mounted(): void {
    void this.exports.load();
  }

  dispose(): void {
    this.exports.dispose();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'case-codes'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'case-codes-page' },
        h('h1', { id: 'case-codes-heading', tabindex: -1, class: 'page-title' }, t('case_codes_title')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'case-code-form-heading' },
          h('h2', { id: 'case-code-form-heading' }, t('case_code_form_title')),
          h('p', { class: 'muted' }, t('case_codes_intro')),
          h('div', { class: 'split' }, this.renderForm(), this.renderResult()),
        ),
        this.exports.render(),
      ),
    ];
  }

  private renderForm(): HTMLElement {
    return h(
      'form',
      { id: 'case-code-form', class: 'form', novalidate: true, 'data-testid': 'case-code-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
      problemBanner(this.problem, FIELDS, 'case-code-problem'),
      this.unit.render(this.problem),
      selectField({
        id: 'case-code-report-type',
        name: 'report_type',
        label: t('case_code_report_type'),
        value: this.reportType,
        options: REPORT_TYPES.map((type) => ({ value: type, label: reportTypeLabel(type) })),
        testid: 'case-code-report-type',
        problem: this.problem,
        onchange: (v) => (this.reportType = REPORT_TYPES.find((type) => type === v) ?? 'confirmed_test'),
      }),
      h(
        'div',
        { class: 'form-row' },
        textField({
          id: 'case-code-onset',
          name: 'symptom_onset_date',
          type: 'date',
          label: t('case_code_onset'),
          hint: t('case_code_onset_hint'),
          value: this.onset,
          testid: 'case-code-onset',
          problem: this.problem,
          // Bounds of the date picker; the server checks them too.
          min: vietnamDay(-ONSET_DAYS),
          max: vietnamDay(),
          oninput: (v) => (this.onset = v),
        }),
        textField({
          id: 'case-code-phone',
          name: 'phone',
          type: 'tel',
          inputmode: 'tel',
          autocomplete: 'off',
          label: t('case_code_phone'),
          hint: t('case_code_phone_hint'),
          value: this.phone,
          maxlength: 20,
          testid: 'case-code-phone',
          problem: this.problem,
          oninput: (v) => (this.phone = v),
        }),
      ),
      h(
        'button',
        { type: 'submit', class: 'button primary', 'data-testid': 'case-code-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
        this.busy ? t('sending') : t('case_code_submit'),
      ),
    );
  }

  private renderResult(): HTMLElement {
    const issued = this.issued;
    return h(
      'aside',
      { class: 'detail open case-code-result', 'aria-labelledby': 'case-code-result-heading', 'aria-live': 'polite', 'data-testid': 'case-code-result' },
      h('h3', { id: 'case-code-result-heading', tabindex: -1 }, t('case_code_result_title')),
      !issued
        ? h('p', { class: 'muted detail-placeholder' }, t('case_code_placeholder'))
        : [
            codeDigits(issued.code.code),
            h(
              'div',
              { class: 'actions case-code-actions' },
              h(
                'button',
                { type: 'button', class: 'button ghost small', 'data-testid': 'case-code-copy', onclick: () => void this.copy(issued.code.code) },
                this.copied ? t('copied') : t('copy'),
              ),
            ),
            h(
              'p',
              { class: 'case-code-expiry', 'data-testid': 'case-code-expires', 'data-expires-at': issued.code.expires_at },
              withTime('case_code_expires', issued.code.expires_at),
              '. ',
              t('case_code_once'),
            ),
            h(
              'p',
              {
                class: ['notice', issued.code.sms_sent ? 'success' : 'info'],
                'data-testid': 'case-code-sms',
                'data-sms-sent': String(issued.code.sms_sent),
              },
              issued.code.sms_sent ? t('case_code_sms_sent', { phone: formatPhone(issued.phone) }) : t('case_code_sms_not_sent'),
            ),
            h(
              'dl',
              { class: 'facts stacked case-code-facts' },
              h('div', null, h('dt', null, t('case_code_unit')), h('dd', null, issued.unitName)),
              h('div', null, h('dt', null, t('case_code_report_type')), h('dd', null, reportTypeLabel(issued.reportType))),
            ),
          ],
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const unit = this.unit.selected;
    if (!unit) {
      this.fail(localProblem([{ field: 'unit_code', key: 'error_field_required' }]));
      return;
    }
    const onset = this.onset.trim();
    const phone = this.phone.trim();
    const reportType = this.reportType;
    this.busy = true;
    this.problem = null;
    this.issued = null;
    this.copied = false;
    this.app.rerender();
    try {
      const code = await exposureApi.issueCode({
        unit_code: unit.code,
        report_type: reportType,
        ...(onset ? { symptom_onset_date: onset } : {}),
        ...(phone ? { phone } : {}),
      });
      this.issued = { code, unitName: unit.path || unit.name, reportType, phone };
      // The next case starts with an empty phone and onset (same unit and confirmation).
      this.onset = '';
      this.phone = '';
      this.busy = false;
      this.app.rerender();
      announce(t('case_code_issued', { code: grouped(code.code), time: formatDateTime(code.expires_at) }));
      document.getElementById('case-code-result-heading')?.focus();
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('case-code-form'));
  }

  private async copy(code: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      // No clipboard permission: select the digits so that the user can copy them.
      const el = document.querySelector('[data-testid="case-code"]');
      if (el) window.getSelection()?.selectAllChildren(el);
      return;
    }
    this.copied = true;
    this.app.rerender();
    announce(t('copied'));
  }
}

/** The message `key` with its `{time}` written as a `<time>` element in local format. */
function withTime(key: MessageKey, iso: string): Child[] {
  const [before, after = ''] = t(key).split('{time}');
  return [before, timeEl(iso), after];
}

/** "12345678" → "1234 5678". */
function grouped(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)} ${code.slice(4)}` : code;
}

/**
 * The code in two groups of four, large and in a monospace font. Screen readers get the digits
 * one by one (a grouped number would be read as "one thousand two hundred…").
 */
function codeDigits(code: string): HTMLElement {
  const groups = code.length === 8 ? [code.slice(0, 4), code.slice(4)] : [code];
  return h(
    'p',
    { class: 'case-code', 'data-testid': 'case-code', 'data-code': code },
    h('span', { class: 'case-code-groups', 'aria-hidden': 'true' }, groups.map((g) => h('span', { class: 'case-code-group', 'data-testid': 'case-code-group' }, g))),
    h('span', { class: 'sr-only' }, t('case_code_digits', { digits: code.split('').join(' ') })),
  );
}
