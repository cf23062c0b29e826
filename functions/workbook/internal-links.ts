/**
 * exceljs writes a link to a cell in the same workbook with both `location` (right) and an
 * r:id to an "external" relationship whose target is the cell reference (not a URI), which
 * Excel may offer to repair. This keeps `location` and drops the relationship.
 */
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Edits the unzipped workbook in place. */
export function internalLinksWithoutRelationships(files: Record<string, Uint8Array>): void {
  for (const name of Object.keys(files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
    const xml = decoder.decode(files[name]);
    const dropped = new Set<string>();
    const edited = xml.replace(/<hyperlink\b[^>]*\/>/g, (link) => {
      if (!/ location="/.test(link)) return link;
      const id = / r:id="([^"]+)"/.exec(link)?.[1];
      if (!id) return link;
      dropped.add(id);
      return link.replace(/ r:id="[^"]+"/, "");
    });
    if (dropped.size === 0) continue;
    files[name] = encoder.encode(edited);
    const relsName = name.replace(/^xl\/worksheets\//, "xl/worksheets/_rels/").replace(/$/, ".rels");
    const rels = files[relsName];
    if (!rels) continue;
    files[relsName] = encoder.encode(
      decoder.decode(rels).replace(/<Relationship\b[^>]*\/>/g, (r) => {
        const id = /\bId="([^"]+)"/.exec(r)?.[1];
        return id && dropped.has(id) && /relationships\/hyperlink"/.test(r) ? "" : r;
      }),
    );
  }
}
