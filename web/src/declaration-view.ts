// Showing declarations: the result card after a declaration (colour, reasons, QR), and the
// answers of a stored declaration rendered readably with the labels of declaration-choices.

import type { BorderGate, Country, DeclarationChoices, Flag, Recorded, Unit } from './api';
import { h, type Child } from './dom';
import { pick, t } from './i18n';
import { qrSvg } from './qr';
import { countryName, gateName, labelOf } from './reference';
import { colourBanner, flagLabel, formatDay, kindLabel, timeEl } from './ui';

/** The reasons for a colour, or a line saying there are none. */
export function flagList(flags: Flag[] | undefined, testid?: string): HTMLElement {
  if (!flags || flags.length === 0) return h('p', { class: 'muted', 'data-testid': testid }, t('flags_none'));
  return h(
    'ul',
    { class: 'flag-list', 'data-testid': testid },
    flags.map((f) =>
      h(
        'li',
        { class: ['flag-item', `severity-${f.severity}`], 'data-code': f.code },
        h('span', { class: 'flag-dot', 'aria-hidden': 'true' }),
        pick(f.message) || flagLabel(f.code),
      ),
    ),
  );
}

export interface ResultCardOptions {
  /** Heading id (focused after the result appears). */
  headingId: string;
  title: string;
  /** Whom the declaration is for (shown under the heading). */
  person?: string | null;
  actions?: Child;
  testid?: string;
}

/** The card shown after a declaration: colour with its meaning, reasons, QR and validity. */
export function resultCard(r: Recorded, o: ResultCardOptions): HTMLElement {
  const pass = r.pass;
  return h(
    'section',
    { class: ['card', 'result-card', `result-${r.colour}`], 'aria-labelledby': o.headingId, 'data-testid': o.testid ?? 'result-card', 'data-colour': r.colour },
    h('h2', { id: o.headingId, tabindex: -1 }, o.title),
    h('p', { class: 'muted result-meta' }, [kindLabel(r.kind), o.person].filter(Boolean).join(' · ')),
    colourBanner(r.colour, { testid: 'result-colour', title: t('result_colour_title') }),
    h('h3', { class: 'result-subhead' }, t('result_reasons')),
    flagList(r.flags, 'result-flags'),
    pass
      ? h(
          'div',
          { class: 'qr-box', 'data-testid': 'result-qr' },
          qrSvg(pass.pass, t('qr_alt', { name: o.person || t('pass_holder') })),
          h('p', { class: 'qr-validity' }, t('pass_valid_until'), ' ', h('strong', null, timeEl(pass.expires_at))),
          h('p', { class: 'sr-only', 'data-testid': 'result-pass-text' }, pass.pass),
        )
      : h('p', { class: 'notice info' }, t('pass_none_issued')),
    o.actions && h('div', { class: 'actions no-print' }, o.actions),
  );
}

// ---------------------------------------------------------------------------
// Answers of a stored declaration

