// The admin's records: submissions (filtered, with their code, and a rejudge of one) and the
// audit log (filtered, and as CSV). Times are shown with their time zone.
import { ApiError, call, describe } from './api';
import { $, currentScreen, esc, verdictBadge } from './ui';

/** A moment to the second, with its time zone: records are compared to the second. */
const at = (iso: string | null) => iso ? new Date(iso).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric',
  hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }) : '';
/** A form's filled fields as query parameters; a datetime-local field becomes the instant it names here. */
function query(form: HTMLFormElement, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  for (const [k, v] of new FormData(form)) {
    const field = form.elements.namedItem(k) as HTMLInputElement;
    if (v) q.set(k, field.type === 'datetime-local' ? new Date(String(v)).toISOString() : String(v));
  }
  return q.toString();
}

export function submissionList(box: HTMLElement, key: string, contests: any[]) {
  box.innerHTML = `<form id="sub-filter"><label>Contest <select name="contestId"><option value="">any</option>${contests.map(c =>
      `<option value="${esc(c.id)}">${esc(c.id)}</option>`).join('')}</select></label>
    <label>Problem <input name="problemId"></label><label>Participant <input name="participant"></label>
    <button type="submit">Show</button></form>
    <div id="sub-list"></div><div id="sub-source"></div>`;
  const form = $<HTMLFormElement>('#sub-filter', box);
  const list = $('#sub-list', box);
  const gen = currentScreen();
  let items: any[] = [];
  let next: string | null = null;
  const draw = () => {
    list.innerHTML = items.length === 0 ? '<p class="muted">No submission matches.</p>' : `<div class="scroll"><table id="submission-list">
      <thead><tr><th>Submitted</th><th>Participant</th><th>Contest</th><th>Problem</th><th>Language</th><th>Verdict</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
      <tbody>${items.map(s => `<tr data-id="${esc(s.id)}"><td>${esc(at(s.createdAt))}</td><td>${esc(s.participant)}</td><td>${esc(s.contestId ?? '')}</td>
        <td>${esc(s.problemId ?? 'inline tests')}</td><td>${esc(s.language)}</td>
        <td class="st">${s.status === 'DONE' ? verdictBadge(s.verdict) : verdictBadge(null, s.status)}${s.round ? ' <small>judged again</small>' : ''}</td>
        <td>${s.contestId ? `<button type="button" class="link code" data-id="${esc(s.id)}" data-contest="${esc(s.contestId)}">Code</button> ` : ''}
          <button type="button" class="link rejudge" data-id="${esc(s.id)}">Rejudge</button></td></tr>`).join('')}</tbody></table></div>
      ${next ? '<button type="button" id="sub-more">More</button>' : ''}<p id="sub-status" role="status"></p>`;
    list.querySelectorAll<HTMLButtonElement>('button.code').forEach(b => b.onclick = () => source(b.dataset.contest!, b.dataset.id!));
    list.querySelectorAll<HTMLButtonElement>('button.rejudge').forEach(b => b.onclick = () => rejudge(b.dataset.id!));
    const more = list.querySelector<HTMLButtonElement>('#sub-more');
    if (more) more.onclick = () => load(next);
  };
  const load = async (token: string | null) => {
    try {
      const page = await call<{ items: any[]; continuationToken: string | null }>(`/api/v1/submissions?${query(form,
        { pageSize: '50', ...(token ? { continuationToken: token } : {}) })}`, { key });
      items = token ? items.concat(page.items) : page.items;
      next = page.continuationToken;
      draw();
    } catch (e) { list.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  const source = async (contestId: string, id: string) => {
    const out = $('#sub-source', box);
    try {
      const s = await call<any>(`/api/v1/contests/${encodeURIComponent(contestId)}/submissions/${encodeURIComponent(id)}/source`, { key });
      out.innerHTML = `<h3 id="h-sub-source">Code of <code>${esc(id)}</code> <small>(${esc(s.language)} ${esc(s.version)}, ${esc(at(s.createdAt))})</small></h3>
        <pre class="source" role="region" aria-labelledby="h-sub-source" tabindex="0">${esc(s.files[0]?.content ?? '')}</pre>`;
    } catch (e) { out.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  /** Judges one submission again and follows it until the new round's verdict is in. */
  const rejudge = async (id: string) => {
    if (!confirm(`Judge submission ${id} again? Its verdict may change on the scoreboard.`)) return;
    const status = (t: string) => { const s = list.querySelector('#sub-status'); if (s) s.textContent = t; };
    try {
      const r = await call<{ round: number }>(`/api/v1/admin/submissions/${encodeURIComponent(id)}/rejudge`, { method: 'POST', key });
      status(`Rejudging ${id}…`);
      for (let i = 0; i < 120 && gen === currentScreen(); i++) {
        await new Promise(res => setTimeout(res, 1000));
        const s = await call<any>(`/api/v1/submissions/${encodeURIComponent(id)}`, { key });
        if (s.round === r.round && s.status === 'DONE') {
          items = items.map(x => x.id === id ? { ...x, status: s.status, verdict: s.verdict, round: s.round } : x);
          draw();
          status(`Rejudged ${id}: ${s.verdict}${s.history.length ? ` (was ${s.history[s.history.length - 1].verdict})` : ''}.`);
          return;
        }
      }
    } catch (e) { status(describe(e)); }
  };
  form.onsubmit = ev => { ev.preventDefault(); load(null); };
  load(null);
}

export function auditLog(box: HTMLElement, key: string) {
  box.innerHTML = `<form id="audit-filter"><label>From <input type="datetime-local" name="from"></label>
    <label>To <input type="datetime-local" name="to"></label><label>Participant <input name="participant"></label>
    <label>Problem <input name="problemId"></label>
    <label>Verdict <select name="verdict"><option value="">any</option>${['AC', 'WA', 'TLE', 'MLE', 'RE', 'OLE', 'CE', 'IE'].map(v => `<option>${v}</option>`).join('')}</select></label>
    <label>Kind <select name="kind"><option value="">any</option><option value="JUDGE">judged submissions</option><option value="EXECUTE">runs</option></select></label>
    <button type="submit">Show</button> <button type="button" id="audit-csv">Download CSV</button>
    <span class="hint muted">From a day before To (now) unless set; times are in your time zone.</span></form>
    <div id="audit-list"></div>`;
  const form = $<HTMLFormElement>('#audit-filter', box);
  const list = $('#audit-list', box);
  const show = async () => {
    try {
      const entries = await call<any[]>(`/api/v1/admin/audit?${query(form, { max: '200' })}`, { key });
      list.innerHTML = entries.length === 0 ? '<p class="muted">No entry matches.</p>' : `<p class="muted">${entries.length === 200 ? 'The first 200 entries: narrow the filters, or download the CSV.' : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}.`}</p>
        <div class="scroll" tabindex="0" role="region" aria-label="Audit entries"><table id="audit-entries"><thead><tr><th>Judged</th><th>Kind</th><th>Participant</th><th>Problem</th><th>Language</th>
        <th>Verdict</th><th>Time</th><th>Memory</th><th>Submission</th></tr></thead><tbody>${entries.map(e => `<tr><td>${esc(at(e.judgedAt))}</td>
          <td>${esc(e.kind)}${e.problemType ? ` · ${esc(e.problemType)}` : ''}</td><td>${esc(e.participant)}</td><td>${esc(e.problemId ?? '')}</td><td>${esc(e.language)}</td><td>${esc(e.verdict)}</td>
          <td>${e.timeMs} ms</td><td>${Math.round(e.memoryBytes / 1048576)} MiB</td><td><code>${esc(e.submissionId)}</code></td></tr>`).join('')}</tbody></table></div>`;
    } catch (e) { list.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  form.onsubmit = ev => { ev.preventDefault(); show(); };
  // The CSV needs the key in a header, so it is fetched here and handed to the browser as a file.
  $('#audit-csv', box).onclick = async () => {
    try {
      const res = await fetch(`/api/v1/admin/audit?${query(form, { max: '10000' })}`, { headers: { Authorization: 'Bearer ' + key, Accept: 'text/csv' } });
      if (!res.ok) throw new ApiError(res.status, `Request failed (${res.status})`, (await res.text()).slice(0, 200));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await res.blob());
      a.download = 'audit.csv';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    } catch (e) { list.innerHTML = `<p class="error">${esc(describe(e))}</p>`; }
  };
  show();
}
