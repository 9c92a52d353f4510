import { createHash } from 'node:crypto';
import { DEMO_STAFF, PLAYGROUND_TENANT_ID } from '../demo/demoSchool';

export type PlaygroundUser = keyof typeof DEMO_STAFF;
export const PLAYGROUND_USERS = Object.keys(DEMO_STAFF) as PlaygroundUser[];

/** The Playground's built-in users, who are the demo school's staff (ids as the Playground ships them). */
const PEOPLE: Record<PlaygroundUser, { id: string; upn: string; given: string; surname: string }> = {
  teacher: { id: 'user-id-0', upn: 'alexw@example.com', given: 'Alex', surname: 'Wilber' },
  dsl: { id: 'user-id-1', upn: 'meganb@example.com', given: 'Megan', surname: 'Bowen' },
  dt: { id: 'user-id-2', upn: 'adelev@example.com', given: 'Adele', surname: 'Vance' },
  deputyDsl: { id: 'user-id-3', upn: 'isaiah@example.com', given: 'Isaiah', surname: 'Langer' },
  headteacher: { id: 'user-id-4', upn: 'pattif@example.com', given: 'Patti', surname: 'Fernandez' },
  senco: { id: 'user-id-5', upn: 'lynner@example.com', given: 'Lynne', surname: 'Robbins' },
};

/** A stable id per user, so each person keeps their own chat (and its state) across restarts. */
function chatIdFor(user: PlaygroundUser): string {
  const h = createHash('sha256').update(`demo-personal-chat-${user}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function person(key: PlaygroundUser, indent: string): string {
  const p = PEOPLE[key];
  const staff = DEMO_STAFF[key];
  return [
    `id: ${p.id}`,
    `name: ${staff.name}`,
    `userPrincipleName: ${p.upn}`,
    `aadObjectId: ${staff.aadObjectId}`,
    `givenName: ${p.given}`,
    `surname: ${p.surname}`,
    `email: ${p.upn}`,
  ].join(`\n${indent}`);
}

/**
 * `.m365agentsplayground.yml` that makes one member of the demo staff the Playground's current user,
 * so the same demo can be walked as the teacher who raises a concern and as the DSL who approves it.
 */
export function playgroundConfig(as: PlaygroundUser): string {
  const others = PLAYGROUND_USERS.filter((u) => u !== as);
  return [
    '# Written by npm start (PLAYGROUND_AS): the Microsoft 365 Agents Playground\'s users are the demo school\'s staff.',
    'version: "0.1.1"',
    `tenantId: ${PLAYGROUND_TENANT_ID}`,
    'bot:',
    '  id: 00000000-0000-0000-0000-00000000000011',
    '  name: Children with a social worker (demo)',
    'currentUser:',
    `  ${person(as, '  ')}`,
    'users:',
    ...others.map((u) => `  - ${person(u, '    ')}`),
    'personalChat:',
    `  id: ${chatIdFor(as)}`,
    'groupChat:',
    `  id: ${chatIdFor(as).replace(/^.{8}/, 'aaaaaaaa')}`,
    '  name: Group Chat',
    'team:',
    '  id: team-id',
    '  name: My Team',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - id: channel-announcements-id',
    '      name: Announcements',
    '',
  ].join('\n');
}
