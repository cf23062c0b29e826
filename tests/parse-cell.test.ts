import { describe, expect, it } from "vitest";
import { cellSymbols, parseSwedishNumber, readNumberCell as read } from "../functions/normalise/parse-cell.js";
import { templateDefinition } from "../functions/template/definition.js";

const readNumberCell = (cell: Parameters<typeof read>[0]) => read(cell, cellSymbols(templateDefinition().symbols));

describe("reading numbers the way Swedish reporters write them", () => {
  it.each([
    { name: "decimal comma", text: "12,5", value: 12.5, percent: false },
    { name: "space between thousands", text: "1 234", value: 1234, percent: false },
    { name: "no-break space between thousands", text: "1\u00a0234", value: 1234, percent: false },
    { name: "narrow no-break space", text: "12\u202f345,5", value: 12345.5, percent: false },
    { name: "percent with a space", text: "74 %", value: 74, percent: true },
    { name: "percent without a space", text: "74%", value: 74, percent: true },
    { name: "stray spaces", text: "  17 ", value: 17, percent: false },
    { name: "minus sign", text: "−3", value: -3, percent: false },
    { name: "decimal point", text: "12.5", value: 12.5, percent: false },
  ])("$name: “$text”", ({ text, value, percent }) => {
    expect(parseSwedishNumber(text)).toEqual({ value, percent });
  });

  it.each([
    { name: "thousands point is ambiguous", text: "1.234", expected: "ambiguous" },
    { name: "a word", text: "tolv", expected: undefined },
    { name: "two commas", text: "1,2,3", expected: undefined },
  ])("$name: “$text”", ({ text, expected }) => {
    expect(parseSwedishNumber(text)).toBe(expected);
  });

  it.each([
    { name: "blank", cell: undefined, kind: "blank" },
    { name: "empty text", cell: { value: "  " }, kind: "blank" },
    { name: "not available", cell: { value: ".." }, kind: "not-available" },
    { name: "nothing to report (en dash)", cell: { value: "–" }, kind: "not-applicable" },
    { name: "nothing to report (hyphen)", cell: { value: "-" }, kind: "not-applicable" },
    { name: "zero is a number", cell: { value: 0 }, kind: "number" },
    { name: "a formula error", cell: { value: { error: "#DIV/0!" }, formula: true }, kind: "formula-error" },
    { name: "a formula without a saved result", cell: { value: { noResult: true as const }, formula: true }, kind: "formula-without-result" },
    { name: "a date", cell: { value: new Date("2025-05-01T00:00:00Z") }, kind: "invalid" },
  ])("keeps $name apart", ({ cell, kind }) => {
    expect(readNumberCell(cell).kind).toBe(kind);
  });

  it("reads 0.74 in a cell formatted as percent as a percent-formatted number", () => {
    expect(readNumberCell({ value: 0.74, numFmt: "0%" })).toEqual({
      kind: "number",
      value: 0.74,
      percentFormatted: true,
      percentSign: false,
    });
    expect(readNumberCell({ value: 74, numFmt: '0" %"' })).toMatchObject({ percentFormatted: false });
  });
});
