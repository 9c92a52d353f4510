import { adaptiveCard, AdaptiveCard, CardAction, CardElement, heading, paragraph } from './adaptiveCard';
import { labelledUserText, userText } from './text';

/**
 * Where in a register file something needs a look: the line, the column's heading as the file
 * writes it, and (only for problems with the line as a whole) our own words on what is wrong.
 * Never a cell's value: the card goes to a phone's lock screen as readily as to a desk.
 */
export interface RegisterFilePlace {
  /** 0 for the file as a whole. */
  line: number;
  column?: string;
  note?: string;
}

/** What a DSL must hear about a register file the MIS dropped for the scheduled load. */
export type RegisterPickupNotice =
  | {
      /** The file could not be read as a register at all; nothing was loaded. */
      kind: 'unreadable';
      reason: 'tooLarge' | 'notUtf8' | 'utf16' | 'notText' | 'empty' | 'noPupils';
      /** The most one load takes, for `tooLarge`. */
      maxMegabytes: number;
    }
  | {
      /** The importer found errors: nothing was loaded (a register is never half-loaded). */
      kind: 'refused';
      total: number;
      errorCount: number;
      /** The first few, in file order. */
      errors: RegisterFilePlace[];
    }
  | {
      /** Probably a partial export: not loaded. */
      kind: 'heldBack';
      total: number;
      /** Pupils the register holds who were in the last load. */
      compared: number;
      /** Of those, how many this file leaves out. */
      missing: number;
      percent: number;
      thresholdPercent: number;
    }
  | {
      /** Loaded, with changes someone should check. */
      kind: 'loadedWithWarnings';
      total: number;
      created: number;
      updated: number;
      unchanged: number;
      warningCount: number;
      /** The first few, in file order. */
      warnings: Array<RegisterFilePlace & { kind: 'statusRemoved' | 'unknownAuthority' }>;
    }
  | {
      /** Loading it failed several times over (storage, or a fault in the app); given up until the content changes. */
      kind: 'failed';
      attempts: number;
    };

