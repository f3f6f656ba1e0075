import type { PartyDetail } from '../../api/types';

export function RollUpCounts({ rollUp, label }: { rollUp: PartyDetail['rollUp']; label: string }) {
  return (
    <dl className="stats" aria-label={label}>
      {(['distributors', 'agents', 'resellers', 'clients'] as const).map((key) => (
        <div key={key} className="stat">
          <dt>{key.charAt(0).toUpperCase() + key.slice(1)}</dt>
          <dd>{rollUp[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
