import { TextField } from './text';

export const REASON_MIN = 3;
export const REASON_MAX = 500;

/** Why a platform admin does this; it goes to the audit trail with the action. */
export function AuditReasonField(example = 'Support ticket #4711: sensor reported under the wrong tenant'): PropertyDecorator {
  return TextField({
    min: REASON_MIN,
    max: REASON_MAX,
    lengthHint: `must say why, in ${REASON_MIN} to ${REASON_MAX} characters (it goes to the audit trail)`,
    doc: { example, description: 'Why; recorded in the platform audit log' },
  });
}
