import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { FolderSink } from "../functions/output/folder-sink.js";
import { runYear } from "../functions/pipeline/run-year.js";
import { CHROMIUM_FLAGS, launchChromium, type PdfPrinter } from "../functions/render/pdf-printer.js";
import { type OfficialsText, parseOfficialsMarkdown } from "../functions/report/officials-text.js";
import { XlsxFileSource } from "../functions/submission/source.js";
import { column, context, editWorkbook, EXAMPLES, findRow, tempDir } from "./helpers.js";
import { pdfHeaderIds, pdfInfo, pdfPages } from "./pdf.js";

const DATE = new Date("2026-03-02T09:00:00Z");

/** A listener on loopback that records every request it gets. */
let listener: ReturnType<typeof createServer>;
const requests: string[] = [];
let port = 0;
beforeAll(async () => {
  listener = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.end("x");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

async function run(inputs: string, out: string, launchPrinter: () => Promise<PdfPrinter> = () => launchChromium(), officialsText?: OfficialsText) {
  const { catalogue, history, definition } = await context();
  const progress: string[] = [];
  const result = await runYear({
    yc: catalogueForYear(catalogue, 2025),
    definition,
    history,
    source: new XlsxFileSource([inputs], "/"),
    maxChange: 0.5,
    now: DATE,
    sink: new FolderSink(out),
    launchPrinter,
    progress: (line) => progress.push(line),
    ...(officialsText ? { officialsText } : {}),
  });
  return { result, progress };
}

/** Markup in a reporter's comment and activity, where a page could run it or fetch it. */
const hostileMarkup = () => `<script>alert(1)</script> <img src="http://169.254.169.254/"> <img src="http://127.0.0.1:${port}/leak"> {{x}}`;

/** The officials' own text, with markup, a formula and links that must stay inert text. */
const hostileOfficialsText = () =>
  [
    "# Rapporttext 2025",
    "Text före första avsnittet kommer inte med.",
    "## Analys",
    `Vår **egna** analys av året. <script>fetch("http://127.0.0.1:${port}/script")</script> <img src="http://127.0.0.1:${port}/img">`,
    `=HYPERLINK("http://127.0.0.1:${port}/formel";"klicka") och <style>body { background: url(http://127.0.0.1:${port}/css) }</style>`,
    "## Kommentar: fa1-chef-prioritera",
    `- första *punkten*\n- ![bild](http://127.0.0.1:${port}/bild.png) [länk](http://127.0.0.1:${port}/lank)`,
    "## Något annat",
    "Hamnar inte i rapporten.",
  ].join("\n\n");

/**
 * One whole year through real Chromium, shared by the tests that read its files: the example
 * data with hostile markup in Bromma's workbook and in the officials' text. Each run costs a
 * Chromium and sixteen PDFs, so the three tests read one.
 */
let shared: Promise<{ out: string; result: Awaited<ReturnType<typeof run>>["result"]; progress: string[]; printer: PdfPrinter; problems: string[] }> | undefined;
function hostileRun() {
  shared ??= (async () => {
    const { catalogue } = await context();
    const dir = await tempDir();
    await cp(EXAMPLES, dir, { recursive: true });
    await editWorkbook(join(EXAMPLES, "2025-bromma.xlsx"), join(dir, "2025-bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Kommentar")).value = hostileMarkup();
      let activityHeader = 0;
      ws.eachRow((r, n) => {
        if (r.getCell(2).value === "Aktivitet") activityHeader = n;
      });
      const row = ws.getRow(activityHeader + 1);
      row.getCell(1).value = "1. En god arbetssituation som präglas av trygghet, delaktighet och inflytande";
      row.getCell(2).value = hostileMarkup();
      row.getCell(3).value = "Uppföljning av {{constructor.constructor}}";
    });
    const text = parseOfficialsMarkdown(hostileOfficialsText(), "rapporttext.md", catalogueForYear(catalogue, 2025).indicators);
    const out = await tempDir();
    let printer: PdfPrinter | undefined;
    const { result, progress } = await run(dir, out, async () => (printer = await launchChromium()), text);
    return { out, result, progress, printer: printer!, problems: text.problems };
  })();
  return shared;
}

