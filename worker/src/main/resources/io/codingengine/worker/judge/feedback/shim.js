// Added by the judge to a JavaScript output validator (see CustomChecker): collects the Kattis
// feedback directory. It creates the feedback directory (the third argument), runs the validator
// as a child with the same arguments and standard input, then writes one marker line to standard
// output with the feedback files in base64, and ends as the validator ended.
'use strict';
const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');

const MARK = '@MARK@';
const VALIDATOR = @MAIN@;
const LIMIT = @LIMIT@;

const feedback = process.argv[4];
if (feedback !== undefined) {
  fs.mkdirSync(feedback, { recursive: true });
}
const run = childProcess.spawnSync(process.execPath, [...process.execArgv, VALIDATOR, ...process.argv.slice(2)],
  { stdio: 'inherit' });
if (feedback !== undefined) {
  const line = [MARK];
  for (const name of ['judgemessage.txt', 'teammessage.txt', 'score.txt', 'score_multiplier.txt']) {
    let fd;
    try {
      fd = fs.openSync(path.join(feedback, name), 'r');
    } catch (e) {
      continue;
    }
    const data = Buffer.alloc(LIMIT);
    const n = fs.readSync(fd, data, 0, LIMIT, 0);
    fs.closeSync(fd);
    line.push(name + '=' + data.subarray(0, n).toString('base64'));
  }
  fs.writeSync(1, '\n' + line.join(' ') + '\n');
}
if (run.error) {
  fs.writeSync(2, 'the validator could not start: ' + run.error + '\n');
  process.exit(1);
}
if (run.signal) {
  process.kill(process.pid, run.signal);
}
process.exit(run.status === null ? 1 : run.status);
