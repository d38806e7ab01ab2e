// One opportunity: details and history; express interest; as its referrer the candidates
// (best match first, with the explanation), conversations and closing; for an interested
// member taking the assignment with the contribution tier they choose.
import { api, getPolicy, memberNames, whoAmI } from '../api.js';
import { isAdmin } from '../auth.js';
import { t, date, dateTime, money, today } from '../i18n.js';
import { go } from '../router.js';
import { announce, badge, button, confirmDialog, empty, field, h, onSubmit, radios, section, submit, toast } from '../ui.js';
import { statusBadge } from './opportunities.js';
import { addDisciplines } from '../vocabulary.js';

const TIERS = ['small', 'medium', 'large'];

function details(o, names) {
  const referrer = o.referrer_id === null ? t('opportunity.collective') : (names.get(o.referrer_id) || o.referrer_id);
  const rows = [
    [t('opportunity.status'), statusBadge(o.status)],
    [t('opportunity.referrer'), referrer],
    [t('opportunity.disciplines'), o.disciplines.map((d) => badge(d, 'tag'))],
    o.sector ? [t('opportunity.sector'), o.sector] : null,
    o.location ? [t('opportunity.location'), o.location] : null,
    o.client ? [t('opportunity.client'), o.client] : null,
    o.starts_on ? [t('opportunity.starts'), date(o.starts_on)] : null,
    [t('opportunity.posted'), dateTime(o.created_at)],
    o.outcome ? [t('opportunity.outcome'), t(`outcome.${o.outcome}`)] : null,
  ].filter(Boolean);
  return h('section', { class: 'card' },
    h('p', { class: 'description' }, o.description),
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

// Fetches a short-lived signed link and follows it: the file downloads (the link says so).
async function openAttachment(o, a, target) {
  const link = await api(`/opportunities/${o.id}/attachments/${a.number}`);
  target.replaceChildren(h('a', { href: link.url, download: a.name }, t('mailed.attachment.again', { name: a.name })),
    ' ', h('span', { class: 'meta' }, t('mailed.attachment.until', { time: dateTime(link.expires_at) })));
  location.assign(link.url);
}

function attachment(o, a) {
  const target = h('span', { class: 'attachment-link' });
  const open = button(t('mailed.attachment.open', { name: a.name }), {
    onclick: async () => {
      open.disabled = true;
      try {
        await openAttachment(o, a, target);
      } catch (error) {
        toast(error.message);
      } finally {
        open.disabled = false;
      }
    },
  });
  return h('li', { class: 'attachment' }, open, ' ',
    h('span', { class: 'meta' }, `${a.content_type} · ${size(a.size)}`), ' ', target);
}

function size(bytes) {
  if (bytes < 1024) return t('mailed.size.bytes', { size: bytes });
  if (bytes < 1024 * 1024) return t('mailed.size.kb', { size: Math.round(bytes / 1024) });
  return t('mailed.size.mb', { size: (bytes / (1024 * 1024)).toFixed(1) });
}

// A mailed-in opportunity: that it came by mail, why it has its disciplines, its attachments.
function mailedIn(o) {
  if (!o.intake_id) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'mailed-title' },
    h('h2', { id: 'mailed-title' }, t('mailed.title')),
    h('p', {}, t('mailed.text')),
    h('h3', {}, t('mailed.recognised')),
    o.recognised.length
      ? h('ul', { class: 'recognised' }, o.recognised.map((r) => h('li', {},
        badge(r.discipline, 'tag'), ' ', t('mailed.words', { words: r.words.map((w) => `“${w}”`).join(', ') }))))
      : h('p', {}, t('mailed.recognised.none')),
    h('h3', { class: 'spaced' }, t('mailed.attachments')),
    o.attachments.length
      ? h('ul', { class: 'attachments' }, o.attachments.map((a) => attachment(o, a)))
      : h('p', {}, t('mailed.attachments.none')));
}

// Each step in words, naming people (never an id): who did it, and whom it was about.
function history(o, names) {
  const who = (id) => names.get(id) || t('history.someone');
  const line = (e) => {
    if (e.member_id && e.action === 'conversation') return t('history.conversation.with', { name: who(e.member_id), by: who(e.by) });
    if (e.member_id && e.action === 'award') return t('history.award.to', { name: who(e.member_id) });
    return [t(`history.${e.action}`), e.by ? ` · ${who(e.by)}` : ''].join('');
  };
  return h('section', { class: 'card' }, h('h2', {}, t('opportunity.history')),
    h('ol', { class: 'history' }, o.history.map((e) => h('li', {},
      h('span', { class: 'meta' }, dateTime(e.at)), ' ', line(e)))));
}

// Where it stands for a member who showed interest, as the referrer moves it on.
export function stageText(stage) {
  return ['interested', 'in_conversation', 'awarded_to_me', 'awarded_to_other', 'closed'].includes(stage)
    ? t(`interest.stage.${stage}`) : null;
}

