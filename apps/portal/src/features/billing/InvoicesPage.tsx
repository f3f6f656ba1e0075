/** Resellers and clients: the invoices they issued and received, per period. */
import { PageHeader } from '../../ui/PageHeader';
import { DocumentList } from './DocumentList';

export default function InvoicesPage() {
  return (
    <>
      <PageHeader title="Invoices" description="Invoices and credit notes per billing period, once final." />
      <DocumentList path="/invoices" label="Invoices" empty="No invoices yet" />
    </>
  );
}
