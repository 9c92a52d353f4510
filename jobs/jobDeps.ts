import { SchoolProfile } from '../policy/schoolProfile';
import { CaseRepository } from '../storage/caseRepository';
import { Logger } from '../telemetry/logger';
import { OutboxSender } from '../delivery/outboxSender';

/** What every background job needs: the schools to walk, a logger and a clock tests can fix. */
export interface JobDeps {
  schools: () => Promise<SchoolProfile[]>;
  logger: Logger;
  clock: () => Date;
}

/** Jobs that move cases along and hand what they produce to the outbox. */
export interface CaseJobDeps extends JobDeps {
  cases: CaseRepository;
  outbox: OutboxSender;
}
