// The health declaration form (four kinds), shared by the citizen's declare page and the
// checkpoint's "declare on behalf". It loads the reference lists, puts together the parts of the
// current kind (identity and health questions for every kind but the daily update, plus the
// travel or entry part; the daily update alone), shows errors from the API next to their inputs
// by field path (e.g. `identity.address.unit_code`, `entry.visited_countries[1]`), builds the
// request body, and in citizen mode remembers the non-personal answers for the next declaration.

import type { DeclarationBody, DeclarationChoices, DeclarationKind, Problem } from '../api';
import { toProblem } from '../api';
import { h } from '../dom';
import { pick, t } from '../i18n';
import { loadBorderGates, loadChoices, loadCountries } from '../reference';
import { checkboxField } from '../ui';
import { DAILY_FIELDS, DailyPart } from './daily';
import { ENTRY_FIELDS, EntryPart } from './entry';
import { Fields, type FormContext } from './fields';
import { HEALTH_FIELDS, HealthPart } from './health';
import { IDENTITY_FIELDS, IdentityPart, type IdentityPrefill } from './identity';
import { readRemembered, writeRemembered, type Remembered } from './remembered';
import { TRAVEL_FIELDS, TravelPart } from './travel';

export type { IdentityPrefill } from './identity';
export { rememberedKind } from './remembered';

export interface DeclarationFormOptions extends FormContext {
  /** Commune to start the address with when nothing is remembered (home unit, checkpoint unit). */
  defaultUnit?: string | null;
}

export class DeclarationForm {
  kind: DeclarationKind = 'domestic';
  loadProblem: Problem | null = null;
  consent = false;

  private readonly f: Fields;
  readonly identity: IdentityPart;
  readonly health: HealthPart;
  readonly travel: TravelPart;
  readonly entry: EntryPart;
  readonly daily: DailyPart;

  private remembered: Remembered;

  constructor(private readonly o: DeclarationFormOptions) {
    this.f = new Fields(o);
    this.remembered = o.mode === 'citizen' ? readRemembered() : {};
    const r = this.remembered;
    this.identity = new IdentityPart(this.f, r);
    this.health = new HealthPart(this.f);
    this.travel = new TravelPart(this.f, r);
    this.entry = new EntryPart(this.f, r);
    this.daily = new DailyPart(this.f);
  }

  /** The declaration choices, once loaded (the submit button waits for them). */
  get choices(): DeclarationChoices | null {
    return this.f.choices;
  }

  get fullName(): string {
    return this.identity.fullName;
  }

  get birthYear(): string {
    return this.identity.birthYear;
  }

  /** Loads the reference lists and the remembered or default units. */
  async load(): Promise<void> {
    const r = this.remembered;
    void this.identity.address.init(r.address_unit ?? this.o.defaultUnit ?? null);
    void this.travel.from.init(r.travel_from_unit ?? null);
    void this.travel.to.init(r.travel_to_unit ?? null);
    try {
      const [choices, countries, gates] = await Promise.all([loadChoices(), loadCountries(), loadBorderGates()]);
      this.f.choices = choices;
      this.f.countries = countries;
      this.f.gates = gates;
      this.loadProblem = null;
    } catch (err) {
      this.loadProblem = toProblem(err);
    }
    this.o.rerender();
  }

  /** Fills the identity fields (from the profile, a family member or the last declaration). */
  prefill(p: IdentityPrefill): void {
    this.identity.prefill(p);
  }

  /** Clears what belongs to one person (checkpoint: before the next person). */
  clearPerson(): void {
    this.identity.clear();
    this.health.clear();
    this.consent = false;
  }

  /** Clears the health answers (they are never carried over). */
  clearHealth(): void {
    this.health.clear();
    this.daily.clear();
    this.consent = false;
  }

  /** Keeps the non-personal answers for the next declaration (citizen mode only). */
  remember(): void {
    if (this.o.mode !== 'citizen') return;
    const r: Remembered = { ...readRemembered(), kind: this.kind };
    if (this.kind !== 'daily_update') this.identity.remember(r);
    if (this.kind === 'domestic_travel') this.travel.remember(r);
    if (this.kind === 'entry') this.entry.remember(r);
    this.remembered = r;
    writeRemembered(r);
  }

  /** The request body for the current kind. Numbers that do not parse are sent as 0, so that
   * the server reports them next to their input like every other mistake. */
  body(): DeclarationBody {
    if (this.kind === 'daily_update') return { kind: 'daily_update', daily: this.daily.body() };
    const body: DeclarationBody = { kind: this.kind, consent: this.consent, identity: this.identity.body(), health: this.health.body() };
    if (this.kind === 'domestic_travel') body.travel = this.travel.body();
    if (this.kind === 'entry') body.entry = this.entry.body();
    return body;
  }

  /** Field paths rendered by the current kind (the rest of the errors go to the banner). */
  fieldNames(): string[] {
    if (this.kind === 'daily_update') return [...DAILY_FIELDS];
    const names = [...IDENTITY_FIELDS, ...HEALTH_FIELDS, 'consent'];
    if (this.o.mode === 'citizen') names.push('identity.phone');
    if (this.kind === 'domestic_travel') names.push(...TRAVEL_FIELDS);
    if (this.kind === 'entry') names.push(...ENTRY_FIELDS);
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

  /** The fields of the current kind (the page wraps them in its `<form>`). */
  render(problem: Problem | null): Node[] {
    if (this.loadProblem && !this.choices) {
      return [h('p', { class: 'problem', role: 'alert' }, pick(this.loadProblem.message))];
    }
    if (!this.choices) return [h('p', { class: 'muted', role: 'status' }, t('loading'))];
    if (this.kind === 'daily_update') return [this.daily.render(problem)];
    const nodes: Node[] = [this.identity.render(this.kind, problem)];
    if (this.kind === 'domestic_travel') nodes.push(this.travel.render(problem));
    if (this.kind === 'entry') nodes.push(this.entry.render(problem));
    nodes.push(this.health.render(problem));
    return nodes;
  }

  /** The consent check box with the legal warning (every kind except the daily update). */
  renderConsent(problem: Problem | null): HTMLElement | null {
    if (this.kind === 'daily_update') return null;
    return h(
      'div',
      { class: 'consent' },
      h('p', { class: 'notice warn legal-warning', id: `${this.o.prefix}-legal`, 'data-testid': `${this.o.prefix}-legal-warning` }, h('strong', null, t('decl_legal_warning'))),
      checkboxField({
        id: this.f.id('consent'),
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
