// Sessions: who is signed in to which contest in this browser, signing out, and what a sign-out
// forgets here (the session and this participant's drafts; the server keeps the drafts).
import { ApiError, call, describe } from './api';
import { route, store } from './ui';
import type { Entry } from './types';
import { forgetClarifications } from './clarifications';

export const entryOf = (contest: string): Entry | null => JSON.parse(store.get('entry.' + contest) ?? 'null');

/** A message for the next screen (e.g. why the session ended), shown once. */
let notice: string | null = null;
/** The message for this screen, forgotten once read. */
export const takeNotice = () => { const n = notice; notice = null; return n; };

export const draftPrefix = (contestId: string, participant: string) => `draft.${contestId}.${participant}.`;

/** Forgets the session and this participant's drafts in this browser (the drafts are kept on the server). */
function forget(contestId: string, participant: string) {
  store.del('entry.' + contestId);
  store.del('cache.' + contestId);
  sessionStorage.removeItem('ce.open.' + contestId);
  sessionStorage.removeItem('ce.load.' + contestId);
  const prefix = 'ce.' + draftPrefix(contestId, participant);
  Object.keys(localStorage).filter(k => k.startsWith(prefix)).forEach(k => localStorage.removeItem(k));
  forgetClarifications(contestId, participant);
}

/** Drafts of this browser not yet saved on the server. */
function unsavedDrafts(contestId: string, participant: string): number {
  const prefix = 'ce.' + draftPrefix(contestId, participant);
  return Object.keys(localStorage).filter(k => k.startsWith(prefix) && JSON.parse(localStorage.getItem(k) ?? '{}').dirty).length;
}

export async function signOut(contestId: string) {
  const entry = entryOf(contestId);
  if (!entry) return;
  const unsaved = unsavedDrafts(contestId, entry.participant);
  if (unsaved && !confirm(`${unsaved} draft(s) are not saved on the server yet and will be lost on this browser. Sign out anyway?`)) return;
  try {
    await call(`/api/v1/contests/${encodeURIComponent(contestId)}/session`, { method: 'DELETE', key: entry.key });
    notice = `Signed out of ${contestId}. Your code is kept with your account.`;
  } catch (e) {
    // 401: the session had ended already; otherwise the server could not end it, and says so.
    notice = e instanceof ApiError && e.status === 401 ? `Signed out of ${contestId}.`
      : `Signed out on this browser, but the server could not end the session (${describe(e)}).`;
  }
  forget(contestId, entry.participant);
  if (location.hash === '#/' || location.hash === '') route(); else location.hash = '#/';
}

/** The key was revoked or signed out elsewhere: no retry can help, so say so and go to the sign-in. */
export function sessionEnded(contestId: string, e: ApiError) {
  const entry = entryOf(contestId);
  if (entry) forget(contestId, entry.participant);
  notice = `Your session in ${contestId} has ended (${e.detail || e.title}). Sign in again.`;
  location.hash = '#/';
}
