/**
 * Printing HTML to PDF with Chromium (puppeteer-core and @sparticuz/chromium). One browser per
 * run serves every PDF; the caller closes it in `finally`. Each page runs with JavaScript off
 * and every request except data: URLs aborted, so nothing in a report can run code or reach
 * the network.
 *
 * Chromium dies with the run: it is driven over a pipe (no debugging port), so it exits when
 * the run's process goes away, even by kill -9; SIGINT, SIGTERM and SIGHUP close it first
 * (puppeteer's handlers). Its profile is a folder of its own under the temporary folder,
 * removed on close; one left by a run that was killed is removed by the next run.
 */
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, PDFOptions } from "puppeteer-core";
import { processAlive } from "../shared/process-alive.js";
import { HpError } from "../shared/errors.js";

export interface PrintOptions {
  headerTemplate: string;
  footerTemplate: string;
}

/** A picture of one element of a page: PNG at twice the resolution, and its size in CSS pixels. */
export interface Screenshot {
  png: Uint8Array;
  width: number;
  height: number;
}

/** Prints HTML to PDF, and takes pictures of a page's elements (charts for the Word file). */
export interface PdfPrinter {
  print(html: string, options: PrintOptions): Promise<Uint8Array>;
  /** A picture of every element marked data-shot, in document order, under the same rules as print. */
  screenshots(html: string): Promise<Screenshot[]>;
  /** Requests the pages tried to make, all of them refused; for tests and the log. */
  readonly blockedRequests: readonly string[];
  close(): Promise<void>;
}

/**
 * Chromium's flags. @sparticuz/chromium's defaults are not used as they are: they include
 * --disable-web-security (a page could read local files and internal URLs) and
 * --single-process (memory grows by about 170 MB with every PDF, even after the page closes).
 */
export const CHROMIUM_FLAGS = [
  // Cloud Functions and CI run as root in a container without the user namespaces Chromium's
  // own sandbox needs; the page is contained by JavaScript being off and requests blocked.
  "--no-sandbox",
  // Printing needs no GPU, and there is none.
  "--disable-gpu",
  // /dev/shm is small in containers; shared memory goes to /tmp instead.
  "--disable-dev-shm-usage",
  // The same glyph metrics on every machine, so pages break in the same places.
  "--font-render-hinting=none",
  // No calls home at start: updates, metrics, field trials. Nothing but the page is loaded.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-domain-reliability",
  "--no-first-run",
  // Renderers as the browser's own children, not a zygote's: they are waited for when the
  // browser ends, so the CPU they used is counted with the run's (the bench reads it), and
  // none is left behind.
  "--no-zygote",
];

/** page.pdf's options for every report: A4 unless the CSS says otherwise, tagged, with an outline. */
export const PDF_OPTIONS = {
  format: "A4",
  printBackground: true,
  preferCSSPageSize: true,
  tagged: true,
  outline: true,
  displayHeaderFooter: true,
  timeout: 120_000,
} as const satisfies PDFOptions;

export interface ChromiumOptions {
  /** A Chromium to use instead of @sparticuz/chromium's (HP_CHROMIUM_PATH). */
  executablePath?: string | undefined;
}

export async function launchChromium(options: ChromiumOptions = {}): Promise<PdfPrinter> {
  const { default: puppeteer } = await import("puppeteer-core");
  let executablePath = options.executablePath;
  if (!executablePath) {
    const { default: chromium } = await import("@sparticuz/chromium");
    executablePath = await chromium.executablePath();
  }
  const profile = await newProfile();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: "shell",
      args: CHROMIUM_FLAGS,
      pipe: true,
      userDataDir: profile,
      handleSIGINT: true,
      handleSIGTERM: true,
      handleSIGHUP: true,
      timeout: 60_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new HpError("io", `Chromium kunde inte startas (${executablePath}): ${(error as Error).message}`);
  }
  const blockedRequests: string[] = [];
  /** A page with JavaScript off and every request but data: URLs refused. */
  const safePage = async (): Promise<Page> => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      if (request.url().startsWith("data:")) void request.continue();
      else {
        blockedRequests.push(request.url());
        void request.abort("blockedbyclient");
      }
    });
    // Pictures at twice the pixels, so charts stay sharp in Word; printing ignores the viewport.
    await page.setViewport({ width: 1024, height: 768, deviceScaleFactor: 2 });
    return page;
  };
  // One page for every print, in turn (a run prints one thing at a time): Chromium keeps the
  // fonts it has decoded, instead of a new page taking them up again for each of 16 PDFs.
  // A page that failed is closed and the next print gets a new one.
  let reused: Promise<Page> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** The safe page holding the HTML, one use at a time. */
  const onSafePage = <T>(html: string, failed: string, use: (page: Page) => Promise<T>): Promise<T> => {
    const turn = queue.then(async () => {
      reused ??= safePage();
      try {
        const page = await reused;
        await page.setContent(html, { waitUntil: "load", timeout: 60_000 });
        return await use(page);
      } catch (error) {
        const broken = reused;
        reused = undefined;
        await broken?.then((p) => p.close()).catch(() => undefined);
        throw new HpError("io", `${failed}: ${(error as Error).message}`);
      }
    });
    queue = turn.catch(() => undefined);
    return turn;
  };
  return {
    blockedRequests,
    async print(html, { headerTemplate, footerTemplate }) {
      return onSafePage(html, "PDF:en kunde inte skrivas ut", (page) => page.pdf({ ...PDF_OPTIONS, headerTemplate, footerTemplate }));
    },
    async screenshots(html) {
      return onSafePage(html, "Diagrammen kunde inte avbildas", async (page) => {
        const shots: Screenshot[] = [];
        const viewport = page.viewport();
        for (const element of await page.$$("[data-shot]")) {
          const box = await element.boundingBox();
          if (!box) continue;
          // A chart that fits the window is taken from the window as it is (the element is
          // scrolled into it); only a taller one needs the whole page laid out anew, which costs
          // Chromium about as much as the picture itself.
          const fits = viewport !== null && box.width <= viewport.width && box.height <= viewport.height;
          shots.push({ png: await element.screenshot({ type: "png", captureBeyondViewport: !fits }), width: box.width, height: box.height });
        }
        return shots;
      });
    },
    async close() {
      try {
        await browser.close();
      } catch {
        browser.process()?.kill("SIGKILL");
      } finally {
        await rm(profile, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  };
}

/** The profiles folder: one per run, named by the run's process, so a dead run's can be told. */
const PROFILES = join(tmpdir(), "hp-chromium");

async function newProfile(): Promise<string> {
  await mkdir(PROFILES, { recursive: true });
  for (const name of await readdir(PROFILES).catch(() => [] as string[])) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await rm(join(PROFILES, name), { recursive: true, force: true }).catch(() => undefined);
  }
  return mkdtemp(join(PROFILES, `${process.pid}-`));
}
