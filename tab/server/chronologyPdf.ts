import { formatDate, formatLondonDateTime, IsoDate } from '../../policy/dates';
import { ChronologyCase, ChronologyEvent, KIND_LABEL } from './chronology';

/** Everything the exported chronology shows: what the dashboard shows the same person, and who exported it when. */
export interface ChronologyExport {
  schoolName: string;
  /** The demo school: every page says the data is made up. */
  synthetic: boolean;
  exportedBy: string;
  exportedAt: Date;
  child: {
    name: string;
    yearGroup: string;
    dateOfBirth: string | null;
    statuses: string[];
    keyAdult: string | null;
    socialWorker: { name: string; organisation: string | null } | null;
    attendancePercent: number | null;
  };
  cases: readonly ChronologyCase[];
  openActions: ReadonlyArray<{ ref: string; label: string; owner: string; deadline: string; statutory: boolean; overdue: boolean }>;
  /** Newest first, as the dashboard lists them. */
  events: readonly ChronologyEvent[];
  viewers: ReadonlyArray<{ name: string; at: string; what: string }>;
}

const MARGIN = 56;
const GREY = '#555555';
const RED = '#a4262c';

/** A date in school, or an instant in London time; a PEP meeting is a date, not an instant. */
function when(e: Pick<ChronologyEvent, 'at' | 'kind'>): string {
  return e.kind === 'pep' ? formatDate(e.at.slice(0, 10) as IsoDate) : formatLondonDateTime(new Date(e.at));
}

/**
 * The child's chronology as a PDF for the child protection file (KCSIE: the file goes to the next
 * school's DSL when a child moves). The house style of the governors' report (scripts/reportPdf.ts):
 * A4, standard fonts, plain tables; each page names the child, says it is confidential, and numbers
 * itself, so a printed page that strays is recognised.
 */