function interestSection(o, involvement, refresh) {
  if (involvement.interested || involvement.introduced) {
    const stage = stageText(involvement.stage);
    return h('section', { class: 'card', 'aria-labelledby': 'interest-title' }, h('h2', { id: 'interest-title' }, t('interest.title')),
      h('p', {}, involvement.interested ? t('interest.done') : t('interest.introduced')),
      stage ? h('p', { 'data-testid': 'my-stage' }, h('strong', {}, t('interest.stage')), ' ', stage) : null,
      involvement.note ? h('blockquote', {}, involvement.note) : null);
  }
  if (!['open', 'in_conversation'].includes(o.status)) return null;
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'note', label: t('interest.note'), type: 'textarea', hint: t('interest.note.hint') }),
    h('div', { class: 'actions' }, submit(t('interest.submit'))));
  onSubmit(form, async (data) => {
    await api(`/opportunities/${o.id}/interest`, { method: 'POST', body: { note: data.get('note') || undefined } });
    await refresh(t('interest.sent'));
  });
  return h('section', { class: 'card' }, h('h2', {}, t('interest.title')), form);
}

// Taking the assignment is a deliberate step: choose the tier, see what it means (the fee and
// its cap from GET /policy, what the referrer gets of it), then confirm.
async function awardSection(o, involvement, names) {
  if (!(involvement.interested || involvement.introduced) || !['open', 'in_conversation'].includes(o.status)) return null;
  const policy = await getPolicy();
  const caps = policy.fee_cap_cents_by_tier;
  const card = h('section', { class: 'card', 'aria-labelledby': 'award-title' });
  const title = h('h2', { id: 'award-title', tabindex: '-1' }, t('award.title'));
  const begin = () => {
    card.replaceChildren(title, h('p', {}, t('award.when')),
      h('div', { class: 'actions' }, button(t('award.start'), { class: 'primary', onclick: () => choose(null) })));
  };
  const choose = (chosen) => {
    const form = h('form', { class: 'form', novalidate: true },
      h('p', {}, t('award.intro', { percent: policy.fee_percent })),
      radios({
        name: 'contribution',
        legend: t('award.tier'),
        value: chosen?.contribution || null,
        options: TIERS.map((tier) => [tier, t(`tier.${tier}`), t(`tier.${tier}.explain`, { cap: money(caps[tier]) })]),
      }),
      field({ name: 'starts_on', label: t('award.starts'), type: 'date', value: chosen?.starts_on || today(), required: true }),
      h('div', { class: 'actions' }, submit(t('award.next')), button(t('action.cancel'), { onclick: begin })));
    onSubmit(form, async (data) => {
      const contribution = data.get('contribution');
      const problems = [];
      if (!TIERS.includes(contribution)) problems.push({ field: 'contribution', message: t('award.tier.missing') });
      if (!data.get('starts_on')) problems.push({ field: 'starts_on', message: t('award.starts.missing') });
      if (problems.length) throw { message: problems[0].message, fields: problems };
      confirm({ contribution, starts_on: data.get('starts_on') });
    });
    card.replaceChildren(title, form);
    form.querySelector('input')?.focus();
  };
  const confirm = (chosen) => {
    const cap = caps[chosen.contribution];
    const share = Math.floor((cap * policy.referrer_share_percent) / 100);
    const referrer = o.referrer_id === null ? null : (names.get(o.referrer_id) || t('history.someone'));
    const form = h('form', { class: 'form', novalidate: true },
      h('dl', { class: 'details summary' },
        h('dt', {}, t('award.summary.tier')), h('dd', {}, t(`tier.${chosen.contribution}`)),
        h('dt', {}, t('award.summary.fee')),
        h('dd', { 'data-testid': 'award-fee' }, t('award.summary.fee.text', { percent: policy.fee_percent, cap: money(cap) })),
        h('dt', {}, t('award.summary.referrer')),
        h('dd', { 'data-testid': 'award-referrer' }, referrer
          ? t('award.summary.referrer.text', { name: referrer, percent: policy.referrer_share_percent, amount: money(share) })
          : t('award.summary.collective')),
        h('dt', {}, t('award.starts')), h('dd', {}, date(chosen.starts_on))),
      h('p', {}, t('award.summary.final')),
      h('div', { class: 'actions' }, submit(t('award.submit')), button(t('award.back'), { onclick: () => choose(chosen) })));
    onSubmit(form, async () => {
      const assignment = await api(`/opportunities/${o.id}/assignment`, { method: 'POST', body: chosen });
      toast(t('award.done'));
      go(`#/assignments/${assignment.id}`);
    });
    card.replaceChildren(title, h('h3', {}, t('award.summary.title')), form);
    title.focus();
  };
  begin();
  return card;
}

