// The domestic travel part of a declaration: conveyance and vehicle number, the departure
// airport or station (air and rail only), the travel date, and where from and where to as unit
// cascades with streets. Conveyance, station and both places are remembered for the next trip.

import type { DeclarationBody, Problem } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { todayIso } from '../ui';
import type { UnitCascade } from '../unit-cascade';
import { opt, type Fields } from './fields';
import type { Remembered } from './remembered';

const TRAVEL_CONVEYANCES = ['air', 'rail', 'road', 'water'];

export const TRAVEL_FIELDS = [
  'travel.conveyance',
  'travel.vehicle_number',
  'travel.departure_station',
  'travel.travel_date',
  'travel.from.unit_code',
  'travel.from.street',
  'travel.to.unit_code',
  'travel.to.street',
];

export class TravelPart {
  conveyance = '';
  vehicle = '';
  station = '';
  date = todayIso();
  readonly from: UnitCascade;
  fromStreet = '';
  readonly to: UnitCascade;
  toStreet = '';

  constructor(
    private readonly f: Fields,
    r: Remembered,
  ) {
    this.from = f.cascade('from', 'travel.from.unit_code', () => t('decl_travel_from_unit'));
    this.to = f.cascade('to', 'travel.to.unit_code', () => t('decl_travel_to_unit'));
    this.conveyance = r.travel_conveyance ?? '';
    this.station = r.travel_departure_station ?? '';
    this.fromStreet = r.travel_from_street ?? '';
    this.toStreet = r.travel_to_street ?? '';
  }

  private get needsStation(): boolean {
    return this.conveyance === 'air' || this.conveyance === 'rail';
  }

  remember(r: Remembered): void {
    r.travel_conveyance = this.conveyance || undefined;
    r.travel_departure_station = this.station.trim() || undefined;
    r.travel_from_unit = this.from.code ?? undefined;
    r.travel_from_street = this.fromStreet.trim() || undefined;
    r.travel_to_unit = this.to.code ?? undefined;
    r.travel_to_street = this.toStreet.trim() || undefined;
  }

  body(): NonNullable<DeclarationBody['travel']> {
    return {
      conveyance: this.conveyance,
      vehicle_number: this.vehicle.trim(),
      from: { unit_code: this.from.code ?? '', street: this.fromStreet.trim() },
      to: { unit_code: this.to.code ?? '', street: this.toStreet.trim() },
      departure_station: this.needsStation ? opt(this.station) : undefined,
      travel_date: this.date,
    };
  }

  render(problem: Problem | null): HTMLElement {
    const f = this.f;
    const c = f.choices!;
    return f.section(
      'travel',
      t('decl_section_travel'),
      h(
        'div',
        { class: 'form-row' },
        f.select('travel.conveyance', t('decl_conveyance'), this.conveyance, f.choiceOptions(c.conveyances, TRAVEL_CONVEYANCES), (v) => (this.conveyance = v), problem, { required: true, rerender: true }),
        f.text('travel.vehicle_number', t('decl_vehicle_number'), this.vehicle, (v) => (this.vehicle = v), { required: true, hint: t('decl_vehicle_hint'), autocomplete: 'off', maxlength: 20 }, problem),
      ),
      this.needsStation &&
        f.text('travel.departure_station', t('decl_departure_station'), this.station, (v) => (this.station = v), { required: true, autocomplete: 'off' }, problem),
      f.text('travel.travel_date', t('decl_travel_date'), this.date, (v) => (this.date = v), { type: 'date', required: true }, problem),
      this.from.render(problem),
      f.text('travel.from.street', t('decl_street'), this.fromStreet, (v) => (this.fromStreet = v), { required: true, autocomplete: 'off' }, problem),
      this.to.render(problem),
      f.text('travel.to.street', t('decl_street'), this.toStreet, (v) => (this.toStreet = v), { required: true, autocomplete: 'off' }, problem),
    );
  }
}
