// The health declaration form (four kinds), shared by the citizen's declare page and the
// checkpoint's "declare on behalf". It keeps the answers, renders the fields of the current
// kind with errors from the API next to them (by field path, e.g. `identity.address.unit_code`,
// `entry.visited_countries[1]`), builds the request body, and remembers the non-personal
// answers in localStorage for the next declaration, as the original tokhaiyte site did.

import type { BorderGate, Choice, Country, DeclarationBody, DeclarationChoices, DeclarationKind, Problem } from './api';
import { toProblem } from './api';
import { h, type Child } from './dom';
import { pick, t } from './i18n';
import { byName, choiceLabel, countryName, gateName, loadBorderGates, loadChoices, loadCountries } from './reference';
import { checkboxField, fieldErrorText, fieldErrorsUnder, selectField, textAreaField, textField, todayIso } from './ui';
import { UnitCascade } from './unit-cascade';

const REMEMBER_KEY = 'phongdich.declare.answers';

/** Answers kept for the next declaration: nothing that identifies the person or their health. */
interface Remembered {
  kind?: DeclarationKind;
  nationality?: string;
  address_unit?: string;
  address_street?: string;
  travel_conveyance?: string;
  travel_departure_station?: string;
  travel_from_unit?: string;
  travel_from_street?: string;
  travel_to_unit?: string;
  travel_to_street?: string;
  entry_conveyance?: string;
  entry_departure_country?: string;
  entry_departure_place?: string;
  entry_border_gate?: string;
  entry_quarantine_facility?: string;
}

function readRemembered(): Remembered {
  try {
    const raw = localStorage.getItem(REMEMBER_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Remembered) : {};
  } catch {
    return {};
  }
}

function writeRemembered(r: Remembered): void {
  try {
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(r));
  } catch {
    // Private mode: nothing is remembered.
  }
}

/** The kind of the last declaration made on this device (for the citizen page). */
export function rememberedKind(): DeclarationKind | undefined {
  return readRemembered().kind;
}

const TRAVEL_CONVEYANCES = ['air', 'rail', 'road', 'water'];
const ENTRY_CONVEYANCES = ['air', 'sea', 'road', 'rail', 'other'];
const GATE_KINDS = ['air', 'land', 'rail', 'sea'] as const;

export interface IdentityPrefill {
  full_name?: string;
  birth_year?: number | null;
  gender?: string;
  id_number?: string | null;
  phone?: string | null;
}

export interface DeclarationFormOptions {
  /** Prefix of element ids and test ids ("decl", "cp"). */
  prefix: string;
  /** At a checkpoint the person's phone is asked separately, and nothing is remembered. */
  mode: 'citizen' | 'checkpoint';
  /** Commune to start the address with when nothing is remembered (home unit, checkpoint unit). */
  defaultUnit?: string | null;
  rerender: () => void;
}

export class DeclarationForm {
  kind: DeclarationKind = 'domestic';

  choices: DeclarationChoices | null = null;
  countries: Country[] = [];
  gates: BorderGate[] = [];
  loadProblem: Problem | null = null;

  // identity
  fullName = '';
  birthYear = '';
  gender = '';
  nationality = 'VN';
  idNumber = '';
  phone = '';
  email = '';
  insurance = '';
  street = '';
  readonly address: UnitCascade;
  // health
  symptoms = new Set<string>();
  exposures = new Set<string>();
  conditions = new Set<string>();
  travelled = false;
  travelPlaces = '';
  // travel
  tConveyance = '';
  tVehicle = '';
  tStation = '';
  tDate = todayIso();
  readonly tFrom: UnitCascade;
  tFromStreet = '';
  readonly tTo: UnitCascade;
  tToStreet = '';
  // entry
  passport = '';
  eConveyance = '';
  eVehicle = '';
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
  // daily
  temperature = '';
  dailySymptoms = new Set<string>();
  note = '';

  consent = false;

  private remembered: Remembered;

