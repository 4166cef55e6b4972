// Clarifications in headless Chromium (Debian's), driven by playwright-core. Run by
// ClarificationUiTest against a running api; every step asserts, and a failure exits non-zero
// with a screenshot. Three browsers at once, at 1366×768: Ada asks, the admin answers to
// everyone, and Bob, who never reloads, sees it arrive; then an announcement and a private
// answer. axe-core checks each view. Environment: BASE_URL, ADMIN_KEY, CONTEST, PROBLEM, SHOTS,
// FRONTEND (for node_modules).
import { join } from 'node:path';
import { AXE, base, check, env, launch, started, step } from './harness.mjs';

const LIVE = { timeout: 20000 };   // polls run every 5 s

const browser = await launch();
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
// axe-core as an init script: the UI's Content-Security-Policy refuses inline scripts.
const newPage = async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.addInitScript({ path: AXE });
  const p = await context.newPage(); p.setDefaultTimeout(20000); return p;
};
const ada = await newPage(), bob = await newPage(), admin = await newPage();
const shot = (p, name, fullPage = false) => p.screenshot({ path: join(env.SHOTS, name + '.png'), fullPage });

/** Registers an open contest's account on the home page and waits for the contest page. */
async function register(p, name) {
  await p.goto(base + '/');
  await p.fill(`form[data-contest="${env.CONTEST}"] input[name=name]`, name);
  await p.fill(`form[data-contest="${env.CONTEST}"] input[name=password]`, 'correct horse battery');
  await p.click(`form[data-contest="${env.CONTEST}"] button[value=register]`);
  await p.waitForSelector('#pname');
  return JSON.parse(await p.evaluate(c => localStorage.getItem('ce.entry.' + c), env.CONTEST)).participant;
}

/**
 * axe-core on the page as it is now: no violation of WCAG 2.2 A and AA anywhere on it, and none of
 * any rule (best practices too) in what this feature draws.
 */
async function accessible(p, what) {
  check(await p.evaluate(() => 'axe' in window), `${what}: axe-core is loaded`);
  const violations = await p.evaluate(async () => {
    const wcag = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    const ours = ['#clar-toggle', '#clar-notice', '#clarifications', '#clar-admin'].filter(s => document.querySelector(s)).map(s => [s]);
    const all = await window.axe.run({ include: ours });
    return [...wcag.violations, ...all.violations].map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
  });
  check(violations.length === 0, `${what}: axe-core violations:\n  ${violations.join('\n  ')}`);
}

const unread = (p) => p.evaluate(() => { const b = document.querySelector('#clar-unread'); return b && !b.hidden ? b.textContent : ''; });

