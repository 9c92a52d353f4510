import { createWriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatDate, IsoDate } from '../policy/dates';
import { attendanceRows, GovernorsReport } from '../policy/governorsReport';

const show = (v: number | undefined, suffix = '%') => (v === undefined ? 'not shown*' : `${v}${suffix}`);

/** The governors' report as a PDF (A4, standard fonts, no images): plain tables a governor can print. */
export function writeReportPdf(r: GovernorsReport, file: string, generatedOn: IsoDate): Promise<void> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Children with a social worker: ${r.term.name}`, Author: r.schoolName } });
    const out = createWriteStream(file);
    out.on('finish', resolve);
    out.on('error', reject);
    doc.pipe(out);

    doc.font('Helvetica-Bold').fontSize(18).text('Children with a social worker');
    doc.font('Helvetica').fontSize(12).text(`Report to governors: ${r.term.name} (${formatDate(r.term.start as IsoDate)} to ${formatDate(r.term.end as IsoDate)})`);
    doc.text(`${r.schoolName}. Produced ${formatDate(generatedOn)}; figures as at ${formatDate(r.asAt)}.`);
    if (r.synthetic) doc.fillColor('#a4262c').text('DEMO DATA: every child and figure in this report is made up.').fillColor('black');
    doc.moveDown(0.5).fontSize(9).fillColor('#555555').text('Counts of 1 or 2 children are shown as "fewer than 3" so that no child can be identified. Confidential: for governors only.').fillColor('black');

    const section = (title: string) => doc.moveDown(1).font('Helvetica-Bold').fontSize(13).text(title).font('Helvetica').fontSize(11).moveDown(0.3);
    // Each row as tall as its tallest cell, so wrapped text never runs into the next row.
    const table = (cells: ReadonlyArray<readonly [string, number, number]>) => {
      const y = doc.y;
      const height = Math.max(...cells.map(([text, , width]) => doc.heightOfString(text || ' ', { width })));
      for (const [text, x, width] of cells) doc.text(text, x, y, { width });
      doc.y = y + height + 2;
      doc.x = 56;
    };
    const row = (label: string, value: string) => table([[label, 56, 280], [value, 340, 199]]);
    // The attendance table's columns: the measure, then the three groups compared.
    const groups = (label: string, cohort: string, peers: string, whole: string) => table([[label, 56, 188], [cohort, 250, 92], [peers, 350, 92], [whole, 450, 89]]);

    section('On roll');
    for (const c of r.cohort) row(c.label, c.count.display);
    row('All pupils on roll', String(r.onRoll));

    section('Personal education plans (children in care)');
    row('Children in care with a PEP meeting this term', `${r.pep.withPep.display} of ${r.pep.children.display}`);
    row('PEP compliance', show(r.pep.percent));

    section('Attendance this school year, compared with peers');
    doc.font('Helvetica-Oblique');
    groups('', 'Covered by the policy', 'Peers', 'Whole school');
    doc.font('Helvetica');
    for (const a of attendanceRows(r)) groups(a.measure, a.cohort ?? 'not shown*', a.peers ?? 'not shown*', a.wholeSchool ?? 'not shown*');
    doc.fontSize(9).fillColor('#555555').text('Persistently absent includes the severely absent, as the Department for Education counts them. Peers are the pupils on roll the policy does not cover.').fillColor('black').fontSize(11);

    section('Suspensions and exclusions this term');
    row('Suspensions', r.suspensions.cohortSuspensions.display);
    row('School days lost', r.suspensions.cohortSuspensions.suppressed ? 'not shown' : String(r.suspensions.cohortDays));
    row('Children suspended more than once', r.suspensions.repeated.display);
    row('Permanent exclusions', r.suspensions.permanent.display);
    doc.fontSize(9).fillColor('#555555').text('Suspensions of peers are not recorded by this product: compare with the school\'s information system.').fillColor('black').fontSize(11);

    section('Pupil Premium Plus');
    doc.text(r.ppPlusNotes, { width: 480 });
    doc.moveDown(1).fontSize(9).fillColor('#555555').text('* not shown: a percentage or average for fewer than 3 children, or one that would reveal a count of 1 or 2.').fillColor('black');

    doc.end();
  });
}
