/** Polls until `check` holds (at most ~10 s); the assertion is on the state reached, never on the time taken. */
export async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

