/**
 * The project leader's page in a real Chromium, served by a real Functions Framework server on
 * the embedded default (no Google account): every unit, a check with its progress and result,
 * approving and reopening, a broken workbook checked and its annotated copy downloaded, the
 * main flow by keyboard only, and axe-core on each state. Each state is also photographed: into a
 * temporary folder under `npm test`, into docs/sidan/ (the README's pictures) with
 * `npm run screenshots`.
 */
import { cp, mkdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, ROOT, tempDir } from "./helpers.js";
import { type LoopbackSmtp, loopbackSmtp } from "./support/smtp.js";

// The page's own globals, used inside page.evaluate (the tests compile without the DOM library).
interface PageElement {
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement>; documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare function getComputedStyle(element: unknown): { outlineStyle: string };

let server: Server;
let base = "";
let browser: Browser;
let inputDir = "";
let SHOTS = "";
let smtp: LoopbackSmtp;

beforeAll(async () => {
  const dir = await tempDir();
  inputDir = join(dir, "inlamnat");
  await cp(EXAMPLES, inputDir, { recursive: true });
  smtp = await loopbackSmtp();
  Object.assign(process.env, {
    HP_SMTP_URL: smtp.url,
    HP_MAIL_FROM: "uppfoljning@stad.example",
    HP_CONTACTS_DIR: join(ROOT, "sheets", "kontakter"),
    HP_BACKEND: "local",
    HP_AUTH_DISABLED: "1",
    HP_YEAR: "2025",
    HP_INPUT_DIR: inputDir,
    HP_OUT_DIR: join(dir, "out"),
    HP_HISTORY_DIR: join(dir, "historik"),
  });
  await import("../functions/index.js");
  const { getTestServer } = await import("@google-cloud/functions-framework/testing");
  server = getTestServer("runOnDemand") as unknown as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const [{ default: puppeteer }, { default: chromium }] = await Promise.all([import("puppeteer-core"), import("@sparticuz/chromium")]);
  browser = await puppeteer.launch({ executablePath: await chromium.executablePath(), headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  SHOTS = process.env.HP_SCREENSHOTS === "docs" ? join(ROOT, "docs", "sidan") : join(dir, "bilder");
  await mkdir(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await smtp?.close();
});

/** axe-core's WCAG 2.1 A and AA rules on the page as it stands; the violations, by rule. */
async function axe(page: Page): Promise<string[]> {
  const source = await readFile(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
  await page.evaluate(source);
  const result = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function newPage(width = 1280): Promise<Page> {
  const page = await browser.newPage();
  // axe is injected by the test; the page itself allows no inline script.
  await page.setBypassCSP(true);
  await page.setViewport({ width, height: 900 });
  return page;
}

const rowOf = (page: Page, unit: string) =>
  page.evaluate((name) => {
    const row = Array.from(document.querySelectorAll("tbody tr")).find((r) => r.querySelector("th")?.textContent?.trim() === name);
    return row ? Array.from(row.querySelectorAll("th, td")).map((c) => c.textContent?.trim() ?? "") : undefined;
  }, unit);

describe("the project leader's page", () => {
  it("shows every unit with its state, sortable in Swedish order, without accessibility violations", async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(await page.$eval("html", (h) => h.lang)).toBe("sv");
    const names = await page.$$eval("tbody tr th", (cells) => cells.map((c) => c.textContent?.trim()));
    expect(names).toHaveLength(16);
    expect(names.indexOf("Östermalm")).toBeGreaterThan(names.indexOf("Södermalm"));
    expect(names.indexOf("Äldreförvaltningen")).toBeGreaterThan(names.indexOf("Spånga-Tensta"));
    expect(await rowOf(page, "Skarpnäck")).toEqual(["Skarpnäck", "klar med fel", "Nej", expect.stringMatching(/^Ja 2026-02-\d\d/), "7", "3", "1", "–", expect.any(String), "", "Skicka påminnelse till Skarpnäck"]);
    // The deadline has passed (the page runs on today's date): the late unit is named.
    expect(await page.$eval(".meddelande.fel", (p) => p.textContent)).toBe("1 enhet är sen: Skarpnäck.");
    expect(await page.$eval(".lage", (p) => p.textContent)).toContain("15 av 16 enheter har lämnat in");
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "oversikt.png"), fullPage: true });

    await page.click('thead a[href*="sortera=fel"]');
    await page.click('thead a[href*="sortera=fel"]');
    expect(await page.$eval("tbody tr th", (c) => c.textContent?.trim())).toBe("Skarpnäck");
    expect(await page.$eval('th[aria-sort="descending"]', (th) => th.textContent)).toContain("Fel");
    await page.close();
  });

  it("runs the check on demand, shows the steps as they come and says when it is done", async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/kor'] button")]);
    await page.waitForSelector(".framsteg li");
    const lines = await page.$$eval(".framsteg li", (items) => items.map((i) => i.textContent));
    expect(lines).toContain("Skarpnäck: 7 fel, 3 varningar");
    // Each workbook's line as it was read, before the results.
    expect(lines.indexOf("Läst 2025-skarpnack.xlsx: Skarpnäck")).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf("Läst 2025-skarpnack.xlsx: Skarpnäck")).toBeLessThan(lines.indexOf("Skarpnäck: 7 fel, 3 varningar"));
    expect(await page.$eval("#resultat-rubrik", (h) => h.textContent)).toBe("Körningen är klar");
    expect(await page.$eval(".resultat p", (p) => p.textContent)).toBe("15 av 16 har lämnat in; 7 fel, 6 varningar.");
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "korning.png"), fullPage: true });
    await page.goto(`${base}/`);
    const last = await page.$eval("#senaste-rubrik + div tbody tr", (r) => r.textContent);
    expect(last).toContain("lokal användare (sidan)");
    expect(last).toContain("Kontrollen 2025");
    // The check kept what it saw: nothing has changed since.
    expect((await rowOf(page, "Skarpnäck"))?.at(-2)).toBe("oförändrad");
    await page.close();
  });

  it("says so, and starts nothing, when a run for the year is already going", async () => {
    const { localYearLock } = await import("../functions/lock/file-year-lock.js");
    const page = await newPage();
    await page.goto(`${base}/`);
    await localYearLock(process.env.HP_HISTORY_DIR!).withLock(2025, "hp run av Lena (terminalen)", async () => {
      const [res] = await Promise.all([page.waitForNavigation(), page.click("form[action='/kor'] button")]);
      expect(res?.status()).toBe(409);
    });
    expect(await page.$eval("#resultat-rubrik", (h) => h.textContent)).toBe("Körningen misslyckades");
    expect(await page.$eval(".resultat .fel", (p) => p.textContent)).toMatch(/^En körning för 2025 pågår redan: hp run av Lena \(terminalen\)/);
    expect(await page.$$(".framsteg li")).toHaveLength(0);
    await page.close();
  });

  it("approves a unit after a confirmation, and reopens it with a reason", async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    const approve = await page.$$("form[action='/godkann'] button");
    // Bromma is first in Swedish order and ready without errors.
    await Promise.all([page.waitForNavigation(), approve[0]!.click()]);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Godkänn Bromma");
    expect(await axe(page)).toEqual([]);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toBe("Bromma är godkänd.");
    expect((await rowOf(page, "Bromma"))?.[1]).toBe("godkänd");

    await Promise.all([page.waitForNavigation(), page.click("form[action='/oppna'] button")]);
    expect(await axe(page)).toEqual([]);
    await page.type("#orsak", "Fel antal svarande i enkäten <script>alert(1)</script>");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toContain("Bromma är öppnad igen");
    expect((await rowOf(page, "Bromma"))?.[1]).toBe("inlämnad");
    await page.close();
  });

  it("reminds a late unit by e-mail after a confirmation, once a day, and lists the reminder", async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/paminn'] button")]);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Påminn Skarpnäck");
    const planned = await page.$eval(".paminnelser li", (li) => li.textContent ?? "");
    expect(planned).toContain("till skarpnack@stad.example, chef.skarpnack@stad.example");
    expect(planned).toContain("Rätta de 7 felen");
    expect(smtp.messages).toHaveLength(0);
    expect(await axe(page)).toEqual([]);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toBe("1 påminnelse skickad.");
    await smtp.received(1);
    expect(smtp.messages[0]!.subject).toBe("Sen inlämning: uppföljningen 2025 för Skarpnäck");
    expect(smtp.messages[0]!.to).toEqual(["skarpnack@stad.example", "chef.skarpnack@stad.example"]);
    expect(await axe(page)).toEqual([]);

    await page.goto(`${base}/`);
    const row = await page.$eval("#paminnelser-rubrik + div tbody tr", (r) => r.textContent ?? "");
    expect(row).toContain("lokal användare (sidan)");
    expect(row).toContain("Skarpnäck");
    expect(row).toContain("Skickad");
    expect((await rowOf(page, "Skarpnäck"))?.at(-1)).toBe("Påmind i dag");
    // One history of the year: the reminder, the reopening with its reason (as text), the check run, the tabs marked ready.
    const history = await page.$$eval("#senaste-rubrik + div tbody tr", (rows) => rows.map((r) => r.textContent ?? ""));
    expect(history[0]).toContain("Påminnelse till Skarpnäck");
    expect(history.some((h) => h.includes("Bromma öppnad igen") && h.includes("Fel antal svarande i enkäten <script>alert(1)</script>"))).toBe(true);
    expect(history.some((h) => h.includes("Bromma godkänd"))).toBe(true);
    expect(history.some((h) => h.includes("Kontrollen 2025"))).toBe(true);
    expect(history.some((h) => h.includes("Skarpnäck: fliken markerad Klar att lämna in") && h.includes("7 fel kvar"))).toBe(true);
    expect(await page.$$("main script")).toHaveLength(0);
    // The overview with its history, reminders and "since the last run" passes axe too.
    expect(await axe(page)).toEqual([]);
    // All late units, again today: nobody is reminded twice.
    await Promise.all([page.waitForNavigation(), page.click("#enheter-rubrik ~ form[action='/paminn'] button")]);
    expect(await page.$eval(".paminnelser li", (li) => li.textContent)).toContain("skickas inte, påmind redan i dag");
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    expect(smtp.messages).toHaveLength(1);
    await page.close();
  });

  it("checks an uploaded workbook: findings by tab, and the annotated copy to download; nothing is stored", async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    const input = (await page.$("#fil"))!;
    await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(join(EXAMPLES, "2025-skarpnack.xlsx"));
    await Promise.all([page.waitForNavigation(), page.click("form[action='/kontrollera'] button[type=submit]")]);
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Kontroll av 2025-skarpnack.xlsx");
    expect(await page.$eval(".lage", (p) => p.textContent)).toBe("7 fel och 3 varningar.");
    expect(await page.$$eval("main h2", (hs) => hs.map((h) => h.textContent))).toContain("Skarpnäck");
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "kontroll-av-fil.png"), fullPage: true });
    const href = await page.$eval("a[download]", (a) => a.getAttribute("href")!);
    const copy = Buffer.from(href.slice(href.indexOf(",") + 1), "base64");
    expect(copy.subarray(0, 2).toString()).toBe("PK");
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(copy as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Kontrollresultat")).toBeDefined();
    await page.close();
  });

  it("hands a file in for its unit only when it has no errors, keeping the file it replaces", async () => {
    const { readdir } = await import("node:fs/promises");
    const page = await newPage();
    const handIn = async (file: string) => {
      await page.goto(`${base}/`);
      const input = (await page.$("#fil"))!;
      await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(join(EXAMPLES, file));
      await page.click("#lamna-in");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/kontrollera'] button[type=submit]")]);
      return page.$eval(".meddelande", (p) => p.textContent);
    };
    expect(await handIn("2025-skarpnack.xlsx")).toBe("Filen lämnades inte in: den har fel som måste rättas först.");
    expect(await handIn("2025-bromma.xlsx")).toBe("Filen är inlämnad som 2025-bromma.xlsx och räknas i nästa körning; den förra filen är sparad i historikmappen.");
    expect((await readdir(join(process.env.HP_HISTORY_DIR!, "ersatta-inlamningar"))).some((n) => n.startsWith("2025-bromma-"))).toBe(true);
    expect(await readFile(join(inputDir, "2025-bromma.xlsx"))).toEqual(await readFile(join(EXAMPLES, "2025-bromma.xlsx")));
    await page.close();
  });

  it("imports an export after showing what it would change, and refuses a broken one whole", async () => {
    const { writeFile, readdir } = await import("node:fs/promises");
    const dir = await tempDir();
    const good = join(dir, "ia-export-2025.csv");
    await writeFile(good, "Id;Datum;Förvaltning;Verksamhet;Typ\r\nIA-1;2025-01-14;Bromma;Äldre;Hot\r\nIA-2;2025-02-03;Farsta;Missbruk;Våld\r\n");
    const bad = join(dir, "ia-trasig.csv");
    await writeFile(bad, "Id;Datum;Förvaltning;Verksamhet;Typ\r\nIA-1;2025-01-14;Atlantis;Äldre;Hot\r\n");
    const page = await newPage();
    const upload = async (file: string, step: "prova" | "importera") => {
      await page.goto(`${base}/`);
      await page.select("#kalla", "incidenter");
      await ((await page.$("#export"))! as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(file);
      await Promise.all([page.waitForNavigation(), page.click(`form[action='/importera'] button[value=${step}]`)]);
    };
    const imports = join(process.env.HP_HISTORY_DIR!, "import", "2025");
    await upload(bad, "importera");
    expect(await page.$eval("h1", (h) => h.textContent)).toBe("Incidenter ia-trasig.csv (CSV (semikolon, UTF-8)): 1 fel.");
    expect(await page.$$eval(".fynd li", (l) => l.map((x) => x.textContent))).toEqual([expect.stringMatching(/^ia-trasig\.csv, rad 2, kolumn 3 \(Förvaltning\): /)]);
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toBe("Inget importerades: rätta felet i ia-trasig.csv och försök igen.");
    expect(await readdir(imports).catch(() => [])).toEqual([]);

    await upload(good, "prova");
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toBe("Inget sparades: det här är vad importen skulle ändra.");
    // Against what Bromma's own tab says now: the preview reads the tabs afresh.
    const lines = await page.$$eval(".fynd li", (l) => l.map((x) => x.textContent));
    expect(lines[0]).toBe("Jämfört med det som står inskrivet i flikarna nu: skulle ändras 15 enheter och indikatorer; 0 värden är lika.");
    // Bromma's example workbook has 31 incidents typed, 3 of them in Äldre; the export has one.
    expect(lines).toContain("Bromma · Incidenter om hot, våld och otillåten påverkan: Ekonomiskt bistånd 6 → 0, Socialpsykiatri 4 → 0, Missbruk 7 → 0, Stöd till funktionsnedsatta 7 → 0, Äldre 3 → 1, Barn och unga 4 → 0, Totalt 31 → 1");
    expect(await axe(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "import-forhandsgranskning.png"), fullPage: true });
    expect(await readdir(imports).catch(() => [])).toEqual([]);
    // The preview offers the same file again, to import it.
    await ((await page.$("#fil-igen"))! as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(good);
    await Promise.all([page.waitForNavigation(), page.click("form[action='/importera'] button[type=submit]")]);
    expect(await page.$eval(".meddelande", (p) => p.textContent)).toMatch(/^Importen är sparad med historiken i .+ och används från nästa körning/);
    const stored = JSON.parse(await readFile(join(imports, "incidenter.json"), "utf8"));
    expect(stored).toMatchObject({ source: "incidenter", by: expect.stringContaining("(sidan)"), file: { name: "ia-export-2025.csv" }, rowsUsed: 2 });
    expect(JSON.stringify(stored)).not.toContain("IA-1");
    // The year's story on the overview tells the import.
    await page.goto(`${base}/`);
    const story = await page.$$eval("section[aria-labelledby='senaste-rubrik'] tbody tr", (rows) => rows.map((r) => r.textContent));
    expect(story.some((r) => r?.includes("Import från Incidenter: ia-export-2025.csv") && r.includes("2 rader räknade"))).toBe(true);
    await page.close();
  });

  it("works by keyboard alone, with visible focus, on a phone's width too", async () => {
    const page = await newPage(390);
    await page.goto(`${base}/`);
    // The first stop is the skip link; the next ones lead to "Kontrollera nu".
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Hoppa till innehållet");
    let label = "";
    for (let i = 0; i < 10 && label !== "Kontrollera nu"; i++) {
      await page.keyboard.press("Tab");
      label = (await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? "";
    }
    expect(label).toBe("Kontrollera nu");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe("solid");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    expect(await page.$eval("#resultat-rubrik", (h) => h.textContent)).toBe("Körningen är klar");
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    expect(scroll).toBe(true);
    await page.close();
  });
});
