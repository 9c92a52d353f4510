import { DialogSet, DialogState } from './dialogsSdk';
import { StatePropertyAccessor } from 'botbuilder';
import { DialogKind } from '../cards/verbs';
import { admissionDialogSpec } from './admissionDialog';
import { attendanceDialogSpec } from './attendanceDialog';
import { GuidedDialog, GuidedDialogSpec } from './form/guidedDialog';
import { pepDialogSpec } from './pepDialog';
import { FormServices } from '../services/formServices';
import { suspensionDialogSpec } from './suspensionDialog';

export const DIALOG_SPECS: Record<DialogKind, GuidedDialogSpec> = {
  attendance: attendanceDialogSpec,
  suspension: suspensionDialogSpec,
  admission: admissionDialogSpec,
  pep: pepDialogSpec,
};

/** The guided dialogs, registered once per bot instance (they hold no per-conversation data). */
export function createDialogSet(dialogState: StatePropertyAccessor<DialogState>, services: FormServices): DialogSet {
  const set = new DialogSet(dialogState);
  for (const spec of Object.values(DIALOG_SPECS)) set.add(new GuidedDialog(spec, services));
  return set;
}
