// Phòng Dịch web front end: app shell, page switching and session handling.

import './style.css';
import './venues.css';
import './exposure.css';
import './tracing.css';
import './map.css';
import './safety.css';
import './campaigns.css';
import { api, ApiError, getToken, onUnauthorized, sessionExpiredProblem, setToken, toProblem, type Me, type Problem } from './api';
import { h, replaceChildren, type Child } from './dom';
import { applyDocumentLang, onLangChange, pick, t } from './i18n';
import { AlertsPage } from './pages/alerts';
import { AssessmentPage } from './pages/assessment';
import { CampaignPage } from './pages/campaign';
import { CampaignReportPage } from './pages/campaign-report';
import { CampaignsPage } from './pages/campaigns';
import { CaseCodesPage } from './pages/case-codes';
import { CasePage } from './pages/case';
import { CasesPage } from './pages/cases';
import { CheckinPage } from './pages/checkin';
import { CheckpointPage } from './pages/checkpoint';
import { CitizenPage } from './pages/citizen';
import { DeclarationsPage } from './pages/declarations';
import { DeclarePage } from './pages/declare';
import { F1ReportsPage } from './pages/f1-reports';
import { FacilityPage } from './pages/facility';
import { MyFacilitiesPage } from './pages/my-facilities';
import { MyQrPage } from './pages/my-qr';
import { MyVenuesPage } from './pages/my-venues';
import { OpenFeedbackPage } from './pages/open-feedback';
import { OrgUnitsPage } from './pages/org-units';
import { QuarantinePage } from './pages/quarantine';
import { RiskTriagePage } from './pages/risk-triage';
import { SignInPage } from './pages/signin';
import { StaffPage } from './pages/staff';
import { ChangePasswordPage } from './pages/change-password';
import { TracedPeoplePage } from './pages/traced-people';
import { VenueScanPage } from './pages/venue-scan';
import { VenuesOfficialPage } from './pages/venues-official';
import { PUBLIC_ROUTES, publicRouteFromPath, routeAllowed, showPath, type Route, type RouteOptions } from './nav';
import { announce, appHeader, liveRegions, skipLink } from './ui';
import { linkFromLocation, rememberPending, takePending } from './visits/link';
import { flushQueue, queued } from './visits/queue';

/** What pages can ask of the app shell. */
export interface App {
  /** Rebuilds the current page from its state, keeping keyboard focus where it was. */
  rerender(): void;
  /** Stores a new session token and shows the right home page. */
  signedIn(token: string): Promise<void>;
  /** Ends the session (server side too, when possible) and shows the sign-in page. */
  signOut(problem?: Problem): Promise<void>;
  /**
   * Shows another page of the signed-in user (see `Route`; the check-in page needs `opts.link`, a
   * facility's page `opts.facilityId`); signed out, only the public pages (map, facility).
   */
  navigate(route: Route, opts?: RouteOptions): void;
  /** Shows the sign-in page (from a public page seen signed out); afterwards that page again. */
  showSignIn(): void;
  /** Keeps the shell's copy of the signed-in user up to date (e.g. after a profile change). */
  updateMe(me: Me): void;
}

export interface Page {
  /** Document title (without the app name). */
  title(): string;
  /** The whole view: header and `<main id="main">`. */
  render(): Child[];
  /** Called once after the page is first shown. */
  mounted?(): void;
  dispose?(): void;
}

class Shell implements App {
  private readonly root: HTMLElement;
  private readonly view: HTMLElement;
  private page: Page | null = null;
  /** Counts the pages shown, so that a page loaded late does not replace a newer one. */
  private shown = 0;
  private me: Me | null = null;

  constructor(root: HTMLElement) {
    this.root = root;
    this.view = h('div', { class: 'view' });
    replaceChildren(this.root, this.view, liveRegions());
    onLangChange(() => {
      this.rerender();
    });
    onUnauthorized(() => {
      setToken(null);
      this.keepVenueLink();
      this.show(new SignInPage(this, { problem: sessionExpiredProblem() }));
    });
    // Check-ins made without network go out as soon as the browser is back online.
    window.addEventListener('online', () => void this.sendQueued());
  }

  /** Remembers the venue link the app was opened at, for after sign-in; true if there was one. */
  private keepVenueLink(): boolean {
    const link = linkFromLocation();
    if (link) rememberPending(link);
    return link !== null;
  }

