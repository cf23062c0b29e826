import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cleanFreeText, MAX_TEXT_LENGTH, SHORTENED } from "../functions/normalise/free-text.js";

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe("reporters' free text", () => {
  it("never keeps a direction or control character, never exceeds the cap, and says when it changed anything", () => {
    const pieces = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.constantFrom("\u202E", "\u2066", "\u200F", "\u0007", "\r\n", "\n", "\t", "å", "😀"),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 200 }), fc.nat(3000), (parts, repeat) => {
        const raw = parts.join("").repeat(repeat > 2500 ? 40 : 1);
        const clean = cleanFreeText(raw);
        expect(BIDI.test(clean.text)).toBe(false);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
        expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\r]/.test(clean.text)).toBe(false);
        expect([...clean.text].length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
        expect(clean.shortened).toBe(clean.text.endsWith(SHORTENED) && [...raw].length > MAX_TEXT_LENGTH);
        if (!clean.controls && !clean.shortened) expect(clean.text).toBe(raw.replace(/\r\n?/g, "\n"));
      }),
    );
  });

  it("leaves ordinary Swedish text with line breaks as it is", () => {
    const text = "Vi har infört handledning.\nÅtta av tio deltog – se bilaga.";
    expect(cleanFreeText(text)).toEqual({ text, controls: false, shortened: false });
  });
});
