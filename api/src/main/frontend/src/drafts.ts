// Drafts: kept on the server per participant, checked for conflicts, and in this browser.
import { ApiError, call, describe } from './api';
import { currentScreen, store } from './ui';
import { draftPrefix } from './session';
import type { Entry } from './types';

export interface Draft { problemId: string; language: string; code: string; revision: number; savedAt: string; }
interface LocalDraft { code: string; revision: number; dirty: boolean; }

/**
 * The drafts of one problem: the server's copy (per participant, any device) and this browser's
 * (saved on every keystroke, so nothing is lost while the server is away). Each save names the
 * revision it was based on; a 409 means another tab or device saved in between, and the
 * participant chooses which code to keep.
 */
export class Drafts {
  private readonly server = new Map<string, Draft>();
  private readonly revision = new Map<string, number>();
  /** A pending save per language: switching languages while one waits must not cancel it. */
  private readonly timers = new Map<string, number>();
  private saving = false;
  private readonly gen = currentScreen();  // a screen left behind saves no more (the next one has its own)
  conflict: { language: string; current: Draft } | null = null;

  constructor(private readonly contestId: string, private readonly entry: Entry, private readonly problemId: string,
              private readonly status: (text: string, kind?: 'ok' | 'bad' | '') => void,
              private readonly onConflict: (language: string, current: Draft) => void) {}

  private key(language: string) { return `${draftPrefix(this.contestId, this.entry.participant)}${this.problemId}.${language}`; }
  private local(language: string): LocalDraft | null { return JSON.parse(store.get(this.key(language)) ?? 'null'); }
  private keep(language: string, d: LocalDraft) { store.set(this.key(language), JSON.stringify(d)); }

  async load() {
    const list = await call<Draft[]>(`/api/v1/contests/${encodeURIComponent(this.contestId)}/drafts/${encodeURIComponent(this.problemId)}`, { key: this.entry.key });
    list.forEach(d => this.server.set(d.language, d));
    // A page left within a moment of typing did not save (the next page saves its own): the
    // problem's drafts of every language that this browser holds unsaved are saved now, when
    // the server has not changed them since (else the language, once shown, asks which to keep).
    const prefix = 'ce.' + this.key('');
    Object.keys(localStorage).filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length))
      .filter(language => !language.includes('.'))  // another problem whose id continues this one's after a dot
      .forEach(language => {
      const local = this.local(language);
      if (local?.dirty && local.revision === (this.server.get(language)?.revision ?? 0)) {
        this.revision.set(language, local.revision);
        this.schedule(language);
      }
    });
  }

  /** The code to show for a language: unsaved edits of this browser, else the server's, else none. */
  code(language: string): string | null {
    const local = this.local(language), srv = this.server.get(language);
    const srvRevision = srv?.revision ?? 0;
    if (local?.dirty) {
      this.revision.set(language, local.revision);
      if (local.revision === srvRevision) this.schedule(language);
      else if (srv) { this.conflict = { language, current: srv }; queueMicrotask(() => this.onConflict(language, srv)); }
      return local.code;
    }
    if (srv) {
      this.revision.set(language, srv.revision);
      this.keep(language, { code: srv.code, revision: srv.revision, dirty: false });
      return srv.code;
    }
    // No server copy: the server is away (this browser's copy, saved as it was), or there is none yet.
    this.revision.set(language, local?.revision ?? 0);
    return local?.code ?? null;
  }

  edited(language: string, code: string) {
    this.keep(language, { code, revision: this.revision.get(language) ?? 0, dirty: true });
    this.status('Editing…', '');
    this.schedule(language);
  }

  private schedule(language: string, ms = 800) {
    clearTimeout(this.timers.get(language));
    this.timers.set(language, window.setTimeout(() => this.save(language), ms));
  }

  /** Takes the other tab's or device's code. */
  takeTheirs(language: string, current: Draft) {
    this.conflict = null;
    this.server.set(language, current);
    this.revision.set(language, current.revision);
    this.keep(language, { code: current.code, revision: current.revision, dirty: false });
    this.status(`Saved (revision ${current.revision})`, 'ok');
  }

  /** Keeps this tab's code, saving it over the other one. */
  keepMine(language: string, current: Draft) {
    this.conflict = null;
    this.revision.set(language, current.revision);
    const local = this.local(language);
    if (local) this.keep(language, { ...local, revision: current.revision, dirty: true });
    this.save(language);
  }

  async save(language: string) {
    const local = this.local(language);
    if (!local?.dirty || this.conflict || this.gen !== currentScreen()) return;
    if (this.saving) { this.schedule(language, 300); return; }
    this.saving = true;
    this.status('Saving…', '');
    try {
      const saved = await call<Draft>(`/api/v1/contests/${encodeURIComponent(this.contestId)}/drafts/${encodeURIComponent(this.problemId)}/${encodeURIComponent(language)}`,
        { method: 'PUT', key: this.entry.key, body: { code: local.code, baseRevision: local.revision } });
      this.revision.set(language, saved.revision);
      this.server.set(language, saved);
      const now = this.local(language);
      // Typed on while saving: still dirty, based on the new revision.
      this.keep(language, { code: now?.code ?? saved.code, revision: saved.revision, dirty: (now?.code ?? saved.code) !== saved.code });
      if (now && now.code !== saved.code) this.schedule(language);
      this.status(`Saved (revision ${saved.revision})`, 'ok');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.body?.current) {
        this.conflict = { language, current: e.body.current };
        this.status('Not saved: changed in another tab or device', 'bad');
        this.onConflict(language, e.body.current);
      } else if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.status(`Not saved: ${describe(e)}`, 'bad');
      } else {
        this.status(`Not saved on the server (${e instanceof ApiError ? e.title : String(e)}); kept in this browser, retrying`, 'bad');
        this.schedule(language, e instanceof ApiError && e.retryAfter ? e.retryAfter * 1000 : 5000);
      }
    } finally { this.saving = false; }
  }
}
