// The "add an interview contact" form of the case page: whose contact it is (the case, or anyone
// of its chain — an F1 naming their own contacts makes F2s), who (a new person with name, phone
// and place of residence, or an existing one by registry id), the setting, when (Vietnam time),
// how long and whether both were masked. Field errors come back next to their inputs.

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { SETTINGS, tracingApi, type ContactAdded, type ContactBody, type Setting } from '../api-tracing';
import { h } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App } from '../main';
import { UnitPicker } from '../unit-picker';
import { announce, announceProblem, checkboxField, focusFirstError, notice, problemBanner, selectField, textAreaField, textField } from '../ui';
import { vietnamInputValue, vietnamRfc3339 } from '../venue-view';

const FIELDS = ['from_person_id', 'person_id', 'person.full_name', 'person.phone', 'person.unit_code', 'setting', 'at', 'minutes', 'masked', 'note'];

/** Someone a contact can be "of": the case or a member of its chain. */
export interface ContactSourcePerson {
  person_id: number;
  label: string;
}

export function settingLabel(setting: string): string {
  const key = `setting_${setting}` as MessageKey;
  return (SETTINGS as readonly string[]).includes(setting) ? t(key) : setting;
}

export class ContactForm {
  private from = '';
  private who: 'new' | 'existing' = 'new';
  private fullName = '';
  private phone = '';
  private personId = '';
  private readonly unit: UnitPicker;
  private setting: Setting = 'household';
  private at = vietnamInputValue(Date.now() - 3600_000);
  private minutes = '30';
  private masked = false;
  private note = '';
  private busy = false;
  private problem: Problem | null = null;
  /** A function, so that the notice follows a change of language. */
  private done: (() => string) | null = null;

  constructor(
    private readonly app: App,
    me: StaffMe,
    private readonly caseId: number,
    private readonly added: (c: ContactAdded) => void,
  ) {
    this.unit = new UnitPicker({
      id: 'contact-unit',
      name: 'person.unit_code',
      label: () => t('case_unit'),
      selected: me.unit,
      emptyText: () => t('case_unit_none'),
      testid: 'contact-unit',
    });
  }

