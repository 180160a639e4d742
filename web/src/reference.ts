// Reference lists for the declaration forms, fetched once per session and shared by pages.

import { api, type BorderGate, type Choice, type Country, type DeclarationChoices, type Unit } from './api';
import { lang } from './i18n';

let choices: Promise<DeclarationChoices> | null = null;
let countries: Promise<Country[]> | null = null;
let gates: Promise<BorderGate[]> | null = null;

/** Answer choices with labels; a failed load is retried on the next call. */
export function loadChoices(): Promise<DeclarationChoices> {
  choices ??= api.declarationChoices().catch((err: unknown) => {
    choices = null;
    throw err;
  });
  return choices;
}

export function loadCountries(): Promise<Country[]> {
  countries ??= api.countries().catch((err: unknown) => {
    countries = null;
    throw err;
  });
  return countries;
}

export function loadBorderGates(): Promise<BorderGate[]> {
  gates ??= api.borderGates().catch((err: unknown) => {
    gates = null;
    throw err;
  });
  return gates;
}

/** The label of a choice in the current language. */
export function choiceLabel(c: Choice): string {
  return lang() === 'en' ? c.en : c.vi;
}

/** The label of `value` in `list`, or the value itself. */
export function labelOf(list: Choice[] | undefined, value: string): string {
  const c = list?.find((x) => x.value === value);
  return c ? choiceLabel(c) : value;
}

export function countryName(c: Country): string {
  return lang() === 'en' ? c.name_en : c.name_vi;
}

export function gateName(g: BorderGate): string {
  return lang() === 'en' ? g.name_en : g.name_vi;
}

/** Sorts by the current language's collation. */
export function byName<T>(items: T[], name: (item: T) => string): T[] {
  const collator = new Intl.Collator(lang() === 'en' ? 'en' : 'vi');
  return [...items].sort((a, b) => collator.compare(name(a), name(b)));
}

// ---------------------------------------------------------------------------
// Units by code (for lists that carry only `unit_code`).

const units = new Map<string, Promise<Unit | null>>();

export function loadUnit(code: string): Promise<Unit | null> {
  let p = units.get(code);
  if (!p) {
    p = api.unit(code).catch(() => {
      units.delete(code);
      return null;
    });
    units.set(code, p);
  }
  return p;
}

/** Resolves many unit codes, a few requests at a time. */
export async function loadUnits(codes: Iterable<string>): Promise<Map<string, Unit>> {
  const wanted = [...new Set(codes)];
  const out = new Map<string, Unit>();
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const code = wanted[next++];
      const unit = await loadUnit(code);
      if (unit) out.set(code, unit);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, wanted.length) }, worker));
  return out;
}
