// Citizen: exposure alerts. The health authority's alerts for this account (a window when a
// case was at a venue the holder or a family member visited), the check made on this phone
// (the signed risky-venue feed verified and matched against the local visit history, which
// never leaves the phone), and that history with the check-ins still waiting to be sent.

import { toProblem, type CitizenMe, type Problem } from '../api';
import { venueApi, type VenueAlert } from '../api-venues';
import { h, type Child } from '../dom';
import { lang, pick, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, formatDateTime, listBody, timeEl } from '../ui';
import { levelBadge, windowText } from '../venue-view';
import { FeedError, fetchVerifiedFeed, matchVisits, type Feed, type FeedMatch } from '../visits/feed';
import { isOpen, loadVisits, personEnd, type LocalVisit } from '../visits/history';
import { flushQueue, queued } from '../visits/queue';

export class AlertsPage implements Page {
  private me: CitizenMe;
  private alerts: VenueAlert[] | null = null;
  private alertsProblem: Problem | null = null;
  private reading = new Set<number>();

  private checking = false;
  private feed: Feed | null = null;
  private feedProblem: string | null = null;
  private matches: FeedMatch[] = [];

  private visits: LocalVisit[] = [];
  private sending = false;
  private sendNotice: string | null = null;

  constructor(
    private readonly app: App,
    me: CitizenMe,
  ) {
    this.me = { ...me, family: me.family ?? [] };
    this.visits = loadVisits(me.id);
  }

  title(): string {
    return t('alerts_title');
  }

  mounted(): void {
    void this.loadAlerts();
    void this.checkFeed();
  }

  private async loadAlerts(): Promise<void> {
    try {
      this.alerts = await venueApi.alerts();
      this.alertsProblem = null;
      const unread = this.alerts.filter((a) => !a.read).length;
      if (unread) announce(t('alerts_unread', { count: unread }), true);
    } catch (err) {
      this.alertsProblem = toProblem(err);
    }
    this.app.rerender();
  }

  private async checkFeed(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.feedProblem = null;
    this.app.rerender();
    try {
      this.feed = await fetchVerifiedFeed();
      this.visits = loadVisits(this.me.id);
      this.matches = matchVisits(this.feed, this.visits);
      announce(this.matches.length ? t('local_matches', { count: this.matches.length }) : t('local_no_match'), this.matches.length > 0);
    } catch (err) {
      this.feed = null;
      this.matches = [];
      this.feedProblem = err instanceof FeedError ? t(`feed_error_${err.reason}`) : pick(toProblem(err).message);
      announce(`${t('local_check_failed')} ${this.feedProblem}`, true);
    }
    this.checking = false;
    this.app.rerender();
  }

  private async markRead(alert: VenueAlert): Promise<void> {
    if (this.reading.has(alert.id)) return;
    this.reading.add(alert.id);
    this.app.rerender();
    try {
      await venueApi.readAlert(alert.id);
      alert.read = true;
      announce(t('alert_marked_read'));
    } catch (err) {
      this.alertsProblem = toProblem(err);
      announceProblem(this.alertsProblem);
    }
    this.reading.delete(alert.id);
    this.app.rerender();
    document.getElementById(`alert-${alert.id}`)?.focus();
  }

  private async sendQueued(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    this.app.rerender();
    const r = await flushQueue(this.me.id);
    this.sending = false;
    this.visits = loadVisits(this.me.id);
    this.sendNotice = r.waiting ? t('queue_still_offline', { count: r.waiting }) : t('queue_sent', { count: r.sent });
    if (this.feed) this.matches = matchVisits(this.feed, this.visits);
    this.app.rerender();
    announce(this.sendNotice);
  }