export function chronologyPdf(data: ChronologyExport): Promise<Buffer> {
  // Loaded at the first export, not with the bot: pdfkit and its fonts are about 12 MB of RSS
  // that most instances never use.
  const PDFDocument = require('pdfkit') as typeof import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      info: { Title: `Chronology: ${data.child.name}`, Author: data.schoolName, Subject: 'Child protection chronology (confidential)' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    const width = doc.page.width - 2 * MARGIN;
    const bottom = () => doc.page.height - MARGIN - 14;
    const note = (text: string) => doc.fontSize(9).fillColor(GREY).text(text, MARGIN, doc.y, { width }).fillColor('black').fontSize(10);
    const section = (title: string) => {
      if (doc.y > bottom() - 60) doc.addPage();
      doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(title, MARGIN, doc.y, { width }).font('Helvetica').fontSize(10).moveDown(0.3);
    };
    /** One row of cells, as tall as its tallest cell, moved whole to the next page rather than split. */
    const row = (cells: ReadonlyArray<readonly [string, number]>, o: { bold?: boolean; rule?: boolean } = {}) => {
      doc.font(o.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5);
      const height = Math.max(...cells.map(([text, w]) => doc.heightOfString(text || ' ', { width: w - 6 })));
      if (doc.y + height > bottom()) doc.addPage();
      const y = doc.y;
      let x = MARGIN;
      for (const [text, w] of cells) {
        doc.text(text, x, y, { width: w - 6 });
        x += w;
      }
      doc.y = y + height + 3;
      if (o.rule) doc.moveTo(MARGIN, doc.y - 1.5).lineTo(MARGIN + width, doc.y - 1.5).lineWidth(0.4).strokeColor('#bbbbbb').stroke();
      doc.x = MARGIN;
      doc.font('Helvetica').fontSize(10);
    };
    const pair = (label: string, value: string) => row([[label, 150], [value, width - 150]]);

    doc.font('Helvetica-Bold').fontSize(18).text(`Chronology: ${data.child.name}`);
    doc.font('Helvetica').fontSize(11).text(`${data.schoolName}. Exported by ${data.exportedBy}, ${formatLondonDateTime(data.exportedAt)}.`);
    if (data.synthetic) doc.fillColor(RED).text('DEMO DATA: every child, person and event in this file is made up.').fillColor('black');
    doc.moveDown(0.4);
    note(
      'Confidential: part of the child protection file. Keeping children safe in education: when a child moves school, the DSL sends the file to the new ' +
        'school’s DSL, separately from the main pupil file and securely, within 5 school days of an in-year move (or within the first 5 school days of a ' +
        'new term), and gets confirmation that it arrived.',
    );

    section('The child');
    const c = data.child;
    pair('Name', c.name);
    if (c.dateOfBirth) pair('Date of birth', formatDate(c.dateOfBirth as IsoDate));
    pair('Year group', c.yearGroup);
    pair('Status', c.statuses.join('; ') || 'None recorded');
    pair('Key adult', c.keyAdult ?? 'Not recorded');
    pair('Social worker', c.socialWorker ? `${c.socialWorker.name}${c.socialWorker.organisation ? `, ${c.socialWorker.organisation}` : ''}` : 'Not recorded');
    pair('Attendance this year', c.attendancePercent === null ? 'Not known' : `${c.attendancePercent}%`);

    section(`Concerns (${data.cases.length})`);
    if (data.cases.length === 0) doc.text('No concerns raised through the app.');
    for (const k of data.cases) {
      if (doc.y > bottom() - 50) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(10.5).text(`${k.title} ${k.ref}`, MARGIN, doc.y, { width }).font('Helvetica').fontSize(10);
      note(`Raised by ${k.raisedBy}, ${formatLondonDateTime(new Date(k.raisedAt))}. ${k.status === 'open' ? 'Open.' : 'Closed.'}`);
      for (const r of k.summary) pair(r.label, r.value);
      if (k.decision) pair('Decision', `${k.decision.outcome} by ${k.decision.by}, ${formatLondonDateTime(new Date(k.decision.at))}${k.decision.reason ? `. Reason: ${k.decision.reason}` : ''}`);
      doc.moveDown(0.4);
    }

    section(`Open actions (${data.openActions.length})`);
    if (data.openActions.length === 0) doc.text('None open.');
    else {
      const cols = [130, 170, 113, width - 413] as const;
      row([['Due', cols[0]], ['Action', cols[1]], ['Who', cols[2]], ['Concern', cols[3]]], { bold: true, rule: true });
      for (const a of data.openActions) {
        const due = `${a.overdue ? 'Overdue since ' : ''}${formatDate(a.deadline as IsoDate)}${a.statutory ? ' (statutory)' : ''}`;
        row([[due, cols[0]], [a.label, cols[1]], [a.owner, cols[2]], [a.ref, cols[3]]], { rule: true });
      }
    }

    section(`Chronology, newest first (${data.events.length} events)`);
    const cols = [110, 208, 95, width - 413] as const;
    row([['When', cols[0]], ['What happened', cols[1]], ['By', cols[2]], ['Concern', cols[3]]], { bold: true, rule: true });
    for (const e of data.events) {
      const what = `${e.text}${e.note ? `\nNote: ${e.note}` : ''}\n(${KIND_LABEL[e.kind]})`;
      row([[when(e), cols[0]], [what, cols[1]], [e.by, cols[2]], [e.ref ?? '', cols[3]]], { rule: true });
    }

    section('Who has opened this record');
    if (data.viewers.length === 0) doc.text('Nobody yet.');
    for (const v of data.viewers) row([[formatLondonDateTime(new Date(v.at)), 130], [`${v.name}: ${v.what}`, width - 130]]);

    // Every page: whose file it is, that it is confidential, and its number.
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const keep = doc.page.margins.bottom;
      // Writing inside the bottom margin would otherwise start a new page.
      doc.page.margins.bottom = 0;
      doc
        .fontSize(8)
        .fillColor(GREY)
        .text(`Confidential: child protection file of ${data.child.name}. Page ${i - range.start + 1} of ${range.count}.`, MARGIN, doc.page.height - MARGIN + 16, { width, align: 'center', lineBreak: false })
        .fillColor('black');
      doc.page.margins.bottom = keep;
    }
    doc.end();
  });
}
