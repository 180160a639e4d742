// Facility staff: the facilities they work for, each with today's colour (grey until today's
// self-assessment is sent), the open feedback count, and buttons to today's assessment and to the
// facility's page.

import { toProblem, type Problem, type StaffMe } from '../api';
import { safetyApi, type FacilityView } from '../api-safety';
import { vietnamToday } from '../api-tracing';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { facilityColour, facilityTypeLabel } from '../safety-view';
import { announce, announceProblem, appHeader, listBody } from '../ui';

export class MyFacilitiesPage implements Page {
  private rows: FacilityView[] | null = null;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('my_facilities_title');
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
    try {
      const rows = await safetyApi.myFacilities(abort.signal);
      if (abort.signal.aborted) return;
      this.rows = rows;
      this.problem = null;
      const due = rows.filter((f) => f.assessed_on !== vietnamToday()).length;
      announce(t('my_facilities_count', { count: rows.length, due }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'my-facilities'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'my-facilities-page' },
        h('h1', { id: 'my-facilities-heading', tabindex: -1, class: 'page-title' }, t('my_facilities_title')),
        h('p', { class: 'muted' }, t('my_facilities_intro')),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'my-facilities-heading' },
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'my-facilities-empty' }, t('my_facilities_empty')),
            rows: (rows) => h('ul', { class: 'facility-list' }, rows.map((f) => this.renderRow(f))),
          }),
        ),
      ),
    ];
  }

  private renderRow(f: FacilityView): HTMLElement {
    const today = f.assessed_on === vietnamToday();
    return h(
      'li',
      { class: 'facility-row', 'data-testid': 'my-facility', 'data-facility-id': f.id, 'data-colour': f.colour },
      h(
        'div',
        { class: 'facility-row-main' },
        h('h2', { class: 'facility-row-name' }, f.name),
        h('p', { class: 'muted small' }, facilityTypeLabel(f), ' · ', f.unit?.name ?? f.unit_code, f.address && ` · ${f.address}`),
        h('p', null, facilityColour(f, 'my-facility-colour')),
        f.open_feedback > 0 && h('p', { class: 'notice warn inline' }, t('my_facilities_feedback', { count: f.open_feedback })),
      ),
      h(
        'div',
        { class: 'facility-row-actions' },
        h(
          'button',
          { type: 'button', class: ['button', today ? 'secondary' : 'primary'], 'data-testid': 'my-facility-assess', onclick: () => this.app.navigate('assess', { facilityId: f.id }) },
          today ? t('my_facilities_reassess') : t('facility_assess_today'),
        ),
        h('button', { type: 'button', class: 'button ghost', 'data-testid': 'my-facility-open', onclick: () => this.app.navigate('facility', { facilityId: f.id }) }, t('my_facilities_open')),
      ),
    );
  }
}
