/**
 * What the functions take, in bytes and types: known to the request guard before any handler's
 * code is loaded, so this file imports nothing.
 */

/** The largest body runOnDemand takes: {"year": 2025, "steps": [...]} is far smaller. */
export const MAX_BODY_BYTES = 16 * 1024;
/** A Pub/Sub message from Cloud Scheduler, wrapped as a CloudEvent. */
export const MAX_EVENT_BYTES = 256 * 1024;
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** A filled template is about 200 kB; this leaves room for pictures people paste in. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
