// Treasurer: one member's page (contact, status, what they owe and are to receive, recording a
// payment or payout, reporting revenue for them, their statement and history), and finding
// any member by name, e-mail or payment reference.
import { api, memberNames } from '../../api.js';
import { t, date, dateTime, money, today } from '../../i18n.js';
import { go } from '../../router.js';
import { badge, button, empty, errorBox, field, h, onSubmit, parseEuros, radios, section, submit, toast } from '../../ui.js';
import { describe } from '../statement.js';
import { memberLink, pagedList, searchForm } from './lists.js';
import { moneyForm } from './money_form.js';

function card(title, ...body) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...body);
}

function status(m) {
  return m.status === 'cancelled'
    ? t('member.status.cancelled', { date: date(m.cancelled_at), since: date(m.joined_at) })
    : t('member.status.active', { date: date(m.joined_at) });
}

function contact(m) {
  return card(t('member.contact'),
    h('dl', { class: 'details' },
      h('dt', {}, t('member.name')), h('dd', {}, m.name),
      h('dt', {}, t('member.email')), h('dd', {}, h('a', { href: `mailto:${m.email}` }, m.email)),
      h('dt', {}, t('member.status')), h('dd', { 'data-testid': 'member-status' },
        badge(m.status === 'cancelled' ? t('receivables.cancelled') : t('member.active'), m.status === 'cancelled' ? '' : 'ok'), ' ', status(m)),
      h('dt', {}, t('member.reference')), h('dd', { class: 'mono' }, m.id)));
}

// A toggle button that shows a form below it (and focuses its first field).
function toggled(text, form) {
  form.hidden = true;
  return [button(text, {
    'aria-expanded': 'false',
    onclick: (event) => {
      form.hidden = !form.hidden;
      event.target.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) form.querySelector('input').focus();
    },
  }), form];
}

function amounts(m, statement, refresh) {
  const payment = moneyForm({
    label: t('receivables.payment.for', { name: m.name }),
    submitText: t('receivables.record', { name: m.name }),
    onSave: async (body) => {
      await api(`/members/${m.id}/payments`, { method: 'POST', body });
      toast(t('receivables.recorded', { name: m.name }));
      await refresh();
    },
  });
  const payout = moneyForm({
    label: t('payables.payout.for', { name: m.name }),
    submitText: t('payables.record', { name: m.name }),
    onSave: async (body) => {
      await api(`/members/${m.id}/payouts`, { method: 'POST', body });
      toast(t('payables.recorded', { name: m.name }));
      await refresh();
    },
  });
  return h('div', { class: 'grid' },
    h('section', { class: 'card stat', 'aria-label': t('member.owes') },
      h('h2', {}, t('member.owes')),
      h('p', { class: 'amount', 'data-testid': 'member-owes' }, money(Math.max(statement.owed_cents, 0))),
      toggled(t('receivables.payment', { name: m.name }), payment)),
    h('section', { class: 'card stat', 'aria-label': t('member.receives') },
      h('h2', {}, t('member.receives')),
      h('p', { class: 'amount', 'data-testid': 'member-receives' }, money(statement.to_receive_cents)),
      statement.to_receive_cents > 0 ? toggled(t('payables.payout', { name: m.name }), payout) : null));
}

function revenueForm(m, a, refresh) {
  const form = h('form', { class: 'form', novalidate: true, 'aria-label': t('member.revenue.for', { title: a.opportunity_title }) },
    radios({
      name: 'kind', legend: t('revenue.kind'), value: 'invoice',
      options: [['invoice', t('revenue.invoice')], ['credit', t('revenue.credit')]],
    }),
    field({ name: 'amount_cents', label: t('revenue.amount'), required: true, attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
    field({ name: 'invoice_ref', label: t('revenue.ref'), required: true, hint: t('member.revenue.ref.hint', { name: m.name }) }),
    field({ name: 'invoiced_on', label: t('revenue.date'), type: 'date', value: today(), required: true }),
    h('div', { class: 'actions' }, submit(t('member.revenue.submit', { name: m.name }))));
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
    toast(t('member.revenue.booked', { name: m.name, fee: money(booked.fee_cents) }));
    await refresh();
  });
  return form;
}

function assignments(m, page, refresh) {
  const items = page.items.map((a) => h('li', { class: 'list-item plain' },
    h('h3', { class: 'item-title' }, h('a', { href: `#/assignments/${a.id}` }, a.opportunity_title)),
    h('p', { class: 'meta' }, t('assignments.since', { date: date(a.starts_on) }), ' · ',
      t('member.revenue.sofar', { revenue: money(a.cumulative_revenue_cents), fee: money(a.cumulative_fee_cents), cap: money(a.fee_cap_cents) })),
    toggled(t('member.revenue.report', { title: a.opportunity_title }), revenueForm(m, a, refresh))));
  return card(t('member.assignments'),
    h('p', {}, t('member.assignments.intro', { name: m.name })),
    items.length ? h('ul', { class: 'list' }, items) : empty(t('member.assignments.none')),
    page.next ? h('p', { class: 'meta' }, t('member.assignments.more')) : null);
}

