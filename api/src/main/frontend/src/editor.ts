// The code editor: CodeMirror 6 with one language mode per runtime family.
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { indentUnit } from '@codemirror/language';
import { indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { java } from '@codemirror/lang-java';
import { cpp } from '@codemirror/lang-cpp';
import { javascript } from '@codemirror/lang-javascript';

function mode(language: string) {
  switch (language) {
    case 'python': return python();
    case 'java': return java();
    case 'c++': case 'c': return cpp();
    case 'javascript': return javascript();
    default: return [];
  }
}

export const TEMPLATES: Record<string, string> = {
  python: 'import sys\n\ndef main():\n    data = sys.stdin.read().split()\n    \n\nmain()\n',
  java: 'import java.util.*;\nimport java.io.*;\n\npublic class Main {\n    public static void main(String[] args) throws IOException {\n        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));\n        \n    }\n}\n',
  'c++': '#include <bits/stdc++.h>\nusing namespace std;\n\nint main() {\n    ios::sync_with_stdio(false);\n    cin.tie(nullptr);\n    \n    return 0;\n}\n',
  c: '#include <stdio.h>\n\nint main(void) {\n    \n    return 0;\n}\n',
  javascript: "const lines = require('fs').readFileSync(0, 'utf8').split('\\n');\n\n",
};

/** What the editor's own shortcuts do: Ctrl+Enter runs, Ctrl+Shift+Enter submits. */
export interface EditorKeys { run: () => void; submit: () => void; }

export class CodeEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();
  private readonly readOnly = new Compartment();
  private silent = false;

  constructor(parent: HTMLElement, doc: string, language: string, onChange: (code: string) => void, keys?: EditorKeys) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc,
        extensions: [
          basicSetup,
          // Tab indents; Escape then Tab leaves the editor (CodeMirror's own escape hatch), so
          // the page stays usable with the keyboard alone.
          keymap.of([indentWithTab]),
          // As the templates indent: 4 spaces a level in every language.
          indentUnit.of('    '),
          EditorState.tabSize.of(4),
          // Before CodeMirror's own Mod-Enter (insert a blank line).
          Prec.highest(keymap.of([
            { key: 'Mod-Enter', run: () => { keys?.run(); return !!keys; } },
            { key: 'Mod-Shift-Enter', run: () => { keys?.submit(); return !!keys; } },
          ])),
          this.language.of(mode(language)),
          this.readOnly.of([]),
          EditorView.contentAttributes.of({ 'aria-label': 'Source code (Escape, then Tab, to leave)' }),
          EditorView.updateListener.of(u => { if (u.docChanged && !this.silent) onChange(u.state.doc.toString()); }),
        ],
      }),
    });
  }

  get code(): string { return this.view.state.doc.toString(); }

  /** Replaces the code (and its language mode) without reporting it as an edit. */
  set(code: string, language: string) {
    this.silent = true;
    try {
      this.view.dispatch({
        changes: { from: 0, to: this.view.state.doc.length, insert: code },
        effects: this.language.reconfigure(mode(language)),
      });
    } finally { this.silent = false; }
  }

  /** Freezes the code (it stays readable and selectable) or thaws it. */
  setReadOnly(on: boolean) {
    this.view.dispatch({ effects: this.readOnly.reconfigure(on ? EditorState.readOnly.of(true) : []) });
  }
}
