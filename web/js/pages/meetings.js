// Quarterly meetings: upcoming and past meetings with their seats and my place, my private
// calendar feed, the admins' warning about a quarter without a meeting, and planning one.
import { api, memberNames } from '../api.js';
import { isAdmin } from '../auth.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { badge, button, empty, field, h, onSubmit, section, submit, toast } from '../ui.js';

const TIME_ZONE = 'Europe/Amsterdam';

function locale() {
  return document.documentElement.lang === 'en' ? 'en-GB' : 'nl-NL';
}

// "donderdag 18 juni 2026, 18:00–21:30" in Amsterdam time.
export function when(m) {
  const day = new Intl.DateTimeFormat(locale(), {
    timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
  }).format(new Date(m.starts_at));
  const clock = new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });
  return `${day}, ${clock.format(new Date(m.starts_at))}–${clock.format(new Date(m.ends_at))}`;
}

export function meetingStatusBadge(status) {
  return badge(t(`meeting.status.${status}`), status === 'cancelled' ? 'bad' : (status === 'held' ? '' : 'ok'));
}

export function myPlace(m) {
  if (m.my_status === 'registered') return badge(t('meeting.mine.registered'), 'ok');
  if (m.my_status === 'waitlisted') return badge(t('meeting.mine.waitlisted', { position: m.my_position }), 'status-awarded');
  return null;
}

export function seats(m) {
  const taken = t('meeting.seats', { registered: m.registered_count, capacity: m.capacity });
  return m.waitlist_count ? `${taken} · ${t('meeting.waiting', { count: m.waitlist_count })}` : taken;
}

export function item(m, level = 'h2') {
  return h('li', { class: 'card list-item' },
    h(level, { class: 'item-title' }, h('a', { href: `#/meetings/${m.id}` }, m.title)),
    h('p', {}, when(m)),
    h('p', { class: 'meta' }, `${m.venue}, ${m.city}`),
    h('p', { class: 'meta' }, meetingStatusBadge(m.status), ' ', seats(m), ' ', myPlace(m)));
}

async function coverageWarning() {
  if (!isAdmin()) return null;
  const c = await api('/meetings/coverage');
  const warnings = [];
  if (c.current_without_meeting) warnings.push(t('meetings.warning.current', { quarter: c.current.quarter }));
  if (c.next_needs_meeting) warnings.push(t('meetings.warning.next', { quarter: c.next.quarter }));
  if (!warnings.length) return null;
  return h('div', { class: 'card warning', role: 'note', 'aria-label': t('meetings.warning.label') },
    warnings.map((text) => h('p', {}, h('strong', {}, text))),
    h('p', {}, h('a', { href: '#/meetings/new' }, t('meetings.plan'))));
}

async function feedCard() {
  const link = await api('/members/me/calendar');
  const address = h('input', {
    id: 'feed-url', type: 'text', readonly: true, value: link.url, class: 'mono', 'aria-describedby': 'feed-hint',
  });
  const reset = button(t('meetings.feed.reset'), {
    onclick: async () => {
      const fresh = await api('/members/me/calendar/reset', { method: 'POST' });
      address.value = fresh.url;
      subscribe.setAttribute('href', fresh.webcal_url);
      toast(t('meetings.feed.resetdone'));
    },
  });
  const subscribe = h('a', { class: 'button', href: link.webcal_url }, t('meetings.feed.subscribe'));
  return h('section', { class: 'card', 'aria-labelledby': 'feed-title' },
    h('h2', { id: 'feed-title' }, t('meetings.feed.title')),
    h('p', { id: 'feed-hint' }, t('meetings.feed.intro')),
    h('div', { class: 'field' }, h('label', { for: 'feed-url' }, t('meetings.feed.url')), address),
    h('div', { class: 'actions' }, subscribe, reset));
}

