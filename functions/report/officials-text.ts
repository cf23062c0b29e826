/**
 * The officials' own text for the board paper: per year, the sections they write (Ärendet's
 * introduction, Ärendets beredning, Analys, Förvaltningarnas synpunkter och förslag) and a
 * comment per indicator. Locally it is a Markdown file whose "## " headings name the sections;
 * in Google it is the spreadsheet's Rapporttext tab, a section per row, read into the same form.
 *
 * The Markdown is parsed (mdast-util-from-markdown) into a small safe model: paragraphs and
 * lists of text runs, bold or italic. Everything else is kept as plain text: HTML stays the
 * characters it was typed as, a link is its words and its address as text, an image its alt
 * text. Nothing in it can become markup, a request or a formula in any output, since every
 * output writes the runs as text.
 */
import { readFile } from "node:fs/promises";
import type { Nodes, PhrasingContent, RootContent } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { HpError } from "../shared/errors.js";
import { INDICATOR_COMMENT_HEADING, REPORT_TEXT_SECTIONS } from "../shared/vocabulary.js";
import { nameKey } from "../template/definition.js";

export interface TextRun {
  text: string;
  strong?: boolean;
  em?: boolean;
}

export type TextBlock = { kind: "paragraph"; runs: TextRun[] } | { kind: "list"; ordered: boolean; items: TextRun[][] };

export type TextSectionKey = (typeof REPORT_TEXT_SECTIONS)[number]["key"];

export interface OfficialsText {
  /** Where the text was read, as the user knows it ("sheets/rapporttext/2025.md", "fliken Rapporttext"). */
  source: string;
  sections: Map<TextSectionKey, TextBlock[]>;
  /** Comments by indicator id. */
  indicators: Map<string, TextBlock[]>;
  /** Headings that name nothing, in Swedish with their place: the text under them is not used. */
  problems: string[];
}

export const noOfficialsText = (source = ""): OfficialsText => ({ source, sections: new Map(), indicators: new Map(), problems: [] });

/** How an indicator may be named in a heading: its id, its short title or its wording. */
export interface IndicatorName {
  id: string;
  shortTitle: string;
  title: string;
}

/** Which section or indicator a heading names; undefined when none. */
export function sectionOf(heading: string, indicators: readonly IndicatorName[]): { section: TextSectionKey } | { indicator: string } | undefined {
  const key = nameKey(heading.replace(/[:.]\s*$/, ""));
  const section = REPORT_TEXT_SECTIONS.find((s) => [s.heading, ...s.also].some((h) => nameKey(h) === key));
  if (section) return { section: section.key };
  // "Kommentar: Påverka arbetet (fa1-paverka)": the id in parentheses decides.
  const byId = /\(([a-z0-9-]+)\)\s*[:.]?\s*$/.exec(heading)?.[1];
  const withId = byId ? indicators.find((i) => i.id === byId) : undefined;
  if (withId) return { indicator: withId.id };
  const named = nameKey(heading.replace(new RegExp(`^\\s*(${INDICATOR_COMMENT_HEADING}|Indikator)\\s*(till\\s+)?:?\\s*`, "i"), "").replace(/[.:]\s*$/, ""));
  const indicator = indicators.find((i) => [i.id, i.shortTitle, i.title].some((n) => nameKey(n.replace(/\.$/, "")) === named));
  return indicator ? { indicator: indicator.id } : undefined;
}

/** What is wrong with a heading that names nothing, and which headings there are. */
export function unknownHeading(where: string, heading: string): string {
  return `${where}: rubriken ”${heading}” är inget avsnitt, så texten under den används inte. Avsnitten är ${REPORT_TEXT_SECTIONS.map((s) => `”${s.heading}”`).join(", ")} och ”${INDICATOR_COMMENT_HEADING}: ” följt av en indikators id eller korta namn.`;
}

/** Reads the Markdown file's sections. Text before the first "## " heading is not used. */
export function parseOfficialsMarkdown(markdown: string, source: string, indicators: readonly IndicatorName[]): OfficialsText {
  const text = noOfficialsText(source);
  const tree = fromMarkdown(markdown.replace(/^\uFEFF/, ""));
  let target: TextBlock[] | undefined;
  for (const node of tree.children) {
    if (node.type === "heading" && node.depth <= 2) {
      target = undefined;
      if (node.depth === 1) continue;
      const heading = plain(node);
      const named = sectionOf(heading, indicators);
      if (!named) {
        text.problems.push(unknownHeading(`${source}, rad ${node.position?.start.line ?? "?"}`, heading));
        continue;
      }
      target = [];
      if ("section" in named) text.sections.set(named.section, target);
      else text.indicators.set(named.indicator, target);
      continue;
    }
    if (target) target.push(...blocks(node));
  }
  for (const map of [text.sections, text.indicators] as Map<string, TextBlock[]>[]) {
    for (const [key, value] of map) if (value.length === 0) map.delete(key);
  }
  return text;
}

