import { describe, expect, it } from 'vitest';
import { TextBudget } from '../../src/main/core/ingest/text-budget';
import { AppError } from '../../src/shared/errors';

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('TextBudget', () => {
  it('admits documents while they fit, then in arrival order as text is given back', async () => {
    const budget = new TextBudget(100);
    const releaseA = await budget.acquire(60);
    const b = budget.acquire(50);
    const c = budget.acquire(10); // would fit, but waits its turn behind b
    expect(await settled(b)).toBe(false);
    expect(await settled(c)).toBe(false);
    releaseA();
    const releaseB = await b;
    const releaseC = await c;
    expect(budget.inUse()).toBe(60);
    releaseB();
    releaseB(); // giving back twice changes nothing
    releaseC();
    expect(budget.inUse()).toBe(0);
  });

  it('admits a document larger than the whole budget alone', async () => {
    const budget = new TextBudget(100);
    const small = await budget.acquire(10);
    const huge = budget.acquire(5_000);
    expect(await settled(huge)).toBe(false);
    small();
    const releaseHuge = await huge;
    expect(budget.inUse()).toBe(100);
    const next = budget.acquire(1);
    expect(await settled(next)).toBe(false);
    releaseHuge();
    (await next)();
    expect(budget.inUse()).toBe(0);
  });

  it('gives up a place in line when the job is cancelled, letting the next one in', async () => {
    const budget = new TextBudget(100);
    const first = await budget.acquire(90);
    const controller = new AbortController();
    const cancelled = budget.acquire(50, controller.signal);
    const behind = budget.acquire(5);
    controller.abort();
    await expect(cancelled).rejects.toSatisfy((error: unknown) => AppError.is(error, 'CANCELLED'));
    (await behind)();
    // Already cancelled before asking: the same error, and nothing taken.
    await expect(budget.acquire(50, controller.signal)).rejects.toSatisfy((error: unknown) =>
      AppError.is(error, 'CANCELLED'),
    );
    first();
    expect(budget.inUse()).toBe(0);
  });
});
