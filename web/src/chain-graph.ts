// The interactive chain graph of a case: the case (F0) and everyone of its chain as circles
// coloured by level (F0 red, F1 orange, F2 yellow, F3 light), an edge from each person to the one
// of the level above they met (`via`). The layout is a small force simulation (repulsion between
// all nodes, springs along edges, a pull to the centre) run to rest before drawing, from a start
// on rings by level so that it is the same on every render, then scaled to fill the drawing. Nodes are focusable: a click, Enter
// or Space selects one (the page highlights that person in the tree); a node can be dragged.

import { h } from './dom';

export interface GraphNode {
  id: number;
  label: string;
  /** 0 for the case, 1 for F1… */
  level: number;
}

export interface GraphEdge {
  from: number;
  to: number;
}

interface Placed extends GraphNode {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 440;
const RADIUS = [16, 12, 10, 9];

/** Lays the nodes out with a force simulation; positions are kept between renders. */
export class ChainGraph {
  private nodes = new Map<number, Placed>();
  private edges: GraphEdge[] = [];
  private signature = '';

  constructor(private readonly onSelect: (id: number) => void) {}

  /** Sets the graph; the layout is recomputed only when the nodes or edges change. */
  update(nodes: GraphNode[], edges: GraphEdge[]): void {
    const signature = JSON.stringify([nodes.map((n) => [n.id, n.level]), edges.map((e) => [e.from, e.to])]);
    if (signature === this.signature) {
      for (const n of nodes) {
        const placed = this.nodes.get(n.id);
        if (placed) placed.label = n.label;
      }
      return;
    }
    this.signature = signature;
    this.edges = edges.filter((e) => nodes.some((n) => n.id === e.from) && nodes.some((n) => n.id === e.to));
    this.nodes = new Map(startPositions(nodes).map((n) => [n.id, n]));
    simulate([...this.nodes.values()], this.edges);
    fit([...this.nodes.values()]);
  }

  /** The SVG, with `selected` outlined. */
  render(o: { label: string; selected: number | null; testid?: string }): SVGSVGElement {
    const svg = el('svg', {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      class: 'chain-graph',
      role: 'group',
      'aria-label': o.label,
      'data-testid': o.testid ?? 'chain-graph',
      'data-nodes': String(this.nodes.size),
      'data-edges': String(this.edges.length),
    });
    const lines = new Map<GraphEdge, SVGLineElement>();
    for (const e of this.edges) {
      const a = this.nodes.get(e.from);
      const b = this.nodes.get(e.to);
      if (!a || !b) continue;
      const line = el('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: 'chain-edge', 'data-from': e.from, 'data-to': e.to });
      lines.set(e, line);
      svg.append(line);
    }
    for (const n of this.nodes.values()) svg.append(this.renderNode(svg, n, o.selected === n.id, lines));
    return svg;
  }

  private renderNode(svg: SVGSVGElement, n: Placed, selected: boolean, lines: Map<GraphEdge, SVGLineElement>): SVGGElement {
    const level = Math.min(n.level, 3);
    const r = RADIUS[level];
    const g = el('g', {
      // An id, so that the app keeps keyboard focus on the node across re-renders.
      id: `chain-node-${n.id}`,
      class: `chain-node chain-level-${level}${selected ? ' selected' : ''}`,
      transform: `translate(${n.x} ${n.y})`,
      tabindex: 0,
      role: 'button',
      'aria-pressed': String(selected),
      'aria-label': `${n.label}, F${n.level}`,
      'data-testid': 'chain-node',
      'data-person-id': n.id,
      'data-level': n.level,
    });
    g.append(el('circle', { r }), text(`F${n.level}`, { class: 'chain-node-level', dy: '0.35em' }), text(n.label, { class: 'chain-node-label', x: r + 4, dy: '0.35em' }));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.onSelect(n.id);
      }
    });
    // A press without movement selects; with movement it drags the node (and its edges).
    g.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      const point = svgPoint(svg, down);
      const start = { x: n.x, y: n.y };
      let moved = false;
      const move = (e: PointerEvent) => {
        const p = svgPoint(svg, e);
        if (!moved && Math.hypot(p.x - point.x, p.y - point.y) < 3) return;
        moved = true;
        n.x = clamp(start.x + p.x - point.x, r, WIDTH - r);
        n.y = clamp(start.y + p.y - point.y, r, HEIGHT - r);
        g.setAttribute('transform', `translate(${n.x} ${n.y})`);
        for (const [edge, line] of lines) {
          const end = edge.from === n.id ? '1' : edge.to === n.id ? '2' : null;
          if (!end) continue;
          line.setAttribute(`x${end}`, String(n.x));
          line.setAttribute(`y${end}`, String(n.y));
        }
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        if (!moved) this.onSelect(n.id);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    });
    return g;
  }
}

