// A member's home: what I owe and how to pay, what I will receive, my coins, the pot.
import { all, api, forget, whoAmI } from '../api.js';
import { signOut } from '../auth.js';
import { t, date, money } from '../i18n.js';
import { go } from '../router.js';
import { button, h, section } from '../ui.js';
import { statementParts } from './statement.js';
import { item as meetingItem } from './meetings.js';

function card(title, ...body) {
  return h('section', { class: 'card stat', 'aria-label': title }, h('h2', {}, title), ...body);
}

// What is owed, by what for: payments settle the oldest charges first, so what is still open
// is the newest charges up to the amount owed. Read from the statement's entries (their kind
// and transaction id), newest first, a page at a time until the open amount is covered.
async function owedBreakdown(owed) {
  if (owed <= 0) return null;
  const charges = [];
  let seen = 0;
  let cursor = null;
  do {
    const page = await api('/members/me/statement', { query: { limit: 100, cursor } });
    for (const e of page.entries) {
      if (e.account === 'owed' && e.amount_cents > 0) { charges.push(e); seen += e.amount_cents; }
    }
    cursor = page.next;
  } while (cursor && seen < owed);
  const open = new Map(); // group -> {label parts, cents}; newest first
  let left = owed;
  for (const e of charges) {
    if (left <= 0) break;
    const part = Math.min(left, e.amount_cents);
    left -= part;
    const [, detail] = e.transaction_id.split(':');
    const key = { registration_fee: 'registration', dues: `dues:${detail}`, fee: `fee:${detail}` }[e.kind] || 'other';
    const group = open.get(key) || { kind: e.kind, detail, cents: 0 };
    group.cents += part;
    open.set(key, group);
  }
  let titles = new Map();
  if ([...open.values()].some((g) => g.kind === 'fee')) {
    const mine = await Promise.all(['executing', 'referrer'].map((role) => all('/members/me/assignments', { role })));
    titles = new Map(mine.flat().map((a) => [a.id, a.opportunity_title]));
  }
  const label = (g) => {
    if (g.kind === 'registration_fee') return t('home.owed.registration');
    if (g.kind === 'dues' && /^\d{4}-Q[1-4]$/.test(g.detail)) return t('home.owed.dues', { n: g.detail.slice(6), year: g.detail.slice(0, 4) });
    if (g.kind === 'fee') return titles.has(g.detail) ? t('home.owed.fee', { title: titles.get(g.detail) }) : t('home.owed.fee.unnamed');
    return t('home.owed.other');
  };
  // as a bill reads: registration, dues by quarter, then fees
  const rank = { registration_fee: 0, dues: 1, fee: 2 };
  const rows = [...open.values()].reverse()
    .sort((a, b) => (rank[a.kind] ?? 3) - (rank[b.kind] ?? 3) || (a.kind === 'dues' ? a.detail.localeCompare(b.detail) : 0));
  return h('table', { class: 'breakdown', 'data-testid': 'owed-breakdown' },
    h('caption', {}, t('home.owed.breakdown')),
    h('tbody', {}, rows.map((g) => h('tr', {},
      h('th', { scope: 'row' }, label(g)), h('td', { class: 'num' }, money(g.cents))))));
}