  render(people: ContactSourcePerson[]): HTMLElement {
    const p = this.problem;
    if (!people.some((x) => String(x.person_id) === this.from)) this.from = people[0] ? String(people[0].person_id) : '';
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'contact-form-heading' },
      h('h2', { id: 'contact-form-heading' }, t('contact_form_title')),
      h(
        'form',
        { id: 'contact-form', class: 'form', novalidate: true, 'data-testid': 'contact-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(p, FIELDS, 'contact-problem'),
        selectField({
          id: 'contact-from',
          name: 'from_person_id',
          label: t('contact_from'),
          value: this.from,
          options: people.map((x) => ({ value: String(x.person_id), label: x.label })),
          testid: 'contact-from',
          problem: p,
          onchange: (v) => (this.from = v),
        }),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', null, t('contact_who')),
          h(
            'div',
            { class: 'radio-row', role: 'radiogroup' },
            (['new', 'existing'] as const).map((who) =>
              h(
                'label',
                { class: 'check-label' },
                h('input', {
                  type: 'radio',
                  name: 'contact-who',
                  value: who,
                  checked: this.who === who,
                  'data-testid': `contact-who-${who}`,
                  onchange: () => {
                    this.who = who;
                    this.app.rerender();
                  },
                }),
                h('span', null, who === 'new' ? t('contact_who_new') : t('contact_who_existing')),
              ),
            ),
          ),
          this.who === 'new'
            ? [
                h(
                  'div',
                  { class: 'form-row' },
                  textField({
                    id: 'contact-full-name',
                    name: 'person.full_name',
                    label: t('case_full_name'),
                    required: true,
                    autocomplete: 'off',
                    maxlength: 100,
                    value: this.fullName,
                    testid: 'contact-full-name',
                    problem: p,
                    oninput: (v) => (this.fullName = v),
                  }),
                  textField({
                    id: 'contact-phone',
                    name: 'person.phone',
                    type: 'tel',
                    inputmode: 'tel',
                    autocomplete: 'off',
                    label: t('case_phone'),
                    maxlength: 20,
                    value: this.phone,
                    testid: 'contact-phone',
                    problem: p,
                    oninput: (v) => (this.phone = v),
                  }),
                ),
                this.unit.render(p),
              ]
            : textField({
                id: 'contact-person-id',
                name: 'person_id',
                inputmode: 'numeric',
                autocomplete: 'off',
                label: t('contact_person_id'),
                hint: t('contact_person_id_hint'),
                required: true,
                value: this.personId,
                testid: 'contact-person-id',
                problem: p,
                oninput: (v) => (this.personId = v),
              }),
        ),
        h(
          'div',
          { class: 'form-row' },
          selectField({
            id: 'contact-setting',
            name: 'setting',
            label: t('contact_setting'),
            value: this.setting,
            options: SETTINGS.map((s) => ({ value: s, label: settingLabel(s) })),
            testid: 'contact-setting',
            problem: p,
            onchange: (v) => (this.setting = SETTINGS.find((s) => s === v) ?? 'other'),
          }),
          textField({
            id: 'contact-at',
            name: 'at',
            type: 'datetime-local',
            label: t('contact_at'),
            required: true,
            max: vietnamInputValue(Date.now()),
            value: this.at,
            testid: 'contact-at',
            problem: p,
            oninput: (v) => (this.at = v),
          }),
          textField({
            id: 'contact-minutes',
            name: 'minutes',
            type: 'number',
            inputmode: 'numeric',
            label: t('contact_minutes'),
            required: true,
            min: 1,
            max: 7 * 24 * 60,
            value: this.minutes,
            testid: 'contact-minutes',
            problem: p,
            oninput: (v) => (this.minutes = v),
          }),
        ),
        checkboxField({
          id: 'contact-masked',
          name: 'masked',
          label: t('contact_masked'),
          checked: this.masked,
          testid: 'contact-masked',
          problem: p,
          onchange: (v) => (this.masked = v),
        }),
        textAreaField({
          id: 'contact-note',
          name: 'note',
          label: t('contact_note'),
          value: this.note,
          rows: 2,
          maxlength: 1000,
          testid: 'contact-note',
          problem: p,
          oninput: (v) => (this.note = v),
        }),
        this.done && notice(this.done(), 'contact-added'),
        h(
          'button',
          { type: 'submit', class: 'button primary', 'data-testid': 'contact-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
          this.busy ? t('sending') : t('contact_submit'),
        ),
      ),
    );
  }

  private body(): ContactBody | Problem {
    const missing: { field: string; key: MessageKey }[] = [];
    const base = { setting: this.setting, at: vietnamRfc3339(this.at), minutes: Number(this.minutes), masked: this.masked, note: this.note.trim() || undefined };
    if (!this.at) missing.push({ field: 'at', key: 'error_field_required' });
    if (!this.minutes.trim()) missing.push({ field: 'minutes', key: 'error_field_required' });
    const from = this.from ? Number(this.from) : undefined;
    if (this.who === 'existing') {
      if (!/^\d+$/.test(this.personId.trim())) missing.push({ field: 'person_id', key: 'error_field_required' });
      return missing.length ? localProblem(missing) : { ...base, from_person_id: from, person_id: Number(this.personId.trim()) };
    }
    const unit = this.unit.selected;
    if (!this.fullName.trim()) missing.push({ field: 'person.full_name', key: 'error_field_required' });
    if (!unit) missing.push({ field: 'person.unit_code', key: 'error_field_required' });
    if (missing.length || !unit) return localProblem(missing);
    return { ...base, from_person_id: from, person: { full_name: this.fullName.trim(), phone: this.phone.trim() || undefined, unit_code: unit.code } };
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body = this.body();
    if ('status' in body) {
      this.fail(body);
      return;
    }
    this.busy = true;
    this.problem = null;
    this.done = null;
    this.app.rerender();
    try {
      const added = await tracingApi.addContact(this.caseId, body);
      this.busy = false;
      this.done = () => (added.close ? t('contact_added') : t('contact_added_loose'));
      this.fullName = '';
      this.phone = '';
      this.personId = '';
      this.note = '';
      announce(this.done());
      this.added(added);
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
    focusFirstError(document.getElementById('contact-form'));
  }
}
