// One meeting: when and where, signing up with a pitch (or the waiting list and my place on
// it), adding it to my calendar; for its organiser and admins the attendees and pitches in
// order, changing or cancelling it, and afterwards (admins) who came.
import { api, whoAmI } from '../api.js';
import { isAdmin } from '../auth.js';
import { t, dateTime } from '../i18n.js';
import { announce, badge, button, confirmDialog, empty, field, h, onSubmit, section, submit, toast } from '../ui.js';
import { meetingBody, meetingFields, meetingStatusBadge, organiserOptions, seats, when } from './meetings.js';

function details(m) {
  const rows = [
    [t('meeting.when'), when(m)],
    [t('meeting.where'), `${m.venue}, ${m.address}, ${m.city}`],
    m.theme ? [t('meeting.theme'), m.theme] : null,
    [t('meeting.organiser'), m.organiser_name || t('meeting.organiser.board')],
    [t('meeting.status'), meetingStatusBadge(m.status)],
    [t('meeting.places'), seats(m)],
  ].filter(Boolean);
  return h('section', { class: 'card' },
    m.description ? h('p', { class: 'description' }, m.description) : null,
    h('dl', { class: 'details' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

function open(m) {
  return m.status === 'planned' && new Date(m.starts_at) > new Date();
}

function signUpSection(m, me, refresh) {
  const parts = [h('h2', {}, t('meeting.signup.title'))];
  if (m.my_status) {
    const text = m.my_status === 'registered'
      ? t('meeting.signup.registered')
      : t('meeting.signup.waitlisted', { position: m.my_position });
    parts.push(h('p', { role: 'status', 'data-testid': 'my-place', tabindex: '-1' }, text));
    if (m.my_pitch) parts.push(h('p', {}, t('meeting.signup.mypitch'), ' ', h('q', {}, m.my_pitch)));
    if (open(m)) {
      parts.push(button(t('meeting.signup.leave'), {
        class: 'danger',
        onclick: async () => {
          if (!await confirmDialog(t('meeting.signup.leave'), t('meeting.signup.leave.confirm'), t('meeting.signup.leave'))) return;
          await api(`/meetings/${m.id}/registration`, { method: 'DELETE' });
          await refresh(t('meeting.signup.left'));
        },
      }));
    }
    return h('section', { class: 'card' }, parts);
  }
  if (!open(m)) return h('section', { class: 'card' }, parts, h('p', {}, t('meeting.signup.closed')));
  const full = m.free_seats === 0;
  const form = h('form', { class: 'form', novalidate: true },
    full ? h('p', {}, t('meeting.signup.full')) : null,
    me.available
      ? field({ name: 'pitch', label: t('meeting.signup.pitch'), hint: t('meeting.signup.pitch.hint'), attrs: { maxlength: 200 } })
      : h('p', { class: 'hint' }, t('meeting.signup.nopitch')),
    h('div', { class: 'actions' }, submit(full ? t('meeting.signup.wait') : t('meeting.signup.submit'))));
  onSubmit(form, async (data) => {
    const pitch = data.get('pitch')?.trim();
    const answer = await api(`/meetings/${m.id}/registration`, { method: 'POST', body: pitch ? { pitch } : {} });
    toast(answer.status === 'registered' ? t('meeting.signup.done') : t('meeting.signup.waiting', { position: answer.position }));
    await refresh();
    document.querySelector('[data-testid=my-place]')?.focus(); // the changed place, in words
  });
  parts.push(form);
  return h('section', { class: 'card' }, parts);
}

async function download(m) {
  const response = await api(`/meetings/${m.id}/event.ics`, { raw: true });
  const url = URL.createObjectURL(await response.blob());
  const link = h('a', { href: url, download: `meeting-${m.id}.ics`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function calendarSection(m) {
  return h('section', { class: 'card' }, h('h2', {}, t('meeting.calendar.title')),
    h('p', {}, t('meeting.calendar.intro')),
    h('div', { class: 'actions' },
      button(t('meeting.calendar.download'), { onclick: () => download(m).catch((error) => toast(error.message)) }),
      h('a', { class: 'button', href: '#/meetings' }, t('meeting.calendar.feed'))));
}

function attendee(a, marking) {
  const state = a.status === 'registered'
    ? badge(t('meeting.mine.registered'), 'ok')
    : badge(t('meeting.attendees.waiting', { position: a.position }), 'status-awarded');
  const came = a.attended === null ? null : badge(a.attended ? t('meeting.attendance.came') : t('meeting.attendance.absent'), a.attended ? 'ok' : '');
  return h('li', { class: 'card list-item' },
    h('h3', { class: 'item-title' }, a.name),
    h('p', { class: 'meta' }, state, ' ', came, ' ', t('meeting.attendees.at', { at: dateTime(a.registered_at) })),
    a.pitch ? h('p', {}, h('strong', {}, t('meeting.attendees.pitch')), ' ', a.pitch) : null,
    h('p', {}, h('a', { href: `mailto:${a.email}` }, a.email)),
    marking ? field({ name: 'member_ids', label: t('meeting.attendance.for', { name: a.name }), type: 'checkbox', value: a.attended !== false, attrs: { value: a.member_id } }) : null);
}

async function manageSections(m, refresh) {
  const found = await api(`/meetings/${m.id}/attendees`);
  const marking = isAdmin() && m.status !== 'cancelled' && new Date(m.starts_at) <= new Date();
  const list = found.items.length
    ? h('ol', { class: 'list' }, found.items.map((a) => attendee(a, marking)))
    : empty(t('meeting.attendees.empty'));
  const parts = [];
  if (marking) {
    const form = h('form', { class: 'form', novalidate: true }, list,
      h('div', { class: 'actions' }, submit(t('meeting.attendance.save'))));
    onSubmit(form, async (data) => {
      await api(`/meetings/${m.id}/attendance`, { method: 'POST', body: { member_ids: data.getAll('member_ids') } });
      await refresh(t('meeting.attendance.saved'));
    });
    parts.push(h('section', { class: 'card' }, h('h2', {}, t('meeting.attendees.title')), h('p', {}, t('meeting.attendance.intro')), form));
  } else {
    parts.push(h('section', { class: 'card' }, h('h2', {}, t('meeting.attendees.title')), h('p', {}, t('meeting.attendees.intro')), list));
  }
  if (open(m)) parts.push(await editSection(m, refresh));
  return parts;
}

async function editSection(m, refresh) {
  const organisers = isAdmin() ? await organiserOptions() : null;
  const form = h('form', { class: 'form', novalidate: true },
    meetingFields(m, organisers),
    h('div', { class: 'actions' }, submit(t('meeting.edit.save'))));
  onSubmit(form, async (data) => {
    await api(`/meetings/${m.id}`, { method: 'PATCH', body: meetingBody(data, Boolean(organisers)) });
    await refresh(t('meeting.edit.saved'));
  });
  const cancel = button(t('meeting.cancel.button'), {
    class: 'danger',
    onclick: async () => {
      if (!await confirmDialog(t('meeting.cancel.button'), t('meeting.cancel.confirm'), t('meeting.cancel.button'))) return;
      await api(`/meetings/${m.id}/cancel`, { method: 'POST' });
      await refresh(t('meeting.cancel.done'));
    },
  });
  return h('section', { class: 'card' }, h('h2', {}, t('meeting.edit.title')), h('p', {}, t('meeting.edit.intro')), form,
    h('h3', { class: 'spaced' }, t('meeting.cancel.title')), h('p', {}, t('meeting.cancel.intro')), cancel);
}

async function render(main, params) {
  const body = h('div');
  const heading = h('h1', {}, t('meeting.heading'));
  main.append(heading, body);
  // after an action: the page again, its result on top with the focus (not on <body>)
  const refresh = async (result) => {
    await load();
    if (result) announce(body, result);
  };
  const load = () => section(body, async () => {
    const [m, me] = await Promise.all([api(`/meetings/${params.id}`), whoAmI()]);
    heading.textContent = m.title;
    document.title = `${m.title} · Co-operations`;
    const parts = [details(m), signUpSection(m, me, refresh), calendarSection(m)];
    if (m.can_manage) parts.push(...await manageSections(m, refresh));
    return parts;
  });
  await refresh();
}

export const routes = [
  { path: '/meetings/:id', access: 'member', title: 'meeting.heading', render },
];
