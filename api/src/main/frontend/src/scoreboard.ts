// The scoreboard: letters for problems, names, the participant's own row, first solves, search
// and pages, refreshed in place.
import { call, describe } from './api';
import { $, banner, esc, every, header, letter, main, when } from './ui';
import { entryOf } from './session';
import type { ContestView } from './types';

export async function scoreboard(contestId: string) {
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
    <p id="board-frozen" class="notice" role="status" hidden></p>
    <div class="scroll" tabindex="0" role="region" aria-label="Scoreboard"><table class="board"><thead></thead><tbody></tbody></table></div>
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
          : c.bestScore}${c.pending ? ` <small title="${board.frozen ? 'not judged yet, or judged during the freeze' : 'not judged yet'}">(${c.pending}?)</small>` : ''}</td>`;
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
    const frozen = $('#board-frozen');
    const freeze = board.frozen ? `Frozen since ${when(board.freezesAt)}: submissions made since then show as pending (?) to everyone until the organisers unfreeze the scoreboard.${entry ? ' Your own verdicts are in My submissions.' : ''}`
      : board.freezesAt && new Date(board.freezesAt) > new Date() ? `The scoreboard freezes at ${when(board.freezesAt)}, for the rest of the contest.` : '';
    if (frozen.textContent !== freeze) { frozen.textContent = freeze; frozen.hidden = !freeze; }
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
