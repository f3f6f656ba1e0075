import { sampleGraph } from '../../domain/src/designs/testing/design-fixtures';
import { describeMap, esc, renderNetworkMap } from './network-map';

describe('network map', () => {
  it('draws the same graph to byte-identical SVG, every time', async () => {
    const first = await renderNetworkMap(sampleGraph(), { title: 'Umbrella shop, version 1' });
    const again = await renderNetworkMap(JSON.parse(JSON.stringify(sampleGraph())), { title: 'Umbrella shop, version 1' });
    expect(again).toBe(first);
    const other = sampleGraph();
    other.vms[0].vcpus = 3;
    expect(await renderNetworkMap(other, { title: 'Umbrella shop, version 1' })).not.toBe(first);
  });

  it('is an accessible SVG with a title, a description and every component', async () => {
    const svg = await renderNetworkMap(sampleGraph(), { title: 'Umbrella shop, version 1' });
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+(\.\d)?" height="\d+(\.\d)?" viewBox="0 0 [\d.]+ [\d.]+" role="img" aria-labelledby="map-title map-desc"/,
    );
    expect(svg).toContain('<title id="map-title">Umbrella shop, version 1</title>');
    expect(svg).toContain('<desc id="map-desc">3 VMs on 2 networks, 1 volume, 1 public IP. Network Front LAN (10.0.1.0/24). Network backend (10.0.2.0/24).');
    for (const id of ['net-lan', 'net-backend', 'vm-web-1', 'vm-web-2', 'vm-db-1', 'ip-ip-1']) expect(svg).toContain(`<g id="${id}"`);
    expect(svg).toContain('10.0.1.0/24');
    expect(svg).toContain('DB data: 500 GB');
    // One link per VM and network, one per public IP: 4 VM links + 1 IP link.
    expect(svg.match(/<path d="M/g)).toHaveLength(5);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('escapes names, so a label cannot inject markup or scripts', async () => {
    const graph = sampleGraph();
    graph.vms[0].name = '</text><script>alert("x")</script>&';
    graph.networks[0].name = `"><foreignObject onload='x'>`;
    const svg = await renderNetworkMap(graph, { title: 'A & B <c>' });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<foreignObject');
    expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)');
    expect(svg).toContain('<title id="map-title">A &amp; B &lt;c&gt;</title>');
    expect(esc('a\u0000b\u0007c\ud800')).toBe('abc');
  });

  it('draws a saved version with problems, leaving out links to what does not exist', async () => {
    const graph = sampleGraph();
    graph.vms[0].networks = ['nowhere'];
    graph.publicIps[0].vm = 'gone';
    graph.volumes[0].vm = 'gone';
    graph.networks[1].cidr = 'not a cidr';
    const svg = await renderNetworkMap(graph, { title: 'broken' });
    expect(svg.match(/<path d="M/g)).toHaveLength(3);
    expect(svg).toContain('not a cidr');
    expect(svg).not.toContain('DB data');
  });

  it('says in words what it shows', () => {
    expect(describeMap({ vms: [], networks: [], volumes: [], publicIps: [] })).toBe('0 VMs on 0 networks, 0 volumes, 0 public IPs.');
    expect(describeMap(sampleGraph())).toContain('VM Database: VM-WINDOWS, 4 vCPU, 16 GB RAM, 80 GB disk, on Front LAN and backend, volumes DB data 500 GB.');
  });
});
