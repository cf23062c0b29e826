/**
 * Who is reminded for each unit: a per-year file the project leader edits, ÅR.yaml in the
 * contacts folder (sheets/kontakter, or HP_CONTACTS_DIR), or kontakter/ÅR.yaml in the bucket
 * for the functions. A file with an unknown unit or anything else wrong in its shape is refused
 * as a whole, with the file and the place in it, so nobody is reminded from half a list; an
 * address that is not one is refused (and logged) when a reminder is planned.
 */
import { readFile } from "node:fs/promises";
import type { Bucket } from "@google-cloud/storage";
import { parse as parseYaml } from "yaml";
import type { YearCatalogue } from "../catalogue/catalogue-for-year.js";
import { HpError } from "../shared/errors.js";
import { storageStatus } from "../shared/gcs-bucket.js";
import { z } from "../shared/zod.js";
import { expectedReporters } from "../template/layout.js";

/** One person to remind. The address is plain (no display name): nothing typed reaches a mail header but it. */
export interface Contact {
  name: string;
  email: string;
}

const ContactSchema = z.strictObject({
  name: z.string().trim().min(1).max(120).regex(/^[^\r\n<>"]+$/, "ett namn utan radbrytningar, <, > och \""),
  /** Checked when a reminder is planned: a bad address is logged as refused, the unit's other contacts still get it. */
  email: z.string().trim().min(1).max(254),
});

const ContactsFileSchema = z.strictObject({
  contacts: z.record(z.string(), z.array(ContactSchema).min(1).max(20)),
});

/** The contacts of a year: every reporter's list, empty where the file names nobody. */
export type Contacts = ReadonlyMap<string, readonly Contact[]>;

/** Reads a contacts file's text; `shown` names the file in messages. */
export function parseContacts(text: string, shown: string, yc: YearCatalogue): Contacts {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new HpError("usage", `Kontaktfilen ${shown} är inte giltig YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const result = ContactsFileSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new HpError("usage", `Kontaktfilen ${shown} har fel, ingen påminnelse skickas:\n${lines.join("\n")}`);
  }
  const known = new Set(expectedReporters(yc));
  const unknown = Object.keys(result.data.contacts).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new HpError("usage", `Kontaktfilen ${shown} nämner enheter som inte rapporterar ${yc.year}: ${unknown.join(", ")}. Ange enheternas id ur units.yaml (eller central).`);
  }
  return new Map(Object.entries(result.data.contacts).map(([id, list]) => [id, list.map((c) => ({ name: c.name, email: c.email.toLowerCase() }))]));
}

/** Where a year's contacts are read from. */
export interface ContactsSource {
  /** The year's contacts; undefined when there is no file for the year. */
  read(yc: YearCatalogue): Promise<Contacts | undefined>;
  /** Where the year's file is, as a person should read it. */
  where(year: number): string;
}

export class FolderContacts implements ContactsSource {
  constructor(
    private readonly dir: string,
    private readonly shownDir: string,
  ) {}

  where(year: number) {
    return `${this.shownDir}/${year}.yaml`;
  }

  async read(yc: YearCatalogue) {
    const text = await readFile(`${this.dir}/${yc.year}.yaml`, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw new HpError("io", `Kontaktfilen ${this.where(yc.year)} kunde inte läsas: ${error.message}`);
    });
    return text === undefined ? undefined : parseContacts(text, this.where(yc.year), yc);
  }
}

export class BucketContacts implements ContactsSource {
  constructor(private readonly bucket: Bucket) {}

  where(year: number) {
    return `gs://${this.bucket.name}/kontakter/${year}.yaml`;
  }

  async read(yc: YearCatalogue) {
    try {
      const [bytes] = await this.bucket.file(`kontakter/${yc.year}.yaml`).download();
      return parseContacts(bytes.toString("utf8"), this.where(yc.year), yc);
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw error;
    }
  }
}
