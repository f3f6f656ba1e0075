import { PageHeader } from '../ui/PageHeader';

export function Forbidden() {
  return (
    <>
      <PageHeader title="Not available to you" />
      <p>Your role does not include this page. Ask an administrator of your organisation if you need it.</p>
    </>
  );
}
