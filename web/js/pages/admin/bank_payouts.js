// Treasurer: payouts out, on the Bank page. An admin prepares a batch (what the collective owes
// members with an IBAN, less what they owe it), reviews it (names, amounts, offsets, who is
// skipped and why), another admin approves it (four eyes: the preparer sees why the button is
// off), then the pain.001 file is downloaded to upload at the bank.
import { api } from '../../api.js';
import { t, money, dateTime, date } from '../../i18n.js';
import { announce, badge, button, empty, h, onSubmit, section, submit, toast } from '../../ui.js';

// "NL18RABO0123459876" -> "NL18 •••• •••• 9876": enough to recognise, not to copy.
function maskedIban(iban) {
  const plain = String(iban || '').replace(/\s/g, '');
  return plain.length > 8 ? `${plain.slice(0, 4)} •••• •••• ${plain.slice(-4)}` : plain;
}

function statusBadge(status) {
  const kind = { prepared: '', approved: 'ok', executed: 'ok' }[status] || '';
  return badge(t(`bankpage.status.${status}`), kind);
}

function itemStatus(item) {
  if (item.status === 'pending') return '';
  if (item.status === 'returned') return t('bankpage.item.returned', { code: item.reason || '' });
  return t(`bankpage.item.${item.status}`);
}

function itemsTable(batch, headingId) {
  const cell = (label, content, cls) => h('td', { 'data-label': label, class: cls }, content);
  const titleId = `${headingId}-items`;
  // a heading, not a <caption>: on a phone the table stacks into cards and a caption would not
  return h('div', { class: 'table-wrap' }, h('h4', { id: titleId, class: 'payout-items-title' }, t('bankpage.items.caption', { count: batch.items.length })),
    h('table', { class: 'stack payout-items', 'aria-labelledby': titleId },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('bankpage.col.member')),
      h('th', { scope: 'col' }, t('bankpage.col.account')),
      h('th', { scope: 'col', class: 'num' }, t('bankpage.col.offset')),
      h('th', { scope: 'col', class: 'num' }, t('bankpage.col.amount')),
      h('th', { scope: 'col' }, t('bankpage.col.status')))),
    h('tbody', {}, batch.items.map((item) => h('tr', {},
      cell(t('bankpage.col.member'), item.name || t('bankpage.unknown_member')),
      cell(t('bankpage.col.account'), `${item.account_holder} · ${maskedIban(item.iban)}`),
      cell(t('bankpage.col.offset'), item.offset_cents ? money(item.offset_cents) : '—', 'num'),
      cell(t('bankpage.col.amount'), money(item.amount_cents), 'num'),
      cell(t('bankpage.col.status'), itemStatus(item) || t('bankpage.item.pending')))))));
}

function skippedList(batch) {
  if (!batch.skipped.length) return null;
  return h('div', { class: 'payout-skipped' },
    h('h4', {}, t('bankpage.skipped.title')),
    h('ul', {}, batch.skipped.map((s) => h('li', {}, t(`bankpage.skipped.${s.reason}`, {
      name: s.name || t('bankpage.unknown_member'), amount: money(s.to_receive_cents),
    })))));
}

async function download(batch) {
  const response = await api(`/bank/payout-batches/${encodeURIComponent(batch.id)}/pain.001.xml`, { raw: true });
  const disposition = response.headers.get('Content-Disposition') || '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] || 'pain.001.xml';
  const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name }, name);
  document.body.append(link);
  link.click();
  link.remove();
  toast(t('bankpage.downloaded', { name }));
}

