// Opportunities: the list (filter by discipline and status, newest first) and posting one.
import { api, whoAmI } from '../api.js';
import { isAdmin } from '../auth.js';
import { t, date } from '../i18n.js';
import { go } from '../router.js';
import { badge, button, empty, field, h, onSubmit, section, submit, tags } from '../ui.js';
import { stageText } from './opportunity.js';
import { suggest } from '../vocabulary.js';

export const STATUSES = ['open', 'in_conversation', 'awarded', 'closed'];

export function statusBadge(status) {
  return badge(t(`status.${status}`), `status-${status}`);
}

function item(o) {
  return h('li', { class: 'card list-item', dataset: { opportunity: o.id } },
    h('h2', { class: 'item-title' }, h('a', { href: `#/opportunities/${o.id}` }, o.title)),
    h('p', { class: 'meta' }, statusBadge(o.status), ' ', t('opportunities.posted', { date: date(o.created_at) }),
      o.location ? ` · ${o.location}` : ''),
    h('p', { class: 'tags' }, o.disciplines.map((d) => badge(d, 'tag'))));
}

// Where the ones I showed interest in stand (in conversation, awarded to me or another,
// closed): the referrer's steps as I see them, added to the listed items as they come.
async function markMine(items) {
  const me = await whoAmI();
  await Promise.all(items.filter((o) => o.referrer_id !== me.id).map(async (o) => {
    const mine = await api(`/opportunities/${o.id}/interest`).catch(() => null);
    const stage = mine && (mine.interested || mine.introduced) ? stageText(mine.stage) : null;
    const holder = document.querySelector(`[data-opportunity="${o.id}"]`);
    if (stage && holder) {
      holder.append(h('p', { class: 'mine' }, h('strong', {}, t('interest.mine')), ' ', stage));
    }
  }));
}

async function renderList(main, _params, query) {
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('opportunities.filters') },
    field({ name: 'discipline', label: t('opportunities.discipline'), value: query.get('discipline') || '' }),
    field({
      name: 'status', label: t('opportunities.status'), type: 'select', value: query.get('status') || '',
      options: [['', t('opportunities.status.any')], ...STATUSES.map((s) => [s, t(`status.${s}`)])],
    }),
    h('div', { class: 'actions' }, submit(t('opportunities.filter'))));
  suggest(filters, 'discipline', 'discipline', { single: true }); // any of its names finds it
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(filters);
    const wanted = new URLSearchParams();
    for (const name of ['discipline', 'status']) if (data.get(name)) wanted.set(name, data.get(name).trim());
    go(`#/opportunities${wanted.toString() ? `?${wanted}` : ''}`);
  });
  const list = h('ul', { class: 'list' });
  const results = h('div', { 'aria-live': 'polite' });
  main.append(
    h('div', { class: 'page-head' }, h('h1', {}, t('opportunities.title')),
      h('a', { class: 'button primary', href: '#/opportunities/new' }, t('opportunities.post'))),
    filters, results);
  const load = async (cursor) => {
    const page = await api('/opportunities', {
      query: { discipline: query.get('discipline'), status: query.get('status'), cursor, limit: 20 },
    });
    list.append(...page.items.map(item));
    markMine(page.items).catch(() => {});
    const more = page.next ? button(t('list.more'), {
      onclick: async () => { more.remove(); await load(page.next); },
    }) : null;
    if (!list.children.length) return [empty(t('opportunities.empty'))];
    if (more) results.append(more);
    return [list, more].filter(Boolean);
  };
  await section(results, () => load(null));
}

async function renderNew(main) {
  const admin = isAdmin();
  const form = h('form', { class: 'card form', novalidate: true },
    field({ name: 'title', label: t('post.title'), required: true }),
    field({ name: 'description', label: t('post.description'), type: 'textarea', required: true }),
    field({ name: 'disciplines', label: t('post.disciplines'), required: true, hint: t('apply.disciplines.hint') }),
    field({ name: 'sector', label: t('post.sector') }),
    field({ name: 'location', label: t('post.location') }),
    field({ name: 'client', label: t('post.client'), hint: t('post.client.hint') }),
    field({ name: 'starts_on', label: t('post.starts'), type: 'date' }),
    admin ? field({ name: 'on_behalf_of_collective', label: t('post.collective'), type: 'checkbox' }) : null,
    h('div', { class: 'actions' }, submit(t('post.submit'))));
  suggest(form, 'disciplines', 'discipline'); // the known ones, in the reader's language
  suggest(form, 'sector', 'sector', { single: true });
  onSubmit(form, async (data) => {
    const optional = (name) => (data.get(name)?.trim() ? data.get(name).trim() : undefined);
    const posted = await api('/opportunities', {
      method: 'POST',
      body: {
        title: data.get('title'),
        description: data.get('description'),
        disciplines: tags(data.get('disciplines')),
        sector: optional('sector'),
        location: optional('location'),
        client: optional('client'),
        starts_on: optional('starts_on'),
        on_behalf_of_collective: admin ? data.get('on_behalf_of_collective') === 'on' : undefined,
      },
    });
    go(`#/opportunities/${posted.id}`);
  });
  await whoAmI();
  main.append(h('h1', {}, t('post.heading')), h('p', { class: 'lead' }, t('post.intro')), form);
}

export const routes = [
  { path: '/opportunities', access: 'member', title: 'opportunities.title', nav: { key: 'nav.opportunities', group: 'member', order: 20 }, render: renderList },
  { path: '/opportunities/new', access: 'member', title: 'post.heading', render: renderNew },
];