/** Rings by level around the centre, evenly spaced, so the simulation starts the same each time. */
function startPositions(nodes: GraphNode[]): Placed[] {
  const byLevel = new Map<number, GraphNode[]>();
  for (const n of nodes) byLevel.set(n.level, [...(byLevel.get(n.level) ?? []), n]);
  return nodes.map((n) => {
    const ring = byLevel.get(n.level) ?? [n];
    const i = ring.indexOf(n);
    const angle = (2 * Math.PI * i) / ring.length + n.level * 0.7;
    const radius = n.level * 90;
    return { ...n, x: WIDTH / 2 + radius * Math.cos(angle), y: HEIGHT / 2 + radius * Math.sin(angle), vx: 0, vy: 0 };
  });
}

/** Runs the forces until the layout rests (a fixed number of cooling steps). */
function simulate(nodes: Placed[], edges: GraphEdge[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const steps = nodes.length > 200 ? 120 : 300;
  const repulsion = 2200;
  const spring = 0.04;
  const length = 70;
  for (let step = 0; step < steps; step++) {
    const cooling = 1 - step / steps;
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) {
          // Two nodes on the same spot: push them apart in a fixed direction.
          dx = 0.1 * (i - j);
          dy = 0.1;
          d2 = dx * dx + dy * dy;
        }
        const f = repulsion / d2;
        const d = Math.sqrt(d2);
        a.vx += (dx / d) * f;
        a.vy += (dy / d) * f;
        b.vx -= (dx / d) * f;
        b.vy -= (dy / d) * f;
      }
    }
    for (const e of edges) {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      if (!a || !b) continue;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = spring * (d - length);
      a.vx += (dx / d) * f;
      a.vy += (dy / d) * f;
      b.vx -= (dx / d) * f;
      b.vy -= (dy / d) * f;
    }
    for (const n of nodes) {
      n.vx += (WIDTH / 2 - n.x) * 0.01;
      n.vy += (HEIGHT / 2 - n.y) * 0.01;
      // The case stays near the centre; everyone else moves with damping and a speed limit.
      const damping = n.level === 0 ? 0.2 : 0.6;
      const speed = Math.hypot(n.vx, n.vy);
      const max = 20 * cooling + 0.5;
      const scale = speed > max ? max / speed : 1;
      n.x = clamp(n.x + n.vx * scale * damping, 20, WIDTH - 20);
      n.y = clamp(n.y + n.vy * scale * damping, 20, HEIGHT - 20);
      n.vx *= 0.5;
      n.vy *= 0.5;
    }
  }
}

/** Scales and centres the layout to fill the drawing (room for the names on the right). */
function fit(nodes: Placed[]): void {
  if (nodes.length < 2) {
    for (const n of nodes) Object.assign(n, { x: WIDTH / 2, y: HEIGHT / 2 });
    return;
  }
  const margin = { left: 30, right: 130, top: 30, bottom: 30 };
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const width = WIDTH - margin.left - margin.right;
  const height = HEIGHT - margin.top - margin.bottom;
  const scale = Math.min(width / (x1 - x0 || 1), height / (y1 - y0 || 1), 2.5);
  const dx = margin.left + (width - (x1 - x0) * scale) / 2;
  const dy = margin.top + (height - (y1 - y0) * scale) / 2;
  for (const n of nodes) {
    n.x = dx + (n.x - x0) * scale;
    n.y = dy + (n.y - y0) * scale;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

function svgPoint(svg: SVGSVGElement, e: PointerEvent): { x: number; y: number } {
  const box = svg.getBoundingClientRect();
  return { x: ((e.clientX - box.left) / (box.width || 1)) * WIDTH, y: ((e.clientY - box.top) / (box.height || 1)) * HEIGHT };
}

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function text(content: string, attrs: Record<string, string | number>): SVGTextElement {
  const node = el('text', attrs);
  node.textContent = content;
  node.setAttribute('aria-hidden', 'true');
  return node;
}

/** A plain-HTML fallback legend of the colours (text, not colour alone). */
export function graphLegend(labels: string[]): HTMLElement {
  return h(
    'ul',
    { class: 'chain-legend', 'aria-hidden': 'true' },
    labels.map((label, level) => h('li', null, h('span', { class: `chain-swatch chain-level-${level}` }), label)),
  );
}
