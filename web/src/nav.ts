// Navigation between the pages of the signed-in user: citizens (home / declare / my QR / my
// venues / alerts / map / risk reports, and the check-in page a venue's QR link opens) and staff
// (home / checkpoint / venue scan / declarations / venues / case codes / F1 reports / cases /
// people by level / quarantine / campaigns / progress report / map / my facilities / risk
// reports / open feedback, per role; one case's page opens from the cases list, a facility's
// page from the map, a campaign's dashboard and the campaign units from the campaigns list or the
// progress report). Pages are switched
// by the app shell; only the venue link and the public pages (the map at `/map`, a facility at
// `/facility/ID`, open to everyone without signing in) have an address of their own. The bar is
// a list of buttons, so Tab + Enter/Space work as everywhere.

import type { DeclarationKind, Me, Role } from './api';
import { h } from './dom';
import { t, type MessageKey } from './i18n';
import type { App } from './main';
import type { VenueLink } from './visits/link';

export type Route =
  | 'home'
  | 'declare'
  | 'my-qr'
  | 'my-venues'
  | 'alerts'
  | 'checkin'
  | 'checkpoint'
  | 'venue-scan'
  | 'declarations'
  | 'venues'
  | 'case-codes'
  | 'f1-reports'
  | 'cases'
  | 'case'
  | 'traced'
  | 'quarantine'
  | 'map'
  | 'facility'
  | 'assess'
  | 'my-facilities'
  | 'risk-reports'
  | 'risk-triage'
  | 'open-feedback'
  | 'campaigns'
  | 'campaign'
  | 'org-units'
  | 'campaign-report';

/** The pages anyone may open without signing in. */
export const PUBLIC_ROUTES: readonly Route[] = ['map', 'facility'];

export interface RouteOptions {
  /** A family member (citizen pages); absent or null for the account holder. */
  memberId?: number | null;
  /** The declaration kind to open (declare page). */
  kind?: DeclarationKind;
  /** The venue link to check in at (check-in page). */
  link?: VenueLink;
  /** The case to open (case page). */
  caseId?: number;
  /** The facility to open (facility page, assessment form). */
  facilityId?: number;
  /** The campaign whose dashboard to open. */
  campaignId?: number;
}

const CHECKPOINT_ROLES: readonly Role[] = ['checkpoint_staff', 'health_official', 'admin'];
const READER_ROLES: readonly Role[] = ['health_official', 'admin'];
/** Who start campaigns and enter their units (the rest of the campaign roles report counts). */
export const ORGANISER_ROLES: readonly Role[] = ['health_official', 'admin'];

/** The pages `me` can open from the page bar, in menu order. */
export function routesFor(me: Me): Route[] {
  if (me.kind === 'citizen') return ['home', 'declare', 'my-qr', 'my-venues', 'alerts', 'map', 'risk-reports'];
  const routes: Route[] = ['home'];
  if (CHECKPOINT_ROLES.includes(me.role)) routes.push('checkpoint');
  if (me.role === 'venue_staff') routes.push('venue-scan');
  if (me.role === 'facility_staff') routes.push('my-facilities');
  if (me.role === 'unit_reporter') routes.push('campaign-report');
  if (READER_ROLES.includes(me.role)) routes.push('declarations', 'venues', 'case-codes', 'f1-reports', 'cases', 'traced', 'quarantine');
  if (ORGANISER_ROLES.includes(me.role)) routes.push('campaigns');
  routes.push('map');
  if (READER_ROLES.includes(me.role)) routes.push('risk-triage', 'open-feedback');
  return routes;
}

/**
 * Pages not in the bar: a venue's QR link opens the check-in page, the cases list a case, the map
 * a facility (for everyone), a facility's page its assessment form (its staff), the campaigns
 * list or the progress report a campaign's dashboard and the campaigns list the units page.
 */
