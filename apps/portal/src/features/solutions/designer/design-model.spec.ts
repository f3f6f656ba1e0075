import {
  addComponent,
  amountsByComponent,
  connect,
  disconnect,
  emptyGraph,
  fieldProblem,
  keyOf,
  linksOf,
  placeProblems,
  removeComponent,
  toApiGraph,
  type DraftGraph,
} from './design-model';
import { designerReducer, initialState } from './designer-state';

function twoVmsOneNetwork(): DraftGraph {
  let graph = emptyGraph();
  graph = addComponent(graph, 'vms', { template: { sku: 'VM-LINUX' } }).graph;
  graph = addComponent(graph, 'vms', { template: { sku: 'VM-WINDOWS', licence: 'LIC-WIN-STD' } }).graph;
  graph = addComponent(graph, 'networks').graph;
  graph = connect(graph, keyOf('vms', 'vm-1'), keyOf('networks', 'lan'))!;
  return connect(graph, keyOf('networks', 'lan'), keyOf('vms', 'vm-2'))!;
}

describe('the designer’s model', () => {
  it('draws two VMs on one network as the API’s graph', () => {
    expect(toApiGraph(twoVmsOneNetwork())).toEqual({
      vms: [
        { id: 'vm-1', name: 'VM 1', template: 'VM-LINUX', vcpus: 2, ramGb: 4, diskGb: 40, networks: ['lan'] },
        { id: 'vm-2', name: 'VM 2', template: 'VM-WINDOWS', vcpus: 2, ramGb: 4, diskGb: 40, osLicence: 'LIC-WIN-STD', networks: ['lan'] },
      ],
      networks: [{ id: 'lan', name: 'Network 1', cidr: '10.0.1.0/24' }],
      volumes: [],
      publicIps: [],
    });
  });

  it('sends a size as typed when it is not a whole number, so the API names the problem', () => {
    const graph = { ...twoVmsOneNetwork() };
    graph.vms = graph.vms.map((vm) => (vm.id === 'vm-1' ? { ...vm, vcpus: ' 8 ', ramGb: 'lots' } : vm));
    const [vm] = toApiGraph(graph).vms;
    expect([vm.vcpus, vm.ramGb]).toEqual([8, 'lots']);
  });

  it('links only what the design can link, and unlinks by the edge', () => {
    const graph = twoVmsOneNetwork();
    expect(linksOf(graph).map((l) => l.id)).toEqual(['link:vm-1:lan', 'link:vm-2:lan']);
    expect(connect(graph, keyOf('vms', 'vm-1'), keyOf('vms', 'vm-2'))).toBeNull();
    expect(connect(graph, keyOf('networks', 'lan'), keyOf('vms', 'nope'))).toBeNull();
    expect(disconnect(graph, 'link:vm-2:lan').vms[1].networks).toEqual([]);
    const { graph: withIp } = addComponent(graph, 'publicIps', { vm: 'vm-2' });
    expect(linksOf(withIp).map((l) => l.id)).toContain('attach:publicIps:ip-1');
  });

  it('takes a VM’s volumes and public IPs with it, and leaves VMs when a network goes', () => {
    let graph = addComponent(twoVmsOneNetwork(), 'volumes', { vm: 'vm-1' }).graph;
    graph = addComponent(graph, 'publicIps', { vm: 'vm-1' }).graph;
    const withoutVm = removeComponent(graph, 'vms', 'vm-1');
    expect([withoutVm.vms.length, withoutVm.volumes.length, withoutVm.publicIps.length]).toEqual([1, 0, 0]);
    const withoutNetwork = removeComponent(graph, 'networks', 'lan');
    expect(withoutNetwork.vms.map((vm) => vm.networks)).toEqual([[], []]);
  });

  it('places the API’s problems on the component and field they name, by id or by position', () => {
    const graph = twoVmsOneNetwork();
    const placed = placeProblems(graph, [
      { field: 'vms[vm-1].vcpus', problem: 'is too many' },
      { field: 'vms[1]', problem: 'has a bad id' },
      { field: 'networks[gone].cidr', problem: 'overlaps' },
      { field: 'vms', problem: 'is empty' },
    ]);
    expect(placed.map((p) => [p.key, p.field])).toEqual([
      ['vms:vm-1', 'vcpus'],
      ['vms:vm-2', null],
      [null, null],
      [null, null],
    ]);
    expect(fieldProblem(placed, 'vms:vm-1', 'vcpus')).toBe('is too many');
    expect(fieldProblem(placed, 'vms:vm-1', 'ramGb')).toBeUndefined();
  });

  it('adds up each component’s quote lines exactly', () => {
    const amounts = amountsByComponent([
      { ref: 'vms[vm-1].template', amount: '0.10' },
      { ref: 'vms[vm-1].vcpus', amount: '0.20' },
      { ref: 'publicIps[ip-1]', amount: '3.60' },
      { ref: null, amount: '9.99' },
    ]);
    expect(Object.fromEntries(amounts)).toEqual({ 'vms:vm-1': '0.3', 'publicIps:ip-1': '3.6' });
  });

  it('keeps the canvas nodes in step with the graph, whichever side changes it', () => {
    let state = initialState(twoVmsOneNetwork());
    expect(state.nodes.map((n) => n.id)).toEqual(['vms:vm-1', 'vms:vm-2', 'networks:lan']);
    state = designerReducer(state, { type: 'add', kind: 'volumes', vm: 'vm-2' });
    expect(state.added).toBe('volumes:vol-1');
    expect(state.nodes.find((n) => n.selected)?.id).toBe('volumes:vol-1');
    state = designerReducer(state, { type: 'nodes', changes: [{ type: 'remove', id: 'vms:vm-2' }] });
    expect(state.nodes.map((n) => n.id)).toEqual(['vms:vm-1', 'networks:lan']);
    expect(state.graph.volumes).toEqual([]);
    state = designerReducer(state, { type: 'edges', changes: [{ type: 'remove', id: 'link:vm-1:lan' }] });
    expect(state.graph.vms[0].networks).toEqual([]);
  });
});
