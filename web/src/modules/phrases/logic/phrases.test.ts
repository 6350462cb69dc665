import { describe, expect, it } from 'vitest'
import { phraseKindFor, withPhrase } from './phrases'

describe('phrases', () => {
  it('are offered by what a field is for', () => {
    expect(phraseKindFor('dispatch', 'instructions')).toBe('instruction')
    expect(phraseKindFor('verify', 'comment')).toBe('rejection')
    expect(phraseKindFor('handle', 'feedback')).toBe('feedback')
    expect(phraseKindFor('rate', 'comment')).toBeNull()
  })

  it('go after what is written', () => {
    expect(withPhrase('', '请今日处理')).toBe('请今日处理')
    expect(withPhrase('地址：统一路1号  ', '请今日处理')).toBe('地址：统一路1号\n请今日处理')
  })
})
