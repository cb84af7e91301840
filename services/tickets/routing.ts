/**
 * Seat groups (省级集中 + 远程座席) and who sees which queue. Pure functions over codes.
 *  - `XX0000-center`: the provincial centre; `XXXX00-remote`: local remote seats of a city;
 *    `national`: tickets without a region.
 *  - An agent sees their own seat group. Provincial-centre agents and holders of `tickets:supervise`
 *    see every group of their province; a national supervisor (no region) sees everything.
 */
import type { RegionTable } from '../../knowledge/regions.js'

export interface Viewer {
  id: string
  regionCode: string | null
  seatGroup: string | null
  permissions: ReadonlySet<string>
}

export function provinceOfSeatGroup(seatGroup: string): string | null {
  const m = /^(\d{2})\d{4}-(center|remote)$/.exec(seatGroup)
  return m ? `${m[1]}0000` : null
}

export function isCenterGroup(seatGroup: string | null): boolean {
  return typeof seatGroup === 'string' && seatGroup.endsWith('-center')
}

export function isValidSeatGroup(regions: RegionTable, seatGroup: string): boolean {
  if (seatGroup === 'national') return true
  const m = /^(\d{6})-(center|remote)$/.exec(seatGroup)
  if (!m || !regions.has(m[1]!)) return false
  const level = regions.get(m[1]!)?.level
  return (m[2] === 'center' && level === 'province') || (m[2] === 'remote' && level === 'city')
}

/** The seat groups whose queue a viewer sees: a list, or 'all'. */
export function visibleSeatGroups(
  viewer: Viewer,
): { all: true } | { all: false; own: string | null; province: string | null } {
  const supervise = viewer.permissions.has('tickets:supervise')
  if (supervise && viewer.regionCode === null) return { all: true }
  const region = viewer.regionCode ?? (viewer.seatGroup ? provinceOfSeatGroup(viewer.seatGroup) : null)
  const province = region ? `${region.slice(0, 2)}0000` : null
  if (supervise || isCenterGroup(viewer.seatGroup)) return { all: false, own: viewer.seatGroup, province }
  return { all: false, own: viewer.seatGroup, province: null }
}

export function canSeeSeatGroup(viewer: Viewer, seatGroup: string): boolean {
  const v = visibleSeatGroups(viewer)
  if (v.all) return true
  if (v.own !== null && v.own === seatGroup) return true
  return v.province !== null && provinceOfSeatGroup(seatGroup) === v.province
}
