// Unsubscribing from mails about new opportunities, from the link in such a mail (no sign-in:
// the signed token is the proof). Opening the page changes nothing (mail scanners open links);
// only the button does, and the profile turns the mails on again.
import { api, ApiError } from '../api.js';
import { t } from '../i18n.js';
import { h, onSubmit, submit } from '../ui.js';

function profileLink() {
  return h('p', {}, t('unsubscribe.again'), ' ', h('a', { href: '#/profile' }, t('unsubscribe.profile')));
}

async function render(main, _params, query) {
  const token = (query.get('token') || '').trim();
  const body = h('div', { 'aria-live': 'polite' });
  main.append(h('h1', {}, t('unsubscribe.title')), body);
  if (!token) {
    body.append(h('section', { class: 'card' },
      h('div', { class: 'form-error', role: 'alert' }, t('unsubscribe.invalid')), profileLink()));
    return;
  }
  const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'unsubscribe-what' },
    h('p', { id: 'unsubscribe-what' }, t('unsubscribe.text')),
    h('p', {}, t('unsubscribe.still')),
    h('div', { class: 'actions' }, submit(t('unsubscribe.submit'))),
    h('p', { class: 'meta' }, t('unsubscribe.instead'), ' ', h('a', { href: '#/profile' }, t('unsubscribe.instead.link'))));
  onSubmit(form, async () => {
    try {
      await api('/unsubscribe', {
        method: 'POST', auth: false, query: { token }, body: { 'List-Unsubscribe': 'One-Click' },
      });
    } catch (error) {
      if (error.status === 400) throw new ApiError(400, error.code, t('unsubscribe.invalid'));
      throw error;
    }
    body.replaceChildren(h('section', { class: 'card' },
      h('p', { role: 'status' }, h('strong', {}, t('unsubscribe.done'))), profileLink()));
    main.querySelector('h1')?.focus();
  });
  body.append(form);
}

export const routes = [
  { path: '/unsubscribe', access: 'public', title: 'unsubscribe.title', render },
];
