// The "register a case" form of the cases page: the person (name, phone, ID number, birth year,
// place of residence with the unit picker), the dates that decide the transmission period
// (optional onset, sample, confirmation) and the source of infection. The server checks the
// dates' order and names each wrong field (`person.full_name`, `confirmed_date`…), shown next to
// its input.

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { CASE_SOURCES, tracingApi, vietnamToday, type CaseCreated, type CaseSource } from '../api-tracing';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App } from '../main';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, focusFirstError, notice, problemBanner, selectField, textAreaField, textField } from '../ui';

const FIELDS = [
  'person.full_name',
  'person.phone',
  'person.id_number',
  'person.birth_year',
  'person.unit_code',
  'onset_date',
  'sample_date',
  'confirmed_date',
  'source',
  'note',
];

const SOURCE_LABELS: Record<CaseSource, MessageKey> = {
  imported: 'source_imported',
  community: 'source_community',
  known_contact: 'source_known_contact',
};

/** "Cộng đồng" / "Community"…; an unknown code as sent. */
export function caseSourceLabel(source: string): string {
  const key = SOURCE_LABELS[source as CaseSource];
  return key ? t(key) : source;
}

export class CaseForm {
  private fullName = '';
  private phone = '';
  private idNumber = '';
  private birthYear = '';
  private readonly unit: UnitPicker;
  private onset = '';
  private sample = vietnamToday(-1);
  private confirmed = vietnamToday();
  private source: CaseSource = 'community';
  private note = '';
  private busy = false;
  private problem: Problem | null = null;
  /** A function, so that the notice follows a change of language. */
  private done: (() => string) | null = null;

  constructor(
    private readonly app: App,
    me: StaffMe,
    private readonly created: (c: CaseCreated) => void,
  ) {
    this.unit = new UnitPicker({
      id: 'case-unit',
      name: 'person.unit_code',
      label: () => t('case_unit'),
      selected: me.unit,
      emptyText: () => t('case_unit_none'),
      testid: 'case-unit',
    });
  }

  render(): HTMLElement {
    const p = this.problem;
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'case-form-heading' },
      h('h2', { id: 'case-form-heading' }, t('case_form_title')),
      h(
        'form',
        { id: 'case-form', class: 'form', novalidate: true, 'data-testid': 'case-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(p, FIELDS, 'case-problem'),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', null, t('case_person')),
          textField({
            id: 'case-full-name',
            name: 'person.full_name',
            label: t('case_full_name'),
            required: true,
            autocomplete: 'off',
            autocapitalize: 'words',
            maxlength: 100,
            value: this.fullName,
            testid: 'case-full-name',
            problem: p,
            oninput: (v) => (this.fullName = v),
          }),
          h(
            'div',
            { class: 'form-row' },
            textField({
              id: 'case-phone',
              name: 'person.phone',
              type: 'tel',
              inputmode: 'tel',
              autocomplete: 'off',
              label: t('case_phone'),
              hint: t('case_phone_hint'),
              maxlength: 20,
              value: this.phone,
              testid: 'case-phone',
              problem: p,
              oninput: (v) => (this.phone = v),
            }),
            textField({
              id: 'case-id-number',
              name: 'person.id_number',
              inputmode: 'numeric',
              autocomplete: 'off',
              label: t('case_id_number'),
              maxlength: 12,
              value: this.idNumber,
              testid: 'case-id-number',
              problem: p,
              oninput: (v) => (this.idNumber = v),
            }),
            textField({
              id: 'case-birth-year',
              name: 'person.birth_year',
              inputmode: 'numeric',
              autocomplete: 'off',
              label: t('case_birth_year'),
              maxlength: 4,
              value: this.birthYear,
              testid: 'case-birth-year',
              problem: p,
              oninput: (v) => (this.birthYear = v),
            }),
          ),
          this.unit.render(p),
        ),
        h(
          'div',
          { class: 'form-row' },
          textField({
            id: 'case-onset',
            name: 'onset_date',
            type: 'date',
            label: t('case_onset'),
            hint: t('case_onset_hint'),
            max: vietnamToday(),
            value: this.onset,
            testid: 'case-onset',
            problem: p,
            oninput: (v) => (this.onset = v),
          }),
          textField({
            id: 'case-sample',
            name: 'sample_date',
            type: 'date',
            label: t('case_sample'),
            required: true,
            max: vietnamToday(),
            value: this.sample,
            testid: 'case-sample',
            problem: p,
            oninput: (v) => (this.sample = v),
          }),
          textField({
            id: 'case-confirmed',
            name: 'confirmed_date',
            type: 'date',
            label: t('case_confirmed'),
            required: true,
            max: vietnamToday(),
            value: this.confirmed,
            testid: 'case-confirmed',
            problem: p,
            oninput: (v) => (this.confirmed = v),
          }),
        ),
        selectField({
          id: 'case-source',
          name: 'source',
          label: t('case_source'),
          value: this.source,
          options: CASE_SOURCES.map((s) => ({ value: s, label: caseSourceLabel(s) })),
          testid: 'case-source',
          problem: p,
          onchange: (v) => (this.source = CASE_SOURCES.find((s) => s === v) ?? 'community'),
        }),
        textAreaField({
          id: 'case-note',
          name: 'note',
          label: t('case_note'),
          value: this.note,
          rows: 2,
          maxlength: 1000,
          testid: 'case-note',
          problem: p,
          oninput: (v) => (this.note = v),
        }),
        this.done && notice(this.done(), 'case-created'),
        h(
          'button',
          { type: 'submit', class: 'button primary', 'data-testid': 'case-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
          this.busy ? t('sending') : t('case_submit'),
        ),
      ),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const unit = this.unit.selected;
    const missing: { field: string; key: MessageKey }[] = [];
    if (!this.fullName.trim()) missing.push({ field: 'person.full_name', key: 'error_field_required' });
    if (!unit) missing.push({ field: 'person.unit_code', key: 'error_field_required' });
    if (!this.sample) missing.push({ field: 'sample_date', key: 'error_field_required' });
    if (!this.confirmed) missing.push({ field: 'confirmed_date', key: 'error_field_required' });
    const year = this.birthYear.trim();
    if (year && !/^\d{4}$/.test(year)) missing.push({ field: 'person.birth_year', key: 'birth_year_invalid' });
    if (missing.length || !unit) {
      this.fail(localProblem(missing));
      return;
    }
    const opt = (v: string) => v.trim() || undefined;
    this.busy = true;
    this.problem = null;
    this.done = null;
    this.app.rerender();
    try {
      const c = await tracingApi.createCase({
        person: {
          full_name: this.fullName.trim(),
          phone: opt(this.phone),
          id_number: opt(this.idNumber),
          birth_year: year ? Number(year) : undefined,
          unit_code: unit.code,
        },
        onset_date: opt(this.onset),
        sample_date: this.sample,
        confirmed_date: this.confirmed,
        source: this.source,
        note: opt(this.note),
      });
      this.busy = false;
      this.done = () => t('case_created', { name: c.full_name, venue: c.venue_contacts, proximity: c.proximity_contacts });
      this.fullName = '';
      this.phone = '';
      this.idNumber = '';
      this.birthYear = '';
      this.onset = '';
      this.note = '';
      announce(this.done());
      this.created(c);
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.done = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('case-form'));
  }
}
