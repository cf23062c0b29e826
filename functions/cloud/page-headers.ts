/**
 * The headers of every page the project leader's page sends, the guard's sign-in answer
 * included: a Content-Security-Policy that allows only the page's own style and script – and, on
 * the sign-in page, Google's sign-in and nothing else – no framing, no sniffing, no caching.
 */
const GSI = "https://accounts.google.com/gsi/";

export function pageHeaders(signIn: boolean): Record<string, string> {
  const csp = signIn
    ? `default-src 'none'; script-src ${GSI}client; style-src 'self' ${GSI}style; frame-src ${GSI}; connect-src ${GSI}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`
    : "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
}
