// Treasurer: applications to approve or reject.
import { api } from '../../api.js';
import { t, dateTime } from '../../i18n.js';
import { go } from '../../router.js';
import { badge, button, field, h, onSubmit, section, submit, toast } from '../../ui.js';
import { memberLink, pagedList } from './lists.js';

function application(a, reload) {
  const reject = h('form', { class: 'form inline', novalidate: true, hidden: true },
    field({ name: 'reason', label: t('applications.reason', { name: a.name }), required: true }),
    submit(t('applications.reject.confirm', { name: a.name }), { class: 'danger' }));
  onSubmit(reject, async (data) => {
    await api(`/applications/${a.id}/reject`, { method: 'POST', body: { reason: data.get('reason') } });
    toast(t('applications.rejected', { name: a.name }));
    await reload();
  });
  const approve = button(t('applications.approve', { name: a.name }), {
    class: 'primary',
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        await api(`/applications/${a.id}/approve`, { method: 'POST' });
        toast(t('applications.approved', { name: a.name }));
        await reload();
      } catch (error) {
        event.target.disabled = false;
        toast(error.message);
      }
    },
  });
  const showReject = button(t('applications.reject', { name: a.name }), {
    onclick: () => { reject.hidden = false; reject.querySelector('input').focus(); },
  });
  return h('li', { class: 'card list-item' },
    h('h2', { class: 'item-title' }, a.status === 'approved' ? memberLink(a.id, a.name) : a.name),
    h('p', { class: 'meta' }, a.email, ' · ', t('applications.years', { years: a.years_experience }), ' · ', dateTime(a.created_at)),
    h('p', { class: 'tags' }, a.disciplines.map((d) => badge(d, 'tag')), a.sectors.map((s) => badge(s, 'tag sector'))),
    a.motivation ? h('blockquote', {}, a.motivation) : null,
    a.referred_by_email ? h('p', {}, t('applications.referred', { email: a.referred_by_email })) : null,
    a.linkedin_url ? h('p', {}, h('a', { href: a.linkedin_url, rel: 'noopener', target: '_blank' }, 'LinkedIn')) : null,
    a.rejection_reason ? h('p', {}, t('applications.reason.was', { reason: a.rejection_reason })) : null,
    a.status === 'pending' ? h('div', { class: 'actions' }, approve, showReject) : null,
    a.status === 'pending' ? reject : null);
}

async function render(main, _params, query) {
  const status = query.get('status') || 'pending';
  const filter = field({
    name: 'status', label: t('applications.status'), type: 'select', value: status,
    options: ['pending', 'approved', 'rejected'].map((s) => [s, t(`applications.status.${s}`)]),
  });
  filter.querySelector('select').addEventListener('change', (event) => go(`#/admin/applications?status=${event.target.value}`));
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('applications.title')), h('div', { class: 'filters' }, filter), body);
  const reload = () => section(body, () => pagedList('/applications', {
    query: { status }, item: (a) => application(a, reload), emptyText: t('applications.empty'),
  }));
  await reload();
}

export const routes = [
  { path: '/admin/applications', access: 'admin', title: 'applications.title', nav: { key: 'nav.applications', group: 'admin', order: 10 }, render },
];
