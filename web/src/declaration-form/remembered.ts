// The answers of a citizen's declaration kept in localStorage for the next one, as the original
// tokhaiyte site did: the kind, nationality, address and the trip and entry details that rarely
// change (conveyance, stations, departure country and place, border gate, quarantine place) —
// never anything that identifies the person or describes their health. Checkpoint declarations
// are not remembered.

import type { DeclarationKind } from '../api';

const REMEMBER_KEY = 'phongdich.declare.answers';

/** Answers kept for the next declaration: nothing that identifies the person or their health. */
export interface Remembered {
  kind?: DeclarationKind;
  nationality?: string;
  address_unit?: string;
  address_street?: string;
  travel_conveyance?: string;
  travel_departure_station?: string;
  travel_from_unit?: string;
  travel_from_street?: string;
  travel_to_unit?: string;
  travel_to_street?: string;
  entry_conveyance?: string;
  entry_departure_country?: string;
  entry_departure_place?: string;
  entry_border_gate?: string;
  entry_quarantine_facility?: string;
}

export function readRemembered(): Remembered {
  try {
    const raw = localStorage.getItem(REMEMBER_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Remembered) : {};
  } catch {
    return {};
  }
}

export function writeRemembered(r: Remembered): void {
  try {
    localStorage.setItem(REMEMBER_KEY, JSON.stringify(r));
  } catch {
    // Private mode: nothing is remembered.
  }
}

/** The kind of the last declaration made on this device (for the citizen page). */
export function rememberedKind(): DeclarationKind | undefined {
  return readRemembered().kind;
}