// The API's ranking (shared disciplines, then sector, then availability) in the person's language.
function explanation(c) {
  return [
    c.shared_disciplines.length
      ? t('candidates.explain.shared', { count: c.shared_disciplines.length, disciplines: c.shared_disciplines.join(', ') })
      : t('candidates.explain.none'),
    c.sector_match ? t('candidates.explain.sector') : t('candidates.explain.nosector'),
    c.available ? t('directory.available') : t('directory.unavailable'),
  ].join('; ');
}

function candidate(o, c, refresh) {
  const form = h('form', { class: 'form inline', novalidate: true, 'aria-label': t('candidates.conversation.for', { name: c.name }) },
    field({ name: 'held_on', label: t('candidates.held_on', { name: c.name }), type: 'date', value: today(), required: true, hint: t('candidates.held_on.hint'), attrs: { max: today() } }),
    submit(t('candidates.record', { name: c.name }), { class: '' }));
  onSubmit(form, async (data) => {
    const heldOn = data.get('held_on');
    if (heldOn > today()) {
      throw { message: t('candidates.held_on.future'), fields: [{ field: 'held_on', message: t('candidates.held_on.future') }] };
    }
    await api(`/opportunities/${o.id}/conversations`, {
      method: 'POST', body: { member_id: c.member_id, held_on: heldOn },
    });
    await refresh(t('candidates.recorded', { name: c.name }));
  });
  const open = ['open', 'in_conversation'].includes(o.status);
  return h('li', { class: 'card list-item candidate' },
    h('h3', { class: 'item-title' }, c.name),
    c.headline ? h('p', {}, c.headline) : null,
    h('p', { class: 'meta' },
      c.interested ? badge(t('candidates.interested'), 'ok') : null, ' ',
      c.introduced ? badge(t('candidates.introduced'), 'ok') : null, ' ',
      badge(c.available ? t('directory.available') : t('directory.unavailable'), c.available ? 'ok' : '')),
    h('p', { class: 'explanation' }, h('strong', {}, t('candidates.why')), ' ', explanation(c)),
    c.note ? h('blockquote', {}, c.note) : null,
    h('p', {}, h('a', { href: `mailto:${c.email}` }, c.email)),
    open ? form : null);
}

async function manageSection(o, refresh) {
  const found = await api(`/opportunities/${o.id}/candidates`);
  const list = found.items.length
    ? h('ol', { class: 'list' }, found.items.map((c) => candidate(o, c, refresh)))
    : empty(t('candidates.empty'));
  const parts = [h('section', { class: 'card' }, h('h2', {}, t('candidates.title')), h('p', {}, t('candidates.intro')), list)];
  if (['open', 'in_conversation'].includes(o.status)) {
    const form = h('form', { class: 'form', novalidate: true },
      field({
        name: 'outcome', label: t('close.outcome'), type: 'select', value: 'no_deal',
        options: [['no_deal', t('outcome.no_deal')], ['withdrawn', t('outcome.withdrawn')]],
      }),
      h('div', { class: 'actions' }, submit(t('close.submit'), { class: 'danger' })));
    onSubmit(form, async (data) => {
      const outcome = data.get('outcome');
      if (!await confirmDialog(t('close.confirm.title'), t(`close.confirm.${outcome}`), t('close.submit'))) return;
      await api(`/opportunities/${o.id}/close`, { method: 'POST', body: { outcome } });
      await refresh(t('close.done'));
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, t('close.title')), h('p', {}, t('close.intro')), form));
  }
  return parts;
}

async function render(main, params) {
  const body = h('div');
  const heading = h('h1', {}, t('opportunity.heading'));
  main.append(heading, body);
  // after an action: the page again, its result on top with the focus (not on <body>)
  const refresh = async (result) => {
    await load();
    if (result) announce(body, result);
  };
  const load = () => section(body, async () => {
    const [o, me, names] = await Promise.all([api(`/opportunities/${params.id}`), whoAmI(), memberNames()]);
    heading.textContent = o.title;
    document.title = `${o.title} · Co-operations`;
    const manager = o.referrer_id === me.id || isAdmin();
    const parts = [details(o, names), mailedIn(o)];
    if (o.referrer_id !== me.id) {
      const involvement = await api(`/opportunities/${o.id}/interest`);
      parts.push(interestSection(o, involvement, refresh), await awardSection(o, involvement, names));
    }
    if (manager && !o.disciplines.length && ['open', 'in_conversation'].includes(o.status)) {
      parts.push(addDisciplines(o, refresh)); // mailed in without a recognised discipline
    }
    if (manager) parts.push(...await manageSection(o, refresh));
    parts.push(history(o, names));
    return parts.filter(Boolean);
  });
  await refresh();
}

export const routes = [
  { path: '/opportunities/:id', access: 'member', title: 'opportunity.heading', render },
];
