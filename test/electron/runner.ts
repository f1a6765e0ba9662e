/**
 * A very small test runner for code that must run inside an editor's extension host, where node:test's
 * process-per-file model does not fit. Tests run in order; each result is recorded, none stops the rest.
 */
export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

type TestFn = () => Promise<void> | void;

const registered: { name: string; fn: TestFn; timeoutMs: number }[] = [];

export function test(name: string, fn: TestFn, timeoutMs = 30_000): void {
  registered.push({ name, fn, timeoutMs });
}

export async function runRegistered(log: (line: string) => void = () => {}): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const { name, fn, timeoutMs } of registered) {
    const start = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(fn),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      results.push({ name, ok: true, ms: Date.now() - start });
      log(`ok - ${name}`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      results.push({ name, ok: false, ms: Date.now() - start, error });
      log(`not ok - ${name}\n${error}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}
