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
// Each href and src as the browser reads it: character references decoded (an independent
// decoder: numeric ones and the named ones that spell an address), then tabs and newlines dropped
// and leading spaces and control characters trimmed, as the URL parser does.
const NAMED = { amp: '&', colon: ':', sol: '/', bsol: '\\', Tab: '\t', NewLine: '\n', lpar: '(', rpar: ')', period: '.', lt: '<', gt: '>', quot: '"' };
const browserReads = (value) => value
  .replace(/&#[xX]([0-9a-fA-F]+);?/g, (_m, h) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
  .replace(/&#([0-9]+);?/g, (_m, d) => String.fromCodePoint(Math.min(Number(d), 0x10ffff)))
  .replace(/&([A-Za-z]+);/g, (m, n) => NAMED[n] ?? m)
  .replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
const attributes = (html, name) => [...html.matchAll(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'gi'))]
  .map(m => browserReads(m[2] ?? m[3] ?? m[4]));
const inert = (html) => !/<script|<[a-z][^>]*\son\w+\s*=/i.test(html)
  && attributes(html, 'href').every(url => !/^(javascript|data|vbscript)\s*:/i.test(url))
  && attributes(html, 'src').every(url => !/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[\\/]{2}/.test(url));

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
  // Character references, which the browser decodes in the attribute before it reads the address.
  '[hex](&#x6a;avascript:alert(1))',
  '[HEX](&#X4A;AVASCRIPT&#x3A;alert(1))',
  '[zeros](&#0000106;avascript:alert(1))',
  '[no semicolon](&#106avascript:alert(1))',
  '[colon](javascript&#58;alert(1))',
  '[named colon](javascript&colon;alert(1))',
  '[tab ref](jav&Tab;ascript:alert(1))',
  '[newline ref](jav&NewLine;ascript:alert(1))',
  '[newline](<java\nscript:alert(1)>)',
  '[mixed](jAvAsCrIpT:alert(1))',
  '[control](&#14;javascript:alert(1))',
  '[ref][y]\n\n[y]: &#106;avascript:alert(1)',
  '![x](&#106;avascript:alert(1))',
  '![x](&#100;ata:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](&#47;/evil.example/x.png)',
  '![x](&#x2F;&#x2F;evil.example/x.png)',
  '![x](&sol;&sol;evil.example/x.png)',
  '![x](/\\evil.example/x.png)',
  '![x](/&#92;evil.example/x.png)',
  '![x](/&Tab;/evil.example/x.png)',
  '![x]( //evil.example/x.png)',
  '![x](HTTPS://evil.example/x.png)',
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
const query = renderStatement('[q](https://example.org/?a=1&b=2) [e](https://example.org/?x=&#49;)');
check(query.includes('href="https://example.org/?a=1&amp;b=2"'), 'a query keeps its "&": ' + query);
check(query.includes('href="https://example.org/?x=1"'), 'a reference in a link is what the browser reads: ' + query);
const oddity = renderStatement('[u](https://example.org/&unknownname;)');
check(oddity.includes('href="https://example.org/&amp;unknownname;"'), 'an unknown reference stays literal: ' + oddity);
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
