/**
 * Reads the officials' text from the spreadsheet's Rapporttext tab: a section per row, its
 * name in Avsnitt and its text, in the same Markdown subset as the local file, in Text. The
 * text is read as the cell shows it and parsed into plain runs, so nothing in it becomes markup.
 */
import { nameKey } from "../template/definition.js";
import { TEXT_HEADERS } from "../template/status-layout.js";
import { type IndicatorName, noOfficialsText, type OfficialsText, parseSectionMarkdown, sectionOf, unknownHeading } from "../report/officials-text.js";
import type { GoogleClients } from "./clients.js";
import { describeGoogleError } from "./errors.js";
import { HpError } from "../shared/errors.js";

export async function readTextTab(clients: GoogleClients, spreadsheetId: string, tab: string, indicators: readonly IndicatorName[]): Promise<OfficialsText> {
  const where = `fliken ${tab}`;
  const text = noOfficialsText(where);
  const quoted = `'${tab.replaceAll("'", "''")}'`;
  let rows: string[][];
  try {
    const response = await clients.sheets.spreadsheets.get({
      spreadsheetId,
      ranges: [`${quoted}!A1:B400`],
      fields: "sheets(properties(title),data(rowData(values(effectiveValue,userEnteredValue))))",
    });
    const sheet = (response.data.sheets ?? []).find((s) => s.properties?.title === tab);
    rows = (sheet?.data?.[0]?.rowData ?? []).map((r) =>
      (r.values ?? []).map((v) => {
        const value = v.effectiveValue ?? v.userEnteredValue;
        return String(value?.stringValue ?? value?.numberValue ?? value?.boolValue ?? "");
      }),
    );
  } catch (error) {
    // A spreadsheet from before the tab existed has none: every section is then a marked draft.
    if ((error as { response?: { status?: number } }).response?.status === 400) return text;
    throw new HpError("google", `${where} i kalkylarket kunde inte läsas: ${describeGoogleError(error)}`);
  }
  const header = rows.findIndex((r) => nameKey(r[0] ?? "") === nameKey(TEXT_HEADERS[0]));
  if (header < 0) return text;
  rows.slice(header + 1).forEach((row, i) => {
    const [label = "", body = ""] = row;
    if (!body.trim()) return;
    const named = sectionOf(label, indicators);
    if (!named) {
      text.problems.push(unknownHeading(`${where}, rad ${header + i + 2}`, label));
      return;
    }
    const blocks = parseSectionMarkdown(body);
    if (blocks.length === 0) return;
    if ("section" in named) text.sections.set(named.section, blocks);
    else text.indicators.set(named.indicator, blocks);
  });
  return text;
}
