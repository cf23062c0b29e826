
import type ExcelJS from "exceljs";
import { breakdownParts, catalogueForYear, focusAreaLabel, statusItems } from "../functions/catalogue/catalogue-for-year.js";
import { covers } from "../functions/catalogue/load-catalogue.js";
import type { Catalogue, Indicator, Unit } from "../functions/catalogue/schema.js";
import { HISTORY_COLUMNS, type HistoryRecord } from "../functions/history/history.js";
import { ACTIVITY_COLUMN_KEYS, columnOf, headerKey, SELF_ASSESSMENT_COLUMN_KEYS, templateDefinition } from "../functions/template/definition.js";

export const FIRST_YEAR = 2016;
export const EXAMPLE_YEAR = 2025;
export const NOW = new Date("2026-01-15T12:00:00Z");

/** Staff in scope (socialsekreterare and biståndshandläggare) per unit: drives every count. */
const SIZE: Record<string, number> = {
  "rinkeby-kista": 190,
  "spanga-tensta": 140,
  "hasselby-vallingby": 170,
  bromma: 130,
  kungsholmen: 110,
  norrmalm: 100,
  ostermalm: 90,
  sodermalm: 160,
  "enskede-arsta-vantor": 220,
  skarpnack: 120,
  farsta: 150,
  "hagersten-alvsjo": 180,
  "hagersten-liljeholmen": 120,
  alvsjo: 60,
  skarholmen: 130,
  socialforvaltningen: 260,
  aldreforvaltningen: 45,
};
/** The real unit a synthetic copy ("bromma-k3", made by the benchmark) stands for. */
export const sourceUnit = (id: string) => id.replace(/-k\d+$/, "");
const sizeOf = (id: string) => SIZE[sourceUnit(id)] ?? 100;

/** A figure from a table by year; years outside it take the nearest year's figure. */
function byYear(table: Record<number, number>, year: number): number {
  const years = Object.keys(table).map(Number);
  const nearest = Math.min(Math.max(year, Math.min(...years)), Math.max(...years));
  return table[nearest]!;
}

