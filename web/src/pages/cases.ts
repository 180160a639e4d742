// Officials (health officials, admins): the confirmed cases (F0) of the jurisdiction, newest
// first, with their status; a row opens the case page (`case.ts`: the chain by level, its graph,
// interview contacts, quarantine orders). Below the list, the form that registers a case
// (`case-form.ts`); a new case opens at once. The server records every read in the audit log.

import { toProblem, type Problem, type StaffMe, type Unit } from '../api';
import { tracingApi, type Case, type CaseCreated, type CaseStatus } from '../api-tracing';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { loadUnits } from '../reference';
import { announce, announceProblem, appHeader, formatDay, formatPhone, icon, listBody } from '../ui';
import { CaseForm, caseSourceLabel } from './case-form';

const STATUS: Record<CaseStatus, { key: MessageKey; colour: string }> = {
  active: { key: 'case_status_active', colour: 'colour-red' },
  recovered: { key: 'case_status_recovered', colour: 'colour-green' },
  died: { key: 'case_status_died', colour: 'colour-grey' },
};

export function caseStatusLabel(status: string): string {
  const s = STATUS[status as CaseStatus];
  return s ? t(s.key) : status;
}

/** The case's status as a badge, written out (never colour alone). */
export function caseStatusBadge(status: string): HTMLElement {
  const s = STATUS[status as CaseStatus];
  return h(
    'span',
    { class: ['colour-badge', s?.colour ?? ''], 'data-status': status, 'data-testid': 'case-status' },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    s ? t(s.key) : status,
  );
}

export class CasesPage implements Page {
  private rows: Case[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private units = new Map<string, Unit>();
  private abort: AbortController | null = null;
  private readonly form: CaseForm;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.form = new CaseForm(app, me, (c) => this.created(c));
  }

  title(): string {
    return t('cases_title');
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
      const rows = await tracingApi.cases(abort.signal);
      if (abort.signal.aborted) return;
      // Newest first: by confirmation, then by registration (id).
      this.rows = rows.sort((a, b) => b.confirmed_date.localeCompare(a.confirmed_date) || b.id - a.id);
      this.problem = null;
      const units = await loadUnits(rows.map((r) => r.unit_code));
      if (abort.signal.aborted) return;
      for (const [code, unit] of units) this.units.set(code, unit);
      announce(t('cases_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  private created(c: CaseCreated): void {
    this.app.navigate('case', { caseId: c.id });
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'cases'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'cases-page' },
        h('h1', { id: 'cases-heading', tabindex: -1, class: 'page-title', 'data-testid': 'cases-heading' }, t('cases_title')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'cases-list-heading' },
          h('h2', { id: 'cases-list-heading' }, t('cases_list_title')),
          h('p', { class: 'muted' }, t('cases_intro')),
          h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('cases_audit_notice')),
          h(
            'div',
            { class: 'list-toolbar' },
            h(
              'p',
              { class: 'muted small', role: 'status', 'data-testid': 'cases-count', 'data-count': this.rows?.length ?? '' },
              this.loading ? t('loading') : this.rows ? t('cases_count', { count: this.rows.length }) : '',
            ),
            h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'cases-reload', disabled: this.loading, onclick: () => void this.load() }, t('cases_reload')),
          ),
          h(
            'div',
            { class: 'table-wrap', 'aria-busy': String(this.loading) },
            listBody(this.problem, this.rows, {
              empty: () => h('p', { class: 'empty', 'data-testid': 'cases-empty' }, t('cases_empty')),
              rows: (rows) => this.renderTable(rows),
            }),
          ),
        ),
        this.form.render(),
      ),
    ];
  }

  private renderTable(rows: Case[]): HTMLElement {
    return h(
      'table',
      { class: 'table compact clickable', 'data-testid': 'cases-table' },
      h('caption', { class: 'sr-only' }, t('cases_list_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_case')),
          h('th', { scope: 'col' }, t('col_phone')),
          h('th', { scope: 'col' }, t('col_unit')),
          h('th', { scope: 'col' }, t('col_confirmed')),
          h('th', { scope: 'col' }, t('col_source')),
          h('th', { scope: 'col' }, t('col_status')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((c) =>
          h(
            'tr',
            {
              class: 'row',
              'data-testid': 'case-row',
              'data-case-id': c.id,
              onclick: (e: MouseEvent) => {
                if (!(e.target as HTMLElement).closest('button')) this.app.navigate('case', { caseId: c.id });
              },
            },
            h(
              'th',
              { scope: 'row' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'row-button',
                  'aria-label': t('case_open_label', { name: c.full_name }),
                  'data-testid': 'case-open',
                  onclick: () => this.app.navigate('case', { caseId: c.id }),
                },
                c.full_name,
              ),
              h('span', { class: 'muted block small' }, `#${c.id}`),
            ),
            h('td', { class: 'nowrap' }, c.phone ? formatPhone(c.phone) : t('none')),
            h('td', null, this.units.get(c.unit_code)?.name ?? c.unit_code),
            h('td', { class: 'nowrap' }, h('time', { datetime: c.confirmed_date }, formatDay(c.confirmed_date))),
            h('td', null, caseSourceLabel(c.source)),
            h('td', null, caseStatusBadge(c.status)),
          ),
        ),
      ),
    );
  }
}
