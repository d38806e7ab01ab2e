// My coins this year, my claims with their status, and a publicity claim.
import { api, getPolicy } from '../api.js';
import { t, dateTime } from '../i18n.js';
import { announce, badge, empty, field, h, onSubmit, section, submit } from '../ui.js';

function award(a) {
  return h('li', { class: 'list-item plain' }, h('strong', {}, t('coins.count', { coins: a.coins })), ' · ',
    t(`coins.reason.${a.reason}`) , a.description ? ` · ${a.description}` : '', ' · ', h('span', { class: 'meta' }, dateTime(a.awarded_at)));
}

function claim(c) {
  const kind = { pending: '', approved: 'ok', rejected: 'bad' }[c.status];
  return h('li', { class: 'card list-item' },
    h('p', {}, badge(t(`claim.status.${c.status}`), kind), ' ', c.description),
    h('p', { class: 'meta' }, dateTime(c.filed_at),
      c.status === 'approved' ? ` · ${t('coins.count', { coins: c.coins })}` : '',
      c.rejection_reason ? ` · ${c.rejection_reason}` : ''),
    c.url ? h('p', { class: 'link-line' }, h('a', { href: c.url, rel: 'noopener', target: '_blank' }, c.url)) : null);
}

async function render(main) {
  const mine = h('div');
  const claims = h('div');
  const policy = await getPolicy().catch(() => null);
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'description', label: t('claim.description'), type: 'textarea', required: true, hint: t('claim.description.hint') }),
    field({ name: 'url', label: t('claim.url'), type: 'url', hint: t('claim.url.hint') }),
    h('div', { class: 'actions' }, submit(t('claim.submit'))));
  const loadClaims = () => section(claims, async () => {
    const page = await api('/members/me/coins/claims');
    return page.items.length ? h('ul', { class: 'list' }, page.items.map(claim)) : empty(t('claims.mine.empty'));
  });
  onSubmit(form, async (data) => {
    await api('/coins/claims', {
      method: 'POST',
      body: { activity: 'publicity', description: data.get('description'), url: data.get('url').trim() || undefined },
    });
    form.reset();
    await loadClaims();
    announce(claims, t('claim.sent'));
  });
  main.append(
    h('h1', {}, t('coins.title')),
    h('p', { class: 'lead' }, t('coins.explain')),
    mine,
    h('section', { class: 'card' }, h('h2', {}, t('claim.title')),
      h('p', {}, policy ? t('claim.intro', { min: policy.publicity_coins_min, max: policy.publicity_coins_max, suggested: policy.publicity_coins_suggested }) : ''),
      form),
    h('section', { class: 'card' }, h('h2', {}, t('claims.mine')), claims));
  await Promise.all([
    section(mine, async () => {
      const coins = await api('/members/me/coins');
      return h('section', { class: 'card stat' },
        h('h2', {}, t('coins.year', { year: coins.year })),
        h('p', { class: 'amount', 'data-testid': 'coins-total' }, String(coins.total)),
        coins.awards.length ? h('ul', { class: 'list' }, coins.awards.map(award)) : empty(t('coins.empty')));
    }),
    loadClaims(),
  ]);
}

export const routes = [
  { path: '/coins', access: 'member', title: 'coins.title', nav: { key: 'nav.coins', group: 'member', order: 50 }, render },
];