// On a phone each entry becomes a small card of labelled lines (table.stack), amount in view.
function statementRow(e) {
  return h('tr', {},
    h('td', { 'data-label': t('statement.when') }, dateTime(e.booked_at)),
    h('td', { 'data-label': t('statement.what') }, describe(e)),
    h('td', { 'data-label': t('statement.account') }, t(`statement.account.${e.account}`)),
    h('td', { class: 'num', 'data-label': t('statement.amount') }, money(e.amount_cents)));
}

function statementCard(m, first) {
  const rows = h('tbody', {}, first.entries.map(statementRow));
  const footer = h('div', { class: 'actions' });
  const more = (cursor) => button(t('statement.older'), {
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        const page = await api(`/members/${m.id}/statement`, { query: { limit: 25, cursor } });
        rows.append(...page.entries.map(statementRow));
        footer.replaceChildren(...(page.next ? [more(page.next)] : []));
      } catch (error) {
        event.target.disabled = false;
        footer.append(errorBox(error));
      }
    },
  });
  if (first.next) footer.append(more(first.next));
  const caption = t('member.statement', { name: m.name });
  return card(t('member.statement.title'),
    first.entries.length
      ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
        h('table', { class: 'stack' },
          h('caption', { class: 'visually-hidden' }, caption),
          h('thead', {}, h('tr', {},
            [t('statement.when'), t('statement.what'), t('statement.account')].map((c) => h('th', { scope: 'col' }, c)),
            h('th', { scope: 'col', class: 'num' }, t('statement.amount')))),
          rows))
      : empty(t('statement.empty')),
    footer);
}

function historyLine(e, names) {
  const by = e.by ? names.get(e.by) : null;
  const text = t(`member.history.${e.kind}`, {
    date: dateTime(e.at), amount: e.amount_cents === null ? '' : money(e.amount_cents), reference: e.reference || '',
  });
  return h('li', { class: 'list-item plain' }, text, by ? ` ${t('member.history.by', { name: by })}` : '');
}

function history(page, names) {
  return card(t('member.history'),
    h('ul', { class: 'list' }, page.events.map((e) => historyLine(e, names))));
}

async function renderOne(main, params) {
  const heading = h('h1', {}, t('member.heading'));
  const body = h('div');
  main.append(heading, searchForm({ hash: '#/admin/members', label: t('member.find') }), body);
  const refresh = () => section(body, async () => {
    const id = encodeURIComponent(params.id);
    const [m, statement, work, events, names] = await Promise.all([
      api(`/members/${id}`), api(`/members/${id}/statement`, { query: { limit: 25 } }),
      api(`/members/${id}/assignments`, { query: { limit: 50 } }), api(`/members/${id}/history`), memberNames(),
    ]);
    heading.textContent = m.name;
    document.title = `${m.name} · Co-operations`;
    return [contact(m), amounts(m, statement, refresh), assignments(m, work, refresh), statementCard(m, statement), history(events, names)];
  });
  await refresh();
}

function found(m) {
  return h('li', { class: 'card list-item' },
    h('h2', { class: 'item-title' }, memberLink(m.id, m.name)),
    h('p', { class: 'meta' }, m.email, ' · ', status(m)),
    h('p', { class: 'meta' }, t('member.reference'), ': ', h('span', { class: 'mono' }, m.id)));
}

async function renderFind(main, _params, query) {
  const q = query.get('q') || '';
  const which = query.get('status') || 'active';
  const filter = field({
    name: 'status', label: t('member.find.status'), type: 'select', value: which,
    options: [['active', t('member.find.active')], ['cancelled', t('member.find.cancelled')]],
  });
  filter.querySelector('select').addEventListener('change', (event) => {
    const wanted = new URLSearchParams({ status: event.target.value });
    if (q) wanted.set('q', q);
    go(`#/admin/members?${wanted}`);
  });
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('member.find.title')), h('p', { class: 'lead' }, t('member.find.intro')),
    searchForm({ hash: '#/admin/members', value: q, keep: { status: which } }),
    h('div', { class: 'filters' }, filter), body);
  await section(body, () => pagedList('/admin/members', {
    query: { status: which, q }, item: found, emptyText: q ? t('search.none', { q }) : t('directory.empty'),
  }));
}

export const routes = [
  { path: '/admin/members', access: 'admin', title: 'member.find.title', nav: { key: 'nav.members', group: 'admin', order: 15 }, render: renderFind },
  { path: '/admin/members/:id', access: 'admin', title: 'member.heading', render: renderOne },
];