  constructor(private readonly o: DeclarationFormOptions) {
    const cascade = (suffix: string, name: string, legend: () => string) =>
      new UnitCascade({ id: `${o.prefix}-${suffix}`, name, legend, testid: `${o.prefix}-${suffix}`, onChange: o.rerender });
    this.address = cascade('address', 'identity.address.unit_code', () => t('decl_address_unit'));
    this.tFrom = cascade('from', 'travel.from.unit_code', () => t('decl_travel_from_unit'));
    this.tTo = cascade('to', 'travel.to.unit_code', () => t('decl_travel_to_unit'));
    this.remembered = o.mode === 'citizen' ? readRemembered() : {};
    const r = this.remembered;
    this.nationality = r.nationality ?? 'VN';
    this.street = r.address_street ?? '';
    this.tConveyance = r.travel_conveyance ?? '';
    this.tStation = r.travel_departure_station ?? '';
    this.tFromStreet = r.travel_from_street ?? '';
    this.tToStreet = r.travel_to_street ?? '';
    this.eConveyance = r.entry_conveyance ?? '';
    this.depCountry = r.entry_departure_country ?? '';
    this.depPlace = r.entry_departure_place ?? '';
    this.gate = r.entry_border_gate ?? '';
    this.quarantine = r.entry_quarantine_facility ?? '';
  }

  /** Loads the reference lists and the remembered or default units. */
  async load(): Promise<void> {
    const r = this.remembered;
    void this.address.init(r.address_unit ?? this.o.defaultUnit ?? null);
    void this.tFrom.init(r.travel_from_unit ?? null);
    void this.tTo.init(r.travel_to_unit ?? null);
    try {
      const [choices, countries, gates] = await Promise.all([loadChoices(), loadCountries(), loadBorderGates()]);
      this.choices = choices;
      this.countries = countries;
      this.gates = gates;
      this.loadProblem = null;
    } catch (err) {
      this.loadProblem = toProblem(err);
    }
    this.o.rerender();
  }

  /** Fills the identity fields (from the profile, a family member or the last declaration). */
  prefill(p: IdentityPrefill): void {
    this.fullName = p.full_name ?? '';
    this.birthYear = p.birth_year ? String(p.birth_year) : '';
    this.gender = p.gender ?? '';
    this.idNumber = p.id_number ?? '';
    if (this.o.mode === 'citizen') this.phone = p.phone ?? '';
  }

  /** Clears what belongs to one person (checkpoint: before the next person). */
  clearPerson(): void {
    this.prefill({});
    this.email = '';
    this.insurance = '';
    this.street = '';
    this.symptoms.clear();
    this.exposures.clear();
    this.conditions.clear();
    this.travelled = false;
    this.travelPlaces = '';
    this.consent = false;
  }

  /** Clears the health answers (they are never carried over). */
  clearHealth(): void {
    this.symptoms.clear();
    this.exposures.clear();
    this.conditions.clear();
    this.travelled = false;
    this.travelPlaces = '';
    this.dailySymptoms.clear();
    this.temperature = '';
    this.note = '';
    this.consent = false;
  }

  /** Keeps the non-personal answers for the next declaration (citizen mode only). */
  remember(): void {
    if (this.o.mode !== 'citizen') return;
    const r: Remembered = { ...readRemembered(), kind: this.kind };
    if (this.kind !== 'daily_update') {
      r.nationality = this.nationality || undefined;
      r.address_unit = this.address.code ?? undefined;
      r.address_street = this.street.trim() || undefined;
    }
    if (this.kind === 'domestic_travel') {
      r.travel_conveyance = this.tConveyance || undefined;
      r.travel_departure_station = this.tStation.trim() || undefined;
      r.travel_from_unit = this.tFrom.code ?? undefined;
      r.travel_from_street = this.tFromStreet.trim() || undefined;
      r.travel_to_unit = this.tTo.code ?? undefined;
      r.travel_to_street = this.tToStreet.trim() || undefined;
    }
    if (this.kind === 'entry') {
      r.entry_conveyance = this.eConveyance || undefined;
      r.entry_departure_country = this.depCountry || undefined;
      r.entry_departure_place = this.depPlace.trim() || undefined;
      r.entry_border_gate = this.gate || undefined;
      r.entry_quarantine_facility = this.quarantine.trim() || undefined;
    }
    this.remembered = r;
    writeRemembered(r);
  }

