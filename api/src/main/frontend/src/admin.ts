// The admin screens: the queue, problems (upload, tests, limits, regrade, delete), contests and
// their invitations; submissions and the audit log are in admin-records.ts. Every call needs an
// admin key, kept in this browser.
import { ApiError, call, describe } from './api';
import { $, banner, durationMs, esc, every, header, main, mib, ms, route, store, verdictBadge, when } from './ui';
import { auditLog, submissionList } from './admin-records';
import type { Problem } from './types';
import { mountAdminClarifications } from './clarifications';
import { participantKeys, printAlone } from './admin-keys';

/** The browser's time zone, which the contest form's times are in. */
const zone = () => {
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const short = new Date().toLocaleTimeString(undefined, { timeZoneName: 'short' }).split(' ').pop();
  return short === name ? name : `${name}, ${short}`;
};

export async function admin() {
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
    <section aria-labelledby="h-queue"><h2 id="h-queue">Queue</h2><div id="queue"></div>
      <h3 id="h-dead">Dead letters</h3><p class="muted">Work taken out of its lane after failing (with the reason). Requeue sends it again once the cause is fixed:
        a submission is judged in a new round.</p><p id="dead-status" role="status"></p><div id="dead-letters"></div></section>
    <section aria-labelledby="h-problems"><h2 id="h-problems">Problems</h2>
      <form id="upload"><label>Problem id <input name="id" required maxlength="128" pattern="[A-Za-z0-9][A-Za-z0-9._\\-]*"
          title="letters, digits and . _ - (starting with a letter or digit)"></label>
        <label>Kattis package (zip) <input type="file" name="zip" accept=".zip" required></label><button type="submit">Upload</button>
        <span class="form-error" role="alert"></span></form>
      <div class="scroll"><table><thead><tr><th>Id</th><th>Name</th><th>Time</th><th>Memory</th><th>Tests</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
      ${problems.map(p => `<tr><td>${esc(p.id)}</td><td>${esc(p.name)}</td><td>${ms(durationMs(p.timeLimit))}</td><td>${mib(p.memoryLimitBytes)}</td>
        <td>${p.samples.length} + ${p.secretTestCount}</td><td><button type="button" data-problem="${esc(p.id)}">Open</button>
        <button type="button" data-delete-problem="${esc(p.id)}">Delete</button></td></tr>`).join('')}</tbody></table></div>
      <p id="problems-error" class="error" role="alert"></p>
      <div id="problem"></div></section>
    <section aria-labelledby="h-contests"><h2 id="h-contests">Contests</h2>
      <ul id="contest-list">${contests.map(c => `<li><button type="button" class="link" data-contest="${esc(c.id)}">${esc(c.title)}</button> (${esc(c.id)}: ${c.problemIds.map(esc).join(', ')}) · ${esc(when(c.start))} – ${esc(when(c.end))}${freezeState(c)}
        <button type="button" data-delete-contest="${esc(c.id)}" aria-label="Delete contest ${esc(c.id)}">Delete</button></li>`).join('')}</ul>
      <p id="contests-error" class="error" role="alert"></p>
      <form id="contest" class="grid">
        <label>Id <input name="id" required></label><label>Title <input name="title" required></label>
        <label>Problem ids (comma-separated) <input name="problemIds" required></label>
        <label>Start (${esc(zone())}) <input type="datetime-local" name="start" required></label>
        <label>End (${esc(zone())}) <input type="datetime-local" name="end" required></label>
        <label>Scoring <select name="scoring"><option>ICPC</option><option>POINTS</option></select></label>
        <label>Scoreboard freeze: the last minutes (0: none) <input type="number" name="freezeMinutes" min="0" step="1" value="0"></label>
        <label>Invitations (participant or token=participant per line; empty: open entry) <textarea name="invitations" rows="3"
          placeholder="team-a&#10;team-b&#10;(a random token each)"></textarea></label>
        <button type="submit">Save contest</button><span class="form-error" role="alert"></span></form>
      <div id="invitations" aria-live="polite"></div></section>
    <section aria-labelledby="h-keys"><h2 id="h-keys">Participants and keys</h2><div id="keys"></div></section>
    <section aria-labelledby="h-submissions"><h2 id="h-submissions">Submissions</h2><div id="submissions"></div></section>
    <section aria-labelledby="h-audit"><h2 id="h-audit">Audit log</h2><div id="audit"></div></section>
    <section id="clar-admin" aria-labelledby="h-clar-admin"></section>`;
  submissionList($('#submissions'), key, contests);
  auditLog($('#audit'), key);
  $('#logout').onclick = () => { store.del('admin'); route(); };
  mountAdminClarifications($('#clar-admin'), key, contests);
  participantKeys($('#keys'), key, contests, saved => { const i = contests.findIndex(c => c.id === saved.id); if (i >= 0) contests[i] = saved; });
  const showQueue = (q: any) => {
    const queueHtml = `<p>Submissions being judged now: <strong>${q.running}</strong></p>
      <table><thead><tr><th>Lane</th><th>Waiting</th><th>Dead letters</th></tr></thead><tbody>${Object.entries(q.lanes).map(([lane, l]: [string, any]) =>
        `<tr><td>${esc(lane)}</td><td>${l.depth}</td><td>${l.deadLetters.length}</td></tr>`).join('')}</tbody></table>`;
    const letters = Object.entries(q.lanes).flatMap(([lane, l]: [string, any]) => l.deadLetters.map((d: any) => ({ ...d, lane })));
    const deadHtml = letters.length === 0 ? '<p>None.</p>' : `<div class="scroll"><table id="dead-list"><thead><tr><th>Lane</th><th>Message</th><th>Reason</th>
      <th>Deliveries</th><th>When</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody>${letters.map(d =>
        `<tr data-id="${esc(d.messageId)}"><td>${esc(d.lane)}</td><td><code>${esc(d.messageId)}</code></td><td>${esc(d.reason)}</td><td>${d.deliveryCount}</td>
        <td>${esc(when(d.deadLetteredAt))}</td><td><button type="button" data-requeue="${esc(d.lane)}/${esc(d.messageId)}"
        aria-label="Requeue ${esc(d.messageId)}">Requeue</button></td></tr>`).join('')}</tbody></table></div>`;
    // Redrawn only when something changed: a poll keeps the focus on a Requeue button.
    const queueBox = $('#queue'); const deadBox = $('#dead-letters');
    if (!queueBox || !deadBox) return;
    if (queueBox.dataset.html !== queueHtml) { queueBox.innerHTML = queueHtml; queueBox.dataset.html = queueHtml; }
    if (deadBox.dataset.html === deadHtml) return;
    deadBox.innerHTML = deadHtml; deadBox.dataset.html = deadHtml;
    deadBox.querySelectorAll<HTMLButtonElement>('button[data-requeue]').forEach(b => b.onclick = async () => {
      const [lane, id] = [b.dataset.requeue!.split('/')[0], b.dataset.requeue!.slice(b.dataset.requeue!.indexOf('/') + 1)];
      const status = $('#dead-status');
      try {
        const r = await call<any>(`/api/v1/admin/dead-letters/${encodeURIComponent(lane)}/${encodeURIComponent(id)}/requeue`, { method: 'POST', key });
        status.className = 'ok';
        status.textContent = r.submissionId ? `Requeued: submission ${r.submissionId} is judged again (round ${r.round}).` : `Requeued: ${id} is back on lane ${lane}.`;
        showQueue(await call<any>('/api/v1/admin/queue', { key }));
      } catch (e) { status.className = 'error'; status.textContent = describe(e); }
    });
  };
  showQueue(queue);
  every(() => call<any>('/api/v1/admin/queue', { key }).then(showQueue, e => banner(describe(e))), 5000);

  $<HTMLFormElement>('#upload').onsubmit = async ev => {
    ev.preventDefault();
    const f = new FormData(ev.target as HTMLFormElement);
    const id = String(f.get('id'));
    if (problems.some(p => p.id === id) && !confirm(`Replace problem ${id} with this package? Its tests and limits change for every contest that has it; regrade to judge its submissions again.`)) return;
    try {
      await call(`/api/v1/problems/${encodeURIComponent(String(f.get('id')))}`, { method: 'PUT', key, raw: f.get('zip') as File, contentType: 'application/zip', timeoutMs: 120000 });
      route();
    } catch (e) { $('#upload .form-error').textContent = describe(e); }
  };
  main().querySelectorAll<HTMLButtonElement>('button[data-problem]').forEach(b => b.onclick = () => adminProblem(b.dataset.problem!, key));
  main().querySelectorAll<HTMLButtonElement>('button[data-delete-problem]').forEach(b => b.onclick = async () => {
    const id = b.dataset.deleteProblem!;
    if (!confirm(`Delete problem ${id} and its tests? Its submissions stay.`)) return;
    try { await call(`/api/v1/problems/${encodeURIComponent(id)}`, { method: 'DELETE', key }); await route(); }
    catch (e) { $('#problems-error').textContent = describe(e); }
  });
  const form = $<HTMLFormElement>('#contest');
  const local = (iso: string) => { const d = new Date(iso); return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };
  main().querySelectorAll<HTMLButtonElement>('button[data-contest]').forEach(b => b.onclick = () => {
    const c = contests.find(x => x.id === b.dataset.contest);
    const set = (n: string, v: string) => { (form.elements.namedItem(n) as HTMLInputElement).value = v; };
    set('id', c.id); set('title', c.title); set('problemIds', c.problemIds.join(', ')); set('start', local(c.start)); set('end', local(c.end));
    set('scoring', c.scoring); set('freezeMinutes', String(c.freezeMinutes ?? 0)); set('invitations', c.invitations.map((i: any) => `${i.token}=${i.participant}`).join('\n'));
    showInvitations(c);
    (form.elements.namedItem('title') as HTMLInputElement).focus();
  });
  main().querySelectorAll<HTMLButtonElement>('button[data-delete-contest]').forEach(b => b.onclick = async () => {
    const id = b.dataset.deleteContest!;
    if (!confirm(`Delete contest ${id}? Its page, scoreboard and invitations go; its problems and submissions stay.`)) return;
    try { await call(`/api/v1/admin/contests/${encodeURIComponent(id)}`, { method: 'DELETE', key }); await route(); }
    catch (e) { $('#contests-error').textContent = describe(e); }
  });
  main().querySelectorAll<HTMLButtonElement>('button[data-unfreeze]').forEach(b => b.onclick = async () => {
    if (!confirm(`Unfreeze the scoreboard of ${b.dataset.unfreeze}? Everyone then sees every verdict; it cannot be frozen again.`)) return;
    try { await call(`/api/v1/admin/contests/${encodeURIComponent(b.dataset.unfreeze!)}/unfreeze`, { method: 'POST', key }); await route(); }
    catch (e) { banner(describe(e)); }
  });
  form.onsubmit = async ev => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(form)) as Record<string, string>;
    try {
      const saved = await call<any>(`/api/v1/admin/contests/${encodeURIComponent(f.id)}`, { method: 'PUT', key, body: {
        title: f.title, problemIds: f.problemIds.split(',').map(s => s.trim()).filter(Boolean),
        start: new Date(f.start).toISOString(), end: new Date(f.end).toISOString(), scoring: f.scoring, freezeMinutes: Number(f.freezeMinutes || 0),
        invitations: f.invitations.split('\n').map(l => l.trim()).filter(Boolean).map(invitation) } });
      await route();
      showInvitations(saved);
    } catch (e) { $('#contest .form-error').textContent = describe(e); }
  };
}

/** A contest's scoreboard freeze as the list says it, with the button that lifts it while it holds. */
function freezeState(c: any): string {
  if (!c.freezeMinutes) return '';
  const at = new Date(new Date(c.end).getTime() - c.freezeMinutes * 60000);
  if (c.unfrozenAt) return ` · scoreboard unfrozen ${esc(when(c.unfrozenAt))}`;
  if (at > new Date()) return ` · scoreboard freezes ${esc(when(at.toISOString()))}`;
  return ` · <strong>scoreboard frozen</strong> since ${esc(when(at.toISOString()))}
    <button type="button" data-unfreeze="${esc(c.id)}">Unfreeze the scoreboard</button>`;
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
  if (print) print.onclick = () => printAlone(box);
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
    $('#regrade').onclick = () => { if (confirm(`Judge every submission of ${id} again? Verdicts may change on the scoreboards.`)) regrade(id, key); };
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
