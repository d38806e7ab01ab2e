// My assignments (as lead, team member or referrer) and one assignment: its cumulative fee
// against the cap as a bar, its team, its reports, and reporting revenue or a credit note.
// A team shares one cap; each member sees their own revenue and fee and the team's totals,
// never another member's figures (only admins see the split).
import { all, api, whoAmI } from '../api.js';
import { isAdmin } from '../auth.js';
import { t, date, dateTime, money, today } from '../i18n.js';
import { go } from '../router.js';
import {
  announce, badge, button, confirmDialog, empty, field, h, moneyBar, onSubmit, parseEuros, radios, section, submit, toast,
} from '../ui.js';

// My own figures on an assignment: the team answers carry my_*; a team of one has only totals.
const myRevenue = (a) => a.my_revenue_cents ?? a.cumulative_revenue_cents;
const myFee = (a) => a.my_fee_cents ?? a.cumulative_fee_cents;

function summary(a) {
  const invited = a.team_status === 'invited';
  // joint: I am a team member, or others' revenue counts too (a team of one shows only totals)
  const joint = a.team_role === 'member' || (a.my_revenue_cents ?? a.cumulative_revenue_cents) !== a.cumulative_revenue_cents;
  return h('li', { class: 'card list-item' },
    h('h3', { class: 'item-title' }, h('a', { href: `#/assignments/${a.id}` }, a.opportunity_title)),
    h('p', { class: 'meta' }, t(`tier.${a.contribution}`), ' · ', t('assignments.since', { date: date(a.starts_on) }),
      a.team_role === 'member' ? [' · ', t('team.role.member')] : null),
    invited ? h('p', {}, badge(t('team.status.invited'), 'status-awarded'), ' ', t('team.invitation.short')) : null,
    a.role === 'referrer'
      ? h('p', {}, t('assignments.my_share'), ': ', h('strong', {}, money(a.cumulative_referrer_share_cents)))
      : [
        joint && !invited
          ? h('p', { class: 'mine' }, t('team.my_fee'), ': ', h('strong', {}, money(a.my_fee_cents)),
            ' · ', t('team.my_revenue'), ': ', h('strong', {}, money(a.my_revenue_cents)))
          : null,
        moneyBar(a.cumulative_fee_cents, a.fee_cap_cents, t(joint ? 'team.fee' : 'assignment.fee')),
      ]);
}

// More than one person on it (so "the team's" figures differ from "mine")
function teamSized(a) {
  return (a.team || []).length > 1 || (a.team_size || 1) > 1;
}

async function renderList(main) {
  const executing = h('div');
  const referred = h('div');
  main.append(h('h1', {}, t('assignments.title')),
    h('section', { 'aria-labelledby': 'as-executing' }, h('h2', { id: 'as-executing' }, t('assignments.executing')), executing),
    h('section', { 'aria-labelledby': 'as-referrer' }, h('h2', { id: 'as-referrer' }, t('assignments.referred')), referred));
  const load = (role, target) => section(target, async () => {
    const page = await api('/members/me/assignments', { query: { role, limit: 200 } });
    return page.items.length ? h('ul', { class: 'list' }, page.items.map(summary)) : empty(t(`assignments.empty.${role}`));
  });
  await Promise.all([load('executing', executing), load('referrer', referred)]);
}

// Who reports: the member themselves, or (an admin) on behalf of a member of the team.
function onBehalfField(a) {
  const reporters = (a.team || []).filter((m) => m.status !== 'invited');
  if (!isAdmin() || reporters.length < 2) return null;
  return field({
    name: 'member_id', label: t('team.on_behalf'), type: 'select', value: a.member_id,
    options: reporters.map((m) => [m.member_id, m.name]),
  });
}

