/**
 * Who uses the page, and that a form was sent by the page itself. In the cloud the page signs in
 * with Google Identity Services: Google posts the person's ID token to /logga-in (with its own
 * double-submit cookie), the function verifies it as it verifies every caller, and keeps it in a
 * cookie the browser sends back (HttpOnly, Secure, SameSite=Lax) until the token expires. Every
 * form carries a token derived from that session (or, locally, from a secret of the process),
 * and a POST whose Origin or Sec-Fetch-Site says another site sent it is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const SESSION_COOKIE = "__Host-hp-sida";

/** The cookies of a request, by name (the first of each). */
export function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!jar.has(name)) jar.set(name, decodeURIComponent(part.slice(at + 1).trim()));
  }
  return jar;
}

/** The session cookie holding a verified ID token, for as long as the token is valid. */
export function sessionCookie(idToken: string, expiresAt: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return `${SESSION_COOKIE}=${idToken}; Path=/; Max-Age=${seconds}; HttpOnly; Secure; SameSite=Lax`;
}

export const clearSession = () => `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax`;

const LOCAL_SECRET = randomBytes(32).toString("hex");

/** The form token for a session (its ID token), or for this process when sign-in is off. */
export function formToken(session: string | undefined): string {
  return createHmac("sha256", session ?? LOCAL_SECRET).update("hp-formulär").digest("base64url");
}

export function validFormToken(session: string | undefined, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const want = Buffer.from(formToken(session));
  const got = Buffer.from(given);
  return want.length === got.length && timingSafeEqual(want, got);
}

/** False when the browser says another site sent the request. */
export function sameSite(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