/** Activity areas each specialist administration has; districts have all. */
const SPECIALIST_AREAS: Record<string, string[]> = {
  socialforvaltningen: ["socialpsykiatri", "missbruk", "barn-och-unga", "ekonomiskt-bistand"],
  aldreforvaltningen: ["aldre"],
};
const TURNOVER = { 2016: 20, 2017: 18.4, 2018: 16.6, 2019: 17.6, 2020: 13.5, 2021: 14.1, 2022: 14.6, 2023: 13.9, 2024: 13.3, 2025: 12.8 } as Record<number, number>;
const CONSULTANTS = { 2016: 100, 2017: 83, 2018: 66, 2019: 52, 2020: 39, 2021: 31, 2022: 28, 2023: 27, 2024: 28, 2025: 30 } as Record<number, number>;
const PLACEMENTS = { 2016: 65, 2017: 131, 2018: 136, 2019: 138, 2020: 133, 2021: 135, 2022: 139, 2023: 137, 2024: 134, 2025: 136 } as Record<number, number>;
/** Managers through the programmes per year and role: 22, 100 and 120 in all by 2021. */
const MANAGERS: Record<string, Record<number, number>> = {
  avdelningschef: { 2016: 2, 2017: 5, 2018: 5, 2019: 4, 2020: 3, 2021: 3, 2022: 3, 2023: 3 },
  enhetschef: { 2016: 8, 2017: 20, 2018: 22, 2019: 20, 2020: 15, 2021: 15, 2022: 14, 2023: 13 },
  "bitradande-enhetschef": { 2016: 10, 2017: 24, 2018: 26, 2019: 24, 2020: 18, 2021: 18, 2022: 16, 2023: 15 },
};
const CONSULTANT_AREA_SHARE: Record<string, number> = {
  "ekonomiskt-bistand": 0.25,
  socialpsykiatri: 0.05,
  missbruk: 0.1,
  funktionsnedsattning: 0.05,
  aldre: 0.1,
  "barn-och-unga": 0.45,
};
/** Survey items whose city result falls after 2023: something for the analysis to flag. */
const FALLING_ITEMS = new Set(["fa1-chef-prioritera"]);
const DIGITAL_STATUS: Record<number, Record<string, string>> = {
  2024: { "plan-faststalld": "Pågår", "e-tjanst-ekonomiskt-bistand": "Pågår", "automatiserad-handlaggning": "Ej påbörjad", "digitala-moten": "Pågår" },
  2025: { "plan-faststalld": "Genomförd", "e-tjanst-ekonomiskt-bistand": "Pågår", "automatiserad-handlaggning": "Ej påbörjad", "digitala-moten": "Genomförd", "ai-dokumentation": "Pågår" },
};
const ACTIVITIES: [number, string, string, string][] = [
  [1, "Genomgång av säkerhetsrutiner vid hembesök med alla enheter", "Andel enheter som gått igenom rutinen, följs upp i delårsrapporten", "Genomförd"],
  [1, "Utbildning om otillåten påverkan för nya medarbetare", "Antal deltagare och utvärdering efter utbildningen", "Pågår"],
  [1, "Kartläggning av arbetsbelastning per handläggare", "Antal ärenden per handläggare jämförs halvårsvis", "Pågår"],
  [2, "Lokal introduktion med mentor för alla nyanställda", "Enkät till nyanställda efter sex månader", "Genomförd"],
  [2, "Forum för metodutveckling med Stockholms universitet", "Antal träffar och deltagare, redovisas i verksamhetsberättelsen", "Planerad"],
  [3, "Nya chefer går Chef i staden under första året", "Andel nya chefer som gått programmet", "Pågår"],
  [3, "Översyn av antalet medarbetare per chef", "Antal direktrapporterande per chef vid årsskiftet", "Planerad"],
  [4, "Införande av digitala besök inom ekonomiskt bistånd", "Andel besök som görs digitalt, mäts kvartalsvis", "Pågår"],
  [4, "Utbildning i informationssäkerhet för alla medarbetare", "Andel medarbetare som genomfört utbildningen", "Genomförd"],
];

/** A small seeded generator (mulberry32), so the example data is the same on every run. */
function random(seed: string): () => number {
  let h = 1779033703;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 3432918353);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const noise = (seed: string, spread: number) => (random(seed)() * 2 - 1) * spread;

/** Splits a total over weights into whole numbers that add up exactly (largest remainder). */
function apportion(total: number, weights: Record<string, number>): Record<string, number> {
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  const exact = Object.entries(weights).map(([k, w]) => [k, (total * w) / sum] as const);
  const out: Record<string, number> = Object.fromEntries(exact.map(([k, v]) => [k, Math.floor(v)]));
  let left = total - Object.values(out).reduce((a, b) => a + b, 0);
  for (const [k] of [...exact].sort((a, b) => (b[1] % 1) - (a[1] % 1))) {
    if (left-- <= 0) break;
    out[k]! += 1;
  }
  return out;
}

type Values = Partial<Pick<HistoryRecord, "numerator" | "denominator" | "respondents">> & {
  value?: number | string;
  status: HistoryRecord["status"];
};
export type Row = { year: number; unit: string; indicator: string; breakdown: string } & Values;

