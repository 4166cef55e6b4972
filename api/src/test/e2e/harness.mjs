// What the browser scripts share: playwright-core and axe-core from the frontend's node_modules,
// the environment, and steps that log their time and assertions that throw.
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const env = process.env;
const require = createRequire(join(env.FRONTEND, 'package.json'));
export const { chromium } = require('playwright-core');
export const AXE = require.resolve('axe-core/axe.min.js');
export const base = env.BASE_URL;
export const started = Date.now();
export const step = (name) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
export const check = (ok, message) => { if (!ok) throw new Error('assertion failed: ' + message); };
/** Debian's Chromium, headless. */
export const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
