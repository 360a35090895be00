/** A 3-12-1 network's layers: a cheap run (trial-budget.ts), so convdoc chooses 5 seeds and a second look (sequential.ts). */
export const CHEAP_LAYERS = [3, 12, 1].map((units, index) => ({
  name: `dense_${index}`,
  type: 'dense',
  activation: 'relu',
  outputShape: [null, units],
  params: 13 * units,
}));
