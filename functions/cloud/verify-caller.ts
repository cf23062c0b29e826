/**
 * Who may call: a Google ID token, signed by Google (or the keys configured for tests), for one
 * of the verifier's audiences (an API caller's: the function's URL or gcloud's client; the
 * page's: its sign-in client, and nothing else), from Google's issuer, not expired, with a
 * verified email that is in the allowed list. verifyIdToken checks the audience only when it
 * is given one, so it is always given. A refusal says why in our words and never quotes the
 * token or its claims back.
 */
import type { OAuth2Client } from "google-auth-library";

export type CallerCheck = { ok: true; email: string } | { ok: false; status: 401 | 403; reason: string };

export const ISSUERS = ["https://accounts.google.com", "accounts.google.com"];

export interface CallerVerifier {
  verify(authorization: string | undefined): Promise<CallerCheck>;
}

export async function callerVerifier(options: {
  /** The function's URL, the OAuth client ids: a token for any other audience is refused. */
  audiences: string[];
  allowedEmails: string[];
  /** {kid: PEM}; Google's published certificates when absent. */
  certs?: Record<string, string>;
}): Promise<CallerVerifier> {
  const { OAuth2Client } = await import("google-auth-library");
  const client: OAuth2Client = new OAuth2Client();
  return {
    async verify(authorization) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
      if (!token) return { ok: false, status: 401, reason: "ID-token saknas (Authorization: Bearer …)." };
      let payload: ReturnType<Awaited<ReturnType<OAuth2Client["verifySignedJwtWithCertsAsync"]>>["getPayload"]>;
      try {
        const certs = options.certs ?? (await client.getFederatedSignonCertsAsync()).certs;
        const ticket = await client.verifySignedJwtWithCertsAsync(token, certs as Record<string, string>, options.audiences, ISSUERS);
        payload = ticket.getPayload();
      } catch (error) {
        return { ok: false, status: 401, reason: `Ogiltig ID-token: ${whyRefused((error as Error).message)}` };
      }
      // Claims are the caller's text: an email that is not a string is no email.
      const email = typeof payload?.email === "string" ? payload.email.toLowerCase() : undefined;
      if (!email || payload?.email_verified !== true) return { ok: false, status: 403, reason: "ID-token utan verifierad e-postadress." };
      if (!options.allowedEmails.includes(email)) return { ok: false, status: 403, reason: `${email} får inte köra uppföljningen.` };
      return { ok: true, email };
    },
  };
}

/**
 * The library's reason, in Swedish and without the token: its messages quote the payload
 * ("Token used too late, … : {…}"), which is the caller's own data and no business of a log
 * or an answer.
 */
function whyRefused(message: string): string {
  if (/too late|expired/i.test(message)) return "den har gått ut.";
  if (/too early|not yet/i.test(message)) return "den gäller inte än.";
  if (/recipient|audience/i.test(message)) return "den är utfärdad för en annan mottagare.";
  if (/issuer/i.test(message)) return "den är inte utfärdad av Google.";
  if (/signature|pem|certificate|envelope|kid/i.test(message)) return "dess signatur kan inte bekräftas.";
  return "den kan inte läsas.";
}
