/**
 * The designer's state: the graph (what is saved) and the canvas nodes (where each component sits,
 * which is selected, React Flow's measurements). One reducer keeps them in step: a component added
 * or removed from any side (palette, canvas, side panel, keyboard) changes both at once.
 */
import { applyNodeChanges, type EdgeChange, type Node, type NodeChange } from '@xyflow/react';
import {
  addComponent,
  COMPONENT_KINDS,
  connect,
  disconnect,
  keyOf,
  layout,
  linksOf,
  nextPosition,
  parseKey,
  removeComponent,
  updateComponent,
  type ComponentKey,
  type ComponentKind,
  type DraftComponent,
  type DraftGraph,
  type TemplateChoice,
} from './design-model';

export interface DesignerState {
  graph: DraftGraph;
  nodes: Node[];
  selectedEdges: string[];
  /** The component just added from the palette: the side panel takes the focus for it. */
  added: ComponentKey | null;
}

export type DesignerAction =
  | { type: 'load'; graph: DraftGraph }
  | { type: 'nodes'; changes: NodeChange[] }
  | { type: 'edges'; changes: EdgeChange[] }
  | { type: 'connect'; a: string; b: string }
  | { type: 'add'; kind: ComponentKind; template?: TemplateChoice; position?: { x: number; y: number }; vm?: string }
  | { type: 'update'; kind: ComponentKind; id: string; change: Partial<DraftComponent> }
  | { type: 'remove'; key: ComponentKey }
  | { type: 'select'; key: ComponentKey | null };

export function initialState(graph: DraftGraph): DesignerState {
  const positions = layout(graph);
  return { graph, nodes: keysOf(graph).map((key) => nodeFor(key, positions.get(key) ?? { x: 0, y: 0 })), selectedEdges: [], added: null };
}

function keysOf(graph: DraftGraph): ComponentKey[] {
  return COMPONENT_KINDS.flatMap((kind) => (graph[kind] as DraftComponent[]).map((c) => keyOf(kind, c.id)));
}

function nodeFor(key: ComponentKey, position: { x: number; y: number }, selected = false): Node {
  return { id: key, type: parseKey(key)!.kind, position, data: {}, selected };
}

/** The nodes for a changed graph: gone components leave, new ones join their row (or where they were dropped). */
function withGraph(state: DesignerState, graph: DraftGraph, placed?: { key: ComponentKey; position?: { x: number; y: number } }): DesignerState {
  const keys = keysOf(graph);
  const wanted = new Set(keys);
  const nodes = state.nodes.filter((n) => wanted.has(n.id as ComponentKey));
  const have = new Set(nodes.map((n) => n.id));
  for (const key of keys) {
    if (have.has(key)) continue;
    const position =
      placed?.key === key && placed.position
        ? placed.position
        : nextPosition(
            parseKey(key)!.kind,
            nodes.map((n) => n.position),
          );
    nodes.push(nodeFor(key, position));
  }
  return { ...state, graph, nodes, selectedEdges: state.selectedEdges.filter((id) => linkStillThere(graph, id)) };
}

function linkStillThere(graph: DraftGraph, linkId: string): boolean {
  return linksOf(graph).some((link) => link.id === linkId);
}

function select(nodes: Node[], key: ComponentKey | null): Node[] {
  return nodes.map((n) => ((n.id === key) === !!n.selected ? n : { ...n, selected: n.id === key }));
}

export function designerReducer(state: DesignerState, action: DesignerAction): DesignerState {
  switch (action.type) {
    case 'load':
      return initialState(action.graph);
    case 'nodes': {
      let graph = state.graph;
      for (const change of action.changes) {
        if (change.type !== 'remove') continue;
        const parsed = parseKey(change.id);
        if (parsed) graph = removeComponent(graph, parsed.kind, parsed.id);
      }
      const moved = { ...state, nodes: applyNodeChanges(action.changes, state.nodes), added: null };
      return graph === state.graph ? moved : withGraph(moved, graph);
    }
    case 'edges': {
      let graph = state.graph;
      let selected = state.selectedEdges;
      for (const change of action.changes) {
        if (change.type === 'remove') graph = disconnect(graph, change.id);
        if (change.type === 'select') selected = change.selected ? [...new Set([...selected, change.id])] : selected.filter((id) => id !== change.id);
      }
      return withGraph({ ...state, selectedEdges: selected }, graph);
    }
    case 'connect': {
      const graph = connect(state.graph, action.a as ComponentKey, action.b as ComponentKey);
      return graph ? withGraph(state, graph) : state;
    }
    case 'add': {
      const { graph, id } = addComponent(state.graph, action.kind, { template: action.template, vm: action.vm });
      const key = keyOf(action.kind, id);
      const next = withGraph(state, graph, { key, position: action.position });
      return { ...next, nodes: select(next.nodes, key), selectedEdges: [], added: key };
    }
    case 'update':
      return { ...state, graph: updateComponent(state.graph, action.kind, action.id, action.change as never) };
    case 'remove': {
      const parsed = parseKey(action.key);
      return parsed ? withGraph({ ...state, added: null }, removeComponent(state.graph, parsed.kind, parsed.id)) : state;
    }
    case 'select':
      return { ...state, nodes: select(state.nodes, action.key), added: null };
  }
}
