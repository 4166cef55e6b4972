// The contest UI in headless Chromium (Debian's), driven by playwright-core. Run by ContestUiTest
// against a running stack; every step asserts, and a failure exits non-zero with a screenshot.
// Environment: BASE_URL, ADMIN_KEY, CONTEST, PROBLEM, PROBLEM_B (the contest's second problem),
// PACKAGE_ZIP, SHOTS, FRONTEND (for node_modules), DEAD_TICKET and DEAD_LETTER (a submission whose
// regrade was dead-lettered, its problem gone then imported again, and that dead letter's id).
// Desktop is 1366×768, the phone 390×844.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';

const env = process.env;
const { chromium } = createRequire(join(env.FRONTEND, 'package.json'))('playwright-core');
const base = env.BASE_URL;
const started = Date.now();
const step = (name) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
const check = (ok, message) => { if (!ok) throw new Error('assertion failed: ' + message); };

const SOLUTIONS = {
  python: 'a, b = map(int, input().split())\nprint(a + b)\n',
  'c++': '#include <iostream>\nint main() {\n    long long a, b;\n    std::cin >> a >> b;\n    std::cout << a + b << std::endl;\n}\n',
  java: 'import java.util.Scanner;\n\npublic class Main {\n    public static void main(String[] args) {\n        Scanner in = new Scanner(System.in);\n        long a = in.nextLong(), b = in.nextLong();\n        System.out.println(a + b);\n    }\n}\n',
};

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
// axe-core comes in as an init script: the UI's Content-Security-Policy refuses inline scripts,
// and an init script is the browser's own, so the page is tested under its real policy.
const AXE = await readFile(join(env.FRONTEND, 'node_modules/axe-core/axe.min.js'), 'utf8');
const context = await browser.newContext({ viewport: DESKTOP });
await context.addInitScript({ content: AXE });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const shot = (name, fullPage = false, p = page) => p.screenshot({ path: join(env.SHOTS, name + '.png'), fullPage });
const PASSWORD = 'correct horse battery';
/** The signed-in participant's key in the contest under test. */
const myKey = (p = page) => p.evaluate(c => JSON.parse(localStorage.getItem('ce.entry.' + c)).key, env.CONTEST);

/** Replaces the editor's text as a paste would (no auto-indent or bracket closing). */
async function typeCode(code, p = page) {
  await p.click('.cm-content');
  await p.keyboard.press('Control+A');
  await p.keyboard.press('Delete');
  if (code) await p.keyboard.insertText(code);
}

/** Picks the newest runtime of a language in the picker (its values are "language version"). */
async function pickLanguage(language, p = page) {
  const values = await p.$$eval('#language option', os => os.map(o => o.value));
  const value = values.filter(v => v.split(' ')[0] === language).pop();
  check(value, `runtime ${language} offered`);
  await p.selectOption('#language', { value });
}

/** Submits and returns the ticket; judging goes on in "My submissions". */
async function submit(p = page) {
  const before = await p.textContent('#result');
  await p.click('#submit');
  await p.waitForFunction(old => document.querySelector('#result code') && document.querySelector('#result').textContent !== old, before);
  return (await p.textContent('#result code')).trim();
}

/** Waits for the open submission's verdict (its details below "My submissions"). */
async function verdictOf(ticket, p = page) {
  const sel = `#submission[data-id="${ticket}"] #verdict[data-verdict]:not([data-verdict=""])`;
  await p.waitForSelector(sel, { timeout: 90000 });
  return p.getAttribute(sel, 'data-verdict');
}

async function submitAndWait(expected, p = page) {
  const ticket = await submit(p);
  const verdict = await verdictOf(ticket, p);
  check(verdict === expected, `expected ${expected}, got ${verdict}: ${await p.textContent('#submission')}`);
  return ticket;
}

/** The participant's "My submissions" rows: [problem letter, verdict cell text]. */
const mySubmissions = (p = page) => p.$$eval('#mine tbody tr', trs => trs.map(tr => [tr.cells[0].textContent.trim(), tr.cells[3].textContent.trim(), tr.dataset.id]));

/** A contest made through the admin API. */
async function putContest(id, body) {
  const r = await fetch(`${base}/api/v1/admin/contests/${id}`, { method: 'PUT', headers: { Authorization: 'Bearer ' + env.ADMIN_KEY,
    'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'Contest ' + id, scoring: 'ICPC', invitations: [], ...body }) });
  check(r.status === 200, `contest ${id} saved: ${r.status} ${await r.text()}`);
}

/** Signs in to an open contest on the home page: "signin" or "register". */
async function signIn(p, contest, name, password, action) {
  await p.goto(base + '/');
  await p.fill(`form[data-contest="${contest}"] input[name=name]`, name);
  await p.fill(`form[data-contest="${contest}"] input[name=password]`, password);
  await p.click(`form[data-contest="${contest}"] button[value=${action}]`);
}

/** axe-core on the page as it is: no violation of any rule it runs (WCAG 2 A and AA, best practices). */
async function axe(what, p = page) {
  check(await p.evaluate(() => 'axe' in window), `${what}: axe-core is loaded`);
  const r = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  check(r.violations.length === 0, `${what}: axe-core violations: ` + JSON.stringify(r.violations.map(v => [v.id, v.help, v.nodes.slice(0, 3).map(n => n.target)])));
}

/** Headings in page order never skip a level going down (axe's heading-order), and a view has one h1. */
async function headingOrder(p, what) {
  const levels = await p.$$eval('h1, h2, h3, h4, h5, h6', hs => hs.filter(h => h.offsetParent !== null || h.closest('[hidden]') === null)
    .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 40)]));
  const skip = levels.findIndex(([l], i) => i > 0 && l > levels[i - 1][0] + 1);
  check(skip < 0, `${what}: heading ${JSON.stringify(levels[skip])} follows ${JSON.stringify(levels[skip - 1])}: ` + JSON.stringify(levels));
  check(levels.filter(([l]) => l === 1).length === 1, `${what}: one h1: ` + JSON.stringify(levels));
}

