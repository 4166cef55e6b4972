// What a run or a submission did: a run's output against the sample, a submission's verdict and
// its tests as the api discloses them. Only a sample's (a visible test's) output and expected
// output are ever compared: the api sends neither for a hidden test, nor anything derived from
// its data, and nothing here asks for more.
import { esc, mib, ms, VERDICTS, verdictBadge } from './ui';
import type { GroupResult, Sample, SubmissionView, TestResult } from './types';

/** Lines shown of a diff: enough for a sample, and a page stays readable for a huge output. */
const DIFF_LINES = 200;

const linesOf = (text: string) => { const l = text.replace(/\r\n/g, '\n').split('\n'); if (l.length > 1 && l[l.length - 1] === '') l.pop(); return l; };

/**
 * The program's output against the expected output, line by line, with the first differing line
 * marked and named. Trailing spaces do not make a line differ (no checker counts them); where
 * every line matches so, the difference is only in the whitespace, and that is said.
 */
export function diffView(output: string, expected: string): string {
  const out = linesOf(output), exp = linesOf(expected);
  const n = Math.max(out.length, exp.length);
  let first = -1;
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = out[i], b = exp[i];
    const differs = a === undefined || b === undefined || a.trimEnd() !== b.trimEnd();
    if (differs && first < 0) first = i;
    if (i >= DIFF_LINES) continue;
    const cell = (line: string | undefined) => line === undefined ? '<td class="none">(no line)</td>' : `<td><code>${esc(line)}</code></td>`;
    rows.push(`<tr class="${differs ? 'differs' : 'same'}${i === first ? ' first' : ''}">
      <th scope="row">${i + 1}${i === first ? '<span class="visually-hidden"> (first difference)</span>' : ''}</th>${cell(a)}${cell(b)}</tr>`);
  }
  const said = first < 0 ? 'Every line matches but for whitespace: the difference is in spaces or empty lines.'
    : `First difference on line <strong>${first + 1}</strong>: ${out[first] === undefined ? 'your output ends before it'
      : exp[first] === undefined ? 'your output goes on after the expected output ends' : 'the lines differ'}.`;
  return `<div class="diff"><p class="diff-summary">${said}</p><div class="scroll"><table class="diff">
    <thead><tr><th scope="col">Line</th><th scope="col">Your output</th><th scope="col">Expected</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table></div>${n > DIFF_LINES ? `<p class="muted">The first ${DIFF_LINES} of ${n} lines.</p>` : ''}</div>`;
}

/** A sample's name as the statement calls it: "sample/1" is Sample 1. */
const sampleName = (t: TestResult) => t.testName.replace(/^sample\/(.*)$/, 'Sample $1');

export function runResult(r: any, sample: Sample | null): string {
  const compileFailed = r.compile && r.compile.code !== 0 && r.compile.code !== null;
  if (compileFailed) return `<h3>${verdictBadge('CE')} Compile error</h3><pre class="compile">${esc(r.compile.stderr || r.compile.output)}</pre>`;
  const run = r.run;
  const matches = sample && run.stdout.trim().split(/\s+/).join(' ') === sample.expectedOutput.trim().split(/\s+/).join(' ');
  return `<h3>Run: exit code ${esc(run.code ?? run.signal)}${run.status ? ` (${esc(run.message ?? run.status)})` : ''}
      ${sample ? (matches ? ' · <span class="ok">matches the sample output</span>' : ' · <span class="bad">differs from the sample output</span>') : ''}</h3>
    <p class="muted">time ${ms(run.cpu_time ?? run.wall_time ?? 0)} · memory ${run.memory != null ? mib(run.memory) : '?'}</p>
    <div class="io"><div><h4>Output</h4><pre id="stdout">${esc(run.stdout)}</pre></div><div><h4>Stderr</h4><pre>${esc(run.stderr)}</pre></div></div>
    ${sample && !matches ? `<h4>Your output against the sample's</h4>${diffView(run.stdout, sample.expectedOutput)}` : ''}`;
}

/** A score as people read it: no trailing zeros. */
const points = (n: number) => String(Math.round(n * 100) / 100);

/**
 * The test data groups' results, the whole test data ("data") first, each subgroup under its
 * parent: verdict, score of its maximum, and how many of its tests counted and were accepted.
 */