export interface RegisterPickupCardInput {
  school: string;
  /** The file's name in the folder or container. */
  file: string;
  /** When the MIS wrote it, London time, as people read it. */
  receivedAt: string;
  notice: RegisterPickupNotice;
  /** The dashboard tab, where the register can be loaded by hand. */
  tabUrl?: string;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** "Line 14, date_of_birth" (or "The file"), with our note when there is one. */
export function placeText(place: RegisterFilePlace): string {
  const where = place.line === 0 ? 'The file' : `Line ${place.line}`;
  const column = place.column ? `, ${place.column}` : '';
  return place.note ? `${where}${column}: ${place.note}` : `${where}${column}`;
}

const WARNING_WORDS: Record<'statusRemoved' | 'unknownAuthority', string> = {
  statusRemoved: 'the register had a status here that this file leaves blank, so it was removed',
  unknownAuthority: "the placing authority has no Virtual School in the school's profile, so the app cannot tell that Virtual School about this child",
};

const UNREADABLE_WORDS: Record<Extract<RegisterPickupNotice, { kind: 'unreadable' }>['reason'], (max: number) => string> = {
  tooLarge: (max) => `is larger than ${max} MB, the most one load takes. Export only the columns the app uses (see "Loading the register" in the README), or split the export by year group.`,
  notUtf8: () => 'is not saved as UTF-8 text. Set the MIS export (or Excel\'s "Save as") to "CSV UTF-8 (comma delimited)".',
  utf16: () => 'is saved as UTF-16 ("Unicode text"). Save it as "CSV UTF-8 (comma delimited)" instead.',
  notText: () => 'is not a text file. Check that the export is a CSV file, not a spreadsheet or another kind of file renamed to .csv.',
  empty: () => 'is empty. Check the scheduled export in the MIS: it wrote a file with nothing in it.',
  noPupils: () => 'has a header line but no pupils. Check the scheduled export in the MIS: its filter may leave everyone out.',
};

function placesList(places: readonly RegisterFilePlace[], total: number): CardElement[] {
  const items = places.map((p) => userText(placeText(p), { spacing: 'None' }));
  if (total > places.length) items.push(paragraph(`and ${(total - places.length).toLocaleString('en-GB')} more`, { isSubtle: true, spacing: 'None' }));
  return items;
}

function body(input: RegisterPickupCardInput): { title: string; elements: CardElement[]; fallback: string } {
  const { notice, school } = input;
  switch (notice.kind) {
    case 'unreadable':
      return {
        title: 'The register file could not be read',
        elements: [
          paragraph(`The register file the MIS exported for ${school} ${UNREADABLE_WORDS[notice.reason](notice.maxMegabytes)}`),
          paragraph('Nothing was loaded: the register stays as it was. The next export is picked up on its own.'),
        ],
        fallback: `The register file for ${school} could not be read, so nothing was loaded.`,
      };
    case 'refused':
      return {
        title: 'The register file was not loaded',
        elements: [
          paragraph(
            `The register file the MIS exported for ${school} has ${count(notice.errorCount, 'error', 'errors')}${notice.total > 0 ? ` in ${count(notice.total, 'row', 'rows')}` : ''}, so nothing in it was loaded: the register stays as it was (it is never half-loaded).`,
          ),
          paragraph(notice.errorCount > notice.errors.length ? `The first ${notice.errors.length}:` : 'Where:', { weight: 'Bolder' }),
          ...placesList(notice.errors, notice.errorCount),
          paragraph(
            'Ask whoever runs the MIS to correct these and export again; the next export is picked up on its own. They can see what is wrong with each by checking the file in the dashboard tab ("Load the register", then "Check the file").',
            { isSubtle: true },
          ),
        ],
        fallback: `The register file for ${school} has ${count(notice.errorCount, 'error', 'errors')}, so nothing was loaded.`,
      };
    case 'heldBack':
      return {
        title: 'The register file was held back',
        elements: [
          paragraph(
            `The register file the MIS exported for ${school} has ${count(notice.total, 'pupil', 'pupils')}, but ${count(notice.missing, 'pupil', 'pupils')} of the ${notice.compared.toLocaleString('en-GB')} in the last load ${notice.missing === 1 ? 'is' : 'are'} not in it (${notice.percent}%; more than ${notice.thresholdPercent}% looks like an export that stopped part way or was filtered). So it was not loaded: the register stays as it was.`,
          ),
          paragraph(
            'If the export was cut short, ask whoever runs the MIS to run it again; the next export is picked up on its own. If those pupils really have left (at the end of the school year, say), load this file by hand in the dashboard tab ("Load the register"); later exports then load on their own.',
            { isSubtle: true },
          ),
        ],
        fallback: `The register file for ${school} leaves out ${count(notice.missing, 'pupil', 'pupils')} from the last load, so it was held back.`,
      };
    case 'loadedWithWarnings':
      return {
        title: 'The register was loaded: some changes need a look',
        elements: [
          paragraph(
            `The register file the MIS exported for ${school} was loaded (${count(notice.total, 'row', 'rows')}: ${notice.created} new, ${notice.updated} updated, ${notice.unchanged} unchanged). ${count(notice.warningCount, 'change needs', 'changes need')} checking against the MIS:`,
          ),
          ...placesList(
            notice.warnings.map((w) => ({ ...w, note: WARNING_WORDS[w.kind] })),
            notice.warningCount,
          ),
          paragraph(
            "If a status was removed by mistake, correct the MIS: the next export puts it back. A placing authority with no Virtual School is added to the school's profile by whoever looks after it.",
            { isSubtle: true },
          ),
        ],
        fallback: `The register for ${school} was loaded; ${count(notice.warningCount, 'change needs', 'changes need')} checking.`,
      };
    case 'failed':
      return {
        title: 'The register file could not be loaded',
        elements: [
          paragraph(
            `Loading the register file the MIS exported for ${school} failed ${count(notice.attempts, 'time', 'times')} because of a fault, not because of the file. It will not be tried again; the next export (or this one, loaded by hand in the dashboard tab) is. The operator has been alerted.`,
          ),
        ],
        fallback: `The register file for ${school} could not be loaded because of a fault.`,
      };
  }
}

/** To each DSL and deputy: the scheduled register load needs attention. Line numbers, column headings and counts; never a child's name or a cell's value. */
export function registerPickupCard(input: RegisterPickupCardInput): AdaptiveCard {
  const { title, elements, fallback } = body(input);
  const actions: CardAction[] = input.tabUrl ? [{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: input.tabUrl }] : [];
  return adaptiveCard(
    [heading(title), labelledUserText('File', input.file, 300), labelledUserText('Exported', input.receivedAt), ...elements],
    actions,
    { fallbackText: fallback },
  );
}
