/**
 * One contract per port, run against every adapter: the submission source (folder, memory,
 * Google Sheets), the report sink (folder, memory, Drive) and the year lock (memory, file,
 * Cloud Storage). The history store's contract is in history-store.test.ts. The Google and
 * Cloud Storage adapters run through the real clients against the local stand-ins.
 */
import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GoogleClients } from "../functions/google/clients.js";
import { createYearSpreadsheet } from "../functions/google/create-spreadsheet.js";
import { DriveSink } from "../functions/google/drive-sink.js";
import { GoogleSheetsSource } from "../functions/google/sheets-source.js";
import { GcsRunLog, LocalRunLog, MemoryRunLog, type RunLog, type RunRecord } from "../functions/history/run-log.js";
import { GcsReminderLog, LocalReminderLog, MemoryReminderLog, type ReminderLog, type ReminderRecord, remindedOn } from "../functions/reminders/reminder-log.js";
import { MemoryHistoryStore } from "../functions/history/store.js";
import { GcsYearRegister, LocalYearRegister, MemoryYearRegister, type RegisteredYear, type YearRegister } from "../functions/history/year-register.js";
import { localYearLock } from "../functions/lock/file-year-lock.js";
import { gcsYearLock } from "../functions/lock/gcs-year-lock.js";
import { memoryYearLock, STALE_AFTER_MS, type YearLock, YearBusyError } from "../functions/lock/year-lock.js";
import { FolderSink } from "../functions/output/folder-sink.js";
import { MemorySink, type ReportSink } from "../functions/output/report-sink.js";
import { runYear } from "../functions/pipeline/run-year.js";
import type { Bucket } from "@google-cloud/storage";
import { gcsBucket } from "../functions/shared/gcs-bucket.js";
import { readSubmission } from "../functions/submission/read-submission.js";
import { MemorySource, type SubmissionSource, XlsxFileSource } from "../functions/submission/source.js";
import { writeTemplateXlsx } from "../functions/template/write-template-xlsx.js";
import { context, EXAMPLES, tempDir } from "./helpers.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";
import { GoogleApiStandIn, SERVICE_ACCOUNT, standInClients } from "./stand-in/google-api.js";
import { MemoryPrinter } from "../functions/render/memory-printer.js";
import { GcsImportStore, type ImportSet, type ImportStore, LocalImportStore, MemoryImportStore } from "../functions/imports/import-store.js";

const { yc, definition, history } = await context();
const NOW = new Date("2026-02-20T08:00:00Z");
let google: GoogleApiStandIn;
let storage: CloudStorageStandIn;
let clients: GoogleClients;
let buckets = 0;

