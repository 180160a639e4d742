// Shared UI pieces: header, form fields with error wiring, problem banner, formatting.

import type { Problem, FieldProblem, Role, Unit } from './api';
import { h, type Child } from './dom';
import { hasKey, lang, locale, pick, setLang, t } from './i18n';

// ---------------------------------------------------------------------------
// Screen-reader announcements (one persistent live region per politeness).

let politeRegion: HTMLElement | null = null;
let assertiveRegion: HTMLElement | null = null;

export function liveRegions(): HTMLElement[] {
  politeRegion = h('div', { class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-testid': 'live-polite' });
  assertiveRegion = h('div', {
    class: 'sr-only',
    'aria-live': 'assertive',
    'aria-atomic': 'true',
    'data-testid': 'live-assertive',
  });
  return [politeRegion, assertiveRegion];
}

/** Reads `text` out to screen-reader users. */
export function announce(text: string, assertive = false): void {
  const region = assertive ? assertiveRegion : politeRegion;
  if (!region) return;
  // Clearing first makes repeated identical messages be announced again.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Announces a problem (top message and field messages) assertively. */
export function announceProblem(problem: Problem): void {
  const parts = [pick(problem.message), ...(problem.errors ?? []).map((e) => pick(e.message))];
  announce(parts.filter(Boolean).join('. '), true);
}

// ---------------------------------------------------------------------------
// Header

export function langSwitch(): HTMLButtonElement {
  const other = lang() === 'vi' ? 'en' : 'vi';
  return h(
    'button',
    {
      type: 'button',
      class: 'lang-switch',
      id: 'lang-switch',
      'data-testid': 'lang-switch',
      'aria-label': t('lang_switch_label'),
      lang: other,
      onclick: () => setLang(other),
    },
    h('span', { 'aria-hidden': 'true', class: 'lang-switch-code' }, other.toUpperCase()),
    ' ',
    h('span', { class: 'lang-switch-text' }, t('lang_switch')),
  );
}

/** The app's header; signed-in pages pass `onLogout`, public pages seen signed out `onSignIn`. */
export function appHeader(opts: { onLogout?: () => void; onSignIn?: () => void; wide?: boolean } = {}): HTMLElement {
  return h(
    'header',
    { class: 'app-header' },
    h(
      'div',
      { class: ['app-header-inner', opts.wide && 'wide'] },
      h(
        'div',
        { class: 'brand' },
        h('img', { src: '/favicon.svg', alt: '', width: 32, height: 32, class: 'brand-logo' }),
        h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('app_name')), h('span', { class: 'brand-tagline' }, t('app_tagline'))),
      ),
      h(
        'div',
        { class: 'header-actions' },
        langSwitch(),
        opts.onLogout &&
          h(
            'button',
            { type: 'button', class: 'button ghost', id: 'logout-button', 'data-testid': 'logout-button', onclick: opts.onLogout },
            t('logout'),
          ),
        opts.onSignIn &&
          h(
            'button',
            { type: 'button', class: 'button ghost', id: 'signin-button', 'data-testid': 'header-signin', onclick: opts.onSignIn },
            t('signin_action'),
          ),
      ),
    ),
  );
}

export function skipLink(): HTMLAnchorElement {
  return h(
    'a',
    {
      class: 'skip-link',
      href: '#main',
      onclick: (e: MouseEvent) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      },
    },
    t('skip_to_content'),
  );
}

// ---------------------------------------------------------------------------
// Problems and field errors

export function fieldErrors(problem: Problem | null | undefined, name: string): FieldProblem[] {
  return (problem?.errors ?? []).filter((e) => e.field === name);
}

/** The ids that tie a field's error text and hint to its input, and its `aria-describedby`. */
export function fieldWiring(id: string, errors: FieldProblem[], hint?: string): { errorId?: string; hintId?: string; describedBy?: string } {
  const errorId = errors.length ? `${id}-error` : undefined;
  const hintId = hint ? `${id}-hint` : undefined;
  return { errorId, hintId, describedBy: [errorId, hintId].filter(Boolean).join(' ') || undefined };
}

/** A field's label, with "(required)" for screen readers when `required`. */
export function fieldLabel(id: string, label: Child, required?: boolean): HTMLElement {
  return h('label', { for: id, class: 'label' }, label, required && h('span', { class: 'sr-only' }, ` ${t('required_mark')}`));
}

/**
 * The top-of-form problem banner: `message[lang]`. Field errors are shown next
 * to their inputs; those whose `field` does not match one of `fieldNames` are
 * listed in the banner instead, so that no message is lost.
 */