function revenueForm(a, refresh) {
  const form = h('form', { class: 'form', novalidate: true },
    onBehalfField(a),
    radios({
      name: 'kind', legend: t('revenue.kind'), value: 'invoice',
      options: [['invoice', t('revenue.invoice')], ['credit', t('revenue.credit')]],
    }),
    field({ name: 'amount_cents', label: t('revenue.amount'), required: true, hint: t('revenue.amount.hint'), attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
    field({ name: 'invoice_ref', label: t('revenue.ref'), required: true, hint: t('revenue.ref.hint') }),
    field({ name: 'invoiced_on', label: t('revenue.date'), type: 'date', value: today(), required: true }),
    h('div', { class: 'actions' }, submit(t('revenue.submit'))));
  onSubmit(form, async (data) => {
    const cents = parseEuros(data.get('amount_cents'));
    if (cents === null || cents <= 0) {
      throw { message: t('revenue.amount.bad'), fields: [{ field: 'amount_cents', message: t('revenue.amount.bad') }] };
    }
    const body = {
      amount_cents: data.get('kind') === 'credit' ? -cents : cents,
      invoice_ref: data.get('invoice_ref').trim(),
      invoiced_on: data.get('invoiced_on'),
    };
    if (data.get('member_id')) body.member_id = data.get('member_id');
    const booked = await api(`/assignments/${a.id}/revenue`, { method: 'POST', body });
    // in a team, what moved for me says more than what this report booked for the team
    await refresh(teamSized(a) && booked.my_fee_cents !== undefined && !body.member_id
      ? t('team.booked', { revenue: money(booked.my_revenue_cents), fee: money(booked.my_fee_cents) })
      : t('revenue.booked', { fee: money(booked.fee_cents) }));
  });
  return h('section', { class: 'card' },
    h('h2', {}, t('revenue.title')),
    h('p', {}, t(!teamSized(a) ? 'revenue.intro' : (isAdmin() ? 'team.revenue.intro.admin' : 'team.revenue.intro'))), form);
}

// Whose revenue a report is: its member's, or (none named) the lead's.
function whose(a, r) {
  return r.member_id || a.member_id;
}

function nameOf(a, memberId) {
  return (a.team || []).find((m) => m.member_id === memberId)?.name || '';
}

// On a phone each report is a small card of labelled lines, so the amounts stay in view.
// A team member sees their own reports; an admin sees all, with who reported each.
function reports(a, me) {
  const admin = isAdmin();
  const shown = admin || !teamSized(a) ? a.reports : a.reports.filter((r) => whose(a, r) === me.id);
  if (!shown.length) return empty(t('assignment.reports.empty'));
  const byWhom = admin && teamSized(a);
  // what a report booked is the team's fee; a member's own share is in "my share" above
  const feeShown = admin || !teamSized(a);
  const columns = [t('revenue.ref'), t('revenue.date'), t('revenue.amount')];
  if (feeShown) columns.push(t('assignment.fee_booked'));
  if (byWhom) columns.unshift(t('team.reported_by'));
  const numeric = (i) => i >= columns.length - (feeShown ? 2 : 1);
  const cell = (i, value) => h('td', { class: numeric(i) ? 'num' : null, 'data-label': columns[i] }, value);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('assignment.reports') },
    h('table', { class: 'stack' },
      h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: numeric(i) ? 'num' : null }, c)))),
      h('tbody', {}, shown.map((r) => {
        const cells = [h('span', { class: 'ref' }, r.invoice_ref), date(r.invoiced_on), money(r.amount_cents)];
        if (feeShown) cells.push(money(r.fee_cents));
        if (byWhom) cells.unshift(nameOf(a, whose(a, r)));
        return h('tr', {}, cells.map((value, i) => cell(i, value)));
      }))));
}

// The invited member's choice: join the team, or not.
function invitation(a, lead, refresh) {
  const result = h('div', { 'aria-live': 'polite' });
  const act = (what) => async (event) => {
    event.target.disabled = true;
    try {
      await api(`/assignments/${a.id}/team/${what}`, { method: 'POST' });
      if (what === 'accept') {
        await refresh(t('team.accepted'));
      } else {
        toast(t('team.declined'));
        go('#/assignments');
      }
    } catch (error) {
      event.target.disabled = false;
      result.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, error.message));
    }
  };
  return h('section', { class: 'card invitation', 'aria-labelledby': 'invitation-title' },
    h('h2', { id: 'invitation-title' }, t('team.invitation.title')),
    h('p', {}, t('team.invitation.text', { lead: lead ? lead.name : t('team.role.lead') })),
    h('p', { class: 'explain-line' }, t('team.invitation.explain', { cap: money(a.fee_cap_cents) })),
    result,
    h('div', { class: 'actions' },
      button(t('team.accept'), { class: 'primary', onclick: act('accept') }),
      button(t('team.decline'), { onclick: act('decline') })));
}

function statusBadge(m) {
  const kind = { invited: 'status-awarded', active: 'ok', left: '' }[m.status] || '';
  return badge(t(`team.status.${m.status}`), kind);
}

