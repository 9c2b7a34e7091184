/**
 * skipNote is what a conditionally skipped test adds to its name, so a skipped run says why it did
 * not run (`… (skipped: no dockerd)`); empty when the test runs.
 */
export function skipNote(runs: boolean, reason: string): string {
  return runs ? '' : ` (skipped: ${reason})`;
}
