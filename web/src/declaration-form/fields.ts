// The building blocks shared by every part of the declaration form: element and test ids from
// the form's prefix and a field path (`identity.address.unit_code` → `decl-identity-address-unit_code`),
// text and select fields bound to an answer, groups of check boxes with errors for the group and
// its items, titled sections, options from the reference lists, and the province → commune
// cascades wired to the form's re-render. It also holds the reference lists once loaded.

import type { BorderGate, Choice, Country, DeclarationChoices, Problem } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import { byName, choiceLabel, countryName } from '../reference';
import { checkboxField, fieldErrorText, fieldErrorsUnder, fieldWiring, selectField, textField } from '../ui';
import { UnitCascade } from '../unit-cascade';

export interface FormContext {
  /** Prefix of element ids and test ids ("decl", "cp"). */
  prefix: string;
  /** At a checkpoint the person's phone is asked separately, and nothing is remembered. */
  mode: 'citizen' | 'checkpoint';
  rerender: () => void;
}

export type Options = { value: string; label: string }[];

export class Fields {
  choices: DeclarationChoices | null = null;
  countries: Country[] = [];
  gates: BorderGate[] = [];

  constructor(readonly ctx: FormContext) {}

  get citizen(): boolean {
    return this.ctx.mode === 'citizen';
  }

  id(field: string): string {
    return `${this.ctx.prefix}-${field.replace(/[.[\]]+/g, '-').replace(/-$/, '')}`;
  }

  /** A province → (district →) commune cascade for the unit code at `name`. */
  cascade(suffix: string, name: string, legend: () => string): UnitCascade {
    const id = `${this.ctx.prefix}-${suffix}`;
    return new UnitCascade({ id, name, legend, testid: id, onChange: this.ctx.rerender });
  }

  text(
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    extra: Partial<Parameters<typeof textField>[0]> = {},
    problem: Problem | null,
  ): HTMLElement {
    return textField({ id: this.id(field), name: field, label, value, testid: this.id(field), problem, oninput: (v) => set(v), ...extra });
  }

  select(
    field: string,
    label: string,
    value: string,
    options: Options,
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
        if (opts.rerender) this.ctx.rerender();
      },
    });
  }

  choiceOptions(list: Choice[] | undefined, only?: string[]): Options {
    const items = (list ?? []).filter((c) => !only || only.includes(c.value));
    return items.map((c) => ({ value: c.value, label: choiceLabel(c) }));
  }

  /** Countries by name, Việt Nam first. */
  countryOptions(): Options {
    const sorted = byName(this.countries, countryName);
    const vn = sorted.find((c) => c.code === 'VN');
    const rest = sorted.filter((c) => c.code !== 'VN');
    return [...(vn ? [vn] : []), ...rest].map((c) => ({ value: c.code, label: countryName(c) }));
  }

  /** A group of check boxes over `list`, with errors for `field` and its items. */
  checks(field: string, legend: string, list: Choice[] | undefined, set: Set<string>, problem: Problem | null, testPrefix: string, hint?: string): HTMLElement {
    const errors = fieldErrorsUnder(problem, field);
    const { errorId, hintId, describedBy } = fieldWiring(this.id(field), errors, hint);
    return h(
      'fieldset',
      { class: ['fieldset', 'check-group', errors.length > 0 && 'has-error'], 'aria-describedby': describedBy },
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
            testid: `${this.ctx.prefix}-${testPrefix}-${c.value}`,
            onchange: (on) => {
              if (on) set.add(c.value);
              else set.delete(c.value);
            },
          }),
        ),
      ),
    );
  }

  section(key: string, title: string, ...children: Child[]): HTMLElement {
    const id = `${this.ctx.prefix}-sec-${key}`;
    return h('section', { class: 'form-section', 'aria-labelledby': id }, h('h3', { id, class: 'form-section-title' }, title), ...children);
  }
}

/** `v` trimmed, or undefined when empty (optional answers). */
export function opt(v: string): string | undefined {
  return v.trim() ? v.trim() : undefined;
}
