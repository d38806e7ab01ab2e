// My statement, newest first, a page at a time.
import { api } from '../api.js';
import { has, t, dateTime, money } from '../i18n.js';
import { button, empty, errorBox, h, section } from '../ui.js';

// The ledger's English description in the person's language, from the entry's kind.
export function describe(e) {
  // A fee line the API words itself, in the reader's language: on a joint assignment another
  // member's report can move my share, and only the API knows whose report a line is.
  if (e.kind === 'fee' && e.description) return e.description;
  if (e.kind === 'dues') {  // "dues:2026-Q4:<member>": the quarter in words
    const [year, n] = e.transaction_id.split(':')[1].split('-Q');
    return t('home.owed.dues', { n, year });
  }
  const detail = {
    dues: e.transaction_id.split(':')[1],
    pot_payout: e.reference.replace(/^pot-/, ''),
  }[e.kind] || e.reference;
  const kind = e.kind === 'fee' && e.account === 'to_receive' ? 'referral' : e.kind;
  return has(`statement.kind.${kind}`) ? t(`statement.kind.${kind}`, { detail }) : e.description;
}

// On a phone each entry is a small card of labelled lines, so the amount stays in view.
function row(e) {
  return h('tr', {},
    h('td', { 'data-label': t('statement.when') }, dateTime(e.booked_at)),
    h('td', { class: 'ref', 'data-label': t('statement.what') }, describe(e)),  // references as typed
    h('td', { 'data-label': t('statement.account') }, t(`statement.account.${e.account}`)),
    h('td', { class: 'num', 'data-label': t('statement.amount') }, money(e.amount_cents)));
}

async function render(main) {
  const body = h('div');
  main.append(h('h1', {}, t('statement.title')), body);
  await section(body, statementParts);
}

// What I owe and am to receive, and the entries (older ones a page at a time); also what a
// cancelled member still sees until it is settled.
export async function statementParts() {
  const first = await api('/members/me/statement', { query: { limit: 25 } });
  const rows = h('tbody', {}, first.entries.map(row));
  const footer = h('div', { class: 'actions' });
  const more = (cursor) => button(t('statement.older'), {
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        const page = await api('/members/me/statement', { query: { limit: 25, cursor } });
        rows.append(...page.entries.map(row));
        footer.replaceChildren(...(page.next ? [more(page.next)] : []));
      } catch (error) {
        footer.replaceChildren(errorBox(error));
      }
    },
  });
  if (first.next) footer.append(more(first.next));
  return [
    h('div', { class: 'grid' },
      h('section', { class: 'card stat' }, h('h2', {}, t('home.owed.title')), h('p', { class: 'amount' }, money(first.owed_cents))),
      h('section', { class: 'card stat' }, h('h2', {}, t('home.receive.title')), h('p', { class: 'amount' }, money(first.to_receive_cents)))),
    first.entries.length
      ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('statement.entries') },
        h('table', { class: 'stack' },
          h('caption', { class: 'visually-hidden' }, t('statement.entries')),
          h('thead', {}, h('tr', {},
            [t('statement.when'), t('statement.what'), t('statement.account')].map((c) => h('th', { scope: 'col' }, c)),
            h('th', { scope: 'col', class: 'num' }, t('statement.amount')))),
          rows))
      : empty(t('statement.empty')),
    footer,
  ];
}

export const routes = [
  { path: '/statement', access: 'member', title: 'statement.title', nav: { key: 'nav.statement', group: 'member', order: 40 }, render },
];
