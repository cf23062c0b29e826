/**
 * The history store: one snapshot per validated year, never edited afterwards. A snapshot
 * records the run that made it, its inputs with content hashes, the catalogue version and
 * when it was made.
 *
 * No version is ever lost. A write names the version it replaces – the one the run read –
 * and is refused if another write came first (compare-and-swap); the replaced version is kept
 * under a name of its own (its run id), never overwritten. Adapters: a local folder (the
 * embedded default, local-store.ts), Cloud Storage (gcs-store.ts) and memory (tests).
 */
import type { LocalWork, ReportingRate } from "../model/records.js";
import { HpError } from "../shared/errors.js";
import { z } from "../shared/zod.js";
import { History, type HistoryRecord, HistoryRecordSchema } from "./history.js";

const RecordSchema = z.object({
  year: z.int(),
  unit: z.string(),
  indicator: z.string(),
  breakdown: z.string(),
  value: z.union([z.number(), z.string()]).optional(),
  numerator: z.number().optional(),
  denominator: z.number().optional(),
  respondents: z.number().optional(),
  status: HistoryRecordSchema.shape.status,
  unconfirmed: z.boolean().optional(),
});

export const ApprovalEventSchema = z.object({
  unit: z.string().min(1),
  action: z.enum(["godkänd", "öppnad igen"]),
  by: z.string().min(1),
  at: z.iso.datetime(),
  reason: z.string().optional(),
});
export type ApprovalEvent = z.infer<typeof ApprovalEventSchema>;

/** The units (and "central") whose last event is an approval. */
export function approvedUnits(events: readonly ApprovalEvent[] | undefined): Set<string> {
  const approved = new Set<string>();
  for (const e of events ?? []) {
    if (e.action === "godkänd") approved.add(e.unit);
    else approved.delete(e.unit);
  }
  return approved;
}

export const SnapshotSchema = z.object({
  year: z.int(),
  createdAt: z.iso.datetime(),
  /** The run that made it; snapshots from before run ids have none. */
  runId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
  catalogueVersion: z.string(),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  records: z.array(RecordSchema),
  reporting: z.unknown().optional(),
  selfAssessments: z.array(z.object({ unit: z.string(), focusArea: z.string(), score: z.int().nullable(), comment: z.string().optional() })).optional(),
  activities: z
    .array(
      z.object({
        unit: z.string(),
        focusArea: z.string(),
        activity: z.string(),
        followUp: z.string().nullable(),
        status: z.string().nullable(),
      }),
    )
    .optional(),
  /**
   * The project leader's approvals and reopenings, oldest first, carried from snapshot to
   * snapshot. A unit whose last event is an approval is approved: its values are those of the
   * snapshot, whatever its file says later.
   */
  approvals: z.array(ApprovalEventSchema).optional(),
  /** Made from made-up example data (example workbooks, or history marked as examples). */
  example: z.boolean().optional(),
  /**
   * Its records are the admitted values only (every snapshot made since admission was
   * decided once per run). Older snapshots kept every unit's drafts too.
   */
  admittedOnly: z.literal(true).optional(),
});
export type Snapshot = Omit<z.infer<typeof SnapshotSchema>, "records" | "reporting"> & {
  records: HistoryRecord[];
  reporting?: ReportingRate;
};

/** A year's snapshot in force, and its version: what a write that replaces it names. */
export interface StoredSnapshot {
  snapshot: Snapshot;
  version: string;
}

export interface HistoryStore {
  /** Years with a snapshot, ascending. */
  years(): Promise<number[]>;
  read(year: number): Promise<Snapshot | undefined>;
  /** The year's snapshot in force with its version, or undefined when the year has none. */
  current(year: number): Promise<StoredSnapshot | undefined>;
  /**
   * Makes the snapshot the year's, if the version in force is still `replaces` (undefined:
   * the year has none yet); else refuses with HistoryConflictError and changes nothing. The
   * replaced version is kept under a name of its own.
   */
  write(snapshot: Snapshot, replaces: string | undefined): Promise<void>;
  /** Snapshots that were replaced, oldest first. */
  previous(year: number): Promise<Snapshot[]>;
}

/** Another run wrote the year after this one read it. */
export class HistoryConflictError extends HpError {
  constructor(readonly year: number) {
    super("busy", `Historiken för ${year} har ändrats av en annan körning sedan den här körningen läste den. Inget sparades; kör igen.`);
  }
}

