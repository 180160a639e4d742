// Officials: starting a campaign — its name and goal, start and deadline, the reporting dates in
// between (the deadline always is one), the targets (a population and a percentage each) and the
// units it covers, ticked from the units of the jurisdiction. Every error the server finds is
// shown next to the input it names (a reporting date's row, a target's row, the unit list).

import { toProblem, type Problem } from '../api';
import { campaignApi, GOALS, POPULATIONS, type Campaign, type Goal, type OrgUnit, type Population } from '../api-campaigns';
import { goalLabel, orgKindLabel, populationLabel } from '../campaign-view';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, checkboxField, fieldErrorText, fieldErrors, focusFirstError, problemBanner, selectField, textField, todayIso } from '../ui';

interface TargetRow {
  population: Population;
  percent: string;
}

export class CampaignFormSection {
  private name = '';
  private goal: Goal = GOALS[0];
  private start = todayIso();
  private deadline = todayIso(30);
  private dates: string[] = [todayIso(7), todayIso(14), todayIso(21)];
  private targets: TargetRow[] = [
    { population: 'staff_smartphone', percent: '100' },
    { population: 'smartphone_users', percent: '50' },
  ];
  private chosen = new Set<string>();
  private busy = false;
  private problem: Problem | null = null;

  constructor(
    private readonly app: App,
    private readonly units: () => OrgUnit[] | null,
    private readonly created: (c: Campaign) => void,
  ) {}