async function renderList(main, _params, query) {
  const past = query.get('when') === 'past';
  const tabs = h('nav', { class: 'quick', 'aria-label': t('meetings.which') },
    h('a', { class: past ? 'button' : 'button primary', href: '#/meetings', 'aria-current': past ? null : 'page' }, t('meetings.upcoming')),
    h('a', { class: past ? 'button primary' : 'button', href: '#/meetings?when=past', 'aria-current': past ? 'page' : null }, t('meetings.past')));
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('meetings.title')),
    isAdmin() ? h('a', { class: 'button primary', href: '#/meetings/new' }, t('meetings.plan')) : null);
  const body = h('div', { 'aria-live': 'polite' });
  main.append(head, h('p', { class: 'lead' }, t('meetings.intro')), tabs, body);
  const list = h('ul', { class: 'list' });
  const load = async (cursor) => {
    const page = await api('/meetings', { query: { when: past ? 'past' : 'upcoming', limit: 20, cursor } });
    list.append(...page.items.map((m) => item(m)));
    const more = page.next ? button(t('list.more'), { onclick: async () => { more.remove(); body.append(...await load(page.next)); } }) : null;
    return [list.children.length ? list : empty(t(past ? 'meetings.empty.past' : 'meetings.empty')), more].filter(Boolean);
  };
  await section(body, async () => [await coverageWarning(), ...await load(null), await feedCard()].filter(Boolean));
}

// The organiser choice: the board, or a member.
export async function organiserOptions() {
  const names = await memberNames();
  const members = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  return [['', t('meeting.organiser.board')], ...members];
}

// The fields of a meeting, filled with `m` when editing.
export function meetingFields(m = {}, organisers = null) {
  const local = (value) => (value ? localInput(value) : '');
  return [
    field({ name: 'title', label: t('meeting.form.title'), value: m.title || '', required: true }),
    field({ name: 'theme', label: t('meeting.form.theme'), value: m.theme || '', hint: t('meeting.form.theme.hint') }),
    field({ name: 'starts_at', label: t('meeting.form.starts'), type: 'datetime-local', value: local(m.starts_at), required: true, hint: t('meeting.form.time.hint') }),
    field({ name: 'ends_at', label: t('meeting.form.ends'), type: 'datetime-local', value: local(m.ends_at), required: true }),
    field({ name: 'venue', label: t('meeting.form.venue'), value: m.venue || '', required: true }),
    field({ name: 'address', label: t('meeting.form.address'), value: m.address || '', required: true }),
    field({ name: 'city', label: t('meeting.form.city'), value: m.city || '', required: true }),
    field({ name: 'capacity', label: t('meeting.form.capacity'), type: 'number', value: m.capacity || '', required: true, attrs: { min: 1 } }),
    field({ name: 'description', label: t('meeting.form.description'), type: 'textarea', value: m.description || '' }),
    organisers ? field({
      name: 'organiser_member_id', label: t('meeting.form.organiser'), type: 'select',
      value: m.organiser_member_id || '', options: organisers,
    }) : null,
  ];
}

// An instant as the value of a datetime-local field, in Amsterdam time: "2026-06-18T18:00".
function localInput(value) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(value));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}

// The form's values as the API takes them (times without offset: Amsterdam time).
export function meetingBody(data, withOrganiser) {
  const optional = (name) => (data.get(name)?.trim() ? data.get(name).trim() : null);
  const body = {
    title: data.get('title'),
    theme: optional('theme'),
    starts_at: data.get('starts_at'),
    ends_at: data.get('ends_at'),
    venue: data.get('venue'),
    address: data.get('address'),
    city: data.get('city'),
    capacity: Number(data.get('capacity')),
    description: optional('description'),
  };
  if (withOrganiser) body.organiser_member_id = optional('organiser_member_id');
  return body;
}

async function renderNew(main) {
  const form = h('form', { class: 'card form', novalidate: true },
    meetingFields({}, await organiserOptions()),
    h('div', { class: 'actions' }, submit(t('meeting.form.create'))));
  onSubmit(form, async (data) => {
    const body = meetingBody(data, true);
    for (const name of ['theme', 'description', 'organiser_member_id']) if (body[name] === null) delete body[name];
    const planned = await api('/meetings', { method: 'POST', body });
    toast(t('meeting.form.created'));
    go(`#/meetings/${planned.id}`);
  });
  main.append(h('h1', {}, t('meeting.form.heading')), h('p', { class: 'lead' }, t('meeting.form.intro')), form);
}

export const routes = [
  { path: '/meetings', access: 'member', title: 'meetings.title', nav: { key: 'nav.meetings', group: 'member', order: 25 }, render: renderList },
  { path: '/meetings/new', access: 'admin', title: 'meeting.form.heading', render: renderNew },
];
