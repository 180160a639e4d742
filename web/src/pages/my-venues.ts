// Citizen: "my venues" — a shop, office or other place the citizen runs registers here for a
// QR poster (name, category, commune, street, optionally its position from the phone), and each
// venue they registered gets its card (QR, posters, open/closed, scanning staff, visitor log).

import { localProblem, toProblem, type CitizenMe, type Problem } from '../api';
import { venueApi, type Venue, type VenueBody, type VenueCategory } from '../api-venues';
import { h, type Child } from '../dom';
import { lang, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, focusFirstError, listBody, notice, problemBanner, selectField, textField } from '../ui';
import { UnitCascade } from '../unit-cascade';
import { VenueOwnerCard } from './my-venue-card';

const FIELDS = ['name', 'category', 'unit_code', 'street', 'lat', 'lon'];

export class MyVenuesPage implements Page {
  private me: CitizenMe;
  private categories: VenueCategory[] = [];
  private venues: Venue[] | null = null;
  private cards = new Map<string, VenueOwnerCard>();
  private listProblem: Problem | null = null;

  private name = '';
  private category = '';
  private readonly unit: UnitCascade;
  private street = '';
  private lat = '';
  private lon = '';
  private locating = false;
  private geoMessage: string | null = null;
  private busy = false;
  private problem: Problem | null = null;
  private notice: string | null = null;

  constructor(
    private readonly app: App,
    me: CitizenMe,
  ) {
    this.me = me;
    this.unit = new UnitCascade({ id: 'venue-unit', name: 'unit_code', legend: () => t('venue_unit'), testid: 'venue-unit', onChange: () => this.app.rerender() });
  }

  title(): string {
    return t('my_venues_title');
  }

