// The UI language and message lookup of the web front end: Vietnamese (default) and English.
// The strings themselves live in the area files next to this one (common, sign-in, citizen,
// staff, declarations, passes, venues, venue work, exposure, tracing, map, safety, reports,
// campaigns); this module merges them, keeps the chosen language in localStorage, and offers
// `t()`, `tFor()` and `pick()` for `{vi, en}` messages from the API.
//
// Keys are checked at compile time: each area's `en` has exactly the keys of its `vi`, and the
// merged `en` below must have every key of the merged `vi`.

import * as accounts from './accounts';
import * as campaigns from './campaigns';
import * as citizen from './citizen';
import * as common from './common';
import * as declarations from './declarations';
import * as exposure from './exposure';
import * as map from './map';
import * as passes from './passes';
import * as reports from './reports';
import * as safety from './safety';
import * as signin from './signin';
import * as staff from './staff';
import * as tracing from './tracing';
import * as venueWork from './venue-work';
import * as venues from './venues';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];

const vi = { ...common.vi, ...signin.vi, ...citizen.vi, ...staff.vi, ...declarations.vi, ...passes.vi, ...venues.vi, ...venueWork.vi, ...exposure.vi, ...tracing.vi, ...map.vi, ...safety.vi, ...reports.vi, ...campaigns.vi, ...accounts.vi };

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = { ...common.en, ...signin.en, ...citizen.en, ...staff.en, ...declarations.en, ...passes.en, ...venues.en, ...venueWork.en, ...exposure.en, ...tracing.en, ...map.en, ...safety.en, ...reports.en, ...campaigns.en, ...accounts.en };

const dictionaries: Record<Lang, Record<MessageKey, string>> = { vi, en };

const STORAGE_KEY = 'phongdich.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'vi' || saved === 'en') return saved;
  } catch {
    // localStorage may be unavailable (private mode); fall through.
  }
  return 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

/** Switches the UI language, persists it and updates `<html lang>`. */
export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // ignore
  }
  applyDocumentLang();
  for (const listener of listeners) listener(next);
}

export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function applyDocumentLang(): void {
  document.documentElement.lang = current;
}

/** Translates `key`, replacing `{name}` placeholders with `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return tFor(current, key, params);
}

/** Like `t`, in a given language. */
export function tFor(l: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[l][key] ?? dictionaries.vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks the current language out of a `{vi, en}` object sent by the API. */
export function pick(message: Partial<Record<Lang, string>> | string | null | undefined): string {
  if (message == null) return '';
  if (typeof message === 'string') return message;
  return message[current] ?? message.vi ?? message.en ?? '';
}

/** True if `key` is a known message key (used for role / relation labels from the API). */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(vi, key);
}

export function locale(): string {
  return current === 'vi' ? 'vi-VN' : 'en-GB';
}
