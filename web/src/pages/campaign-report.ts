// A unit's progress report (unit reporters, also officials): choose the campaign and one of its
// units in one's jurisdiction, the date (the reporting date due by default), and the count
// reached for each of the campaign's targets, with the unit's head count beside it and the last
// reported figure; a note. The server checks the counts against the head counts and the date
// against the campaign; its errors are shown next to the inputs they name. After sending, the
// unit's standing is shown from the campaign's dashboard, with a way to open the whole dashboard.

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { campaignApi, type Campaign, type Dashboard, type UnitStanding } from '../api-campaigns';
import { formatCount, populationLabel, statusBadges, targetProgress } from '../campaign-view';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, focusFirstError, formatDay, listBody, problemBanner, selectField, textAreaField, textField } from '../ui';

export class CampaignReportPage implements Page {
  private campaigns: Campaign[] | null = null;
  private campaignId: number | null = null;
  private board: Dashboard | null = null;
  /** Codes of the units in the reporter's jurisdiction. */
  private mine: Set<string> | null = null;
  private loadProblem: Problem | null = null;
  private abort: AbortController | null = null;

  private unit = '';
  private date = '';
  private counts: Record<string, string> = {};
  private note = '';
  private busy = false;
  private problem: Problem | null = null;
  /** The report just saved (its unit and date), shown with the unit's new standing. */
  private saved: { unit: string; date: string } | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('campaign_report_title');
  }

  mounted(): void {
    void this.start();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async start(): Promise<void> {
    try {
      const [campaigns, units] = await Promise.all([campaignApi.list(), campaignApi.orgUnits()]);
      this.campaigns = campaigns;
      this.mine = new Set(units.map((u) => u.code));
      this.loadProblem = null;
      if (campaigns.length > 0) await this.choose(campaigns[0].id);
      else this.app.rerender();
    } catch (err) {
      this.loadProblem = toProblem(err);
      announceProblem(this.loadProblem);
      this.app.rerender();
    }
  }

  /** Opens a campaign's dashboard (today) to know its units, their head counts and due dates. */
  private async choose(id: number, keepUnit = false): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.campaignId = id;
    this.app.rerender();
    try {
      const board = await campaignApi.dashboard(id, undefined, abort.signal);
      if (abort.signal.aborted) return;
      this.board = board;
      this.loadProblem = null;
      const units = this.units();
      if (!keepUnit || !units.some((u) => u.code === this.unit)) this.pickUnit(units[0]?.code ?? '');
    } catch (err) {
      if (abort.signal.aborted) return;
      this.loadProblem = toProblem(err);
      announceProblem(this.loadProblem);
    }
    this.app.rerender();
  }

  /** The campaign's units the reporter may report for, late ones first (the server's order). */
  private units(): UnitStanding[] {
    const mine = this.mine;
    return (this.board?.units ?? []).filter((u) => !mine || mine.has(u.code));
  }

  private standing(): UnitStanding | undefined {
    return this.board?.units.find((u) => u.code === this.unit);
  }

  private pickUnit(code: string): void {
    this.unit = code;
    const u = this.standing();
    this.date = u?.due ?? this.board?.date ?? '';
    this.counts = {};
    this.problem = null;
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'campaign-report'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'campaign-report-page' },
        h('h1', { id: 'campaign-report-heading', tabindex: -1, class: 'page-title' }, t('campaign_report_title')),
        h('p', { class: 'muted' }, t('campaign_report_intro')),
        listBody(this.loadProblem, this.campaigns, {
          empty: () => h('p', { class: 'empty', 'data-testid': 'campaign-report-empty' }, t('campaigns_empty')),
          rows: (campaigns) => [this.renderForm(campaigns), this.renderSaved()],
        }),
      ),
    ];
  }

  private renderForm(campaigns: Campaign[]): HTMLElement {
    const b = this.board;
    const units = this.units();
    const u = this.standing();
    const targets = (u?.targets ?? []).filter((p) => p.head_count > 0);
    const shown = ['campaign', 'unit', 'date', 'note', ...targets.map((p) => `counts.${p.population}`)];
    const last = b ? (b.campaign.deadline < b.date ? b.campaign.deadline : b.date) : undefined;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'report-form-heading' },
      h('h2', { id: 'report-form-heading' }, t('campaign_report_form')),
      h(
        'form',
        { id: 'report-form', class: 'form', novalidate: true, 'data-testid': 'report-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(this.problem, shown, 'report-problem'),
        selectField({
          id: 'report-campaign',
          name: 'campaign',
          label: t('campaign_report_campaign'),
          value: String(this.campaignId ?? ''),
          options: campaigns.map((c) => ({ value: String(c.id), label: c.name })),
          testid: 'report-campaign',
          onchange: (v) => void this.choose(Number(v)),
        }),
        b === null
          ? h('p', { class: 'muted', role: 'status' }, t('loading'))
          : units.length === 0
            ? h('p', { class: 'empty', 'data-testid': 'report-no-units' }, t('campaign_report_no_units'))
            : [
                selectField({
                  id: 'report-unit',
                  name: 'unit',
                  label: t('campaign_report_unit'),
                  value: this.unit,
                  options: units.map((x) => ({ value: x.code, label: `${x.name} (${x.code})${x.late ? ` — ${t('campaign_late')}` : ''}` })),
                  required: true,
                  problem: this.problem,
                  testid: 'report-unit',
                  onchange: (v) => {
                    this.pickUnit(v);
                    this.app.rerender();
                  },
                }),
                textField({
                  id: 'report-date',
                  name: 'date',
                  type: 'date',
                  label: t('campaign_report_date'),
                  hint: t('campaign_report_date_hint', { dates: b.campaign.reporting_dates.map(formatDay).join(', ') }),
                  value: this.date,
                  min: b.campaign.start,
                  max: last,
                  required: true,
                  problem: this.problem,
                  testid: 'report-date',
                  oninput: (v) => (this.date = v),
                }),
                targets.map((p) =>
                  textField({
                    id: `report-count-${p.population}`,
                    name: `counts.${p.population}`,
                    type: 'number',
                    inputmode: 'numeric',
                    min: 0,
                    max: p.head_count,
                    label: t('campaign_report_count', { population: populationLabel(p.population) }),
                    hint: t(p.reported == null ? 'campaign_report_count_hint_first' : 'campaign_report_count_hint', {
                      heads: formatCount(p.head_count),
                      target: formatCount(p.target_count),
                      last: formatCount(p.reported),
                    }),
                    value: this.counts[p.population] ?? '',
                    problem: this.problem,
                    testid: `report-count-${p.population}`,
                    class: 'short-field',
                    oninput: (v) => (this.counts[p.population] = v),
                  }),
                ),
                textAreaField({
                  id: 'report-note',
                  name: 'note',
                  label: t('campaign_report_note'),
                  value: this.note,
                  maxlength: 1000,
                  problem: this.problem,
                  testid: 'report-note',
                  oninput: (v) => (this.note = v),
                }),
                h(
                  'button',
                  { type: 'submit', class: 'button primary', 'data-testid': 'report-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
                  this.busy ? t('sending') : t('campaign_report_submit'),
                ),
              ],
      ),
    );
  }

  private renderSaved(): HTMLElement | null {
    const saved = this.saved;
    const u = saved && this.board?.units.find((x) => x.code === saved.unit);
    if (!saved || !u || this.campaignId === null) return null;
    const id = this.campaignId;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'report-saved-heading', 'data-testid': 'report-saved' },
      h('h2', { id: 'report-saved-heading', tabindex: -1 }, t('campaign_report_saved_heading', { name: u.name })),
      h('p', { class: 'notice success', role: 'status', 'data-testid': 'report-saved-notice' }, t('campaign_report_saved', { code: u.code, date: formatDay(saved.date) })),
      statusBadges(u, 'report-saved-badges'),
      u.targets.filter((p) => p.head_count > 0).map((p) => h('div', { class: 'total-card' }, h('h3', null, populationLabel(p.population)), targetProgress(p, 'report-saved-progress'))),
      h('button', { type: 'button', class: 'button secondary', 'data-testid': 'report-open-dashboard', onclick: () => this.app.navigate('campaign', { campaignId: id }) }, t('campaign_open_dashboard')),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy || this.campaignId === null) return;
    const u = this.standing();
    const counts: Record<string, number> = {};
    const local: { field: string; key: MessageKey }[] = [];
    if (!this.unit) local.push({ field: 'unit', key: 'error_field_required' });
    if (!this.date) local.push({ field: 'date', key: 'error_field_required' });
    for (const p of u?.targets ?? []) {
      const text = (this.counts[p.population] ?? '').trim();
      if (p.head_count === 0 || text === '') continue;
      const n = Number(text);
      if (!Number.isInteger(n)) local.push({ field: `counts.${p.population}`, key: 'campaign_count_invalid' });
      else counts[p.population] = n;
    }
    if (local.length === 0 && Object.keys(counts).length === 0) {
      for (const p of (u?.targets ?? []).filter((x) => x.head_count > 0)) local.push({ field: `counts.${p.population}`, key: 'campaign_count_required' });
    }
    if (local.length > 0) {
      this.fail(localProblem(local));
      return;
    }
    this.busy = true;
    this.problem = null;
    this.saved = null;
    this.app.rerender();
    try {
      const r = await campaignApi.report(this.campaignId, { unit: this.unit, date: this.date, counts, note: this.note.trim() });
      this.saved = { unit: r.unit, date: r.date };
      this.counts = {};
      this.note = '';
      this.busy = false;
      announce(t('campaign_report_saved', { code: r.unit, date: formatDay(r.date) }));
      await this.choose(this.campaignId, true);
      document.getElementById('report-saved-heading')?.focus();
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('report-form'));
  }
}
