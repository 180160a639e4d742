// What stands beside the epidemic map: the layer list (a check box per layer, with its legend's
// colours and meanings), the features that have no place on the map (area levels and cases of
// units without coordinates, facilities without an address point) and, folded, every feature on
// the map as a list (for keyboard and screen-reader users), and for officials the table of area
// levels by unit with population, new community cases and the rate per 100,000.

import type { AreaLevelRow, AreaLevels, LegendEntry, MapFeature, MapLayer } from '../api-map';
import type { Problem } from '../api';
import { h } from '../dom';
import { lang, locale, pick, t } from '../i18n';
import { problemBanner } from '../ui';
import { featureColour } from './base';
import { labelNodes } from './draw';

export function layerName(layer: MapLayer): string {
  return lang() === 'en' ? layer.name_en || layer.name_vi : layer.name_vi || layer.name_en;
}

/** A colour swatch (decorative: the meaning is always written beside it). */
export function swatch(colour: string): HTMLElement {
  const c = featureColour(colour);
  return h('span', { class: 'map-swatch', 'aria-hidden': 'true', style: `background:${c.fill};border-color:${c.stroke}` });
}

function legendItem(entry: LegendEntry): HTMLElement {
  const first = lang() === 'en' ? entry.en || entry.vi : entry.vi || entry.en;
  const other = lang() === 'en' ? entry.vi : entry.en;
  return h(
    'li',
    { class: 'map-legend-item', 'data-colour': entry.colour },
    swatch(entry.colour),
    h('span', null, first, other && other !== first && h('span', { class: 'muted', lang: lang() === 'en' ? 'vi' : 'en' }, ` · ${other}`)),
  );
}

export interface LayerListOptions {
  layers: MapLayer[];
  isVisible: (id: string) => boolean;
  onToggle: (id: string, visible: boolean) => void;
  /** Layers that could not be loaded, with why. */
  problems: Map<string, Problem>;
  /** How many features each layer has (drawn and listed). */
  counts: Map<string, number>;
}

/** The layer toggles with their legends. */
export function layerList(o: LayerListOptions): HTMLElement {
  return h(
    'fieldset',
    { class: 'fieldset map-layers', 'data-testid': 'map-layers' },
    h('legend', { class: 'label' }, t('map_layers_title')),
    h(
      'ul',
      { class: 'map-layer-list' },
      o.layers.map((layer) => {
        const id = `map-layer-${layer.id}`;
        const problem = o.problems.get(layer.id);
        const count = o.counts.get(layer.id);
        return h(
          'li',
          { class: 'map-layer', 'data-testid': 'map-layer', 'data-layer': layer.id },
          h(
            'label',
            { class: 'check-label', for: id },
            h('input', {
              id,
              type: 'checkbox',
              class: 'check-input',
              checked: o.isVisible(layer.id),
              'data-testid': `map-layer-toggle-${layer.id}`,
              onchange: (e: Event) => o.onToggle(layer.id, (e.target as HTMLInputElement).checked),
            }),
            h('span', { class: 'map-layer-name' }, layerName(layer), count !== undefined && h('span', { class: 'muted small' }, ` (${count})`)),
          ),
          problem && h('p', { class: 'field-error' }, pick(problem.message)),
          layer.legend.length > 0 && h('ul', { class: 'map-legend', 'aria-label': t('map_legend_of', { name: layerName(layer) }) }, layer.legend.map(legendItem)),
        );
      }),
    ),
  );
}

/** One feature as a list item: its colour, name (a link for a facility), label and count. */
function featureItem(layerId: string, f: MapFeature, openFacility: (id: number) => void): HTMLElement {
  const p = f.properties;
  const facility = p.facility_id !== undefined && p.facility_id !== null ? Number(p.facility_id) : null;
  return h(
    'li',
    { class: 'map-feature-item', 'data-testid': 'map-feature-item', 'data-layer': layerId, 'data-colour': p.colour, 'data-unit-code': p.unit_code ?? undefined },
    swatch(p.colour),
    h(
      'span',
      { class: 'map-feature-text' },
      facility !== null
        ? h('a', { href: `/facility/${facility}`, onclick: (e: MouseEvent) => (e.preventDefault(), openFacility(facility)) }, p.name)
        : h('strong', null, p.name),
      ': ',
      labelNodes(p),
      typeof p.count === 'number' && h('span', { class: 'muted' }, ` — ${t('map_count', { count: p.count })}`),
    ),
  );
}

