// The contest UI: a single page with hash routes.
//   #/                         contests, entry
//   #/c/<contest>[/p/<problem>] problem: statement, editor, run, submit, my submissions
//   #/c/<contest>/scoreboard   scoreboard, refreshed live
//   #/admin                    admin: key, contests, problems (upload, tests, limits, regrade), queue
import './styles.css';
import { ApiError, call, describe } from './api';
import { CodeEditor, TEMPLATES } from './editor';
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

/** Timers of the current screen, stopped when the route changes. */
let timers: number[] = [];
const every = (f: () => void, msInterval: number) => timers.push(window.setInterval(f, msInterval));

function banner(message: string | null, retry?: () => void) {
  const b = $('#banner');
  b.innerHTML = message ? `<p>${esc(message)}</p>${retry ? '<button type="button" id="retry">Retry</button>' : ''}` : '';
  b.className = message ? 'shown' : '';
  if (retry) $('#retry', b).onclick = () => { banner(null); retry(); };
}

/** Loads a screen; on failure says why and offers a retry instead of spinning. */
async function load(render: () => Promise<void>) {
  main().innerHTML = '<p class="muted" role="status">Loading…</p>';
  try {
    await render();
    banner(null);
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
interface Entry { contestId: string; participant: string; key: string; }

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
  banner(null);
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'c' && parts[1]) {
    if (parts[2] === 'scoreboard') return load(() => scoreboard(parts[1]));
    return load(() => contestPage(parts[1], parts[2] === 'p' ? parts[3] : undefined));
  }
  if (parts[0] === 'admin') return load(() => admin());
  return load(home);
}

// ------------------------------------------------------------------ home: contests and entry

async function home() {
  header('');
  const contests = await call<ContestView[]>('/api/v1/contests');
  main().innerHTML = `<h1>Contests</h1>${contests.length === 0 ? '<p>No contest yet. An admin creates one under <a href="#/admin">Admin</a>.</p>' : ''}
    <ul class="cards">${contests.map(c => {
      const entry = entryOf(c.id);
      return `<li class="card"><h2>${esc(c.title)}</h2>
        <p>${new Date(c.start).toLocaleString()} – ${new Date(c.end).toLocaleString()} · ${c.scoring === 'ICPC' ? 'ICPC (solved, penalty)' : 'points'}
        · ${c.running ? '<strong>running</strong>' : new Date(c.end) < new Date() ? 'over' : 'not started'}</p>
        ${entry ? `<p>You are <strong>${esc(entry.participant)}</strong>. <a class="button" href="#/c/${esc(c.id)}">Open the contest</a></p>`
          : `<form class="enter" data-contest="${esc(c.id)}">
          ${c.byInvitation ? `<label>Invitation token <input name="token" required autocomplete="off"></label>`
            : `<label>Your name <input name="name" required maxlength="40" autocomplete="nickname"></label>`}
          <button type="submit">Enter</button><span class="form-error" role="alert"></span></form>`}
        <p><a href="#/c/${esc(c.id)}/scoreboard">Scoreboard</a></p></li>`;
    }).join('')}</ul>`;
  main().querySelectorAll<HTMLFormElement>('form.enter').forEach(form => form.onsubmit = async ev => {
    ev.preventDefault();
    const id = form.dataset.contest!;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    try {
      const entry = await call<Entry>(`/api/v1/contests/${encodeURIComponent(id)}/entries`, { body: data });
      store.set('entry.' + id, JSON.stringify(entry));
      location.hash = `#/c/${encodeURIComponent(id)}`;
    } catch (e) { $('.form-error', form).textContent = describe(e); }
  });
}

// ------------------------------------------------------------------ contest: problems, editor, run, submit

let runtimesCache: Runtime[] | null = null;

