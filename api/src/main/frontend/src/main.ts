// The contest UI: a single page with hash routes.
//   #/                         contests, entry
//   #/c/<contest>[/p/<problem>] problem: statement, editor, run, submit, my submissions
//   #/c/<contest>/scoreboard   scoreboard, refreshed live
//   #/admin                    admin: key, contests, problems (upload, tests, limits, regrade), queue
import './styles.css';
import { ApiError, call, describe } from './api';
import { CodeEditor, TEMPLATES } from './editor';
import { forgetClarifications, mountAdminClarifications, mountClarifications } from './clarifications';
import { renderStatement } from './markdown';

// ------------------------------------------------------------------ small helpers

const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document) => root.querySelector(sel) as T;
const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
const main = () => $('#main');
const store = {
  get: (k: string) => localStorage.getItem('ce.' + k),
  set: (k: string, v: string) => localStorage.setItem('ce.' + k, v),
  del: (k: string) => localStorage.removeItem('ce.' + k),
};
const ms = (v: number) => v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`;
const mib = (b: number) => `${(b / 1048576).toFixed(b < 10485760 ? 1 : 0)} MiB`;
const durationMs = (d: string | number) => typeof d === 'number' ? d * 1000 : Math.round(parseFloat(d.replace(/^PT|S$/g, '')) * 1000);

/** Timers of the current screen, stopped when the route changes; {@code screen} counts screens, so a late answer of an old one is dropped. */
let timers: number[] = [];
let screen = 0;
const every = (f: () => void, msInterval: number) => timers.push(window.setInterval(f, msInterval));

function banner(message: string | null, retry?: () => void) {
  const b = $('#banner');
  b.innerHTML = message ? `<p>${esc(message)}</p>${retry ? '<button type="button" id="retry">Retry</button>' : ''}` : '';
  b.className = message ? 'shown' : '';
  if (retry) $('#retry', b).onclick = () => { banner(null); retry(); };
}

/** Loads a screen; on failure says why and offers a retry instead of spinning. */
/** A banner a screen asks for once it has rendered (a screen drawn from this browser's copy while the server is away). */
let bannerAfterLoad: { message: string; retry: () => void } | null = null;

async function load(render: () => Promise<void>) {
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

// ------------------------------------------------------------------ types (as the api sends them)

interface Sample { name: string; input: string; expectedOutput: string; }
interface Problem { id: string; name: string; timeLimit: string | number; memoryLimitBytes: number; checker: string; samples: Sample[]; secretTestCount: number; statement: string | null; timeLimitSource?: string | null; }
interface ContestView { id: string; title: string; start: string; end: string; scoring: 'ICPC' | 'POINTS'; byInvitation: boolean; running: boolean; problems: Problem[]; }
interface Runtime { language: string; version: string; aliases: string[]; }
interface TestResult { testName: string; verdict: string; timeMs: number; memoryBytes: number; output: string | null; expected: string | null; message: string | null; visible: boolean; }
// In an ICPC contest a participant gets results of the samples only, failedTest and no score.
interface SubmissionView { id: string; problemId: string; language: string; status: string; testsDone: number; testsTotal: number; verdict: string | null; score: number | null; failedTest: number | null; compileOutput: string | null; tests: TestResult[]; createdAt: string; }
interface Entry { contestId: string; participant: string; displayName?: string; key: string; }

const VERDICTS: Record<string, string> = { AC: 'Accepted', WA: 'Wrong answer', TLE: 'Time limit exceeded', MLE: 'Memory limit exceeded',
  RE: 'Runtime error', OLE: 'Output limit exceeded', CE: 'Compile error', IE: 'Internal error' };
const verdictBadge = (v: string | null, status = 'DONE') => v ? `<span class="verdict v-${esc(v)}" title="${esc(VERDICTS[v] ?? v)}">${esc(v)}</span>`
  : `<span class="verdict pending">${esc(status)}</span>`;

const entryOf = (contest: string): Entry | null => JSON.parse(store.get('entry.' + contest) ?? 'null');

// ------------------------------------------------------------------ header and routing

function header(html: string) { $('#top').innerHTML = `<nav aria-label="Main"><a href="#/" class="brand">Coding Engine</a>${html}<a href="#/admin">Admin</a></nav>`; }

function route() {
  timers.forEach(clearInterval);
  timers = [];
  screen++;
  banner(null);
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'c' && parts[1]) {
    if (parts[2] === 'scoreboard') return load(() => scoreboard(parts[1]));
    return load(() => contestPage(parts[1], parts[2] === 'p' ? parts[3] : undefined));
  }
  if (parts[0] === 'admin') return load(() => admin());
  return load(home);
}

// ------------------------------------------------------------------ sessions: sign in, sign out, drafts of this browser

/** A message for the next screen (e.g. why the session ended), shown once. */
let notice: string | null = null;

const draftPrefix = (contestId: string, participant: string) => `draft.${contestId}.${participant}.`;

/** Forgets the session and this participant's drafts in this browser (the drafts are kept on the server). */
function forget(contestId: string, participant: string) {
  store.del('entry.' + contestId);
  store.del('cache.' + contestId);
  sessionStorage.removeItem('ce.open.' + contestId);
  const prefix = 'ce.' + draftPrefix(contestId, participant);
  Object.keys(localStorage).filter(k => k.startsWith(prefix)).forEach(k => localStorage.removeItem(k));
  forgetClarifications(contestId, participant);
}

/** Drafts of this browser not yet saved on the server. */
function unsavedDrafts(contestId: string, participant: string): number {
  const prefix = 'ce.' + draftPrefix(contestId, participant);
  return Object.keys(localStorage).filter(k => k.startsWith(prefix) && JSON.parse(localStorage.getItem(k) ?? '{}').dirty).length;
}

async function signOut(contestId: string) {
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
function sessionEnded(contestId: string, e: ApiError) {
  const entry = entryOf(contestId);
  if (entry) forget(contestId, entry.participant);
  notice = `Your session in ${contestId} has ended (${e.detail || e.title}). Sign in again.`;
  location.hash = '#/';
}

// ------------------------------------------------------------------ home: contests, sign-in

async function home() {
  header('');
  document.title = 'Contests · Coding Engine';
  const contests = await call<ContestView[]>('/api/v1/contests');
  main().innerHTML = `<h1>Contests</h1>${notice ? `<p class="notice" role="status">${esc(notice)}</p>` : ''}
    ${contests.length === 0 ? '<p>No contest yet. An admin creates one under <a href="#/admin">Admin</a>.</p>' : ''}
    <ul class="cards">${contests.map(c => {
      const entry = entryOf(c.id);
      return `<li class="card"><h2>${esc(c.title)}</h2>
        <p>${when(c.start)} – ${when(c.end)} · ${c.scoring === 'ICPC' ? 'ICPC (solved, penalty)' : 'points'}
        · ${c.running ? '<strong>running</strong>' : new Date(c.end) < new Date() ? 'over' : 'not started'}</p>
        ${entry ? `<p>Signed in as <strong>${esc(entry.displayName ?? entry.participant)}</strong>.
            <a class="button" href="#/c/${esc(c.id)}">Open the contest</a>
            <button type="button" class="link sign-out" data-contest="${esc(c.id)}">Sign out</button></p>`
        : c.byInvitation ? `<form class="enter" data-contest="${esc(c.id)}">
            <label>Invitation token <input name="token" required autocomplete="off"></label>
            <button type="submit" value="token">Enter</button><span class="form-error" role="alert"></span>
            <p class="hint muted">Your token is on the list your organiser handed out; it works on any device.</p></form>`
        : `<form class="enter" data-contest="${esc(c.id)}">
            <label>Name <input name="name" required maxlength="40" autocomplete="username"></label>
            <label>Password <input name="password" type="password" required minlength="8" autocomplete="current-password"></label>
            <button type="submit" value="signin">Sign in</button><button type="submit" value="register">Create account</button>
            <span class="form-error" role="alert"></span>
            <p class="hint muted">New here? Choose a name (shown on the scoreboard) and a password (8 or more
              characters), then Create account. Sign in with them again on any device.</p></form>`}
        <p><a href="#/c/${esc(c.id)}/scoreboard">Scoreboard</a></p></li>`;
    }).join('')}</ul>`;
  notice = null;
  main().querySelectorAll<HTMLButtonElement>('button.sign-out').forEach(b => b.onclick = () => signOut(b.dataset.contest!));
  main().querySelectorAll<HTMLFormElement>('form.enter').forEach(form => form.onsubmit = async ev => {
    ev.preventDefault();
    const id = form.dataset.contest!;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const action = (ev.submitter as HTMLButtonElement | null)?.value ?? (data.token !== undefined ? 'token' : 'signin');
    const path = `/api/v1/contests/${encodeURIComponent(id)}/${action === 'signin' ? 'sessions' : 'entries'}`;
    $('.form-error', form).textContent = '';
    form.querySelectorAll('button').forEach(b => { b.disabled = true; });
    try {
      const entry = await call<Entry>(path, { body: data });
      store.set('entry.' + id, JSON.stringify(entry));
      location.hash = `#/c/${encodeURIComponent(id)}`;
    } catch (e) {
      $('.form-error', form).textContent = describe(e);
      form.querySelectorAll('button').forEach(b => { b.disabled = false; });
    }
  });
}

