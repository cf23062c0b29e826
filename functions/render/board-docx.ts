/**
 * The board paper as an editable Word file, from the same parts as the PDF, built with the
 * `docx` library: Word's own heading styles (Title, Heading 1–3, so the city's template styles
 * apply when the secretary pastes or attaches it), real tables whose header row repeats on
 * every page, the charts as pictures with their alt text, "Sida N (M)" in the footer, and
 * Swedish as the document's language. All text goes in as text runs, never as markup.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { TextBlock, TextRun as Run } from "../report/officials-text.js";
import { normaliseZip } from "../shared/deterministic-zip.js";
import { EXAMPLE_KEYWORD } from "../workbook/read-xlsx.js";
import type { BoardPaper } from "./board-view.js";
import type { Chart } from "./charts.js";
import { DRAFT_MARK, type Part, type TableView } from "./paper.js";

/** A chart's picture: PNG bytes and its size in CSS pixels. */
export interface ChartPicture {
  png: Uint8Array;
  width: number;
  height: number;
}

const COLOURS = { ink: "1A1A1A", muted: "555555", warn: "A4000F", draft: "8A5A00", accent: "00698C", cityRow: "F2F2F2", line: "C8C8C8" };
/** The PDF's Source Sans 3 is not on office computers; Word gets a font every one has. */
const FONT = "Arial";
/** Half-points. */
const SIZE = { body: 21, small: 17, table: 17 };
/** The widest a chart may be on the page, in pixels at 96 dpi (A4 less the margins). */
const MAX_CHART_WIDTH = 300;

type Block = Paragraph | Table;

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };

/** A4's width less the page margins below, in twips. */
const MARGINS = { top: 1588, right: 1134, bottom: 1247, left: 1418 };
const TEXT_WIDTH = 11906 - MARGINS.left - MARGINS.right;