try {
  step('Ada and Bob sign in; the contest page has a Clarifications button and, empty for now, a polite live region');
  const adaId = await register(ada, 'Ada Lovelace');
  const bobId = await register(bob, 'Bob Babbage');
  check(await bob.getAttribute('#clar-notice', 'aria-live') === 'polite' && await bob.getAttribute('#clar-notice', 'role') === 'status',
    'the notice is a polite live region');
  check(await bob.getAttribute('#clar-toggle', 'aria-expanded') === 'false' && !(await bob.isVisible('#clarifications')), 'the panel starts closed');
  check(await unread(bob) === '', 'nothing unread');

  step('Ada asks about problem A, then closes the panel');
  await ada.click('#clar-toggle');
  await ada.waitForSelector('#clarifications:not([hidden])');
  check(await ada.evaluate(() => document.activeElement?.id) === 'h-clar', 'opening the panel moves the focus to it');
  await ada.selectOption('#clar-ask select[name=problemId]', env.PROBLEM);
  await ada.fill('#clar-ask textarea', 'Is the input always two integers on one line?');
  await ada.click('#clar-ask button[type=submit]');
  await ada.waitForSelector('#clar-list li.mine');
  const asked = await ada.textContent('#clar-list li.mine');
  check(asked.includes('Your question') && asked.includes('A. Sum') && asked.includes('two integers') && asked.includes('Not answered yet'),
    'her question is listed: ' + asked);
  await accessible(ada, 'the contest page with the clarifications panel open');
  await ada.click('#clar-toggle');
  check(!(await ada.isVisible('#clarifications')), 'the panel closes');

  step('the admin sees the question with who asked it, and answers it to everyone');
  await admin.goto(`${base}/#/admin`);
  await admin.fill('input[name=key]', env.ADMIN_KEY);
  await admin.keyboard.press('Enter');
  await admin.waitForSelector('#clar-contest');
  await admin.selectOption('#clar-contest', env.CONTEST);
  await admin.waitForSelector('#clar-waiting li', LIVE);
  // Her name as she chose it, her id beside it (names come from the contest's accounts).
  await admin.waitForFunction(() => document.querySelector('#clar-waiting li')?.textContent.includes('Ada Lovelace'), null, LIVE);
  const waiting = await admin.textContent('#clar-waiting li');
  check(waiting.includes(`Question from Ada Lovelace (${adaId})`) && waiting.includes('two integers'), 'the admin sees who asked: ' + waiting);
  check((await admin.textContent('#h-clar-waiting')).includes('(1)'), 'one question waits');
  await admin.fill('#clar-waiting li textarea', 'Yes: two integers a and b on one line, |a|, |b| ≤ 10⁹.');
  await admin.check('#clar-waiting li input[name=toAll]');
  await admin.locator('#clar-admin').scrollIntoViewIfNeeded();
  await shot(admin, 'admin-clarifications');
  await accessible(admin, 'the admin page with its clarifications');
  await admin.click('#clar-waiting li button[type=submit]');
  await admin.waitForSelector('#clar-done li.public');
  check((await admin.textContent('#clar-done li.public')).includes('answered to everyone'), 'the answer is to everyone');
  check((await admin.$$('#clar-waiting li')).length === 0, 'nothing waits any more');

  step('Bob, who never reloaded, sees it arrive: the unread count and the notice, without who asked');
  await bob.waitForFunction(() => document.querySelector('#clar-notice')?.textContent.includes('answered for everyone'), null, LIVE);
  check(await unread(bob) === '1 unread', 'one unread: ' + await unread(bob));
  check((await bob.textContent('#clar-notice')).includes('two integers'), 'the notice says which question');
  await shot(bob, 'clarification-notice');
  await accessible(bob, 'the contest page with a new-clarification notice');
  await bob.click('#clar-notice button');
  await bob.waitForSelector('#clarifications:not([hidden]) #clar-list li.public');
  const seen = await bob.textContent('#clar-list li.public');
  check(seen.includes('two integers') && seen.includes('Yes: two integers a and b'), 'question and answer: ' + seen);
  check(!(await bob.textContent('#clarifications')).includes(adaId) && !(await bob.textContent('body')).includes('Ada Lovelace'),
    'never who asked');
  check(await unread(bob) === '' && (await bob.textContent('#clar-notice')) === '', 'read once shown');
  const unchanged = await bob.waitForResponse(r => r.url().endsWith('/clarifications') && r.request().method() === 'GET', LIVE);
  check(unchanged.status() === 304, 'the next poll of an unchanged listing is a 304: ' + unchanged.status());
  check((await bob.$$('#clar-list li')).length === 1, 'and the list stays');

  step('Ada is told her question was answered');
  await ada.waitForFunction(() => document.querySelector('#clar-notice')?.textContent.includes('Your question was answered'), null, LIVE);
  check(await unread(ada) === '1 unread', 'Ada has one unread');

  step('an announcement: a notice for Ada (panel closed), a new row for Bob (panel open)');
  await admin.fill('#clar-announce textarea', 'The contest is extended by 15 minutes.');
  await admin.click('#clar-announce button[type=submit]');
  await admin.waitForSelector('#clar-done li.announcement');
  await ada.waitForFunction(() => document.querySelector('#clar-notice')?.textContent.includes('New announcement: The contest is extended'), null, LIVE);
  check(await unread(ada) === '2 unread', 'Ada has two unread: ' + await unread(ada));
  await bob.waitForSelector('#clar-list li.announcement', LIVE);
  check((await bob.textContent('#clar-list li:first-child')).includes('extended by 15 minutes'), 'newest first');
  check(await unread(bob) === '', 'what arrives in the open panel is read');

  step('a private answer: Bob sees it, Ada never does');
  await bob.fill('#clar-ask textarea', 'BOB-ONLY: may I use long long?');
  await bob.click('#clar-ask button[type=submit]');
  await admin.waitForSelector('#clar-waiting li', LIVE);
  await admin.fill('#clar-waiting li textarea', 'BOB-ONLY answer: yes.');
  await admin.click('#clar-waiting li button[type=submit]');
  await bob.waitForFunction(() => document.querySelector('#clar-list li.mine')?.textContent.includes('BOB-ONLY answer: yes.'), null, LIVE);
  await ada.waitForTimeout(6000);   // more than a poll
  check(!(await ada.content()).includes('BOB-ONLY'), 'another participant\'s private question and answer never reach Ada');
  await ada.click('#clar-toggle');
  check((await ada.$$('#clar-list li')).length === 2, 'Ada sees her question and the announcement: ' + await ada.textContent('#clar-list'));
  check(await unread(ada) === '', 'opened: read');

  step('the admin changes the announcement: it changes for everyone, and is new again for whoever has the panel closed');
  await ada.click('#clar-toggle');   // Ada closes her panel: the change reaches her as a notice
  await admin.click('#clar-done li.announcement details summary');
  await admin.waitForFunction(() => document.querySelector('#clar-done li.announcement textarea')?.value === 'The contest is extended by 15 minutes.',
    null, LIVE);   // the form holds the text as it is
  await accessible(admin, 'the admin page with an announcement\'s change form open');
  await admin.fill('#clar-done li.announcement textarea', 'The contest is extended by 20 minutes.');
  await admin.click('#clar-done li.announcement button[type=submit]');
  await admin.waitForFunction(() => document.querySelector('#clar-done li.announcement .view')?.textContent.includes('20 minutes'), null, LIVE);
  await bob.waitForFunction(() => document.querySelector('#clar-list li.announcement')?.textContent.includes('extended by 20 minutes'), null, LIVE);
  check(!(await bob.textContent('#clar-list')).includes('15 minutes'), 'the old text is gone');
  await ada.waitForFunction(() => document.querySelector('#clar-notice')?.textContent.includes('extended by 20 minutes'), null, LIVE);

  step('the panel stays open across problems and reloads; a phone shows it without overflow');
  await bob.reload();
  await bob.waitForSelector('#clarifications:not([hidden]) #clar-list li.announcement', LIVE);
  await shot(bob, 'clarifications');
  await accessible(bob, 'the contest page with questions, answers and an announcement');
  await bob.setViewportSize(PHONE);
  const overflow = await bob.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `no horizontal overflow at 390 px: ${overflow}`);
  check(bobId !== adaId, 'two participants');

  step('the admin deletes the announcement, after a confirmation: gone for everyone');
  await admin.click('#clar-done li.announcement details summary');
  let confirmText = '';
  admin.once('dialog', d => { confirmText = d.message(); d.dismiss(); });
  await admin.click('#clar-done li.announcement button.delete');
  await admin.waitForFunction(() => true);
  check(confirmText.includes('Delete this announcement'), 'asks first: ' + confirmText);
  check(await admin.isVisible('#clar-done li.announcement'), 'kept when the admin says no');
  admin.once('dialog', d => d.accept());
  await admin.click('#clar-done li.announcement button.delete');
  await admin.waitForFunction(() => !document.querySelector('#clar-done li.announcement'), null, LIVE);
  await bob.waitForFunction(() => !document.querySelector('#clar-list li.announcement'), null, LIVE);
  check((await bob.$$('#clar-list li')).length === 2, 'Bob keeps the questions: ' + await bob.textContent('#clar-list'));

  console.log('ALL SCENARIOS PASSED in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
} catch (e) {
  console.error(e);
  for (const [p, name] of [[ada, 'failure-ada'], [bob, 'failure-bob'], [admin, 'failure-admin']]) await shot(p, name, true).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