export function generate(catalogue: Catalogue, year: number): Row[] {
  const rows: Row[] = [];
  const units = catalogue.units.filter((u) => covers(u.years, year));
  const add = (indicator: Indicator, unit: string, breakdown: string, v: Values) =>
    rows.push({ year, unit, indicator: indicator.id, breakdown, ...v });
  const districtWeights = (need: (u: Unit) => number) =>
    Object.fromEntries(units.filter((u) => u.kind === "district").map((u) => [u.id, sizeOf(u.id) * need(u)]));

  for (const ind of catalogue.indicators.filter((i) => covers(i.years, year))) {
    const seed = `${ind.id}|${year}`;
    switch (ind.id) {
      case "fa1-hot-vald-incidenter":
        for (const u of units) {
          const areas = catalogue.activityAreas.map((a) => a.id);
          const has = (a: string) => !SPECIALIST_AREAS[sourceUnit(u.id)] || SPECIALIST_AREAS[sourceUnit(u.id)]!.includes(a);
          const total = Math.round(sizeOf(u.id) * (0.16 + 0.012 * (year - 2019)) * (1 + noise(`${seed}|${u.id}`, 0.15)));
          const split = apportion(total, Object.fromEntries(areas.filter(has).map((a) => [a, 1 + random(`${seed}|${u.id}|${a}`)() * 2])));
          for (const a of areas) add(ind, u.id, a, has(a) ? { value: split[a]!, status: "ok" } : { status: "not-applicable" });
          add(ind, u.id, "T", { value: total, status: "ok" });
        }
        break;
      case "fa2-introduktionsutbildning": {
        const share = year === 2024 ? 0.84 : 0.79;
        for (const u of units) {
          const den = Math.round(sizeOf(u.id) * 0.2 * (1 + noise(`${seed}|${u.id}`, 0.2)));
          const denM = Math.max(1, Math.round(den * 0.18));
          const numK = Math.min(den - denM, Math.round((den - denM) * (share + noise(`${seed}|${u.id}|K`, 0.06))));
          const numM = Math.min(denM, Math.round(denM * (share + noise(`${seed}|${u.id}|M`, 0.1))));
          add(ind, u.id, "K", { numerator: numK, denominator: den - denM, status: "ok" });
          add(ind, u.id, "M", { numerator: numM, denominator: denM, status: "ok" });
          add(ind, u.id, "T", { numerator: numK + numM, denominator: den, status: "ok" });
        }
        break;
      }
      case "fa3-ledarutvecklingsprogram": {
        const split = apportion(year === 2024 ? 31 : 34, Object.fromEntries(units.map((u) => [u.id, sizeOf(u.id)])));
        for (const u of units) {
          const t = split[u.id]!;
          const m = Math.round(t * 0.25 + noise(`${seed}|${u.id}`, 0.6));
          const mm = Math.max(0, Math.min(t, m));
          add(ind, u.id, "K", { value: t - mm, status: "ok" });
          add(ind, u.id, "M", { value: mm, status: "ok" });
          add(ind, u.id, "T", { value: t, status: "ok" });
        }
        break;
      }
      case "fa4-digitaliseringsplan":
        for (const item of statusItems(ind, year)) {
          const status = DIGITAL_STATUS[year]?.[item.id];
          add(ind, "stockholm", item.id, status ? { value: status, status: "ok" } : { status: "missing" });
        }
        break;
      case "tp-personalrorlighet":
        for (const u of units) {
          const rate = (byYear(TURNOVER, year) / 100) * (1 + noise(`${ind.id}|${u.id}`, 0.25) + noise(`${seed}|${u.id}`, 0.08));
          const den = Math.round(sizeOf(u.id) * (1 + noise(`${seed}|${u.id}|size`, 0.05)));
          const denM = Math.round(den * 0.18);
          const numK = Math.round((den - denM) * rate);
          const numM = Math.round(denM * rate * (1 + noise(`${seed}|${u.id}|M`, 0.3)));
          add(ind, u.id, "K", { numerator: numK, denominator: den - denM, status: "ok" });
          add(ind, u.id, "M", { numerator: numM, denominator: denM, status: "ok" });
          add(ind, u.id, "T", { numerator: numK + numM, denominator: den, status: "ok" });
        }
        break;
      case "tp-socionomkonsulter": {
        const need = (u: Unit) => (["rinkeby-kista", "spanga-tensta", "skarholmen"].includes(sourceUnit(u.id)) ? 2 : 1);
        const perUnit = apportion(byYear(CONSULTANTS, year), districtWeights(need));
        for (const u of units) {
          if (u.kind !== "district") {
            for (const a of catalogue.activityAreas) add(ind, u.id, a.id, { status: "not-applicable" });
            add(ind, u.id, "T", { value: 0, status: "ok" });
            continue;
          }
          const total = perUnit[u.id]!;
          const split = apportion(total, CONSULTANT_AREA_SHARE);
          for (const a of catalogue.activityAreas) add(ind, u.id, a.id, { value: split[a.id]!, status: "ok" });
          add(ind, u.id, "T", { value: total, status: "ok" });
        }
        break;
      }
      case "tp-vfu-platser": {
        const split = apportion(byYear(PLACEMENTS, year), Object.fromEntries(units.map((u) => [u.id, sizeOf(u.id)])));
        for (const u of units) add(ind, u.id, "T", { value: split[u.id]!, status: "ok" });
        break;
      }
      case "tp-chefsprogram": {
        const perRole = Object.fromEntries(
          catalogue.roles.map((r) => [r.id, apportion(MANAGERS[r.id]![year] ?? 0, Object.fromEntries(units.map((u) => [u.id, sizeOf(u.id) * (1 + noise(`${seed}|${u.id}|${r.id}`, 0.5))])))]),
        );
        for (const u of units) {
          let t = 0;
          for (const r of catalogue.roles) {
            const v = perRole[r.id]![u.id]!;
            t += v;
            add(ind, u.id, r.id, { value: v, status: "ok" });
          }
          add(ind, u.id, "T", { value: t, status: "ok" });
        }
        break;
      }
      default: {
        if (ind.measure !== "survey") throw new Error(`Inga exempeldata för ${ind.id}`);
        const itemOffset = noise(`${ind.id}`, 9);
        const falling = FALLING_ITEMS.has(ind.id) && year > 2023 ? -(year - 2023) * 3.5 : 0;
        for (const u of units) {
          const base = 72 + itemOffset + noise(`${ind.id}|${u.id}`, 6) + 0.6 * (year - 2019) + falling + noise(`${seed}|${u.id}`, 1.5);
          const nT = Math.round(sizeOf(u.id) * 0.78 * (1 + noise(`${seed}|${u.id}|n`, 0.05)));
          const nM = sourceUnit(u.id) === "aldreforvaltningen" ? 3 : Math.round(nT * (0.15 + random(`${u.id}|m`)() * 0.07));
          const k = Math.round(Math.min(98, base + noise(`${seed}|${u.id}|K`, 1.5)));
          const m = Math.round(Math.min(98, base - 2 + noise(`${seed}|${u.id}|M`, 5)));
          const t = Math.round((k * (nT - nM) + m * nM) / nT);
          add(ind, u.id, "K", { value: k, respondents: nT - nM, status: "ok" });
          add(ind, u.id, "M", { value: m, respondents: nM, status: "ok" });
          add(ind, u.id, "T", { value: t, respondents: nT, status: "ok" });
        }
      }
    }
  }
  return rows;
}

