// Starts the app: configuration, language, the page modules, the menu, the router.
import { loadConfig } from './config.js';
import { loadLanguage, preferredLanguage, currentLanguage, t } from './i18n.js';
import { isAdmin, isSignedIn, session, signOut } from './auth.js';
import { api, forget, whenSessionExpires, whoAmI } from './api.js';
import { currentPath, go, guardWith, navEntries, onRendered, register, rememberReturn, render } from './router.js';
import { h, button } from './ui.js';
import { pages } from './pages/index.js';
import { showLabels } from './vocabulary.js';

function navLink(route) {
  const href = `#${route.path}`;
  const active = currentPath() === route.path || (route.path !== '/' && currentPath().startsWith(`${route.path}/`));
  return h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, t(route.nav.key)));
}

function renderHeader() {
  const nav = document.getElementById('site-nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const groups = [];
  if (isSignedIn() && cancelled) {
    // a cancelled member has only their (read-only) home page: no menu
  } else if (isSignedIn()) {
    groups.push(h('ul', { class: 'nav-group' }, navEntries('member').map(navLink)));
    if (isAdmin()) {
      groups.push(h('div', { class: 'nav-admin' },
        h('p', { class: 'nav-heading', id: 'nav-admin' }, t('nav.treasurer')),
        h('ul', { class: 'nav-group', 'aria-labelledby': 'nav-admin' }, navEntries('admin').map(navLink))));
    }
  } else {
    groups.push(h('ul', { class: 'nav-group' }, navEntries('guest').map(navLink)));
  }
  nav.replaceChildren(...groups);
  document.getElementById('skip-link').textContent = t('nav.skip');
  const toggle = document.getElementById('menu-toggle');
  toggle.textContent = t('nav.menu');
  const other = currentLanguage() === 'nl' ? 'en' : 'nl';
  const tools = [
    button(t('language.switch'), {
      class: 'link-button', lang: other, onclick: () => switchLanguage(other),
    }),
  ];
  if (isSignedIn()) {
    tools.push(h('span', { class: 'who' }, session().email));
    tools.push(button(t('nav.signout'), { class: 'link-button', onclick: doSignOut }));
  }
  document.getElementById('topbar-tools').replaceChildren(...tools);
}

// One language setting: signed in, the header's switch is also the profile's language (which
// the mails follow); the profile's choice switches the app, and signing in takes it.
async function switchLanguage(lang) {
  await loadLanguage(lang);
  if (isSignedIn() && !cancelled) {
    try {
      await api('/members/me', { method: 'PATCH', body: { language: lang } });
      forget();
    } catch { /* the app still switches; the profile keeps its language */ }
  }
  renderHeader();
  await render();
}

// A cancelled member only sees their home page: what ended when, and their statement.
let cancelled = false;

async function onlyHomeWhenCancelled(route) {
  const me = await whoAmI();
  cancelled = me.status === 'cancelled';
  return cancelled && route.path !== '/' ? '#/' : null;
}

function doSignOut() {
  cancelled = false;
  signOut();
  forget();
  go('#/signin');
}

function setUpMenu() {
  const toggle = document.getElementById('menu-toggle');
  const nav = document.getElementById('site-nav');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  });
  nav.addEventListener('click', (event) => {
    if (event.target.closest('a')) {
      toggle.setAttribute('aria-expanded', 'false');
      nav.classList.remove('open');
    }
  });
}

async function start() {
  try {
    await loadConfig();
    await loadLanguage(preferredLanguage());
  } catch (error) {
    document.getElementById('main').replaceChildren(
      h('div', { class: 'state state-error', role: 'alert' }, `Co-operations cannot start: ${error.message}`));
    return;
  }
  pages.forEach((page) => register(page.routes));
  guardWith(onlyHomeWhenCancelled);
  setUpMenu();
  whenSessionExpires(() => {
    forget();
    rememberReturn();
    sessionStorage.setItem('coop.notice', 'expired');
    go('#/signin');
  });
  onRendered(() => renderHeader());
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
  showLabels(document.getElementById('main')); // disciplines by their names, not their ids
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

start();
