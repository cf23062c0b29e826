/**
 * Reminders by e-mail, as the project leader sends them with hp remind and the schedule does:
 * to a real SMTP server on loopback, read back as a mail client would; the rules' days, a dry
 * run that sends and writes nothing, never the same unit twice in a day, a bad address and a
 * refused one logged while the unit's other contacts still get it, the password only from the
 * environment, and a broken contacts file refused with its name.
 */
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_REMINDER_RULES } from "../functions/catalogue/schema.js";
import { needsReminder } from "../functions/reminders/message.js";
import { occasionToday, rulesSentence } from "../functions/reminders/rules.js";
import { EXAMPLES, hpWithEnv, ROOT, tempDir } from "./helpers.js";
import { type LoopbackSmtp, loopbackSmtp } from "./support/smtp.js";

/** Seconds since 1970 of a Stockholm morning. */
const morning = (day: string) => String(Math.floor(new Date(`${day}T08:00:00+01:00`).getTime() / 1000));

describe("the reminder days", () => {
  const rules = { daysBefore: [14, 3], onDeadline: true, everyDaysAfter: 7 };
  const at = (day: string) => occasionToday(rules, "2026-02-13", new Date(`${day}T08:00:00+01:00`));

  it("are the days before, the day itself and every week after, in Stockholm", () => {
    expect(at("2026-01-30")).toEqual({ occasion: "före", days: 14 });
    expect(at("2026-02-10")).toEqual({ occasion: "före", days: 3 });
    expect(at("2026-02-13")).toEqual({ occasion: "sista dagen", days: 0 });
    expect(at("2026-02-20")).toEqual({ occasion: "sen", days: -7 });
    expect(at("2026-02-27")).toEqual({ occasion: "sen", days: -14 });
    for (const day of ["2026-01-29", "2026-02-05", "2026-02-12", "2026-02-14", "2026-02-19"]) expect(at(day)).toBeUndefined();
    // Late in the evening of the deadline day (23:30 Stockholm) is still the deadline day.
    expect(occasionToday(rules, "2026-02-13", new Date("2026-02-13T22:30:00Z"))).toEqual({ occasion: "sista dagen", days: 0 });
    expect(occasionToday({ ...rules, everyDaysAfter: 0 }, "2026-02-13", new Date("2026-02-20T08:00:00+01:00"))).toBeUndefined();
  });

  it("are said in one sentence", () => {
    expect(rulesSentence(DEFAULT_REMINDER_RULES)).toBe("Påminnelser skickas 14 och 3 dagar före sista dag, på sista dagen och varje vecka efter.");
    expect(rulesSentence({ daysBefore: [], onDeadline: false, everyDaysAfter: 0 })).toMatch(/Inga påminnelser/);
  });

  it("skip a unit that only waits for the project leader's approval, and units that count", () => {
    expect(needsReminder({ admitted: false, reason: "not-approved" })).toBe(false);
    expect(needsReminder({ admitted: true, reason: undefined })).toBe(false);
    expect(needsReminder({ admitted: false, reason: "submitted-with-errors" })).toBe(true);
  });
});