/** The made-up history says so on its first line, and reports built on it say Exempeldata. */
export const HISTORY_COMMENT = "# Exempeldata: påhittad historik från npm run examples. Den riktiga historiken ersätter filen, utan den här raden.";

export function toCsv(rows: Row[]): string {
  const cell = (v: unknown) => (v === undefined ? "" : typeof v === "string" && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));
  const lines = rows.map((r) => HISTORY_COLUMNS.map((c) => cell(r[c as keyof Row])).join(","));
  return `${HISTORY_COMMENT}\n${HISTORY_COLUMNS.join(",")}\n${lines.join("\n")}\n`;
}

/** Skarpnäck's deliberate mistakes, by indicator and breakdown: what is typed instead. */
const MISTAKES: { indicator: string; breakdown: string; field: string; typed: string | number | ((v: number) => number) }[] = [
  { indicator: "fa1-hot-vald-incidenter", breakdown: "T", field: "value", typed: (v) => v + 5 },
  { indicator: "tp-socionomkonsulter", breakdown: "missbruk", field: "value", typed: "två" },
  { indicator: "tp-socionomkonsulter", breakdown: "T", field: "value", typed: "4,5" },
  { indicator: "tp-personalrorlighet", breakdown: "K", field: "numerator", typed: 130 },
  { indicator: "tp-vfu-platser", breakdown: "T", field: "value", typed: 45 },
];

