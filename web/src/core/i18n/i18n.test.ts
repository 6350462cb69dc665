import { describe, expect, it } from 'vitest'
import { MODULES } from '@/modules'
import { CHANNELS, STATES } from '@/modules/case/api'
import { SCREENS } from '../access'
import type { Messages } from '../module'
import { en, messageParts, zh } from './index'
import { mergeMessages } from './merge'

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix]
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}
const lookup = (m: Messages, key: string): unknown => key.split('.').reduce<unknown>((o, p) => (o as Messages | undefined)?.[p], m)

describe('messages', () => {
  it("have the same keys in Chinese and English, in core's and in every module's files", () => {
    const zhParts = messageParts('zh-CN')
    const enParts = messageParts('en')
    expect(zhParts.map((p) => p.owner)).toEqual(['core', ...MODULES.map((m) => m.name)])
    for (const [i, p] of zhParts.entries()) expect(keys(enParts[i].messages).sort(), p.owner).toEqual(keys(p.messages).sort())
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })
  it('are given by one file each: two modules giving one key is refused', () => {
    const a = { owner: 'a', messages: { admin: { users: '账号' } } }
    expect(() => mergeMessages([a, { owner: 'b', messages: { admin: { tab: '日历' } } }])).not.toThrow()
    expect(() => mergeMessages([a, { owner: 'b', messages: { admin: { users: '用户' } } }])).toThrow(/admin\.users: given by a and by b/)
    expect(() => mergeMessages([a, { owner: 'b', messages: { admin: '管理' } }])).toThrow(/admin/)
  })
  it('are never empty', () => {
    for (const m of [zh, en]) for (const k of keys(m)) expect(lookup(m, k), k).not.toBe('')
  })
  it('name every state and channel', () => {
    for (const s of STATES) expect(lookup(zh, 'state.' + s), s).toBeTruthy()
    for (const c of CHANNELS) expect(lookup(zh, 'channel.' + c), c).toBeTruthy()
  })
  it("name every screen of the menu and every module's tab", () => {
    const labels = [
      ...SCREENS.map((s) => 'nav.' + s),
      ...MODULES.flatMap((m) => [...(m.adminTabs ?? []), ...(m.phoneTabs ?? [])].map((x) => x.label)),
    ]
    for (const m of [zh, en]) for (const k of labels) expect(typeof lookup(m, k), k).toBe('string')
  })
  it('avoid vue-i18n special characters that would break compilation', () => {
    for (const m of [zh, en]) for (const k of keys(m)) {
      const v = lookup(m, k) as string
      expect(/[|@$]/.test(v), `${k}: ${v}`).toBe(false)
    }
  })
})