export function problemBanner(problem: Problem | null | undefined, fieldNames: string[] = [], id?: string): HTMLElement | null {
  if (!problem) return null;
  const orphans = (problem.errors ?? []).filter((e) => !fieldNames.includes(e.field));
  return h(
    'div',
    { class: 'problem', id, 'data-testid': 'form-error', 'data-problem-code': problem.code ?? '', tabindex: -1 },
    h('span', { class: 'problem-icon', 'aria-hidden': 'true' }, '!'),
    h(
      'div',
      { class: 'problem-body' },
      h('p', { class: 'problem-message' }, pick(problem.message) || t('error_heading')),
      orphans.length > 0 &&
        h('ul', { class: 'problem-list' }, orphans.map((e) => h('li', null, pick(e.message)))),
    ),
  );
}

/**
 * What stands where a list goes: the problem banner, "loading…" until the first answer (a
 * status paragraph unless `loading` says otherwise), the empty text, or the rows.
 */
export function listBody<T>(problem: Problem | null | undefined, rows: T[] | null, o: { empty: () => Child; rows: (rows: T[]) => Child; loading?: () => Child }): Child {
  if (problem) return problemBanner(problem);
  if (rows === null) return o.loading ? o.loading() : h('p', { class: 'muted', role: 'status' }, t('loading'));
  return rows.length === 0 ? o.empty() : o.rows(rows);
}

export interface FieldOptions {
  id: string;
  name: string;
  label: string;
  value?: string;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
  required?: boolean;
  hint?: string;
  testid?: string;
  problem?: Problem | null;
  placeholder?: string;
  maxlength?: number;
  pattern?: string;
  /** A number, or a date (YYYY-MM-DD) for date inputs. */
  min?: number | string;
  max?: number | string;
  spellcheck?: boolean;
  autocapitalize?: string;
  oninput?: (value: string, el: HTMLInputElement) => void;
  /** Extra content placed after the input (e.g. a button). */
  after?: Child;
  /** Class on the wrapper. */
  class?: string;
}

/** A labelled text input with hint and error text wired through aria-describedby. */
export function textField(o: FieldOptions): HTMLElement {
  const errors = fieldErrors(o.problem, o.name);
  const { errorId, hintId, describedBy } = fieldWiring(o.id, errors, o.hint);
  const input = h('input', {
    id: o.id,
    name: o.name,
    type: o.type ?? 'text',
    value: o.value ?? '',
    autocomplete: o.autocomplete,
    inputmode: o.inputmode,
    required: o.required,
    placeholder: o.placeholder,
    maxlength: o.maxlength,
    pattern: o.pattern,
    min: o.min,
    max: o.max,
    spellcheck: o.spellcheck === undefined ? undefined : String(o.spellcheck),
    autocapitalize: o.autocapitalize,
    'aria-describedby': describedBy,
    'aria-invalid': errors.length ? 'true' : undefined,
    'data-testid': o.testid,
    class: 'input',
    oninput: (e: Event) => o.oninput?.((e.target as HTMLInputElement).value, e.target as HTMLInputElement),
  });
  return h(
    'div',
    { class: ['field', errors.length > 0 && 'has-error', o.class] },
    fieldLabel(o.id, o.label, o.required),
    o.hint && h('p', { id: hintId, class: 'hint' }, o.hint),
    errors.length > 0 && fieldErrorText(errorId!, errors, o.name),
    o.after ? h('div', { class: 'input-row' }, input, o.after) : input,
  );
}

export function fieldErrorText(id: string, errors: FieldProblem[], name: string): HTMLElement {
  return h(
    'p',
    { id, class: 'field-error', 'data-testid': `field-error-${name}`, 'data-error-for': name },
    errors.map((e) => pick(e.message)).join(' '),
  );
}

export interface SelectOptions {
  id: string;
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  placeholder?: string;
  required?: boolean;
  problem?: Problem | null;
  testid?: string;
  onchange?: (value: string) => void;
}

export function selectField(o: SelectOptions): HTMLElement {
  const errors = fieldErrors(o.problem, o.name);
  const { errorId, describedBy } = fieldWiring(o.id, errors);
  const select = h(
    'select',
    {
      id: o.id,
      name: o.name,
      required: o.required,
      class: 'input',
      'aria-describedby': describedBy,
      'aria-invalid': errors.length ? 'true' : undefined,
      'data-testid': o.testid,
      onchange: (e: Event) => o.onchange?.((e.target as HTMLSelectElement).value),
    },
    o.placeholder !== undefined && h('option', { value: '', disabled: true, selected: o.value === '' }, o.placeholder),
    o.options.map((opt) => h('option', { value: opt.value, selected: opt.value === o.value }, opt.label)),
  );
  return h(
    'div',
    { class: ['field', errors.length > 0 && 'has-error'] },
    fieldLabel(o.id, o.label, o.required),
    errors.length > 0 && fieldErrorText(errorId!, errors, o.name),
    select,
  );
}

