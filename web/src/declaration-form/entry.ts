// The entry part of a declaration, for people entering Việt Nam: passport, conveyance, vehicle
// and seat, departure country, place and date, entry date, the border gate (grouped by kind:
// air, land, rail, sea), the countries visited in the last 14 days as removable chips, the
// quarantine place, vaccination and test result. Conveyance, departure country and place,
// border gate and quarantine place are remembered for the next declaration.

import type { DeclarationBody, Problem } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { byName, countryName, gateName } from '../reference';
import { fieldErrorText, fieldErrorsUnder, fieldLabel, fieldWiring, todayIso } from '../ui';
import { opt, type Fields, type Options } from './fields';
import type { Remembered } from './remembered';

const ENTRY_CONVEYANCES = ['air', 'sea', 'road', 'rail', 'other'];
const GATE_KINDS = ['air', 'land', 'rail', 'sea'] as const;

export const ENTRY_FIELDS = [
  'entry.passport',
  'entry.conveyance',
  'entry.vehicle_number',
  'entry.seat',
  'entry.departure_country',
  'entry.departure_place',
  'entry.departure_date',
  'entry.entry_date',
  'entry.border_gate',
  'entry.visited_countries',
  'entry.quarantine_facility',
  'entry.vaccination',
  'entry.test_result',
];

export class EntryPart {
  passport = '';
  conveyance = '';
  vehicle = '';
  seat = '';
  depCountry = '';
  depPlace = '';
  depDate = '';
  entryDate = todayIso();
  gate = '';
  visited: string[] = [];
  visitedPick = '';
  quarantine = '';
  vaccination = '';
  testResult = '';

  constructor(
    private readonly f: Fields,
    r: Remembered,
  ) {
    this.conveyance = r.entry_conveyance ?? '';
    this.depCountry = r.entry_departure_country ?? '';
    this.depPlace = r.entry_departure_place ?? '';
    this.gate = r.entry_border_gate ?? '';
    this.quarantine = r.entry_quarantine_facility ?? '';
  }

  remember(r: Remembered): void {
    r.entry_conveyance = this.conveyance || undefined;
    r.entry_departure_country = this.depCountry || undefined;
    r.entry_departure_place = this.depPlace.trim() || undefined;
    r.entry_border_gate = this.gate || undefined;
    r.entry_quarantine_facility = this.quarantine.trim() || undefined;
  }

  body(): NonNullable<DeclarationBody['entry']> {
    return {
      passport: this.passport.trim(),
      conveyance: this.conveyance,
      vehicle_number: this.vehicle.trim(),
      seat: opt(this.seat),
      departure_country: this.depCountry,
      departure_place: this.depPlace.trim(),
      departure_date: this.depDate,
      entry_date: this.entryDate,
      border_gate: this.gate,
      visited_countries: [...this.visited],
      quarantine_facility: opt(this.quarantine),
      vaccination: this.vaccination,
      test_result: this.testResult,
    };
  }

  render(problem: Problem | null): HTMLElement {
    const f = this.f;
    const c = f.choices!;
    const countries = f.countryOptions();
    return f.section(
      'entry',
      t('decl_section_entry'),
      f.text('entry.passport', t('decl_passport'), this.passport, (v) => (this.passport = v), { required: true, autocomplete: 'off', spellcheck: false, maxlength: 20 }, problem),
      h(
        'div',
        { class: 'form-row' },
        f.select('entry.conveyance', t('decl_conveyance'), this.conveyance, f.choiceOptions(c.conveyances, ENTRY_CONVEYANCES), (v) => (this.conveyance = v), problem, { required: true }),
        f.text('entry.vehicle_number', t('decl_vehicle_number'), this.vehicle, (v) => (this.vehicle = v), { required: true, hint: t('decl_vehicle_hint'), autocomplete: 'off', maxlength: 20 }, problem),
      ),
      f.text('entry.seat', t('decl_seat'), this.seat, (v) => (this.seat = v), { autocomplete: 'off', maxlength: 10 }, problem),
      h(
        'div',
        { class: 'form-row' },
        f.select('entry.departure_country', t('decl_departure_country'), this.depCountry, countries, (v) => (this.depCountry = v), problem, { required: true }),
        f.text('entry.departure_place', t('decl_departure_place'), this.depPlace, (v) => (this.depPlace = v), { required: true, autocomplete: 'off' }, problem),
      ),
      h(
        'div',
        { class: 'form-row' },
        f.text('entry.departure_date', t('decl_departure_date'), this.depDate, (v) => (this.depDate = v), { type: 'date', required: true }, problem),
        f.text('entry.entry_date', t('decl_entry_date'), this.entryDate, (v) => (this.entryDate = v), { type: 'date', required: true }, problem),
      ),
      this.renderGate(problem),
      this.renderVisited(problem, countries),
      f.text('entry.quarantine_facility', t('decl_quarantine_facility'), this.quarantine, (v) => (this.quarantine = v), { autocomplete: 'off' }, problem),
      h(
        'div',
        { class: 'form-row' },
        f.select('entry.vaccination', t('decl_vaccination'), this.vaccination, f.choiceOptions(c.vaccination), (v) => (this.vaccination = v), problem, { required: true }),
        f.select('entry.test_result', t('decl_test_result'), this.testResult, f.choiceOptions(c.test_results), (v) => (this.testResult = v), problem, { required: true }),
      ),
    );
  }

