// Sample interactions in headless Chromium (Debian's), driven by playwright-core. Run by
// InteractiveUiTest against a running api whose contest CONTEST has an interactive problem
// "talk" (two sample interactions, the second holding < > & to escape), a multi-pass problem
// "passes" (one interaction of two passes) and, when problemtools' examples are beside the
// project, "guess". Every step asserts; axe-core checks the pages. Environment: BASE_URL,
// CONTEST, SHOTS, FRONTEND (for node_modules).
import { join } from 'node:path';
import { AXE, base, check, env, launch, started, step } from './harness.mjs';

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
await context.addInitScript({ path: AXE });
await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
const page = await context.newPage();
page.setDefaultTimeout(20000);
const shot = (name, fullPage = false) => page.screenshot({ path: join(env.SHOTS, name + '.png'), fullPage });

/** No WCAG 2.2 A/AA violation on the page, and none of any rule in the dialogues. */
async function accessible(what) {
  const violations = await page.evaluate(async () => {
    const wcag = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    const all = await window.axe.run({ include: [...document.querySelectorAll('section.interaction')].map(s => [`#${s.querySelector('table').id}`]) });
    return [...wcag.violations, ...all.violations].map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
  });
  check(violations.length === 0, `${what}: axe-core violations:\n  ${violations.join('\n  ')}`);
}

/** Each row of a dialogue as [judge cell, program cell] (a pass's end: its one cell's text). */
const rows = (table) => page.$$eval(`${table} tbody tr`, trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent)));

try {
  step('a participant registers; problem A, interactive, shows its two samples as dialogues');
  await page.goto(base + '/');
  await page.fill(`form[data-contest="${env.CONTEST}"] input[name=name]`, 'Grace Hopper');
  await page.fill(`form[data-contest="${env.CONTEST}"] input[name=password]`, 'correct horse battery');
  await page.click(`form[data-contest="${env.CONTEST}"] button[value=register]`);
  await page.waitForSelector('#pname');
  check((await page.textContent('#pname')) === 'Talk', 'problem A is Talk');
  check((await page.$$('section.interaction table.dialogue')).length === 2, 'two dialogues');
  check((await page.$$('section.sample:not(.interaction)')).length === 0, 'no input and output samples');
  const headers = await page.$$eval('#dialogue-0 thead th', ths => ths.map(th => th.textContent.replace(/\s+/g, ' ').trim()));
  check(headers[0].startsWith('The judge sends (your program reads)') && headers[1].startsWith('Your program writes'), 'column headers: ' + headers);
  check((await page.$$eval('#dialogue-0 thead th', ths => ths.map(th => th.getAttribute('scope')))).every(s => s === 'col'), 'headers are column headers');
  check(((await page.textContent('#dialogue-0 caption')) ?? '').includes('Sample 1'), 'the table has a caption');
  const first = await rows('#dialogue-0');
  check(JSON.stringify(first) === JSON.stringify([['', 'guess 5'], ['higher', ''], ['', 'guess 7'], ['correct', '']]),
    'lines in order, each in its sender\'s column: ' + JSON.stringify(first));
  const second = await rows('#dialogue-1');
  check(second[0][1] === 'guess 1 <2 & 3>', 'text is shown as it is, not as markup: ' + JSON.stringify(second));
  const text = await page.textContent('main');
  check(!text.includes('VALIDATOR-'), 'the validator\'s data is nowhere on the page');
  check(text.includes('2 sample interaction(s)') && text.includes('Interactive problem'), 'the limits line and the notice say what kind of problem it is');

  step('Run offers only input the participant types, and says it does not talk with the judge');
  const options = await page.$$eval('#input option', os => os.map(o => o.value));
  check(JSON.stringify(options) === '["custom"]', 'no "Run on sample" for an interactive problem: ' + options);
  check(await page.isVisible('#custom') && await page.isVisible('#talk-run'), 'the input box and the note are shown');
  check((await page.textContent('#talk-run')).includes('does not talk with the judge'), 'the note is honest');

  step('the copy buttons copy one side of a dialogue each');
  await page.click('button[aria-label="Copy what the judge sends in sample 1"]');
  await page.waitForSelector('#dialogue-0 button.copy:text("Copied")');
  check(await page.evaluate(() => navigator.clipboard.readText()) === 'higher\ncorrect\n', 'the judge\'s lines are on the clipboard');
  check((await page.textContent('#copied')).includes('Copied what the judge sends in sample 1'), 'and that is said');
  await page.click('#dialogue-1 thead th:nth-child(2) button.copy');
  await page.waitForFunction(() => document.querySelector('#copied')?.textContent.includes('Copied what your program writes in sample 2'));
  check(await page.evaluate(() => navigator.clipboard.readText()) === 'guess 1 <2 & 3>\n', 'the program\'s lines are on the clipboard');
  await accessible('the interactive problem');
  await shot('interactive-sample', true);

  step('problem B, multi-pass, marks where a pass ends');
  await page.click('nav.problems a[data-problem="passes"]');
  await page.waitForFunction(() => document.querySelector('#pname')?.textContent === 'Passes');
  const passes = await rows('#dialogue-0');
  check(JSON.stringify(passes) === JSON.stringify([['4', ''], ['', '8'], ['Pass 1 ends; pass 2 begins'], ['8', ''], ['', '16']]),
    'two passes: ' + JSON.stringify(passes));
  check((await page.textContent('main')).includes('Multi-pass problem'), 'the notice says multi-pass');
  check(!(await page.textContent('main')).includes('VALIDATOR-'), 'no answer shown');
  await accessible('the multi-pass problem');

  if (await page.$('nav.problems a[data-problem="guess"]')) {
    step('problemtools\' guess: its samples are interactions only');
    await page.click('nav.problems a[data-problem="guess"]');
    await page.waitForFunction(() => document.querySelectorAll('table.dialogue').length === 2 && document.querySelector('#pname')?.textContent !== 'Passes');
    const guess = await rows('#dialogue-0');
    check(guess[0][1] === '792' && guess[1][0] === 'higher', 'guess\'s first sample: ' + JSON.stringify(guess));
    await shot('interactive-guess', true);
  }

  console.log('ALL SCENARIOS PASSED in ' + ((Date.now() - started) / 1000).toFixed(1) + ' s');
} catch (e) {
  console.error(e);
  await shot('failure-interactive', true).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
