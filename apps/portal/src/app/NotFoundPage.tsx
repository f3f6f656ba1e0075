import { Link } from 'react-router';
import { PageHeader } from '../ui/PageHeader';

export default function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is nothing at this address. <Link to="/">Go to your start page</Link>.
      </p>
    </>
  );
}
