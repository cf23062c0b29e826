/** Structured logs, as Cloud Logging reads them: one JSON line with severity and message. */
export const log = (severity: "INFO" | "WARNING" | "ERROR", message: string, extra: object = {}) =>
  console.log(JSON.stringify({ severity, message, ...extra }));
