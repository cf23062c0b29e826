/**
 * Names as the systems' exports write them, matched to the catalogue's: columns, questions,
 * units. Case, spaces, quotes, dashes and a closing full stop do not matter; a unit is known by
 * its id, name, board and aliases, and "Skarpnäcks stadsdelsförvaltning" or "Skarpnäck sdf" is
 * Skarpnäck. A unit merged into another (Älvsjö, 2020) counts as the one it became.
 */
import type { Catalogue } from "../catalogue/schema.js";
import { covers } from "../catalogue/load-catalogue.js";

/** A name as it is compared: lower case, one space, straight quotes gone, one kind of dash, no closing full stop. */
export function matchName(text: string): string {
  return text
    .normalize("NFC")
    .toLocaleLowerCase("sv-SE")
    .replace(/[\u00a0\u202f\u2009\s]+/g, " ")
    .replace(/["'”“„’‘«»`´]/g, "")
    .replace(/[‐‑‒–—−]/g, "-")
    .replace(/ ?- ?/g, "-")
    .replace(/[.:;!?]+$/g, "")
    .trim();
}

/** What the exports add to a district's name: "Farsta stadsdelsförvaltning", "Farsta sdf". */
const DISTRICT_SUFFIXES = [" stadsdelsförvaltning", " stadsdelsnämnd", " sdf", " sdn", " stadsdel"];

export type UnitMatch = { unit: string; note?: string } | { problem: string };

/** Resolves the names an export gives to the units of a year. */
export function unitResolver(catalogue: Catalogue, year: number): (name: string) => UnitMatch {
  const byName = new Map<string, string>();
  for (const unit of catalogue.units) {
    for (const name of [unit.id, unit.name, unit.board, ...(unit.aliases ?? [])]) {
      if (!name) continue;
      byName.set(matchName(name), unit.id);
      // "Farstas stadsdelsförvaltning" as well as "Farsta stadsdelsförvaltning".
      if (unit.kind === "district") for (const s of DISTRICT_SUFFIXES) byName.set(matchName(name + s), unit.id).set(matchName(`${name}s${s}`), unit.id);
    }
  }
  const units = new Map(catalogue.units.map((u) => [u.id, u]));
  return (name) => {
    const id = byName.get(matchName(name));
    const unit = id ? units.get(id) : undefined;
    if (!unit) return { problem: `Förvaltningen ”${name}” finns inte i katalogen; lägg till stavningen under aliases i sheets/catalogue/units.yaml om den är en av stadens.` };
    if (covers(unit.years, year)) return { unit: unit.id };
    const merged = unit.mergedInto;
    if (merged && merged.year <= year) {
      const into = units.get(merged.unit);
      if (into && covers(into.years, year)) return { unit: into.id, note: `${name} räknas som ${into.name} (sammanslagen ${merged.year}).` };
    }
    return { problem: `${unit.name} fanns inte ${year}.` };
  };
}