  mounted(): void {
    const home = this.me.unit && this.me.unit.tier === 'commune' ? this.me.unit.code : null;
    void this.unit.init(home);
    void venueApi
      .categories()
      .then((list) => {
        this.categories = list;
        this.app.rerender();
      })
      .catch((err: unknown) => {
        this.problem = toProblem(err);
        this.app.rerender();
      });
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.venues = await venueApi.mine();
      this.listProblem = null;
    } catch (err) {
      this.listProblem = toProblem(err);
    }
    this.app.rerender();
  }

  private card(v: Venue): VenueOwnerCard {
    let card = this.cards.get(v.id);
    if (!card) {
      card = new VenueOwnerCard(this.app, v);
      this.cards.set(v.id, card);
    }
    return card;
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'my-venues'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'my-venues-page' },
        h('h1', { id: 'my-venues-heading', tabindex: -1, class: 'page-title' }, t('my_venues_title')),
        h('p', { class: 'lead' }, t('my_venues_intro')),
        h(
          'section',
          { class: 'venue-list', 'aria-labelledby': 'my-venues-list-heading' },
          h('h2', { id: 'my-venues-list-heading', class: 'sr-only' }, t('my_venues_list')),
          listBody(this.listProblem, this.venues, {
            empty: () => h('p', { class: 'empty card', 'data-testid': 'my-venues-empty' }, t('my_venues_empty')),
            rows: (rows) => rows.map((v) => this.card(v).render()),
          }),
        ),
        this.renderForm(),
      ),
    ];
  }

  private renderForm(): HTMLElement {
    const categoryOptions = this.categories.map((c) => ({ value: c.code, label: lang() === 'en' ? c.en : c.vi }));
    const chosen = this.categories.find((c) => c.code === this.category);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'venue-register-heading' },
      h('h2', { id: 'venue-register-heading', tabindex: -1 }, t('venue_register_title')),
      h(
        'form',
        { id: 'venue-form', class: 'form', novalidate: true, 'data-testid': 'venue-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
        problemBanner(this.problem, FIELDS, 'venue-problem'),
        textField({ id: 'venue-name', name: 'name', label: t('venue_name'), required: true, autocomplete: 'organization', value: this.name, testid: 'venue-name', problem: this.problem, oninput: (v) => (this.name = v) }),
        selectField({
          id: 'venue-category',
          name: 'category',
          label: t('venue_category'),
          value: this.category,
          placeholder: t('choose'),
          required: true,
          options: categoryOptions,
          problem: this.problem,
          testid: 'venue-category',
          onchange: (v) => {
            this.category = v;
            this.app.rerender();
          },
        }),
        chosen && h('p', { class: 'hint', 'data-testid': 'venue-dwell' }, t('venue_dwell_hint', { minutes: chosen.dwell_minutes })),
        this.unit.render(this.problem),
        textField({ id: 'venue-street', name: 'street', label: t('venue_street'), hint: t('venue_street_hint'), value: this.street, autocomplete: 'street-address', testid: 'venue-street', problem: this.problem, oninput: (v) => (this.street = v) }),
        h(
          'fieldset',
          { class: 'fieldset' },
          h('legend', { class: 'label' }, t('venue_position')),
          h('p', { class: 'hint', id: 'venue-position-hint' }, t('venue_position_hint')),
          h(
            'div',
            { class: 'form-row' },
            textField({ id: 'venue-lat', name: 'lat', label: t('venue_lat'), inputmode: 'decimal', autocomplete: 'off', value: this.lat, testid: 'venue-lat', problem: this.problem, oninput: (v) => (this.lat = v) }),
            textField({ id: 'venue-lon', name: 'lon', label: t('venue_lon'), inputmode: 'decimal', autocomplete: 'off', value: this.lon, testid: 'venue-lon', problem: this.problem, oninput: (v) => (this.lon = v) }),
          ),
          'geolocation' in navigator &&
            h(
              'button',
              { type: 'button', id: 'venue-locate', class: 'button ghost small', 'data-testid': 'venue-locate', disabled: this.locating, 'aria-busy': this.locating ? 'true' : undefined, onclick: () => this.locate() },
              this.locating ? t('venue_locating') : t('venue_use_location'),
            ),
          h('p', { class: 'hint', role: 'status', 'data-testid': 'venue-geo-status' }, this.geoMessage ?? ''),
        ),
        this.notice && notice(this.notice, 'venue-registered'),
        h(
          'button',
          { type: 'submit', id: 'venue-submit', class: 'button primary block', 'data-testid': 'venue-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined },
          this.busy ? t('saving') : t('venue_register'),
        ),
      ),
    );
  }

  private locate(): void {
    if (this.locating) return;
    this.locating = true;
    this.geoMessage = t('venue_locating');
    this.app.rerender();
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this.lat = pos.coords.latitude.toFixed(6);
        this.lon = pos.coords.longitude.toFixed(6);
        this.locating = false;
        this.geoMessage = t('venue_located', { accuracy: Math.round(pos.coords.accuracy) });
        this.app.rerender();
        announce(this.geoMessage);
      },
      (err) => {
        this.locating = false;
        this.geoMessage = err.code === err.PERMISSION_DENIED ? t('venue_location_denied') : t('venue_location_failed');
        this.app.rerender();
        announce(this.geoMessage, true);
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body: VenueBody = { name: this.name.trim(), category: this.category, unit_code: this.unit.code ?? '', street: this.street.trim() };
    const missing: Parameters<typeof localProblem>[0] = [];
    if (!body.name) missing.push({ field: 'name', key: 'error_field_required' });
    if (!body.category) missing.push({ field: 'category', key: 'error_field_required' });
    if (!body.unit_code) missing.push({ field: 'unit_code', key: 'venue_unit_required' });
    for (const [field, text] of [['lat', this.lat], ['lon', this.lon]] as const) {
      const v = text.trim().replace(',', '.');
      if (!v) continue;
      const n = Number(v);
      if (!Number.isFinite(n)) missing.push({ field, key: 'venue_coord_invalid' });
      else body[field] = n;
    }
    if (missing.length) {
      this.fail(localProblem(missing));
      return;
    }
    this.busy = true;
    this.problem = null;
    this.notice = null;
    this.app.rerender();
    try {
      const venue = await venueApi.register(body);
      this.venues = [venue, ...(this.venues ?? [])];
      this.name = '';
      this.street = '';
      this.lat = '';
      this.lon = '';
      this.geoMessage = null;
      this.busy = false;
      this.notice = t('venue_registered', { name: venue.name });
      this.app.rerender();
      announce(this.notice);
      document.getElementById(`venue-${venue.id}-heading`)?.focus();
    } catch (err) {
      this.busy = false;
      this.fail(toProblem(err));
    }
  }

  private fail(problem: Problem): void {
    this.problem = problem;
    this.notice = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('venue-form'));
  }
}
