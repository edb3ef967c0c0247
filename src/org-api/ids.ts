/** 15-character form of an Id: Salesforce answers with either form, the first 15 characters identify it. */
export const id15 = (id: string): string => id.slice(0, 15);

/** Whether two Ids name the same record, whichever form (15 or 18 characters) each is in. */
export const sameId = (a: string | null | undefined, b: string | null | undefined): boolean =>
  Boolean(a && b && id15(a) === id15(b));