// Who is on the team, with their status; the lead (or an admin) removes a member, a member
// leaves. Only admins see each member's revenue and fee.
function teamTable(a, me, lead, refresh) {
  const admin = isAdmin();
  const columns = [t('team.name'), t('team.role'), t('team.status')];
  if (admin) columns.push(t('team.revenue'), t('team.fee_share'));
  columns.push(t('team.actions'));
  const numeric = (i) => admin && (i === 3 || i === 4);
  // what taking someone off means: leaving, withdrawing an invitation, or removing a member
  const kind = (m) => (m.member_id === me.id && !admin ? 'leave' : (m.status === 'invited' ? 'withdraw' : 'remove'));
  const remove = (m) => async (event) => {
    const self = m.member_id === me.id;
    const ok = await confirmDialog(
      t(`team.${kind(m)}.title`, { name: m.name }),
      t(`team.${kind(m)}.text`, { name: m.name }),
      t(`team.${kind(m)}.confirm`, { name: m.name }),
    );
    if (!ok) return;
    event.target.disabled = true;
    try {
      await api(`/assignments/${a.id}/team/${m.member_id}`, { method: 'DELETE' });
      if (self && !admin) {
        toast(t('team.left'));
        go('#/assignments');
      } else {
        await refresh(t(`team.${kind(m)}.done`, { name: m.name }));
      }
    } catch (error) {
      event.target.disabled = false;
      const slot = event.target.closest('td').querySelector('.field-error');
      slot.textContent = error.message;
      slot.setAttribute('role', 'alert');
    }
  };
  const actions = (m) => {
    // with revenue reported a member stays (if the API says so without the amount, no button)
    if (m.role === 'lead' || m.status === 'left' || m.has_revenue === true) return null;
    const self = m.member_id === me.id;
    // the lead cannot see who has revenue (their figures are private): the API says so if one has
    // (my own revenue I know: with it I stay on the team)
    const mine = a.my_revenue_cents || a.reports.some((r) => whose(a, r) === me.id);
    const mayRemove = admin ? !m.revenue_cents : (self ? m.status === 'active' && !mine : lead && lead.member_id === me.id);
    if (!mayRemove) return null;
    return [
      button(t(`team.${kind(m)}`, { name: m.name }), { onclick: remove(m) }),
      h('p', { class: 'field-error' }),
    ];
  };
  const rows = a.team.map((m) => {
    const cells = [
      h('span', {}, m.name, m.member_id === me.id ? h('span', { class: 'meta' }, ` (${t('team.you')})`) : null),
      t(`team.role.${m.role}`),
      statusBadge(m),
    ];
    if (admin) cells.push(money(m.revenue_cents ?? 0), money(m.fee_cents ?? 0));
    cells.push(actions(m));  // none: an empty cell, hidden on a phone
    return h('tr', {}, cells.map((value, i) => h('td', { class: numeric(i) ? 'num' : null, 'data-label': columns[i] }, value)));
  });
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('team.members') },
    h('table', { class: 'stack team' },
      h('caption', { class: 'visually-hidden' }, t('team.members')),
      h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: numeric(i) ? 'num' : null }, c)))),
      h('tbody', {}, rows)));
}

// Letters without accents, lower case: "Jan", "jan", "Ján" find Ján.
const plain = (text) => String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

// The lead invites from the directory: a name typed narrows the active members to pick from.
function inviteForm(a, refresh) {
  // who cannot be invited: whoever is on it or invited, and the referrer (their share and a
  // fee would mix)
  const onTeam = new Set(a.team.filter((m) => m.status !== 'left').map((m) => m.member_id));
  if (a.referrer_id) onTeam.add(a.referrer_id);
  const matches = h('div', { class: 'picks', 'aria-live': 'polite' });
  const form = h('form', { class: 'form invite', novalidate: true, 'aria-labelledby': 'invite-title' },
    h('div', { class: 'filters' },
      field({
        name: 'member_id', label: t('team.search'), type: 'search', hint: t('team.search.hint'),
        attrs: { autocomplete: 'off', 'data-check': 'none' },
      }),
      h('div', { class: 'actions' }, submit(t('team.search.button'), { value: '', class: '' }))),
    matches);
  const input = form.querySelector('input[name=member_id]');
  let directory = null;
  const show = async () => {
    const wanted = plain(input.value.trim());
    if (!wanted) {
      matches.replaceChildren();
      return;
    }
    directory = directory || await all('/members');
    const found = directory.filter((m) => !onTeam.has(m.id) && plain(m.name).includes(wanted)).slice(0, 10);
    matches.replaceChildren(found.length
      ? h('ul', { class: 'list', 'aria-label': t('team.search.results') }, found.map((m) => h('li', { class: 'list-item plain pick' },
        h('span', { class: 'pick-who' }, h('strong', {}, m.name), m.headline ? h('span', { class: 'meta' }, ` · ${m.headline}`) : null),
        submit(t('team.invite', { name: m.name }), { value: m.id }))))
      : empty(t('team.search.none')));
  };
  input.addEventListener('input', () => { show().catch(() => {}); });
  onSubmit(form, async (_data, event) => {
    const memberId = event.submitter && event.submitter.value;
    if (!memberId) {
      await show();
      return;
    }
    const name = (directory || []).find((m) => m.id === memberId)?.name || '';
    await api(`/assignments/${a.id}/team`, { method: 'POST', body: { member_id: memberId } });
    await refresh(t('team.invited', { name }));
  });
  return [h('h3', { id: 'invite-title', class: 'spaced' }, t('team.invite.title')), h('p', {}, t('team.invite.intro')), form];
}

