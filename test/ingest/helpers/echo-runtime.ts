export function describeRuntime(): string {
  const typed: string = 'ts-worker';
  return typed;
}
