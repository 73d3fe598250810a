/** Median of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and range of a list of ratios, for the table. */
export function summarise(ratios) {
  return {
    median: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    rounds: ratios.length,
  };
}

/** "0.97x (0.95-0.99)" */
export function formatRatio({ median: m, min, max }) {
  return `${m.toFixed(3)}x (${min.toFixed(3)}-${max.toFixed(3)})`;
}