  async start(): Promise<void> {
    applyDocumentLang();
    const fromVenueQr = this.keepVenueLink();
    if (!getToken()) {
      const open = publicRouteFromPath(window.location.pathname);
      if (open) this.navigate(open.route, open.opts);
      else this.show(new SignInPage(this, { reason: fromVenueQr ? 'checkin' : undefined }));
      return;
    }
    this.show(new LoadingPage());
    await this.loadMe();
  }

  private async loadMe(): Promise<void> {
    let me: Me;
    try {
      me = await api.me();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setToken(null);
        // An expired session does not stand between anyone and the public pages.
        const open = publicRouteFromPath(window.location.pathname);
        if (open) this.navigate(open.route, open.opts);
        else this.show(new SignInPage(this, { problem: sessionExpiredProblem() }));
      } else {
        this.show(new ErrorPage(this, toProblem(err), () => void this.start()));
      }
      return;
    }
    this.showHome(me);
  }

  /** The first page after sign-in: the venue scanned before signing in, the public page open, else home. */
  private showHome(me: Me): void {
    this.me = me;
    const link = takePending();
    const open = publicRouteFromPath(window.location.pathname);
    if (link && me.kind === 'citizen') this.navigate('checkin', { link });
    else if (open) this.navigate(open.route, open.opts);
    else this.navigate('home');
    void this.sendQueued();
  }

  navigate(route: Route, opts: RouteOptions = {}): void {
    const me = this.me;
    if (!me) {
      if (!PUBLIC_ROUTES.includes(route)) return;
      this.showPublic(route, opts, null);
      return;
    }
    // An admin-set password must be replaced first: the server refuses everything else.
    if (me.kind === 'staff' && me.must_change_password) {
      this.show(new ChangePasswordPage(this, me));
      return;
    }
    let target = routeAllowed(me, route) ? route : 'home';
    if (target === 'checkin' && !opts.link) target = 'home';
    if (target === 'case' && opts.caseId === undefined) target = 'cases';
    if ((target === 'facility' || target === 'assess') && opts.facilityId === undefined) target = 'map';
    if (target === 'campaign' && opts.campaignId === undefined) target = 'home';
    // The address stays the venue's link only while its check-in page is shown; the public pages
    // keep their own.
    if (PUBLIC_ROUTES.includes(target)) {
      this.showPublic(target, opts, me);
      return;
    }
    showPath(target, opts);
    if (target === 'risk-reports' && me.kind === 'citizen') this.showLoaded(async () => new (await import('./pages/risk-reports')).RiskReportsPage(this, me));
    else if (me.kind === 'citizen') {
      if (target === 'checkin' && opts.link) this.show(new CheckinPage(this, me, opts.link));
      else if (target === 'declare') this.show(new DeclarePage(this, me, opts));
      else if (target === 'my-qr') this.show(new MyQrPage(this, me, opts));
      else if (target === 'my-venues') this.show(new MyVenuesPage(this, me));
      else if (target === 'alerts') this.show(new AlertsPage(this, me));
      else this.show(new CitizenPage(this, me));
    } else {
      if (target === 'checkpoint') this.show(new CheckpointPage(this, me));
      else if (target === 'venue-scan') this.show(new VenueScanPage(this, me));
      else if (target === 'declarations') this.show(new DeclarationsPage(this, me));
      else if (target === 'venues') this.show(new VenuesOfficialPage(this, me));
      else if (target === 'case-codes') this.show(new CaseCodesPage(this, me));
      else if (target === 'f1-reports') this.show(new F1ReportsPage(this, me));
      else if (target === 'cases') this.show(new CasesPage(this, me));
      else if (target === 'case' && opts.caseId !== undefined) this.show(new CasePage(this, me, opts.caseId));
      else if (target === 'traced') this.show(new TracedPeoplePage(this, me));
      else if (target === 'quarantine') this.show(new QuarantinePage(this, me));
      else if (target === 'my-facilities') this.show(new MyFacilitiesPage(this, me));
      else if (target === 'assess' && opts.facilityId !== undefined) this.show(new AssessmentPage(this, me, opts.facilityId));
      else if (target === 'risk-triage') this.show(new RiskTriagePage(this, me));
      else if (target === 'open-feedback') this.show(new OpenFeedbackPage(this, me));
      else if (target === 'campaigns') this.show(new CampaignsPage(this, me));
      else if (target === 'campaign' && opts.campaignId !== undefined) this.show(new CampaignPage(this, me, opts.campaignId));
      else if (target === 'org-units') this.show(new OrgUnitsPage(this, me));
      else if (target === 'campaign-report') this.show(new CampaignReportPage(this, me));
      else this.show(new StaffPage(this, me));
    }
  }

  /** The map or a facility's page, signed in (`me`) or not. */
  private showPublic(route: Route, opts: RouteOptions, me: Me | null): void {
    showPath(route, opts);
    if (route === 'facility' && opts.facilityId !== undefined) this.show(new FacilityPage(this, me, opts.facilityId));
    else this.showLoaded(async () => new (await import('./pages/map')).MapPage(this, me));
  }

  /**
   * Shows a page whose module is loaded on first use (the pages with a Leaflet map, so that
   * Leaflet is fetched only by those who open them), unless another page was shown meanwhile.
   */
  private showLoaded(load: () => Promise<Page>): void {
    const shown = ++this.shown;
    load().then(
      (page) => {
        if (shown === this.shown) this.show(page);
      },
      (err: unknown) => {
        if (shown === this.shown) this.show(new ErrorPage(this, toProblem(err), () => window.location.reload()));
      },
    );
  }

  showSignIn(): void {
    this.show(new SignInPage(this));
  }

  /** Sends the check-ins and check-outs queued while offline, and says so. */
  private async sendQueued(): Promise<void> {
    const me = this.me;
    if (me?.kind !== 'citizen' || queued(me.id).length === 0) return;
    const r = await flushQueue(me.id);
    if (r.sent) announce(t('queue_sent', { count: r.sent }));
    if (r.refused) announce(t('queue_refused', { count: r.refused }), true);
    if (r.sent || r.refused) this.rerender();
  }

  updateMe(me: Me): void {
    this.me = me;
  }

  async signedIn(token: string): Promise<void> {
    setToken(token);
    await this.loadMe();
  }

  async signOut(problem?: Problem): Promise<void> {
    if (getToken()) {
      try {
        await api.logout();
      } catch {
        // The session is dropped locally regardless.
      }
    }
    setToken(null);
    this.me = null;
    showPath('home');
    this.show(new SignInPage(this, { problem }));
  }

  /** Shows a new page and moves focus to its main heading. */
  show(page: Page): void {
    this.shown += 1;
    this.page?.dispose?.();
    this.page = page;
    this.paint();
    const heading = this.view.querySelector<HTMLElement>('[data-autofocus]') ?? this.view.querySelector<HTMLElement>('h1');
    if (heading) {
      if (!heading.hasAttribute('tabindex') && !isFocusable(heading)) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
    window.scrollTo(0, 0);
    page.mounted?.();
  }

  rerender(): void {
    if (!this.page) return;
    const active = document.activeElement as HTMLElement | null;
    const id = active && active !== document.body ? active.id : '';
    let selection: [number | null, number | null] | null = null;
    if (active instanceof HTMLInputElement && /^(text|search|tel|password|number)$/.test(active.type)) {
      try {
        selection = [active.selectionStart, active.selectionEnd];
      } catch {
        selection = null;
      }
    }
    const scroll = window.scrollY;
    this.paint();
    if (id) {
      const again = document.getElementById(id);
      if (again) {
        again.focus({ preventScroll: true });
        if (selection && again instanceof HTMLInputElement) {
          try {
            again.setSelectionRange(selection[0], selection[1]);
          } catch {
            // not all input types support selection
          }
        }
      }
    }
    window.scrollTo(0, scroll);
  }

  private paint(): void {
    if (!this.page) return;
    document.title = `${this.page.title()} · ${t('app_name')}`;
    replaceChildren(this.view, skipLink(), this.page.render());
    this.root.removeAttribute('aria-busy');
  }
}

function isFocusable(el: HTMLElement): boolean {
  return el.tabIndex >= 0;
}

class LoadingPage implements Page {
  title(): string {
    return t('loading');
  }
  render(): Node[] {
    return [
      appHeader(),
      h('main', { id: 'main', class: 'page narrow', tabindex: -1 }, h('p', { class: 'loading', role: 'status', 'data-autofocus': true, tabindex: -1 }, t('loading'))),
    ];
  }
}

class ErrorPage implements Page {
  constructor(
    private readonly app: App,
    private readonly problem: Problem,
    private readonly retry: () => void,
  ) {}
  title(): string {
    return t('error_heading');
  }
  render(): Node[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1 },
        h(
          'section',
          { class: 'card' },
          h('h1', null, t('error_heading')),
          h('p', { class: 'problem', 'data-testid': 'form-error' }, pick(this.problem.message)),
          h('button', { type: 'button', class: 'button primary', onclick: this.retry }, t('retry')),
        ),
      ),
    ];
  }
}

const root = document.getElementById('app');
if (root) {
  const shell = new Shell(root);
  void shell.start();
}
