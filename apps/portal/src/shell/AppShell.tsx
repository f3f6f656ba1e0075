/**
 * The signed-in frame: brand, role-aware navigation, the user and sign-out, a skip link, and a progress
 * bar while a page's code loads. Signed-out visitors go to the login page and come back after.
 */
import { useEffect, useRef } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigation } from 'react-router';
import { endSession, useSession } from '../auth/session';
import { useBrand } from '../branding/branding';
import { navigationFor } from '../app/pages';
import { humanize } from '../ui/format';
import { queryClient } from '../app/query-client';

export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  const brand = useBrand();
  const main = useRef<HTMLElement>(null);

  // After a navigation (not on the first page load), keyboard and screen-reader users start at the new page.
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname !== firstPath.current) main.current?.focus({ preventScroll: true });
    firstPath.current = '';
  }, [location.pathname]);

  if (!session) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const { principal } = session;
  const groups = navigationFor(principal.roles);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {navigation.state === 'loading' && <div className="route-progress" role="progressbar" aria-label="Loading page" />}
      <header className="topbar">
        <div className="brand">
          {brand.logoUrl ? (
            // A logo that cannot be fetched is left out rather than shown broken.
            <img src={brand.logoUrl} alt="" className="brand-logo" onError={(event) => (event.currentTarget.hidden = true)} />
          ) : (
            <span className="brand-mark" aria-hidden="true" />
          )}
          <span className="brand-name">{brand.name}</span>
        </div>
        <div className="account">
          <span className="account-who">
            {principal.email ?? 'API key'}
            <span className="account-roles">{principal.roles.map(humanize).join(', ')}</span>
          </span>
          <button
            type="button"
            className="user-button"
            onClick={() => {
              endSession('signed-out');
              queryClient.clear();
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidebar" aria-label="Main">
          {groups.map((group) => (
            <div key={group.section} className="nav-group">
              <h2 className="nav-heading">{group.section}</h2>
              <ul>
                {group.pages.map((page) => (
                  <li key={page.path}>
                    <NavLink to={`/${page.path}`} className="nav-link">
                      {page.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main" ref={main} tabIndex={-1} className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
