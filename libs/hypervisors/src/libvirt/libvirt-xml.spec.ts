import { parseXml, serializeXml } from '../xml/xml';
import { bridgeNetworkXml, interfaceNetworks, readMetadata, sizeBytes, sizeKib, writableDisks, writeMetadata, writeNetwork, writeSize } from './libvirt-xml';

const TEMPLATE = `<domain type='kvm'>
  <name>tpl</name><uuid>ae7b9b51-a43f-43ca-b984-59839bb83e64</uuid>
  <memory unit='KiB'>32768</memory><currentMemory unit='KiB'>32768</currentMemory>
  <vcpu placement='static' current='1'>2</vcpu>
  <metadata><other:app xmlns:other="urn:other">keep me</other:app><wholesail:vm xmlns:wholesail="urn:wholesail:hypervisors:1" template="true"/></metadata>
  <devices>
    <disk type='volume' device='disk'><source pool='images' volume='tpl.img'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><source file='/isos/boot.iso'/><target dev='hdc'/><readonly/></disk>
    <interface type='bridge'><mac address='52:54:00:b4:66:25'/><source bridge='br0'/><model type='virtio'/><address type='pci' slot='0x02'/></interface>
  </devices>
</domain>`;

describe('libvirt XML', () => {
  it('reads sizes in any unit', () => {
    const doc = parseXml(TEMPLATE);
    expect(sizeKib(doc.child('memory'))).toBe(32768);
    expect(sizeKib(parseXml(`<memory unit='GiB'>2</memory>`))).toBe(2 * 1024 * 1024);
    expect(sizeBytes(parseXml(`<capacity unit='bytes'>1048576</capacity>`))).toBe(1048576);
    expect(sizeBytes(parseXml(`<capacity>1024</capacity>`))).toBe(1024);
  });

  it('finds the writable disks (not the CD-ROM) and the attached networks', () => {
    const doc = parseXml(TEMPLATE);
    expect(writableDisks(doc).map((disk) => ({ target: disk.target, pool: disk.pool, volume: disk.volume }))).toEqual([
      { target: 'vda', pool: 'images', volume: 'tpl.img' },
    ]);
    expect(interfaceNetworks(doc)).toEqual(['br0']);
  });

  it('rewrites size, network and metadata for a clone, keeping other applications’ metadata', () => {
    const doc = parseXml(TEMPLATE);
    writeSize(doc, 4, 512);
    writeNetwork(doc, 'net-a');
    writeMetadata(doc, { labels: { env: 'e1', note: `<x> & "y"` } });
    const again = parseXml(serializeXml(doc));
    expect(again.child('vcpu')?.text).toBe('4');
    expect(again.child('vcpu')?.attr('current')).toBeUndefined();
    expect(sizeKib(again.child('memory'))).toBe(512 * 1024);
    expect(sizeKib(again.child('currentMemory'))).toBe(512 * 1024);
    const nic = again.at('devices', 'interface');
    expect(nic?.attr('type')).toBe('network');
    expect(nic?.child('source')?.attr('network')).toBe('net-a');
    expect(nic?.child('mac')).toBeUndefined();
    expect(nic?.child('model')?.attr('type')).toBe('virtio');
    expect(readMetadata(again)).toEqual({ template: false, labels: { env: 'e1', note: `<x> & "y"` } });
    expect(
      again
        .child('metadata')
        ?.elements()
        .map((element) => element.ns),
    ).toEqual(['urn:other', 'urn:wholesail:hypervisors:1']);
  });

  it('reads the template mark and builds bridge-mode networks', () => {
    expect(readMetadata(parseXml(TEMPLATE))).toEqual({ template: true, labels: {} });
    const network = parseXml(bridgeNetworkXml('net-a', 'wsbr0'));
    expect(network.child('forward')?.attr('mode')).toBe('bridge');
    expect(network.child('bridge')?.attr('name')).toBe('wsbr0');
  });
});
