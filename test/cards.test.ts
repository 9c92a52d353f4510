import { helpCard } from '../cards/helpCard';
import { userText } from '../cards/text';
import { welcomeCard } from '../cards/welcomeCard';
import { adaptiveCard } from '../cards/adaptiveCard';
import { checkCard } from './support/validateCard';

const MAX_CARD_BYTES = 40 * 1024;

describe('card builders produce valid Adaptive Cards 1.5 under 40 KB', () => {
  const cases: Array<[string, unknown]> = [
    ['welcome (demo, nothing available yet)', welcomeCard({ demo: true, available: [] })],
    ['welcome (named school, all available)', welcomeCard({ schoolName: 'A'.repeat(120), demo: false, available: ['attendance', 'suspension', 'admission'] })],
    ['help', helpCard()],
  ];
  it.each(cases)('%s', (_name, card) => {
    const { errors, bytes } = checkCard(card);
    expect(errors).toEqual([]);
    expect(bytes).toBeLessThan(MAX_CARD_BYTES);
    expect((card as { version: string }).version).toBe('1.5');
  });

  it('the validator does catch a broken card (so the checks above can fail)', () => {
    const broken = adaptiveCard([{ type: 'NoSuchElement' }, { type: 'Input.Text', id: 'a' }, { type: 'Input.Text', id: 'a' }]);
    expect(checkCard(broken).errors.length).toBeGreaterThan(0);
  });
});

describe('welcome card content', () => {
  it('offers the three guided dialogs and help, and marks unbuilt ones as coming soon', () => {
    const card = welcomeCard({ demo: false, available: ['attendance'] });
    expect(card.actions?.map((a) => a.title)).toEqual(['Attendance concern', 'Worried a child may be suspended', 'A child is joining us', 'Help']);
    expect(card.actions?.map((a) => a.data)).toEqual([
      { verb: 'startDialog', dialog: 'attendance' },
      { verb: 'startDialog', dialog: 'suspension' },
      { verb: 'startDialog', dialog: 'admission' },
      { verb: 'showHelp' },
    ]);
    const texts = card.body.map((e) => String(e.text ?? ''));
    expect(texts.find((t) => t.startsWith('**Attendance concern**'))).not.toMatch(/coming soon/);
    expect(texts.find((t) => t.startsWith('**Worried a child'))).toMatch(/coming soon/);
  });

  it('says the data are made up in the demo, and not otherwise', () => {
    const demoText = JSON.stringify(welcomeCard({ demo: true, available: [] }));
    const realText = JSON.stringify(welcomeCard({ demo: false, available: [] }));
    expect(demoText).toMatch(/Demo school: every child and member of staff here is made up/);
    expect(realText).not.toMatch(/Demo school/);
  });
});

describe('user text in cards', () => {
  it('goes into a TextRun, which Teams never parses as Markdown, with control characters removed', () => {
    const element = userText('**bold** <at>Head</at> ${secret} [x](http://e.example)\u0007');
    expect(element).toEqual({
      type: 'RichTextBlock',
      inlines: [{ type: 'TextRun', text: '**bold** <at>Head</at> ${secret} [x](http://e.example)' }],
    });
    expect(checkCard(adaptiveCard([element])).errors).toEqual([]);
  });
});
