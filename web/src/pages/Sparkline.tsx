/**
 * A sparkline: one small SVG polyline of a series, scaled to its own range, with a dot on the last point. Withheld
 * values are gaps (the line breaks around them), never drawn as zero. The SVG is an image whose label says what it
 * shows in words; the numbers themselves are in the table beside it.
 */
const WIDTH = 120;
const HEIGHT = 28;
const PAD = 3;

export function Sparkline({ values, label }: { values: readonly (number | null)[]; label: string }) {
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...known);
  const min = Math.min(0, ...known);
  const x = (i: number): number =>
    values.length <= 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (values.length - 1);
  const y = (v: number): number => HEIGHT - PAD - ((v - min) * (HEIGHT - 2 * PAD)) / (max - min || 1);
  // Runs of consecutive published values: each is one polyline, so a withheld quarter is a visible gap.
  const runs: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null) runs.push([]);
    else runs[runs.length - 1]?.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      role="img"
      aria-label={label}
    >
      {runs
        .filter((run) => run.length > 0)
        .map((run, i) =>
          run.length === 1 ? (
            <circle key={i} cx={run[0]?.split(',')[0]} cy={run[0]?.split(',')[1]} r="1.5" />
          ) : (
            <polyline key={i} points={run.join(' ')} />
          ),
        )}
      {last === null || last === undefined ? null : (
        <circle class="last" cx={x(lastIndex)} cy={y(last)} r="2.5" />
      )}
    </svg>
  );
}
