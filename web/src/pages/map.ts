// The public epidemic map (`/map`, for everyone, signed in or not): every layer the server lists
// on a Leaflet map with its legend and a toggle, filters (the area, found by name with the unit
// search, and a time to see the map as it was), "my area" (the signed-in user's unit, or the
// browser's position), and beside the map what has no coordinates. The map follows the server's
// event stream: a changed layer is asked again with its ETag and redrawn, without a reload.
// Officials also get the table of area levels by unit.

import { toProblem, type Me, type Problem } from '../api';
import { mapApi, mapEvents, type AreaLevels, type MapConfig, type MapLayer } from '../api-map';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { areaTable, featureLists, layerList } from '../map/panel';
import { MapView } from '../map/view';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, problemBanner, timeEl } from '../ui';
import { UnitPicker } from '../unit-picker';
import { vietnamRfc3339 } from '../venue-view';

/** The copy of a layer held: for which query, and its ETag. */
interface Held {
  query: string;
  etag: string | null;
  count: number;
}

export class MapPage implements Page {
  private config: MapConfig | null = null;
  private layers: MapLayer[] | null = null;
  private problem: Problem | null = null;
  private readonly held = new Map<string, Held>();
  private readonly inflight = new Map<string, AbortController>();
  private readonly layerProblems = new Map<string, Problem>();
  private readonly view: MapView;
  private readonly area: UnitPicker;
  /** The datetime-local value of the "at" filter (Vietnam time); '' is now. */
  private at = '';
  private applied: { unit: string | null; at: string } = { unit: null, at: '' };
  private locating = false;
  private locateProblem: string | null = null;
  private updatedAt: string | null = null;
  private updates = 0;
  private levels: AreaLevels | null = null;
  private levelsProblem: Problem | null = null;
  private stopEvents: (() => void) | null = null;
  private disposed = false;

  constructor(
    private readonly app: App,
    private readonly me: Me | null,
  ) {
    this.view = new MapView({ openFacility: (id) => this.app.navigate('facility', { facilityId: id }) });
    this.area = new UnitPicker({
      id: 'map-area',
      name: 'unit',
      label: () => t('map_area_label'),
      selected: null,
      emptyText: () => t('map_area_all'),
      testid: 'map-area',
      onSelect: () => void this.apply(true),
    });
  }

  private get isOfficial(): boolean {
    return this.me?.kind === 'staff' && (this.me.role === 'health_official' || this.me.role === 'admin');
  }

  title(): string {
    return t('map_title');
  }

  mounted(): void {
    void this.start();
  }

  dispose(): void {
    this.disposed = true;
    this.stopEvents?.();
    for (const abort of this.inflight.values()) abort.abort();
    this.view.dispose();
  }

  private async start(): Promise<void> {
    try {
      const [config, layers] = await Promise.all([mapApi.config().catch(() => null), mapApi.layers()]);
      if (this.disposed) return;
      this.config = config;
      this.layers = layers;
      this.problem = null;
    } catch (err) {
      if (this.disposed) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
      this.app.rerender();
      return;
    }
    this.app.rerender();
    this.view.start(this.config);
    this.stopEvents = mapEvents(
      (id) => void this.onLayerEvent(id),
      () => void this.loadAll(false),
    );
    // Without a configured view, the first view is what the layers show.
    await this.loadAll(!this.config?.center);
    if (this.isOfficial) void this.loadLevels();
  }

  private query(): { unit?: string; at?: string } {
    return { unit: this.applied.unit ?? undefined, at: this.applied.at ? vietnamRfc3339(this.applied.at) : undefined };
  }

  private queryKey(): string {
    return JSON.stringify(this.query());
  }

  /** Asks one layer again (with the ETag of the copy held for the same filters) and redraws it. */
  private async loadLayer(layer: MapLayer): Promise<boolean> {
    this.inflight.get(layer.id)?.abort();
    const abort = new AbortController();
    this.inflight.set(layer.id, abort);
    const key = this.queryKey();
    const held = this.held.get(layer.id);
    try {
      const answer = await mapApi.layer(layer, this.query(), held?.query === key ? held.etag : null, abort.signal);
      if (abort.signal.aborted || this.disposed) return false;
      this.layerProblems.delete(layer.id);
      if (!answer.changed) return false;
      this.view.show(layer.id, answer.data);
      this.held.set(layer.id, { query: key, etag: answer.etag, count: answer.data.features?.length ?? 0 });
      return true;
    } catch (err) {
      if (abort.signal.aborted || this.disposed) return false;
      this.layerProblems.set(layer.id, toProblem(err));
      return false;
    } finally {
      if (this.inflight.get(layer.id) === abort) this.inflight.delete(layer.id);
    }
  }

