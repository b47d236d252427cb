import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter } from 'react-router';
import { isApiError } from './api/client';
import { queryKeys } from './api/queries';
import { ConfirmProvider } from './components/confirm-provider';
import { i18n } from './i18n/setup';
import { AppRoutes } from './routes';
import { theme } from './theme';

function createQueryClient(): QueryClient {
  // A 401 anywhere means the session ended (expired, signed out elsewhere): drop it, the router sends the user to sign-in.
  const onError = (error: unknown) => {
    if (isApiError(error) && error.status === 401 && error.code !== 'invalid_credentials') {
      client.setQueryData(queryKeys.session, null);
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failureCount, error) => !(isApiError(error) && error.status > 0 && error.status < 500) && failureCount < 2,
      },
    },
  });
  return client;
}

const queryClient = createQueryClient();

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <Notifications position="bottom-right" zIndex={1000} />
        <QueryClientProvider client={queryClient}>
          <ConfirmProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </ConfirmProvider>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}
