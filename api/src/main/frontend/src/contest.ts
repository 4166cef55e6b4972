// A contest's page: its problems, a problem's statement and samples, the editor with its drafts,
// Run and Submit; the participant's submissions are tracked below it (submissions.ts).
import { ApiError, call, describe } from './api';
import { CodeEditor, TEMPLATES } from './editor';
import { renderStatement } from './markdown';
import { $, bannerOnceLoaded, currentScreen, durationMs, esc, every, header, hms, keepTimer, letter, main, mib, ms, route, store, when } from './ui';
import { entryOf, sessionEnded, signOut } from './session';
import { Drafts } from './drafts';
import { openSubmission, trackSubmissions } from './submissions';
import { runResult } from './feedback';
import type { ContestView, Runtime, SampleInteraction, Source } from './types';
import { mountClarifications } from './clarifications';

let runtimesCache: Runtime[] | null = null;
export async function contestPage(contestId: string, problemId?: string) {
  const entry = entryOf(contestId);
  if (!entry) { location.hash = '#/'; return; }
  const key = entry.key;
  const gen = currentScreen();
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
    bannerOnceLoaded(`${describe(e)} Working from this browser meanwhile: your code is kept here and saved on the server when it is back.`,
      () => route());
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
    if (now() >= start) window.setTimeout(() => { if (gen === currentScreen()) route(); }, 2000);  // this clock ran ahead of the server's
    return;
  }
  tick(); every(tick, 1000);
  const index = Math.max(0, contest.problems.findIndex(p => p.id === problemId));
  const problem = contest.problems[index];
  // An interactive or multi-pass problem's samples are dialogues with the judge, never input and output to run on.
  const talks = problem.checker === 'INTERACTIVE' || problem.checker === 'MULTI_PASS';
  const interactions = problem.sampleInteractions ?? [];
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
      <h1 id="pname" tabindex="-1">${esc(problem.name)}</h1>
      <p class="limits">Problem ${letter(index)} · <span${problem.timeLimitSource ? ` title="${esc(problem.timeLimitSource)}"` : ''}>time limit ${ms(durationMs(problem.timeLimit))}${problem.timeLimitSource?.startsWith('from the accepted submissions') ? ' (from the accepted solutions)' : ''}</span> · memory ${mib(problem.memoryLimitBytes)} · ${talks ? `${interactions.length} sample interaction(s)` : `${problem.samples.length} sample(s)`}, ${problem.secretTestCount} hidden test(s)</p>
      ${talks ? `<p class="notice talk">${problem.checker === 'INTERACTIVE'
        ? 'Interactive problem: your program and the judge\'s program take turns over standard input and output. Flush your output after every line, or the judge waits for it.'
        : 'Multi-pass problem: your program runs several times; each pass reads what the judge\'s program makes of the previous one.'}</p>` : ''}
      <div class="md">${problem.statement ? renderStatement(problem.statement, `/api/v1/contests/${encodeURIComponent(contestId)}/problems/${encodeURIComponent(problem.id)}/`) : '<p class="muted">This problem has no statement.</p>'}</div>
      ${interactions.map(dialogue).join('')}
      ${problem.samples.map((s, i) => `<section class="sample"><h2>Sample ${i + 1}</h2><div class="io">
        <div><h3>Input <button type="button" class="copy link" data-copy="sample-in-${i}" aria-label="Copy the input of sample ${i + 1}">Copy</button></h3><pre id="sample-in-${i}">${esc(s.input)}</pre></div>
        <div><h3>Output <button type="button" class="copy link" data-copy="sample-out-${i}" aria-label="Copy the output of sample ${i + 1}">Copy</button></h3><pre id="sample-out-${i}">${esc(s.expectedOutput)}</pre></div></div></section>`).join('')}
      <p id="copied" class="visually-hidden" role="status"></p>
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
          <option value="custom">${talks ? 'input you type' : 'custom input'}</option></select></label>
        <button type="button" id="run" aria-keyshortcuts="Control+Enter">Run</button>
        <button type="button" id="submit" class="primary" aria-keyshortcuts="Control+Shift+Enter">Submit</button>
        <span class="muted keys">Ctrl+Enter runs, Ctrl+Shift+Enter submits</span>
      </div>
      ${talks ? `<p id="talk-run" class="muted">Run gives your program the input you type and shows what it writes:
        it does not talk with the judge's program, so you play the judge (“Copy” above takes a sample's judge lines).
        Submit to be judged with it.</p>` : ''}
      <textarea id="custom" aria-label="Custom input" rows="4" ${talks ? '' : 'hidden'} placeholder="${talks ? 'What the judge would send' : 'Custom input'}"></textarea>
      <div id="result" aria-live="polite" tabindex="-1"></div>
      <h2 id="h-mine">My submissions</h2>
      <p id="subs-status" class="muted" role="status"></p>
      <div id="mine"></div>
      <div id="submission"></div>
      <div id="submission-code"></div>
      <p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
    </section></div>`;

  const select = $<HTMLSelectElement>('#language');
  const lang = () => select.value.split(' ')[0];
  const version = () => select.value.split(' ')[1] ?? '*';
  // A live region: written only when its words change, so a screen reader does not repeat them on every keystroke.
  const saveStatus = (text: string, kind: 'ok' | 'bad' | '' = '') => { const s = $('#save-status'); if (s && s.textContent !== text) { s.textContent = text; s.className = kind || 'muted'; } };
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
  if (gen !== currentScreen()) return;
  const result = $('#result');
  /** After Run or Submit from their buttons, focus moves to what they answered (from the editor's shortcuts it stays in the editor). */
  const show = (html: string, focus: boolean) => { result.innerHTML = html; if (focus) result.focus(); };
  const run = async (fromButton = false) => {
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
      show(runResult(r, sample), fromButton);
    } catch (e) {
      if (e instanceof ApiError && e.busy) retryLater(result, e, 'Running', () => { button.disabled = false; run(fromButton); });
      else show(`<p class="error">${esc(describe(e))}</p>`, fromButton);
    }
    button.disabled = phase() === 'over';
  };
  const submit = async (fromButton = false, again?: { language: string; version: string; code: string }) => {
    const button = $<HTMLButtonElement>('#submit');
    if (button.disabled || phase() === 'over') return;
    button.disabled = true;  // only while the submission is sent: judging goes on in "My submissions"
    result.innerHTML = '<p role="status">Submitting…</p>';
    // A retry after a 429/503 sends what was submitted then, not what the editor holds now.
    const sent = again ?? { language: lang(), version: version(), code: editor.code };
    try {
      const ticket = await call<{ ticket: string }>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions`, { key, body: {
        problemId: problem.id, language: sent.language, version: sent.version, files: [{ content: sent.code }] } });
      show(`<p class="ok">Submitted (ticket <code>${esc(ticket.ticket)}</code>): it is judged below while you keep working.</p>`, fromButton);
      openSubmission.set(contestId, ticket.ticket);
      tracker.now();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { sessionEnded(contestId, e); return; }
      if (e instanceof ApiError && e.busy) retryLater(result, e, 'Submitting', () => submit(fromButton, sent));
      else show(`<p class="error">${esc(describe(e))}</p>`, fromButton);
    }
    button.disabled = phase() === 'over';
  };
  editor = new CodeEditor($('#editor'), drafts.code(language) ?? TEMPLATES[language] ?? '', language,
    code => drafts.edited(lang(), code), { run: () => run(), submit: () => submit() });
  select.onchange = () => {
    store.set('runtime', select.value);
    $('#draft-conflict').hidden = true;
    editor.set(drafts.code(lang()) ?? TEMPLATES[lang()] ?? '', lang());
    result.innerHTML = '';  // the previous language's run says nothing about this one
  };
  $('#reset').onclick = () => { if (confirm('Replace your code with the template?')) { editor.set(TEMPLATES[lang()] ?? '', lang()); drafts.edited(lang(), editor.code); } };
  const inputSelect = $<HTMLSelectElement>('#input');
  inputSelect.onchange = () => { $('#custom').hidden = inputSelect.value !== 'custom'; };
  $('#run').onclick = () => run(true);
  $('#submit').onclick = () => submit(true);
  main().querySelectorAll<HTMLButtonElement>('button.copy').forEach(b => b.onclick = () => copy(b));
  // Switching problems takes the focus to the new statement, where reading goes on.
  main().querySelectorAll<HTMLAnchorElement>('.problems a[data-problem]').forEach(a => a.addEventListener('click', () => { focusStatement = a.dataset.problem !== problem.id; }));
  if (focusStatement) { focusStatement = false; $('#pname').focus(); }
  const freeze = () => {
    editor.setReadOnly(true);
    ['#run', '#submit', '#reset'].forEach(s => { const b = $<HTMLButtonElement>(s); if (b) b.disabled = true; });
    $('#over').hidden = false;
  };
  if (initialPhase === 'over') freeze(); else onOver = freeze;
  /** Puts a past submission's code into the editor, in its language, as the draft to change and submit again. */
  const loadCode = (src: Source) => {
    if (phase() === 'over') { result.innerHTML = '<p class="error">The contest is over: nothing can be submitted again.</p>'; return; }
    if (src.problemId !== problem.id) {  // its problem's page loads it
      sessionStorage.setItem(LOAD + contestId, JSON.stringify(src));
      location.hash = `#/c/${encodeURIComponent(contestId)}/p/${encodeURIComponent(src.problemId)}`;
      return;
    }
    const option = runtimes.find(r => r.language === src.language && r.version === src.version) ?? runtimes.find(r => r.language === src.language);
    if (!option) { result.innerHTML = `<p class="error">This page offers no ${esc(src.language)} runtime to load the code into.</p>`; return; }
    const value = `${option.language} ${option.version}`;
    const current = drafts.code(option.language) ?? TEMPLATES[option.language] ?? '';
    const code = src.files[0]?.content ?? '';
    if (current !== code && current !== (TEMPLATES[option.language] ?? '')
      && !confirm(`Replace your ${option.language} code in the editor with this submission's?`)) return;
    if (select.value !== value) { select.value = value; select.onchange!(new Event('change')); }
    editor.set(code, option.language);
    drafts.edited(option.language, code);
    result.innerHTML = `<p class="ok" role="status">The code of your submission of ${esc(new Date(src.createdAt).toLocaleTimeString())} is in the editor: change it, run it, submit it again.</p>`;
    editor.view.focus();
  };
  const tracker = trackSubmissions(contestId, key, contest, gen, loadCode);
  clarifications($('.contest'));
  const pendingLoad: Source | null = JSON.parse(sessionStorage.getItem(LOAD + contestId) ?? 'null');
  sessionStorage.removeItem(LOAD + contestId);
  if (pendingLoad?.problemId === problem.id && initialPhase !== 'over') loadCode(pendingLoad);
}