export function groupsView(groups: GroupResult[] | undefined): string {
  if (!groups || !groups.length) return '';
  const ordered = [...groups].sort((a, b) => a.name === 'data' ? -1 : b.name === 'data' ? 1 : a.name.localeCompare(b.name));
  const scores = groups.some(g => g.score != null);
  const rows = ordered.map(g => `<tr class="${g.name.split('/').length > 1 ? 'subgroup' : ''}" data-group="${esc(g.name)}">
      <th scope="row">${esc(g.name === 'data' ? 'All tests' : g.name)}</th><td>${verdictBadge(g.verdict)}</td>
      ${scores ? `<td>${g.score == null ? '' : points(g.score)}${g.maxScore != null ? ` / ${points(g.maxScore)}` : ''}</td>` : ''}
      <td>${g.testsAccepted} accepted of ${g.testsRun} run${g.testsRun < g.tests ? ` (${g.tests - g.testsRun} not run)` : ''}</td>
      ${g.message ? `<td><small class="message">${esc(g.message)}</small></td>` : ''}</tr>`);
  return `<table class="groups" id="groups" aria-label="Test groups"><thead><tr><th scope="col">Group</th><th scope="col">Verdict</th>
    ${scores ? '<th scope="col">Score</th>' : ''}<th scope="col">Tests</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function verdictView(s: SubmissionView): string {
  const done = s.status === 'DONE';
  const total = Math.max(s.testsTotal, s.tests.length);
  const rows = [];
  for (let i = 0; i < total; i++) {
    const t = s.tests[i];
    // A judged test without a result (ICPC: not a sample): passed before the first failing one, that one has the verdict.
    const known = !t && done && s.tests.length < total
      ? (s.failedTest == null ? (s.verdict === 'AC' ? 'AC' : null) : i + 1 < s.failedTest ? 'AC' : i + 1 === s.failedTest ? s.verdict : null)
      : null;
    const state = t ? t.verdict : known ?? (done ? 'hidden' : i < s.testsDone ? 'passed' : i === s.testsDone && s.status === 'RUNNING' ? 'running' : 'waiting');
    rows.push(`<li class="test t-${esc(state)}" title="${esc(t?.testName ?? 'test ' + (i + 1))}"><span>${esc(t?.testName ?? '#' + (i + 1))}</span>
      ${t ? `${verdictBadge(t.verdict)} <small>${ms(t.timeMs)} · ${mib(t.memoryBytes)}</small>${t.message ? ` <small class="message">${esc(t.message)}</small>` : ''}`
        : known ? verdictBadge(known) : `<small>${esc(state === 'hidden' ? 'not shown' : state)}</small>`}</li>`);
  }
  const failed = s.failedTest == null ? null : s.tests[s.failedTest - 1] ?? null;
  return `<p class="muted">Ticket <code>${esc(s.id)}</code></p><h3 id="verdict" data-verdict="${esc(s.verdict ?? '')}">${done ? `${verdictBadge(s.verdict)} ${esc(VERDICTS[s.verdict!] ?? '')}${s.score != null ? ` · score ${s.score}` : ''}` : `${esc(s.status)} · ${s.testsDone}/${s.testsTotal || '?'} tests`}</h3>
    ${done && s.tests.length ? `<p class="muted">max time ${ms(Math.max(...s.tests.map(t => t.timeMs)))} · max memory ${mib(Math.max(...s.tests.map(t => t.memoryBytes)))}${s.tests.length < total ? ' (samples)' : ''}</p>` : ''}
    ${done && s.failedTest != null ? `<p id="first-failure">First failing test: <strong>#${s.failedTest}${failed ? ' ' + esc(failed.testName) : ''}</strong> (${esc(failed?.verdict ?? s.verdict ?? '')})</p>` : ''}
    ${done ? groupsView(s.groups) : ''}
    ${s.compileOutput && s.verdict === 'CE' ? `<pre class="compile" id="compile-output">${esc(s.compileOutput)}</pre>` : ''}
    ${done && s.verdict === 'CE' ? '<p id="not-run" class="muted">No test was run: the code did not compile.</p>'
      : `<ol class="tests" aria-label="Tests">${rows.join('')}</ol>`}
    ${s.tests.filter(t => t.visible && t.verdict === 'WA' && t.output != null && t.expected != null).map(t =>
      `<section class="sample-diff"><h4>${esc(sampleName(t))}: your output against the expected</h4>${diffView(t.output!, t.expected!)}</section>`).join('')}`;
}
