// The daily update of a person under health monitoring: body temperature (a comma or a point
// as decimal separator), today's symptoms and a note. It has no identity, health or consent
// sections, and nothing of it is remembered.

import type { DeclarationBody, Problem } from '../api';
import { t } from '../i18n';
import { textAreaField } from '../ui';
import { opt, type Fields } from './fields';

export const DAILY_FIELDS = ['daily.temperature_c', 'daily.symptoms', 'daily.note'];

export class DailyPart {
  temperature = '';
  symptoms = new Set<string>();
  note = '';

  constructor(private readonly f: Fields) {}

  clear(): void {
    this.symptoms.clear();
    this.temperature = '';
    this.note = '';
  }

  /** A temperature that does not parse is sent as 0, so that the server reports it next to its input. */
  body(): NonNullable<DeclarationBody['daily']> {
    const temp = Number(this.temperature.trim().replace(',', '.'));
    return { temperature_c: this.temperature.trim() && Number.isFinite(temp) ? temp : 0, symptoms: [...this.symptoms], note: opt(this.note) };
  }

  render(problem: Problem | null): HTMLElement {
    const f = this.f;
    const c = f.choices!;
    return f.section(
      'daily',
      t('decl_section_daily'),
      f.text('daily.temperature_c', t('decl_temperature'), this.temperature, (v) => (this.temperature = v), { required: true, inputmode: 'decimal', hint: t('decl_temperature_hint'), autocomplete: 'off', maxlength: 5, class: 'short-field' }, problem),
      f.checks('daily.symptoms', t('decl_daily_symptoms'), c.symptoms, this.symptoms, problem, 'daily-symptom', t('decl_tick_hint')),
      textAreaField({
        id: f.id('daily.note'),
        name: 'daily.note',
        label: t('decl_note'),
        value: this.note,
        rows: 2,
        maxlength: 500,
        problem,
        testid: f.id('daily.note'),
        oninput: (v) => (this.note = v),
      }),
    );
  }
}