const noOverflow = async (p, what) => {
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const widest = overflow <= 1 ? '' : await p.evaluate(() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll, #mine, .cm-editor'))
    .slice(-3).map(e => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')}`).join(', '));
  check(overflow <= 1, `${what}: horizontal overflow of ${overflow} px (${widest})`);
};

try {
  step('home: the contest is listed; create an account (name and password) with the keyboard only');
  await page.goto(base + '/');
  await page.waitForSelector('form.enter input[name=name]');
  check(await page.title() === 'Contests · Coding Engine', 'page title: ' + await page.title());
  check(await page.$$eval('h1', hs => hs.length) === 1, 'one h1 on the home page');
  await axe('home');
  await shot('home');
  const target = `form[data-contest="${env.CONTEST}"] input[name=name]`;
  let focused = false;
  for (let i = 0; i < 120 && !focused; i++) {  // past every contest listed before it
    await page.keyboard.press('Tab');
    focused = await page.evaluate(sel => document.activeElement === document.querySelector(sel), target);
  }
  check(focused, 'Tab reaches the contest\'s name field');
  await page.keyboard.type('Grace Hopper');
  await page.keyboard.press('Tab');
  await page.keyboard.type('short');
  await page.keyboard.press('Tab');    // Sign in
  await page.keyboard.press('Tab');    // Create account
  check(await page.evaluate(() => document.activeElement?.textContent) === 'Create account', 'Tab reaches Create account');
  await page.keyboard.press('Enter');
  check(await page.evaluate(sel => !document.querySelector(sel).checkValidity(), `form[data-contest="${env.CONTEST}"] input[name=password]`),
    'a password of 5 characters is refused before it is sent');
  await page.fill(`form[data-contest="${env.CONTEST}"] input[name=password]`, PASSWORD);
  await page.focus(`form[data-contest="${env.CONTEST}"] button[value=register]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#pname');
  check((await page.textContent('#top')).includes('Signed in as Grace Hopper'), 'the header names the participant');
  const participant = JSON.parse(await page.evaluate(c => localStorage.getItem('ce.entry.' + c), env.CONTEST)).participant;
  check(/^grace-hopper-[0-9a-f]{6}$/.test(participant), 'participant id ' + participant);

  step('problem: the statement is rendered with math and code, limits and samples are shown');
  check((await page.textContent('#pname')) === 'Sum', 'problem name');
  check((await page.title()).startsWith('A. Sum · '), 'page title per problem: ' + await page.title());
  check(await page.isVisible('.md .katex'), 'math rendered by KaTeX');
  check(await page.isVisible('.md pre code'), 'code block rendered');
  check((await page.textContent('.limits')).includes('2.00 s'), 'time limit shown');
  check((await page.textContent('.sample pre')).includes('1 1'), 'sample input shown');
  check((await page.textContent('.sample h2')) === 'Sample 1', 'samples are numbered: ' + await page.textContent('.sample h2'));
  check((await page.textContent('.problems')).includes('A') && (await page.textContent('.problems')).includes('B'), 'problem letters');
  const languages = await page.$$eval('#language option', os => os.map(o => o.value.split(' ')[0]));
  for (const l of ['python', 'c++', 'java', 'c', 'javascript']) check(languages.includes(l), `runtime ${l} offered`);
  check((await page.textContent('.cm-content')).includes('def main'), 'the Python template is there');

  for (const language of ['python', 'c++', 'java']) {
    step(`${language}: run on the sample, then submit and see AC`);
    await pickLanguage(language);
    await typeCode(SOLUTIONS[language]);
    await page.click('#run');
    await page.waitForSelector('#result .ok', { timeout: 60000 });
    check((await page.textContent('#stdout')).trim() === '2', 'the run printed 2');
    check(await page.evaluate(() => document.activeElement?.id) === 'result', 'focus moved to the run\'s result');
    if (language === 'python') {
      await shot('problem-run');
      await page.selectOption('#input', 'custom');
      await page.fill('#custom', '40 2');
      await page.click('#run');
      await page.waitForFunction(() => document.querySelector('#stdout')?.textContent?.trim() === '42', null, { timeout: 60000 });
      check((await page.textContent('#result')).includes('exit code 0'), 'exit code shown');
      await page.selectOption('#input', '0');
    }
    await submitAndWait('AC');
    check(!(await page.textContent('#submission')).includes('score'), 'an ICPC contest shows no score');
    check((await page.$$('#submission li.test.t-AC')).length === 3, 'three passed tests shown');
  }
  await page.waitForFunction(() => document.querySelectorAll('#mine tbody tr').length === 3);
  await page.waitForSelector('.problems a[data-problem] .mark .ok');
  await axe('problem, accepted');
  await shot('problem-accepted');

  step('a wrong solution shows WA on the test that fails (the third, secret/2, named only by its number)');
  await pickLanguage('python');
  await typeCode('a, b = map(int, input().split())\nprint(a + b if a < 100 else 0)\n');
  const wrongTicket = await submitAndWait('WA');
  check((await page.textContent('#first-failure')).includes('#3'), 'WA is on test 3');
  check(!(await page.textContent('#submission')).includes('secret/'), 'an ICPC contest shows no result of a hidden test');
  check((await page.$$('#submission li.test.t-AC')).length === 2 && (await page.$$('#submission li.test.t-WA')).length === 1, 'two passed, one WA');
  await shot('problem-wrong-answer');

  step('a wrong answer on the sample: Run and the submission show its output against the expected, line by line, the first difference marked');
  await typeCode('a, b = map(int, input().split())\nprint(a + b + 1)\nprint("extra")\n');
  await page.click('#run');
  await page.waitForSelector('#result table.diff', { timeout: 60000 });
  check((await page.textContent('#result .diff-summary')).includes('line 1'), 'the run names the first difference');
  const sampleWa = await submitAndWait('WA');
  await page.waitForSelector('#submission .sample-diff table.diff tr.first');
  check((await page.textContent('#submission .sample-diff h4')).startsWith('Sample 1'), 'the sample is named as in the statement');
  const diffRows = await page.$$eval('#submission table.diff tbody tr', trs => trs.map(tr => [tr.className, ...[...tr.cells].map(c => c.textContent.trim())]));
  check(diffRows.length === 2 && diffRows[0][0].includes('first') && diffRows[0][2] === '3' && diffRows[0][3] === '2'
    && diffRows[1][2] === 'extra' && diffRows[1][3] === '(no line)', 'line by line, line 1 first: ' + JSON.stringify(diffRows));
  check((await page.textContent('#first-failure')).includes('#1'), 'failed on the sample, test 1');
  await axe('a sample\'s diff');
  await page.$eval('#submission .sample-diff', e => e.scrollIntoView({ block: 'end' }));
  await shot('problem-sample-diff');
  step('hidden tests: only what the rules allow, never their data (the api sends none)');
  const seen = await (await fetch(`${base}/api/v1/submissions/${wrongTicket}`, { headers: { Authorization: 'Bearer ' + await myKey() } })).json();
  check(seen.tests.every(t => t.visible) && seen.score === null, 'ICPC: results of the samples only, no score: ' + JSON.stringify(seen.tests));
  check(!JSON.stringify(seen).includes('777 0') && !JSON.stringify(seen).includes('777\\n'), 'no hidden input or answer in the answer');
  check(!(await page.content()).includes('777 0'), 'nor on the page');

  step('a compile error shows the compiler message with its line, on Run and on Submit, and that no test ran');
  await pickLanguage('c++');
  check((await page.textContent('#result')).trim() === '', 'switching the language clears the other language\'s result');
  await typeCode('int main() {\n    return x;\n}\n');
  await page.click('#run');
  await page.waitForSelector('#result pre.compile', { timeout: 60000 });
  check((await page.textContent('#result pre.compile')).includes(':2:'), 'compiler message names line 2');
  await submitAndWait('CE');
  const compiler = await page.textContent('#compile-output');
  check(compiler.includes('error') && compiler.includes('x'), 'compile output shown: ' + compiler);
  check(await page.isVisible('#not-run') && (await page.$$('#submission li.test')).length === 0, 'no test chips "waiting" after a compile error');
  await shot('problem-compile-error');

  step('keyboard: Escape then Tab leaves the editor for the run controls, Enter runs; Ctrl+Enter runs from the editor');
  await page.click('.cm-content');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.id) === 'input', 'focus left the editor for the input picker');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.id) === 'run', 'then the Run button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#result pre.compile', { timeout: 60000 });
  await page.evaluate(() => { document.querySelector('#result').innerHTML = ''; });
  await page.click('.cm-content');
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('#result pre.compile', { timeout: 60000 });
  check((await page.textContent('.cm-content')).includes('return x;') && !(await page.textContent('.cm-content')).includes('return x;\n\n'),
    'Ctrl+Enter ran instead of inserting a line');

  step('editor and page: 4-space indentation, a visible focus ring, copy buttons on samples, one h1');
  await pickLanguage('python');
  await typeCode('');
  await page.keyboard.type('if True:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('x');
  const lines = await page.$$eval('.cm-content .cm-line', ls => ls.map(l => l.textContent));
  check(lines[1] === '    x', 'Python indents 4 spaces: ' + JSON.stringify(lines));
  await pickLanguage('java');
  await typeCode('');
  await page.keyboard.type('class Main {');
  await page.keyboard.press('Enter');
  await page.keyboard.type('int x;');
  const javaLines = await page.$$eval('.cm-content .cm-line', ls => ls.map(l => l.textContent));
  check(javaLines[1] === '    int x;', 'Java indents 4 spaces: ' + JSON.stringify(javaLines));
  await typeCode(SOLUTIONS.java);
  await pickLanguage('python');
  await page.click('.cm-content');
  const ring = await page.$eval('.cm-editor', e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth]; });
  check(ring[0] === 'solid' && ring[1] === '3px', 'the focused editor has a visible ring: ' + ring);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.click('button.copy[data-copy="sample-in-0"]');
  await page.waitForSelector('button.copy[data-copy="sample-in-0"]:text("Copied")');
  check(await page.evaluate(() => navigator.clipboard.readText()) === '1 1\n', 'the sample input is on the clipboard');
  check((await page.textContent('#copied')).includes('Copied the input of sample 1'), 'and that is said');
  check(await page.$$eval('h1', hs => hs.length) === 1, 'one h1 on the problem page');

  step('submitting does not block: two submissions judged at once, Run and Submit stay usable, tracked in My submissions');
  await pickLanguage('python');
  await typeCode('import time\ntime.sleep(1)\na, b = map(int, input().split())\nprint(a + b)\n');
  const first = await submit();
  check(!(await page.isDisabled('#submit')) && !(await page.isDisabled('#run')), 'Submit and Run are enabled while judging');
  const second = await submit();
  check(first !== second, 'two tickets');
  await page.waitForFunction(([a, b]) => [a, b].every(id => document.querySelector(`#mine tr[data-id="${id}"]`)), [first, second]);
  const pendingNow = (await mySubmissions()).filter(r => r[2] === first || r[2] === second);
  check(pendingNow.some(r => /queued|judging/.test(r[1])), 'a pending submission shows as queued or judging: ' + JSON.stringify(pendingNow));
  await shot('my-submissions-pending');

  step('switching problems while judging: the verdicts arrive in the list on problem B, and A keeps its history');
  await page.click(`.problems a[data-problem="${env.PROBLEM_B}"]`);
  await page.waitForFunction(b => document.querySelector('#pname') && location.hash.endsWith('/p/' + b), env.PROBLEM_B);
  await page.waitForFunction(() => document.activeElement?.id === 'pname');  // focus on the new statement
  // B's statement is in sections ("## Input", "## Output", no title): they follow the h1 as h2s.
  check(JSON.stringify(await page.$$eval('.statement .md :is(h2, h3, h4)', hs => hs.map(h => h.tagName + ' ' + h.textContent)))
    === '["H2 Input","H2 Output"]', 'the statement\'s sections are h2: ' + await page.$$eval('.statement .md :is(h2, h3, h4)', hs => hs.map(h => h.outerHTML)));
  await headingOrder(page, 'a statement in sections');
  // Live regions are written when their words change, not on every poll: count what changes them while judging.
  await page.evaluate(() => {
    window.__live = {};
    for (const el of document.querySelectorAll('[aria-live], [role=status], [role=alert]')) {
      const name = el.id || el.className;
      new MutationObserver(ms => { window.__live[name] = (window.__live[name] ?? 0) + ms.length; }).observe(el, { childList: true, characterData: true, subtree: true });
    }
  });
  await page.waitForFunction(([a, b]) => [a, b].every(id => document.querySelector(`#mine tr[data-id="${id}"] .st .v-AC`)), [first, second], { timeout: 90000 });
  await page.waitForTimeout(3500);  // two more polls with nothing new
  const live = await page.evaluate(() => window.__live);
  check(!live.result && !live['subs-status'] && !live['save-status'], 'no live region redrawn by the polls: ' + JSON.stringify(live));
  check((live.announce ?? 0) <= 2, 'each verdict announced once at most: ' + JSON.stringify(live));
  check((await mySubmissions()).filter(r => r[2] === first || r[2] === second).every(r => r[0] === 'A'), 'both are listed as problem A on B');
  check(await verdictOf(second) === 'AC', 'the open submission\'s details stay while switching problems');
  await page.click(`.problems a[data-problem="${env.PROBLEM}"]`);
  await page.waitForSelector(`#mine tr[data-id="${first}"] .st .v-AC`);

  step('past submissions: open one of problem A from problem B, read its code, load it into the editor on A, submit it again');
  await page.click(`.problems a[data-problem="${env.PROBLEM_B}"]`);
  await page.waitForSelector(`.problems a[aria-current="page"][data-problem="${env.PROBLEM_B}"]`);
  await page.click(`#mine tr[data-id="${first}"] button.details`);
  await page.waitForSelector(`#submission-code[data-id="${first}"] pre.source`);
  check((await page.textContent('#submission-code pre.source')).includes('time.sleep(1)'), 'its code is shown');
  check(await verdictOf(first) === 'AC', 'with its verdict');
  await axe('a past submission with its code');
  await page.$eval('#submission-code', e => e.scrollIntoView({ block: 'end' }));
  await shot('past-submission');
  await page.click('#load-code');
  await page.waitForSelector(`.problems a[aria-current="page"][data-problem="${env.PROBLEM}"]`);
  await page.waitForFunction(() => document.querySelector('.cm-content')?.textContent.includes('time.sleep(1)'));
  check((await page.inputValue('#language')).startsWith('python '), 'in its language');
  check((await page.textContent('#result')).includes('submit it again'), 'the page says what happened');
  check(await page.evaluate(() => document.activeElement?.classList.contains('cm-content')), 'the editor has the focus');
  await submitAndWait('AC');
  step('solved and attempted marks in the problem list');
  check((await page.textContent(`.problems a[data-problem="${env.PROBLEM}"] .mark`)).includes('solved'), 'A is marked solved');
  check((await page.textContent(`.problems a[data-problem="${env.PROBLEM_B}"] .mark`)).trim() === '', 'B, never tried, has no mark');

  step('a reload while judging: the submission is tracked from the server, never RUNNING forever');
  const third = await submit();
  await page.reload();
  await page.waitForSelector('#pname');
  await page.waitForSelector(`#mine tr[data-id="${third}"] .st .v-AC`, { timeout: 90000 });
  check(await verdictOf(third) === 'AC', 'its details after the reload');

  step('a reload keeps the code (per problem and language), now on the server');
  await pickLanguage('python');
  await typeCode('# kept across reloads 4711\nprint(1)\n');
  await page.reload();
  await page.waitForSelector('#pname');
  check((await page.inputValue('#language')).startsWith('python '), 'the language is kept');
  check((await page.textContent('.cm-content')).includes('kept across reloads 4711'), 'the Python code is kept');
  await page.waitForSelector('#save-status.ok');
  await pickLanguage('c++');
  check((await page.textContent('.cm-content')).includes('return x;'), 'the C++ code is kept too');
  await pickLanguage('python');

  step('busy queue: a 503 problem detail is said plainly, counted down, and the submission retried by itself');
  await page.route('**/api/v1/contests/*/submissions', route => route.request().method() === 'POST'
    ? route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '7' },
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the contest lane is full' }) })
    : route.continue());
  await page.click('#submit');
  await page.waitForSelector('#result .error');
  const busy = await page.textContent('#result .error');
  check(busy.includes('busy') && busy.includes('the contest lane is full') && busy.includes('by itself in 7 s'), 'busy message: ' + busy);
  await page.waitForFunction(() => /^[1-6] s$/.test(document.querySelector('#result .retry-in')?.textContent ?? ''), null, { timeout: 5000 });
  await shot('busy-retry');
  await page.unroute('**/api/v1/contests/*/submissions');
  await page.waitForSelector('#result .ok code', { timeout: 15000 });  // submitted by itself once the wait is over
  check((await page.textContent('#result')).includes('Submitted'), 'the retry went through: ' + await page.textContent('#result'));

  step('scoreboard: the participant is ranked with 1 solved');
  await page.goto(`${base}/#/c/${env.CONTEST}/scoreboard`);
  await page.waitForSelector('table.board tbody tr');
  const row = await page.textContent('table.board tbody tr');
  check(row.includes('Grace Hopper') && row.includes('grace-hopper') && row.includes('1'), 'scoreboard row: ' + row);
  check(await page.getAttribute('table.board thead abbr', 'title') === 'Sum' && (await page.textContent('table.board thead abbr')) === 'A',
    'problems as letters, names on hover');
  check((await page.textContent('table.board tr.me')).includes('Grace Hopper'), 'my row is highlighted');
  check(await page.isVisible('table.board td.first'), 'the first solve is marked');
  await page.$eval('table.board tr.me', tr => { tr.dataset.marker = 'kept'; });
  await page.evaluate(() => { window.__last = document.querySelector('#board-status').textContent; });
  await page.waitForFunction(() => document.querySelector('#board-status').textContent !== window.__last, null, { timeout: 10000 });
  check(await page.$eval('table.board tr.me', tr => tr.dataset.marker) === 'kept', 'a refresh updates rows in place, not a redraw');
  check(await page.$$eval('h1', hs => hs.length) === 1, 'one h1 on the scoreboard');
  await axe('scoreboard');
  await shot('scoreboard');

  step('scoreboard of 230 participants: paging, search, my row found on its page (a stand-in board)');
  const many = { contestId: env.CONTEST, scoring: 'ICPC', problemIds: [env.PROBLEM, env.PROBLEM_B], displayNames: { [participant]: 'Grace Hopper' },
    rows: Array.from({ length: 230 }, (_, i) => ({ rank: i + 1, participant: i === 141 ? participant : `team-${String(i).padStart(3, '0')}`,
      solved: 2 - Math.floor(i / 100), penalty: 100 + i, points: 0,
      problems: { [env.PROBLEM]: { solved: i < 200, tries: 1, minutes: 10 + i, bestScore: 0, pending: 0 } } })) };
  await page.route('**/scoreboard', route => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(many) }));
  await page.reload();
  await page.waitForSelector('nav.pager button');
  check((await page.$$('table.board tbody tr')).length === 50, '50 rows a page');
  check((await page.$$('nav.pager button')).length === 5, 'five pages');
  await page.click('#board-me');
  await page.waitForSelector('table.board tr.me');
  check((await page.getAttribute('nav.pager button[aria-current]', 'data-page')) === '2', 'my row is on page 3');
  await page.fill('#board-search', 'team-00');
  await page.waitForFunction(() => document.querySelectorAll('table.board tbody tr').length === 10);
  await noOverflow(page, 'the scoreboard at 1366 px');
  await page.setViewportSize(PHONE);
  await noOverflow(page, 'the scoreboard at 390 px');
  await shot('scoreboard-narrow');
  await page.setViewportSize(DESKTOP);
  await page.unroute('**/scoreboard');

  step('server down: a clear message and a retry, no endless spinner; the header and the editor stay, the code is kept');
  await page.route('**/api/**', route => route.abort('connectionrefused'));
  await page.goto(`${base}/#/c/${env.CONTEST}`);
  await page.waitForSelector('#banner.shown #retry');
  check((await page.textContent('#banner')).includes('cannot be reached'), 'unreachable message');
  check((await page.textContent('#top')).includes('Signed in as'), 'the header stays');
  check((await page.textContent('.cm-content')).includes('kept across reloads 4711'), 'the code stays visible');
  await typeCode('# written while the server was away\nprint(1)\n');
  await page.waitForFunction(() => document.querySelector('#save-status')?.textContent.includes('kept in this browser'));
  await shot('server-down');
  await page.unroute('**/api/**');
  await page.click('#retry');
  await page.waitForSelector('#pname');
  await page.waitForSelector('#save-status.ok');
  check((await page.textContent('.cm-content')).includes('written while the server was away'), 'the code written offline is kept and saved');

  step('narrow screen: nothing overflows sideways');
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(200);
  await noOverflow(page, 'problem at 390 px');
  await page.screenshot({ path: join(env.SHOTS, 'problem-narrow.png'), fullPage: false });
  await page.setViewportSize(DESKTOP);

  step('sign-out: the session ends on the server and this browser forgets the drafts');
  await page.click('#sign-out');
  await page.waitForSelector(`form[data-contest="${env.CONTEST}"] input[name=password]`);
  check((await page.textContent('.notice')).includes('Signed out'), 'sign-out is confirmed');
  const left = await page.evaluate(p => Object.keys(localStorage).filter(k => k.includes(p) || k.startsWith('ce.entry.')), participant);
  check(left.length === 0, 'no session or draft of the participant left in this browser: ' + JSON.stringify(left));

  step('another device (a phone): a wrong password is refused; the right one is the same participant with their code and submissions');
  const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.addInitScript({ content: AXE });
  const p2 = await phone.newPage();
  p2.setDefaultTimeout(20000);
  await signIn(p2, env.CONTEST, 'Grace Hopper', 'not the password', 'signin');
  await p2.waitForSelector(`form[data-contest="${env.CONTEST}"] .form-error:not(:empty)`);
  check((await p2.textContent(`form[data-contest="${env.CONTEST}"] .form-error`)).includes('wrong password'), 'wrong password said');
  await signIn(p2, env.CONTEST, 'Grace Hopper', PASSWORD, 'register');
  await p2.waitForSelector(`form[data-contest="${env.CONTEST}"] .form-error:not(:empty)`);
  check((await p2.textContent(`form[data-contest="${env.CONTEST}"] .form-error`)).includes('taken'), 'a taken name is said, not a second participant');
  await shot('phone-sign-in', false, p2);
  await signIn(p2, env.CONTEST, 'grace hopper', PASSWORD, 'signin');
  await p2.waitForSelector('#pname');
  check(JSON.parse(await p2.evaluate(c => localStorage.getItem('ce.entry.' + c), env.CONTEST)).participant === participant, 'the same participant');
  await p2.waitForFunction(() => document.querySelectorAll('#mine tbody tr').length >= 8);
  await pickLanguage('python', p2);
  check((await p2.textContent('.cm-content')).includes('written while the server was away'), 'the draft followed to the other device');
  await noOverflow(p2, 'the contest on a phone');
  await axe('problem on a phone', p2);
  await shot('phone-problem', true, p2);
  await p2.click(`#mine tr[data-id="${sampleWa}"] button.details`);
  await p2.waitForSelector(`#submission[data-id="${sampleWa}"] .sample-diff table.diff tr.first`);
  await p2.waitForSelector(`#submission-code[data-id="${sampleWa}"] pre.source`);
  check(await p2.isVisible('button.copy') && await p2.$$eval('h1', hs => hs.length) === 1, 'copy buttons and one h1 on a phone');
  await headingOrder(p2, 'a submission with its diff and its code on a phone');
  await noOverflow(p2, 'a submission with its diff and its code on a phone');
  await axe('a submission with its diff and its code on a phone', p2);
  await p2.$eval('#submission', e => e.scrollIntoView());
  await shot('phone-submission', false, p2);
  await p2.click(`.problems a[data-problem="${env.PROBLEM_B}"]`);
  await p2.waitForFunction(b => document.querySelector('#pname')?.textContent === 'Sum in sections' && location.hash.endsWith('/p/' + b), env.PROBLEM_B);
  await headingOrder(p2, 'a statement in sections on a phone');
  await axe('a statement in sections on a phone', p2);
  await p2.click(`.problems a[data-problem="${env.PROBLEM}"]`);
  await p2.waitForFunction(a => location.hash.endsWith('/p/' + a) && document.querySelector('#pname')?.textContent === 'Sum'
    && document.querySelector('.cm-content'), env.PROBLEM);
  await pickLanguage('python', p2);

  step('two tabs: the second save of an outdated draft is a conflict, and the other version can be loaded');
  const p3 = await phone.newPage();
  await p3.goto(`${base}/#/c/${env.CONTEST}`);
  await p3.waitForSelector('#pname');
  await pickLanguage('python', p3);
  await typeCode('print("from tab one")\n', p2);
  await p2.waitForSelector('#save-status.ok');
  await p2.waitForFunction(() => document.querySelector('#save-status').textContent.includes('revision'));
  await typeCode('print("from tab two")\n', p3);
  await p3.waitForSelector('#draft-conflict:not([hidden])');
  check((await p3.textContent('#draft-conflict')).includes('another tab'), 'the conflict is said');
  await shot('draft-conflict', false, p3);
  await p3.click('#take-theirs');
  check((await p3.textContent('.cm-content')).includes('from tab one'), 'the other tab\'s code is loaded');

  step('a revoked key: the page says the session ended and offers sign-in, not a Retry that cannot work');
  const key3 = JSON.parse(await p3.evaluate(c => localStorage.getItem('ce.entry.' + c), env.CONTEST)).key;
  const revoked = await fetch(`${base}/api/v1/admin/keys/revoke`, { method: 'POST', headers: { Authorization: 'Bearer ' + env.ADMIN_KEY,
    'Content-Type': 'application/json' }, body: JSON.stringify({ key: key3 }) });
  check(revoked.ok, 'revoked: ' + revoked.status);
  await p3.reload();
  await p3.waitForSelector('.notice');
  check((await p3.textContent('.notice')).includes('session'), 'session ended: ' + await p3.textContent('.notice'));
  check(!(await p3.isVisible('#retry')), 'no Retry offered');
  check(await p3.isVisible(`form[data-contest="${env.CONTEST}"] input[name=password]`), 'the sign-in form instead');
  await phone.close();

  step('the contest opens by itself at its start and freezes at its end');
  const soon = 'soon-' + Date.now().toString(36);
  await putContest(soon, { problemIds: [env.PROBLEM], start: new Date(Date.now() + 9000).toISOString(), end: new Date(Date.now() + 21000).toISOString() });
  await signIn(page, soon, 'Early Bird', PASSWORD, 'register');
  await page.waitForSelector('#countdown');
  check(/^0:00:0\d$/.test(await page.textContent('#countdown')), 'a countdown: ' + await page.textContent('#countdown'));
  await shot('countdown');
  await page.waitForSelector('#pname', { timeout: 20000 });
  check(!(await page.isDisabled('#submit')), 'submitting is open once it starts');
  await page.waitForSelector('#over:not([hidden])', { timeout: 20000 });
  check(await page.isDisabled('#submit') && (await page.textContent('#clock')) === 'contest over', 'Submit closes at the end');
  const frozen = await page.textContent('.cm-content');
  await page.click('.cm-content');
  await page.keyboard.type('more');
  check((await page.textContent('.cm-content')) === frozen, 'the editor is frozen');
  await shot('contest-over');

  step('a scoreboard frozen for the last 70 minutes: my verdict is mine to see, the board shows it pending to all');
  const frozenId = 'frozen-' + Date.now().toString(36);
  await putContest(frozenId, { problemIds: [env.PROBLEM], start: new Date(Date.now() - 600000).toISOString(),
    end: new Date(Date.now() + 3600000).toISOString(), freezeMinutes: 70 });
  await signIn(page, frozenId, 'Frost', PASSWORD, 'register');
  await page.waitForSelector('#pname');
  await pickLanguage('python');
  await typeCode(SOLUTIONS.python);
  await submitAndWait('AC');
  await page.click('#top a[href$="/scoreboard"]');
  await page.waitForSelector('#board-frozen:not([hidden])');
  check((await page.textContent('#board-frozen')).includes('Frozen since'), 'the freeze is said: ' + await page.textContent('#board-frozen'));
  await page.waitForSelector('table.board tr.me');
  const frozenRow = await page.$$eval('table.board tr.me td', tds => tds.map(td => td.textContent.trim()));
  check(frozenRow[2] === '0' && frozenRow[4].includes('1?'), 'solved 0, one pending: ' + JSON.stringify(frozenRow));
  await axe('frozen scoreboard');
  await shot('scoreboard-frozen');
  await page.setViewportSize(PHONE);
  await noOverflow(page, 'the frozen scoreboard at 390 px');
  await page.setViewportSize(DESKTOP);

  step('admin: sign in with the admin key, upload a package, see its tests, edit limits, regrade with progress');
  await page.goto(`${base}/#/admin`);
  await page.fill('input[name=key]', 'not-a-key');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#login .form-error:not(:empty)');
  await page.fill('input[name=key]', env.ADMIN_KEY);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#queue table');
  await page.fill('#upload input[name=id]', 'bad id!');
  check(await page.$eval('#upload input[name=id]', i => !i.checkValidity()), 'the problem-id check refuses "bad id!"');
  await page.fill('#upload input[name=id]', 'sum-copy');
  check(await page.$eval('#upload input[name=id]', i => i.checkValidity()), 'and takes "sum-copy"');
  await page.setInputFiles('#upload input[name=zip]', env.PACKAGE_ZIP);
  await page.click('#upload button');
  await page.waitForSelector('button[data-problem="sum-copy"]');
  await page.click(`button[data-problem="${env.PROBLEM}"]`);
  await page.waitForSelector('#problem table');
  check((await page.textContent('#problem table')).includes('secret/2'), 'the secret tests are listed for the admin');
  await page.fill('#limits input[name=timeLimitMs]', '3000');
  await page.click('#limits button');
  await page.waitForSelector('#limits .form-ok:text("Saved.")');
  page.once('dialog', d => d.accept());
  await page.click('#regrade');
  await page.waitForSelector('#regrade-status');
  await page.waitForFunction(() => document.querySelector('#regrade-status')?.textContent?.includes('done'), null, { timeout: 120000 });
  const [value, max] = await page.$eval('#regrade-bar', b => [b.value, b.max]);
  check(value === max && max >= 5, `progress bar full: ${value}/${max}`);
  const summary = await page.textContent('#regrade-progress');
  check(summary.includes('AC') && summary.includes('WA') && summary.includes('CE'), 'verdict summary: ' + summary);
  await page.waitForSelector('#regrade-changes');
  const changes = await page.textContent('#regrade-changes');
  const unchanged = changes.match(/none · (\d+) unchanged/);
  check(unchanged && Number(unchanged[1]) === max, `same code, same verdicts, all ${max}: ` + changes);
  check(await page.$$eval('h1', hs => hs.length) === 1, 'one h1 on the admin page');
  await axe('admin');
  await shot('admin', true);

  step('admin: a dead letter is listed with its reason and requeued: its submission is judged again, in a new round');
  const deadRow = `#dead-list tr[data-id="${env.DEAD_LETTER}"]`;
  await page.waitForSelector(deadRow);
  const deadText = await page.textContent(deadRow);
  check(deadText.includes('REGRADE') && deadText.includes('no longer exists'), 'the lane and the reason: ' + deadText);
  await page.click(`${deadRow} button[data-requeue]`);
  await page.waitForFunction(id => document.querySelector('#dead-status')?.textContent.includes('judged again')
    && !document.querySelector(`#dead-list tr[data-id="${id}"]`), env.DEAD_LETTER);
  check((await page.textContent('#dead-status')).includes(env.DEAD_TICKET), 'the submission named: ' + await page.textContent('#dead-status'));
  let requeued;
  for (const until = Date.now() + 60000; Date.now() < until;) {
    requeued = await (await fetch(`${base}/api/v1/submissions/${env.DEAD_TICKET}`, { headers: { Authorization: 'Bearer ' + env.ADMIN_KEY } })).json();
    if (requeued.status === 'DONE' && requeued.verdict === 'AC') break;
    await page.waitForTimeout(300);  // polling the api, not waiting for the page
  }
  check(requeued.verdict === 'AC' && requeued.history.some(h => h.verdict === 'IE'), 'judged anew, the internal error in its history: ' + JSON.stringify(requeued).slice(0, 400));

  step('admin: confirmations before replacing and deleting a problem; a problem in a contest is not deleted');
  check(/UTC|GMT/.test(await page.textContent('#contest-list')), 'contest times with their time zone');
  let asked = '';
  page.once('dialog', d => { asked = d.message(); d.dismiss(); });
  await page.fill('#upload input[name=id]', 'sum-copy');
  await page.setInputFiles('#upload input[name=zip]', env.PACKAGE_ZIP);
  await page.click('#upload button');
  await page.waitForFunction(() => true);
  check(asked.includes('Replace problem sum-copy'), 'replacing asks first: ' + asked);
  page.once('dialog', d => d.accept());
  await page.click(`button[data-delete-problem="${env.PROBLEM}"]`);
  await page.waitForSelector('#problems-error:not(:empty)');
  check((await page.textContent('#problems-error')).includes(env.CONTEST), 'in use by a contest: ' + await page.textContent('#problems-error'));
  page.once('dialog', d => d.accept());
  await page.click('button[data-delete-problem="sum-copy"]');
  await page.waitForFunction(() => !document.querySelector('button[data-delete-problem="sum-copy"]') && document.querySelector('#queue table'));

  step('admin: submissions with their code, a rejudge of one; the audit log filtered and as CSV');
  await page.waitForSelector('#submission-list tbody tr');
  await page.selectOption('#sub-filter select[name=contestId]', env.CONTEST);
  await page.fill('#sub-filter input[name=participant]', participant);
  await page.click('#sub-filter button[type=submit]');
  await page.waitForFunction(p => [...document.querySelectorAll('#submission-list tbody tr')].every(tr => tr.cells[1].textContent === p), participant);
  const rejudged = await page.getAttribute('#submission-list tbody tr:has(.v-AC)', 'data-id');
  await page.click(`#submission-list tr[data-id="${rejudged}"] button.code`);
  await page.waitForSelector('#sub-source pre.source');
  check((await page.textContent('#sub-source pre.source')).length > 10, 'its code is shown');
  page.once('dialog', d => d.accept());
  await page.click(`#submission-list tr[data-id="${rejudged}"] button.rejudge`);
  await page.waitForFunction(() => document.querySelector('#sub-status')?.textContent.startsWith('Rejudged'), null, { timeout: 60000 });
  check((await page.textContent('#sub-status')).includes('AC (was AC)'), 'rejudged to the same verdict: ' + await page.textContent('#sub-status'));
  await page.fill('#audit-filter input[name=participant]', participant);
  await page.click('#audit-filter button[type=submit]');
  await page.waitForFunction(p => { const rows = document.querySelectorAll('#audit-entries tbody tr');
    return rows.length > 0 && [...rows].every(tr => tr.cells[2].textContent === p); }, participant);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#audit-csv')]);
  const csv = await (await import('node:fs/promises')).readFile(await download.path(), 'utf8');
  const csvRows = csv.trim().split('\r\n');
  check(csvRows[0].startsWith('submissionId,round,participant') && csvRows.length > 1
    && csvRows.slice(1).every(l => l.includes(`"${participant}"`)), 'the CSV, filtered: ' + csv.slice(0, 300));
  await axe('admin: submissions and audit log');
  await shot('admin-records', true);

  step('admin: a contest by invitation refuses a guessable token, generates tokens, and one enters');
  const local = (t) => new Date(t - new Date(t).getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  await page.fill('#contest input[name=id]', 'invited-ui');
  await page.fill('#contest input[name=title]', 'Invited');
  await page.fill('#contest input[name=problemIds]', env.PROBLEM);
  await page.fill('#contest input[name=start]', local(Date.now() - 3600000));
  await page.fill('#contest input[name=end]', local(Date.now() + 3600000));
  await page.fill('#contest textarea[name=invitations]', 'team0731=team-a');
  await page.click('#contest button[type=submit]');
  await page.waitForSelector('#contest .form-error:not(:empty)');
  const refused = await page.textContent('#contest .form-error');
  check(refused.includes('at least 16'), 'the weak token is refused naming the rule: ' + refused);
  await page.fill('#contest textarea[name=invitations]', 'team-a\nteam-b');
  await page.click('#contest button[type=submit]');
  await page.waitForSelector('#invitation-list');
  const rows = await page.$$eval('#invitation-list tbody tr', trs => trs.map(tr => [...tr.cells].map(c => c.textContent)));
  check(rows.length === 2 && rows[0][0] === 'team-a' && rows[1][0] === 'team-b', 'the printable list: ' + JSON.stringify(rows));
  check(rows.every(r => /^[0-9a-z]{26}$/.test(r[1])) && rows[0][1] !== rows[1][1], 'generated tokens: ' + JSON.stringify(rows));
  await shot('admin-invitations', true);
  await page.goto(base + '/');
  await page.fill('form[data-contest="invited-ui"] input[name=token]', rows[0][1]);
  await page.click('form[data-contest="invited-ui"] button[type=submit]');
  await page.waitForSelector('#sign-out');
  check((await page.textContent('#top')).includes('team-a'), 'entered as the invited participant');

  step('admin: participants and keys: tokens issued in bulk and printed alone, a participant signed out everywhere, an account\'s new password');
  const teamAKey = await page.evaluate(() => JSON.parse(localStorage.getItem('ce.entry.invited-ui')).key);
  const fredEntry = await fetch(`${base}/api/v1/contests/${env.CONTEST}/entries`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Forgetful Fred', password: 'fred remembers nothing' }) });
  check(fredEntry.status === 201, 'Fred registered: ' + fredEntry.status);
  const fred = await fredEntry.json();
  await page.goto(`${base}/#/admin`);
  await page.waitForSelector('#keys-contest');
  await page.selectOption('#keys-contest', 'invited-ui');
  await page.waitForSelector('#key-list tr[data-participant="team-b"]');
  check((await page.textContent('#key-list tr[data-participant="team-a"]')).includes(rows[0][1]), 'team-a with their token');
  await page.fill('#issue textarea', 'team-c\nteam-d');
  await page.click('#issue button[type=submit]');
  await page.waitForSelector('#issued-list tbody tr');
  const issued = await page.$$eval('#issued-list tbody tr', trs => trs.map(tr => [...tr.cells].map(c => c.textContent)));
  check(issued.length === 2 && issued[0][0] === 'team-c' && issued[1][0] === 'team-d' && issued.every(r => /^[0-9a-z]{26}$/.test(r[1])),
    'the issued list: ' + JSON.stringify(issued));
  await page.waitForSelector('#key-list tr[data-participant="team-d"]');
  check((await page.$$('#key-list tbody tr')).length === 4, 'four invited now');
  await page.locator('#issued').scrollIntoViewIfNeeded();
  await axe('admin: participants and keys, tokens just issued');
  await shot('admin-keys');
  const teamC = await fetch(`${base}/api/v1/contests/invited-ui/entries`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: issued[0][1] }) });
  check(teamC.status === 201 && (await teamC.json()).participant === 'team-c', 'an issued token enters: ' + teamC.status);
  // Print prints the issued sheet alone: what printAlone sets, under the print media.
  await page.evaluate(() => { document.body.classList.add('printing'); document.querySelector('#issued-sheet').classList.add('print-this'); });
  await page.emulateMedia({ media: 'print' });
  check(await page.isVisible('#issued-list') && !(await page.isVisible('#keys-contest')) && !(await page.isVisible('#queue')), 'the sheet alone is printed');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => { document.body.classList.remove('printing'); document.querySelector('#issued-sheet').classList.remove('print-this'); });
  page.once('dialog', d => d.accept());
  await page.click('button[data-revoke="team-a"]');
  await page.waitForFunction(() => document.querySelector('#keys-status')?.textContent.includes('signed out everywhere'));
  check((await page.textContent('#keys-status')).includes('1 key revoked'), 'team-a\'s key revoked: ' + await page.textContent('#keys-status'));
  check((await fetch(`${base}/api/v1/contests/invited-ui/me`, { headers: { Authorization: 'Bearer ' + teamAKey } })).status === 401, 'team-a is signed out');
  await page.selectOption('#keys-contest', env.CONTEST);
  await page.waitForSelector(`#key-list tr[data-participant="${fred.participant}"]`);
  check((await page.textContent(`#key-list tr[data-participant="${fred.participant}"]`)).includes('Forgetful Fred'), 'the account with its name');
  page.once('dialog', d => d.accept());
  await page.click(`#key-list tr[data-participant="${fred.participant}"] button[data-password]`);
  await page.waitForFunction(() => document.querySelector('#keys-status')?.textContent.includes('New password for'));
  const newPassword = (await page.textContent('#keys-status')).match(/hand it to them\): (\S+)/)?.[1];
  const signInAs = (password) => fetch(`${base}/api/v1/contests/${env.CONTEST}/sessions`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Forgetful Fred', password }) });
  check(newPassword && (await signInAs(newPassword)).status === 201, 'the new password signs in: ' + newPassword);
  check((await signInAs('fred remembers nothing')).status === 403, 'the old one no longer does');
  check((await fetch(`${base}/api/v1/contests/${env.CONTEST}/me`, { headers: { Authorization: 'Bearer ' + fred.key } })).status === 401, 'Fred\'s old session ended');

  step('admin: an API key issued (shown once) and revoked');
  await page.fill('#api-key input[name=subject]', 'scoreboard-bot');
  await page.selectOption('#api-key select[name=role]', 'SERVICE');
  await page.click('#api-key button[type=submit]');
  await page.waitForSelector('#new-api-key');
  const botKey = (await page.textContent('#new-api-key')).trim();
  check((await fetch(`${base}/api/v1/submissions?pageSize=1`, { headers: { Authorization: 'Bearer ' + botKey } })).status === 200, 'the key works');
  await axe('admin: participants and keys, a key just issued');
  await page.fill('#api-key-revoke input[name=key]', botKey);
  await page.click('#api-key-revoke button[type=submit]');
  await page.waitForSelector('#api-key-revoke .form-ok:text("Revoked.")');
  check((await fetch(`${base}/api/v1/submissions?pageSize=1`, { headers: { Authorization: 'Bearer ' + botKey } })).status === 401, 'the key no longer works');

  step('admin: a contest is deleted after a confirmation');
  await putContest('doomed-ui', { problemIds: [env.PROBLEM], start: new Date(Date.now() - 60000).toISOString(), end: new Date(Date.now() + 3600000).toISOString() });
  await page.reload();
  await page.waitForSelector('button[data-delete-contest="doomed-ui"]');
  let deleteAsked = '';
  page.once('dialog', d => { deleteAsked = d.message(); d.dismiss(); });
  await page.click('button[data-delete-contest="doomed-ui"]');
  check(deleteAsked.includes('Delete contest doomed-ui'), 'asks first: ' + deleteAsked);
  check((await fetch(`${base}/api/v1/contests/doomed-ui`)).status === 200, 'kept when the admin says no');
  page.once('dialog', d => d.accept());
  await page.click('button[data-delete-contest="doomed-ui"]');
  await page.waitForFunction(() => !document.querySelector('button[data-delete-contest="doomed-ui"]') && document.querySelector('#contest-list'));
  check((await fetch(`${base}/api/v1/contests/doomed-ui`)).status === 404, 'the contest is gone');

  step('admin: unfreeze the scoreboard, after a confirmation; everyone sees the verdict again');
  await page.goto(`${base}/#/admin`);
  await page.waitForSelector(`button[data-unfreeze="${frozenId}"]`);
  page.once('dialog', d => d.accept());
  await page.click(`button[data-unfreeze="${frozenId}"]`);
  await page.waitForFunction(id => !document.querySelector(`button[data-unfreeze="${id}"]`)
    && document.querySelector('#contest-list')?.textContent.includes('unfrozen'), frozenId);
  await page.goto(`${base}/#/c/${frozenId}/scoreboard`);
  await page.waitForSelector('table.board tbody tr');
  check(await page.isHidden('#board-frozen'), 'no freeze said any more');
  const thawed = await page.$$eval('table.board tbody tr td', tds => tds.map(td => td.textContent.trim()));
  check(thawed[2] === '1' && !thawed[4].includes('?'), 'the solve shows: ' + JSON.stringify(thawed));

  step('admin on a phone: nothing overflows sideways');
  await page.goto(`${base}/#/admin`);
  await page.waitForSelector('#audit-entries, #audit-list p');
  await page.setViewportSize(PHONE);
  await noOverflow(page, 'admin at 390 px');
  await page.setViewportSize(DESKTOP);

  console.log('ALL SCENARIOS PASSED in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
} catch (e) {
  console.error(e);
  await shot('failure').catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
