/**
 * The drawing surface (React Flow): one node per component, one edge per link. Components are
 * dropped here from the palette; a VM is connected to a network (a volume or public IP to its VM)
 * by dragging from one handle to the other. Every node and edge is reachable with Tab, selected
 * with Enter or Space and removed with Delete, and names itself to a screen reader; the side panel
 * offers the same connections as checkboxes and lists.
 */
import {
  Background,
  ConnectionMode,
  Controls,
  Handle,
  Position,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeProps,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, type DragEvent, type Dispatch, type ReactNode } from 'react';
import { formatMoney } from '../../../ui/format';
import {
  canConnect,
  componentLabel,
  findComponent,
  linksOf,
  parseKey,
  problemsOf,
  type ComponentKey,
  type ComponentKind,
  type DraftNetwork,
  type DraftVm,
  type DraftVolume,
  type TemplateChoice,
} from './design-model';
import type { DesignerAction, DesignerState } from './designer-state';
import { describeComponent, fieldLabel, useDesignerView } from './designer-view';

/** What the palette puts on the drag: the kind of component, and for a VM its template. */
export const DRAG_TYPE = 'application/x-wholesail-design-component';
export interface DraggedComponent {
  kind: ComponentKind;
  template?: TemplateChoice;
}

const NODE_TYPES: NodeTypes = {
  vms: VmNode,
  networks: NetworkNode,
  volumes: VolumeNode,
  publicIps: PublicIpNode,
};

const ARIA_LABELS = {
  'node.a11yDescription.default': 'Press Enter or Space to select this component and edit it in the side panel, Delete to remove it.',
  'node.a11yDescription.keyboardDisabled': 'Press Enter or Space to select this component and edit it in the side panel, Delete to remove it.',
  'edge.a11yDescription.default': 'Press Enter or Space to select this link, then Delete to remove it.',
  'controls.ariaLabel': 'Canvas controls',
  'controls.zoomIn.ariaLabel': 'Zoom in',
  'controls.zoomOut.ariaLabel': 'Zoom out',
  'controls.fitView.ariaLabel': 'Fit the design to the view',
  'controls.interactive.ariaLabel': 'Lock or unlock editing on the canvas',
  'handle.ariaLabel': 'Connection point',
};