/** A moment with its time zone, as every participant reads it in theirs. */
const when = (iso: string) => new Date(iso).toLocaleString(undefined,
  { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
const hms = (t: number) => { const s = Math.max(0, Math.ceil(t / 1000)); return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`; };
const letter = (i: number) => String.fromCharCode(65 + i);

// ------------------------------------------------------------------ drafts: kept on the server per participant, checked for conflicts

interface Draft { problemId: string; language: string; code: string; revision: number; savedAt: string; }
interface LocalDraft { code: string; revision: number; dirty: boolean; }

/**
 * The drafts of one problem: the server's copy (per participant, any device) and this browser's
 * (saved on every keystroke, so nothing is lost while the server is away). Each save names the
 * revision it was based on; a 409 means another tab or device saved in between, and the
 * participant chooses which code to keep.
 */
class Drafts {
  private readonly server = new Map<string, Draft>();
  private readonly revision = new Map<string, number>();
  private timer = 0;
  private saving = false;
  private readonly gen = screen;  // a screen left behind saves no more (the next one has its own)
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
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.save(language), ms);
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
    if (!local?.dirty || this.conflict || this.gen !== screen) return;
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

// ------------------------------------------------------------------ contest: problems, editor, run, submit, my submissions

let runtimesCache: Runtime[] | null = null;
/** The submission whose details are open, per contest and tab: kept while switching problems and across reloads. */
const openSubmission = {
  get: (contestId: string) => sessionStorage.getItem('ce.open.' + contestId),
  set: (contestId: string, id: string) => sessionStorage.setItem('ce.open.' + contestId, id),
};

interface Summary { id: string; problemId: string; language: string; createdAt: string; updatedAt: string; status: string; verdict: string | null; score: number | null; testsDone: number; testsTotal: number; }

async function contestPage(contestId: string, problemId?: string) {
  const entry = entryOf(contestId);
  if (!entry) { location.hash = '#/'; return; }
  const key = entry.key;
  const gen = screen;
  let contest: ContestView;
  const cached = (): { contest: ContestView; runtimes: Runtime[] } | null => JSON.parse(store.get('cache.' + contestId) ?? 'null');
  try {
    [contest] = await Promise.all([
      call<ContestView>(`/api/v1/contests/${encodeURIComponent(contestId)}`, { key }),
      call(`/api/v1/contests/${encodeURIComponent(contestId)}/me`, { key })]);
    runtimesCache ??= await call<Runtime[]>('/api/v2/runtimes', { key });
    if (contest.problems.length) store.set('cache.' + contestId, JSON.stringify({ contest, runtimes: runtimesCache }));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) { sessionEnded(contestId, e); return; }
    // The server is away: keep working from this browser's copy of the contest and its drafts.
    const copy = e instanceof ApiError && (e.unreachable || e.status >= 500) ? cached() : null;
    if (!copy) throw e;
    contest = copy.contest;
    runtimesCache ??= copy.runtimes;
    bannerAfterLoad = { message: `${describe(e)} Working from this browser meanwhile: your code is kept here and saved on the server when it is back.`,
      retry: () => route() };
  }
  const runtimes = runtimesCache.filter(r => r.language in TEMPLATES);
  header(`<span class="title">${esc(contest.title)}</span><span id="clock" class="muted" role="timer"></span>
    <a href="#/c/${esc(contestId)}/scoreboard">Scoreboard</a>
    <span class="who">Signed in as <strong>${esc(entry.displayName ?? entry.participant)}</strong></span>
    <button type="button" id="sign-out" class="link">Sign out</button>`);
  $('#sign-out').onclick = () => signOut(contestId);
  const start = new Date(contest.start).getTime(), end = new Date(contest.end).getTime();
  const phase = () => Date.now() < start ? 'before' : Date.now() < end ? 'running' : 'over';
  const initialPhase = phase();
  let onOver: () => void = () => {};
  const tick = () => {
    const now = Date.now();
    const clock = $('#clock');
    if (clock) clock.textContent = now < start ? `starts in ${hms(start - now)}` : now < end ? `${hms(end - now)} left` : 'contest over';
    const countdown = $('#countdown');
    if (countdown) countdown.textContent = hms(start - now);
    if (initialPhase === 'before' && now >= start) route();          // the problems open by themselves
    if (initialPhase !== 'over' && now >= end) { onOver(); onOver = () => {}; }
  };

  const clarifications = (before: HTMLElement) => mountClarifications({ contestId, participant: entry.participant, key,
    problems: contest.problems, nav: $('#top nav'), before, sessionEnded: e => sessionEnded(contestId, e) });
  if (contest.problems.length === 0) {
    document.title = `${contest.title} · Coding Engine`;
    main().innerHTML = now() < start
      ? `<h1>${esc(contest.title)}</h1><p class="big">The contest starts in <strong id="countdown">${hms(start - now())}</strong>,
          at ${esc(when(contest.start))}.</p><p class="muted">The problems appear here by themselves; no need to reload.</p>`
      : `<h1>${esc(contest.title)}</h1><p role="status">The contest is starting…</p>`;
    tick(); every(tick, 1000);
    clarifications($('h1', main()));
    if (now() >= start) window.setTimeout(() => { if (gen === screen) route(); }, 2000);  // this clock ran ahead of the server's
    return;
  }
  tick(); every(tick, 1000);
  const index = Math.max(0, contest.problems.findIndex(p => p.id === problemId));
  const problem = contest.problems[index];
  document.title = `${letter(index)}. ${problem.name} · ${contest.title}`;
  // The picker's values are "language version": Java has one runtime per JDK.
  const lastRuntime = store.get('runtime') ?? '';
  const initial = runtimes.find(r => `${r.language} ${r.version}` === lastRuntime)
    ?? runtimes.find(r => r.language === lastRuntime.split(' ')[0]) ?? runtimes.find(r => r.language === 'python') ?? runtimes[0];
  const language = initial?.language;

  main().innerHTML = `<div class="contest">
    <nav class="problems" aria-label="Problems"><h2>Problems</h2><ol>${contest.problems.map((p, i) =>
      `<li><a href="#/c/${esc(contestId)}/p/${esc(p.id)}" data-problem="${esc(p.id)}" ${p.id === problem.id ? 'aria-current="page"' : ''}>
        <span class="letter">${letter(i)}</span> ${esc(p.name)} <span class="mark"></span></a></li>`).join('')}</ol></nav>
    <article class="statement" aria-labelledby="pname">
      <h1 id="pname">${esc(problem.name)}</h1>
      <p class="limits">Problem ${letter(index)} · <span${problem.timeLimitSource ? ` title="${esc(problem.timeLimitSource)}"` : ''}>time limit ${ms(durationMs(problem.timeLimit))}${problem.timeLimitSource?.startsWith('from the accepted submissions') ? ' (from the accepted solutions)' : ''}</span> · memory ${mib(problem.memoryLimitBytes)} · ${problem.samples.length} sample(s), ${problem.secretTestCount} hidden test(s)</p>
      <div class="md">${problem.statement ? renderStatement(problem.statement, `/api/v1/contests/${encodeURIComponent(contestId)}/problems/${encodeURIComponent(problem.id)}/`) : '<p class="muted">This problem has no statement.</p>'}</div>
      ${problem.samples.map((s, i) => `<section class="sample"><h3>Sample ${i + 1}</h3><div class="io"><div><h4>Input</h4><pre>${esc(s.input)}</pre></div>
        <div><h4>Output</h4><pre>${esc(s.expectedOutput)}</pre></div></div></section>`).join('')}
    </article>
    <section class="work" aria-label="Your solution">
      <p id="over" class="notice" role="status" hidden>The contest is over: submissions are closed. Your code stays here to read.</p>
      <div class="toolbar">
        <label>Language <select id="language">${runtimes.map(r => `<option value="${esc(r.language)} ${esc(r.version)}"
          ${r === initial ? 'selected' : ''}>${esc(r.language)} ${esc(r.version)}</option>`).join('')}</select></label>
        <button type="button" id="reset" class="link">Reset to template</button>
        <span id="save-status" class="muted" aria-live="polite"></span>
      </div>
      <div id="draft-conflict" class="conflict" role="alert" hidden></div>
      <div id="editor"></div>
      <div class="toolbar">
        <label>Run on <select id="input">${problem.samples.map((s, i) => `<option value="${i}">sample ${i + 1}</option>`).join('')}
          <option value="custom">custom input</option></select></label>
        <button type="button" id="run" aria-keyshortcuts="Control+Enter">Run</button>
        <button type="button" id="submit" class="primary" aria-keyshortcuts="Control+Shift+Enter">Submit</button>
        <span class="muted keys">Ctrl+Enter runs, Ctrl+Shift+Enter submits</span>
      </div>
      <textarea id="custom" aria-label="Custom input" rows="4" hidden placeholder="Custom input"></textarea>
      <div id="result" aria-live="polite"></div>
      <h2 id="h-mine">My submissions</h2>
      <p id="subs-status" class="muted" role="status"></p>
      <div id="mine"></div>
      <div id="submission"></div>
      <p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
    </section></div>`;

  const select = $<HTMLSelectElement>('#language');
  const lang = () => select.value.split(' ')[0];
  const version = () => select.value.split(' ')[1] ?? '*';
  const saveStatus = (text: string, kind: 'ok' | 'bad' | '' = '') => { const s = $('#save-status'); if (s) { s.textContent = text; s.className = kind || 'muted'; } };
  let editor: CodeEditor;
  const drafts = new Drafts(contestId, entry, problem.id, saveStatus, (language, current) => {
    const box = $('#draft-conflict');
    if (!box || language !== lang()) return;
    box.hidden = false;
    box.innerHTML = `<p>This code was changed in another tab or on another device (revision ${current.revision},
      saved ${new Date(current.savedAt).toLocaleTimeString()}). Which do you keep?</p>
      <button type="button" id="take-theirs">Load that version</button> <button type="button" id="keep-mine">Keep mine</button>`;
    $('#take-theirs').onclick = () => { drafts.takeTheirs(language, current); editor.set(current.code, language); box.hidden = true; editor.view.focus(); };
    $('#keep-mine').onclick = () => { drafts.keepMine(language, current); box.hidden = true; editor.view.focus(); };
  });
  try { await drafts.load(); } catch (e) { saveStatus(`Drafts not loaded from the server (${describe(e)}); showing this browser's`, 'bad'); }
  if (gen !== screen) return;
  const result = $('#result');
  const run = async () => {
    const button = $<HTMLButtonElement>('#run');
    if (button.disabled) return;
    const custom = inputSelect.value === 'custom';
    const sample = custom ? null : problem.samples[Number(inputSelect.value)];
    const stdin = custom ? $<HTMLTextAreaElement>('#custom').value : sample!.input;
    button.disabled = true;
    result.innerHTML = '<p role="status">Running…</p>';
    try {
      const r = await call<any>('/api/v2/execute', { key, timeoutMs: 130000, body: {
        language: lang(), version: version(), files: [{ content: editor.code }], stdin } });
      result.innerHTML = runResult(r, sample);
    } catch (e) {
      if (e instanceof ApiError && e.busy) retryLater(result, e, 'Running', () => { button.disabled = false; run(); });
      else result.innerHTML = `<p class="error">${esc(describe(e))}</p>`;
    }
    button.disabled = phase() === 'over';
  };
  const submit = async (again?: { language: string; version: string; code: string }) => {
    const button = $<HTMLButtonElement>('#submit');
    if (button.disabled || phase() === 'over') return;
    button.disabled = true;  // only while the submission is sent: judging goes on in "My submissions"
    result.innerHTML = '<p role="status">Submitting…</p>';
    // A retry after a 429/503 sends what was submitted then, not what the editor holds now.
    const sent = again ?? { language: lang(), version: version(), code: editor.code };
    try {
      const ticket = await call<{ ticket: string }>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions`, { key, body: {
        problemId: problem.id, language: sent.language, version: sent.version, files: [{ content: sent.code }] } });
      result.innerHTML = `<p class="ok">Submitted (ticket <code>${esc(ticket.ticket)}</code>): it is judged below while you keep working.</p>`;
      openSubmission.set(contestId, ticket.ticket);
      tracker.now();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { sessionEnded(contestId, e); return; }
      if (e instanceof ApiError && e.busy) retryLater(result, e, 'Submitting', () => submit(sent));
      else result.innerHTML = `<p class="error">${esc(describe(e))}</p>`;
    }
    button.disabled = phase() === 'over';
  };
  editor = new CodeEditor($('#editor'), drafts.code(language) ?? TEMPLATES[language] ?? '', language,
    code => drafts.edited(lang(), code), { run, submit: () => submit() });
  select.onchange = () => {
    store.set('runtime', select.value);
    $('#draft-conflict').hidden = true;
    editor.set(drafts.code(lang()) ?? TEMPLATES[lang()] ?? '', lang());
    result.innerHTML = '';  // the previous language's run says nothing about this one
  };
  $('#reset').onclick = () => { if (confirm('Replace your code with the template?')) { editor.set(TEMPLATES[lang()] ?? '', lang()); drafts.edited(lang(), editor.code); } };
  const inputSelect = $<HTMLSelectElement>('#input');
  inputSelect.onchange = () => { $('#custom').hidden = inputSelect.value !== 'custom'; };
  $('#run').onclick = run;
  $('#submit').onclick = () => submit();
  const freeze = () => {
    editor.setReadOnly(true);
    ['#run', '#submit', '#reset'].forEach(s => { const b = $<HTMLButtonElement>(s); if (b) b.disabled = true; });
    $('#over').hidden = false;
  };
  if (initialPhase === 'over') freeze(); else onOver = freeze;
  const tracker = trackSubmissions(contestId, key, contest, gen);
  clarifications($('.contest'));
}

/**
 * "My submissions": every submission of the participant in the contest, from the server's state,
 * wherever they are in the contest. Polled every 1.5 s while any is pending (else every 10 s);
 * rows are updated in place, so focus and scroll stay; a verdict that arrives is announced once.
 */
function trackSubmissions(contestId: string, key: string, contest: ContestView, gen: number) {
  const letterOf = (problemId: string) => { const i = contest.problems.findIndex(p => p.id === problemId); return i < 0 ? '?' : letter(i); };
  let subs: Summary[] = [];
  let failures = 0;
  let timer = 0;
  let known: Map<string, string> | null = null;   // id -> status, to announce verdicts that arrive
  let shownDetail = '';
  const status = (s: Summary) => s.status === 'DONE' ? verdictBadge(s.verdict)
    : `<span class="verdict pending">${s.status === 'RUNNING' ? 'judging' : 'queued'}</span>${s.testsTotal ? ` <small>${s.testsDone}/${s.testsTotal}</small>` : ''}`;
  const elapsed = (s: Summary) => s.status === 'DONE'
    ? `<small class="muted">${Math.max(0, Math.round((new Date(s.updatedAt).getTime() - new Date(s.createdAt).getTime()) / 1000))} s</small>`
    : `<small>${Math.max(0, Math.round((Date.now() - new Date(s.createdAt).getTime()) / 1000))} s</small>`;
  const render = () => {
    const box = $('#mine');
    if (!box) return;
    if (subs.length === 0) { box.innerHTML = '<p class="muted">None yet.</p>'; return; }
    let body = box.querySelector('tbody');
    if (!body) {
      box.innerHTML = `<table class="mine"><thead><tr><th>Problem</th><th>When</th><th>Language</th><th>Verdict</th><th>Took</th><th></th></tr></thead><tbody></tbody></table>`;
      body = box.querySelector('tbody')!;
    }
    const open = openSubmission.get(contestId);
    subs.forEach((s, i) => {
      let row = body!.querySelector<HTMLTableRowElement>(`tr[data-id="${CSS.escape(s.id)}"]`);
      if (!row) {
        row = document.createElement('tr');
        row.dataset.id = s.id;
        row.innerHTML = `<td>${esc(letterOf(s.problemId))}</td><td>${new Date(s.createdAt).toLocaleTimeString()}</td><td>${esc(s.language)}</td>
          <td class="st"></td><td class="el"></td><td><button type="button" class="link details">Details</button></td>`;
        row.querySelector<HTMLButtonElement>('button.details')!.onclick = () => { openSubmission.set(contestId, s.id); shownDetail = ''; render(); detail(); };
      }
      if (body!.children[i] !== row) body!.insertBefore(row, body!.children[i] ?? null);
      const st = status(s), el = elapsed(s);
      if (row.dataset.st !== st) { row.querySelector('.st')!.innerHTML = st; row.dataset.st = st; }
      if (row.dataset.el !== el) { row.querySelector('.el')!.innerHTML = el; row.dataset.el = el; }
      row.classList.toggle('open', s.id === open);
      row.classList.toggle('pending', s.status !== 'DONE');
    });
    // problem marks: solved (an AC) or attempted
    contest.problems.forEach(p => {
      const mine = subs.filter(s => s.problemId === p.id);
      const solved = mine.some(s => s.verdict === 'AC');
      const mark = document.querySelector(`.problems a[data-problem="${CSS.escape(p.id)}"] .mark`);
      if (mark) {
        const html = solved ? '<span class="ok" title="solved">✓</span><span class="visually-hidden"> (solved)</span>'
          : mine.length ? '<span class="bad" title="attempted">✗</span><span class="visually-hidden"> (attempted)</span>' : '';
        if (mark.innerHTML !== html) mark.innerHTML = html;
      }
    });
  };
  const detail = async () => {
    const id = openSubmission.get(contestId);
    const box = $('#submission');
    if (!id || !box) return;
    const summary = subs.find(s => s.id === id);
    const stamp = summary ? `${id}${summary.status}${summary.verdict}${summary.testsDone}` : '';
    if (stamp && stamp === shownDetail) return;     // nothing new: no redraw
    try {
      const s = await call<SubmissionView>(`/api/v1/submissions/${encodeURIComponent(id)}`, { key });
      if (gen !== screen) return;
      const html = `<h3>Submission ${esc(letterOf(s.problemId))} · ${new Date(s.createdAt).toLocaleTimeString()} · ${esc(s.language)}</h3>` + verdictView(s);
      if (box.innerHTML !== html) { box.innerHTML = html; box.dataset.id = s.id; }
      shownDetail = `${s.id}${s.status}${s.verdict}${s.testsDone}`;
    } catch (e) { box.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  const refresh = async () => {
    clearTimeout(timer);
    if (gen !== screen) return;
    try {
      subs = await call<Summary[]>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions`, { key });
      if (gen !== screen) return;
      failures = 0;
      $('#subs-status').textContent = '';
      const arrived = known ? subs.filter(s => s.status === 'DONE' && known!.has(s.id) && known!.get(s.id) !== 'DONE') : [];
      if (arrived.length) $('#announce').textContent = arrived.map(s => `Problem ${letterOf(s.problemId)}: ${VERDICTS[s.verdict!] ?? s.verdict}`).join('. ');
      known = new Map(subs.map(s => [s.id, s.status]));
      render();
      await detail();
    } catch (e) {
      if (gen !== screen) return;
      if (e instanceof ApiError && e.status === 401) { sessionEnded(contestId, e); return; }
      failures++;
      $('#subs-status').textContent = `${describe(e)} Retrying (${failures})…`;
    }
    const pending = subs.some(s => s.status !== 'DONE');
    timer = window.setTimeout(refresh, failures ? Math.min(1000 * 2 ** failures, 15000) : pending ? 1500 : 10000);
  };
  every(() => { if (subs.some(s => s.status !== 'DONE')) render(); }, 1000);  // elapsed times
  refresh();
  return { now: refresh };
}

const now = () => Date.now();

/**
 * A 429 or 503 (a limit, a full queue): says why, counts down the server's Retry-After (5 s without
 * one) and calls {@code again} by itself; "Try now" and "Cancel" leave the choice to the participant.
 */
function retryLater(into: HTMLElement, e: ApiError, doing: string, again: () => void) {
  let left = Math.max(1, Math.min(e.retryAfter ?? 5, 600));
  const gen = screen;
  into.innerHTML = `<p class="error busy">${esc(e.title)}: ${esc(e.detail.replace(/([^.!?])$/, '$1.'))}
    <span class="retrying">${esc(doing)} again by itself in <strong class="retry-in">${left} s</strong>.
    <button type="button" class="link try-now">Try now</button> <button type="button" class="link cancel-retry">Cancel</button></span></p>`;
  const stop = () => { clearInterval(t); into.querySelector('.retrying')?.remove(); };
  const go = () => { clearInterval(t); if (gen === screen && into.isConnected) again(); };
  const t = window.setInterval(() => {
    const counter = into.querySelector('.retry-in');
    if (gen !== screen || !counter) { clearInterval(t); return; }
    left--;
    if (left <= 0) go(); else counter.textContent = `${left} s`;
  }, 1000);
  timers.push(t);
  into.querySelector<HTMLButtonElement>('.try-now')!.onclick = go;
  into.querySelector<HTMLButtonElement>('.cancel-retry')!.onclick = stop;
}

function runResult(r: any, sample: Sample | null): string {
  const compileFailed = r.compile && r.compile.code !== 0 && r.compile.code !== null;
  if (compileFailed) return `<h3>${verdictBadge('CE')} Compile error</h3><pre class="compile">${esc(r.compile.stderr || r.compile.output)}</pre>`;
  const run = r.run;
  const matches = sample && run.stdout.trim().split(/\s+/).join(' ') === sample.expectedOutput.trim().split(/\s+/).join(' ');
  return `<h3>Run: exit code ${esc(run.code ?? run.signal)}${run.status ? ` (${esc(run.message ?? run.status)})` : ''}
      ${sample ? (matches ? ' · <span class="ok">matches the sample output</span>' : ' · <span class="bad">differs from the sample output</span>') : ''}</h3>
    <p class="muted">time ${ms(run.cpu_time ?? run.wall_time ?? 0)} · memory ${run.memory != null ? mib(run.memory) : '?'}</p>
    <div class="io"><div><h4>Output</h4><pre id="stdout">${esc(run.stdout)}</pre></div><div><h4>Stderr</h4><pre>${esc(run.stderr)}</pre></div></div>`;
}

function verdictView(s: SubmissionView): string {
  const done = s.status === 'DONE';
  const total = Math.max(s.testsTotal, s.tests.length);
  const rows = [];
  for (let i = 0; i < total; i++) {
    const t = s.tests[i];
    // A judged test without a result (ICPC: not a sample): passed before the first failing one, that one has the verdict.
    const known = !t && done && s.tests.length < total
      ? (s.failedTest == null ? (s.verdict === 'AC' ? 'AC' : null) : i + 1 < s.failedTest ? 'AC' : i + 1 === s.failedTest ? s.verdict : null)
      : null;
    const state = t ? t.verdict : known ?? (done ? 'hidden' : i < s.testsDone ? 'passed' : i === s.testsDone && s.status === 'RUNNING' ? 'running' : 'waiting');
    rows.push(`<li class="test t-${esc(state)}" title="${esc(t?.testName ?? 'test ' + (i + 1))}"><span>${esc(t?.testName ?? '#' + (i + 1))}</span>
      ${t ? `${verdictBadge(t.verdict)} <small>${ms(t.timeMs)} · ${mib(t.memoryBytes)}</small>${t.message ? ` <small class="message">${esc(t.message)}</small>` : ''}`
        : known ? verdictBadge(known) : `<small>${esc(state === 'hidden' ? 'not shown' : state)}</small>`}</li>`);
  }
  const failed = s.failedTest == null ? null : s.tests[s.failedTest - 1] ?? null;
  return `<p class="muted">Ticket <code>${esc(s.id)}</code></p><h3 id="verdict" data-verdict="${esc(s.verdict ?? '')}">${done ? `${verdictBadge(s.verdict)} ${esc(VERDICTS[s.verdict!] ?? '')}${s.score != null ? ` · score ${s.score}` : ''}` : `${esc(s.status)} · ${s.testsDone}/${s.testsTotal || '?'} tests`}</h3>
    ${done && s.tests.length ? `<p class="muted">max time ${ms(Math.max(...s.tests.map(t => t.timeMs)))} · max memory ${mib(Math.max(...s.tests.map(t => t.memoryBytes)))}${s.tests.length < total ? ' (samples)' : ''}</p>` : ''}
    ${done && s.failedTest != null ? `<p id="first-failure">First failing test: <strong>#${s.failedTest}${failed ? ' ' + esc(failed.testName) : ''}</strong> (${esc(failed?.verdict ?? s.verdict ?? '')})</p>` : ''}
    ${s.compileOutput && s.verdict === 'CE' ? `<pre class="compile" id="compile-output">${esc(s.compileOutput)}</pre>` : ''}
    ${done && s.verdict === 'CE' ? '<p id="not-run" class="muted">No test was run: the code did not compile.</p>'
      : `<ol class="tests" aria-label="Tests">${rows.join('')}</ol>`}`;
}

// ------------------------------------------------------------------ scoreboard

async function scoreboard(contestId: string) {
  document.title = `Scoreboard · ${contestId} · Coding Engine`;
  header(`<a href="#/c/${esc(contestId)}">Back to the contest</a>`);
  const entry = entryOf(contestId);
  const contest = await call<ContestView>(`/api/v1/contests/${encodeURIComponent(contestId)}`, { key: entry?.key });
  const names = new Map(contest.problems.map(p => [p.id, p.name]));
  const PAGE = 50;
  let page = 0;
  let board: any = null;
  main().innerHTML = `<h1>Scoreboard · ${esc(contest.title)}</h1>
    <div class="toolbar"><label>Find a participant <input type="search" id="board-search" autocomplete="off"></label>
      ${entry ? '<button type="button" id="board-me" class="link">Show my row</button>' : ''}
      <span id="board-status" class="muted"></span></div>
    <div class="scroll"><table class="board"><thead></thead><tbody></tbody></table></div>
    <p id="board-empty" hidden>No submissions yet.</p>
    <nav class="pager" aria-label="Scoreboard pages"></nav>`;
  const search = $<HTMLInputElement>('#board-search');
  const rowHtml = (r: any, icpc: boolean, first: Map<string, number>) => {
    const name = board.displayNames?.[r.participant] ?? r.participant;
    return `<td>${r.rank}</td><td class="who"><span class="name">${esc(name)}</span>${name !== r.participant ? ` <small class="muted">${esc(r.participant)}</small>` : ''}</td>
      ${icpc ? `<td>${r.solved}</td><td>${r.penalty}</td>` : `<td>${r.points}</td>`}
      ${board.problemIds.map((p: string) => {
        const c = r.problems[p];
        if (!c) return '<td></td>';
        const isFirst = icpc && c.solved && first.get(p) === c.minutes;
        return `<td class="${c.solved ? 'ok' : c.tries ? 'bad' : ''}${isFirst ? ' first' : ''}"${isFirst ? ' title="first to solve"' : ''}>${icpc
          ? (c.solved ? `${isFirst ? '★ ' : ''}+${c.tries > 1 ? c.tries - 1 : ''}<br><small>${c.minutes}'</small>` : c.tries ? `−${c.tries}` : '')
          : c.bestScore}${c.pending ? ' <small>(…)</small>' : ''}</td>`;
      }).join('')}`;
  };
  /** Draws the page in place: rows keyed by participant, rewritten only when they changed. */
  const draw = () => {
    if (!board || !$('table.board')) return;
    const icpc = board.scoring === 'ICPC';
    const head = `<tr><th>#</th><th>Participant</th>${icpc ? '<th>Solved</th><th>Penalty</th>' : '<th>Points</th>'}
      ${board.problemIds.map((p: string, i: number) => `<th><abbr title="${esc(names.get(p) ?? p)}">${letter(i)}</abbr></th>`).join('')}</tr>`;
    const thead = $('table.board thead');
    if (thead.dataset.html !== head) { thead.innerHTML = head; thead.dataset.html = head; }
    const first = new Map<string, number>();
    board.rows.forEach((r: any) => Object.entries(r.problems).forEach(([p, c]: [string, any]) => {
      if (c.solved && (!first.has(p) || c.minutes < first.get(p)!)) first.set(p, c.minutes);
    }));
    const q = search.value.trim().toLowerCase();
    const shown = board.rows.filter((r: any) => !q || r.participant.toLowerCase().includes(q)
      || String(board.displayNames?.[r.participant] ?? '').toLowerCase().includes(q));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const body = $('table.board tbody');
    const keep = new Set<string>();
    shown.slice(page * PAGE, page * PAGE + PAGE).forEach((r: any, i: number) => {
      keep.add(r.participant);
      let tr = body.querySelector<HTMLTableRowElement>(`tr[data-p="${CSS.escape(r.participant)}"]`);
      if (!tr) { tr = document.createElement('tr'); tr.dataset.p = r.participant; }
      const html = rowHtml(r, icpc, first);
      if (tr.dataset.html !== html) { tr.innerHTML = html; tr.dataset.html = html; }
      tr.classList.toggle('me', r.participant === entry?.participant);
      if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] ?? null);
    });
    [...body.children].forEach(tr => { if (!keep.has((tr as HTMLElement).dataset.p!)) tr.remove(); });
    $('#board-empty').hidden = board.rows.length !== 0;
    const pager = $('nav.pager');
    const pagerHtml = pages < 2 ? '' : Array.from({ length: pages }, (_, i) =>
      `<button type="button" data-page="${i}" ${i === page ? 'aria-current="page"' : ''}>${i * PAGE + 1}–${Math.min(shown.length, (i + 1) * PAGE)}</button>`).join(' ');
    if (pager.dataset.html !== pagerHtml) {
      pager.innerHTML = pagerHtml; pager.dataset.html = pagerHtml;
      pager.querySelectorAll<HTMLButtonElement>('button').forEach(b => b.onclick = () => { page = Number(b.dataset.page); draw(); });
    }
    $('#board-status').textContent = `${shown.length} of ${board.rows.length} · refreshed every 5 s, last ${new Date().toLocaleTimeString()}`;
  };
  const refresh = async () => { board = await call<any>(`/api/v1/contests/${encodeURIComponent(contestId)}/scoreboard`, { key: entry?.key }); draw(); };
  search.oninput = () => { page = 0; draw(); };
  const me = $('#board-me');
  if (me) me.onclick = () => {
    search.value = '';
    const at = board?.rows.findIndex((r: any) => r.participant === entry?.participant) ?? -1;
    if (at < 0) { $('#board-status').textContent = 'You are not on the scoreboard yet: it lists participants once they submit.'; return; }
    page = Math.floor(at / PAGE); draw();
    const row = document.querySelector<HTMLElement>('tr.me');
    row?.scrollIntoView({ block: 'center' });
  };
  await refresh();
  every(() => refresh().then(() => banner(null), e => banner(describe(e) + ' The scoreboard retries by itself.')), 5000);
}