/** Set by a click on a problem in the list: the next problem page focuses its statement. */
let focusStatement = false;

/** Copies a sample's text: the clipboard API where the page may use it, else the browser's copy command on a selection (a plain-http address). */
async function copy(button: HTMLButtonElement) {
  // A sample's element, or the text the button carries (one side of a sample interaction).
  const source = button.dataset.text === undefined ? $(`#${button.dataset.copy}`) : null;
  const text = source ? source.textContent ?? '' : button.dataset.text!;
  let ok = false;
  try { await navigator.clipboard.writeText(text); ok = true; } catch {
    const area = source ? null : Object.assign(document.createElement('textarea'), { value: text, readOnly: true, className: 'visually-hidden' });
    if (area) { document.body.append(area); area.select(); } else {
      const range = document.createRange();
      range.selectNodeContents(source!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    }
    ok = document.execCommand('copy');
    getSelection()?.removeAllRanges();
    area?.remove();
  }
  const label = button.dataset.label ??= button.getAttribute('aria-label') ?? '';
  button.textContent = ok ? 'Copied' : 'Select and copy';
  // The accessible name keeps holding the words shown (WCAG 2.5.3, label in name).
  button.setAttribute('aria-label', ok ? label.replace(/^Copy/, 'Copied') : `Select and copy: ${label.replace(/^Copy /, '')}`);
  $('#copied').textContent = ok ? `${label.replace(/^Copy/, 'Copied')}.` : 'The browser did not copy: select the text and copy it.';
  window.setTimeout(() => { if (button.isConnected) { button.textContent = 'Copy'; button.setAttribute('aria-label', label); } }, 2000);
}

/**
 * A sample interaction as a table of two columns, one row per line in the order they were sent:
 * what the judge sent (the program read) on the left, what the program wrote on the right; a
 * multi-pass problem's passes are marked between. Each column's lines can be copied.
 */
function dialogue(interaction: SampleInteraction, i: number): string {
  const lines = interaction.text.split('\n').filter(l => l.trim() !== '');
  const side = (mark: string) => lines.filter(l => l.startsWith(mark)).map(l => l.slice(1) + '\n').join('');
  let pass = 1;
  const rows = lines.map(l => l.startsWith('<') ? `<tr><td class="judge"><code>${esc(l.slice(1))}</code></td><td></td></tr>`
    : l.startsWith('>') ? `<tr><td></td><td class="program"><code>${esc(l.slice(1))}</code></td></tr>`
    : `<tr class="pass-end"><td colspan="2">Pass ${pass} ends; pass ${++pass} begins</td></tr>`).join('');
  const label = `sample ${i + 1}`;
  return `<section class="sample interaction" aria-labelledby="dialogue-h-${i}"><h2 id="dialogue-h-${i}">Sample ${i + 1}</h2>
    <table class="dialogue" id="dialogue-${i}"><caption class="visually-hidden">Sample ${i + 1}: what the judge sends and what your program writes, line by line in order</caption>
      <thead><tr><th scope="col">The judge sends (your program reads) <button type="button" class="copy link" data-copy="dialogue-${i}" data-text="${esc(side('<'))}" aria-label="Copy what the judge sends in ${label}">Copy</button></th>
        <th scope="col">Your program writes <button type="button" class="copy link" data-copy="dialogue-${i}" data-text="${esc(side('>'))}" aria-label="Copy what your program writes in ${label}">Copy</button></th></tr></thead>
      <tbody>${rows}</tbody></table></section>`;
}

/** Where a submission's code waits for its problem's page to load it (sessionStorage, per contest). */
const LOAD = 'ce.load.';

const now = () => Date.now();

/**
 * A 429 or 503 (a limit, a full queue): says why, counts down the server's Retry-After (5 s without
 * one) and calls {@code again} by itself; "Try now" and "Cancel" leave the choice to the participant.
 */
function retryLater(into: HTMLElement, e: ApiError, doing: string, again: () => void) {
  let left = Math.max(1, Math.min(e.retryAfter ?? 5, 600));
  const gen = currentScreen();
  into.innerHTML = `<p class="error busy">${esc(e.title)}: ${esc(e.detail.replace(/([^.!?])$/, '$1.'))}
    <span class="retrying">${esc(doing)} again by itself in <strong class="retry-in">${left} s</strong>.
    <button type="button" class="link try-now">Try now</button> <button type="button" class="link cancel-retry">Cancel</button></span></p>`;
  const stop = () => { clearInterval(t); into.querySelector('.retrying')?.remove(); };
  const go = () => { clearInterval(t); if (gen === currentScreen() && into.isConnected) again(); };
  const t = window.setInterval(() => {
    const counter = into.querySelector('.retry-in');
    if (gen !== currentScreen() || !counter) { clearInterval(t); return; }
    left--;
    if (left <= 0) go(); else counter.textContent = `${left} s`;
  }, 1000);
  keepTimer(t);
  into.querySelector<HTMLButtonElement>('.try-now')!.onclick = go;
  into.querySelector<HTMLButtonElement>('.cancel-retry')!.onclick = stop;
}
