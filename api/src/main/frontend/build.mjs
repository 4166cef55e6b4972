// Bundles the UI into the directory given as the first argument (the api's static resources).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs <output dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: 'es2020',
  outdir: out,
  entryNames: 'app',
  assetNames: 'assets/[name]-[hash]',
  loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
  logLevel: 'warning',
});
copyFileSync('index.html', join(out, 'index.html'));
copyFileSync('favicon.ico', join(out, 'favicon.ico'));