  /** The request body for the current kind. Numbers that do not parse are sent as 0, so that
   * the server reports them next to their input like every other mistake. */
  body(): DeclarationBody {
    const opt = (v: string) => (v.trim() ? v.trim() : undefined);
    if (this.kind === 'daily_update') {
      const temp = Number(this.temperature.trim().replace(',', '.'));
      return {
        kind: 'daily_update',
        daily: { temperature_c: this.temperature.trim() && Number.isFinite(temp) ? temp : 0, symptoms: [...this.dailySymptoms], note: opt(this.note) },
      };
    }
    const year = Number(this.birthYear.trim());
    const body: DeclarationBody = {
      kind: this.kind,
      consent: this.consent,
      identity: {
        full_name: this.fullName.trim(),
        birth_year: Number.isInteger(year) ? year : 0,
        gender: this.gender,
        nationality: this.nationality,
        id_number: opt(this.idNumber),
        address: { unit_code: this.address.code ?? '', street: this.street.trim() },
        phone: this.o.mode === 'citizen' ? opt(this.phone) : undefined,
        email: opt(this.email),
        insurance_number: opt(this.insurance),
      },
      health: {
        symptoms: [...this.symptoms],
        exposures: [...this.exposures],
        conditions: [...this.conditions],
        travelled: this.travelled,
        travel_places: this.travelled ? opt(this.travelPlaces) : undefined,
      },
    };
    if (this.kind === 'domestic_travel') {
      body.travel = {
        conveyance: this.tConveyance,
        vehicle_number: this.tVehicle.trim(),
        from: { unit_code: this.tFrom.code ?? '', street: this.tFromStreet.trim() },
        to: { unit_code: this.tTo.code ?? '', street: this.tToStreet.trim() },
        departure_station: this.needsStation ? opt(this.tStation) : undefined,
        travel_date: this.tDate,
      };
    }
    if (this.kind === 'entry') {
      body.entry = {
        passport: this.passport.trim(),
        conveyance: this.eConveyance,
        vehicle_number: this.eVehicle.trim(),
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
    return body;
  }

  private get needsStation(): boolean {
    return this.tConveyance === 'air' || this.tConveyance === 'rail';
  }

  /** Field paths rendered by the current kind (the rest of the errors go to the banner). */
  fieldNames(): string[] {
    const names: string[] = [];
    const problemFields = ['consent'];
    if (this.kind === 'daily_update') {
      names.push('daily.temperature_c', 'daily.symptoms', 'daily.note');
    } else {
      names.push(
        'identity.full_name',
        'identity.birth_year',
        'identity.gender',
        'identity.nationality',
        'identity.id_number',
        'identity.address.unit_code',
        'identity.address.street',
        'identity.email',
        'identity.insurance_number',
        'health.symptoms',
        'health.exposures',
        'health.conditions',
        'health.travel_places',
        ...problemFields,
      );
      if (this.o.mode === 'citizen') names.push('identity.phone');
    }
    if (this.kind === 'domestic_travel') {
      names.push(
        'travel.conveyance',
        'travel.vehicle_number',
        'travel.departure_station',
        'travel.travel_date',
        'travel.from.unit_code',
        'travel.from.street',
        'travel.to.unit_code',
        'travel.to.street',
      );
    }
    if (this.kind === 'entry') {
      names.push(
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
      );
    }
    return names;
  }

  /** True if `field` (an API error path) is shown next to an input of the current kind. */
  shows(field: string): boolean {
    const names = this.fieldNames();
    if (names.includes(field)) return true;
    // Items of lists: `health.symptoms[2]`, `entry.visited_countries[1]`.
    const base = field.replace(/\[\d+\]$/, '');
    return base !== field && names.includes(base);
  }

  // -------------------------------------------------------------------------
  // Rendering

  private id(field: string): string {
    return `${this.o.prefix}-${field.replace(/[.[\]]+/g, '-').replace(/-$/, '')}`;
  }

  private text(
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    extra: Partial<Parameters<typeof textField>[0]> = {},
    problem: Problem | null,
  ): HTMLElement {
    return textField({ id: this.id(field), name: field, label, value, testid: this.id(field), problem, oninput: (v) => set(v), ...extra });
  }

  private select(
    field: string,
    label: string,
    value: string,
    options: { value: string; label: string }[],
    set: (v: string) => void,
    problem: Problem | null,
    opts: { required?: boolean; rerender?: boolean; placeholder?: string } = {},
  ): HTMLElement {
    return selectField({
      id: this.id(field),
      name: field,
      label,
      value,
      options,
      placeholder: opts.placeholder ?? t('choose'),
      required: opts.required,
      problem,
      testid: this.id(field),
      onchange: (v) => {
        set(v);
        if (opts.rerender) this.o.rerender();
      },
    });
  }

  private choiceOptions(list: Choice[] | undefined, only?: string[]): { value: string; label: string }[] {
    const items = (list ?? []).filter((c) => !only || only.includes(c.value));
    return items.map((c) => ({ value: c.value, label: choiceLabel(c) }));
  }

  private countryOptions(): { value: string; label: string }[] {
    const sorted = byName(this.countries, countryName);
    const vn = sorted.find((c) => c.code === 'VN');
    const rest = sorted.filter((c) => c.code !== 'VN');
    return [...(vn ? [vn] : []), ...rest].map((c) => ({ value: c.code, label: countryName(c) }));
  }

  /** A group of check boxes over `list`, with errors for `field` and its items. */
  private checks(field: string, legend: string, list: Choice[] | undefined, set: Set<string>, problem: Problem | null, testPrefix: string, hint?: string): HTMLElement {
    const errors = fieldErrorsUnder(problem, field);
    const errorId = errors.length ? `${this.id(field)}-error` : undefined;
    const hintId = hint ? `${this.id(field)}-hint` : undefined;
    return h(
      'fieldset',
      { class: ['fieldset', 'check-group', errors.length > 0 && 'has-error'], 'aria-describedby': [errorId, hintId].filter(Boolean).join(' ') || undefined },
      h('legend', { class: 'label' }, legend),
      hint && h('p', { id: hintId, class: 'hint' }, hint),
      errors.length > 0 && fieldErrorText(errorId!, errors, field),
      h(
        'div',
        { class: 'check-grid' },
        (list ?? []).map((c) =>
          checkboxField({
            id: `${this.id(field)}-${c.value}`,
            name: field,
            label: choiceLabel(c),
            checked: set.has(c.value),
            testid: `${this.o.prefix}-${testPrefix}-${c.value}`,
            onchange: (on) => {
              if (on) set.add(c.value);
              else set.delete(c.value);
            },
          }),
        ),
      ),
    );
  }

  private section(key: string, title: string, ...children: Child[]): HTMLElement {
    const id = `${this.o.prefix}-sec-${key}`;
    return h('section', { class: 'form-section', 'aria-labelledby': id }, h('h3', { id, class: 'form-section-title' }, title), ...children);
  }

  /** The fields of the current kind (the page wraps them in its `<form>`). */
  render(problem: Problem | null): Node[] {
    if (this.loadProblem && !this.choices) {
      return [h('p', { class: 'problem', role: 'alert' }, pick(this.loadProblem.message))];
    }
    if (!this.choices) return [h('p', { class: 'muted', role: 'status' }, t('loading'))];
    if (this.kind === 'daily_update') return [this.renderDaily(problem)];
    const nodes: Node[] = [this.renderIdentity(problem)];
    if (this.kind === 'domestic_travel') nodes.push(this.renderTravel(problem));
    if (this.kind === 'entry') nodes.push(this.renderEntry(problem));
    nodes.push(this.renderHealth(problem));
    return nodes;
  }

  private renderIdentity(problem: Problem | null): HTMLElement {
    const c = this.choices!;
    const citizen = this.o.mode === 'citizen';
    return this.section(
      'identity',
      t('decl_section_identity'),
      this.text('identity.full_name', t('full_name_label'), this.fullName, (v) => (this.fullName = v), { required: true, autocomplete: citizen ? 'name' : 'off', autocapitalize: 'words' }, problem),
      h(
        'div',
        { class: 'form-row' },
        this.text('identity.birth_year', t('birth_year_label'), this.birthYear, (v) => (this.birthYear = v), { required: true, inputmode: 'numeric', maxlength: 4, pattern: '[0-9]{4}', autocomplete: 'off' }, problem),
        this.select('identity.gender', t('decl_gender'), this.gender, this.choiceOptions(c.genders), (v) => (this.gender = v), problem, { required: true }),
      ),
      this.select('identity.nationality', t('decl_nationality'), this.nationality, this.countryOptions(), (v) => (this.nationality = v), problem, { required: true }),
      this.kind !== 'entry' &&
        this.text('identity.id_number', t('decl_id_number'), this.idNumber, (v) => (this.idNumber = v), { hint: t('decl_id_number_hint'), autocomplete: 'off', spellcheck: false }, problem),
      h(
        'div',
        { class: citizen ? 'form-row' : 'form-single' },
        citizen && this.text('identity.phone', t('phone_label'), this.phone, (v) => (this.phone = v), { type: 'tel', inputmode: 'tel', autocomplete: 'tel' }, problem),
        this.text('identity.email', t('decl_email'), this.email, (v) => (this.email = v), { type: 'email', inputmode: 'email', autocomplete: citizen ? 'email' : 'off', spellcheck: false }, problem),
      ),
      this.text('identity.insurance_number', t('decl_insurance'), this.insurance, (v) => (this.insurance = v), { autocomplete: 'off', spellcheck: false }, problem),
      this.address.render(problem),
      this.text('identity.address.street', t('decl_street'), this.street, (v) => (this.street = v), { required: true, hint: t('decl_street_hint'), autocomplete: citizen ? 'street-address' : 'off' }, problem),
    );
  }

  private renderHealth(problem: Problem | null): HTMLElement {
    const c = this.choices!;
    return this.section(
      'health',
      t('decl_section_health'),
      this.checks('health.symptoms', t('decl_symptoms'), c.symptoms, this.symptoms, problem, 'symptom', t('decl_tick_hint')),
      this.checks('health.exposures', t('decl_exposures'), c.exposures, this.exposures, problem, 'exposure'),
      this.checks('health.conditions', t('decl_conditions'), c.conditions, this.conditions, problem, 'condition'),
      checkboxField({
        id: this.id('health.travelled'),
        name: 'health.travelled',
        label: t('decl_travelled'),
        checked: this.travelled,
        testid: this.id('health.travelled'),
        onchange: (on) => {
          this.travelled = on;
          this.o.rerender();
        },
      }),
      this.travelled &&
        textAreaField({
          id: this.id('health.travel_places'),
          name: 'health.travel_places',
          label: t('decl_travel_places'),
          value: this.travelPlaces,
          rows: 2,
          required: true,
          maxlength: 500,
          problem,
          testid: this.id('health.travel_places'),
          oninput: (v) => (this.travelPlaces = v),
        }),
    );
  }

  private renderTravel(problem: Problem | null): HTMLElement {
    const c = this.choices!;
    return this.section(
      'travel',
      t('decl_section_travel'),
      h(
        'div',
        { class: 'form-row' },
        this.select('travel.conveyance', t('decl_conveyance'), this.tConveyance, this.choiceOptions(c.conveyances, TRAVEL_CONVEYANCES), (v) => (this.tConveyance = v), problem, { required: true, rerender: true }),
        this.text('travel.vehicle_number', t('decl_vehicle_number'), this.tVehicle, (v) => (this.tVehicle = v), { required: true, hint: t('decl_vehicle_hint'), autocomplete: 'off', maxlength: 20 }, problem),
      ),
      this.needsStation &&
        this.text('travel.departure_station', t('decl_departure_station'), this.tStation, (v) => (this.tStation = v), { required: true, autocomplete: 'off' }, problem),
      this.text('travel.travel_date', t('decl_travel_date'), this.tDate, (v) => (this.tDate = v), { type: 'date', required: true }, problem),
      this.tFrom.render(problem),
      this.text('travel.from.street', t('decl_street'), this.tFromStreet, (v) => (this.tFromStreet = v), { required: true, autocomplete: 'off' }, problem),
      this.tTo.render(problem),
      this.text('travel.to.street', t('decl_street'), this.tToStreet, (v) => (this.tToStreet = v), { required: true, autocomplete: 'off' }, problem),
    );
  }

  private renderEntry(problem: Problem | null): HTMLElement {
    const c = this.choices!;
    const countries = this.countryOptions();
    const gateErrors = fieldErrorsUnder(problem, 'entry.border_gate');
    const gateId = this.id('entry.border_gate');
    const gateErrorId = gateErrors.length ? `${gateId}-error` : undefined;
    const visitedErrors = fieldErrorsUnder(problem, 'entry.visited_countries');
    const visitedId = this.id('entry.visited_countries');
    const visitedErrorId = visitedErrors.length ? `${visitedId}-error` : undefined;
    const byCode = new Map(this.countries.map((x) => [x.code, x]));
    return this.section(
      'entry',
      t('decl_section_entry'),
      this.text('entry.passport', t('decl_passport'), this.passport, (v) => (this.passport = v), { required: true, autocomplete: 'off', spellcheck: false, maxlength: 20 }, problem),
      h(
        'div',
        { class: 'form-row' },
        this.select('entry.conveyance', t('decl_conveyance'), this.eConveyance, this.choiceOptions(c.conveyances, ENTRY_CONVEYANCES), (v) => (this.eConveyance = v), problem, { required: true }),
        this.text('entry.vehicle_number', t('decl_vehicle_number'), this.eVehicle, (v) => (this.eVehicle = v), { required: true, hint: t('decl_vehicle_hint'), autocomplete: 'off', maxlength: 20 }, problem),
      ),
      this.text('entry.seat', t('decl_seat'), this.seat, (v) => (this.seat = v), { autocomplete: 'off', maxlength: 10 }, problem),
      h(
        'div',
        { class: 'form-row' },
        this.select('entry.departure_country', t('decl_departure_country'), this.depCountry, countries, (v) => (this.depCountry = v), problem, { required: true }),
        this.text('entry.departure_place', t('decl_departure_place'), this.depPlace, (v) => (this.depPlace = v), { required: true, autocomplete: 'off' }, problem),
      ),
      h(
        'div',
        { class: 'form-row' },
        this.text('entry.departure_date', t('decl_departure_date'), this.depDate, (v) => (this.depDate = v), { type: 'date', required: true }, problem),
        this.text('entry.entry_date', t('decl_entry_date'), this.entryDate, (v) => (this.entryDate = v), { type: 'date', required: true }, problem),
      ),
      h(
        'div',
        { class: ['field', gateErrors.length > 0 && 'has-error'] },
        h('label', { for: gateId, class: 'label' }, t('decl_border_gate'), h('span', { class: 'sr-only' }, ` ${t('required_mark')}`)),
        gateErrors.length > 0 && fieldErrorText(gateErrorId!, gateErrors, 'entry.border_gate'),
        h(
          'select',
          {
            id: gateId,
            name: 'entry.border_gate',
            class: 'input',
            required: true,
            'aria-invalid': gateErrors.length ? 'true' : undefined,
            'aria-describedby': gateErrorId,
            'data-testid': gateId,
            onchange: (e: Event) => (this.gate = (e.target as HTMLSelectElement).value),
          },
          h('option', { value: '', disabled: true, selected: this.gate === '' }, t('choose')),
          GATE_KINDS.map((kind) => {
            const gates = byName(
              this.gates.filter((g) => g.kind === kind),
              gateName,
            );
            return gates.length > 0 && h('optgroup', { label: t(`gate_kind_${kind}`) }, gates.map((g) => h('option', { value: g.code, selected: g.code === this.gate }, gateName(g))));
          }),
        ),
      ),
      h(
        'fieldset',
        { class: ['fieldset', visitedErrors.length > 0 && 'has-error'], 'aria-describedby': [visitedErrorId, `${visitedId}-hint`].filter(Boolean).join(' ') },
        h('legend', { class: 'label' }, t('decl_visited_countries')),
        h('p', { id: `${visitedId}-hint`, class: 'hint' }, t('decl_visited_hint')),
        visitedErrors.length > 0 && fieldErrorText(visitedErrorId!, visitedErrors, 'entry.visited_countries'),
        this.visited.length > 0 &&
          h(
            'ul',
            { class: 'chips', 'data-testid': `${visitedId}-list` },
            this.visited.map((code, i) => {
              const bad = visitedErrors.some((e) => e.field === `entry.visited_countries[${i}]`);
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
                    id: `${visitedId}-remove-${i}`,
                    'aria-label': t('decl_remove_country', { name }),
                    onclick: () => {
                      this.visited.splice(i, 1);
                      this.o.rerender();
                      document.getElementById(`${visitedId}-pick`)?.focus();
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
          h('label', { for: `${visitedId}-pick`, class: 'sr-only' }, t('decl_visited_add_label')),
          h(
            'select',
            {
              id: `${visitedId}-pick`,
              class: 'input',
              'aria-invalid': visitedErrors.length ? 'true' : undefined,
              'data-testid': `${visitedId}-pick`,
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
              id: `${visitedId}-add`,
              'data-testid': `${visitedId}-add`,
              onclick: () => {
                if (this.visitedPick && !this.visited.includes(this.visitedPick)) this.visited.push(this.visitedPick);
                this.visitedPick = '';
                this.o.rerender();
              },
            },
            t('add_member'),
          ),
        ),
      ),
      this.text('entry.quarantine_facility', t('decl_quarantine_facility'), this.quarantine, (v) => (this.quarantine = v), { autocomplete: 'off' }, problem),
      h(
        'div',
        { class: 'form-row' },
        this.select('entry.vaccination', t('decl_vaccination'), this.vaccination, this.choiceOptions(c.vaccination), (v) => (this.vaccination = v), problem, { required: true }),
        this.select('entry.test_result', t('decl_test_result'), this.testResult, this.choiceOptions(c.test_results), (v) => (this.testResult = v), problem, { required: true }),
      ),
    );
  }

  private renderDaily(problem: Problem | null): HTMLElement {
    const c = this.choices!;
    return this.section(
      'daily',
      t('decl_section_daily'),
      this.text('daily.temperature_c', t('decl_temperature'), this.temperature, (v) => (this.temperature = v), { required: true, inputmode: 'decimal', hint: t('decl_temperature_hint'), autocomplete: 'off', maxlength: 5, class: 'short-field' }, problem),
      this.checks('daily.symptoms', t('decl_daily_symptoms'), c.symptoms, this.dailySymptoms, problem, 'daily-symptom', t('decl_tick_hint')),
      textAreaField({
        id: this.id('daily.note'),
        name: 'daily.note',
        label: t('decl_note'),
        value: this.note,
        rows: 2,
        maxlength: 500,
        problem,
        testid: this.id('daily.note'),
        oninput: (v) => (this.note = v),
      }),
    );
  }

  /** The consent check box with the legal warning (every kind except the daily update). */
  renderConsent(problem: Problem | null): HTMLElement | null {
    if (this.kind === 'daily_update') return null;
    return h(
      'div',
      { class: 'consent' },
      h('p', { class: 'notice warn legal-warning', id: `${this.o.prefix}-legal`, 'data-testid': `${this.o.prefix}-legal-warning` }, h('strong', null, t('decl_legal_warning'))),
      checkboxField({
        id: this.id('consent'),
        name: 'consent',
        label: this.o.mode === 'citizen' ? t('decl_consent') : t('decl_consent_checkpoint'),
        checked: this.consent,
        problem,
        testid: `${this.o.prefix}-consent`,
        onchange: (on) => (this.consent = on),
      }),
    );
  }
}
