// Officials (health officials, admins): the adoption campaigns of the jurisdiction — name, goal,
// period, next reporting date, targets and how many units — each opening its dashboard; the
// form to start a new one over the units of the jurisdiction; and the way to the units page
// (head counts, one by one or from a CSV file).

import { toProblem, type Problem, type StaffMe } from '../api';
import { campaignApi, type Campaign, type OrgUnit } from '../api-campaigns';
import { goalLabel, populationLabel } from '../campaign-view';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announceProblem, appHeader, formatDay, listBody, todayIso } from '../ui';
import { CampaignFormSection } from './campaign-form';

export class CampaignsPage implements Page {
  private rows: Campaign[] | null = null;
  private problem: Problem | null = null;
  private units: OrgUnit[] | null = null;
  private readonly form: CampaignFormSection;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.form = new CampaignFormSection(app, () => this.units, (c) => this.app.navigate('campaign', { campaignId: c.id }));
  }

  title(): string {
    return t('campaigns_title');
  }

  mounted(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [rows, units] = await Promise.all([campaignApi.list(), campaignApi.orgUnits()]);
      this.rows = rows;
      this.units = units;
      this.problem = null;
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'campaigns'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'campaigns-page' },
        h(
          'div',
          { class: 'card-title-row wrap' },
          h('h1', { id: 'campaigns-heading', tabindex: -1, class: 'page-title', 'data-testid': 'campaigns-heading' }, t('campaigns_title')),
          h('button', { type: 'button', class: 'button secondary', 'data-testid': 'open-org-units', onclick: () => this.app.navigate('org-units') }, t('org_units_title')),
        ),
        h('p', { class: 'muted' }, t('campaigns_intro')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'campaigns-list-heading' },
          h('h2', { id: 'campaigns-list-heading' }, t('campaigns_list')),
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'campaigns-empty' }, t('campaigns_empty')),
            rows: (rows) => this.renderTable(rows),
          }),
        ),
        this.form.render(),
      ),
    ];
  }

  private renderTable(rows: Campaign[]): HTMLElement {
    const today = todayIso();
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'data-testid': 'campaigns-table' },
        h('caption', { class: 'sr-only' }, t('campaigns_list')),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            [t('campaign_name'), t('campaign_goal'), t('campaign_period'), t('campaign_next_date'), t('campaign_targets'), t('campaign_col_units')].map((label) => h('th', { scope: 'col' }, label)),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((c) =>
            h(
              'tr',
              { 'data-testid': 'campaign-row', 'data-campaign-id': c.id },
              h(
                'th',
                { scope: 'row' },
                h('button', { type: 'button', class: 'link-button', 'data-testid': 'campaign-open', onclick: () => this.app.navigate('campaign', { campaignId: c.id }) }, c.name),
              ),
              h('td', null, goalLabel(c.goal)),
              h('td', { class: 'nowrap' }, `${formatDay(c.start)} – ${formatDay(c.deadline)}`),
              h('td', { class: 'nowrap' }, formatDay(c.reporting_dates.find((d) => d >= today) ?? null)),
              h('td', null, c.targets.map((x) => `${populationLabel(x.population)} ${x.percent}%`).join('; ')),
              h('td', { class: 'num' }, String(c.units.length)),
            ),
          ),
        ),
      ),
    );
  }
}
