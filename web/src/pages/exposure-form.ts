// Officials: marking an exposure window at a venue — when a confirmed case was there, in
// Vietnam's time — with its risk level and the case reference. The server alerts every
// visitor whose stay overlapped and republishes the risky-venue feed; the form says how many
// people were alerted.

import { localProblem, toProblem, type Problem } from '../api';
import { venueApi, type Exposure, type RiskLevel, type Venue } from '../api-venues';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, focusFirstError, problemBanner, selectField, textField } from '../ui';
import { vietnamInputValue, vietnamRfc3339, windowText } from '../venue-view';

const FIELDS = ['starts_at', 'ends_at', 'level', 'case_ref'];

export class ExposureForm {
  private starts: string;
  private ends: string;
  private level: RiskLevel = 'high';
  private caseRef = '';
  private busy = false;
  private problem: Problem | null = null;
  private created: Exposure | null = null;

  constructor(
    private readonly app: App,
    private readonly venue: Venue,
    private readonly onCreated: (e: Exposure) => void,
  ) {
    const now = Date.now();
    this.starts = vietnamInputValue(now - 3600_000);
    this.ends = vietnamInputValue(now, 'ceil');
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'exposure-form', 'aria-labelledby': 'exposure-form-heading' },
      h('h4', { id: 'exposure-form-heading' }, t('exposure_form_title')),
      h('p', { class: 'muted small' }, t('exposure_form_intro')),
      h(
        'form',
        { id: 'exposure-form', class: 'form', novalidate: true, 'data-testid': 'exposure-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(this.problem, FIELDS, 'exposure-problem'),
        h(
          'div',
          { class: 'form-row' },
          textField({ id: 'exposure-starts', name: 'starts_at', label: t('exposure_starts'), type: 'datetime-local', required: true, value: this.starts, hint: t('exposure_time_hint'), testid: 'exposure-starts', problem: this.problem, oninput: (v) => (this.starts = v) }),
          textField({ id: 'exposure-ends', name: 'ends_at', label: t('exposure_ends'), type: 'datetime-local', required: true, value: this.ends, hint: t('exposure_time_hint'), testid: 'exposure-ends', problem: this.problem, oninput: (v) => (this.ends = v) }),
        ),
        h(
          'div',
          { class: 'form-row' },
          selectField({
            id: 'exposure-level',
            name: 'level',
            label: t('exposure_level'),
            value: this.level,
            options: [
              { value: 'high', label: t('level_high_long') },
              { value: 'low', label: t('level_low_long') },
            ],
            testid: 'exposure-level',
            problem: this.problem,
            onchange: (v) => (this.level = v === 'low' ? 'low' : 'high'),
          }),
          textField({ id: 'exposure-case', name: 'case_ref', label: t('exposure_case_ref'), maxlength: 64, autocomplete: 'off', value: this.caseRef, testid: 'exposure-case', problem: this.problem, oninput: (v) => (this.caseRef = v) }),
        ),
        h(
          'button',
          { type: 'submit', class: 'button primary', 'data-testid': 'exposure-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
          this.busy ? t('sending') : t('exposure_submit'),
        ),
      ),
      h(
        'div',
        { 'aria-live': 'polite' },
        this.created &&
          h(
            'p',
            { class: 'notice success', 'data-testid': 'exposure-alerted', 'data-count': this.created.alerted },
            h('strong', null, t('exposure_alerted', { count: this.created.alerted })),
            ' ',
            windowText(this.created.starts_at, this.created.ends_at, true),
          ),
      ),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const missing: Parameters<typeof localProblem>[0] = [];
    if (!this.starts.trim()) missing.push({ field: 'starts_at', key: 'error_field_required' });
    if (!this.ends.trim()) missing.push({ field: 'ends_at', key: 'error_field_required' });
    if (missing.length) {
      this.fail(localProblem(missing));
      return;
    }
    this.busy = true;
    this.problem = null;
    this.created = null;
    this.app.rerender();
    try {
      const caseRef = this.caseRef.trim();
      this.created = await venueApi.markExposure(this.venue.id, {
        starts_at: vietnamRfc3339(this.starts),
        ends_at: vietnamRfc3339(this.ends),
        level: this.level,
        ...(caseRef ? { case_ref: caseRef } : {}),
      });
      this.busy = false;
      this.app.rerender();
      announce(t('exposure_alerted', { count: this.created.alerted }));
      this.onCreated(this.created);
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('exposure-form'));
  }
}