/** Moves focus to the first invalid field of `root`, or to its problem banner. */
export function focusFirstError(root: ParentNode | null): void {
  if (!root) return;
  const invalid = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (invalid) {
    invalid.focus();
    return;
  }
  root.querySelector<HTMLElement>('.problem')?.focus();
}

const ICONS = {
  pin: '<path d="M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z"/>',
  lock: '<path d="M17 9h-1V7a4 4 0 0 0-8 0v2H7a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2zm-7-2a2 2 0 0 1 4 0v2h-4zm3 9.7V18h-2v-1.3a2 2 0 1 1 2 0z"/>',
  print: '<path d="M19 8H5a3 3 0 0 0-3 3v6h4v4h12v-4h4v-6a3 3 0 0 0-3-3zm-3 11H8v-5h8zm3-7a1 1 0 1 1 0-2 1 1 0 0 1 0 2zM18 3H6v4h12z"/>',
  download: '<path d="M5 20h14v-2H5zM19 9h-4V3H9v6H5l7 7z"/>',
  phone: '<path d="M16 1H8a2 2 0 0 0-2 2v18a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V3a2 2 0 0 0-2-2zm-4 21a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zM16 18H8V4h8z"/>',
  bluetooth: '<path d="M17.7 7.7 12 2h-1v7.6L6.4 5 5 6.4l5.6 5.6L5 17.6 6.4 19l4.6-4.6V22h1l5.7-5.7-4.3-4.3zM13 5.8l1.9 1.9L13 9.6zm1.9 10.5L13 18.2v-3.8z"/>',
  chat: '<path d="M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2zM6 9h12v2H6zm8 5H6v-2h8zm4-6H6V6h12z"/>',
} as const;

/** A small decorative inline SVG icon (hidden from assistive technology). */
export function icon(name: keyof typeof ICONS, cls = ''): HTMLElement {
  const span = h('span', { class: ['icon', cls], 'aria-hidden': 'true' });
  span.innerHTML = `<svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor" focusable="false">${ICONS[name]}</svg>`;
  return span;
}

export function notice(text: string, testid?: string): HTMLElement {
  return h('p', { class: 'notice success', 'data-testid': testid, role: 'status' }, text);
}

// ---------------------------------------------------------------------------
// Formatting

/** The message for `key` if there is one, else `fallback` (labels of codes sent by the API). */
function labelFor(key: string, fallback: string): string {
  return hasKey(key) ? t(key) : fallback;
}

export function roleLabel(role: Role | string): string {
  return labelFor(`role_${role}`, role);
}

export const RELATIONS = ['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling', 'other'] as const;

export function relationLabel(relation: string): string {
  return labelFor(`relation_${relation}`, relation);
}

export function outcomeLabel(outcome: string): string {
  return labelFor(`outcome_${outcome}`, outcome);
}

export function actionLabel(action: string): string {
  return labelFor(`action_${action.replace(/\./g, '_')}`, action);
}

