// Clarifications, as contestants know them from DOMjudge and Kattis: a participant asks about a
// problem (or in general) and reads the answers and the announcements as they come; admins answer,
// to the asker alone or to everyone, and announce. Both views poll with the listing's ETag, so an
// unchanged listing costs a 304 without a body. Each view stops by itself once the page has
// moved on (its elements left the document).
import { ApiError, call, describe, poll } from './api';

interface Clarification {
  id: string;
  kind: 'QUESTION' | 'ANNOUNCEMENT';
  problemId: string | null;
  question: string | null;
  askedAt: string;
  answer: string | null;
  toAll: boolean;
  answeredAt: string | null;
  mine?: boolean;                 // participants' view
  participant?: string | null;    // admins' view
  answeredBy?: string | null;     // admins' view
}

/** A problem as the views name it: its letter (A, B, …) is its place in the contest. */
export interface ProblemRef { id: string; name: string; }

const POLL_MS = 5000;
const MAX_CHARACTERS = 2000;

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
const letter = (i: number) => String.fromCharCode(65 + i);
const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
const excerpt = (s: string | null, n = 140) => { const t = (s ?? '').replace(/\s+/g, ' ').trim(); return t.length > n ? t.slice(0, n - 1) + '…' : t; };
/** What a participant has read is an answer as it was: a new answer to the same question is news again. */
const stamp = (c: Clarification) => c.answer == null ? null : `${c.id}@${c.answeredAt}`;

function problemLabel(problems: ProblemRef[], problemId: string | null): string {
  if (!problemId) return 'General';
  const i = problems.findIndex(p => p.id === problemId);
  return i < 0 ? problemId : `${letter(i)}. ${problems[i].name}`;
}

function problemOptions(problems: ProblemRef[]): string {
  return `<option value="">General</option>${problems.map((p, i) => `<option value="${esc(p.id)}">${letter(i)}. ${esc(p.name)}</option>`).join('')}`;
}

/**
 * Polls a listing every POLL_MS (backing off after failures) while {@code alive}: {@code apply}
 * gets each new version, or null when it is unchanged. The function returned polls at once (after
 * a write); one timer runs at a time, and an answer older than one applied, or for a listing no
 * longer shown ({@code path} changed), is dropped.
 */
function keepPolling(path: () => string, key: string, etag: { value: string | null }, alive: () => boolean,
                     apply: (items: Clarification[] | null) => void, failed: (e: unknown, failures: number) => boolean) {
  let failures = 0, timer = 0, sent = 0, applied = 0;
  const tick = async () => {
    if (!alive()) return;
    const asked = path(), n = ++sent;
    try {
      const r = await poll<Clarification[]>(asked, key, etag.value);
      if (!alive() || asked !== path() || n < applied) return;
      applied = n;
      if (r) etag.value = r.etag;
      failures = 0;
      apply(r ? r.body : null);
    } catch (e) {
      if (!alive()) return;
      failures++;
      if (!failed(e, failures)) return;
    }
    clearTimeout(timer);
    timer = window.setTimeout(tick, failures ? Math.min(1000 * 2 ** failures, 30000) : POLL_MS);
  };
  tick();
  return tick;
}

// ------------------------------------------------------------------ participants

export interface ParticipantHost {
  contestId: string;
  participant: string;
  key: string;
  /** The contest's problems in order; none before the start. */
  problems: ProblemRef[];
  /** The header's navigation: the Clarifications button goes there. */
  nav: HTMLElement;
  /** The notice and the panel go before this element. */
  before: HTMLElement;
  /** The key was revoked or signed out elsewhere. */
  sessionEnded: (e: ApiError) => void;
}

/**
 * What this tab knows of a contest's listing, kept while the participant moves between its
 * problems: its version, its items, the answers already seen in it (to tell what is new), and
 * whether the participant signed out (the view then stops at once).
 */
interface Seen { etag: { value: string | null }; items: Clarification[]; known: Set<string> | null; forgotten: boolean; }
const seen = new Map<string, Seen>();

const readKey = (contestId: string, participant: string) => `ce.clar.read.${contestId}.${participant}`;

/** Forgets what this browser remembers of a participant's clarifications (at sign-out). */
export function forgetClarifications(contestId: string, participant: string) {
  const state = seen.get(contestId);
  if (state) state.forgotten = true;
  seen.delete(contestId);
  localStorage.removeItem(readKey(contestId, participant));
}

/**
 * The contest page's clarifications: a header button with the number of unread answers and
 * announcements, a panel to ask and read, and a notice (a polite live region) when something new
 * arrives while the panel is closed.
 */
