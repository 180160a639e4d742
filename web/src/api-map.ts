// The typed client of the epidemic map (/api/v1/map, /api/v1/config/map): the list of layers with
// their legends, each layer's GeoJSON (asked again with the last ETag, so an unchanged layer costs
// a 304 and nothing is redrawn), the area levels by unit, the base map's settings (no tile server
// means no tiles: the page must work without the internet) and the live event stream that names
// the layer that changed.

import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { request, requestRaw } from './api';
import type {
  AreaLevels,
  MapConfig,
  MapLayer,
} from './api-types';

export type {
  AreaLevelRow,
  AreaLevels,
  LegendEntry,
  MapConfig,
  MapLayer,
} from './api-types';

// Client-side: the layers' GeoJSON (application/geo+json, not described by the document beyond
// `unknown`), the query and what asking again gave.

/** The properties every feature of every layer has, and those some layers add. */
export interface FeatureProps {
  name: string;
  colour: string;
  label_vi: string;
  label_en: string;
  /** Facility layers. */
  facility_id?: number;
  facility_type?: string;
  assessed_on?: string | null;
  /** Area levels and cases. */
  unit_code?: string;
  level?: number | null;
  count?: number;
  [key: string]: unknown;
}

/** A feature; `geometry` is null for a unit without known coordinates (listed beside the map). */
export type MapFeature = Feature<Geometry | null, FeatureProps>;
export type MapFeatures = FeatureCollection<Geometry | null, FeatureProps>;

export interface LayerQuery {
  /** Only this unit and below. */
  unit?: string;
  /** The map at this time (RFC 3339); now when absent. */
  at?: string;
}

/** What asking a layer again gave: unchanged (304), or new data with its ETag. */
export type LayerAnswer = { changed: false } | { changed: true; etag: string | null; data: MapFeatures };

/** `?unit=…&at=…` (empty when nothing is set). */
export function layerQuery(q: LayerQuery): string {
  const params = new URLSearchParams();
  if (q.unit) params.set('unit', q.unit);
  if (q.at) params.set('at', q.at);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const mapApi = {
  config: () => request<MapConfig>('GET', '/api/v1/config/map'),
  layers: () => request<MapLayer[]>('GET', '/api/v1/map/layers'),
  /** A layer's features; with the `etag` of the copy held, a 304 says it has not changed. */
  layer: async (layer: MapLayer, q: LayerQuery, etag: string | null, signal?: AbortSignal): Promise<LayerAnswer> => {
    const query = layerQuery(q);
    const url = query && layer.url.includes('?') ? `${layer.url}&${query.slice(1)}` : `${layer.url}${query}`;
    const res = await requestRaw(url, 'application/geo+json, application/json', {
      signal,
      cache: 'no-store',
      headers: etag ? { 'If-None-Match': etag } : undefined,
    });
    if (res.status === 304) return { changed: false };
    return { changed: true, etag: res.headers.get('ETag'), data: (await res.json()) as MapFeatures };
  },
  areaLevels: (q: LayerQuery, signal?: AbortSignal) => request<AreaLevels>('GET', `/api/v1/map/area-levels${layerQuery(q)}`, { signal }),
};

/**
 * Listens to `/api/v1/map/events`: `onLayer(id)` for each `layer` event, `onMissed()` when events
 * may have been missed — the stream came back after a break, or the server says `resync` (this
 * listener fell behind). Returns the function that stops.
 */
export function mapEvents(onLayer: (id: string) => void, onMissed: () => void): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  const source = new EventSource('/api/v1/map/events');
  let broken = false;
  source.addEventListener('layer', (e: MessageEvent<string>) => {
    try {
      const data = JSON.parse(e.data) as { layer?: unknown };
      if (typeof data.layer === 'string') onLayer(data.layer);
    } catch {
      // A malformed event names no layer; the next one will.
    }
  });
  source.addEventListener('resync', () => onMissed());
  source.addEventListener('open', () => {
    if (broken) onMissed();
    broken = false;
  });
  source.addEventListener('error', () => {
    broken = true;
  });
  return () => source.close();
}
