import { parseRoleCommand } from '../../policy/roleCommand';

/** What a DSL or headteacher types to change a role, read as they mean it (and nothing else read as one). */
describe('role commands typed in Teams', () => {
  it.each([
    ['make Adele Vance the Designated Teacher', { kind: 'give', role: 'DT', personName: 'adele vance' }],
    ['Make Adele Vance the DT.', { kind: 'give', role: 'DT', personName: 'adele vance' }],
    ['please make Isaiah Langer a deputy DSL', { kind: 'give', role: 'deputyDSL', personName: 'isaiah langer' }],
    ['make Isaiah Langer the deputy designated safeguarding lead', { kind: 'give', role: 'deputyDSL', personName: 'isaiah langer' }],
    ['make Priya Okonjo DSL', { kind: 'give', role: 'DSL', personName: 'priya okonjo' }],
    ['make Tom Baker a member of the SLT', { kind: 'give', role: 'SLT', personName: 'tom baker' }],
    ["make Jo O'Neil-Smith the headteacher", { kind: 'give', role: 'headteacher', personName: "jo o'neil-smith" }],
    ['appoint Sara Lind as SENCO', { kind: 'give', role: 'SENCO', personName: 'sara lind' }],
    ['Sara Lind is now the attendance lead', { kind: 'give', role: 'attendanceLead', personName: 'sara lind' }],
    ['Sara Lind is our new SENCO', { kind: 'give', role: 'SENCO', personName: 'sara lind' }],
    ['remove Lynne Robbins as SENCO', { kind: 'take', role: 'SENCO', personName: 'lynne robbins' }],
    ['take the DT role from Adele Vance', { kind: 'take', role: 'DT', personName: 'adele vance' }],
    ['Isaiah Langer is no longer a deputy DSL', { kind: 'take', role: 'deputyDSL', personName: 'isaiah langer' }],
    ['who holds which role?', { kind: 'list' }],
    ['roles', { kind: 'list' }],
  ])('"%s"', (text, expected) => {
    expect(parseRoleCommand(text)).toEqual(expected);
  });

  it.each([
    'attendance',
    'make a concern about Sam',
    'I am worried Sam is the head of a gang',
    'Sam is the head',
    'make Sam the president',
    'the DSL is away today',
    'make 123 the DSL',
  ])('"%s" is not a role command', (text) => {
    expect(parseRoleCommand(text)).toBeUndefined();
  });
});
