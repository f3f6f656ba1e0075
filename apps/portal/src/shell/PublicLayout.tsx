import type { ReactNode } from 'react';
import { OPERATOR_BRAND } from '../branding/branding';

/** Pages for people without an account (sign-in, applying, invitations): the operator's look. */
export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{OPERATOR_BRAND.name}</span>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        {children}
      </main>
    </div>
  );
}
