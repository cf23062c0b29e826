/**
 * remindScheduled as Cloud Scheduler and Pub/Sub call it: a CloudEvent to a real Functions
 * Framework server on loopback, which reminds the units that do not count yet by SMTP (a real
 * server on loopback) on a reminder day, once, and logs it; a second event the same day sends
 * nothing.
 */
import { cp, readdir } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, ROOT, tempDir } from "./helpers.js";
import { type LoopbackSmtp, loopbackSmtp } from "./support/smtp.js";

let smtp: LoopbackSmtp;
let server: Server;
let url = "";
let historyDir = "";

beforeAll(async () => {
  smtp = await loopbackSmtp();
  const dir = await tempDir();
  historyDir = join(dir, "historik");
  await cp(EXAMPLES, join(dir, "inlamnat"), { recursive: true });
  Object.assign(process.env, {
    HP_BACKEND: "local",
    HP_AUTH_DISABLED: "1",
    HP_YEAR: "2025",
    HP_INPUT_DIR: join(dir, "inlamnat"),
    HP_OUT_DIR: join(dir, "out"),
    HP_HISTORY_DIR: historyDir,
    HP_CONTACTS_DIR: join(ROOT, "sheets", "kontakter"),
    HP_SMTP_URL: smtp.url,
    HP_MAIL_FROM: "uppfoljning@stad.example",
    // The morning of the deadline day, 2026-02-13.
    SOURCE_DATE_EPOCH: String(Math.floor(new Date("2026-02-13T07:30:00+01:00").getTime() / 1000)),
  });
  await import("../functions/index.js");
  const { getTestServer } = await import("@google-cloud/functions-framework/testing");
  server = getTestServer("remindScheduled") as unknown as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await smtp?.close();
});

const event = (id: string) =>
  fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "ce-id": id,
      "ce-specversion": "1.0",
      "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
      "ce-source": "//pubsub.googleapis.com/projects/hp/topics/hp-remind",
    },
    body: JSON.stringify({ message: { data: Buffer.from("{}").toString("base64") } }),
  });

describe("remindScheduled over a real Functions Framework server", () => {
  it("reminds the unit that does not count on the deadline day, once, and logs it", async () => {
    expect((await event("1")).status).toBeLessThan(300);
    await smtp.received(1);
    expect(smtp.messages[0]!.subject).toBe("Påminnelse: uppföljningen 2025 för Skarpnäck");
    expect(smtp.messages[0]!.text).toContain("Sista dag att lämna in är i dag, 13 februari 2026.");
    expect(await readdir(join(historyDir, "påminnelser", "2025"))).toHaveLength(1);
    expect((await event("2")).status).toBeLessThan(300);
    expect(smtp.messages).toHaveLength(1);
    expect(await readdir(join(historyDir, "påminnelser", "2025"))).toHaveLength(1);
  });
});
