/**
 * The project leader's page as HTML: Handlebars templates in templates/web/, which escape every
 * {{value}}; the only unescaped insertion is a rendered page body into the layout. The style
 * sheet and the one small script are served from the same origin, so the Content-Security-Policy
 * allows no inline script or style.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TemplateDelegate } from "handlebars";
import { templatesDir } from "../shared/paths.js";

const PAGES = ["overview", "confirm", "check", "import", "message", "remind-confirm", "remind-result", "sign-in", "run-start", "run-line", "run-end"] as const;
export type PageName = (typeof PAGES)[number];

export interface WebTemplates {
  /** A whole page: the body template inside the layout. */
  page(name: PageName, view: object, frame: Frame): string;
  /** The layout split around the body, for a page streamed in parts. */
  frame(frame: Frame): { head: string; tail: string };
  part(name: PageName, view: object): string;
  css: string;
  js: string;
}

export interface Frame {
  title: string;
  user?: string | undefined;
  /** The session's form token, for the log-out form beside the signed-in person. */
  csrf?: string | undefined;
  /** The sign-in page loads Google's sign-in script; no other page loads anything from elsewhere. */
  signIn?: boolean;
}

let cached: Promise<WebTemplates> | undefined;

export function webTemplates(dir = join(templatesDir(), "web")): Promise<WebTemplates> {
  cached ??= compile(dir);
  return cached;
}

async function compile(dir: string): Promise<WebTemplates> {
  const { default: Handlebars } = await import("handlebars");
  const hb = Handlebars.create();
  const load = async (name: string) => hb.compile(await readFile(join(dir, `${name}.hbs`), "utf8"), { strict: false });
  const layout = await load("layout");
  const pages = Object.fromEntries(await Promise.all(PAGES.map(async (p) => [p, await load(p)] as const))) as Record<PageName, TemplateDelegate>;
  const MARK = "\u0000innehåll\u0000";
  const frame = (f: Frame) => {
    const [head, tail] = layout({ ...f, body: MARK }).split(MARK) as [string, string];
    return { head, tail };
  };
  return {
    page: (name, view, f) => layout({ ...f, body: pages[name](view) }),
    frame,
    part: (name, view) => pages[name](view),
    css: await readFile(join(dir, "site.css"), "utf8"),
    js: await readFile(join(dir, "site.js"), "utf8"),
  };
}