export function routeAllowed(me: Me, route: Route): boolean {
  if (route === 'case') return routesFor(me).includes('cases');
  if (route === 'campaign') return routesFor(me).some((r) => r === 'campaigns' || r === 'campaign-report');
  if (route === 'org-units') return routesFor(me).includes('campaigns');
  if (route === 'facility') return true;
  if (route === 'assess') return me.kind === 'staff' && me.role === 'facility_staff';
  return routesFor(me).includes(route) || (route === 'checkin' && me.kind === 'citizen');
}

/** The page of the bar that a page opened from it belongs to. */
function parentRoute(routes: Route[], current: Route): Route {
  if (current === 'case') return 'cases';
  if (current === 'facility') return 'map';
  if (current === 'assess') return 'my-facilities';
  if (current === 'org-units') return 'campaigns';
  if (current === 'campaign') return routes.includes('campaigns') ? 'campaigns' : 'campaign-report';
  return current;
}

const FACILITY_PATH = /^\/facility\/(\d{1,12})\/?$/;

/** The public page the address names (`/map`, `/facility/ID`), if any. */
export function publicRouteFromPath(pathname: string): { route: Route; opts: RouteOptions } | null {
  if (/^\/map\/?$/.test(pathname)) return { route: 'map', opts: {} };
  const m = FACILITY_PATH.exec(pathname);
  return m ? { route: 'facility', opts: { facilityId: Number(m[1]) } } : null;
}

/**
 * Puts the address of the page shown in the address bar: its own for the public pages (so they can
 * be reloaded and shared), `/` for the others. The check-in page keeps the venue's link.
 */
export function showPath(route: Route, opts: RouteOptions = {}): void {
  if (route === 'checkin') return;
  const path = route === 'map' ? '/map' : route === 'facility' && opts.facilityId !== undefined ? `/facility/${opts.facilityId}` : '/';
  if (window.location.pathname !== path) window.history.replaceState(null, '', path);
}

const LABELS: Record<Route, MessageKey> = {
  home: 'nav_home',
  declare: 'nav_declare',
  'my-qr': 'nav_my_qr',
  'my-venues': 'nav_my_venues',
  alerts: 'nav_alerts',
  checkin: 'nav_checkin',
  checkpoint: 'nav_checkpoint',
  'venue-scan': 'nav_venue_scan',
  declarations: 'nav_declarations',
  venues: 'nav_venues',
  'case-codes': 'nav_case_codes',
  'f1-reports': 'nav_f1_reports',
  cases: 'nav_cases',
  case: 'nav_cases',
  traced: 'nav_traced',
  quarantine: 'nav_quarantine',
  map: 'nav_map',
  facility: 'nav_map',
  assess: 'nav_my_facilities',
  'my-facilities': 'nav_my_facilities',
  'risk-reports': 'nav_risk_reports',
  'risk-triage': 'nav_risk_triage',
  'open-feedback': 'nav_open_feedback',
  campaigns: 'nav_campaigns',
  campaign: 'nav_campaigns',
  'org-units': 'nav_campaigns',
  'campaign-report': 'nav_campaign_report',
};

/**
 * The page bar under the header; nothing when the user has a single page. A case's page shows
 * "cases" as current (a facility's page "map", an assessment "my facilities", a campaign's
 * dashboard and the units "campaigns", or for a unit reporter "progress report"), and that
 * button still leads back.
 */
export function appNav(app: App, me: Me, current: Route): HTMLElement | null {
  const routes = routesFor(me);
  const shown: Route = parentRoute(routes, current);
  if (routes.length < 2) return null;
  return h(
    'nav',
    { class: 'app-nav', 'aria-label': t('nav_pages_label'), 'data-testid': 'app-nav' },
    h(
      'ul',
      { class: ['app-nav-inner', me.kind === 'staff' && 'wide'] },
      routes.map((route) =>
        h(
          'li',
          null,
          h(
            'button',
            {
              type: 'button',
              id: `app-nav-${route}`,
              class: ['app-nav-button', route === shown && 'current'],
              'aria-current': route === shown ? 'page' : undefined,
              'data-testid': `app-nav-${route}`,
              onclick: () => {
                if (route !== current) app.navigate(route);
              },
            },
            t(LABELS[route]),
          ),
        ),
      ),
    ),
  );
}
