/**
 * The few error classes of the pipeline. Each carries a machine-readable code; only the edge
 * (CLI, Cloud Functions) maps them to exit codes or HTTP statuses. Messages are Swedish and
 * name the offending value, because they are shown to people as they are.
 */

export const ERROR_CODES = [
  /** The catalogue under sheets/ is broken. */
  "catalogue",
  /** The command was called wrongly (flags, year not opened, path not found). */
  "usage",
  /** The history file (earlier years) is broken. */
  "history",
  /** A file could not be written or read for reasons outside the input's content. */
  "io",
  /** Another run holds the year's lock. */
  "busy",
  /** A Google API refused or failed (after retries). */
  "google",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class HpError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HpError";
    this.code = code;
  }
}

export function isHpError(error: unknown): error is HpError {
  return error instanceof HpError;
}