describe("hp remind", () => {
  let smtp: LoopbackSmtp;
  let dir = "";
  let env: NodeJS.ProcessEnv = {};
  const historyDir = () => join(dir, "historik");
  const logged = async () => {
    const folder = join(historyDir(), "påminnelser", "2025");
    const names = await readdir(folder).catch(() => [] as string[]);
    return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(folder, n), "utf8"))));
  };

  beforeAll(async () => {
    // Skarpnäck's refused chef: a relay that does not know the address.
    smtp = await loopbackSmtp({ refuse: (a) => a.startsWith("chef.") });
    dir = await tempDir();
    await cp(EXAMPLES, join(dir, "inlamnat"), { recursive: true });
    // Bromma has not begun: no file.
    await rm(join(dir, "inlamnat", "2025-bromma.xlsx"));
    await cp(join(ROOT, "sheets", "kontakter"), join(dir, "kontakter"), { recursive: true });
    const contacts = (await readFile(join(dir, "kontakter", "2025.yaml"), "utf8")).replace(
      "bromma: [{ name: Rapportör Bromma, email: bromma@stad.example }]",
      "bromma: [{ name: Rapportör Bromma, email: bromma@stad.example }, { name: Vikarie, email: vikarie.stad.example }]",
    );
    await writeFile(join(dir, "kontakter", "2025.yaml"), contacts);
    env = {
      HP_INPUT_DIR: join(dir, "inlamnat"),
      HP_HISTORY_DIR: historyDir(),
      HP_CONTACTS_DIR: join(dir, "kontakter"),
      HP_SMTP_URL: smtp.url,
      HP_MAIL_FROM: "uppfoljning@stad.example",
    };
  });
  afterAll(() => smtp?.close());

  it("lists who would get what in a dry run, and sends and writes nothing", async () => {
    const r = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-10") }, "remind", "--year", "2025", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Provkörning: ingenting skickas.");
    expect(r.out).toMatch(/Bromma \(inte påbörjad\): till bromma@stad\.example; ogiltiga adresser: vikarie\.stad\.example\. Ämne: Påminnelse: uppföljningen 2025 för Bromma/);
    expect(r.out).toMatch(/Skarpnäck \(klar med fel\): till skarpnack@stad\.example, chef\.skarpnack@stad\.example/);
    // Units that count are not reminded.
    expect(r.out).not.toContain("Farsta");
    expect(smtp.messages).toHaveLength(0);
    expect(await logged()).toHaveLength(0);
  });

  it("says so on a day that is no reminder day", async () => {
    const r = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-05") }, "remind", "--year", "2025");
    expect(r.code).toBe(0);
    expect(r.out).toContain("I dag är ingen påminnelsedag.");
    expect(smtp.messages).toHaveLength(0);
  });

  it("sends each unit's contacts one Swedish reminder with its state, what is left, the deadline and its file; logs the refused", async () => {
    const r = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-10") }, "remind", "--year", "2025", "--by", "Projektledaren");
    // Something could not be sent (a bad address, a refused one): the project leader must act.
    expect(r.code).toBe(1);
    await smtp.received(2);
    const skarpnack = smtp.messages.find((m) => m.subject.includes("Skarpnäck"))!;
    expect(skarpnack.subject).toBe("Påminnelse: uppföljningen 2025 för Skarpnäck");
    expect(skarpnack.from).toBe("uppfoljning@stad.example");
    expect(skarpnack.to).toEqual(["skarpnack@stad.example"]);
    expect(skarpnack.text).toContain("Läge just nu: klar med fel, 7 fel, 3 varningar.");
    expect(skarpnack.text).toContain("- Rätta de 7 felen; de är markerade vid cellerna och listade i fliken Kontrollresultat.");
    expect(skarpnack.text).toContain("Sista dag att lämna in är 13 februari 2026, om 3 dagar.");
    expect(skarpnack.text).toContain("Enhetens fil: 2025-skarpnack.xlsx");
    expect(skarpnack.headers.get("auto-submitted")).toBe("auto-generated");
    const bromma = smtp.messages.find((m) => m.subject.includes("Bromma"))!;
    expect(bromma.to).toEqual(["bromma@stad.example"]);
    expect(bromma.text).toContain("- Fyll i enhetens flik.");
    expect(bromma.text).toContain("- Markera fliken Klar att lämna in.");
    expect(smtp.messages).toHaveLength(2);

    const records = await logged();
    expect(records).toHaveLength(2);
    const s = records.find((x) => x.unit === "skarpnack");
    expect(s).toMatchObject({ ok: true, by: "Projektledaren", occasion: "före", to: ["skarpnack@stad.example"] });
    expect(s.refused).toEqual([{ email: "chef.skarpnack@stad.example", reason: expect.stringMatching(/^550/) }]);
    expect(records.find((x) => x.unit === "bromma").refused).toEqual([{ email: "vikarie.stad.example", reason: "inte en e-postadress" }]);
    expect(r.out).toMatch(/Skarpnäck \(klar med fel\): Skickad \(<.+>\)\. Till skarpnack@stad\.example\. Ej till: chef\.skarpnack@stad\.example \(550/);
  });

  it("never reminds a unit twice on one day, whoever asks", async () => {
    const again = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-10") }, "remind", "--year", "2025");
    expect(again.code).toBe(0);
    expect(again.out).toContain("Skarpnäck (klar med fel): skickas inte, påmind redan i dag.");
    const asked = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-10") }, "remind", "--year", "2025", "--unit", "Bromma");
    expect(asked.out).toContain("påmind redan i dag");
    expect(smtp.messages).toHaveLength(2);
    expect(await logged()).toHaveLength(2);
  });

  it("reminds the units asked for on any day, and late units after the deadline", async () => {
    const asked = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-11") }, "remind", "--year", "2025", "--unit", "skarpnack");
    expect(asked.code).toBe(1); // the chef's address is still refused
    await smtp.received(3);
    expect(smtp.messages[2]!.subject).toBe("Påminnelse: uppföljningen 2025 för Skarpnäck");
    const late = await hpWithEnv({ ...env, SOURCE_DATE_EPOCH: morning("2026-02-20") }, "remind", "--year", "2025");
    await smtp.received(5);
    expect(late.out).toContain("2 påminnelser skickade");
    const lateMail = smtp.messages.slice(3).find((m) => m.subject.includes("Bromma"))!;
    expect(lateMail.subject).toBe("Sen inlämning: uppföljningen 2025 för Bromma");
    expect(lateMail.text).toContain("Sista dag att lämna in var 13 februari 2026, för 7 dagar sedan.");
    expect((await logged()).map((x) => x.occasion).sort()).toEqual(["före", "före", "på begäran", "sen", "sen"]);
  });

  it("refuses without a mail server, a password in the server's address, and a contacts file that names an unknown unit or breaks a header", async () => {
    const day = { ...env, SOURCE_DATE_EPOCH: morning("2026-02-13") };
    const noServer = await hpWithEnv({ ...day, HP_SMTP_URL: "" }, "remind", "--year", "2025");
    expect(noServer.code).toBe(2);
    expect(noServer.err).toContain("HP_SMTP_URL saknas");
    const inUrl = await hpWithEnv({ ...day, HP_SMTP_URL: "smtp://hp:hemligt@127.0.0.1:25" }, "remind", "--year", "2025");
    expect(inUrl.code).toBe(2);
    expect(inUrl.err).toContain("HP_SMTP_PASSWORD");
    expect(inUrl.err).not.toContain("hemligt");
    const broken = join(dir, "trasiga");
    await cp(join(dir, "kontakter"), broken, { recursive: true });
    await writeFile(join(broken, "2025.yaml"), "contacts:\n  atlantis: [{ name: Någon, email: a@stad.example }]\n");
    const unknown = await hpWithEnv({ ...day, HP_CONTACTS_DIR: broken }, "remind", "--year", "2025");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Kontaktfilen .*2025\.yaml nämner enheter som inte rapporterar 2025: atlantis/);
    await writeFile(join(broken, "2025.yaml"), 'contacts:\n  bromma: [{ name: "Anna\\nBcc: x@evil.example", email: a@stad.example }]\n');
    const header = await hpWithEnv({ ...day, HP_CONTACTS_DIR: broken }, "remind", "--year", "2025");
    expect(header.code).toBe(2);
    expect(header.err).toContain("har fel, ingen påminnelse skickas");
    const missing = await hpWithEnv({ ...day, HP_CONTACTS_DIR: join(dir, "finns-inte") }, "remind", "--year", "2025");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("finns inte");
    expect(smtp.messages).toHaveLength(5);
  });
});

