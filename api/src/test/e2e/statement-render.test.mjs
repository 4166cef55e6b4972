// The UI's statement renderer (src/markdown.ts) against hostile statements, in Node: bundled by
// esbuild as the UI build does, then every dangerous link or picture must come out inert.
// Run by StatementRenderingTest; prints "STATEMENTS SAFE" when every check passed.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

const frontend = process.env.FRONTEND;
const esbuild = createRequire(join(frontend, 'package.json'))('esbuild');
const out = join(mkdtempSync(join(tmpdir(), 'ce-md-')), 'markdown.mjs');
await esbuild.build({ entryPoints: [join(frontend, 'src/markdown.ts')], bundle: true, format: 'esm', platform: 'node',
  outfile: out, loader: { '.css': 'empty' }, logLevel: 'warning' });
const { renderStatement } = await import(pathToFileURL(out).href);

let failed = 0;
const check = (ok, message) => { if (!ok) { failed++; console.log('FAILED: ' + message); } };
const inert = (html) => !/(href|src)\s*=\s*["']?\s*(javascript|data|vbscript)\s*:/i.test(html) && !/<script|<[a-z][^>]*\son\w+\s*=/i.test(html)
  && !/<img[^>]*src="(https?:)?\/\//i.test(html);

const hostile = [
  '[official clarification](javascript:alert(1))',
  '[tab](java\tscript:alert(1))',
  '[entity](&#106;avascript:alert(1))',
  '[upper](JAVASCRIPT:alert(1))',
  '[spaced]( javascript:alert(1))',
  '<javascript:alert(1)>',
  '[ref][x]\n\n[x]: javascript:alert(1)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](//evil.example/track.png)',
  '![x](https://evil.example/track.png)',
  '[v](vbscript:msgbox(1))',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  // The escaped-dollar trick of LaTeX statements: math around a raw Markdown link.
  '$x\\$ [t](javascript:alert(1)) \\$y$',
];
for (const md of hostile) {
  const html = renderStatement(md, '/api/v1/contests/c/problems/p/');
  check(inert(html), `${JSON.stringify(md)} rendered as ${html}`);
}
// What must keep working.
const ok = renderStatement('[site](https://example.org/a) [mail](mailto:a@b.c) [here](#input) ![pic](statement/fig.png) $a+b$',
  '/api/v1/contests/c/problems/p/');
check(ok.includes('href="https://example.org/a"'), 'an https link stays: ' + ok);
check(ok.includes('href="mailto:a@b.c"'), 'a mail link stays: ' + ok);
check(ok.includes('href="#input"'), 'an anchor stays: ' + ok);
check(ok.includes('src="/api/v1/contests/c/problems/p/statement/fig.png"'), 'a package picture is served by the api: ' + ok);
check(ok.includes('katex'), 'math is rendered: ' + ok);
check(renderStatement('[official clarification](javascript:alert(1))').includes('official clarification'), 'a dropped link keeps its text');

// Headings: below the page's h1, the statement's highest becomes h2 and none skips a level.
const levels = (html) => [...html.matchAll(/<h(\d)\b/g)].map(m => Number(m[1]));
const closes = (html) => [...html.matchAll(/<\/h(\d)>/g)].map(m => Number(m[1]));
const sections = renderStatement('Read.\n\n## Input\n\nTwo numbers.\n\n#### Limits\n\nSmall.\n\n## Output\n\nTheir sum.');
check(JSON.stringify(levels(sections)) === '[2,3,2]', '"## Input" sections start at h2, "####" under one is h3: ' + sections);
check(JSON.stringify(closes(sections)) === '[2,3,2]', 'each heading closes at its own level: ' + sections);
const titled = renderStatement('# Sum\n\n## Input\n\n### Note\n\n# Notes');
check(JSON.stringify(levels(titled)) === '[2,3,4,2]', 'a statement with its own "#" keeps its nesting one level down: ' + titled);
check(JSON.stringify(levels(renderStatement('### Only\n\ntext'))) === '[2]', 'a lone "###" is h2');

if (failed) process.exit(1);
console.log('STATEMENTS SAFE');
