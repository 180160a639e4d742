// The base of every Leaflet map of the app: tiles from the configured server with its
// attribution, or — when no tile server is configured (the default, so that the app works with
// no internet) — no tiles at all: a plain background with a light graticule whose spacing follows
// the zoom. Also the colours of the map's features by name.

import * as L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { MapConfig } from '../api-map';

/** Vietnam, for maps opened before the configuration is known. */
export const VIETNAM_CENTER: [number, number] = [16.0, 106.0];

/** The panes of the map's own shapes: areas under points (Leaflet's overlay pane is at 400). */
export const AREA_PANE = 'phongdich-areas';
export const POINT_PANE = 'phongdich-points';

/** Feature colours by the names the API uses; anything else is taken as a CSS colour. */
const COLOURS: Record<string, { fill: string; stroke: string }> = {
  green: { fill: '#1f9d55', stroke: '#11693a' },
  yellow: { fill: '#e0a100', stroke: '#7a4b00' },
  orange: { fill: '#ea580c', stroke: '#9a3412' },
  red: { fill: '#d92d20', stroke: '#7a1209' },
  grey: { fill: '#8a8f94', stroke: '#4b5157' },
  gray: { fill: '#8a8f94', stroke: '#4b5157' },
  blue: { fill: '#2563eb', stroke: '#1e3a8a' },
  purple: { fill: '#7c3aed', stroke: '#4c1d95' },
  black: { fill: '#1f2937', stroke: '#000000' },
};

export function featureColour(colour: string | null | undefined): { fill: string; stroke: string } {
  const known = colour ? COLOURS[colour.toLowerCase()] : undefined;
  if (known) return known;
  if (colour && /^(#[0-9a-f]{3,8}|rgb|hsl)/i.test(colour)) return { fill: colour, stroke: colour };
  return COLOURS.grey;
}

/** Grid steps in degrees, from coarse to fine; the first that gives at least four lines is used. */
const STEPS = [10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001];

/** A light latitude/longitude grid redrawn for the visible area, so an untiled map has bearings. */
class Graticule {
  private readonly group = L.layerGroup();

  constructor(private readonly map: L.Map) {
    this.group.addTo(map);
    map.on('moveend zoomend resize', () => this.draw());
    this.draw();
  }

  draw(): void {
    this.group.clearLayers();
    const size = this.map.getSize();
    if (size.x === 0 || size.y === 0) return;
    const b = this.map.getBounds();
    const span = Math.min(b.getNorth() - b.getSouth(), b.getEast() - b.getWest());
    const step = STEPS.find((s) => span / s >= 4) ?? STEPS[STEPS.length - 1];
    const style: L.PolylineOptions = { color: '#b9c7cd', weight: 1, opacity: 0.8, interactive: false };
    const south = Math.max(-85, Math.floor(b.getSouth() / step) * step);
    const north = Math.min(85, Math.ceil(b.getNorth() / step) * step);
    const west = Math.floor(b.getWest() / step) * step;
    const east = Math.ceil(b.getEast() / step) * step;
    if ((north - south) / step > 200 || (east - west) / step > 200) return;
    for (let lat = south; lat <= north + step / 2; lat += step) {
      L.polyline(
        [
          [lat, west],
          [lat, east],
        ],
        style,
      ).addTo(this.group);
    }
    for (let lon = west; lon <= east + step / 2; lon += step) {
      L.polyline(
        [
          [south, lon],
          [north, lon],
        ],
        style,
      ).addTo(this.group);
    }
  }
}

/**
 * A Leaflet map in `el` set up from the configuration: the configured tiles, or none (plain
 * background and graticule). `el` should be in the document; call `invalidateSize()` after it
 * moves or is shown.
 */
export function createBaseMap(el: HTMLElement, config: MapConfig | null, opts: { zoom?: number; center?: [number, number] } = {}): L.Map {
  const map = L.map(el, {
    center: opts.center ?? config?.center ?? VIETNAM_CENTER,
    zoom: opts.zoom ?? config?.zoom ?? 6,
    minZoom: 3,
    maxZoom: 19,
    worldCopyJump: false,
    preferCanvas: false,
  });
  map.createPane(AREA_PANE).style.zIndex = '390';
  map.createPane(POINT_PANE).style.zIndex = '450';
  if (config?.tile_url) {
    el.classList.remove('map-offline');
    L.tileLayer(config.tile_url, { attribution: config.attribution ?? '', maxZoom: 19 }).addTo(map);
  } else {
    el.classList.add('map-offline');
    new Graticule(map);
  }
  return map;
}
