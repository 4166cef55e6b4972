// Statements: Markdown (marked) with TeX math ($...$, $$...$$) rendered by KaTeX. The package's
// HTML is not trusted: raw HTML in the Markdown is escaped. A picture of the package is
// "statement/<name>": it is read from the endpoint the problem came from (filesBase).
import { Marked } from 'marked';
import katex from 'katex';
import 'katex/dist/katex.min.css';

const escape = (s: string) => s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

// A statement's author is not trusted with the reader's page: a link may go to the web or a
// mail address, a picture only to this server (the package's own pictures). Anything else
// (javascript:, data:, vbscript:, //elsewhere, ...) is shown as its text.
//
// The check reads the address as the browser will: character references decoded first
// ("&#106;avascript:", "&#x6A;", "javascript&colon;"), then the tabs and newlines the URL parser
// drops anywhere ("java\tscript:") and the spaces and control characters it trims in front.
// What is written out is that decoded address, escaped again, so the browser's own decoding gives
// back exactly what was checked: a reference this decoder does not know stays literal text.
// Percent-encoding is not decoded: browsers do not decode it in a scheme ("javascript%3A" is a
// relative address) nor in the "//" that starts a host.
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', sol: '/', bsol: '\\', Tab: '\t', NewLine: '\n',
  excl: '!', num: '#', dollar: '$', percnt: '%', lpar: '(', rpar: ')', ast: '*', midast: '*', plus: '+',
  comma: ',', period: '.', semi: ';', equals: '=', quest: '?', commat: '@', lsqb: '[', lbrack: '[',
  rsqb: ']', rbrack: ']', Hat: '^', lowbar: '_', UnderBar: '_', grave: '`', DiacriticalGrave: '`',
  lcub: '{', lbrace: '{', rcub: '}', rbrace: '}', verbar: '|', vert: '|', VerticalLine: '|', nbsp: '\u00a0',
  AMP: '&', LT: '<', GT: '>', QUOT: '"',
};
// Named references a browser decodes even without their ";" (the legacy ones that are ASCII or matter here).
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'AMP', 'LT', 'GT', 'QUOT']);
const WINDOWS_1252: Record<number, number> = { 0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x192, 0x84: 0x201e, 0x85: 0x2026,
  0x86: 0x2020, 0x87: 0x2021, 0x88: 0x2c6, 0x89: 0x2030, 0x8a: 0x160, 0x8b: 0x2039, 0x8c: 0x152, 0x8e: 0x17d,
  0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x2dc,
  0x99: 0x2122, 0x9a: 0x161, 0x9b: 0x203a, 0x9c: 0x153, 0x9e: 0x17e, 0x9f: 0x178 };
const codePoint = (n: number) => {
  if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(WINDOWS_1252[n] ?? n);
};
// Character references in an attribute value, as the HTML tokenizer decodes them.
export const decodeReferences = (value: string) => value.replace(
  /&(?:#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g,
  (whole, hex, dec, name, semi, offset, all) => {
    if (hex !== undefined) { const h = hex.replace(/^0+/, ''); return codePoint(h.length > 6 ? 0x110000 : parseInt(h || '0', 16)); }
    if (dec !== undefined) { const d = dec.replace(/^0+/, ''); return codePoint(d.length > 7 ? 0x110000 : Number(d || '0')); }
    const after = all[offset + whole.length];
    if (semi && NAMED[name] !== undefined) return NAMED[name];
    // Without ";", only a legacy name, and in an attribute not when "=" or a letter/digit follows.
    if (!semi && LEGACY.has(name) && !(after !== undefined && /[=A-Za-z0-9]/.test(after))) return NAMED[name];
    return whole;
  });
const address = (href: string) => decodeReferences(href).replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
const scheme = (url: string) => /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
export const safeLink = (href: string) => { const s = scheme(address(href)); return s === undefined || s === 'http' || s === 'https' || s === 'mailto'; };
export const safePicture = (href: string) => { const url = address(href); return scheme(url) === undefined && !/^[\\/]{2}/.test(url); };
const title = (token: any) => token.title ? ` title="${escape(decodeReferences(token.title))}"` : '';

const renderer = {
  html: ({ text }: { text: string }) => escape(text),
  link(this: any, token: any) {
    const text = this.parser.parseInline(token.tokens);
    return safeLink(token.href) ? `<a href="${escape(address(token.href))}"${title(token)}>${text}</a>` : text;
  },
  image(token: any) {
    return safePicture(token.href) ? `<img src="${escape(address(token.href))}" alt="${escape(token.text)}"${title(token)}>` : escape(token.text);
  },
};

const marked = new Marked({ gfm: true, renderer });

/**
 * The headings of rendered HTML renumbered from h2: each goes at most one level below the one
 * before it (a statement's "##" after "#", or "####" after "##", skip no level), the order and
 * nesting kept.
 */
export function headingsBelowH1(html: string): string {
  const stack: [number, number][] = [];  // [level in the statement, level on the page]
  const open: number[] = [];
  return html.replace(/<(\/?)h([1-6])\b/g, (_m, slash, n) => {
    const level = Number(n);
    if (slash) return `</h${open.pop() ?? 2}`;
    while (stack.length && stack[stack.length - 1][0] >= level) stack.pop();
    const page = Math.min(6, stack.length ? stack[stack.length - 1][1] + 1 : 2);
    stack.push([level, page]);
    open.push(page);
    return `<h${page}`;
  });
}

export function renderStatement(markdown: string, filesBase?: string): string {
  const math: string[] = [];
  // Math first, outside code: placeholders survive Markdown untouched.
  const parts = markdown.split(/(```[\s\S]*?```|`[^`\n]*`)/g);
  const withPlaceholders = parts.map((part, i) => i % 2 === 1 ? part : part.replace(
    /\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g, (_m, block, inline) => {
      math.push(katex.renderToString(block ?? inline, { displayMode: block !== undefined, throwOnError: false }));
      return `@@MATH${math.length - 1}@@`;
    })).join('');
  const html = (filesBase ? new Marked({
    gfm: true,
    renderer,
    walkTokens: token => {
      if (token.type === 'image' && /^statement\/[A-Za-z0-9][A-Za-z0-9._-]*$/.test(token.href)) {
        token.href = filesBase + token.href;
      }
    },
  }) : marked).parse(withPlaceholders, { async: false }) as string;
  // The page's one h1 is the problem's name: the statement's headings go below it, its highest
  // becoming h2 (a statement whose sections are "## Input" or a LaTeX \section would otherwise
  // follow the h1 with an h3), and none skipping a level after the one before it.
  return headingsBelowH1(html)
    .replace(/@@MATH(\d+)@@/g, (_m, n) => math[Number(n)]);
}
