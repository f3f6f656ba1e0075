import { escapeXml, parseXml, serializeXml, XSI_NS } from './xml';

describe('namespace-aware XML', () => {
  it('resolves xsi:type whatever prefix the server chose', () => {
    const standard = parseXml(
      '<e:Envelope xmlns:e="urn:e" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><val xmlns="urn:vim25" xsi:type="ManagedObjectReference" type="VirtualMachine">vm-1</val></e:Envelope>',
    );
    const odd = parseXml(
      '<Envelope><val xmlns="urn:vim25" type="HostDatastoreBrowser" xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ManagedObjectReference">b-1</val></Envelope>',
    );
    for (const [doc, type] of [
      [standard, 'VirtualMachine'],
      [odd, 'HostDatastoreBrowser'],
    ] as const) {
      const val = doc.child('val', 'urn:vim25');
      expect(val?.xsiType).toBe('ManagedObjectReference');
      expect(val?.attr('type')).toBe(type);
      expect(val?.attrNs(XSI_NS, 'type')).toBe('ManagedObjectReference');
    }
    // A prefix bound to another namespace is not xsi.
    const fake = parseXml('<r xmlns:xsi="urn:not-xsi"><v xsi:type="X"/></r>');
    expect(fake.child('v')?.xsiType).toBeUndefined();
  });

  it('reads the namespace of prefixed and default-namespace elements', () => {
    const doc = parseXml('<domain><metadata><ws:vm xmlns:ws="urn:wholesail:hypervisors:1"><ws:label key="env">e1</ws:label></ws:vm></metadata></domain>');
    const vm = doc.at('metadata')?.elements()[0];
    expect(vm?.local).toBe('vm');
    expect(vm?.ns).toBe('urn:wholesail:hypervisors:1');
    expect(vm?.child('label', 'urn:wholesail:hypervisors:1')?.text).toBe('e1');
    expect(doc.ns).toBeUndefined();
  });

  it('round-trips a document, escaping text and attributes so nothing can be injected', () => {
    const doc = parseXml(`<domain type='kvm'><name>a</name><description>x &amp; &lt;y&gt;</description></domain>`);
    expect(doc.textAt('description')).toBe('x & <y>');
    doc.append('title', { note: `"quoted" & <tag/> 'single'` }, `</title><evil/>`);
    const again = parseXml(serializeXml(doc));
    expect(again.child('title')?.text).toBe('</title><evil/>');
    expect(again.child('title')?.attr('note')).toBe(`"quoted" & <tag/> 'single'`);
    expect(again.child('evil')).toBeUndefined();
    expect(again.attr('type')).toBe('kvm');
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('refuses DOCTYPEs (no entity expansion from a hostile endpoint)', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')).toThrow(/DOCTYPE/);
    expect(() => parseXml('just text')).toThrow(/no root element/);
  });
});
