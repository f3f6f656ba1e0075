/**
 * Routes: the public pages (sign-in, apply, an application's status, an invitation) and, inside
 * the signed-in shell, every page of the table in pages.ts, each loaded on first use.
 */
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AppShell } from '../shell/AppShell';
import LoginPage from '../features/auth/LoginPage';
import { getSession } from '../auth/session';
import { homePath, mayOpen, PAGES, type PageDef } from './pages';
import { Forbidden } from './Forbidden';
import { RouteError } from './RouteError';

function pageRoute(page: PageDef): RouteObject {
  return {
    path: page.path,
    lazy: async () => {
      const { default: Page } = await page.load();
      return {
        Component: () => {
          const roles = getSession()?.principal.roles ?? [];
          return mayOpen(page, roles) ? <Page /> : <Forbidden />;
        },
      };
    },
  };
}

function Home() {
  return <Navigate to={homePath(getSession()?.principal.roles ?? [])} replace />;
}

export const routes: RouteObject[] = [
  { path: '/login', Component: LoginPage },
  { path: '/apply', lazy: async () => ({ Component: (await import('../features/onboarding/ApplyPage')).default }) },
  { path: '/applications/:id', lazy: async () => ({ Component: (await import('../features/onboarding/ApplicantStatusPage')).default }) },
  { path: '/invitations/:token', lazy: async () => ({ Component: (await import('../features/auth/InvitationPage')).default }) },
  {
    path: '/',
    Component: AppShell,
    ErrorBoundary: RouteError,
    children: [
      { index: true, Component: Home },
      ...PAGES.map(pageRoute),
      { path: '*', lazy: async () => ({ Component: (await import('./NotFoundPage')).default }) },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes, { basename: '/portal' });
}