export async function boardDocx(paper: BoardPaper, pictures: Map<Chart, ChartPicture>, date: Date): Promise<Uint8Array> {
  let lists = 0;
  const blocks = (content: readonly TextBlock[], extra: { border?: string } = {}): Paragraph[] =>
    content.flatMap((b) => {
      if (b.kind === "paragraph") return [new Paragraph({ children: b.runs.map(run), ...bordered(extra.border) })];
      const instance = ++lists;
      return b.items.map(
        (item) =>
          new Paragraph({
            children: item.map(run),
            ...(b.ordered ? { numbering: { reference: "ordered", level: 0, instance } } : { bullet: { level: 0 } }),
            ...bordered(extra.border),
          }),
      );
    });
  const list = (ordered: boolean, items: string[]) => blocks([{ kind: "list", ordered, items: items.map((text) => [{ text }]) }]);

  const render = (part: Part): Block[] => {
    if ("heading" in part) {
      const level = { h2: HeadingLevel.HEADING_1, h3: HeadingLevel.HEADING_2, h4: HeadingLevel.HEADING_3 }[part.heading.tag];
      return [new Paragraph({ text: part.heading.text, heading: level, keepNext: true, pageBreakBefore: part.heading.newPage === true })];
    }
    if ("text" in part) {
      const mark = part.text.draft ? [new Paragraph({ children: [new TextRun({ text: DRAFT_MARK, bold: true, color: COLOURS.draft, size: SIZE.small })], keepNext: true, ...bordered(COLOURS.draft) })] : [];
      return [...mark, ...blocks(part.text.blocks, part.text.draft ? { border: COLOURS.draft } : {})];
    }
    if ("note" in part) {
      const children: ParagraphChild[] = [new TextRun({ text: part.note.text, size: SIZE.small, color: COLOURS.muted })];
      if (part.note.flag) children.push(new TextRun({ text: ` ${part.note.flag}`, size: SIZE.small, bold: true, color: COLOURS.warn }));
      return [new Paragraph({ children })];
    }
    if ("table" in part) return table(part.table);
    if ("withCharts" in part) {
      const { table: t, notes, figures } = part.withCharts;
      return [...table(t), ...notes.map((n) => new Paragraph({ children: [new TextRun({ text: n, size: SIZE.small, color: COLOURS.muted })] })), ...figures.flatMap((c) => figure(c, pictures.get(c)))];
    }
    if ("decision" in part) return blocks(part.decision, { border: COLOURS.accent });
    if ("signatures" in part) {
      const people = part.signatures.people.map(
        (p) =>
          new Paragraph({
            spacing: { before: 480 },
            children: [new TextRun({ text: p.name, bold: true }), new TextRun({ text: p.title, break: 1 }), new TextRun({ text: p.administration, break: 1 })],
          }),
      );
      const missing = part.signatures.missing ? [new Paragraph({ children: [new TextRun({ text: part.signatures.missing, bold: true, color: COLOURS.draft, size: SIZE.small })] })] : [];
      return [...people, ...missing];
    }
    if ("list" in part) return list(part.list.ordered, part.list.items);
    return part.group.flatMap(render);
  };

  const head = paper.head;
  const children: Block[] = [
    new Paragraph({ children: [new TextRun({ text: "Stockholms stad", bold: true, size: 26 })] }),
    new Paragraph({ text: head.administrations }),
    headTable([
      ["Handling", head.kind],
      ...(head.dnr ? [["Dnr", head.dnr] as [string, string]] : []),
      ["Datum", head.date],
      ...(head.officer ? [["Handläggare", head.officer] as [string, string]] : []),
      ["Till", head.to],
    ]),
    ...(paper.exampleNotice
      ? [new Paragraph({ children: [new TextRun({ text: paper.exampleNotice, bold: true, color: COLOURS.warn })], border: box(COLOURS.warn), spacing: { before: 200 } })]
      : []),
    new Paragraph({ text: paper.title, heading: HeadingLevel.TITLE, spacing: { before: 240 } }),
    ...paper.parts.flatMap(render),
  ];

  const doc = new Document({
    title: paper.title,
    creator: paper.author,
    subject: `Uppföljning ${paper.year} av handlingsplanen för en hållbar arbetssituation inom socialtjänsten`,
    keywords: ["socialtjänst", "arbetssituation", "handlingsplan", String(paper.year), ...(paper.mark.includes("EXEMPELDATA") ? [EXAMPLE_KEYWORD] : [])].join(", "),
    styles: {
      default: {
        document: { run: { font: FONT, size: SIZE.body, color: COLOURS.ink, language: { value: "sv-SE" } }, paragraph: { spacing: { after: 100 } } },
        title: { run: { font: FONT, size: 40, bold: true, color: COLOURS.ink } },
        heading1: { run: { font: FONT, size: 30, bold: true, color: COLOURS.ink }, paragraph: { spacing: { before: 360, after: 120 }, keepNext: true } },
        heading2: { run: { font: FONT, size: 23, bold: true, color: COLOURS.ink }, paragraph: { spacing: { before: 240, after: 80 }, keepNext: true } },
        heading3: { run: { font: FONT, size: 21, bold: true, color: COLOURS.ink }, paragraph: { spacing: { before: 160, after: 60 }, keepNext: true } },
      },
    },
    numbering: {
      config: [{ reference: "ordered", levels: [{ level: 0, format: LevelFormat.DECIMAL, text: "%1.", alignment: AlignmentType.START, style: { paragraph: { indent: { left: 360, hanging: 360 } } } }] }],
    },
    sections: [
      {
        properties: { page: { margin: MARGINS } },
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                children: [
                  new TextRun({ text: `Stockholms stad · ${head.administrations} · ${head.kind}${head.dnr ? ` · Dnr ${head.dnr}` : ""} · ${head.date}`, size: 15, color: COLOURS.muted }),
                  ...(paper.mark ? [new TextRun({ text: `   ${paper.mark}`, size: 15, bold: true, color: COLOURS.warn })] : []),
                ],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ size: 15, color: COLOURS.muted, children: [`Uppföljning ${paper.year} · Sida `, PageNumber.CURRENT, " (", PageNumber.TOTAL_PAGES, ")"] })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  const bytes = new Uint8Array(await Packer.toBuffer(doc));
  return normaliseZip(bytes, date, (files) => stampDates(files, date));
}

const run = (r: Run) => new TextRun({ text: r.text, bold: r.strong === true, italics: r.em === true });

function bordered(colour: string | undefined) {
  return colour ? { border: { left: { style: BorderStyle.SINGLE, size: 12, color: colour, space: 8 } } } : {};
}

function box(colour: string) {
  const side = { style: BorderStyle.SINGLE, size: 12, color: colour, space: 4 };
  return { top: side, bottom: side, left: side, right: side };
}

function cell(text: string, options: { header?: boolean; right?: boolean; city?: boolean } = {}) {
  return new TableCell({
    children: [
      new Paragraph({
        alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        spacing: { after: 0 },
        children: [new TextRun({ text, size: SIZE.table, bold: options.header === true || options.city === true })],
      }),
    ],
    margins: { top: 20, bottom: 20, left: 60, right: 60 },
    ...(options.city ? { shading: { type: ShadingType.CLEAR, color: "auto", fill: COLOURS.cityRow } } : {}),
  });
}

function table(view: TableView): Block[] {
  const numeric = view.textColumns !== true;
  const rows = [
    new TableRow({ tableHeader: true, cantSplit: true, children: view.head.map((h, i) => cell(h, { header: true, right: numeric && i > 0 })) }),
    ...view.rows.map(
      (r) => new TableRow({ cantSplit: true, children: [cell(r.name, { city: r.city }), ...r.cells.map((c) => cell(c, { right: numeric, city: r.city }))] }),
    ),
  ];
  const line = { style: BorderStyle.SINGLE, size: 4, color: COLOURS.line };
  // The first column holds names: a third of the width, the rest shared (twips of the A4 text width).
  const first = Math.round(TEXT_WIDTH * (view.head.length > 3 ? 0.3 : 0.36));
  const rest = Math.floor((TEXT_WIDTH - first) / Math.max(1, view.head.length - 1));
  const table = new Table({
    rows,
    layout: TableLayoutType.FIXED,
    columnWidths: [first, ...view.head.slice(1).map(() => rest)],
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    borders: { top: NO_BORDER, left: NO_BORDER, right: NO_BORDER, bottom: line, insideHorizontal: line, insideVertical: NO_BORDER },
  });
  const caption = view.caption ? [new Paragraph({ children: [new TextRun({ text: view.caption, bold: true, size: SIZE.table })], keepNext: true })] : [];
  return [...caption, table];
}

function headTable(rows: [string, string][]): Table {
  return new Table({
    width: { size: 60, type: WidthType.PERCENTAGE },
    borders: { top: NO_BORDER, left: NO_BORDER, right: NO_BORDER, bottom: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER },
    rows: rows.map(
      ([label, value]) =>
        new TableRow({
          children: [
            new TableCell({ children: [new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: label, color: COLOURS.muted })] })] }),
            new TableCell({ children: [new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: value })] })] }),
          ],
        }),
    ),
  });
}

