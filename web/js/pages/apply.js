// Anyone: apply for membership.
import { api, getPolicy } from '../api.js';
import { t, money } from '../i18n.js';
import { field, h, onSubmit, submit, tags } from '../ui.js';
import { localMailbox } from './signin.js';
import { suggest } from '../vocabulary.js';

async function render(main) {
  let policy = null;
  try {
    policy = await getPolicy();
  } catch { /* the form works without the figures */ }
  const form = h('form', { class: 'card form', novalidate: true, 'aria-labelledby': 'apply-title' },
    field({ name: 'name', label: t('apply.name'), required: true, attrs: { autocomplete: 'name' } }),
    field({ name: 'email', label: t('apply.email'), type: 'email', required: true, attrs: { autocomplete: 'email' } }),
    field({ name: 'disciplines', label: t('apply.disciplines'), required: true, hint: t('apply.disciplines.hint') }),
    field({ name: 'sectors', label: t('apply.sectors'), hint: t('apply.sectors.hint') }),
    field({
      name: 'years_experience', label: t('apply.years'), type: 'number', required: true,
      hint: policy ? t('apply.years.hint', { years: policy.admission_min_years_experience }) : null,
      attrs: { min: 0, max: 80, inputmode: 'numeric' },
    }),
    field({ name: 'linkedin_url', label: t('apply.linkedin'), type: 'url', hint: t('apply.linkedin.hint') }),
    field({ name: 'motivation', label: t('apply.motivation'), type: 'textarea' }),
    field({ name: 'referred_by_email', label: t('apply.referred'), type: 'email', hint: t('apply.referred.hint') }),
    h('div', { class: 'actions' }, submit(t('apply.submit'))));
  suggest(form, 'disciplines', 'discipline'); // the known ones, in the reader's language
  suggest(form, 'sectors', 'sector');
  onSubmit(form, async (data) => {
    const optional = (name) => (data.get(name).trim() ? data.get(name).trim() : undefined);
    const years = data.get('years_experience').trim();
    await api('/applications', {
      method: 'POST',
      auth: false,
      body: {
        name: data.get('name'),
        email: data.get('email'),
        disciplines: tags(data.get('disciplines')),
        sectors: tags(data.get('sectors')),
        years_experience: years === '' || Number.isNaN(Number(years)) ? years : Number(years),
        linkedin_url: optional('linkedin_url'),
        motivation: optional('motivation'),
        referred_by_email: optional('referred_by_email'),
      },
    });
    main.replaceChildren(...[
      h('h1', { tabindex: '-1' }, t('apply.thanks.title')),
      h('div', { class: 'card', role: 'status' }, h('p', {}, t('apply.thanks.text'))),
      localMailbox(),
      h('p', {}, h('a', { href: '#/signin' }, t('apply.thanks.signin'))),
    ].filter(Boolean));
    main.querySelector('h1').focus();
  });
  main.append(...[
    h('h1', { id: 'apply-title' }, t('apply.title')),
    h('p', { class: 'lead' }, t('apply.intro')),
    policy ? h('p', {}, t('apply.costs', {
      registration: money(policy.registration_fee_cents), dues: money(policy.quarterly_dues_cents),
    })) : null,
    form,
  ].filter(Boolean));
}

export const routes = [
  { path: '/apply', access: 'public', title: 'apply.title', nav: { key: 'nav.apply', group: 'guest', order: 20 }, render },
];
