/**
 * Renders the board report and the district pages: HTML from the templates, then PDF with
 * one printer for all of them. HTML rendering is separate from printing so that the HTML can
 * be checked against golden files without a browser.
 */
import type { Observation } from "../model/records.js";
import type { Trend } from "../aggregate/trends.js";
import type { Unit } from "../catalogue/schema.js";
import type { ReportModel } from "../report/report-model.js";

import { boardView } from "./board-view.js";
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

export async function renderBoardHtml(model: ReportModel, trends: Trend[], date: Date): Promise<RenderedHtml> {
  const t = await reportTemplates();
  const view = await boardView(model, trends, date);
  return {
    html: t.board({ ...view, css: t.css }),
    title: view.title,
    author: view.author,
    headerTemplate: t.pageHeader(view.head),
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
    headerTemplate: t.pageHeader(view.head),
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
