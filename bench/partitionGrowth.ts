import { DEMO_SCHOOL_ID } from '../demo/demoSchool';
import { CaseRepository } from '../storage/caseRepository';
import { TABLES, TableStore } from '../storage/tableStore';
import { runLoad } from './load';
import { caseIdsOf, outboxDrained } from './benchCases';
import { approval, attendanceDialog, BenchTarget, TeacherChats } from './scenarios';
import { RunFigures } from './stats';
import { StorageFloor, storageFloor } from './storageFloor';

/**
 * `npm run bench -- --only partition`: the dialog turn and the approval invoke at 20 concurrent,
 * measured again and again as one school's partition of the cases table grows with the concerns
 * the run raises. Stock Azurite found every row of a point read or a transaction by scanning the
 * school's partition, and answered every range query by scanning the whole table; as patched here
 * (patches/azurite+3.35.0.patch) both use the RowKey index, as Azure Table Storage seeks them. So
 * this shows how much of the two figures grows with the school's rows rather than with the bot's
 * own work. SYNTHETIC data.
 */

export interface PartitionStage {
  /** Concerns raised in the school so far (each is one case). */
  casesRaised: number;
  /** The school's storage when the approvals were measured, after the stage's cards were delivered. */
  storage: StorageFloor;
  /** The last 400 dialog turns of the stage (100 concerns), at 20 concurrent. */
  dialog: RunFigures;
  /** 100 approvals at 20 concurrent, once the stage's staff cards had gone (`errors`: told "busy" or failed). */
  approval: RunFigures;
  /** How long the stage's staff cards took to be delivered after its last turn. */
  drainedSeconds: number;
}

/** Concerns raised in all by the end of each stage. */
export const PARTITION_STAGES = [150, 400, 800] as const;
const MEASURED_TURNS = 400;
const APPROVALS = 100;

export async function partitionGrowth(target: BenchTarget, store: TableStore, say: (line: string) => void): Promise<PartitionStage[]> {
  const cases = new CaseRepository(store.client(TABLES.cases));
  const chats = new TeacherChats();
  const drafts: string[] = [];
  let approvedUpTo = 0;
  const stages: PartitionStage[] = [];
  for (const concerns of PARTITION_STAGES) {
    const filler = Math.max(0, concerns - drafts.length - MEASURED_TURNS / 4);
    if (filler > 0) await runLoad({ concurrency: 20, requests: filler * 4, one: attendanceDialog(drafts, chats)(target, `grow-${concerns}`) });
    const dialog = await runLoad({ concurrency: 20, requests: MEASURED_TURNS, one: attendanceDialog(drafts, chats)(target, `measure-${concerns}`) });
    const drained = await outboxDrained(cases, 600_000);
    const storage = await storageFloor(store.client(TABLES.cases), DEMO_SCHOOL_ID);
    const caseIds = await caseIdsOf(cases, drafts.slice(approvedUpTo));
    approvedUpTo = drafts.length;
    // The newest last: approval() takes from the end, so each stage decides its own newest concerns.
    const approvals = await runLoad({ concurrency: 20, requests: Math.min(APPROVALS, caseIds.length), one: approval(caseIds)(target, `partition-${concerns}`) });
    const stage = { casesRaised: drafts.length, storage, dialog, approval: approvals, drainedSeconds: drained.ms / 1000 };
    say(`  ${stage.casesRaised} concerns, ${storage.rows.toLocaleString('en-GB')} rows: point read ${storage.pointReadMs.toFixed(1)} ms, range query ${storage.rangeQueryMs.toFixed(1)} ms; dialog turn p50 ${dialog.p50.toFixed(0)} / p99 ${dialog.p99.toFixed(0)} ms; approval p50 ${approvals.p50.toFixed(0)} / p99 ${approvals.p99.toFixed(0)} ms`);
    stages.push(stage);
  }
  return stages;
}

/** The stages as a table, each dialog figure also against the stateful echo's at 20 concurrent. */
export function partitionTable(stages: readonly PartitionStage[], statefulEcho: RunFigures): string {
  const rows = stages.map((s) => {
    const ratio = `${(s.dialog.p50 / statefulEcho.p50).toFixed(2)}× / ${(s.dialog.p99 / statefulEcho.p99).toFixed(2)}×`;
    return `| ${s.casesRaised} | ${s.storage.rows.toLocaleString('en-GB')} | ${s.storage.pointReadMs.toFixed(1)} / ${s.storage.rangeQueryMs.toFixed(1)} | ${s.dialog.p50.toFixed(0)} / ${s.dialog.p99.toFixed(0)} | ${ratio} | ${s.approval.p50.toFixed(0)} / ${s.approval.p99.toFixed(0)} | ${s.approval.errors} |`;
  });
  return [
    '| concerns raised | rows in the cases table | point read / range query ms | dialog turn p50 / p99 ms | × stateful echo | approval p50 / p99 ms | approvals not answered (busy) |',
    '| --------------: | ----------------------: | --------------------------: | -----------------------: | --------------: | --------------------: | ----------------------------: |',
    ...rows,
  ].join('\n');
}
