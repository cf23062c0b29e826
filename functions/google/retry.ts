/**
 * Retrying Google API calls. The client's default retry does not do what we need: it retries
 * no POST (so no batchUpdate), ignores Retry-After, and does not know that Drive signals rate
 * limits with 403. Here reads and writes that are safe to repeat are retried on 429, 5xx,
 * Drive's rate-limit 403 and dropped or slow connections, with exponential backoff that
 * honours Retry-After. A write that is not safe to repeat is never retried.
 */
import type { MethodOptions } from "@googleapis/sheets";
import { googleReasons } from "./errors.js";

// The client's own types, taken from its options (gaxios ships ESM and CJS type copies that
// do not mix).
type RetryConfig = NonNullable<MethodOptions["retryConfig"]>;
type GaxiosError = Parameters<NonNullable<RetryConfig["shouldRetry"]>>[0];

export interface RetryPolicy {
  attempts: number;
  /** First delay; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A request that takes longer than this is abandoned and retried. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 20_000, timeoutMs: 60_000 };

const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded"]);

export function isRetryable(error: GaxiosError): boolean {
  const status = error.response?.status;
  if (status === undefined) return true; // no answer: reset, refused, or timed out
  if (status === 429 || status >= 500) return true;
  if (status === 403) return googleReasons(error).some((reason) => RATE_LIMIT_REASONS.has(reason));
  return false;
}

/** Delay before the next attempt: Retry-After when the server says, else exponential backoff. */
export function backoffMs(error: GaxiosError, attempt: number, policy: RetryPolicy): number {
  const header = error.response?.headers?.get?.("retry-after") ?? (error.response?.headers as unknown as Record<string, string> | undefined)?.["retry-after"];
  if (header) {
    const seconds = Number(header);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(header).getTime() - Date.now();
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, policy.maxDelayMs);
  }
  const exponential = policy.baseDelayMs * 2 ** attempt;
  return Math.min(policy.maxDelayMs, exponential * (0.75 + Math.random() * 0.5));
}

/** Request options for a call: retried when `safeToRepeat`, never otherwise. */
export function callOptions(policy: RetryPolicy, safeToRepeat: boolean): MethodOptions {
  const retryConfig: RetryConfig = {
    retry: safeToRepeat ? policy.attempts : 0,
    noResponseRetries: safeToRepeat ? policy.attempts : 0,
    httpMethodsToRetry: ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"],
    shouldRetry: (error) => {
      const attempt = error.config.retryConfig?.currentRetryAttempt ?? 0;
      return safeToRepeat && attempt < policy.attempts && isRetryable(error);
    },
    retryBackoff: async (error) => {
      const attempt = error.config.retryConfig?.currentRetryAttempt ?? 0;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(error, attempt, policy)));
    },
  };
  return { retry: safeToRepeat, retryConfig, timeout: policy.timeoutMs };
}

/**
 * Runs `attempt` until it succeeds, retrying transient errors with the same backoff. For
 * calls whose body is a stream (uploads), which the client cannot replay by itself: each try
 * makes a fresh request, and `attempt` gets the try number so it can look before it writes.
 */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n + 1 >= policy.attempts || !isRetryable(error as GaxiosError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(error as GaxiosError, n, policy)));
    }
  }
}
