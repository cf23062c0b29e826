/**
 * Renders the board report and the district pages: HTML from the templates, then PDF with
 * one printer for all of them. HTML rendering is separate from printing so that the HTML can
 * be checked against golden files without a browser.
 */
import type { Observation } from "../model/records.js";
import type { Trend } from "../aggregate/trends.js";
import type { Unit } from "../catalogue/schema.js";
import type { ReportModel } from "../report/report-model.js";
import { headerMark } from "../report/report-text.js";

import type { OfficialsText } from "../report/officials-text.js";
import { type BoardPaper, boardView } from "./board-view.js";
import { boardDocx } from "./board-docx.js";
import { chartsOf, DRAFT_MARK } from "./paper.js";
import { districtView } from "./district-view.js";
import { finishPdf } from "./pdf-finish.js";
import type { PdfPrinter } from "./pdf-printer.js";
import { reportTemplates } from "./templates.js";

export interface RenderedHtml {
  html: string;
  title: string;
  author: string;
  headerTemplate: string;
  footerTemplate: string;
}

export async function renderBoardHtml(model: ReportModel, trends: Trend[], date: Date, text?: OfficialsText): Promise<RenderedHtml & { paper: BoardPaper }> {
  const t = await reportTemplates();
  const view = await boardView(model, trends, date, text);
  return {
    html: t.board({ ...view, draftMark: DRAFT_MARK, css: t.css }),
    title: view.title,
    author: view.author,
    paper: view,
    headerTemplate: t.pageHeader({ ...view.head, mark: headerMark(model) }),
    footerTemplate: t.pageFooter({ title: `Uppföljning ${model.year}` }),
  };
}

export async function renderDistrictHtml(
  model: ReportModel,
  unit: Unit,
  trends: Trend[],
  observations: Observation[],
  date: Date,
): Promise<RenderedHtml> {
  const t = await reportTemplates();
  const view = districtView(model, unit, trends, observations, date);
  return {
    html: t.district({ ...view, css: t.css }),
    title: view.title,
    author: view.author,
    headerTemplate: t.pageHeader({ ...view.head, mark: headerMark(model) }),
    footerTemplate: t.pageFooter({ title: `${unit.name} ${model.year}` }),
  };
}

export async function printReport(printer: PdfPrinter, rendered: RenderedHtml, year: number, date: Date): Promise<Uint8Array> {
  const pdf = await printer.print(rendered.html, {
    headerTemplate: rendered.headerTemplate,
    footerTemplate: rendered.footerTemplate,
  });
  return finishPdf(pdf, {
    title: rendered.title,
    author: rendered.author,
    subject: `Uppföljning ${year} av handlingsplanen för en hållbar arbetssituation inom socialtjänsten`,
    keywords: ["socialtjänst", "arbetssituation", "handlingsplan", String(year)],
    language: "sv-SE",
    creator: "hp – uppföljning av handlingsplanen",
    date,
  });
}

/** The board paper as a Word file, with a picture of each chart taken by the same Chromium. */
export async function boardWordFile(printer: PdfPrinter, paper: BoardPaper, date: Date): Promise<Uint8Array> {
  const charts = chartsOf(paper.parts);
  const t = await reportTemplates();
  const html = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><style>${t.css}\nbody { margin: 0; background: white; } figure { display: inline-block; margin: 0 0 8px; } figure svg { display: block; max-height: none; }</style></head><body>${charts.map((c) => `<figure data-shot>${c.svg}</figure>`).join("")}</body></html>`;
  const shots = charts.length > 0 ? await printer.screenshots(html) : [];
  const pictures = new Map(charts.flatMap((c, i) => (shots[i] ? [[c, shots[i]] as const] : [])));
  return boardDocx(paper, pictures, date);
}