/**
 * Reads the officials' Markdown file. A file that was asked for by name must be there; the
 * year's default file may be missing, and then every section is a marked draft.
 */
export async function readOfficialsMarkdown(
  path: string,
  shown: string,
  indicators: readonly IndicatorName[],
  { required }: { required: boolean },
): Promise<OfficialsText> {
  let markdown: string;
  try {
    markdown = await readFile(path, "utf8");
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === "ENOENT") return noOfficialsText(shown);
    throw new HpError("usage", `Rapporttexten ${shown} saknas eller kan inte läsas.`);
  }
  return parseOfficialsMarkdown(markdown, shown, indicators);
}

/** One section's text, as typed in a cell of the Rapporttext tab: the same Markdown subset. */
export function parseSectionMarkdown(markdown: string): TextBlock[] {
  return fromMarkdown(markdown.replace(/^\uFEFF/, "")).children.flatMap(blocks);
}

function blocks(node: RootContent): TextBlock[] {
  switch (node.type) {
    case "paragraph":
      return paragraph(runs(node.children));
    case "heading":
      return paragraph(runs(node.children).map((r) => ({ ...r, strong: true })));
    case "list":
      return [
        {
          kind: "list",
          ordered: node.ordered === true,
          items: node.children.map((item) => item.children.flatMap((child) => itemRuns(child))).filter((r) => r.length > 0),
        },
      ];
    case "blockquote":
      return node.children.flatMap(blocks);
    case "code":
    case "html":
      return node.value.trim() ? paragraph([{ text: node.value }]) : [];
    default:
      // Thematic breaks, definitions and the like carry no text of their own.
      return "children" in node ? paragraph([{ text: plain(node) }]) : [];
  }
}

/** A list item's content as one line of runs; a nested list's items follow, separated by semicolons. */
function itemRuns(node: RootContent): TextRun[] {
  const inner = blocks(node);
  return inner.flatMap((b, i) => {
    const sep = i > 0 ? [{ text: " " }] : [];
    if (b.kind === "paragraph") return [...sep, ...b.runs];
    return [...sep, ...b.items.flatMap((item, k) => (k > 0 ? [{ text: "; " }, ...item] : item))];
  });
}

function paragraph(content: TextRun[]): TextBlock[] {
  const merged = mergeRuns(content);
  return merged.some((r) => r.text.trim()) ? [{ kind: "paragraph", runs: merged }] : [];
}

function runs(nodes: PhrasingContent[], style: { strong?: boolean; em?: boolean } = {}): TextRun[] {
  return nodes.flatMap((node): TextRun[] => {
    switch (node.type) {
      case "text":
      case "inlineCode":
      case "html":
        return [{ text: clean(node.value), ...style }];
      case "strong":
        return runs(node.children, { ...style, strong: true });
      case "emphasis":
        return runs(node.children, { ...style, em: true });
      case "break":
        return [{ text: " ", ...style }];
      case "link": {
        const words = runs(node.children, style);
        const label = words.map((r) => r.text).join("");
        return label === node.url ? words : [...words, { text: ` (${clean(node.url)})`, ...style }];
      }
      case "image":
        return node.alt ? [{ text: clean(node.alt), ...style }] : [];
      default:
        return "children" in node ? runs(node.children as PhrasingContent[], style) : "value" in node ? [{ text: clean(String(node.value)), ...style }] : [];
    }
  });
}

/** Adjacent runs of the same style as one; line breaks inside a paragraph as spaces. */
function mergeRuns(content: TextRun[]): TextRun[] {
  const out: TextRun[] = [];
  for (const run of content) {
    const text = run.text.replace(/\s*\n\s*/g, " ");
    const last = out.at(-1);
    if (last && !!last.strong === !!run.strong && !!last.em === !!run.em) last.text += text;
    else out.push({ text, ...(run.strong ? { strong: true } : {}), ...(run.em ? { em: true } : {}) });
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not text, and Word and XML refuse them.
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");

function plain(node: Nodes): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("children" in node) return (node.children as Nodes[]).map(plain).join("");
  if (node.type === "image") return node.alt ?? "";
  return "";
}

/** Plain sentences as paragraphs, for generated text; empty ones are left out. */
export const paragraphs = (...texts: string[]): TextBlock[] => texts.filter((t) => t.trim()).map((t) => ({ kind: "paragraph", runs: [{ text: t }] }));
