/** The reasons a Google API error gives (rateLimitExceeded, storageQuotaExceeded, …). */
export function googleReasons(error: unknown): string[] {
  const e = error as { errors?: { reason?: string }[]; response?: { data?: { error?: { errors?: { reason?: string }[] } } } };
  return (e.response?.data?.error?.errors ?? e.errors ?? []).flatMap((x) => (x.reason ? [x.reason] : []));
}

/** A Google API error in one Swedish sentence, with the status and the API's own reason. */
export function describeGoogleError(error: unknown): string {
  const e = error as { response?: { status?: number; data?: { error?: { message?: string } } }; message?: string; code?: string };
  const status = e.response?.status;
  const message = e.response?.data?.error?.message ?? e.message ?? String(error);
  if (googleReasons(error).includes("storageQuotaExceeded")) {
    return `tjänstekontot kan inte äga filer (403 storageQuotaExceeded). Använd en mapp i en delad enhet (shared drive), med tjänstekontot som innehållsansvarig.`;
  }
  if (status === 403) return `åtkomst nekad (403): ${message}. Är kalkylarket eller mappen delat med tjänstekontot?`;
  if (status === 404) return `hittades inte (404): ${message}. Stämmer id:t?`;
  if (status !== undefined) return `Google svarade ${status}: ${message}`;
  return `inget svar från Google (${e.code ?? message})`;
}
