// My profile (headline, disciplines, sectors, available, mails, language of mails and app), and
// cancelling my membership (what it means, confirmed).
import { api, forget, whoAmI } from '../api.js';
import { changePassword, signOut } from '../auth.js';
import { currentLanguage, loadLanguage, t } from '../i18n.js';
import { suggest } from '../vocabulary.js';
import { go, render as rerender } from '../router.js';
import { announce, button, confirmDialog, field, h, onSubmit, radios, submit, tags, toast } from '../ui.js';
import { checkNewPassword } from './signin.js';

async function render(main) {
  const me = await whoAmI();
  const notify = field({ name: 'notify_opportunities', label: t('profile.notify'), type: 'checkbox', value: me.notify_opportunities, hint: t('profile.notify.hint') });
  // How often only matters while the mails are on; a disabled choice is not sent.
  const frequency = radios({
    name: 'opportunity_mail', legend: t('profile.frequency'), value: me.opportunity_mail,
    options: ['each', 'weekly'].map((how) => [how, t(`profile.frequency.${how}`), t(`profile.frequency.${how}.explain`)]),
  });
  const checkbox = notify.querySelector('input');
  const follow = () => { frequency.disabled = !checkbox.checked; };
  checkbox.addEventListener('change', follow);
  follow();
  const form = h('form', { class: 'card form', novalidate: true },
    h('p', {}, h('strong', {}, me.name), ' · ', me.email),
    field({ name: 'headline', label: t('profile.headline'), value: me.headline, hint: t('profile.headline.hint') }),
    field({ name: 'disciplines', label: t('profile.disciplines'), value: me.disciplines.join(', '), required: true, hint: t('apply.disciplines.hint') }),
    field({ name: 'sectors', label: t('profile.sectors'), value: me.sectors.join(', '), hint: t('apply.sectors.hint') }),
    field({ name: 'available', label: t('profile.available'), type: 'checkbox', value: me.available }),
    h('h2', { class: 'spaced' }, t('profile.mails')),
    notify,
    frequency,
    field({ name: 'notify_meetings', label: t('profile.notify_meetings'), type: 'checkbox', value: me.notify_meetings, hint: t('profile.notify_meetings.hint') }),
    field({
      name: 'language', label: t('profile.language'), type: 'select', value: me.language || currentLanguage(),
      hint: t('profile.language.hint'), options: [['nl', 'Nederlands'], ['en', 'English']],
    }),
    h('div', { class: 'actions' }, submit(t('profile.save'))));
  suggest(form, 'disciplines', 'discipline'); // the known ones, in the reader's language
  suggest(form, 'sectors', 'sector');
  onSubmit(form, async (data) => {
    await api('/members/me', {
      method: 'PATCH',
      body: {
        headline: data.get('headline'),
        disciplines: tags(data.get('disciplines')),
        sectors: tags(data.get('sectors')),
        available: data.get('available') === 'on',
        notify_opportunities: data.get('notify_opportunities') === 'on',
        opportunity_mail: data.get('opportunity_mail') || undefined,
        notify_meetings: data.get('notify_meetings') === 'on',
        language: data.get('language'),
      },
    });
    forget();
    if (data.get('language') !== currentLanguage()) {
      await loadLanguage(data.get('language'));
      await rerender();
      const again = document.querySelector('#main form');
      if (again) announce(again, t('profile.saved'));
    } else {
      announce(form, t('profile.saved'));
    }
  });
  const cancel = button(t('cancel.button'), {
    class: 'danger',
    onclick: async () => {
      if (!await confirmDialog(t('cancel.confirm.title'), t('cancel.confirm.text'), t('cancel.confirm.yes'))) return;
      try {
        await api('/members/me/cancel', { method: 'POST' });
      } catch (error) {
        toast(error.message);
        return;
      }
      signOut();
      forget();
      sessionStorage.setItem('coop.notice', 'cancelled');
      go('#/signin');
    },
  });
  main.append(
    h('h1', {}, t('profile.title')), form, await bankAccountSection(), passwordSection(),
    h('section', { class: 'card danger-zone', 'aria-labelledby': 'cancel-title' },
      h('h2', { id: 'cancel-title' }, t('cancel.title')),
      h('ul', {}, ['cancel.what.1', 'cancel.what.2', 'cancel.what.3', 'cancel.what.4'].map((k) => h('li', {}, t(k)))),
      cancel));
}

// The IBAN and account holder payouts go to. The API checks the IBAN (country, length, mod 97)
// and says what is wrong next to the field; it answers the IBAN masked but its last four.
async function bankAccountSection() {
  const account = await api('/members/me/bank-account');
  const current = h('p', { 'data-testid': 'bank-account-current' }, account.iban
    ? t('bank.account.current', { iban: account.iban, holder: account.account_holder })
    : t('bank.account.none'));
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'bank-account-title' },
    field({ name: 'iban', label: t('bank.account.iban'), required: true, hint: t('bank.account.iban.hint'), attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters' } }),
    field({ name: 'account_holder', label: t('bank.account.holder'), required: true, value: account.account_holder || '', hint: t('bank.account.holder.hint'), attrs: { maxlength: 70, autocomplete: 'name' } }),
    h('div', { class: 'actions' }, submit(t('bank.account.save'))));
  onSubmit(form, async (data) => {
    const saved = await api('/members/me/bank-account', {
      method: 'PUT',
      body: { iban: data.get('iban'), account_holder: data.get('account_holder') },
    });
    current.textContent = t('bank.account.current', { iban: saved.iban, holder: saved.account_holder });
    form.querySelector('[name=iban]').value = '';
    announce(form, t('bank.account.saved', { iban: saved.iban }));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'bank-account-title' },
    h('h2', { id: 'bank-account-title' }, t('bank.account.title')),
    h('p', {}, t('bank.account.intro')), current, h('p', { class: 'hint' }, t('bank.account.mailed')), form);
}

// Changing one's password: the current one, then a new one by the pool's rules (checked here
// first, in words), twice.
function passwordSection() {
  const form = h('form', { class: 'form', novalidate: true, 'aria-labelledby': 'password-title' },
    field({ name: 'current', label: t('password.current'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    field({ name: 'password', label: t('password.new'), type: 'password', required: true, hint: t('signin.password.hint'), attrs: { autocomplete: 'new-password' } }),
    field({ name: 'repeat', label: t('signin.new.repeat'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    h('div', { class: 'actions' }, submit(t('password.change'))));
  onSubmit(form, async (data) => {
    if (!data.get('current')) throw { message: t('password.current.empty'), fields: [{ field: 'current', message: t('password.current.empty') }] };
    checkNewPassword(data.get('password'), data.get('repeat'));
    try {
      await changePassword(data.get('current'), data.get('password'));
    } catch (error) {
      if (error.code === 'NotAuthorizedException') {
        throw { message: t('password.current.wrong'), fields: [{ field: 'current', message: t('password.current.wrong') }] };
      }
      if (error.code === 'InvalidPasswordException') {
        throw { message: t('auth.error.InvalidPasswordException'), fields: [{ field: 'password', message: t('password.policy') }] };
      }
      if (error.code === 'LimitExceededException' || error.code === 'NetworkError') throw { message: t(`auth.error.${error.code}`) };
      throw { message: t('password.failed') };
    }
    form.reset();
    announce(form, t('password.changed'));
  });
  return h('section', { class: 'card' }, h('h2', { id: 'password-title' }, t('password.title')), form);
}

export const routes = [
  { path: '/profile', access: 'member', title: 'profile.title', nav: { key: 'nav.profile', group: 'member', order: 70 }, render },
];