export function mountClarifications(host: ParticipantHost) {
  const { contestId, participant, key, problems } = host;
  const state: Seen = seen.get(contestId) ?? { etag: { value: null }, items: [], known: null, forgotten: false };
  seen.set(contestId, state);
  const read = new Set<string>(JSON.parse(localStorage.getItem(readKey(contestId, participant)) ?? '[]'));
  const openKey = 'ce.clar.open.' + contestId;

  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.id = 'clar-toggle';
  toggle.className = 'link';
  toggle.setAttribute('aria-controls', 'clarifications');
  toggle.innerHTML = 'Clarifications <span id="clar-unread" class="badge" hidden></span>';
  const scoreboardLink = host.nav.querySelector('a[href$="/scoreboard"]');
  if (scoreboardLink) scoreboardLink.after(toggle); else host.nav.append(toggle);

  const notice = document.createElement('div');
  notice.id = 'clar-notice';
  notice.className = 'clar-notice';
  notice.setAttribute('role', 'status');
  notice.setAttribute('aria-live', 'polite');
  const panel = document.createElement('section');
  panel.id = 'clarifications';
  panel.className = 'clarifications';
  panel.setAttribute('aria-labelledby', 'h-clar');
  panel.innerHTML = `<h2 id="h-clar" tabindex="-1">Clarifications</h2>
    <form id="clar-ask">
      <label>About <select name="problemId">${problemOptions(problems)}</select></label>
      <label class="grow">Your question <textarea name="text" rows="3" maxlength="${MAX_CHARACTERS}" required></textarea></label>
      <button type="submit">Send question</button><span class="form-error" role="alert"></span>
      <p class="hint muted">The judges answer you alone, or everyone when the answer matters to all (then your question is
        shown without your name). Announcements appear here too.</p>
    </form>
    <p id="clar-status" class="muted" role="status"></p>
    <ol id="clar-list" class="clar-list" aria-label="Questions, answers and announcements, newest first"></ol>`;
  host.before.before(notice, panel);

  const alive = () => panel.isConnected && !state.forgotten;
  /** The panel's status line, a polite live region: errors of the poll (cleared by the next success), what was sent or arrived. */
  let failing = false;
  const status = (text: string, failed = false) => { failing = failed; (panel.querySelector('#clar-status') as HTMLElement).textContent = text; };
  const isOpen = () => !panel.hidden;
  /** Answers read since the panel was opened: marked "new" until it is closed, as a mail reader does. */
  const highlighted = new Set<string>();
  const setOpen = (open: boolean, focus = false) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) sessionStorage.setItem(openKey, '1'); else sessionStorage.removeItem(openKey);
    if (open) { notice.innerHTML = ''; markRead(); } else { highlighted.clear(); render(); }
    if (open && focus) (panel.querySelector('#h-clar') as HTMLElement).focus();
  };
  const markRead = () => {
    if (!alive()) return;
    state.items.forEach(c => { const s = stamp(c); if (s && !read.has(s)) { read.add(s); highlighted.add(s); } });
    localStorage.setItem(readKey(contestId, participant), JSON.stringify([...read]));
    render();
  };
  toggle.onclick = () => setOpen(!isOpen(), true);

  const label = (c: Clarification) => c.kind === 'ANNOUNCEMENT' ? 'Announcement'
    : c.mine ? (c.answer != null && c.toAll ? 'Your question, answered to everyone' : 'Your question')
    : 'A participant\'s question, answered to everyone';
  const itemHtml = (c: Clarification) => {
    const s = stamp(c);
    const unread = s != null && (!read.has(s) || highlighted.has(s));
    return `<p class="meta"><strong>${label(c)}</strong> · ${esc(problemLabel(problems, c.problemId))}
        · <time datetime="${esc(c.askedAt)}">${time(c.askedAt)}</time>${unread ? ' <span class="new">new</span>' : ''}</p>
      ${c.question != null ? `<p class="q">${esc(c.question)}</p>` : ''}
      ${c.answer != null ? `<p class="a">${c.kind === 'QUESTION' ? '<span class="visually-hidden">Answer: </span>' : ''}${esc(c.answer)}</p>`
        : '<p class="muted">Not answered yet.</p>'}`;
  };
  const list = panel.querySelector('#clar-list') as HTMLElement;
  const badge = toggle.querySelector('#clar-unread') as HTMLElement;
  /** Draws the list in place, newest first: a row is rewritten only when it changed. */
  const render = () => {
    const items = [...state.items].reverse();
    const keep = new Set(items.map(c => c.id));
    [...list.children].forEach(li => { if (!keep.has((li as HTMLElement).dataset.id!)) li.remove(); });
    items.forEach((c, i) => {
      let li = list.querySelector<HTMLLIElement>(`li[data-id="${CSS.escape(c.id)}"]`);
      if (!li) { li = document.createElement('li'); li.dataset.id = c.id; }
      const html = itemHtml(c);
      if (li.dataset.html !== html) { li.innerHTML = html; li.dataset.html = html; }
      li.className = `clar-item ${c.kind === 'ANNOUNCEMENT' ? 'announcement' : c.mine ? 'mine' : 'public'}`;
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] ?? null);
    });
    if (items.length === 0) list.innerHTML = '<li class="muted">No questions or announcements yet.</li>';
    const unread = state.items.filter(c => stamp(c) != null && !read.has(stamp(c)!)).length;
    badge.hidden = unread === 0;
    badge.innerHTML = `${unread}<span class="visually-hidden"> unread</span>`;
  };
  /** Says what arrived since the last poll, once: in the notice while the panel is closed, else in the panel's status. */
  const announce = (fresh: Clarification[]) => {
    if (fresh.length === 0) return;
    const c = fresh[0];
    const what = fresh.length > 1 ? `${fresh.length} new clarifications`
      : c.kind === 'ANNOUNCEMENT' ? `New announcement: ${excerpt(c.answer)}`
      : c.mine ? `Your question was answered: ${excerpt(c.answer)}`
      : `A question was answered for everyone: ${excerpt(c.question)}`;
    if (isOpen()) { status(what); return; }
    notice.innerHTML = `<p>${esc(what)}</p><button type="button" class="link">Show</button>`;
    (notice.querySelector('button') as HTMLButtonElement).onclick = () => setOpen(true, true);
  };
  const apply = (items: Clarification[] | null) => {
    if (items) state.items = items;
    const stamps = state.items.map(stamp).filter((s): s is string => s != null);
    const fresh = state.known ? state.items.filter(c => stamp(c) != null && !state.known!.has(stamp(c)!)) : [];
    state.known = new Set(stamps);
    if (failing) status('');
    announce(fresh.filter(c => !read.has(stamp(c)!)));
    if (isOpen() && document.visibilityState === 'visible') markRead(); else render();
  };
  const path = `/api/v1/contests/${encodeURIComponent(contestId)}/clarifications`;
  const now = keepPolling(() => path, key, state.etag, alive, apply, (e, failures) => {
    if (e instanceof ApiError && e.status === 401) { host.sessionEnded(e); return false; }
    status(`${describe(e)} Retrying (${failures})…`, true);
    return true;
  });

  const form = panel.querySelector('#clar-ask') as HTMLFormElement;
  form.onsubmit = async ev => {
    ev.preventDefault();
    const error = form.querySelector('.form-error') as HTMLElement;
    const button = form.querySelector('button') as HTMLButtonElement;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    error.textContent = '';
    button.disabled = true;
    try {
      const asked = await call<Clarification>(path, { key, body: { problemId: data.problemId || null, text: data.text } });
      state.items = [...state.items.filter(c => c.id !== asked.id), asked];
      form.reset();
      render();
      status('Sent. The answer appears here, and the Clarifications button counts it until you read it.');
      now();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { host.sessionEnded(e); return; }
      error.textContent = describe(e);
    } finally { button.disabled = false; }
  };
  render();
  setOpen(sessionStorage.getItem(openKey) === '1');
}

