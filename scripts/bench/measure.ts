/** One benchmark figure: the median over repeated runs, with the spread. */
export interface BenchFigure {
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Runs `sample` `runs` times; each run returns one value in `unit`. */
export async function measure(name: string, unit: string, runs: number, sample: () => number | Promise<number>): Promise<BenchFigure> {
  const values: number[] = [];
  for (let i = 0; i < runs; i++) values.push(await sample());
  values.sort((a, b) => a - b);
  const middle = Math.floor(values.length / 2);
  const median = values.length % 2 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
  return { name, unit, median, min: values[0]!, max: values.at(-1)!, runs };
}

export function formatTable(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [f.name, _format(f.median), _format(f.min), _format(f.max), f.unit, String(f.runs)]);
  const header = ["benchmark", "median", "min", "max", "unit", "runs"];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 || i === 4 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function _format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value >= 1 || value === 0 ? value.toFixed(2) : value.toFixed(4);
}
