// Disciplines and sectors as the collective knows them (GET /vocabulary, public): offered
// with autocomplete (a <datalist>) in the member's language on the apply, profile and
// new-opportunity forms, and shown by their label instead of their stored id.
import { api } from './api.js';
import { currentLanguage, t } from './i18n.js';
import { field, h, onSubmit, submit, tags } from './ui.js';

let loading = null;

export function vocabulary() {
  loading ??= api('/vocabulary', { auth: false }).catch(() => {
    loading = null; // try again next time; the forms work without suggestions
    return { disciplines: [], sectors: [] };
  });
  return loading;
}

function terms(known, kind) {
  return kind === 'sector' ? known.sectors : known.disciplines;
}

function label(term) {
  return currentLanguage() === 'en' ? term.label_en : term.label_nl;
}

// The label of a stored discipline or sector (its id), or the value itself.
export function labelOf(known, kind, value) {
  const term = terms(known, kind).find((candidate) => candidate.id === value);
  return term ? label(term) : value;
}

// Suggestions for the text field `name` inside `form` (comma-separated, or one value when
// `single`): after each comma the known ones are offered again. Stored ids already in the
// field are shown by their labels (saving a label stores the same id again).
export async function suggest(form, name, kind, { single = false } = {}) {
  const input = form.querySelector(`[name="${name}"]`);
  if (!input) return;
  const known = await vocabulary();
  const options = terms(known, kind);
  if (!options.length) return;
  const list = document.createElement('datalist');
  list.id = `${input.id}-suggestions`;
  input.setAttribute('list', list.id);
  input.setAttribute('autocomplete', 'off');
  input.after(list);
  if (input.value && input.value === input.defaultValue) {
    const shown = input.value.split(',').map((part) => labelOf(known, kind, part.trim())).filter(Boolean);
    input.value = shown.join(', ');
    input.defaultValue = input.value;
  }
  const labels = [...new Set(options.map(label))].sort((a, b) => a.localeCompare(b, currentLanguage()));
  const refill = () => {
    const cut = single ? -1 : input.value.lastIndexOf(',');
    const before = cut < 0 ? '' : `${input.value.slice(0, cut + 1).trimEnd()} `;
    const chosen = new Set(before.split(',').map((part) => part.trim().toLowerCase()));
    list.replaceChildren(...labels
      .filter((text) => !chosen.has(text.toLowerCase()))
      .map((text) => {
        const option = document.createElement('option');
        option.value = `${before}${text}`;
        return option;
      }));
  };
  input.addEventListener('input', refill);
  input.addEventListener('focus', refill);
  refill();
}

// On a (mailed-in) opportunity without disciplines, for its referrer or an admin: give them,
// so the members they match hear of it (PUT /opportunities/{id}/disciplines).
export function addDisciplines(o, refresh) {
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'disciplines', label: t('disciplines.add.label'), required: true, hint: t('apply.disciplines.hint') }),
    h('div', { class: 'actions' }, submit(t('disciplines.add.submit'))));
  suggest(form, 'disciplines', 'discipline');
  onSubmit(form, async (data) => {
    await api(`/opportunities/${o.id}/disciplines`, { method: 'PUT', body: { disciplines: tags(data.get('disciplines')) } });
    await refresh(t('disciplines.add.done'));
  });
  return h('section', { class: 'card', 'aria-labelledby': 'add-disciplines-title' },
    h('h2', { id: 'add-disciplines-title' }, t('disciplines.add.title')),
    h('p', {}, t('disciplines.add.intro')), form);
}

// Discipline and sector badges (`.badge.tag`) show the label of a known term in the reader's
// language instead of its stored id ("ux-design" -> "UX-ontwerp"), on every page.
export function showLabels(root) {
  const relabel = (known, node) => {
    const tags = node.matches?.('.badge.tag') ? [node] : [...(node.querySelectorAll?.('.badge.tag') || [])];
    for (const tag of tags) {
      const kind = tag.classList.contains('sector') ? 'sector' : 'discipline';
      const text = tag.textContent;
      const shown = labelOf(known, kind, text);
      if (shown !== text) {
        tag.textContent = shown;
        tag.title = text;
      }
    }
  };
  vocabulary().then((known) => {
    relabel(known, root);
    new MutationObserver((changes) => {
      for (const change of changes) change.addedNodes.forEach((node) => relabel(known, node));
    }).observe(root, { childList: true, subtree: true });
  });
}
