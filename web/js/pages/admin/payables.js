// Treasurer: what the collective owes members (the total and how many), found by name or
// payment reference, a page at a time; and recording a payout.
import { api } from '../../api.js';
import { t, money } from '../../i18n.js';
import { button, h, section, toast } from '../../ui.js';
import { memberLink, pagedList, searchForm } from './lists.js';
import { moneyForm } from './money_form.js';

function row(p, reload) {
  const form = moneyForm({
    label: t('payables.payout.for', { name: p.name }),
    submitText: t('payables.record', { name: p.name }),
    onSave: async (body) => {
      await api(`/members/${p.member_id}/payouts`, { method: 'POST', body });
      toast(t('payables.recorded', { name: p.name }));
      await reload();
    },
  });
  form.hidden = true;
  return h('li', { class: 'card list-item' },
    h('h2', { class: 'item-title' }, memberLink(p.member_id, p.name)),
    h('p', { class: 'amount small' }, money(p.to_receive_cents)),
    h('p', { class: 'meta' }, p.email, p.status === 'cancelled' ? ` · ${t('receivables.cancelled')}` : ''),
    button(t('payables.payout', { name: p.name }), {
      'aria-expanded': 'false',
      onclick: (event) => {
        form.hidden = !form.hidden;
        event.target.setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden) form.querySelector('input').focus();
      },
    }),
    form);
}

async function render(main, _params, query) {
  const q = query.get('q') || '';
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('payables.title')), h('p', { class: 'lead' }, t('payables.intro')),
    searchForm({ hash: '#/admin/payables', value: q }), body);
  const reload = () => section(body, () => pagedList('/admin/payables', {
    query: { q },
    item: (p) => row(p, reload),
    emptyText: q ? t('search.none', { q }) : t('payables.empty'),
    head: (page) => h('p', { class: 'lead', 'data-testid': 'totals' }, q
      ? t('payables.total.found', { count: page.count, amount: money(page.total_cents), q })
      : t('payables.total', { count: page.count, amount: money(page.total_cents) })),
  }));
  await reload();
}

export const routes = [
  { path: '/admin/payables', access: 'admin', title: 'payables.title', nav: { key: 'nav.payables', group: 'admin', order: 30 }, render },
];
