// Small DOM helpers: elements, labelled fields with their error slots, page states.
import { t, money } from './i18n.js';

// h('p', {class: 'x', onclick: fn}, 'text', child): an element.
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let fieldCount = 0;

// A labelled input with a hint and an error slot tied to it (aria-describedby).
// kind: text | email | password | number | date | url | textarea | select | checkbox | radio group
export function field({ name, label, type = 'text', value = '', hint, required = false, options, attrs = {} }) {
  const id = `f-${name}-${++fieldCount}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (type === 'textarea') {
    control = h('textarea', { id, name, required, 'aria-describedby': describedBy, rows: 4, ...attrs }, value);
  } else if (type === 'select') {
    control = h('select', { id, name, required, 'aria-describedby': describedBy, ...attrs },
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: String(optionValue) === String(value) }, text)));
  } else if (type === 'checkbox') {
    control = h('input', { id, name, type, checked: Boolean(value), 'aria-describedby': describedBy, ...attrs });
    return h('div', { class: 'field field-check', dataset: { field: name } },
      control, h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'field-error', id: errorId }));
  } else {
    control = h('input', { id, name, type, value, required, 'aria-describedby': describedBy, ...attrs });
  }
  return h('div', { class: 'field', dataset: { field: name } },
    h('div', { class: 'label-row' }, h('label', { for: id }, label),
      required ? h('span', { class: 'required', 'aria-hidden': 'true' }, '*') : null),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId }));
}

// A group of radio buttons in a fieldset with a legend.
export function radios({ name, legend, options, value, hint }) {
  const errorId = `r-${name}-${++fieldCount}-error`;
  return h('fieldset', { class: 'field radios', dataset: { field: name }, 'aria-describedby': errorId },
    h('legend', {}, legend),
    hint ? h('p', { class: 'hint' }, hint) : null,
    options.map(([optionValue, text, explanation]) => {
      const id = `r-${name}-${optionValue}-${++fieldCount}`;
      return h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name, value: optionValue, checked: optionValue === value }),
        h('label', { for: id }, h('strong', {}, text), explanation ? h('span', { class: 'explain' }, explanation) : null));
    }),
    h('p', { class: 'field-error', id: errorId }));
}

export function button(text, attrs = {}) {
  return h('button', { type: 'button', ...attrs }, text);
}

export function submit(text, attrs = {}) {
  return h('button', { type: 'submit', class: 'primary', ...attrs }, text);
}

// The API's field name ("body.email", "disciplines.0", "query.year") as the form's field name.
function fieldName(apiField) {
  return String(apiField).replace(/^(body|query)\./, '').split('.')[0];
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach((slot) => { slot.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((control) => control.removeAttribute('aria-invalid'));
  form.querySelector('.form-error')?.remove();
}

// Shows an error on a form: each field message next to its field, the message on top.
export function showError(form, error) {
  clearErrors(form);
  let first = null;
  const elsewhere = []; // what the API says about no field of this form: told on top
  for (const problem of error.fields || []) {
    const holder = form.querySelector(`[data-field="${fieldName(problem.field)}"]`);
    if (!holder) {
      if (problem.message && problem.message !== error.message && !elsewhere.includes(problem.message)) {
        elsewhere.push(problem.message);
      }
      continue;
    }
    const slot = holder.querySelector('.field-error');
    slot.textContent = slot.textContent ? `${slot.textContent}; ${problem.message}` : problem.message;
    const control = holder.querySelector('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first = first || control;
  }
  const summary = h('div', { class: 'form-error', role: 'alert' },
    [error.message || String(error), ...elsewhere].join(' '));
  form.prepend(summary);
  (first || summary).focus?.();
}

// The obvious, checked before anything is sent (the API checks again and answers the same in
// its words): what is required is filled in, an e-mail address looks like one, numbers are
// whole and within min..max, an amount (a field named amount_cents) is euros above zero.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function problemWith(name, control) {
  const value = control.value.trim();
  const years = name === 'years_experience';
  if (!value) {
    if (!control.required) return null;
    return ['required', t(control.type === 'email' ? 'check.email.required' : 'check.required')];
  }
  if (control.type === 'email' && !EMAIL.test(value)) return ['not_an_email', t('check.email')];
  if (control.type === 'number' || control.dataset.check === 'whole') {
    if (!/^-?\d+$/.test(value)) return ['not_a_whole_number', t(years ? 'check.years' : 'check.whole')];
    const number = Number(value);
    if (control.min !== '' && number < Number(control.min)) {
      return ['below_minimum', t(years ? 'check.years.min' : 'check.min', { min: control.min })];
    }
    if (control.max !== '' && number > Number(control.max)) {
      return ['above_maximum', t(years ? 'check.years.max' : 'check.max', { max: control.max })];
    }
  }
  if (name === 'amount_cents' || control.dataset.check === 'amount') {
    const cents = parseEuros(value);
    if (cents === null) return ['not_an_amount', t('check.amount')];
    if (cents <= 0) return ['below_minimum', t('check.amount.positive')];
  }
  return null;
}

// The form's fields that fail those checks, shaped as the API's `fields` ([{field, code, message}]).
export function checkForm(form) {
  const problems = [];
  for (const holder of form.querySelectorAll('[data-field]')) {
    if (holder.closest('[hidden]')) continue;
    const control = holder.querySelector('input:not([type=radio]):not([type=checkbox]), select, textarea');
    if (!control || control.disabled) continue;
    const found = problemWith(holder.dataset.field, control);
    if (found) {
      const label = holder.querySelector('label')?.textContent.trim() || holder.dataset.field;
      problems.push({ field: holder.dataset.field, code: found[0], message: found[1], label });
    }
  }
  return problems;
}

// Runs an async submit handler with the button disabled and errors shown on the form; the
// obvious mistakes are shown next to their fields before anything is sent.
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button[type=submit]');
    buttons.forEach((b) => { b.disabled = true; });
    clearErrors(form);
    try {
      const problems = checkForm(form);
      if (problems.length) {
        const fields = [...new Set(problems.map((p) => p.label))].join(', ');
        throw { code: 'invalid_input', message: t('check.summary', { fields }), fields: problems };
      }
      await handler(new FormData(form), event);
    } catch (error) {
      if (error.code !== 'expired') showError(form, error);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      // a disabled button loses the focus to <body>: give it back where the person was
      if (document.activeElement === document.body && form.isConnected) (event.submitter || buttons[0])?.focus();
    }
  });
  return form;
}

// After an in-page action: its result in words at the top of the region it changed, with the
// focus on it (a rebuilt region would otherwise drop the focus to <body>).
export function announce(target, text) {
  target.querySelector(':scope > .result')?.remove();
  const note = h('p', { class: 'notice result', role: 'status', tabindex: '-1' }, text);
  target.prepend(note);
  note.focus();
  return note;
}

export function loading() {
  return h('p', { class: 'state state-loading', role: 'status' }, t('state.loading'));
}

export function empty(text) {
  return h('p', { class: 'state state-empty' }, text);
}

export function errorBox(error) {
  return h('div', { class: 'state state-error', role: 'alert' },
    h('strong', {}, t('state.error')), ' ', error.message || String(error));
}

// Renders into `target` what `load` builds, with loading and error states.
export async function section(target, load) {
  target.replaceChildren(loading());
  try {
    target.replaceChildren(...[].concat(await load()));
  } catch (error) {
    if (error.code === 'expired') return;
    target.replaceChildren(errorBox(error));
  }
}

export function toast(text) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.classList.add('visible');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('visible'), 5000);
}

// "1.234,56", "1234.56", "20000", "-50" -> cents (integer); null when not an amount.
export function parseEuros(text) {
  const cleaned = String(text).replace(/[€\s]/g, '');
  const match = /^(-)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(cleaned)
    || /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const euros = match[2].replace(/\./g, '');
  const cents = Number(euros) * 100 + Number((match[3] || '').padEnd(2, '0'));
  return match[1] ? -cents : cents;
}

// A bar of `value` against `max`, with the amounts in words for everyone.
export function moneyBar(value, max, label) {
  const share = max > 0 ? Math.min(100, Math.round((value * 100) / max)) : 0;
  const text = t('bar.of', { value: money(value), max: money(max) });
  return h('div', { class: 'bar-block' },
    h('p', { class: 'bar-label' }, label, ': ', h('strong', {}, text)),
    h('div', { class: 'bar', role: 'img', 'aria-label': `${label}: ${text}` },
      h('div', { class: 'bar-fill', style: `width: ${share}%` })));
}

// A native <dialog> asking to confirm; resolves true when confirmed.
export function confirmDialog(title, text, confirmText) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title),
      h('p', {}, text),
      h('div', { class: 'actions' },
        button(t('action.cancel'), { onclick: () => dialog.close('no') }),
        button(confirmText, { class: 'danger', onclick: () => dialog.close('yes') })));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// "software-development, ux design" -> ["software-development", "ux design"]
export function tags(text) {
  return String(text || '').split(',').map((s) => s.trim()).filter(Boolean);
}

export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}` }, text);
}