  private async loadAll(fit: boolean): Promise<void> {
    const layers = this.layers ?? [];
    await Promise.all(layers.map((l) => this.loadLayer(l)));
    if (this.disposed) return;
    this.updatedAt = new Date().toISOString();
    this.app.rerender();
    if (fit && !this.view.fitShown()) announce(t('map_nothing_placed'));
  }

  private async onLayerEvent(id: string): Promise<void> {
    const layer = this.layers?.find((l) => l.id === id);
    if (!layer) return;
    const changed = await this.loadLayer(layer);
    if (this.disposed) return;
    if (id === 'area-levels' && this.isOfficial) void this.loadLevels();
    if (changed) {
      this.updates += 1;
      this.updatedAt = new Date().toISOString();
      this.app.rerender();
    }
  }

  private async loadLevels(): Promise<void> {
    const unit = this.applied.unit ?? (this.me?.kind === 'staff' ? this.me.unit?.code : undefined) ?? undefined;
    try {
      this.levels = await mapApi.areaLevels({ ...this.query(), unit });
      this.levelsProblem = null;
    } catch (err) {
      this.levelsProblem = toProblem(err);
    }
    if (!this.disposed) this.app.rerender();
  }

  /** Applies the filters: every layer is asked again, and the map fits the area when asked. */
  private async apply(fit: boolean): Promise<void> {
    this.applied = { unit: this.area.code, at: this.at };
    await this.loadAll(fit);
    if (this.isOfficial) void this.loadLevels();
    announce(this.applied.unit ? t('map_filtered', { name: this.area.selected?.name ?? '' }) : t('map_filtered_all'));
  }

  /** "My area": the signed-in user's unit. */
  private myArea(): void {
    const unit = this.me?.unit;
    if (!unit) return;
    this.area.setSelected(unit);
    void this.apply(true);
  }

