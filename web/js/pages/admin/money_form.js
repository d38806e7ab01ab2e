// The form the treasurer uses for money received from or paid out to a member.
import { t, today } from '../../i18n.js';
import { field, h, onSubmit, parseEuros, submit } from '../../ui.js';

export function moneyForm({ label, submitText, onSave }) {
  const form = h('form', { class: 'form inline-grid', novalidate: true, 'aria-label': label },
    field({ name: 'amount_cents', label: t('money.amount'), required: true, attrs: { inputmode: 'decimal', autocomplete: 'off' } }),
    field({ name: 'received_on', label: t('money.date'), type: 'date', value: today(), required: true }),
    field({ name: 'reference', label: t('money.reference'), required: true, hint: t('money.reference.hint') }),
    h('div', { class: 'actions' }, submit(submitText)));
  onSubmit(form, async (data) => {
    const cents = parseEuros(data.get('amount_cents'));
    if (cents === null || cents <= 0) {
      throw { message: t('money.amount.bad'), fields: [{ field: 'amount_cents', message: t('money.amount.bad') }] };
    }
    await onSave({ amount_cents: cents, received_on: data.get('received_on'), reference: data.get('reference').trim() });
  });
  return form;
}
