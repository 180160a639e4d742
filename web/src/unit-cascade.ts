// Cascading selects down the administrative unit tree: province → (district →) commune.
// GET /api/v1/units gives the provinces, GET /api/v1/units?parent=CODE the children; a child
// of tier "district" needs one more level, and the choice is complete at tier "commune".

import { api, toProblem, type Problem, type Unit } from './api';
import { h } from './dom';
import { pick, t, type MessageKey } from './i18n';
import { fieldErrorText, fieldErrors } from './ui';

// Children lists are shared by every cascade on the page (and kept for the session).
const childrenCache = new Map<string, Promise<Unit[]>>();

function children(parent: string | null): Promise<Unit[]> {
  const key = parent ?? '';
  let p = childrenCache.get(key);
  if (!p) {
    p = api.units(parent ?? undefined).catch((err: unknown) => {
      childrenCache.delete(key);
      throw err;
    });
    childrenCache.set(key, p);
  }
  return p;
}

interface Level {
  parent: string | null;
  units: Unit[] | null;
  value: string;
}

export interface UnitCascadeOptions {
  /** Id prefix of the selects. */
  id: string;
  /** The API field the chosen commune goes to (e.g. `identity.address.unit_code`). */
  name: string;
  legend: () => string;
  testid?: string;
  /** Asks the page to render again (a level was added or loaded). */
  onChange: () => void;
}

export class UnitCascade {
  private levels: Level[] = [{ parent: null, units: null, value: '' }];
  private problem: Problem | null = null;
  private token = 0;

  constructor(private readonly o: UnitCascadeOptions) {}

  /** The chosen commune's code, or null while the choice is incomplete. */
  get code(): string | null {
    const last = this.levels[this.levels.length - 1];
    const unit = last.units?.find((u) => u.code === last.value);
    return unit && unit.tier === 'commune' ? unit.code : null;
  }

  /** The chosen commune (for display), or null. */
  get unit(): Unit | null {
    const last = this.levels[this.levels.length - 1];
    const unit = last.units?.find((u) => u.code === last.value);
    return unit && unit.tier === 'commune' ? unit : null;
  }

  /** Loads the provinces and, when `code` is given, the levels down to that unit. */
  async init(code?: string | null): Promise<void> {
    const token = ++this.token;
    try {
      const chain: Unit[] = [];
      if (code) {
        let unit: Unit | null = await api.unit(code).catch(() => null);
        for (let guard = 0; unit && guard < 6; guard += 1) {
          chain.unshift(unit);
          if (!unit.parent_code || unit.parent_code === 'VN') break;
          unit = await api.unit(unit.parent_code).catch(() => null);
        }
      }
      const levels: Level[] = [{ parent: null, units: await children(null), value: chain[0]?.code ?? '' }];
      for (let i = 1; i < chain.length; i += 1) {
        levels.push({ parent: chain[i - 1].code, units: await children(chain[i - 1].code), value: chain[i].code });
      }
      // A chain that stops above the commune level gets an empty next level.
      const last = chain[chain.length - 1];
      if (last && last.tier !== 'commune') levels.push({ parent: last.code, units: await children(last.code), value: '' });
      if (token !== this.token) return;
      this.levels = levels;
      this.problem = null;
    } catch (err) {
      if (token !== this.token) return;
      this.problem = toProblem(err);
    }
    this.o.onChange();
  }

  /** Sets the cascade to `code` (or clears it). */
  set(code: string | null): void {
    void this.init(code);
  }

  private async choose(index: number, value: string): Promise<void> {
    const level = this.levels[index];
    level.value = value;
    this.levels = this.levels.slice(0, index + 1);
    const unit = level.units?.find((u) => u.code === value);
    const token = ++this.token;
    if (unit && unit.tier !== 'commune') {
      const next: Level = { parent: unit.code, units: null, value: '' };
      this.levels.push(next);
      this.o.onChange();
      try {
        const units = await children(unit.code);
        if (token !== this.token) return;
        next.units = units;
        this.problem = null;
      } catch (err) {
        if (token !== this.token) return;
        this.problem = toProblem(err);
      }
    }
    this.o.onChange();
  }

  private levelLabel(level: Level, index: number): MessageKey {
    if (index === 0) return 'unit_level_province';
    const tier = level.units?.[0]?.tier;
    if (tier === 'district') return 'unit_level_district';
    if (tier === 'commune') return 'unit_level_commune';
    return 'unit_level_next';
  }

  private levelTestid(level: Level, index: number): string | undefined {
    if (!this.o.testid) return undefined;
    if (index === 0) return `${this.o.testid}-province`;
    const tier = level.units?.[0]?.tier;
    return `${this.o.testid}-${tier === 'district' ? 'district' : tier === 'commune' ? 'commune' : `level-${index}`}`;
  }

  render(problem?: Problem | null): HTMLElement {
    const errors = fieldErrors(problem, this.o.name);
    const errorId = errors.length ? `${this.o.id}-error` : undefined;
    const legendId = `${this.o.id}-legend`;
    const lastIndex = this.levels.length - 1;
    return h(
      'fieldset',
      { class: ['fieldset', 'unit-cascade', errors.length > 0 && 'has-error'], 'aria-describedby': errorId, 'data-testid': this.o.testid },
      h('legend', { id: legendId, class: 'label' }, this.o.legend()),
      errors.length > 0 && fieldErrorText(errorId!, errors, this.o.name),
      this.problem && h('p', { class: 'field-error', role: 'alert' }, pick(this.problem.message)),
      h(
        'div',
        { class: 'cascade-levels' },
        this.levels.map((level, index) => {
          const id = `${this.o.id}-${index}`;
          const loading = level.units === null;
          const invalid = errors.length > 0 && index === lastIndex;
          return h(
            'div',
            { class: 'field' },
            h('label', { for: id, class: 'sublabel' }, t(this.levelLabel(level, index))),
            h(
              'select',
              {
                id,
                name: index === lastIndex ? this.o.name : `${this.o.name}-level-${index}`,
                class: 'input',
                disabled: loading,
                'aria-busy': loading ? 'true' : undefined,
                'aria-invalid': invalid ? 'true' : undefined,
                'aria-describedby': invalid ? errorId : undefined,
                'data-testid': this.levelTestid(level, index),
                onchange: (e: Event) => void this.choose(index, (e.target as HTMLSelectElement).value),
              },
              h('option', { value: '', disabled: true, selected: level.value === '' }, loading ? t('loading') : t('unit_choose')),
              (level.units ?? []).map((u) => h('option', { value: u.code, selected: u.code === level.value }, u.name)),
            ),
          );
        }),
      ),
    );
  }
}
