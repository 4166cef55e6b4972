// The home page: the contests, and signing in to each (an invitation token, or an account's name
// and password in an open contest).
import { call, describe } from './api';
import { $, esc, header, main, store, when } from './ui';
import { entryOf, signOut, takeNotice } from './session';
import type { ContestView, Entry } from './types';

export async function home() {
  header('');
  document.title = 'Contests · Coding Engine';
  const contests = await call<ContestView[]>('/api/v1/contests');
  const notice = takeNotice();
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