// ------------------------------------------------------------------ admin

async function admin() {
  document.title = 'Admin · Coding Engine';
  header('<span class="title">Admin</span>');
  const key = store.get('admin');
  if (!key) {
    main().innerHTML = `<h1>Admin</h1><form id="login"><label>Admin key <input type="password" name="key" required autocomplete="off"></label>
      <button type="submit">Sign in</button><span class="form-error" role="alert"></span></form>`;
    $<HTMLFormElement>('#login').onsubmit = async ev => {
      ev.preventDefault();
      const k = String(new FormData(ev.target as HTMLFormElement).get('key'));
      try { await call('/api/v1/admin/contests', { key: k }); store.set('admin', k); route(); }
      catch (e) { $('#login .form-error').textContent = describe(e); }
    };
    return;
  }
  const [contests, problems, queue] = await Promise.all([
    call<any[]>('/api/v1/admin/contests', { key }), call<Problem[]>('/api/v1/problems', { key }), call<any>('/api/v1/admin/queue', { key })]);
  main().innerHTML = `<h1>Admin <button type="button" id="logout" class="link">Sign out</button></h1>
    <section aria-labelledby="h-queue"><h2 id="h-queue">Queue</h2><div id="queue"></div></section>
    <section aria-labelledby="h-problems"><h2 id="h-problems">Problems</h2>
      <form id="upload"><label>Problem id <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._-]*"></label>
        <label>Kattis package (zip) <input type="file" name="zip" accept=".zip" required></label><button type="submit">Upload</button>
        <span class="form-error" role="alert"></span></form>
      <table><thead><tr><th>Id</th><th>Name</th><th>Time</th><th>Memory</th><th>Tests</th><th></th></tr></thead><tbody>
      ${problems.map(p => `<tr><td>${esc(p.id)}</td><td>${esc(p.name)}</td><td>${ms(durationMs(p.timeLimit))}</td><td>${mib(p.memoryLimitBytes)}</td>
        <td>${p.samples.length} + ${p.secretTestCount}</td><td><button type="button" data-problem="${esc(p.id)}">Open</button></td></tr>`).join('')}</tbody></table>
      <div id="problem"></div></section>
    <section aria-labelledby="h-contests"><h2 id="h-contests">Contests</h2>
      <ul>${contests.map(c => `<li><button type="button" class="link" data-contest="${esc(c.id)}">${esc(c.title)}</button> (${esc(c.id)}: ${c.problemIds.map(esc).join(', ')})</li>`).join('')}</ul>
      <form id="contest" class="grid">
        <label>Id <input name="id" required></label><label>Title <input name="title" required></label>
        <label>Problem ids (comma-separated) <input name="problemIds" required></label>
        <label>Start <input type="datetime-local" name="start" required></label><label>End <input type="datetime-local" name="end" required></label>
        <label>Scoring <select name="scoring"><option>ICPC</option><option>POINTS</option></select></label>
        <label>Invitations (participant or token=participant per line; empty: open entry) <textarea name="invitations" rows="3"
          placeholder="team-a&#10;team-b&#10;(a random token each)"></textarea></label>
        <button type="submit">Save contest</button><span class="form-error" role="alert"></span></form>
      <div id="invitations" aria-live="polite"></div></section>
    <section id="clar-admin" aria-labelledby="h-clar-admin"></section>`;
  $('#logout').onclick = () => { store.del('admin'); route(); };
  mountAdminClarifications($('#clar-admin'), key, contests);
  const showQueue = (q: any) => { $('#queue').innerHTML = `<p>Submissions being judged now: <strong>${q.running}</strong></p>
    <table><thead><tr><th>Lane</th><th>Waiting</th><th>Dead letters</th></tr></thead><tbody>${Object.entries(q.lanes).map(([lane, l]: [string, any]) =>
      `<tr><td>${esc(lane)}</td><td>${l.depth}</td><td>${l.deadLetters.length === 0 ? 'none' : `<ul>${l.deadLetters.map((d: any) =>
        `<li><code>${esc(d.messageId)}</code>: ${esc(d.reason)} (${d.deliveryCount} deliveries)</li>`).join('')}</ul>`}</td></tr>`).join('')}</tbody></table>`; };
  showQueue(queue);
  every(() => call<any>('/api/v1/admin/queue', { key }).then(showQueue, e => banner(describe(e))), 5000);

  $<HTMLFormElement>('#upload').onsubmit = async ev => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    try {
      await call(`/api/v1/problems/${encodeURIComponent(String(f.get('id')))}`, { method: 'PUT', key, raw: f.get('zip') as File, contentType: 'application/zip', timeoutMs: 120000 });
      route();
    } catch (e) { $('#upload .form-error').textContent = describe(e); }
  };
  main().querySelectorAll<HTMLButtonElement>('button[data-problem]').forEach(b => b.onclick = () => adminProblem(b.dataset.problem!, key));
  const form = $<HTMLFormElement>('#contest');
  const local = (iso: string) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
  main().querySelectorAll<HTMLButtonElement>('button[data-contest]').forEach(b => b.onclick = () => {
    const c = contests.find(x => x.id === b.dataset.contest);
    const set = (n: string, v: string) => { (form.elements.namedItem(n) as HTMLInputElement).value = v; };
    set('id', c.id); set('title', c.title); set('problemIds', c.problemIds.join(', ')); set('start', local(c.start)); set('end', local(c.end));
    set('scoring', c.scoring); set('invitations', c.invitations.map((i: any) => `${i.token}=${i.participant}`).join('\n'));
    showInvitations(c);
    (form.elements.namedItem('title') as HTMLInputElement).focus();
  });
  form.onsubmit = async ev => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form)) as Record<string, string>;
    try {
      const saved = await call<any>(`/api/v1/admin/contests/${encodeURIComponent(f.id)}`, { method: 'PUT', key, body: {
        title: f.title, problemIds: f.problemIds.split(',').map(s => s.trim()).filter(Boolean),
        start: new Date(f.start).toISOString(), end: new Date(f.end).toISOString(), scoring: f.scoring,
        invitations: f.invitations.split('\n').map(l => l.trim()).filter(Boolean).map(invitation) } });
      await route();
      showInvitations(saved);
    } catch (e) { $('#contest .form-error').textContent = describe(e); }
  };
}

