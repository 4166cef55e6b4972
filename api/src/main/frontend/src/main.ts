// The contest UI: a single page with hash routes, one module per view.
//   #/                         contests, entry                                  home.ts
//   #/c/<contest>[/p/<problem>] problem: statement, editor, run, submit         contest.ts
//                              my submissions                                   submissions.ts
//   #/c/<contest>/scoreboard   scoreboard, refreshed live                       scoreboard.ts
//   #/admin                    admin: key, contests, problems, queue            admin.ts
import './styles.css';
import { banner, load, newScreen, setRouter } from './ui';
import { home } from './home';
import { contestPage } from './contest';
import { scoreboard } from './scoreboard';
import { admin } from './admin';

function route(): Promise<void> {
  newScreen();
  banner(null);
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'c' && parts[1]) {
    if (parts[2] === 'scoreboard') return load(() => scoreboard(parts[1]));
    return load(() => contestPage(parts[1], parts[2] === 'p' ? parts[3] : undefined));
  }
  if (parts[0] === 'admin') return load(() => admin());
  return load(home);
}

setRouter(route);
window.addEventListener('hashchange', route);
route();
