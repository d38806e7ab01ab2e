// Hash routes (static hosting has no rewrites). Mails link to these; keep them stable.
// A page module exports `routes`: [{path, access, title, nav?, render(main, params, query)}]
//   access: public (anyone) | guest (sign-in pages) | member | admin
//   nav: {key, group: 'member' | 'admin', order} puts it in the menu
import { isAdmin, isSignedIn } from './auth.js';
import { t } from './i18n.js';
import { errorBox, h, loading } from './ui.js';

const routes = [];
const RETURN_KEY = 'coop.returnTo';

export function register(pageRoutes) {
  for (const route of pageRoutes) {
    const names = [];
    const pattern = route.path.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; });
    routes.push({ ...route, names, regex: new RegExp(`^${pattern}$`) });
  }
}

export function navEntries(group) {
  return routes.filter((r) => r.nav && r.nav.group === group).sort((a, b) => a.nav.order - b.nav.order);
}

export function currentPath() {
  const hash = location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash.split('?')[0] : '/';
}

function currentQuery() {
  return new URLSearchParams(location.hash.split('?')[1] || '');
}

function match(path) {
  for (const route of routes) {
    const found = route.regex.exec(path);
    if (found) {
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
      return { route, params };
    }
  }
  return null;
}

export function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

// Remember where the person was, so sign-in brings them back there.
export function rememberReturn(hash = location.hash) {
  if (hash && !hash.startsWith('#/signin') && !hash.startsWith('#/forgot')) {
    sessionStorage.setItem(RETURN_KEY, hash);
  }
}

export function takeReturn() {
  const hash = sessionStorage.getItem(RETURN_KEY);
  sessionStorage.removeItem(RETURN_KEY);
  return hash || '#/';
}

let afterRender = () => {};
// Asked before a signed-in page renders; answers a hash to go to instead (a cancelled member
// only has their home page), or null.
let guard = async () => null;

export function guardWith(check) {
  guard = check;
}

export function onRendered(handler) {
  afterRender = handler;
}

let renderCount = 0;

export async function render() {
  const ticket = ++renderCount;
  const main = document.getElementById('main');
  if (!location.hash.startsWith('#/')) {
    if (location.hash === '#main') return; // the skip link
    location.replace('#/');
    return;
  }
  const found = match(currentPath());
  if (!found) {
    main.replaceChildren(h('h1', { tabindex: '-1' }, t('notfound.title')),
      h('p', {}, h('a', { href: '#/' }, t('notfound.home'))));
    document.title = `${t('notfound.title')} · Co-operations`;
    afterRender(null);
    return;
  }
  const { route, params } = found;
  const signedIn = isSignedIn();
  if ((route.access === 'member' || route.access === 'admin') && !signedIn) {
    rememberReturn();
    location.replace('#/signin');
    return;
  }
  if (route.access === 'guest' && signedIn) {
    location.replace('#/');
    return;
  }
  if (route.access === 'member' || route.access === 'admin') {
    const elsewhere = await guard(route).catch(() => null);
    if (ticket !== renderCount) return;
    if (elsewhere) {
      location.replace(elsewhere);
      return;
    }
  }
  if (route.access === 'admin' && !isAdmin()) {
    main.replaceChildren(h('h1', { tabindex: '-1' }, t('forbidden.title')), h('p', {}, t('forbidden.text')));
    afterRender(route);
    return;
  }
  document.title = `${t(route.title)} · Co-operations`;
  // "Loading" until the page has rendered what it first waits for.
  const pending = loading();
  main.replaceChildren(pending);
  afterRender(route);
  try {
    await route.render(main, params, currentQuery());
  } catch (error) {
    if (error.code !== 'expired' && ticket === renderCount) main.append(errorBox(error));
  } finally {
    pending.remove();
  }
  if (ticket === renderCount) {
    main.querySelector('h1')?.setAttribute('tabindex', '-1');
    if (document.activeElement === document.body || !main.contains(document.activeElement)) {
      main.querySelector('h1')?.focus({ preventScroll: true });
    }
  }
}
