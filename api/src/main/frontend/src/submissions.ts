// "My submissions": the participant's submissions in the contest, tracked from the server's state
// wherever they are, and the details of the one that is open.
import { ApiError, call, describe } from './api';
import { $, VERDICTS, currentScreen, esc, every, letter, verdictBadge } from './ui';
import { sessionEnded } from './session';
import { verdictView } from './feedback';
import type { ContestView, Source, SubmissionView, Summary } from './types';

/** The submission whose details are open, per contest and tab: kept while switching problems and across reloads. */
export const openSubmission = {
  get: (contestId: string) => sessionStorage.getItem('ce.open.' + contestId),
  set: (contestId: string, id: string) => sessionStorage.setItem('ce.open.' + contestId, id),
};

/**
 * "My submissions": every submission of the participant in the contest, from the server's state,
 * wherever they are in the contest. Polled every 1.5 s while any is pending (else every 10 s);
 * rows are updated in place, so focus and scroll stay; a verdict that arrives is announced once.
 * The open submission shows its code, which {@code loadCode} puts into the editor to submit again.
 */
export function trackSubmissions(contestId: string, key: string, contest: ContestView, gen: number,
                                 loadCode: (source: Source) => void) {
  const letterOf = (problemId: string) => { const i = contest.problems.findIndex(p => p.id === problemId); return i < 0 ? '?' : letter(i); };
  let subs: Summary[] = [];
  let failures = 0;
  let timer = 0;
  let known: Map<string, string> | null = null;   // id -> status, to announce verdicts that arrive
  let shownDetail = '';
  let shownCode = '';
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
      box.innerHTML = `<table class="mine"><thead><tr><th>Problem</th><th>When</th><th>Language</th><th>Verdict</th><th>Took</th><th><span class="visually-hidden">Details</span></th></tr></thead><tbody></tbody></table>`;
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
      if (gen !== currentScreen()) return;
      const html = `<h3>Submission ${esc(letterOf(s.problemId))} · ${new Date(s.createdAt).toLocaleTimeString()} · ${esc(s.language)}</h3>` + verdictView(s);
      if (box.innerHTML !== html) { box.innerHTML = html; box.dataset.id = s.id; }
      shownDetail = `${s.id}${s.status}${s.verdict}${s.testsDone}`;
    } catch (e) { box.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
    await code(id);
  };
  /** The open submission's code, read once (it never changes), with the button that loads it into the editor. */
  const code = async (id: string) => {
    const box = $('#submission-code');
    if (!box || shownCode === id) return;
    try {
      const src = await call<Source>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions/${encodeURIComponent(id)}/source`, { key });
      if (gen !== currentScreen() || openSubmission.get(contestId) !== id) return;
      box.innerHTML = `<h4 id="h-code">Its code <small class="muted">(${esc(src.language)} ${esc(src.version)})</small></h4>
        <pre class="source" role="region" aria-labelledby="h-code" tabindex="0">${esc(src.files[0]?.content ?? '')}</pre>
        <p><button type="button" id="load-code">Load into the editor</button> <span class="muted">to change it and submit it again</span></p>`;
      box.dataset.id = id;
      $<HTMLButtonElement>('#load-code').onclick = () => loadCode(src);
      shownCode = id;
    } catch (e) { box.innerHTML = `<p class="error">The code could not be read: ${esc(describe(e))}</p>`; }
  };
  const refresh = async () => {
    clearTimeout(timer);
    if (gen !== currentScreen()) return;
    try {
      subs = await call<Summary[]>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions`, { key });
      if (gen !== currentScreen()) return;
      failures = 0;
      if ($('#subs-status').textContent) $('#subs-status').textContent = '';  // a live region: touched only when it changes
      const arrived = known ? subs.filter(s => s.status === 'DONE' && known!.has(s.id) && known!.get(s.id) !== 'DONE') : [];
      if (arrived.length) $('#announce').textContent = arrived.map(s => `Problem ${letterOf(s.problemId)}: ${VERDICTS[s.verdict!] ?? s.verdict}`).join('. ');
      known = new Map(subs.map(s => [s.id, s.status]));
      render();
      await detail();
    } catch (e) {
      if (gen !== currentScreen()) return;
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
