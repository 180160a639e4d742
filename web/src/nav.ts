// Navigation between the pages of the signed-in user: citizens (home / declare / my QR) and
// staff (home / checkpoint / declarations, per role). Pages are switched by the app shell
// (no URL routing); the bar is a list of buttons, so Tab + Enter/Space work as everywhere.

import type { DeclarationKind, Me, Role } from './api';
import { h } from './dom';
import { t, type MessageKey } from './i18n';
import type { App } from './main';

export type Route = 'home' | 'declare' | 'my-qr' | 'checkpoint' | 'declarations';

export interface RouteOptions {
  /** A family member (citizen pages); absent or null for the account holder. */
  memberId?: number | null;
  /** The declaration kind to open (declare page). */
  kind?: DeclarationKind;
}

const CHECKPOINT_ROLES: readonly Role[] = ['venue_staff', 'health_official', 'admin'];
const READER_ROLES: readonly Role[] = ['health_official', 'admin'];

/** The pages `me` can open, in menu order. */
export function routesFor(me: Me): Route[] {
  if (me.kind === 'citizen') return ['home', 'declare', 'my-qr'];
  const routes: Route[] = ['home'];
  if (CHECKPOINT_ROLES.includes(me.role)) routes.push('checkpoint');
  if (READER_ROLES.includes(me.role)) routes.push('declarations');
  return routes;
}

export function routeAllowed(me: Me, route: Route): boolean {
  return routesFor(me).includes(route);
}

const LABELS: Record<Route, MessageKey> = {
  home: 'nav_home',
  declare: 'nav_declare',
  'my-qr': 'nav_my_qr',
  checkpoint: 'nav_checkpoint',
  declarations: 'nav_declarations',
};

/** The page bar under the header; nothing when the user has a single page. */
export function appNav(app: App, me: Me, current: Route): HTMLElement | null {
  const routes = routesFor(me);
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
              class: ['app-nav-button', route === current && 'current'],
              'aria-current': route === current ? 'page' : undefined,
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
