/** Where a command writes, so that tests can run commands in-process and read what they said. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Exit statuses: 0 all well, 1 the input has errors the user must fix, 2 the command could not run. */
export const EXIT = { ok: 0, findings: 1, failed: 2 } as const;
