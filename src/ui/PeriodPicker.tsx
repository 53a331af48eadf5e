export interface Period {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

/** The From / To dates of a report; an emptied field keeps the last date (a period always has both ends). */
export function PeriodPicker({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  return (
    <div className="form-grid filters no-print">
      <label>
        From
        <input
          type="date"
          value={period.from}
          onChange={(e) => e.target.value && onChange({ ...period, from: e.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          value={period.to}
          onChange={(e) => e.target.value && onChange({ ...period, to: e.target.value })}
        />
      </label>
    </div>
  );
}