  render(): HTMLElement {
    const p = this.problem;
    const shown = ['name', 'goal', 'start', 'deadline', 'reporting_dates', 'targets', 'units', ...this.dates.map((_, i) => `reporting_dates[${i}]`), ...this.targets.flatMap((_, i) => [`targets[${i}].population`, `targets[${i}].percent`])];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'campaign-form-heading', 'data-testid': 'campaign-form-section' },
      h('h2', { id: 'campaign-form-heading' }, t('campaign_new')),
      h(
        'form',
        { id: 'campaign-form', class: 'form', novalidate: true, 'data-testid': 'campaign-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(p, shown, 'campaign-form-problem'),
        textField({ id: 'campaign-name', name: 'name', label: t('campaign_name'), value: this.name, required: true, maxlength: 200, problem: p, testid: 'campaign-name', oninput: (v) => (this.name = v) }),
        selectField({
          id: 'campaign-goal',
          name: 'goal',
          label: t('campaign_goal'),
          value: this.goal,
          options: GOALS.map((g) => ({ value: g, label: goalLabel(g) })),
          problem: p,
          testid: 'campaign-goal',
          onchange: (v) => (this.goal = v as Goal),
        }),
        h(
          'div',
          { class: 'form-row' },
          textField({ id: 'campaign-start', name: 'start', type: 'date', label: t('campaign_start'), value: this.start, required: true, problem: p, testid: 'campaign-start', oninput: (v) => (this.start = v) }),
          textField({ id: 'campaign-deadline', name: 'deadline', type: 'date', label: t('campaign_deadline'), value: this.deadline, required: true, problem: p, testid: 'campaign-deadline', oninput: (v) => (this.deadline = v) }),
        ),
        this.renderDates(p),
        this.renderTargets(p),
        this.renderUnits(p),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'campaign-submit', disabled: this.busy }, this.busy ? t('sending') : t('campaign_create')),
      ),
    );
  }

  private renderDates(p: Problem | null): HTMLElement {
    const errors = fieldErrors(p, 'reporting_dates');
    return h(
      'fieldset',
      { class: ['fieldset', errors.length > 0 && 'has-error'] },
      h('legend', null, t('campaign_reporting_dates')),
      h('p', { class: 'hint' }, t('campaign_reporting_dates_hint')),
      errors.length > 0 && fieldErrorText('campaign-dates-error', errors, 'reporting_dates'),
      this.dates.map((d, i) =>
        textField({
          id: `campaign-date-${i}`,
          name: `reporting_dates[${i}]`,
          type: 'date',
          label: t('campaign_reporting_date_n', { n: i + 1 }),
          value: d,
          problem: p,
          testid: `campaign-date-${i}`,
          class: 'short-field',
          oninput: (v) => (this.dates[i] = v),
          after: h('button', { type: 'button', class: 'button ghost small', 'aria-label': t('campaign_remove_date', { n: i + 1 }), onclick: () => this.removeDate(i) }, t('campaign_remove')),
        }),
      ),
      h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'campaign-add-date', onclick: () => this.addDate() }, t('campaign_add_date')),
    );
  }

  private renderTargets(p: Problem | null): HTMLElement {
    const errors = fieldErrors(p, 'targets');
    return h(
      'fieldset',
      { class: ['fieldset', errors.length > 0 && 'has-error'] },
      h('legend', null, t('campaign_targets')),
      errors.length > 0 && fieldErrorText('campaign-targets-error', errors, 'targets'),
      this.targets.map((row, i) =>
        h(
          'div',
          { class: 'form-row target-row', 'data-testid': 'campaign-target-row' },
          selectField({
            id: `campaign-target-${i}-population`,
            name: `targets[${i}].population`,
            label: t('campaign_target_population', { n: i + 1 }),
            value: row.population,
            options: POPULATIONS.map((x) => ({ value: x, label: populationLabel(x) })),
            problem: p,
            testid: `campaign-target-${i}-population`,
            onchange: (v) => (row.population = v as Population),
          }),
          textField({
            id: `campaign-target-${i}-percent`,
            name: `targets[${i}].percent`,
            type: 'number',
            inputmode: 'numeric',
            min: 1,
            max: 100,
            label: t('campaign_target_percent'),
            value: row.percent,
            problem: p,
            testid: `campaign-target-${i}-percent`,
            class: 'short-field',
            oninput: (v) => (row.percent = v),
            after: this.targets.length > 1 && h('button', { type: 'button', class: 'button ghost small', 'aria-label': t('campaign_remove_target', { n: i + 1 }), onclick: () => this.removeTarget(i) }, t('campaign_remove')),
          }),
        ),
      ),
      this.targets.length < POPULATIONS.length && h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'campaign-add-target', onclick: () => this.addTarget() }, t('campaign_add_target')),
    );
  }

  private renderUnits(p: Problem | null): HTMLElement {
    const units = this.units();
    const errors = fieldErrors(p, 'units');
    return h(
      'fieldset',
      { class: ['fieldset', errors.length > 0 && 'has-error'], 'data-testid': 'campaign-units-choice' },
      h('legend', null, t('campaign_units_choose', { count: this.chosen.size })),
      errors.length > 0 && fieldErrorText('campaign-units-error', errors, 'units'),
      units === null
        ? h('p', { class: 'muted', role: 'status' }, t('loading'))
        : units.length === 0
          ? h('p', { class: 'empty' }, t('org_units_empty'))
          : [
              h(
                'div',
                { class: 'actions' },
                h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'campaign-units-all', onclick: () => this.chooseAll(units, true) }, t('campaign_units_all_choose')),
                h('button', { type: 'button', class: 'button ghost small', onclick: () => this.chooseAll(units, false) }, t('campaign_units_none_choose')),
              ),
              h(
                'div',
                { class: 'check-grid unit-checks' },
                units.map((u) =>
                  checkboxField({
                    id: `campaign-unit-${u.code}`,
                    name: 'units[]',
                    label: h('span', null, h('strong', null, u.name), ' ', h('span', { class: 'muted small' }, `${u.code} · ${orgKindLabel(u.kind)}`)),
                    checked: this.chosen.has(u.code),
                    testid: `campaign-unit-${u.code}`,
                    onchange: (on) => {
                      if (on) this.chosen.add(u.code);
                      else this.chosen.delete(u.code);
                      this.app.rerender();
                    },
                  }),
                ),
              ),
            ],
    );
  }

  private addDate(): void {
    this.dates.push('');
    this.app.rerender();
    document.getElementById(`campaign-date-${this.dates.length - 1}`)?.focus();
  }

  private removeDate(i: number): void {
    this.dates.splice(i, 1);
    this.problem = null;
    this.app.rerender();
  }

  private addTarget(): void {
    const free = POPULATIONS.find((x) => !this.targets.some((r) => r.population === x)) ?? POPULATIONS[0];
    this.targets.push({ population: free, percent: '' });
    this.app.rerender();
    document.getElementById(`campaign-target-${this.targets.length - 1}-population`)?.focus();
  }

  private removeTarget(i: number): void {
    this.targets.splice(i, 1);
    this.problem = null;
    this.app.rerender();
  }

  private chooseAll(units: OrgUnit[], on: boolean): void {
    this.chosen = new Set(on ? units.map((u) => u.code) : []);
    this.app.rerender();
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    // Empty date rows are not sent; the server's errors name the sent index, so map them back.
    const rows = this.dates.map((d, i) => ({ d: d.trim(), i })).filter((r) => r.d !== '');
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      const c = await campaignApi.create({
        name: this.name.trim(),
        goal: this.goal,
        start: this.start,
        deadline: this.deadline,
        reporting_dates: rows.map((r) => r.d),
        targets: this.targets.map((r) => ({ population: r.population, percent: percentOf(r.percent) })),
        units: [...this.chosen],
      });
      this.busy = false;
      announce(t('campaign_created', { name: c.name }));
      this.created(c);
    } catch (err) {
      const problem = toProblem(err);
      problem.errors = problem.errors?.map((x) => ({
        ...x,
        field: x.field.replace(/^reporting_dates\[(\d+)\]/, (_, k: string) => `reporting_dates[${rows[Number(k)]?.i ?? k}]`),
      }));
      this.busy = false;
      this.problem = problem;
      this.app.rerender();
      announceProblem(problem);
      focusFirstError(document.getElementById('campaign-form'));
    }
  }
}

/** The percentage typed (0 when empty or not a number, which the server names as out of range). */
function percentOf(text: string): number {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) ? Math.round(n) : 0;
}