  private locate(): void {
    if (!('geolocation' in navigator)) {
      this.locateProblem = t('map_locate_unsupported');
      this.app.rerender();
      return;
    }
    this.locating = true;
    this.locateProblem = null;
    this.app.rerender();
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        this.locating = false;
        this.view.showHere(pos.coords.latitude, pos.coords.longitude);
        announce(t('map_located'));
        this.app.rerender();
      },
      () => {
        this.locating = false;
        this.locateProblem = t('map_locate_failed');
        this.app.rerender();
      },
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 300_000 },
    );
  }

  render(): Child[] {
    const me = this.me;
    // The map's element is the same across renders; Leaflet measures it again once placed.
    this.view.refresh();
    return [
      appHeader(me ? { onLogout: () => void this.app.signOut(), wide: true } : { onSignIn: () => this.app.showSignIn(), wide: true }),
      me && appNav(this.app, me, 'map'),
      h(
        'main',
        { id: 'main', class: 'page wide map-page', tabindex: -1, 'data-testid': 'map-page' },
        h('h1', { id: 'map-heading', tabindex: -1, class: 'page-title', 'data-testid': 'map-heading' }, t('map_title')),
        h('p', { class: 'muted' }, t('map_intro')),
        this.problem && problemBanner(this.problem),
        h(
          'div',
          { class: 'map-layout' },
          h('aside', { class: 'map-sidebar', 'aria-label': t('map_controls_label') }, this.renderFilters(), this.layers && this.renderLayers()),
          h(
            'div',
            { class: 'map-main' },
            this.view.el,
            h(
              'p',
              { class: 'muted small map-live', 'data-testid': 'map-live', 'data-updates': this.updates },
              h('span', { class: 'map-live-dot', 'aria-hidden': 'true' }),
              t('map_live'),
              this.updatedAt && [' — ', t('map_updated_at'), ' ', timeEl(this.updatedAt)],
            ),
          ),
        ),
        this.layers &&
          featureLists({
            layers: this.layers,
            placedOf: (id) => this.view.placedOf(id),
            unplacedOf: (id) => this.view.unplacedOf(id),
            openFacility: (id) => this.app.navigate('facility', { facilityId: id }),
          }),
        this.isOfficial && areaTable(this.levels, this.levelsProblem),
      ),
    ];
  }

  private renderFilters(): HTMLElement {
    const me = this.me;
    return h(
      'section',
      { class: 'card map-filters', 'aria-labelledby': 'map-filters-title' },
      h('h2', { id: 'map-filters-title' }, t('map_filters_title')),
      this.area.render(),
      h(
        'div',
        { class: 'map-area-actions' },
        me?.unit &&
          h('button', { type: 'button', class: 'button secondary small', 'data-testid': 'map-my-area', onclick: () => this.myArea() }, t('map_my_area', { name: me.unit.name })),
        h(
          'button',
          { type: 'button', class: 'button ghost small', 'data-testid': 'map-locate', disabled: this.locating, 'aria-busy': this.locating ? 'true' : undefined, onclick: () => this.locate() },
          this.locating ? t('map_locating') : t('map_locate'),
        ),
      ),
      this.locateProblem && h('p', { class: 'field-error', role: 'alert' }, this.locateProblem),
      h(
        'form',
        {
          class: 'map-at-form',
          novalidate: true,
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            void this.apply(false);
          },
        },
        h(
          'div',
          { class: 'field' },
          h('label', { for: 'map-at', class: 'label' }, t('map_at_label')),
          h('p', { class: 'hint', id: 'map-at-hint' }, t('map_at_hint')),
          h('input', {
            id: 'map-at',
            name: 'at',
            type: 'datetime-local',
            class: 'input',
            value: this.at,
            'aria-describedby': 'map-at-hint',
            'data-testid': 'map-at',
            oninput: (e: Event) => (this.at = (e.target as HTMLInputElement).value),
          }),
        ),
        h(
          'div',
          { class: 'map-area-actions' },
          h('button', { type: 'submit', class: 'button primary small', 'data-testid': 'map-apply' }, t('map_apply')),
          this.applied.at &&
            h(
              'button',
              {
                type: 'button',
                class: 'button ghost small',
                'data-testid': 'map-now',
                onclick: () => {
                  this.at = '';
                  void this.apply(false);
                },
              },
              t('map_now'),
            ),
        ),
      ),
      this.renderShortcuts(),
    );
  }

  /** Where to go from the map: report a problem, one's facilities, the officials' lists, sign in. */
  private renderShortcuts(): Child {
    const me = this.me;
    const go = (route: 'risk-reports' | 'my-facilities' | 'risk-triage' | 'open-feedback', key: Parameters<typeof t>[0]) =>
      h('button', { type: 'button', class: 'link-button', 'data-testid': `map-go-${route}`, onclick: () => this.app.navigate(route) }, t(key));
    if (!me) return h('p', { class: 'muted small' }, t('map_signin_hint'), ' ', h('button', { type: 'button', class: 'link-button', 'data-testid': 'map-signin', onclick: () => this.app.showSignIn() }, t('map_signin')));
    if (me.kind === 'citizen') return h('p', { class: 'map-shortcuts' }, go('risk-reports', 'map_go_report'));
    if (me.role === 'facility_staff') return h('p', { class: 'map-shortcuts' }, go('my-facilities', 'nav_my_facilities'));
    if (this.isOfficial) return h('p', { class: 'map-shortcuts' }, go('risk-triage', 'nav_risk_triage'), ' · ', go('open-feedback', 'nav_open_feedback'));
    return null;
  }

  private renderLayers(): HTMLElement {
    const layers = this.layers ?? [];
    const counts = new Map([...this.held].map(([id, held]) => [id, held.count]));
    return h(
      'section',
      { class: 'card map-layers-card' },
      layerList({
        layers,
        isVisible: (id) => this.view.isVisible(id),
        onToggle: (id, visible) => {
          this.view.setVisible(id, visible);
          this.app.rerender();
        },
        problems: this.layerProblems,
        counts,
      }),
    );
  }
}
