/**
 * Whether a zod schema's output and the contract type it describes are the same shape (the same
 * keys, each of the same type). The contract types stay the source of truth (workflow code cannot
 * carry zod); each schema of the wire is held to its type with this, so the type-check fails
 * where the two drift apart.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