function figure(chart: Chart, picture: ChartPicture | undefined): Paragraph[] {
  const caption = new Paragraph({
    children: [chart.caption, ...chart.notes].map((text, i) => new TextRun({ text, size: SIZE.small, color: COLOURS.muted, ...(i > 0 ? { break: 1 } : {}) })),
  });
  if (!picture) return [new Paragraph({ children: [new TextRun({ text: chart.alt, italics: true, size: SIZE.small })] }), caption];
  const scale = Math.min(1, MAX_CHART_WIDTH / picture.width);
  return [
    new Paragraph({
      keepNext: true,
      children: [
        new ImageRun({
          type: "png",
          data: picture.png,
          transformation: { width: Math.round(picture.width * scale), height: Math.round(picture.height * scale) },
          altText: { title: chart.caption, description: chart.alt, name: chart.caption },
        }),
      ],
    }),
    caption,
  ];
}

/** The package's created and modified dates: the run's, so the same report gives the same bytes. */
function stampDates(files: Record<string, Uint8Array>, date: Date) {
  const core = files["docProps/core.xml"];
  if (!core) return;
  const iso = date.toISOString().replace(/\.\d{3}Z$/, "Z");
  const text = new TextDecoder().decode(core).replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
  files["docProps/core.xml"] = new TextEncoder().encode(text);
}
