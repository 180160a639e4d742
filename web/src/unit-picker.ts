// Unit picker: an ARIA 1.2 combobox that searches administrative units
// (GET /api/v1/units/search) and lets the user pick one.

import { api, toProblem, type Problem, type Unit } from './api';
import { debounce, h, replaceChildren } from './dom';
import { pick, t } from './i18n';
import { fieldErrorText, fieldErrors, icon } from './ui';

export interface UnitPickerOptions {
  /** Stable id prefix (the input gets this id). */
  id: string;
  /** Form field name, matched against `errors[].field` (e.g. "unit_code"). */
  name: string;
  /** Label text (a function so that it follows the current language). */
  label: () => string;
  selected: Unit | null;
  /** Text shown while nothing is chosen. */
  emptyText: () => string;
  testid?: string;
  onSelect?: (unit: Unit | null) => void;
}

export class UnitPicker {
  selected: Unit | null;
  private query: string;
  private results: Unit[] = [];
  private open = false;
  private active = -1;
  private loading = false;
  private searched = false;
  private searchProblem: Problem | null = null;
  private abort: AbortController | null = null;

  private input: HTMLInputElement | null = null;
  private listbox: HTMLUListElement | null = null;
  private status: HTMLElement | null = null;
  private selectedBox: HTMLElement | null = null;

  constructor(private readonly o: UnitPickerOptions) {
    this.selected = o.selected;
    this.query = o.selected?.name ?? '';
  }

  get code(): string | null {
    return this.selected?.code ?? null;
  }

  setSelected(unit: Unit | null): void {
    this.selected = unit;
    this.query = unit?.name ?? '';
    if (this.input) this.input.value = this.query;
    this.renderSelected();
  }

  /** Builds the picker's DOM (called on every page render). */
  render(problem?: Problem | null): HTMLElement {
    const id = this.o.id;
    const listId = `${id}-listbox`;
    const hintId = `${id}-hint`;
    const statusId = `${id}-status`;
    const selectedId = `${id}-selected`;
    const errors = fieldErrors(problem, this.o.name);
    const errorId = errors.length ? `${id}-error` : undefined;

    this.input = h('input', {
      id,
      name: `${this.o.name}_search`,
      type: 'search',
      class: 'input',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      'aria-autocomplete': 'list',
      'aria-expanded': String(this.open),
      'aria-controls': listId,
      'aria-describedby': [errorId, selectedId, hintId].filter(Boolean).join(' '),
      'aria-invalid': errors.length ? 'true' : undefined,
      'data-testid': this.o.testid,
      'data-field': this.o.name,
      placeholder: t('unit_search_placeholder'),
      value: this.query,
      oninput: (e: Event) => this.onInput((e.target as HTMLInputElement).value),
      onkeydown: (e: KeyboardEvent) => this.onKeyDown(e),
      onblur: () => {
        // Let a click on an option land before closing.
        window.setTimeout(() => this.close(), 150);
      },
      onfocus: () => {
        if (this.results.length > 0 && this.query.trim().length >= 2) this.setOpen(true);
      },
    });
    this.listbox = h('ul', {
      id: listId,
      role: 'listbox',
      class: 'combo-list',
      'aria-label': this.o.label(),
      'data-testid': this.o.testid ? `${this.o.testid}-options` : undefined,
    });
    this.status = h('p', { id: statusId, class: 'sr-only', 'aria-live': 'polite', 'aria-atomic': 'true' });
    this.selectedBox = h('div', { id: selectedId, class: 'unit-selected' });

    this.renderList();
    this.renderSelected();

    return h(
      'div',
      { class: ['field', 'unit-picker', errors.length > 0 && 'has-error'] },
      h('label', { for: id, class: 'label' }, this.o.label()),
      h('p', { id: hintId, class: 'hint' }, t('unit_search_hint')),
      errors.length > 0 && fieldErrorText(errorId!, errors, this.o.name),
      h('div', { class: 'combo' }, this.input, this.listbox),
      this.status,
      this.selectedBox,
    );
  }

