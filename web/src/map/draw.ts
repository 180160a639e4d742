// Drawing one map layer's GeoJSON on Leaflet: points as circle markers, areas as filled shapes,
// each coloured by its `colour`, with a popup (the name, then the label in the current language
// with the other language beside it; a facility's popup links to its page). Every drawn shape
// carries DOM hooks — `data-layer`, `data-colour` and, for facilities, `data-facility-id` — set
// whenever Leaflet (re)creates its element. Features without geometry are returned, to be listed
// beside the map.

import * as L from 'leaflet';
import type { FeatureProps, MapFeature, MapFeatures } from '../api-map';
import { h } from '../dom';
import { lang, t } from '../i18n';
import { formatDay } from '../ui';
import { AREA_PANE, featureColour, POINT_PANE } from './base';

export interface DrawOptions {
  /** Opens a facility's page (from its popup). */
  openFacility: (id: number) => void;
}

/** The label in the current language, and the other language's (for "vi · en"). */
export function labels(p: Pick<FeatureProps, 'label_vi' | 'label_en'>): { first: string; other: string; otherLang: 'vi' | 'en' } {
  return lang() === 'en'
    ? { first: p.label_en || p.label_vi, other: p.label_vi, otherLang: 'vi' }
    : { first: p.label_vi || p.label_en, other: p.label_en, otherLang: 'en' };
}

/** The label written as "current · other" (the other muted and marked with its language). */
export function labelNodes(p: Pick<FeatureProps, 'label_vi' | 'label_en'>): (HTMLElement | string)[] {
  const l = labels(p);
  const out: (HTMLElement | string)[] = [h('span', { class: 'map-label' }, l.first)];
  if (l.other && l.other !== l.first) out.push(' ', h('span', { class: 'map-label-other muted', lang: l.otherLang }, `· ${l.other}`));
  return out;
}

function facilityId(p: FeatureProps): number | null {
  const id = Number(p.facility_id);
  return p.facility_id !== undefined && p.facility_id !== null && Number.isFinite(id) ? id : null;
}

function popup(p: FeatureProps, o: DrawOptions): HTMLElement {
  const id = facilityId(p);
  return h(
    'div',
    { class: 'map-popup', 'data-testid': 'map-popup' },
    h('strong', { class: 'map-popup-name' }, p.name),
    h('p', { class: 'map-popup-label' }, labelNodes(p)),
    p.assessed_on !== undefined && h('p', { class: 'muted small' }, p.assessed_on ? t('map_assessed_on', { day: formatDay(p.assessed_on) }) : t('map_not_assessed')),
    typeof p.count === 'number' && h('p', { class: 'muted small' }, t('map_count', { count: p.count })),
    id !== null &&
      h(
        'a',
        {
          href: `/facility/${id}`,
          class: 'map-popup-link',
          'data-testid': 'map-popup-facility',
          onclick: (e: MouseEvent) => {
            e.preventDefault();
            o.openFacility(id);
          },
        },
        t('map_open_facility'),
      ),
  );
}

/** Sets the DOM hooks on a drawn shape's element (Leaflet makes it when the shape is added). */
function tag(layer: L.Path, layerId: string, p: FeatureProps): void {
  const apply = () => {
    const el = layer.getElement();
    if (!el) return;
    el.setAttribute('data-layer', layerId);
    el.setAttribute('data-colour', p.colour ?? '');
    el.setAttribute('data-name', p.name ?? '');
    const id = facilityId(p);
    if (id !== null) el.setAttribute('data-facility-id', String(id));
    if (p.unit_code) el.setAttribute('data-unit-code', p.unit_code);
    el.setAttribute('aria-label', `${p.name}: ${labels(p).first}`);
  };
  layer.on('add', apply);
  apply();
}

/**
 * Replaces what `group` shows with `data`'s features; returns those without geometry. Points
 * of facility layers are drawn a little larger.
 */
export function drawLayer(group: L.LayerGroup, layerId: string, data: MapFeatures, o: DrawOptions): MapFeature[] {
  group.clearLayers();
  const unplaced: MapFeature[] = [];
  const facilities = layerId.includes('facilit');
  for (const feature of data.features ?? []) {
    const raw: Partial<FeatureProps> = feature.properties ?? {};
    const p: FeatureProps = { ...raw, name: raw.name ?? '', colour: raw.colour ?? 'grey', label_vi: raw.label_vi ?? '', label_en: raw.label_en ?? '' };
    if (!feature.geometry) {
      unplaced.push({ ...feature, properties: p });
      continue;
    }
    const c = featureColour(p.colour);
    const point = feature.geometry.type === 'Point' || feature.geometry.type === 'MultiPoint';
    // Areas are drawn in a pane under the points, so a zone never hides the markers inside it.
    const shape = L.geoJSON(feature, {
      pane: AREA_PANE,
      pointToLayer: (_f, latlng) => L.circleMarker(latlng, { pane: POINT_PANE, radius: facilities ? 9 : 7 }),
      style: () =>
        point
          ? { color: c.stroke, weight: 2, fillColor: c.fill, fillOpacity: 0.9, opacity: 1 }
          : { color: c.stroke, weight: 2, fillColor: c.fill, fillOpacity: 0.25, opacity: 0.9 },
      onEachFeature: (_f, layer) => {
        layer.bindPopup(() => popup(p, o));
        if (layer instanceof L.Path) tag(layer, layerId, p);
      },
    });
    shape.addTo(group);
  }
  return unplaced;
}

/** The bounds of everything drawn in `groups`, if any. */
export function boundsOf(groups: L.LayerGroup[]): L.LatLngBounds | null {
  let bounds: L.LatLngBounds | null = null;
  const add = (layer: L.Layer) => {
    if (layer instanceof L.CircleMarker) {
      const ll = layer.getLatLng();
      bounds = bounds ? bounds.extend(ll) : L.latLngBounds(ll, ll);
    } else if (layer instanceof L.Polyline) {
      const b = layer.getBounds();
      if (b.isValid()) bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
    } else if (layer instanceof L.LayerGroup) {
      layer.eachLayer(add);
    }
  };
  for (const g of groups) g.eachLayer(add);
  return bounds;
}
