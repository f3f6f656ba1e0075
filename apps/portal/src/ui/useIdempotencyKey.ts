import { useCallback, useRef } from 'react';

/**
 * An Idempotency-Key per request body. A retry of the same body (after a network failure or a 5xx)
 * sends the same key, so the API does the work once; a changed body — the user corrected what the
 * API refused — gets a new key: the API keeps a refusal under its key and answers another body sent
 * with that key with IDEMPOTENCY_KEY_REUSED.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return useCallback((body: unknown) => {
    const text = JSON.stringify(body ?? null);
    if (last.current?.body !== text) last.current = { body: text, key: crypto.randomUUID() };
    return last.current.key;
  }, []);
}
