/**
 * The board report as the city writes a gemensamt tjänsteutlåtande, worked out from the report
 * model and the officials' text: head, Förvaltningarnas förslag till beslut, Sammanfattning,
 * Bakgrund, Ärendet (per focus area), Ärendets beredning, Analys, Förvaltningarnas synpunkter
 * och förslag, the signatures and Bilagor, with the indicator definitions last. The sections the
 * officials write show their text; where they have written none, a generated draft marked
 * "Förslag till text, ej granskad", and the paper lists which.
 */
import type { Trend } from "../aggregate/trends.js";
import { type AnalysisSentence, analyse } from "../report/analysis.js";
import { DEFINITION_HEADINGS, indicatorDefinitions } from "../report/definitions.js";
import { draftTexts } from "../report/draft-text.js";
import { legend } from "../report/legend.js";
import { noOfficialsText, type OfficialsText, paragraphs, type TextBlock, type TextSectionKey } from "../report/officials-text.js";
import { headerMark, legendNotes, reportNotice, wrongWayFlag } from "../report/report-text.js";
import { summaryText } from "../report/summary-text.js";
import type { Cell, IndicatorTable, ReportModel } from "../report/report-model.js";
import { formatLongDate, joinSv, lowerFirst } from "../shared/format-sv.js";
import { REPORT_TEXT_SECTIONS } from "../shared/vocabulary.js";
import { areaLocalWork, cityActivitiesTable, localWorkTables } from "./board-local-work.js";
import { indicatorCharts } from "./charts.js";
import { heading, type Part, plainText, type TableView } from "./paper.js";

export type { TableView } from "./paper.js";

/** Years shown in the focus-area tables, so that the charts fit beside them; the Excel report has them all. */
const SECTION_YEARS = 4;

export interface BoardPaper {
  year: number;
  title: string;
  author: string;
  head: ReturnType<typeof paperHead>;
  exampleNotice: string | null;
  /** The short mark in the page header: "FÖRHANDSVISNING · EXEMPELDATA", or "". */
  mark: string;
  parts: Part[];
  /** What still has only generated text or is missing, by section name, for hp run to tell. */
  drafts: string[];
}

export async function boardView(model: ReportModel, trends: Trend[], date: Date, text: OfficialsText = noOfficialsText()): Promise<BoardPaper> {
  const { yc, year } = model;
  const title = `Uppföljning ${year} av ${yc.plan.title}`;
  const boards = joinSv(yc.catalogue.report.boards);
  const drafts: string[] = [];
  const sentences = analyse(model, trends);
  const draft = draftTexts(model, sentences);
  const section = (key: TextSectionKey): Part => {
    const own = text.sections.get(key);
    if (!own) drafts.push(REPORT_TEXT_SECTIONS.find((s) => s.key === key)!.heading);
    return { text: { blocks: own ?? draft.sections[key], draft: !own } };
  };

  const parts: Part[] = [
    heading("h2", "Förvaltningarnas förslag till beslut"),
    {
      decision: paragraphs(
        `${boards} godkänner förvaltningarnas uppföljning ${year} av ${yc.plan.title.replace(/^Stockholms stads /, "")}.`,
        "Ärendet överlämnas till stadsdelsnämnderna för kännedom.",
      ),
    },
    ...summary(model, sentences),
    heading("h2", "Bakgrund"),
    plainText(
      `Stockholms stad har sedan 2015 arbetat för en bättre arbetssituation för socialsekreterare, biståndshandläggare och deras chefer. Den nuvarande planen har fyra fokusområden: ${joinSv(yc.plan.focusAreas.map((f) => lowerFirst(f.title)))}.`,
      "Varje fokusområde har ett önskat läge och indikatorer som följs upp varje år. Inför socialförvaltningens och äldreförvaltningens verksamhetsberättelse följs indikatorerna upp och trenderna analyseras, så att åtgärder kan sättas in där en trend går åt fel håll. Varje nämnd ser årligen över hur nära eller långt ifrån det önskade läget den står och planerar aktiviteter utifrån det.",
      "Uppgifterna kommer från stadens medarbetarenkät, incidentrapporteringen, utbildningsplattformen och personalsystemen samt från förvaltningarnas egen rapportering. Små grupper redovisas inte.",
    ),
    { group: [heading("h2", "Ärendet"), section("arendet")] },
    heading("h3", "Teckenförklaring"),
    { table: { head: ["Tecken", "Betydelse"], rows: legend(model.definition, model.preview).map((l) => ({ name: l.symbol, city: false, cells: [l.meaning] })), textColumns: true } },
    ...legendNotes(model).map((n): Part => ({ note: { text: n } })),
    ...(await focusAreas(model, text, draft.indicators, drafts)),
    ...localWorkTables(model),
    { group: [heading("h2", "Ärendets beredning"), section("beredning")] },
    { group: [heading("h2", "Analys"), section("analys")] },
    { group: [heading("h2", "Förvaltningarnas synpunkter och förslag"), section("synpunkter")] },
    signatures(model, drafts),
    heading("h2", "Bilagor"),
    {
      list: {
        ordered: true,
        items: [
          `Uppföljning ${year}, tabeller per indikator och enhet alla år (uppfoljning-${year}.xlsx)`,
          `Uppföljning ${year} per förvaltning, en sida för var och en av de ${yc.units.length} förvaltningarna`,
          "Indikatordefinitioner (nedan)",
        ],
      },
    },
    heading("h2", "Bilaga 3. Indikatordefinitioner", { newPage: true }),
    {
      table: {
        head: ["Indikator", "Definition"],
        rows: indicatorDefinitions(yc).map((d) => ({
          name: `${d.title} (${d.id})`,
          city: false,
          cells: [DEFINITION_HEADINGS.slice(3).map((h, i) => `${h}: ${[d.measured, d.source, d.method, d.direction, d.smallestGroup, d.years][i]}.`).join(" ")],
        })),
        textColumns: true,
      },
    },
  ];
  return {
    year,
    title,
    author: joinSv(yc.catalogue.report.administrations),
    head: paperHead(model, date, yc.catalogue.report.boards.join(", ")),
    exampleNotice: reportNotice(model),
    mark: headerMark(model),
    parts,
    drafts,
  };
}

