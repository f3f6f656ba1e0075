import { billOfMaterials, skusOf } from './bill-of-materials';
import { designAttributeProblems, unitItems } from './design-catalog';
import { designTotals, readDesignGraph, type DesignGraph } from './design-graph';
import { validateDesign } from './design-validation';
import { OFFER, sampleGraph } from './testing/design-fixtures';

const problemsOf = (graph: DesignGraph, offer = OFFER) => validateDesign(graph, offer);

describe('readDesignGraph', () => {
  it('accepts a well-formed design and copies it without unknown extras', () => {
    const reading = readDesignGraph(sampleGraph());
    expect(reading.problems).toEqual([]);
    expect(reading.graph).toEqual(sampleGraph());
    expect(readDesignGraph({}).graph).toEqual({ vms: [], networks: [], volumes: [], publicIps: [] });
  });

  it('names each malformed field, by id when usable and by position otherwise', () => {
    const reading = readDesignGraph({
      vms: [
        { id: 'web-1', template: 'VM-LINUX', vcpus: '2', ramGb: 4.5, diskGb: 0, networks: 'lan', colour: 'red' },
        { id: 'Web 2', template: '', vcpus: 1, ramGb: 1, diskGb: 1, networks: [] },
        { id: 'web-1', template: 'VM-LINUX', vcpus: 1, ramGb: 1, diskGb: 1, networks: [] },
      ],
      networks: [{ id: 'lan' }],
      volumes: 'none',
      extra: true,
    });
    expect(reading.graph).toBeUndefined();
    expect(reading.problems).toEqual(
      expect.arrayContaining([
        { field: 'extra', problem: 'is not an allowed field' },
        { field: 'volumes', problem: 'must be a list' },
        { field: 'vms[web-1].colour', problem: 'is not an allowed field' },
        { field: 'vms[1].id', problem: expect.stringContaining('lower-case letters') },
        { field: 'vms[web-1].id', problem: 'is used by another entry of vms: ids must be unique' },
        { field: 'vms[web-1].vcpus', problem: 'must be a whole number from 1 to 1000000' },
        { field: 'vms[web-1].ramGb', problem: 'must be a whole number from 1 to 1000000' },
        { field: 'vms[web-1].diskGb', problem: 'must be a whole number from 1 to 1000000' },
        { field: 'vms[web-1].networks', problem: 'must be a list of network ids' },
        { field: 'vms[1].template', problem: 'must be a VM template SKU, e.g. "VM-LINUX"' },
        { field: 'networks[lan].cidr', problem: 'must be an IPv4 CIDR such as 10.0.1.0/24' },
      ]),
    );
    expect(readDesignGraph([]).problems).toEqual([{ field: 'graph', problem: 'must be an object with vms, networks, volumes and publicIps' }]);
    expect(readDesignGraph({ vms: Array.from({ length: 201 }, () => ({})) }).problems[0]).toEqual({ field: 'vms', problem: 'must have at most 200 entries' });
  });

  it('totals the sizes for thresholds', () => {
    expect(designTotals(sampleGraph())).toEqual({ vms: 3, vcpus: 8, ramGb: 24, storageGb: 660, publicIps: 1 });
  });
});

