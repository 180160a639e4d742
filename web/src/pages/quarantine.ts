// Officials (health officials, admins): the quarantine follow-up list of the jurisdiction — name,
// phone, level, kind, day N of the total, end, next test, whether today's health update came, the
// days before today without one, the test results and the past test days without a result (the
// missing ones are highlighted; the server lists those first). Each row records a test (sample
// date and result; the server names a wrong field, shown next to its input); after a positive
// result the row offers to register the person as a case. Every read is audited.

import { toProblem, type Problem, type StaffMe } from '../api';
import { nextTest, TEST_RESULTS, totalDays, tracingApi, vietnamToday, type QuarantineOrder, type QuarantineTest, type TestResult } from '../api-tracing';
import { h, type Child } from '../dom';
import { hasKey, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, fieldErrors, fieldErrorText, fieldWiring, formatDay, formatPhone, icon, listBody, problemBanner } from '../ui';

/** The "record a test" inputs of one order, and what sending them gave. */
interface TestEntry {
  date: string;
  result: TestResult;
  busy: boolean;
  problem: Problem | null;
  /** The result just recorded. */
  recorded: QuarantineTest | null;
}

/** "Âm tính" / "Negative"…; an unknown code as sent. */
export function testResultLabel(result: string): string {
  const key = `test_result_${result}`;
  return TEST_RESULTS.includes(result as TestResult) && hasKey(key) ? t(key) : result;
}

export function quarantineKindLabel(kind: string): string {
  const key = `kind_${kind}`;
  return (kind === 'facility' || kind === 'home') && hasKey(key) ? t(key) : kind;
}

/** "Day 3 of 14", or "not started" before day 1. */
export function dayOf(o: QuarantineOrder): string {
  const total = totalDays(o);
  return o.day !== null && total !== null ? t('quarantine_day_of', { day: o.day, total }) : t('quarantine_not_started');
}

