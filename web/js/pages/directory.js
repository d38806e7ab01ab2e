// The directory of active members: filter by discipline and availability.
import { api } from '../api.js';
import { isAdmin } from '../auth.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { badge, button, empty, field, h, section, submit } from '../ui.js';
import { suggest } from '../vocabulary.js';

function entry(m) {
  return h('li', { class: 'card list-item' },
    // admins open the member's page (statement, history) from the directory
    h('h2', { class: 'item-title' }, isAdmin() ? h('a', { href: `#/admin/members/${m.id}` }, m.name) : m.name),
    m.headline ? h('p', {}, m.headline) : null,
    h('p', { class: 'tags' }, m.disciplines.map((d) => badge(d, 'tag'))),
    h('p', { class: 'meta' }, badge(m.available ? t('directory.available') : t('directory.unavailable'), m.available ? 'ok' : ''),
      m.sectors.length ? ` · ${m.sectors.join(', ')}` : ''),
    m.last_meeting_pitch ? h('p', { class: 'pitch' }, h('strong', {}, t('directory.pitched')), ' ', m.last_meeting_pitch) : null,
    h('p', {}, h('a', { href: `mailto:${m.email}` }, m.email)));
}

async function render(main, _params, query) {
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('directory.filters') },
    field({ name: 'discipline', label: t('directory.discipline'), value: query.get('discipline') || '' }),
    field({
      name: 'available', label: t('directory.availability'), type: 'select', value: query.get('available') || '',
      options: [['', t('directory.any')], ['true', t('directory.available')], ['false', t('directory.unavailable')]],
    }),
    h('div', { class: 'actions' }, submit(t('directory.filter'))));
  suggest(filters, 'discipline', 'discipline', { single: true }); // any of its names finds it
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filters);
    const wanted = new URLSearchParams();
    for (const name of ['discipline', 'available']) if (data.get(name)) wanted.set(name, data.get(name).trim());
    go(`#/directory${wanted.toString() ? `?${wanted}` : ''}`);
  });
  const results = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('directory.title')), filters, results);
  const list = h('ul', { class: 'list' });
  const load = async (cursor) => {
    const page = await api('/members', {
      query: { discipline: query.get('discipline'), available: query.get('available'), limit: 50, cursor },
    });
    list.append(...page.items.map(entry));
    if (!list.children.length) return [empty(t('directory.empty'))];
    const more = page.next ? button(t('list.more'), { onclick: async () => { more.remove(); results.append(...await load(page.next)); } }) : null;
    return [list, more].filter(Boolean);
  };
  await section(results, () => load(null));
}

export const routes = [
  { path: '/directory', access: 'member', title: 'directory.title', nav: { key: 'nav.directory', group: 'member', order: 60 }, render },
];