describe("the PDF reports, printed by real Chromium", () => {
  it("prints the board report as a tagged, titled Swedish board paper, and a page per district", async () => {
    const { out, result, progress } = await hostileRun();
    expect(result.failures).toEqual([]);
    expect(progress).toContain("3/3 Nämndrapport och sidor per enhet (PDF)");
    expect(progress.some((p) => p.includes("Skarpnäck: 7 fel, 3 varningar"))).toBe(true);
    // Readers (Drive) get the reports only: findings.json quotes raw values, aggregates.json is the leader's.
    expect(result.published.map((f) => basename(f)).sort()).toEqual(
      ["oppna-data-2025.csv", "oppna-data-2025.json", "uppfoljning-2025.docx", "uppfoljning-2025.pdf", "uppfoljning-2025.xlsx", ...result.aggregate.reporting.units.filter((u) => u.reporter !== "central").map((u) => `2025-${u.reporter}.pdf`)].sort(),
    );

    const board = await readFile(join(out, "2025", "uppfoljning-2025.pdf"));
    const info = await pdfInfo(board);
    expect(info).toMatchObject({
      title: "Uppföljning 2025 av Stockholms stads handlingsplan för en hållbar arbetssituation inom socialtjänsten",
      author: "Socialförvaltningen och Äldreförvaltningen",
      language: "(sv-SE)",
      tagged: true,
      outlines: true,
      displayDocTitle: true,
    });
    // PDF/UA: XMP with the title, the language and the PDF/UA identifier, in an incremental update.
    expect(info.xmp).toContain("<pdfuaid:part>1</pdfuaid:part>");
    expect(info.xmp).toContain("<rdf:li>sv-SE</rdf:li>");
    expect(info.xmp).toContain(`<rdf:li xml:lang="x-default">${info.title}</rdf:li>`);
    expect(board.toString("latin1")).toMatch(/\/Prev \d+>>\nstartxref\n\d+\n%%EOF\n$/);
    // The table headers' renamed ids: the /IDTree lists each one, sorted as a name tree must be, and every cell's /Headers resolves.
    const structure = await pdfHeaderIds(board);
    expect(structure.ids.length).toBeGreaterThan(100);
    expect(structure.ids.every((id) => /^h\d{11}$/.test(id))).toBe(true);
    expect(structure.names).toEqual([...structure.ids].sort());
    expect(structure.headers.length).toBeGreaterThan(100);
    expect(structure.headers.filter((h) => !structure.ids.includes(h))).toEqual([]);
    const pages = await pdfPages(board);
    expect(pages.length).toBe(info.pages);
    expect(pages[0]).toContain(`Sida 1 (${pages.length})`);
    expect(pages.at(-1)).toContain(`Sida ${pages.length} (${pages.length})`);
    for (const [i, text] of pages.entries()) expect(text.replace(/Sida \d+ \(\d+\)|Uppföljning 2025|Stockholms stad.*\n?/g, "").trim().length, `page ${i + 1} is blank`).toBeGreaterThan(400);
    const all = pages.join("\n");
    for (const heading of [
      "Fokusområde 1: En god arbetssituation som präglas av trygghet, delaktighet och inflytande",
      "Fokusområde 2: Kompetens- och utvecklingsmöjligheter",
      "Fokusområde 3: Ett gott ledarskap",
      "Fokusområde 4: Digital utveckling och innovation",
    ]) {
      expect(all.replace(/\s+/g, " ")).toContain(heading);
    }
    // A gemensamt tjänsteutlåtande: its sections in the city's order, the decision first.
    const flat = all.replace(/\s+/g, " ");
    const order = ["Förvaltningarnas förslag till beslut", "Sammanfattning", "Bakgrund", "Ärendet", "Ärendets beredning", "Analys", "Förvaltningarnas synpunkter och förslag", "Bilagor", "Bilaga 3. Indikatordefinitioner"];
    let from = 0;
    for (const heading of order) {
      const i = flat.indexOf(heading, from);
      expect(i, `${heading} efter föregående avsnitt`).toBeGreaterThan(-1);
      from = i + heading.length;
    }
    expect(flat).toContain("Gemensamt tjänsteutlåtande");
    expect(flat).toContain("Till Socialnämnden, Äldrenämnden");
    // Drafts are marked, and the example data says so on every page.
    expect(flat).toContain("Förslag till text, ej granskad");
    for (const [i, page] of pages.entries()) expect(page, `sida ${i + 1}`).toContain("EXEMPELDATA");
    // Indicators flow: about 20 pages at most, none near empty.
    expect(pages.length).toBeLessThanOrEqual(20);
    expect(all).toContain("Hägersten-Älvsjö");
    expect(all).toContain("Dnr SOF 2026/1342");

    const district = await readFile(join(out, "2025", "enheter", "2025-skarpnack.pdf"));
    const districtText = (await pdfPages(district)).join("\n");
    expect(districtText).toContain("Skarpnäck: uppföljning 2025 av handlingsplanen");
    expect(districtText).toContain("Självskattning");
    expect((await pdfInfo(district)).tagged).toBe(true);
  });

  it("shows a reporter's markup as text and lets no request leave the page", async () => {
    const { out, result, printer } = await hostileRun();
    expect(result.failures).toEqual([]);
    const text = (await pdfPages(await readFile(join(out, "2025", "enheter", "2025-bromma.pdf")))).join("\n").replace(/\s+/g, " ");
    expect(text).toContain("<script>alert(1)</script>");
    expect(text).toContain('<img src="http://169.254.169.254/">');
    expect(text).toContain("{{x}}");
    expect(text).toContain("Uppföljning av {{constructor.constructor}}");
    expect(requests).toEqual([]);
    expect(printer!.blockedRequests).toEqual([]);
  });

  it("puts the officials' own text, hostile or not, into the PDF and the Word file as inert text, and marks the rest as drafts", async () => {
    const { out, result, printer, problems } = await hostileRun();
    expect(problems).toEqual([expect.stringMatching(/^rapporttext\.md, rad \d+: rubriken ”Något annat” är inget avsnitt/)]);
    expect(result.failures).toEqual([]);
    expect(result.drafts).toContain("Ärendet");
    expect(result.drafts).not.toContain("Analys");

    const pdf = (await pdfPages(await readFile(join(out, "2025", "uppfoljning-2025.pdf")))).join("\n").replace(/\s+/g, " ");
    const analysis = pdf.slice(pdf.indexOf("Analys Vår"), pdf.indexOf("Förvaltningarnas synpunkter och förslag Förslag till text"));
    expect(analysis).toContain(`Vår egna analys av året. <script>fetch("http://127.0.0.1:${port}/script")</script>`);
    expect(analysis).toContain(`=HYPERLINK("http://127.0.0.1:${port}/formel";"klicka") och <style>`);
    expect(analysis).not.toContain("Förslag till text, ej granskad");
    expect(pdf).toContain(`första punkten`);
    expect(pdf).toContain(`bild länk (http://127.0.0.1:${port}/lank)`);
    expect(pdf).not.toContain("Hamnar inte i rapporten");
    expect(pdf).not.toContain("Text före första avsnittet");
    expect(requests).toEqual([]);
    expect(printer!.blockedRequests).toEqual([]);

    // The Word file: the same text as runs of text, Word's heading styles, a header row that repeats, alt texts, Swedish.
    const { unzipSync, strFromU8 } = await import("fflate");
    const docx = unzipSync(await readFile(join(out, "2025", "uppfoljning-2025.docx")));
    const document = strFromU8(docx["word/document.xml"]!);
    expect(document).toContain("&lt;script&gt;fetch(");
    expect(document).not.toMatch(/<script|<img|<style/);
    expect(document).toMatch(/<w:pStyle w:val="Heading1"\/>[\s\S]{0,400}Förvaltningarnas förslag till beslut/);
    expect(document).toMatch(/<w:pStyle w:val="Title"\/>/);
    expect(document).toContain("<w:tblHeader/>");
    expect(document).toMatch(/<wp:docPr [^>]*descr="Linjediagram: stadens värde/);
    expect(document).toContain("Exempeldata: rapporten bygger på");
    const header = Object.entries(docx).find(([n]) => n.startsWith("word/header"))!;
    expect(strFromU8(header[1])).toContain("EXEMPELDATA");
    expect(strFromU8(docx["word/styles.xml"]!)).toContain('w:lang w:val="sv-SE"');
    expect(Object.keys(docx).filter((n) => n.startsWith("word/media/")).length).toBeGreaterThan(20);
    const footer = Object.entries(docx).find(([n]) => n.startsWith("word/footer"))!;
    expect(strFromU8(footer[1])).toMatch(/Sida [\s\S]*PAGE[\s\S]*NUMPAGES/);
  });

  it("blocks every request but data: URLs and runs no JavaScript, even for markup that reaches the page", async () => {
    const printer = await launchChromium();
    try {
      const html = `<!doctype html><html lang="sv"><head><title>t</title></head><body>
        <p id="p">före</p>
        <img src="http://127.0.0.1:${port}/img"><link rel="stylesheet" href="http://127.0.0.1:${port}/css">
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <script>document.getElementById("p").textContent = "JAVASCRIPT KÖRDES";</script>
        </body></html>`;
      const pdf = await printer.print(html, { headerTemplate: "<span></span>", footerTemplate: "<span></span>" });
      const text = (await pdfPages(pdf)).join("");
      expect(text).toContain("före");
      expect(text).not.toContain("JAVASCRIPT KÖRDES");
      expect(printer.blockedRequests).toEqual(expect.arrayContaining([`http://127.0.0.1:${port}/img`, `http://127.0.0.1:${port}/css`]));
      expect(requests).toEqual([]);
    } finally {
      await printer.close();
    }
  });

  it("does not use @sparticuz/chromium's unsafe defaults", () => {
    expect(CHROMIUM_FLAGS).not.toContain("--disable-web-security");
    expect(CHROMIUM_FLAGS).not.toContain("--single-process");
    expect(CHROMIUM_FLAGS.some((f) => f.startsWith("--allow-running-insecure-content"))).toBe(false);
  });

  it("reports a page that fails, makes the others, and never leaves an old page among new ones", async () => {
    const out = await tempDir();
    // A page from before output sets existed, lying loose in the folder.
    await mkdir(join(out, "enheter"), { recursive: true });
    await writeFile(join(out, "enheter", "2025-farsta.pdf"), "förra körningens fil");
    const { PDFDocument } = await import("@cantoo/pdf-lib");
    const blank = await (async () => {
      const doc = await PDFDocument.create();
      doc.addPage();
      return doc.save({ useObjectStreams: false }); // a classic xref table, as Chromium writes
    })();
    let closed = false;
    const { result } = await run(EXAMPLES, out, async () => ({
      blockedRequests: [],
      async screenshots() {
        return [];
      },
      async print(html) {
        if (html.includes("<title>Farsta:")) throw new Error("Chromium kraschade");
        return blank;
      },
      async close() {
        closed = true;
      },
    }));
    expect(closed).toBe(true);
    expect(result.failures).toEqual([{ what: "Farsta", message: "Chromium kraschade" }]);
    // Farsta's old page holds old figures: it is not in the new set, and no longer lies loose beside it.
    await expect(readFile(join(out, "2025", "enheter", "2025-farsta.pdf"))).rejects.toThrow();
    await expect(readFile(join(out, "enheter", "2025-farsta.pdf"))).rejects.toThrow();
    expect((await readFile(join(out, "2025", "enheter", "2025-bromma.pdf"))).subarray(0, 5).toString()).toBe("%PDF-");
    expect((await readFile(join(out, "2025", "uppfoljning-2025.pdf"))).length).toBeGreaterThan(100);
  });
});