  /** The border gate select, its options grouped by the kind of gate. */
  private renderGate(problem: Problem | null): HTMLElement {
    const errors = fieldErrorsUnder(problem, 'entry.border_gate');
    const id = this.f.id('entry.border_gate');
    const { errorId } = fieldWiring(id, errors);
    return h(
      'div',
      { class: ['field', errors.length > 0 && 'has-error'] },
      fieldLabel(id, t('decl_border_gate'), true),
      errors.length > 0 && fieldErrorText(errorId!, errors, 'entry.border_gate'),
      h(
        'select',
        {
          id,
          name: 'entry.border_gate',
          class: 'input',
          required: true,
          'aria-invalid': errors.length ? 'true' : undefined,
          'aria-describedby': errorId,
          'data-testid': id,
          onchange: (e: Event) => (this.gate = (e.target as HTMLSelectElement).value),
        },
        h('option', { value: '', disabled: true, selected: this.gate === '' }, t('choose')),
        GATE_KINDS.map((kind) => {
          const gates = byName(
            this.f.gates.filter((g) => g.kind === kind),
            gateName,
          );
          return gates.length > 0 && h('optgroup', { label: t(`gate_kind_${kind}`) }, gates.map((g) => h('option', { value: g.code, selected: g.code === this.gate }, gateName(g))));
        }),
      ),
    );
  }

  /** The countries visited: chips with a remove button, and a select with an Add button. */
  private renderVisited(problem: Problem | null, countries: Options): HTMLElement {
    const errors = fieldErrorsUnder(problem, 'entry.visited_countries');
    const id = this.f.id('entry.visited_countries');
    const { errorId } = fieldWiring(id, errors);
    const byCode = new Map(this.f.countries.map((x) => [x.code, x]));
    return h(
      'fieldset',
      { class: ['fieldset', errors.length > 0 && 'has-error'], 'aria-describedby': [errorId, `${id}-hint`].filter(Boolean).join(' ') },
      h('legend', { class: 'label' }, t('decl_visited_countries')),
      h('p', { id: `${id}-hint`, class: 'hint' }, t('decl_visited_hint')),
      errors.length > 0 && fieldErrorText(errorId!, errors, 'entry.visited_countries'),
      this.visited.length > 0 &&
        h(
          'ul',
          { class: 'chips', 'data-testid': `${id}-list` },
          this.visited.map((code, i) => {
            const bad = errors.some((e) => e.field === `entry.visited_countries[${i}]`);
            const country = byCode.get(code);
            const name = country ? countryName(country) : code;
            return h(
              'li',
              { class: ['chip', bad && 'chip-error'] },
              h('span', null, name),
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-remove',
                  id: `${id}-remove-${i}`,
                  'aria-label': t('decl_remove_country', { name }),
                  onclick: () => {
                    this.visited.splice(i, 1);
                    this.f.ctx.rerender();
                    document.getElementById(`${id}-pick`)?.focus();
                  },
                },
                '×',
              ),
            );
          }),
        ),
      h(
        'div',
        { class: 'input-row' },
        h('label', { for: `${id}-pick`, class: 'sr-only' }, t('decl_visited_add_label')),
        h(
          'select',
          {
            id: `${id}-pick`,
            class: 'input',
            'aria-invalid': errors.length ? 'true' : undefined,
            'data-testid': `${id}-pick`,
            onchange: (e: Event) => (this.visitedPick = (e.target as HTMLSelectElement).value),
          },
          h('option', { value: '', selected: this.visitedPick === '' }, t('choose')),
          countries.map((x) => h('option', { value: x.value, selected: x.value === this.visitedPick }, x.label)),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary',
            id: `${id}-add`,
            'data-testid': `${id}-add`,
            onclick: () => {
              if (this.visitedPick && !this.visited.includes(this.visitedPick)) this.visited.push(this.visitedPick);
              this.visitedPick = '';
              this.f.ctx.rerender();
            },
          },
          t('add_member'),
        ),
      ),
    );
  }
}
