/**
 * The signed-in session: the API's access token and who it is for. Kept in sessionStorage (one
 * tab, gone when it closes) and ended when the token expires or the API refuses it.
 */
import { useSyncExternalStore } from 'react';
import type { Principal } from '../api/types';

export interface Session {
  token: string;
  expiresAt: number;
  principal: Principal;
}

export type SessionEnd = 'signed-out' | 'expired';

const KEY = 'wholesail.session';
const listeners = new Set<() => void>();
let current: Session | null = load();
let ended: SessionEnd | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
scheduleExpiry();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const session = raw ? (JSON.parse(raw) as Session) : null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

function emit(): void {
  for (const listener of listeners) listener();
}

function scheduleExpiry(): void {
  clearTimeout(expiryTimer);
  if (current) expiryTimer = setTimeout(() => endSession('expired'), Math.max(0, current.expiresAt - Date.now()));
}

export function getSession(): Session | null {
  return current;
}

export function startSession(token: string, expiresInSeconds: number, principal: Principal): void {
  current = { token, expiresAt: Date.now() + expiresInSeconds * 1000, principal };
  ended = null;
  sessionStorage.setItem(KEY, JSON.stringify(current));
  scheduleExpiry();
  emit();
}

export function endSession(reason: SessionEnd): void {
  if (!current) return;
  current = null;
  ended = reason;
  sessionStorage.removeItem(KEY);
  clearTimeout(expiryTimer);
  emit();
}

/** Why the last session ended (the login page says so), until the next sign-in. */
export function sessionEnd(): SessionEnd | null {
  return ended;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, getSession);
}