describe('validateDesign', () => {
  it('finds nothing wrong with a sound design', () => {
    expect(problemsOf(sampleGraph())).toEqual([]);
  });

  it('asks for at least one VM', () => {
    expect(problemsOf({ vms: [], networks: [], volumes: [], publicIps: [] })).toEqual([{ field: 'vms', problem: 'is empty: a design needs at least one VM' }]);
  });

  it('tells the architect to connect a VM on no network, and flags links to networks that do not exist', () => {
    const graph = sampleGraph();
    graph.vms[0].networks = [];
    graph.vms[1].networks = ['dmz', 'lan', 'lan'];
    expect(problemsOf(graph)).toEqual([
      { field: 'vms[web-1].networks', problem: 'is empty: connect the VM to at least one network' },
      { field: 'vms[web-2].networks', problem: '"dmz" is not a network of this design: add it or remove the link' },
      { field: 'vms[web-2].networks', problem: 'lists "lan" twice' },
    ]);
  });

  it('finds overlapping, malformed and too small CIDRs', () => {
    const graph = sampleGraph();
    graph.networks.push({ id: 'dmz', cidr: '10.0.0.0/16' }, { id: 'mgmt', cidr: '10.0.3.7/24' }, { id: 'tiny', cidr: '192.168.9.0/30' });
    graph.vms.forEach((vm) => vm.networks.push('tiny'));
    expect(problemsOf(graph)).toEqual([
      { field: 'networks[dmz].cidr', problem: '10.0.0.0/16 overlaps network lan (10.0.1.0/24): give each network its own range' },
      { field: 'networks[dmz].cidr', problem: '10.0.0.0/16 overlaps network backend (10.0.2.0/24): give each network its own range' },
      { field: 'networks[mgmt].cidr', problem: '10.0.3.7/24 has host bits set: did you mean 10.0.3.0/24?' },
      { field: 'networks[tiny].cidr', problem: '192.168.9.0/30 has room for 1 VM but 3 are connected: use a larger range (a shorter prefix)' },
    ]);
  });

  it('keeps sizes within the template and names the limit', () => {
    const graph = sampleGraph();
    Object.assign(graph.vms[0], { vcpus: 24, ramGb: 256, diskGb: 4096 });
    expect(problemsOf(graph)).toEqual([
      { field: 'vms[web-1].vcpus', problem: '24 is more than the 16 vCPUs VM-LINUX (Linux VM template) allows: size it down or choose a larger template' },
      {
        field: 'vms[web-1].ramGb',
        problem: '256 is more than the 128 GB of RAM VM-LINUX (Linux VM template) allows: size it down or choose a larger template',
      },
      {
        field: 'vms[web-1].diskGb',
        problem: '4096 is more than the 2048 GB of boot disk VM-LINUX (Linux VM template) allows: size it down or choose a larger template',
      },
    ]);
  });

  it('refuses unknown, retired, wrongly typed and unsold items', () => {
    const graph = sampleGraph();
    graph.vms[0].template = 'VM-NOPE';
    graph.vms[1].template = 'VM-OLD';
    graph.vms[2].template = 'VCPU';
    const offer = { ...OFFER, notSold: [{ sku: 'LIC-WIN-STD', by: 'Acme MSP' }] };
    expect(problemsOf(graph, offer)).toEqual([
      { field: 'vms[web-1].template', problem: '"VM-NOPE" is not in the catalog: choose a VM template from the catalog' },
      { field: 'vms[web-2].template', problem: 'VM-OLD (Old template) is retired and can no longer be ordered: choose another item' },
      { field: 'vms[db-1].template', problem: 'VCPU (Virtual CPU) is not a VM template' },
      { field: 'vms[db-1].osLicence', problem: 'LIC-WIN-STD (Windows Server Standard licence) is not sold by Acme MSP: choose another item' },
    ]);
  });

  it('needs a licence of the template’s OS where the template says so', () => {
    const graph = sampleGraph();
    delete graph.vms[2].osLicence;
    graph.vms[0].osLicence = 'LIC-WIN-STD';
    expect(problemsOf(graph)).toEqual([
      {
        field: 'vms[web-1].osLicence',
        problem: 'LIC-WIN-STD (Windows Server Standard licence) is a windows licence, but VM-LINUX (Linux VM template) runs linux',
      },
      { field: 'vms[db-1].osLicence', problem: 'is required: VM-WINDOWS (Windows Server VM template) runs windows and needs an OS licence' },
    ]);
  });

  it('wants volumes and public IPs attached to VMs of the design', () => {
    const graph = sampleGraph();
    graph.volumes[0].vm = 'db-9';
    graph.publicIps[0].vm = 'web-9';
    expect(problemsOf(graph)).toEqual([
      { field: 'volumes[data].vm', problem: '"db-9" is not a VM of this design: attach the volume to one' },
      { field: 'publicIps[ip-1].vm', problem: '"web-9" is not a VM of this design: map the address to one' },
    ]);
  });

  it('says once when the catalog cannot price a size, or the chain does not sell it', () => {
    const offer = { ...OFFER, items: OFFER.items.filter((i) => i.sku !== 'VCPU'), notSold: [{ sku: 'PUBLIC-IP', by: 'your supplier' }] };
    expect(problemsOf(sampleGraph(), offer)).toEqual([
      { field: 'vms[web-1].vcpus', problem: 'cannot be priced: the catalog has no vCPU item (the operator must add one)' },
      { field: 'publicIps[ip-1]', problem: 'PUBLIC-IP (Public IPv4 address) is not sold by your supplier: choose another item' },
    ]);
  });
});

