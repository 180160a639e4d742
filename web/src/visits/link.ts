// The venue link a poster's QR code carries, `BASE/v/CODE/SIG`: read from the address the app
// was opened at, and remembered in sessionStorage while the citizen signs in, so that the
// check-in page opens again afterwards.

export interface VenueLink {
  /** The venue's public code ("V" + 8 characters). */
  code: string;
  /** The link's signature (Base64url), checked by the server. */
  sig: string;
}

const PATH = /^\/v\/([A-Za-z0-9]{1,32})\/([^/?#]+)\/?$/;
const PENDING_KEY = 'phongdich.pendingCheckin';

/** The venue link in `pathname`, or null when it is not one. */
export function linkFromPath(pathname: string): VenueLink | null {
  const m = PATH.exec(pathname);
  if (!m) return null;
  try {
    return { code: m[1], sig: decodeURIComponent(m[2]) };
  } catch {
    return { code: m[1], sig: m[2] };
  }
}

/** The venue link the app was opened at (the QR code's address), if any. */
export function linkFromLocation(): VenueLink | null {
  return linkFromPath(window.location.pathname);
}

/** Keeps `link` for after sign-in (this tab only). */
export function rememberPending(link: VenueLink): void {
  try {
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(link));
  } catch {
    // Without storage the citizen scans the poster again after signing in.
  }
}

/** The link kept for after sign-in, removed from storage. */
export function takePending(): VenueLink | null {
  try {
    const text = sessionStorage.getItem(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    if (!text) return null;
    const v = JSON.parse(text) as Partial<VenueLink>;
    return typeof v.code === 'string' && typeof v.sig === 'string' ? { code: v.code, sig: v.sig } : null;
  } catch {
    return null;
  }
}