export interface ViewRefs {
  choices: DeclarationChoices | null;
  countries: Country[];
  gates: BorderGate[];
  units: Map<string, Unit>;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const arr = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** Unit codes named in a stored form (to resolve their names before rendering). */
export function unitCodesOf(form: unknown): string[] {
  const f = obj(form);
  if (!f) return [];
  const codes = [obj(obj(f.identity)?.address)?.unit_code, obj(obj(f.travel)?.from)?.unit_code, obj(obj(f.travel)?.to)?.unit_code];
  return codes.map(str).filter(Boolean);
}

function row(label: string, value: Child): HTMLElement | null {
  if (value === '' || value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return null;
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

function yesNo(v: unknown): string {
  return v ? t('yes') : t('no');
}

function listOrNone(values: string[], label: (v: string) => string): string {
  return values.length ? values.map(label).join(', ') : t('answer_none');
}

/** The answers (`answers.form`) of a stored declaration as definition lists per section. */
export function answersView(form: unknown, refs: ViewRefs): HTMLElement {
  const f = obj(form);
  if (!f) return h('p', { class: 'muted' }, t('none'));
  const c = refs.choices;
  const countryByCode = new Map(refs.countries.map((x) => [x.code, x]));
  const country = (code: string) => {
    const x = countryByCode.get(code);
    return x ? `${countryName(x)} (${code})` : code;
  };
  const address = (a: unknown) => {
    const ad = obj(a);
    if (!ad) return '';
    const code = str(ad.unit_code);
    const unit = refs.units.get(code);
    return [str(ad.street), unit ? unit.path || unit.name : code].filter(Boolean).join(', ');
  };
  const sections: HTMLElement[] = [];
  const section = (title: string, rows: (HTMLElement | null)[]) => {
    const kept = rows.filter((r): r is HTMLElement => r !== null);
    if (kept.length) sections.push(h('div', { class: 'answers-section' }, h('h4', null, title), h('dl', { class: 'facts stacked answers' }, kept)));
  };

  section(t('decl_section_kind'), [row(t('col_kind'), kindLabel(str(f.kind))), row(t('decl_consent_short'), f.kind === 'daily_update' ? '' : yesNo(f.consent))]);

  const id = obj(f.identity);
  if (id) {
    section(t('decl_section_identity'), [
      row(t('full_name_label'), str(id.full_name)),
      row(t('birth_year_label'), str(id.birth_year)),
      row(t('decl_gender'), labelOf(c?.genders, str(id.gender))),
      row(t('decl_nationality'), id.nationality ? country(str(id.nationality)) : ''),
      row(t('decl_id_number'), str(id.id_number)),
      row(t('phone_label'), str(id.phone)),
      row(t('decl_email'), str(id.email)),
      row(t('decl_insurance'), str(id.insurance_number)),
      row(t('decl_address'), address(id.address)),
    ]);
  }
  const tr = obj(f.travel);
  if (tr) {
    section(t('decl_section_travel'), [
      row(t('decl_conveyance'), labelOf(c?.conveyances, str(tr.conveyance))),
      row(t('decl_vehicle_number'), str(tr.vehicle_number)),
      row(t('decl_departure_station'), str(tr.departure_station)),
      row(t('decl_travel_date'), formatDay(str(tr.travel_date))),
      row(t('decl_travel_from_unit'), address(tr.from)),
      row(t('decl_travel_to_unit'), address(tr.to)),
    ]);
  }
  const en = obj(f.entry);
  if (en) {
    const gate = refs.gates.find((g) => g.code === str(en.border_gate));
    section(t('decl_section_entry'), [
      row(t('decl_passport'), str(en.passport)),
      row(t('decl_conveyance'), labelOf(c?.conveyances, str(en.conveyance))),
      row(t('decl_vehicle_number'), str(en.vehicle_number)),
      row(t('decl_seat'), str(en.seat)),
      row(t('decl_departure_country'), en.departure_country ? country(str(en.departure_country)) : ''),
      row(t('decl_departure_place'), str(en.departure_place)),
      row(t('decl_departure_date'), formatDay(str(en.departure_date))),
      row(t('decl_entry_date'), formatDay(str(en.entry_date))),
      row(t('decl_border_gate'), gate ? gateName(gate) : str(en.border_gate)),
      row(t('decl_visited_countries'), listOrNone(arr(en.visited_countries), country)),
      row(t('decl_quarantine_facility'), str(en.quarantine_facility)),
      row(t('decl_vaccination'), labelOf(c?.vaccination, str(en.vaccination))),
      row(t('decl_test_result'), labelOf(c?.test_results, str(en.test_result))),
    ]);
  }
  const he = obj(f.health);
  if (he) {
    section(t('decl_section_health'), [
      row(t('decl_symptoms_short'), listOrNone(arr(he.symptoms), (v) => labelOf(c?.symptoms, v))),
      row(t('decl_exposures_short'), listOrNone(arr(he.exposures), (v) => labelOf(c?.exposures, v))),
      row(t('decl_conditions_short'), listOrNone(arr(he.conditions), (v) => labelOf(c?.conditions, v))),
      row(t('decl_travelled_short'), yesNo(he.travelled)),
      row(t('decl_travel_places'), str(he.travel_places)),
    ]);
  }
  const d = obj(f.daily);
  if (d) {
    section(t('decl_section_daily'), [
      row(t('decl_temperature'), d.temperature_c !== undefined && d.temperature_c !== null ? `${str(d.temperature_c)} °C` : ''),
      row(t('decl_symptoms_short'), listOrNone(arr(d.symptoms), (v) => labelOf(c?.symptoms, v))),
      row(t('decl_note'), str(d.note)),
    ]);
  }
  return h('div', { class: 'answers-view', 'data-testid': 'declaration-answers' }, sections);
}
