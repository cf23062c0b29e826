/**
 * `hp approve` and `hp reopen` on the embedded default: the approval goes into the year's
 * snapshot (compare-and-swap, like every history write), together with the unit's values as
 * validated now. The caller holds the year's lock.
 */
import { randomUUID } from "node:crypto";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { approvedUnits, type HistoryStore, type Snapshot } from "../history/store.js";
import type { ReportingUnit } from "../model/records.js";
import { HpError } from "../shared/errors.js";
import type { TemplateDefinition } from "../template/definition.js";
import { expectedReporters, reporterName } from "../template/layout.js";
import { type AggregateYearInput, decideYear, readYear } from "./aggregate-year.js";

/** The unit as given on the command line: its id, or its name. */
export function unitOf(yc: YearCatalogue, definition: TemplateDefinition, given: string): string {
  const key = given.trim().toLocaleLowerCase("sv-SE");
  const found = expectedReporters(yc).find((r) => r === key || reporterName(yc, definition, r).toLocaleLowerCase("sv-SE") === key);
  if (!found) {
    throw new HpError("usage", `Enheten "${given}" finns inte ${yc.year}. Enheter: ${expectedReporters(yc).join(", ")}.`);
  }
  return found;
}

/** Why a unit cannot be approved, or undefined when it can: only a handed-in unit (ready, once, no errors) can. */
export function approvalRefusal(unit: ReportingUnit): string | undefined {
  if (unit.approved) return "är redan godkänd";
  if (unit.state === "inte påbörjad") return "har inte lämnat in något";
  if (unit.state === "inlämnad") return undefined;
  if (unit.errors > 0) return `har ${unit.errors === 1 ? "ett fel" : `${unit.errors} fel`} kvar att rätta`;
  if (unit.reason === "duplicated") return "har lämnat in mer än en gång";
  return "är inte markerad Klar att lämna in";
}

/**
 * Approves a handed-in unit: the year is read once, and decided again with the approval, so
 * the snapshot holds the unit's values as approved (also when only approved units count).
 */
export async function approveUnit(input: AggregateYearInput & { store: HistoryStore }, unit: string, by: string): Promise<Snapshot> {
  const read = await readYear(input);
  const before = decideYear(input, read);
  const refusal = approvalRefusal(before.reporting.units.find((u) => u.reporter === unit)!);
  if (refusal) throw new HpError("usage", `${reporterName(input.yc, input.definition, unit)} kan inte godkännas: enheten ${refusal}.`);
  const { snapshot, replaces } = decideYear(input, read, { unit, by });
  await input.store.write(snapshot, replaces);
  return snapshot;
}

export async function reopenUnit(
  store: HistoryStore,
  yc: YearCatalogue,
  definition: TemplateDefinition,
  change: { unit: string; by: string; reason: string; now: Date },
): Promise<Snapshot> {
  const current = await store.current(yc.year);
  const name = reporterName(yc, definition, change.unit);
  if (!current || !approvedUnits(current.snapshot.approvals).has(change.unit)) {
    throw new HpError("usage", `${name} är inte godkänd ${yc.year}, så det finns inget att öppna.`);
  }
  const snapshot: Snapshot = {
    ...current.snapshot,
    createdAt: change.now.toISOString(),
    runId: randomUUID(),
    approvals: [
      ...(current.snapshot.approvals ?? []),
      { unit: change.unit, action: "öppnad igen", by: change.by, at: change.now.toISOString(), reason: change.reason },
    ],
  };
  await store.write(snapshot, current.version);
  return snapshot;
}
