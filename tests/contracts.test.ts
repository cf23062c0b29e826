/**
 * One contract per port, run against every adapter: the submission source (folder, memory,
 * Google Sheets), the report sink (folder, memory, Drive) and the year lock (memory, file,
 * Cloud Storage). The history store's contract is in history-store.test.ts. The Google and
 * Cloud Storage adapters run through the real clients against the local stand-ins.
 */
import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoogleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { DriveSink } from "../functions/google/drive-delivery.js";
import { GoogleSheetsSource } from "../functions/google/sheets-source.js";
import { MemoryHistoryStore } from "../functions/history/store.js";
import { localYearLock } from "../functions/lock/file-year-lock.js";
import { gcsYearLock } from "../functions/lock/gcs-year-lock.js";
import { memoryYearLock, STALE_AFTER_MS, type YearLock, YearBusyError } from "../functions/lock/year-lock.js";
import { FolderSink, MemorySink, type ReportSink } from "../functions/output/report-sink.js";
import { runYear } from "../functions/pipeline/run-year.js";
import { gcsBucket } from "../functions/shared/gcs-bucket.js";
import { readSubmission } from "../functions/submission/read-submission.js";
import { MemorySource, type SubmissionSource, XlsxFileSource } from "../functions/submission/source.js";
import { writeTemplateXlsx } from "../functions/template/write-template-xlsx.js";
import { context, EXAMPLES, tempDir } from "./helpers.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";
import { GoogleApiStandIn, standInClients } from "./stand-in/google-api.js";
import { FakePrinter } from "./support/fake-printer.js";

const { yc, definition, history } = await context();
const NOW = new Date("2026-02-20T08:00:00Z");
let google: GoogleApiStandIn;
let storage: CloudStorageStandIn;
let clients: GoogleClients;
let buckets = 0;

beforeAll(async () => {
  google = await new GoogleApiStandIn().start();
  storage = await new CloudStorageStandIn().start();
  clients = await standInClients(google, { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 });
});
afterAll(async () => {
  await google.stop();
  await storage.stop();
});

/** Each source holds one clean template for every unit, and can be given one that cannot be read. */
const sources: { name: string; make: () => Promise<SubmissionSource>; broken: () => Promise<SubmissionSource> }[] = [
  {
    name: "folder of .xlsx",
    make: async () => {
      const dir = await tempDir();
      await writeFile(join(dir, "mall.xlsx"), await writeTemplateXlsx({ yc, definition, history, now: NOW }));
      return new XlsxFileSource([dir]);
    },
    broken: async () => new XlsxFileSource([join(await tempDir(), "finns-inte.xlsx")]),
  },
  {
    name: "memory",
    make: async () => new MemorySource([{ file: "mall.xlsx", bytes: await writeTemplateXlsx({ yc, definition, history, now: NOW }) }]),
    broken: async () => new MemorySource([{ file: "mall.xlsx", bytes: new TextEncoder().encode("inte en arbetsbok") }]),
  },
  {
    name: "Google Sheets",
    make: async () => {
      const { id } = await createYearSpreadsheet(clients, { yc, definition, history, editors: {}, projectLeaders: ["projektledare@stad.example"] });
      return new GoogleSheetsSource(clients, id, definition.sheets.status);
    },
    broken: async () => new GoogleSheetsSource(clients, "finns-inte", definition.sheets.status),
  },
];

describe.each(sources)("the submission source contract: $name", ({ make, broken }) => {
  it("gives each workbook as a grid with a content hash, which reads as the template", async () => {
    const source = await make();
    expect(source.describe().length).toBeGreaterThan(0);
    const loaded = await source.load();
    expect(loaded).toHaveLength(1);
    const [workbook] = loaded;
    if (!workbook || !("grid" in workbook)) throw new Error("not read");
    expect(workbook.sha256).toMatch(/^[0-9a-f]{64}$/);
    const reading = readSubmission(workbook.grid, yc, definition);
    expect(reading.findings).toEqual([]);
    expect(reading.tabs.map((t) => t.reporter)).toEqual([...yc.units.map((u) => u.id), "central"]);
  });

  it("answers a workbook it cannot read with a finding, not an exception", async () => {
    const loaded = await (await broken()).load();
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatchObject({ problem: { severity: "error", code: expect.stringMatching(/^FILE_/) } });
  });
});

/** Each sink, and how to read back what a published file holds there. */
const sinks: { name: string; make: () => Promise<{ sink: ReportSink; read: (name: string, location: string) => Promise<string> }>; keepsInternal: boolean }[] = [
  {
    name: "folder",
    keepsInternal: true,
    make: async () => ({ sink: new FolderSink(await tempDir()), read: async (_, location) => readFile(location, "utf8") }),
  },
  {
    name: "memory",
    keepsInternal: true,
    make: async () => {
      const sink = new MemorySink();
      return { sink, read: async (name) => new TextDecoder().decode(sink.files.get(name)!.data) };
    },
  },
  {
    name: "Drive",
    keepsInternal: false,
    make: async () => ({
      sink: new DriveSink(clients, `mapp-${buckets++}`, ["sekreterare@stad.example"]),
      read: async (_, location) => google.files.get(location)!.content.toString("utf8"),
    }),
  },
];

