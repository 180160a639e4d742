// Officials (health officials, admins): citizens' risk reports in the jurisdiction by status
// (open, in progress, closed), each with its reporter (shown to officials only; the server
// records every read in the audit log), the place, text and photo, and the actions: take it in
// hand (an optional note) and close it (a note for the reporter is required).

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { REPORT_STATUSES, safetyApi, type ReportStatus, type RiskReport } from '../api-safety';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { reportBody, ReportPhotos } from '../report-view';
import { announce, announceProblem, appHeader, formatPhone, icon, listBody, notice, problemBanner, textAreaField } from '../ui';

interface Action {
  note: string;
  busy: 'triage' | 'close' | null;
  problem: Problem | null;
}

const STATUS_LABELS: Record<ReportStatus, MessageKey> = { open: 'triage_tab_open', in_progress: 'triage_tab_in_progress', closed: 'triage_tab_closed' };

export class RiskTriagePage implements Page {
  private status: ReportStatus = 'open';
  private rows: RiskReport[] | null = null;
  private problem: Problem | null = null;
  private done: string | null = null;
  private abort: AbortController | null = null;
  private readonly actions = new Map<number, Action>();
  private readonly photos: ReportPhotos;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.photos = new ReportPhotos(() => app.rerender());
  }

  title(): string {
    return t('triage_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
    this.photos.dispose();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.rows = null;
    this.app.rerender();
    try {
      const rows = await safetyApi.reports(this.status, abort.signal);
      if (abort.signal.aborted) return;
      this.rows = rows.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      this.problem = null;
      announce(t('triage_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  private choose(status: ReportStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.done = null;
    void this.load();
  }

  private action(id: number): Action {
    let a = this.actions.get(id);
    if (!a) {
      a = { note: '', busy: null, problem: null };
      this.actions.set(id, a);
    }
    return a;
  }

  private async act(r: RiskReport, kind: 'triage' | 'close'): Promise<void> {
    const a = this.action(r.id);
    const note = a.note.trim();
    if (kind === 'close' && !note) {
      a.problem = localProblem([{ field: 'note', key: 'triage_note_required' }]);
      this.app.rerender();
      document.getElementById(`triage-note-${r.id}`)?.focus();
      return;
    }
    a.busy = kind;
    a.problem = null;
    this.app.rerender();
    try {
      const updated = kind === 'close' ? await safetyApi.close(r.id, note) : await safetyApi.triage(r.id, note || undefined);
      this.actions.delete(r.id);
      this.rows = (this.rows ?? []).filter((x) => x.id !== r.id || updated.status === this.status).map((x) => (x.id === r.id ? updated : x));
      this.done = kind === 'close' ? t('triage_closed') : t('triage_taken');
      announce(this.done);
    } catch (err) {
      a.problem = toProblem(err);
      announceProblem(a.problem);
    }
    a.busy = null;
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'risk-triage'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'risk-triage-page' },
        h('h1', { id: 'triage-heading', tabindex: -1, class: 'page-title' }, t('triage_title')),
        h('p', { class: 'muted' }, t('triage_intro')),
        h('p', { class: 'notice info audit-note' }, icon('lock'), ' ', t('triage_audit_notice')),
        h(
          'div',
          { class: 'report-tabs', role: 'group', 'aria-label': t('triage_status_label') },
          REPORT_STATUSES.map((s) =>
            h(
              'button',
              { type: 'button', class: ['button', 'small', s === this.status ? 'primary' : 'ghost'], 'aria-pressed': String(s === this.status), 'data-testid': `triage-tab-${s}`, onclick: () => this.choose(s) },
              t(STATUS_LABELS[s]),
            ),
          ),
        ),
        this.done && notice(this.done, 'triage-done'),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'triage-heading', 'data-testid': 'triage-list', 'data-status': this.status },
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'triage-empty' }, t('triage_empty')),
            rows: (rows) => h('ul', { class: 'report-list' }, rows.map((r) => this.renderRow(r))),
          }),
        ),
      ),
    ];
  }

  private renderRow(r: RiskReport): HTMLElement {
    const a = this.action(r.id);
    const closed = r.status === 'closed';
    return h(
      'li',
      { class: 'report-item', 'data-testid': 'triage-report', 'data-report-id': r.id, 'data-status': r.status },
      h('p', { class: 'report-reporter small' }, t('triage_reporter'), ' ', h('strong', null, r.reporter.name ?? t('no_name')), ' · ', formatPhone(r.reporter.phone)),
      reportBody(r, this.photos),
      !closed &&
        h(
          'form',
          {
            class: 'form triage-form',
            novalidate: true,
            'data-testid': 'triage-form',
            onsubmit: (e: SubmitEvent) => {
              e.preventDefault();
              void this.act(r, 'close');
            },
          },
          problemBanner(a.problem, ['note']),
          textAreaField({
            id: `triage-note-${r.id}`,
            name: 'note',
            label: t('triage_note'),
            hint: t('triage_note_hint'),
            value: a.note,
            rows: 2,
            maxlength: 2000,
            problem: a.problem,
            testid: 'triage-note',
            oninput: (v) => (a.note = v),
          }),
          h(
            'div',
            { class: 'button-row' },
            r.status === 'open' &&
              h('button', { type: 'button', class: 'button secondary small', disabled: a.busy !== null, 'data-testid': 'triage-take', onclick: () => void this.act(r, 'triage') }, a.busy === 'triage' ? t('sending') : t('triage_take')),
            h('button', { type: 'submit', class: 'button primary small', disabled: a.busy !== null, 'data-testid': 'triage-close' }, a.busy === 'close' ? t('sending') : t('triage_close')),
          ),
        ),
    );
  }
}
