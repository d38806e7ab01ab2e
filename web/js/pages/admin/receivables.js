// Treasurer: who owes what (sorted by age or amount), and recording a payment.
import { api } from '../../api.js';
import { t, date, dateTime, money } from '../../i18n.js';
import { go } from '../../router.js';
import { button, empty, field, h, section, toast } from '../../ui.js';
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
    h('h2', { class: 'item-title' }, r.name),
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
  const sorter = field({
    name: 'sort', label: t('receivables.sort'), type: 'select', value: sort,
    options: [['age', t('receivables.sort.age')], ['amount', t('receivables.sort.amount')]],
  });
  sorter.querySelector('select').addEventListener('change', (event) => go(`#/admin/receivables?sort=${event.target.value}`));
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('receivables.title')), h('div', { class: 'filters' }, sorter), body);
  const reload = () => section(body, async () => {
    const page = await api('/admin/receivables', { query: { sort, limit: 200 } });
    return page.items.length ? h('ul', { class: 'list' }, page.items.map((r) => row(r, reload))) : empty(t('receivables.empty'));
  });
  await reload();
}

export const routes = [
  { path: '/admin/receivables', access: 'admin', title: 'receivables.title', nav: { key: 'nav.receivables', group: 'admin', order: 20 }, render },
];