  private renderSelected(): void {
    if (!this.selectedBox) return;
    if (!this.selected) {
      replaceChildren(this.selectedBox, h('span', { class: 'muted' }, this.o.emptyText()));
      return;
    }
    replaceChildren(
      this.selectedBox,
      h('span', { class: 'unit-chip', 'data-testid': this.o.testid ? `${this.o.testid}-selected` : undefined },
        icon('pin', 'unit-chip-icon'),
        t('unit_selected', { path: this.selected.path || this.selected.name }),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          onclick: () => {
            this.setSelected(null);
            this.o.onSelect?.(null);
            this.input?.focus();
          },
        },
        t('unit_clear'),
      ),
    );
  }

  private renderList(): void {
    const list = this.listbox;
    const input = this.input;
    if (!list || !input) return;
    const show = this.open && (this.results.length > 0 || this.searched || this.searchProblem !== null);
    list.hidden = !show;
    input.setAttribute('aria-expanded', String(show && this.results.length > 0));
    if (this.active >= 0 && this.results[this.active]) input.setAttribute('aria-activedescendant', this.optionId(this.active));
    else input.removeAttribute('aria-activedescendant');

    if (this.searchProblem) {
      replaceChildren(list, h('li', { class: 'combo-empty', role: 'presentation' }, pick(this.searchProblem.message)));
      return;
    }
    if (this.results.length === 0) {
      replaceChildren(list, this.searched ? h('li', { class: 'combo-empty', role: 'presentation' }, t('unit_no_results')) : null);
      return;
    }
    replaceChildren(
      list,
      this.results.map((unit, i) =>
        h(
          'li',
          {
            id: this.optionId(i),
            role: 'option',
            class: ['combo-option', i === this.active && 'active'],
            'aria-selected': String(i === this.active),
            'data-code': unit.code,
            onmousedown: (e: MouseEvent) => e.preventDefault(),
            onclick: () => this.choose(i),
          },
          h('span', { class: 'combo-option-name' }, unit.name),
          h('span', { class: 'combo-option-path' }, unit.path),
        ),
      ),
    );
    if (this.active >= 0) document.getElementById(this.optionId(this.active))?.scrollIntoView({ block: 'nearest' });
  }

  private optionId(i: number): string {
    return `${this.o.id}-opt-${i}`;
  }

  private setOpen(open: boolean): void {
    this.open = open;
    if (!open) this.active = -1;
    this.renderList();
  }

  private close(): void {
    if (this.open) this.setOpen(false);
  }

  private onInput(value: string): void {
    this.query = value;
    if (value.trim().length < 2) {
      this.abort?.abort();
      this.results = [];
      this.searched = false;
      this.searchProblem = null;
      this.setOpen(false);
      return;
    }
    this.searchSoon(value.trim());
  }

  private searchSoon = debounce((q: string) => void this.search(q), 250);

  private async search(q: string): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    try {
      const units = await api.searchUnits(q, 20, abort.signal);
      if (abort.signal.aborted) return;
      this.results = units;
      this.searchProblem = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.results = [];
      this.searchProblem = toProblem(err);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
    this.searched = true;
    this.active = -1;
    this.open = document.activeElement === this.input;
    this.renderList();
    if (this.status) {
      this.status.textContent = this.searchProblem
        ? pick(this.searchProblem.message)
        : this.results.length
          ? t('unit_results', { count: this.results.length })
          : t('unit_no_results');
    }
  }

  private onKeyDown(e: KeyboardEvent): void {
    const n = this.results.length;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (n === 0) return;
        this.open = true;
        this.active = (this.active + 1) % n;
        this.renderList();
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (n === 0) return;
        this.open = true;
        this.active = this.active <= 0 ? n - 1 : this.active - 1;
        this.renderList();
        break;
      case 'Enter':
        if (this.open && this.active >= 0) {
          e.preventDefault();
          this.choose(this.active);
        } else if (this.open && n === 1) {
          e.preventDefault();
          this.choose(0);
        }
        break;
      case 'Escape':
        if (this.open) {
          e.preventDefault();
          this.setOpen(false);
        }
        break;
      default:
        break;
    }
  }

  private choose(i: number): void {
    const unit = this.results[i];
    if (!unit) return;
    this.selected = unit;
    this.query = unit.name;
    if (this.input) this.input.value = unit.name;
    this.setOpen(false);
    this.renderSelected();
    if (this.status) this.status.textContent = t('unit_selected', { path: unit.path || unit.name });
    this.o.onSelect?.(unit);
  }

  /** True while a search request is running (for tests / busy indicators). */
  get busy(): boolean {
    return this.loading;
  }
}