/** A line of the invitations field: "participant" (the api generates the token) or "token=participant". */
function invitation(line: string): { token?: string; participant: string } {
  const at = line.lastIndexOf('=');  // participant ids have no "=", a token may
  return at < 0 ? { participant: line } : { token: line.slice(0, at).trim() || undefined, participant: line.slice(at + 1).trim() };
}

/** A contest's invitations as the admin hands them out: each participant with their token. */
function showInvitations(c: any) {
  const box = $('#invitations');
  if (!box) return;
  box.innerHTML = c.invitations.length === 0 ? '' : `<h3>Invitations to ${esc(c.title)}</h3>
    <p>Hand each participant their token, and nobody else: entering with it makes them that participant.</p>
    <table id="invitation-list"><thead><tr><th>Participant</th><th>Token</th></tr></thead><tbody>${c.invitations.map((i: any) =>
      `<tr><td>${esc(i.participant)}</td><td><code>${esc(i.token)}</code></td></tr>`).join('')}</tbody></table>
    <button type="button" id="print-invitations">Print</button>`;
  const print = $('#print-invitations', box);
  if (print) print.onclick = () => {
    document.body.classList.add('print-invitations');
    window.addEventListener('afterprint', () => document.body.classList.remove('print-invitations'), { once: true });
    window.print();
  };
}

