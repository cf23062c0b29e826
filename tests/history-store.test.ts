import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { History } from "../functions/history/history.js";
import { GcsHistoryStore } from "../functions/history/gcs-store.js";
import { gcsYearLock } from "../functions/lock/gcs-year-lock.js";
import { STALE_AFTER_MS, YearBusyError } from "../functions/lock/year-lock.js";
import { gcsBucket } from "../functions/shared/gcs-bucket.js";
import { LocalHistoryStore } from "../functions/history/local-store.js";
import { combinedHistory, HistoryConflictError, type HistoryStore, localWorkOf, MemoryHistoryStore, type Snapshot } from "../functions/history/store.js";
import { CloudStorageStandIn } from "./stand-in/cloud-storage.js";
import { hp, ROOT, tempDir } from "./helpers.js";

let runs = 0;
const snapshot = (year: number, createdAt: string, value: number): Snapshot => ({
  year,
  createdAt,
  runId: `korning-${++runs}`,
  catalogueVersion: "abc",
  inputs: [{ file: "x.xlsx", sha256: "0".repeat(64) }],
  records: [{ year, unit: "bromma", indicator: "tp-vfu-platser", breakdown: "T", status: "ok", value, numerator: undefined, denominator: undefined, respondents: undefined }],
});

let storage: CloudStorageStandIn;
beforeAll(async () => {
  storage = await new CloudStorageStandIn().start();
});
afterAll(() => storage.stop());
let buckets = 0;

const adapters: { name: string; make: () => Promise<HistoryStore> }[] = [
  { name: "memory", make: async () => new MemoryHistoryStore() },
  { name: "local folder", make: async () => new LocalHistoryStore(join(await tempDir(), "historik")) },
  {
    name: "Cloud Storage",
    make: async () => {
      storage.objects.clear();
      return new GcsHistoryStore(await gcsBucket(`hp-${buckets++}`, storage.url));
    },
  },
];

/** Writes in place of whatever is in force now, as a run that just read it. */
const replace = async (store: HistoryStore, s: Snapshot) => store.write(s, (await store.current(s.year))?.version);

