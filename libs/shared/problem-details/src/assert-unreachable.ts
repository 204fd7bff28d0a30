/** Closes an exhaustive switch: adding a case to the union fails compilation here. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unreachable case: ${JSON.stringify(value)}`);
}
