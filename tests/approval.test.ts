/**
 * The reporters' loop offline, through the hp command as a project leader uses it: the status
 * table, approving a unit that is ready, refusing one that is not, an approved unit's values
 * kept when its file changes afterwards, and reopening with a reason, all recorded in the
 * year's history.
 */
import { cp, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, editWorkbook, findRow, column, hpWithEnv, tempDir } from "./helpers.js";

const at = (time: string) => ({ SOURCE_DATE_EPOCH: String(Date.parse(time) / 1000) });

describe("the project leader's loop on files", () => {
  it("shows who stands where, approves a ready unit, keeps its values, and reopens it with a reason", async () => {
    const dir = await tempDir();
    const input = join(dir, "in");
    const history = join(dir, "historik");
    await cp(EXAMPLES, input, { recursive: true });
    const hp = (time: string, ...args: string[]) => hpWithEnv(at(time), ...args, "--year", "2025", "--history-dir", history);

    // One row per unit, in Swedish; Skarpnäck is marked ready but still has errors, so it does not count.
    const status = await hp("2026-02-11T09:00:00Z", "status", "--input", input);
    expect(status.code, status.err).toBe(0);
    const lines = status.out.split("\n");
    expect(lines[1]).toBe("15 av 16 har lämnat in (14 i tid), 0 godkända, 16 har börjat.");
    expect(lines[2]).toBe("15 av 16 räknas i stadens värden. Stadens värden bygger bara på enheter som har lämnat in (markerat klart, utan fel) eller som projektledaren har godkänt.");
    expect(lines[4]).toMatch(/^Enhet +Läge +Räknas +Klar +Godkänd +Fel +Varningar +Obekräftade +I tid +Senast ändrad$/);
    expect(lines.find((l) => l.startsWith("Skarpnäck "))).toMatch(/^Skarpnäck +klar med fel +Nej +Ja 2026-02-10 \(Omar Haddad\) +Nej +7 +3 +1 +– +2026-01-15 13:00$/);
    expect(lines.find((l) => l.startsWith("Skärholmen "))).toMatch(/inlämnad +Ja +Ja 2026-02-18 \(Karin Berg\) +Nej +0 +1 +1 +Nej/);

    // Not ready without errors: refused, and nothing is written.
    const refused = await hp("2026-02-11T09:00:00Z", "approve", "--unit", "skarpnack", "--input", input, "--by", "Eva Projektledare");
    expect(refused.code).toBe(2);
    expect(refused.err).toBe("Skarpnäck kan inte godkännas: enheten har 7 fel kvar att rätta.");

    const approved = await hp("2026-02-12T08:30:00Z", "approve", "--unit", "Bromma", "--input", input, "--by", "Eva Projektledare");
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toContain("Bromma är godkänd 2026-02-12 09:30 av Eva Projektledare.");
    const snapshot = JSON.parse(await readFile(join(history, "2025.json"), "utf8"));
    expect(snapshot.approvals).toEqual([{ unit: "bromma", action: "godkänd", by: "Eva Projektledare", at: "2026-02-12T08:30:00.000Z" }]);
    const approvedValue = snapshot.records.find((r: { unit: string; indicator: string; breakdown: string }) => r.unit === "bromma" && r.indicator === "tp-vfu-platser" && r.breakdown === "T");

    // Bromma's file changes after the approval: the run says so and keeps the approved value.
    const changed = approvedValue.value + 1;
    await editWorkbook(join(input, "2025-bromma.xlsx"), join(input, "2025-bromma.xlsx"), (wb) => {
      const ws = wb.getWorksheet("Bromma")!;
      findRow(ws, "tp-vfu-platser", "Totalt").getCell(column(ws, "Värde")).value = changed;
    });
    const out = join(dir, "ut");
    const aggregated = await hp("2026-02-13T08:00:00Z", "aggregate", "--input", input, "--out", out);
    expect(aggregated.out, aggregated.err).toContain("7 fel och");
    expect(aggregated.out).toContain("Rapportering 2025: 14 av 15 förvaltningar har lämnat in (markerat klart, utan fel), 13 senast 13 februari 2026; 1 är godkänd av projektledaren. Den centrala rapporteringen är inlämnad.");
    expect(aggregated.out).toContain("  Skarpnäck lämnade in med 7 fel: värdena räknas inte.");
    const findings = JSON.parse(await readFile(join(out, "2025", "findings.json"), "utf8"));
    expect(findings.findings ?? findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: "APPROVED_CHANGED", unit: "bromma" })]));
    const kept = JSON.parse(await readFile(join(history, "2025.json"), "utf8"));
    expect(kept.records).toContainEqual(approvedValue);
    // The published figure is the approved one, and its trace says so, not the changed cell.
    const rows = JSON.parse(await readFile(join(out, "2025", "aggregates.json"), "utf8")).rows;
    expect(rows.find((r: { unit: string; indicator: string; year: number; breakdown: string }) => r.unit === "bromma" && r.indicator === "tp-vfu-platser" && r.year === 2025 && r.breakdown === "T")).toMatchObject({
      value: approvedValue.value,
      trace: { kind: "approved", at: "2026-02-12T08:30:00.000Z", by: "Eva Projektledare" },
    });
    expect(kept.approvals).toHaveLength(1);
    const statusAfter = (await hp("2026-02-13T08:00:00Z", "status", "--input", input)).out;
    expect(statusAfter).toMatch(/\nBromma +godkänd men ändrad +Ja +Ja 2026-02-10 \(Karin Berg\) +Ja 2026-02-12 09:30 \(Eva Projektledare\)/);
    // Said plainly, with the values that differ: by hp status, hp validate and the run.
    const plain = `Bromma är godkänd men filen har ändrats sedan dess: VFU-platser: godkänt ${approvedValue.value}, i filen ${changed}. Rapporterna visar de godkända värdena; öppna enheten igen om ändringarna ska gälla.`;
    expect(statusAfter).toContain(plain);
    const validated = await hp("2026-02-13T08:00:00Z", "validate", join(input, "2025-bromma.xlsx"));
    expect(validated.out.split("\n")[0]).toBe(plain);
    expect(aggregated.out).toContain(plain);

    // Reopened, with who, when and why; the next run takes the file's value.
    expect((await hp("2026-02-14T08:00:00Z", "reopen", "--unit", "bromma")).err).toContain("hp reopen behöver --reason");
    const reopened = await hp("2026-02-14T08:00:00Z", "reopen", "--unit", "bromma", "--reason", "Fel antal VFU-platser", "--by", "Eva Projektledare");
    expect(reopened.code, reopened.err).toBe(0);
    expect(JSON.parse(await readFile(join(history, "2025.json"), "utf8")).approvals.at(-1)).toEqual({
      unit: "bromma",
      action: "öppnad igen",
      by: "Eva Projektledare",
      at: "2026-02-14T08:00:00.000Z",
      reason: "Fel antal VFU-platser",
    });
    await hp("2026-02-14T09:00:00Z", "aggregate", "--input", input, "--out", out);
    const after = JSON.parse(await readFile(join(history, "2025.json"), "utf8"));
    expect(after.records.find((r: { unit: string; indicator: string; breakdown: string }) => r.unit === "bromma" && r.indicator === "tp-vfu-platser" && r.breakdown === "T").value).toBe(changed);
    expect(after.approvals).toHaveLength(2);
  });
});
