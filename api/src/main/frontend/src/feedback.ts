// What a run or a submission did: a run's output against the sample, a submission's verdict and
// its tests as the api discloses them.
import { esc, mib, ms, VERDICTS, verdictBadge } from './ui';
import type { Sample, SubmissionView } from './types';

export function runResult(r: any, sample: Sample | null): string {
  const compileFailed = r.compile && r.compile.code !== 0 && r.compile.code !== null;
  if (compileFailed) return `<h3>${verdictBadge('CE')} Compile error</h3><pre class="compile">${esc(r.compile.stderr || r.compile.output)}</pre>`;
  const run = r.run;
  const matches = sample && run.stdout.trim().split(/\s+/).join(' ') === sample.expectedOutput.trim().split(/\s+/).join(' ');
  return `<h3>Run: exit code ${esc(run.code ?? run.signal)}${run.status ? ` (${esc(run.message ?? run.status)})` : ''}
      ${sample ? (matches ? ' · <span class="ok">matches the sample output</span>' : ' · <span class="bad">differs from the sample output</span>') : ''}</h3>
    <p class="muted">time ${ms(run.cpu_time ?? run.wall_time ?? 0)} · memory ${run.memory != null ? mib(run.memory) : '?'}</p>
    <div class="io"><div><h4>Output</h4><pre id="stdout">${esc(run.stdout)}</pre></div><div><h4>Stderr</h4><pre>${esc(run.stderr)}</pre></div></div>`;
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
    ${s.compileOutput && s.verdict === 'CE' ? `<pre class="compile" id="compile-output">${esc(s.compileOutput)}</pre>` : ''}
    ${done && s.verdict === 'CE' ? '<p id="not-run" class="muted">No test was run: the code did not compile.</p>'
      : `<ol class="tests" aria-label="Tests">${rows.join('')}</ol>`}`;
}
