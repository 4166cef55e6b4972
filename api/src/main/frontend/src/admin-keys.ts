// The admin's participants and keys: per contest, who may enter and how (an invitation's token or
// an open contest's account), signing one out everywhere (their keys revoked), a new password for
// an account, invitation tokens issued in bulk with a printable list (as DOMjudge prints its
// teams' passwords), and API keys issued and revoked by hand.
import { call, describe } from './api';
import { $, esc } from './ui';

interface Invitation { token: string; participant: string; }
interface AdminContest { id: string; title: string; problemIds: string[]; start: string; end: string; scoring: string;
  freezeMinutes?: number; invitations: Invitation[]; }
interface Account { login: string; participant: string; displayName: string; createdAt: string; }

/** Prints one element of the page alone (the print style hides everything else). */
export function printAlone(el: HTMLElement) {
  el.classList.add('print-this');
  document.body.classList.add('printing');
  window.addEventListener('afterprint', () => { document.body.classList.remove('printing'); el.classList.remove('print-this'); }, { once: true });
  window.print();
}

export function participantKeys(box: HTMLElement, key: string, contests: AdminContest[], saved: (c: AdminContest) => void) {
  const chosen = sessionStorage.getItem('ce.keys.contest') ?? '';
  box.innerHTML = `${contests.length === 0 ? '<p class="muted">No contest yet.</p>' : `<div class="toolbar">
      <label>Contest <select id="keys-contest">${contests.map(c => `<option value="${esc(c.id)}" ${c.id === chosen ? 'selected' : ''}>${esc(c.title)} (${esc(c.id)})</option>`).join('')}</select></label></div>
    <p id="keys-status" role="status"></p>
    <div class="scroll"><table id="key-list"><caption class="visually-hidden">Participants of the contest</caption>
      <thead><tr><th>Participant</th><th>Name</th><th>Signs in with</th><th><span class="visually-hidden">Actions</span></th></tr></thead><tbody></tbody></table></div>
    <p id="issue-open" class="muted" hidden>An open contest: participants create their own accounts (listed above). To invite instead, list invitations in the contest's form.</p>
    <form id="issue" class="grid"><label>Issue invitation tokens: participant ids, one per line (letters, digits, . _ -)
        <textarea name="participants" rows="3" required placeholder="team-c&#10;team-d"></textarea></label>
      <button type="submit">Issue tokens</button><span class="form-error" role="alert"></span></form>
    <div id="issued"></div>`}
    <h3 id="h-api-keys">API keys</h3>
    <form id="api-key" class="grid"><label>Subject (who uses it) <input name="subject" required maxlength="128"></label>
      <label>Role <select name="role"><option>PARTICIPANT</option><option>SERVICE</option><option>ADMIN</option></select></label>
      <label>Only for contest (a participant key; empty: none) <input name="contestId"></label>
      <button type="submit">Issue a key</button><span class="form-error" role="alert"></span></form>
    <div id="api-key-issued" role="status"></div>
    <form id="api-key-revoke" class="grid"><label>Key to revoke <input name="key" required autocomplete="off"></label>
      <button type="submit">Revoke</button><span class="form-ok" role="status"></span><span class="form-error" role="alert"></span></form>`;
  apiKeys(box, key);
  if (contests.length === 0) return;
  const select = $<HTMLSelectElement>('#keys-contest', box);
  const statusLine = (text: string, bad = false) => { const s = $('#keys-status', box); s.textContent = text; s.className = bad ? 'error' : 'ok'; };
  const contest = () => contests.find(c => c.id === select.value)!;
  const base = () => `/api/v1/admin/contests/${encodeURIComponent(select.value)}`;

  const draw = async () => {
    sessionStorage.setItem('ce.keys.contest', select.value);
    const c = contest();
    $('#issue', box).hidden = c.invitations.length === 0;
    $('#issue-open', box).hidden = c.invitations.length > 0;
    let accounts: Account[] = [];
    try { accounts = await call<Account[]>(`${base()}/accounts`, { key }); }
    catch (e) { statusLine(describe(e), true); }
    const rows = [
      ...c.invitations.map(i => ({ participant: i.participant, name: '', how: `invitation token <code>${esc(i.token)}</code>`, login: '' })),
      ...accounts.map(a => ({ participant: a.participant, name: a.displayName, how: `account <code>${esc(a.login)}</code>`, login: a.login })),
    ];
    $('#key-list tbody', box).innerHTML = rows.length === 0 ? `<tr><td colspan="4" class="muted">Nobody yet: ${c.invitations.length === 0
      ? 'an open contest has its accounts once people register' : ''}</td></tr>` : rows.map(r => `<tr data-participant="${esc(r.participant)}">
      <td>${esc(r.participant)}</td><td>${esc(r.name)}</td><td>${r.how}</td><td>
      <button type="button" data-revoke="${esc(r.participant)}" aria-label="Sign out everywhere: ${esc(r.participant)}">Sign out everywhere</button>
      ${r.login ? `<button type="button" data-password="${esc(r.login)}" aria-label="A new password for ${esc(r.login)}">New password</button>` : ''}</td></tr>`).join('');
    box.querySelectorAll<HTMLButtonElement>('button[data-revoke]').forEach(b => b.onclick = async () => {
      const p = b.dataset.revoke!;
      if (!confirm(`Sign ${p} out of ${c.id} on every device? Their keys stop working; they sign in again with their token or password.`)) return;
      try {
        const r = await call<{ revokedKeys: number }>(`${base()}/participants/${encodeURIComponent(p)}/keys`, { method: 'DELETE', key });
        statusLine(`${p} signed out everywhere: ${r.revokedKeys} key${r.revokedKeys === 1 ? '' : 's'} revoked.`);
      } catch (e) { statusLine(describe(e), true); }
    });
    box.querySelectorAll<HTMLButtonElement>('button[data-password]').forEach(b => b.onclick = async () => {
      const login = b.dataset.password!;
      if (!confirm(`Set a new password for ${login}? The old one stops working and ${login} is signed out everywhere.`)) return;
      try {
        const r = await call<{ password: string; revokedKeys: number }>(`${base()}/accounts/${encodeURIComponent(login)}/password`, { method: 'POST', key });
        statusLine(`New password for ${login} (shown once, hand it to them): ${r.password} · ${r.revokedKeys} key${r.revokedKeys === 1 ? '' : 's'} revoked.`);
      } catch (e) { statusLine(describe(e), true); }
    });
  };
  select.onchange = () => { $('#issued', box).innerHTML = ''; statusLine(''); draw(); };
  draw();

  const issue = $<HTMLFormElement>('#issue', box);
  issue.onsubmit = async ev => {
    ev.preventDefault();
    const c = contest();
    const wanted = String(new FormData(issue).get('participants')).split('\n').map(l => l.trim()).filter(Boolean);
    const error = $('.form-error', issue);
    error.textContent = '';
    const taken = wanted.filter(p => c.invitations.some(i => i.participant === p));
    if (taken.length) { error.textContent = `Already invited: ${taken.join(', ')}`; return; }
    try {
      const updated = await call<AdminContest>(`${base()}`, { method: 'PUT', key, body: {
        title: c.title, problemIds: c.problemIds, start: c.start, end: c.end, scoring: c.scoring, freezeMinutes: c.freezeMinutes ?? 0,
        invitations: [...c.invitations, ...wanted.map(participant => ({ participant }))] } });
      Object.assign(c, updated);
      saved(updated);
      const issued = updated.invitations.filter(i => wanted.includes(i.participant));
      $('#issued', box).innerHTML = `<div id="issued-sheet"><h3>Tokens for ${esc(updated.title)}</h3>
        <p>Hand each participant their own token, and nobody else's: it signs them in on any device.</p>
        <div class="scroll"><table id="issued-list"><thead><tr><th>Participant</th><th>Token</th></tr></thead><tbody>${issued.map(i =>
          `<tr><td>${esc(i.participant)}</td><td><code>${esc(i.token)}</code></td></tr>`).join('')}</tbody></table></div></div>
        <button type="button" id="print-issued">Print these</button>`;
      $('#print-issued', box).onclick = () => printAlone($('#issued-sheet', box));
      issue.reset();
      statusLine(`${issued.length} token${issued.length === 1 ? '' : 's'} issued.`);
      await draw();
    } catch (e) { error.textContent = describe(e); }
  };
}

