// A year's pot and, once distributed, its payouts as a chart (with the same figures as a table).
import { api, memberNames } from '../../api.js';
import { t, money, thisYear } from '../../i18n.js';
import { go } from '../../router.js';
import { field, h, section, submit } from '../../ui.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

// Horizontal bars, one per member, longest first.
function chart(payouts, names, title) {
  const rows = [...payouts].sort((a, b) => b.amount_cents - a.amount_cents);
  const max = Math.max(1, ...rows.map((p) => p.amount_cents));
  const rowHeight = 34;
  const width = 640;
  const labelWidth = 190;
  const bars = rows.map((p, i) => {
    const y = i * rowHeight;
    const length = Math.max(2, Math.round(((width - labelWidth - 110) * p.amount_cents) / max));
    return svg('g', {},
      svg('text', { x: 0, y: y + 21, class: 'chart-label' }, names.get(p.member_id) || p.member_id),
      svg('rect', { x: labelWidth, y: y + 6, width: length, height: 20, rx: 3, class: 'chart-bar' }),
      svg('text', { x: labelWidth + length + 8, y: y + 21, class: 'chart-value' }, money(p.amount_cents)));
  });
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${Math.max(rowHeight, rows.length * rowHeight)}`, role: 'img', 'aria-label': title }, ...bars),
    h('figcaption', {}, title));
}

function table(payouts, names) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('pots.payouts') },
    h('table', {},
      h('thead', {}, h('tr', {}, [t('pots.member'), t('pots.coins'), t('pots.amount')].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : null }, c)))),
      h('tbody', {}, payouts.map((p) => h('tr', {},
        h('td', {}, names.get(p.member_id) || p.member_id), h('td', { class: 'num' }, String(p.coins)), h('td', { class: 'num' }, money(p.amount_cents)))))));
}

async function render(main, _params, query) {
  const year = Number(query.get('year')) || thisYear();
  const form = h('form', { class: 'filters', novalidate: true },
    field({ name: 'year', label: t('pots.year'), type: 'number', value: year, required: true, attrs: { inputmode: 'numeric' } }),
    h('div', { class: 'actions' }, submit(t('pots.show'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go(`#/admin/pots?year=${encodeURIComponent(new FormData(form).get('year'))}`);
  });
  const body = h('div');
  main.append(h('h1', {}, t('pots.title')), form, body);
  await section(body, async () => {
    const pot = await api(`/pots/${year}`);
    const parts = [h('section', { class: 'card' },
      h('h2', {}, t('pots.heading', { year: pot.year })),
      h('dl', { class: 'details' },
        h('dt', {}, t('pots.balance')), h('dd', {}, money(pot.balance_cents)),
        h('dt', {}, t('pots.total_coins')), h('dd', {}, String(pot.total_coins)),
        h('dt', {}, t('pots.status')), h('dd', {}, t(`pots.status.${pot.status}`)),
        pot.indicative_cents_per_coin !== null ? [h('dt', {}, t('pots.percoin')), h('dd', {}, money(pot.indicative_cents_per_coin))] : null))];
    if (pot.status === 'distributed') {
      const [distribution, names] = await Promise.all([api(`/distributions/${year}`), memberNames()]);
      const title = t('pots.chart', { year, amount: money(distribution.pot_cents) });
      parts.push(h('section', { class: 'card' }, h('h2', {}, t('pots.payouts')),
        distribution.payouts.length ? [chart(distribution.payouts, names, title), table(distribution.payouts, names)] : h('p', {}, t('pots.nopayouts'))));
    }
    return parts;
  });
}

export const routes = [
  { path: '/admin/pots', access: 'admin', title: 'pots.title', nav: { key: 'nav.pots', group: 'admin', order: 60 }, render },
];
