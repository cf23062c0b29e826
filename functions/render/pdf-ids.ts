/**
 * Chromium names the structure elements a tagged PDF's table headers point at after its
 * internal DOM node ids ("node00000030"), which change from run to run, so the same report
 * would not give the same bytes twice. This renames them in the order the elements come in
 * the file ("h000001", …), in the elements, in the cells' /Headers that refer to them and in
 * the structure tree's /IDTree, which is rebuilt sorted as a name tree must be. What a reader
 * or a screen reader gets is unchanged: the same cells point at the same headers.
 */
import type { PDFDict as Dict, PDFDocument, PDFObject, PDFRef } from "@cantoo/pdf-lib";

export async function renameStructureIds(doc: PDFDocument): Promise<void> {
  const { PDFArray, PDFDict, PDFHexString, PDFName, PDFString, PDFRef: Ref } = await import("@cantoo/pdf-lib");
  const context = doc.context;
  const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);
  const elements = context
    .enumerateIndirectObjects()
    .filter(([, o]) => o instanceof PDFDict && o.get(PDFName.of("Type")) === PDFName.of("StructElem"))
    .sort(([a], [b]) => a.objectNumber - b.objectNumber || a.generationNumber - b.generationNumber) as [PDFRef, Dict][];

  const renamed = new Map<string, string>();
  for (const [, element] of elements) {
    const id = text(element.get(PDFName.of("ID")));
    if (id !== undefined && !renamed.has(id)) renamed.set(id, `h${String(renamed.size + 1).padStart(6, "0")}`);
  }
  if (renamed.size === 0) return;
  const rename = (o: PDFObject | undefined) => {
    const id = text(o);
    return id !== undefined && renamed.has(id) ? PDFString.of(renamed.get(id)!) : undefined;
  };

  const byId: [string, PDFRef][] = [];
  for (const [ref, element] of elements) {
    const id = rename(element.get(PDFName.of("ID")));
    if (id) {
      element.set(PDFName.of("ID"), id);
      byId.push([id.asString(), ref]);
    }
    const attributes = element.lookup(PDFName.of("A"));
    const dicts = attributes instanceof PDFArray ? attributes.asArray().map((a) => context.lookup(a)) : [attributes];
    for (const dict of dicts) {
      const headers = dict instanceof PDFDict ? dict.lookup(PDFName.of("Headers")) : undefined;
      if (!(headers instanceof PDFArray)) continue;
      headers.asArray().forEach((h, i) => {
        const to = rename(h);
        if (to) headers.set(i, to);
      });
    }
  }

  const root = doc.catalog.lookup(PDFName.of("StructTreeRoot"));
  const tree = root instanceof PDFDict ? root.get(PDFName.of("IDTree")) : undefined;
  if (!(root instanceof PDFDict) || tree === undefined) return;
  // The old tree's nodes hold the old names: they go, and one sorted leaf takes their place.
  const drop = (node: PDFObject | undefined) => {
    const dict = node instanceof Ref ? context.lookup(node) : node;
    const kids = dict instanceof PDFDict ? dict.lookup(PDFName.of("Kids")) : undefined;
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) drop(kid);
    if (node instanceof Ref) context.delete(node);
  };
  drop(tree);
  byId.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const names = context.obj(byId.flatMap(([id, ref]) => [PDFString.of(id), ref]));
  root.set(PDFName.of("IDTree"), context.register(context.obj({ Names: names })));
}