async function adminProblem(id: string, key: string) {
  const box = $('#problem');
  try {
    const d = await call<any>(`/api/v1/admin/problems/${encodeURIComponent(id)}`, { key });
    const p: Problem = d.problem;
    box.innerHTML = `<h3>${esc(p.name)} <small>(${esc(p.id)}, checker ${esc(p.checker)})</small></h3>
      <form id="limits"><label>Time limit (ms) <input type="number" name="timeLimitMs" min="1" value="${durationMs(p.timeLimit)}"></label>
        <label>Memory (MiB) <input type="number" name="memory" min="1" value="${p.memoryLimitBytes / 1048576}"></label>
        <button type="submit">Save limits</button><span class="form-ok" role="status"></span><span class="form-error" role="alert"></span></form>
      <p><button type="button" id="regrade">Regrade every submission</button></p>
      <div id="regrade-progress" aria-live="polite"></div>
      <table><thead><tr><th>Test</th><th>Kind</th><th>Input</th><th>Answer</th></tr></thead><tbody>${d.tests.map((t: any) =>
        `<tr><td>${esc(t.name)}</td><td>${t.sample ? 'sample' : 'secret'}</td><td><pre>${esc(t.input)}</pre></td><td><pre>${esc(t.answer)}</pre></td></tr>`).join('')}</tbody></table>`;
    $<HTMLFormElement>('#limits').onsubmit = async ev => {
      ev.preventDefault();
      const f = new FormData(ev.target as HTMLFormElement);
      try {
        await call(`/api/v1/admin/problems/${encodeURIComponent(id)}/limits`, { method: 'PUT', key, body: {
          timeLimitMs: Number(f.get('timeLimitMs')), memoryLimitBytes: Math.round(Number(f.get('memory')) * 1048576) } });
        $('#limits .form-error').textContent = '';
        $('#limits .form-ok').textContent = 'Saved.';
      } catch (e) { $('#limits .form-error').textContent = describe(e); }
    };
    $('#regrade').onclick = () => regrade(id, key);
  } catch (e) { box.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
}

async function regrade(id: string, key: string) {
  const out = $('#regrade-progress');
  const show = (r: any) => {
    const pct = r.total ? Math.round(100 * r.done / r.total) : 100;
    out.innerHTML = `<progress id="regrade-bar" max="${r.total || 1}" value="${r.total ? r.done : 1}" aria-label="Regrade progress">${pct}%</progress>
      <span id="regrade-status">${r.done} / ${r.total} judged${r.done === r.total ? ' · done' : ''}</span>
      <p>${Object.entries(r.verdicts).map(([v, n]) => `${verdictBadge(v)} ${n}`).join(' ') || ''}</p>`;
    return r.done >= r.total;
  };
  // The verdict of every submission before and after, to summarise what the regrade changed.
  const verdicts = async () => new Map((await call<{ items: any[] }>(`/api/v1/submissions?problemId=${encodeURIComponent(id)}&pageSize=1000`, { key }))
    .items.map(s => [s.id as string, s.verdict as string | null]));
  try {
    const before = await verdicts();
    let r = await call<any>(`/api/v1/problems/${encodeURIComponent(id)}/regrade`, { method: 'POST', key });
    while (!show(r)) {
      await new Promise(res => setTimeout(res, 1000));
      try { r = await call<any>(`/api/v1/problems/${encodeURIComponent(id)}/regrades/${r.round}`, { key }); }
      catch (e) { if (!(e instanceof ApiError && (e.unreachable || e.busy))) throw e; out.insertAdjacentHTML('beforeend', `<p class="error">${esc(describe(e))} Retrying…</p>`); }
    }
    const after = await verdicts();
    const changes = new Map<string, number>();
    let unchanged = 0;
    after.forEach((v, sid) => {
      const was = before.get(sid);
      if (was === v) unchanged++; else changes.set(`${was ?? 'none'} → ${v}`, (changes.get(`${was ?? 'none'} → ${v}`) ?? 0) + 1);
    });
    out.insertAdjacentHTML('beforeend', `<p id="regrade-changes">Verdict changes: ${[...changes].map(([c, n]) => `${esc(c)}: ${n}`).join(', ') || 'none'} · ${unchanged} unchanged</p>`);
  } catch (e) { out.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
}

window.addEventListener('hashchange', route);
route();
