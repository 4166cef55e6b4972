// Statements: Markdown (marked) with TeX math ($...$, $$...$$) rendered by KaTeX. The package's
// HTML is not trusted: raw HTML in the Markdown is escaped. A picture of the package is
// "statement/<name>": it is read from the endpoint the problem came from (filesBase).
import { Marked } from 'marked';
import katex from 'katex';
import 'katex/dist/katex.min.css';

const escape = (s: string) => s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

// A statement's author is not trusted with the reader's page: a link may go to the web or a
// mail address, a picture only to this server (the package's own pictures). Anything else
// (javascript:, data:, vbscript:, ...) is shown as its text. Browsers ignore spaces and control
// characters inside a scheme ("java\tscript:"), so they are dropped before it is read.
const scheme = (href: string) => /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[\u0000-\u0020]/g, ''))?.[1].toLowerCase();
export const safeLink = (href: string) => { const s = scheme(href); return s === undefined || s === 'http' || s === 'https' || s === 'mailto'; };
export const safePicture = (href: string) => scheme(href) === undefined && !/^[\s\\/]*[\\/]{2}/.test(href);

const renderer = {
  html: ({ text }: { text: string }) => escape(text),
  // false: marked renders it as usual.
  link(this: any, token: any) { return safeLink(token.href) ? false : this.parser.parseInline(token.tokens); },
  image(token: any) { return safePicture(token.href) ? false : escape(token.text); },
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
