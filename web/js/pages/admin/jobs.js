// Treasurer: run the dues for a quarter and the distribution for a year (showing the job's
// report), and download the ledger export.
import { api } from '../../api.js';
import { t, money, thisYear, today } from '../../i18n.js';
import { field, h, onSubmit, submit, toast } from '../../ui.js';

function report(entries) {
  return h('dl', { class: 'details report', role: 'status' },
    entries.map(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
}

function duesForm() {
  const quarter = `${thisYear()}-Q${Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1}`;
  const result = h('div');
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'quarter', label: t('jobs.quarter'), value: quarter, required: true, hint: t('jobs.quarter.hint') }),
    h('div', { class: 'actions' }, submit(t('jobs.dues.run'))));
  onSubmit(form, async (data) => {
    const r = await api(`/jobs/dues/${encodeURIComponent(data.get('quarter').trim())}`, { method: 'POST' });
    result.replaceChildren(h('h3', {}, t('jobs.report', { what: r.quarter })), report([
      [t('jobs.dues.seen'), r.members_seen], [t('jobs.dues.charged'), r.charged],
      [t('jobs.dues.already'), r.already_charged], [t('jobs.dues.notdue'), r.not_due],
      [t('jobs.failed'), r.failed], [t('jobs.complete'), r.complete ? t('yes') : t('no')],
    ]));
  });
  return h('section', { class: 'card' }, h('h2', {}, t('jobs.dues.title')), h('p', {}, t('jobs.dues.intro')), form, result);
}

function distributionForm() {
  const result = h('div');
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'year', label: t('jobs.year'), value: thisYear() - 1, type: 'number', required: true, attrs: { inputmode: 'numeric' } }),
    h('div', { class: 'actions' }, submit(t('jobs.distribution.run'))));
  onSubmit(form, async (data) => {
    const run = await api(`/jobs/distributions/${encodeURIComponent(data.get('year').trim())}`, { method: 'POST' });
    result.replaceChildren(...(run.years.length ? run.years.map((r) => h('div', {},
      h('h3', {}, t('jobs.report', { what: r.year })),
      report([
        [t('jobs.distribution.pot'), money(r.pot_cents)], [t('jobs.distribution.coins'), r.total_coins],
        [t('jobs.distribution.paid'), r.paid], [t('jobs.distribution.already'), r.already_paid],
        [t('jobs.distribution.mailed'), r.mailed], [t('jobs.distribution.carried'), money(r.carried_over_cents)],
        [t('jobs.failed'), r.mail_failed + r.failed_member_ids.length], [t('jobs.complete'), r.complete ? t('yes') : t('no')],
      ]),
      h('p', {}, h('a', { href: `#/admin/pots?year=${r.year}` }, t('jobs.distribution.see'))))) : [h('p', { role: 'status' }, t('jobs.distribution.none'))]));
  });
  return h('section', { class: 'card' }, h('h2', {}, t('jobs.distribution.title')), h('p', {}, t('jobs.distribution.intro')), form, result);
}

function exportForm() {
  const year = thisYear();
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'from', label: t('jobs.export.from'), type: 'date', value: `${year}-01-01`, required: true }),
    field({ name: 'to', label: t('jobs.export.to'), type: 'date', value: today(), required: true }),
    h('div', { class: 'actions' }, submit(t('jobs.export.download'))));
  onSubmit(form, async (data) => {
    const response = await api('/ledger/export', { query: { from: data.get('from'), to: data.get('to') }, raw: true });
    const disposition = response.headers.get('Content-Disposition') || '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] || 'ledger.csv';
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name }, name);
    document.body.append(link);
    link.click();
    link.remove();
    toast(t('jobs.export.done', { name }));
  });
  return h('section', { class: 'card' }, h('h2', {}, t('jobs.export.title')), h('p', {}, t('jobs.export.intro')), form);
}

async function render(main) {
  main.append(h('h1', {}, t('jobs.title')), duesForm(), distributionForm(), exportForm());
}

export const routes = [
  { path: '/admin/jobs', access: 'admin', title: 'jobs.title', nav: { key: 'nav.jobs', group: 'admin', order: 50 }, render },
];
