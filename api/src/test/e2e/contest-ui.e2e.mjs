// The contest UI in headless Chromium (Debian's), driven by playwright-core. Run by ContestUiTest
// against a running stack; every step asserts, and a failure exits non-zero with a screenshot.
// Environment: BASE_URL, ADMIN_KEY, CONTEST, PROBLEM, PACKAGE_ZIP, SHOTS, FRONTEND (for node_modules).
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const shot = (name, fullPage = false) => page.screenshot({ path: join(env.SHOTS, name + '.png'), fullPage });

/** Replaces the editor's text as a paste would (no auto-indent or bracket closing). */
async function typeCode(code) {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

/** Picks the newest runtime of a language in the picker (its values are "language version"). */
async function pickLanguage(language) {
  const values = await page.$$eval('#language option', os => os.map(o => o.value));
  const value = values.filter(v => v.split(' ')[0] === language).pop();
  check(value, `runtime ${language} offered`);
  await page.selectOption('#language', { value });
}

async function submitAndWait(expected) {
  await page.click('#submit');
  await page.waitForSelector('#result code');  // the ticket appears at once
  await page.waitForSelector('#verdict[data-verdict]:not([data-verdict=""])', { timeout: 90000 });
  const verdict = await page.getAttribute('#verdict', 'data-verdict');
  check(verdict === expected, `expected ${expected}, got ${verdict}: ${await page.textContent('#result')}`);
}

try {
  step('home: the contest is listed; enter with a name using the keyboard only');
  await page.goto(base + '/');
  await page.waitForSelector('form.enter input[name=name]');
  await shot('home');
  const target = `form[data-contest="${env.CONTEST}"] input[name=name]`;
  let focused = false;
  for (let i = 0; i < 30 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(sel => document.activeElement === document.querySelector(sel), target);
  }
  check(focused, 'Tab reaches the contest\'s name field');
  await page.keyboard.type('Grace Hopper');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#pname');

  step('problem: the statement is rendered with math and code, limits and samples are shown');
  check((await page.textContent('#pname')) === 'Sum', 'problem name');
  check(await page.isVisible('.md .katex'), 'math rendered by KaTeX');
  check(await page.isVisible('.md pre code'), 'code block rendered');
  check((await page.textContent('.limits')).includes('2.00 s'), 'time limit shown');
  check((await page.textContent('.sample pre')).includes('1 1'), 'sample input shown');
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
    check(!(await page.textContent('#verdict')).includes('score'), 'an ICPC contest shows no score');
    check((await page.$$('li.test.t-AC')).length === 3, 'three passed tests shown');
  }
  await shot('problem-accepted');
  await page.waitForFunction(() => document.querySelectorAll('#history tbody tr').length === 3);

  step('a wrong solution shows WA on the test that fails (the third, secret/2, named only by its number)');
  await pickLanguage('python');
  await typeCode('a, b = map(int, input().split())\nprint(a + b if a < 100 else 0)\n');
  await submitAndWait('WA');
  check((await page.textContent('#first-failure')).includes('#3'), 'WA is on test 3');
  check(!(await page.textContent('#result')).includes('secret/'), 'an ICPC contest shows no result of a hidden test');
  check((await page.$$('li.test.t-AC')).length === 2 && (await page.$$('li.test.t-WA')).length === 1, 'two passed, one WA');
  await shot('problem-wrong-answer');

  step('a compile error shows the compiler message with its line, on Run and on Submit');
  await pickLanguage('c++');
  await typeCode('int main() {\n    return x;\n}\n');
  await page.click('#run');
  await page.waitForSelector('#result pre.compile', { timeout: 60000 });
  check((await page.textContent('#result pre.compile')).includes(':2:'), 'compiler message names line 2');
  await submitAndWait('CE');
  const compiler = await page.textContent('#compile-output');
  check(compiler.includes('error') && compiler.includes('x'), 'compile output shown: ' + compiler);
  await shot('problem-compile-error');

  step('keyboard: Escape then Tab leaves the editor for the run controls, Enter runs');
  await page.click('.cm-content');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.id) === 'input', 'focus left the editor for the input picker');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement?.id) === 'run', 'then the Run button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#result pre.compile', { timeout: 60000 });

  step('a reload keeps the code (per problem and language)');
  await pickLanguage('python');
  await typeCode('# kept across reloads 4711\nprint(1)\n');
  await page.reload();
  await page.waitForSelector('#pname');
  check((await page.inputValue('#language')).startsWith('python '), 'the language is kept');
  check((await page.textContent('.cm-content')).includes('kept across reloads 4711'), 'the Python code is kept');
  await pickLanguage('c++');
  check((await page.textContent('.cm-content')).includes('return x;'), 'the C++ code is kept too');

  step('busy queue: a 503 problem detail is said plainly');
  await page.route('**/api/v1/contests/*/submissions', route => route.request().method() === 'POST'
    ? route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '7' },
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'the contest lane is full' }) })
    : route.continue());
  await page.click('#submit');
  await page.waitForSelector('#result .error');
  const busy = await page.textContent('#result .error');
  check(busy.includes('busy') && busy.includes('the contest lane is full') && busy.includes('7 s'), 'busy message: ' + busy);
  await page.unroute('**/api/v1/contests/*/submissions');

  step('scoreboard: the participant is ranked with 1 solved');
  await page.goto(`${base}/#/c/${env.CONTEST}/scoreboard`);
  await page.waitForSelector('table.board tbody tr');
  const row = await page.textContent('table.board tbody tr');
  check(row.includes('grace-hopper') && row.includes('1'), 'scoreboard row: ' + row);
  await shot('scoreboard');

  step('server down: a clear message and a retry, no endless spinner');
  await page.route('**/api/**', route => route.abort('connectionrefused'));
  await page.goto(`${base}/#/c/${env.CONTEST}`);
  await page.waitForSelector('#banner.shown #retry');
  check((await page.textContent('#banner')).includes('cannot be reached'), 'unreachable message');
  await shot('server-down');
  await page.unroute('**/api/**');
  await page.click('#retry');
  await page.waitForSelector('#pname');

  step('narrow screen: nothing overflows sideways');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForTimeout(200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, 'horizontal overflow of ' + overflow + ' px');
  await page.screenshot({ path: join(env.SHOTS, 'problem-narrow.png'), fullPage: false });
  await page.setViewportSize({ width: 1280, height: 720 });

  step('admin: sign in with the admin key, upload a package, see its tests, edit limits, regrade with progress');
  await page.goto(`${base}/#/admin`);
  await page.fill('input[name=key]', 'not-a-key');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#login .form-error:not(:empty)');
  await page.fill('input[name=key]', env.ADMIN_KEY);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#queue table');
  await page.fill('#upload input[name=id]', 'sum-copy');
  await page.setInputFiles('#upload input[name=zip]', env.PACKAGE_ZIP);
  await page.click('#upload button');
  await page.waitForSelector('button[data-problem="sum-copy"]');
  await page.click(`button[data-problem="${env.PROBLEM}"]`);
  await page.waitForSelector('#problem table');
  check((await page.textContent('#problem table')).includes('secret/2'), 'the secret tests are listed for the admin');
  await page.fill('#limits input[name=timeLimitMs]', '3000');
  await page.click('#limits button');
  await page.waitForSelector('#limits .form-ok:text("Saved.")');
  await page.click('#regrade');
  await page.waitForSelector('#regrade-status');
  await page.waitForFunction(() => document.querySelector('#regrade-status')?.textContent?.includes('done'), null, { timeout: 120000 });
  const [value, max] = await page.$eval('#regrade-bar', b => [b.value, b.max]);
  check(value === max && max >= 5, `progress bar full: ${value}/${max}`);
  const summary = await page.textContent('#regrade-progress');
  check(summary.includes('AC') && summary.includes('WA') && summary.includes('CE'), 'verdict summary: ' + summary);
  await page.waitForSelector('#regrade-changes');
  const changes = await page.textContent('#regrade-changes');
  check(changes.includes('none · 5 unchanged'), 'same code, same verdicts: ' + changes);
  await shot('admin', true);

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
  await page.waitForSelector('#leave');
  check((await page.textContent('#top')).includes('team-a'), 'entered as the invited participant');

  console.log('ALL SCENARIOS PASSED in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
} catch (e) {
  console.error(e);
  await shot('failure').catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
