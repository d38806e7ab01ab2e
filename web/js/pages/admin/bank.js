// Treasurer: bank statements in. Upload the camt.053 the bank gives (the report in words),
// then the lines that wait: each with the member it probably belongs to, booked as that
// member's payment or set aside with a reason, in two taps.
import { all, api } from '../../api.js';
import { t, money, date } from '../../i18n.js';
import { announce, button, empty, field, h, onSubmit, section, submit, toast } from '../../ui.js';
import { payoutsSection } from './bank_payouts.js';

// "12 regels ingelezen: 9 betalingen geboekt, 1 al eerder ingelezen, 2 wachten op jou." The
// payouts parts only when the statement holds any (most statements hold none).
function reportText(r) {
  const parts = [
    t('bankpage.report.booked', { count: r.booked }),
    r.already_booked ? t('bankpage.report.already', { count: r.already_booked }) : null,
    t('bankpage.report.unmatched', { count: r.unmatched }),
    r.executed ? t('bankpage.report.executed', { count: r.executed }) : null,
    r.returned ? t('bankpage.report.returned', { count: r.returned }) : null,
  ].filter(Boolean);
  const lines = t(r.lines === 1 ? 'bankpage.report.line' : 'bankpage.report.lines', { count: r.lines });
  return `${lines}: ${parts.join(', ')}.`;
}

function uploadForm(onDone) {
  const form = h('form', { class: 'form card', novalidate: true, 'aria-label': t('bankin.upload') },
    field({
      name: 'statement', label: t('bankin.file'), type: 'file', required: true, hint: t('bankin.file.hint'),
      attrs: { accept: '.xml,application/xml,text/xml' },
    }),
    h('div', { class: 'actions' }, submit(t('bankin.upload'))));
  onSubmit(form, async (data) => {
    const file = data.get('statement');
    if (!file || !file.size) {
      const message = t('bankin.file.missing');
      throw { message, fields: [{ field: 'statement', message }] };
    }
    const report = await api('/bank/statements', { method: 'POST', file });
    form.reset();
    await onDone(reportText(report));
  });
  return form;
}

function lineCard(line, members, reload) {
  const who = line.counterparty_name || t('bankin.unknown_payer');
  const title = `${line.direction === 'debit' ? '−' : ''}${money(line.amount_cents)} · ${who}`;
  const parts = [
    h('h4', { class: 'item-title' }, title),
    h('p', { class: 'meta' }, date(line.booked_on), line.counterparty_iban ? ` · ${line.counterparty_iban}` : ''),
  ];
  if (line.remittance_text || line.structured_reference) {
    parts.push(h('p', {}, [line.structured_reference, line.remittance_text].filter(Boolean).join(' · ')));
  }
  if (line.suggested_member) {
    parts.push(h('p', { class: 'meta' }, t('bankin.suggested', { name: line.suggested_member.name })));
  }
  if (line.direction === 'credit') {
    const suggested = line.suggested_member;
    // the member the page suggests: booked in one tap; anyone else: chosen below
    const quick = suggested
      ? h('div', { class: 'actions bank-quick' }, submit(t('bankpage.assign.suggested', { name: suggested.name }), { dataset: { member: suggested.member_id } }))
      : null;
    const choice = field({
      name: 'member_id', label: suggested ? t('bankpage.assign.other') : t('bankin.assign.member'), type: 'select', required: true,
      value: line.suggested_member?.member_id || '',
      options: [['', t('bankin.assign.choose')], ...members.map((m) => [m.id, m.name])],
    });
    // finding one of many members by a part of the name: the list keeps only who matches
    const finder = field({ name: 'find', label: t('bankpage.assign.find'), type: 'search', attrs: { autocomplete: 'off' } });
    const select = choice.querySelector('select');
    finder.querySelector('input').addEventListener('input', (event) => {
      const wanted = event.target.value.trim().toLowerCase();
      const matches = members.filter((m) => m.name.toLowerCase().includes(wanted));
      select.replaceChildren(h('option', { value: '' }, t('bankin.assign.choose')),
        ...matches.map((m) => h('option', { value: m.id }, m.name)));
      if (wanted && matches.length) select.value = matches[0].id;
    });
    const assign = h('form', { class: 'form inline', novalidate: true, 'aria-label': t('bankin.assign.for', { title }) },
      quick, finder, choice,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('bankin.assign'))));
    onSubmit(assign, async (data, event) => {
      const memberId = event.submitter?.dataset.member || data.get('member_id');
      const booked = await api(`/bank/lines/${encodeURIComponent(line.id)}/assign`, {
        method: 'POST', body: { member_id: memberId },
      });
      toast(t('bankin.assigned', { amount: money(booked.amount_cents), name: booked.member.name }));
      await reload();
    });
    parts.push(assign);
  }
  const reason = field({ name: 'reason', label: t('bankin.aside.reason'), required: true, hint: t('bankin.aside.hint') });
  const reasonInput = reason.querySelector('input');
  // a reason in one tap (bank costs, interest), or typed (other); the second tap sets it aside
  const pick = (text) => () => { reasonInput.value = text; reasonInput.focus(); };
  const reasons = h('div', { class: 'bank-reasons', role: 'group', 'aria-label': t('bankpage.aside.reasons') },
    button(t('bankpage.reason.costs'), { onclick: pick(t('bankpage.reason.costs')) }),
    button(t('bankpage.reason.interest'), { onclick: pick(t('bankpage.reason.interest')) }),
    button(t('bankpage.reason.other'), { onclick: pick('') }));
  const aside = h('form', { class: 'form inline', novalidate: true, 'aria-label': t('bankin.aside.for', { title }) },
    reasons, reason,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('bankin.aside'))));
  onSubmit(aside, async (data) => {
    await api(`/bank/lines/${encodeURIComponent(line.id)}/set-aside`, {
      method: 'POST', body: { reason: data.get('reason').trim() },
    });
    toast(t('bankin.set_aside', { amount: money(line.amount_cents) }));
    await reload();
  });
  parts.push(aside);
  return h('li', { class: 'card list-item' }, parts);
}

async function render(main) {
  const waiting = h('div', { 'aria-live': 'polite' });
  const members = await all('/members');
  const reload = () => section(waiting, async () => {
    const page = await api('/bank/lines', { query: { status: 'unmatched', limit: 200 } });
    if (!page.items.length) return [empty(t('bankin.empty'))];
    return [h('ul', { class: 'list' }, page.items.map((line) => lineCard(line, members, reload)))];
  });
  const top = h('section', {}, uploadForm(async (text) => {
    await reload();
    announce(top, text);
  }));
  main.append(h('h1', {}, t('bankin.title')),
    h('section', { class: 'bank-statements', 'aria-labelledby': 'bank-statements-title' },
      h('h2', { id: 'bank-statements-title' }, t('bankpage.statements.title')),
      h('p', { class: 'lead' }, t('bankin.intro')), top,
      h('h3', {}, t('bankin.waiting')), waiting),
    payoutsSection());
  await reload();
}

export const routes = [
  { path: '/admin/bank', access: 'admin', title: 'bankin.title', nav: { key: 'nav.bankin', group: 'admin', order: 15 }, render },
];
