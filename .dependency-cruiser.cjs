/**
 * Layering and cycle rules (CONVENTIONS.md, "Arrows only point down"). `npm run lint:deps` runs it.
 * Layers, lowest first; a file may import its own layer (one way: no cycles) and any layer below, never above.
 * A new folder under services/ must be put in a layer here (rule not-in-a-layer says so).
 */
const LAYERS = [
  { name: 'shared', path: '^services/shared/' },
  { name: 'knowledge', path: '^knowledge/' },
  // Siblings over the knowledge model: building indexes, searching them, staff identity, notifications.
  { name: 'indexing-search-identity', path: '^(indexers|services/(search|auth|notify))/' },
  // Use cases. One-way sibling use is allowed (answer → tickets for the handoff, ops → tickets for reports).
  { name: 'domain-services', path: '^services/(answer|tickets|editorial|booking|feedback|surveys|policy|ops)/' },
  { name: 'composition-root', path: '^services/(container|search-container)\\.ts$' },
  { name: 'http', path: '^services/(api|web)/' },
  { name: 'eval', path: '^eval/' },
  { name: 'cli', path: '^services/cli/' },
  { name: 'bin', path: '^bin/' },
]

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.name}`,
  severity: 'error',
  comment: `${layer.name} must not import a layer above it (${LAYERS.slice(i + 1)
    .map((l) => l.name)
    .join(', ')})`,
  from: { path: layer.path },
  to: {
    path: LAYERS.slice(i + 1)
      .map((l) => `(${l.path})`)
      .join('|'),
  },
}))

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included (tsPreCompilationDeps).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every source file belongs to a layer: add its folder to LAYERS in .dependency-cruiser.cjs.',
      from: { path: '^(services|knowledge|indexers|eval|bin)/', pathNot: LAYERS.map((l) => `(${l.path})`).join('|') },
      to: {},
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing (a typo, or a dependency missing from package.json).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a type cycle is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
}
