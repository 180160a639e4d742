// The epidemic map's Leaflet part: one element kept across page renders (the page shell rebuilds
// the DOM on every change, so the map must not be made again), one group of shapes per layer that
// is shown or hidden by the layer toggles, the shapes redrawn when a layer's data changes, and
// "where am I" / "fit the area" moves.

import * as L from 'leaflet';
import type { MapConfig, MapFeature, MapFeatures } from '../api-map';
import { h } from '../dom';
import { t } from '../i18n';
import { createBaseMap } from './base';
import { boundsOf, drawLayer, type DrawOptions } from './draw';

export class MapView {
  /** The map's element; the page places this same element in every render. */
  readonly el: HTMLElement;
  private map: L.Map | null = null;
  private readonly groups = new Map<string, L.LayerGroup>();
  private readonly hidden = new Set<string>();
  private readonly unplaced = new Map<string, MapFeature[]>();
  private readonly placed = new Map<string, MapFeature[]>();
  private here: L.CircleMarker | null = null;

  constructor(private readonly draw: DrawOptions) {
    this.el = h('div', { class: 'map-canvas', id: 'map-canvas', 'data-testid': 'map-canvas', role: 'region', 'aria-label': t('map_region_label') });
  }

  /** Makes the Leaflet map once the configuration is known (again after `dispose`). */
  start(config: MapConfig | null): void {
    if (this.map) return;
    this.map = createBaseMap(this.el, config);
    for (const [id, group] of this.groups) if (!this.hidden.has(id)) group.addTo(this.map);
    this.el.setAttribute('data-ready', 'true');
  }

  get started(): boolean {
    return this.map !== null;
  }

  /** After the element was re-attached or resized: Leaflet measures it again. */
  refresh(): void {
    const map = this.map;
    if (!map) return;
    window.requestAnimationFrame(() => map.invalidateSize({ pan: false }));
  }

  private group(id: string): L.LayerGroup {
    let group = this.groups.get(id);
    if (!group) {
      group = L.layerGroup();
      this.groups.set(id, group);
      if (this.map && !this.hidden.has(id)) group.addTo(this.map);
    }
    return group;
  }

  /** Draws a layer's features (replacing the previous ones). */
  show(id: string, data: MapFeatures): void {
    const unplaced = drawLayer(this.group(id), id, data, this.draw);
    this.unplaced.set(id, unplaced);
    this.placed.set(id, (data.features ?? []).filter((f) => f.geometry));
  }

  /** The features of layer `id` drawn on the map. */
  placedOf(id: string): MapFeature[] {
    return this.placed.get(id) ?? [];
  }

  /** The features of layer `id` that have no geometry (listed beside the map). */
  unplacedOf(id: string): MapFeature[] {
    return this.unplaced.get(id) ?? [];
  }

  isVisible(id: string): boolean {
    return !this.hidden.has(id);
  }

  setVisible(id: string, visible: boolean): void {
    const group = this.group(id);
    if (visible) {
      this.hidden.delete(id);
      if (this.map && !this.map.hasLayer(group)) group.addTo(this.map);
    } else {
      this.hidden.add(id);
      group.remove();
    }
  }

  /** Zooms to everything shown; false when nothing has a place on the map. */
  fitShown(): boolean {
    if (!this.map) return false;
    const shown = [...this.groups].filter(([id]) => !this.hidden.has(id)).map(([, g]) => g);
    const bounds = boundsOf(shown);
    if (!bounds) return false;
    this.map.fitBounds(bounds.pad(0.15), { maxZoom: 14 });
    return true;
  }

  /** Centres the map on the user's position with a marker. */
  showHere(lat: number, lon: number): void {
    if (!this.map) return;
    this.here?.remove();
    this.here = L.circleMarker([lat, lon], { radius: 8, color: '#1e3a8a', weight: 3, fillColor: '#60a5fa', fillOpacity: 0.9 })
      .bindTooltip(t('map_you_are_here'))
      .addTo(this.map);
    this.here.getElement()?.setAttribute('data-testid', 'map-here');
    this.map.setView([lat, lon], Math.max(this.map.getZoom(), 14));
  }

  dispose(): void {
    this.map?.remove();
    this.map = null;
    this.here = null;
    for (const group of this.groups.values()) group.clearLayers();
    this.el.removeAttribute('data-ready');
  }
}