function summary(model: ReportModel, sentences: AnalysisSentence[]): Part[] {
  const text = summaryText(model, sentences);
  const list = (title: string, items: string[]): Part[] => (items.length > 0 ? [heading("h3", title), { list: { ordered: false, items } }] : []);
  return [
    heading("h2", "Sammanfattning"),
    plainText(text.intro[0]!, text.intro.slice(1).join(" ")),
    ...list("Detta har blivit bättre", text.improved),
    ...list("Detta går åt fel håll", text.wrongWay),
    ...(text.withheld.length > 0 ? [heading("h3", "Detta redovisas inte"), plainText(...text.withheld)] : []),
    ...list("Ingen jämförelse med förra året", text.notCompared),
  ];
}

async function focusAreas(model: ReportModel, text: OfficialsText, drafts: Map<string, TextBlock[]>, missing: string[]): Promise<Part[]> {
  const parts: Part[] = [];
  for (const section of model.sections) {
    const fa = section.focusArea;
    // The focus area's heading and desired state stay with its first indicator.
    let opening: Part[] = [
      heading("h3", fa.number > 0 ? `Fokusområde ${fa.number}: ${fa.title}` : `Uppföljning sedan 2016: ${fa.title.toLocaleLowerCase("sv-SE")}`, { id: fa.id }),
      { text: { blocks: [{ kind: "paragraph", runs: [{ text: "Önskat läge. ", strong: true }, { text: fa.desiredState }] }], draft: false } },
    ];
    for (const table of section.tables) {
      const indicator = table.indicator;
      const group: Part[] = [...opening, heading("h4", indicator.title, { id: indicator.id })];
      opening = [];
      const kind = table.rows.find((row) => row.isCity)?.kind ?? "ingen sammanvägning";
      group.push({ note: { text: `Källa: ${indicator.source}. Stadens värde: ${kind}.`, flag: wrongWayFlag(table) || undefined } });
      if (table.items) {
        group.push({
          table: { head: ["Aktivitet i digitaliseringsplanen", `Status ${model.year}`], rows: table.items.map((i) => ({ name: i.label, city: false, cells: [i.status] })), textColumns: true },
        });
      } else {
        group.push({ withCharts: { table: tableView(table, SECTION_YEARS), notes: table.notes, figures: await indicatorCharts(model, table) } });
      }
      const own = text.indicators.get(indicator.id);
      const draft = drafts.get(indicator.id);
      if (own) group.push({ text: { blocks: own, draft: false } });
      else if (draft) {
        group.push({ text: { blocks: draft, draft: true } });
        missing.push(`Kommentar: ${indicator.shortTitle}`);
      }
      parts.push({ group });
    }
    parts.push(...opening);
    if (fa.number > 0) parts.push(...areaLocalWork(model, fa.id), ...cityActivitiesTable(model, fa.id));
  }
  return parts;
}

function signatures(model: ReportModel, drafts: string[]): Part {
  const people = model.yc.signatures;
  if (people.length === 0) drafts.push("Underskrifter");
  return {
    signatures: {
      people,
      missing: people.length === 0 ? "Underskrifter saknas." : null,
    },
  };
}

export function paperHead(model: ReportModel, date: Date, to: string) {
  const { yc } = model;
  const administrations = yc.catalogue.report.administrations;
  return {
    administrations: joinSv(administrations),
    kind: administrations.length > 1 ? "Gemensamt tjänsteutlåtande" : "Tjänsteutlåtande",
    dnr: yc.dnr ?? "",
    date: formatLongDate(date.toISOString().slice(0, 10)),
    officer: yc.officer ? `${yc.officer.name}${yc.officer.phone ? `, telefon ${yc.officer.phone}` : ""}` : "Uppgift saknas",
    to,
  };
}

/** A unit × year table with the city rows last and, where there is one, women and men this year. */
export function tableView(table: IndicatorTable, years: number): TableView {
  const from = Math.max(0, table.years.length - years);
  const sex = table.rows.some((r) => r.women);
  return {
    head: ["Enhet", ...table.years.slice(from).map(String), ...(sex ? [`Kvinnor ${table.years.at(-1)}`, `Män ${table.years.at(-1)}`] : [])],
    rows: table.rows.map((r) => ({
      name: r.name,
      city: r.isCity,
      cells: [...r.cells.slice(from).map(text), ...(sex ? [text(r.women), text(r.men)] : [])],
    })),
  };
}

const text = (cell: Cell | undefined) => cell?.text ?? "";
