/**
 * The status tab of the year's Google spreadsheet ("Valideringsstatus"): where the project
 * leader sees every unit's state and approves it, and where each run lists every finding with a
 * link to its cell. The template lays out its fixed part; the write-back (google/) fills it.
 *
 *   1  title                      4  the reporting summary
 *   2  deadline and days left     6  the unit table's header, one row per unit below it
 *   3  when it was last checked      then Händelser (approvals, reopenings) and Fynd
 *
 * In the unit table the run writes the columns up to "Godkänd den"; the last three are the
 * project leader's (a checkbox, a name, a reason), never written by the run except to untick a
 * box that could not be approved.
 */
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { formatLongDate } from "../shared/format-sv.js";
import { INDICATOR_COMMENT_HEADING, REPORT_TEXT_SECTIONS } from "../shared/vocabulary.js";
import type { TemplateDefinition } from "./definition.js";
import { expectedReporters, reporterName } from "./layout.js";
import { blank, headerRow } from "./rows.js";
import type { LayoutRow, LayoutSheet } from "./layout-model.js";

export const STATUS_HEADERS = [
  "Enhet",
  "Läge",
  "Klar markerad",
  "I tid",
  "Fel",
  "Varningar",
  "Obekräftade värden",
  "Senast ändrad",
  "Godkänd den",
  "Godkänn",
  "Godkänd av",
  "Orsak om enheten öppnas igen",
] as const;
export type StatusColumn = (typeof STATUS_HEADERS)[number];
/** 1-based column of a status table column. */
export const statusColumn = (name: StatusColumn) => STATUS_HEADERS.indexOf(name) + 1;
/** The columns the run writes: from Enhet to Godkänd den. */
export const RUN_COLUMNS = statusColumn("Godkänd den");

export const STATUS_ROWS = { title: 1, deadline: 2, checked: 3, summary: 4, header: 6 } as const;
export const EVENTS_HEADING = "Händelser";
export const EVENT_HEADERS = ["Tid", "Enhet", "Händelse", "Av", "Orsak"] as const;
export const FINDINGS_HEADING = "Fynd";
export const FINDING_HEADERS = ["Flik", "Cell", "Allvar", "Meddelande", "Så rättar ni"] as const;

export function statusSheet(yc: YearCatalogue, definition: TemplateDefinition): LayoutSheet {
  const rows: LayoutRow[] = [
    { cells: [{ value: `Status för uppföljningen ${yc.year}`, font: "title" }] },
    { cells: [{ value: `${definition.labels.deadline}: ${formatLongDate(yc.deadline)}`, font: "bold" }] },
    { cells: [{ value: "Inte kontrollerad ännu.", font: "muted" }] },
    blank(),
    { cells: [{ value: "Kryssa i Godkänn och skriv ditt namn för att godkänna en enhet som är klar; dess flik låses vid nästa kontroll. Ta bort krysset och skriv en orsak för att öppna den igen.", font: "muted", wrap: true }] },
    headerRow(STATUS_HEADERS),
    ...expectedReporters(yc).map(
      (reporter): LayoutRow => ({
        cells: STATUS_HEADERS.map((h) =>
          h === "Enhet"
            ? { value: reporterName(yc, definition, reporter) }
            : h === "Godkänn"
              ? { input: { kind: "ready", error: "Kryssa i för att godkänna." } }
              : h === "Godkänd av" || h.startsWith("Orsak")
                ? { input: { kind: "text" }, wrap: true }
                : {},
        ),
      }),
    ),
  ];
  return {
    title: definition.sheets.status,
    role: "status",
    visibility: "visible",
    widths: STATUS_HEADERS.map((h) => (h === "Enhet" ? 28 : h.startsWith("Orsak") ? 40 : h === "Godkänd av" ? 22 : 14)),
    frozenRows: STATUS_ROWS.header,
    rows,
  };
}

/** The Rapporttext tab's column headers: which section, and its text. */
export const TEXT_HEADERS = ["Avsnitt", "Text"] as const;

/**
 * The Rapporttext tab (Google only): the officials' own text for the board paper, a section per
 * row. Its cells are not inputs, so only the tab's editors (the project leaders) can write them.
 */
export function textSheet(yc: YearCatalogue, definition: TemplateDefinition): LayoutSheet {
  const rows: LayoutRow[] = [
    { cells: [{ value: `Rapporttext ${yc.year}`, font: "title" }] },
    {
      cells: [
        {
          value:
            "Förvaltningarnas egen text till nämndrapporten, ett avsnitt per rad i kolumnen Text. Skilj stycken åt med en tom rad, börja en punkt i en lista med - och skriv *kursivt* eller **fetstil** vid behov; HTML visas som vanlig text. Där inget står visar rapporten ett förslag till text, märkt ”Förslag till text, ej granskad”. Bara projektledarna kan skriva här.",
          font: "muted",
          wrap: true,
        },
      ],
      height: 48,
    },
    blank(),
    headerRow(TEXT_HEADERS),
    ...REPORT_TEXT_SECTIONS.map((s): LayoutRow => ({ cells: [{ value: s.heading, wrap: true }, { wrap: true }], height: 90 })),
    ...yc.indicators.map((i): LayoutRow => ({ cells: [{ value: `${INDICATOR_COMMENT_HEADING}: ${i.shortTitle} (${i.id})`, wrap: true }, { wrap: true }], height: 48 })),
  ];
  return { title: definition.sheets.text, role: "text", visibility: "visible", widths: [36, 110], frozenRows: 4, rows };
}