describe('billOfMaterials', () => {
  it('prices each component from the items’ roles, per design field', () => {
    expect(billOfMaterials(sampleGraph(), OFFER)).toEqual({
      unpriced: [],
      lines: [
        { sku: 'VM-LINUX', quantity: '1', ref: 'vms[web-1].template' },
        { sku: 'VCPU', quantity: '2', ref: 'vms[web-1].vcpus' },
        { sku: 'RAM-GB', quantity: '4', ref: 'vms[web-1].ramGb' },
        { sku: 'STORAGE-SSD-GB', quantity: '40', ref: 'vms[web-1].diskGb' },
        { sku: 'VM-LINUX', quantity: '1', ref: 'vms[web-2].template' },
        { sku: 'VCPU', quantity: '2', ref: 'vms[web-2].vcpus' },
        { sku: 'RAM-GB', quantity: '4', ref: 'vms[web-2].ramGb' },
        { sku: 'STORAGE-SSD-GB', quantity: '40', ref: 'vms[web-2].diskGb' },
        { sku: 'VM-WINDOWS', quantity: '1', ref: 'vms[db-1].template' },
        { sku: 'VCPU', quantity: '4', ref: 'vms[db-1].vcpus' },
        { sku: 'RAM-GB', quantity: '16', ref: 'vms[db-1].ramGb' },
        { sku: 'STORAGE-SSD-GB', quantity: '80', ref: 'vms[db-1].diskGb' },
        { sku: 'LIC-WIN-STD', quantity: '1', ref: 'vms[db-1].osLicence' },
        { sku: 'STORAGE-SSD-GB', quantity: '500', ref: 'volumes[data].sizeGb' },
        { sku: 'PUBLIC-IP', quantity: '1', ref: 'publicIps[ip-1]' },
      ],
    });
  });

  it('counts a per-vCPU licence per vCPU and leaves out what cannot be ordered', () => {
    const graph = sampleGraph();
    graph.vms[2].osLicence = 'LIC-WIN-CORE';
    graph.vms[0].template = 'VM-OLD';
    const { lines, unpriced } = billOfMaterials(graph, { ...OFFER, notSold: [{ sku: 'PUBLIC-IP', by: 'Acme MSP' }] });
    expect(lines.find((l) => l.ref === 'vms[db-1].osLicence')).toEqual({ sku: 'LIC-WIN-CORE', quantity: '4', ref: 'vms[db-1].osLicence' });
    expect(unpriced).toEqual(['vms[web-1].template', 'publicIps[ip-1]']);
  });

  it('lists the SKUs a design names', () => {
    expect(skusOf(sampleGraph())).toEqual(['LIC-WIN-STD', 'VM-LINUX', 'VM-WINDOWS']);
  });
});

describe('design attributes of catalog items', () => {
  it('picks one item per unit role, skipping retired ones', () => {
    const items = [...OFFER.items, { sku: 'AAA-VCPU-OLD', name: 'old vCPU', retiredAt: '2026-01-01T00:00:00Z', design: { role: 'vcpu' as const } }];
    expect(unitItems({ ...OFFER, items }).vcpu?.sku).toBe('VCPU');
  });

  it('validates what an operator writes', () => {
    expect(designAttributeProblems({ role: 'vm-template', os: 'linux', maxVcpus: 8, maxRamGb: 32, maxDiskGb: 500 })).toEqual([]);
    expect(designAttributeProblems(null)).toEqual([]);
    expect(designAttributeProblems({ role: 'gpu' })).toEqual([{ field: 'design.role', problem: expect.stringContaining('must be one of vm-template') }]);
    expect(designAttributeProblems({ role: 'vm-template', os: 'Linux!', maxVcpus: 0, maxRamGb: 1.5, colour: 1 })).toEqual([
      { field: 'design.colour', problem: 'is not an attribute of a vm-template' },
      { field: 'design.os', problem: 'must name the OS, e.g. "linux" or "windows"' },
      { field: 'design.maxVcpus', problem: 'must be a whole number ≥ 1' },
      { field: 'design.maxRamGb', problem: 'must be a whole number ≥ 1' },
      { field: 'design.maxDiskGb', problem: 'must be a whole number ≥ 1' },
    ]);
    expect(designAttributeProblems({ role: 'os-licence', os: 'windows', per: 'socket' })).toEqual([{ field: 'design.per', problem: 'must be "vm" or "vcpu"' }]);
  });
});