/** +84912345678 → 0912 ••• 678 (national format, middle digits hidden). */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/[^\d]/g, '');
  if (phone.trim().startsWith('+84')) digits = `0${digits.slice(2)}`;
  else if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`;
  if (digits.length < 7) return phone;
  return `${digits.slice(0, 4)} ••• ${digits.slice(-3)}`;
}

/** +84912345678 → 0912 345 678, for staff views. */
export function formatPhone(phone: string): string {
  let digits = phone.replace(/[^\d]/g, '');
  if (phone.trim().startsWith('+84')) digits = `0${digits.slice(2)}`;
  if (digits.length === 10) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
  return phone;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return t('none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(d);
}

export function unitPath(unit: Unit | null | undefined): string {
  if (!unit) return t('none');
  return unit.path || unit.name;
}

/** `<time>` element with machine-readable datetime. */
export function timeEl(iso: string | null | undefined): HTMLElement {
  return h('time', { datetime: iso ?? undefined }, formatDateTime(iso));
}

// ---------------------------------------------------------------------------
// Health declarations: colours, flags, kinds, check boxes, text areas

/** Field errors for `prefix` and its items/parts (`entry.visited_countries[1]`, `travel.from.street`). */
export function fieldErrorsUnder(problem: Problem | null | undefined, prefix: string): FieldProblem[] {
  return (problem?.errors ?? []).filter(
    (e) => e.field === prefix || e.field.startsWith(`${prefix}[`) || e.field.startsWith(`${prefix}.`),
  );
}

export function colourName(colour: string): string {
  return labelFor(`colour_${colour}`, colour);
}

export function colourMeaning(colour: string): string {
  return labelFor(`colour_${colour}_meaning`, '');
}

/** A small colour badge: a dot and the colour's name (never colour alone). */
export function colourBadge(colour: string, testid?: string): HTMLElement {
  return h(
    'span',
    { class: ['colour-badge', `colour-${colour}`], 'data-colour': colour, 'data-testid': testid },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    colourName(colour),
  );
}

/** The big banner of a result or pass: colour name, what it means, and optional extra lines. */
export function colourBanner(colour: string, opts: { testid?: string; title?: string; lines?: Child[] } = {}): HTMLElement {
  return h(
    'div',
    { class: ['colour-banner', `colour-${colour}`], 'data-colour': colour, 'data-testid': opts.testid },
    h('span', { class: 'colour-banner-symbol', 'aria-hidden': 'true' }, colour === 'green' ? '✓' : colour === 'red' ? '✕' : '!'),
    h(
      'div',
      { class: 'colour-banner-text' },
      opts.title && h('span', { class: 'colour-banner-title' }, opts.title),
      h('strong', { class: 'colour-banner-name' }, colourName(colour)),
      h('span', { class: 'colour-banner-meaning' }, colourMeaning(colour)),
      opts.lines,
    ),
  );
}

export function flagLabel(code: string): string {
  return labelFor(`flag_${code}`, code);
}

export function kindLabel(kind: string): string {
  return labelFor(`kind_${kind}`, kind);
}

export interface CheckboxOptions {
  id: string;
  name: string;
  label: Child;
  checked: boolean;
  hint?: string;
  testid?: string;
  problem?: Problem | null;
  class?: string;
  onchange?: (checked: boolean) => void;
}

/** A check box with its label (and errors for `name`, if any). */
export function checkboxField(o: CheckboxOptions): HTMLElement {
  const errors = fieldErrors(o.problem, o.name);
  const { errorId, hintId, describedBy } = fieldWiring(o.id, errors, o.hint);
  return h(
    'div',
    { class: ['check', errors.length > 0 && 'has-error', o.class] },
    errors.length > 0 && fieldErrorText(errorId!, errors, o.name),
    h(
      'label',
      { class: 'check-label', for: o.id },
      h('input', {
        id: o.id,
        name: o.name,
        type: 'checkbox',
        class: 'check-input',
        checked: o.checked,
        'aria-invalid': errors.length ? 'true' : undefined,
        'aria-describedby': describedBy,
        'data-testid': o.testid,
        onchange: (e: Event) => o.onchange?.((e.target as HTMLInputElement).checked),
      }),
      h('span', null, o.label),
    ),
    o.hint && h('p', { id: hintId, class: 'hint check-hint' }, o.hint),
  );
}

export interface TextAreaOptions {
  id: string;
  name: string;
  label: string;
  value: string;
  rows?: number;
  hint?: string;
  required?: boolean;
  testid?: string;
  problem?: Problem | null;
  maxlength?: number;
  placeholder?: string;
  readonly?: boolean;
  spellcheck?: boolean;
  class?: string;
  oninput?: (value: string) => void;
}

export function textAreaField(o: TextAreaOptions): HTMLElement {
  const errors = fieldErrors(o.problem, o.name);
  const { errorId, hintId, describedBy } = fieldWiring(o.id, errors, o.hint);
  return h(
    'div',
    { class: ['field', errors.length > 0 && 'has-error', o.class] },
    fieldLabel(o.id, o.label, o.required),
    o.hint && h('p', { id: hintId, class: 'hint' }, o.hint),
    errors.length > 0 && fieldErrorText(errorId!, errors, o.name),
    h('textarea', {
      id: o.id,
      name: o.name,
      rows: o.rows ?? 3,
      class: 'input textarea',
      required: o.required,
      maxlength: o.maxlength,
      placeholder: o.placeholder,
      readonly: o.readonly,
      spellcheck: o.spellcheck === undefined ? undefined : String(o.spellcheck),
      value: o.value,
      'aria-describedby': describedBy,
      'aria-invalid': errors.length ? 'true' : undefined,
      'data-testid': o.testid,
      oninput: (e: Event) => o.oninput?.((e.target as HTMLTextAreaElement).value),
    }),
  );
}

/** YYYY-MM-DD → a local date (no time zone shift). */
export function formatDay(day: string | null | undefined): string {
  if (!day) return t('none');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Today in the browser's time zone as YYYY-MM-DD (for date inputs). */
export function todayIso(offsetDays = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The error fields of `problem` that a form shows next to an input (the rest go to the banner). */
export function shownFields(problem: Problem | null | undefined, shows: (field: string) => boolean): string[] {
  return (problem?.errors ?? []).map((e) => e.field).filter(shows);
}

/** Hands a downloaded file to the browser as a download; returns the name it was saved under. */
export function saveDownload(file: { blob: Blob; filename: string | null }, fallbackName: string): string {
  const name = file.filename ?? fallbackName;
  const url = URL.createObjectURL(file.blob);
  const a = h('a', { href: url, download: name, class: 'sr-only' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
