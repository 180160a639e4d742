// The health questions of a declaration (every kind except the daily update): symptoms,
// exposures and conditions in the last 14 days as check-box groups from the server's choices,
// and whether the person travelled, with the places when they did. These answers are never
// remembered for the next declaration.

import type { DeclarationBody, Problem } from '../api';
import { t } from '../i18n';
import { checkboxField, textAreaField } from '../ui';
import { opt, type Fields } from './fields';

export const HEALTH_FIELDS = ['health.symptoms', 'health.exposures', 'health.conditions', 'health.travel_places'];

export class HealthPart {
  symptoms = new Set<string>();
  exposures = new Set<string>();
  conditions = new Set<string>();
  travelled = false;
  travelPlaces = '';

  constructor(private readonly f: Fields) {}

  clear(): void {
    this.symptoms.clear();
    this.exposures.clear();
    this.conditions.clear();
    this.travelled = false;
    this.travelPlaces = '';
  }

  body(): NonNullable<DeclarationBody['health']> {
    return {
      symptoms: [...this.symptoms],
      exposures: [...this.exposures],
      conditions: [...this.conditions],
      travelled: this.travelled,
      travel_places: this.travelled ? opt(this.travelPlaces) : undefined,
    };
  }

  render(problem: Problem | null): HTMLElement {
    const f = this.f;
    const c = f.choices!;
    return f.section(
      'health',
      t('decl_section_health'),
      f.checks('health.symptoms', t('decl_symptoms'), c.symptoms, this.symptoms, problem, 'symptom', t('decl_tick_hint')),
      f.checks('health.exposures', t('decl_exposures'), c.exposures, this.exposures, problem, 'exposure'),
      f.checks('health.conditions', t('decl_conditions'), c.conditions, this.conditions, problem, 'condition'),
      checkboxField({
        id: f.id('health.travelled'),
        name: 'health.travelled',
        label: t('decl_travelled'),
        checked: this.travelled,
        testid: f.id('health.travelled'),
        onchange: (on) => {
          this.travelled = on;
          f.ctx.rerender();
        },
      }),
      this.travelled &&
        textAreaField({
          id: f.id('health.travel_places'),
          name: 'health.travel_places',
          label: t('decl_travel_places'),
          value: this.travelPlaces,
          rows: 2,
          required: true,
          maxlength: 500,
          problem,
          testid: f.id('health.travel_places'),
          oninput: (v) => (this.travelPlaces = v),
        }),
    );
  }
}