describe.each(sinks)("the report sink contract: $name", ({ make, keepsInternal }) => {
  it("stores a published file under its name, with a link, and a second write replaces it", async () => {
    const { sink, read } = await make();
    const first = await sink.write("enheter/2025-bromma.pdf", "första", { published: true });
    expect(first).toMatchObject({ name: "enheter/2025-bromma.pdf", published: true, link: expect.stringMatching(/^(file|memory|https):/) });
    const second = await sink.write("enheter/2025-bromma.pdf", "andra", { published: true });
    expect(second!.location).toBe(first!.location);
    expect(await read(second!.name, second!.location)).toBe("andra");
  });

  it(keepsInternal ? "keeps the project leader's files, unpublished" : "leaves the project leader's files out", async () => {
    const { sink } = await make();
    const file = await sink.write("findings.json", "{}", { published: false });
    if (keepsInternal) expect(file).toMatchObject({ published: false });
    else expect(file).toBeUndefined();
  });

  it("refuses a name that leaves the run's set", async () => {
    const { sink } = await make();
    for (const name of ["../utanfor.pdf", "/etc/passwd", "enheter/../../x.pdf", ".dold", ""]) {
      await expect(sink.write(name, "x", { published: true }), name).rejects.toThrow(/Ogiltigt filnamn/);
    }
  });
});

/** Each lock, and how to make its current holder look older than the longest run. */
const locks: { name: string; make: () => Promise<{ lock: YearLock; age: (year: number) => Promise<void> }> }[] = [
  {
    name: "memory",
    make: async () => {
      let now = Date.now();
      const age = async () => {
        now += STALE_AFTER_MS + 60_000;
      };
      return { lock: memoryYearLock(() => now), age };
    },
  },
  {
    name: "file",
    make: async () => {
      const dir = join(await tempDir(), "historik");
      await mkdir(dir, { recursive: true });
      const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
      return { lock: localYearLock(dir), age: (year) => utimes(join(dir, `.lock-${year}`), old, old) };
    },
  },
  {
    name: "Cloud Storage",
    make: async () => {
      storage.objects.clear();
      return { lock: gcsYearLock(await gcsBucket(`hp-las-${buckets++}`, storage.url)), age: async (year) => storage.age(`lås/${year}`, STALE_AFTER_MS + 60_000) };
    },
  },
];

describe.each(locks)("the year lock contract: $name", ({ make }) => {
  it("lets one run hold a year, refuses a second naming the holder, and leaves other years free", async () => {
    const { lock } = await make();
    let refused: unknown;
    const result = await lock.withLock(2025, "projektledarens körning", async () => {
      refused = await lock.withLock(2025, "nattlig kontroll", async () => "kom in").catch((e) => e);
      expect(await lock.withLock(2024, "annat år", async () => "2024")).toBe("2024");
      return "klar";
    });
    expect(result).toBe("klar");
    expect(refused).toBeInstanceOf(YearBusyError);
    expect(refused).toMatchObject({ code: "busy", year: 2025 });
    expect((refused as Error).message).toContain("projektledarens körning");
  });

  it("is free again after the work, also when the work failed", async () => {
    const { lock } = await make();
    await expect(lock.withLock(2025, "första", async () => Promise.reject(new Error("trasig")))).rejects.toThrow("trasig");
    expect(await lock.withLock(2025, "andra", async () => "fri")).toBe("fri");
  });

  it("takes over a lock left by a run that died", async () => {
    const { lock, age } = await make();
    await lock.withLock(2025, "dog", async () => {
      await age(2025);
      expect(await lock.withLock(2025, "ny", async () => "tog över")).toBe("tog över");
    });
  });
});

describe("the whole run through memory adapters and a fake printer", () => {
  it("writes every file through the sink, publishes the reports only, stores the year and closes the printer", async () => {
    const sink = new MemorySink();
    const store = new MemoryHistoryStore();
    const printer = new FakePrinter();
    const dir = EXAMPLES;
    const { readdir } = await import("node:fs/promises");
    const workbooks = await Promise.all(
      (await readdir(dir)).filter((n) => n.endsWith(".xlsx")).map(async (n) => ({ file: n, bytes: await readFile(join(dir, n)) })),
    );
    const result = await runYear({
      yc,
      definition,
      history,
      source: new MemorySource(workbooks),
      store,
      sink,
      maxChange: 0.5,
      now: NOW,
      launchPrinter: async () => printer,
      progress: () => undefined,
    });
    expect(result.failures).toEqual([]);
    expect([...sink.files.keys()].sort()).toEqual(
      ["aggregates.json", "findings.json", "uppfoljning-2025.pdf", "uppfoljning-2025.xlsx", ...yc.units.map((u) => `enheter/2025-${u.id}.pdf`)].sort(),
    );
    expect([...sink.files].filter(([, f]) => !f.published).map(([n]) => n).sort()).toEqual(["aggregates.json", "findings.json"]);
    expect(printer.printed).toHaveLength(1 + yc.units.length);
    expect(printer.closed).toBe(true);
    expect((await store.read(2025))?.records.length).toBeGreaterThan(100);
  });
});
