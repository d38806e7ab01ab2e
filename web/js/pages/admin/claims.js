// Treasurer: coin claims to approve with an amount, or reject.
import { api, getPolicy, memberNames } from '../../api.js';
import { t, dateTime } from '../../i18n.js';
import { field, h, onSubmit, section, submit, toast } from '../../ui.js';
import { memberLink, pagedList } from './lists.js';

function claim(c, names, policy, reload) {
  const who = names.get(c.member_id) || c.member_id;
  const approve = h('form', { class: 'form inline', novalidate: true },
    field({
      name: 'coins', label: t('claims.coins', { name: who }), type: 'number', value: policy.publicity_coins_suggested,
      required: true, attrs: { min: policy.publicity_coins_min, max: policy.publicity_coins_max, inputmode: 'numeric' },
    }),
    submit(t('claims.approve', { name: who })));
  onSubmit(approve, async (data) => {
    const coins = Number(data.get('coins'));
    await api(`/coins/claims/${c.id}/approve`, { method: 'POST', body: { coins: Number.isInteger(coins) ? coins : data.get('coins') } });
    toast(t('claims.approved', { name: who, coins }));
    await reload();
  });
  const reject = h('form', { class: 'form inline', novalidate: true },
    field({ name: 'reason', label: t('claims.reason', { name: who }), required: true }),
    submit(t('claims.reject', { name: who }), { class: 'danger' }));
  onSubmit(reject, async (data) => {
    await api(`/coins/claims/${c.id}/reject`, { method: 'POST', body: { reason: data.get('reason') } });
    toast(t('claims.rejected', { name: who }));
    await reload();
  });
  return h('li', { class: 'card list-item' },
    h('h2', { class: 'item-title' }, memberLink(c.member_id, who)),
    h('p', {}, c.description),
    c.url ? h('p', {}, h('a', { href: c.url, rel: 'noopener', target: '_blank' }, c.url)) : null,
    h('p', { class: 'meta' }, dateTime(c.filed_at)),
    approve, reject);
}

async function render(main) {
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('claims.title')), body);
  const reload = () => section(body, async () => {
    const [names, policy] = await Promise.all([memberNames(), getPolicy()]);
    return pagedList('/coins/claims', {
      query: { status: 'pending' }, item: (c) => claim(c, names, policy, reload), emptyText: t('claims.empty'),
    });
  });
  await reload();
}

export const routes = [
  { path: '/admin/claims', access: 'admin', title: 'claims.title', nav: { key: 'nav.claims', group: 'admin', order: 40 }, render },
];
