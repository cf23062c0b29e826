/**
 * The Handlebars environment for the reports: the templates and partials in templates/, and
 * the print CSS with its fonts embedded as data: URLs (the page may load nothing else).
 * Handlebars escapes every {{value}}; the only unescaped insertions ({{{…}}}) are the CSS and
 * the chart SVG, both made here. Prototype access stays at Handlebars' safe default.
 */
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import type { TemplateDelegate } from "handlebars";
import { templatesDir } from "../shared/paths.js";

export interface ReportTemplates {
  board: TemplateDelegate;
  district: TemplateDelegate;
  pageHeader: TemplateDelegate;
  pageFooter: TemplateDelegate;
  css: string;
}

const FONT_WEIGHTS = [
  { weight: 400, file: "source-sans-3-latin-400-normal.woff2" },
  { weight: 600, file: "source-sans-3-latin-600-normal.woff2" },
  { weight: 700, file: "source-sans-3-latin-700-normal.woff2" },
];

let cached: Promise<ReportTemplates> | undefined;

/** Compiles the templates once per process. */
export function reportTemplates(dir = templatesDir()): Promise<ReportTemplates> {
  cached ??= compile(dir);
  return cached;
}

async function compile(dir: string): Promise<ReportTemplates> {
  const { default: Handlebars } = await import("handlebars");
  const hb = Handlebars.create();
  const partials = join(dir, "partials");
  for (const name of await readdir(partials)) {
    if (name.endsWith(".hbs")) hb.registerPartial(basename(name, ".hbs"), await readFile(join(partials, name), "utf8"));
  }
  // strict: a template that names a field the view does not have fails loudly, not silently empty.
  const load = async (name: string) => hb.compile(await readFile(join(dir, name), "utf8"), { strict: true });
  return {
    board: await load("board-report.hbs"),
    district: await load("district-page.hbs"),
    pageHeader: await load("page-header.hbs"),
    pageFooter: await load("page-footer.hbs"),
    css: `${await fontFaces()}\n${await readFile(join(dir, "print.css"), "utf8")}`,
  };
}

async function fontFaces(): Promise<string> {
  const require = createRequire(import.meta.url);
  const folder = join(require.resolve("@fontsource/source-sans-3/package.json"), "..", "files");
  const faces = await Promise.all(
    FONT_WEIGHTS.map(async ({ weight, file }) => {
      const data = (await readFile(join(folder, file))).toString("base64");
      return `@font-face { font-family: "Source Sans 3"; font-style: normal; font-weight: ${weight}; src: url(data:font/woff2;base64,${data}) format("woff2"); }`;
    }),
  );
  return faces.join("\n");
}
