// Text in one catalogue per language (i18n/nl.json, i18n/en.json); Dutch by default.
// Money is always shown the Dutch way (€ 1.234,56); dates and times in Amsterdam time.

const STORAGE_KEY = 'coop.language';
export const LANGUAGES = ['nl', 'en'];
let language = 'nl';
let catalogue = {};

export function currentLanguage() {
  return language;
}

export function preferredLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(stored) ? stored : 'nl';
}

export async function loadLanguage(wanted) {
  const lang = LANGUAGES.includes(wanted) ? wanted : 'nl';
  const response = await fetch(`i18n/${lang}.json`);
  if (!response.ok) throw new Error(`catalogue ${lang}: ${response.status}`);
  catalogue = await response.json();
  language = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

// t('home.pot.percoin', {amount: '€ 5,00', coins: 3}): the text of a key with {placeholders} filled in.
export function t(key, params = {}) {
  const text = catalogue[key];
  if (text === undefined) {
    console.warn(`missing text: ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

export function has(key) {
  return key in catalogue;
}

const MONEY = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR' });
const TIME_ZONE = 'Europe/Amsterdam';

// Integer cents to "€ 1.234,56" (the division is display only; amounts stay cents).
export function money(cents) {
  return MONEY.format(Number(cents) / 100);
}

function locale() {
  return language === 'nl' ? 'nl-NL' : 'en-GB';
}

// "2026-05-04" (a calendar day) or an ISO timestamp, as a date in Amsterdam.
export function date(value) {
  if (!value) return '';
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric' }).format(instant);
}

export function dateTime(value) {
  if (!value) return '';
  return new Intl.DateTimeFormat(locale(), {
    timeZone: TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(value));
}

// Today's date in Amsterdam as YYYY-MM-DD (the default of date fields).
export function today() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function thisYear() {
  return Number(today().slice(0, 4));
}
