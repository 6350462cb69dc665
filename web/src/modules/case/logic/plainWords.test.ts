import { describe, expect, it } from 'vitest'
import { PLAIN_WORDS, plainWordsFor } from './plainWords'

describe('plain words', () => {
  it('name each category once, with examples in both languages', () => {
    expect(new Set(PLAIN_WORDS.map((w) => w.code)).size).toBe(PLAIN_WORDS.length)
    for (const w of PLAIN_WORDS) expect(w.zh && w.zhEx && w.en && w.enEx && /^\d{4}$/.test(w.code)).toBeTruthy()
  })

  it('offer only what the catalogue has', () => {
    expect(plainWordsFor(new Set(['1303', '9999'])).map((w) => w.zh)).toEqual(['路灯不亮'])
  })
})