// The EPC QR code (drawn by the API as SVG): a banking app scans it and fills in the transfer.
function payQr(payment) {
  if (!payment.epc_qr_svg) return null;
  const alt = t('bank.qr.alt', { amount: money(payment.amount_cents), reference: payment.reference });
  return h('figure', { class: 'epc-qr', style: 'margin: .75rem 0 0' },
    h('img', {
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(payment.epc_qr_svg)}`,
      alt, width: 180, height: 180, 'data-testid': 'epc-qr', style: 'background: #fff; max-width: 100%; height: auto',
    }),
    h('figcaption', { class: 'hint' }, t('bank.qr.caption')));
}

async function overview() {
  const [me, statement, payment, coins, meetings] = await Promise.all([
    whoAmI(), api('/members/me/statement', { query: { limit: 1 } }),
    api('/members/me/payment-details'), api('/members/me/coins'),
    api('/meetings', { query: { when: 'upcoming', limit: 3 } }),
  ]);
  const [pot, breakdown] = await Promise.all([api(`/pots/${coins.year}`), owedBreakdown(statement.owed_cents)]);
  const owed = statement.owed_cents;
  const owedCard = card(t('home.owed.title'),
    h('p', { class: 'amount', 'data-testid': 'owed' }, money(Math.max(owed, 0))),
    breakdown,
    owed > 0
      ? h('div', { class: 'how-to-pay' },
        h('p', {}, t('home.pay.intro')),
        h('dl', {},
          h('dt', {}, t('home.pay.iban')), h('dd', { class: 'mono' }, payment.iban),
          h('dt', {}, t('home.pay.holder')), h('dd', {}, payment.account_holder),
          h('dt', {}, t('home.pay.reference')), h('dd', { class: 'mono', 'data-testid': 'payment-reference' }, payment.reference)),
        h('p', { class: 'hint' }, t('bank.reference.hint')),
        payQr(payment))
      : h('p', {}, owed < 0 ? t('home.owed.ahead', { amount: money(-owed) }) : t('home.owed.none')));
  const receiveCard = card(t('home.receive.title'),
    h('p', { class: 'amount', 'data-testid': 'to-receive' }, money(statement.to_receive_cents)),
    h('p', {}, t('home.receive.text')));
  const coinsCard = card(t('home.coins.title', { year: coins.year }),
    h('p', { class: 'amount' }, String(coins.total)),
    h('p', { class: 'explain-line' }, t('coins.explain')),
    h('p', {}, h('a', { href: '#/coins' }, t('home.coins.link'))));
  const potCard = card(t('home.pot.title', { year: pot.year }),
    h('p', { class: 'amount' }, money(pot.balance_cents)),
    h('p', {}, pot.indicative_cents_per_coin === null
      ? t('home.pot.nocoins')
      : t('home.pot.percoin', { amount: money(pot.indicative_cents_per_coin), coins: pot.total_coins })),
    h('p', { class: 'explain-line' }, t('home.pot.explain')));
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

// A cancelled member sees only this, read-only, until it is settled: when the membership
// ended, what is still owed or to receive, the statement, and signing out.
async function ended(main, me) {
  const heading = main.querySelector('h1');
  heading.textContent = t('ended.title');
  document.title = `${t('ended.title')} · Co-operations`;
  const parts = await statementParts();
  const statement = await api('/members/me/statement', { query: { limit: 1 } });
  const owed = statement.owed_cents;
  const receive = statement.to_receive_cents;
  const standing = [];
  if (owed > 0) {
    const pay = await api('/members/me/payment-details');
    standing.push(t('ended.owed', {
      amount: money(owed), iban: pay.iban, holder: pay.account_holder, reference: pay.reference,
    }));
  }
  if (receive > 0) standing.push(t('ended.receive', { amount: money(receive) }));
  if (!standing.length) standing.push(t('ended.settled'));
  return [
    h('section', { class: 'card', 'aria-labelledby': 'ended-what' },
      h('h2', { id: 'ended-what' }, t('ended.what')),
      h('p', {}, t('ended.since', { date: date(me.cancelled_at) })),
      standing.map((text) => h('p', {}, text)),
      h('p', {}, t('ended.readonly')),
      h('div', { class: 'actions' }, button(t('nav.signout'), { class: 'primary', onclick: signOutNow }))),
    h('h2', {}, t('statement.title')),
    ...parts,
  ];
}

function signOutNow() {
  signOut();
  forget();
  go('#/signin');
}

async function render(main) {
  const body = h('div');
  main.append(h('h1', {}, t('home.title')), body);
  const me = await whoAmI();
  await section(body, () => (me.status === 'cancelled' ? ended(main, me) : overview()));
}

export const routes = [
  { path: '/', access: 'member', title: 'home.title', nav: { key: 'nav.home', group: 'member', order: 10 }, render },
];
