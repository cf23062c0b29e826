/** Row builders the template's tabs share: an empty row, and a row of column headers. */
import type { LayoutRow } from "./layout-model.js";

export const blank = (): LayoutRow => ({ cells: [] });

export const headerRow = (texts: readonly string[]): LayoutRow => ({ cells: texts.map((value) => ({ value, header: true })) });