describe.each(adapters)("the history store contract: $name", ({ make }) => {
  it("keeps one snapshot per year and lists the years", async () => {
    const store = await make();
    expect(await store.years()).toEqual([]);
    await store.write(snapshot(2024, "2025-03-01T10:00:00.000Z", 10), undefined);
    await store.write(snapshot(2023, "2025-03-01T10:00:00.000Z", 9), undefined);
    expect(await store.years()).toEqual([2023, 2024]);
    expect((await store.read(2024))?.records[0]?.value).toBe(10);
    expect(await store.read(2022)).toBeUndefined();
  });

  it("replaces a year's snapshot and keeps the one it replaced", async () => {
    const store = await make();
    await replace(store, snapshot(2025, "2026-02-20T08:00:00.000Z", 10));
    await replace(store, snapshot(2025, "2026-02-21T08:00:00.000Z", 12));
    expect((await store.read(2025))?.records[0]?.value).toBe(12);
    const previous = await store.previous(2025);
    expect(previous.map((s) => s.records[0]?.value)).toEqual([10]);
  });

  it("keeps every replaced version, also of re-runs made with the same fixed date", async () => {
    const store = await make();
    for (const value of [1, 2, 3, 4]) await replace(store, snapshot(2025, "2026-02-20T08:00:00.000Z", value));
    expect((await store.read(2025))?.records[0]?.value).toBe(4);
    expect((await store.previous(2025)).map((s) => s.records[0]?.value)).toEqual([1, 2, 3]);
  });

  it("refuses a write that does not replace the version in force, and changes nothing", async () => {
    const store = await make();
    await store.write(snapshot(2025, "2026-02-20T08:00:00.000Z", 10), undefined);
    const read = (await store.current(2025))!.version;
    await store.write(snapshot(2025, "2026-02-21T08:00:00.000Z", 11), read);
    // A run that read the first version, writing after another run replaced it.
    await expect(store.write(snapshot(2025, "2026-02-22T08:00:00.000Z", 12), read)).rejects.toBeInstanceOf(HistoryConflictError);
    // A run that believed the year empty.
    await expect(store.write(snapshot(2025, "2026-02-22T08:00:00.000Z", 13), undefined)).rejects.toMatchObject({ code: "busy" });
    expect((await store.read(2025))?.records[0]?.value).toBe(11);
    expect((await store.previous(2025)).map((s) => s.records[0]?.value)).toEqual([10]);
  });

  it("lets one of two writers at once win, the one that read the latest, and loses no version", async () => {
    const store = await make();
    await store.write(snapshot(2025, "2026-02-20T08:00:00.000Z", 10), undefined);
    const read = (await store.current(2025))!.version;
    const results = await Promise.allSettled([
      store.write(snapshot(2025, "2026-02-21T08:00:00.000Z", 21), read),
      store.write(snapshot(2025, "2026-02-21T08:00:00.000Z", 22), read),
    ]);
    const won = results.findIndex((r) => r.status === "fulfilled");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results[1 - won] as PromiseRejectedResult).reason).toBeInstanceOf(HistoryConflictError);
    expect((await store.read(2025))?.records[0]?.value).toBe(won === 0 ? 21 : 22);
    expect((await store.previous(2025)).map((s) => s.records[0]?.value)).toEqual([10]);
  });

  it("keeps every version when many writers race, each re-reading after a refusal", async () => {
    const store = await make();
    const writers = [1, 2, 3, 4, 5].map(async (value) => {
      for (;;) {
        try {
          return await replace(store, snapshot(2025, "2026-02-20T08:00:00.000Z", value));
        } catch (error) {
          if (!(error instanceof HistoryConflictError)) throw error;
        }
      }
    });
    await Promise.all(writers);
    const all = [...(await store.previous(2025)), (await store.read(2025))!].map((s) => s.records[0]?.value);
    expect([...all].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("serves history where stored years replace the baseline's", async () => {
    const store = await make();
    await store.write(snapshot(2024, "2025-03-01T10:00:00.000Z", 99), undefined);
    const baseline = new History([snapshot(2024, "x", 1).records[0]!, snapshot(2023, "x", 2).records[0]!]);
    const combined = await combinedHistory(baseline, store);
    expect(combined.get(2024, "bromma", "tp-vfu-platser", "T")?.value).toBe(99);
    expect(combined.get(2023, "bromma", "tp-vfu-platser", "T")?.value).toBe(2);
  });
});

describe("a snapshot from before admission was decided", () => {
  it("gives only the values and local work of units that had handed in or were approved", async () => {
    const store = new MemoryHistoryStore();
    const record = (unit: string, value: number) => ({ year: 2025, unit, indicator: "tp-vfu-platser", breakdown: "T", status: "ok" as const, value });
    const unit = (reporter: string, received: boolean) => ({ reporter, received, approved: false });
    // An older run kept everyone's values: Skarpnäck's draft with errors, Farsta's unready tab.
    await store.write(
      {
        ...snapshot(2025, "2026-02-20T08:00:00.000Z", 8),
        records: [record("bromma", 8), record("skarpnack", 45), record("farsta", 9), record("norrmalm", 6)],
        reporting: { year: 2025, units: [unit("bromma", true), unit("skarpnack", false), unit("farsta", false), unit("norrmalm", false)] },
        approvals: [{ unit: "norrmalm", action: "godkänd", by: "Eva", at: "2026-02-21T08:00:00.000Z" }],
        selfAssessments: [
          { unit: "bromma", focusArea: "fa1", score: 4 },
          { unit: "skarpnack", focusArea: "fa1", score: 9 },
        ],
        activities: [
          { unit: "bromma", focusArea: "fa1", activity: "Handledning", status: "Pågår" },
          { unit: "skarpnack", focusArea: "fa1", activity: "Utkast", status: "Pågår" },
        ],
      } as Snapshot,
      undefined,
    );
    const combined = await combinedHistory(new History([]), store);
    const value = (u: string) => combined.get(2025, u, "tp-vfu-platser", "T")?.value;
    expect([value("bromma"), value("skarpnack"), value("farsta"), value("norrmalm")]).toEqual([8, undefined, undefined, 6]);
    const work = (await localWorkOf(store, 2025))!;
    expect(work.selfAssessments.map((a) => a.unit)).toEqual(["bromma"]);
    expect(work.activities.map((a) => a.activity)).toEqual(["Handledning"]);
  });
});

describe("the year lock in Cloud Storage", () => {
  it("lets one run at a time hold a year, and takes over a stale lock", async () => {
    storage.objects.clear();
    const lock = gcsYearLock(await gcsBucket("hp-lock", storage.url));
    let inner: unknown;
    await lock.withLock(2025, "första", async () => {
      inner = await lock.withLock(2025, "andra", async () => "kom in").catch((e) => e);
      // Another year is free.
      expect(await lock.withLock(2024, "tredje", async () => "2024")).toBe("2024");
    });
    expect(inner).toBeInstanceOf(YearBusyError);
    expect(String((inner as Error).message)).toContain("första");
    expect([...storage.objects.keys()]).toEqual([]);
    // A lock left by a run that died is taken over once it is older than the longest run.
    await lock.withLock(2025, "dog", async () => {
      storage.age("lås/2025", STALE_AFTER_MS + 60_000);
      expect(await lock.withLock(2025, "ny", async () => "tog över")).toBe("tog över");
    });
  });
});

describe("a Cloud Storage write retried after its answer was lost", () => {
  it("takes the year lock whose first attempt went through, instead of reporting the year busy", async () => {
    storage.objects.clear();
    const lock = gcsYearLock(await gcsBucket("hp-lock", storage.url));
    storage.loseAnswers(1);
    expect(await lock.withLock(2025, "nattlig kontroll", async () => "körde")).toBe("körde");
    expect([...storage.objects.keys()]).toEqual([]);
  });

  it("counts the snapshot whose first attempt went through as saved, not as a conflict", async () => {
    storage.objects.clear();
    const store = new GcsHistoryStore(await gcsBucket("hp-retry", storage.url));
    storage.loseAnswers(1);
    await store.write(snapshot(2025, "2026-02-20T08:00:00.000Z", 10), undefined);
    expect((await store.read(2025))?.records[0]?.value).toBe(10);
    // A real conflict is still one: another run wrote the year after this one read it.
    const read = await store.current(2025);
    await store.write(snapshot(2025, "2026-02-21T08:00:00.000Z", 11), read!.version);
    await expect(store.write(snapshot(2025, "2026-02-22T08:00:00.000Z", 12), read!.version)).rejects.toThrow(/har ändrats av en annan körning/);
  });
});

describe("the local history store", () => {
  it("leaves the snapshot in force intact when writing a new one fails half-way", async () => {
    const dir = join(await tempDir(), "historik");
    const store = new LocalHistoryStore(dir);
    await store.write(snapshot(2025, "2026-02-20T08:00:00.000Z", 10), undefined);
    const broken = snapshot(2025, "2026-02-21T08:00:00.000Z", 12);
    // A value JSON cannot write: the write fails after the temporary file was opened.
    (broken.records[0] as { value: unknown }).value = 10n;
    await expect(replace(store, broken)).rejects.toThrow(/Historiken för 2025 kunde inte sparas/);
    expect((await store.read(2025))?.records[0]?.value).toBe(10);
    expect((await readdir(dir)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("refuses a snapshot file that was edited into something invalid", async () => {
    const dir = join(await tempDir(), "historik");
    const store = new LocalHistoryStore(dir);
    await store.write(snapshot(2025, "2026-02-20T08:00:00.000Z", 10), undefined);
    const file = join(dir, "2025.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"catalogueVersion": "abc"', '"catalogueVersion": 5'));
    await expect(store.read(2025)).rejects.toThrow(/2025\.json har fel vid catalogueVersion/);
  });
});

describe("hp import-history", () => {
  it("stores the bundled history year by year", async () => {
    const dir = join(await tempDir(), "historik");
    const run = await hp("import-history", join(ROOT, "sheets", "historik", "historik.csv"), "--history-dir", dir);
    expect(run).toMatchObject({ code: 0 });
    expect(run.out).toMatch(/^5 ?213 värden för 9 år \(2016–2024\) är sparade i /);
    const store = new LocalHistoryStore(dir);
    expect(await store.years()).toEqual([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect((await store.read(2019))?.inputs[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores into Cloud Storage when HP_BUCKET is set, as production reads it", async () => {
    storage.objects.clear();
    const { hpWithEnv } = await import("./helpers.js");
    const run = await hpWithEnv(
      { HP_BUCKET: "hp-prod", HP_STORAGE_API_ENDPOINT: storage.url },
      "import-history",
      join(ROOT, "sheets", "historik", "historik.csv"),
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain("är sparade i gs://hp-prod/historik");
    expect([...storage.objects.keys()].sort().slice(0, 2)).toEqual(["historik/2016.json", "historik/2017.json"]);
  });

  it("reads the same long format from the first tab of an .xlsx", async () => {
    const dir = await tempDir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Historik");
    ws.addRow(["year", "unit", "indicator", "breakdown", "value", "numerator", "denominator", "respondents", "status"]);
    ws.addRow([2019, "alvsjo", "tp-vfu-platser", "T", 4, null, null, null, "ok"]);
    ws.addRow([2019, "bromma", "tp-personalrorlighet", "T", null, 18, 120, null, "ok"]);
    await wb.xlsx.writeFile(join(dir, "historik.xlsx"));
    const store = join(dir, "store");
    const run = await hp("import-history", join(dir, "historik.xlsx"), "--history-dir", store);
    expect(run.code, run.err).toBe(0);
    const records = (await new LocalHistoryStore(store).read(2019))?.records;
    expect(records).toEqual([
      expect.objectContaining({ unit: "alvsjo", value: 4, status: "ok" }),
      expect.objectContaining({ unit: "bromma", numerator: 18, denominator: 120 }),
    ]);
  });

  it("refuses a file with errors and stores nothing", async () => {
    const dir = await tempDir();
    const csv = join(dir, "historik.csv");
    await writeFile(
      csv,
      [
        "year,unit,indicator,breakdown,value,numerator,denominator,respondents,status",
        "2018,bromma,tp-vfu-platser,T,7.5,,,,ok",
        "2018,hagersten-alvsjo,tp-vfu-platser,T,7,,,,ok",
        "2018,bromma,tp-personalrorlighet,K,,30,20,,ok",
        "2018,bromma,tp-chefsprogram,avdelningschef,1,,,,ok",
        "2018,bromma,tp-chefsprogram,enhetschef,1,,,,ok",
        "2018,bromma,tp-chefsprogram,bitradande-enhetschef,1,,,,ok",
        "2018,bromma,tp-chefsprogram,T,4,,,,ok",
      ].join("\n"),
    );
    const store = join(dir, "store");
    const run = await hp("import-history", csv, "--history-dir", store);
    expect(run.code).toBe(1);
    for (const code of ["VALUE_NOT_INTEGER", "UNIT_UNKNOWN", "NUMERATOR_EXCEEDS_DENOMINATOR", "PARTS_NOT_TOTAL"]) expect(run.out).toContain(code);
    expect(run.out).toContain("cell E2");
    expect(run.err).toContain("Inget sparades");
    expect(await new LocalHistoryStore(store).years()).toEqual([]);
  });
});