export class QuarantinePage implements Page {
  private rows: QuarantineOrder[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;
  private tests = new Map<number, TestEntry>();

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('quarantine_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const rows = await tracingApi.quarantine(abort.signal);
      if (abort.signal.aborted) return;
      // The server's order (missing updates first) is kept.
      this.rows = rows;
      this.problem = null;
      announce(t('quarantine_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  /** The order's "record a test" inputs: the sample taken today (or the last day), negative. */
  private entry(o: QuarantineOrder, today: string): TestEntry {
    let entry = this.tests.get(o.id);
    if (!entry) {
      entry = { date: o.ends_on < today ? o.ends_on : today, result: 'negative', busy: false, problem: null, recorded: null };
      this.tests.set(o.id, entry);
    }
    return entry;
  }

  private async recordTest(o: QuarantineOrder, entry: TestEntry): Promise<void> {
    if (entry.busy) return;
    entry.busy = true;
    entry.problem = null;
    entry.recorded = null;
    this.app.rerender();
    try {
      const order = await tracingApi.recordTest(o.id, { date: entry.date, result: entry.result });
      this.rows = this.rows?.map((r) => (r.id === order.id ? order : r)) ?? null;
      entry.recorded = { date: entry.date, result: entry.result };
      announce(t('test_recorded', { result: testResultLabel(entry.result), date: formatDay(entry.date) }));
      if (entry.result === 'positive') announce(t('test_positive_hint', { name: o.full_name }), true);
    } catch (err) {
      entry.problem = toProblem(err);
      announceProblem(entry.problem);
    }
    entry.busy = false;
    this.app.rerender();
    if (entry.problem?.errors?.length) document.querySelector<HTMLElement>(`[data-order-id="${o.id}"] [aria-invalid="true"]`)?.focus();
  }

  render(): Child[] {
    const missing = this.rows?.filter((r) => !r.updated_today).length ?? 0;
    const overdue = this.rows?.filter((r) => r.tests_overdue.length > 0).length ?? 0;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'quarantine'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'quarantine-page' },
        h('h1', { id: 'quarantine-heading', tabindex: -1, class: 'page-title', 'data-testid': 'quarantine-heading' }, t('quarantine_title')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'quarantine-heading' },
          h('p', { class: 'muted' }, t('quarantine_intro')),
          h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('quarantine_audit_notice')),
          h(
            'div',
            { class: 'list-toolbar' },
            h(
              'p',
              { class: 'muted small', role: 'status', 'data-testid': 'quarantine-count', 'data-count': this.rows?.length ?? '' },
              this.loading ? t('loading') : this.rows
                  ? [
                      t('quarantine_count', { count: this.rows.length }),
                      missing > 0 && ` · ${t('quarantine_missing', { count: missing })}`,
                      overdue > 0 && ` · ${t('quarantine_overdue_count', { count: overdue })}`,
                    ]
                  : '',
            ),
            h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'quarantine-reload', disabled: this.loading, onclick: () => void this.load() }, t('cases_reload')),
          ),
          h(
            'div',
            { class: 'table-wrap', 'aria-busy': String(this.loading) },
            listBody(this.problem, this.rows, {
              empty: () => h('p', { class: 'empty', 'data-testid': 'quarantine-empty' }, t('quarantine_empty')),
              rows: (rows) => this.renderTable(rows),
            }),
          ),
        ),
      ),
    ];
  }

  private renderTable(rows: QuarantineOrder[]): HTMLElement {
    const today = vietnamToday();
    return h(
      'table',
      { class: 'table compact quarantine-table', 'data-testid': 'quarantine-table' },
      h('caption', { class: 'sr-only' }, t('quarantine_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [
            t('col_name'),
            t('col_phone'),
            t('col_level'),
            t('col_quarantine_kind'),
            t('col_day_of'),
            t('col_ends_on'),
            t('col_next_test'),
            t('col_updated_today'),
            t('col_tests'),
          ].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((o) => {
          const test = nextTest(o, today);
          return h(
            'tr',
            {
              class: [(!o.updated_today || o.missed_updates > 0) && 'missing-update'],
              'data-testid': 'quarantine-row',
              'data-order-id': o.id,
              'data-person-id': o.person_id,
              'data-updated': String(o.updated_today),
              'data-missed': o.missed_updates,
              'data-overdue': o.tests_overdue.length,
            },
            h('th', { scope: 'row' }, o.full_name),
            h('td', { class: 'nowrap' }, o.phone ? formatPhone(o.phone) : t('none')),
            h('td', null, h('span', { class: ['level-chip', `chain-level-${Math.min(o.level, 3)}`] }, `F${o.level}`)),
            h('td', null, quarantineKindLabel(o.kind)),
            h('td', { class: 'nowrap' }, dayOf(o)),
            h('td', { class: 'nowrap', 'data-testid': 'quarantine-ends-on' }, h('time', { datetime: o.ends_on }, formatDay(o.ends_on))),
            h('td', { class: 'nowrap' }, test === null ? t('none') : test === today ? h('strong', null, t('quarantine_test_today')) : h('time', { datetime: test }, formatDay(test))),
            h(
              'td',
              { class: 'nowrap' },
              o.updated_today
                ? h('span', { class: 'update-state ok' }, h('span', { 'aria-hidden': 'true' }, '✓ '), t('quarantine_updated_yes'))
                : h('span', { class: 'update-state missing' }, h('span', { 'aria-hidden': 'true' }, '✗ '), t('quarantine_updated_no')),
              o.missed_updates > 0 &&
                h(
                  'span',
                  { class: 'update-state missing block', 'data-testid': 'quarantine-missed', 'data-count': o.missed_updates },
                  h('span', { 'aria-hidden': 'true' }, '✗ '),
                  t('quarantine_missed_days', { count: o.missed_updates }),
                ),
            ),
            h('td', { class: 'test-cell' }, this.renderTests(o), this.renderTestForm(o, today)),
          );
        }),
      ),
    );
  }

  /** The results recorded (newest last) and the past test days without one, highlighted. */
  private renderTests(o: QuarantineOrder): Child {
    const tests = [...o.tests].sort((a, b) => a.date.localeCompare(b.date));
    return h(
      'div',
      { class: 'quarantine-tests', 'data-testid': 'quarantine-tests' },
      tests.length > 0
        ? h(
            'ul',
            { class: 'test-list' },
            tests.map((x) =>
              h(
                'li',
                { class: 'nowrap', 'data-testid': 'quarantine-test', 'data-date': x.date, 'data-result': x.result },
                h('time', { datetime: x.date }, formatDay(x.date)),
                ': ',
                h('span', { class: ['test-result', x.result === 'positive' ? 'positive' : 'negative'] }, testResultLabel(x.result)),
              ),
            ),
          )
        : o.tests_overdue.length === 0 && h('span', { class: 'muted' }, t('quarantine_tests_none')),
      o.tests_overdue.length > 0 &&
        h(
          'p',
          { class: 'test-overdue', 'data-testid': 'quarantine-overdue', 'data-dates': o.tests_overdue.join(' ') },
          h('span', { 'aria-hidden': 'true' }, '⚠ '),
          t('quarantine_tests_overdue', { dates: o.tests_overdue.map(formatDay).join(', ') }),
        ),
    );
  }

  /**
   * Sample date and result, sent for this order: compact (the labels are read out, not shown; the
   * column says what it is), with the server's field errors beside the inputs.
   */
  private renderTestForm(o: QuarantineOrder, today: string): Child {
    const entry = this.entry(o, today);
    const p = entry.problem;
    const positive = o.tests.some((x) => x.result === 'positive');
    const dateId = `test-date-${o.id}`;
    const resultId = `test-result-${o.id}`;
    const dateErrors = fieldErrors(p, 'date');
    const resultErrors = fieldErrors(p, 'result');
    const date = fieldWiring(dateId, dateErrors);
    const result = fieldWiring(resultId, resultErrors);
    return h(
      'form',
      {
        class: 'test-form',
        novalidate: true,
        'data-testid': 'quarantine-test-form',
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          void this.recordTest(o, entry);
        },
      },
      problemBanner(p, ['date', 'result']),
      h(
        'div',
        { class: ['test-form-field', dateErrors.length > 0 && 'has-error'] },
        h('label', { for: dateId, class: 'sr-only' }, t('test_date')),
        dateErrors.length > 0 && fieldErrorText(date.errorId!, dateErrors, 'date'),
        h('input', {
          id: dateId,
          name: 'date',
          type: 'date',
          class: 'input',
          value: entry.date,
          min: o.starts_on,
          max: today,
          'aria-describedby': date.describedBy,
          'aria-invalid': dateErrors.length ? 'true' : undefined,
          'data-testid': 'quarantine-test-date',
          oninput: (e: Event) => (entry.date = (e.target as HTMLInputElement).value),
        }),
      ),
      h(
        'div',
        { class: ['test-form-field', resultErrors.length > 0 && 'has-error'] },
        h('label', { for: resultId, class: 'sr-only' }, t('test_result')),
        resultErrors.length > 0 && fieldErrorText(result.errorId!, resultErrors, 'result'),
        h(
          'select',
          {
            id: resultId,
            name: 'result',
            class: 'input',
            'aria-describedby': result.describedBy,
            'aria-invalid': resultErrors.length ? 'true' : undefined,
            'data-testid': 'quarantine-test-result',
            onchange: (e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              entry.result = TEST_RESULTS.find((r) => r === v) ?? 'negative';
            },
          },
          TEST_RESULTS.map((r) => h('option', { value: r, selected: r === entry.result }, testResultLabel(r))),
        ),
      ),
      h(
        'button',
        {
          type: 'submit',
          class: 'button secondary small',
          'aria-label': t('test_submit_label', { name: o.full_name }),
          'data-testid': 'quarantine-test-submit',
          disabled: entry.busy,
          'aria-busy': entry.busy ? 'true' : undefined,
        },
        entry.busy ? t('test_saving') : t('test_submit'),
      ),
      entry.recorded &&
        h(
          'p',
          { class: 'notice success inline', role: 'status', 'data-testid': 'quarantine-test-recorded', 'data-result': entry.recorded.result },
          t('test_recorded', { result: testResultLabel(entry.recorded.result), date: formatDay(entry.recorded.date) }),
        ),
      positive &&
        h(
          'p',
          { class: 'test-positive-hint', 'data-testid': 'quarantine-positive-hint' },
          t('test_positive_hint', { name: o.full_name }),
          ' ',
          h('button', { type: 'button', class: 'link-button', 'data-testid': 'quarantine-register-case', onclick: () => this.app.navigate('cases') }, t('test_positive_link')),
        ),
    );
  }
}
