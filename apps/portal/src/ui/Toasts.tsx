import { Toast } from 'radix-ui';

export interface ToastMessage {
  id: number;
  text: string;
  tone: 'success' | 'error';
}

export default function Toasts({ messages, onDismiss }: { messages: ToastMessage[]; onDismiss: (id: number) => void }) {
  return (
    <Toast.Provider swipeDirection="right" duration={5000}>
      {messages.map((message) => (
        <Toast.Root
          key={message.id}
          className={`toast toast--${message.tone}`}
          type={message.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => !open && onDismiss(message.id)}
        >
          <Toast.Description>{message.text}</Toast.Description>
          <Toast.Close className="toast-close" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
    </Toast.Provider>
  );
}
