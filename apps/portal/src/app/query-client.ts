import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client';

/** One cache for the app: short freshness (other people act too), no retry on a definite 4xx. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});