  private personName(id: number | null): string {
    if (id === null) return this.me.full_name || t('person_me');
    return this.me.family.find((m) => m.id === id)?.full_name ?? t('family_member_badge');
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'alerts'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'alerts-page' },
        h('h1', { id: 'alerts-heading', tabindex: -1, class: 'page-title' }, t('alerts_title')),
        this.renderAlerts(),
        this.renderLocalCheck(),
        this.renderHistory(),
      ),
    ];
  }

  // -------------------------------------------------------------------------
  // The health authority's alerts

  private renderAlerts(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'server-alerts-heading', 'data-testid': 'server-alerts' },
      h('h2', { id: 'server-alerts-heading' }, t('alerts_server_title')),
      listBody(this.alertsProblem, this.alerts, {
        empty: () => h('p', { class: 'empty', 'data-testid': 'alerts-empty' }, t('alerts_empty')),
        rows: (rows) => h('ul', { class: 'alert-list' }, rows.map((a) => this.renderAlert(a))),
      }),
    );
  }

  private renderAlert(a: VenueAlert): HTMLElement {
    return h(
      'li',
      {
        class: ['alert-item', `alert-${a.level === 'high' ? 'high' : 'low'}`, !a.read && 'unread'],
        id: `alert-${a.id}`,
        tabindex: -1,
        'data-testid': 'alert-item',
        'data-level': a.level ?? '',
        'data-read': String(a.read),
        'data-venue-id': a.venue_id ?? '',
      },
      h(
        'div',
        { class: 'alert-head' },
        levelBadge(a.level, 'alert-level'),
        h('strong', { class: 'alert-venue', 'data-testid': 'alert-venue' }, a.venue_name ?? t('none')),
        !a.read && h('span', { class: 'badge' }, t('alert_new')),
      ),
      h(
        'dl',
        { class: 'facts stacked' },
        h('div', null, h('dt', null, t('alert_window')), h('dd', { 'data-testid': 'alert-window' }, windowText(a.starts_at, a.ends_at))),
        h('div', null, h('dt', null, t('alert_visit', { name: this.personName(a.member_id) })), h('dd', null, windowText(a.visit_in, a.visit_out))),
      ),
      h('p', { class: 'alert-message', 'data-testid': 'alert-message' }, pick(a.message)),
      h('p', { class: 'muted small' }, t('alert_received'), ' ', timeEl(a.created_at)),
      !a.read &&
        h(
          'button',
          {
            type: 'button',
            class: 'button ghost small',
            'data-testid': 'alert-mark-read',
            'aria-label': t('alert_mark_read_label', { name: a.venue_name ?? '' }),
            disabled: this.reading.has(a.id),
            onclick: () => void this.markRead(a),
          },
          t('alert_mark_read'),
        ),
    );
  }

  // -------------------------------------------------------------------------
  // The check on this phone

  private renderLocalCheck(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'local-check-heading', 'data-testid': 'local-check' },
      h(
        'div',
        { class: 'card-title-row wrap' },
        h('h2', { id: 'local-check-heading' }, t('local_check_title')),
        h(
          'button',
          { type: 'button', class: 'button secondary small', 'data-testid': 'local-check-run', disabled: this.checking, 'aria-busy': this.checking ? 'true' : undefined, onclick: () => void this.checkFeed() },
          this.checking ? t('local_checking') : t('local_check_again'),
        ),
      ),
      h('p', { class: 'lead' }, t('local_check_intro')),
      h(
        'div',
        { role: 'status', 'aria-live': 'polite' },
        this.checking && h('p', { class: 'muted' }, t('local_checking')),
        this.feedProblem && h('p', { class: 'notice warn', 'data-testid': 'local-check-error' }, t('local_check_failed'), ' ', this.feedProblem),
        this.feed &&
          !this.checking &&
          h('p', { class: 'muted small', 'data-testid': 'feed-verified' }, t('feed_verified', { count: this.feed.entries.length }), ' ', timeEl(this.feed.generated_at)),
      ),
      this.feed && !this.checking && (this.matches.length ? this.renderMatches() : h('p', { class: 'notice success', 'data-testid': 'local-no-match' }, t('local_no_match'))),
    );
  }

  private renderMatches(): HTMLElement {
    return h(
      'div',
      null,
      h('h3', null, t('local_matched_title')),
      h(
        'ul',
        { class: 'alert-list' },
        this.matches.map((m) =>
          h(
            'li',
            { class: ['alert-item', 'unread', `alert-${m.entry.level === 'high' ? 'high' : 'low'}`], 'data-testid': 'local-match', 'data-venue-id': m.entry.venue_id, 'data-level': m.entry.level },
            h('div', { class: 'alert-head' }, levelBadge(m.entry.level), h('strong', { class: 'alert-venue' }, m.entry.venue_name), h('span', { class: 'badge' }, t('local_matched_badge'))),
            h(
              'dl',
              { class: 'facts stacked' },
              h('div', null, h('dt', null, t('alert_window')), h('dd', null, windowText(m.entry.starts_at, m.entry.ends_at))),
              h('div', null, h('dt', null, t('local_matched_who')), h('dd', null, m.people.map((p) => p.name).join(', '))),
              h('div', null, h('dt', null, t('local_matched_visit')), h('dd', null, windowText(m.visit.in_at, personEnd(m.visit, m.people[0])))),
            ),
            h('p', { class: 'alert-message' }, lang() === 'en' ? m.entry.message_en : m.entry.message_vi),
          ),
        ),
      ),
    );
  }

  // -------------------------------------------------------------------------
  // The visit history on this phone

  private renderHistory(): HTMLElement {
    const waiting = queued(this.me.id).length;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'local-history-heading', 'data-testid': 'local-history' },
      h('h2', { id: 'local-history-heading' }, t('local_history_title')),
      h('p', { class: 'muted' }, t('local_history_intro')),
      waiting > 0 &&
        h(
          'div',
          { class: 'notice warn queue-notice', 'data-testid': 'queue-notice' },
          h('span', null, t('queue_waiting', { count: waiting })),
          h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'queue-send', disabled: this.sending, onclick: () => void this.sendQueued() }, this.sending ? t('sending') : t('queue_send_now')),
        ),
      this.sendNotice && h('p', { class: 'notice info', role: 'status' }, this.sendNotice),
      this.visits.length === 0
        ? h('p', { class: 'empty', 'data-testid': 'local-history-empty' }, t('local_history_empty'))
        : h('ul', { class: 'local-visits' }, this.visits.map((v) => this.renderVisit(v))),
    );
  }

  private renderVisit(v: LocalVisit): HTMLElement {
    const open = isOpen(v);
    return h(
      'li',
      { class: 'local-visit', 'data-testid': 'local-visit', 'data-venue-id': v.venue_id, 'data-state': v.state },
      h(
        'div',
        { class: 'local-visit-head' },
        h('strong', null, v.venue_name),
        h('span', { class: ['badge', v.state !== 'sent' && 'muted-badge'] }, t(`visit_state_${v.state}`)),
      ),
      h(
        'p',
        { class: 'muted small' },
        formatDateTime(v.in_at),
        ' → ',
        v.people.every((p) => p.out_at) ? formatDateTime(personEnd(v, v.people[0])) : open ? t('visit_still_in') : `${t('visit_auto_out')} ${formatDateTime(v.auto_out_at)}`,
      ),
      h('p', { class: 'small' }, v.people.map((p) => p.name).join(', ')),
    );
  }
}
