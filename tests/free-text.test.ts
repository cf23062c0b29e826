import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanFreeText, MAX_TEXT_LENGTH, SHORTENED } from "../functions/normalise/free-text.js";

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const INVISIBLE = /[\u200B\u2060-\u2064\uFEFF\u00AD\u180E\u115F\u1160\u3164\uFFA0]/;

describe("reporters' free text", () => {
  it("never keeps a direction or control character, never exceeds the cap, and says when it changed anything", () => {
    const pieces = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.constantFrom("\u202E", "\u2066", "\u200F", "\u0007", "\u200B", "\uFEFF", "\u2060", "\u00AD", "\r\n", "\n", "\t", "å", "😀", "👩\u200D💻"),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 200 }), fc.nat(3000), (parts, repeat) => {
        const raw = parts.join("").repeat(repeat > 2500 ? 40 : 1);
        const clean = cleanFreeText(raw);
        expect(BIDI.test(clean.text)).toBe(false);
        expect(INVISIBLE.test(clean.text)).toBe(false);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
        expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\r]/.test(clean.text)).toBe(false);
        expect([...clean.text].length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(clean.shortened).toBe(clean.text.endsWith(SHORTENED) && [...raw].length > MAX_TEXT_LENGTH);
        if (!clean.controls && !clean.shortened) expect(clean.text).toBe(raw.replace(/\r\n?/g, "\n"));
      }),
    );
  });

  it("removes a zero-width space and says so, and keeps the joiner an emoji needs", () => {
    expect(cleanFreeText("Vi har\u200B planerat")).toEqual({ text: "Vi har planerat", controls: true, shortened: false });
    expect(cleanFreeText("Utvecklare 👩\u200D💻")).toEqual({ text: "Utvecklare 👩\u200D💻", controls: false, shortened: false });
  });

  it("leaves ordinary Swedish text with line breaks as it is", () => {
    const text = "Vi har infört handledning.\nÅtta av tio deltog – se bilaga.";
    expect(cleanFreeText(text)).toEqual({ text, controls: false, shortened: false });
  });
});
