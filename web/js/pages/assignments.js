// My assignments (as executing member and as referrer) and one assignment: its cumulative
// fee against the cap as a bar, its reports, and reporting revenue or a credit note.
import { api, whoAmI } from '../api.js';
import { isAdmin } from '../auth.js';
import { t, date, dateTime, money, today } from '../i18n.js';
import { announce, empty, field, h, moneyBar, onSubmit, parseEuros, radios, section, submit } from '../ui.js';

function summary(a) {
  return h('li', { class: 'card list-item' },
    h('h3', { class: 'item-title' }, h('a', { href: `#/assignments/${a.id}` }, a.opportunity_title)),
    h('p', { class: 'meta' }, t(`tier.${a.contribution}`), ' · ', t('assignments.since', { date: date(a.starts_on) })),
    a.role === 'referrer'
      ? h('p', {}, t('assignments.my_share'), ': ', h('strong', {}, money(a.cumulative_referrer_share_cents)))
      : moneyBar(a.cumulative_fee_cents, a.fee_cap_cents, t('assignment.fee')));
}

async function renderList(main) {
  const executing = h('div');
  const referred = h('div');
  main.append(h('h1', {}, t('assignments.title')),
    h('section', { 'aria-labelledby': 'as-executing' }, h('h2', { id: 'as-executing' }, t('assignments.executing')), executing),
    h('section', { 'aria-labelledby': 'as-referrer' }, h('h2', { id: 'as-referrer' }, t('assignments.referred')), referred));
  const load = (role, target) => section(target, async () => {
    const page = await api('/members/me/assignments', { query: { role, limit: 200 } });
    return page.items.length ? h('ul', { class: 'list' }, page.items.map(summary)) : empty(t(`assignments.empty.${role}`));
  });
  await Promise.all([load('executing', executing), load('referrer', referred)]);
}

function revenueForm(a, refresh) {
  const form = h('form', { class: 'form', novalidate: true },
    radios({
      name: 'kind', legend: t('revenue.kind'), value: 'invoice',
      options: [['invoice', t('revenue.invoice')], ['credit', t('revenue.credit')]],
    }),
    field({ name: 'amount_cents', label: t('revenue.amount'), required: true, hint: t('revenue.amount.hint'), attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
    field({ name: 'invoice_ref', label: t('revenue.ref'), required: true, hint: t('revenue.ref.hint') }),
    field({ name: 'invoiced_on', label: t('revenue.date'), type: 'date', value: today(), required: true }),
    h('div', { class: 'actions' }, submit(t('revenue.submit'))));
  onSubmit(form, async (data) => {
    const cents = parseEuros(data.get('amount_cents'));
    if (cents === null || cents <= 0) {
      throw { message: t('revenue.amount.bad'), fields: [{ field: 'amount_cents', message: t('revenue.amount.bad') }] };
    }
    const booked = await api(`/assignments/${a.id}/revenue`, {
      method: 'POST',
      body: {
        amount_cents: data.get('kind') === 'credit' ? -cents : cents,
        invoice_ref: data.get('invoice_ref').trim(),
        invoiced_on: data.get('invoiced_on'),
      },
    });
    await refresh(t('revenue.booked', { fee: money(booked.fee_cents) }));
  });
  return h('section', { class: 'card' }, h('h2', {}, t('revenue.title')), h('p', {}, t('revenue.intro')), form);
}

// On a phone each report is a small card of labelled lines, so the amounts stay in view.
function reports(a) {
  if (!a.reports.length) return empty(t('assignment.reports.empty'));
  const columns = [t('revenue.ref'), t('revenue.date'), t('revenue.amount'), t('assignment.fee_booked')];
  const cell = (i, value) => h('td', { class: i > 1 ? 'num' : null, 'data-label': columns[i] }, value);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('assignment.reports') },
    h('table', { class: 'stack' },
      h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, c)))),
      h('tbody', {}, a.reports.map((r) => h('tr', {},
        cell(0, h('span', { class: 'ref' }, r.invoice_ref)), cell(1, date(r.invoiced_on)),
        cell(2, money(r.amount_cents)), cell(3, money(r.fee_cents)))))));
}

async function renderOne(main, params) {
  const heading = h('h1', {}, t('assignment.heading'));
  const body = h('div');
  main.append(heading, body);
  // after an action: the page again, its result on top with the focus (not on <body>)
  const refresh = async (result) => {
    await load();
    if (result) announce(body, result);
  };
  const load = () => section(body, async () => {
    const [a, me] = await Promise.all([api(`/assignments/${params.id}`), whoAmI()]);
    const o = await api(`/opportunities/${a.opportunity_id}`);
    heading.textContent = o.title;
    // its member reports; an admin may report on the member's behalf (also after they left)
    const mine = a.member_id === me.id || isAdmin();
    return [
      h('section', { class: 'card' },
        h('dl', { class: 'details' },
          h('dt', {}, t('assignment.opportunity')), h('dd', {}, h('a', { href: `#/opportunities/${o.id}` }, o.title)),
          h('dt', {}, t('assignment.tier')), h('dd', {}, t(`tier.${a.contribution}`)),
          h('dt', {}, t('assignment.starts')), h('dd', {}, date(a.starts_on)),
          h('dt', {}, t('assignment.created')), h('dd', {}, dateTime(a.created_at)),
          h('dt', {}, t('assignment.revenue')), h('dd', { 'data-testid': 'revenue' }, money(a.cumulative_revenue_cents)),
          a.referrer_id ? [h('dt', {}, t('assignment.referrer_share')), h('dd', {}, money(a.cumulative_referrer_share_cents))] : null),
        moneyBar(a.cumulative_fee_cents, a.fee_cap_cents, t('assignment.fee')),
        a.remaining_to_cap_cents === 0 ? h('p', { class: 'notice' }, t('assignment.capped')) : null),
      mine ? revenueForm(a, refresh) : null,
      h('section', { class: 'card' }, h('h2', {}, t('assignment.reports')), reports(a)),
    ].filter(Boolean);
  });
  await refresh();
}

export const routes = [
  { path: '/assignments', access: 'member', title: 'assignments.title', nav: { key: 'nav.assignments', group: 'member', order: 30 }, render: renderList },
  { path: '/assignments/:id', access: 'member', title: 'assignment.heading', render: renderOne },
];
