/** The page's paths anyone may fetch: its style, its script and its sign-in. Imports nothing, for the request guard. */
export function isPublicPath(method: string, path: string): boolean {
  return (method === "GET" && (path === "/stil.css" || path === "/sida.js" || path === "/logga-in")) || (method === "POST" && path === "/logga-in");
}
