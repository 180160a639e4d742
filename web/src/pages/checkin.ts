// Check-in at a venue, opened by the QR code on its poster (`/v/CODE/SIG`): the venue as the
// server vouches for it (a forged or altered link is refused and nothing can be done), who is
// going in (the holder and family members), and the two big buttons. Every check-in and
// check-out is also written to the visit history on this phone; in on-device mode only there.
// Without network the request waits in the offline queue with its own time.

import { ApiError, clientProblem, toProblem, type CitizenMe, type Problem } from '../api';
import { venueApi, type Members, type Venue, type Visits } from '../api-venues';
import { h, type Child } from '../dom';
import { pick, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, checkboxField, problemBanner, timeEl } from '../ui';
import { categoryLabel, statusBadge } from '../venue-view';
import { addVisit, checkOutLocal, type VisitState } from '../visits/history';
import type { VenueLink } from '../visits/link';
import { enqueue, isOffline, newClientId } from '../visits/queue';

type Direction = 'in' | 'out';

/** What the result card shows after a button was pressed. */
interface Outcome {
  direction: Direction;
  at: string;
  /** The automatic check-out (check-in only). */
  autoOut: string | null;
  people: string[];
  /** Check-out only: the people who had not checked in here. */
  notIn: string[];
  state: VisitState;
}

export class CheckinPage implements Page {
  private me: CitizenMe;
  private venue: Venue | null = null;
  private loading = true;
  /** The link itself was refused (forged, altered, unknown venue): no buttons. */
  private linkProblem: Problem | null = null;
  private selected = new Set<number | null>([null]);
  private busy: Direction | null = null;
  private problem: Problem | null = null;
  private outcome: Outcome | null = null;

  constructor(
    private readonly app: App,
    me: CitizenMe,
    private readonly link: VenueLink,
  ) {
    this.me = { ...me, family: me.family ?? [] };
  }

  title(): string {
    return this.venue ? this.venue.name : t('checkin_title');
  }

  mounted(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.app.rerender();
    try {
      this.venue = await venueApi.open(this.link.code, this.link.sig);
      this.linkProblem = null;
    } catch (err) {
      // Without network the venue stays unknown but check-ins can still be queued.
      if (!isOffline(err)) {
        this.linkProblem = toProblem(err);
        announce(`${t('checkin_link_invalid')} ${this.linkMessage()}`, true);
      }
    }
    this.loading = false;
    this.app.rerender();
    if (this.venue) announce(t('checkin_venue_loaded', { name: this.venue.name }));
  }

  private linkMessage(): string {
    const p = this.linkProblem;
    if (!p) return '';
    if (p.status === 404) return t('checkin_venue_unknown');
    const sig = p.errors?.find((e) => e.field === 'sig');
    return sig ? pick(sig.message) : pick(p.message);
  }

  private get venueName(): string {
    return this.venue?.name ?? this.link.code;
  }

