import { useState } from 'react';
import { Button, Modal, TextArea } from '@procore/core-react';

export interface PendingAction {
  id: 'activate' | 'suspend' | 'resume' | 'deactivate';
  title: string;
  body: string;
  confirmLabel: string;
}

/** Confirmation for actions with consequences; the optional reason goes into the audit trail. */
export function ConfirmAction({
  action,
  busy,
  onConfirm,
  onCancel,
}: {
  action: PendingAction;
  busy: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  return (
    <Modal open role="dialog" aria-labelledby="confirm-title" howToClose={['x', 'scrim']} onClose={onCancel} placement="center" width="md">
      <Modal.Header onClose={onCancel}>
        <span id="confirm-title">{action.title}</span>
      </Modal.Header>
      <Modal.Body>
        <p>{action.body}</p>
        <label htmlFor="confirm-reason" style={{ display: 'block', marginBottom: 4 }}>
          Reason (recorded in the audit trail, optional)
        </label>
        <TextArea id="confirm-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      </Modal.Body>
      <Modal.Footer>
        <Modal.FooterButtons>
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => onConfirm(reason)} loading={busy} disabled={busy}>
            {action.confirmLabel}
          </Button>
        </Modal.FooterButtons>
      </Modal.Footer>
    </Modal>
  );
}
