// Shared by every view: DOM and formatting helpers, the timers of the current screen, the banner,
// loading a screen, and the header.
import { describe } from './api';

export const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T;
export const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
export const main = () => $('#main');
export const store = {
  get: (k: string) => localStorage.getItem('ce.' + k),
  set: (k: string, v: string) => localStorage.setItem('ce.' + k, v),
  del: (k: string) => localStorage.removeItem('ce.' + k),
};
export const ms = (v: number) => v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`;
export const mib = (b: number) => `${(b / 1048576).toFixed(b < 10485760 ? 1 : 0)} MiB`;
export const durationMs = (d: string | number) => typeof d === 'number' ? d * 1000 : Math.round(parseFloat(d.replace(/^PT|S$/g, '')) * 1000);
/** A moment with its time zone, as every participant reads it in theirs. */
export const when = (iso: string) => new Date(iso).toLocaleString(undefined,
  { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
export const hms = (t: number) => { const s = Math.max(0, Math.ceil(t / 1000)); return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`; };
export const letter = (i: number) => String.fromCharCode(65 + i);

export const VERDICTS: Record<string, string> = { AC: 'Accepted', WA: 'Wrong answer', TLE: 'Time limit exceeded', MLE: 'Memory limit exceeded',
  RE: 'Runtime error', OLE: 'Output limit exceeded', CE: 'Compile error', IE: 'Internal error',
  NR: 'Not run: an earlier rejected test decided its group' };
export const verdictBadge = (v: string | null, status = 'DONE') => v ? `<span class="verdict v-${esc(v)}" title="${esc(VERDICTS[v] ?? v)}">${esc(v)}</span>`
  : `<span class="verdict pending">${esc(status)}</span>`;

// ------------------------------------------------------------------ screens: timers, routing

/** Timers of the current screen, stopped when the route changes; {@code screen} counts screens, so a late answer of an old one is dropped. */
let timers: number[] = [];
let screen = 0;
export const every = (f: () => void, msInterval: number) => timers.push(window.setInterval(f, msInterval));
/** Keeps a timer of the current screen, to be stopped with it. */
export const keepTimer = (t: number) => timers.push(t);
/** The current screen's number: compare it later to drop the answers of a screen left behind. */
export const currentScreen = () => screen;
/** Stops the previous screen's timers and starts counting a new screen. */
export function newScreen() {
  timers.forEach(clearInterval);
  timers = [];
  screen++;
}

let router: () => Promise<void> = async () => {};
/** Set once by main.ts: draws the screen the address names. */
export const setRouter = (r: () => Promise<void>) => { router = r; };
/** Draws the current screen again (or the one the address now names). */
export const route = () => router();

export function banner(message: string | null, retry?: () => void) {
  const b = $('#banner');
  b.innerHTML = message ? `<p>${esc(message)}</p>${retry ? '<button type="button" id="retry">Retry</button>' : ''}` : '';
  b.className = message ? 'shown' : '';
  if (retry) $('#retry', b).onclick = () => { banner(null); retry(); };
}

/** A banner a screen asks for once it has rendered (a screen drawn from this browser's copy while the server is away). */
let bannerAfterLoad: { message: string; retry: () => void } | null = null;
export const bannerOnceLoaded = (message: string, retry: () => void) => { bannerAfterLoad = { message, retry }; };

/** Loads a screen; on failure says why and offers a retry instead of spinning. */
export async function load(render: () => Promise<void>) {
  main().innerHTML = '<p class="muted" role="status">Loading…</p>';
  bannerAfterLoad = null;
  try {
    await render();
    const after = bannerAfterLoad as { message: string; retry: () => void } | null;
    banner(after?.message ?? null, after?.retry);
  } catch (e) {
    main().innerHTML = `<p class="error">${esc(describe(e))}</p>`;
    banner(describe(e), () => load(render));
  }
}

export function header(html: string) { $('#top').innerHTML = `<nav aria-label="Main"><a href="#/" class="brand">Coding Engine</a>${html}<a href="#/admin">Admin</a></nav>`; }
