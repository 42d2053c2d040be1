/**
 * `run` on each input, at most `limit` at a time (each worker takes the next input as soon as its previous one
 * is done), the results in the inputs' order. The first rejection rejects the whole; the runs already started
 * go on.
 */
export async function mapConcurrently<T, R>(
  inputs: readonly T[],
  limit: number,
  run: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next;
      next += 1;
      results[i] = await run(inputs[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}
