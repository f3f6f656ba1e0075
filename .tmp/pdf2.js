const PDFDocument = require('pdfkit');
function make(n, mode) {
  return new Promise((resolve) => {
    const d = new Date('2026-11-01T00:00:00Z');
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: true, autoFirstPage: true, info: { CreationDate: d, ModDate: d } });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.font('Helvetica').fontSize(9);
    let y = 60;
    for (let i = 0; i < n; i++) {
      if (y > 780) { doc.addPage(); y = 60; }
      const cells = [`${i}`, `Client number ${i} Ltd`, '12', '0.0500', '1,234.50'];
      let x = 50;
      for (const c of cells) {
        if (mode === 'raw') doc.text(c, x, y, { lineBreak: false });
        else doc.text(c, x, y, { width: 100, height: 12, ellipsis: true });
        x += 100;
      }
      y += 14;
    }
    doc.end();
  });
}
(async () => {
  for (const mode of ['raw', 'wrap']) {
    const t2 = Date.now(); let len; for (let i=0;i<5;i++) len = (await make(300, mode)).length; console.log(mode, 'per 300-line doc', (Date.now()-t2)/5, 'ms', len);
  }
})();