export async function fillWorkbook(
  wb: ExcelJS.Workbook,
  sheetName: string,
  rows: Row[],
  catalogue: Catalogue,
  unit: Unit | undefined,
  year = EXAMPLE_YEAR,
): Promise<void> {
  const def = templateDefinition();
  const ws = wb.getWorksheet(sheetName)!;
  const yc = catalogueForYear(catalogue, year);
  const unitName = new Map([...yc.units.map((u) => [u.name, u.id] as const), ["Stockholms stad", "stockholm"]]);
  let header = 0;
  const col: Record<string, number> = {};
  ws.eachRow((row, n) => {
    if (header) return;
    const texts = (row.values as unknown[]).map((v) => (typeof v === "string" ? headerKey(v) : ""));
    if (texts.includes(headerKey(def.columns.indicators.id.header))) {
      header = n;
      for (const [key, c] of Object.entries(def.columns.indicators)) col[key] = texts.indexOf(headerKey(c.header));
    }
  });
  const byKey = new Map(rows.map((r) => [`${r.indicator}|${r.unit}|${r.breakdown}`, r]));
  const mistakes = unit?.id === "skarpnack" ? MISTAKES : [];
  let last = header;
  for (let n = header + 1; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    const id = row.getCell(col.id!).value;
    if (typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)) break;
    last = n;
    const ind = catalogue.indicators.find((i) => i.id === id)!;
    const parts =
      ind.measure === "status"
        ? statusItems(ind, year).map((i) => ({ key: i.id, label: i.label }))
        : breakdownParts(catalogue, ind.breakdown);
    const part = parts.find((p) => p.label === row.getCell(col.breakdown!).value)!;
    const unitId = unitName.get(String(row.getCell(col.unit!).value))!;
    const data = byKey.get(`${id}|${unitId}|${part.key}`);
    const set = (field: string, v: unknown) => {
      row.getCell(col[field]!).value = (v === undefined ? null : v) as ExcelJS.CellValue;
    };
    if (!data || data.status === "missing") set("value", "..");
    else if (data.status === "not-applicable") for (const f of ["value", "numerator", "denominator"]) if (col[f]! > 0 && ind.measure !== "survey") set(f, ind.measure === "ratio" ? (f === "value" ? undefined : "–") : f === "value" ? "–" : undefined);
    if (data && data.status === "ok") {
      if (ind.measure === "ratio") {
        set("numerator", data.numerator);
        set("denominator", data.denominator);
      } else {
        set("value", data.value);
        if (ind.measure === "survey") set("respondents", data.respondents);
      }
    }
    for (const m of mistakes.filter((m) => m.indicator === id && m.breakdown === part.key)) {
      set(m.field, typeof m.typed === "function" ? m.typed(Number(data?.[m.field as "value"])) : m.typed);
    }
  }
  if (unit?.id === "skarpnack") {
    // A row left over from an old template: the programme count by role ended in 2023.
    const leftover = ws.insertRow(last + 1, []);
    leftover.getCell(col.id!).value = "tp-chefsprogram";
    leftover.getCell(col.unit!).value = unit.name;
    leftover.getCell(col.breakdown!).value = "Totalt";
    leftover.getCell(col.value!).value = 2;
  }
  if (unit) fillLocalWork(ws, unit, yc.plan.focusAreas);
  else fillCityActivities(ws);
}