beforeAll(async () => {
  google = await new GoogleApiStandIn().start();
  storage = await new CloudStorageStandIn().start();
  clients = await standInClients(google, { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 30_000 });
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
      const input = { yc, definition, history, editors: {}, projectLeaders: ["projektledare@stad.example"], serviceAccount: SERVICE_ACCOUNT };
      const { id } = await createYearSpreadsheet(clients, input, google.sharedFolder());
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

/** Each sink, and how to read back what a published file holds there (undefined: not there). */
const sinks: {
  name: string;
  make: () => Promise<{ sink: ReportSink; read: (name: string) => Promise<string | undefined> }>;
  keepsInternal: boolean;
  dropsLeftOut: boolean;
}[] = [
  {
    name: "folder",
    keepsInternal: true,
    dropsLeftOut: true,
    make: async () => {
      const dir = await tempDir();
      return { sink: new FolderSink(dir), read: (name) => readFile(join(dir, "2025", name), "utf8").catch(() => undefined) };
    },
  },
  {
    name: "memory",
    keepsInternal: true,
    dropsLeftOut: true,
    make: async () => {
      const sink = new MemorySink();
      return { sink, read: async (name) => (sink.files.has(name) ? new TextDecoder().decode(sink.files.get(name)!.data) : undefined) };
    },
  },
  {
    name: "Drive",
    keepsInternal: false,
    dropsLeftOut: true,
    make: async () => {
      const folder = google.sharedFolder(`mapp-${buckets++}`);
      const read = async (name: string) => {
        const file = [...google.files.values()].find((f) => f.parents.includes(folder) && f.name === name.split("/").at(-1) && !f.trashed);
        return file?.content.toString("utf8");
      };
      return { sink: new DriveSink(clients, folder, ["sekreterare@stad.example"]), read };
    },
  },
];

describe.each(sinks)("the report sink contract: $name", ({ make, keepsInternal }) => {
  it("shows nothing of a set before it is committed, then all of it, with links", async () => {
    const { sink, read } = await make();
    const set = await sink.begin("2025", "korning-1");
    await set.write("uppfoljning-2025.pdf", "rapport", { published: true });
    await set.write("enheter/2025-bromma.pdf", "bromma", { published: true });
    expect(await read("uppfoljning-2025.pdf")).toBeUndefined();
    const files = await set.commit();
    expect(files.map((f) => f.name).sort()).toEqual(["enheter/2025-bromma.pdf", "uppfoljning-2025.pdf"]);
    for (const f of files) expect(f).toMatchObject({ published: true, link: expect.stringMatching(/^(file|memory|https):/) });
    expect(await read("uppfoljning-2025.pdf")).toBe("rapport");
    expect(await read("enheter/2025-bromma.pdf")).toBe("bromma");
  });

  it("replaces the current set as a whole: a file the new set lacks is not left with old figures", async () => {
    const { sink, read } = await make();
    const first = await sink.begin("2025", "korning-1");
    await first.write("uppfoljning-2025.pdf", "gammal", { published: true });
    await first.write("enheter/2025-farsta.pdf", "gammal farsta", { published: true });
    const [before] = await first.commit();
    const second = await sink.begin("2025", "korning-2");
    await second.write("uppfoljning-2025.pdf", "ny", { published: true });
    const [after] = await second.commit();
    expect(after!.location).toBe(before!.location);
    expect(await read("uppfoljning-2025.pdf")).toBe("ny");
    expect(await read("enheter/2025-farsta.pdf")).toBeUndefined();
  });

  it("leaves the current set as it was when a set is discarded", async () => {
    const { sink, read } = await make();
    const first = await sink.begin("2025", "korning-1");
    await first.write("uppfoljning-2025.pdf", "gällande", { published: true });
    await first.commit();
    const second = await sink.begin("2025", "korning-2");
    await second.write("uppfoljning-2025.pdf", "halvfärdig", { published: true });
    await second.discard();
    expect(await read("uppfoljning-2025.pdf")).toBe("gällande");
  });

  it(keepsInternal ? "keeps the project leader's files, unpublished" : "leaves the project leader's files out", async () => {
    const { sink, read } = await make();
    const set = await sink.begin("2025", "korning-1");
    await set.write("findings.json", "{}", { published: false });
    const files = await set.commit();
    if (keepsInternal) {
      expect(files).toEqual([expect.objectContaining({ name: "findings.json", published: false })]);
      expect(await read("findings.json")).toBe("{}");
    } else {
      expect(files).toEqual([]);
      expect(await read("findings.json")).toBeUndefined();
    }
  });

  it("refuses a name that leaves the run's set", async () => {
    const { sink } = await make();
    const set = await sink.begin("2025", "korning-1");
    for (const name of ["../utanfor.pdf", "/etc/passwd", "enheter/../../x.pdf", ".dold", "", "a\\..\\b.pdf"]) {
      await expect(set.write(name, "x", { published: true }), name).rejects.toThrow(/Ogiltigt filnamn/);
    }
    await set.discard();
  });
});

/** A port's three adapters that keep their data in memory, in the history folder, or in a fresh bucket. */
function storedAdapters<T>(memory: () => T, local: (historyDir: string) => T, gcs: (bucket: Bucket) => T): { name: string; make: () => Promise<T> }[] {
  return [
    { name: "memory", make: async () => memory() },
    { name: "local folder", make: async () => local(join(await tempDir(), "historik")) },
    { name: "Cloud Storage", make: async () => gcs(await gcsBucket(`hp-port-${buckets++}`, storage.url)) },
  ];
}

const yearRegisters = storedAdapters<YearRegister>(
  () => new MemoryYearRegister(),
  (dir) => new LocalYearRegister(dir),
  (bucket) => new GcsYearRegister(bucket),
);

describe.each(yearRegisters)("the register of opened years contract: $name", ({ make }) => {
  const entry = (year: number, spreadsheetId: string): RegisteredYear => ({ year, openedAt: "2026-11-02T09:00:00.000Z", openedBy: "Eva", catalogueVersion: "abc123", spreadsheetId });

  it("records a year once, lists years in order, and replaces only when asked", async () => {
    const register = await make();
    expect(await register.list()).toEqual([]);
    expect(await register.get(2026)).toBeUndefined();
    await register.record(entry(2026, "ark-2026"), false);
    await register.record(entry(2025, "ark-2025"), false);
    expect((await register.list()).map((e) => e.year)).toEqual([2025, 2026]);
    await expect(register.record(entry(2026, "ett-annat"), false)).rejects.toThrow("2026 är redan öppnat");
    expect((await register.get(2026))?.spreadsheetId).toBe("ark-2026");
    await register.record(entry(2026, "nytt-ark"), true);
    expect((await register.get(2026))?.spreadsheetId).toBe("nytt-ark");
    expect(register.location).toBeTruthy();
  });
});

const logs = storedAdapters<RunLog>(
  () => new MemoryRunLog(),
  (dir) => new LocalRunLog(dir),
  (bucket) => new GcsRunLog(bucket),
);

describe.each(logs)("the run log contract: $name", ({ make }) => {
  const record = (id: string, startedAt: string): RunRecord => ({
    id,
    year: 2025,
    steps: ["validate"],
    by: "Eva",
    startedAt,
    endedAt: startedAt,
    ok: true,
    result: "15 av 16 har lämnat in; 7 fel, 6 varningar.",
  });

  it("gives the latest runs, newest first, and writes each run once (a retry of the same record is no second one)", async () => {
    const log = await make();
    expect(await log.latest(5)).toEqual([]);
    await log.add(record("b", "2026-02-10T08:00:00.000Z"));
    await log.add(record("a", "2026-02-09T08:00:00.000Z"));
    await log.add(record("c", "2026-02-11T08:00:00.000Z"));
    expect((await log.latest(2)).map((r) => r.id)).toEqual(["c", "b"]);
    expect((await log.latest(10)).map((r) => r.id)).toEqual(["c", "b", "a"]);
    await log.add(record("c", "2026-02-11T08:00:00.000Z"));
    expect(await log.latest(10)).toHaveLength(3);
    await expect(log.add({ ...record("c", "2026-02-11T08:00:00.000Z"), ok: false })).rejects.toThrow();
    expect((await log.latest(1))[0]!.ok).toBe(true);
  });
});

const reminderLogs = storedAdapters<ReminderLog>(
  () => new MemoryReminderLog(),
  (dir) => new LocalReminderLog(dir),
  (bucket) => new GcsReminderLog(bucket),
);

describe.each(reminderLogs)("the reminder log contract: $name", ({ make }) => {
  const record = (id: string, unit: string, at: string, ok = true): ReminderRecord => ({
    id,
    year: 2025,
    unit,
    occasion: "före",
    by: "Eva",
    at,
    to: ok ? [`${unit}@stad.example`] : [],
    refused: ok ? [] : [{ email: "fel.stad.example", reason: "inte en e-postadress" }],
    ok,
    result: ok ? "Skickad (<1@stad.example>)." : "Inte skickad: ingen giltig adress.",
  });

  it("keeps each year's reminders apart, newest first, each written once; who was reminded on a Stockholm day", async () => {
    const log = await make();
    expect(await log.ofYear(2025)).toEqual([]);
    await log.add(record("a", "bromma", "2026-02-09T07:00:00.000Z"));
    await log.add(record("b", "skarpnack", "2026-02-10T07:00:00.000Z"));
    await log.add(record("c", "farsta", "2026-02-10T08:00:00.000Z", false));
    await log.add({ ...record("d", "bromma", "2026-02-10T07:00:00.000Z"), year: 2026 });
    expect((await log.ofYear(2025)).map((r) => r.id)).toEqual(["c", "b", "a"]);
    expect((await log.ofYear(2026)).map((r) => r.id)).toEqual(["d"]);
    await log.add(record("b", "skarpnack", "2026-02-10T07:00:00.000Z"));
    expect(await log.ofYear(2025)).toHaveLength(3);
    await expect(log.add({ ...record("b", "skarpnack", "2026-02-10T07:00:00.000Z"), ok: false })).rejects.toThrow();
    // 23:30 UTC on the 9th is the 10th in Stockholm; a refused attempt is no reminder.
    const reminded = remindedOn(await log.ofYear(2025), new Date("2026-02-09T23:30:00.000Z"));
    expect([...reminded]).toEqual(["skarpnack"]);
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
    expect(refused).toMatchObject({ code: "busy", year: 2025, holder: { owner: "projektledarens körning" } });
    // Who holds it, since when (Swedish time), and when an abandoned lock is taken over.
    expect((refused as Error).message).toMatch(
      /^En körning för 2025 pågår redan: projektledarens körning \(.+\) sedan \d{1,2} \p{L}+ \d{4} kl\. \d{2}:\d{2}\. Försök igen när den är klar\. Ett lås från en körning som avbröts tas över efter 15 minuter\.$/u,
    );
  });

  it("is free again after the work, also when the work failed", async () => {
    const { lock } = await make();
    await expect(lock.withLock(2025, "första", async () => Promise.reject(new Error("trasig")))).rejects.toThrow("trasig");
    expect(await lock.withLock(2025, "andra", async () => "fri")).toBe("fri");
  });

  it("takes over a lock left by a run that died, and says so", async () => {
    const { lock, age } = await make();
    const notices: string[] = [];
    await lock.withLock(2025, "dog", async () => {
      await age(2025);
      expect(await lock.withLock(2025, "ny", async () => "tog över", { notice: (n) => notices.push(n) })).toBe("tog över");
    });
    expect(notices).toEqual([expect.stringMatching(/^Låset för 2025 från dog \(.+\) sedan .+ var övergivet \(.+\) och har tagits över\.$/)]);
  });

  it("never lets two of many runs starting at once hold the year together", async () => {
    const { lock } = await make();
    let inside = 0;
    let most = 0;
    // However the machine schedules them: a run that comes after another has finished may hold
    // the year too, but never while another holds it, and a refused run is refused as busy.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        lock.withLock(2025, `körning ${i}`, async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setImmediate(resolve));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(YearBusyError);
  });
});

describe("the year lock file", () => {
  it("is taken over at once when the process holding it on this machine is gone", async () => {
    const dir = join(await tempDir(), "historik");
    await mkdir(dir, { recursive: true });
    // A pid far above any pid_max: no such process.
    const dead = { owner: "hp run av anna", host: hostname(), pid: 2 ** 30, since: new Date().toISOString(), token: "x" };
    await writeFile(join(dir, ".lock-2025"), JSON.stringify(dead));
    const notices: string[] = [];
    expect(await localYearLock(dir).withLock(2025, "ny", async () => "tog över", { notice: (n) => notices.push(n) })).toBe("tog över");
    expect(notices).toEqual([expect.stringContaining("processen finns inte längre")]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("is not taken over while the process holding it lives, however old", async () => {
    const dir = join(await tempDir(), "historik");
    await mkdir(dir, { recursive: true });
    const alive = { owner: "hp run av anna", host: hostname(), pid: process.pid, since: new Date().toISOString(), token: "x" };
    await writeFile(join(dir, ".lock-2025"), JSON.stringify(alive));
    await expect(localYearLock(dir).withLock(2025, "ny", async () => "kom in")).rejects.toBeInstanceOf(YearBusyError);
    // The holder is refreshed every minute; one that stopped refreshing for 15 minutes is abandoned.
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    await utimes(join(dir, ".lock-2025"), old, old);
    expect(await localYearLock(dir).withLock(2025, "ny", async () => "tog över")).toBe("tog över");
  });
});

describe("the whole run through memory adapters and a fake printer", () => {
  it("writes every file through the sink, publishes the reports only, stores the year and closes the printer", async () => {
    const sink = new MemorySink();
    const store = new MemoryHistoryStore();
    const printer = new MemoryPrinter();
    const dir = EXAMPLES;
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
      ["aggregates.json", "findings.json", "oppna-data-2025.csv", "oppna-data-2025.json", "uppfoljning-2025.docx", "uppfoljning-2025.pdf", "uppfoljning-2025.xlsx", ...yc.units.map((u) => `enheter/2025-${u.id}.pdf`)].sort(),
    );
    expect([...sink.files].filter(([, f]) => !f.published).map(([n]) => n).sort()).toEqual(["aggregates.json", "findings.json"]);
    expect(printer.printed).toHaveLength(1 + yc.units.length);
    expect(printer.closed).toBe(true);
    expect((await store.read(2025))?.records.length).toBeGreaterThan(100);
  });
});

const importStores = storedAdapters<ImportStore>(
  () => new MemoryImportStore(),
  (dir) => new LocalImportStore(dir),
  (bucket) => new GcsImportStore(bucket),
);

describe.each(importStores)("the import store contract: $name", ({ make }) => {
  const set = (source: ImportSet["source"], year: number, value: number, at: string): ImportSet => ({
    source,
    year,
    importedAt: at,
    by: "Eva",
    runId: `run-${value}`,
    file: { name: `${source}.csv`, size: 120, sha256: "a".repeat(64), format: "CSV (semikolon, UTF-8)" },
    rowsRead: 3,
    rowsUsed: 3,
    values: [{ unit: "bromma", indicator: "fa3-ledarutvecklingsprogram", breakdown: "T", status: "ok", value, rows: "2–4" }],
  });

  it("keeps one set per source and year, in the sources' order, each new import replacing the source's set whole", async () => {
    const store = await make();
    expect(await store.ofYear(2025)).toEqual([]);
    await store.write(set("ledarprogram", 2025, 3, "2026-02-01T08:00:00.000Z"));
    await store.write(set("enkat", 2025, 70, "2026-02-02T08:00:00.000Z"));
    await store.write(set("ledarprogram", 2026, 9, "2026-02-03T08:00:00.000Z"));
    expect((await store.ofYear(2025)).map((s) => s.source)).toEqual(["enkat", "ledarprogram"]);
    await store.write(set("ledarprogram", 2025, 4, "2026-02-04T08:00:00.000Z"));
    const again = await store.ofYear(2025);
    expect(again.find((s) => s.source === "ledarprogram")!.values).toEqual([expect.objectContaining({ value: 4 })]);
    expect((await store.ofYear(2026))[0]!.values[0]!.value).toBe(9);
    await expect(store.write({ ...set("enkat", 2025, 1, "2026-02-05T08:00:00.000Z"), file: { name: "x", size: 1, sha256: "nej", format: "" } })).rejects.toThrow();
    expect((await store.ofYear(2025)).find((s) => s.source === "enkat")!.values[0]!.value).toBe(70);
  });
});