export function DesignCanvas({ state, dispatch, readOnly }: { state: DesignerState; dispatch: Dispatch<DesignerAction>; readOnly: boolean }) {
  const view = useDesignerView();
  const flow = useReactFlow();
  const nodes = useMemo<Node[]>(
    () => state.nodes.map((node) => ({ ...node, ariaLabel: describeComponent(state.graph, node.id as ComponentKey, view.placed) })),
    [state.nodes, state.graph, view.placed],
  );
  const edges = useMemo<Edge[]>(
    () =>
      linksOf(state.graph).map((link) => {
        const to = parseKey(link.to)!;
        const from = parseKey(link.from)!;
        const fromLabel = componentLabel(findComponent(state.graph, from.kind, from.id)!);
        const toComponent = findComponent(state.graph, to.kind, to.id);
        return {
          id: link.id,
          source: link.from,
          target: link.to,
          sourceHandle: from.kind === 'publicIps' ? 'down' : from.kind === 'volumes' ? 'up' : 'down',
          targetHandle: to.kind === 'networks' ? 'up' : from.kind === 'publicIps' ? 'up' : 'down',
          type: 'smoothstep',
          selected: state.selectedEdges.includes(link.id),
          ariaLabel: `Link from ${fromLabel} to ${toComponent ? componentLabel(toComponent) : to.id}`,
          className: to.kind === 'networks' ? 'design-edge design-edge--network' : 'design-edge',
        };
      }),
    [state.graph, state.selectedEdges],
  );

  // A component added or removed: the whole design stays in view (once React Flow has measured it).
  const count = state.nodes.length;
  useEffect(() => {
    if (count === 0) return;
    const timer = setTimeout(() => void flow.fitView({ maxZoom: 1, padding: 0.2, duration: 150 }), 50);
    return () => clearTimeout(timer);
  }, [count, flow]);

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    const raw = event.dataTransfer.getData(DRAG_TYPE);
    if (!raw || readOnly) return;
    event.preventDefault();
    const dragged = JSON.parse(raw) as DraggedComponent;
    const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const selectedVm = state.nodes.find((n) => n.selected && n.type === 'vms');
    dispatch({ type: 'add', kind: dragged.kind, template: dragged.template, position, vm: selectedVm ? parseKey(selectedVm.id)!.id : undefined });
  };

  return (
    <div
      className="designer-canvas"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <ReactFlow
        aria-label="Design canvas"
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={(changes) => dispatch({ type: 'nodes', changes })}
        onEdgesChange={(changes) => dispatch({ type: 'edges', changes })}
        onConnect={(connection: Connection) => dispatch({ type: 'connect', a: connection.source, b: connection.target })}
        isValidConnection={(connection) => canConnect(state.graph, connection.source, connection.target)}
        connectionMode={ConnectionMode.Loose}
        nodesConnectable={!readOnly}
        nodesDraggable
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        ariaLabelConfig={ARIA_LABELS}
        fitView
        fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        minZoom={0.3}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

function NodeFrame({ id, kind, selected, handles, children }: { id: string; kind: string; selected: boolean; handles: ReactNode; children?: ReactNode }) {
  const view = useDesignerView();
  const key = id as ComponentKey;
  const parsed = parseKey(key)!;
  const component = findComponent(view.graph, parsed.kind, parsed.id);
  const problems = problemsOf(view.placed, key);
  const amount = view.amounts.get(key);
  if (!component) return null;
  return (
    <div className={`design-node design-node--${parsed.kind}${problems.length ? ' design-node--invalid' : ''}${selected ? ' design-node--selected' : ''}`}>
      {handles}
      <p className="design-node-kind">{kind}</p>
      <p className="design-node-name">{componentLabel(component)}</p>
      {children}
      {amount && <p className="design-node-amount">{formatMoney(amount, view.currency)} a month</p>}
      {problems.length > 0 && (
        <ul className="design-node-problems">
          {problems.map((p) => (
            <li key={`${p.path}:${p.problem}`}>
              {p.field && <strong>{fieldLabel(p.field)}: </strong>}
              {p.problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function VmNode({ id, selected }: NodeProps) {
  const view = useDesignerView();
  const vm = findComponent(view.graph, 'vms', parseKey(id)!.id) as DraftVm | undefined;
  return (
    <NodeFrame
      id={id}
      kind={`VM · ${vm?.template || 'no template'}`}
      selected={selected}
      handles={
        <>
          <Handle type="source" id="up" position={Position.Top} />
          <Handle type="source" id="down" position={Position.Bottom} />
        </>
      }
    >
      {vm && (
        <p className="design-node-specs">
          {vm.vcpus} vCPU · {vm.ramGb} GB RAM · {vm.diskGb} GB disk
          {vm.osLicence ? ` · ${vm.osLicence}` : ''}
        </p>
      )}
    </NodeFrame>
  );
}

function NetworkNode({ id, selected }: NodeProps) {
  const view = useDesignerView();
  const network = findComponent(view.graph, 'networks', parseKey(id)!.id) as DraftNetwork | undefined;
  return (
    <NodeFrame id={id} kind="Network" selected={selected} handles={<Handle type="source" id="up" position={Position.Top} />}>
      {network && <p className="design-node-specs mono">{network.cidr}</p>}
    </NodeFrame>
  );
}

function VolumeNode({ id, selected }: NodeProps) {
  const view = useDesignerView();
  const volume = findComponent(view.graph, 'volumes', parseKey(id)!.id) as DraftVolume | undefined;
  return (
    <NodeFrame id={id} kind="Volume" selected={selected} handles={<Handle type="source" id="up" position={Position.Top} />}>
      {volume && <p className="design-node-specs">{volume.sizeGb} GB</p>}
    </NodeFrame>
  );
}

function PublicIpNode({ id, selected }: NodeProps) {
  return <NodeFrame id={id} kind="Public IP" selected={selected} handles={<Handle type="source" id="down" position={Position.Bottom} />} />;
}
