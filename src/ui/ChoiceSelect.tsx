/** A select over a code → label table, starting at "Choose…" (the empty value, not yet chosen). */
export function ChoiceSelect<K extends string>({
  labels,
  value,
  onChange,
  id,
  describedBy,
}: {
  labels: Record<K, string>;
  value: K | '';
  onChange: (value: K | '') => void;
  id?: string;
  describedBy?: string;
}) {
  return (
    <select
      id={id}
      value={value}
      aria-describedby={describedBy}
      onChange={(e) => onChange(e.target.value as K | '')}
    >
      <option value="">Choose…</option>
      {(Object.keys(labels) as K[]).map((k) => (
        <option key={k} value={k}>
          {labels[k]}
        </option>
      ))}
    </select>
  );
}
