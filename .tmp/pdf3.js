const PDFDocument = require('pdfkit');
const zlib = require('zlib');
const doc = new PDFDocument({ size: 'A4', margin: 40, compress: false, info: { CreationDate: new Date(0) } });
const chunks = []; doc.on('data', (c) => chunks.push(c));
doc.on('end', () => { const s = Buffer.concat(chunks).toString('latin1'); console.log(s.split('\n').filter(l => /T[Jj]/.test(l)).slice(0,10).join('\n')); });
doc.font('Helvetica').text('Euro € – dash Д cyr 中 “q” Ünïcødé', 40, 40, { lineBreak: false });
doc.text('cell with width ellipsis very long text that should be cut at some point', 40, 80, { width: 80, height: 12, ellipsis: true });
doc.end();
