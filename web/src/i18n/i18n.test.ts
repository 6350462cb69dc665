import { describe, expect, it } from 'vitest'
import { en, zh } from './index'
import { CHANNELS, STATES } from '../api'

function keys(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [prefix]
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
}

describe('messages', () => {
  it('have the same keys in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })
  it('are never empty', () => {
    for (const m of [zh, en]) for (const k of keys(m)) expect(k.split('.').reduce((o: any, p) => o[p], m), k).not.toBe('')
  })
  it('name every state and channel', () => {
    for (const s of STATES) expect(zh.state[s]).toBeTruthy()
    for (const c of CHANNELS) expect(zh.channel[c]).toBeTruthy()
  })
  it('avoid vue-i18n special characters that would break compilation', () => {
    for (const m of [zh, en]) for (const k of keys(m)) {
      const v = k.split('.').reduce((o: any, p) => o[p], m) as string
      expect(/[|@$]/.test(v), `${k}: ${v}`).toBe(false)
    }
  })
})