function batchCard(batch, index, reload) {
  const headingId = `payout-batch-${index}`;
  const title = t('bankpage.batch.title', { when: date(batch.prepared_at) });
  const parts = [
    h('h3', { id: headingId, class: 'item-title' }, title, ' ', statusBadge(batch.status)),
    h('p', { class: 'meta' }, t('bankpage.batch.prepared', {
      name: batch.prepared_by_name || t('bankpage.unknown_member'), when: dateTime(batch.prepared_at),
    })),
  ];
  if (batch.approved_at) {
    parts.push(h('p', { class: 'meta' }, t('bankpage.batch.approved', {
      name: batch.approved_by_name || t('bankpage.unknown_member'), when: dateTime(batch.approved_at),
    })));
  }
  parts.push(h('p', { class: 'payout-total' }, t(batch.transfer_count === 1 ? 'bankpage.batch.total.one' : 'bankpage.batch.total', {
    count: batch.transfer_count, total: money(batch.total_cents),
  }), batch.offset_cents ? ` ${t('bankpage.batch.offset', { offset: money(batch.offset_cents) })}` : ''));
  if (batch.execution_date) parts.push(h('p', { class: 'meta' }, t('bankpage.batch.execution', { when: date(batch.execution_date) })));
  if (batch.items.length) parts.push(itemsTable(batch, headingId));
  parts.push(skippedList(batch));

  const actions = h('div', { class: 'actions' });
  if (batch.status === 'prepared') {
    const form = h('form', { class: 'form', novalidate: true, 'aria-label': t('bankpage.approve.for', { title }) });
    const noteId = `${headingId}-why`;
    const approve = submit(t('bankpage.approve'), batch.may_approve ? {} : { disabled: true, 'aria-describedby': noteId });
    form.append(actions);
    actions.append(approve);
    if (!batch.may_approve) actions.after(h('p', { class: 'hint four-eyes', id: noteId }, t('bankpage.approve.not_you')));
    onSubmit(form, async () => {
      const approved = await api(`/bank/payout-batches/${encodeURIComponent(batch.id)}/approve`, { method: 'POST' });
      await reload(t('bankpage.approved', { total: money(approved.total_cents) }));
    });
    // onSubmit re-enables the button after a failed try; the four-eyes state must stay off
    if (!batch.may_approve) form.addEventListener('submit', () => setTimeout(() => { approve.disabled = true; }));
    parts.push(form);
  } else if (batch.transfer_count > 0) {
    const box = h('div', { class: 'actions' });
    const get = button(t('bankpage.download'), { class: 'primary' });
    get.addEventListener('click', async () => {
      box.querySelector('.state-error')?.remove();
      get.disabled = true;
      try { await download(batch); } catch (error) {
        box.append(h('p', { class: 'state state-error', role: 'alert' }, error.message || String(error)));
      } finally { get.disabled = false; }
    });
    box.append(get);
    parts.push(box);
  }
  return h('li', { class: 'card list-item payout-batch', 'aria-labelledby': headingId }, parts);
}

// The payouts part of the Bank page: prepare, then the batches newest first.
export function payoutsSection() {
  const batches = h('div', { 'aria-live': 'polite' });
  const region = h('section', { class: 'bank-payouts', 'aria-labelledby': 'bank-payouts-title' });
  const result = h('div', {});
  const reload = async (text) => {
    await section(batches, async () => {
      const page = await api('/bank/payout-batches', { query: { limit: 10 } });
      if (!page.items.length) return [empty(t('bankpage.batches.empty'))];
      return [h('ul', { class: 'list' }, page.items.map((b, i) => batchCard(b, i, reload)))];
    });
    if (text) announce(result, text);
  };
  const prepare = h('form', { class: 'form', novalidate: true, 'aria-label': t('bankpage.prepare') },
    h('div', { class: 'actions' }, submit(t('bankpage.prepare'))));
  onSubmit(prepare, async () => {
    const batch = await api('/bank/payout-batches', { method: 'POST' });
    await reload(t(batch.transfer_count === 1 ? 'bankpage.prepared.one' : 'bankpage.prepared', { count: batch.transfer_count, total: money(batch.total_cents) }));
  });
  region.append(h('h2', { id: 'bank-payouts-title' }, t('bankpage.payouts.title')),
    h('p', {}, t('bankpage.payouts.intro')), prepare, result, batches);
  reload();
  return region;
}
