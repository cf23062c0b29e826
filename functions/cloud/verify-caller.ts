/**
 * Who may call runOnDemand: a Google ID token, signed by Google (or the keys configured for
 * tests), for one of our audiences (the function's URL, the sign-in's OAuth client), from Google's issuer, not expired, with a verified email that is
 * in the allowed list. verifyIdToken checks the audience only when it is given one, so it is
 * always given.
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
        return { ok: false, status: 401, reason: `Ogiltig ID-token: ${(error as Error).message.split("\n")[0]}` };
      }
      // Claims are the caller's text: an email that is not a string is no email.
      const email = typeof payload?.email === "string" ? payload.email.toLowerCase() : undefined;
      if (!email || payload?.email_verified !== true) return { ok: false, status: 403, reason: "ID-token utan verifierad e-postadress." };
      if (!options.allowedEmails.includes(email)) return { ok: false, status: 403, reason: `${email} får inte köra uppföljningen.` };
      return { ok: true, email };
    },
  };
}