/** Issuing a key (shown once) and revoking one. */
function apiKeys(box: HTMLElement, key: string) {
  const issue = $<HTMLFormElement>('#api-key', box);
  issue.onsubmit = async ev => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(issue)) as Record<string, string>;
    const error = $('.form-error', issue);
    error.textContent = '';
    try {
      const made = await call<{ key: string; subject: string; role: string; contestId?: string }>('/api/v1/admin/keys', { key,
        body: { subject: f.subject, role: f.role, contestId: f.contestId || undefined } });
      $('#api-key-issued', box).innerHTML = `<p>Key for ${esc(made.subject)} (${esc(made.role)}${made.contestId ? `, contest ${esc(made.contestId)}` : ''}),
        shown once: <code id="new-api-key">${esc(made.key)}</code></p>`;
      issue.reset();
    } catch (e) { error.textContent = describe(e); }
  };
  const revoke = $<HTMLFormElement>('#api-key-revoke', box);
  revoke.onsubmit = async ev => {
    ev.preventDefault();
    const error = $('.form-error', revoke);
    const ok = $('.form-ok', revoke);
    error.textContent = ''; ok.textContent = '';
    try {
      await call('/api/v1/admin/keys/revoke', { key, body: { key: String(new FormData(revoke).get('key')) } });
      ok.textContent = 'Revoked.';
      revoke.reset();
    } catch (e) { error.textContent = describe(e); }
  };
}
