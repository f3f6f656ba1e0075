/** Distributors and agents: their payout statements, per period. */
import { PageHeader } from '../../ui/PageHeader';
import { DocumentList } from './DocumentList';

export default function StatementsPage() {
  return (
    <>
      <PageHeader title="Statements" description="Your payout statements per billing period: the commissions, fees and cuts owed to you, once final." />
      <DocumentList path="/statements" label="Statements" empty="No statements yet" />
    </>
  );
}
