// Signing in (and the first sign-in's new password), and a forgotten password.
import { confirmForgotPassword, forgotPassword, setNewPassword, signIn, AuthError } from '../auth.js';
import { getConfig } from '../config.js';
import { t } from '../i18n.js';
import { forget } from '../api.js';
import { go, takeReturn } from '../router.js';
import { field, h, onSubmit, submit } from '../ui.js';

// Cognito's error codes in words a person understands.
function explain(error) {
  if (!(error instanceof AuthError)) return error;
  const key = `auth.error.${error.code}`;
  const known = ['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException',
    'CodeMismatchException', 'ExpiredCodeException', 'LimitExceededException', 'NetworkError',
    'InvalidParameterException', 'PasswordResetRequiredException', 'UserNotConfirmedException'];
  const message = known.includes(error.code) ? t(key) : error.message;
  const fields = error.code === 'InvalidPasswordException' ? [{ field: 'password', message: error.message }] : [];
  return { message, fields };
}

// Locally no mail leaves the machine: the local web server shows what was sent.
export function localMailbox() {
  if (getConfig().stage !== 'local') return null;
  return h('p', { class: 'notice' }, t('local.mailbox.text'), ' ', h('a', { href: 'mailbox' }, t('local.mailbox.link')));
}

function signedIn() {
  forget();
  go(takeReturn());
}

function newPasswordForm(main, challenge) {
  const form = h('form', { class: 'card form', novalidate: true },
    h('p', {}, t('signin.new.text')),
    field({ name: 'password', label: t('signin.new.password'), type: 'password', required: true, hint: t('signin.password.hint'), attrs: { autocomplete: 'new-password' } }),
    field({ name: 'repeat', label: t('signin.new.repeat'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    h('div', { class: 'actions' }, submit(t('signin.new.submit'))));
  onSubmit(form, async (data) => {
    if (data.get('password') !== data.get('repeat')) {
      throw { message: t('signin.new.mismatch'), fields: [{ field: 'repeat', message: t('signin.new.mismatch') }] };
    }
    try {
      await setNewPassword(challenge.username, challenge.session, data.get('password'));
    } catch (error) {
      throw explain(error);
    }
    signedIn();
  });
  main.replaceChildren(h('h1', { tabindex: '-1' }, t('signin.new.title')), form);
  form.querySelector('input').focus();
}

async function renderSignIn(main) {
  const notice = sessionStorage.getItem('coop.notice');
  sessionStorage.removeItem('coop.notice');
  const form = h('form', { class: 'card form', novalidate: true },
    field({ name: 'email', label: t('signin.email'), type: 'email', required: true, attrs: { autocomplete: 'username' } }),
    field({ name: 'password', label: t('signin.password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }),
    h('div', { class: 'actions' }, submit(t('signin.submit')), h('a', { href: '#/forgot' }, t('signin.forgot'))));
  onSubmit(form, async (data) => {
    let answer;
    try {
      answer = await signIn(data.get('email'), data.get('password'));
    } catch (error) {
      throw explain(error);
    }
    if (answer.challenge === 'NEW_PASSWORD_REQUIRED') newPasswordForm(main, answer);
    else if (answer.challenge) throw { message: t('signin.unsupported', { challenge: answer.challenge }) };
    else signedIn();
  });
  main.append(...[
    h('h1', {}, t('signin.title')),
    notice ? h('div', { class: 'notice', role: 'status' }, t(`signin.notice.${notice}`)) : null,
    form,
    h('p', {}, t('signin.apply.question'), ' ', h('a', { href: '#/apply' }, t('signin.apply.link'))),
    localMailbox(),
  ].filter(Boolean));
}

async function renderForgot(main) {
  const local = getConfig().stage === 'local';
  const request = h('form', { class: 'card form', novalidate: true },
    h('p', {}, t('forgot.intro')),
    field({ name: 'email', label: t('signin.email'), type: 'email', required: true, attrs: { autocomplete: 'username' } }),
    h('div', { class: 'actions' }, submit(t('forgot.send'))));
  onSubmit(request, async (data) => {
    const email = data.get('email');
    try {
      await forgotPassword(email);
    } catch (error) {
      throw explain(error);
    }
    const confirm = h('form', { class: 'card form', novalidate: true },
      h('p', { role: 'status' }, t('forgot.sent', { email })),
      local ? h('p', { class: 'notice' }, t('forgot.local')) : null,
      field({ name: 'code', label: t('forgot.code'), required: true, attrs: { autocomplete: 'one-time-code', inputmode: 'numeric' } }),
      field({ name: 'password', label: t('forgot.password'), type: 'password', required: true, hint: t('signin.password.hint'), attrs: { autocomplete: 'new-password' } }),
      h('div', { class: 'actions' }, submit(t('forgot.confirm'))));
    onSubmit(confirm, async (more) => {
      try {
        await confirmForgotPassword(email, more.get('code'), more.get('password'));
      } catch (error) {
        throw explain(error);
      }
      sessionStorage.setItem('coop.notice', 'reset');
      go('#/signin');
    });
    request.replaceWith(confirm);
    confirm.querySelector('input').focus();
  });
  main.append(h('h1', {}, t('forgot.title')), request, h('p', {}, h('a', { href: '#/signin' }, t('forgot.back'))));
}

export const routes = [
  { path: '/signin', access: 'guest', title: 'signin.title', nav: { key: 'nav.signin', group: 'guest', order: 10 }, render: renderSignIn },
  { path: '/forgot', access: 'guest', title: 'forgot.title', render: renderForgot },
];
