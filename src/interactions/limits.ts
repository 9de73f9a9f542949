/**
 * Discord's limits, in one place: the message parts (which `discord/message.ts` fits every
 * reply to), autocomplete choices (the dispatcher) and custom ids (`button-id.ts`).
 */

export const LIMITS = Object.freeze({
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Characters across all embeds of one message. */
  embedTotal: 6000,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  buttonLabel: 80,
});
