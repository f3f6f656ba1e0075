/** Approve, reject or request changes, with a comment; the workflow answers at once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api } from '../../api/client';
import type { ApprovalDecisionKind, ApprovalTask } from '../../api/types';
import { Dialog } from '../../ui/Dialog';
import { fieldErrors, FormError, TextArea } from '../../ui/forms';
import { useToast } from '../../ui/toast';
import { FormActions } from '../../ui/FormActions';

const VERBS: Record<ApprovalDecisionKind, { title: string; button: string; done: string }> = {
  approve: { title: 'Approve', button: 'Approve', done: 'Approved' },
  reject: { title: 'Reject', button: 'Reject', done: 'Rejected' },
  'request-changes': { title: 'Request changes', button: 'Request changes', done: 'Changes requested' },
};

/** `onDecided` runs after a decision was taken (not on cancel), e.g. to move focus off a control that is about to go. */
export function DecisionDialog({
  task,
  decision,
  onClose,
  onDecided,
}: {
  task: ApprovalTask;
  decision: ApprovalDecisionKind;
  onClose: () => void;
  onDecided?: () => void;
}) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const decide = useMutation({
    mutationFn: (body: { decision: ApprovalDecisionKind; comment?: string }) => api.post(`/approvals/tasks/${encodeURIComponent(task.id)}/decisions`, body),
    onSuccess: () => {
      notify(`${VERBS[decision].done}: ${task.title}`);
      void queryClient.invalidateQueries({ queryKey: ['approvals'] });
      void queryClient.invalidateQueries({ queryKey: ['applications'] });
      void queryClient.invalidateQueries({ queryKey: ['solutions'] });
      void queryClient.invalidateQueries({ queryKey: ['billing-runs'] });
      onClose();
      onDecided?.();
    },
  });
  const errors = fieldErrors(decide.error);
  const verb = VERBS[decision];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const comment = String(new FormData(event.currentTarget).get('comment') ?? '').trim();
    decide.mutate({ decision, ...(comment ? { comment } : {}) });
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={`${verb.title}: ${task.title}`} description={task.description}>
      <form onSubmit={submit} noValidate>
        <FormError error={decide.error} fields={['comment']} />
        <TextArea
          label={decision === 'approve' ? 'Comment (optional)' : 'Comment (required: say why)'}
          name="comment"
          rows={4}
          maxLength={4000}
          required={decision !== 'approve'}
          error={errors.comment}
          autoFocus
        />
        <FormActions onCancel={onClose} submitLabel={verb.button} pendingLabel="Sending…" pending={decide.isPending} danger={decision === 'reject'} />
      </form>
    </Dialog>
  );
}
