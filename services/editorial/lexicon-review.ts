/**
 * Four eyes and history for the global lexicon (dictionary, synonyms, stopwords, expansions): it changes
 * how every question in the country is searched, so only national editors (lexicon:edit, no region) may
 * propose a change, a second national editor approves it before it is applied, and every applied change
 * is a version that can be restored (through the same proposal and approval). Stored in `meta`.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { LEXICON_FILES, type LexiconFileName } from './lexicon-files.js'
import type { Actor } from './permissions.js'

export interface LexiconProposal {
  id: string
  kind: 'lexicon-proposal'
  name: LexiconFileName
  text: string
  hash: string
  proposedBy: string
  proposedAt: string
  note: string | null
  status: 'pending' | 'applied'
}

export interface LexiconVersion {
  id: string
  kind: 'lexicon-version'
  name: LexiconFileName
  version: number
  text: string
  hash: string
  proposedBy: string
  approvedBy: string
  at: string
  note: string | null
}

/** Pure: only national staff holding lexicon:edit touch the global lexicon. */
export function requireNationalLexiconEditor(actor: Actor): void {
  if (!actor.permissions.has('lexicon:edit') || (actor.role !== 'admin' && actor.regionCode !== null)) {
    throw new AppError('FORBIDDEN', 'global lexicon edits need a national editor', {
      userMessage: '词典为全国共用，仅全国层编辑可提出和审核修改',
    })
  }
}

const hashOf = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)
const proposalKey = (id: string) => `lexicon-proposal:${id}`
const versionKey = (name: string, version: number) => `lexicon-version:${name}:${String(version).padStart(6, '0')}`

export class LexiconReview {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Validates, writes and applies a lexicon file (EditorialService.saveLexiconFile). */
    private readonly apply: (
      actor: Actor,
      name: LexiconFileName,
      text: string,
    ) => Promise<{ indexed: number; hash: string }>,
    private readonly current: (name: LexiconFileName) => string,
    /** Refuses an invalid file at proposal time, so a reviewer never approves something that cannot apply. */
    private readonly validate: (name: LexiconFileName, text: string) => void,
  ) {}

  private get meta() {
    return this.store.collection<LexiconProposal | LexiconVersion>('meta')
  }

  async propose(
    actor: Actor,
    name: LexiconFileName,
    text: string,
    note: string | null = null,
  ): Promise<LexiconProposal> {
    requireNationalLexiconEditor(actor)
    this.validate(name, text)
    const id = crypto.randomUUID()
    const p: LexiconProposal = {
      id: proposalKey(id),
      kind: 'lexicon-proposal',
      name,
      text,
      hash: hashOf(text),
      proposedBy: actor.id,
      proposedAt: this.clock.now().toISOString(),
      note,
      status: 'pending',
    }
    await this.meta.put(p)
    return { ...p, id }
  }

  async pending(actor: Actor): Promise<LexiconProposal[]> {
    requireNationalLexiconEditor(actor)
    const all = (await this.meta.list({ where: { kind: 'lexicon-proposal', status: 'pending' } })) as LexiconProposal[]
    return all
      .map((p) => ({ ...p, id: p.id.slice('lexicon-proposal:'.length) }))
      .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt))
  }

  async versions(name: LexiconFileName): Promise<LexiconVersion[]> {
    if (!(LEXICON_FILES as readonly string[]).includes(name)) {
      throw new AppError('VALIDATION_FAILED', `unknown lexicon file ${String(name).slice(0, 64)}`, {
        userMessage: '词典文件名无效',
      })
    }
    const all = (await this.meta.list({ where: { kind: 'lexicon-version', name } })) as LexiconVersion[]
    return all.sort((a, b) => b.version - a.version)
  }

  /** Applies a pending proposal; the approver must be another national editor than the proposer. */
  async approve(actor: Actor, id: string): Promise<{ indexed: number; hash: string; version: number }> {
    requireNationalLexiconEditor(actor)
    const p = (await this.meta.get(proposalKey(id))) as LexiconProposal | undefined
    if (!p || p.kind !== 'lexicon-proposal') throw new AppError('NOT_FOUND', `lexicon proposal ${id}`)
    if (p.status !== 'pending')
      throw new AppError('INVALID_TRANSITION', 'proposal already applied', { userMessage: '该修改已生效' })
    if (p.proposedBy === actor.id)
      throw new AppError('FORBIDDEN', 'four eyes', { userMessage: '不能审核自己提出的词典修改（双人复核）' })
    const versions = await this.versions(p.name)
    const now = this.clock.now().toISOString()
    const entry = (version: number, text: string, by: string, note: string | null): LexiconVersion => ({
      id: versionKey(p.name, version),
      kind: 'lexicon-version',
      name: p.name,
      version,
      text,
      hash: hashOf(text),
      proposedBy: by,
      approvedBy: by === p.proposedBy ? actor.id : by,
      at: now,
      note,
    })
    // The first change also keeps the text it replaces, so it can be restored.
    if (versions.length === 0) await this.meta.put(entry(1, this.current(p.name), 'baseline', '修改前的文本'))
    const result = await this.apply(actor, p.name, p.text)
    const version = (versions[0]?.version ?? 1) + 1
    await this.meta.put(entry(version, p.text, p.proposedBy, p.note))
    await this.meta.put({ ...p, status: 'applied' })
    return { ...result, version }
  }

  /** Proposes restoring an earlier version (it takes effect after approval, like any change). */
  async revert(actor: Actor, name: LexiconFileName, version: number): Promise<LexiconProposal> {
    const v = (await this.meta.get(versionKey(name, version))) as LexiconVersion | undefined
    if (!v)
      throw new AppError('NOT_FOUND', `lexicon ${name} version ${version}`, {
        userMessage: `词典 ${name} 没有第 ${version} 版`,
      })
    return this.propose(actor, name, v.text, `恢复到第 ${version} 版`)
  }
}
