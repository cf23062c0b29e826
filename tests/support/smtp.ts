/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it is given, parsed by
 * mailparser, so tests read reminders as a mail client would. Recipients can be refused (550)
 * and a password required, as a relay would.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}

export interface LoopbackSmtp {
  url: string;
  messages: ReceivedMail[];
  /** Logins the server saw: user names, and whether the password was right. */
  logins: { user: string; ok: boolean }[];
  /** Resolves when this many messages have arrived. */
  received(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function loopbackSmtp(options: { refuse?: (address: string) => boolean; password?: string } = {}): Promise<LoopbackSmtp> {
  const messages: ReceivedMail[] = [];
  const logins: { user: string; ok: boolean }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: options.password === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      const ok = auth.password === options.password;
      logins.push({ user: auth.username ?? "", ok });
      if (!ok) return callback(new Error("Fel användarnamn eller lösenord"));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) return callback(Object.assign(new Error("Ingen sådan brevlåda"), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: mail.from?.value[0]?.address ?? "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            headers: mail.headers,
          });
          for (const w of waiters.filter((w) => messages.length >= w.count)) w.resolve();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    logins,
    received: (count) => (messages.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
