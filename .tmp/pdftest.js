const PDFDocument = require('pdfkit');
function make() {
  return new Promise((resolve) => {
    const d = new Date('2026-11-01T00:00:00Z');
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: true, info: { CreationDate: d, ModDate: d, Producer: 'Wholesail', Creator: 'Wholesail', Title: 'INV-1' } });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.fillColor('#0b5cab').rect(0,0,600,40).fill();
    doc.fillColor('#000').font('Helvetica-Bold').fontSize(16).text('Payout invoice ACME-PAY-000001 – €1,234.50 “quoted”', 50, 60);
    for (let i = 0; i < 300; i++) doc.font('Helvetica').fontSize(9).text(`Line ${i} client ${i} 1,234.50 EUR`);
    doc.end();
  });
}
(async () => {
  const t = Date.now();
  const a = await make(); const b = await make();
  console.log(a.length, a.equals(b), Date.now() - t, 'ms');
  const t2 = Date.now(); for (let i=0;i<10;i++) await make(); console.log('per doc', (Date.now()-t2)/10);
  require('fs').writeFileSync('/tmp/t.pdf', a);
})();