describe("hp remind with a relay that needs a password", () => {
  it("logs in with HP_SMTP_PASSWORD, and logs a refused login without the password", async () => {
    const relay = await loopbackSmtp({ password: "rätt-lösen" });
    try {
      const dir = await tempDir();
      await cp(EXAMPLES, join(dir, "inlamnat"), { recursive: true });
      const env = {
        HP_INPUT_DIR: join(dir, "inlamnat"),
        HP_HISTORY_DIR: join(dir, "historik"),
        HP_CONTACTS_DIR: join(ROOT, "sheets", "kontakter"),
        HP_SMTP_URL: relay.url.replace("smtp://", "smtp://hp-relay@"),
        HP_MAIL_FROM: "uppfoljning@stad.example",
        SOURCE_DATE_EPOCH: morning("2026-02-13"),
      };
      const wrong = await hpWithEnv({ ...env, HP_SMTP_PASSWORD: "fel-lösen" }, "remind", "--year", "2025");
      expect(wrong.code).toBe(1);
      expect(wrong.out).toContain("e-postservern godtog inte inloggningen");
      expect(wrong.out + wrong.err).not.toContain("fel-lösen");
      const right = await hpWithEnv({ ...env, HP_SMTP_PASSWORD: "rätt-lösen" }, "remind", "--year", "2025");
      // A failed attempt does not count as a reminder: the same day, with the right password, it goes.
      expect(right.code).toBe(0);
      await relay.received(1);
      expect(relay.logins.map((l) => l.ok)).toEqual([false, true]);
      expect(relay.messages[0]!.subject).toBe("Påminnelse: uppföljningen 2025 för Skarpnäck");
      const log = await readdir(join(dir, "historik", "påminnelser", "2025"));
      const texts = await Promise.all(log.map((n) => readFile(join(dir, "historik", "påminnelser", "2025", n), "utf8")));
      expect(texts.join("")).not.toContain("lösen");
    } finally {
      await relay.close();
    }
  });
});
