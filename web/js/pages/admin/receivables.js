// Treasurer: who owes what (sorted by age or amount, with the total and how many), found by
// name or payment reference, a page at a time; and recording a payment.
import { api } from '../../api.js';
import { t, date, dateTime, money } from '../../i18n.js';
import { go } from '../../router.js';
import { button, field, h, section, toast } from '../../ui.js';
import { memberLink, pagedList, searchForm } from './lists.js';
import { moneyForm } from './money_form.js';

function row(r, reload) {
  const form = moneyForm({
    label: t('receivables.payment.for', { name: r.name }),
    submitText: t('receivables.record', { name: r.name }),
    onSave: async (body) => {
      await api(`/members/${r.member_id}/payments`, { method: 'POST', body });
      toast(t('receivables.recorded', { name: r.name }));
      await reload();
    },
  });
  form.hidden = true;
  return h('li', { class: 'card list-item' },
    h('h2', { class: 'item-title' }, memberLink(r.member_id, r.name)),
    h('p', { class: 'amount small' }, money(r.owed_cents)),
    h('p', { class: 'meta' }, r.email,
      r.oldest_unpaid_on ? ` · ${t('receivables.since', { date: date(r.oldest_unpaid_on), days: r.oldest_unpaid_age_days })}` : '',
      r.last_reminder_at ? ` · ${t('receivables.reminded', { date: dateTime(r.last_reminder_at) })}` : '',
      r.status === 'cancelled' ? ` · ${t('receivables.cancelled')}` : ''),
    button(t('receivables.payment', { name: r.name }), {
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
  const sort = query.get('sort') || 'age';
  const q = query.get('q') || '';
  const sorter = field({
    name: 'sort', label: t('receivables.sort'), type: 'select', value: sort,
    options: [['age', t('receivables.sort.age')], ['amount', t('receivables.sort.amount')]],
  });
  sorter.querySelector('select').addEventListener('change', (event) => {
    const wanted = new URLSearchParams({ sort: event.target.value });
    if (q) wanted.set('q', q);
    go(`#/admin/receivables?${wanted}`);
  });
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('receivables.title')),
    searchForm({ hash: '#/admin/receivables', value: q, keep: { sort } }),
    h('div', { class: 'filters' }, sorter), body);
  const reload = () => section(body, () => pagedList('/admin/receivables', {
    query: { sort, q },
    item: (r) => row(r, reload),
    emptyText: q ? t('search.none', { q }) : t('receivables.empty'),
    head: (page) => h('p', { class: 'lead', 'data-testid': 'totals' }, q
      ? t('receivables.total.found', { count: page.count, amount: money(page.total_cents), q })
      : t('receivables.total', { count: page.count, amount: money(page.total_cents) })),
  }));
  await reload();
}

export const routes = [
  { path: '/admin/receivables', access: 'admin', title: 'receivables.title', nav: { key: 'nav.receivables', group: 'admin', order: 20 }, render },
];