/** The central tab's city-wide activities: a status and a short follow-up for each. */
function fillCityActivities(ws: ExcelJS.Worksheet) {
  const def = templateDefinition();
  const ac = (key: (typeof ACTIVITY_COLUMN_KEYS)[number]) => columnOf(ACTIVITY_COLUMN_KEYS, key);
  let header = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(ac("activity")).value === def.columns.activities.activity.header) header = n;
  });
  const rows: number[] = [];
  for (let n = header + 1; n <= ws.rowCount; n++) if (ws.getRow(n).getCell(ac("activity")).value) rows.push(n);
  rows.forEach((n, i) => {
    const [status, followUp] = CITY_FOLLOW_UPS[i % CITY_FOLLOW_UPS.length]!;
    ws.getRow(n).getCell(ac("status")).value = status;
    ws.getRow(n).getCell(ac("followUp")).value = followUp;
  });
}

const CITY_FOLLOW_UPS: [string, string][] = [
  ["Genomförd", "Rutinen beslutades i maj och har införts i alla förvaltningar."],
  ["Pågår", "Utbildningen har getts för 240 medarbetare; resten får den under våren."],
  ["Pågår", "Två forum har hållits; nästa samlar exempel från fyra stadsdelsnämnder."],
  ["Genomförd", "Introduktionsutbildningen har setts över och nya moment införts i höst."],
  ["Pågår", "Samordnat VFU-mottagande med två lärosäten; 134 platser erbjöds."],
  ["Genomförd", "Programmet har genomförts med två omgångar under året."],
  ["Planerad", "Nätverket startar under första kvartalet nästa år."],
];

/** Marks a tab "Klar att lämna in" as a reporter would: Ja, a name and the day. */
export function markReady(ws: ExcelJS.Worksheet, by: string, day: Date): void {
  const { labels } = templateDefinition();
  ws.eachRow((row) => {
    row.eachCell((cell, c) => {
      if (cell.value === labels.ready) row.getCell(c + 1).value = "Ja";
      if (cell.value === labels.readyBy) row.getCell(c + 1).value = by;
      if (cell.value === labels.readyDate) row.getCell(c + 1).value = day;
    });
  });
}

export function fillLocalWork(ws: ExcelJS.Worksheet, unit: Unit, areas: { id: string; number: number; title: string }[]) {
  const def = templateDefinition();
  const sa = (key: (typeof SELF_ASSESSMENT_COLUMN_KEYS)[number]) => columnOf(SELF_ASSESSMENT_COLUMN_KEYS, key);
  const ac = (key: (typeof ACTIVITY_COLUMN_KEYS)[number]) => columnOf(ACTIVITY_COLUMN_KEYS, key);
  const rnd = random(`lokalt|${unit.id}`);
  let activityRow = 0;
  ws.eachRow((row, n) => {
    const first = row.getCell(1).value;
    if (typeof first !== "string") return;
    const area = areas.find((a) => focusAreaLabel(a) === first);
    if (area) {
      const score = unit.id === "skarpnack" && area.number === 3 ? 7 : 2 + Math.floor(rnd() * 3);
      row.getCell(sa("score")).value = score;
      if (score <= 2) row.getCell(sa("comment")).value = "Hög arbetsbelastning och vakanser under året.";
    }
    if (first === def.columns.activities.focusArea.header) activityRow = n + 1;
  });
  const chosen = ACTIVITIES.filter(() => rnd() < 0.45).slice(0, 5);
  chosen.forEach(([number, activity, followUp, status], i) => {
    const row = ws.getRow(activityRow + i);
    const area = areas.find((a) => a.number === number)!;
    const missingArea = unit.id === "skarpnack" && i === 0;
    row.getCell(ac("focusArea")).value = missingArea ? null : focusAreaLabel(area);
    row.getCell(ac("activity")).value = activity;
    row.getCell(ac("followUp")).value = followUp;
    row.getCell(ac("status")).value = status;
  });
}

