// A facility's public page (`/facility/ID`, from the map): name, type, unit and address; today's
// colour with the day it was assessed and the reasons of the latest assessment; the last 30 days
// as a strip of colours; citizens' feedback with the answers (`facility-feedback.ts`). The
// facility's own staff get a link to today's self-assessment; they and the officials answer open
// feedback; signed-in citizens send feedback.

import { toProblem, type Me, type Problem } from '../api';
import { safetyApi, type AssessmentView, type FacilityDetail } from '../api-safety';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { bilingual, facilityColour, facilityTypeLabel, historyStrip, reasonList, safetyBadge } from '../safety-view';
import { announceProblem, appHeader, formatDay, problemBanner, timeEl } from '../ui';
import { FeedbackSection } from './facility-feedback';

export class FacilityPage implements Page {
  private detail: FacilityDetail | null = null;
  private history: AssessmentView[] = [];
  private problem: Problem | null = null;
  private loading = false;
  /** Whether the signed-in facility staff member works for this facility. */
  private staffed = false;
  private abort: AbortController | null = null;
  private readonly feedback: FeedbackSection;

  constructor(
    private readonly app: App,
    private readonly me: Me | null,
    private readonly facilityId: number,
  ) {
    this.feedback = new FeedbackSection({
      facilityId,
      me,
      canAnswer: () => this.staffed || (me?.kind === 'staff' && (me.role === 'health_official' || me.role === 'admin')),
      rerender: () => app.rerender(),
      reload: () => this.load(),
      signIn: () => app.showSignIn(),
    });
  }

  title(): string {
    return this.detail?.name ?? t('facility_title');
  }

  mounted(): void {
    void this.load();
    const me = this.me;
    if (me?.kind === 'staff' && me.role === 'facility_staff') {
      safetyApi
        .myFacilities()
        .then((mine) => {
          this.staffed = mine.some((f) => f.id === this.facilityId);
          if (this.staffed) this.app.rerender();
        })
        .catch(() => undefined);
    }
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
      const [detail, history] = await Promise.all([
        safetyApi.facility(this.facilityId, abort.signal),
        safetyApi.assessments(this.facilityId, abort.signal).catch(() => [] as AssessmentView[]),
      ]);
      if (abort.signal.aborted) return;
      this.detail = detail;
      this.history = history;
      this.problem = null;
      document.title = `${detail.name} · ${t('app_name')}`;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  render(): Child[] {
    const me = this.me;
    const d = this.detail;
    return [
      appHeader(me ? { onLogout: () => void this.app.signOut(), wide: me.kind === 'staff' } : { onSignIn: () => this.app.showSignIn() }),
      me && appNav(this.app, me, 'facility'),
      h(
        'main',
        { id: 'main', class: 'page narrow facility-page', tabindex: -1, 'aria-busy': String(this.loading), 'data-testid': 'facility-page', 'data-facility-id': this.facilityId },
        h('button', { type: 'button', class: 'link-button back-link', 'data-testid': 'facility-back', onclick: () => this.app.navigate('map') }, t('facility_back')),
        h('h1', { id: 'facility-heading', tabindex: -1, class: 'page-title', 'data-testid': 'facility-name' }, d ? d.name : t('facility_title')),
        !d ? h('section', { class: 'card' }, this.problem ? problemBanner(this.problem) : h('p', { class: 'muted', role: 'status' }, t('loading'))) : this.renderDetail(d),
      ),
    ];
  }

  private renderDetail(d: FacilityDetail): Child[] {
    return [
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'facility-heading' },
        h('p', { class: 'facility-today' }, facilityColour(d)),
        h(
          'dl',
          { class: 'facts stacked' },
          h('div', null, h('dt', null, t('facility_type')), h('dd', { 'data-testid': 'facility-type' }, facilityTypeLabel(d))),
          h('div', null, h('dt', null, t('facility_unit')), h('dd', { 'data-testid': 'facility-unit' }, d.unit ? d.unit.path || d.unit.name : d.unit_code)),
          d.address && h('div', null, h('dt', null, t('facility_address')), h('dd', null, d.address)),
          h('div', null, h('dt', null, t('facility_open_feedback')), h('dd', { 'data-testid': 'facility-open-feedback' }, String(d.open_feedback))),
        ),
        this.staffed &&
          h(
            'p',
            null,
            h(
              'button',
              { type: 'button', class: 'button primary', 'data-testid': 'facility-assess', onclick: () => this.app.navigate('assess', { facilityId: d.id }) },
              t('facility_assess_today'),
            ),
          ),
      ),
      this.renderLatest(d.latest),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'facility-history-title' },
        h('h2', { id: 'facility-history-title' }, t('facility_history_title')),
        historyStrip(this.history),
        this.history.length > 0 &&
          h(
            'ul',
            { class: 'history-list small' },
            this.history.slice(0, 7).map((a) =>
              h('li', { 'data-testid': 'facility-history-item', 'data-day': a.day }, h('time', { datetime: a.day }, formatDay(a.day)), ': ', safetyBadge(a.colour, a.colour_vi, a.colour_en), ' ', a.reasons[0] && h('span', { class: 'muted' }, bilingual(a.reasons[0]))),
            ),
          ),
      ),
      this.feedback.render(d.feedback),
    ];
  }

  private renderLatest(a: AssessmentView | null): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'facility-latest-title', 'data-testid': 'facility-latest' },
      h('h2', { id: 'facility-latest-title' }, t('facility_latest_title')),
      !a
        ? h('p', { class: 'empty' }, t('facility_no_assessment'))
        : [
            h(
              'p',
              null,
              safetyBadge(a.colour, a.colour_vi, a.colour_en, 'facility-latest-colour'),
              ' ',
              h('span', { class: 'muted small' }, t('safety_assessed_on', { day: formatDay(a.day) }), ' (', timeEl(a.submitted_at), ')'),
            ),
            reasonList(a),
            h('p', { class: 'muted small' }, t('facility_set_version', { set: a.set_id, version: a.set_version })),
          ],
    );
  }
}
