/**
 * Short confirmations ("Approved") announced politely to screen readers. The toasts themselves
 * (Radix Toast) load with the first message, keeping them out of the initial download.
 */
import { createContext, lazy, Suspense, useCallback, useContext, useState, type ReactNode } from 'react';
import type { ToastMessage } from './Toasts';

const Toasts = lazy(() => import('./Toasts'));

const ToastContext = createContext<(text: string, tone?: ToastMessage['tone']) => void>(() => undefined);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const notify = useCallback(
    (text: string, tone: ToastMessage['tone'] = 'success') => setMessages((all) => [...all, { id: Date.now() + Math.random(), text, tone }]),
    [],
  );
  const dismiss = useCallback((id: number) => setMessages((all) => all.filter((m) => m.id !== id)), []);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      {messages.length > 0 && (
        <Suspense fallback={null}>
          <Toasts messages={messages} onDismiss={dismiss} />
        </Suspense>
      )}
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
