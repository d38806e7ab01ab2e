// A member's home: what I owe and how to pay, what I will receive, my coins, the pot.
import { api, whoAmI } from '../api.js';
import { t, money } from '../i18n.js';
import { h, section } from '../ui.js';
import { item as meetingItem } from './meetings.js';

function card(title, ...body) {
  return h('section', { class: 'card stat', 'aria-label': title }, h('h2', {}, title), ...body);
}

async function overview() {
  const [me, statement, payment, coins, meetings] = await Promise.all([
    whoAmI(), api('/members/me/statement', { query: { limit: 1 } }),
    api('/members/me/payment-details'), api('/members/me/coins'),
    api('/meetings', { query: { when: 'upcoming', limit: 3 } }),
  ]);
  const pot = await api(`/pots/${coins.year}`);
  const owed = statement.owed_cents;
  const owedCard = card(t('home.owed.title'),
    h('p', { class: 'amount', 'data-testid': 'owed' }, money(Math.max(owed, 0))),
    owed > 0
      ? h('div', { class: 'how-to-pay' },
        h('p', {}, t('home.pay.intro')),
        h('dl', {},
          h('dt', {}, t('home.pay.iban')), h('dd', { class: 'mono' }, payment.iban),
          h('dt', {}, t('home.pay.holder')), h('dd', {}, payment.account_holder),
          h('dt', {}, t('home.pay.reference')), h('dd', { class: 'mono' }, payment.reference)))
      : h('p', {}, owed < 0 ? t('home.owed.ahead', { amount: money(-owed) }) : t('home.owed.none')));
  const receiveCard = card(t('home.receive.title'),
    h('p', { class: 'amount', 'data-testid': 'to-receive' }, money(statement.to_receive_cents)),
    h('p', {}, t('home.receive.text')));
  const coinsCard = card(t('home.coins.title', { year: coins.year }),
    h('p', { class: 'amount' }, String(coins.total)),
    h('p', {}, h('a', { href: '#/coins' }, t('home.coins.link'))));
  const potCard = card(t('home.pot.title', { year: pot.year }),
    h('p', { class: 'amount' }, money(pot.balance_cents)),
    h('p', {}, pot.indicative_cents_per_coin === null
      ? t('home.pot.nocoins')
      : t('home.pot.percoin', { amount: money(pot.indicative_cents_per_coin), coins: pot.total_coins })));
  return [
    h('p', { class: 'lead' }, t('home.hello', { name: me.name })),
    h('div', { class: 'grid' }, owedCard, receiveCard, coinsCard, potCard),
    h('section', { 'aria-labelledby': 'home-meetings' },
      h('h2', { id: 'home-meetings' }, t('home.meetings.title')),
      meetings.items.length
        ? h('ul', { class: 'list' }, meetings.items.map((m) => meetingItem(m, 'h3')))
        : h('p', {}, t('home.meetings.none')),
      h('p', {}, h('a', { href: '#/meetings' }, t('home.meetings.link')))),
    h('nav', { class: 'quick', 'aria-label': t('home.quick') },
      h('a', { class: 'button', href: '#/opportunities' }, t('home.quick.opportunities')),
      h('a', { class: 'button', href: '#/opportunities/new' }, t('home.quick.post')),
      h('a', { class: 'button', href: '#/assignments' }, t('home.quick.assignments')),
      h('a', { class: 'button', href: '#/statement' }, t('home.quick.statement'))),
  ];
}

async function render(main) {
  const body = h('div');
  main.append(h('h1', {}, t('home.title')), body);
  await section(body, overview);
}

export const routes = [
  { path: '/', access: 'member', title: 'home.title', nav: { key: 'nav.home', group: 'member', order: 10 }, render },
];
