/**
 * A version's network map, drawn by the API (GET …/versions/{n}/map, SVG). It is shown as an image
 * (a data: URL: the SVG cannot run anything in the page), and its own <desc> — the map in words — is
 * the image's text alternative.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ErrorState, Loading } from '../../ui/states';

function readSvg(svg: string): { src: string; title: string; desc: string } {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const text = (selector: string) => doc.querySelector(selector)?.textContent?.trim() ?? '';
  return { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, title: text('svg > title'), desc: text('svg > desc') };
}

export function NetworkMap({ solutionId, version, caption }: { solutionId: string; version: number; caption?: string }) {
  const map = useQuery({
    queryKey: ['solutions', 'map', solutionId, version],
    queryFn: async () => readSvg(await api.text(`/solutions/${encodeURIComponent(solutionId)}/versions/${version}/map`)),
    staleTime: Infinity,
  });
  if (map.isPending) return <Loading label="Drawing the network map…" />;
  if (map.isError) return <ErrorState error={map.error} onRetry={() => void map.refetch()} title="The network map could not be drawn" />;
  return (
    <figure className="network-map">
      <img src={map.data.src} alt={map.data.desc || map.data.title || `Network map of version ${version}`} />
      <figcaption>{caption ?? map.data.title}</figcaption>
    </figure>
  );
}
