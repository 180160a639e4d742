// Citizens: risk reports ("Phản ánh") — the form (`risk-report-form.ts`) and the citizen's own
// reports, newest first, with their status (open, in progress, closed) and the official's note.

import { toProblem, type CitizenMe, type Problem } from '../api';
import { safetyApi, type MyRiskReport } from '../api-safety';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { reportBody, ReportPhotos } from '../report-view';
import { announceProblem, appHeader, listBody, notice } from '../ui';
import { RiskReportForm } from './risk-report-form';

export class RiskReportsPage implements Page {
  private rows: MyRiskReport[] | null = null;
  private problem: Problem | null = null;
  private sentId: number | null = null;
  private readonly form: RiskReportForm;
  private readonly photos: ReportPhotos;

  constructor(
    private readonly app: App,
    private readonly me: CitizenMe,
  ) {
    this.form = new RiskReportForm(me, {
      rerender: () => app.rerender(),
      sent: (report) => {
        this.sentId = report.id;
        this.rows = [report, ...(this.rows ?? []).filter((r) => r.id !== report.id)];
      },
    });
    this.photos = new ReportPhotos(() => app.rerender());
  }

  title(): string {
    return t('reports_title');
  }

  mounted(): void {
    void this.form.start();
    void this.load();
  }

  dispose(): void {
    this.form.dispose();
    this.photos.dispose();
  }

  private async load(): Promise<void> {
    try {
      const rows = await safetyApi.myReports();
      this.rows = rows.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
      this.problem = null;
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'risk-reports'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'risk-reports-page' },
        h('h1', { id: 'reports-heading', tabindex: -1, class: 'page-title' }, t('reports_title')),
        h('p', { class: 'muted' }, t('reports_intro')),
        this.sentId !== null && notice(t('report_sent'), 'report-sent'),
        this.form.render(),
        h(
          'section',
          { class: 'card', 'aria-labelledby': 'my-reports-title', 'data-testid': 'my-reports' },
          h('div', { class: 'card-title-row' }, h('h2', { id: 'my-reports-title' }, t('reports_mine_title')), h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'my-reports-reload', onclick: () => void this.load() }, t('reports_reload'))),
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'my-reports-empty' }, t('reports_mine_empty')),
            rows: (rows) =>
              h(
                'ul',
                { class: 'report-list' },
                rows.map((r) => h('li', { class: 'report-item', 'data-testid': 'my-report', 'data-report-id': r.id, 'data-status': r.status }, reportBody(r, this.photos))),
              ),
          }),
        ),
      ),
    ];
  }
}
