/**
 * The offline demo: its one shopper, its merchant id, and the cards the embedded fake
 * Juspay starts with (as Juspay's locker would hold them after checkout).
 */

/** The demo shopper every sign-in signs in. A real shop checks a password. */
export const DEMO_CUSTOMER = 'demo_customer';

/** The merchant id the offline fake requires on list calls, as Juspay does. */
export const DEMO_MERCHANT = 'demo_merchant';

/** @type {import('@juspay-tokens/core/testing').FakeCard[]} */
export const DEMO_CARDS = [
  {
    customerId: DEMO_CUSTOMER,
    cardReference: 'card_ref_mastercard_5454',
    brand: 'MASTERCARD',
    last4: '5454',
    expiryMonth: '11',
    expiryYear: '2027',
    nickname: 'Work card',
  },
  {
    customerId: DEMO_CUSTOMER,
    cardReference: 'card_ref_rupay_6521',
    brand: 'RUPAY',
    last4: '6521',
    expiryMonth: '03',
    expiryYear: '2025',
    type: 'DEBIT',
    expired: true,
  },
  {
    customerId: DEMO_CUSTOMER,
    cardReference: 'card_ref_visa_4242',
    brand: 'VISA',
    last4: '4242',
    expiryMonth: '08',
    expiryYear: '2028',
  },
];