  private personName(id: number | null): string {
    if (id === null) return this.me.full_name || t('person_me');
    return this.me.family.find((m) => m.id === id)?.full_name ?? String(id);
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'checkin'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'checkin-page' },
        h('h1', { id: 'checkin-heading', tabindex: -1, class: 'page-title' }, t('checkin_title')),
        this.loading
          ? h('p', { class: 'loading', role: 'status' }, t('loading'))
          : this.linkProblem
            ? this.renderInvalid()
            : [this.renderVenue(), this.renderForm(), h('div', { 'aria-live': 'polite' }, this.outcome && this.renderOutcome(this.outcome))],
      ),
    ];
  }

  private renderInvalid(): HTMLElement {
    return h(
      'section',
      { class: 'verdict verdict-bad', role: 'alert', 'data-testid': 'checkin-invalid', 'data-problem-code': this.linkProblem?.code ?? '' },
      h('span', { class: 'verdict-symbol', 'aria-hidden': 'true' }, '✕'),
      h(
        'div',
        { class: 'verdict-text' },
        h('strong', { class: 'verdict-title' }, t('checkin_link_invalid')),
        h('span', { class: 'verdict-line' }, this.linkMessage()),
        h('span', { class: 'verdict-line small' }, t('checkin_link_advice')),
      ),
    );
  }

  private renderVenue(): HTMLElement {
    const v = this.venue;
    return h(
      'section',
      { class: 'card venue-card', 'aria-labelledby': 'venue-name', 'data-testid': 'checkin-venue', 'data-venue-id': this.link.code },
      h('h2', { id: 'venue-name', class: 'venue-name', 'data-testid': 'checkin-venue-name' }, this.venueName),
      v
        ? h(
            'dl',
            { class: 'facts stacked' },
            h('div', null, h('dt', null, t('venue_category')), h('dd', null, categoryLabel(v))),
            h('div', null, h('dt', null, t('venue_address')), h('dd', null, v.address || t('none'))),
            h('div', null, h('dt', null, t('venue_status')), h('dd', null, statusBadge(v.status, 'checkin-venue-status'))),
            h('div', null, h('dt', null, t('venue_code')), h('dd', null, h('code', null, v.id))),
          )
        : h('p', { class: 'notice warn', 'data-testid': 'checkin-offline' }, t('checkin_venue_offline')),
      v?.checkin_mode === 'on-device' && h('p', { class: 'notice info', 'data-testid': 'checkin-on-device' }, t('checkin_on_device_note')),
    );
  }

  private renderForm(): HTMLElement {
    const closed = this.venue?.status === 'closed';
    const people: (number | null)[] = [null, ...this.me.family.map((m) => m.id)];
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'checkin-people-heading' },
      h(
        'form',
        { id: 'checkin-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => e.preventDefault() },
        problemBanner(this.problem, [], 'checkin-problem'),
        h(
          'fieldset',
          { class: 'fieldset check-group' },
          h('legend', { id: 'checkin-people-heading', class: 'label' }, t('checkin_people')),
          h(
            'div',
            { class: 'check-grid' },
            people.map((id) =>
              checkboxField({
                id: `checkin-person-${id ?? 'self'}`,
                name: 'members',
                label: id === null ? `${this.personName(null)} (${t('person_me')})` : this.personName(id),
                checked: this.selected.has(id),
                testid: `checkin-person-${id ?? 'self'}`,
                onchange: (on) => {
                  if (on) this.selected.add(id);
                  else this.selected.delete(id);
                },
              }),
            ),
          ),
        ),
        closed && h('p', { class: 'notice warn', 'data-testid': 'checkin-closed' }, t('checkin_venue_closed')),
        h(
          'div',
          { class: 'checkin-buttons' },
          h(
            'button',
            {
              type: 'button',
              id: 'checkin-in',
              class: 'button primary big-button',
              'data-testid': 'checkin-in',
              disabled: this.busy !== null || closed,
              'aria-busy': this.busy === 'in' ? 'true' : undefined,
              onclick: () => void this.act('in'),
            },
            h('span', { class: 'big-button-arrow', 'aria-hidden': 'true' }, '→'),
            this.busy === 'in' ? t('sending') : t('checkin_in'),
          ),
          h(
            'button',
            {
              type: 'button',
              id: 'checkin-out',
              class: 'button secondary big-button',
              'data-testid': 'checkin-out',
              disabled: this.busy !== null,
              'aria-busy': this.busy === 'out' ? 'true' : undefined,
              onclick: () => void this.act('out'),
            },
            h('span', { class: 'big-button-arrow', 'aria-hidden': 'true' }, '←'),
            this.busy === 'out' ? t('sending') : t('checkin_out'),
          ),
        ),
      ),
    );
  }

  private renderOutcome(o: Outcome): HTMLElement {
    const queued = o.state === 'queued';
    return h(
      'section',
      { class: ['card', 'checkin-result', `checkin-result-${o.direction}`], 'aria-labelledby': 'checkin-result-heading', 'data-testid': 'checkin-result', 'data-direction': o.direction, 'data-state': o.state },
      h('h2', { id: 'checkin-result-heading', tabindex: -1 }, o.direction === 'in' ? t('checkin_done_in') : t('checkin_done_out'), ' — ', this.venueName),
      h(
        'dl',
        { class: 'facts stacked' },
        h('div', null, h('dt', null, o.direction === 'in' ? t('visit_in') : t('visit_out')), h('dd', { 'data-testid': 'checkin-result-time' }, timeEl(o.at))),
        o.autoOut && h('div', null, h('dt', null, t('checkin_auto_out')), h('dd', { 'data-testid': 'checkin-result-auto-out' }, timeEl(o.autoOut))),
        h('div', null, h('dt', null, t('checkin_who')), h('dd', null, o.people.join(', '))),
      ),
      o.notIn.length > 0 && h('p', { class: 'notice warn' }, t('checkin_not_in', { names: o.notIn.join(', ') })),
      queued && h('p', { class: 'notice warn', 'data-testid': 'checkin-queued' }, t('checkin_queued')),
      o.state === 'local' && h('p', { class: 'notice info' }, t('checkin_local_only')),
      o.direction === 'in' && h('p', { class: 'hint' }, t('checkin_remember_out')),
      h('button', { type: 'button', class: 'link-button', 'data-testid': 'checkin-to-alerts', onclick: () => this.app.navigate('alerts') }, t('checkin_see_history')),
    );
  }

  private members(): Members {
    return [null, ...this.me.family.map((m) => m.id)].filter((id) => this.selected.has(id));
  }

  private async act(direction: Direction): Promise<void> {
    if (this.busy) return;
    const members = this.members();
    if (members.length === 0) {
      this.fail(clientProblem(422, 'members', 'checkin_choose_people'), true);
      return;
    }
    this.busy = direction;
    this.problem = null;
    this.outcome = null;
    this.app.rerender();
    const clientId = newClientId();
    const at = new Date().toISOString();
    try {
      this.outcome = direction === 'in' ? await this.checkIn(clientId, members, at) : await this.checkOut(clientId, members, at);
    } catch (err) {
      this.busy = null;
      this.fail(toProblem(err));
      return;
    }
    this.busy = null;
    this.app.rerender();
    const o = this.outcome;
    document.getElementById('checkin-result-heading')?.focus();
    announce(`${o.direction === 'in' ? t('checkin_done_in') : t('checkin_done_out')}. ${o.state === 'queued' ? t('checkin_queued') : ''}`);
  }

  private async checkIn(clientId: string, members: Members, at: string): Promise<Outcome> {
    const venue = this.venue;
    const dwell = (venue?.dwell_minutes ?? 120) * 60_000;
    let state: VisitState = 'sent';
    let inAt = at;
    let autoOut = new Date(Date.parse(at) + dwell).toISOString();
    if (venue?.checkin_mode === 'on-device') {
      state = 'local';
    } else {
      try {
        const answer = await venueApi.checkIn({ client_id: clientId, venue_id: this.link.code, sig: this.link.sig, members });
        const first = answer.visits[0];
        if (first) {
          inAt = first.in_at;
          autoOut = first.out_at;
        }
      } catch (err) {
        if (isOffline(err)) {
          state = 'queued';
          enqueue({ kind: 'in', owner: this.me.id, venue_name: this.venueName, body: { client_id: clientId, venue_id: this.link.code, sig: this.link.sig, members, at } });
        } else if (err instanceof ApiError && err.problem.code === 'checkin_mode_on_device') {
          state = 'local';
        } else {
          throw err;
        }
      }
    }
    addVisit(this.me.id, {
      id: clientId,
      venue_id: this.link.code,
      venue_name: this.venueName,
      in_at: inAt,
      auto_out_at: autoOut,
      people: members.map((id) => ({ id, name: this.personName(id), out_at: null })),
      state,
    });
    return { direction: 'in', at: inAt, autoOut, people: members.map((id) => this.personName(id)), notIn: [], state };
  }

  private async checkOut(clientId: string, members: Members, at: string): Promise<Outcome> {
    let state: VisitState = 'sent';
    let outAt = at;
    let notIn: Members = [];
    if (this.venue?.checkin_mode === 'on-device') {
      state = 'local';
    } else {
      try {
        const answer: Visits = await venueApi.checkOut({ client_id: clientId, venue_id: this.link.code, members });
        outAt = answer.visits[0]?.out_at ?? at;
        notIn = answer.not_checked_in ?? [];
      } catch (err) {
        if (isOffline(err)) {
          state = 'queued';
          enqueue({ kind: 'out', owner: this.me.id, venue_name: this.venueName, body: { client_id: clientId, venue_id: this.link.code, members, at } });
        } else if (err instanceof ApiError && err.problem.code === 'checkin_mode_on_device') {
          state = 'local';
        } else {
          throw err;
        }
      }
    }
    const leaving = members.filter((m) => !notIn.includes(m));
    const ended = checkOutLocal(this.me.id, this.link.code, leaving, outAt);
    if (state === 'local' && ended.length === 0) {
      // On this phone only: nobody had a visit here to end.
      throw new ApiError(clientProblem(409, 'not_checked_in', 'checkin_nobody_in'));
    }
    return { direction: 'out', at: outAt, autoOut: null, people: leaving.map((id) => this.personName(id)), notIn: notIn.map((id) => this.personName(id)), state };
  }

  private fail(problem: Problem, focusFirst = false): void {
    this.problem = problem;
    this.app.rerender();
    announceProblem(problem);
    if (focusFirst) document.getElementById('checkin-person-self')?.focus();
    else document.getElementById('checkin-problem')?.focus();
  }
}

