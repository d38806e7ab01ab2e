// Treasurer: mails received at the intake address, accepted or rejected with the reason; a
// rejected mail can still become an opportunity, for a member as its referrer or for the
// collective, with the title, description or disciplines put right.
import { all, api } from '../../api.js';
import { t, dateTime, has } from '../../i18n.js';
import { go } from '../../router.js';
import { badge, button, empty, field, h, onSubmit, radios, section, submit, tags, toast } from '../../ui.js';
import { suggest } from '../../vocabulary.js';

const STATUSES = ['rejected', 'accepted'];

function statusBadge(status) {
  return badge(t(`intake.status.${status}`), status === 'accepted' ? 'ok' : 'bad');
}

// The reason in the person's language when the code is known, else the API's words.
function reason(r) {
  if (r.reason && has(`intake.reason.${r.reason}`)) return t(`intake.reason.${r.reason}`);
  return r.reason_text || r.reason || t('intake.reason.none');
}

function acceptForm(r, members) {
  const subject = r.subject || t('intake.nosubject');
  const recognised = r.recognised.map((x) => x.discipline);
  const who = radios({
    name: 'referrer', legend: t('intake.accept.referrer'), value: 'member',
    options: [['member', t('intake.accept.member')], ['collective', t('intake.accept.collective')]],
  });
  const member = field({
    name: 'referrer_member_id', label: t('intake.accept.which'), type: 'select', value: r.member_id || '',
    options: [['', t('intake.accept.choose')], ...members.map((m) => [m.id, `${m.name} (${m.email})`])],
  });
  const follow = () => { member.hidden = who.querySelector('input:checked')?.value !== 'member'; };
  who.addEventListener('change', follow);
  const form = h('form', { class: 'form', novalidate: true, hidden: true, 'aria-label': t('intake.accept.for', { subject }) },
    who, member,
    field({ name: 'title', label: t('intake.accept.title'), value: r.title || r.subject, hint: t('intake.accept.title.hint') }),
    field({ name: 'description', label: t('intake.accept.description'), type: 'textarea', value: r.description }),
    field({
      name: 'disciplines', label: t('intake.accept.disciplines'), value: recognised.join(', '),
      hint: recognised.length ? t('intake.accept.disciplines.hint') : t('intake.accept.disciplines.needed'),
    }),
    h('div', { class: 'actions' }, submit(t('intake.accept.submit'))));
  follow();
  suggest(form, 'disciplines', 'discipline');
  onSubmit(form, async (data) => {
    const collective = data.get('referrer') === 'collective';
    if (!collective && !data.get('referrer_member_id')) {
      const message = t('intake.accept.which.missing');
      throw { message, fields: [{ field: 'referrer_member_id', message }] };
    }
    const optional = (name) => (data.get(name)?.trim() ? data.get(name).trim() : undefined);
    const disciplines = tags(data.get('disciplines'));
    const opportunity = await api(`/intake/${r.id}/accept`, {
      method: 'POST',
      body: {
        referrer_member_id: collective ? undefined : data.get('referrer_member_id'),
        on_behalf_of_collective: collective || undefined,
        title: optional('title'),
        description: optional('description'),
        disciplines: disciplines.length ? disciplines : undefined,
      },
    });
    toast(t('intake.accepted', { title: opportunity.title }));
    go(`#/opportunities/${opportunity.id}`);
  });
  return form;
}

function record(r, members) {
  const subject = r.subject || t('intake.nosubject');
  const parts = [
    h('h2', { class: 'item-title' }, subject),
    h('p', { class: 'meta' }, statusBadge(r.status), ' ', t('intake.from', { from: r.from }), ' · ', dateTime(r.received_at)),
  ];
  if (r.status === 'rejected') {
    parts.push(h('p', {}, h('strong', {}, t('intake.reason')), ' ', reason(r)));
  }
  if (r.recognised.length) {
    parts.push(h('p', { class: 'tags' }, h('span', {}, t('intake.recognised')), r.recognised.map((x) => badge(x.discipline, 'tag'))));
  }
  if (r.attachments.length) {
    parts.push(h('p', { class: 'meta' }, t('intake.attachments', { names: r.attachments.map((a) => a.name).join(', ') })));
  }
  if (r.attachments_not_kept?.length) { // recorded, never dropped silently
    const kb = (bytes) => `${Math.max(1, Math.round(bytes / 1024))} kB`;
    const files = r.attachments_not_kept.map((a) => `${a.name} (${kb(a.size)})`).join(', ');
    parts.push(h('p', { class: 'meta' }, t('intake.not_kept', { files })));
  }
  if (r.description) {
    parts.push(h('details', {}, h('summary', {}, t('intake.body')), h('p', { class: 'description' }, r.description)));
  }
  if (r.opportunity_id) {
    parts.push(h('p', {}, h('a', { href: `#/opportunities/${r.opportunity_id}` }, t('intake.opportunity'))));
  } else if (r.status === 'rejected') {
    const form = acceptForm(r, members);
    const show = button(t('intake.accept', { subject }), {
      onclick: () => { show.hidden = true; form.hidden = false; form.querySelector('input')?.focus(); },
    });
    parts.push(h('div', { class: 'actions' }, show), form);
  }
  return h('li', { class: 'card list-item' }, parts);
}

async function render(main, _params, query) {
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : 'rejected';
  const filter = field({
    name: 'status', label: t('intake.status'), type: 'select', value: status,
    options: STATUSES.map((s) => [s, t(`intake.status.${s}.plural`)]),
  });
  filter.querySelector('select').addEventListener('change', (event) => go(`#/admin/intake?status=${event.target.value}`));
  const results = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('intake.title')), h('p', { class: 'lead' }, t('intake.intro')),
    h('div', { class: 'filters' }, filter), results);
  const members = status === 'rejected' ? await all('/members') : [];
  const list = h('ul', { class: 'list' });
  const load = async (cursor) => {
    const page = await api('/intake', { query: { status, cursor, limit: 20 } });
    list.append(...page.items.map((r) => record(r, members)));
    const more = page.next ? button(t('list.more'), {
      onclick: async () => { more.remove(); await load(page.next); },
    }) : null;
    if (!list.children.length) return [empty(t(`intake.empty.${status}`))];
    if (more) results.append(more);
    return [list, more].filter(Boolean);
  };
  await section(results, () => load(null));
}

export const routes = [
  { path: '/admin/intake', access: 'admin', title: 'intake.title', nav: { key: 'nav.intake', group: 'admin', order: 45 }, render },
];
