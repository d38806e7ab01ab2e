// Treasurer: run the dues for a quarter and the distribution for a year (showing the job's
// report), and download the ledger export.
import { api } from '../../api.js';
import { t, money, thisYear, today } from '../../i18n.js';
import { clearErrors, field, h, onSubmit, submit, toast } from '../../ui.js';

function report(entries) {
  return h('dl', { class: 'details report' },
    entries.map(([term, value]) => [h('dt', {}, term), h('dd', {}, String(value))]));
}

// A new run starts clean: no error of an earlier run (of any form on the page) and no old
// report stay beside what this run answers.
function fresh(form, result) {
  form.closest('main')?.querySelectorAll('form').forEach(clearErrors);
  result.replaceChildren();
}

// One year's distribution in words (the fields of DistributionReportOut).
function distributionReport(r) {
  const rows = [
    [t('jobs.distribution.pot'), money(r.pot_cents)],
    [t('jobs.distribution.coins'), r.total_coins],
    [t('jobs.distribution.payouts'), r.paid],
  ];
  if (r.already_paid) rows.push([t('jobs.distribution.payouts.before'), r.already_paid]);
  if (r.carried_over_cents) rows.push([t('jobs.distribution.carried'), money(r.carried_over_cents)]);
  rows.push([t('jobs.distribution.mails'), r.mails_queued === r.mails_sent
    ? t('jobs.distribution.mails.all', { count: r.mails_sent })
    : t('jobs.distribution.mails.some', { sent: r.mails_sent, queued: r.mails_queued })]);
  rows.push([t('jobs.complete'), r.complete ? t('yes') : t('jobs.distribution.incomplete')]);
  return h('div', {},
    h('h3', {}, t('jobs.report', { what: r.year })),
    report(rows),
    h('p', {}, h('a', { href: `#/admin/pots?year=${r.year}` }, t('jobs.distribution.seeyear', { year: r.year }))));
}

function duesForm() {
  const quarter = `${thisYear()}-Q${Math.floor((Number(today().slice(5, 7)) - 1) / 3) + 1}`;
  const result = h('div', { class: 'job-result', role: 'status' }); // the last run's report, read out
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'quarter', label: t('jobs.quarter'), value: quarter, required: true, hint: t('jobs.quarter.hint') }),
    h('div', { class: 'actions' }, submit(t('jobs.dues.run'))));
  onSubmit(form, async (data) => {
    fresh(form, result);
    const r = await api(`/jobs/dues/${encodeURIComponent(data.get('quarter').trim())}`, { method: 'POST' });
    result.replaceChildren(h('h3', {}, t('jobs.report', { what: r.quarter })), report([
      [t('jobs.dues.seen'), r.members_seen], [t('jobs.dues.charged'), r.charged],
      [t('jobs.dues.already'), r.already_charged], [t('jobs.dues.notdue'), r.not_due],
      [t('jobs.failed'), r.failed], [t('jobs.complete'), r.complete ? t('yes') : t('no')],
    ]));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'jobs-dues' }, h('h2', { id: 'jobs-dues' }, t('jobs.dues.title')), h('p', {}, t('jobs.dues.intro')), form, result);
}

function distributionForm() {
  const result = h('div', { class: 'job-result', role: 'status' }); // the last run's report, read out
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'year', label: t('jobs.year'), value: thisYear() - 1, type: 'number', required: true, attrs: { inputmode: 'numeric' } }),
    h('div', { class: 'actions' }, submit(t('jobs.distribution.run'))));
  onSubmit(form, async (data) => {
    fresh(form, result);
    const run = await api(`/jobs/distributions/${encodeURIComponent(data.get('year').trim())}`, { method: 'POST' });
    result.replaceChildren(...(run.years.length
      ? run.years.map(distributionReport)
      : [h('p', {}, t('jobs.distribution.none'))]));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'jobs-distribution' }, h('h2', { id: 'jobs-distribution' }, t('jobs.distribution.title')), h('p', {}, t('jobs.distribution.intro')), form, result);
}

function exportForm() {
  const year = thisYear();
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'from', label: t('jobs.export.from'), type: 'date', value: `${year}-01-01`, required: true }),
    field({ name: 'to', label: t('jobs.export.to'), type: 'date', value: today(), required: true }),
    h('div', { class: 'actions' }, submit(t('jobs.export.download'))));
  onSubmit(form, async (data) => {
    form.closest('main')?.querySelectorAll('form').forEach(clearErrors);
    const response = await api('/ledger/export', { query: { from: data.get('from'), to: data.get('to') }, raw: true });
    const disposition = response.headers.get('Content-Disposition') || '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] || 'ledger.csv';
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name }, name);
    document.body.append(link);
    link.click();
    link.remove();
    toast(t('jobs.export.done', { name }));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'jobs-export' }, h('h2', { id: 'jobs-export' }, t('jobs.export.title')), h('p', {}, t('jobs.export.intro')), form);
}

async function render(main) {
  main.append(h('h1', {}, t('jobs.title')), duesForm(), distributionForm(), exportForm());
}

export const routes = [
  { path: '/admin/jobs', access: 'admin', title: 'jobs.title', nav: { key: 'nav.jobs', group: 'admin', order: 50 }, render },
];
