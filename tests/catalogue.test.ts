import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { breakdownParts, catalogueForYear } from "../functions/catalogue/catalogue-for-year.js";
import { loadCatalogue } from "../functions/catalogue/load-catalogue.js";
import { ROOT, tempDir } from "./helpers.js";

describe("the catalogue", () => {
  it("holds every indicator of the current plan with the plan's exact wording", async () => {
    const catalogue = await loadCatalogue();
    const titles = catalogueForYear(catalogue, 2025).indicators.map((i) => i.title);
    for (const wording of [
      "Inom ramen för mitt uppdrag har jag möjlighet att påverka hur jag ska utföra arbetet.",
      "Jag vet vad som förväntas av mig i mitt arbete.",
      "Min chef hjälper mig att prioritera när jag ber om det.",
      "Min chef och jag har regelbunden dialog om min arbetssituation.",
      "Antal rapporterade incidenter/stadsdelsförvaltning angående hot och våld samt otillåten påverkan.",
      "På min arbetsplats prövar vi nya arbetssätt för att utveckla verksamheten.",
      "På min arbetsplats är vi bra på att dela kunskap och erfarenhet med varandra.",
      "Andel medarbetare som genomgått verksamhetsspecifika introduktionsutbildningar.",
      "Min chef är tydlig med vilket handlingsutrymme jag har.",
      "Min chef skapar förutsättningar för delaktighet.",
      "Min chef tar tag i problem som uppstår.",
      "Antal chefer som genomgått ”Ledarutvecklingsprogram för chefer inom socialtjänst och biståndshandläggning”.",
      "Aktiviteter framtagna i den gemensamma digitaliseringsplanen följs årligen upp.",
    ]) {
      expect(titles).toContain(wording);
    }
    const surveys = catalogue.indicators.filter((i) => i.measure === "survey");
    expect(surveys).toHaveLength(9);
    expect(surveys.every((i) => i.aggregation === "weighted-mean" && i.source === "Stockholms stads medarbetarenkät")).toBe(true);
  });

  it("has four focus areas, 15 units in 2025 and 16 in 2019, and maps the 2020 merger", async () => {
    const catalogue = await loadCatalogue();
    const y2025 = catalogueForYear(catalogue, 2025);
    expect(y2025.plan.focusAreas.map((f) => f.title)).toEqual([
      "En god arbetssituation som präglas av trygghet, delaktighet och inflytande",
      "Kompetens- och utvecklingsmöjligheter",
      "Ett gott ledarskap",
      "Digital utveckling och innovation",
    ]);
    expect(y2025.units).toHaveLength(15);
    expect(catalogue.units.filter((u) => u.years.from <= 2019 && (u.years.to ?? 9999) >= 2019)).toHaveLength(16);
    const merged = catalogue.units.filter((u) => u.mergedInto?.unit === "hagersten-alvsjo").map((u) => u.id);
    expect(merged).toEqual(["hagersten-liljeholmen", "alvsjo"]);
    expect(breakdownParts(catalogue, "sex").map((p) => p.key)).toEqual(["K", "M", "T"]);
  });

  it("refuses a year that is not opened", async () => {
    const catalogue = await loadCatalogue();
    expect(() => catalogueForYear(catalogue, 2031)).toThrowErrorMatchingInlineSnapshot(
      `[HpError: Rapporteringsåret 2031 finns inte i katalogen. År i katalogen: 2024, 2025, 2026. Ett år läggs till med sista dag i years.yaml och öppnas med hp year open.]`,
    );
  });

  const broken = [
    {
      name: "an unknown measure",
      file: "indicators.yaml",
      from: "measure: count\n    aggregation: sum\n    showUnweightedMean: false\n    direction: none",
      to: "measure: tally\n    aggregation: sum\n    showUnweightedMean: false\n    direction: none",
      expected: /indicators\.yaml har fel:\n {2}indicators\[4\] \(fa1-hot-vald-incidenter\)\.measure: /,
    },
    {
      name: "a mean of percentages for a ratio",
      file: "indicators.yaml",
      from: "aggregation: ratio-of-sums\n    showUnweightedMean: true\n    direction: increase",
      to: "aggregation: weighted-mean\n    showUnweightedMean: true\n    direction: increase",
      expected: /indicators\[7\] \(fa2-introduktionsutbildning\)\.aggregation: måttet ratio sammanställs med ratio-of-sums, inte weighted-mean/,
    },
    {
      name: "a focus area the plan does not have",
      file: "indicators.yaml",
      from: "id: fa3-chef-tar-tag\n    focusArea: fa3",
      to: "id: fa3-chef-tar-tag\n    focusArea: fa9",
      expected: /indicators\[10\] \(fa3-chef-tar-tag\)\.focusArea: fokusområdet "fa9" finns inte i planen hp-2024/,
    },
    {
      name: "a merger into a unit that does not exist",
      file: "units.yaml",
      from: "mergedInto: { unit: hagersten-alvsjo, year: 2020 }\n  - id: alvsjo",
      to: "mergedInto: { unit: hagersten-alvsjoe, year: 2020 }\n  - id: alvsjo",
      expected: /units\.yaml: units\[13\] \(hagersten-liljeholmen\)\.mergedInto\.unit: enheten "hagersten-alvsjoe" finns inte/,
    },
    {
      name: "broken YAML",
      file: "years.yaml",
      from: "reportingYears:",
      to: "reportingYears: [",
      expected: /years\.yaml är inte giltig YAML \(rad \d+, kolumn \d+\)/,
    },
  ];
  it.each(broken)("stops on $name, naming the file, the path and why", async ({ file, from, to, expected }) => {
    const dir = await tempDir();
    await cp(join(ROOT, "sheets", "catalogue"), dir, { recursive: true });
    const text = await readFile(join(dir, file), "utf8");
    expect(text).toContain(from);
    await writeFile(join(dir, file), text.replace(from, to));
    await expect(loadCatalogue(dir)).rejects.toThrow(expected);
  });
});