/** The name a replaced version is kept under: its time and its run, so no two are the same. */
export function keptVersionName(snapshot: Snapshot, version: string): string {
  return `${snapshot.year}-${snapshot.createdAt.replace(/[:.]/g, "-")}-${snapshot.runId ?? `v${version}`}.json`;
}

/** Replaced versions oldest first: by when they were made, then by when they were replaced. */
export function oldestFirst<T extends { snapshot: Snapshot; replacedAt: number }>(kept: T[]): Snapshot[] {
  return kept.sort((a, b) => a.snapshot.createdAt.localeCompare(b.snapshot.createdAt) || a.replacedAt - b.replacedAt).map((k) => k.snapshot);
}

export class MemoryHistoryStore implements HistoryStore {
  private readonly inForce = new Map<number, StoredSnapshot>();
  private readonly replaced = new Map<number, Snapshot[]>();
  private versions = 0;

  async years() {
    return [...this.inForce.keys()].sort((a, b) => a - b);
  }
  async read(year: number) {
    return this.inForce.get(year)?.snapshot;
  }
  async current(year: number) {
    return this.inForce.get(year);
  }
  async write(snapshot: Snapshot, replaces: string | undefined) {
    const old = this.inForce.get(snapshot.year);
    if (old?.version !== replaces) throw new HistoryConflictError(snapshot.year);
    if (old) this.replaced.set(snapshot.year, [...(this.replaced.get(snapshot.year) ?? []), old.snapshot]);
    this.inForce.set(snapshot.year, { snapshot: structuredClone(snapshot), version: String(++this.versions) });
  }
  async previous(year: number) {
    return this.replaced.get(year) ?? [];
  }
}

/**
 * A year's local work from its snapshot in force, or undefined when the year has none. Like
 * the values, only admitted units' (an older snapshot kept everyone's).
 */
export async function localWorkOf(store: HistoryStore, year: number): Promise<LocalWork | undefined> {
  const snapshot = await store.read(year);
  if (!snapshot) return undefined;
  const admitted = admittedReporters(snapshot);
  const counts = (unit: string) => admitted === undefined || admitted.has(unit);
  return {
    selfAssessments: (snapshot.selfAssessments ?? []).filter((s) => counts(s.unit)),
    activities: (snapshot.activities ?? []).filter((a) => counts(a.unit)),
  };
}

/**
 * The history a run sees: the bundled baseline file, with every year that the store has
 * replacing the baseline's records for that year. Only a year's admitted values are its
 * history: a snapshot from before admission was decided (no `admittedOnly`) kept drafts and
 * tabs with errors too, so of those only the reporters that had handed in or were approved
 * are read. `reporterOf` names who gave a value (the central tab gives some).
 */
export async function combinedHistory(baseline: History, store: HistoryStore, reporterOf: (r: HistoryRecord) => string = (r) => r.unit): Promise<History> {
  const stored = await store.years();
  const records = baseline.records.filter((r) => !stored.includes(r.year));
  const origins = new Map([...baseline.origins].filter(([y]) => !stored.includes(y)));
  let example = baseline.example && records.length > 0;
  for (const year of stored) {
    const snapshot = await store.read(year);
    if (snapshot) {
      records.push(...admittedRecords(snapshot, reporterOf));
      origins.set(year, { kind: "history-run", createdAt: snapshot.createdAt, ...(snapshot.runId ? { runId: snapshot.runId } : {}) });
    }
    example ||= snapshot?.example === true;
  }
  return new History(records, example, origins);
}

function admittedRecords(snapshot: Snapshot, reporterOf: (r: HistoryRecord) => string): HistoryRecord[] {
  const admitted = admittedReporters(snapshot);
  return admitted === undefined ? snapshot.records : snapshot.records.filter((r) => admitted.has(reporterOf(r)));
}

/**
 * The reporters whose values an older snapshot (from before admission, with no `admittedOnly`)
 * may give: those its reporting record says had handed in without errors, or approved. Undefined
 * when everything in the snapshot counts: it holds admitted values only, or it has no
 * reporting record to tell (the oldest snapshots, made from handed-in files alone).
 */
function admittedReporters(snapshot: Snapshot): Set<string> | undefined {
  if (snapshot.admittedOnly) return undefined;
  const units = (snapshot.reporting as { units?: { reporter?: unknown; received?: unknown; approved?: unknown }[] } | undefined)?.units;
  if (!Array.isArray(units)) return undefined;
  const admitted = new Set(units.filter((u) => u.received === true || u.approved === true).map((u) => String(u.reporter)));
  for (const unit of approvedUnits(snapshot.approvals)) admitted.add(unit);
  return admitted;
}