// ------------------------------------------------------------------ admins

interface AdminContest { id: string; title: string; problemIds: string[]; }

/**
 * The admin screen's clarifications of one contest: the questions waiting for an answer (oldest
 * first), each with an answer form and a "to everyone" checkbox; the rest, newest first; and a
 * form to announce.
 */
export function mountAdminClarifications(box: HTMLElement, key: string, contests: AdminContest[]) {
  const chosen = sessionStorage.getItem('ce.clar.admin') ?? '';
  box.innerHTML = `<h2 id="h-clar-admin">Clarifications</h2>
    ${contests.length === 0 ? '<p class="muted">No contest yet.</p>' : `<div class="toolbar">
      <label>Contest <select id="clar-contest">${contests.map(c => `<option value="${esc(c.id)}" ${c.id === chosen ? 'selected' : ''}>${esc(c.title)} (${esc(c.id)})</option>`).join('')}</select></label>
      <span id="clar-admin-status" class="muted"></span></div>
    <form id="clar-announce">
      <label>About <select name="problemId"></select></label>
      <label class="grow">Announcement to everyone <textarea name="text" rows="2" maxlength="${MAX_CHARACTERS}" required></textarea></label>
      <button type="submit">Announce</button><span class="form-error" role="alert"></span></form>
    <h3 id="h-clar-waiting">Waiting for an answer</h3><ol id="clar-waiting" class="clar-list" aria-labelledby="h-clar-waiting"></ol>
    <h3 id="h-clar-done">Answered, and announcements</h3><ol id="clar-done" class="clar-list" aria-labelledby="h-clar-done"></ol>`}`;
  if (contests.length === 0) return;
  const select = box.querySelector('#clar-contest') as HTMLSelectElement;
  const waiting = box.querySelector('#clar-waiting') as HTMLElement;
  const done = box.querySelector('#clar-done') as HTMLElement;
  const etag = { value: null as string | null };
  let items: Clarification[] = [];
  const contest = () => contests.find(c => c.id === select.value)!;
  const problems = () => contest().problemIds.map(id => ({ id, name: id }));
  const base = () => `/api/v1/admin/contests/${encodeURIComponent(select.value)}`;
  const status = (text: string) => { (box.querySelector('#clar-admin-status') as HTMLElement).textContent = text; };

  /** Participants' display names (an open contest's accounts); an invitation's participant is known by their id. */
  let names = new Map<string, string>();
  let namesFor = '';
  let namesAt = 0;
  const loadNames = async () => {
    const id = select.value;
    namesFor = id; namesAt = Date.now();
    try {
      const accounts = await call<{ participant: string; displayName: string }[]>(`${base()}/accounts`, { key });
      if (select.value === id) { names = new Map(accounts.map(a => [a.participant, a.displayName])); render(); }
    } catch { /* the ids stay shown; the next poll tries again */ namesAt = 0; }
  };
  const who = (p: string | null) => {
    if (p && !names.has(p) && (namesFor !== select.value || Date.now() - namesAt > 10000)) loadNames();
    const name = p ? names.get(p) : undefined;
    return name ? `${esc(name)} <span class="muted">(${esc(p)})</span>` : esc(p);
  };
  const viewHtml = (c: Clarification) => `<p class="meta"><strong>${c.kind === 'ANNOUNCEMENT' ? 'Announcement' : `Question from ${who(c.participant)}`}</strong>
      · ${esc(problemLabel(problems(), c.problemId))} · <time datetime="${esc(c.askedAt)}">${time(c.askedAt)}</time></p>
    ${c.question != null ? `<p class="q">${esc(c.question)}</p>` : ''}
    ${c.answer != null ? `<p class="a">${esc(c.answer)}</p><p class="muted small">${c.kind === 'ANNOUNCEMENT' ? 'announced' : c.toAll
      ? 'answered to everyone' : 'answered to the asker only'} by ${esc(c.answeredBy)} at ${time(c.answeredAt!)}</p>` : ''}`;
  const answerForm = (c: Clarification) => {
    const details = document.createElement('details');
    details.className = 'answer';
    details.open = c.answer == null;
    details.innerHTML = `<summary>${c.answer == null ? 'Answer' : 'Change the answer'}</summary><form>
      <label class="grow">Answer <textarea name="text" rows="2" maxlength="${MAX_CHARACTERS}" required></textarea></label>
      <label class="check"><input type="checkbox" name="toAll"> To everyone (the question is shown, not who asked)</label>
      <button type="submit">Send answer</button><span class="form-error" role="alert"></span></form>`;
    const form = details.querySelector('form') as HTMLFormElement;
    form.onsubmit = async ev => {
      ev.preventDefault();
      const f = new FormData(form);
      const error = form.querySelector('.form-error') as HTMLElement;
      error.textContent = '';
      try {
        const answered = await call<Clarification>(`${base()}/clarifications/${encodeURIComponent(c.id)}/answer`,
          { key, body: { text: f.get('text'), toAll: f.get('toAll') === 'on' } });
        items = items.map(x => x.id === answered.id ? answered : x);
        form.reset();
        details.open = false;
        render();
        refresh();
      } catch (e) { error.textContent = describe(e); }
    };
    return details;
  };
  /** An announcement's change (its problem and text) and its delete, after a confirmation. */
  const announcementForm = (c: Clarification) => {
    const details = document.createElement('details');
    details.className = 'answer';
    details.innerHTML = `<summary>Change or delete</summary><form>
      <label>About <select name="problemId">${problemOptions(problems())}</select></label>
      <label class="grow">Announcement <textarea name="text" rows="2" maxlength="${MAX_CHARACTERS}" required></textarea></label>
      <button type="submit">Save the change</button> <button type="button" class="delete">Delete</button><span class="form-error" role="alert"></span></form>`;
    const form = details.querySelector('form') as HTMLFormElement;
    const fill = () => {
      const now = items.find(x => x.id === c.id) ?? c;
      (form.elements.namedItem('problemId') as HTMLSelectElement).value = now.problemId ?? '';
      (form.elements.namedItem('text') as HTMLTextAreaElement).value = now.answer ?? '';
    };
    // Filled as it opens (the click comes before the toggle), with the text as it is now.
    (details.querySelector('summary') as HTMLElement).addEventListener('click', () => { if (!details.open) fill(); });
    const error = form.querySelector('.form-error') as HTMLElement;
    form.onsubmit = async ev => {
      ev.preventDefault();
      const f = new FormData(form);
      error.textContent = '';
      try {
        const changed = await call<Clarification>(`${base()}/announcements/${encodeURIComponent(c.id)}`,
          { method: 'PUT', key, body: { problemId: f.get('problemId') || null, text: f.get('text') } });
        items = items.map(x => x.id === changed.id ? changed : x);
        details.open = false;
        render();
        refresh();
      } catch (e) { error.textContent = describe(e); }
    };
    (form.querySelector('button.delete') as HTMLButtonElement).onclick = async () => {
      if (!confirm('Delete this announcement? Participants no longer see it.')) return;
      error.textContent = '';
      try {
        await call(`${base()}/announcements/${encodeURIComponent(c.id)}`, { method: 'DELETE', key });
        items = items.filter(x => x.id !== c.id);
        render();
        refresh();
      } catch (e) { error.textContent = describe(e); }
    };
    return details;
  };
  /** Rows are kept by id and moved between the lists, so an answer being typed survives every poll. */
  const render = () => {
    const open = items.filter(c => c.kind === 'QUESTION' && c.answer == null);
    const rest = items.filter(c => !open.includes(c)).reverse();
    const keep = new Set(items.map(c => c.id));
    [...waiting.children, ...done.children].forEach(li => { if (!keep.has((li as HTMLElement).dataset.id ?? '')) li.remove(); });
    const place = (into: HTMLElement, c: Clarification, i: number) => {
      let li = box.querySelector<HTMLLIElement>(`li[data-id="${CSS.escape(c.id)}"]`);
      if (!li) {
        li = document.createElement('li');
        li.dataset.id = c.id;
        li.innerHTML = '<div class="view"></div>';
        li.append(c.kind === 'QUESTION' ? answerForm(c) : announcementForm(c));
      }
      const view = li.querySelector('.view') as HTMLElement;
      const html = viewHtml(c);
      if (view.dataset.html !== html) { view.innerHTML = html; view.dataset.html = html; }
      const summary = li.querySelector('summary');
      if (summary) summary.textContent = c.answer == null ? 'Answer' : 'Change the answer';
      li.className = `clar-item ${c.kind === 'ANNOUNCEMENT' ? 'announcement' : c.answer == null ? 'waiting' : c.toAll ? 'public' : 'mine'}`;
      if (into.children[i] !== li) into.insertBefore(li, into.children[i] ?? null);
    };
    open.forEach((c, i) => place(waiting, c, i));
    rest.forEach((c, i) => place(done, c, i));
    (box.querySelector('#h-clar-waiting') as HTMLElement).textContent = `Waiting for an answer (${open.length})`;
  };
  const problemSelect = box.querySelector('#clar-announce select') as HTMLSelectElement;
  const choose = () => {
    sessionStorage.setItem('ce.clar.admin', select.value);
    problemSelect.innerHTML = problemOptions(problems());
    etag.value = null;
    names = new Map();
    namesFor = '';
    items = [];
    waiting.innerHTML = '';
    done.innerHTML = '';
    render();
  };
  choose();
  const refresh = keepPolling(() => `${base()}/clarifications`, key, etag, () => box.isConnected, fresh => {
    if (fresh) { items = fresh; render(); }
    status(`refreshed every ${POLL_MS / 1000} s, last ${new Date().toLocaleTimeString()}`);
  }, (e, failures) => { status(`${describe(e)} Retrying (${failures})…`); return true; });
  select.onchange = () => { choose(); refresh(); };

  const announceForm = box.querySelector('#clar-announce') as HTMLFormElement;
  announceForm.onsubmit = async ev => {
    ev.preventDefault();
    const data = Object.fromEntries(new FormData(announceForm)) as Record<string, string>;
    const error = announceForm.querySelector('.form-error') as HTMLElement;
    error.textContent = '';
    try {
      const made = await call<Clarification>(`${base()}/announcements`, { key, body: { problemId: data.problemId || null, text: data.text } });
      items = [...items, made];
      announceForm.reset();
      render();
      refresh();
    } catch (e) { error.textContent = describe(e); }
  };
}
