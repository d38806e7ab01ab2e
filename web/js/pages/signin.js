// Signing in (and the first sign-in's new password), and a forgotten password.
import { confirmForgotPassword, forgotPassword, setNewPassword, signIn, AuthError } from '../auth.js';
import { getConfig } from '../config.js';
import { currentLanguage, loadLanguage, t } from '../i18n.js';
import { forget, whoAmI } from '../api.js';
import { go, takeReturn } from '../router.js';
import { field, h, onSubmit, submit } from '../ui.js';

// Cognito's error codes in words a person understands.
function explain(error) {
  if (!(error instanceof AuthError)) return error;
  const key = `auth.error.${error.code}`;
  const known = ['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException',
    'CodeMismatchException', 'ExpiredCodeException', 'LimitExceededException', 'NetworkError',
    'InvalidParameterException', 'PasswordResetRequiredException', 'UserNotConfirmedException'];
  // anything else Cognito says is in English and technical: a sentence of our own instead
  const message = known.includes(error.code) ? t(key) : t('auth.error.other');
  // Cognito says "Password does not conform to policy: ..." in English: say the rules instead
  const fields = error.code === 'InvalidPasswordException' ? [{ field: 'password', message: t('password.policy') }] : [];
  return { message, fields };
}

// The user pool's password policy (infra/stack/identity.py): at least 12 characters, a
// lower-case and an upper-case letter and a digit. Checked before sending, in words.
export function passwordProblem(password) {
  const missing = [
    password.length < 12 ? t('password.rule.length') : null,
    /[a-z]/.test(password) ? null : t('password.rule.lower'),
    /[A-Z]/.test(password) ? null : t('password.rule.upper'),
    /[0-9]/.test(password) ? null : t('password.rule.digit'),
  ].filter(Boolean);
  if (!password) return t('password.empty');
  return missing.length ? t('password.missing', { missing: missing.join(', ') }) : null;
}

// Stops the form with the message next to the field (the API's way, see ui.showError).
function refuse(field, message) {
  throw { message, fields: [{ field, message }] };
}

export function checkNewPassword(password, repeat, field = 'password') {
  const problem = passwordProblem(password);
  if (problem) refuse(field, problem);
  if (repeat !== undefined && password !== repeat) refuse('repeat', t('signin.new.mismatch'));
}

function checkEmail(email) {
  const text = String(email || '').trim();
  if (!text) refuse('email', t('forgot.email.empty'));
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text)) refuse('email', t('forgot.email.bad'));
}

// Locally no mail leaves the machine: the local web server shows what was sent.
export function localMailbox() {
  if (getConfig().stage !== 'local') return null;
  return h('p', { class: 'notice' }, t('local.mailbox.text'), ' ', h('a', { href: 'mailbox' }, t('local.mailbox.link')));
}

// Signed in: the app takes the language of the profile (the one the mails follow too).
async function signedIn() {
  forget();
  try {
    const me = await whoAmI();
    if (me.language && me.language !== currentLanguage()) await loadLanguage(me.language);
  } catch { /* the page itself will say what is wrong */ }
  go(takeReturn());
}

function newPasswordForm(main, challenge) {
  const form = h('form', { class: 'card form', novalidate: true },
    h('p', {}, t('signin.new.text')),
    field({ name: 'password', label: t('signin.new.password'), type: 'password', required: true, hint: t('signin.password.hint'), attrs: { autocomplete: 'new-password' } }),
    field({ name: 'repeat', label: t('signin.new.repeat'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } }),
    h('div', { class: 'actions' }, submit(t('signin.new.submit'))));
  onSubmit(form, async (data) => {
    checkNewPassword(data.get('password'), data.get('repeat'));
    try {
      await setNewPassword(challenge.username, challenge.session, data.get('password'));
    } catch (error) {
      throw explain(error);
    }
    await signedIn();
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
    else await signedIn();
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
    checkEmail(email);
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
      if (!String(more.get('code') || '').trim()) refuse('code', t('forgot.code.empty'));
      checkNewPassword(more.get('password'));
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
