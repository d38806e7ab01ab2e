// What the treasurer's lists share: a search box (name, e-mail or payment reference), a link
// to a member's page, and a list that loads the next page ("Meer laden") by following `next`.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { go } from '../../router.js';
import { button, empty, errorBox, field, h, submit } from '../../ui.js';

export const PAGE_SIZE = 50;

export function memberLink(id, name) {
  return h('a', { href: `#/admin/members/${encodeURIComponent(id)}` }, name);
}

// A search form; submitting it goes to `hash` with ?q=... (and the other `keep` parameters).
export function searchForm({ hash, value = '', keep = {}, label = t('search.label') }) {
  const kept = new URLSearchParams(Object.entries(keep).filter(([, v]) => v));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': label },
    field({ name: 'q', label, type: 'search', value, hint: t('search.hint'), attrs: { autocomplete: 'off' } }),
    h('div', { class: 'actions' }, submit(t('search.submit')),
      value ? h('a', { href: `${hash}${kept.toString() ? `?${kept}` : ''}` }, t('search.clear')) : null));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const wanted = new URLSearchParams();
    for (const [name, kept] of Object.entries(keep)) if (kept) wanted.set(name, kept);
    const q = new FormData(form).get('q').trim();
    if (q) wanted.set('q', q);
    go(`${hash}${wanted.toString() ? `?${wanted}` : ''}`);
  });
  return form;
}

// The first page of `path` as a list, with "Meer laden" while the API says there is more.
// Answers [summary?, list or empty text, more button]; `head(page)` builds the summary.
export async function pagedList(path, { query = {}, item, emptyText, head }) {
  const first = await api(path, { query: { ...query, limit: PAGE_SIZE } });
  const list = h('ul', { class: 'list' }, first.items.map(item));
  const footer = h('div', { class: 'actions' });
  const more = (cursor) => button(t('list.more'), {
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        const page = await api(path, { query: { ...query, limit: PAGE_SIZE, cursor } });
        const added = page.items.map(item);
        list.append(...added);
        footer.replaceChildren(...(page.next ? [more(page.next)] : []));
        // the first new entry takes the focus, so a keyboard user reads on where they were
        added[0]?.querySelector('a, button')?.focus();
      } catch (error) {
        event.target.disabled = false;
        footer.append(errorBox(error));
      }
    },
  });
  if (first.next) footer.append(more(first.next));
  return [head ? head(first) : null, first.items.length ? list : empty(emptyText), footer].filter(Boolean);
}
