import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's root folder (where package.json and sheets/ are), found from this module's
 * location so that it is the same whether the code runs from functions/ or from dist/.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) || !existsSync(join(dir, "sheets"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Projektets rotmapp (med package.json och sheets/) hittades inte.");
    dir = parent;
  }
  return dir;
}

export const defaultCatalogueDir = () => join(projectRoot(), "sheets", "catalogue");
export const defaultHistoryFile = () => join(projectRoot(), "sheets", "historik", "historik.csv");
/** The history store's folder in the embedded default: beside the project, not in git. */
export const defaultHistoryDir = () => join(projectRoot(), "data", "historik");
export const defaultTemplateFile = () => join(projectRoot(), "sheets", "template", "template.yaml");

/** A path as the user should see it: relative to the working folder when inside it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const full = resolve(cwd, path);
  const rel = relative(cwd, full);
  return rel && !rel.startsWith("..") ? rel : full;
}

export const templatesDir = () => join(projectRoot(), "templates");
