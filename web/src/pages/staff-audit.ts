// The admin's audit log section of the staff home: the latest 100 entries of who read or listed
// whose data, when, in which unit and with what outcome, with a reload button.

import { api, toProblem, type AuditEntry, type Problem } from '../api';
import { h } from '../dom';
import { pick, t } from '../i18n';
import type { App } from '../main';
import { actionLabel, announceProblem, listBody, outcomeLabel, roleLabel, timeEl } from '../ui';

export class AuditSection {
  /** Null until loaded (the log is asked for when the section is first shown). */
  audit: AuditEntry[] | null = null;
  private auditProblem: Problem | null = null;
  private auditLoading = false;

  constructor(
    private readonly app: App,
    /** True while this section is the one shown. */
    private readonly shown: () => boolean,
  ) {}

  render(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'audit-heading', 'data-testid': 'audit-section' },
      h(
        'div',
        { class: 'card-title-row' },
        h('h2', { id: 'audit-heading', tabindex: -1 }, t('audit_heading')),
        h(
          'button',
          { type: 'button', id: 'audit-refresh', class: 'button ghost small', disabled: this.auditLoading, onclick: () => void this.load() },
          t('audit_refresh'),
        ),
      ),
      h(
        'div',
        { class: 'table-wrap', 'aria-busy': String(this.auditLoading) },
        listBody(this.auditProblem, this.audit, {
          empty: () => h('p', { class: 'empty' }, t('audit_empty')),
          rows: (rows) =>
            h(
              'table',
              { class: 'table compact', 'data-testid': 'audit-table' },
              h('caption', { class: 'sr-only' }, t('audit_heading')),
              h(
                'thead',
                null,
                h('tr', null, h('th', { scope: 'col' }, t('col_at')), h('th', { scope: 'col' }, t('col_actor')), h('th', { scope: 'col' }, t('col_action')), h('th', { scope: 'col' }, t('col_subject')), h('th', { scope: 'col' }, t('col_unit_code')), h('th', { scope: 'col' }, t('col_outcome'))),
              ),
              h(
                'tbody',
                null,
                rows.map((a) =>
                  h(
                    'tr',
                    { 'data-testid': 'audit-row' },
                    h('td', { class: 'nowrap' }, timeEl(a.at)),
                    h('td', null, a.actor ?? t('none'), a.role && h('span', { class: 'muted small block' }, roleLabel(a.role))),
                    h('td', null, actionLabel(a.action), ' ', h('code', { class: 'muted small' }, a.action)),
                    h('td', null, a.subject ?? t('none')),
                    h('td', null, a.unit_code ?? t('none')),
                    h('td', null, h('span', { class: ['outcome', `outcome-${String(a.outcome)}`] }, outcomeText(a.outcome))),
                  ),
                ),
              ),
            ),
        }),
      ),
    );
  }

  async load(): Promise<void> {
    this.auditLoading = true;
    if (this.shown()) this.app.rerender();
    try {
      this.audit = await api.audit(100);
      this.auditProblem = null;
    } catch (err) {
      this.auditProblem = toProblem(err);
      announceProblem(this.auditProblem);
    }
    this.auditLoading = false;
    if (this.shown()) this.app.rerender();
  }
}

function outcomeText(outcome: unknown): string {
  if (outcome && typeof outcome === 'object') return pick(outcome as Record<string, string>);
  return outcomeLabel(String(outcome ?? ''));
}