async function contestPage(contestId: string, problemId?: string) {
  const entry = entryOf(contestId);
  if (!entry) { location.hash = '#/'; return; }
  const key = entry.key;
  const contest = await call<ContestView>(`/api/v1/contests/${encodeURIComponent(contestId)}`, { key });
  runtimesCache ??= await call<Runtime[]>('/api/v2/runtimes', { key });
  const runtimes = runtimesCache.filter(r => r.language in TEMPLATES);
  header(`<span class="title">${esc(contest.title)}</span><span id="clock" class="muted"></span>
    <a href="#/c/${esc(contestId)}/scoreboard">Scoreboard</a>
    <span class="muted">${esc(entry.participant)}</span><button type="button" id="leave" class="link">Leave</button>`);
  $('#leave').onclick = () => { if (confirm('Leave this contest on this browser? Your code stays saved.')) { store.del('entry.' + contestId); location.hash = '#/'; } };
  const tick = () => {
    const now = Date.now(), start = new Date(contest.start).getTime(), end = new Date(contest.end).getTime();
    const hm = (t: number) => `${Math.floor(t / 3600000)}h ${Math.floor(t / 60000) % 60}m`;
    const clock = $('#clock');
    if (clock) clock.textContent = now < start ? `starts in ${hm(start - now)}` : now < end ? `${hm(end - now)} left` : 'contest over';
  };
  tick(); every(tick, 30000);
  if (contest.problems.length === 0) { main().innerHTML = `<p>The contest starts ${new Date(contest.start).toLocaleString()}.</p>`; return; }
  const problem = contest.problems.find(p => p.id === problemId) ?? contest.problems[0];
  // The picker's values are "language version": Java has one runtime per JDK.
  const lastRuntime = store.get('runtime') ?? '';
  const initial = runtimes.find(r => `${r.language} ${r.version}` === lastRuntime)
    ?? runtimes.find(r => r.language === lastRuntime.split(' ')[0]) ?? runtimes.find(r => r.language === 'python') ?? runtimes[0];
  const language = initial?.language;
  const codeKey = (lang: string) => `code.${contestId}.${problem.id}.${lang}`;

  main().innerHTML = `<div class="contest">
    <nav class="problems" aria-label="Problems"><h2>Problems</h2><ol>${contest.problems.map(p =>
      `<li><a href="#/c/${esc(contestId)}/p/${esc(p.id)}" ${p.id === problem.id ? 'aria-current="page"' : ''}>${esc(p.name)}</a></li>`).join('')}</ol></nav>
    <article class="statement" aria-labelledby="pname">
      <h1 id="pname">${esc(problem.name)}</h1>
      <p class="limits"><span${problem.timeLimitSource ? ` title="${esc(problem.timeLimitSource)}"` : ''}>Time limit ${ms(durationMs(problem.timeLimit))}${problem.timeLimitSource?.startsWith('from the accepted submissions') ? ' (from the accepted solutions)' : ''}</span> · memory ${mib(problem.memoryLimitBytes)} · ${problem.samples.length} sample(s), ${problem.secretTestCount} hidden test(s)</p>
      <div class="md">${problem.statement ? renderStatement(problem.statement, `/api/v1/contests/${encodeURIComponent(contestId)}/problems/${encodeURIComponent(problem.id)}/`) : '<p class="muted">This problem has no statement.</p>'}</div>
      ${problem.samples.map(s => `<section class="sample"><h3>Sample ${esc(s.name)}</h3><div class="io"><div><h4>Input</h4><pre>${esc(s.input)}</pre></div>
        <div><h4>Output</h4><pre>${esc(s.expectedOutput)}</pre></div></div></section>`).join('')}
    </article>
    <section class="work" aria-label="Your solution">
      <div class="toolbar">
        <label>Language <select id="language">${runtimes.map(r => `<option value="${esc(r.language)} ${esc(r.version)}"
          ${r === initial ? 'selected' : ''}>${esc(r.language)} ${esc(r.version)}</option>`).join('')}</select></label>
        <button type="button" id="reset" class="link">Reset to template</button>
      </div>
      <div id="editor"></div>
      <div class="toolbar">
        <label>Run on <select id="input">${problem.samples.map((s, i) => `<option value="${i}">sample ${esc(s.name)}</option>`).join('')}
          <option value="custom">custom input</option></select></label>
        <button type="button" id="run">Run</button>
        <button type="button" id="submit" class="primary">Submit</button>
      </div>
      <textarea id="custom" aria-label="Custom input" rows="4" hidden placeholder="Custom input"></textarea>
      <div id="result" aria-live="polite"></div>
      <h2>My submissions</h2>
      <div id="history" aria-live="polite"></div>
    </section></div>`;

  const select = $<HTMLSelectElement>('#language');
  const lang = () => select.value.split(' ')[0];
  const version = () => select.value.split(' ')[1] ?? '*';
  const editor = new CodeEditor($('#editor'), store.get(codeKey(language)) ?? TEMPLATES[language] ?? '', language,
    code => store.set(codeKey(lang()), code));
  select.onchange = () => { store.set('runtime', select.value); editor.set(store.get(codeKey(lang())) ?? TEMPLATES[lang()] ?? '', lang()); };
  $('#reset').onclick = () => { if (confirm('Replace your code with the template?')) { editor.set(TEMPLATES[lang()] ?? '', lang()); store.set(codeKey(lang()), editor.code); } };
  const inputSelect = $<HTMLSelectElement>('#input');
  inputSelect.onchange = () => { $('#custom').hidden = inputSelect.value !== 'custom'; };
  const result = $('#result');
  const busy = (on: boolean) => ['#run', '#submit'].forEach(s => { $<HTMLButtonElement>(s).disabled = on; });

  $('#run').onclick = async () => {
    const custom = inputSelect.value === 'custom';
    const sample = custom ? null : problem.samples[Number(inputSelect.value)];
    const stdin = custom ? $<HTMLTextAreaElement>('#custom').value : sample!.input;
    busy(true);
    result.innerHTML = '<p role="status">Running…</p>';
    try {
      const r = await call<any>('/api/v2/execute', { key, timeoutMs: 130000, body: {
        language: lang(), version: version(), files: [{ content: editor.code }], stdin } });
      result.innerHTML = runResult(r, sample);
    } catch (e) { result.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
    busy(false);
  };

  const history = async () => {
    try {
      const mine = await call<SubmissionView[]>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions?problemId=${encodeURIComponent(problem.id)}`, { key });
      $('#history').innerHTML = mine.length === 0 ? '<p class="muted">None yet.</p>' : `<table><thead><tr><th>When</th><th>Language</th><th>Verdict</th><th>Score</th></tr></thead><tbody>
        ${mine.map(s => `<tr><td>${new Date(s.createdAt).toLocaleTimeString()}</td><td>${esc(s.language)}</td><td>${verdictBadge(s.verdict, s.status)}</td><td>${s.score ?? ''}</td></tr>`).join('')}</tbody></table>`;
    } catch (e) { $('#history').innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  history();

  $('#submit').onclick = async () => {
    busy(true);
    result.innerHTML = '<p role="status">Submitting…</p>';
    try {
      const ticket = await call<{ ticket: string }>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions`, { key, body: {
        problemId: problem.id, language: lang(), version: version(), files: [{ content: editor.code }] } });
      result.innerHTML = `<p>Ticket <code>${esc(ticket.ticket)}</code>: queued.</p>`;
      history();
      await poll(ticket.ticket, key, result);
      history();
    } catch (e) { result.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
    busy(false);
  };
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

/** Polls a ticket until it is judged; a lost connection is said and retried, never a silent spinner. */
async function poll(ticket: string, key: string, into: HTMLElement) {
  let failures = 0;
  for (;;) {
    try {
      const s = await call<SubmissionView>(`/api/v1/submissions/${encodeURIComponent(ticket)}`, { key });
      failures = 0;
      into.innerHTML = verdictView(s);
      if (s.status === 'DONE') return;
    } catch (e) {
      if (!(e instanceof ApiError) || !(e.unreachable || e.busy)) throw e;
      failures++;
      into.querySelector('.conn')?.remove();
      into.insertAdjacentHTML('beforeend', `<p class="error conn">${esc(describe(e))} Retrying (${failures})…</p>`);
    }
    await new Promise(r => setTimeout(r, Math.min(500 * 2 ** failures, 8000)));
  }
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
    <ol class="tests" aria-label="Tests">${rows.join('')}</ol>`;
}

// ------------------------------------------------------------------ scoreboard

async function scoreboard(contestId: string) {
  header(`<a href="#/c/${esc(contestId)}">Back to the contest</a>`);
  const render = async () => {
    const b = await call<any>(`/api/v1/contests/${encodeURIComponent(contestId)}/scoreboard`, { key: entryOf(contestId)?.key });
    const icpc = b.scoring === 'ICPC';
    main().innerHTML = `<h1>Scoreboard</h1><p class="muted">Refreshed every 5 s · last ${new Date().toLocaleTimeString()}</p>
      <div class="scroll"><table class="board"><thead><tr><th>#</th><th>Participant</th>${icpc ? '<th>Solved</th><th>Penalty</th>' : '<th>Points</th>'}
      ${b.problemIds.map((p: string) => `<th>${esc(p)}</th>`).join('')}</tr></thead><tbody>
      ${b.rows.map((r: any) => `<tr><td>${r.rank}</td><td>${esc(r.participant)}</td>${icpc ? `<td>${r.solved}</td><td>${r.penalty}</td>` : `<td>${r.points}</td>`}
        ${b.problemIds.map((p: string) => { const c = r.problems[p]; if (!c) return '<td></td>';
          return `<td class="${c.solved ? 'ok' : c.tries ? 'bad' : ''}">${icpc ? (c.solved ? `+${c.tries > 1 ? c.tries - 1 : ''}<br><small>${c.minutes}'</small>` : c.tries ? `−${c.tries}` : '') : c.bestScore}${c.pending ? ' <small>(…)</small>' : ''}</td>`; }).join('')}</tr>`).join('')}
      </tbody></table></div>${b.rows.length === 0 ? '<p>No submissions yet.</p>' : ''}`;
  };
  await render();
  every(() => render().then(() => banner(null), e => banner(describe(e) + ' The scoreboard retries by itself.')), 5000);
}

// ------------------------------------------------------------------ admin

async function admin() {
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
      <div id="invitations" aria-live="polite"></div></section>`;
  $('#logout').onclick = () => { store.del('admin'); route(); };
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
