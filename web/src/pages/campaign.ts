// A campaign's dashboard (officials and unit reporters): the status on a date (today by
// default, any other date through the picker) — how many units are late to report and how many
// are behind schedule, who has not reported for the last reporting date, the totals and every
// unit with reported and measured progress side by side against what is expected by now (late
// and behind units first, as the server orders them), a chart of the totals over time, the XLSX
// and PDF of the same figures (fetched with the bearer token), and, for organisers, sending the
// reminders now.

import { toProblem, type Problem, type StaffMe } from '../api';
import { campaignApi, type Dashboard, type UnitStanding } from '../api-campaigns';
import { progressChart } from '../campaign-chart';
import { formatCount, goalLabel, orgKindLabel, populationLabel, statusBadges, targetProgress } from '../campaign-view';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav, ORGANISER_ROLES } from '../nav';
import { announce, announceProblem, appHeader, formatDay, icon, listBody, problemBanner, saveDownload, textField } from '../ui';

export class CampaignPage implements Page {
  private date = '';
  private board: Dashboard | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;
  private exporting: 'xlsx' | 'pdf' | null = null;
  private fileNotice: (() => string) | null = null;
  private fileProblem: Problem | null = null;
  private reminding = false;
  private reminderNotice: (() => string) | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
    private readonly campaignId: number,
  ) {}

  private get organiser(): boolean {
    return ORGANISER_ROLES.includes(this.me.role);
  }

  title(): string {
    return this.board ? this.board.campaign.name : t('campaign_dashboard_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async load(e?: SubmitEvent): Promise<void> {
    e?.preventDefault();
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const board = await campaignApi.dashboard(this.campaignId, this.date || undefined, abort.signal);
      if (abort.signal.aborted) return;
      this.board = board;
      this.date = board.date;
      this.problem = null;
      document.title = `${board.campaign.name} · ${t('app_name')}`;
      announce(t('campaign_summary_late_behind', { late: board.late, behind: board.behind }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  render(): Child[] {
    const b = this.board;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'campaign'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'campaign-page', 'data-campaign-id': this.campaignId },
        h(
          'button',
          { type: 'button', class: 'link-button back-link', 'data-testid': 'campaign-back', onclick: () => this.app.navigate(this.organiser ? 'campaigns' : 'campaign-report') },
          `← ${t(this.organiser ? 'campaigns_title' : 'campaign_report_title')}`,
        ),
        h('h1', { id: 'campaign-heading', tabindex: -1, class: 'page-title', 'data-testid': 'campaign-heading' }, b ? b.campaign.name : t('campaign_dashboard_title')),
        this.renderControls(),
        listBody(this.problem && !this.problem.errors?.length ? this.problem : null, b ? [b] : null, {
          empty: () => null,
          rows: ([board]) => [this.renderSummary(board), this.renderUnits(board), this.renderChart(board)],
        }),
      ),
    ];
  }

  private renderControls(): HTMLElement {
    const b = this.board;
    const dateProblem = this.problem?.errors?.length ? this.problem : null;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'campaign-about-heading' },
      h('h2', { id: 'campaign-about-heading', class: 'sr-only' }, t('campaign_about')),
      b &&
        h(
          'dl',
          { class: 'facts campaign-facts' },
          h('div', null, h('dt', null, t('campaign_goal')), h('dd', null, goalLabel(b.campaign.goal))),
          h('div', null, h('dt', null, t('campaign_period')), h('dd', null, `${formatDay(b.campaign.start)} – ${formatDay(b.campaign.deadline)}`)),
          h('div', null, h('dt', null, t('campaign_reporting_dates')), h('dd', null, b.campaign.reporting_dates.map(formatDay).join(', '))),
          h('div', null, h('dt', null, t('campaign_targets')), h('dd', null, b.campaign.targets.map((x) => `${populationLabel(x.population)} ${x.percent}%`).join('; '))),
        ),
      h(
        'form',
        { class: 'form campaign-date-form', novalidate: true, 'data-testid': 'campaign-date-form', onsubmit: (e: SubmitEvent) => void this.load(e) },
        problemBanner(dateProblem, ['date']),
        textField({
          id: 'campaign-date',
          name: 'date',
          type: 'date',
          label: t('campaign_status_on'),
          value: this.date,
          min: b?.campaign.start,
          problem: dateProblem,
          testid: 'campaign-date',
          oninput: (v) => (this.date = v),
          after: h('button', { type: 'submit', class: 'button secondary', 'data-testid': 'campaign-date-apply', disabled: this.loading }, t('campaign_show')),
        }),
      ),
      h(
        'div',
        { class: 'actions' },
        (['xlsx', 'pdf'] as const).map((format) =>
          h(
            'button',
            {
              type: 'button',
              class: 'button secondary small',
              'data-testid': `campaign-export-${format}`,
              disabled: this.exporting !== null || !b,
              onclick: () => void this.export(format),
            },
            icon('download'),
            ' ',
            this.exporting === format ? t('exporting') : t(format === 'xlsx' ? 'export_xlsx' : 'campaign_export_pdf'),
          ),
        ),
        this.organiser &&
          h(
            'button',
            { type: 'button', class: 'button ghost small', 'data-testid': 'campaign-remind', disabled: this.reminding, onclick: () => void this.remind() },
            this.reminding ? t('sending') : t('campaign_send_reminders'),
          ),
      ),
      this.fileProblem && problemBanner(this.fileProblem),
      this.fileNotice && h('p', { class: 'notice success', role: 'status', 'data-testid': 'campaign-file-notice' }, this.fileNotice()),
      this.reminderNotice && h('p', { class: 'notice success', role: 'status', 'data-testid': 'campaign-remind-notice' }, this.reminderNotice()),
    );
  }

  private renderSummary(b: Dashboard): HTMLElement {
    const late = b.units.filter((u) => u.late);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'campaign-summary-heading', 'data-testid': 'campaign-summary' },
      h('h2', { id: 'campaign-summary-heading' }, t('campaign_summary_on', { date: formatDay(b.date) })),
      h(
        'ul',
        { class: 'campaign-counts' },
        h('li', { class: 'count-late', 'data-testid': 'campaign-late-count', 'data-count': b.late }, h('strong', null, formatCount(b.late)), ' ', t('campaign_units_late')),
        h('li', { class: 'count-behind', 'data-testid': 'campaign-behind-count', 'data-count': b.behind }, h('strong', null, formatCount(b.behind)), ' ', t('campaign_units_behind')),
        h('li', { class: 'count-all' }, h('strong', null, formatCount(b.units.length)), ' ', t('campaign_units_all')),
      ),
      late.length > 0 &&
        h(
          'div',
          { class: 'notice danger late-list', 'data-testid': 'campaign-not-reported' },
          h('p', null, h('strong', null, t('campaign_not_reported_heading'))),
          h(
            'ul',
            null,
            late.map((u) =>
              h(
                'li',
                { 'data-testid': 'not-reported-unit', 'data-code': u.code },
                t('campaign_not_reported_line', { name: u.name, code: u.code, due: formatDay(u.due), last: u.last_report ? formatDay(u.last_report) : t('campaign_never') }),
              ),
            ),
          ),
        ),
      h(
        'div',
        { class: 'campaign-totals' },
        b.totals.map((p) =>
          h('div', { class: 'total-card' }, h('h3', null, populationLabel(p.population)), targetProgress(p, 'total-progress')),
        ),
      ),
      h('p', { class: 'small muted' }, t('campaign_measured_hint')),
    );
  }

  private renderUnits(b: Dashboard): HTMLElement {
    const targets = b.campaign.targets;
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'campaign-units-heading' },
      h('h2', { id: 'campaign-units-heading' }, t('campaign_units_heading')),
      h('p', { class: 'muted small' }, t('campaign_units_order')),
      h(
        'div',
        { class: 'table-wrap', 'aria-busy': String(this.loading) },
        h(
          'table',
          { class: 'table campaign-table', 'data-testid': 'campaign-units' },
          h('caption', { class: 'sr-only' }, t('campaign_units_heading')),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, t('campaign_col_unit')),
              h('th', { scope: 'col' }, t('campaign_col_status')),
              targets.map((x) => h('th', { scope: 'col' }, `${populationLabel(x.population)} (${x.percent}%)`)),
            ),
          ),
          h('tbody', null, b.units.map((u) => this.renderUnit(u))),
          h(
            'tfoot',
            null,
            h(
              'tr',
              { 'data-testid': 'campaign-totals-row' },
              h('th', { scope: 'row' }, t('campaign_totals')),
              h('td', null),
              b.totals.map((p) => h('td', null, targetProgress(p, 'total-cell'))),
            ),
          ),
        ),
      ),
    );
  }

  private renderUnit(u: UnitStanding): HTMLElement {
    return h(
      'tr',
      { class: ['campaign-row', u.late && 'row-late', u.behind && 'row-behind'], 'data-testid': 'campaign-unit-row', 'data-code': u.code, 'data-late': String(u.late), 'data-behind': String(u.behind) },
      h('th', { scope: 'row' }, h('span', { class: 'unit-name' }, u.name), h('span', { class: 'muted small block' }, `${u.code} · ${orgKindLabel(u.kind)}`)),
      h(
        'td',
        { class: 'status-cell' },
        statusBadges(u, 'unit-badges'),
        h('span', { class: 'small muted block' }, t('campaign_last_report', { date: u.last_report ? formatDay(u.last_report) : t('campaign_never') })),
        u.due && h('span', { class: 'small muted block' }, t('campaign_due', { date: formatDay(u.due) })),
        u.note && h('span', { class: 'small block unit-note' }, `“${u.note}”`),
      ),
      u.targets.map((p) => h('td', null, targetProgress(p, 'target-cell'))),
    );
  }

  private renderChart(b: Dashboard): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'campaign-chart-heading' },
      h('h2', { id: 'campaign-chart-heading' }, t('campaign_chart_heading')),
      progressChart(b.campaign, b.timeline, b.date),
    );
  }

  private async export(format: 'xlsx' | 'pdf'): Promise<void> {
    if (this.exporting || !this.board) return;
    this.exporting = format;
    this.fileNotice = null;
    this.fileProblem = null;
    this.app.rerender();
    try {
      const file = await campaignApi.document(this.campaignId, format, this.board.date);
      const name = saveDownload(file, `bao-cao-chien-dich-${this.campaignId}.${format}`);
      this.fileNotice = () => t('export_done', { name });
      announce(this.fileNotice());
    } catch (err) {
      this.fileProblem = toProblem(err);
      announceProblem(this.fileProblem);
    }
    this.exporting = null;
    this.app.rerender();
  }

  private async remind(): Promise<void> {
    if (this.reminding) return;
    this.reminding = true;
    this.reminderNotice = null;
    this.fileProblem = null;
    this.app.rerender();
    try {
      const { sent } = await campaignApi.sendReminders();
      this.reminderNotice = () => (sent ? t('campaign_reminders_sent', { count: sent }) : t('campaign_reminders_none'));
      announce(this.reminderNotice());
    } catch (err) {
      this.fileProblem = toProblem(err);
      announceProblem(this.fileProblem);
    }
    this.reminding = false;
    this.app.rerender();
  }
}