function featureGroups(groups: { layer: MapLayer; features: MapFeature[] }[], openFacility: (id: number) => void): HTMLElement[] {
  return groups.map(({ layer, features }) =>
    h(
      'div',
      { class: 'map-feature-group', 'data-layer': layer.id },
      h('h3', null, layerName(layer)),
      h('ul', { class: 'map-feature-list' }, features.map((f) => featureItem(layer.id, f, openFacility))),
    ),
  );
}

export interface FeatureListOptions {
  layers: MapLayer[];
  /** The layer's features drawn on the map and those without a place. */
  placedOf: (id: string) => MapFeature[];
  unplacedOf: (id: string) => MapFeature[];
  openFacility: (id: number) => void;
}

/**
 * Beside the map: the features without a place on it (always shown), and every feature drawn on
 * it as a list (folded; the same content for those who do not use the map itself).
 */
export function featureLists(o: FeatureListOptions): HTMLElement {
  const unplaced = o.layers.map((layer) => ({ layer, features: o.unplacedOf(layer.id) })).filter((g) => g.features.length > 0);
  const placed = o.layers.map((layer) => ({ layer, features: o.placedOf(layer.id) })).filter((g) => g.features.length > 0);
  const count = placed.reduce((n, g) => n + g.features.length, 0);
  return h(
    'section',
    { class: 'card map-features', 'aria-labelledby': 'map-unplaced-title', 'data-testid': 'map-unplaced' },
    h('h2', { id: 'map-unplaced-title' }, t('map_unplaced_title')),
    h('p', { class: 'muted small' }, t('map_unplaced_intro')),
    unplaced.length === 0 ? h('p', { class: 'empty', 'data-testid': 'map-unplaced-empty' }, t('map_unplaced_empty')) : featureGroups(unplaced, o.openFacility),
    count > 0 &&
      h(
        'details',
        { class: 'map-placed', 'data-testid': 'map-placed' },
        h('summary', null, t('map_placed_summary', { count })),
        featureGroups(placed, o.openFacility),
      ),
  );
}

function levelCell(row: AreaLevelRow): HTMLElement {
  return h(
    'span',
    { class: ['colour-badge', `colour-${row.colour}`], 'data-level': row.level ?? '', 'data-colour': row.colour },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    row.level ? t('map_level_n', { level: row.level }) : t('map_level_unknown'),
    ' ',
    h('span', { class: 'sr-only' }, pick(row.label)),
  );
}

/** The officials' table of area levels (the whole area first, then each unit). */
export function areaTable(levels: AreaLevels | null, problem: Problem | null): HTMLElement {
  const number = new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 });
  const row = (r: AreaLevelRow, total = false) =>
    h(
      'tr',
      { class: total ? 'map-area-total' : undefined, 'data-testid': 'map-area-row', 'data-unit-code': r.code },
      h('th', { scope: 'row' }, r.name),
      h('td', { class: 'num' }, r.population === null ? t('none') : number.format(r.population)),
      h('td', { class: 'num' }, number.format(r.new_community_cases)),
      h('td', { class: 'num' }, r.rate_per_100k === null ? t('none') : number.format(r.rate_per_100k)),
      h('td', null, levelCell(r), h('span', { class: 'muted block small' }, pick(r.label))),
    );
  return h(
    'section',
    { class: 'card map-areas', 'aria-labelledby': 'map-areas-title', 'data-testid': 'map-areas' },
    h('h2', { id: 'map-areas-title' }, t('map_areas_title')),
    levels && h('p', { class: 'muted small' }, t('map_areas_intro', { days: levels.window_days, l2: levels.thresholds.level2_from, l3: levels.thresholds.level3_from, l4: levels.thresholds.level4_from })),
    problem
      ? problemBanner(problem)
      : !levels
        ? h('p', { class: 'muted', role: 'status' }, t('loading'))
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table compact' },
              h('caption', { class: 'sr-only' }, t('map_areas_title')),
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  h('th', { scope: 'col' }, t('map_col_unit')),
                  h('th', { scope: 'col', class: 'num' }, t('map_col_population')),
                  h('th', { scope: 'col', class: 'num' }, t('map_col_cases')),
                  h('th', { scope: 'col', class: 'num' }, t('map_col_rate')),
                  h('th', { scope: 'col' }, t('map_col_level')),
                ),
              ),
              h('tbody', null, row(levels.total, true), levels.units.map((r) => row(r))),
            ),
          ),
  );
}