function teamSection(a, me, refresh) {
  const lead = a.team.find((m) => m.role === 'lead');
  const leading = (lead && lead.member_id === me.id) || isAdmin();
  return h('section', { class: 'card', 'aria-labelledby': 'team-title' },
    h('h2', { id: 'team-title' }, t('team.title')),
    h('p', { class: 'explain-line' }, t(isAdmin() ? 'team.explain.admin' : 'team.explain')),
    teamTable(a, me, lead, refresh),
    leading && a.status !== 'closed' ? inviteForm(a, refresh) : null);
}

// The figures: the team's totals for everyone who may see the assignment; my own share for a
// member of a team; never another member's.
function figures(a, o, mine) {
  const team = teamSized(a);
  return h('section', { class: 'card', 'aria-labelledby': 'figures-title' },
    h('h2', { id: 'figures-title', class: 'visually-hidden' }, t('team.figures')),
    h('dl', { class: 'details' },
      h('dt', {}, t('assignment.opportunity')), h('dd', {}, h('a', { href: `#/opportunities/${o.id}` }, o.title)),
      h('dt', {}, t('assignment.tier')), h('dd', {}, t(`tier.${a.contribution}`)),
      h('dt', {}, t('assignment.starts')), h('dd', {}, date(a.starts_on)),
      h('dt', {}, t('assignment.created')), h('dd', {}, dateTime(a.created_at)),
      h('dt', {}, t(team ? 'team.revenue_total' : 'assignment.revenue')),
      h('dd', { 'data-testid': 'revenue' }, money(a.cumulative_revenue_cents)),
      a.referrer_id ? [h('dt', {}, t('assignment.referrer_share')), h('dd', {}, money(a.cumulative_referrer_share_cents))] : null),
    moneyBar(a.cumulative_fee_cents, a.fee_cap_cents, t(team ? 'team.fee' : 'assignment.fee')),
    a.remaining_to_cap_cents === 0 ? h('p', { class: 'notice' }, t('assignment.capped')) : null,
    team && mine
      ? h('div', { class: 'my-share', role: 'group', 'aria-labelledby': 'my-share-title' },
        h('h3', { id: 'my-share-title' }, t('team.mine.title')),
        h('dl', { class: 'details' },
          h('dt', {}, t('team.my_revenue')), h('dd', { 'data-testid': 'my-revenue' }, money(myRevenue(a))),
          h('dt', {}, t('team.my_fee')), h('dd', { 'data-testid': 'my-fee' }, money(myFee(a)))),
        h('p', { class: 'explain-line' }, t('team.mine.explain')))
      : null);
}

async function renderOne(main, params) {
  const heading = h('h1', {}, t('assignment.heading'));
  const body = h('div');
  main.append(heading, body);
  // after an action: the page again, its result on top with the focus (not on <body>)
  const refresh = async (result) => {
    await load();
    if (result) announce(body, result);
  };
  const load = () => section(body, async () => {
    const [a, me] = await Promise.all([api(`/assignments/${params.id}`), whoAmI()]);
    const o = await api(`/opportunities/${a.opportunity_id}`);
    heading.textContent = o.title;
    // before teams, an assignment had one member: it is a team of one, its member the lead
    a.team = a.team || [{ member_id: a.member_id, name: '', role: 'lead', status: 'active' }];
    const myPlace = a.team.find((m) => m.member_id === me.id);
    const lead = a.team.find((m) => m.role === 'lead');
    const invited = myPlace && myPlace.status === 'invited';
    // every active team member reports; an admin may report on a member's behalf (also after they left)
    const reporting = (myPlace && myPlace.status === 'active') || isAdmin();
    const shown = a.team.length > 1 || isAdmin() || (lead && lead.member_id === me.id);
    return [
      invited ? invitation(a, lead, refresh) : null,
      figures(a, o, Boolean(myPlace) && !invited),
      reporting ? revenueForm(a, refresh) : null,
      shown && a.team[0].name !== '' ? teamSection(a, me, refresh) : null,
      // the referrer of a joint assignment sees its totals, not its reports (they are a member's)
      invited || (!myPlace && !isAdmin() && teamSized(a)) ? null : h('section', { class: 'card' },
        h('h2', {}, t(teamSized(a) && !isAdmin() ? 'team.reports.mine' : 'assignment.reports')),
        reports(a, me)),
    ].filter(Boolean);
  });
  await refresh();
}

export const routes = [
  { path: '/assignments', access: 'member', title: 'assignments.title', nav: { key: 'nav.assignments', group: 'member', order: 30 }, render: renderList },
  { path: '/assignments/:id', access: 'member', title: 'assignment.heading', render: renderOne },
];
